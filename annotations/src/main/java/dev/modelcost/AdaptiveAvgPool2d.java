package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** 2-D adaptive average pooling, as PyTorch's {@code nn.AdaptiveAvgPool2d}, with its window rule. */
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
    /**
     * Attributes given as expressions, in the form {@code "name = expr, name = expr"}: over the
     * enclosing block's parameters and its input dimensions {@code in}, {@code h}, {@code w}.
     * An attribute may be written as a literal or here, not both.
     */
    String with() default "";
}
