package dev.modelcost.processor.write;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.hardware.Hardware;
import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.roofline.Bound;
import dev.modelcost.processor.roofline.LayerBound;
import dev.modelcost.processor.roofline.Seconds;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The roofline as the generated class and the reports write it: constants, table cells and sentences. */
final class RooflineText {
    private RooflineText() {}

    /** The reports' section heading. */
    static final String TITLE = "Roofline latency lower bound";

    /** The sentence under the heading. */
    static final String INTRO = "Per layer, max(FLOPs / peak rate, bytes moved / bandwidth), summed over the execution order: a lower bound on "
            + "an eager, unfused forward pass, never a prediction. Real kernels reach a fraction of peak, fuse layers or not, and wait "
            + "on launches and the framework; measured latency is the truth.";

    /** The heading of a decoding step's bound. */
    static final String DECODE_TITLE = "One decoding step";

    /** The sentence under it. */
    static final String DECODE_INTRO = "The same bound for generating one token per sequence, as LLM-Viewer's decode stage counts it: each "
            + "layer that decode MACs counts runs once on one new position, attention reads its whole KV cache, and every layer reads the "
            + "weights it uses (an embedding the rows it gathers, a cross-attention its query and output projections). Per token, a lower "
            + "bound on eager, unfused decoding.";

    /** Headings of the summary table. */
    static final List<String> HEADINGS = List.of("hardware", "peak used", "bandwidth", "bound", "compute-bound", "memory-bound");

    /** Headings of a bound's largest layers. */
    static final List<String> LAYER_HEADINGS = List.of("layer", "kind", "FLOPs per byte", "limit", "bound", "share");

    /** The whole model's FLOPs ({@code FLOPS + OTHER_OPS}) per byte moved; 0 when nothing moves. */
    static double intensity(Costs totals) {
        long bytes = totals.get(Figure.BYTES_MOVED);
        return bytes == 0 ? 0 : ((double) totals.flops() + totals.otherOps()) / bytes;
    }

    /** The constant of a bound's profile, e.g. {@code LATENCY_BOUND_SECONDS_H100_SXM}. */
    static String constant(Hardware hardware) {
        return "LATENCY_BOUND_SECONDS_" + hardware.id().toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** One constant per bound, its Javadoc saying how the bound splits and where the profile comes from. */
    static List<FieldSpec> constants(List<Bound> bounds) {
        List<FieldSpec> fields = new ArrayList<>();
        for (Bound bound : bounds) {
            String doc = "Roofline latency lower bound, in seconds, of one forward pass on "
                    + Javadoc.html(bound.hardware().named(rates(bound) + ", " + bandwidth(bound.hardware()) + efficiency(bound))) + ": the sum over the layers of "
                    + "max(FLOPs / peak, {@link #BYTES_MOVED} / bandwidth), " + Seconds.of(bound.seconds()) + ". "
                    + split(bound) + " A bound on eager, unfused execution, not a prediction. Profile: " + Javadoc.html(bound.hardware().source()) + ".";
            fields.add(CostClassWriter.constant(TypeName.DOUBLE, constant(bound.hardware()), doc, CodeBlock.of("$L", Numbers.exact(bound.seconds()))));
        }
        return fields;
    }

    /** The constant of a decoding step's bound on a profile, e.g. {@code DECODE_LATENCY_BOUND_SECONDS_H100_SXM}. */
    static String decodeConstant(Hardware hardware) {
        return "DECODE_" + constant(hardware);
    }

    /** The Javadoc phrase that says what a decoding step is. */
    static String decodeStep(ModelCosts costs) {
        return "one decoding step: each layer that {@link #DECODE_MACS} counts once on one new position per sequence (the batch of "
                + costs.spec().batch() + "), attention reading its whole KV cache ({@link #KV_CACHE_BYTES}) and every layer the weights it uses";
    }

    /** One constant per decoding step's bound, its Javadoc saying how the bound splits. */
    static List<FieldSpec> decodeConstants(List<Bound> bounds, ModelCosts costs) {
        List<FieldSpec> fields = new ArrayList<>();
        for (Bound bound : bounds) {
            String doc = "Roofline latency lower bound, in seconds, of " + decodeStep(costs) + ", on "
                    + Javadoc.html(bound.hardware().named(rates(bound) + ", " + bandwidth(bound.hardware()) + efficiency(bound))) + ": the sum over those layers of "
                    + "max(FLOPs / peak, bytes / bandwidth), " + Seconds.of(bound.seconds()) + " a token. " + split(bound)
                    + " A bound on eager, unfused execution, not a prediction. Profile: " + Javadoc.html(bound.hardware().source()) + ".";
            fields.add(CostClassWriter.constant(TypeName.DOUBLE, decodeConstant(bound.hardware()), doc, CodeBlock.of("$L", Numbers.exact(bound.seconds()))));
        }
        return fields;
    }

    /** The peak rates a bound used: {@code bf16 989 TFLOP/s}, several joined by commas. */
    static String rates(Bound bound) {
        if (bound.dtypes().isEmpty()) {
            return "no arithmetic";
        }
        return String.join(", ", bound.dtypes().stream()
                .map(d -> d + " " + Seconds.significant(bound.hardware().peak(d).getAsDouble() / 1e12) + (d.equals("int8") ? " TOPS" : " TFLOP/s"))
                .toList());
    }

    /** The profile's bandwidth: {@code 3350 GB/s}. */
    static String bandwidth(Hardware hardware) {
        return Seconds.significant(hardware.bandwidth() / 1e9) + " GB/s";
    }

    private static String efficiency(Bound bound) {
        return bound.efficiency() == 1.0 ? "" : ", at " + Seconds.significant(100 * bound.efficiency()) + "% of both";
    }

    /** How the bound splits: time and layers that are compute- and memory-bound. */
    static String split(Bound bound) {
        return part(bound.computeSeconds(), bound.computeLayers(), "compute-bound ") + ", " + part(bound.memorySeconds(), bound.memoryLayers(), "memory-bound ")
                + ".";
    }

    /** {@code 12.3 µs in 52 compute-bound layers}, or {@code no compute-bound layer}. */
    private static String part(double seconds, long count, String what) {
        return count == 0 ? "no " + what + "layer" : Seconds.of(seconds) + " in " + layers(count, what);
    }

    /** {@code 1 compute-bound layer}, {@code 52 compute-bound layers}. */
    private static String layers(long count, String what) {
        return Numbers.grouped(count) + " " + what + (count == 1 ? "layer" : "layers");
    }

    /** One row per bound. */
    static List<List<String>> summary(List<Bound> bounds) {
        List<List<String>> rows = new ArrayList<>();
        for (Bound bound : bounds) {
            rows.add(List.of(bound.hardware().named(bound.hardware().id()), rates(bound) + efficiency(bound),
                    bandwidth(bound.hardware()), Seconds.of(bound.seconds()),
                    part(bound.computeSeconds(), bound.computeLayers(), ""), part(bound.memorySeconds(), bound.memoryLayers(), "")));
        }
        return rows;
    }

    /** The largest layers of a bound, one row each. */
    static List<List<String>> largest(Bound bound) {
        List<List<String>> rows = new ArrayList<>();
        for (LayerBound layer : bound.largest()) {
            rows.add(List.of(layer.path() + (layer.times() > 1 ? " (\u00d7" + Numbers.grouped(layer.times()) + ")" : ""), layer.kind(),
                    intensity(layer), layer.limit().label(), Seconds.of(layer.seconds()), Seconds.percent(layer.seconds(), bound.seconds()) + "%"));
        }
        return rows;
    }

    /** A layer's FLOPs per byte, four significant digits. */
    static String intensity(LayerBound layer) {
        return Double.isInfinite(layer.intensity()) ? "\u221e" : Seconds.significant(layer.intensity());
    }

    /** The sentence above a bound's largest layers. */
    static String largestIntro(Bound bound) {
        return "Largest layers on " + bound.hardware().name() + ". " + split(bound);
    }

    /**
     * "The bound on l4, 1.972 µs, is 98.6% of the budget maxLatencySeconds = 2 µs." where {@code @Budget} bounds the latency, one
     * sentence a bound where budgets bound it on several profiles; empty otherwise.
     */
    static java.util.Optional<String> budget(Results results) {
        return budget(results, "LATENCY_SECONDS");
    }

    /** The same sentence for {@code @Budget(maxDecodeLatencySeconds)} and the bound of one decoding step; empty otherwise. */
    static java.util.Optional<String> decodeBudget(Results results) {
        return budget(results, "DECODE_LATENCY_SECONDS");
    }

    private static java.util.Optional<String> budget(Results results, String figure) {
        List<String> sentences = Reports.otherBounds(results).stream().filter(other -> other.figure().equals(figure))
                .map(other -> "The bound on " + other.hardware() + ", " + dev.modelcost.processor.roofline.Seconds.of(other.value().doubleValue())
                        + ", is " + other.percent() + "% of the budget " + other.attribute() + " = "
                        + dev.modelcost.processor.roofline.Seconds.of(other.limit().doubleValue()) + Reports.within(results, other) + ".").toList();
        return sentences.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(String.join(" ", sentences));
    }
}
