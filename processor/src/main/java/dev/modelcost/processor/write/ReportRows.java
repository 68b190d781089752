package dev.modelcost.processor.write;

import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.analysis.ModelCosts.Runs;
import dev.modelcost.processor.layers.Costs;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-layer table of the reports, in the style of torchinfo's summary: one row per block and
 * leaf down to a depth (deeper blocks fold into their row), with the share of the model's MACs.
 */
final class ReportRows {
    /** The column headings. */
    static final List<String> HEADINGS = List.of("layer", "kind", "output shape", "params", "MACs", "matmul MACs", "share of MACs", "live bytes");

    /** The most rows a report table shows; runs of repetitions, then deeper levels, fold until the table fits. */
    static final int MAX_ROWS = 1_000;

    /**
     * How a report table is laid out.
     *
     * @param depth the deepest level shown
     * @param runs whether runs of identical repetitions are listed one by one or as one row each
     */
    record Layout(int depth, Runs runs) {
        /** The heading of the table. */
        String title() {
            return "Layers (to depth " + depth + (runs == Runs.ONE_ROW ? "; identical repetitions in one row" : "") + ")";
        }
    }

    /**
     * One row.
     *
     * @param depth 1 for the model's own fields
     * @param path the dotted path
     * @param kind the layer kind or block class
     * @param output the output shape with the batch
     * @param totals the row's costs
     * @param share its share of the model's MACs in percent
     * @param live the activation bytes alive while a leaf runs, a block's peak, a run's the largest of its repetitions'; empty where not known
     */
    record Row(int depth, String path, String kind, String output, Costs totals, String share, String live) {
        /** The cells in {@link #HEADINGS} order, numbers grouped. */
        List<String> cells() {
            return List.of(path, kind, output, Numbers.grouped(totals.params()), Numbers.grouped(totals.macs()),
                    Numbers.grouped(totals.get(dev.modelcost.processor.layers.Figure.MATMUL_MACS)), share + "%", live);
        }
    }

    /** The longest run of identical repetitions that a table lists one by one. */
    static final int MAX_LISTED_RUN = 16;

    private ReportRows() {}

    /**
     * The deepest level, at most {@code depth}, whose table has no more than {@link #MAX_ROWS} rows,
     * listing repetitions one by one where that fits and folding runs of them where it does not.
     */
    static Layout layout(ModelCosts costs, int depth) {
        // A stack of more than MAX_LISTED_RUN identical repetitions (a decoder's layers) is one row whatever the room.
        List<Runs> choices = costs.longestRun() > MAX_LISTED_RUN ? List.of(Runs.ONE_ROW) : List.of(Runs.EXPAND, Runs.ONE_ROW);
        for (int shown = Math.max(1, depth); shown > 1; shown--) {
            for (Runs runs : choices) {
                if (costs.countNodes(shown, runs, MAX_ROWS + 1) <= MAX_ROWS) {
                    return new Layout(shown, runs);
                }
            }
        }
        // As shallow as a table goes: fold runs if it is too long and that makes it shorter.
        if (costs.countNodes(1, Runs.EXPAND, MAX_ROWS + 1) <= MAX_ROWS) {
            return new Layout(1, Runs.EXPAND);
        }
        int folded = costs.countNodes(1, Runs.ONE_ROW, Integer.MAX_VALUE);
        return new Layout(1, costs.countNodes(1, Runs.EXPAND, folded + 1) > folded ? Runs.ONE_ROW : Runs.EXPAND);
    }

    /** The rows of a layout, with the live bytes of {@code live} (by path). */
    static List<Row> of(ModelCosts costs, Layout layout, java.util.Map<String, Long> live) {
        long total = costs.totals().macs();
        List<Row> rows = new ArrayList<>();
        List<ModelCosts.Placed> placed = costs.nodes(layout.depth(), layout.runs());
        java.util.Map<String, Long> peaks = peaks(placed, live);
        for (ModelCosts.Placed row : placed) {
            Costs t = row.totals();
            Long bytes = peaks.get(row.path());
            rows.add(new Row(row.depth(), row.label(), row.kindLabel(),
                    CostClassWriter.withBatch(costs.spec().batch(), row.node().output()), t, Numbers.percent(t.macs(), total),
                    bytes == null ? "" : Numbers.grouped(bytes)));
        }
        return rows;
    }

    /**
     * The live bytes each placed node stands for, by its path: its own, and for a run of repetitions written once (and a node inside
     * its first repetition) the largest of every repetition's that {@code live} holds (a long run's first two: the second stands for
     * the rest); absent where {@code live} holds none.
     */
    static java.util.Map<String, Long> peaks(List<ModelCosts.Placed> placed, java.util.Map<String, Long> live) {
        java.util.Map<String, Long> peaks = new java.util.HashMap<>();
        // the runs met so far, by the path of their first repetition, each with the paths of all of them, innermost last
        List<java.util.Map.Entry<String, List<String>>> runs = new ArrayList<>();
        for (ModelCosts.Placed node : placed) {
            List<String> paths = List.of(node.path());
            if (node.run() != null) {
                // the repetitions the timeline holds: every one of a short run, a long run's first two (of up to billions)
                List<String> repetitions = new ArrayList<>();
                for (int i = 0; i < node.run().count(); i++) {
                    String repetition = node.repetition(i);
                    if (i >= 2 && !live.containsKey(repetition)) {
                        break;
                    }
                    repetitions.add(repetition);
                }
                runs.add(java.util.Map.entry(node.path(), repetitions));
                paths = repetitions;
            }
            // a node inside a run's first repetition stands for its place in every repetition: inner runs first
            for (int r = runs.size() - 1; r >= 0; r--) {
                String first = runs.get(r).getKey();
                List<String> each = new ArrayList<>();
                for (String path : paths) {
                    if (path.startsWith(first + ".")) {
                        runs.get(r).getValue().forEach(repetition -> each.add(repetition + path.substring(first.length())));
                    } else {
                        each.add(path);
                    }
                }
                paths = each;
            }
            Long most = null;
            for (String path : paths) {
                Long bytes = live.get(path);
                if (bytes != null && (most == null || bytes > most)) {
                    most = bytes;
                }
            }
            if (most != null) {
                peaks.put(node.path(), most);
            }
        }
        return peaks;
    }
}
