package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Softplus, as PyTorch's {@code nn.Softplus}. 1 other op per element.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Softplus {
    /** The sharpness (no effect on the counts). */
    double beta() default 1.0;
    /** Above it the layer is linear (no effect on the counts). */
    double threshold() default 20.0;
}
