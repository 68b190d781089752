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
 * @param type what it holds, as its field is declared
 */
public record ParamSpec(String name, Expr fallback, String fallbackText, Site site, Type type) {

    /**
     * What a parameter holds: {@code int}, {@code double} (a width multiplier), {@code boolean} (a
     * flag), {@code int[]} (stage depths) or {@code String} (a layer kind's name, for {@code @LayerOf}).
     */
    public enum Type { INT, DOUBLE, BOOLEAN, LIST, TEXT }

    /** An {@code int} parameter. */
    public ParamSpec(String name, Expr fallback, String fallbackText, Site site) {
        this(name, fallback, fallbackText, site, Type.INT);
    }
}
