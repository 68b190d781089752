package dev.modelcost.processor.roofline;

import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.spec.RooflineSpec;
import java.util.List;
import java.util.stream.Collectors;

/** Checks the roofline latency bounds against {@code @Budget(maxLatencySeconds)} and {@code @Budget(maxDecodeLatencySeconds)}. */
public final class LatencyBudget {
    private LatencyBudget() {}

    /**
     * The problems of exceeded latency bounds, none when the model fits or has no such bound: the forward pass's on
     * {@code bounds}, one decoding step's on {@code decodeBounds} (none for a model that generates nothing, see
     * {@link #nothingBounded}).
     */
    public static List<Problem> check(ModelCosts costs, List<Bound> bounds, List<Bound> decodeBounds) {
        List<Problem> problems = new java.util.ArrayList<>();
        RooflineSpec.LatencyLimit forward = costs.spec().roofline().latency();
        if (forward != null) {
            exceeds(forward, Rooflines.find(bounds, forward.hardware()), "", "maxLatencySeconds").ifPresent(problems::add);
        }
        RooflineSpec.LatencyLimit decode = costs.spec().roofline().decodeLatency();
        if (decode != null && !decodeBounds.isEmpty()) {
            exceeds(decode, Rooflines.find(decodeBounds, decode.hardware()), "of one decoding step ", "maxDecodeLatencySeconds").ifPresent(problems::add);
        }
        return problems;
    }

    /** The warning of a bound on a decoding step where the model generates nothing ({@code decodeBounds} empty), else none. */
    public static List<Problem> nothingBounded(ModelCosts costs, List<Bound> decodeBounds) {
        RooflineSpec.LatencyLimit decode = costs.spec().roofline().decodeLatency();
        if (decode == null || !decodeBounds.isEmpty()) {
            return List.of();
        }
        return List.of(new Problem(Diagnostic.BOUND_ON_NOTHING, decode.site(), costs.spec().network().simpleName(), "maxDecodeLatencySeconds",
                "the latency bound of one decoding step", "it generates nothing: it keeps no KV cache and has no recurrent layer of one "
                + "direction, or its output holds no positions"));
    }

    private static java.util.Optional<Problem> exceeds(RooflineSpec.LatencyLimit limit, Bound bound, String what, String attribute) {
        if (bound.seconds() <= limit.seconds()) {
            return java.util.Optional.empty();
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
        return java.util.Optional.of(new Problem(Diagnostic.LATENCY_OVER_BUDGET, limit.site(), what, limit.hardware().id(), boundText, attribute,
                limitText, over.equals("0.0") ? "less than 0.1" : over, peaks, largest));
    }
}
