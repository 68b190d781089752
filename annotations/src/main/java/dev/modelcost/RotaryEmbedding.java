package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Rotary position embedding applied to queries or keys of shape {@code H x L x head_dim}, as
 * Llama's {@code q * cos + rotate_half(q) * sin}: no parameters, 3 other ops per element rotated (two
 * multiplies and an add). The features rotated must be even in number.
 *
 * <p>No buffers either: the frequencies come from {@link #theta()} and the head size, and a module that keeps them (Hugging
 * Face's {@code inv_freq}, {@code rotaryDim / 2} floats registered with {@code persistent = False}, so in {@code
 * model.buffers()} but not in the {@code state_dict}; Meta's Llama's {@code freqs_cis}, a plain attribute) keeps a table of the
 * configuration, not state: {@code BUFFERS} leaves it out, and a count over {@code model.buffers()} of such a module is higher
 * by {@code rotaryDim / 2} per module that holds one.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface RotaryEmbedding {
    /** The base of the frequencies (no effect on costs). */
    double theta() default 10000.0;
    /**
     * How many of each head's first features are rotated, the rest passed through, as GPT-J's
     * {@code rotary_dim}, GPT-NeoX's {@code head_dim · rotary_pct} and Phi's {@code head_dim ·
     * partial_rotary_factor}: 64 of 256, 32 of 80; -1 (the default) for all of them. Even, and at most the head dimension (MC310).
     */
    int rotaryDim() default -1;
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
