package dev.modelcost.processor.write;

import dev.modelcost.LayerCost;
import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.layers.Figure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The per-layer table that {@code LAYERS} reads, in the folded form {@link LayerCost#load} documents:
 * a run of identical repetitions is written once, so the text does not grow with the count. A small
 * table is a constant of the generated class; a large one a resource beside it.
 */
public final class LayerTableText {
    /** The largest table, in UTF-8 bytes, that the generated class holds itself (a string constant holds 65,535). */
    static final int INLINE_LIMIT = 32 * 1024;

    private LayerTableText() {}

    /** Whether the generated class holds this table itself, rather than reading it from a resource. */
    static boolean inline(String table) {
        return table.length() <= INLINE_LIMIT && table.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= INLINE_LIMIT;
    }

    /** The five figures every table has. */
    private static final List<Figure> ALWAYS = List.of(Figure.MACS, Figure.FLOPS, Figure.PARAMS, Figure.BUFFERS, Figure.OTHER_OPS);

    /**
     * The table of a model: the header line, then its leaves. Besides the five figures every table
     * has, a figure is a column only where some leaf's value differs from what {@link LayerCost#figure}
     * gives for an absent column (0; all parameters for the active and non-embedding ones; the MACs
     * for a decoding step; 4 bytes a parameter for the weight bytes), so a CNN's table stays as small as it was.
     */
    public static String of(ModelCosts costs) {
        List<Figure> columns = new ArrayList<>(ALWAYS);
        for (Figure figure : Figure.values()) {
            if (!columns.contains(figure) && differs(costs.root(), figure, Collections.newSetFromMap(new IdentityHashMap<>()))) {
                columns.add(figure);
            }
        }
        StringBuilder table = new StringBuilder(LayerCost.TABLE_COLUMNS);
        for (Figure figure : columns) {
            table.append('\t').append(figure.column());
        }
        table.append('\n');
        write(costs.root(), "", table, columns);
        return table.toString();
    }

    /** Whether a leaf under {@code node} has a value of {@code figure} other than an absent column's. */
    private static boolean differs(CostNode node, Figure figure, Set<CostNode> seen) {
        if (!seen.add(node)) {
            return false;
        }
        if (node.leaf()) {
            Costs t = node.totals();
            long absent = switch (figure) {
                case ACTIVE_PARAMS -> t.params();
                case NON_EMBEDDING_PARAMS -> t.params() - t.get(Figure.EMBEDDING_PARAMS);
                case DECODE_MACS -> t.macs();
                // fp32, as LayerCost.figure gives for an absent column; a column that could not give it is written
                case WEIGHT_BYTES -> t.params() > Long.MAX_VALUE / 4 ? -1 : 4 * t.params();
                default -> 0;
            };
            return t.get(figure) != absent;
        }
        return node.children().stream().anyMatch(child -> differs(child.node(), figure, seen));
    }

    /** The leaves of {@code node}, their paths relative to the enclosing run, under {@code path}. */
    private static void write(CostNode node, String path, StringBuilder table, List<Figure> columns) {
        if (node.leaf()) {
            // The row as LayerCost.toTableRow writes it, without building one per leaf.
            Costs t = node.totals();
            table.append(path).append('\t').append(node.kind()).append('\t').append(LayerCost.shapeMarker(node.output().batched(), node.output().batchSecond()))
                    .append(node.output());
            for (Figure figure : columns) {
                table.append('\t').append(t.get(figure));
            }
            table.append('\n');
            return;
        }
        for (CostNode.Child child : node.children()) {
            if (child.run()) {
                table.append(String.join("\t", LayerCost.TABLE_RUN, path, child.prefix(), Integer.toString(child.first()),
                        Integer.toString(child.count()))).append('\n');
                write(child.node(), "", table, columns);
                table.append(LayerCost.TABLE_END).append('\n');
            } else {
                write(child.node(), ModelCosts.join(path, child.prefix()), table, columns);
            }
        }
    }
}
