package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a field of a {@link Block} as a named parameter, passed by {@link Args}. Without a default,
 * every use must pass it. A default is a literal ({@code @Param(1)}, for an {@code int}) or an
 * expression over the parameters declared before it and the input dimensions
 * ({@code @Param(expr = "in * 4")}), in the language of {@link Conv2d#with()}.
 *
 * <p>The field's type says what it holds: {@code int} an integer; {@code double} a
 * Python float ({@code @Param(expr = "1.0") double widthMult}); {@code boolean} a flag, for
 * {@link When} and boolean attributes; {@code int[]} a list ({@code @Args("layers = [3, 4, 6, 3]")},
 * read as {@code layers[0]}, {@code len(layers)}); {@code String} a text, such as a layer kind's name
 * for {@link LayerOf} ({@code @Args("act = 'SiLU'")}). A field of another type is MC113.
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
