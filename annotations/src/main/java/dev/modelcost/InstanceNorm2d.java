package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Instance normalization, as PyTorch's {@code nn.InstanceNorm2d} in eval mode, on a channels-
 * first input of rank 3 (C,H,W). Other ops: 5 per element to normalise with each sample's
 * statistics, +2 when affine; with running statistics (used in eval mode) 2 per element, as
 * BatchNorm.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface InstanceNorm2d {
    /** Channels ({@code num_features}); inferred when omitted, checked when given. */
    int features() default 0;
    /** Whether the layer has a learnable scale and shift (2 x C parameters); PyTorch's default is false. */
    boolean affine() default false;
    /** Whether the layer keeps running mean and variance (2 x C buffers); PyTorch's default is false. */
    boolean trackRunningStats() default false;
    /** Added to the variance for stability, PyTorch's {@code eps}; changes no cost. */
    double eps() default 1e-5;
    /** The running statistics' update factor in training, PyTorch's {@code momentum}; changes no cost. */
    double momentum() default 0.1;
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
