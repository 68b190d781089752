package dev.modelcost.processor.analysis;

import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.spec.BudgetLimit;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Checks a model's costs against its {@code @Budget}: one error per exceeded bound. */
public final class BudgetCheck {
    /** How many of the costliest layers a budget error lists. */
    static final int LARGEST = 5;

    private BudgetCheck() {}

    /**
     * The warnings of bounds on a decoding figure the model does not have: its KV cache or decoding MACs where no decoding step keeps
     * or runs anything (an encoder, a CNN), at the declared sizes, which are all a budget without {@code @Budget(over)} checks. A
     * budget over ranges of sizes is {@link dev.modelcost.processor.sizes.RangeBudget#nothingBounded}'s.
     */
    public static List<Problem> nothingBounded(ModelCosts costs) {
        // with sizes, the figure may be other than 0 elsewhere: what the bound checks is the declared sizes'; one over a range is
        // checked there too
        String where = costs.spec().sizes().isEmpty() ? "" : "at its declared sizes, the only ones a budget without over checks; ";
        return costs.spec().budget().stream().filter(limit -> costs.spec().rangeOf(limit.site()) == null)
                .flatMap(limit -> boundOnNothing(costs, limit, where).stream()).toList();
    }

    /** The warning of a bound on a decoding figure that is 0 at the model's declared sizes ({@link Diagnostic#BOUND_ON_NOTHING}), if it is one. */
    public static java.util.Optional<Problem> boundOnNothing(ModelCosts costs, BudgetLimit limit) {
        return boundOnNothing(costs, limit, "");
    }

    private static java.util.Optional<Problem> boundOnNothing(ModelCosts costs, BudgetLimit limit, String where) {
        boolean decoding = limit.figure() == Figure.KV_CACHE || limit.figure() == Figure.KV_CACHE_BYTES || limit.figure() == Figure.DECODE_MACS;
        if (!decoding || !limit.counter().isEmpty() || costs.totals().get(limit.figure()) != 0) {
            return java.util.Optional.empty();
        }
        String why = limit.figure() != Figure.DECODE_MACS ? "no attention a decoding step runs keeps keys and values"
                : costs.totals().macs() == 0 ? "it has no MACs at all" : "it decodes nothing, an encoder's attention seeing both ways";
        return java.util.Optional.of(new Problem(Diagnostic.BOUND_ON_NOTHING, limit.site(), costs.spec().network().simpleName(), limit.attribute(),
                limit.figure(), where + why));
    }

    /** The problems of every exceeded bound, none when the model fits. */
    public static List<Problem> check(ModelCosts costs) {
        List<Problem> problems = new ArrayList<>();
        for (BudgetLimit limit : costs.spec().budget()) {
            if (!limit.counter().isEmpty()) {
                continue; // bounds stated in a counter's convention are checked against its reading
            }
            long value = costs.totals().get(limit.figure());
            if (value > limit.limit()) {
                problems.add(new Problem(Diagnostic.OVER_BUDGET, limit.site(), limit.figure(), value, limit.attribute(),
                        limit.limit(), percentOver(value, limit.limit()), largest(costs, limit, value)));
            }
        }
        return problems;
    }

    /** How far {@code value} is over {@code limit}, in percent of the limit, to one decimal. */
    public static String percentOver(long value, long limit) {
        return percentOver(java.math.BigInteger.valueOf(value), limit);
    }

    /** As {@link #percentOver(long, long)}, for a value that may exceed 64 bits (a closed form's at a size the budget ranges over). */
    public static String percentOver(java.math.BigInteger value, long limit) {
        BigDecimal percent = new BigDecimal(value).subtract(BigDecimal.valueOf(limit))
                .multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(limit), 1, RoundingMode.HALF_UP);
        // Over by less than 0.05 %: "by 0.0%" would read as not over at all.
        return percent.signum() == 0 && value.compareTo(java.math.BigInteger.valueOf(limit)) > 0 ? "less than 0.1" : percent.toPlainString();
    }

    /** The costliest leaves; of identical repetitions only the first {@link #LARGEST} can rank, as ties keep execution order. */
    private static String largest(ModelCosts costs, BudgetLimit limit, long total) {
        return costs.rows(LARGEST).stream()
                .filter(row -> row.totals().get(limit.figure()) > 0)
                .sorted(Comparator.comparingLong((LayerRow row) -> row.totals().get(limit.figure())).reversed())
                .limit(LARGEST)
                .map(row -> String.format(java.util.Locale.ROOT, "%s (%s) %,d = %s%%", row.path(), row.kind(), row.totals().get(limit.figure()),
                        share(row.totals().get(limit.figure()), total)))
                .collect(Collectors.joining(", "));
    }

    private static String share(long part, long total) {
        return BigDecimal.valueOf(part).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(total), 1, RoundingMode.HALF_UP).toPlainString();
    }
}
