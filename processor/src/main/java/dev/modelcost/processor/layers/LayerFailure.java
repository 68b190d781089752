package dev.modelcost.processor.layers;

import dev.modelcost.processor.diag.Diagnostic;

/**
 * A layer's formula rejecting its attributes or input: the catalogue entry, the attribute at fault
 * (or null for the layer as a whole), and the entry's arguments after the leading path.
 */
public final class LayerFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Diagnostic diagnostic;
    private final String attribute;
    private final transient Object[] args;
    private final boolean anySize;

    /** A failure of the given entry, pointing at an attribute (or null). */
    public LayerFailure(Diagnostic diagnostic, String attribute, Object... args) {
        this(false, diagnostic, attribute, args);
    }

    private LayerFailure(boolean anySize, Diagnostic diagnostic, String attribute, Object[] args) {
        super(diagnostic.tag(), null, false, false);
        this.diagnostic = diagnostic;
        this.attribute = attribute;
        this.args = args.clone();
        this.anySize = anySize;
    }

    /** The same failure, a mistake in the spec whatever the sizes ({@link dev.modelcost.processor.diag.Problem#anySize()}). */
    public LayerFailure atAnySize() {
        return new LayerFailure(true, diagnostic, attribute, args);
    }

    /** Whether it is a mistake in the spec whatever the sizes. */
    public boolean anySize() {
        return anySize;
    }

    /** The catalogue entry. */
    public Diagnostic diagnostic() {
        return diagnostic;
    }

    /** The attribute at fault, or null. */
    public String attribute() {
        return attribute;
    }

    /** The entry's arguments after the path. */
    public Object[] args() {
        return args.clone();
    }
}
