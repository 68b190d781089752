package dev.modelcost.processor.memory;

import java.util.List;
import java.util.Map;

/**
 * Live activation bytes over the execution order: one step per leaf, a run of repetitions as its
 * first repetition and a second that stands for the rest.
 *
 * @param steps the leaves in execution order
 * @param nodes the live bytes at each node's peak, by path (a leaf's while it runs), the first
 *     repetition of a run under its own path
 */
public record Timeline(List<Step> steps, Map<String, Long> nodes) {
    /** Copies the collections. */
    public Timeline {
        steps = List.copyOf(steps);
        nodes = Map.copyOf(nodes);
    }

    /**
     * One leaf.
     *
     * @param path its path
     * @param kind its kind
     * @param bytes the live bytes while it runs, the model's inputs included
     * @param times how many times it runs so, repetitions of a run counted
     */
    public record Step(String path, String kind, long bytes, long times) {}
}
