package dev.modelcost.processor.write;

import com.palantir.javapoet.CodeBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a string into generated code: one literal where a class file can hold it as one constant,
 * else literals of that size joined when the class initializes.
 *
 * <p>A string constant of a class file holds at most 65,535 bytes of modified UTF-8 (JVMS §4.4.7,
 * {@code CONSTANT_Utf8_info}), and javac refuses a constant expression of 65,535 characters or
 * more ("constant string too long"): a piece holds at most {@value #MOST_BYTES} bytes, so both
 * hold. Strings that grow with what the user writes (a layer's path through nested blocks, the size
 * program of a large network) may pass that; they become {@code String.join("", piece, ...)}, which
 * has the same value but is no compile-time constant.
 */
final class Literals {
    /** The most bytes of modified UTF-8 written as one constant (each character takes at least one). */
    static final int MOST_BYTES = 65_534;

    private Literals() {}

    /** {@code value} as a Java expression: a literal where it fits one constant, else its pieces joined. */
    static CodeBlock string(String value) {
        if (fits(value)) {
            return CodeBlock.of("$S", value);
        }
        List<CodeBlock> pieces = new ArrayList<>();
        for (String piece : pieces(value)) {
            pieces.add(CodeBlock.of("$S", piece));
        }
        return CodeBlock.of("$T.join($S, $L)", String.class, "", CodeBlock.join(pieces, ", "));
    }

    /** Whether {@code value} fits one string constant of a class file. */
    static boolean fits(String value) {
        return value.length() <= MOST_BYTES / 3 || modifiedUtf8Length(value) <= MOST_BYTES;
    }

    /**
     * {@code value} cut into consecutive pieces that each fit one constant, never between the two
     * halves of a surrogate pair (a lone surrogate cannot be written to a source file).
     */
    static List<String> pieces(String value) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        int bytes = 0;
        for (int i = 0; i < value.length(); i++) {
            int size = bytes(value.charAt(i));
            boolean pairStarts = Character.isHighSurrogate(value.charAt(i)) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            int needed = pairStarts ? size + bytes(value.charAt(i + 1)) : size;
            if (bytes + needed > MOST_BYTES) {
                pieces.add(value.substring(start, i));
                start = i;
                bytes = 0;
            }
            bytes += needed;
            if (pairStarts) {
                i++;
            }
        }
        pieces.add(value.substring(start));
        return pieces;
    }

    /** The length of {@code value} in modified UTF-8: NUL and each surrogate take their own 2 and 3 bytes. */
    static int modifiedUtf8Length(String value) {
        int bytes = 0;
        for (int i = 0; i < value.length(); i++) {
            bytes += bytes(value.charAt(i));
        }
        return bytes;
    }

    private static int bytes(char c) {
        return c >= 0x0001 && c <= 0x007F ? 1 : c <= 0x07FF ? 2 : 3;
    }
}
