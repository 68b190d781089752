package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Layer normalisation over the last axes, as PyTorch's {@code nn.LayerNorm(normalized_shape)}:
 * {@code 2·prod(normalized_shape)} parameters with the affine weight and bias. 7 other ops per
 * element (5 to normalise, 1 for the weight, 1 for the bias).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface LayerNorm {
    /** The normalised trailing axes; the last axis of the input when omitted, checked when given. */
    int[] normalizedShape() default {};
    /** Whether it has a learnable per-element weight (and bias). */
    boolean elementwiseAffine() default true;
    /** Whether it has a learnable bias (with {@code elementwiseAffine}). */
    boolean bias() default true;
    /** Added to the variance (no effect on costs). */
    double eps() default 1e-5;
    /** Attributes as expressions, as in {@link Conv2d#with()}; a list attribute takes a list, {@code "normalizedShape = [h, d]"}. */
    String with() default "";
}
