package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A learned tensor used as a step, as an {@code nn.Parameter} a module reads in its forward: ViT's
 * class token ({@code shape = {1, 768}}) and position embedding, ConvNeXt's layer scale
 * ({@code {C, 1, 1}}). It takes no input; its output is the tensor, of the given shape without a
 * batch dimension, which broadcasts against the batch in {@link Add}, {@link Mul} and
 * {@link Concat}. Its elements are parameters.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Parameter {
    /** The shape, without a batch dimension. */
    int[] shape() default {};
    /** The axis names, e.g. {@code "L,D"}; the default layout of its rank when empty. */
    String layout() default "";
    /** Attributes as expressions, as in {@link Conv2d#with()}; a list attribute takes a list, {@code "shape = [n, d]"}. */
    String with() default "";
}
