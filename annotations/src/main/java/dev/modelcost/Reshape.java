package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A reshape or view, as {@code x.reshape(batch, *shape)}: the batch stays first, one size may be
 * {@code -1} (inferred). Costs nothing.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Reshape {
    /** The new shape without the batch dimension. */
    int[] shape() default {};
    /** The axis names of the result, e.g. {@code "L,H,D"}; those of the input at the same rank, else the default, when empty. */
    String layout() default "";
    /** Attributes as expressions, as in {@link Conv2d#with()}; a list attribute takes a list, {@code "shape = [n, d]"}. */
    String with() default "";
}
