package dev.modelcost.processor.expr;

/**
 * The value of an expression: an integer, a decimal (a Python float: an IEEE double, as
 * torchvision computes width multipliers), a boolean, a list of integers or a text (a layer kind's name).
 *
 * @param number the integer, when neither boolean nor decimal
 * @param isBoolean whether this is a boolean
 * @param truth the boolean, when boolean
 * @param isDecimal whether this is a decimal
 * @param decimal the decimal, when decimal
 * @param items the integers of a list ({@code [3, 4, 6, 3]}), or null for any other value
 * @param text a text ({@code 'SiLU'}, a layer kind's name), or null for any other value
 */
public record Value(long number, boolean isBoolean, boolean truth, boolean isDecimal, double decimal, java.util.List<Long> items,
        String text) {

    /** Copies the list. */
    public Value {
        items = items == null ? null : java.util.List.copyOf(items);
    }

    /** An integer value. */
    public static Value of(long number) {
        return new Value(number, false, false, false, 0, null, null);
    }

    /** A boolean value. */
    public static Value of(boolean truth) {
        return new Value(0, true, truth, false, 0, null, null);
    }

    /** A decimal value. */
    public static Value decimal(double decimal) {
        return new Value(0, false, false, true, decimal, null, null);
    }

    /** A list of integers. */
    public static Value list(java.util.List<Long> items) {
        return new Value(0, false, false, false, 0, items, null);
    }

    /** A text, such as a layer kind's name. */
    public static Value text(String text) {
        return new Value(0, false, false, false, 0, null, java.util.Objects.requireNonNull(text));
    }

    /** Whether this is a text. */
    public boolean isText() {
        return text != null;
    }

    /** Whether this is a list. */
    public boolean isList() {
        return items != null;
    }

    /** The number as a double, integer or decimal. */
    public double asDouble() {
        return isDecimal ? decimal : number;
    }

    @Override
    public String toString() {
        if (items != null) {
            return items.toString();
        }
        if (text != null) {
            return "'" + text + "'";
        }
        return isBoolean ? Boolean.toString(truth) : isDecimal ? Double.toString(decimal) : Long.toString(number);
    }
}
