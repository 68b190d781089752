package dev.modelcost.processor.sizes;

import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.ExprParser;
import dev.modelcost.processor.expr.Value;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.NetworkSpec;
import dev.modelcost.processor.spec.Operation;
import dev.modelcost.processor.spec.ParamSpec;
import dev.modelcost.processor.spec.Step;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bounds the sizes at which a model's expressions that read a size can turn, which the checks of the
 * closed forms reach past, and finds a decimal that scales a size inexactly in double precision.
 */
final class Thresholds {
    private Thresholds() {}

    /** The absolute value, {@link Long#MAX_VALUE} for {@link Long#MIN_VALUE}. */
    static long magnitude(long value) {
        return value == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(value);
    }

    /**
     * A bound on the numbers at which an expression that may read a varying size can change its form
     * (a floor division, a {@code max}, a comparison): the largest, over the expressions of the model
     * that name a size or a parameter given one anywhere, of the product of what each of their other
     * parts can be at most, each counted as at least 2: past 5,000 for {@code L / BIG + 1} with
     * {@code static final int BIG = 5000}, past 7⁵ for {@code L / 7 / 7 / 7 / 7 / 7 + 1}. A
     * parameter counts the largest of its default and every argument passed to it, a decimal the power
     * of ten it is written over, and a tensor's axis ({@code input.W}, {@code x.D}, {@code h}) counts as
     * {@code largest}, the largest number the layers are given, or any input's size at the declared
     * sizes: a channel count, or how far a map may have shrunk from the input ({@code x.L / 1000} after
     * a reshape by 64 turns at 64,000). The checks at other sizes reach past it; 0 where no expression
     * reads a size.
     */
    static long largest(ModelSpec spec, long largest) {
        SizeReads reads = SizeReads.of(spec);
        List<SizeReads.Located> all = SizeReads.expressions(spec, reads);
        long axes = Math.max(2, largest);
        for (Shape input : spec.inputs()) {
            for (int dim : input.dims()) {
                axes = Math.max(axes, dim);
            }
        }
        Bounds bounds = new Bounds(reads, spec.network(), axes);
        long threshold = 0;
        for (SizeReads.Located located : all) {
            if (located.expr() != null && bounds.readsSize(located.expr())) {
                threshold = Math.max(threshold, bounds.of(located.expr()));
            }
        }
        return threshold;
    }

    /**
     * The first decimal, with the expression it is in, that a size is multiplied by in double precision
     * where the products are not exact ({@code 1.1} in {@code int(L * 1.1)}, or passed to a parameter such
     * an expression names); null where there is none. Rounding then moves a floor by one at sizes no
     * lattice foresees, so such a model gets no closed forms.
     */
    static String inexactDecimal(ModelSpec spec) {
        SizeReads reads = SizeReads.of(spec);
        List<SizeReads.Located> all = SizeReads.expressions(spec, reads);
        Bounds bounds = new Bounds(reads, spec.network(), 2);
        for (SizeReads.Located located : all) {
            if (located.expr() != null && bounds.readsSize(located.expr())) {
                Double decimal = bounds.inexact(located.expr(), false, new HashSet<>());
                if (decimal != null) {
                    return decimal + " in " + located.where();
                }
            }
        }
        return null;
    }

    /** The largest divisor of a remainder of a size that the consecutive samples of a lattice always tell from a polynomial. */
    static final long SMALL_MODULUS = 4;

    /**
     * The first expression that reads a size and changes at single sizes, with where it is; null where there is none: a remainder
     * of a size by more than {@value #SMALL_MODULUS} ({@code H % 61 == 0}), or a size tested for equality ({@code input.W == 100}),
     * not a remainder by at most that ({@code H % 2 == 0}). The closed forms are sampled on a few consecutive sizes and checked at
     * a few others; such a change can fall between every one of them, so such a model gets no closed forms.
     */
    static String pointwise(ModelSpec spec) {
        SizeReads reads = SizeReads.of(spec);
        Bounds bounds = new Bounds(reads, spec.network(), 2);
        for (SizeReads.Located located : SizeReads.expressions(spec, reads)) {
            if (located.expr() != null && bounds.readsSize(located.expr())) {
                String found = bounds.pointwise(located.expr());
                if (found != null) {
                    return found + " in " + located.where();
                }
            }
        }
        return null;
    }

    /** What the parts of a model's expressions can be at most, and which parameters are given a size. */
    private static final class Bounds {
        private final SizeReads reads;
        /** Each parameter's default and every argument passed to it, by name, over every block of the model. */
        private final Map<String, List<Expr>> given = new HashMap<>();
        /** The parameters given an expression that reads a size, directly or through another such parameter. */
        private final Set<String> sized = new HashSet<>();
        private final Map<String, Long> memo = new HashMap<>();
        private final Set<String> open = new HashSet<>();
        /** How many times a cycle of names was cut; a bound found across a cut is not memoized. */
        private int cuts;
        /** What a tensor's axis other than a size variable itself can be at most. */
        private final long axes;

        Bounds(SizeReads reads, NetworkSpec network, long axes) {
            this.reads = reads;
            this.axes = axes;
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

        /**
         * A bound on the sizes at which {@code expr}, which reads a size, can turn: the product of its
         * parts (each at least 2), a part that reads no size counting as the value it can have at most
         * ({@link #value}), an item of a list that reads none not at all; saturating at
         * {@link Long#MAX_VALUE}.
         */
        long of(Expr expr) {
            if (!readsSize(expr)) {
                return value(expr);
            }
            if (expr instanceof Expr.Name name) {
                String n = name.name();
                // A constant or a parameter (one given a size: whatever it was given), even where a block's shares a size's name; a
                // size variable itself; an axis (input.W, h), a size the layers may have shrunk from the input.
                return reads.isConstant(n) || given.containsKey(n) ? name(n) : reads.isVariable(n) ? 2 : axes;
            }
            if (expr instanceof Expr.ListOf list) {
                long largest = 2;
                for (Expr item : list.items()) {
                    if (readsSize(item)) {
                        largest = Math.max(largest, of(item));
                    }
                }
                return largest;
            }
            long product = 1;
            for (Expr part : parts(expr)) {
                product = times(product, of(part));
            }
            return Math.max(2, product);
        }

        /**
         * What an expression that reads no size can be at most, at least 2: a sum the sum of its parts,
         * a product their product, a quotient its dividend times its divisor (which covers a decimal below 1),
         * a remainder its divisor, {@code min}, {@code max} and a choice the largest of theirs.
         */
        long value(Expr expr) {
            if (expr instanceof Expr.Literal literal) {
                Value value = literal.value();
                if (value.isDecimal()) {
                    // x * 0.003 changes its floor every 334 steps of x, x * 1.0001 first at 10,000: a decimal counts as the largest of
                    // itself, its reciprocal and the power of ten it is written over.
                    double d = Math.abs(value.decimal());
                    if (d == 0 || !Double.isFinite(d)) {
                        return 2;
                    }
                    int scale = BigDecimal.valueOf(d).stripTrailingZeros().scale();
                    return atLeastTwo(Math.max(Math.max(Math.ceil(d), Math.ceil(1 / d)), Math.pow(10, Math.max(0, Math.min(scale, 18)))));
                }
                return value.isBoolean() || value.isText() ? 2 : value.isList() ? largest(value.items()) : Math.max(2, magnitude(value.number()));
            }
            if (expr instanceof Expr.Name name) {
                String n = name.name();
                // A constant; a parameter, whatever it was given; a fixed axis (x.D, in), at most the largest size.
                return reads.isConstant(n) || given.containsKey(n) ? name(n) : n.indexOf('.') > 0 || n.equals("in") ? axes : 2;
            }
            if (expr instanceof Expr.Binary binary) {
                long left = value(binary.left());
                long right = value(binary.right());
                switch (binary.op()) {
                    case "+":
                    case "-":
                        return plus(left, right);
                    case "*":
                        return times(left, right);
                    case "/":
                        // A quotient is at most its dividend, unless the divisor is a decimal below 1, which its bound covers.
                        return times(left, right);
                    case "%":
                        return right;
                    default:
                        return 2;
                }
            }
            if (expr instanceof Expr.Call call) {
                if (call.function().equals("divisible")) {
                    // divisible(v, d[, least]): v rounded to a multiple of d, at least least, at most v + d.
                    long sum = 0;
                    for (Expr arg : call.args()) {
                        sum = plus(sum, value(arg));
                    }
                    return Math.max(2, sum);
                }
                if (List.of("min", "max").contains(call.function())) {
                    long largest = 2;
                    for (Expr arg : call.args()) {
                        largest = Math.max(largest, value(arg));
                    }
                    return largest;
                }
                // exact(a, b), int, ceil, floor, round: at most their first argument (rounded up by one).
                return call.args().isEmpty() ? 2 : plus(value(call.args().get(0)), 1);
            }
            if (expr instanceof Expr.Conditional conditional) {
                return Math.max(value(conditional.then()), value(conditional.otherwise()));
            }
            long largest = 2;
            for (Expr part : parts(expr)) {
                largest = Math.max(largest, value(part));
            }
            return largest;
        }

        private static List<Expr> parts(Expr expr) {
            return expr instanceof Expr.ListOf list ? list.items()
                    : expr instanceof Expr.Unary unary ? List.of(unary.operand())
                    : expr instanceof Expr.Binary binary ? List.of(binary.left(), binary.right())
                    : expr instanceof Expr.Index index ? List.of(index.list(), index.index())
                    : expr instanceof Expr.Conditional conditional ? List.of(conditional.condition(), conditional.then(), conditional.otherwise())
                    : expr instanceof Expr.Call call ? call.args() : List.of();
        }

        /**
         * The first decimal whose products are not exact in doubles that scales a size in {@code expr}:
         * a factor or divisor of a product or quotient with a part that reads a size, or given to a
         * parameter that is one ({@code scaling} says whether {@code expr} is such a part).
         */
        Double inexact(Expr expr, boolean scaling, Set<String> visited) {
            if (expr instanceof Expr.Literal literal) {
                return scaling && literal.value().isDecimal() && !ClosedForms.exactScale(Math.abs(literal.value().decimal()))
                        ? literal.value().decimal() : null;
            }
            if (expr instanceof Expr.Name name) {
                if (scaling && visited.add(name.name())) {
                    for (Expr value : given.getOrDefault(name.name(), List.of())) {
                        Double found = inexact(value, true, visited);
                        if (found != null) {
                            return found;
                        }
                    }
                }
                return null;
            }
            boolean scales = expr instanceof Expr.Binary binary && (binary.op().equals("*") || binary.op().equals("/"))
                    && (scaling || readsSize(binary.left()) || readsSize(binary.right()));
            for (Expr part : parts(expr)) {
                Double found = inexact(part, scales, visited);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }

        /** The first part of {@code expr} that {@link Thresholds#pointwise} names, as its operator and what it reads; null if none. */
        String pointwise(Expr expr) {
            for (Expr part : parts(expr)) {
                String found = pointwise(part);
                if (found != null) {
                    return found;
                }
            }
            if (expr instanceof Expr.Binary binary) {
                String op = binary.op();
                if (op.equals("%") && readsSize(binary.left()) && !smallRemainder(binary)) {
                    return "a remainder by " + (readsSize(binary.right()) ? "a size" : value(binary.right())) + " (%)";
                }
                if ((op.equals("==") || op.equals("!=")) && (changesAlone(binary.left()) || changesAlone(binary.right()))) {
                    return "a test for equality (" + op + ")";
                }
            }
            return null;
        }

        /** Whether a remainder of a size is by a number of at most {@value Thresholds#SMALL_MODULUS}. */
        private boolean smallRemainder(Expr.Binary remainder) {
            return !readsSize(remainder.right()) && value(remainder.right()) <= SMALL_MODULUS;
        }

        /** Whether a side of an equality reads a size other than through a small remainder. */
        private boolean changesAlone(Expr side) {
            return readsSize(side) && !(side instanceof Expr.Binary binary && binary.op().equals("%") && smallRemainder(binary));
        }

        /** A constant, or a parameter's default and every argument passed to it (a size given to it counting as 2). */
        private long name(String name) {
            Long known = memo.get(name);
            if (known != null) {
                return known;
            }
            if (!open.add(name)) {
                // Parameters are merged by name across blocks, which can close a cycle: cut it here, and remember nothing found meanwhile.
                cuts++;
                return 2;
            }
            int cutsBefore = cuts;
            long largest = Math.max(2, reads.constant(name));
            for (Expr value : given.getOrDefault(name, List.of())) {
                largest = Math.max(largest, of(value));
            }
            open.remove(name);
            if (cuts == cutsBefore) {
                memo.put(name, largest);
            }
            return largest;
        }

        private static long largest(List<Long> items) {
            long largest = 2;
            for (long item : items) {
                largest = Math.max(largest, magnitude(item));
            }
            return largest;
        }


        private static long atLeastTwo(double value) {
            return value >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(2, (long) value);
        }

        private static long plus(long a, long b) {
            long sum = a + b;
            return sum < 0 ? Long.MAX_VALUE : sum;
        }

        private static long times(long a, long b) {
            long product = a * b;
            return Math.multiplyHigh(a, b) != 0 || product < 0 ? Long.MAX_VALUE : product;
        }
    }

}
