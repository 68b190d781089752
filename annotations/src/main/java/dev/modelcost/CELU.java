package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Continuously differentiable exponential linear unit, as PyTorch's {@code nn.CELU}:
 * {@code max(0, x) + min(0, alpha · (exp(x / alpha) − 1))}. 1 other op per element; no parameters.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface CELU {
    /** The scale of the negative part (no effect on the counts). */
    double alpha() default 1.0;
    /** As PyTorch's {@code inplace}: the output overwrites the input, so the layer allocates no memory. No effect on the counts. */
    boolean inplace() default false;
}
