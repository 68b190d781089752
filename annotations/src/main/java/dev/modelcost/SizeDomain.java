package dev.modelcost;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a model's closed forms ({@link ClosedForm}) hold for one size variable: the lattice
 * {@code default + period·k} from the smallest size at which the network exists and the forms hold
 * to the largest (at most {@link Integer#MAX_VALUE}, the largest size a model declares). The
 * generated {@code at(...)} checks every size against its domain. Immutable.
 */
public final class SizeDomain {
    private final String model;
    private final String name;
    private final long fallback;
    /** A size on the lattice its messages start it from: the default where it lies on it, else the smallest size. */
    private final long origin;
    private final long period;
    private final long min;
    private final String belowMin;
    private final long max;
    private final String aboveMax;
    /** The largest size off the lattice that a size program answers, at least {@link #max}. */
    private final long programMax;
    private final String aboveProgramMax;
    private final String notFiner;

    private SizeDomain(String model, String name, long fallback, long period, String notFiner, long min, String belowMin, long max, String aboveMax,
            long programMax, String aboveProgramMax) {
        this.model = model;
        this.name = name;
        this.fallback = fallback;
        this.origin = Math.floorMod(fallback - min, period) == 0 ? fallback : min;
        this.period = period;
        this.notFiner = notFiner;
        this.min = min;
        this.belowMin = belowMin;
        this.max = max;
        this.aboveMax = aboveMax;
        this.programMax = programMax;
        this.aboveProgramMax = aboveProgramMax;
    }

    /**
     * The domain of one variable.
     *
     * @param model the model's simple name, for messages
     * @param name the variable
     * @param fallback its default, the size the model declares, on the lattice; or below {@code min}, on it or not, where the declared
     *     size sits just below a test that turns (the forms hold past it, and the generated {@code at(...)} gives the declared size's own
     *     figures)
     * @param period the lattice's step: 1 where every size is on it
     * @param min the smallest size on the lattice at which the network exists and the forms hold
     * @param belowMin why the next size down is out (the layer that fails there, or the form that changes), for the
     *     message; empty where it would be below 1
     * @param max the largest size on the lattice at which the network exists and the forms hold
     * @param aboveMax why the next size up is out, for the message; empty where nothing fails up to 2^31 − 1
     * @throws IllegalArgumentException if the sizes do not lie on one lattice, or {@code min} or the default is above {@code max}
     */
    public static SizeDomain of(String model, String name, long fallback, long period, long min, String belowMin, long max, String aboveMax) {
        return of(model, name, fallback, period, "", min, belowMin, max, aboveMax);
    }

    /**
     * The domain of one variable whose lattice's period is above 1 for a reason known, said where a size off the lattice is refused.
     *
     * @param model the model's simple name, for messages
     * @param name the variable
     * @param fallback its default, the size the model declares, on the lattice (or below {@code min}, on it or not, where the forms
     *     hold past a test that turns just above it)
     * @param period the lattice's step
     * @param notFiner why no lattice of a shorter period through the default holds (a figure that is no polynomial on it, a size on
     *     it where the network does not exist), for the message; empty where none is known
     * @param min the smallest size on the lattice at which the network exists and the forms hold
     * @param belowMin why the next size down is out, as {@link #of(String, String, long, long, long, String, long, String)} takes it
     * @param max the largest size on the lattice at which the network exists and the forms hold
     * @param aboveMax why the next size up is out, as {@link #of(String, String, long, long, long, String, long, String)} takes it
     * @throws IllegalArgumentException if the sizes do not lie on one lattice, or {@code min} or the default is above {@code max}
     */
    public static SizeDomain of(String model, String name, long fallback, long period, String notFiner, long min, String belowMin, long max,
            String aboveMax) {
        return of(model, name, fallback, period, notFiner, min, belowMin, max, aboveMax, max, aboveMax);
    }

    /**
     * The domain of one variable whose largest size off the lattice, where a size program answers, lies above its largest size on
     * it: the sizes between the last size of the lattice at which the network exists and the next, where it does not (a position
     * table of 100 rows after a stride of 4, declared at 1: the lattice ends at 397, the sizes up to 400 exist).
     *
     * @param programMax the largest size off the lattice at which the network exists and the size program holds, from {@code max}
     *     to below {@code max + period}, every size between them included
     * @param aboveProgramMax why the next size up off the lattice is out, as {@code aboveMax} says for the lattice's
     * @throws IllegalArgumentException as {@link #of(String, String, long, long, String, long, String, long, String)} does, or if
     *     {@code programMax} is not from {@code max} to below {@code max + period}
     * @see #of(String, String, long, long, String, long, String, long, String)
     */
    public static SizeDomain of(String model, String name, long fallback, long period, String notFiner, long min, String belowMin, long max,
            String aboveMax, long programMax, String aboveProgramMax) {
        // the default on the lattice, or below the smallest size (past a test that turns, the forms' lattice may miss it)
        if (period < 1 || min < 1 || fallback < 1 || min > max || fallback > max || max > Integer.MAX_VALUE
                || Math.floorMod(fallback - min, period) != 0 && fallback >= min || Math.floorMod(max - min, period) != 0
                || programMax < max || programMax - max >= period || programMax > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": " + min + ", " + fallback + ", " + max + " and " + programMax + " on a lattice of period " + period);
        }
        return new SizeDomain(model, Objects.requireNonNull(name), fallback, period, Objects.requireNonNull(notFiner), min,
                Objects.requireNonNull(belowMin), max, Objects.requireNonNull(aboveMax), programMax, Objects.requireNonNull(aboveProgramMax));
    }

    /** The model's simple name. */
    public String model() {
        return model;
    }

    /** The variable's name. */
    public String name() {
        return name;
    }

    /** The variable's default, the size the model declares. */
    public long fallback() {
        return fallback;
    }

    /** The lattice's step: 1 where every size from {@link #min()} to {@link #max()} is in the domain. */
    public long period() {
        return period;
    }

    /** Why no lattice of a shorter period than {@link #period()} holds; empty where the period is 1 or no reason is known. */
    public String notFiner() {
        return notFiner;
    }

    /** The smallest size at which the network exists and the forms hold. */
    public long min() {
        return min;
    }

    /** Why the next size below {@link #min()} is out; empty where it would be below 1. */
    public String belowMin() {
        return belowMin;
    }

    /** The largest size at which the network exists and the forms hold. */
    public long max() {
        return max;
    }

    /** Why the next size above {@link #max()} is out; empty where nothing fails up to 2^31 − 1. */
    public String aboveMax() {
        return aboveMax;
    }

    /**
     * The largest size off the lattice at which the network exists and a size program answers: {@link #max()}, or up to one
     * period less one above it, where the sizes between the lattice's last size and its next exist.
     */
    public long programMax() {
        return programMax;
    }

    /** Why the next size off the lattice above {@link #programMax()} is out; {@link #aboveMax()} where none between failed. */
    public String aboveProgramMax() {
        return aboveProgramMax;
    }

    /** Whether the closed forms hold at {@code size}. */
    public boolean contains(long size) {
        return size >= min && size <= max && Math.floorMod(size - origin, period) == 0;
    }

    /** Whether {@code size} lies on the lattice {@code fallback + period·k} (or {@code min + period·k}, where the default is off it), whatever its bounds. */
    public boolean onLattice(long size) {
        return Math.floorMod(size - origin, period) == 0;
    }

    /**
     * Returns {@code size} if the closed forms hold there.
     *
     * @throws IllegalArgumentException naming the reason otherwise: off the lattice (a size of at least 1), or
     *     below the smallest size or above the largest at which the network exists and the forms hold (with the
     *     layer that fails there, or the form that changes)
     */
    public long check(long size) {
        return check(size, "");
    }

    /**
     * Returns {@code size} if the closed forms hold there, as {@link #check(long)} does; off the
     * lattice, the message also says why the model has no size program to answer there.
     *
     * @param noProgram why, as a clause on the model ({@code "the model has sizes that no program follows
     *     through its layers: ..."}); empty to say nothing
     * @throws IllegalArgumentException as {@link #check(long)} does
     */
    public long check(long size, String noProgram) {
        // Off the lattice first: whether the network exists there, below or above the forms' sizes, only a compile tells.
        if (size >= 1 && Math.floorMod(size - origin, period) != 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %s = %d is not on the lattice %d + %d\u00b7k on which the "
                    + "closed forms hold%s%s; compile the model at that size instead, which also tells whether the network exists there", model, name, size, origin, period,
                    notFiner.isEmpty() ? "" : " (no finer lattice holds: " + notFiner + ")", noProgram.isEmpty() ? "" : ", and sizes off it have no size program: " + noProgram));
        }
        return within(size);
    }

    /**
     * Returns {@code size} if it lies between the smallest and the largest size of the domain, on the
     * lattice or not (a generated class answers off the lattice from its size program, within these bounds).
     *
     * @throws IllegalArgumentException naming the reason otherwise, as {@link #check} does
     */
    public long within(long size) {
        if (size < min) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %s = %d is below %d, the smallest size at which the closed forms hold%s",
                    model, name, size, min, belowMin.isEmpty() ? "" : " (" + belowMin + ")"));
        }
        return notAbove(size);
    }

    /**
     * Whether {@code size} lies below the smallest size of the domain, where a generated class with a
     * size program answers from the program (which names the layer where the network ends).
     */
    public boolean below(long size) {
        return size < min;
    }

    /**
     * Returns {@code size} if it is a size (at least 1) no larger than the largest size of the domain,
     * on the lattice ({@link #max()}) or off it ({@link #programMax()}): a generated class with a size program answers below the
     * domain from it.
     *
     * @throws IllegalArgumentException naming the reason otherwise, as {@link #check} does
     */
    public long notAbove(long size) {
        if (size < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %s = %d is no size; sizes are at least 1", model, name, size));
        }
        // Between the lattice's largest size and its next, only sizes off it, up to the program's largest, are answered.
        if (size > max && (onLattice(size) || size > programMax)) {
            String above = onLattice(size) ? aboveMax : aboveProgramMax;
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %s = %d is above %d, the largest size at which the closed forms hold%s",
                    model, name, size, programMax, !above.isEmpty() ? " (" + above + ")" : period > 1
                            ? " (the last size of the lattice up to 2,147,483,647, the largest size a model declares)"
                            : " (the largest size a model declares is 2,147,483,647)"));
        }
        return size;
    }

    /**
     * Checks that every axis that holds several sizes ({@code H*W} flattened, {@code p.L + q.L} concatenated) fits 32 bits: with each size in
     * its domain, such an axis may still pass 2,147,483,647 positions, where the processor refuses the model.
     *
     * @param model the model's simple name, for the message
     * @param axes each axis's number of positions, a form whose figure is its layer's path
     * @param names each axis's name ({@code H*W}), in the order of {@code axes}
     * @param sizes one value per variable, in the order of the forms' {@link ClosedForm#variables()}
     * @throws ArithmeticException naming the layer and the axis, where one passes 2,147,483,647
     */
    public static void checkAxes(String model, List<ClosedForm> axes, List<String> names, long... sizes) {
        for (int a = 0; a < axes.size(); a++) {
            ClosedForm axis = axes.get(a);
            BigInteger positions = axis.exact(sizes);
            if (positions.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
                throw new ArithmeticException(String.format(Locale.ROOT, "%s at %s: %s gives %,d positions on its %s axis, above 2,147,483,647, "
                        + "the largest dimension the processor takes (it refuses the model at these sizes)", model, axis.where(sizes), axis.figure(),
                        positions, names.get(a)));
            }
        }
    }

    /**
     * The domain as the reports and the Javadoc state it: {@code L from 1 to 1,024 (default 1,024)},
     * {@code H = 224 + 32·k from 32 to 2,147,483,616 (default 224)}.
     */
    @Override
    public String toString() {
        return (period == 1 ? name : name + " = " + origin + " + " + period + "\u00b7k") + " from " + Grouping.of(min) + " to "
                + Grouping.of(max) + (programMax > max ? ", off it to " + Grouping.of(programMax) : "") + " (default " + Grouping.of(fallback) + ")";
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof SizeDomain)) {
            return false;
        }
        SizeDomain that = (SizeDomain) other;
        return model.equals(that.model) && name.equals(that.name) && fallback == that.fallback && period == that.period && min == that.min
                && max == that.max && belowMin.equals(that.belowMin) && aboveMax.equals(that.aboveMax) && notFiner.equals(that.notFiner)
                && programMax == that.programMax && aboveProgramMax.equals(that.aboveProgramMax);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, name, fallback, period, min, max, belowMin, aboveMax, notFiner, programMax, aboveProgramMax);
    }
}
