package dev.modelcost.processor.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Strings longer than one class-file constant are written as pieces that each fit one and join to the string. */
class LiteralsTest {

    @Test
    void aStringThatFitsIsOneLiteral() {
        assertEquals("\"layer1.0.conv1\"", Literals.string("layer1.0.conv1").toString());
        // 65,534 ASCII characters: 65,534 bytes, the most one piece holds.
        assertTrue(Literals.fits("x".repeat(65_534)));
        assertFalse(Literals.fits("x".repeat(65_535)));
    }

    @Test
    void aLongerStringIsCutIntoPiecesThatEachFit() {
        // 70,000 ASCII characters: 65,534 then 4,466.
        String ascii = "p".repeat(70_000);
        assertEquals(List.of(65_534, 4_466), Literals.pieces(ascii).stream().map(String::length).toList());
        assertTrue(Literals.string(ascii).toString().startsWith("java.lang.String.join(\"\", \"ppp"));
        // 30,000 euro signs take 3 bytes each in (modified) UTF-8: 90,000 bytes, so 21,844 characters (65,532 bytes) a piece.
        String euros = "\u20ac".repeat(30_000);
        assertEquals(90_000, euros.getBytes(StandardCharsets.UTF_8).length);
        assertEquals(List.of(21_844, 8_156), Literals.pieces(euros).stream().map(String::length).toList());
        // NUL takes 2 bytes in modified UTF-8 (1 in standard UTF-8).
        assertEquals(2 * 40_000, Literals.modifiedUtf8Length("\0".repeat(40_000)));
        for (String value : List.of(ascii, euros, "\0".repeat(40_000))) {
            List<String> pieces = Literals.pieces(value);
            assertEquals(value, String.join("", pieces));
            pieces.forEach(piece -> assertTrue(Literals.modifiedUtf8Length(piece) <= 65_534, piece.length() + " characters"));
        }
    }

    @Test
    void aSurrogatePairIsNeverSplit() {
        // 65,531 bytes of ASCII, then a character outside the BMP (two surrogates, 3 bytes each in modified UTF-8): the high half
        // would fit the first piece (65,534 bytes) and the low half not, so the pair starts the second piece whole.
        String value = "a".repeat(65_531) + "\ud83d\ude00" + "b".repeat(10);
        List<String> pieces = Literals.pieces(value);
        assertEquals(List.of("a".repeat(65_531), "\ud83d\ude00" + "b".repeat(10)), pieces);
    }
}
