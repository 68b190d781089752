package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Group normalization, as PyTorch's {@code nn.GroupNorm}, over groups of channels of a
 * channels-first input of any rank. Other ops: 5 per element to normalise, +2 when affine.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface GroupNorm {
    /** Groups; must divide the channels. */
    int numGroups() default 0;
    /** Channels; inferred when omitted, checked when given. */
    int numChannels() default 0;
    /** Whether the layer has a per-channel scale and shift (2 x C parameters). */
    boolean affine() default true;
    /** Added to the variance for stability, PyTorch's {@code eps}; changes no cost. */
    double eps() default 1e-5;
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
