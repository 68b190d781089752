package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * 1-D adaptive average pooling, as PyTorch's {@code nn.AdaptiveAvgPool1d}, on a channels-first
 * input of rank 2 (C,L), with its window rule (cell {@code i} of {@code out} reads {@code
 * floor(i·in/out)} to {@code ceil((i+1)·in/out) − 1}). Other ops: every input element each
 * output window reads.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface AdaptiveAvgPool1d {
    /** Output size. */
    int value() default 0;
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
