package dev.modelcost.processor.sizes;

import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Which way an expression of the sizes moves as each size variable it reads grows, as far as its form shows, and the bounds of
 * its value where every size is 1 or more.
 *
 * <p>It decides whether a comparison of two or more sizes is one the closed forms' box of sizes can respect. The box is checked
 * at its corners and along its edges ({@link JointDomain}); a comparison whose two sides' difference moves one way with each size
 * it reads ({@code x.H + x.W > 70}, {@code x.H * x.W < 5_000_000}, {@code x.H > 2 * x.W}) holds in the whole box wherever it
 * holds at the corner that is weakest for it, so that the checks there find where it turns. One that does not
 * ({@code (x.H - 2 * x.W) * (x.H - 2 * x.W) > 0}, {@code x.H % x.W > 0}, {@code max(x.H, x.W) > min(x.H, x.W)}, a disk of sizes
 * {@code (x.H - 50) * (x.H - 50) + (x.W - 30) * (x.W - 30) > 25}), or two comparisons that each do but move opposite ways within
 * one test ({@code x.H <= x.W && x.H >= x.W}), can turn along a line or on an island inside a box whose corners and edges all keep
 * the declared value: {@link #turnIn} finds such a comparison. So can a choice by a comparison of several sizes between values
 * that read sizes ({@code (x.H + x.W > 100 ? 0 : x.H + x.W) > 50}), and a floor quotient or a rounding of several sizes a part of
 * which does not move one way ({@code 1 / ((x.H - x.W) * (x.H - x.W) + 1)}, 1 on the line H = W alone). A comparison that reads
 * one size only is followed along that size alone, at every size of it, and is not looked at here; so, as in the tests the shape
 * rules take apart ({@link TestBox}), a conditional by such comparisons is one of its branches and reads what they read
 * ({@code shiftH + shiftW > 0}, each shift {@code 0} or {@code 3} by a comparison of one size, reads no size).
 *
 * @param directions per size variable read: {@link #UP} where the value never falls as it grows, {@link #DOWN} where it never
 *     rises, {@link #ANY} where the form does not show either; for a condition, which way its truth moves (from false to true
 *     where {@code UP}), counting only its comparisons of two or more sizes
 * @param low a lower bound of the value, {@code -Infinity} where none is known
 * @param high an upper bound of the value, {@code Infinity} where none is known
 */
record Monotone(Map<String, Integer> directions, double low, double high) {
    /** The value never falls as the size grows. */
    static final int UP = 1;
    /** The value never rises as the size grows. */
    static final int DOWN = -1;
    /** The form does not show which way the value moves. */
    static final int ANY = 0;

    /** A value that reads no size and whose bounds are unknown: a parameter's, a layer's attribute's, a condition or a list. */
    static final Monotone UNKNOWN = new Monotone(Map.of(), Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    /** A value that reads no size and is at least 1: a tensor's fixed axis. */
    static final Monotone AXIS = new Monotone(Map.of(), 1, Double.POSITIVE_INFINITY);

    Monotone {
        directions = Map.copyOf(directions);
    }

    /** A size variable itself, or a tensor's axis that follows it: it grows with it and is at least 1. */
    static Monotone size(String variable) {
        return new Monotone(Map.of(variable, UP), 1, Double.POSITIVE_INFINITY);
    }

    /** A number that reads no size. */
    static Monotone constant(double value) {
        return new Monotone(Map.of(), value, value);
    }

    /** One of two values, as a parameter that the first repetition of a block is given one way and the others another. */
    Monotone or(Monotone other) {
        return new Monotone(merge(directions, other.directions), Math.min(low, other.low), Math.max(high, other.high));
    }

    /** What an equality of sizes of two variables does, as {@link Turn#why} says it. */
    static final String ON_A_LINE = "so that it can change along a line of sizes that passes between every size the forms are sampled and checked at";
    /** What any other turn does, after how it compares the sizes. */
    private static final String IN_A_BOX = ", so that it can change inside a box of sizes whose corners and edges the forms are checked at";

    /**
     * A comparison of two or more sizes that the box of sizes may not respect, with the variables it reads and what it does, as the
     * message says it after "it compares sizes that follow H and W together, ".
     */
    record Turn(List<String> variables, String why) {}

    /**
     * The first equality in {@code expr} of sizes of two or more variables, which turns along a line of sizes ({@link #ON_A_LINE});
     * else the first comparison (or a {@code min} or {@code max}, which compares its values) that reads two or more size variables
     * and does not move one way with each, or two such comparisons of one test that move opposite ways; null where there is none.
     *
     * @param names what each name the expression reads is: a size, a tensor's axis, a parameter that holds sizes, a constant
     */
    static Turn turnIn(Expr expr, Function<String, Monotone> names) {
        Walk walk = new Walk(names);
        walk.of(expr);
        return walk.equality != null ? walk.equality : walk.turn;
    }

    /** What {@code expr} is, its comparisons' turns not looked for. */
    static Monotone of(Expr expr, Function<String, Monotone> names) {
        return new Walk(names).of(expr);
    }

    private static Map<String, Integer> merge(Map<String, Integer> a, Map<String, Integer> b) {
        Map<String, Integer> merged = new TreeMap<>(a);
        b.forEach((variable, direction) -> merged.merge(variable, direction, (x, y) -> x.equals(y) ? x : ANY));
        return merged;
    }

    private static Map<String, Integer> scaled(Map<String, Integer> directions, int sign) {
        Map<String, Integer> scaled = new TreeMap<>();
        directions.forEach((variable, direction) -> scaled.put(variable, direction * sign));
        return scaled;
    }

    /** The sign of the value where its bounds show it: 1, -1, 0 where it is 0, or null where they do not. */
    private Integer sign() {
        if (low == 0 && high == 0) {
            return 0;
        }
        return low >= 0 ? Integer.valueOf(1) : high <= 0 ? Integer.valueOf(-1) : null;
    }

    /** Whether the value is never 0, so that it divides. */
    private boolean nonZero() {
        return low > 0 || high < 0;
    }

    /** Reads one expression bottom up, keeping the first turn found. */
    private static final class Walk {
        private final Function<String, Monotone> names;
        private Turn turn;
        /** The first equality of two or more variables, as written from the left (an outer one before those inside it). */
        private Turn equality;

        Walk(Function<String, Monotone> names) {
            this.names = names;
        }

        Monotone of(Expr expr) {
            if (expr instanceof Expr.Literal literal) {
                Value value = literal.value();
                return value.isBoolean() || value.isList() || value.isText() ? UNKNOWN : constant(value.asDouble());
            }
            if (expr instanceof Expr.Name name) {
                Monotone named = names.apply(name.name());
                return named == null ? UNKNOWN : named;
            }
            if (expr instanceof Expr.Unary unary) {
                Monotone operand = of(unary.operand());
                return unary.op() == '!' ? new Monotone(scaled(operand.directions, -1), 0, 1) : negate(operand);
            }
            if (expr instanceof Expr.Binary binary) {
                return binary(binary);
            }
            if (expr instanceof Expr.Conditional conditional) {
                return conditional(of(conditional.condition()), of(conditional.then()), of(conditional.otherwise()));
            }
            if (expr instanceof Expr.Call call) {
                return call(call);
            }
            if (expr instanceof Expr.ListOf list) {
                // each element is a value of its own (a pad per side): one that reads one size does not couple it with another's
                Monotone all = UNKNOWN;
                for (Expr item : list.items()) {
                    all = anyWay(all, of(item));
                }
                return new Monotone(all.directions, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
            }
            Monotone all = UNKNOWN;
            for (Expr part : expr.parts()) {
                all = anyWay(all, of(part));
            }
            return step(new Monotone(all.directions, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY), "by an element picked");
        }

        /**
         * A value that steps as its operand grows (a rounding, an element picked): a turn where it reads two or more sizes and does
         * not move one way with each, as {@code floor(0.1 * (x.W % 10) + x.H)} steps along a curve of H and W.
         */
        private Monotone step(Monotone value, String what) {
            if (value.directions.size() > 1 && value.directions.containsValue(ANY)) {
                found(value, what + " of sizes that does not move one way as each size grows");
            }
            return value;
        }

        /**
         * A floor quotient: a turn where it reads two or more sizes and a side does not move one way with each, as
         * {@code (x.W % 10 + x.H) / 74} steps along a curve of H and W and {@code 1 / ((x.H - x.W) * (x.H - x.W) + 1)} is 1 on the
         * line H = W alone. A quotient of sizes that each move one way ({@code out.numel / x.H}) steps where their ratio passes a
         * whole number, which the forms' checks along each size meet.
         */
        private Monotone quotient(Monotone a, Monotone b) {
            Monotone value = divide(a, b);
            if (value.directions.size() > 1 && (a.directions.containsValue(ANY) || b.directions.containsValue(ANY))) {
                found(value, "by a quotient of sizes that does not move one way as each size grows");
            }
            return value;
        }

        /**
         * {@code c ? a : b}. Where {@code c}'s comparisons read one size each, the box keeps each on one side, and the value is one
         * of the branches (Swin's shift, 0 or 3 by a comparison of one size, reads no size). Where one reads several, the value
         * moves as that comparison's truth does between two numbers that read no size, and is a turn between values that read one.
         */
        private Monotone conditional(Monotone condition, Monotone then, Monotone otherwise) {
            Monotone either = then.or(otherwise);
            if (condition.directions.isEmpty()) {
                return either;
            }
            if (!either.directions.isEmpty()) {
                found(anyWay(either, condition), "by a choice, by a comparison of several sizes, between values that read sizes");
                return anyWay(either, condition);
            }
            int sign = then.low > otherwise.high ? 1 : then.high < otherwise.low ? -1 : then.low == then.high && then.equals(otherwise) ? 0 : 2;
            Map<String, Integer> directions = times(condition.directions, sign == 2 ? null : sign);
            return new Monotone(directions, either.low, either.high);
        }

        private Monotone binary(Expr.Binary binary) {
            Turn before = equality;
            Monotone left = of(binary.left());
            Monotone right = of(binary.right());
            switch (binary.op()) {
                case "+":
                    return add(left, right);
                case "-":
                    return add(left, negate(right));
                case "*":
                    return multiply(left, right);
                case "/":
                    return quotient(left, right);
                case "%":
                    // periodic in each size: the lattices of the closed forms follow a remainder, but not one that a floor or a
                    // comparison then couples with another size
                    return remainder(left, right);
                case "&&":
                case "||":
                    return combine(left, right);
                case "==":
                case "!=": {
                    // an equality of two variables turns on a line of sizes, wherever it is
                    Map<String, Integer> read = merge(left.directions, right.directions);
                    if (read.size() > 1 && before == null) {
                        equality = new Turn(List.copyOf(read.keySet()), ON_A_LINE);
                    }
                    return new Monotone(Map.of(), 0, 1);
                }
                default:
                    return order(binary.op(), left, right);
            }
        }

        /** A comparison for order: a turn where its sides' difference reads two or more sizes and does not move one way with each. */
        private Monotone order(String op, Monotone left, Monotone right) {
            Monotone difference = add(left, negate(right));
            if (difference.directions.size() < 2) {
                return new Monotone(Map.of(), 0, 1);
            }
            if (difference.directions.containsValue(ANY)) {
                found(difference, "by a comparison whose sides' difference does not move one way as each size grows");
            }
            return new Monotone(op.startsWith(">") ? difference.directions : scaled(difference.directions, -1), 0, 1);
        }

        /** Two conditions joined by {@code &&} or {@code ||}: a turn where comparisons of two or more sizes in them move opposite ways. */
        private Monotone combine(Monotone left, Monotone right) {
            Map<String, Integer> merged = merge(left.directions, right.directions);
            if (!left.directions.isEmpty() && !right.directions.isEmpty() && merged.containsValue(ANY) && !left.directions.containsValue(ANY)
                    && !right.directions.containsValue(ANY)) {
                found(new Monotone(merged, 0, 1), "by comparisons joined by && or || that move opposite ways as one size grows "
                        + "(as x.H <= x.W && x.H >= x.W, which holds on a line)");
            }
            return new Monotone(merged, 0, 1);
        }

        private void found(Monotone read, String why) {
            if (turn == null) {
                turn = new Turn(List.copyOf(read.directions.keySet()), why + IN_A_BOX);
            }
        }

        private Monotone call(Expr.Call call) {
            List<Monotone> args = new ArrayList<>();
            for (Expr arg : call.args()) {
                args.add(of(arg));
            }
            switch (call.function()) {
                case "min":
                case "max": {
                    boolean max = call.function().equals("max");
                    Monotone result = args.get(0);
                    for (int i = 0; i < args.size(); i++) {
                        for (int j = i + 1; j < args.size(); j++) {
                            // min and max compare their values: the same turn as a comparison of them
                            order(">", args.get(i), args.get(j));
                        }
                        Monotone arg = args.get(i);
                        result = new Monotone(merge(result.directions, arg.directions), max ? Math.max(result.low, arg.low) : Math.min(result.low, arg.low),
                                max ? Math.max(result.high, arg.high) : Math.min(result.high, arg.high));
                    }
                    return result;
                }
                case "ceil":
                case "floor":
                case "round":
                case "int":
                    return step(new Monotone(args.get(0).directions, args.get(0).low - 1, args.get(0).high + 1), "by a rounding");
                case "exact":
                    return quotient(args.get(0), args.get(1));
                default:
                    Monotone all = UNKNOWN;
                    for (Monotone arg : args) {
                        all = anyWay(all, arg);
                    }
                    return step(new Monotone(all.directions, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY), "by " + call.function() + "(..)");
            }
        }
    }

    /** Every size either value reads, which way it moves unknown. */
    private static Monotone anyWay(Monotone a, Monotone b) {
        Map<String, Integer> any = new TreeMap<>();
        a.directions.keySet().forEach(variable -> any.put(variable, ANY));
        b.directions.keySet().forEach(variable -> any.put(variable, ANY));
        return new Monotone(any, Math.min(a.low, b.low), Math.max(a.high, b.high));
    }

    private static Monotone negate(Monotone a) {
        return new Monotone(scaled(a.directions, -1), -a.high, -a.low);
    }

    private static Monotone add(Monotone a, Monotone b) {
        return new Monotone(merge(a.directions, b.directions), a.low + b.low, a.high + b.high);
    }

    /** {@code a·b}: each factor's directions, times the other's sign ({@code ANY} where that is not known). */
    private static Monotone multiply(Monotone a, Monotone b) {
        Map<String, Integer> directions = merge(times(a.directions, b.sign()), times(b.directions, a.sign()));
        double[] products = {product(a.low, b.low), product(a.low, b.high), product(a.high, b.low), product(a.high, b.high)};
        return new Monotone(directions, java.util.Arrays.stream(products).min().orElseThrow(), java.util.Arrays.stream(products).max().orElseThrow());
    }

    /**
     * {@code a / b}, floor or exact: {@code a}'s directions times {@code b}'s sign, and {@code b}'s against {@code a}'s sign (the
     * quotient moves as {@code -a / b²} with {@code b}); its bounds those of the exact quotient, the lower one floored.
     */
    private static Monotone divide(Monotone a, Monotone b) {
        if (!b.nonZero()) {
            return new Monotone(anyWay(a, b).directions, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        }
        Integer against = a.sign() == null ? null : -a.sign();
        Map<String, Integer> directions = merge(times(a.directions, b.sign()), times(b.directions, against));
        double[] quotients = {a.low / b.low, a.low / b.high, a.high / b.low, a.high / b.high};
        if (java.util.Arrays.stream(quotients).anyMatch(Double::isNaN)) {
            // an unbounded value over an unbounded one: only the sign is known
            boolean nonNegative = a.low >= 0 && b.low > 0 || a.high <= 0 && b.high < 0;
            boolean nonPositive = a.low >= 0 && b.high < 0 || a.high <= 0 && b.low > 0;
            return new Monotone(directions, nonNegative ? 0 : Double.NEGATIVE_INFINITY, nonPositive ? 0 : Double.POSITIVE_INFINITY);
        }
        return new Monotone(directions, Math.floor(java.util.Arrays.stream(quotients).min().orElseThrow()),
                java.util.Arrays.stream(quotients).max().orElseThrow());
    }

    /** {@code a % b}, Python's: periodic in what {@code a} reads, within {@code b}'s bounds where its sign is known. */
    private static Monotone remainder(Monotone a, Monotone b) {
        Map<String, Integer> directions = anyWay(a, b).directions;
        if (b.low > 0) {
            return new Monotone(directions, 0, b.high);
        }
        if (b.high < 0) {
            return new Monotone(directions, b.low, 0);
        }
        return new Monotone(directions, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** Directions times a sign: all {@code ANY} where it is unknown (null), none where the factor is 0. */
    private static Map<String, Integer> times(Map<String, Integer> directions, Integer sign) {
        return sign == null ? scaled(directions, 0) : sign == 0 ? Map.of() : scaled(directions, sign);
    }

    /** A product of bounds, 0 times an infinite one being 0 (the bound is reached by a finite value). */
    private static double product(double a, double b) {
        return a == 0 || b == 0 ? 0 : a * b;
    }
}
