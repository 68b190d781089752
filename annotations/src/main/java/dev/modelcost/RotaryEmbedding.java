package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Rotary position embedding applied to queries or keys of shape {@code H x L x head_dim}, as
 * Llama's {@code q * cos + rotate_half(q) * sin}: no parameters, 3 other ops per element (two
 * multiplies and an add). The head dimension must be even.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface RotaryEmbedding {
    /** The base of the frequencies (no effect on costs). */
    double theta() default 10000.0;
}
