package dev.modelcost.processor.analysis;

import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.Value;
import java.util.Map;

/**
 * An expression as one analysis evaluated it at one place of the network: a test ({@code x.L > 15}, {@code cout = x.H < 32 ?
 * 64 : 128}), or an argument or parameter default a test may read ({@code n = L / 2}).
 *
 * @param expr the expression
 * @param read the value of every name it read there ({@code x.L}, a parameter, a constant), by name
 */
public record EvaluatedExpression(Expr expr, Map<String, Value> read) {}
