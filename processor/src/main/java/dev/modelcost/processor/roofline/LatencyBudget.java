package dev.modelcost.processor.roofline;

import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.spec.RooflineSpec;
import java.util.List;
import java.util.stream.Collectors;

/** Checks the roofline latency bound against {@code @Budget(maxLatencySeconds)}. */
public final class LatencyBudget {
    private LatencyBudget() {}

    /** The problem of an exceeded latency bound, none when the model fits or has no such bound. */
    public static List<Problem> check(ModelCosts costs, List<Bound> bounds) {
        RooflineSpec.LatencyLimit limit = costs.spec().roofline().latency();
        if (limit == null) {
            return List.of();
        }
        Bound bound = Rooflines.find(bounds, limit.hardware());
        if (bound.seconds() <= limit.seconds()) {
            return List.of();
        }
        String largest = bound.largest().stream()
                // A run of repetitions is one row: its time is every repetition's, so the count is said.
                .map(layer -> layer.path() + " (" + (layer.times() > 1 ? "\u00d7" + layer.times() + ", " : "") + layer.kind() + ", "
                        + layer.limit().label() + "-bound) " + Seconds.of(layer.seconds()) + " = "
                        + Seconds.percent(layer.seconds(), bound.seconds()) + "%")
                .collect(Collectors.joining(", "));
        String over = Seconds.percent(bound.seconds() - limit.seconds(), limit.seconds());
        String boundText = Seconds.of(bound.seconds());
        String limitText = Seconds.of(limit.seconds());
        if (boundText.equals(limitText)) {
            // equal to four digits: every digit, so that the two differ as they do
            boundText = bound.seconds() + " s";
            limitText = limit.seconds() + " s";
        }
        String peaks = bound.efficiency() < 1 ? Seconds.percent(bound.efficiency(), 1) + "% of the peaks" : "the peaks (ideal)";
        return List.of(new Problem(Diagnostic.LATENCY_OVER_BUDGET, limit.site(), limit.hardware().id(), boundText, limitText,
                over.equals("0.0") ? "less than 0.1" : over, peaks, largest));
    }
}
