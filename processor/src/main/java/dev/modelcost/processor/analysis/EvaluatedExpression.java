package dev.modelcost.processor.analysis;

import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.Scope;
import dev.modelcost.processor.expr.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An expression as one analysis evaluated it at one place of the network: a test ({@code x.L > 15}, {@code cout = x.H < 32 ?
 * 64 : 128}), or an argument or parameter default a test may read ({@code n = L / 2}).
 *
 * @param expr the expression
 * @param read the value of every name it read there ({@code x.L}, a parameter, a constant), by name
 */
public record EvaluatedExpression(Expr expr, Map<String, Value> read) {
    /**
     * Whether, against the same expression evaluated {@code before} (at other sizes), a comparison inside it (for order or
     * equality, or a {@code min} or {@code max} choosing) is true one time and false the other, and the expression's value differs:
     * a switch, not a value that grows with the sizes.
     */
    public boolean turnedFrom(EvaluatedExpression before) {
        if (Objects.equals(before.valueOf(before.expr()), valueOf(before.expr()))) {
            return false; // the same value either way (both branches alike, or the turning one not taken): it switches nothing
        }
        List<Expr> comparisons = new ArrayList<>();
        comparisons(before.expr(), comparisons);
        for (Expr comparison : comparisons) {
            Value was = before.valueOf(comparison);
            Value is = valueOf(comparison);
            if (was != null && is != null && was.isBoolean() && is.isBoolean() && was.truth() != is.truth()) {
                return true;
            }
        }
        return false;
    }

    private static void comparisons(Expr expr, List<Expr> found) {
        if (expr instanceof Expr.Binary binary && Expr.Binary.COMPARISONS.contains(binary.op())) {
            found.add(expr);
        }
        found.addAll(expr.choices());
        expr.parts().forEach(part -> comparisons(part, found));
    }

    /** The value of {@code part} (this expression or a part of it) from the values this evaluation read; null where it cannot be told again. */
    public Value valueOf(Expr part) {
        try {
            return part.eval(Scope.of(read));
        } catch (RuntimeException unreadable) {
            return null;
        }
    }
}
