package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A 1-D transposed convolution, as PyTorch's {@code nn.ConvTranspose1d}, on a channels-first
 * input of rank 2 (C,L). Output size per axis: {@code (in − 1)·stride − 2·padding + dilation·(k
 * − 1) + outputPadding + 1}. MACs per input position: {@code in_elements · (cout / groups) ·
 * k_volume}, products that fall in the cropped padding included; FLOPs: {@code 2·MACs} less one
 * per output element that receives a product (its first needs no add), plus the bias adds.
 * Parameters: {@code cin · cout / groups · k_volume} (+ {@code cout} bias). Sizes left out are derived;
 * a size written as 0 is an error (MC104).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface ConvTranspose1d {
    /** Output channels. */
    int cout() default 0;
    /** Input channels; inferred from the previous layer when omitted, checked when given. */
    int cin() default 0;
    /** Kernel size. */
    int k() default 0;
    /** Stride. */
    int stride() default 1;
    /** Zero padding. */
    int padding() default 0;
    /** PyTorch's {@code output_padding}: added to one side of the output; smaller than the stride or the dilation. */
    int outputPadding() default 0;
    /** Dilation. */
    int dilation() default 1;
    /** Groups; must divide both {@code cin} and {@code cout}. */
    int groups() default 1;
    /** Whether the layer adds a learnable bias. */
    boolean bias() default true;
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
