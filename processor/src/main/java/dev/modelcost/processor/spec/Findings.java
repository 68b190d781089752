package dev.modelcost.processor.spec;

import dev.modelcost.processor.diag.Problem;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What reading one class found: the problems it reports, and whether anything was rejected — by a
 * problem reported here, or by one reported elsewhere (by javac for an unresolved type or constant,
 * or where a block that a field uses was read). Readers return {@link Optional#empty()} for what
 * they reject, always after recording why here.
 */
final class Findings {
    private final List<Problem> sink;
    private final Findings parent;
    /** Where a problem reported here goes: the identity, or another site (a block read from a class file has no line to show). */
    private final UnaryOperator<Problem> place;
    private boolean rejected;

    private Findings(List<Problem> sink, Findings parent, UnaryOperator<Problem> place) {
        this.sink = sink;
        this.parent = parent;
        this.place = place;
    }

    /** Findings that report into {@code sink}. */
    static Findings into(List<Problem> sink) {
        return new Findings(sink, null, problem -> problem);
    }

    /** Findings of a part: what it rejects rejects this too. */
    Findings part() {
        return new Findings(sink, this, place);
    }

    /** Findings of a part whose problems are placed by {@code placed} first (then as this places its own). */
    Findings placed(UnaryOperator<Problem> placed) {
        return new Findings(sink, this, problem -> place.apply(placed.apply(problem)));
    }

    /** Reports a problem; the class is rejected. */
    void report(Problem problem) {
        sink.add(place.apply(problem));
        markRejected();
    }

    /** Reports a warning: the class is still accepted. */
    void warn(Problem problem) {
        sink.add(place.apply(problem));
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
