package dev.modelcost.processor.sizes;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Newton interpolation of a model's figures on a grid of its lattices ({@code size_i = default_i +
 * period_i·k_i}), from the model compiled at each grid point, as exact polynomials in the sizes.
 */
final class GridInterpolation {
    private final Probe probe;
    private final int n;
    private final long[] fallback;
    private final long[] period;

    GridInterpolation(Probe probe, long[] fallback, long[] period) {
        this.probe = probe;
        this.n = fallback.length;
        this.fallback = fallback;
        this.period = period;
    }

    /** A sample the interpolation needs at which the network exists but lacks a figure (a counter that fails there). */
    static final class Absent extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String figure;
        final long[] sizes;

        Absent(String figure, long[] sizes) {
            super(null, null, false, false);
            this.figure = figure;
            this.sizes = sizes;
        }
    }

    /** A sample the interpolation needs at which the network does not exist, or not with a figure the forms need. */
    static final class Missing extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** Why, as a failure's message without its fix. */
        final String reason;
        /** Whether the network exists there, without a figure the forms need. */
        final boolean exists;
        /** Whether a figure passes 64 bits there (MC401): the network is there, its numbers too large. */
        final boolean overflow;
        final long[] sizes;

        Missing(String reason, boolean exists, long[] sizes) {
            this(reason, exists, false, sizes);
        }

        Missing(String reason, boolean exists, boolean overflow, long[] sizes) {
            super(null, null, false, false);
            this.reason = reason;
            this.exists = exists;
            this.overflow = overflow;
            this.sizes = sizes;
        }
    }

    /**
     * The Newton interpolation of every figure (or axis, {@link Probe#AXIS}) on the grid {@code k_i ∈ [start_i, start_i + grid_i]} of the lattices,
     * as polynomials in the sizes themselves.
     *
     * @throws Missing if the network does not exist at a grid point
     * @throws Absent if it exists there without one of the figures
     */
    Map<String, Polynomial> interpolate(int[] grid, long[] start, Set<String> figures) {
        List<long[]> grided = sizes(grid, start);
        int points = grided.size();
        Map<String, long[]> values = new LinkedHashMap<>();
        for (String figure : figures) {
            values.put(figure, new long[points]);
        }
        // The output's dimensions among the figures: an output of another rank at a sample is one without the forms' shape.
        long rank = figures.stream().filter(f -> f.startsWith(Probe.OUTPUT)).count();
        for (int index = 0; index < points; index++) {
            long[] sizes = grided.get(index);
            Probe.Outcome outcome = probe.at(sizes);
            if (!outcome.exists()) {
                throw new Missing(outcome.reason(), false, outcome.failure().diagnostic() == dev.modelcost.processor.diag.Diagnostic.OVERFLOW,
                        sizes);
            }
            if (rank > 0 && outcome.rank() > rank) {
                throw new Absent(Probe.OUTPUT + rank, sizes); // a dimension more than the forms' output has
            }
            for (String figure : figures) {
                Long value = outcome.value(figure);
                if (value == null) {
                    throw new Absent(figure, sizes);
                }
                values.get(figure)[index] = value;
            }
        }
        // The Newton basis: the product of C(k_i, j_i) at each grid index j, its coefficients over one common denominator.
        Polynomial[] basis = new Polynomial[points];
        BigInteger common = BigInteger.ONE;
        Map<List<Integer>, Integer> monomials = new LinkedHashMap<>();
        for (int index = 0; index < points; index++) {
            int[] j = unflatten(index, grid);
            Polynomial term = Polynomial.constant(n, Fraction.ONE);
            for (int i = 0; i < n; i++) {
                term = term.times(binomial(i, j[i], fallback[i] + period[i] * start[i]));
            }
            basis[index] = term;
            for (Map.Entry<List<Integer>, Fraction> c : term.terms().entrySet()) {
                monomials.putIfAbsent(c.getKey(), monomials.size());
                common = Fraction.lcm(common, c.getValue().denominator());
            }
        }
        BigInteger[][] scaled = new BigInteger[points][monomials.size()];
        for (int index = 0; index < points; index++) {
            for (Map.Entry<List<Integer>, Fraction> c : basis[index].terms().entrySet()) {
                scaled[index][monomials.get(c.getKey())] = c.getValue().numerator().multiply(common.divide(c.getValue().denominator()));
            }
        }
        Map<String, Polynomial> polynomials = new LinkedHashMap<>();
        int[] steps = differenceSteps(grid, points);
        for (String figure : figures) {
            BigInteger[] table = differences(values.get(figure), steps);
            BigInteger[] sum = new BigInteger[monomials.size()];
            Arrays.fill(sum, BigInteger.ZERO);
            for (int index = 0; index < points; index++) {
                BigInteger difference = table[index];
                if (difference.signum() != 0) {
                    for (int m = 0; m < sum.length; m++) {
                        if (scaled[index][m] != null) {
                            sum[m] = sum[m].add(difference.multiply(scaled[index][m]));
                        }
                    }
                }
            }
            Map<List<Integer>, Fraction> coefficients = new LinkedHashMap<>();
            for (Map.Entry<List<Integer>, Integer> monomial : monomials.entrySet()) {
                coefficients.put(monomial.getKey(), new Fraction(sum[monomial.getValue()], common));
            }
            polynomials.put(figure, Polynomial.of(n, coefficients));
        }
        return polynomials;
    }

    /** The sizes of each point of the grid {@code k_i ∈ [start_i, start_i + grid_i]} of the lattices, by flat index, the last axis fastest. */
    List<long[]> sizes(int[] grid, long[] start) {
        int points = 1;
        for (int g : grid) {
            points *= g + 1;
        }
        List<long[]> all = new ArrayList<>();
        for (int index = 0; index < points; index++) {
            int[] k = unflatten(index, grid);
            long[] sizes = new long[n];
            for (int i = 0; i < n; i++) {
                sizes[i] = fallback[i] + period[i] * (start[i] + k[i]);
            }
            all.add(sizes);
        }
        return all;
    }

    /**
     * The steps of Newton's forward differences at the origin of a grid, axis by axis, as pairs of flat indices {@code (target,
     * source)}: each step replaces the value at {@code target} by itself less the value at {@code source}, in order.
     */
    static int[] differenceSteps(int[] grid, int points) {
        List<Integer> steps = new ArrayList<>();
        int stride = 1;
        for (int axis = grid.length - 1; axis >= 0; axis--) {
            int size = grid[axis] + 1;
            for (int index = 0; index < points; index++) {
                if ((index / stride) % size != 0) {
                    continue;
                }
                for (int level = 1; level < size; level++) {
                    for (int m = size - 1; m >= level; m--) {
                        steps.add(index + m * stride);
                        steps.add(index + (m - 1) * stride);
                    }
                }
            }
            stride *= size;
        }
        return steps.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Newton's forward differences of the grid values {@code values} by {@link #differenceSteps}: integers, as differences of
     * integers are; in 64 bits where none overflows, else exactly.
     */
    static BigInteger[] differences(long[] values, int[] steps) {
        long[] table = values.clone();
        BigInteger[] exact = new BigInteger[values.length];
        try {
            for (int s = 0; s < steps.length; s += 2) {
                table[steps[s]] = Math.subtractExact(table[steps[s]], table[steps[s + 1]]);
            }
            for (int index = 0; index < table.length; index++) {
                exact[index] = BigInteger.valueOf(table[index]);
            }
        } catch (ArithmeticException overflow) {
            for (int index = 0; index < values.length; index++) {
                exact[index] = BigInteger.valueOf(values[index]);
            }
            for (int s = 0; s < steps.length; s += 2) {
                exact[steps[s]] = exact[steps[s]].subtract(exact[steps[s + 1]]);
            }
        }
        return exact;
    }

    /** The multi-index of a flat grid index, the last axis fastest. */
    static int[] unflatten(int index, int[] grid) {
        int[] k = new int[grid.length];
        for (int axis = grid.length - 1; axis >= 0; axis--) {
            k[axis] = index % (grid[axis] + 1);
            index /= grid[axis] + 1;
        }
        return k;
    }

    /** C(k_i, j) with k_i = (size_i − base_i) / period_i, base_i the grid's first size, as a polynomial in the sizes. */
    private Polynomial binomial(int i, int j, long base) {
        Polynomial product = Polynomial.constant(n, Fraction.ONE);
        for (int m = 0; m < j; m++) {
            // (k − m) / (m + 1), k = (v − base) / p
            Fraction scale = Fraction.of(1, period[i] * (m + 1));
            Fraction offset = Fraction.of(-base - m * period[i], period[i] * (m + 1));
            product = product.times(Polynomial.linear(n, i, scale, offset));
        }
        return product;
    }
}
