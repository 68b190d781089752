package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Parametric ReLU, as PyTorch's {@code nn.PReLU}: one learned slope, or one per channel (axis
 * 1). 1 other op per element.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface PReLU {
    /** Learned slopes: 1, or the channels of the input. */
    int numParameters() default 1;
    /** The initial slope (no effect on the counts). */
    double init() default 0.25;
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
