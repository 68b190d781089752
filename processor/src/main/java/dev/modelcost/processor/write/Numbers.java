package dev.modelcost.processor.write;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Number formatting shared by the reports: grouped integers and one-decimal percentages. */
final class Numbers {
    private Numbers() {}

    /** A difference with its sign, digits grouped and a true minus: {@code +44,558,336}, {@code \u2212145,700}, {@code 0}. */
    static String signed(long value) {
        return value == 0 ? "0" : (value > 0 ? "+" : "\u2212") + grouped(Math.abs(value));
    }

    /** {@code 1234567} as {@code 1,234,567} (as {@code %,d} in the root locale, without a formatter per call). */
    static String grouped(long value) {
        String digits = Long.toString(value);
        int start = value < 0 ? 1 : 0;
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

    /**
     * A double as a Java literal that reads back as the same double, from its exact binary value (so
     * the text is the same on every JDK): the fewest significant digits that do, plain between
     * 0.001 and 10^7, else in scientific notation: {@code 19.26384197554605}, {@code 1.9509735164179E-4}.
     */
    static String exact(double value) {
        if (value == 0) {
            return "0.0";
        }
        BigDecimal exact = new BigDecimal(value);
        for (int digits = 1; ; digits++) {
            BigDecimal rounded = exact.round(new java.math.MathContext(digits, RoundingMode.HALF_EVEN)).stripTrailingZeros();
            if (rounded.doubleValue() == value || digits == 17) {
                double magnitude = Math.abs(value);
                String text = magnitude >= 1e-3 && magnitude < 1e7 ? rounded.toPlainString() : rounded.toString();
                return text.contains(".") || text.contains("E") ? text : text + ".0";
            }
        }
    }

    /** {@code part} as a percentage of {@code total}, one decimal; {@code 0.0} when the total is 0. */
    static String percent(long part, long total) {
        if (total == 0) {
            return "0.0";
        }
        return BigDecimal.valueOf(part).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(total), 1, RoundingMode.HALF_UP).toPlainString();
    }
}
