package dev.modelcost.processor.write;

import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.spec.BudgetLimit;
import java.util.List;

/** The Markdown report of a model: shapes, totals against the budget, and the per-layer table. */
final class MarkdownReport {
    private MarkdownReport() {}

    static String render(ModelCosts costs, ReportRows.Layout layout) {
        Costs t = costs.totals();
        StringBuilder md = new StringBuilder();
        md.append("# ").append(costs.spec().network().simpleName()).append("\n\n");
        md.append("`").append(costs.spec().network().name()).append("`: input `")
                .append(costs.spec().inputShapes()).append("`, output `")
                .append(CostClassWriter.withBatch(costs.spec().batch(), costs.output())).append("`.\n\n");
        md.append("| figure | value | budget |\n|---|---:|---|\n");
        for (Figure figure : Figure.values()) {
            md.append("| ").append(figure).append(" | ").append(Numbers.grouped(t.get(figure))).append(" | ")
                    .append(budget(costs, figure)).append(" |\n");
        }
        md.append("\n## ").append(layout.title()).append("\n\n");
        row(md, ReportRows.HEADINGS);
        md.append("|---|---|---|---:|---:|---:|---:|\n");
        for (ReportRows.Row row : ReportRows.of(costs, layout)) {
            List<String> cells = row.cells();
            List<String> shown = new java.util.ArrayList<>(cells);
            shown.set(0, "`" + cells.get(0) + "`");
            row(md, shown);
        }
        return md.toString();
    }

    /** "63.5% of 500,000" for a bounded figure, empty otherwise. */
    static String budget(ModelCosts costs, Figure figure) {
        for (BudgetLimit limit : costs.spec().budget()) {
            if (limit.figure() == figure) {
                return Numbers.percent(costs.totals().get(figure), limit.limit()) + "% of " + Numbers.grouped(limit.limit());
            }
        }
        return "";
    }

    private static void row(StringBuilder md, List<String> cells) {
        md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
}
