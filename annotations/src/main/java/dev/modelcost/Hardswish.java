package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Hard swish, as PyTorch's {@code nn.Hardswish}. Keeps the shape; 1 other op per element. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Hardswish {
    /**
     * As PyTorch's {@code inplace}: the output overwrites the input, so the layer allocates no
     * memory (torchvision builds its activations so). No effect on the counts.
     */
    boolean inplace() default false;
}
