package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Batch normalization over channels, as PyTorch's {@code nn.BatchNorm2d} in eval mode, on an input
 * of layout C,H,W; the shape is kept. Other ops: 2 per element with running statistics (a multiply
 * and an add once folded), else 5 (+2 when affine). Parameters {@code 2·C} when affine; buffers
 * {@code 2·C} (running mean and variance) when it tracks running statistics.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface BatchNorm2d {
    /** Channels; inferred when omitted, checked when given. */
    int features() default 0;
    /** Whether the layer has a learnable scale and shift (2 x C parameters). */
    boolean affine() default true;
    /** Whether the layer keeps running mean and variance (2 x C buffers). */
    boolean trackRunningStats() default true;
    /** Added to the variance for stability, PyTorch's {@code eps}; changes no cost. */
    double eps() default 1e-5;
    /** The running statistics' update factor in training, PyTorch's {@code momentum}; changes no cost. */
    double momentum() default 0.1;
    /** Attributes as expressions, as in {@link Conv2d#with()}, which describes the expression language. */
    String with() default "";
}
