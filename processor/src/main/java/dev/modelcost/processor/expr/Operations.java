package dev.modelcost.processor.expr;

import dev.modelcost.processor.expr.ExprException.Reason;
import java.util.Set;

/** The arithmetic of expressions: exact long operations and the built-in functions. */
final class Operations {
    /** The built-in functions and how many arguments each takes. */
    static final Set<String> FUNCTIONS = Set.of("min", "max", "divisible", "exact");

    private Operations() {}

    static long negate(long value) {
        try {
            return Math.negateExact(value);
        } catch (ArithmeticException e) {
            throw new ExprException(Reason.OVERFLOW, "-" + value);
        }
    }

    static Value apply(String op, long a, long b) {
        try {
            switch (op) {
                case "+": return Value.of(Math.addExact(a, b));
                case "-": return Value.of(Math.subtractExact(a, b));
                case "*": return Value.of(Math.multiplyExact(a, b));
                case "/": return Value.of(Math.floorDiv(a, nonZero(a, op, b)));
                case "%": return Value.of(Math.floorMod(a, nonZero(a, op, b)));
                case "<": return Value.of(a < b);
                case "<=": return Value.of(a <= b);
                case ">": return Value.of(a > b);
                case ">=": return Value.of(a >= b);
                default: throw new IllegalStateException("operator " + op);
            }
        } catch (ArithmeticException e) {
            throw new ExprException(Reason.OVERFLOW, a + " " + op + " " + b);
        }
    }

    private static long nonZero(long a, String op, long b) {
        if (b == 0) {
            throw new ExprException(Reason.DIVISION_BY_ZERO, a + " " + op + " 0");
        }
        if (a == Long.MIN_VALUE && b == -1) {
            throw new ExprException(Reason.OVERFLOW, a + " " + op + " " + b);
        }
        return b;
    }

    static long call(String function, long[] args) {
        switch (function) {
            case "min":
            case "max": {
                long result = args[0];
                for (long arg : args) {
                    result = function.equals("min") ? Math.min(result, arg) : Math.max(result, arg);
                }
                return result;
            }
            case "divisible":
                return divisible(args[0], args[1], args.length > 2 ? args[2] : args[1]);
            case "exact":
                // a / b where b must divide a, as a head dimension d_model / heads.
                if (args[1] == 0) {
                    throw new ExprException(Reason.DIVISION_BY_ZERO, "exact(" + args[0] + ", 0)");
                }
                if (args[0] % args[1] != 0) {
                    throw new ExprException(Reason.TYPE, args[1] + " does not divide " + args[0] + " (exact)");
                }
                return args[0] / args[1];
            default:
                throw new IllegalStateException("function " + function);
        }
    }

    /**
     * The nearest multiple of {@code divisor} to {@code value}, at least {@code min}, and never more
     * than 10% below the value: the channel rounding of MobileNet and EfficientNet.
     */
    static long divisible(long value, long divisor, long min) {
        if (divisor <= 0) {
            throw new ExprException(Reason.DIVISION_BY_ZERO, "divisible(" + value + ", " + divisor + ")");
        }
        try {
            long rounded = Math.max(min, Math.floorDiv(Math.addExact(value, divisor / 2), divisor) * divisor);
            // rounded < 0.9 * value, exactly: 10 * rounded < 9 * value
            if (Math.multiplyExact(10, rounded) < Math.multiplyExact(9, value)) {
                rounded = Math.addExact(rounded, divisor);
            }
            return rounded;
        } catch (ArithmeticException e) {
            throw new ExprException(Reason.OVERFLOW, "divisible(" + value + ", " + divisor + ")");
        }
    }
}
