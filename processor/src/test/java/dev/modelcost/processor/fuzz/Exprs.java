package dev.modelcost.processor.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random expressions of the DSL's language that evaluate to a chosen value, over the names in
 * scope (input dimensions, constants, parameters). The value is known by construction, so the
 * expected figures never need an evaluator: {@code /} and {@code %} are exercised with negative
 * operands, where the DSL's floor semantics (Python's {@code //}) differ from Java's.
 */
final class Exprs {
    private Exprs() {}

    /** An integer expression equal to {@code value}. */
    static String number(SplittableRandom r, long value, Map<String, Long> names, int depth) {
        if (depth <= 0 || r.nextInt(4) == 0) {
            return leaf(r, value, names);
        }
        switch (r.nextInt(10)) {
            case 0: {
                long b = r.nextLong(-20, 21);
                return "(" + number(r, value - b, names, depth - 1) + " + " + number(r, b, names, depth - 1) + ")";
            }
            case 1: {
                long b = r.nextLong(-20, 21);
                return "(" + number(r, value + b, names, depth - 1) + " - " + number(r, b, names, depth - 1) + ")";
            }
            case 2: {
                List<Long> divisors = new ArrayList<>();
                for (long d = 1; d <= Math.min(Math.abs(value), 12); d++) {
                    if (value % d == 0) {
                        divisors.add(d);
                    }
                }
                if (divisors.isEmpty()) {
                    return "(" + number(r, value, names, depth - 1) + " * 1)";
                }
                long d = divisors.get(r.nextInt(divisors.size()));
                return "(" + number(r, value / d, names, depth - 1) + " * " + number(r, d, names, depth - 1) + ")";
            }
            case 3: {
                // floor division by a positive divisor: value * b + rest, 0 <= rest < b
                long b = r.nextLong(1, 8);
                long numerator = value * b + r.nextLong(b);
                return "(" + number(r, numerator, names, depth - 1) + " / " + b + ")";
            }
            case 4: {
                // floor division by a negative divisor: numerator = value * (-b) - rest, 0 <= rest < b
                long b = r.nextLong(1, 8);
                long numerator = value * -b - r.nextLong(b);
                return "(" + number(r, numerator, names, depth - 1) + " / -" + b + ")";
            }
            case 5: {
                // floor modulo: (q * b + value) % b == value for 0 <= value < b, whatever the sign of q
                if (value < 0 || value > 40) {
                    return leaf(r, value, names);
                }
                long b = value + r.nextLong(1, 6);
                long q = r.nextLong(-4, 5);
                return "(" + number(r, q * b + value, names, depth - 1) + " % " + b + ")";
            }
            case 6: {
                long other = value + r.nextLong(0, 10);
                return r.nextBoolean()
                        ? "min(" + number(r, value, names, depth - 1) + ", " + number(r, other, names, depth - 1) + ")"
                        : "min(" + number(r, other, names, depth - 1) + ", " + number(r, value, names, depth - 1) + ", " + (other + 1) + ")";
            }
            case 7: {
                long other = value - r.nextLong(0, 10);
                return "max(" + number(r, other, names, depth - 1) + ", " + number(r, value, names, depth - 1) + ")";
            }
            case 8: {
                boolean pick = r.nextBoolean();
                long other = value + r.nextLong(1, 9);
                String condition = condition(r, pick, names, depth - 1);
                return pick
                        ? "(" + condition + " ? " + number(r, value, names, depth - 1) + " : " + number(r, other, names, depth - 1) + ")"
                        : "(" + condition + " ? " + number(r, other, names, depth - 1) + " : " + number(r, value, names, depth - 1) + ")";
            }
            default:
                return "-" + "(" + number(r, -value, names, depth - 1) + ")";
        }
    }

    /** A literal, a name of that value, or a name plus an offset. */
    private static String leaf(SplittableRandom r, long value, Map<String, Long> names) {
        if (!names.isEmpty() && r.nextInt(3) == 0) {
            List<String> keys = new ArrayList<>(names.keySet());
            String name = keys.get(r.nextInt(keys.size()));
            long offset = value - names.get(name);
            if (offset == 0) {
                return name;
            }
            return "(" + name + (offset > 0 ? " + " + offset : " - " + -offset) + ")";
        }
        return literal(value);
    }

    static String literal(long value) {
        if (value < 0) {
            return "(-" + -value + ")";
        }
        return Long.toString(value);
    }

    /** A boolean expression equal to {@code value}. */
    static String condition(SplittableRandom r, boolean value, Map<String, Long> names, int depth) {
        if (depth <= 0) {
            return Boolean.toString(value);
        }
        switch (r.nextInt(6)) {
            case 0:
                return Boolean.toString(value);
            case 1:
                return "!(" + condition(r, !value, names, depth - 1) + ")";
            case 2: {
                boolean a = value || r.nextBoolean();
                boolean b = value || (!a && r.nextBoolean());
                return "(" + condition(r, a, names, depth - 1) + " && " + condition(r, b, names, depth - 1) + ")";
            }
            case 3: {
                boolean a = value && r.nextBoolean();
                boolean b = value && (!a || r.nextBoolean());
                return "(" + condition(r, a, names, depth - 1) + " || " + condition(r, b, names, depth - 1) + ")";
            }
            default: {
                long x = r.nextLong(-5, 30);
                long y = x + r.nextLong(-3, 4);
                String op;
                List<String> ops = new ArrayList<>();
                if ((x < y) == value) ops.add("<");
                if ((x <= y) == value) ops.add("<=");
                if ((x > y) == value) ops.add(">");
                if ((x >= y) == value) ops.add(">=");
                if ((x == y) == value) ops.add("==");
                if ((x != y) == value) ops.add("!=");
                op = ops.get(r.nextInt(ops.size()));
                return number(r, x, names, depth - 1) + " " + op + " " + number(r, y, names, depth - 1);
            }
        }
    }
}
