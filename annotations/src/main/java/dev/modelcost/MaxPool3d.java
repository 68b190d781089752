package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * 3-D max pooling, as PyTorch's {@code nn.MaxPool3d}, on a channels-first input of rank 4
 * (C,D,H,W). Other ops: {@code k_volume − 1} comparisons per output element.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface MaxPool3d {
    /** Cubic kernel size. */
    int k() default 0;
    /** Window depth; defaults to {@code k}. */
    int kd() default 0;
    /** Window height; defaults to {@code k}. */
    int kh() default 0;
    /** Window width; defaults to {@code k}. */
    int kw() default 0;
    /** Stride on every axis; defaults to the window size. */
    int stride() default 0;
    /** Stride along depth; defaults to {@code stride}. */
    int strideD() default 0;
    /** Stride along height; defaults to {@code stride}. */
    int strideH() default 0;
    /** Stride along width; defaults to {@code stride}. */
    int strideW() default 0;
    /** Implicit padding on every axis, at most half the window. */
    int padding() default 0;
    /** Padding along depth; defaults to {@code padding}. */
    int paddingD() default 0;
    /** Padding along height; defaults to {@code padding}. */
    int paddingH() default 0;
    /** Padding along width; defaults to {@code padding}. */
    int paddingW() default 0;
    /** Dilation on every axis. */
    int dilation() default 1;
    /** Dilation along depth; defaults to {@code dilation} (PyTorch's {@code dilation=(dd, dh, dw)}). */
    int dilationD() default 0;
    /** Dilation along height; defaults to {@code dilation}. */
    int dilationH() default 0;
    /** Dilation along width; defaults to {@code dilation}. */
    int dilationW() default 0;
    /** Use ceil instead of floor for the output size, as PyTorch's {@code ceil_mode}. */
    boolean ceilMode() default false;
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
