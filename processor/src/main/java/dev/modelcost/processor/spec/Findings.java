package dev.modelcost.processor.spec;

import dev.modelcost.processor.diag.Problem;
import java.util.List;
import java.util.Optional;

/**
 * What reading one class found: the problems it reports, and whether anything was rejected — by a
 * problem reported here, or by one reported elsewhere (by javac for an unresolved type or constant,
 * or where a block that a field uses was read). Readers return {@link Optional#empty()} for what
 * they reject, always after recording why here.
 */
final class Findings {
    private final List<Problem> sink;
    private final Findings parent;
    private boolean rejected;

    private Findings(List<Problem> sink, Findings parent) {
        this.sink = sink;
        this.parent = parent;
    }

    /** Findings that report into {@code sink}. */
    static Findings into(List<Problem> sink) {
        return new Findings(sink, null);
    }

    /** Findings of a part: what it rejects rejects this too. */
    Findings part() {
        return new Findings(sink, this);
    }

    /** Reports a problem; the class is rejected. */
    void report(Problem problem) {
        sink.add(problem);
        markRejected();
    }

    /** Reports a warning: the class is still accepted. */
    void warn(Problem problem) {
        sink.add(problem);
    }

    /** Reports a problem and gives the empty result of what it rejects. */
    <T> Optional<T> reject(Problem problem) {
        report(problem);
        return Optional.empty();
    }

    /** Notes a rejection whose problem was reported elsewhere, and gives its empty result. */
    <T> Optional<T> rejectedElsewhere() {
        markRejected();
        return Optional.empty();
    }

    /** Whether anything was rejected. */
    boolean rejected() {
        return rejected;
    }

    private void markRejected() {
        rejected = true;
        if (parent != null) {
            parent.markRejected();
        }
    }
}
