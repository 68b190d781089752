package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A 1-D convolution, as PyTorch's {@code nn.Conv1d}, on a channels-first input of rank 2 (C,L).
 * Output size per axis: {@code floor((in + 2·padding − dilation·(k − 1) − 1) / stride) + 1}.
 * MACs: {@code out_elements · (cin / groups) · k_volume}. Sizes left out are derived; a size written as 0 is an error (MC104).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Conv1d {
    /**
     * {@code padding = Conv1d.SAME}: PyTorch's {@code padding='same'}; a value no padding takes, so that a negative
     * padding ({@code -1}, which PyTorch refuses) is refused, not taken for it.
     */
    int SAME = Integer.MIN_VALUE;
    /**
     * {@code padding = Conv1d.VALID}: PyTorch's {@code padding='valid'}, no padding, as {@code padding = 0}; PyTorch runs it as
     * {@code aten::_convolution_mode}, which fvcore does not count.
     */
    int VALID = Integer.MIN_VALUE + 1;
    /** Output channels. */
    int cout() default 0;
    /** Input channels; inferred from the previous layer when omitted, checked when given. */
    int cin() default 0;
    /** Kernel size. */
    int k() default 0;
    /** Stride. */
    int stride() default 1;
    /**
     * Zero padding. {@link #SAME} is PyTorch's {@code padding='same'}: the output as long as the input on
     * every axis, the kernel's reach split with the extra position after (stride 1 only, as in
     * PyTorch; the padded copy PyTorch makes for an even reach is not counted).
     */
    int padding() default 0;
    /** Dilation. */
    int dilation() default 1;
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
