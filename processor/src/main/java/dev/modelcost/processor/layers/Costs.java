package dev.modelcost.processor.layers;

import java.util.Arrays;

/**
 * The cost figures of a layer, block or model: one exact {@code long} per {@link Figure}.
 * Arithmetic throws {@link ArithmeticException} rather than overflow.
 */
public final class Costs {
    /** No cost at all. */
    public static final Costs ZERO = new Costs(new long[Figure.values().length]);

    private final long[] values;

    private Costs(long[] values) {
        this.values = values;
    }

    /** Costs with one figure set. */
    public static Costs of(Figure figure, long value) {
        return ZERO.with(figure, value);
    }

    /** Only element-wise work. */
    public static Costs otherOps(long ops) {
        return of(Figure.OTHER_OPS, ops);
    }

    /** These costs with one figure replaced. */
    public Costs with(Figure figure, long value) {
        long[] copy = values.clone();
        copy[figure.ordinal()] = value;
        return new Costs(copy);
    }

    /** One figure. */
    public long get(Figure figure) {
        return values[figure.ordinal()];
    }

    /** Every figure, in the order of {@link Figure#values()} (a copy). */
    public long[] values() {
        return values.clone();
    }

    /** Multiply-accumulates. */
    public long macs() {
        return get(Figure.MACS);
    }

    /** Floating-point operations of weighted layers and matrix products. */
    public long flops() {
        return get(Figure.FLOPS);
    }

    /** Learnable parameters. */
    public long params() {
        return get(Figure.PARAMS);
    }

    /** Non-learnable state. */
    public long buffers() {
        return get(Figure.BUFFERS);
    }

    /** Element-wise work outside FLOPS. */
    public long otherOps() {
        return get(Figure.OTHER_OPS);
    }

    /** The sum of two costs. */
    public Costs plus(Costs other) {
        long[] sum = new long[values.length];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = Math.addExact(values[i], other.values[i]);
        }
        return new Costs(sum);
    }

    /** The first figure whose sum with {@code other}'s counted {@code times} times is beyond a {@code long}, or null where none is. */
    public Figure overflowWith(Costs other, long times) {
        for (Figure figure : Figure.values()) {
            java.math.BigInteger sum = java.math.BigInteger.valueOf(other.values[figure.ordinal()]).multiply(java.math.BigInteger.valueOf(times))
                    .add(java.math.BigInteger.valueOf(values[figure.ordinal()]));
            if (sum.bitLength() > 63) {
                return figure;
            }
        }
        return null;
    }

    /** These costs counted {@code times} times. */
    public Costs times(long times) {
        long[] product = new long[values.length];
        for (int i = 0; i < product.length; i++) {
            product[i] = Math.multiplyExact(values[i], times);
        }
        return new Costs(product);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Costs costs && Arrays.equals(values, costs.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Costs[");
        for (Figure figure : Figure.values()) {
            text.append(figure == Figure.MACS ? "" : ", ").append(figure.key()).append('=').append(get(figure));
        }
        return text.append(']').toString();
    }
}
