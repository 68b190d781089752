package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Arguments of a block use, as {@code "name = expr"} strings (or one string with commas). The
 * expressions see the enclosing block's parameters and input dimensions.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Args {
    /** The arguments, e.g. {@code {"planes = 64", "stride = 2"}}. */
    String[] value();
}
