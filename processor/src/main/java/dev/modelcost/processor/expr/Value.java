package dev.modelcost.processor.expr;

/**
 * The value of an expression: an integer, a decimal (a Python float: an IEEE double, as
 * torchvision computes width multipliers) or a boolean.
 *
 * @param number the integer, when neither boolean nor decimal
 * @param isBoolean whether this is a boolean
 * @param truth the boolean, when boolean
 * @param isDecimal whether this is a decimal
 * @param decimal the decimal, when decimal
 */
public record Value(long number, boolean isBoolean, boolean truth, boolean isDecimal, double decimal) {

    /** An integer value. */
    public static Value of(long number) {
        return new Value(number, false, false, false, 0);
    }

    /** A boolean value. */
    public static Value of(boolean truth) {
        return new Value(0, true, truth, false, 0);
    }

    /** A decimal value. */
    public static Value decimal(double decimal) {
        return new Value(0, false, false, true, decimal);
    }

    /** The number as a double, integer or decimal. */
    public double asDouble() {
        return isDecimal ? decimal : number;
    }

    @Override
    public String toString() {
        return isBoolean ? Boolean.toString(truth) : isDecimal ? Double.toString(decimal) : Long.toString(number);
    }
}
