package dev.modelcost.processor.roofline;

/**
 * The layers of one kind together on one profile: their work and bytes, and their bounds summed, each layer bounded by the larger of
 * its own compute and memory times (so never below what their totals at the peak take).
 *
 * @param kind the layer kind
 * @param times how many layers, repetitions counted
 * @param flops FLOPs and other ops of all of them
 * @param bytes bytes moved by all of them
 * @param seconds the sum of their bounds
 * @param computeBound how many of them, repetitions counted, are compute-bound
 */
public record KindBound(String kind, long times, long flops, long bytes, double seconds, long computeBound) {
    /** The kind's share of one layer's bound. */
    static KindBound of(LayerBound layer) {
        return new KindBound(layer.kind(), layer.times(), layer.flops(), layer.bytes(), layer.seconds(),
                layer.limit() == LayerBound.Limit.COMPUTE ? layer.times() : 0);
    }

    /** These layers and {@code other}'s together. */
    KindBound plus(KindBound other) {
        return new KindBound(kind, Math.addExact(times, other.times), Math.addExact(flops, other.flops), Math.addExact(bytes, other.bytes),
                seconds + other.seconds, Math.addExact(computeBound, other.computeBound));
    }

    /** FLOPs per byte moved, of all of them together; infinite where they compute and move nothing, 0 where neither. */
    public double intensity() {
        return LayerBound.intensity(flops, bytes);
    }

    /** What bounds them: {@code compute}, {@code memory}, or how many of each where both do ({@code 3 of 53 compute-bound}). */
    public String limits() {
        if (computeBound == times) {
            return "compute-bound";
        }
        return computeBound == 0 ? "memory-bound" : computeBound + " of " + times + " compute-bound";
    }
}
