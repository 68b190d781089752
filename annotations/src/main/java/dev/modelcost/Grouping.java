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
        StringBuilder text = new StringBuilder(digits);
        int sign = digits.startsWith("-") ? 1 : 0;
        for (int comma = digits.length() - 3; comma > sign; comma -= 3) {
            text.insert(comma, ',');
        }
        return text.toString();
    }
}
