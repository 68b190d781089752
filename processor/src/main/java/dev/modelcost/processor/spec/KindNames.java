package dev.modelcost.processor.spec;

import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.layers.OpKind;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refuses two layer kinds of one name in one model, each declared by its own {@code @LayerKind} annotation (MC310): the counters,
 * the layer tables and the reports tell kinds apart by name, as they do a declared kind from the built-in one of its name.
 */
final class KindNames {
    private KindNames() {}

    /** Reports each field, in the model or a block it applies, whose kind takes the name of another kind met before it. */
    static void check(NetworkSpec network, Findings findings) {
        Map<String, Use> byName = new LinkedHashMap<>();
        String model = network.simpleName();
        network.forEachStep((holder, step) -> {
            if (step.operation() instanceof Operation.OpStep op) {
                OpKind kind = op.kind();
                Use first = byName.putIfAbsent(kind.name(), new Use(kind.annotation(), step.name(), holder.simpleName()));
                if (first != null && !first.annotation().equals(kind.annotation())) {
                    findings.report(new Problem(Diagnostic.ATTRIBUTE_VALUE, op.site(), step.name(), "@LayerKind " + simple(kind.annotation()),
                            "name", "'" + kind.name() + "'", "a name no other layer kind of model " + model + " has (" + first.annotation()
                                    + ", at " + first.where() + ", is named " + kind.name() + " too): counters, layer tables and reports tell "
                                    + "kinds apart by name; give one of them its own with @LayerKind(name = ...)"));
                }
            }
        });
    }

    private static String simple(String annotation) {
        return annotation.substring(annotation.lastIndexOf('.') + 1);
    }

    /** Where a kind was first met: its annotation's qualified name and the field that uses it ({@code s in Net}). */
    private record Use(String annotation, String field, String network) {
        String where() {
            return "field " + field + " of " + network;
        }
    }
}
