package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Leaky rectified linear unit, as PyTorch's {@code nn.LeakyReLU}. 1 other op per element.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface LeakyReLU {
    /**
     * As PyTorch's {@code inplace}: the output overwrites the input, so the layer allocates no
     * memory (torchvision builds its activations so). No effect on the counts.
     */
    boolean inplace() default false;
    /** The slope for negative inputs (no effect on the counts). */
    double negativeSlope() default 0.01;
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
