package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * 2-D max pooling, as PyTorch's {@code nn.MaxPool2d}, on a channels-first input of rank 3 (C,H,W).
 * Output size per axis: {@code floor((in + 2·padding − dilation·(k − 1) − 1) / stride) + 1}, or its
 * ceiling with {@code ceilMode} (a last window that would start in the right padding dropped, as
 * PyTorch does). Other ops: {@code kh·kw − 1} comparisons per output element.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface MaxPool2d {
    /** Square window size. */
    int k() default 0;
    /** Window height; defaults to {@code k}. */
    int kh() default 0;
    /** Window width; defaults to {@code k}. */
    int kw() default 0;
    /** Stride on both axes; defaults to the window size. */
    int stride() default 0;
    /** Vertical stride; defaults to {@code stride}. */
    int strideH() default 0;
    /** Horizontal stride; defaults to {@code stride}. */
    int strideW() default 0;
    /** Implicit padding on both axes (at most half the window). */
    int padding() default 0;
    /** Vertical padding; defaults to {@code padding}. */
    int paddingH() default 0;
    /** Horizontal padding; defaults to {@code padding}. */
    int paddingW() default 0;
    /** Use ceil instead of floor for the output size, as PyTorch's {@code ceil_mode}. */
    boolean ceilMode() default false;
    /** Dilation on both axes. */
    int dilation() default 1;
    /** Vertical dilation; defaults to {@code dilation} (PyTorch's {@code dilation=(dh, dw)}). */
    int dilationH() default 0;
    /** Horizontal dilation; defaults to {@code dilation}. */
    int dilationW() default 0;
    /** Attributes as expressions, as in {@link Conv2d#with()}, which describes the expression language. */
    String with() default "";
}
