package dev.modelcost;

import java.math.BigInteger;

/**
 * Writes integers with a comma every three digits ({@code 1,234,567}), as {@code %,d} does in the
 * root locale, without a {@link java.util.Formatter}, whose locale data takes milliseconds to load.
 */
final class Grouping {
    private Grouping() {
    }

    /** {@code value} with its digits grouped by threes. */
    static String of(long value) {
        return of(Long.toString(value));
    }

    /** {@code value} with its digits grouped by threes. */
    static String of(BigInteger value) {
        return of(value.toString());
    }

    private static String of(String digits) {
        int start = digits.startsWith("-") ? 1 : 0;
        StringBuilder text = new StringBuilder(digits.length() + digits.length() / 3);
        text.append(digits, 0, start);
        for (int i = start; i < digits.length(); i++) {
            if (i > start && (digits.length() - i) % 3 == 0) {
                text.append(',');
            }
            text.append(digits.charAt(i));
        }
        return text.toString();
    }
}
