package dev.modelcost.processor.diag;

/**
 * A catalogued diagnostic with its site, thrown where a spec turns out to be wrong and reported
 * by the processor once, at the top of the model being processed.
 */
public final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Diagnostic diagnostic;
    private final transient Site site;

    /** A problem with its catalogue entry, site and the entry's arguments. */
    public Problem(Diagnostic diagnostic, Site site, Object... args) {
        this(diagnostic, site, diagnostic.format(args));
    }

    private Problem(Diagnostic diagnostic, Site site, String message) {
        super(message, null, false, false);
        this.diagnostic = diagnostic;
        this.site = site;
    }

    /** The same problem at another site, its text followed by {@code context}. */
    public Problem at(Site other, String context) {
        return new Problem(diagnostic, other, getMessage() + context);
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
