package dev.modelcost.processor.write;

import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.layers.Totals;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-layer table of the reports, in the style of torchinfo's summary: one row per block and
 * leaf down to a depth (deeper blocks fold into their row), with the share of the model's MACs.
 */
final class ReportRows {
    /** The column headings. */
    static final List<String> HEADINGS = List.of("layer", "kind", "output shape", "params", "MACs", "share of MACs");

    /**
     * One row.
     *
     * @param depth 1 for the model's own fields
     * @param path the dotted path
     * @param kind the layer kind or block class
     * @param output the output shape with the batch
     * @param totals the row's costs
     * @param share its share of the model's MACs in percent
     */
    record Row(int depth, String path, String kind, String output, Totals totals, String share) {
        /** The cells in {@link #HEADINGS} order, numbers grouped. */
        List<String> cells() {
            return List.of(path, kind, output, Numbers.grouped(totals.params()), Numbers.grouped(totals.macs()), share + "%");
        }
    }

    private ReportRows() {}

    /** The most rows a report table shows; deeper levels fold until the table fits. */
    static final int MAX_ROWS = 1_000;

    /** The deepest level, at most {@code depth}, whose table has no more than {@link #MAX_ROWS} rows (at least 1). */
    static int foldedDepth(ModelCosts costs, int depth) {
        int shown = Math.max(1, depth);
        while (shown > 1 && costs.countNodes(shown, MAX_ROWS + 1) > MAX_ROWS) {
            shown--;
        }
        return shown;
    }

    /** The rows down to {@code depth}. */
    static List<Row> of(ModelCosts costs, int depth) {
        long total = costs.totals().macs();
        List<Row> rows = new ArrayList<>();
        for (ModelCosts.Placed placed : costs.nodes(depth)) {
            Totals t = placed.node().totals();
            rows.add(new Row(placed.depth(), placed.path(), placed.node().kind(),
                    CostClassWriter.withBatch(costs.spec().batch(), placed.node().output()), t, Numbers.percent(t.macs(), total)));
        }
        return rows;
    }
}
