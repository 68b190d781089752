package dev.modelcost.processor.write;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** Number formatting shared by the reports: grouped integers and one-decimal percentages. */
final class Numbers {
    private Numbers() {}

    /** {@code 1234567} as {@code 1,234,567}. */
    static String grouped(long value) {
        return String.format(Locale.ROOT, "%,d", value);
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
