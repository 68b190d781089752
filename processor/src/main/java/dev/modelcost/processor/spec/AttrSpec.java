package dev.modelcost.processor.spec;

import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.expr.Expr;

/**
 * One attribute of an operation annotation as written: a literal, an expression from {@code with},
 * or the annotation's default.
 *
 * @param name the attribute name
 * @param value its value, to evaluate in the enclosing scope (null for text)
 * @param given whether the user wrote it
 * @param type what it holds
 * @param site where it was written (the annotation value), for messages
 * @param text the expression text, for messages, or the text of a text attribute
 */
public record AttrSpec(String name, Expr value, boolean given, Type type, Site site, String text) {

    /** What an attribute holds, by its declared type in the annotation. */
    public enum Type {
        /** {@code int} or {@code long}. */
        NUMBER,
        /** {@code boolean}. */
        FLAG,
        /** {@code int[]}. */
        LIST,
        /** {@code String}: a choice such as GELU's {@code approximate}; literal only. */
        TEXT
    }
}
