package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Multiplication by a constant, as attention's {@code q * d ** -0.5} or {@code x / c}. 1 other op per
 * element; no parameters.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Scale {
    /** The factor (no effect on costs). */
    double factor() default 1.0;
}
