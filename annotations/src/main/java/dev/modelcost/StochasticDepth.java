package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Stochastic depth, as torchvision's {@code StochasticDepth(p, mode)}: the identity at inference. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface StochasticDepth {
    /** Drop probability (no effect on shapes or costs). */
    double p() default 0.0;
    /** {@code "row"} or {@code "batch"} (no effect on shapes or costs). */
    String mode() default "row";
}
