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
 */
public record ParamSpec(String name, Expr fallback, String fallbackText, Site site) {}
