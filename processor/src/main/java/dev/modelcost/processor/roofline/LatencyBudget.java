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
        return breaches(costs, bounds, decodeBounds).stream().map(Breach::problem).toList();
    }

    /**
     * The latency bounds over their budgets, the forward pass's first: {@code bounds} are the model's roofline bounds,
     * {@code decodeBounds} one decoding step's (none for a model that generates nothing, see {@link #nothingBounded}).
     */
    public static List<Breach> breaches(ModelCosts costs, List<Bound> bounds, List<Bound> decodeBounds) {
        List<Breach> breaches = new java.util.ArrayList<>();
        for (RooflineSpec.LatencyLimit forward : costs.spec().roofline().latencies()) {
            breach(forward, Rooflines.find(bounds, forward.hardware()), "", "maxLatencySeconds").ifPresent(breaches::add);
        }
        for (RooflineSpec.LatencyLimit decode : decodeBounds.isEmpty() ? List.<RooflineSpec.LatencyLimit>of() : costs.spec().roofline().decodeLatencies()) {
            breach(decode, Rooflines.find(decodeBounds, decode.hardware()), "of one decoding step ", "maxDecodeLatencySeconds").ifPresent(breaches::add);
        }
        return breaches;
    }

    /**
     * A latency bound over its budget.
     *
     * @param limit the budget's bound
     * @param bound the roofline bound that breaks it
     * @param what what is bounded, as the message says it ({@code ""} for the forward pass, {@code "of one decoding step "})
     * @param attribute the bound's attribute of {@code @Budget}
     */
    public record Breach(RooflineSpec.LatencyLimit limit, Bound bound, String what, String attribute) {
        /** {@link Diagnostic#LATENCY_OVER_BUDGET} on the bound's attribute. */
        public Problem problem() {
            return new Problem(Diagnostic.LATENCY_OVER_BUDGET, limit.site(), what, limit.hardware().id(), boundText(), attribute, limitText(),
                    percentOver(), peaks(), largest());
        }

        /** {@link Diagnostic#RANGE_LATENCY_OVER_BUDGET} on the bound's attribute: broken at {@code where}, the first such size of {@code over}. */
        public Problem problemOver(String where, String over) {
            return new Problem(Diagnostic.RANGE_LATENCY_OVER_BUDGET, limit.site(), what, limit.hardware().id(), where, boundText(), attribute,
                    limitText(), percentOver(), over, largest());
        }

        /** The layers that take the most time, each with its share. */
        private String largest() {
            return bound.largest().stream()
                    // A run of repetitions is one row: its time is every repetition's, so the count is said.
                    .map(layer -> layer.path() + " (" + (layer.times() > 1 ? "\u00d7" + layer.times() + ", " : "") + layer.kind() + ", "
                            + layer.limit().label() + "-bound) " + Seconds.of(layer.seconds()) + " = "
                            + Seconds.percent(layer.seconds(), bound.seconds()) + "%")
                    .collect(Collectors.joining(", "));
        }

        private String percentOver() {
            String over = Seconds.percent(bound.seconds() - limit.seconds(), limit.seconds());
            return over.equals("0.0") ? "less than 0.1" : over;
        }

        /** The bound as the message gives it: to four digits, or every digit where the limit is the same to four. */
        private String boundText() {
            return alikeToFourDigits() ? bound.seconds() + " s" : Seconds.of(bound.seconds());
        }

        /** The limit as the message gives it, as {@link #boundText()}. */
        private String limitText() {
            return alikeToFourDigits() ? limit.seconds() + " s" : Seconds.of(limit.seconds());
        }

        private boolean alikeToFourDigits() {
            return Seconds.of(bound.seconds()).equals(Seconds.of(limit.seconds()));
        }

        private String peaks() {
            return bound.efficiency() < 1 ? Seconds.percent(bound.efficiency(), 1) + "% of the peaks" : "the peaks (ideal)";
        }
    }

    /** The warning of a bound on a decoding step where the model generates nothing ({@code decodeBounds} empty), else none. */
    public static List<Problem> nothingBounded(ModelCosts costs, List<Bound> decodeBounds) {
        if (!decodeBounds.isEmpty()) {
            return List.of();
        }
        return costs.spec().roofline().decodeLatencies().stream().map(decode -> new Problem(Diagnostic.BOUND_ON_NOTHING, decode.site(),
                costs.spec().network().simpleName(), "maxDecodeLatencySeconds", "the latency bound of one decoding step", "it generates "
                + "nothing: it keeps no KV cache and has no recurrent layer of one direction, or its output holds no positions")).toList();
    }

    private static java.util.Optional<Breach> breach(RooflineSpec.LatencyLimit limit, Bound bound, String what, String attribute) {
        return bound.seconds() <= limit.seconds() ? java.util.Optional.empty() : java.util.Optional.of(new Breach(limit, bound, what, attribute));
    }
}
