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
 * ({@code input.H}, {@code x2.W}, {@code x.L}). Such an expression can make a block or its arguments
 * change with the sizes, which a {@link dev.modelcost.SizeProgram} (every block and step as at the
 * declared sizes) cannot follow. A layer's attribute is followed instead, and so is a parameter's
 * default that only attributes read: the shape rules evaluate them again at each size they run the
 * layer at ({@link dev.modelcost.processor.analysis.Reevaluation}). A {@code @When} is followed where
 * it holds as at the declared sizes ({@link dev.modelcost.processor.analysis.SizeTest}), unless it
 * reads the batch.
 */
final class SizeReads {
    /** Axes that keep their size whatever the size variables (channels, features, an embedding), unless a size variable is named so. */
    static final Set<String> FIXED_AXES = Set.of("C", "D", "E", "F");

    /** The size variables by name. */
    private final Set<String> variables;
    /** The size variable that is the batch, where there is one. */
    private final Set<String> batch;
    /** The constants of every network of the model, another class's ({@code Limits.MAX_LEN}) included, each at its largest magnitude. */
    private final Map<String, Long> constants = new HashMap<>();
    private final Set<NetworkSpec> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    private SizeReads(ModelSpec spec) {
        this.variables = Set.copyOf(spec.sizes().stream().map(SizeVariable::name).toList());
        this.batch = Set.copyOf(spec.sizes().stream().filter(SizeVariable::batch).map(SizeVariable::name).toList());
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

    /**
     * The first expression, as written with where it is, that may read a varying size where a program cannot follow it: an
     * argument or a repetition count that reads a size, itself or through a parameter whose default reads one, or a {@code @When}
     * that reads the batch so; null where there is none. A layer's attributes are followed, and so is a parameter given by its
     * default that only they read ({@link dev.modelcost.processor.analysis.Reevaluation} writes the default out in them).
     */
    static String first(ModelSpec spec) {
        SizeReads reads = new SizeReads(spec);
        return reads.firstIn(spec.network(), "", Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private String firstIn(NetworkSpec network, String path, Set<NetworkSpec> visited) {
        if (!visited.add(network)) {
            return null;
        }
        Map<String, ParamSpec> sized = new HashMap<>();
        for (ParamSpec param : network.params()) {
            if (readsSized(param.fallback(), sized)) {
                if (param.type() != ParamSpec.Type.INT) {
                    // only an int default is written out in the attributes (a decimal's conversion would be lost there)
                    return "@Param " + param.name() + " = \"" + param.fallbackText() + "\" of " + network.name() + ", not an int";
                }
                sized.put(param.name(), param);
            }
        }
        for (Step step : network.steps()) {
            String where = path.isEmpty() ? step.name() : path + "." + step.name();
            // A @When that reads tensors' sizes is followed where it holds as declared (ShapeRules refuses the sizes where it may not);
            // the batch is no tensor's axis.
            String when = readsBatch(step.when(), sized) ? "@When(\"" + step.whenText() + "\") of " + where + " (the batch, no tensor's axis)" : null;
            if (when != null) {
                return when;
            }
            if (step.operation() instanceof Operation.BlockOp use) {
                for (List<ExprParser.Assignment> assignments : List.of(use.args(), use.first())) {
                    for (ExprParser.Assignment assignment : assignments) {
                        String arg = unfollowed(assignment.value(), sized, "@Args(\"" + assignment.text() + "\") of " + where);
                        if (arg != null) {
                            return arg;
                        }
                    }
                }
                String count = use.count() == null ? null
                        : unfollowed(use.count().expr(), sized, "@Repeat(count = \"" + use.count().text() + "\") of " + where);
                String inside = count != null ? count : firstIn(use.block(), where, visited);
                if (inside != null) {
                    return inside;
                }
            }
        }
        return null;
    }

    /** Whether an expression reads the batch where it is a size variable, itself or through the default of a parameter of {@code sized}. */
    private boolean readsBatch(Expr expr, Map<String, ParamSpec> sized) {
        return expr != null && expr.names().stream().anyMatch(name -> batch.contains(name)
                || sized.containsKey(name) && readsBatch(sized.get(name).fallback(), sized));
    }

    /** Whether an expression reads a varying size, itself or through a parameter of {@code sized}, whose default reads one. */
    private boolean readsSized(Expr expr, Map<String, ParamSpec> sized) {
        return expr != null && expr.names().stream().anyMatch(name -> sized.containsKey(name) || readsName(name));
    }

    /**
     * Where an expression is, with the first parameter of {@code sized} it reads and that parameter's default where it reads the
     * sizes through one; null where it reads no varying size.
     */
    private String unfollowed(Expr expr, Map<String, ParamSpec> sized, String where) {
        if (expr == null || !readsSized(expr, sized)) {
            return null;
        }
        if (reads(expr)) {
            return where;
        }
        ParamSpec param = expr.names().stream().filter(sized::containsKey).map(sized::get).findFirst().orElseThrow();
        return where + ", through @Param " + param.name() + " = \"" + param.fallbackText() + "\"";
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
    static String formula(DeclaredFormula declared, String name, String where) {
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
        return dot > 0 && (variables.contains(name.substring(dot + 1)) || !FIXED_AXES.contains(name.substring(dot + 1)));
    }
}
