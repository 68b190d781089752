package dev.modelcost.processor.expr;

import java.util.Collection;

/** The names an expression can see, with their values. */
public interface Scope {

    /** The value of a name, or null when the name is unknown. */
    Value lookup(String name);

    /** Every name this scope knows, for "did you mean" hints. */
    Collection<String> names();
}
