package dev.modelcost.processor.counters;

import java.util.List;
import java.util.Map;

/**
 * What one counter would print for a whole model, and why it differs from modelcost's MACs.
 *
 * @param counter the counter
 * @param value its figure for the model (meaningful only where {@link #reproduced()})
 * @param params the parameters it reports (where {@link Counter#reportsParams()})
 * @param macs modelcost's MACs for the model, for the difference
 * @param differences the counter's figure less modelcost's MACs, by where it comes from; only non-zero entries
 * @param unseen why the counter misses MACs modelcost counts, each with the MACs it misses
 * @param unknown why the figure is not reproduced; empty where it is
 * @param failure the exception the tool raises on this model; null where it runs
 * @param largest the leaves where the counter differs most from modelcost, largest first
 * @param inexact where the tool computes a leaf's figure in floating point and truncates it (so that at other sizes the figure may be
 *     no sum of products of the sizes), how and on which leaf; null where every count is in integers
 * @param floors where a leaf's rule floors a quotient of sizes (so that off a lattice of sizes the figure is no sum of products of
 *     the sizes), how and on which leaf; null where none does
 */
public record Reading(Counter counter, long value, long params, long macs, Map<Category, Long> differences, Map<String, Long> unseen,
        List<String> unknown, String failure, List<LayerDifference> largest, String inexact, String floors) {

    /** Copies the collections. */
    public Reading {
        differences = java.util.Collections.unmodifiableMap(filterZero(differences));
        unseen = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(unseen));
        unknown = List.copyOf(unknown);
        largest = List.copyOf(largest);
    }

    private static Map<Category, Long> filterZero(Map<Category, Long> all) {
        Map<Category, Long> kept = new java.util.EnumMap<>(Category.class);
        all.forEach((category, amount) -> {
            if (amount != 0) {
                kept.put(category, amount);
            }
        });
        return kept;
    }

    /** Whether the tool runs on the model and its figure is reproduced. */
    public boolean reproduced() {
        return failure == null && unknown.isEmpty();
    }

    /** The counter's figure less modelcost's MACs. */
    public long difference() {
        return value - macs;
    }

    /** What stands in place of the figure where it is not reproduced: the tool's failure, or why it is not reproduced. */
    public String instead() {
        return failure != null ? counter.id() + " fails: " + failure : "not reproduced: " + String.join("; ", unknown);
    }

    /**
     * One leaf (or run of identical leaves) where a counter differs from modelcost.
     *
     * @param path the leaf's path (the first of a run)
     * @param kind its kind
     * @param count how many identical leaves it stands for
     * @param value the counter's figure for them all
     * @param macs modelcost's MACs for them all
     */
    public record LayerDifference(String path, String kind, long count, long value, long macs) {
        /** The counter's figure less modelcost's. */
        public long difference() {
            return value - macs;
        }
    }
}
