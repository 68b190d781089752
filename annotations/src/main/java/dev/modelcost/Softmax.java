package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Softmax along an axis, as PyTorch's {@code nn.Softmax(dim)}. 5 other ops per element. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Softmax {
    /** The axis; counts the batch as 0; negative counts from the end. */
    int dim() default -1;
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
