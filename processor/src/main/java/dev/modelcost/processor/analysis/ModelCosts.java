package dev.modelcost.processor.analysis;

import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.layers.Totals;
import dev.modelcost.processor.spec.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A fully analysed model: its spec and the tree of costs.
 *
 * @param spec the model's spec
 * @param root the analysed network
 */
public record ModelCosts(ModelSpec spec, CostNode root) {

    /** The model's totals. */
    public Totals totals() {
        return root.totals();
    }

    /** The model's output shape without the batch. */
    public Shape output() {
        return root.output();
    }

    /** Every leaf with its full path, in execution order. */
    public List<LayerRow> rows() {
        List<LayerRow> rows = new ArrayList<>();
        collect(root, "", rows);
        return rows;
    }

    private static void collect(CostNode node, String path, List<LayerRow> rows) {
        if (node.leaf()) {
            rows.add(new LayerRow(path, node.kind(), node.output(), node.totals()));
            return;
        }
        for (CostNode.Child child : node.children()) {
            collect(child.node(), path.isEmpty() ? child.name() : path + "." + child.name(), rows);
        }
    }
}
