package dev.modelcost.processor.roofline;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Durations, rates and other decimals as messages and reports write them, from the exact binary
 * value (so the text is the same on every JDK): four significant digits, in the unit that suits
 * a duration ({@code 812.3 µs}), in scientific notation for a number far from 1.
 */
public final class Seconds {
    private static final MathContext FOUR = new MathContext(4, RoundingMode.HALF_EVEN);

    private Seconds() {}

    /**
     * A duration in s, ms, µs or ns, four significant digits: {@code 1.234 ms}, {@code 0 s}; below a nanosecond in ns
     * ({@code 0.64 ns}), below a picosecond in seconds.
     */
    public static String of(double seconds) {
        if (seconds == 0 || !Double.isFinite(seconds)) {
            return significant(seconds) + " s";
        }
        // the unit of the rounded value, so that 999.96 µs is 1 ms
        double rounded = new BigDecimal(seconds).round(FOUR).doubleValue();
        if (rounded >= 1 || rounded < 1e-12) {
            return significant(seconds) + " s";
        }
        if (rounded >= 1e-3) {
            return significant(seconds * 1e3) + " ms";
        }
        if (rounded >= 1e-6) {
            return significant(seconds * 1e6) + " \u00b5s";
        }
        return significant(seconds * 1e9) + " ns";
    }

    /**
     * Four significant digits without trailing zeros: {@code 812.3}, {@code 0.05}, {@code 12,000} (grouped from 1,000 on);
     * in scientific notation below 0.001 and from 10^7 on ({@code 1.5E+23}).
     */
    public static String significant(double value) {
        if (!Double.isFinite(value)) {
            return Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(value).round(FOUR).stripTrailingZeros();
        double magnitude = Math.abs(rounded.doubleValue());
        if (magnitude >= 1e3 && magnitude < 1e7) {
            // Digits grouped as every other count's: 3,350 GB/s.
            String plain = rounded.toPlainString();
            int point = plain.indexOf('.');
            String whole = point < 0 ? plain : plain.substring(0, point);
            return String.format(java.util.Locale.ROOT, "%,d", Long.parseLong(whole)) + (point < 0 ? "" : plain.substring(point));
        }
        return magnitude >= 1e-3 && magnitude < 1e7 ? rounded.toPlainString() : rounded.toString();
    }

    /**
     * A value as written, to the digits of its double ({@code 1.0000001}, {@code 0.00099999}, {@code 1000000001}), for a message that
     * refuses it against a range: {@link #significant} could round it onto the range's end. Scientific notation outside 10^-6 to 10^15.
     */
    public static String written(double value) {
        if (!Double.isFinite(value) || value == 0) {
            return significant(value);
        }
        double magnitude = Math.abs(value);
        BigDecimal digits = BigDecimal.valueOf(value).stripTrailingZeros();
        return magnitude >= 1e-6 && magnitude < 1e15 ? digits.toPlainString() : digits.toString();
    }

    /** {@code part} as a percentage of {@code whole}, one decimal (halves up); {@code 0.0} when the whole is 0. */
    public static String percent(double part, double whole) {
        if (whole == 0) {
            return "0.0";
        }
        return new BigDecimal(part).multiply(BigDecimal.valueOf(100)).divide(new BigDecimal(whole), 1, RoundingMode.HALF_UP).toPlainString();
    }
}
