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
     * A double as a Java literal that reads back as the same double, from its exact binary value
     * (so the text is the same on every JDK): 17 significant digits, trailing zeros dropped.
     */
    static String exact(double value) {
        if (value == 0) {
            return "0.0";
        }
        String text = new BigDecimal(value).round(new java.math.MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros().toString();
        return text.contains(".") || text.contains("E") ? text : text + ".0";
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
