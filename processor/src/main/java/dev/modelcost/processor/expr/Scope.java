package dev.modelcost.processor.expr;

import java.util.Collection;
import java.util.Map;

/** The names an expression can see, with their values. */
public interface Scope {

    /** The value of a name, or null when the name is unknown. */
    Value lookup(String name);

    /** Every name this scope knows, for "did you mean" hints. */
    Collection<String> names();

    /** A scope of exactly these names, with these values. */
    static Scope of(Map<String, Value> values) {
        return new Scope() {
            @Override
            public Value lookup(String name) {
                return values.get(name);
            }

            @Override
            public Collection<String> names() {
                return values.keySet();
            }
        };
    }

    /** Why a name this scope does not know cannot be read (a static field that is not final), or null. */
    default String whyUnknown(String name) {
        return null;
    }

    /**
     * Whether {@code name}, a name without a dot or the tensor before a dotted name's dot, may be known at some sizes only: the axes
     * of a step's own input, of a field's output or of a block's input, and a block's {@code h} and {@code w}, which a layer that
     * {@code @When} keeps at some sizes only may change. False for a name whose meaning the sizes do not change: a parameter, a
     * constant, a size, a model's input and its axes, or a name that is nothing here. True unless a scope knows better.
     */
    default boolean mayVary(String name) {
        return true;
    }
}
