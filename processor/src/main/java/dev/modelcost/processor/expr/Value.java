package dev.modelcost.processor.expr;

/**
 * The value of an expression: an integer or a boolean.
 *
 * @param number the integer, when not boolean
 * @param isBoolean whether this is a boolean
 * @param truth the boolean, when boolean
 */
public record Value(long number, boolean isBoolean, boolean truth) {

    /** An integer value. */
    public static Value of(long number) {
        return new Value(number, false, false);
    }

    /** A boolean value. */
    public static Value of(boolean truth) {
        return new Value(0, true, truth);
    }

    @Override
    public String toString() {
        return isBoolean ? Boolean.toString(truth) : Long.toString(number);
    }
}
