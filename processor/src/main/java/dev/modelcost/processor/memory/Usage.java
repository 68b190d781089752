package dev.modelcost.processor.memory;

/**
 * What running one layer or block allocates, besides its inputs (which its caller holds).
 *
 * @param peak the most bytes it has allocated at once while it runs, its output included
 * @param at the path, relative to the node, of the leaf running at that moment (empty for a leaf)
 * @param alias the input its output is (an in-place layer, a view, a block that returns its
 *     input), or -1 for an output in memory of its own
 * @param output the bytes of that output; 0 when it is an input
 * @param before for a block, the bytes it holds (its inputs aside) when each child starts; empty for a leaf
 * @param beforeLater for a block, when the second and every later repetition of each child starts (a run's), else as {@code before}
 */
record Usage(long peak, String at, int alias, long output, long[] before, long[] beforeLater) {
    /** A leaf's usage. */
    Usage(long peak, String at, int alias, long output) {
        this(peak, at, alias, output, new long[0], new long[0]);
    }
}
