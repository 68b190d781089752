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

    /** How many leaves {@link #rows} lists, counted without building them. */
    public long leafCount() {
        return leaves(root);
    }

    private static long leaves(CostNode node) {
        if (node.leaf()) {
            return 1;
        }
        long count = 0;
        for (CostNode.Child child : node.children()) {
            count += leaves(child.node());
        }
        return count;
    }

    /** Every leaf with its full path, in execution order. */
    public List<LayerRow> rows() {
        List<LayerRow> rows = new ArrayList<>();
        collect(root, "", rows);
        return rows;
    }

    /**
     * One node of the analysed tree with its place in it.
     *
     * @param path the dotted path
     * @param depth 1 for the model's own fields, 2 for their children, ...
     * @param node the node
     */
    public record Placed(String path, int depth, CostNode node) {}

    /** Every block and leaf down to {@code maxDepth}, in pre-order (a block before its children). */
    public List<Placed> nodes(int maxDepth) {
        List<Placed> nodes = new ArrayList<>();
        walk(root, "", 0, maxDepth, nodes);
        return nodes;
    }

    /** How many nodes {@link #nodes} would list down to {@code maxDepth}, counting no further than {@code limit}. */
    public int countNodes(int maxDepth, int limit) {
        return count(root, 0, maxDepth, limit);
    }

    private static int count(CostNode node, int depth, int maxDepth, int limit) {
        int total = depth > 0 ? 1 : 0;
        if (depth < maxDepth) {
            for (CostNode.Child child : node.children()) {
                if (total >= limit) {
                    break;
                }
                total += count(child.node(), depth + 1, maxDepth, limit - total);
            }
        }
        return Math.min(total, limit);
    }

    private static void walk(CostNode node, String path, int depth, int maxDepth, List<Placed> into) {
        if (depth > 0) {
            into.add(new Placed(path, depth, node));
        }
        if (depth == maxDepth) {
            return;
        }
        for (CostNode.Child child : node.children()) {
            walk(child.node(), path.isEmpty() ? child.name() : path + "." + child.name(), depth + 1, maxDepth, into);
        }
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
