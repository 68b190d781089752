package dev.modelcost.processor.roofline;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Durations and rates as messages and reports write them, from the exact binary value (so the text
 * is the same on every JDK): four significant digits in the unit that suits, {@code 812.3 µs}.
 */
public final class Seconds {
    private static final MathContext FOUR = new MathContext(4, RoundingMode.HALF_EVEN);

    private Seconds() {}

    /** A duration in s, ms, µs or ns, four significant digits: {@code 1.234 ms}, {@code 0 s}. */
    public static String of(double seconds) {
        if (seconds == 0) {
            return "0 s";
        }
        if (seconds >= 1) {
            return significant(seconds) + " s";
        }
        if (seconds >= 1e-3) {
            return significant(seconds * 1e3) + " ms";
        }
        if (seconds >= 1e-6) {
            return significant(seconds * 1e6) + " \u00b5s";
        }
        return significant(seconds * 1e9) + " ns";
    }

    /** Four significant digits, without an exponent and without trailing zeros: {@code 812.3}, {@code 0.05}, {@code 12000}. */
    public static String significant(double value) {
        return new BigDecimal(value).round(FOUR).stripTrailingZeros().toPlainString();
    }

    /** {@code part} as a percentage of {@code whole}, one decimal; {@code 0.0} when the whole is 0. */
    public static String percent(double part, double whole) {
        if (whole == 0) {
            return "0.0";
        }
        return new BigDecimal(part).multiply(BigDecimal.valueOf(100)).divide(new BigDecimal(whole), 1, RoundingMode.HALF_UP).toPlainString();
    }
}
