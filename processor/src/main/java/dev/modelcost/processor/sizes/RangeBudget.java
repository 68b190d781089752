package dev.modelcost.processor.sizes;

import dev.modelcost.ClosedForm;
import dev.modelcost.SizeDomain;
import dev.modelcost.processor.analysis.BudgetCheck;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.counters.Counter;
import dev.modelcost.processor.counters.Counters;
import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.spec.BudgetLimit;
import dev.modelcost.processor.spec.MemoryLimit;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.SizeRange;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks {@code @Budget} over the sizes of {@code @Budget(over)} with the figures' closed forms: the
 * first size, in the order the ranges are written (the last varying fastest), at which a bound
 * breaks. No size is compiled, but for a latency bound ({@link RangeLatency}). Where a form never decreases over the ranges (no negative coefficient
 * in any of its parts, as polynomials in the ranges' step numbers: a maximum or minimum of such parts
 * never decreases either), the first breaking size is found by bisection, range by range; otherwise
 * the form is evaluated at each size, up to {@value #MOST_SIZES} sizes.
 */
public final class RangeBudget {
    /** The most sizes evaluated one by one, where a form may decrease somewhere in the ranges. */
    static final long MOST_SIZES = 1_000_000;

    private RangeBudget() {}

    /**
     * The warnings of bounds on a decoding figure that is 0 at every size of {@code @Budget(over)}: 0 at the declared sizes and a
     * closed form of 0 on every piece (the ranges lie on the forms' lattices, MC140 otherwise), where the bound checks nothing.
     */
    public static List<Problem> nothingBounded(ModelCosts costs, SizeForms forms) {
        List<Problem> warnings = new ArrayList<>();
        for (BudgetLimit limit : costs.spec().budget()) {
            if (costs.spec().rangeOf(limit.site()) == null) {
                continue; // checked at the declared sizes alone: BudgetCheck's
            }
            BudgetCheck.boundOnNothing(costs, limit).filter(warning -> forms.pieces().stream().allMatch(piece -> zero(piece.forms().get(limit.figure().name()))))
                    .ifPresent(warnings::add);
        }
        return warnings;
    }

    /** Whether a form is 0 at every size: each of its parts without a term of a coefficient other than 0; false where there is no form. */
    private static boolean zero(ClosedForm form) {
        return form != null && polynomials(form).allMatch(part -> java.util.stream.IntStream.range(0, part.terms()).allMatch(t -> part.coefficient(t).signum() == 0));
    }

    /** Every polynomial of a form: itself, its parts, or its parts' parts where a part of a maximum is a minimum. */
    private static java.util.stream.Stream<ClosedForm> polynomials(ClosedForm form) {
        return form.isMaximum() || form.isMinimum() ? form.parts().stream().flatMap(RangeBudget::polynomials) : java.util.stream.Stream.of(form);
    }

    /**
     * One problem per bound broken in the ranges, or per bound that cannot be checked over them; a latency bound is checked by
     * compiling the model at each size with {@code analyzer} ({@link RangeLatency}).
     */
    public static List<Problem> check(ModelSpec spec, SizeForms forms, dev.modelcost.processor.analysis.Analyzer analyzer) {
        List<Problem> problems = new ArrayList<>();
        for (SizeRange over : spec.ranges()) {
            problems.addAll(check(spec, forms, over, analyzer));
        }
        return problems;
    }

    /** The problems of the bounds of the {@code @Budget} whose ranges are {@code over}. */
    private static List<Problem> check(ModelSpec spec, SizeForms forms, SizeRange over, dev.modelcost.processor.analysis.Analyzer analyzer) {
        List<Problem> problems = new ArrayList<>();
        List<String> names = forms.names();
        if (forms.pastTurn() != null) {
            // A variable the ranges leave at its declared size, below a test that turns: the forms hold past it only.
            java.util.Set<String> ranged = new java.util.HashSet<>();
            over.ranges().forEach(range -> ranged.addAll(range.variables()));
            for (int i = 0; i < names.size(); i++) {
                SizeDomain domain = forms.domains().get(i);
                if (!ranged.contains(names.get(i)) && !domain.contains(domain.fallback())) {
                    return List.of(new Problem(Diagnostic.SIZE_RANGE, over.site(), over.text(), "leaves " + names.get(i) + " at its declared "
                            + String.format(Locale.ROOT, "%,d", domain.fallback()) + ", where the closed forms do not hold: they were established "
                            + "past a test that turns just above the declared sizes (" + forms.pastTurn().why() + ") and hold for " + domain,
                            "name " + names.get(i) + " in the range too, from " + String.format(Locale.ROOT, "%,d", domain.min())));
                }
            }
        }
        // Sizes off the forms' lattices, or below their smallest, are answered by the size program where there is one, as at(...)
        // answers them: the ranges are then checked size by size.
        boolean offLattice = forms.program() != null && offLattice(over, forms);
        for (SizeRange.Range range : over.ranges()) {
            long last = range.last();
            for (String variable : range.variables()) {
                SizeDomain domain = forms.domains().get(names.indexOf(variable));
                if (offLattice ? last > answeredUpTo(domain, last) : !startsInDomain(range, domain) || !domain.contains(last)) {
                    // Each size's domain ends where it was found with the others at their defaults, which the reason's sizes show.
                    String others = names.size() > 1 ? ", with the other sizes at their defaults, " : ", ";
                    // Off the lattice the first size out above is the program's: past its largest size, the first that fails.
                    long largest = offLattice ? domain.programMax() : domain.max();
                    String above = offLattice ? domain.aboveProgramMax() : domain.aboveMax();
                    String why = range.from() < domain.min() && !domain.belowMin().isEmpty() ? "; below " + String.format(Locale.ROOT, "%,d", domain.min()) + others
                            + domain.belowMin() : last > largest && !above.isEmpty() ? "; above " + String.format(Locale.ROOT, "%,d", largest)
                            + others + above : "";
                    problems.add(new Problem(Diagnostic.SIZE_RANGE, over.site(), over.text(), "takes " + variable + " where the closed forms "
                            + "do not hold: they hold for " + domain + why, "keep the range in it" + (domain.period() == 1 || forms.program() != null
                            ? "" : ", on the lattice, stepping by a multiple of " + domain.period())));
                    break; // one range, one error: "H = W = ..." names both sizes once
                }
            }
        }
        if (!problems.isEmpty()) {
            // A bound that breaks before the range leaves the forms' domain breaks first there, whatever lies beyond.
            Optional<SizeRange> within = withinDomain(over, forms, offLattice);
            if (within.isPresent()) {
                List<Problem> broken = check(spec, forms, within.get(), analyzer);
                if (!broken.isEmpty() && broken.stream().noneMatch(problem -> problem.diagnostic() == Diagnostic.SIZE_RANGE)) {
                    return broken;
                }
            }
        }
        if (problems.isEmpty() && !offLattice) {
            jointAxes(over, forms).ifPresent(problems::add);
        }
        if (problems.isEmpty() && !offLattice) {
            beyondLongs(over, forms).ifPresent(problems::add);
        }
        List<BudgetLimit> limits = spec.budget().stream().filter(limit -> over.sameAttribute(spec.rangeOf(limit.site()))).toList();
        List<MemoryLimit> memoryLimits = spec.roofline().memory().stream().filter(limit -> over.sameAttribute(spec.rangeOf(limit.site()))).toList();
        boolean latency = spec.roofline().allLatencies().stream().anyMatch(limit -> over.sameAttribute(spec.rangeOf(limit.site())));
        if (limits.isEmpty() && memoryLimits.isEmpty() && !latency) {
            problems.add(new Problem(Diagnostic.SIZE_RANGE, over.site(), over.text(), "bounds nothing: the budget gives no bound",
                    "give a bound to hold over the range (maxMacs, maxKvCacheBytes, ...), or drop over"));
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        // Each bound's figure: a bound in a counter's convention bounds that counter's figure; a counter that cannot give it is told
        // at the declared sizes.
        List<OffLatticeRanges.Bound> bounds = new ArrayList<>();
        for (BudgetLimit limit : limits) {
            String figure = limit.figure().name();
            if (!limit.counter().isEmpty()) {
                Optional<Counter> counter = Counters.byId(limit.counter());
                figure = counter.map(c -> limit.figure() == Figure.PARAMS ? c.paramsConstant() : c.constant()).orElse(null);
                if (figure == null || !forms.forms().containsKey(figure) && !forms.missing().containsKey(figure)) {
                    continue;
                }
            }
            bounds.add(new OffLatticeRanges.Bound(figure, limit.attribute(), limit.limit(), limit.site()));
        }
        for (MemoryLimit limit : memoryLimits) {
            String figure = limit.training() ? "TRAINING_MEMORY_BYTES" : limit.inference() ? "INFERENCE_MEMORY_BYTES" : "PEAK_ACTIVATION_BYTES";
            bounds.add(new OffLatticeRanges.Bound(figure, limit.attribute(), limit.limit(), limit.site()));
        }
        if (offLattice) {
            problems.addAll(OffLatticeRanges.check(spec, forms, over, bounds));
        } else {
            long sizes = count(over);
            for (OffLatticeRanges.Bound bound : bounds) {
                check(over, forms, bound.figure(), bound.attribute(), bound.limit(), bound.site(), sizes).ifPresent(problems::add);
            }
        }
        if (problems.stream().noneMatch(problem -> problem.diagnostic() == Diagnostic.SIZE_RANGE)) {
            // a range already refused (a size where the network does not exist) is not compiled size by size again
            problems.addAll(RangeLatency.check(spec, forms, over, analyzer));
        }
        return problems;
    }

    /**
     * The largest size of {@code domain} that a size program answers with the closed forms: its largest on the lattice where
     * {@code size} lies on it, else its largest off it ({@link SizeDomain#programMax()}).
     */
    private static long answeredUpTo(SizeDomain domain, long size) {
        return domain.onLattice(size) ? domain.max() : domain.programMax();
    }

    /**
     * The ranges {@code over} up to the forms' largest sizes, where they pass them at their end only: the first range, in which the
     * others vary, running past its variables' largest sizes, from a size in the domain and, on a lattice, by steps on it; every
     * size of the ranges before that end comes first. Empty where the ranges leave the domain otherwise.
     */
    private static Optional<SizeRange> withinDomain(SizeRange over, SizeForms forms, boolean offLattice) {
        List<SizeRange.Range> ranges = new ArrayList<>(over.ranges());
        for (int r = 0; r < ranges.size(); r++) {
            SizeRange.Range range = ranges.get(r);
            long top = Long.MAX_VALUE;
            for (String variable : range.variables()) {
                SizeDomain domain = forms.domains().get(forms.names().indexOf(variable));
                boolean onLattice = offLattice || startsInDomain(range, domain);
                long largest = offLattice ? domain.programMax() : domain.max();
                if (!onLattice || range.from() > largest) {
                    return Optional.empty();
                }
                top = Math.min(top, largest);
            }
            long last = range.last();
            if (last > top) {
                if (r > 0) {
                    return Optional.empty();
                }
                ranges.set(r, new SizeRange.Range(range.variables(), range.from(), range.from() + (top - range.from()) / range.step() * range.step(),
                        range.step()));
            }
        }
        return Optional.of(new SizeRange(over.text(), ranges, over.site()));
    }

    /**
     * The first sizes of the ranges at which a layer's axis that holds several sizes (their product or their sum) passes 2,147,483,647 positions
     * ({@link SizeForms#axes()}), where the network does not exist though each size lies in its domain.
     */
    private static Optional<Problem> jointAxes(SizeRange over, SizeForms forms) {
        long sizes = count(over);
        long[] first = null;
        SizeForms.JointAxis passing = null;
        for (SizeForms.JointAxis axis : forms.axes()) {
            Optional<long[]> beyond;
            try {
                beyond = firstAbove(axis.size(), over.ranges(), forms, Integer.MAX_VALUE, sizes);
            } catch (TooMany e) {
                return Optional.of(new Problem(Diagnostic.SIZE_RANGE, over.site(), over.text(), String.format(Locale.ROOT, "has %,d sizes, too many "
                        + "to check one by one whether %s's %s axis stays within 2,147,483,647 positions, as the network needs", sizes, axis.layer(),
                        axis.axis()), String.format(Locale.ROOT, "give ranges of at most %,d sizes in all, with a larger step", MOST_SIZES)));
            }
            // The first sizes any axis passes at, not the first axis's: a later layer's axis may hold more positions.
            if (beyond.isPresent() && (first == null || earlier(beyond.get(), first, over, forms))) {
                first = beyond.get();
                passing = axis;
            }
        }
        if (first == null) {
            return Optional.empty();
        }
        return Optional.of(new Problem(Diagnostic.SIZE_RANGE, over.site(), over.text(), "takes " + where(first, forms) + ", where the network does "
                + "not exist: " + passing.layer() + " gives " + String.format(Locale.ROOT, "%,d", passing.size().exact(first)) + " positions on its "
                + passing.axis() + " axis, above 2,147,483,647", "keep the sizes together where the network exists"));
    }

    /**
     * The first sizes of the ranges at which a figure's form passes 2^63 − 1, where the processor refuses the model (a total) or
     * {@code at(...)} cannot give the figure (a counter's), though each size lies in its domain (sizes together: H = W). Forms
     * that may decrease somewhere in the ranges are not followed.
     */
    private static Optional<Problem> beyondLongs(SizeRange over, SizeForms forms) {
        long[] first = null;
        String figure = null;
        ClosedForm passing = null;
        for (SizeForms.Piece piece : forms.pieces()) {
            for (java.util.Map.Entry<String, ClosedForm> form : piece.forms().entrySet()) {
                if (form.getKey().startsWith("OUTPUT_")) {
                    continue;
                }
                Optional<long[]> beyond;
                try {
                    beyond = firstAbove(form.getValue(), over.ranges(), forms, Long.MAX_VALUE, Long.MAX_VALUE);
                } catch (TooMany e) {
                    continue;
                }
                if (beyond.isPresent() && piece.from() <= beyond.get()[0] && beyond.get()[0] <= piece.to()
                        && (first == null || earlier(beyond.get(), first, over, forms))) {
                    first = beyond.get();
                    figure = form.getKey();
                    passing = form.getValue();
                }
            }
        }
        if (first == null) {
            return Optional.empty();
        }
        return Optional.of(new Problem(Diagnostic.SIZE_RANGE, over.site(), over.text(), "takes " + where(first, forms) + ", where " + figure
                + " would be " + String.format(Locale.ROOT, "%,d", passing.exact(first)) + ", beyond 64 bits (the processor refuses the model "
                + "there, or at(...) the figure)", "keep the sizes together where every figure fits 64 bits"));
    }

    /** Whether sizes {@code a} come before {@code b} in the order the ranges are written, the last varying fastest. */
    private static boolean earlier(long[] a, long[] b, SizeRange over, SizeForms forms) {
        for (SizeRange.Range range : over.ranges()) {
            int i = forms.names().indexOf(range.variables().get(0));
            if (a[i] != b[i]) {
                return a[i] < b[i];
            }
        }
        return false;
    }

    /** Whether {@code range} starts in {@code domain} and, where it takes more than one size, steps on its lattice. */
    private static boolean startsInDomain(SizeRange.Range range, SizeDomain domain) {
        return domain.contains(range.from()) && (range.count() == 1 || range.step() % domain.period() == 0);
    }

    /** Whether a range takes a size off its variable's lattice or below the smallest size of its domain. */
    private static boolean offLattice(SizeRange over, SizeForms forms) {
        for (SizeRange.Range range : over.ranges()) {
            for (String variable : range.variables()) {
                SizeDomain domain = forms.domains().get(forms.names().indexOf(variable));
                if (range.from() < domain.min() || !domain.onLattice(range.from()) || range.count() > 1 && range.step() % domain.period() != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** MC421 for a bound on a figure that has no closed form, with why. */
    static Problem withoutForm(SizeRange over, SizeForms forms, String figure, String attribute, Site site) {
        return new Problem(Diagnostic.RANGE_WITHOUT_FORM, site, attribute, over.text(), figure + " has no closed form: " + figure + " "
                + forms.missing().getOrDefault(figure, "is not computed for this model"), "drop the bound or the range");
    }

    /** The sizes at the ranges' step numbers {@code t}: each range's variables at {@code from + step·t}, the others at their defaults. */
    static long[] sizesAt(List<SizeRange.Range> ranges, SizeForms forms, long[] t) {
        long[] at = forms.variables().stream().mapToLong(v -> v.fallback()).toArray();
        for (int r = 0; r < ranges.size(); r++) {
            for (String variable : ranges.get(r).variables()) {
                at[forms.names().indexOf(variable)] = ranges.get(r).from() + ranges.get(r).step() * t[r];
            }
        }
        return at;
    }

    /** Moves the step numbers {@code t} to the next sizes, the last range fastest; false past the last. */
    static boolean next(long[] t, long[] counts) {
        int r = t.length - 1;
        while (r >= 0 && ++t[r] == counts[r]) {
            t[r] = 0;
            r--;
        }
        return r >= 0;
    }

    /** The number of sizes the ranges take together, at most {@link Long#MAX_VALUE}. */
    static long count(SizeRange over) {
        long sizes = 1;
        for (SizeRange.Range range : over.ranges()) {
            sizes = range.count() > Long.MAX_VALUE / sizes ? Long.MAX_VALUE : sizes * range.count();
        }
        return sizes;
    }

    /** The sizes with their variables' names: {@code H = 512, W = 512}. */
    static String where(long[] at, SizeForms forms) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < at.length; i++) {
            parts.add(forms.names().get(i) + " = " + at[i]);
        }
        return String.join(", ", parts);
    }

    private static Optional<Problem> check(SizeRange over, SizeForms forms, String figure, String attribute, long limit, Site site, long sizes) {
        ClosedForm form = forms.forms().get(figure);
        if (form == null) {
            return Optional.of(withoutForm(over, forms, figure, attribute, site));
        }
        // Piece by piece (a model of one variable whose forms change at some size), the ranges cut to each piece.
        long[] at = null;
        for (SizeForms.Piece piece : forms.pieces()) {
            List<SizeRange.Range> ranges = new ArrayList<>();
            for (SizeRange.Range range : over.ranges()) {
                long from = range.from() + Math.max(0, -Math.floorDiv(range.from() - piece.from(), range.step())) * range.step();
                long last = range.last();
                long to = Math.min(last, range.from() + Math.floorDiv(piece.to() - range.from(), range.step()) * range.step());
                if (forms.pieces().size() == 1) {
                    from = range.from();
                    to = last;
                }
                if (from <= to) {
                    ranges.add(new SizeRange.Range(range.variables(), from, to, range.step()));
                }
            }
            if (ranges.size() < over.ranges().size()) {
                continue;
            }
            Optional<long[]> breaking;
            try {
                breaking = firstAbove(piece.forms().get(figure), ranges, forms, limit, sizes);
            } catch (TooMany e) {
                return Optional.of(new Problem(Diagnostic.RANGE_WITHOUT_FORM, site, attribute, over.text(), String.format(Locale.ROOT,
                        "its %,d sizes are too many to check one by one, and %s may decrease somewhere in them", sizes, figure),
                        String.format(Locale.ROOT, "give ranges of at most %,d sizes in all, with a larger step", MOST_SIZES)));
            }
            if (breaking.isPresent()) {
                at = breaking.get();
                form = piece.forms().get(figure);
                break;
            }
        }
        if (at == null) {
            return Optional.empty();
        }
        BigInteger value = form.exact(at);
        return Optional.of(new Problem(Diagnostic.RANGE_OVER_BUDGET, site, figure, String.format(Locale.ROOT, "%,d", value), where(at, forms),
                attribute, limit, BudgetCheck.percentOver(value, limit), over.text()));
    }

    /** Thrown where the sizes are too many to evaluate one by one. */
    private static final class TooMany extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooMany() {
            super(null, null, false, false);
        }
    }

    /**
     * The first sizes of the ranges, in order, at which the form exceeds {@code limit}; the variables
     * in no range at their defaults. A maximum or minimum of parts that never decrease never decreases.
     */
    private static Optional<long[]> firstAbove(ClosedForm form, List<SizeRange.Range> ranges, SizeForms forms, long limit, long sizes) {
        // Each part as a polynomial in the ranges' step numbers t_r: each variable from + step·t_r, the others at their defaults.
        int m = ranges.size();
        Polynomial[] replacements = new Polynomial[forms.variables().size()];
        for (int i = 0; i < replacements.length; i++) {
            replacements[i] = Polynomial.constant(m, Fraction.of(forms.variables().get(i).fallback()));
            for (int r = 0; r < m; r++) {
                if (ranges.get(r).variables().contains(forms.names().get(i))) {
                    replacements[i] = Polynomial.linear(m, r, Fraction.of(ranges.get(r).step()), Fraction.of(ranges.get(r).from()));
                }
            }
        }
        // Each part as the smallest (largest) of its own parts where it is a minimum (maximum) inside the form; a polynomial as itself.
        List<List<Polynomial>> parts = form.parts().stream().map(part -> part.parts().stream().map(p -> Polynomial.of(p).substitute(replacements)).toList())
                .toList();
        boolean minimum = form.isMinimum();
        java.util.function.Function<long[], Fraction> value = t -> {
            Fraction chosen = null;
            for (List<Polynomial> part : parts) {
                chosen = pick(chosen, extremum(part, t, !minimum), minimum);
            }
            return chosen;
        };
        long[] counts = ranges.stream().mapToLong(SizeRange.Range::count).toArray();
        Fraction bound = Fraction.of(limit);
        Optional<long[]> breaking;
        if (parts.stream().flatMap(List::stream).allMatch(Polynomial::nonnegative)) {
            breaking = firstByBisection(value, counts, bound);
        } else if (sizes <= MOST_SIZES) {
            breaking = firstByScan(value, counts, bound);
        } else {
            throw new TooMany();
        }
        return breaking.map(t -> sizesAt(ranges, forms, t));
    }

    /** The smallest of the polynomials at {@code t}, or the largest where {@code smallest} is false. */
    private static Fraction extremum(List<Polynomial> polynomials, long[] t, boolean smallest) {
        Fraction chosen = null;
        for (Polynomial polynomial : polynomials) {
            chosen = pick(chosen, polynomial.at(t), smallest);
        }
        return chosen;
    }

    /** {@code v} where it is the first value or below (above, where {@code smallest} is false) the one chosen so far. */
    private static Fraction pick(Fraction chosen, Fraction v, boolean smallest) {
        return chosen == null || (smallest ? v.minus(chosen).signum() < 0 : v.minus(chosen).signum() > 0) ? v : chosen;
    }

    /**
     * The first step numbers, in order, at which a function that never decreases in any of them
     * exceeds {@code bound}: range by range, the smallest step at which the function, with the
     * later ranges at their ends, exceeds it.
     */
    private static Optional<long[]> firstByBisection(java.util.function.Function<long[], Fraction> steps, long[] counts, Fraction bound) {
        long[] t = counts.clone();
        for (int r = 0; r < t.length; r++) {
            t[r] = counts[r] - 1;
        }
        if (!above(steps.apply(t), bound)) {
            return Optional.empty();
        }
        for (int r = 0; r < t.length; r++) {
            long low = -1;
            long high = counts[r] - 1;
            while (high - low > 1) {
                long mid = low + (high - low) / 2;
                t[r] = mid;
                if (above(steps.apply(t), bound)) {
                    high = mid;
                } else {
                    low = mid;
                }
            }
            t[r] = high;
        }
        return Optional.of(t);
    }

    /** The first step numbers, the last range fastest, at which the function exceeds {@code bound}, evaluating each. */
    private static Optional<long[]> firstByScan(java.util.function.Function<long[], Fraction> steps, long[] counts, Fraction bound) {
        long[] t = new long[counts.length];
        while (true) {
            if (above(steps.apply(t), bound)) {
                return Optional.of(t);
            }
            if (!next(t, counts)) {
                return Optional.empty();
            }
        }
    }

    private static boolean above(Fraction value, Fraction limit) {
        return value.minus(limit).signum() > 0;
    }
}
