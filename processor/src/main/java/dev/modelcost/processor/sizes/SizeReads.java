package dev.modelcost.processor.sizes;

import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.ExprParser;
import dev.modelcost.processor.layers.DeclaredFormula;
import dev.modelcost.processor.spec.AttrSpec;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.NetworkSpec;
import dev.modelcost.processor.spec.Operation;
import dev.modelcost.processor.spec.ParamSpec;
import dev.modelcost.processor.spec.SizeVariable;
import dev.modelcost.processor.spec.Step;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds an expression of a model that may read a size which varies: a size variable by its name,
 * an image's {@code h} or {@code w}, or any tensor's axis but its channels or features
 * ({@code input.H}, {@code x2.W}, {@code x.L}). Such an expression can make a block, its arguments
 * or a {@code @When} change with the sizes, which a {@link dev.modelcost.SizeProgram} (every block
 * and step as at the declared sizes) cannot follow. A layer's attribute is followed instead: the
 * shape rules evaluate it again at each size they run the layer at
 * ({@link dev.modelcost.processor.analysis.Reevaluation}).
 */
final class SizeReads {
    /** Axes that keep their size whatever the size variables: channels, features, an embedding. */
    private static final Set<String> FIXED_AXES = Set.of("C", "D", "E", "F");

    private final Set<String> variables;
    /** The constants of every network of the model, another class's ({@code Limits.MAX_LEN}) included, each at its largest magnitude. */
    private final Map<String, Long> constants = new HashMap<>();
    private final Set<NetworkSpec> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    private SizeReads(ModelSpec spec) {
        this.variables = Set.copyOf(spec.sizes().stream().map(SizeVariable::name).toList());
        constantsOf(spec.network(), Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private void constantsOf(NetworkSpec network, Set<NetworkSpec> visited) {
        if (visited.add(network)) {
            network.constants().forEach((name, value) -> constants.merge(name, Thresholds.magnitude(value), Math::max));
            for (Step step : network.steps()) {
                if (step.operation() instanceof Operation.BlockOp use) {
                    constantsOf(use.block(), visited);
                }
            }
        }
    }

    /** Every expression of the model and the blocks it uses, each block once, with where it is. */
    static List<Located> expressions(ModelSpec spec, SizeReads reads) {
        List<Located> all = new ArrayList<>();
        reads.collect(spec.network(), "", all);
        return all;
    }

    /** The reader of a model's expressions. */
    static SizeReads of(ModelSpec spec) {
        return new SizeReads(spec);
    }

    /** Whether a name is one of the model's size variables ({@code L}, {@code H}, {@code batch}). */
    boolean isVariable(String name) {
        return variables.contains(name);
    }

    /** Whether a name is a constant of some network of the model, another class's included. */
    boolean isConstant(String name) {
        return constants.containsKey(name);
    }

    /** The largest magnitude of a constant of that name in any network of the model, 0 where there is none. */
    long constant(String name) {
        return constants.getOrDefault(name, 0L);
    }

    /** The first expression, as written with where it is, that may read a varying size; null where there is none. */
    static String first(ModelSpec spec) {
        SizeReads reads = new SizeReads(spec);
        List<Located> all = new ArrayList<>();
        reads.collect(spec.network(), "", all);
        for (Located located : all) {
            if (!located.opAttribute() && reads.reads(located.expr())) {
                return located.where();
            }
        }
        return null;
    }

    /** An expression of the model, where it is as messages say it, and whether it is a layer's attribute. */
    record Located(Expr expr, String where, boolean opAttribute) {}

    /** Every expression of a network and the blocks it uses, each block once. */
    private void collect(NetworkSpec network, String path, List<Located> all) {
        if (!seen.add(network)) {
            return;
        }
        for (ParamSpec param : network.params()) {
            all.add(new Located(param.fallback(), "@Param " + param.name() + " = \"" + param.fallbackText() + "\" of " + network.name(), false));
        }
        for (Step step : network.steps()) {
            String where = path.isEmpty() ? step.name() : path + "." + step.name();
            all.add(new Located(step.when(), "@When(\"" + step.whenText() + "\") of " + where, false));
            if (step.operation() instanceof Operation.OpStep op) {
                for (AttrSpec attr : op.attrs()) {
                    if (attr.given()) {
                        all.add(new Located(attr.value(), "\"" + attr.text() + "\" of " + where, true));
                    }
                }
                // A kind declared with @LayerKind: its formulas read the input's axes (x.L > 5000 ? ...) and numbers of their own, and
                // its attributes by their names, which are this call's: each is replaced by what the call gives it (a literal, or a
                // with expression in this network's names), so that no attribute is taken for a name of the network (L, h, n).
                if (op.kind().formula() instanceof DeclaredFormula declared) {
                    Map<String, Expr> given = new HashMap<>();
                    for (AttrSpec attr : op.attrs()) {
                        if (attr.value() != null) {
                            given.put(attr.name(), attr.value());
                        }
                    }
                    declared.expressions().forEach((name, expr) -> all.add(new Located(expr.substitute(given::get), formula(declared, name, where), true)));
                }
            } else if (step.operation() instanceof Operation.BlockOp use) {
                for (List<ExprParser.Assignment> assignments : List.of(use.args(), use.first())) {
                    for (ExprParser.Assignment assignment : assignments) {
                        all.add(new Located(assignment.value(), "@Args(\"" + assignment.text() + "\") of " + where, false));
                    }
                }
                if (use.count() != null) {
                    all.add(new Located(use.count().expr(), "@Repeat(count = \"" + use.count().text() + "\") of " + where, false));
                }
                collect(use.block(), where, all);
            }
        }
    }

    /** Where a declared kind's formula is, as messages say it. */
    private static String formula(DeclaredFormula declared, String name, String where) {
        return "@LayerKind(" + name + " = \"" + declared.texts().get(name) + "\") of " + declared.kind() + " at " + where;
    }

    private boolean reads(Expr expr) {
        return expr != null && expr.names().stream().anyMatch(this::readsName);
    }

    /** Whether a name reads a varying size: a size variable, {@code h} or {@code w}, or a tensor's axis but a fixed one. */
    boolean readsName(String name) {
        // Another class's constant (Limits.MAX_LEN) is no tensor's axis; a bare name may be a block's constant and the model's size.
        if (name.indexOf('.') > 0 && constants.containsKey(name)) {
            return false;
        }
        if (variables.contains(name) || name.equals("h") || name.equals("w")) {
            return true;
        }
        int dot = name.lastIndexOf('.');
        return dot > 0 && !FIXED_AXES.contains(name.substring(dot + 1));
    }
}
