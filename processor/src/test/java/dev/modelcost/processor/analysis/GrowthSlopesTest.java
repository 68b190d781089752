package dev.modelcost.processor.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.ExprParser;
import dev.modelcost.processor.expr.Scope;
import dev.modelcost.processor.expr.Value;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The slopes of expressions of sizes, each derived by hand beside it: a line plus a bounded rest, or none. */
class GrowthSlopesTest {
    /** {@code x.W} and {@code x.H} are sizes; {@code k} is a parameter of 3 and {@code d} one of 2.5. */
    private static final GrowthSlopes SLOPES = new GrowthSlopes(name -> name.startsWith("x."), Scope.of(Map.of("k", Value.of(3), "d", Value.decimal(2.5))));

    private static Map<String, GrowthSlopes.Ratio> slopes(String text) {
        return SLOPES.of(ExprParser.parse(text));
    }

    private static GrowthSlopes.Ratio ratio(long numerator, long denominator) {
        return new GrowthSlopes.Ratio(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
    }

    @Test
    void linesGrowByTheirCoefficientsAndFloorsByTheQuotient() {
        assertEquals(Map.of("x.W", ratio(1, 1)), slopes("x.W"));
        // (W / 3) * 2 grows by 2/3 a size; 2·k·W by 6; W - W is 0 and left out
        assertEquals(Map.of("x.W", ratio(2, 3)), slopes("x.W / 3 * 2"));
        assertEquals(Map.of("x.W", ratio(6, 1), "x.H", ratio(-1, 2)), slopes("2 * k * x.W - ceil(x.H / 2)"));
        assertEquals(Map.of(), slopes("x.W - x.W + 7"));
        // a remainder by a number is bounded: W % 7 and -(H % 4) grow by nothing
        assertEquals(Map.of(), slopes("x.W % 7 - x.H % 4"));
        // exact(W, 4) is W / 4 where it exists
        assertEquals(Map.of("x.W", ratio(1, 4)), slopes("exact(x.W, 4)"));
    }

    @Test
    void tfSamePaddingGrowsByNothingSoItsMaximumRepeats() {
        // (ceil(W / 2) - 1) * 2 + 3 - W: 2·(W/2) - W = 0, so max(that, 0) takes one side or the other by the parity of W
        assertEquals(Map.of(), slopes("max(((x.W + 1) / 2 - 1) * 2 + 3 - x.W, 0)"));
        assertTrue(SLOPES.sameSlopes(List.of(ExprParser.parse("((x.W + 1) / 2 - 1) * 2 + 3 - x.W"), ExprParser.parse("0"))));
        // min(W / 2, (W + 1) / 2) takes one side or the other, both of 1/2
        assertEquals(Map.of("x.W", ratio(1, 2)), slopes("min(x.W / 2, (x.W + 1) / 2)"));
    }

    @Test
    void valuesThatGrowApartOrNotAlongALineHaveNoSlope() {
        // max(0, W - 1500) switches once, at 1,500: its sides grow by 0 and 1
        assertFalse(SLOPES.sameSlopes(List.of(ExprParser.parse("0"), ExprParser.parse("x.W - 1500"))));
        assertNull(slopes("max(0, x.W - 1500)"));
        // a product of sizes, a division by a size, a comparison, a decimal factor
        assertNull(slopes("x.W * x.H"));
        assertNull(slopes("64 / x.W"));
        assertNull(slopes("x.W > 3"));
        assertNull(slopes("d * x.W"));
        // a min of W and H: each grows with another size
        assertNull(slopes("min(x.W, x.H)"));
    }

    @Test
    void anExpressionOfNoSizeIsAConstantWhereItIsAnInteger() {
        Expr integer = ExprParser.parse("k * 4 + 1");
        assertEquals(Map.of(), SLOPES.of(integer));
        assertNull(slopes("d + 1"));
    }
}
