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
        super(diagnostic.format(args), null, false, false);
        this.diagnostic = diagnostic;
        this.site = site;
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
