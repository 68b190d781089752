package dev.modelcost.processor.write;

import dev.modelcost.processor.analysis.ModelCosts;
import java.util.LinkedHashMap;
import java.util.Map;

/** The report files of a model, by resource name under the class output, built in memory. */
public final class Reports {
    /** The folder of every file the processor writes beside the classes. */
    public static final String FOLDER = "META-INF/modelcost/";

    private Reports() {}

    /**
     * The files to write: the per-layer table that {@code LAYERS} reads, always; the JSON, Markdown
     * and HTML reports when {@code reports} is set. Tables in the reports go to {@code depth}, or
     * folded (runs of repetitions in one row, then less deep) where that would list more than
     * {@link ReportRows#MAX_ROWS} rows.
     */
    public static Map<String, String> of(ModelCosts costs, boolean reports, int depth) {
        String base = FOLDER + costs.spec().network().name();
        Map<String, String> files = new LinkedHashMap<>();
        files.put(CostClassWriter.layerTableName(costs.spec()), LayerTableText.of(costs));
        if (reports) {
            ReportRows.Layout layout = ReportRows.layout(costs, depth);
            files.put(base + ".json", JsonReport.render(costs));
            files.put(base + ".md", MarkdownReport.render(costs, layout));
            files.put(base + ".html", HtmlReport.render(costs, layout));
        }
        return files;
    }

    /** A one-line summary of a model, for the {@code modelcost.summary} note. */
    public static String summary(ModelCosts costs) {
        StringBuilder line = new StringBuilder("[modelcost] ").append(costs.spec().network().simpleName()).append(": ")
                .append(CostClassWriter.withBatch(costs.spec().batch(), costs.spec().input())).append(" -> ")
                .append(CostClassWriter.withBatch(costs.spec().batch(), costs.output()))
                .append(", params ").append(Numbers.grouped(costs.totals().params()))
                .append(", MACs ").append(Numbers.grouped(costs.totals().macs()))
                .append(", FLOPs ").append(Numbers.grouped(costs.totals().flops()));
        costs.spec().budget().forEach(limit -> line.append(", ").append(limit.figure()).append(' ')
                .append(Numbers.percent(costs.totals().figure(limit.figure()), limit.limit())).append("% of budget"));
        return line.toString();
    }
}
