package dev.modelcost.processor.write;

import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.layers.Totals;
import dev.modelcost.processor.spec.BudgetLimit;
import java.util.List;

/** The Markdown report of a model: shapes, totals against the budget, and the per-layer table. */
final class MarkdownReport {
    private MarkdownReport() {}

    static String render(ModelCosts costs, ReportRows.Layout layout) {
        Totals t = costs.totals();
        StringBuilder md = new StringBuilder();
        md.append("# ").append(costs.spec().network().simpleName()).append("\n\n");
        md.append("`").append(costs.spec().network().name()).append("`: input `")
                .append(CostClassWriter.withBatch(costs.spec().batch(), costs.spec().input())).append("`, output `")
                .append(CostClassWriter.withBatch(costs.spec().batch(), costs.output())).append("`.\n\n");
        md.append("| figure | value | budget |\n|---|---:|---|\n");
        for (Totals.Figure figure : Totals.Figure.values()) {
            md.append("| ").append(figure).append(" | ").append(Numbers.grouped(t.figure(figure))).append(" | ")
                    .append(budget(costs, figure)).append(" |\n");
        }
        md.append("\n## ").append(layout.title()).append("\n\n");
        row(md, ReportRows.HEADINGS);
        md.append("|---|---|---|---:|---:|---:|\n");
        for (ReportRows.Row row : ReportRows.of(costs, layout)) {
            List<String> cells = row.cells();
            row(md, List.of("`" + cells.get(0) + "`", cells.get(1), cells.get(2), cells.get(3), cells.get(4), cells.get(5)));
        }
        return md.toString();
    }

    /** "63.5% of 500,000" for a bounded figure, empty otherwise. */
    static String budget(ModelCosts costs, Totals.Figure figure) {
        for (BudgetLimit limit : costs.spec().budget()) {
            if (limit.figure() == figure) {
                return Numbers.percent(costs.totals().figure(figure), limit.limit()) + "% of " + Numbers.grouped(limit.limit());
            }
        }
        return "";
    }

    private static void row(StringBuilder md, List<String> cells) {
        md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
}
