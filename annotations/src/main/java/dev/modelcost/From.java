package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Feeds a layer or block from an earlier field, or from the enclosing block's input
 * ({@value #INPUT}), instead of from the field just before it.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface From {
    /** The name that stands for the input of the enclosing block or model. */
    String INPUT = "input";

    /** The field name to read from, or {@value #INPUT}. */
    String value();
}
