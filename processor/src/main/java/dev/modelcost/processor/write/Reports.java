package dev.modelcost.processor.write;

import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.counters.Counter;
import dev.modelcost.processor.counters.Reading;
import dev.modelcost.processor.counters.Readings;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.spec.BudgetLimit;
import dev.modelcost.processor.memory.Timeline;
import dev.modelcost.processor.roofline.Bound;
import java.util.List;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The files written beside a model's generated class, by resource name under the class output, built in memory. */
public final class Reports {
    /** The folder of every file the processor writes beside the classes. */
    public static final String FOLDER = "META-INF/modelcost/";

    /** A report file format, named in the {@code modelcost.reports} option by its extension. */
    public enum Format {
        /** The JSON report, {@code docs/report.schema.json}. */
        JSON,
        /** The Markdown report. */
        MD,
        /** The self-contained HTML report with its chart. */
        HTML;

        /** The file extension and option value, e.g. {@code json}. */
        public String extension() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The formats an option value asks for: {@code true} or {@code all} (or no value) for every
         * one, {@code false} or {@code none} for none, else a comma-separated list such as
         * {@code json,html}; empty if the value is none of these.
         */
        public static Optional<Set<Format>> parse(String value) {
            String text = value == null ? "all" : value.trim().toLowerCase(Locale.ROOT);
            if (text.equals("all") || text.equals("true")) {
                return Optional.of(EnumSet.allOf(Format.class));
            }
            if (text.equals("none") || text.equals("false")) {
                return Optional.of(EnumSet.noneOf(Format.class));
            }
            Set<Format> formats = EnumSet.noneOf(Format.class);
            for (String part : text.split(",", -1)) {
                Optional<Format> format = EnumSet.allOf(Format.class).stream().filter(f -> f.extension().equals(part.trim())).findFirst();
                if (format.isEmpty()) {
                    return Optional.empty();
                }
                formats.add(format.get());
            }
            return Optional.of(formats);
        }
    }

    private Reports() {}

    /**
     * The path, without extension, of a model's report files: {@code META-INF/modelcost/} and its qualified name, shortened for a
     * name too long for a file system ({@link dev.modelcost.processor.spec.ResourceNames}).
     */
    static String baseName(dev.modelcost.processor.spec.ModelSpec spec) {
        return FOLDER + dev.modelcost.processor.spec.ResourceNames.of(spec.network().name());
    }

    /**
     * The files to write: the per-layer {@code table} when the generated class does not hold it,
     * and the reports in {@code formats}, with the counters' {@code readings}. Tables in the reports go to {@code depth}, folded (runs of
     * repetitions in one row, then less deep) where that would list more than
     * {@link ReportRows#MAX_ROWS} rows.
     */
    public static Map<String, String> of(Results results, String table, Set<Format> formats, int depth) {
        ModelCosts costs = results.costs();
        String base = baseName(costs.spec());
        Map<String, String> files = new LinkedHashMap<>();
        if (!LayerTableText.inline(table)) {
            files.put(CostClassWriter.layerTableName(costs.spec()), table);
        }
        ReportRows.Layout layout = formats.contains(Format.MD) || formats.contains(Format.HTML) ? ReportRows.layout(costs, depth) : null;
        Timeline timeline = formats.isEmpty() ? null : results.liveness().timeline();
        for (Format format : formats) {
            String text = switch (format) {
                case JSON -> JsonReport.render(results, timeline);
                case MD -> MarkdownReport.render(results, layout, timeline);
                case HTML -> HtmlReport.render(results, layout, timeline);
            };
            files.put(base + "." + format.extension(), text);
        }
        return files;
    }

    /** The figure a bound bounds: modelcost's own, or, with {@code @Budget(counter)}, that counter's ({@code THOP_MACS}). */
    static String bounded(BudgetLimit limit, List<Reading> readings) {
        if (limit.counter().isEmpty()) {
            return limit.figure().name();
        }
        Counter counter = reading(limit, readings).counter();
        return limit.figure() == Figure.PARAMS ? counter.paramsConstant() : counter.constant();
    }

    /** The model's value of the figure a bound bounds (see {@link #bounded}). */
    static long boundedValue(BudgetLimit limit, ModelCosts costs, List<Reading> readings) {
        if (limit.counter().isEmpty()) {
            return costs.totals().get(limit.figure());
        }
        Reading reading = reading(limit, readings);
        return limit.figure() == Figure.PARAMS ? reading.params() : reading.value();
    }

    private static Reading reading(BudgetLimit limit, List<Reading> readings) {
        return Readings.find(readings, limit.counter()).orElseThrow();
    }

    /**
     * A {@code @Budget} bound on a figure of no layer: the activation peak, the inference or training memory, the latency bound on a
     * hardware profile.
     *
     * @param figure the constant it bounds, {@code PEAK_ACTIVATION_BYTES} ...; {@code LATENCY_SECONDS} for the latency bound
     * @param attribute the {@code @Budget} attribute, {@code maxPeakActivationBytes} ...
     * @param limit the bound, bytes or seconds
     * @param value the model's figure
     * @param hardware the profile of a latency bound, else null
     * @param site where the bound is written, which tells its {@code @Budget}'s range
     */
    record OtherBound(String figure, String attribute, Number limit, Number value, String hardware, dev.modelcost.processor.diag.Site site) {
        /** The value in percent of the limit, to one decimal. */
        String percent() {
            return limit instanceof Long whole ? Numbers.percent(value.longValue(), whole)
                    : dev.modelcost.processor.roofline.Seconds.percent(value.doubleValue(), limit.doubleValue());
        }
    }

    /** "; within it at every size of L = 1..8192" where a bound's {@code @Budget} holds it over a range of sizes, else empty. */
    static String within(Results results, OtherBound bound) {
        dev.modelcost.processor.spec.SizeRange range = results.costs().spec().rangeOf(bound.site());
        return range == null ? "" : "; within it at every size of " + range.text();
    }

    /** The bounds of {@code @Budget} on figures of no layer, with the model's values; a training bound only with {@code @Training}. */
    static List<OtherBound> otherBounds(Results results) {
        ModelCosts costs = results.costs();
        List<OtherBound> others = new java.util.ArrayList<>();
        for (dev.modelcost.processor.spec.MemoryLimit limit : costs.spec().roofline().memory()) {
            if (limit.training()) {
                if (results.training() != null) {
                    others.add(new OtherBound("TRAINING_MEMORY_BYTES", limit.attribute(), limit.limit(), results.training().memory(), null, limit.site()));
                }
            } else {
                others.add(new OtherBound(limit.inference() ? "INFERENCE_MEMORY_BYTES" : "PEAK_ACTIVATION_BYTES", limit.attribute(), limit.limit(),
                        limit.inference() ? results.memory().inference(costs) : results.memory().bytes(), null, limit.site()));
            }
        }
        for (dev.modelcost.processor.spec.RooflineSpec.LatencyLimit latency : costs.spec().roofline().latencies()) {
            others.add(new OtherBound("LATENCY_SECONDS", "maxLatencySeconds", latency.seconds(),
                    dev.modelcost.processor.roofline.Rooflines.find(results.bounds(), latency.hardware()).seconds(), latency.hardware().id(), latency.site()));
        }
        for (dev.modelcost.processor.spec.RooflineSpec.LatencyLimit decode : results.decodeBounds().isEmpty() ? List.<dev.modelcost.processor.spec.RooflineSpec.LatencyLimit>of()
                : costs.spec().roofline().decodeLatencies()) {
            others.add(new OtherBound("DECODE_LATENCY_SECONDS", "maxDecodeLatencySeconds", decode.seconds(),
                    dev.modelcost.processor.roofline.Rooflines.find(results.decodeBounds(), decode.hardware()).seconds(), decode.hardware().id(), decode.site()));
        }
        return others;
    }

    /** Whether a model generates: a KV cache, or a decoding step of its own (a recurrent decoder); not an image model's whole pass. */
    private static boolean generates(ModelCosts costs) {
        if (costs.totals().get(Figure.KV_CACHE) > 0) {
            return true;
        }
        try {
            return !dev.modelcost.processor.analysis.DecodeLayer.of(costs).isEmpty();
        } catch (ArithmeticException beyondLong) {
            return false;
        }
    }

    /**
     * A one-line summary of a model, for the {@code modelcost.summary} note: shapes, parameters, MACs, FLOPs, a model's KV cache in
     * bytes and one decoding step's MACs where it generates, the roofline bounds, and each bound's share of its budget.
     */
    public static String summary(Results results) {
        ModelCosts costs = results.costs();
        List<Reading> readings = results.readings();
        List<Bound> bounds = results.bounds();
        StringBuilder line = new StringBuilder("[modelcost] ").append(costs.spec().network().simpleName()).append(": ")
                .append(costs.spec().inputShapes()).append(" -> ")
                .append(CostClassWriter.outputShapes(costs))
                .append(", params ").append(Numbers.grouped(costs.totals().params()))
                .append(", MACs ").append(Numbers.grouped(costs.totals().macs()))
                .append(", FLOPs ").append(Numbers.grouped(costs.totals().flops()));
        if (generates(costs)) {
            // what serving it holds per sequence and what each generated token costs
            line.append(", KV cache ").append(Numbers.grouped(costs.totals().get(Figure.KV_CACHE_BYTES))).append(" bytes, decode MACs ")
                    .append(Numbers.grouped(costs.totals().get(Figure.DECODE_MACS)));
        }
        bounds.forEach(bound -> line.append(", ").append(dev.modelcost.processor.roofline.Seconds.of(bound.seconds())).append(" bound on ")
                .append(bound.hardware().id()));
        costs.spec().budget().forEach(limit -> line.append(", ").append(bounded(limit, readings)).append(' ')
                .append(Numbers.percent(boundedValue(limit, costs, readings), limit.limit())).append("% of budget"));
        otherBounds(results).forEach(other -> line.append(", ").append(other.figure()).append(other.hardware() == null ? "" : " on " + other.hardware())
                .append(' ').append(other.percent()).append("% of budget"));
        return line.toString();
    }
}
