package dev.modelcost.processor.write;

import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.memory.Peak;
import dev.modelcost.processor.memory.Timeline;
import dev.modelcost.processor.training.TrainingStep;
import java.util.ArrayList;
import java.util.List;

/** The memory section of the Markdown and HTML reports as plain cells, and its chart of live bytes over the execution order. */
final class MemoryText {
    private MemoryText() {}

    /** The section's heading. */
    static final String TITLE = "Memory";

    /** The sentence under the heading. */
    static final String INTRO = "Activations alive at once as eager PyTorch holds them: an output lives from the layer that writes it to "
            + "its last reader, a block's inputs while it runs, the model's inputs throughout; views and in-place layers allocate nothing, but "
            + "a reshape PyTorch cannot view copies, and a Linear or matmul holds the copy it makes of an operand it cannot fold. "
            + "The table's last column gives the bytes alive while each layer runs (a block: its peak).";

    /** Headings of the tables. */
    static final List<String> HEADINGS = List.of("what", "bytes");
    /** The training table's headings: its last row is the step's FLOPs. */
    static final List<String> TRAINING_HEADINGS = List.of("what", "bytes, or FLOPs");

    /** The inference rows: the activation peak (its layer's path as {@code path} shows it) and what inference memory adds to it. */
    static List<List<String>> inference(Results results, java.util.function.UnaryOperator<String> path) {
        ModelCosts costs = results.costs();
        Peak peak = results.memory();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("activation peak, while " + (peak.at().isEmpty() ? "the model" : path.apply(peak.at())) + " runs (PEAK_ACTIVATION_BYTES)"
                + budget(results, "PEAK_ACTIVATION_BYTES"), Numbers.grouped(peak.bytes())));
        rows.add(List.of("of which the model's inputs", Numbers.grouped(peak.inputs())));
        rows.add(List.of("weights (WEIGHT_BYTES)", Numbers.grouped(costs.totals().get(Figure.WEIGHT_BYTES))));
        rows.add(List.of("buffers", Numbers.grouped(peak.bufferBytes(costs))));
        rows.add(List.of("KV cache (KV_CACHE_BYTES)", Numbers.grouped(costs.totals().get(Figure.KV_CACHE_BYTES))));
        rows.add(List.of("inference memory (INFERENCE_MEMORY_BYTES)" + budget(results, "INFERENCE_MEMORY_BYTES"), Numbers.grouped(peak.inference(costs))));
        return rows;
    }

    /** ", 63.2% of the budget 1,000,000" where {@code @Budget} bounds {@code figure} (and where it holds over a range, which), else empty. */
    private static String budget(Results results, String figure) {
        return Reports.otherBounds(results).stream().filter(other -> other.figure().equals(figure)).findFirst()
                .map(other -> ", " + other.percent() + "% of the budget " + Numbers.grouped(other.limit().longValue()) + Reports.within(results, other))
                .orElse("");
    }

    /** The training rows; none without {@code @Training}. */
    static List<List<String>> training(Results results) {
        ModelCosts costs = results.costs();
        TrainingStep step = results.training();
        List<List<String>> rows = new ArrayList<>();
        if (step == null) {
            return rows;
        }
        String setup = TrainingText.setup(costs.spec().training());
        rows.add(List.of("saved activations (SAVED_ACTIVATION_BYTES), " + setup, Numbers.grouped(step.savedActivations())));
        rows.add(List.of("weights (TRAINING_WEIGHT_BYTES)", Numbers.grouped(step.weights())));
        rows.add(List.of("gradients (GRADIENT_BYTES)", Numbers.grouped(step.gradients())));
        rows.add(List.of("optimizer state (OPTIMIZER_STATE_BYTES)", Numbers.grouped(step.optimizerState())));
        rows.add(List.of("buffers, fp32", Numbers.grouped(step.buffers())));
        rows.add(List.of("training memory (TRAINING_MEMORY_BYTES)" + budget(results, "TRAINING_MEMORY_BYTES"), Numbers.grouped(step.memory())));
        rows.add(List.of("training FLOPs (TRAINING_FLOPS)", Numbers.grouped(step.flops())));
        return rows;
    }

    private static final int WIDTH = 760;
    private static final int HEIGHT = 220;
    private static final int LEFT = 90;
    private static final int TOP = 16;
    private static final int BOTTOM = 30;
    /** The most steps the chart draws; a longer timeline is drawn at every n-th step's maximum. */
    static final int MAX_POINTS = 600;

    /** The live bytes over the execution order, as a step line with the peak marked. */
    static void chart(StringBuilder html, Timeline timeline, Peak peak) {
        List<Timeline.Step> steps = timeline.steps();
        if (steps.isEmpty() || peak.bytes() == 0) {
            return;
        }
        int per = (steps.size() + MAX_POINTS - 1) / MAX_POINTS;
        int points = (steps.size() + per - 1) / per;
        double width = WIDTH - LEFT - 20;
        double height = HEIGHT - TOP - BOTTOM;
        html.append("<svg font-family=\"sans-serif\" font-size=\"12\" width=\"").append(WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"Live activation bytes over the execution order\">\n");
        html.append("<text x=\"4\" y=\"").append(TOP + 10).append("\">").append(Numbers.grouped(peak.bytes())).append("</text>\n<text x=\"4\" y=\"")
                .append(HEIGHT - BOTTOM).append("\">0</text>\n<text x=\"").append(LEFT).append("\" y=\"").append(HEIGHT - 8)
                .append("\">layers in execution order").append(steps.stream().anyMatch(step -> step.times() > 1) ? " (a long run of repetitions: its first two)" : "")
                .append("</text>\n");
        html.append("<polyline fill=\"none\" stroke=\"#3b6fb6\" stroke-width=\"1.5\" points=\"");
        int peakX = -1;
        for (int p = 0; p < points; p++) {
            long max = 0;
            for (int i = p * per; i < Math.min(steps.size(), (p + 1) * per); i++) {
                max = Math.max(max, steps.get(i).bytes());
            }
            int x = (int) Math.round(LEFT + width * p / Math.max(1, points - 1));
            int y = (int) Math.round(TOP + height - height * max / peak.bytes());
            html.append(x).append(',').append(y).append(' ');
            if (max == peak.bytes() && peakX < 0) {
                peakX = x;
            }
        }
        html.append("\"/>\n");
        if (peakX >= 0) {
            html.append("<circle cx=\"").append(peakX).append("\" cy=\"").append(TOP).append("\" r=\"4\" fill=\"#c0392b\"><title>peak: ")
                    .append(HtmlReport.escape(peak.at())).append("</title></circle>\n");
            // right of the peak in the chart's left half, else left of it, so that the label stays inside the picture
            boolean left = peakX > LEFT + width / 2;
            html.append("<text x=\"").append(left ? peakX - 8 : peakX + 8).append("\" y=\"").append(TOP + 4)
                    .append(left ? "\" text-anchor=\"end" : "").append("\" fill=\"#c0392b\">").append(HtmlReport.escape(peak.at())).append("</text>\n");
        }
        html.append("</svg>\n");
    }
}
