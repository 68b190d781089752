package dev.modelcost.processor.write;

import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.layers.Totals;
import dev.modelcost.processor.spec.ModelSpec;
import com.palantir.javapoet.CodeBlock;

/** The Javadoc header of a generated cost class: shapes, the main figures and the conventions. */
final class Javadoc {
    private Javadoc() {}

    static CodeBlock header(ModelCosts costs, String model) {
        ModelSpec spec = costs.spec();
        Totals t = costs.totals();
        return CodeBlock.builder()
                .add("Shapes and costs of {@link $L}, computed at compile time by modelcost.\n\n", model)
                .add("<p>Input {@code $L} (batch $L), output {@code $L}.\n\n", CostClassWriter.withBatch(spec.batch(), spec.input()),
                        spec.batch(), CostClassWriter.withBatch(spec.batch(), costs.output()))
                .add("<table>\n")
                .add("<caption>Totals for the whole batch</caption>\n")
                .add("<tr><th>figure</th><th>value</th></tr>\n")
                .add(row("MACS", t.macs()))
                .add(row("FLOPS", t.flops()))
                .add(row("PARAMS", t.params()))
                .add(row("BUFFERS", t.buffers()))
                .add(row("OTHER_OPS", t.otherOps()))
                .add("</table>\n\n")
                .add("<p>Conventions: {@code MACS} counts multiply-accumulates of Conv2d and Linear layers, K per output element\n")
                .add("(K = C_in / groups \u00b7 kh \u00b7 kw for a convolution, in_features for a linear layer).\n")
                .add("{@code FLOPS} counts K multiplications, K \u2212 1 additions and 1 bias addition (where there is a bias)\n")
                .add("per output element of those layers. {@code PARAMS} equals PyTorch's parameter count; {@code BUFFERS}\n")
                .add("counts BatchNorm running means and variances. {@code OTHER_OPS} counts the element-wise work of every\n")
                .add("other layer by the per-layer formula of the modelcost documentation.\n")
                .build();
    }

    private static CodeBlock row(String name, long value) {
        return CodeBlock.of("<tr><td>{@link #$L}</td><td>$L</td></tr>\n", name, String.format(java.util.Locale.ROOT, "%,d", value));
    }
}
