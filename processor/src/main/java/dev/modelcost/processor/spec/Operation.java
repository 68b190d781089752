package dev.modelcost.processor.spec;

import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.expr.ExprParser.Assignment;
import dev.modelcost.processor.layers.LayerKind;
import dev.modelcost.processor.layers.Merge;
import java.util.List;

/** What one field of a network does: apply a layer, apply a block, or merge earlier outputs. */
public sealed interface Operation {

    /**
     * A layer.
     *
     * @param kind the layer kind
     * @param attrs every attribute of its annotation, in declaration order
     * @param site the layer annotation
     */
    record LayerOp(LayerKind kind, List<AttrSpec> attrs, Site site) implements Operation {}

    /**
     * A block, applied {@code repeat} times.
     *
     * @param block the block's spec
     * @param args the arguments of every repetition
     * @param argsSite where the arguments were written
     * @param repeat how many times; 1 without {@code @Repeat}
     * @param repeated whether {@code @Repeat} was written (the repetitions are then named 0, 1, ...)
     * @param first arguments that override {@code args} in the first repetition
     * @param firstSite where those were written
     * @param prefix what the names of the repetitions start with
     * @param start the number of the first repetition
     * @param inline whether the repetitions are children of the enclosing (indexed) network itself
     */
    record BlockOp(NetworkSpec block, List<Assignment> args, Site argsSite, int repeat, boolean repeated,
            List<Assignment> first, Site firstSite, String prefix, int start, boolean inline) implements Operation {}

    /**
     * A merge of earlier outputs.
     *
     * @param merge how they are merged
     * @param inputs the field names (or {@code input}) merged
     * @param site the merge annotation value
     */
    record MergeOp(Merge merge, List<String> inputs, Site site) implements Operation {}
}
