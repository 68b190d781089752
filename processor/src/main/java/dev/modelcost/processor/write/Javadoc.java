package dev.modelcost.processor.write;

import com.palantir.javapoet.CodeBlock;
import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.layers.OpKind;
import dev.modelcost.processor.spec.ModelSpec;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Javadoc header of a generated cost class: shapes, the figures, and the conventions, written
 * from the figures' own descriptions and the registry's rule for each kind the model uses.
 */
final class Javadoc {
    private Javadoc() {}

    static CodeBlock header(ModelCosts costs, com.palantir.javapoet.ClassName model, java.util.Collection<OpKind> known) {
        ModelSpec spec = costs.spec();
        Costs t = costs.totals();
        // The text after the link is one literal: JavaPoet parses the format of every add, which is most of the work here.
        StringBuilder text = new StringBuilder(2048)
                .append("<p>Input {@code ").append(spec.inputShapes()).append("} (batch ").append(spec.batch()).append("), output {@code ")
                .append(CostClassWriter.withBatch(spec.batch(), costs.output())).append("}.\n\n")
                .append("<table>\n")
                .append("<caption>Totals for the whole batch</caption>\n")
                .append("<tr><th>figure</th><th>value</th></tr>\n");
        for (Figure figure : Figure.values()) {
            // What each figure counts is the constant's own Javadoc.
            text.append("<tr><td>{@link #").append(figure.name()).append("}</td><td>").append(Numbers.grouped(t.get(figure))).append("</td></tr>\n");
        }
        text.append("</table>\n\n");
        Set<String> kinds = new TreeSet<>();
        costs.distinctNodes().stream().filter(CostNode::leaf).forEach(node -> kinds.add(node.kind()));
        text.append("<p>{@code OTHER_OPS} per layer kind of this model:\n<ul>\n");
        for (OpKind kind : known) {
            if (kinds.contains(kind.name())) {
                text.append("<li>").append(safe(kind.name())).append(": ").append(safe(kind.otherOps())).append("</li>\n");
            }
        }
        text.append("</ul>\n");
        if (t.get(Figure.KV_CACHE) > 0) {
            text.append("\n<p>Causal attention is counted {@code ").append(spec.conventions().causal()).append("}; the KV cache is ")
                    .append(spec.conventions().kvCacheBytes()).append(" byte(s) an element.\n");
        }
        return CodeBlock.builder()
                .add("Shapes and costs of {@link $T}, computed at compile time by modelcost.\n\n", model)
                .add("$L", text)
                .build();
    }

    /** Text of a user's (a declared kind's rule) made safe in a Javadoc comment: no comment end, no tag, no line break. */
    static String safe(String text) {
        return text.replace("*/", "*&#47;").replace("@", "&#64;").replace('\n', ' ').replace('\r', ' ');
    }
}
