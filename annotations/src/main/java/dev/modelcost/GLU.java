package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gated linear unit, as PyTorch's {@code nn.GLU(dim)}: the input split in two halves {@code a, b}
 * along {@code dim}, and {@code a · sigmoid(b)} (the convolution modules of Conformer and wav2vec 2.0).
 * The output is half the input along {@code dim}, whose size must be even; 2 other ops per output
 * element (the sigmoid and the product); no parameters.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface GLU {
    /** The axis split in two; counts the batch as 0; negative counts from the end. */
    int dim() default -1;
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
