package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A 2-D convolution, as PyTorch's {@code nn.Conv2d}. Sizes given as 0 are derived: {@code cin} is inferred, {@code kh}/{@code kw} default to {@code k}, and so on. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Conv2d {
    /**
     * {@code padding = Conv2d.SAME}: PyTorch's {@code padding='same'}; a value no padding takes, so that a negative
     * padding ({@code -1}, which PyTorch refuses) is refused, not taken for it.
     */
    int SAME = Integer.MIN_VALUE;
    /**
     * {@code padding = Conv2d.VALID}: PyTorch's {@code padding='valid'}, no padding, as {@code padding = 0}; PyTorch runs it as
     * {@code aten::_convolution_mode}, which fvcore does not count.
     */
    int VALID = Integer.MIN_VALUE + 1;
    /** Output channels. */
    int cout() default 0;
    /** Input channels; inferred from the previous layer when omitted, checked when given. */
    int cin() default 0;
    /** Square kernel size. */
    int k() default 0;
    /** Kernel height; defaults to {@code k}. */
    int kh() default 0;
    /** Kernel width; defaults to {@code k}. */
    int kw() default 0;
    /** Stride on both axes. */
    int stride() default 1;
    /** Vertical stride; defaults to {@code stride}. */
    int strideH() default 0;
    /** Horizontal stride; defaults to {@code stride}. */
    int strideW() default 0;
    /**
     * Zero padding on both axes. {@link #SAME} is PyTorch's {@code padding='same'}: the output as long as the input on
     * every axis, the kernel's reach split with the extra position after (stride 1 only, as in
     * PyTorch; the padded copy PyTorch makes for an even reach is not counted).
     */
    int padding() default 0;
    /** Vertical padding; defaults to {@code padding}. */
    int paddingH() default 0;
    /** Horizontal padding; defaults to {@code padding}. */
    int paddingW() default 0;
    /** Dilation on both axes. */
    int dilation() default 1;
    /** Vertical dilation; defaults to {@code dilation}. */
    int dilationH() default 0;
    /** Horizontal dilation; defaults to {@code dilation}. */
    int dilationW() default 0;
    /** Groups; must divide both {@code cin} and {@code cout}. */
    int groups() default 1;
    /** Whether the layer adds a learnable bias. */
    boolean bias() default true;
    /**
     * Attributes given as expressions, in the form {@code "name = expr, name = expr"}: over the
     * enclosing block's parameters and its input dimensions {@code in}, {@code h}, {@code w}.
     * An attribute may be written as a literal or here, not both.
     */
    String with() default "";
}
