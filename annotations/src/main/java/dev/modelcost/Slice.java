package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A slice along an axis, as {@code x[:, start:end:step]} with Python's clamping. Costs nothing. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Slice {
    /** The axis; counts the batch as 0. */
    int dim() default 1;
    /** The first index; negative counts from the end. */
    int start() default 0;
    /** The index after the last; negative counts from the end; past the end means the end. */
    int end() default Integer.MAX_VALUE;
    /** The step. */
    int step() default 1;
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
