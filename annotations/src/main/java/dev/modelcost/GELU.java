package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gaussian error linear unit, as PyTorch's {@code nn.GELU(approximate)}: exact ({@code "none"}) or
 * with the {@code tanh} approximation. 1 other op per element either way.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface GELU {
    /** {@code "none"} (the exact erf form) or {@code "tanh"}. */
    String approximate() default "none";
}
