package dev.modelcost.processor.expr;

import dev.modelcost.processor.expr.ExprException.Reason;
import java.util.Set;

/** The arithmetic of expressions: exact long operations and the built-in functions. */
final class Operations {
    /** The built-in functions and how many arguments each takes. */
    static final Set<String> FUNCTIONS = Set.of("min", "max", "divisible", "exact", "ceil", "floor", "round", "int", "len");

    private Operations() {}

    static long negate(long value) {
        try {
            return Math.negateExact(value);
        } catch (ArithmeticException e) {
            throw new ExprException(Reason.OVERFLOW, "-" + value);
        }
    }

    /**
     * A binary operator on two numbers: exact integer arithmetic ({@code /} and {@code %} floor, as
     * Python's {@code //} and {@code %}) when both are integers; Python's float arithmetic when
     * either is a decimal ({@code /} then divides exactly, as Python's {@code /}).
     */
    static Value apply(String op, Value a, Value b) {
        if (!a.isDecimal() && !b.isDecimal()) {
            return apply(op, a.number(), b.number());
        }
        double x = a.asDouble();
        double y = b.asDouble();
        String text = a + " " + op + " " + b;
        switch (op) {
            case "<": return Value.of(compare(a, b) < 0);
            case "<=": return Value.of(compare(a, b) <= 0);
            case ">": return Value.of(compare(a, b) > 0);
            case ">=": return Value.of(compare(a, b) >= 0);
            default: break;
        }
        switch (op) {
            case "+": return finite(x + y, text);
            case "-": return finite(x - y, text);
            case "*": return finite(x * y, text);
            case "/":
                if (y == 0) {
                    throw new ExprException(Reason.DIVISION_BY_ZERO, a + " / 0");
                }
                return finite(x / y, text);
            case "%":
                if (y == 0) {
                    throw new ExprException(Reason.DIVISION_BY_ZERO, a + " % 0");
                }
                // Python's float modulo takes the divisor's sign.
                double r = x % y;
                return finite(r != 0 && (r < 0) != (y < 0) ? r + y : r, text);
            case "<": return Value.of(x < y);
            case "<=": return Value.of(x <= y);
            case ">": return Value.of(x > y);
            case ">=": return Value.of(x >= y);
            default: throw new IllegalStateException("operator " + op);
        }
    }

    /** A decimal result, which must be finite. */
    static Value finite(double value, String text) {
        if (!Double.isFinite(value)) {
            throw new ExprException(Reason.OVERFLOW, text);
        }
        return Value.decimal(value);
    }

    /** A decimal as an integer, which must fit a {@code long}. */
    private static long toLong(double value, String text) {
        if (!(value >= -0x1p63 && value < 0x1p63)) {
            throw new ExprException(Reason.OVERFLOW, text);
        }
        return (long) value;
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
        if (a == Long.MIN_VALUE && b == -1 && op.equals("/")) {
            // The quotient 2^63 does not fit; the remainder, 0, does.
            throw new ExprException(Reason.OVERFLOW, a + " " + op + " " + b);
        }
        return b;
    }

    static Value call(String function, Value[] args) {
        switch (function) {
            case "min":
            case "max": {
                // The first of the least (or greatest) arguments, as Python's min and max.
                Value result = args[0];
                for (Value arg : args) {
                    boolean better = function.equals("min") ? compare(arg, result) < 0 : compare(arg, result) > 0;
                    if (better) {
                        result = arg;
                    }
                }
                return result;
            }
            case "ceil":
            case "floor":
            case "round":
            case "int":
                return rounded(function, args[0]);
            case "divisible":
                if (args[0].isDecimal()) {
                    return Value.of(divisible(args[0].decimal(), integer(args[1], function), args.length > 2 ? integer(args[2], function) : integer(args[1], function)));
                }
                return Value.of(divisible(args[0].number(), integer(args[1], function), args.length > 2 ? integer(args[2], function) : integer(args[1], function)));
            case "exact": {
                long a = integer(args[0], function);
                long b = integer(args[1], function);
                // a / b where b must divide a, as a head dimension d_model / heads.
                if (b == 0) {
                    throw new ExprException(Reason.DIVISION_BY_ZERO, "exact(" + a + ", 0)");
                }
                if (a % b != 0) {
                    throw new ExprException(Reason.TYPE, b + " does not divide " + a + " (exact)");
                }
                return Value.of(a / b);
            }
            default:
                throw new IllegalStateException("function " + function);
        }
    }

    /**
     * Python's {@code math.ceil}, {@code math.floor}, {@code round} (halves to the even neighbour,
     * as torchvision's rounding of channel counts does) and {@code int} (towards zero), each an
     * integer; of an integer, the integer itself.
     */
    private static Value rounded(String function, Value value) {
        if (!value.isDecimal()) {
            return value;
        }
        double d = value.decimal();
        double r = switch (function) {
            case "ceil" -> Math.ceil(d);
            case "floor" -> Math.floor(d);
            case "round" -> Math.rint(d);
            default -> d < 0 ? Math.ceil(d) : Math.floor(d);
        };
        return Value.of(toLong(r, function + "(" + d + ")"));
    }

    /** Compares two numbers exactly, as Python does an int with a float (no rounding of the int to a double). */
    static int compare(Value a, Value b) {
        if (!a.isDecimal() && !b.isDecimal()) {
            return Long.compare(a.number(), b.number());
        }
        return exact(a).compareTo(exact(b));
    }

    private static java.math.BigDecimal exact(Value value) {
        return value.isDecimal() ? new java.math.BigDecimal(value.decimal()) : java.math.BigDecimal.valueOf(value.number());
    }

    private static long integer(Value value, String function) {
        if (value.isDecimal()) {
            throw new ExprException(Reason.TYPE, function + " takes an integer here, not the decimal " + value.decimal());
        }
        return value.number();
    }

    /**
     * torchvision's {@code _make_divisible} of a decimal, in Python's float arithmetic:
     * {@code max(min, int(v + d / 2) // d * d)}, plus {@code d} when that is below {@code 0.9 * v}.
     */
    static long divisible(double value, long divisor, long min) {
        if (divisor < 0) {
            throw new ExprException(Reason.TYPE, "expected a positive divisor but found " + divisor + " in divisible(" + value + ", " + divisor + ")");
        }
        if (divisor == 0) {
            throw new ExprException(Reason.DIVISION_BY_ZERO, "divisible(" + value + ", " + divisor + ")");
        }
        String text = "divisible(" + value + ", " + divisor + ")";
        long truncated = toLong(value + divisor / 2.0, text);
        long rounded = atLeast(min, Math.floorDiv(truncated, divisor), divisor, text);
        if (rounded < 0.9 * value) {
            rounded = added(rounded, divisor, text);
        }
        return rounded;
    }

    /**
     * {@code max(min, quotient · divisor)}, as Python's integers give it: a product below every long is below {@code min}, so
     * {@code min}; one above every long is an overflow.
     */
    private static long atLeast(long min, long quotient, long divisor, String text) {
        try {
            return Math.max(min, Math.multiplyExact(quotient, divisor));
        } catch (ArithmeticException e) {
            if (quotient < 0) {
                return min;
            }
            throw new ExprException(Reason.OVERFLOW, text);
        }
    }

    private static long added(long rounded, long divisor, String text) {
        try {
            return Math.addExact(rounded, divisor);
        } catch (ArithmeticException e) {
            throw new ExprException(Reason.OVERFLOW, text);
        }
    }

    /**
     * The nearest multiple of {@code divisor} to {@code value}, at least {@code min}, and never more
     * than 10% below the value: the channel rounding of MobileNet and EfficientNet.
     */
    static long divisible(long value, long divisor, long min) {
        if (divisor < 0) {
            throw new ExprException(Reason.TYPE, "expected a positive divisor but found " + divisor + " in divisible(" + value + ", " + divisor + ")");
        }
        if (divisor == 0) {
            throw new ExprException(Reason.DIVISION_BY_ZERO, "divisible(" + value + ", " + divisor + ")");
        }
        String text = "divisible(" + value + ", " + divisor + ")";
        long half;
        try {
            half = Math.addExact(value, divisor / 2);
        } catch (ArithmeticException e) {
            throw new ExprException(Reason.OVERFLOW, text);
        }
        long rounded = atLeast(min, Math.floorDiv(half, divisor), divisor, text);
        // rounded < 0.9 * value, exactly: 10 * rounded < 9 * value, in integers that do not wrap
        if (java.math.BigInteger.valueOf(rounded).multiply(java.math.BigInteger.TEN)
                .compareTo(java.math.BigInteger.valueOf(value).multiply(java.math.BigInteger.valueOf(9))) < 0) {
            rounded = added(rounded, divisor, text);
        }
        return rounded;
    }
}
