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
import dev.modelcost.processor.expr.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
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
    private final Set<NetworkSpec> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    private SizeReads(ModelSpec spec) {
        this.variables = Set.copyOf(spec.sizes().stream().map(SizeVariable::name).toList());
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

    /**
     * A bound on the numbers at which an expression that may read a varying size can change its form
     * (a floor division, a {@code max}, a comparison): the largest, over the expressions of the model
     * that name a size or a parameter given one anywhere, of the product of what each of their other
     * parts can be at most, each counted as at least 2. {@code max(0, input.W - 1500)} gives 3,000,
     * {@code L / BIG + 1} with {@code static final int BIG = 5000} gives 10,000,
     * {@code L / 7 / 7 / 7 / 7 / 7 + 1} gives 2·7⁵, and a parameter counts the largest of its default
     * and every argument passed to it. The checks at other sizes reach past it; 0 where no expression
     * reads a size.
     */
    static long largestThreshold(ModelSpec spec) {
        SizeReads reads = new SizeReads(spec);
        List<Located> all = new ArrayList<>();
        reads.collect(spec.network(), "", all);
        Bounds bounds = new Bounds(reads, spec.network());
        long largest = 0;
        for (Located located : all) {
            if (located.expr() != null && bounds.readsSize(located.expr())) {
                largest = Math.max(largest, bounds.of(located.expr()));
            }
        }
        return largest;
    }

    /** What the parts of a model's expressions can be at most, and which parameters are given a size. */
    private static final class Bounds {
        private final SizeReads reads;
        /** Each constant's largest magnitude by name, over every network of the model. */
        private final Map<String, Long> constants = new HashMap<>();
        /** Each parameter's default and every argument passed to it, by name, over every block of the model. */
        private final Map<String, List<Expr>> given = new HashMap<>();
        /** The parameters given an expression that reads a size, directly or through another such parameter. */
        private final Set<String> sized = new HashSet<>();
        private final Map<String, Long> memo = new HashMap<>();
        private final Set<String> open = new HashSet<>();

        Bounds(SizeReads reads, NetworkSpec network) {
            this.reads = reads;
            gather(network, Collections.newSetFromMap(new IdentityHashMap<>()));
            boolean grew = true;
            while (grew) {
                grew = false;
                for (Map.Entry<String, List<Expr>> param : given.entrySet()) {
                    if (!sized.contains(param.getKey()) && param.getValue().stream().anyMatch(this::readsSize)) {
                        sized.add(param.getKey());
                        grew = true;
                    }
                }
            }
        }

        private void gather(NetworkSpec network, Set<NetworkSpec> seen) {
            if (!seen.add(network)) {
                return;
            }
            network.constants().forEach((name, value) -> constants.merge(name, magnitude(value), Math::max));
            for (ParamSpec param : network.params()) {
                if (param.fallback() != null) {
                    given.computeIfAbsent(param.name(), name -> new ArrayList<>()).add(param.fallback());
                }
            }
            for (Step step : network.steps()) {
                if (step.operation() instanceof Operation.BlockOp use) {
                    for (List<ExprParser.Assignment> assignments : List.of(use.args(), use.first())) {
                        for (ExprParser.Assignment assignment : assignments) {
                            given.computeIfAbsent(assignment.name(), name -> new ArrayList<>()).add(assignment.value());
                        }
                    }
                    gather(use.block(), seen);
                }
            }
        }

        boolean readsSize(Expr expr) {
            return expr.names().stream().anyMatch(name -> reads.readsName(name) || sized.contains(name));
        }

        /** What {@code expr} can be at most, as a product of its parts (each at least 2), saturating at {@link Long#MAX_VALUE}. */
        long of(Expr expr) {
            if (expr instanceof Expr.Literal literal) {
                Value value = literal.value();
                if (value.isDecimal()) {
                    // x * 0.003 changes its floor every 334 steps of x: a decimal counts as the larger of itself and its reciprocal.
                    double d = Math.abs(value.decimal());
                    return d == 0 || !Double.isFinite(d) ? 2 : atLeastTwo(Math.max(Math.ceil(d), Math.ceil(1 / d)));
                }
                return value.isBoolean() || value.isText() ? 2 : value.isList() ? largest(value.items()) : Math.max(2, magnitude(value.number()));
            }
            if (expr instanceof Expr.Name name) {
                return reads.readsName(name.name()) || sized.contains(name.name()) ? 2 : name(name.name());
            }
            if (expr instanceof Expr.ListOf list) {
                long largest = 2;
                for (Expr item : list.items()) {
                    largest = Math.max(largest, of(item));
                }
                return largest;
            }
            if (expr instanceof Expr.Unary unary) {
                return of(unary.operand());
            }
            if (expr instanceof Expr.Binary binary) {
                return times(of(binary.left()), of(binary.right()));
            }
            if (expr instanceof Expr.Index index) {
                return times(of(index.list()), of(index.index()));
            }
            if (expr instanceof Expr.Conditional conditional) {
                return times(of(conditional.condition()), Math.max(of(conditional.then()), of(conditional.otherwise())));
            }
            long product = 2;
            if (expr instanceof Expr.Call call) {
                for (Expr arg : call.args()) {
                    product = times(product, of(arg));
                }
            }
            return product;
        }

        /** A name that reads no size: a constant, or a parameter's default and every argument passed to it; 2 for any other. */
        private long name(String name) {
            Long known = memo.get(name);
            if (known != null) {
                return known;
            }
            if (!open.add(name)) {
                return 2;
            }
            long largest = Math.max(2, constants.getOrDefault(name, 2L));
            for (Expr value : given.getOrDefault(name, List.of())) {
                largest = Math.max(largest, of(value));
            }
            open.remove(name);
            memo.put(name, largest);
            return largest;
        }

        private static long largest(List<Long> items) {
            long largest = 2;
            for (long item : items) {
                largest = Math.max(largest, magnitude(item));
            }
            return largest;
        }

        private static long magnitude(long value) {
            return value == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(value);
        }

        private static long atLeastTwo(double value) {
            return value >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(2, (long) value);
        }

        private static long times(long a, long b) {
            long product = a * b;
            return Math.multiplyHigh(a, b) != 0 || product < 0 ? Long.MAX_VALUE : product;
        }
    }

    /** An expression of the model, where it is as messages say it, and whether it is a layer's attribute. */
    private record Located(Expr expr, String where, boolean opAttribute) {}

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

    private boolean reads(Expr expr) {
        return expr != null && expr.names().stream().anyMatch(this::readsName);
    }

    private boolean readsName(String name) {
        if (variables.contains(name) || name.equals("h") || name.equals("w")) {
            return true;
        }
        int dot = name.lastIndexOf('.');
        return dot > 0 && !FIXED_AXES.contains(name.substring(dot + 1));
    }
}
