package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A tensor a module registers with {@code register_buffer} and reads in its forward, used as a step:
 * the sinusoidal position encoding of the PyTorch tutorials' {@code PositionalEncoding}
 * ({@code shape = {5000, 512}}, then a {@link Slice} to the sequence), Whisper's
 * {@code positional_embedding}. It takes no input; its output is the tensor, of the given shape
 * without a batch dimension, which broadcasts against the batch in {@link Add}, {@link Mul} and
 * {@link Concat}. Its elements are buffers ({@code BUFFERS}), not parameters, as
 * {@code module.buffers()} lists them.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Buffer {
    /** The shape, without a batch dimension. */
    int[] shape() default {};
    /** The axis names, e.g. {@code "L,D"}; the default layout of its rank when empty. */
    String layout() default "";
    /**
     * As PyTorch's {@code persistent}: whether the buffer is in the module's {@code state_dict}. No
     * effect on the counts: {@code module.buffers()} lists it either way, and so does {@code BUFFERS}.
     */
    boolean persistent() default true;
    /** Attributes as expressions, as in {@link Conv2d#with()}; a list attribute takes a list, {@code "shape = [n, d]"}. */
    String with() default "";
}
