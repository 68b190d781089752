package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Picks one index along an axis and drops the axis, as {@code x.select(dim, index)} or {@code x[:, 0]}. Costs nothing. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Select {
    /** The axis; counts the batch as 0. */
    int dim() default 1;
    /** The index; negative counts from the end. */
    int index() default 0;
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
