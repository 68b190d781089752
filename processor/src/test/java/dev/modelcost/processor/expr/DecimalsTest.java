package dev.modelcost.processor.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Decimals, the rounding functions and lists, against what Python 3 prints for the same expression (each
 * expected value is Python's, written beside it): width and depth multipliers as torchvision
 * computes them in float arithmetic.
 */
class DecimalsTest {
    private static final Scope SCOPE = new Scope() {
        private final Map<String, Value> values = Map.of("width", Value.decimal(1.1), "layers", Value.of(3),
                "depths", Value.list(List.of(3L, 4L, 6L, 3L)));

        @Override
        public Value lookup(String name) {
            return values.get(name);
        }

        @Override
        public java.util.Collection<String> names() {
            return values.keySet();
        }
    };

    private static long number(String text) {
        return ExprParser.parse(text).number(SCOPE);
    }

    private static Value value(String text) {
        return ExprParser.parse(text).numeric(SCOPE);
    }

    @Test
    void depthMultipliersRoundUpAsMathCeil() {
        assertEquals(4, number("ceil(layers * width)"));   // math.ceil(3 * 1.1) == 4 (3.3000000000000003)
        assertEquals(5, number("ceil(4 * 1.2)"));          // math.ceil(4 * 1.2) == 5
        assertEquals(10, number("ceil(3 * 3.1)"));         // EfficientNet-B7's depth: math.ceil(3 * 3.1) == 10
    }

    @Test
    void widthMultipliersRoundAsMakeDivisible() {
        // torchvision's _make_divisible(v, 8) of a float: max(8, int(v + 4.0) // 8 * 8), + 8 below 0.9 * v.
        assertEquals(32, number("divisible(32 * width, 8)"));     // _make_divisible(32 * 1.1, 8) == 32
        assertEquals(24, number("divisible(16 * 1.4, 8)"));       // _make_divisible(16 * 1.4, 8) == 24
        assertEquals(1408, number("divisible(1280 * width, 8)")); // _make_divisible(1280 * 1.1, 8) == 1408
        assertEquals(72, number("divisible(40 * 1.8, 8)"));       // _make_divisible(40 * 1.8, 8) == 72
    }

    @Test
    void makeDivisibleFarBelowZeroIsItsMinimumAsInPython() {
        // Python's integers do not wrap: _make_divisible(-9.2e18, 6e18, 1) == 1, and so for the integer -9_200_000_000_000_000_000
        // (int(v + d / 2) // d * d is -2 * 6e18, below every long, so the max is 1).
        assertEquals(1, number("divisible(-9200000000000000000.0, 6000000000000000000, 1)"));
        assertEquals(1, number("divisible(-9200000000000000000, 6000000000000000000, 1)"));
        // Above every long it is an overflow, never a wrapped number: 9.2e18 rounds to 12e18.
        assertEquals(ExprException.Reason.OVERFLOW, assertThrows(ExprException.class,
                () -> number("divisible(9200000000000000000.0, 6000000000000000000, 1)")).reason());
    }

    @Test
    void aDigitOfAnotherScriptIsNoDigitOfANumber() {
        // Arabic-Indic three after a decimal point: no decimal, and the parser says where, as it does before the point.
        ExprException after = assertThrows(ExprException.class, () -> ExprParser.parse("1.\u0663"));
        assertTrue(after.getMessage().contains("unexpected"), after.getMessage());
    }

    @Test
    void roundingFunctionsFollowPython() {
        assertEquals(2, number("round(2.5)"));   // round(2.5) == 2: halves go to the even neighbour
        assertEquals(4, number("round(3.5)"));   // round(3.5) == 4
        assertEquals(-2, number("round(-2.5)")); // round(-2.5) == -2
        assertEquals(-3, number("int(-3.9)"));   // int(-3.9) == -3
        assertEquals(-4, number("floor(-3.5)")); // math.floor(-3.5) == -4
        assertEquals(7, number("round(7)"));     // an integer stays itself
    }

    @Test
    void theSmallestLongModuloMinusOneIsZeroButItsQuotientOverflows() {
        assertEquals(5, number("(-9223372036854775807 - 1) % -1 + 5"));   // (-2**63) % -1 == 0
        assertEquals(1, number("(-9223372036854775807 - 1) % 3"));        // (-2**63) % 3 == 1
    }

    @Test
    void arithmeticOfDecimalsIsPythonsFloatArithmetic() {
        assertEquals(3, number("7 / 2"));                           // integers keep floor division (7 // 2)
        assertEquals(Value.decimal(3.5), value("7.0 / 2"));         // 7.0 / 2 == 3.5
        assertEquals(Value.decimal(-0.5), value("1.5 % -1"));       // 1.5 % -1 == -0.5
        assertEquals(Value.decimal(0.5), value("min(1, 0.5)"));     // min(1, 0.5) == 0.5
        assertTrue(ExprParser.parse("2 == 2.0").truth(SCOPE));      // 2 == 2.0
        assertEquals(Value.decimal(3.3000000000000003), value("layers * width"));
    }

    @Test
    void aDecimalWhereAnIntegerIsNeededIsRefused() {
        ExprException e = assertThrows(ExprException.class, () -> number("layers * width"));
        assertEquals("expected an integer but found the decimal 3.3000000000000003; round it with ceil, floor, round or int", e.detail());
        ExprException list = assertThrows(ExprException.class, () -> ExprParser.parse("[2, 1.5]").list(SCOPE));
        assertTrue(list.detail().contains("decimal 1.5"), list.detail());
        assertEquals(List.of(2L, 2L), ExprParser.parse("[2, round(1.5)]").list(SCOPE));
        assertThrows(ExprException.class, () -> value("1.5 / 0"));
        assertThrows(ExprException.class, () -> value("exact(6.0, 2)"));
    }

    @Test
    void listsAreIndexedAsPythonIndexesThem() {
        assertEquals(6, number("depths[2]"));                    // [3, 4, 6, 3][2] == 6
        assertEquals(3, number("depths[-1]"));                   // [3, 4, 6, 3][-1] == 3
        assertEquals(4, number("len(depths)"));
        assertEquals(16, number("depths[0] + depths[1] + depths[2] + depths[3]"));
        assertEquals(20, number("[10, 20, 30][1]"));
        assertEquals(List.of(3L, 4L, 6L, 3L), ExprParser.parse("depths").list(SCOPE));
        ExprException range = assertThrows(ExprException.class, () -> number("depths[4]"));
        assertEquals("index 4 is out of range for the list [3, 4, 6, 3]", range.detail());
        ExprException scalar = assertThrows(ExprException.class, () -> number("depths + 1"));
        assertTrue(scalar.detail().startsWith("a list [3, 4, 6, 3] is only allowed for an attribute that takes a list"), scalar.detail());
        assertThrows(ExprException.class, () -> number("layers[0]"));
    }

    @Test
    void integersAndDecimalsCompareExactlyAsPythonCompares() {
        // Python: 9007199254740993 == 9007199254740992.0 is False, and 9007199254740993 > 9007199254740992.0 is True.
        assertTrue(!ExprParser.parse("9007199254740993 == 9007199254740992.0").truth(SCOPE));
        assertTrue(ExprParser.parse("9007199254740993 > 9007199254740992.0").truth(SCOPE));
        assertEquals(Value.of(9007199254740993L), value("max(9007199254740993, 9007199254740992.0)"));
        // Python: min(3) is a TypeError; here min and max take at least two arguments.
        ExprException one = assertThrows(ExprException.class, () -> ExprParser.parse("min(3)"));
        assertTrue(one.detail().startsWith("min takes at least two arguments, not 1"), one.detail());
    }
}
