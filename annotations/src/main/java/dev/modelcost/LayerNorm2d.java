package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Layer normalisation over the channels of a {@code C,H,W} input at every position, as torchvision's
 * {@code LayerNorm2d} (ConvNeXt): {@code 2·C} parameters; 7 other ops per element.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface LayerNorm2d {
    /** The channels; inferred when omitted, checked when given. */
    int features() default 0;
    /** Whether it has a learnable per-channel weight (and bias). */
    boolean elementwiseAffine() default true;
    /** Whether it has a learnable bias (with {@code elementwiseAffine}). */
    boolean bias() default true;
    /** Added to the variance (no effect on costs). */
    double eps() default 1e-6;
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
