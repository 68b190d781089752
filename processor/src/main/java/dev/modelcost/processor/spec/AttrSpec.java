package dev.modelcost.processor.spec;

import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.expr.Expr;

/**
 * One attribute of a layer annotation as written: a literal, an expression from {@code with}, or
 * the annotation's default.
 *
 * @param name the attribute name
 * @param value its value, to evaluate in the enclosing scope
 * @param given whether the user wrote it
 * @param flag whether it is boolean
 * @param site where it was written (the annotation value), for messages
 * @param text the expression text, for messages
 */
public record AttrSpec(String name, Expr value, boolean given, boolean flag, Site site, String text) {}
