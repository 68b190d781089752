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
     * Whether the axes of {@code tensor}, the part of a dotted name before its dot, may differ from size to size, so that
     * {@code tensor.<axis>} may be known at some sizes only (a step's own input, a field's output, which a layer that {@code @When}
     * keeps at some sizes only may change); false for a name that is no tensor here or one whose axes are fixed (a model's input).
     */
    default boolean axesMayVary(String tensor) {
        return true;
    }
}
