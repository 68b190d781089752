package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The {@link Budget}s of a model that has several, each with its own range of sizes: written for
 * you when {@code @Budget} is repeated.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Budgets {
    /** The budgets, in the order written. */
    Budget[] value();
}
