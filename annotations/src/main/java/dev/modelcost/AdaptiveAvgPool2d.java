package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * 2-D adaptive average pooling, as PyTorch's {@code nn.AdaptiveAvgPool2d}, on a channels-first input
 * of rank 3 (C,H,W), with its window rule (cell {@code i} of {@code out} reads {@code floor(i·in/out)}
 * to {@code ceil((i+1)·in/out) − 1}). Other ops: every input element each output window reads.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface AdaptiveAvgPool2d {
    /** Square output size. */
    int value() default 0;
    /** Output height; defaults to {@code value}; with only {@code w} given, the input's height (PyTorch's {@code (None, w)}). */
    int h() default 0;
    /** Output width; defaults to {@code value}; with only {@code h} given, the input's width (PyTorch's {@code (h, None)}). */
    int w() default 0;
    /** Attributes as expressions, as in {@link Conv2d#with()}, which describes the expression language. */
    String with() default "";
}
