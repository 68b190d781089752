package dev.modelcost.processor.write;

import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.counters.Reading;
import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.memory.Timeline;
import dev.modelcost.processor.roofline.Bound;
import dev.modelcost.processor.spec.BudgetLimit;
import java.util.List;

/** The Markdown report of a model: shapes, totals against the budget, and the per-layer table. */
final class MarkdownReport {
    private MarkdownReport() {}

    static String render(Results results, ReportRows.Layout layout, Timeline timeline) {
        ModelCosts costs = results.costs();
        List<Reading> readings = results.readings();
        List<Bound> bounds = results.bounds();
        Costs t = costs.totals();
        StringBuilder md = new StringBuilder();
        md.append("# ").append(costs.spec().network().simpleName()).append("\n\n");
        md.append("`").append(costs.spec().network().name()).append("`: input `")
                .append(costs.spec().inputShapes()).append("`, ")
                .append(CostClassWriter.outputWord(costs)).append(" `").append(CostClassWriter.outputShapes(costs)).append("`.\n\n");
        md.append("| figure | value | budget |\n|---|---:|---|\n");
        for (Figure figure : Figure.values()) {
            md.append("| ").append(figure).append(" | ").append(Numbers.grouped(t.get(figure))).append(" | ")
                    .append(budget(costs, readings, figure)).append(" |\n");
        }
        counters(md, readings);
        roofline(md, bounds, results);
        memory(md, results);
        sizes(md, results);
        md.append("\n## ").append(layout.title()).append("\n\n");
        row(md, ReportRows.HEADINGS);
        md.append("|---|---|---|---:|---:|---:|---:|---:|\n");
        for (ReportRows.Row row : ReportRows.of(costs, layout, timeline.nodes())) {
            row(md, code(row.cells(), 0));
        }
        return md.toString();
    }

    private static void counters(StringBuilder md, List<Reading> readings) {
        md.append("\n## ").append(CounterRows.TITLE).append("\n\n").append(CounterRows.INTRO).append("\n\n");
        row(md, CounterRows.HEADINGS);
        md.append("|---|---|---:|---:|---:|\n");
        for (List<String> cells : CounterRows.summary(readings)) {
            row(md, code(cells, 1));
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
        CounterRows.notes(readings, MarkdownReport::code).forEach(note -> md.append("- ").append(note).append('\n'));
    }

    private static void memory(StringBuilder md, Results results) {
        md.append("\n## ").append(MemoryText.TITLE).append("\n\n").append(MemoryText.INTRO).append("\n\n");
        row(md, MemoryText.HEADINGS);
        md.append("|---|---:|\n");
        MemoryText.inference(results, MarkdownReport::code).forEach(cells -> row(md, cells));
        List<List<String>> training = MemoryText.training(results);
        if (!training.isEmpty()) {
            md.append('\n');
            row(md, MemoryText.TRAINING_HEADINGS);
            md.append("|---|---:|\n");
            training.forEach(cells -> row(md, cells));
        }
    }

    private static void sizes(StringBuilder md, Results results) {
        if (results.sizes() == null) {
            return;
        }
        md.append("\n## ").append(SizesText.TITLE).append("\n\n").append(SizesText.intro(results.sizes())).append("\n\n");
        row(md, SizesText.HEADINGS);
        md.append("|---|---|\n");
        SizesText.rows(results.sizes()).forEach(cells -> row(md, code(cells, 1)));
        List<String> missing = SizesText.missing(results.sizes());
        if (!missing.isEmpty()) {
            md.append('\n');
            missing.forEach(line -> md.append("- ").append(line).append('\n'));
        }
    }

    private static void roofline(StringBuilder md, List<Bound> bounds, Results results) {
        if (bounds.isEmpty()) {
            return;
        }
        md.append("\n## ").append(RooflineText.TITLE).append("\n\n").append(RooflineText.INTRO).append("\n\n");
        row(md, RooflineText.HEADINGS);
        md.append("|---|---|---:|---:|---:|---:|\n");
        RooflineText.summary(bounds).forEach(cells -> row(md, cells));
        RooflineText.budget(results).ifPresent(line -> md.append('\n').append(prose(line)).append('\n'));
        largest(md, bounds);
        if (results.decodeBounds().isEmpty()) {
            return;
        }
        md.append("\n### ").append(RooflineText.DECODE_TITLE).append("\n\n").append(RooflineText.DECODE_INTRO).append("\n\n");
        row(md, RooflineText.HEADINGS);
        md.append("|---|---|---:|---:|---:|---:|\n");
        RooflineText.summary(results.decodeBounds()).forEach(cells -> row(md, cells));
        RooflineText.decodeBudget(results).ifPresent(line -> md.append('\n').append(prose(line)).append('\n'));
        largest(md, results.decodeBounds());
    }

    /** Each bound's largest layers, a table each. */
    private static void largest(StringBuilder md, List<Bound> bounds) {
        for (Bound bound : bounds) {
            md.append('\n').append(prose(RooflineText.largestIntro(bound))).append("\n\n");
            row(md, RooflineText.LAYER_HEADINGS);
            md.append("|---|---|---:|---|---:|---:|\n");
            for (List<String> cells : RooflineText.largest(bound)) {
                row(md, code(cells, 0));
            }
        }
    }

    /**
     * "63.5% of 500,000" for a bounded figure, "98.8% of 3,500,000 in THOP_MACS" for one bounded in a counter's convention, with
     * "; within it at every size of L = 1..8192" where {@code @Budget(over)} ranges the sizes (a report is written only where it
     * holds there); empty otherwise.
     */
    static String budget(ModelCosts costs, List<Reading> readings, Figure figure) {
        for (BudgetLimit limit : costs.spec().budget()) {
            if (limit.figure() == figure) {
                return Numbers.percent(Reports.boundedValue(limit, costs, readings), limit.limit()) + "% of " + Numbers.grouped(limit.limit())
                        + (limit.counter().isEmpty() ? "" : " in " + Reports.bounded(limit, readings))
                        + (costs.spec().rangeOf(limit.site()) == null ? "" : "; within it at every size of " + costs.spec().rangeOf(limit.site()).text());
            }
        }
        return "";
    }

    /** The cells with the one at {@code index} set as code. */
    private static List<String> code(List<String> cells, int index) {
        List<String> shown = new java.util.ArrayList<>(cells);
        shown.set(index, code(cells.get(index)));
        return shown;
    }

    /**
     * Text as a Markdown code span, so that a layer's path shows as written ({@code x<b>&amp;*}, {@code _out}): in more backticks
     * than any run of them inside, with a space inside them where the text starts or ends with one.
     */
    static String code(String text) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(longest + 1);
        String pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
        return fence + pad + text + pad + fence;
    }

    private static void row(StringBuilder md, List<String> cells) {
        md.append("| ").append(String.join(" | ", cells.stream().map(MarkdownReport::cell).toList())).append(" |\n");
    }

    /**
     * A table cell as Markdown holds it: {@link #prose}, with its pipes escaped (inside a code span too, as GitHub's tables read them
     * first).
     */
    static String cell(String text) {
        return prose(text).replace("|", "\\|");
    }

    /**
     * Text as Markdown shows it literally, so that a name written in the model ({@code @Hardware(name)}) shows as written: on one
     * line, and outside its code spans HTML's special characters as entities and Markdown's emphasis, link and escape characters
     * escaped (an underscore where it could open or close emphasis; one inside a word, {@code PEAK_ACTIVATION_BYTES}, cannot).
     */
    static String prose(String text) {
        String flat = text.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < flat.length()) {
            int open = flat.indexOf('`', at);
            int end = open;
            while (end >= 0 && end < flat.length() && flat.charAt(end) == '`') {
                end++;
            }
            int close = open < 0 ? -1 : flat.indexOf(flat.substring(open, end), end);
            if (close < 0) {
                out.append(literal(flat.substring(at)));
                break;
            }
            out.append(literal(flat.substring(at, open))).append(flat, open, close + (end - open));
            at = close + (end - open);
        }
        return out.toString();
    }

    /** Text outside a code span, escaped as {@link #prose} says. */
    private static String literal(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean wordBefore = i > 0 && Character.isLetterOrDigit(text.charAt(i - 1));
            boolean wordAfter = i + 1 < text.length() && Character.isLetterOrDigit(text.charAt(i + 1));
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\\', '*', '[', ']', '~', '`' -> out.append('\\').append(c);
                case '_' -> out.append(wordBefore && wordAfter ? "_" : "\\_");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
