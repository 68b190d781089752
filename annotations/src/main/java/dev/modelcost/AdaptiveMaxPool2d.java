package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * 2-D adaptive max pooling, as PyTorch's {@code nn.AdaptiveMaxPool2d}, on a channels-first
 * input of rank 3 (C,H,W), with its window rule (cell {@code i} of {@code out} reads {@code
 * floor(i·in/out)} to {@code ceil((i+1)·in/out) − 1}). Other ops: the elements each output
 * window reads, less one, per output element.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface AdaptiveMaxPool2d {
    /** Output size on every axis. */
    int value() default 0;
    /** Output height; defaults to {@code value}; when {@code value} is not given, an axis left out keeps the input's size (PyTorch's {@code None}). */
    int h() default 0;
    /** Output width; defaults to {@code value}; when {@code value} is not given, an axis left out keeps the input's size (PyTorch's {@code None}). */
    int w() default 0;
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
