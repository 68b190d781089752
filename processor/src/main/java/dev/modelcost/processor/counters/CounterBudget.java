package dev.modelcost.processor.counters;

import dev.modelcost.processor.analysis.BudgetCheck;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Suggestions;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.spec.BudgetLimit;
import dev.modelcost.processor.spec.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Checks the bounds of a {@code @Budget(counter = ...)} against that counter's reading of the model. */
public final class CounterBudget {
    private CounterBudget() {}

    /** The problem of a {@code @Budget(counter)} that names no counter modelcost reproduces, before the model is analysed. */
    public static java.util.Optional<Problem> unknownCounter(ModelSpec spec) {
        return spec.budget().stream()
                .filter(limit -> !limit.counter().isEmpty() && Counters.byId(limit.counter()).isEmpty())
                .findFirst()
                .map(limit -> new Problem(Diagnostic.UNKNOWN_COUNTER, limit.counterSite(), limit.counter(),
                        Suggestions.didYouMean(limit.counter(), Counters.ids()), String.join(", ", Counters.ids())));
    }

    /** The problems of every bound stated in a counter's convention that the model exceeds or the counter cannot give. */
    public static List<Problem> check(ModelCosts costs, List<Reading> readings) {
        List<Problem> problems = new ArrayList<>();
        for (BudgetLimit limit : costs.spec().budget()) {
            if (limit.counter().isEmpty()) {
                continue;
            }
            Reading reading = Readings.find(readings, limit.counter()).orElseThrow(); // unknown names stop before analysis
            Counter counter = reading.counter();
            boolean params = limit.figure() == Figure.PARAMS;
            if (!reading.reproduced()) {
                problems.add(new Problem(Diagnostic.COUNTER_CANNOT, limit.site(), counter.id(), limit.attribute(),
                        reading.instead(), "bound modelcost's own figure, or name a counter that runs on this model"));
            } else if (params && !counter.reportsParams()) {
                problems.add(new Problem(Diagnostic.COUNTER_CANNOT, limit.site(), counter.id(), limit.attribute(),
                        counter.id().equals("fvcore") ? counter.call() + " reports no parameter count"
                                : "modelcost keeps its parameter count under " + counter.id().replaceAll("_.*", "") + ", the same in every setting",
                        "bound maxParams in a @Budget without a counter, or name one that reports parameters"));
            } else {
                long value = params ? reading.params() : reading.value();
                if (value > limit.limit()) {
                    String constant = params ? counter.paramsConstant() : counter.constant();
                    long own = params ? costs.totals().params() : reading.macs();
                    problems.add(new Problem(Diagnostic.COUNTER_OVER_BUDGET, limit.site(), constant, value, limit.attribute(), limit.limit(),
                            counter.id(), BudgetCheck.percentOver(value, limit.limit()), params ? "PARAMS" : "MACS", own,
                            params ? "" : where(reading)));
                }
            }
        }
        return problems;
    }

    /** Where the counter's figure differs from modelcost's MACs, by category: "; thop adds BatchNorm +40". */
    private static String where(Reading reading) {
        String categories = reading.differences().entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %+,d", e.getKey().label(), e.getValue()))
                .collect(Collectors.joining(", "));
        return categories.isEmpty() ? "" : "; " + reading.counter().id() + " differs in " + categories;
    }
}
