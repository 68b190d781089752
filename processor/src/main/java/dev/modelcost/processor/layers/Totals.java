package dev.modelcost.processor.layers;

/**
 * The cost figures of a layer, block or model. Arithmetic is exact: it throws
 * {@link ArithmeticException} rather than overflow.
 *
 * @param macs multiply-accumulates of conv and linear layers
 * @param flops mul + add (+ bias) operations of conv and linear layers
 * @param params learnable parameters
 * @param buffers non-learnable state (running statistics)
 * @param otherOps element-wise work of every other layer, by its documented formula
 */
public record Totals(long macs, long flops, long params, long buffers, long otherOps) {
    /** No cost at all. */
    public static final Totals ZERO = new Totals(0, 0, 0, 0, 0);

    /** Only element-wise work. */
    public static Totals otherOps(long ops) {
        return new Totals(0, 0, 0, 0, ops);
    }

    /** The sum of two totals. */
    public Totals plus(Totals other) {
        return new Totals(
                Math.addExact(macs, other.macs),
                Math.addExact(flops, other.flops),
                Math.addExact(params, other.params),
                Math.addExact(buffers, other.buffers),
                Math.addExact(otherOps, other.otherOps));
    }

    /** These totals counted {@code times} times. */
    public Totals times(long times) {
        return new Totals(
                Math.multiplyExact(macs, times),
                Math.multiplyExact(flops, times),
                Math.multiplyExact(params, times),
                Math.multiplyExact(buffers, times),
                Math.multiplyExact(otherOps, times));
    }

    /** One figure by its name in generated code: MACS, FLOPS, PARAMS, BUFFERS or OTHER_OPS. */
    public long figure(Figure figure) {
        switch (figure) {
            case MACS: return macs;
            case FLOPS: return flops;
            case PARAMS: return params;
            case BUFFERS: return buffers;
            default: return otherOps;
        }
    }

    /** The figures, named as the generated constants. */
    public enum Figure { MACS, FLOPS, PARAMS, BUFFERS, OTHER_OPS }
}
