package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Scaled exponential linear unit, as PyTorch's {@code nn.SELU}: {@code scale · ELU(x, alpha)} with the
 * fixed constants of Klambauer et al. (2017). 1 other op per element; no parameters.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface SELU {
    /** As PyTorch's {@code inplace}: the output overwrites the input, so the layer allocates no memory. No effect on the counts. */
    boolean inplace() default false;
}
