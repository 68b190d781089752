package dev.modelcost.processor.analysis;

import dev.modelcost.processor.layers.Attrs;
import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.layers.LayerFailure;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.spec.ModelSpec;
import java.util.List;

/**
 * Which layers of a followed decoding step run again over every position: those whose output changes at every position when a
 * position is added, because a layer before them mixes the decoded positions both ways ({@link #mixesBothWays}: a new token
 * changes a bidirectional recurrent layer's backward direction, and the output of attention without a causal mask, at every
 * earlier position too). What follows such a layer on what it gives changes everywhere too, so no cache of its earlier positions
 * serves. Each such layer reruns over the positions the step needs of its output: all of them where a later layer needs them all
 * (the keys and values of attention, the input of a recurrent layer it reruns), else the new position alone, which a per-position
 * layer makes from that position of its input, attention from its query there against every key, and a recurrent layer from
 * every step (where its input changed at the new position only, a bidirectional layer's forward direction takes one step). Attention
 * written out with {@code @MatMul} reads every position of its products' second operand (the keys of {@code q·kᵀ}, the values of
 * {@code p·v}). A {@code MultiheadAttention} rerun whole is one call of the module, which projects every position anew: it keeps no
 * KV cache, as attention whose keys change everywhere keeps none. The earlier positions of a tensor that changes at the new position
 * only are reused from earlier steps, as in every decoding step; only attention's keys and values count in the KV cache.
 */
final class Rerun {
    /** How a tensor changes from one decoding step to the next. */
    private enum Change {
        /** Not at all: it holds none of the decoded positions (an encoder's). */
        NONE,
        /** At the new position only: its earlier positions stand, as the step's caches keep them. */
        ONE,
        /** At every position. */
        ALL
    }

    private final DecodeStep.Followed followed;
    private final Change[] change;
    /** Per step, whether a later layer needs every position of its output. */
    private final boolean[] whole;

    private Rerun(DecodeStep.Followed followed, Change[] change, boolean[] whole) {
        this.followed = followed;
        this.change = change;
        this.whole = whole;
    }

    /** The layers of a followed step that rerun everywhere, and what the step needs of each. */
    static Rerun of(DecodeStep.Followed followed) {
        List<ForwardPass.Step> steps = followed.pass().steps();
        Change[] change = new Change[steps.size()];
        Rerun rerun = new Rerun(followed, change, new boolean[steps.size()]);
        for (int s = 0; s < steps.size(); s++) {
            ForwardPass.Step step = steps.get(s);
            Change most = Change.NONE;
            for (int tensor : step.reads()) {
                most = max(most, rerun.change(tensor));
            }
            LeafCall call = step.node().call();
            if (most == Change.ONE && call != null && mixesBothWays(call) && rerun.mixed(step) != Change.NONE) {
                most = Change.ALL;
            }
            change[s] = most;
        }
        for (int s = steps.size() - 1; s >= 0; s--) {
            if (change[s] == Change.NONE) {
                continue;
            }
            ForwardPass.Step step = steps.get(s);
            List<Integer> reads = step.reads();
            for (int j = 0; j < reads.size(); j++) {
                int tensor = reads.get(j);
                if (tensor >= 0) {
                    rerun.whole[tensor] |= rerun.needsAll(step, j, rerun.whole[s]);
                }
            }
        }
        return rerun;
    }

    /**
     * Whether a layer mixes positions both ways, whatever its inputs hold: attention without a causal mask, or a bidirectional
     * recurrent layer. Attention written out with {@code @MatMul} has no mask to tell: it counts as a layer on each position.
     */
    static boolean mixesBothWays(LeafCall call) {
        String kind = call.kind().name();
        return DecodeStep.ATTENTION.contains(kind) && !call.attrs().flags().getOrDefault("isCausal", false)
                || DecodeStep.RECURRENT.contains(kind) && call.attrs().flags().getOrDefault("bidirectional", false);
    }

    /** Whether some layer of the step changes at every position. */
    boolean any() {
        for (Change c : change) {
            if (c == Change.ALL) {
                return true;
            }
        }
        return false;
    }

    /** Whether step {@code s}'s output changes at every position. */
    boolean everywhere(int s) {
        return change[s] == Change.ALL;
    }

    /**
     * The MACs, KV cache and its bytes step {@code s}, which changes everywhere, adds to a decoding step; {@code once}: what it adds
     * on the new position alone.
     */
    long[] figures(int s, long[] once, ModelSpec spec) {
        ForwardPass.Step step = followed.pass().steps().get(s);
        CostNode node = step.node();
        LeafCall call = node.call();
        long[] figures = once.clone();
        String kind = call == null ? "" : call.kind().name();
        boolean attention = DecodeStep.ATTENTION.contains(kind);
        if (attention && (keys(step) == Change.ALL || whole[s] && kind.equals("MultiheadAttention"))) {
            // keys and values made anew at every position each step (or, by a MultiheadAttention rerun whole, projected anew from its
            // inputs at every position, as one call of the module does): no cache of them serves
            figures[1] = 0;
            figures[2] = 0;
        }
        if (DecodeStep.RECURRENT.contains(kind)) {
            // every step of a recurrent layer makes the next, wherever the step needs its output
            figures[0] = change(step.reads().get(0)) == Change.ALL ? node.totals().macs() : forwardOnce(call, spec, node.totals().macs());
        } else if (whole[s]) {
            figures[0] = node.totals().macs();
        } else if (attention && keys(step) == Change.ALL) {
            figures[0] = lastQuery(call, spec, node.totals().macs());
        }
        return figures;
    }

    /**
     * Step {@code s}, which changes everywhere, as a layer of the decoding step ({@code once}: as it runs on the new position
     * alone): what it reruns, as {@link #figures} counts its MACs. A layer rerun whole does its forward pass's FLOPs and moves its
     * bytes; a recurrent layer also reads and writes every position (its forward direction's FLOPs one step where that is all it
     * takes); attention from its last query on every key reads its weights, the query at that position, every key and value made
     * anew (at the activation dtype: no cache) and writes the output at that position.
     */
    DecodeLayer layer(int s, DecodeLayer once, ModelSpec spec) {
        ForwardPass.Step step = followed.pass().steps().get(s);
        CostNode node = step.node();
        LeafCall call = node.call();
        Costs t = node.totals();
        long flops = Math.addExact(t.flops(), t.otherOps());
        long bytes = t.get(Figure.BYTES_MOVED);
        String kind = call == null ? "" : call.kind().name();
        if (DecodeStep.RECURRENT.contains(kind)) {
            if (change(step.reads().get(0)) != Change.ALL) {
                try {
                    Costs forward = forwardStep(call, spec);
                    flops = Math.subtractExact(flops, Math.multiplyExact(call.inputs().get(0).dim(0) - 1L, Math.addExact(forward.flops(), forward.otherOps())));
                } catch (LayerFailure | IllegalArgumentException e) {
                    // the whole layer's, as its MACs
                }
            }
        } else if (!whole[s]) {
            if (!DecodeStep.ATTENTION.contains(kind) || keys(step) != Change.ALL) {
                return once;
            }
            try {
                Costs last = lastQueryCosts(call, spec);
                flops = Math.addExact(last.flops(), last.otherOps());
                bytes = lastQueryBytes(call, node);
            } catch (LayerFailure | IllegalArgumentException e) {
                // the whole layer's, as its MACs
            }
        }
        return new DecodeLayer(once.path(), node, once.times(), flops, bytes);
    }

    /**
     * The bytes attention moves for its last query on every key: its weights and buffers, the query at one position (none where it
     * is the keys' tensor, read whole), its keys and values whole (once where one tensor), and the output at one position.
     */
    private static long lastQueryBytes(LeafCall call, CostNode node) {
        List<Shape> inputs = call.inputs();
        Attrs a = call.attrs();
        long bytes = Math.addExact(Math.addExact(node.totals().get(Figure.WEIGHT_BYTES), call.sharedBytes()),
                call.activations().bytes(node.totals().buffers()));
        if (inputs.size() == 1) {
            bytes = Math.addExact(bytes, inputs.get(0).bytes(call.batch(), call.activations()));
        } else {
            boolean queryRead = false;
            for (int j = 1; j < inputs.size(); j++) {
                queryRead |= a.sameInput(0, j);
                if (j == 1 || !a.sameInput(j, 1)) {
                    bytes = Math.addExact(bytes, inputs.get(j).bytes(call.batch(), call.activations()));
                }
            }
            if (!queryRead) {
                bytes = Math.addExact(bytes, onePosition(inputs.get(0), call));
            }
        }
        return Math.addExact(bytes, onePosition(node.output(), call));
    }

    /** The bytes of one position of an attention tensor: positions first ({@code L,E}) or second to last ({@code H,L,D}). */
    private static long onePosition(Shape shape, LeafCall call) {
        int axis = call.kind().name().equals("MultiheadAttention") ? 0 : shape.rank() - 2;
        return shape.bytes(call.batch(), call.activations()) / Math.max(1, shape.dim(axis));
    }

    private Change change(int tensor) {
        if (tensor >= 0 && change[tensor] == Change.ALL) {
            return Change.ALL;
        }
        return (followed.held().inputs(tensor) & followed.decoded()) != 0 ? Change.ONE : Change.NONE;
    }

    /** How what a layer mixes across positions changes: attention's keys and values, a recurrent layer's input. */
    private Change mixed(ForwardPass.Step step) {
        LeafCall call = step.node().call();
        return DecodeStep.ATTENTION.contains(call.kind().name()) ? keys(step) : change(step.reads().get(0));
    }

    /** How an attention's keys and values change: its inputs after the query, or its one input in self-attention. */
    private Change keys(ForwardPass.Step step) {
        List<Integer> reads = step.reads();
        Change most = Change.NONE;
        for (int j = reads.size() > 1 ? 1 : 0; j < reads.size(); j++) {
            most = max(most, change(reads.get(j)));
        }
        return most;
    }

    /** Whether the layer of {@code step}, whose output the step needs wholly ({@code all}) or at the new position, needs every position of input {@code j}. */
    private boolean needsAll(ForwardPass.Step step, int j, boolean all) {
        LeafCall call = step.node().call();
        String kind = call == null ? "" : call.kind().name();
        if (DecodeStep.ATTENTION.contains(kind)) {
            return j > 0 || step.reads().size() == 1 || all;
        }
        if (kind.equals("MatMul")) {
            // attention written out: the second operand's positions are its keys (q·kᵀ) or values (p·v), every one read
            return j > 0 || all;
        }
        if (DecodeStep.RECURRENT.contains(kind)) {
            return all || call.attrs().flags().getOrDefault("bidirectional", false) || change(step.reads().get(j)) == Change.ALL;
        }
        return all;
    }

    /**
     * Attention's MACs for its last query against every key, the keys and values made anew ({@link #lastQueryCosts}); {@code whole}
     * where the formula refuses.
     */
    private static long lastQuery(LeafCall call, ModelSpec spec, long whole) {
        try {
            return lastQueryCosts(call, spec).macs();
        } catch (LayerFailure | ArithmeticException | IllegalArgumentException e) {
            return whole;
        }
    }

    /**
     * Attention's costs for its last query against every key: a scaled dot-product attention's step (it projects nothing), a
     * {@code MultiheadAttention}'s formula on one query position and every key's.
     */
    private static Costs lastQueryCosts(LeafCall call, ModelSpec spec) {
        if (!call.kind().name().equals("MultiheadAttention")) {
            return call.kind().cachedStep().step(call.attrs(), call.inputs(), call.batch(), spec.conventions(), call.activations(), call.weights(), true);
        }
        List<Shape> inputs = call.inputs();
        Shape key = inputs.get(inputs.size() == 3 ? 1 : 0);
        Shape value = inputs.get(inputs.size() == 3 ? 2 : 0);
        boolean keyIsValue = inputs.size() == 1 || call.attrs().sameInput(1, 2);
        List<Shape> last = List.of(inputs.get(0).withDim(0, 1), key, value);
        // the last query sees every key: no mask to apply
        Attrs attrs = call.attrs().withSameInputs(List.of(0L, 1L, keyIsValue ? 1L : 2L)).withFlag("isCausal", false);
        return call.formula(attrs, last, spec.conventions()).cost();
    }

    /**
     * A bidirectional recurrent layer whose input changed at the new position only: its forward direction's first layer takes one
     * step ({@link #forwardStep}), every other direction and layer reruns every step ({@code whole}, less the first layer's forward
     * steps before the last); {@code whole} where the formula refuses.
     */
    private static long forwardOnce(LeafCall call, ModelSpec spec, long whole) {
        try {
            return Math.subtractExact(whole, Math.multiplyExact(call.inputs().get(0).dim(0) - 1L, forwardStep(call, spec).macs()));
        } catch (LayerFailure | ArithmeticException | IllegalArgumentException e) {
            return whole;
        }
    }

    /** The costs of one step of a recurrent layer's first layer in its forward direction: its formula, one layer one way, on one position. */
    private static Costs forwardStep(LeafCall call, ModelSpec spec) {
        return call.formula(call.attrs().withNumber("numLayers", 1).withFlag("bidirectional", false), List.of(call.inputs().get(0).withDim(0, 1)),
                spec.conventions()).cost();
    }

    private static Change max(Change a, Change b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
