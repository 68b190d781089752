package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares an {@code int} field of a {@link Block} as a named parameter. Without a default, every
 * use must pass it. A default is a literal ({@code @Param(1)}) or an expression over the
 * parameters declared before it and the input dimensions ({@code @Param(expr = "in * 4")}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Param {
    /** The default value. */
    int value() default 0;

    /** The default value as an expression. */
    String expr() default "";
}
