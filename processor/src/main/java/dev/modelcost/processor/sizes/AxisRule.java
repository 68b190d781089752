package dev.modelcost.processor.sizes;

/**
 * An output axis's rule over a leaf's variable groups ({@link LeafRules}): fixed, one group's map, a product or sum of groups, or a
 * sum of one map per group ({@code parts}, null otherwise) plus the constant, or their product times it.
 *
 * @param kind {@code fixed}, {@code map}, {@code mul} or {@code add}, or {@code sum} for a sum of maps, {@code product} for a product
 * @param groups the groups it reads, null where fixed
 * @param x0 where a map starts: its first size with a value
 * @param period a map's period: it grows by {@code slope} every {@code period} sizes
 * @param slope what a map grows by per period
 * @param offsets a map's values over its first period, from {@code x0}
 * @param constant the factor of a product, the addend of a sum, or the fixed size
 * @param axis the name of the axis ({@code H}), for the program's lines
 * @param parts a sum's or a product's maps, one per group; null otherwise
 */
record AxisRule(String kind, long[] groups, long x0, long period, long slope, long[] offsets, long constant, String axis, AxisRule[] parts) {
    AxisRule(String kind, long[] groups, long x0, long period, long slope, long[] offsets, long constant, String axis) {
        this(kind, groups, x0, period, slope, offsets, constant, axis, null);
    }

    /** A map's value at {@code x} of its group, or null below where it starts. */
    Long at(long x) {
        return x < x0 ? null : Math.addExact(offsets[(int) ((x - x0) % period)], Math.multiplyExact(slope, (x - x0) / period));
    }
}
