package dev.modelcost.processor.sizes;

import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.ExprParser;
import dev.modelcost.processor.spec.AttrSpec;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.NetworkSpec;
import dev.modelcost.processor.spec.Operation;
import dev.modelcost.processor.spec.ParamSpec;
import dev.modelcost.processor.spec.SizeVariable;
import dev.modelcost.processor.spec.Step;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Finds an expression of a model that may read a size which varies: a size variable by its name,
 * an image's {@code h} or {@code w}, or any tensor's axis but its channels or features
 * ({@code input.H}, {@code x2.W}, {@code x.L}). Such an expression can make a block, its arguments
 * or a {@code @When} change with the sizes, which a {@link dev.modelcost.SizeProgram} (every block
 * and step as at the declared sizes) cannot follow. A layer's attribute that reads tensors' axes
 * ({@code size = [input.H, input.W]}, a padding by {@code x2.W - up.W}) is followed: the shape
 * rules evaluate it again at each size they run the layer at; one that reads a size by its bare
 * name is not.
 */
final class SizeReads {
    /** Axes that keep their size whatever the size variables: channels, features, an embedding. */
    private static final Set<String> FIXED_AXES = Set.of("C", "D", "E", "F");

    private final Set<String> variables;
    private final Set<NetworkSpec> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    private SizeReads(ModelSpec spec) {
        this.variables = Set.copyOf(spec.sizes().stream().map(SizeVariable::name).toList());
    }

    /** The first expression, as written with where it is, that may read a varying size; null where there is none. */
    static String first(ModelSpec spec) {
        return new SizeReads(spec).in(spec.network(), "");
    }

    private String in(NetworkSpec network, String path) {
        if (!seen.add(network)) {
            return null;
        }
        for (ParamSpec param : network.params()) {
            if (reads(param.fallback())) {
                return "@Param " + param.name() + " = \"" + param.fallbackText() + "\" of " + network.name();
            }
        }
        for (Step step : network.steps()) {
            String where = path.isEmpty() ? step.name() : path + "." + step.name();
            if (reads(step.when())) {
                return "@When(\"" + step.whenText() + "\") of " + where;
            }
            if (step.operation() instanceof Operation.OpStep op) {
                for (AttrSpec attr : op.attrs()) {
                    if (attr.given() && readsBare(attr.value())) {
                        return "\"" + attr.text() + "\" of " + where;
                    }
                }
            } else if (step.operation() instanceof Operation.BlockOp use) {
                for (List<ExprParser.Assignment> assignments : List.of(use.args(), use.first())) {
                    for (ExprParser.Assignment assignment : assignments) {
                        if (reads(assignment.value())) {
                            return "@Args(\"" + assignment.text() + "\") of " + where;
                        }
                    }
                }
                if (use.count() != null && reads(use.count().expr())) {
                    return "@Repeat(count = \"" + use.count().text() + "\") of " + where;
                }
                String inside = in(use.block(), where);
                if (inside != null) {
                    return inside;
                }
            }
        }
        return null;
    }

    private boolean reads(Expr expr) {
        return expr != null && expr.names().stream().anyMatch(this::readsName);
    }

    /** Whether an expression reads a size by a bare name (a size variable, an image's h or w) rather than as a tensor's axis. */
    private boolean readsBare(Expr expr) {
        return expr != null && expr.names().stream().anyMatch(name -> name.indexOf('.') < 0 && readsName(name));
    }

    private boolean readsName(String name) {
        if (variables.contains(name) || name.equals("h") || name.equals("w")) {
            return true;
        }
        int dot = name.lastIndexOf('.');
        return dot > 0 && !FIXED_AXES.contains(name.substring(dot + 1));
    }
}
