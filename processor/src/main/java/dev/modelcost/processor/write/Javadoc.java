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

    /**
     * A reference to the model's class in Javadoc: {@code {@link}} by its qualified name (a model named {@code Figures} is not the
     * generated record), or {@code {@code}} where a private class encloses it, which a link cannot reach.
     */
    static String reference(javax.lang.model.element.TypeElement model) {
        for (javax.lang.model.element.Element e = model; e instanceof javax.lang.model.element.TypeElement; e = e.getEnclosingElement()) {
            if (e.getModifiers().contains(javax.lang.model.element.Modifier.PRIVATE)) {
                return "{@code " + model.getQualifiedName() + "}";
            }
        }
        return "{@link " + model.getQualifiedName() + "}";
    }

    static CodeBlock header(ModelCosts costs, javax.lang.model.element.TypeElement model, java.util.Collection<OpKind> known) {
        ModelSpec spec = costs.spec();
        Costs t = costs.totals();
        // The text after the link is one literal: JavaPoet parses the format of every add, which is most of the work here.
        StringBuilder text = new StringBuilder(2048)
                .append("<p>Input {@code ").append(spec.inputShapes()).append("} (batch ").append(spec.batch()).append("), ")
                .append(CostClassWriter.outputWord(costs)).append(" {@code ").append(CostClassWriter.outputShapes(costs)).append("}.\n\n")
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
                text.append("<li>").append(html(kind.name())).append(": ").append(html(kind.otherOps())).append("</li>\n");
            }
        }
        text.append("</ul>\n");
        if (t.get(Figure.KV_CACHE) > 0) {
            text.append("\n<p>Causal attention is counted {@code ").append(spec.conventions().causal()).append("}; the KV cache is ")
                    .append(spec.conventions().kvCacheBytes()).append(" byte(s) an element.\n");
        }
        return CodeBlock.builder()
                .add("Shapes and costs of $L, computed at compile time by modelcost.\n\n", reference(model))
                .add("$L", text)
                .build();
    }

    /**
     * Text of a user's made safe inside {@code {@code ...}} of a Javadoc comment: no comment end, no tag, no line break, and no
     * backslash that javac would read as the start of a Unicode escape (the escapes of a star and a slash end a comment): a run
     * of an odd number of backslashes before a {@code u} gets one more; any other backslash stays ({@code C:\data}).
     */
    static String safe(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 'u' && run % 2 == 1) {
                escaped.append('\\');
            }
            run = c == '\\' ? run + 1 : 0;
            escaped.append(c);
        }
        return escaped.toString().replace("*/", "*&#47;").replace("@", "&#64;").replace('\n', ' ').replace('\r', ' ');
    }

    /**
     * Text of a user's (a layer's path, a form) as code in a Javadoc comment: {@code {@code ...}} where it reads there as written,
     * else (a comment end, an at sign, unbalanced braces, which {@code {@code}} would show escaped or end early) {@code <code>}
     * with the text as HTML, whose entities the page decodes.
     */
    static String code(String text) {
        int depth = 0;
        boolean plain = !text.contains("*/") && text.indexOf('@') < 0 && text.indexOf('\\') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0;
        for (int i = 0; i < text.length() && plain; i++) {
            depth += text.charAt(i) == '{' ? 1 : text.charAt(i) == '}' ? -1 : 0;
            plain = depth >= 0;
        }
        return plain && depth == 0 ? "{@code " + text + "}" : "<code>" + html(text) + "</code>";
    }

    /** Text of a user's (a declared kind's rule, a hardware profile's name) made safe as HTML of a Javadoc comment: also no markup. */
    static String html(String text) {
        return safe(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
    }
}
