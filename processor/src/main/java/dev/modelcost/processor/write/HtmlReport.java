package dev.modelcost.processor.write;

import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.analysis.ModelCosts.Runs;
import dev.modelcost.processor.counters.Reading;
import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.layers.Figure;
import java.util.ArrayList;
import dev.modelcost.processor.memory.Timeline;
import dev.modelcost.processor.roofline.Bound;
import java.util.List;
import java.util.Locale;

/**
 * The HTML report of a model: one self-contained page (no scripts, fonts or other files) with the
 * totals, an inline SVG bar chart of MACs and params per layer or block, and the per-layer table.
 */
final class HtmlReport {
    /** The chart shows the shallowest level with at least this many costly rows, up to depth 3. */
    static final int CHART_ROWS = 8;
    private static final int LABEL_WIDTH = 300;
    private static final int BAR_WIDTH = 520;
    private static final int ROW_HEIGHT = 30;

    private HtmlReport() {}

    static String render(Results results, ReportRows.Layout layout, Timeline timeline) {
        ModelCosts costs = results.costs();
        List<Reading> readings = results.readings();
        List<Bound> bounds = results.bounds();
        String name = costs.spec().network().simpleName();
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>").append(escape(name)).append(" \u2014 modelcost</title>\n")
                .append("<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem;color:#222;max-width:1100px}\n")
                .append("table{border-collapse:collapse;margin:1rem 0}td,th{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:left}\n")
                .append("td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:.95em}\n")
                .append(".macs{fill:#3b6fb6}.matmul{fill:#1b3a6b}.params{fill:#e08a2c}svg text{font-size:12px;fill:#222}\n")
                .append("</style>\n</head>\n<body>\n");
        html.append("<h1>").append(escape(name)).append("</h1>\n<p><code>").append(escape(costs.spec().network().name()))
                .append("</code>: input <code>").append(costs.spec().inputShapes())
                .append("</code>, ").append(CostClassWriter.outputWord(costs)).append(" <code>").append(escape(CostClassWriter.outputShapes(costs)))
                .append("</code>.</p>\n");
        totals(html, costs, readings);
        html.append("<h2>Where the cost is</h2>\n");
        chart(html, costs);
        counters(html, readings);
        roofline(html, bounds, results);
        html.append("<h2>").append(MemoryText.TITLE).append("</h2>\n<p>").append(escape(MemoryText.INTRO)).append("</p>\n");
        MemoryText.chart(html, timeline, results.memory());
        table(html, MemoryText.HEADINGS, MemoryText.inference(results, path -> path), 1);
        List<List<String>> training = MemoryText.training(results);
        if (!training.isEmpty()) {
            table(html, MemoryText.TRAINING_HEADINGS, training, 1);
        }
        if (results.sizes() != null) {
            html.append("<h2>").append(SizesText.TITLE).append("</h2>\n<p>").append(escape(SizesText.intro(results.sizes()))).append("</p>\n");
            table(html, SizesText.HEADINGS, SizesText.rows(results.sizes()), 2);
            for (String line : SizesText.missing(results.sizes())) {
                html.append("<p>").append(escape(line)).append("</p>\n");
            }
        }
        html.append("<h2>").append(escape(layout.title())).append("</h2>\n<table>\n<tr>");
        for (String heading : ReportRows.HEADINGS) {
            html.append("<th").append(heading.equals("layer") || heading.equals("kind") || heading.equals("output shape") ? "" : " class=\"n\"")
                    .append(">").append(escape(heading)).append("</th>");
        }
        html.append("</tr>\n");
        for (ReportRows.Row row : ReportRows.of(costs, layout, timeline.nodes())) {
            List<String> cells = row.cells();
            html.append("<tr><td style=\"padding-left:").append(row.depth() - 1).append(".2rem\"><code>").append(escape(cells.get(0)))
                    .append("</code></td><td>").append(escape(cells.get(1))).append("</td><td>").append(cells.get(2)).append("</td>");
            for (String number : cells.subList(3, cells.size())) {
                html.append("<td class=\"n\">").append(number).append("</td>");
            }
            html.append("</tr>\n");
        }
        return html.append("</table>\n</body>\n</html>\n").toString();
    }

    private static void counters(StringBuilder html, List<Reading> readings) {
        html.append("<h2>").append(CounterRows.TITLE).append("</h2>\n<p>").append(escape(CounterRows.INTRO)).append("</p>\n");
        table(html, CounterRows.HEADINGS, CounterRows.summary(readings), 2);
        List<List<String>> differences = CounterRows.differences(readings);
        if (!differences.isEmpty()) {
            table(html, CounterRows.differenceHeadings(readings), differences, 1);
        }
        List<String> notes = CounterRows.notes(readings, path -> path);
        if (!notes.isEmpty()) {
            html.append("<ul>\n");
            notes.forEach(note -> html.append("<li>").append(escape(note)).append("</li>\n"));
            html.append("</ul>\n");
        }
    }

    private static void roofline(StringBuilder html, List<Bound> bounds, Results results) {
        if (bounds.isEmpty()) {
            return;
        }
        html.append("<h2>").append(RooflineText.TITLE).append("</h2>\n<p>").append(escape(RooflineText.INTRO)).append("</p>\n");
        table(html, RooflineText.HEADINGS, RooflineText.summary(bounds), 2);
        RooflineText.budget(results).ifPresent(line -> html.append("<p>").append(escape(line)).append("</p>\n"));
        RooflineChart.render(html, bounds.get(0));
        largest(html, bounds);
        if (results.decodeBounds().isEmpty()) {
            return;
        }
        html.append("<h3>").append(RooflineText.DECODE_TITLE).append("</h3>\n<p>").append(escape(RooflineText.DECODE_INTRO)).append("</p>\n");
        table(html, RooflineText.HEADINGS, RooflineText.summary(results.decodeBounds()), 2);
        RooflineText.decodeBudget(results).ifPresent(line -> html.append("<p>").append(escape(line)).append("</p>\n"));
        largest(html, results.decodeBounds());
    }

    /** Each bound's largest layers, a table each. */
    private static void largest(StringBuilder html, List<Bound> bounds) {
        for (Bound bound : bounds) {
            html.append("<p>").append(escape(RooflineText.largestIntro(bound))).append("</p>\n");
            table(html, RooflineText.LAYER_HEADINGS, RooflineText.largest(bound), 2);
        }
    }

    /** A table whose columns from {@code firstNumber} on are right-aligned numbers. */
    private static void table(StringBuilder html, List<String> headings, List<List<String>> rows, int firstNumber) {
        html.append("<table>\n<tr>");
        for (int i = 0; i < headings.size(); i++) {
            html.append(i >= firstNumber ? "<th class=\"n\">" : "<th>").append(escape(headings.get(i))).append("</th>");
        }
        html.append("</tr>\n");
        for (List<String> row : rows) {
            html.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                html.append(i >= firstNumber ? "<td class=\"n\">" : "<td>").append(i == 0 || i == 1 && firstNumber > 1 ? "<code>" : "")
                        .append(escape(row.get(i))).append(i == 0 || i == 1 && firstNumber > 1 ? "</code>" : "").append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static void totals(StringBuilder html, ModelCosts costs, List<Reading> readings) {
        html.append("<table>\n<tr><th>figure</th><th class=\"n\">value</th><th>budget</th></tr>\n");
        for (Figure figure : Figure.values()) {
            html.append("<tr><td>").append(figure).append("</td><td class=\"n\">").append(Numbers.grouped(costs.totals().get(figure)))
                    .append("</td><td>").append(MarkdownReport.budget(costs, readings, figure)).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    /** The chart never has more bars than this; a level with more is not drawn. */
    static final int CHART_MAX_ROWS = 60;

    /**
     * The costly rows (MACs or params) of the shallowest level that has enough of them, and not too
     * many; runs of identical repetitions are one bar where listing them would be too many.
     */
    static List<ModelCosts.Placed> chartRows(ModelCosts costs) {
        List<ModelCosts.Placed> rows = List.of();
        int limit = CHART_MAX_ROWS * 4;
        for (int depth = 1; depth <= 3; depth++) {
            Runs runs = costs.countNodes(depth, Runs.EXPAND, limit) < limit ? Runs.EXPAND : Runs.ONE_ROW;
            if (depth > 1 && runs == Runs.ONE_ROW && costs.countNodes(depth, runs, limit) >= limit) {
                break;
            }
            List<ModelCosts.Placed> level = new ArrayList<>();
            for (ModelCosts.Placed placed : costs.nodes(depth, runs)) {
                Costs t = placed.node().totals();
                boolean frontier = placed.node().leaf() || placed.depth() == depth || placed.run() != null;
                if (frontier && (t.macs() > 0 || t.params() > 0)) {
                    level.add(placed);
                }
            }
            if (level.size() > CHART_MAX_ROWS && !rows.isEmpty()) {
                break;
            }
            rows = level.size() > CHART_MAX_ROWS ? level.subList(0, CHART_MAX_ROWS) : level;
            if (rows.size() >= CHART_ROWS) {
                break;
            }
        }
        return rows;
    }

    private static void chart(StringBuilder html, ModelCosts costs) {
        List<ModelCosts.Placed> rows = chartRows(costs);
        long maxMacs = 1;
        long maxParams = 1;
        for (ModelCosts.Placed row : rows) {
            maxMacs = Math.max(maxMacs, row.totals().macs());
            maxParams = Math.max(maxParams, row.totals().params());
        }
        long matmul = costs.totals().get(Figure.MATMUL_MACS);
        // The legend of matmul MACs, where there are any, needs the room of a third entry.
        int width = matmul > 0 ? LABEL_WIDTH + 720 : LABEL_WIDTH + BAR_WIDTH + 160;
        int height = rows.size() * ROW_HEIGHT + 40;
        html.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"MACs and parameters per layer\">\n",
                width, height, width, height));
        html.append(String.format(Locale.ROOT, "<rect class=\"macs\" x=\"%d\" y=\"6\" width=\"12\" height=\"10\"/><text x=\"%d\" y=\"15\">MACs (of %s)</text>\n",
                LABEL_WIDTH, LABEL_WIDTH + 18, Numbers.grouped(costs.totals().macs())));
        html.append(String.format(Locale.ROOT, "<rect class=\"params\" x=\"%d\" y=\"6\" width=\"12\" height=\"10\"/><text x=\"%d\" y=\"15\">params (of %s)</text>\n",
                LABEL_WIDTH + 240, LABEL_WIDTH + 258, Numbers.grouped(costs.totals().params())));
        if (matmul > 0) {
            html.append(String.format(Locale.ROOT, "<rect class=\"matmul\" x=\"%d\" y=\"6\" width=\"12\" height=\"10\"/><text x=\"%d\" y=\"15\">"
                    + "of which matmul MACs (%s)</text>\n", LABEL_WIDTH + 480, LABEL_WIDTH + 498, Numbers.grouped(matmul)));
        }
        int y = 32;
        for (ModelCosts.Placed row : rows) {
            Costs t = row.totals();
            html.append("<text x=\"0\" y=\"").append(y + 14).append("\">").append(escape(row.label())).append(" (").append(escape(row.kindLabel()))
                    .append(")</text>\n");
            bar(html, "macs", y + 2, t.macs(), maxMacs, Numbers.percent(t.macs(), costs.totals().macs()));
            long part = t.get(Figure.MATMUL_MACS);
            if (part > 0) {
                html.append("<rect class=\"matmul\" x=\"").append(LABEL_WIDTH).append("\" y=\"").append(y + 2).append("\" width=\"")
                        .append(Math.max(1, Math.round((double) BAR_WIDTH * part / maxMacs))).append("\" height=\"10\"><title>matmul MACs ")
                        .append(Numbers.grouped(part)).append("</title></rect>\n");
            }
            bar(html, "params", y + 14, t.params(), maxParams, Numbers.percent(t.params(), costs.totals().params()));
            y += ROW_HEIGHT;
        }
        html.append("</svg>\n");
    }

    private static void bar(StringBuilder html, String kind, int y, long value, long max, String share) {
        long length = value == 0 ? 0 : Math.max(1, Math.round((double) BAR_WIDTH * value / max));
        // Appended piece by piece: one bar per row and figure, where String.format would parse its pattern each time.
        html.append("<rect class=\"").append(kind).append("\" x=\"").append(LABEL_WIDTH).append("\" y=\"").append(y)
                .append("\" width=\"").append(length).append("\" height=\"10\"><title>").append(kind).append(' ')
                .append(Numbers.grouped(value)).append(" (").append(share).append("%)</title></rect>");
        html.append("<text x=\"").append(LABEL_WIDTH + length + 6).append("\" y=\"").append(y + 9).append("\">").append(share).append("%</text>\n");
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
