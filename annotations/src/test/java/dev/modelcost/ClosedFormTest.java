package dev.modelcost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading and evaluating closed forms: polynomials, maxima and minima of several, and what is refused. */
class ClosedFormTest {
    private static final List<String> L = List.of("L");

    @Test
    void aPolynomialEvaluatesExactly() {
        // GPT-2 small's MACs: 123,532,032 a token plus 18,432 a pair of tokens (12 layers x 2 products x 768 wide).
        ClosedForm macs = ClosedForm.parse("MACS", L, "(123532032*L + 18432*L^2) / 1");
        assertEquals(123_532_032L * 1024 + 18_432L * 1024 * 1024, macs.at(1024));
        assertEquals("MACS(L) = 123,532,032\u00b7L + 18,432\u00b7L\u00b2", macs.toString());
        assertFalse(macs.isMaximum());
        assertEquals(List.of(macs), macs.parts());
        assertEquals(2, macs.terms());
        assertEquals(BigInteger.valueOf(18_432), macs.coefficient(1));
    }

    @Test
    void aFormOffItsLatticeIsNoInteger() {
        ClosedForm half = ClosedForm.parse("X", List.of("H", "W"), "(1*H*W) / 2");
        assertEquals(8, half.at(4, 4));
        assertEquals("X(H, W) = 1/2\u00b7H\u00b7W", half.toString());
        assertEquals("X at H = 3, W = 3 is not an integer: the sizes lie off the form's lattice",
                assertThrows(ArithmeticException.class, () -> half.at(3, 3)).getMessage());
    }

    @Test
    void aMaximumIsItsLargestPart() {
        // 4,160·L against 64·L + 4·L²: the first up to L = 1,024, the second beyond.
        ClosedForm peak = ClosedForm.parse("PEAK_ACTIVATION_BYTES", L, "max((4160*L) / 1, (64*L + 4*L^2) / 1)");
        assertTrue(peak.isMaximum());
        assertEquals(2, peak.parts().size());
        assertEquals(4160L * 1000, peak.at(1000));
        assertEquals(4160L * 1024, peak.at(1024));
        assertEquals(64L * 2000 + 4L * 2000 * 2000, peak.at(2000));
        assertEquals("PEAK_ACTIVATION_BYTES(L) = max(4,160\u00b7L, 64\u00b7L + 4\u00b7L\u00b2)", peak.toString());
        assertEquals("max((4160*L) / 1, (64*L + 4*L^2) / 1)", peak.text());
        assertEquals(peak, ClosedForm.parse("PEAK_ACTIVATION_BYTES", L, peak.text()));
        assertEquals("(64*L + 4*L^2) / 1", peak.parts().get(1).text());
        assertThrows(IllegalStateException.class, peak::terms);
        assertThrows(IllegalStateException.class, peak::denominator);
    }

    @Test
    void aMinimumIsItsSmallestPart() {
        // An embedding of 100 rows of 8 floats reads min(3,200, 32·L) bytes of its table: 144 + 120·L against 3,344 + 88·L.
        ClosedForm bytes = ClosedForm.parse("BYTES_MOVED", L, "min((144 + 120*L) / 1, (3344 + 88*L) / 1)");
        assertTrue(bytes.isMinimum());
        assertFalse(bytes.isMaximum());
        assertEquals(144 + 120L * 100, bytes.at(100));
        assertEquals(3344 + 88L * 101, bytes.at(101));
        assertEquals("BYTES_MOVED(L) = min(144 + 120\u00b7L, 3,344 + 88\u00b7L)", bytes.toString());
        assertEquals(bytes, ClosedForm.parse("BYTES_MOVED", L, bytes.text()));
        assertThrows(IllegalStateException.class, () -> bytes.coefficient(0));
    }

    @Test
    void aMaximumMayHoldAMinimumOfPolynomials() {
        // A step of 20·L·batch bytes that copies 6·L·batch more except where L or batch is 1, beside a step of 4·L·batch:
        // min(G, H1, H2) with G = 26·L·batch, on L = 1 its 20·batch, H1 = 20·batch + (G − 20·batch)(L − 1), and on batch = 1 its
        // 20·L, H2 = 20·L + (G − 20·L)(batch − 1). At (3, 4): G = 312, H1 = 544, H2 = 816; at (1, 5): G = 130, H1 = 100, H2 = 460;
        // at (7, 1): G = 182, H1 = 992, H2 = 140.
        List<String> sizes = List.of("L", "batch");
        String text = "max(min((26*L*batch) / 1, (40*batch - 46*L*batch + 26*L^2*batch) / 1, (40*L - 46*L*batch + 26*L*batch^2) / 1), (4*L*batch) / 1)";
        ClosedForm peak = ClosedForm.parse("PEAK_ACTIVATION_BYTES", sizes, text);
        assertTrue(peak.isMaximum());
        assertTrue(peak.parts().get(0).isMinimum());
        assertEquals(3, peak.parts().get(0).parts().size());
        assertEquals(312, peak.at(3, 4));
        assertEquals(100, peak.at(1, 5));
        assertEquals(140, peak.at(7, 1));
        assertEquals(20, peak.at(1, 1));
        assertEquals(text, peak.text());
        assertEquals(peak, ClosedForm.parse("PEAK_ACTIVATION_BYTES", sizes, peak.text()));
        assertEquals("PEAK_ACTIVATION_BYTES(L, batch) = max(min(26\u00b7L\u00b7batch, 40\u00b7batch \u2212 46\u00b7L\u00b7batch + 26\u00b7L\u00b2\u00b7batch, "
                + "40\u00b7L \u2212 46\u00b7L\u00b7batch + 26\u00b7L\u00b7batch\u00b2), 4\u00b7L\u00b7batch)", peak.toString());
        // one level only, never a maximum inside a maximum, and at least two parts in each
        assertThrows(IllegalArgumentException.class, () -> ClosedForm.parse("X", sizes, "max(min((1*L) / 1, max((1*L) / 1, (1*batch) / 1)), (1) / 1)"));
        assertThrows(IllegalArgumentException.class, () -> ClosedForm.parse("X", sizes, "max(max((1*L) / 1, (1*batch) / 1), (1) / 1)"));
        assertThrows(IllegalArgumentException.class, () -> ClosedForm.parse("X", sizes, "max(min((1*L) / 1), (1) / 1)"));
        IllegalArgumentException unbalanced = assertThrows(IllegalArgumentException.class,
                () -> ClosedForm.parse("X", sizes, "max((1*L) / 1, (3) / 1)) , ((2) / 1)"));
        assertTrue(unbalanced.getMessage().contains("unbalanced parentheses"), unbalanced.getMessage());
    }

    @Test
    void badTextIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ClosedForm.parse("X", L, "4160*L"));
        assertThrows(IllegalArgumentException.class, () -> ClosedForm.parse("X", L, "(4160*N) / 1"));
        assertThrows(IllegalArgumentException.class, () -> ClosedForm.parse("X", L, "(4160*L) / 0"));
        assertThrows(IllegalArgumentException.class, () -> ClosedForm.parse("X", L, "max((4160*L) / 1)"));
        assertThrows(IllegalArgumentException.class, () -> ClosedForm.parse("X", L, "(1) / 1").at(1, 2));
        // Garbage where a number belongs, and a power that is not positive: refused with the text, not a bare NumberFormatException.
        IllegalArgumentException garbage = assertThrows(IllegalArgumentException.class, () -> ClosedForm.parse("X", L, "(abc*L) / 1"));
        assertEquals("not a closed form: (abc*L) / 1 (For input string: \"abc\")", garbage.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClosedForm.parse("X", L, "(4*L^0) / 1"));
        assertThrows(IllegalArgumentException.class, () -> ClosedForm.parse("X", L, "(4*L^-2) / 1"));
        assertThrows(NullPointerException.class, () -> ClosedForm.parse("X", L, null));
    }

    @Test
    void aValueBeyond64BitsIsAnArithmeticException() {
        ClosedForm cube = ClosedForm.parse("X", L, "(1*L^3) / 1");
        assertEquals(BigInteger.valueOf(3_000_000L).pow(3), cube.exact(3_000_000L));
        ArithmeticException overflow = assertThrows(ArithmeticException.class, () -> cube.at(3_000_000L));
        assertEquals("X at L = 3000000 is 27000000000000000000, which exceeds 64 bits", overflow.getMessage());
    }

    @Test
    void eachFormIsEvaluatedAtTheSameSizesInOrder() {
        // ResNet-50's MACs on its lattice (2,048,000 + 81,456·H·W) and an output dimension that does not vary.
        List<String> hw = List.of("H", "W");
        List<ClosedForm> forms = List.of(ClosedForm.parse("MACS", hw, "(2048000 + 81456*H*W) / 1"), ClosedForm.parse("OUTPUT_0", hw, "(1000) / 1"));
        long[] values = ClosedForm.each(forms, 512, 512);
        assertEquals(2, values.length);
        assertEquals(2_048_000L + 81_456L * 512 * 512, values[0]);
        assertEquals(1000, values[1]);
        assertThrows(IllegalArgumentException.class, () -> ClosedForm.each(forms, 512));
        assertEquals(0, ClosedForm.each(List.of(), 1, 2).length);
    }

    @Test
    void aDimensionOfTheOutputStopsAt32Bits() {
        // An upsampling by 1,000: 1,000·L positions, a 32-bit dimension up to L = 2,147,483; the processor refuses the model past it.
        ClosedForm length = ClosedForm.parse("OUTPUT_1", L, "(1000*L) / 1");
        assertEquals(2_147_483_000L, length.at(2_147_483));
        assertEquals("OUTPUT_1 at L = 2147484 is 2147484000, above 2,147,483,647, the largest dimension the processor takes (it refuses the "
                + "model at these sizes)", assertThrows(ArithmeticException.class, () -> length.at(2_147_484)).getMessage());
        // A figure of another name may take 64 bits.
        assertEquals(2_147_484_000L, ClosedForm.parse("MACS", L, "(1000*L) / 1").at(2_147_484));
    }
}
