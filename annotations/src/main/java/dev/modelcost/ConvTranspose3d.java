package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A 3-D transposed convolution, as PyTorch's {@code nn.ConvTranspose3d}, on a channels-first
 * input of rank 4 (C,D,H,W or C,T,H,W). Output size per axis: {@code (in − 1)·stride −
 * 2·padding + dilation·(k − 1) + outputPadding + 1}. MACs per input position: {@code
 * in_elements · (cout / groups) · k_volume}, products that fall in the cropped padding
 * included; FLOPs: {@code 2·MACs} less one per output element that receives a product (its
 * first needs no add), plus the bias adds. Parameters: {@code cin · cout / groups · k_volume}
 * (+ {@code cout} bias). Sizes left out are derived; a size written as 0 is an error (MC104).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface ConvTranspose3d {
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
    /** Zero padding on every axis. */
    int padding() default 0;
    /** Padding along depth; defaults to {@code padding}. */
    int paddingD() default 0;
    /** Padding along height; defaults to {@code padding}. */
    int paddingH() default 0;
    /** Padding along width; defaults to {@code padding}. */
    int paddingW() default 0;
    /** PyTorch's {@code output_padding}: added to one side of the output on every axis; smaller than the stride or the dilation. */
    int outputPadding() default 0;
    /** Output padding along depth; defaults to {@code outputPadding}. */
    int outputPaddingD() default 0;
    /** Output padding along height; defaults to {@code outputPadding}. */
    int outputPaddingH() default 0;
    /** Output padding along width; defaults to {@code outputPadding}. */
    int outputPaddingW() default 0;
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
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
