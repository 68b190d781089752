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
 * ({@code input.H}, {@code x2.W}, {@code x.L}). Such an expression can make a layer, an attribute
 * or a {@code @When} change with the sizes, which a {@link dev.modelcost.SizeProgram} (every layer
 * as at the declared sizes) cannot follow.
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
                    if (attr.given() && reads(attr.value())) {
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
        if (expr instanceof Expr.Name name) {
            return readsName(name.name());
        }
        if (expr instanceof Expr.ListOf list) {
            return list.items().stream().anyMatch(this::reads);
        }
        if (expr instanceof Expr.Unary unary) {
            return reads(unary.operand());
        }
        if (expr instanceof Expr.Binary binary) {
            return reads(binary.left()) || reads(binary.right());
        }
        if (expr instanceof Expr.Index index) {
            return reads(index.list()) || reads(index.index());
        }
        if (expr instanceof Expr.Conditional conditional) {
            return reads(conditional.condition()) || reads(conditional.then()) || reads(conditional.otherwise());
        }
        if (expr instanceof Expr.Call call) {
            return call.args().stream().anyMatch(this::reads);
        }
        return false; // a literal, or no expression
    }

    private boolean readsName(String name) {
        if (variables.contains(name) || name.equals("h") || name.equals("w")) {
            return true;
        }
        int dot = name.lastIndexOf('.');
        return dot > 0 && !FIXED_AXES.contains(name.substring(dot + 1));
    }
}
