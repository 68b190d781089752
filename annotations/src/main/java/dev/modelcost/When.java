package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keeps a layer or block only where the condition holds; where it does not, the field passes its
 * input through unchanged (so a shortcut that is absent is the identity).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface When {
    /** A boolean expression over the parameters and input dimensions, e.g. {@code "stride != 1 || in != planes * 4"}. */
    String value();
}
