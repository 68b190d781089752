package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Log-softmax along an axis, as PyTorch's {@code nn.LogSoftmax(dim)}. 5 other ops per element
 * (max, subtract, exp, sum, log of the sum subtracted).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface LogSoftmax {
    /** The axis; counts the batch as 0; negative counts from the end. */
    int dim() default -1;
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
