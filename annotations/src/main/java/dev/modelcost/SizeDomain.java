package dev.modelcost;

import java.util.Locale;

/**
 * Where a model's closed forms ({@link ClosedForm}) hold for one size variable: the lattice
 * {@code default + period·k} from the smallest size at which the network exists to the largest at
 * which it exists and the forms hold (at most {@link Integer#MAX_VALUE}, the largest size a model
 * declares). Immutable.
 */
public final class SizeDomain {
    private final String model;
    private final String name;
    private final long fallback;
    private final long period;
    private final long min;
    private final String belowMin;
    private final long max;
    private final String aboveMax;

    private SizeDomain(String model, String name, long fallback, long period, long min, String belowMin, long max, String aboveMax) {
        this.model = model;
        this.name = name;
        this.fallback = fallback;
        this.period = period;
        this.min = min;
        this.belowMin = belowMin;
        this.max = max;
        this.aboveMax = aboveMax;
    }

    /**
     * The domain of one variable.
     *
     * @param model the model's simple name, for messages
     * @param name the variable
     * @param fallback its default, the size the model declares
     * @param period the lattice's step: 1 where every size is on it
     * @param min the smallest size on the lattice at which the network exists
     * @param belowMin why the next size down fails (the layer and its error), for the message; empty at 1
     * @param max the largest size on the lattice at which the network exists and the forms hold
     * @param aboveMax why the next size up fails (the layer and its error, or the form that changes), for the message
     */
    public static SizeDomain of(String model, String name, long fallback, long period, long min, String belowMin, long max, String aboveMax) {
        if (period < 1 || min < 1 || min > fallback || fallback > max || max > Integer.MAX_VALUE || Math.floorMod(fallback - min, period) != 0
                || Math.floorMod(max - fallback, period) != 0) {
            throw new IllegalArgumentException(name + ": " + min + ", " + fallback + " and " + max + " on a lattice of period " + period);
        }
        return new SizeDomain(model, name, fallback, period, min, belowMin, max, aboveMax);
    }

    /** The variable's name. */
    public String name() {
        return name;
    }

    /** The lattice's step: 1 where every size from {@link #min()} up is in the domain. */
    public long period() {
        return period;
    }

    /** The smallest size at which the network exists. */
    public long min() {
        return min;
    }

    /** The largest size at which the network exists and the forms hold. */
    public long max() {
        return max;
    }

    /** Whether the closed forms hold at {@code size}. */
    public boolean contains(long size) {
        return size >= min && size <= max && Math.floorMod(size - fallback, period) == 0;
    }

    /**
     * Returns {@code size} if the closed forms hold there.
     *
     * @throws IllegalArgumentException naming the reason otherwise: below the smallest size at which
     *     the network exists or above the largest (with the layer that fails, or the form that changes),
     *     or off the lattice
     */
    public long check(long size) {
        if (size < min) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %s = %d is below %d, the smallest size at which the network exists%s",
                    model, name, size, min, belowMin.isEmpty() ? "" : " (" + belowMin + ")"));
        }
        if (size > max) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %s = %d is above %d, %s%s", model, name, size, max,
                    max == Integer.MAX_VALUE - Math.floorMod(Integer.MAX_VALUE - fallback, period) && aboveMax.isEmpty()
                            ? "the largest size a model declares" : "the largest size at which the closed forms hold",
                    aboveMax.isEmpty() ? "" : " (" + aboveMax + ")"));
        }
        if (Math.floorMod(size - fallback, period) != 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %s = %d is not on the lattice %d + %d\u00b7k on which the "
                    + "closed forms hold; compile the model at that size instead", model, name, size, fallback, period));
        }
        return size;
    }

    @Override
    public String toString() {
        return (period == 1 ? name : name + " = " + fallback + " + " + period + "\u00b7k") + " from " + min + " to " + max;
    }
}
