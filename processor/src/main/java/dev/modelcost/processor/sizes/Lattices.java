package dev.modelcost.processor.sizes;

import static dev.modelcost.processor.sizes.ClosedForms.SAMPLES;

import java.util.Arrays;

/**
 * Each size variable's lattice {@code fallback + period·k} and its range of lattice steps, as {@link ClosedForms} establishes them.
 *
 * <p>The arrays hold one entry per variable, in the order of {@code @Model(sizes)}: {@link LatticeSearch} fills in each lattice as
 * it is accepted, {@link RangeSearch} each range as it is found, and {@link JointDomain} narrows the ranges where the variables
 * meet.
 */
final class Lattices {
    /** How many size variables. */
    final int n;
    /** Per variable, its declared size: lattice step 0. */
    final long[] fallback;
    /** Per variable, the lattice's period (1 until one is accepted). */
    final long[] period;
    /** Per variable, the largest degree of a figure's form in its lattice step. */
    final int[] degree;
    /** Per variable, the lattice step of the first grid point: 0 where the samples go up from the default, below it where they go down. */
    final long[] origin;
    /** Per variable, +1 where the samples go up from the default, -1 where they go down (the network ends up there, or a form breaks). */
    final int[] direction;
    /** Per variable, its smallest lattice step in the domain. */
    final long[] minK;
    /** Per variable, why the domain ends below {@link #minK}. */
    final String[] belowMin;
    /** Per variable, its largest lattice step in the domain. */
    final long[] maxK;
    /** Per variable, why the domain ends above {@link #maxK}. */
    final String[] aboveMax;
    /** Per variable, why no lattice finer than its own holds ({@link dev.modelcost.SizeDomain#notFiner()}); empty where none is known. */
    final String[] notFiner;

    /** The lattices of period 1 through the declared sizes {@code fallback}, before any is established. */
    Lattices(long[] fallback) {
        this.n = fallback.length;
        this.fallback = fallback.clone();
        this.period = new long[n];
        Arrays.fill(period, 1);
        this.degree = new int[n];
        this.origin = new long[n];
        this.direction = new int[n];
        Arrays.fill(direction, 1);
        this.minK = new long[n];
        this.belowMin = new String[n];
        this.maxK = new long[n];
        this.aboveMax = new String[n];
        this.notFiner = new String[n];
        Arrays.fill(notFiner, "");
    }

    /** The declared sizes with variable {@code i} at {@code size}. */
    long[] withSize(int i, long size) {
        long[] sizes = fallback.clone();
        sizes[i] = size;
        return sizes;
    }

    /** The default sizes with variable {@code i} at lattice step {@code k}. */
    long[] at(int i, long k) {
        return withSize(i, fallback[i] + period[i] * k);
    }

    /** The sizes at lattice steps {@code k}, one per variable. */
    long[] sizes(long[] k) {
        long[] sizes = new long[n];
        for (int i = 0; i < n; i++) {
            sizes[i] = fallback[i] + period[i] * k[i];
        }
        return sizes;
    }

    /** The grid origin with variable {@code i}'s and the others' at their defaults. */
    long[] only(int i) {
        long[] start = new long[n];
        start[i] = origin[i];
        return start;
    }

    /** The lowest lattice step of variable {@code i} whose size is at least 1. */
    long lowestStep(int i) {
        return -((fallback[i] - 1) / period[i]);
    }

    /**
     * The lattice step of the first of the samples variable {@code i}'s lattice was accepted on: up from the default, or down to it
     * where the network ends above it (then the grid's {@link #origin} is only as far down as its degree, and the samples below
     * it are fitted too).
     */
    long firstSample(int i) {
        return direction[i] > 0 ? 0 : -(SAMPLES - 1);
    }

    /** The lattice of variable {@code i}, for messages. */
    String lattice(int i) {
        return period[i] == 1 ? "the integers" : "the lattice " + fallback[i] + " + " + period[i] + "\u00b7k";
    }

    /** Whether the sizes lie on the lattices, between each variable's smallest and largest size. */
    boolean inDomain(long[] sizes) {
        for (int i = 0; i < n; i++) {
            long offset = sizes[i] - fallback[i];
            if (offset % period[i] != 0 || offset / period[i] < minK[i] || offset / period[i] > maxK[i]) {
                return false;
            }
        }
        return true;
    }

    /** How far {@code sizes} lie from the declared sizes, in sizes summed over the variables (at most n · 2^31). */
    long distance(long[] sizes) {
        long far = 0;
        for (int i = 0; i < n; i++) {
            far += Math.abs(sizes[i] - fallback[i]);
        }
        return far;
    }

    /** The interpolation of {@code probe}'s figures on the lattices as they stand. */
    GridInterpolation grid(Probe probe) {
        return new GridInterpolation(probe, fallback, period);
    }
}
