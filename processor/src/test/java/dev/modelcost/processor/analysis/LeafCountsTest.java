package dev.modelcost.processor.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.layers.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leaves of a tree whose blocks several fields share, counted every repetition and as the walks over the layers visit them. */
class LeafCountsTest {
    private static final Shape SHAPE = new Shape(List.of(4), List.of("D"), false);
    private static final CostNode LEAF = new CostNode("ReLU", true, SHAPE, Costs.ZERO, List.of(), null);

    /** A block applying {@code node} twice, as two fields ({@code a}, {@code b}), each once. */
    private static CostNode twice(CostNode node) {
        return new CostNode("E", false, SHAPE, Costs.ZERO, List.of(new CostNode.Child("a", 0, 1, node), new CostNode.Child("b", 0, 1, node)), null);
    }

    /** {@code depth} such blocks nested: 2^depth leaves, each block one node. */
    private static CostNode tree(int depth) {
        CostNode node = LEAF;
        for (int d = 0; d < depth; d++) {
            node = twice(node);
        }
        return node;
    }

    @Test
    void aSharedBlockIsCountedOncePerPathWithoutWalkingEachPath() {
        // 2^62 paths: a walk per path would never end; the counts visit each of the 62 nodes once.
        assertEquals(1L << 62, ModelCosts.leaves(tree(62)));
        assertEquals(Long.MAX_VALUE, ModelCosts.leavesAtMostLong(tree(63)));
        assertEquals(1_048_577, ModelCosts.walkedLeaves(tree(62), 1_048_576));
    }

    @Test
    void theWalkedLeavesCountARunOnceAndStopJustPastTheMost() {
        // 2^20 leaves, the most walked, is within it (the analysis refuses more, MC431); one more is past it.
        assertEquals(1_048_576, ModelCosts.walkedLeaves(tree(20), Analyzer.MAX_WALKED_LEAVES));
        CostNode oneMore = new CostNode("M", false, SHAPE, Costs.ZERO, List.of(new CostNode.Child("t", 0, 1, tree(20)),
                new CostNode.Child("r", 0, 1, LEAF)), null);
        assertEquals(Analyzer.MAX_WALKED_LEAVES + 1, ModelCosts.walkedLeaves(oneMore, Analyzer.MAX_WALKED_LEAVES));
        // A run of 1,000,000 repetitions of the 2^20-leaf tree: walked once, counted every time.
        CostNode run = new CostNode("E x1000000", false, SHAPE, Costs.ZERO, List.of(new CostNode.Child("", 0, 1_000_000, tree(20))), null);
        assertEquals(1_048_576, ModelCosts.walkedLeaves(run, Analyzer.MAX_WALKED_LEAVES));
        assertEquals(1_048_576L * 1_000_000, ModelCosts.leaves(run));
    }
}
