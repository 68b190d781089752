package dev.modelcost.processor.diag;

/**
 * A catalogued diagnostic with its site, thrown where a spec turns out to be wrong and reported
 * by the processor once, at the top of the model being processed.
 */
public final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Diagnostic diagnostic;
    private final transient Site site;
    private final transient java.util.List<Site> also;
    private final boolean anySize;

    /** A problem with its catalogue entry, site and the entry's arguments. */
    public Problem(Diagnostic diagnostic, Site site, Object... args) {
        this(diagnostic, site, diagnostic.format(args));
    }

    private Problem(Diagnostic diagnostic, Site site, String message, java.util.List<Site> also, boolean anySize) {
        super(message, null, false, false);
        this.diagnostic = diagnostic;
        this.site = site;
        this.also = java.util.List.copyOf(also);
        this.anySize = anySize;
    }

    private Problem(Diagnostic diagnostic, Site site, String message) {
        this(diagnostic, site, message, java.util.List.of(), false);
    }

    /** The same problem at another site, its text followed by {@code context}. */
    public Problem at(Site other, String context) {
        return new Problem(diagnostic, other, getMessage() + context, java.util.List.of(), anySize);
    }

    /** The same problem at the same sites, its text followed by {@code context}. */
    public Problem followedBy(String context) {
        return new Problem(diagnostic, site, getMessage() + context, also, anySize);
    }

    /** The same problem, reported at {@code other} as well. */
    public Problem alsoAt(Site other) {
        java.util.List<Site> more = new java.util.ArrayList<>(also);
        more.add(other);
        return new Problem(diagnostic, site, getMessage(), more, anySize);
    }

    /** The same problem, marked as a mistake in the spec whatever the sizes ({@link #anySize()}). */
    public Problem atAnySize() {
        return new Problem(diagnostic, site, getMessage(), also, true);
    }

    /**
     * Whether the problem is a mistake in the spec whatever the sizes: a name that means nothing whatever the sizes, a number written
     * that no layer takes, an attribute left out, a text, rate or layout that is none of its values. Met only at other sizes than
     * the declared ones (a layer kept by {@code @When} there alone), it is still an error; any other problem met there says that the
     * network does not exist at that size.
     */
    public boolean anySize() {
        return anySize;
    }

    /** The other places the problem is reported at, in order; empty for most. */
    public java.util.List<Site> also() {
        return also;
    }

    /** The catalogue entry. */
    public Diagnostic diagnostic() {
        return diagnostic;
    }

    /** Where it points. */
    public Site site() {
        return site;
    }
}
