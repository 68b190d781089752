package dev.modelcost.processor.memory;

import dev.modelcost.processor.analysis.CostNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * @param released for a block, per child, the bytes of its first input that it drops once its own first child has run (a loop's,
 *     {@link dev.modelcost.processor.analysis.Flow#loop()}), 0 where it drops none; empty for a leaf
 * @param firstCall the most it holds at once while its first child's first call runs (a leaf: all of it)
 * @param later the most it holds at once after that, {@link Moment#NONE} where nothing runs after it; {@code peak} is the larger
 * @param inside for a block, per child, the paths of the tensors inside it held past its end (read or returned by a path from
 *     outside it), each with its bytes, with which the child ran; empty for a leaf
 * @param returnsHeld for a block, the paths its caller holds past its end that name the tensor it returns (a path from outside the
 *     caller names a tensor inside it that is its output), which the caller holds as that output; empty for a leaf
 * @param children for a block, the child entries it ran, which the arrays above follow: its node's, but a repetition inside a run
 *     that holds a tensor past its end runs as an entry of its own; empty for a leaf
 */
record Usage(long peak, String at, int alias, long output, long[] before, long[] beforeLater, long[] released, Moment firstCall, Moment later,
        List<Map<String, Long>> inside, Set<String> returnsHeld, List<CostNode.Child> children) {
    /** A leaf's usage. */
    Usage(long peak, String at, int alias, long output) {
        this(peak, at, alias, output, new long[0], new long[0], new long[0], new Moment(peak, at), Moment.NONE, List.of(), Set.of(), List.of());
    }

    /** Its peak as a moment: the most it holds at once, and the leaf running then. */
    Moment most() {
        return new Moment(peak, at);
    }

    /**
     * The bytes held at one moment and the path, relative to the node, of the leaf running then.
     *
     * @param bytes the bytes, or -1 for no moment
     * @param at the leaf's path
     */
    record Moment(long bytes, String at) {
        /** No moment. */
        static final Moment NONE = new Moment(-1, "");

        /** The larger of this and {@code other}, this one where they tie (the earlier, when this one comes first). */
        Moment max(Moment other) {
            return other.bytes > bytes ? other : this;
        }
    }
}
