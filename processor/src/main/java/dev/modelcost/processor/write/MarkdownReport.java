package dev.modelcost.processor.write;

import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.counters.Reading;
import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.spec.BudgetLimit;
import java.util.List;

/** The Markdown report of a model: shapes, totals against the budget, and the per-layer table. */
final class MarkdownReport {
    private MarkdownReport() {}

    static String render(ModelCosts costs, List<Reading> readings, ReportRows.Layout layout) {
        Costs t = costs.totals();
        StringBuilder md = new StringBuilder();
        md.append("# ").append(costs.spec().network().simpleName()).append("\n\n");
        md.append("`").append(costs.spec().network().name()).append("`: input `")
                .append(costs.spec().inputShapes()).append("`, output `")
                .append(CostClassWriter.withBatch(costs.spec().batch(), costs.output())).append("`.\n\n");
        md.append("| figure | value | budget |\n|---|---:|---|\n");
        for (Figure figure : Figure.values()) {
            md.append("| ").append(figure).append(" | ").append(Numbers.grouped(t.get(figure))).append(" | ")
                    .append(budget(costs, readings, figure)).append(" |\n");
        }
        counters(md, readings);
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

    private static void counters(StringBuilder md, List<Reading> readings) {
        md.append("\n## ").append(CounterRows.TITLE).append("\n\n").append(CounterRows.INTRO).append("\n\n");
        row(md, CounterRows.HEADINGS);
        md.append("|---|---|---:|---:|---:|\n");
        for (List<String> cells : CounterRows.summary(readings)) {
            List<String> shown = new java.util.ArrayList<>(cells);
            shown.set(1, "`" + cells.get(1) + "`");
            row(md, shown);
        }
        List<List<String>> differences = CounterRows.differences(readings);
        if (!differences.isEmpty()) {
            md.append('\n');
            List<String> headings = CounterRows.differenceHeadings(readings);
            row(md, headings);
            md.append("|---").append("|---:".repeat(headings.size() - 1)).append("|\n");
            differences.forEach(cells -> row(md, cells));
        }
        md.append('\n');
        CounterRows.notes(readings).forEach(note -> md.append("- ").append(note).append('\n'));
    }

    /** "63.5% of 500,000" for a bounded figure, "98.8% of 3,500,000 in THOP_MACS" for one bounded in a counter's convention, empty otherwise. */
    static String budget(ModelCosts costs, List<Reading> readings, Figure figure) {
        for (BudgetLimit limit : costs.spec().budget()) {
            if (limit.figure() == figure) {
                return Numbers.percent(Reports.boundedValue(limit, costs, readings), limit.limit()) + "% of " + Numbers.grouped(limit.limit())
                        + (limit.counter().isEmpty() ? "" : " in " + Reports.bounded(limit, readings));
            }
        }
        return "";
    }

    private static void row(StringBuilder md, List<String> cells) {
        md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
}
