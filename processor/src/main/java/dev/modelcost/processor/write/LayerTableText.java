package dev.modelcost.processor.write;

import dev.modelcost.LayerCost;
import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.layers.Totals;

/**
 * The per-layer table resource that {@code LAYERS} reads, in the folded form {@link LayerCost#load}
 * documents: a run of identical repetitions is written once, so the text does not grow with the count.
 */
final class LayerTableText {
    private LayerTableText() {}

    /** The table of a model: the header line, then its leaves. */
    static String of(ModelCosts costs) {
        StringBuilder table = new StringBuilder(LayerCost.TABLE_HEADER).append('\n');
        write(costs.root(), "", table);
        return table.toString();
    }

    /** The leaves of {@code node}, their paths relative to the enclosing run, under {@code path}. */
    private static void write(CostNode node, String path, StringBuilder table) {
        if (node.leaf()) {
            Totals t = node.totals();
            table.append(new LayerCost(path, node.kind(), node.output().dims(), t.macs(), t.flops(), t.params(), t.buffers(),
                    t.otherOps()).toTableRow()).append('\n');
            return;
        }
        for (CostNode.Child child : node.children()) {
            if (child.run()) {
                table.append(String.join("\t", LayerCost.TABLE_RUN, path, child.prefix(), Integer.toString(child.first()),
                        Integer.toString(child.count()))).append('\n');
                write(child.node(), "", table);
                table.append(LayerCost.TABLE_END).append('\n');
            } else {
                write(child.node(), path.isEmpty() ? child.prefix() : path + "." + child.prefix(), table);
            }
        }
    }
}
