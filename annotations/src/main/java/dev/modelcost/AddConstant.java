package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Addition of a constant, as {@code x + c} or {@code x - c}: DiT's adaLN modulation {@code x * (1 + scale) + shift}, whose
 * {@code 1 + scale} is this, a variance's {@code var + eps}, or OPT's position ids offset by 2 before their embedding (token
 * ids stay ids under an integral constant, their largest known moved by it; another constant makes them values, as PyTorch
 * promotes them). 1 other op per element; no parameters; an operator the counters' module hooks do not see, as {@link Scale} is.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface AddConstant {
    /** The constant (no effect on costs). */
    double value() default 0.0;
}
