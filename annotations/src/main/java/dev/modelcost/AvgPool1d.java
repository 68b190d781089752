package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * 1-D average pooling, as PyTorch's {@code nn.AvgPool1d}, on a channels-first input of rank 2
 * (C,L). Other ops: {@code k_volume} per output element (the adds and the divide).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface AvgPool1d {
    /** Window size. */
    int k() default 0;
    /** Stride; defaults to the window size. */
    int stride() default 0;
    /** Implicit padding, at most half the window. */
    int padding() default 0;
    /** Use ceil instead of floor for the output size, as PyTorch's {@code ceil_mode}. */
    boolean ceilMode() default false;
    /** PyTorch's {@code count_include_pad} (no effect on the counts). */
    boolean countIncludePad() default true;
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
