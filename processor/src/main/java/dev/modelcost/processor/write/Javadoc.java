package dev.modelcost.processor.write;

import com.palantir.javapoet.CodeBlock;
import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.layers.OpKind;
import dev.modelcost.processor.layers.OpRegistry;
import dev.modelcost.processor.spec.ModelSpec;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Javadoc header of a generated cost class: shapes, the figures, and the conventions, written
 * from the figures' own descriptions and the registry's rule for each kind the model uses.
 */
final class Javadoc {
    private Javadoc() {}

    static CodeBlock header(ModelCosts costs, com.palantir.javapoet.ClassName model, OpRegistry registry) {
        ModelSpec spec = costs.spec();
        Costs t = costs.totals();
        CodeBlock.Builder doc = CodeBlock.builder()
                .add("Shapes and costs of {@link $T}, computed at compile time by modelcost.\n\n", model)
                .add("<p>Input {@code $L} (batch $L), output {@code $L}.\n\n", spec.inputShapes(),
                        spec.batch(), CostClassWriter.withBatch(spec.batch(), costs.output()))
                .add("<table>\n")
                .add("<caption>Totals for the whole batch</caption>\n")
                .add("<tr><th>figure</th><th>value</th></tr>\n");
        for (Figure figure : Figure.values()) {
            // What each figure counts is the constant's own Javadoc.
            doc.add("<tr><td>{@link #$L}</td><td>$L</td></tr>\n", figure.name(), String.format(Locale.ROOT, "%,d", t.get(figure)));
        }
        doc.add("</table>\n\n");
        Set<String> kinds = new TreeSet<>();
        collectKinds(costs.root(), kinds, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        doc.add("<p>{@code OTHER_OPS} per layer kind of this model:\n<ul>\n");
        for (OpKind kind : registry.kinds()) {
            if (kinds.contains(kind.name())) {
                doc.add("<li>$L: $L</li>\n", kind.name(), kind.otherOps());
            }
        }
        doc.add("</ul>\n");
        if (t.get(Figure.KV_CACHE) > 0) {
            doc.add("\n<p>Causal attention is counted {@code $L}; the KV cache is $L byte(s) an element.\n",
                    spec.conventions().causal(), spec.conventions().kvCacheBytes());
        }
        return doc.build();
    }

    private static void collectKinds(CostNode node, Set<String> kinds, Set<CostNode> seen) {
        if (!seen.add(node)) {
            return;
        }
        if (node.leaf()) {
            kinds.add(node.kind());
            return;
        }
        for (CostNode.Child child : node.children()) {
            collectKinds(child.node(), kinds, seen);
        }
    }
}
