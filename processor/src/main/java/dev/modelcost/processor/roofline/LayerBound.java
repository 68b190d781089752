package dev.modelcost.processor.roofline;

/**
 * One layer's roofline on one profile: the work, the bytes, and the time each of them takes at
 * the peak, for every repetition of the layer together.
 *
 * @param path the layer's path (the first repetition's, for a run)
 * @param kind the layer kind
 * @param times how many identical repetitions the row stands for
 * @param flops FLOPs and other ops of all repetitions
 * @param bytes bytes moved by all repetitions
 * @param computeSeconds {@code flops} at the profile's peak rate for the layer's dtype, divided by the efficiency
 * @param memorySeconds {@code bytes} at the profile's bandwidth, divided by the efficiency
 */
public record LayerBound(String path, String kind, long times, long flops, long bytes, double computeSeconds, double memorySeconds) {
    /** The layer's lower bound: the larger of its compute and memory times. */
    public double seconds() {
        return Math.max(computeSeconds, memorySeconds);
    }

    /** FLOPs per byte moved; infinite for a layer that moves nothing but computes, 0 for one that does neither. */
    public double intensity() {
        return intensity(flops, bytes);
    }

    /** {@code flops} per byte of {@code bytes}; infinite where nothing is moved but something computed, 0 where neither. */
    static double intensity(long flops, long bytes) {
        return bytes == 0 ? (flops == 0 ? 0 : Double.POSITIVE_INFINITY) : (double) flops / bytes;
    }

    /** What bounds the layer: compute, memory, or nothing for a layer that neither computes nor moves a byte. */
    public Limit limit() {
        if (computeSeconds == 0 && memorySeconds == 0) {
            return Limit.NONE;
        }
        return computeSeconds >= memorySeconds ? Limit.COMPUTE : Limit.MEMORY;
    }

    /** What bounds a layer's time. */
    public enum Limit {
        /** The peak rate: FLOPs / peak is the larger time. */
        COMPUTE,
        /** The bandwidth: bytes / bandwidth is the larger time. */
        MEMORY,
        /** Neither: a view, which takes no time. */
        NONE;

        /** The limit as reports write it: {@code compute}, {@code memory} or {@code -}. */
        public String label() {
            return this == NONE ? "-" : name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
