package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A 3-D convolution, as PyTorch's {@code nn.Conv3d}, on a channels-first input of rank 4
 * (C,D,H,W or C,T,H,W). Output size per axis: {@code floor((in + 2·padding − dilation·(k − 1) −
 * 1) / stride) + 1}. MACs: {@code out_elements · (cin / groups) · k_volume}. Sizes left out are derived;
 * a size written as 0 is an error (MC104).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Conv3d {
    /**
     * {@code padding = Conv3d.SAME}: PyTorch's {@code padding='same'}; a value no padding takes, so that a negative
     * padding ({@code -1}, which PyTorch refuses) is refused, not taken for it.
     */
    int SAME = Integer.MIN_VALUE;
    /**
     * {@code padding = Conv3d.VALID}: PyTorch's {@code padding='valid'}, no padding, as {@code padding = 0}; PyTorch runs it as
     * {@code aten::_convolution_mode}, which fvcore does not count.
     */
    int VALID = Integer.MIN_VALUE + 1;
    /** Output channels. */
    int cout() default 0;
    /** Input channels; inferred from the previous layer when omitted, checked when given. */
    int cin() default 0;
    /** Cubic kernel size. */
    int k() default 0;
    /** Kernel depth; defaults to {@code k}. */
    int kd() default 0;
    /** Kernel height; defaults to {@code k}. */
    int kh() default 0;
    /** Kernel width; defaults to {@code k}. */
    int kw() default 0;
    /** Stride on every axis. */
    int stride() default 1;
    /** Stride along depth; defaults to {@code stride}. */
    int strideD() default 0;
    /** Stride along height; defaults to {@code stride}. */
    int strideH() default 0;
    /** Stride along width; defaults to {@code stride}. */
    int strideW() default 0;
    /**
     * Zero padding on every axis. {@link #SAME} is PyTorch's {@code padding='same'}: the output as long as the input on
     * every axis, the kernel's reach split with the extra position after (stride 1 only, as in
     * PyTorch; the padded copy PyTorch makes for an even reach is not counted).
     */
    int padding() default 0;
    /** Padding along depth; defaults to {@code padding}. */
    int paddingD() default 0;
    /** Padding along height; defaults to {@code padding}. */
    int paddingH() default 0;
    /** Padding along width; defaults to {@code padding}. */
    int paddingW() default 0;
    /** Dilation on every axis. */
    int dilation() default 1;
    /** Dilation along depth; defaults to {@code dilation}. */
    int dilationD() default 0;
    /** Dilation along height; defaults to {@code dilation}. */
    int dilationH() default 0;
    /** Dilation along width; defaults to {@code dilation}. */
    int dilationW() default 0;
    /** Groups; must divide both {@code cin} and {@code cout}. */
    int groups() default 1;
    /** Whether the layer adds a learnable bias. */
    boolean bias() default true;
    /**
     * PyTorch's {@code padding_mode}: {@code "zeros"} (the default), {@code "reflect"}, {@code "replicate"} or {@code "circular"}.
     * In the other modes PyTorch pads the input with {@code F.pad} first and convolves it without padding: the same shape, MACs,
     * FLOPs and parameters; the padded copy is held while the convolution runs, and a training step saves it in the input's
     * place (a reflection or replication also keeps the input, which its backward reads). A reflection must be shorter than the
     * axis, a circular padding at most as long (MC320), as PyTorch requires.
     */
    String paddingMode() default "zeros";
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
