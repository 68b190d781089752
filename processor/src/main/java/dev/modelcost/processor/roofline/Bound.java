package dev.modelcost.processor.roofline;

import dev.modelcost.processor.hardware.Hardware;
import java.util.List;

/**
 * A model's roofline latency lower bound on one hardware profile: the sum over its layers of
 * {@code max(FLOPs / peak, bytes / bandwidth)}, split by what bounds each layer.
 *
 * @param hardware the profile
 * @param efficiency the fraction of peak the bound assumes, in (0, 1]
 * @param seconds the bound, in seconds
 * @param computeSeconds the part of {@code seconds} in compute-bound layers
 * @param memorySeconds the part of {@code seconds} in memory-bound layers
 * @param computeLayers how many layers are compute-bound, repetitions counted
 * @param memoryLayers how many layers are memory-bound, repetitions counted
 * @param dtypes the dtypes whose rates the bound used, e.g. {@code [bf16]}
 * @param largest the layers with the largest bound, largest first
 * @param kinds every layer kind's layers together, their bounds summed, in order of first appearance
 */
public record Bound(Hardware hardware, double efficiency, double seconds, double computeSeconds, double memorySeconds, long computeLayers,
        long memoryLayers, List<String> dtypes, List<LayerBound> largest, List<KindBound> kinds) {
    /** Copies the lists. */
    public Bound {
        dtypes = List.copyOf(dtypes);
        largest = List.copyOf(largest);
        kinds = List.copyOf(kinds);
    }
}
