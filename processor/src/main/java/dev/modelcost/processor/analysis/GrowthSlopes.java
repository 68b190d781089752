package dev.modelcost.processor.analysis;

import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.ExprException;
import dev.modelcost.processor.expr.Scope;
import dev.modelcost.processor.expr.Value;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * How fast an expression of sizes grows with each size it reads, where it is a line plus a bounded rest: its slope per size, a
 * rational number. Sums, negations, products and floor divisions by numbers and {@code floor}, {@code ceil}, {@code int} and
 * {@code exact} by a number keep the rest bounded (a floor division differs from the exact quotient by less than 1), a remainder by a
 * number is bounded itself, and a {@code min} or {@code max} of values of one slope has that slope. So {@code max(a, b)} of two values
 * of one slope takes one or the other by a bounded difference, whose sign repeats as the values do: TF's "SAME" padding,
 * {@code max(((x.H + 1) / 2 - 1) * 2 + 3 - x.H, 0)}, has slope 0 on both sides.
 */
final class GrowthSlopes {
    /** A rational slope in lowest terms, its denominator positive. */
    record Ratio(BigInteger numerator, BigInteger denominator) {}

    private final Predicate<String> sized;
    private final Scope constants;

    /**
     * @param sized whether a name is a size ({@code input.H}, or a bare name that stands for one)
     * @param constants the scope in which the parts that read no size are evaluated
     */
    GrowthSlopes(Predicate<String> sized, Scope constants) {
        this.sized = sized;
        this.constants = constants;
    }

    /**
     * Whether each of {@code values} is a line of the same slopes plus a bounded rest, so that the least or the greatest of them is
     * one too, whose choice repeats where they repeat.
     */
    boolean sameSlopes(List<Expr> values) {
        Map<String, Ratio> first = values.isEmpty() ? null : of(values.get(0));
        return first != null && values.stream().allMatch(value -> first.equals(of(value)));
    }

    /**
     * The slope per size of {@code expr}, each in lowest terms with a positive denominator, sizes of slope
     * 0 left out; null where it is no line plus a bounded rest (a product of sizes, a division by one) or a number in it is not an
     * integer.
     */
    Map<String, Ratio> of(Expr expr) {
        if (expr.names().stream().noneMatch(sized)) {
            return integer(expr) == null ? null : Map.of();
        }
        if (expr instanceof Expr.Name name) {
            return Map.of(name.name(), new Ratio(BigInteger.ONE, BigInteger.ONE));
        }
        if (expr instanceof Expr.Unary unary && unary.op() == '-') {
            return scaled(of(unary.operand()), BigInteger.ONE.negate(), BigInteger.ONE);
        }
        if (expr instanceof Expr.Binary binary) {
            return switch (binary.op()) {
                case "+" -> sum(of(binary.left()), of(binary.right()), BigInteger.ONE);
                case "-" -> sum(of(binary.left()), of(binary.right()), BigInteger.ONE.negate());
                case "*" -> product(binary.left(), binary.right());
                case "/" -> quotient(binary.left(), binary.right());
                case "%" -> integer(binary.right()) != null && of(binary.left()) != null ? Map.of() : null;
                default -> null;
            };
        }
        if (expr instanceof Expr.Call call) {
            return switch (call.function()) {
                case "floor", "ceil", "int" -> call.args().size() == 1 ? of(call.args().get(0)) : null;
                case "exact" -> call.args().size() == 2 ? quotient(call.args().get(0), call.args().get(1)) : null;
                case "min", "max" -> sameSlopes(call.args()) ? of(call.args().get(0)) : null;
                default -> null;
            };
        }
        return null;
    }

    private Map<String, Ratio> product(Expr left, Expr right) {
        BigInteger factor = left.names().stream().noneMatch(sized) ? integer(left) : right.names().stream().noneMatch(sized) ? integer(right) : null;
        Expr other = left.names().stream().noneMatch(sized) ? right : left;
        return factor == null ? null : scaled(of(other), factor, BigInteger.ONE);
    }

    private Map<String, Ratio> quotient(Expr dividend, Expr divisor) {
        BigInteger by = divisor.names().stream().noneMatch(sized) ? integer(divisor) : null;
        return by == null || by.signum() == 0 ? null : scaled(of(dividend), BigInteger.ONE, by);
    }

    /** {@code a + sign·b}, slope by slope. */
    private static Map<String, Ratio> sum(Map<String, Ratio> a, Map<String, Ratio> b, BigInteger sign) {
        if (a == null || b == null) {
            return null;
        }
        Map<String, Ratio> sum = new TreeMap<>(a);
        b.forEach((name, slope) -> {
            Ratio here = sum.getOrDefault(name, new Ratio(BigInteger.ZERO, BigInteger.ONE));
            sum.put(name, lowest(here.numerator().multiply(slope.denominator()).add(sign.multiply(slope.numerator()).multiply(here.denominator())),
                    here.denominator().multiply(slope.denominator())));
        });
        sum.values().removeIf(slope -> slope.numerator().signum() == 0);
        return sum;
    }

    private static Map<String, Ratio> scaled(Map<String, Ratio> slopes, BigInteger numerator, BigInteger denominator) {
        if (slopes == null) {
            return null;
        }
        Map<String, Ratio> scaled = new TreeMap<>();
        slopes.forEach((name, slope) -> scaled.put(name, lowest(slope.numerator().multiply(numerator), slope.denominator().multiply(denominator))));
        scaled.values().removeIf(slope -> slope.numerator().signum() == 0);
        return scaled;
    }

    private static Ratio lowest(BigInteger numerator, BigInteger denominator) {
        BigInteger gcd = numerator.gcd(denominator);
        BigInteger sign = BigInteger.valueOf(denominator.signum());
        return gcd.signum() == 0 ? new Ratio(BigInteger.ZERO, BigInteger.ONE)
                : new Ratio(numerator.divide(gcd).multiply(sign), denominator.divide(gcd).multiply(sign));
    }

    /** The value of a part that reads no size, where it is an integer; null otherwise. */
    private BigInteger integer(Expr expr) {
        try {
            Value value = expr.eval(constants);
            return value.isDecimal() || value.isBoolean() || value.isList() || value.isText() ? null : BigInteger.valueOf(value.number());
        } catch (ExprException | ArithmeticException e) {
            return null;
        }
    }
}
