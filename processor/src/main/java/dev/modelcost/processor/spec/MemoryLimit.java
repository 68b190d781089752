package dev.modelcost.processor.spec;

import dev.modelcost.processor.diag.Site;

/**
 * A {@code @Budget} bound on a memory figure that is no per-layer figure: {@code maxPeakActivationBytes}
 * or {@code maxInferenceMemoryBytes}.
 *
 * @param attribute the attribute it was written as
 * @param limit the most bytes allowed
 * @param site the attribute value
 */
public record MemoryLimit(String attribute, long limit, Site site) {
    /** Whether it bounds the whole inference memory. */
    public boolean inference() {
        return attribute.equals("maxInferenceMemoryBytes");
    }

    /** Whether it bounds the memory of a training step. */
    public boolean training() {
        return attribute.equals("maxTrainingMemoryBytes");
    }
}
