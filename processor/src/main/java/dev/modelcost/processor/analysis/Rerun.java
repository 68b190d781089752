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
 * earlier position too), and a layer that reduces the positions away (a mean over them, a position other than the last selected)
 * gives a whole new result. What follows such a layer on what it gives changes everywhere too, so no cache of its earlier
 * positions serves; a recurrent layer whose initial state so changes reruns every step. Each such layer reruns over the positions
 * the step needs of its output: all of them where a later layer needs them all (the keys and values of attention, the input of a
 * recurrent layer it reruns, what a reduction reads), else the new position alone, which a per-position layer makes from that
 * position of its input, attention from its query there against every key, and a recurrent layer from every step, but for a
 * bidirectional one's forward direction, one step where its input changed at the new position alone, and its backward direction,
 * one step where the step needs the new position of its output alone (it starts there). Attention written out with {@code @MatMul}
 * reads every position of its products' second operand (the keys of {@code q·kᵀ}, the values of {@code p·v}). A {@code
 * MultiheadAttention} rerun whole is one call of the module, which projects every position anew: it keeps no KV cache, as
 * attention whose keys change everywhere keeps none. The earlier positions of a tensor that changes at the new position only are
 * reused from earlier steps, as in every decoding step; only attention's keys and values count in the KV cache.
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
    /** Per step, whether it reduces its input's positions ({@link #reduces}), found once. */
    private final boolean[] reducing;
    /** Per step, whether a later layer needs every position of its output. */
    private final boolean[] whole;

    private Rerun(DecodeStep.Followed followed, int steps) {
        this.followed = followed;
        this.change = new Change[steps];
        this.reducing = new boolean[steps];
        this.whole = new boolean[steps];
    }

    /** The layers of a followed step that rerun everywhere, and what the step needs of each. */
    static Rerun of(DecodeStep.Followed followed) {
        List<ForwardPass.Step> steps = followed.pass().steps();
        Rerun rerun = new Rerun(followed, steps.size());
        Change[] change = rerun.change;
        for (int s = 0; s < steps.size(); s++) {
            ForwardPass.Step step = steps.get(s);
            LeafCall call = step.node().call();
            Change most = Change.NONE;
            for (int tensor : DecodeStep.attended(step)) {
                most = max(most, rerun.change(tensor));
            }
            rerun.reducing[s] = rerun.reduces(s);
            if (most == Change.ONE && (call != null && mixesBothWays(call) && rerun.mixed(step) != Change.NONE || rerun.reducing[s])) {
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
                    rerun.whole[tensor] |= rerun.reducing[s] && followed.held().axis(tensor) != null || rerun.needsAll(step, j, rerun.whole[s]);
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
                || DecodeStep.RECURRENT.contains(kind) && DecodeStep.bidirectional(call);
    }

    /**
     * Whether step {@code s} reduces its input's positions away (a mean over them, a position selected other than the last): its
     * output changes wholly with a new position, and it reads every position.
     */
    private boolean reduces(int s) {
        ForwardPass.Step step = followed.pass().steps().get(s);
        DecodeStep.Held held = followed.held();
        if (held.axis(s) == null) {
            return !held.last(s) && step.reads().stream().anyMatch(tensor -> held.axis(tensor) != null && change(tensor) != Change.NONE);
        }
        // a reduction that keeps its axis, of length 1 (keepdim, adaptive pooling to 1)
        LeafCall call = step.node().call();
        return call != null && call.inputs().size() == step.reads().size() && java.util.stream.IntStream.range(0, step.reads().size())
                .anyMatch(j -> change(step.reads().get(j)) != Change.NONE
                        && DecodeStep.reducedToOne(call, call.inputs().get(j), step.node().output(), held.axis(s)));
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
        LeafCall call = step.node().call();
        long[] figures = once.clone();
        if (call != null && DecodeStep.ATTENTION.contains(call.kind().name())
                && (keys(step) == Change.ALL || whole[s] && call.kind().name().equals("MultiheadAttention"))) {
            // keys and values made anew at every position each step (or, by a MultiheadAttention rerun whole, projected anew from its
            // inputs at every position, as one call of the module does): no cache of them serves
            figures[1] = 0;
            figures[2] = 0;
        }
        Costs rerun = rerun(s, spec);
        if (rerun != null) {
            figures[0] = rerun.macs();
        }
        return figures;
    }

    /**
     * Step {@code s}, which changes everywhere, as a layer of the decoding step ({@code once}: as it runs on the new position
     * alone): what it reruns ({@link #rerun}).
     */
    DecodeLayer layer(int s, DecodeLayer once, ModelSpec spec) {
        Costs rerun = rerun(s, spec);
        return rerun == null ? once
                : new DecodeLayer(once.path(), once.leaf(), once.times(), Math.addExact(rerun.flops(), rerun.otherOps()), rerun.get(Figure.BYTES_MOVED));
    }

    /**
     * What step {@code s}, which changes everywhere, reruns: its MACs, FLOPs, other ops and bytes moved; null where it runs as on
     * the new position alone (a layer on each position whose output the step needs there alone). A layer rerun whole does its
     * forward pass's work and moves its bytes. A recurrent layer reruns every step, less, in a bidirectional one, the forward
     * direction's steps before the last where its input changed at the new position only (its first layer's), and the backward
     * direction's after the first where the step needs its output at the new position alone (its last layer's, which starts
     * there); its bytes are its forward pass's, unless that leaves one step of each direction of one layer, which is its step on
     * the new position. Attention from its last query on every key reads its weights, that query, its keys and values whole and
     * writes one position ({@link #lastQueryBytes}). The whole layer's where a formula refuses.
     */
    private Costs rerun(int s, ModelSpec spec) {
        ForwardPass.Step step = followed.pass().steps().get(s);
        CostNode node = step.node();
        LeafCall call = node.call();
        Costs all = node.totals();
        String kind = call == null ? "" : call.kind().name();
        try {
            if (DecodeStep.RECURRENT.contains(kind)) {
                return recurrent(s, call, all, spec);
            }
            if (whole[s] || call == null) {
                return whole[s] ? all : null;
            }
            if (DecodeStep.ATTENTION.contains(kind) && keys(step) == Change.ALL) {
                return lastQueryCosts(call, spec).with(Figure.BYTES_MOVED, lastQueryBytes(call, node));
            }
            return null;
        } catch (LayerFailure | ArithmeticException | IllegalArgumentException e) {
            return all;
        }
    }

    /** A recurrent layer's rerun (see {@link #rerun}). */
    private Costs recurrent(int s, LeafCall call, Costs whole, ModelSpec spec) {
        ForwardPass.Step step = followed.pass().steps().get(s);
        if (!DecodeStep.bidirectional(call)) {
            return whole;
        }
        Shape input = call.inputs().get(0);
        long earlier = input.dim(0) - 1L;
        // its initial states too: a state that changes every step changes every step of the forward direction
        boolean forwardOnce = step.reads().stream().noneMatch(tensor -> change(tensor) == Change.ALL);
        // h_n and c_n hold the backward direction's state after every position: only the output holds its step at the new position
        boolean backwardOnce = !this.whole[s] && call.attrs().textOr("output", "output").equals("output");
        long layers = call.attrs().given("numLayers") ? call.attrs().number("numLayers") : 1;
        if (forwardOnce && backwardOnce && layers == 1) {
            return null;
        }
        Costs rerun = whole;
        if (forwardOnce) {
            rerun = less(rerun, oneWayStep(call, input, spec), earlier);
        }
        if (backwardOnce) {
            // the last layer reads the first layer's input, or both directions of the layer before it
            Shape read = layers == 1 ? input : input.withDim(input.rank() - 1, call.result("output", spec.conventions()).last());
            rerun = less(rerun, oneWayStep(call, read, spec), earlier);
        }
        return rerun;
    }

    /** {@code costs} less {@code times} times the work of {@code step}. */
    private static Costs less(Costs costs, Costs step, long times) {
        return costs.with(Figure.MACS, Math.subtractExact(costs.macs(), Math.multiplyExact(times, step.macs())))
                .with(Figure.FLOPS, Math.subtractExact(costs.flops(), Math.multiplyExact(times, step.flops())))
                .with(Figure.OTHER_OPS, Math.subtractExact(costs.otherOps(), Math.multiplyExact(times, step.otherOps())));
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

    /**
     * How an attention's keys and values change: its inputs after the query (not a mask added to its scores, a fourth), or its one
     * input in self-attention.
     */
    private Change keys(ForwardPass.Step step) {
        List<Integer> reads = step.reads();
        Change most = Change.NONE;
        for (int j = reads.size() > 1 ? 1 : 0; j < Math.min(reads.size(), DecodeStep.ATTENDED); j++) {
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
            return all || DecodeStep.bidirectional(call) || change(step.reads().get(j)) == Change.ALL;
        }
        return all;
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

    /** The work of one step of one layer of a recurrent layer in one direction, on an input of {@code read}'s features: its formula so. */
    private static Costs oneWayStep(LeafCall call, Shape read, ModelSpec spec) {
        return call.formula(call.attrs().withNumber("numLayers", 1).withFlag("bidirectional", false), List.of(read.withDim(0, 1)),
                spec.conventions()).cost();
    }

    private static Change max(Change a, Change b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
