package dev.modelcost.processor.write;

import dev.modelcost.LayerCost;
import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.layers.Figure;

/**
 * The per-layer table that {@code LAYERS} reads, in the folded form {@link LayerCost#load} documents:
 * a run of identical repetitions is written once, so the text does not grow with the count. A small
 * table is a constant of the generated class; a large one a resource beside it.
 */
public final class LayerTableText {
    /** The largest table, in UTF-8 bytes, that the generated class holds itself (a string constant holds 65,535). */
    static final int INLINE_LIMIT = 32 * 1024;

    private static final Figure[] FIGURES = Figure.values();

    private LayerTableText() {}

    /** Whether the generated class holds this table itself, rather than reading it from a resource. */
    static boolean inline(String table) {
        return table.length() <= INLINE_LIMIT && table.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= INLINE_LIMIT;
    }

    /** The table of a model: the header line, then its leaves. */
    public static String of(ModelCosts costs) {
        StringBuilder table = new StringBuilder(LayerCost.TABLE_COLUMNS);
        for (Figure figure : Figure.values()) {
            table.append('\t').append(figure.column());
        }
        table.append('\n');
        write(costs.root(), "", table);
        return table.toString();
    }

    /** The leaves of {@code node}, their paths relative to the enclosing run, under {@code path}. */
    private static void write(CostNode node, String path, StringBuilder table) {
        if (node.leaf()) {
            // The row as LayerCost.toTableRow writes it, without building one per leaf.
            Costs t = node.totals();
            table.append(path).append('\t').append(node.kind()).append('\t').append(node.output());
            for (Figure figure : FIGURES) {
                table.append('\t').append(t.get(figure));
            }
            table.append('\n');
            return;
        }
        for (CostNode.Child child : node.children()) {
            if (child.run()) {
                table.append(String.join("\t", LayerCost.TABLE_RUN, path, child.prefix(), Integer.toString(child.first()),
                        Integer.toString(child.count()))).append('\n');
                write(child.node(), "", table);
                table.append(LayerCost.TABLE_END).append('\n');
            } else {
                write(child.node(), ModelCosts.join(path, child.prefix()), table);
            }
        }
    }
}
