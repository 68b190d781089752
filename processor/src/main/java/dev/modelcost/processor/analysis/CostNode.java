package dev.modelcost.processor.analysis;

import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.layers.Totals;
import java.util.List;

/**
 * The analysed form of a layer, block or model: output shape, total costs and named children.
 * Nodes hold no path, so one analysed block can be shared by every place that applies it alike.
 *
 * @param kind the layer kind ({@code Conv2d}), or the block's class name
 * @param leaf whether this is a single layer or merge
 * @param output the output shape
 * @param totals the costs, children included
 * @param children the named children, in order
 * @param outputFrom the path, relative to this node, of the leaf that produced the output (empty for a leaf or an unchanged input)
 */
public record CostNode(String kind, boolean leaf, Shape output, Totals totals, List<Child> children, String outputFrom) {

    /** A named child. */
    public record Child(String name, CostNode node) {}

    /** A single layer or merge. */
    static CostNode leaf(String kind, Shape output, Totals totals) {
        return new CostNode(kind, true, output, totals, List.of(), "");
    }
}
