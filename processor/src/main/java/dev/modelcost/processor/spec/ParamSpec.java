package dev.modelcost.processor.spec;

import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.expr.Expr;

/**
 * A block parameter.
 *
 * @param name its name
 * @param fallback its default as an expression, or null when every use must pass it
 * @param fallbackText the default as written, for messages
 * @param site the field and its {@code @Param}
 * @param decimal whether it is declared {@code double} (a width multiplier) rather than {@code int}
 */
public record ParamSpec(String name, Expr fallback, String fallbackText, Site site, boolean decimal) {

    /** An {@code int} parameter. */
    public ParamSpec(String name, Expr fallback, String fallbackText, Site site) {
        this(name, fallback, fallbackText, site, false);
    }
}
