package dev.modelcost.processor.sizes;

import dev.modelcost.ClosedForm;
import dev.modelcost.processor.analysis.BudgetCheck;
import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.spec.BudgetLimit;
import dev.modelcost.processor.spec.MemoryLimit;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.SizeRange;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks {@code @Budget} over the sizes of {@code @Budget(over)} with the figures' closed forms: the
 * first size, in the order the ranges are written, at which a bound breaks. The last range is
 * searched by bisection where the bounded figure never decreases along it (no negative coefficient
 * as a polynomial in the range's steps), by evaluating the closed form at each size otherwise; no
 * size is compiled.
 */
public final class RangeBudget {
    private RangeBudget() {}

    /** One problem per bound broken in the range, or per bound that cannot be checked over it. */
    public static List<Problem> check(ModelSpec spec, SizeForms forms) {
        List<Problem> problems = new ArrayList<>();
        SizeRange over = spec.over();
        if (over == null) {
            return problems;
        }
        List<String> names = forms.names();
        for (SizeRange.Range range : over.ranges()) {
            for (String variable : range.variables()) {
                SizeForms.Domain domain = forms.domains().get(names.indexOf(variable));
                if (!domain.contains(range.from()) || range.step() % domain.period() != 0) {
                    problems.add(new Problem(Diagnostic.SIZE_RANGE, over.site(), over.text(), "takes " + variable + " off where the closed forms "
                            + "hold, " + (domain.period() == 1 ? variable + " \u2265 " + domain.min() : "the lattice " + domain.fallback() + " + "
                            + domain.period() + "\u00b7k from " + domain.min()), "start the range on it" + (domain.period() == 1 ? ""
                            : " and step by a multiple of " + domain.period())));
                }
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        for (BudgetLimit limit : spec.budget()) {
            if (!limit.counter().isEmpty()) {
                problems.add(new Problem(Diagnostic.RANGE_WITHOUT_FORM, limit.site(), limit.attribute(), over.text(),
                        "a bound in a counter's convention (" + limit.counter() + ") has no closed form", "drop the counter or the range"));
                continue;
            }
            check(spec, forms, limit.figure().name(), limit.attribute(), limit.limit(), limit.site()).ifPresent(problems::add);
        }
        for (MemoryLimit limit : spec.roofline().memory()) {
            String figure = limit.training() ? "TRAINING_MEMORY_BYTES" : limit.inference() ? "INFERENCE_MEMORY_BYTES" : "PEAK_ACTIVATION_BYTES";
            check(spec, forms, figure, limit.attribute(), limit.limit(), limit.site()).ifPresent(problems::add);
        }
        if (spec.roofline().latency() != null) {
            problems.add(new Problem(Diagnostic.RANGE_WITHOUT_FORM, spec.roofline().latency().site(), "maxLatencySeconds", over.text(),
                    "the latency bound, a sum of maxima over layers, has no closed form", "bound the latency in a model of its own without over"));
        }
        return problems;
    }

    private static java.util.Optional<Problem> check(ModelSpec spec, SizeForms forms, String figure, String attribute, long limit, Site site) {
        SizeRange over = spec.over();
        ClosedForm form = forms.forms().get(figure);
        if (form == null) {
            return java.util.Optional.of(new Problem(Diagnostic.RANGE_WITHOUT_FORM, site, attribute, over.text(), figure + " has no closed form: "
                    + figure + " " + forms.missing().getOrDefault(figure, "is not computed for this model"), "drop the bound or the range"));
        }
        Polynomial polynomial = Polynomial.of(form);
        List<SizeRange.Range> ranges = over.ranges();
        long[] counts = ranges.stream().mapToLong(SizeRange.Range::count).toArray();
        long[] t = new long[ranges.size()];
        int last = ranges.size() - 1;
        while (true) {
            long[] sizes = sizes(forms, ranges, t);
            // Along the last range: the figure as a polynomial in its step number.
            Polynomial[] replacements = new Polynomial[sizes.length];
            for (int i = 0; i < sizes.length; i++) {
                boolean moving = ranges.get(last).variables().contains(forms.names().get(i));
                replacements[i] = moving ? Polynomial.linear(1, 0, Fraction.of(ranges.get(last).step()), Fraction.of(ranges.get(last).from()))
                        : Polynomial.constant(1, Fraction.of(sizes[i]));
            }
            Polynomial along = polynomial.substitute(replacements);
            long breaking = firstAbove(along, counts[last], limit);
            if (breaking >= 0) {
                t[last] = breaking;
                long[] at = sizes(forms, ranges, t);
                BigInteger value = form.exact(at);
                List<String> parts = new ArrayList<>();
                for (int i = 0; i < at.length; i++) {
                    parts.add(forms.names().get(i) + " = " + at[i]);
                }
                return java.util.Optional.of(new Problem(Diagnostic.RANGE_OVER_BUDGET, site, figure, String.format(Locale.ROOT, "%,d", value),
                        String.join(", ", parts), attribute, limit, value.bitLength() < 64 ? BudgetCheck.percentOver(value.longValue(), limit) : "over 100",
                        over.text()));
            }
            // The next point of the outer ranges, the last of them fastest.
            int axis = last - 1;
            while (axis >= 0 && ++t[axis] == counts[axis]) {
                t[axis] = 0;
                axis--;
            }
            if (axis < 0) {
                return java.util.Optional.empty();
            }
        }
    }

    /** The sizes at step numbers {@code t} of the ranges; variables in no range at their defaults. */
    private static long[] sizes(SizeForms forms, List<SizeRange.Range> ranges, long[] t) {
        long[] sizes = forms.variables().stream().mapToLong(v -> v.fallback()).toArray();
        for (int r = 0; r < ranges.size(); r++) {
            for (String variable : ranges.get(r).variables()) {
                sizes[forms.names().indexOf(variable)] = ranges.get(r).from() + ranges.get(r).step() * t[r];
            }
        }
        return sizes;
    }

    /** The first step {@code s < count} at which the polynomial exceeds {@code limit}, or -1. */
    private static long firstAbove(Polynomial along, long count, long limit) {
        Fraction bound = Fraction.of(limit);
        if (along.nonnegative()) {
            if (!above(along.at(count - 1), bound)) {
                return -1;
            }
            long low = -1;
            long high = count - 1;
            while (high - low > 1) {
                long mid = low + (high - low) / 2;
                if (above(along.at(mid), bound)) {
                    high = mid;
                } else {
                    low = mid;
                }
            }
            return high;
        }
        for (long s = 0; s < count; s++) {
            if (above(along.at(s), bound)) {
                return s;
            }
        }
        return -1;
    }

    private static boolean above(Fraction value, Fraction limit) {
        return value.minus(limit).signum() > 0;
    }
}
