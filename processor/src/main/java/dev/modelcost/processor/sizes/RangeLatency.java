package dev.modelcost.processor.sizes;

import dev.modelcost.processor.analysis.Analyzer;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.roofline.Bound;
import dev.modelcost.processor.roofline.LatencyBudget;
import dev.modelcost.processor.roofline.Rooflines;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.RooflineSpec;
import dev.modelcost.processor.spec.SizeRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks {@code @Budget(maxLatencySeconds)} and {@code @Budget(maxDecodeLatencySeconds)} over the sizes of {@code @Budget(over)} by
 * compiling the model at each size, in the order the ranges are written (the last varying fastest), up to {@value #MOST_SIZES}
 * sizes. A roofline bound is a sum over the layers of the larger of two times, each a layer's own figure, so no closed form of the
 * model's totals gives it: the bound at a size is the one a model compiled at that size has.
 */
final class RangeLatency {
    /** The most sizes compiled one by one; a longer range's latency is refused with {@link Diagnostic#RANGE_WITHOUT_FORM}. */
    static final long MOST_SIZES = 512;

    private RangeLatency() {}

    /**
     * The range of one variable written with a step that takes at most {@link #MOST_SIZES} sizes ({@code " (L = 1..8192 step 17)"}),
     * for a fix; empty for several ranges.
     */
    private static String stepped(SizeRange over) {
        if (over.ranges().size() != 1) {
            return "";
        }
        SizeRange.Range range = over.ranges().get(0);
        long step = range.step() * ((range.count() + MOST_SIZES - 1) / MOST_SIZES);
        long last = range.from() + (range.to() - range.from()) / step * step;
        return " (" + String.join(" = ", range.variables()) + " = " + (range.to() - (last - range.from())) + ".." + range.to() + " step " + step + ")";
    }

    /**
     * The first size of the ranges {@code over} at which each latency bound of their {@code @Budget} breaks, or why the ranges cannot
     * be checked; none where they hold. The ranges lie where the closed forms or the size program answer ({@link RangeBudget} has
     * checked them).
     */
    static List<Problem> check(ModelSpec spec, SizeForms forms, SizeRange over, Analyzer analyzer) {
        RooflineSpec roofline = spec.roofline();
        List<RooflineSpec.LatencyLimit> limits = new ArrayList<>();
        List<String> attributes = new ArrayList<>();
        for (RooflineSpec.LatencyLimit latency : roofline.latencies()) {
            if (over.sameAttribute(spec.rangeOf(latency.site()))) {
                limits.add(latency);
                attributes.add("maxLatencySeconds");
            }
        }
        for (RooflineSpec.LatencyLimit decode : roofline.decodeLatencies()) {
            if (over.sameAttribute(spec.rangeOf(decode.site()))) {
                limits.add(decode);
                attributes.add("maxDecodeLatencySeconds");
            }
        }
        if (limits.isEmpty()) {
            return List.of();
        }
        long sizes = RangeBudget.count(over);
        if (sizes > MOST_SIZES) {
            List<Problem> problems = new ArrayList<>();
            for (int i = 0; i < limits.size(); i++) {
                problems.add(new Problem(Diagnostic.RANGE_WITHOUT_FORM, limits.get(i).site(), attributes.get(i), over.text(), String.format(
                        Locale.ROOT, "the latency bound, a sum of maxima over layers, has no closed form, and the model is compiled at each size "
                        + "of the range for it, up to %,d sizes; this range has %,d", MOST_SIZES, sizes), String.format(Locale.ROOT,
                        "give ranges of at most %,d sizes in all, with a larger step%s", MOST_SIZES, stepped(over))));
            }
            return problems;
        }
        Analyzer fresh = analyzer.fresh();
        List<SizeRange.Range> ranges = over.ranges();
        long[] counts = ranges.stream().mapToLong(SizeRange.Range::count).toArray();
        long[] t = new long[ranges.size()];
        List<Problem> problems = new ArrayList<>();
        // Each bound of this budget broken once, at its first size; the model's other bounds have ranges of their own, or none.
        List<RooflineSpec.LatencyLimit> broken = new ArrayList<>();
        do {
            long[] at = RangeBudget.sizesAt(ranges, forms, t);
            String where = RangeBudget.where(at, forms);
            ModelCosts costs;
            List<LatencyBudget.Breach> breaches;
            try {
                costs = fresh.analyze(spec.at(at));
                List<Bound> bounds = Rooflines.of(costs);
                breaches = LatencyBudget.breaches(costs, bounds, Rooflines.decode(costs, bounds));
            } catch (Problem problem) {
                // the network does not exist there, or a figure passes 64 bits: the processor refuses the model at that size
                return List.of(new Problem(Diagnostic.SIZE_RANGE, over.site(), over.text(), "takes " + where + ", where the processor refuses the "
                        + "model: " + problem.getMessage().replaceFirst("^\\[MC\\d{3}\\] ", "").replaceFirst(" \\(fix: .*$", ""),
                        "keep the range where the model compiles"));
            }
            for (LatencyBudget.Breach breach : breaches) {
                if (limits.contains(breach.limit()) && !broken.contains(breach.limit())) {
                    broken.add(breach.limit());
                    problems.add(breach.problemOver(where, over.text()));
                }
            }
        } while (broken.size() < limits.size() && RangeBudget.next(t, counts));
        return problems;
    }
}
