package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Addition of a constant, as {@code x + c} or {@code x - c}: DiT's adaLN modulation {@code x * (1 + scale) + shift}, whose
 * {@code 1 + scale} is this, or a variance's {@code var + eps}. 1 other op per element; no parameters; an operator the
 * counters' module hooks do not see, as {@link Scale} is.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface AddConstant {
    /** The constant (no effect on costs). */
    double value() default 0.0;
}
