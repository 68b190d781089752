package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Swaps two axes, as {@code x.transpose(dim0, dim1)}; dims count the batch as 0. Costs nothing. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Transpose {
    /** One axis; negative counts from the end. */
    int dim0() default -2;
    /** The other axis. */
    int dim1() default -1;
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
