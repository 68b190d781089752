package dev.modelcost.processor.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelcost.processor.expr.ExprException.Reason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The expression language: precedence, floor division, built-ins and every failure. */
class ExprParserTest {
    private static final Scope SCOPE = Scope.of(Map.of("in", Value.of(64), "planes", Value.of(16), "stride", Value.of(2)));

    private static long number(String text) {
        return ExprParser.parse(text).number(SCOPE);
    }

    private static boolean truth(String text) {
        return ExprParser.parse(text).truth(SCOPE);
    }

    @Test
    void arithmeticFollowsUsualPrecedence() {
        assertEquals(70, number("planes * 4 + 6"));
        assertEquals(88, number("planes * (4 + 1) + 8"));
        assertEquals(-2, number("-planes / 8"));
        assertEquals(1_000_000, number("1_000_000"));
    }

    @Test
    void divisionAndRemainderFloorAsPythons() {
        // Python: -7 // 2 == -4 and -7 % 2 == 1.
        assertEquals(-4, number("-7 / 2"));
        assertEquals(1, number("-7 % 2"));
        assertEquals(3, number("7 / 2"));
    }

    @Test
    void conditionsAndTheConditionalOperator() {
        assertEquals(true, truth("stride != 1 || in != planes * 4"));
        assertEquals(false, truth("stride == 1 && in == 64"));
        assertEquals(true, truth("!(stride > 2) && in >= 64 && planes <= 16 && planes < 17"));
        assertEquals(1, number("stride == 2 ? 1 : 0"));
    }

    @Test
    void builtInsMatchTorchvision() {
        assertEquals(2, number("min(stride, 3, 4)"));
        assertEquals(64, number("max(in, planes)"));
        // torchvision's _make_divisible(v, 8): max(8, int(v + 4) // 8 * 8), plus 8 if that is below 0.9 v.
        // v = 10: 14 // 8 * 8 = 8 < 9 -> 16. v = 240: 244 // 8 * 8 = 240. v = 20: 24 // 8 * 8 = 24.
        assertEquals(16, number("divisible(10, 8)"));
        assertEquals(240, number("divisible(960 / 4, 8)"));
        assertEquals(24, number("divisible(20, 8)"));
        // An explicit minimum: max(16, ...) = 16.
        assertEquals(16, number("divisible(3, 8, 16)"));
    }

    @Test
    void assignmentLists() {
        List<ExprParser.Assignment> list = ExprParser.parseAssignments("cout = planes * 4, stride = max(stride, 1)");
        assertEquals(List.of("cout", "stride"), list.stream().map(ExprParser.Assignment::name).toList());
        assertEquals(64, list.get(0).value().number(SCOPE));
        assertEquals("stride = max(stride, 1)", list.get(1).text());
        assertEquals(List.of(), ExprParser.parseAssignments("  "));
    }

    @Test
    void failuresSayWhy() {
        assertEquals(Reason.SYNTAX, assertThrows(ExprException.class, () -> ExprParser.parse("planes *")).reason());
        assertEquals(Reason.SYNTAX, assertThrows(ExprException.class, () -> ExprParser.parse("planes 4")).reason());
        assertEquals(Reason.SYNTAX, assertThrows(ExprException.class, () -> ExprParser.parse("sqrt(4)")).reason());
        assertEquals(Reason.SYNTAX, assertThrows(ExprException.class, () -> ExprParser.parseAssignments("cout planes")).reason());
        assertEquals(Reason.UNKNOWN_NAME, assertThrows(ExprException.class, () -> number("plane * 4")).reason());
        assertEquals(Reason.TYPE, assertThrows(ExprException.class, () -> number("stride == 1")).reason());
        assertEquals(Reason.TYPE, assertThrows(ExprException.class, () -> truth("stride")).reason());
        assertEquals(Reason.DIVISION_BY_ZERO, assertThrows(ExprException.class, () -> number("in / (stride - 2)")).reason());
        assertEquals(Reason.OVERFLOW, assertThrows(ExprException.class, () -> number("9223372036854775807 + 1")).reason());
        assertEquals(Reason.SYNTAX, assertThrows(ExprException.class, () -> ExprParser.parse("99999999999999999999")).reason());
    }

    @Test
    void aNumberWithAnExponentOrALetterSaysSo() {
        // Python's 1e30 and 2.5e-3, Java's 3L: not "expected ')'" at the letter.
        assertTrue(assertThrows(ExprException.class, () -> ExprParser.parse("int(1e30)")).getMessage()
                .contains("the number 1e30 has an exponent, which expressions do not take: write its digits, or a product"));
        assertTrue(assertThrows(ExprException.class, () -> ExprParser.parse("2.5e-3 * in")).getMessage()
                .contains("the number 2.5e-3 has an exponent, which expressions do not take: write its digits (0.0025), or a product"));
        // the digits offered are the number's own: 1e3 is 1_000, 1.5E+6 is 1_500_000
        assertTrue(assertThrows(ExprException.class, () -> ExprParser.parse("out * 1e3")).getMessage().contains("write its digits (1_000), or a product"));
        assertTrue(assertThrows(ExprException.class, () -> ExprParser.parse("1.5E+6")).getMessage().contains("write its digits (1_500_000), or a product"));
        // beyond 64 bits no digits are offered: an expression holds no such number
        assertTrue(assertThrows(ExprException.class, () -> ExprParser.parse("9.9e18")).getMessage().contains("write its digits, or a product"));
        assertTrue(assertThrows(ExprException.class, () -> ExprParser.parse("3L + 1")).getMessage().contains("the number 3L runs into letters"));
        // Underscores group digits between digits only: 1_000 reads, and 1__000 as in Java (Python takes one at a time); 1_000_ and 1_.5 do not.
        assertEquals(1_000, number("1__000"));
        assertTrue(assertThrows(ExprException.class, () -> ExprParser.parse("1_000_ * in")).getMessage()
                .contains("the number 1_000_ has an underscore that is not between two digits: write 1_000"));
        assertTrue(assertThrows(ExprException.class, () -> ExprParser.parse("1_.5")).getMessage()
                .contains("the number 1_.5 has an underscore that is not between two digits: write 1.5"));
        assertEquals(Reason.SYNTAX, assertThrows(ExprException.class, () -> ExprParser.parse("2._5")).reason());
        // A name after a number and a space is still the usual syntax error.
        assertEquals(Reason.SYNTAX, assertThrows(ExprException.class, () -> ExprParser.parse("4 e")).reason());
    }
}
