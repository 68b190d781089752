package dev.modelcost.processor.analysis;

import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.layers.LayerFailure;
import dev.modelcost.processor.layers.Positions;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.spec.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The MACs and the KV cache of one decoding step, in a model with causal attention or a recurrent seq2seq. The decoded inputs are those whose positions every causal attention's queries hold ({@code tgt} in
 * nn.Transformer; the text, not the image, where the text's queries attend to image features first,
 * as in Flamingo, or where the image's features are concatenated before the text's, as in LLaVA); a
 * step runs the layers whose inputs hold their positions, once on one position, and none of the
 * others (the encoder runs once, not per token). Whose positions a tensor holds follows each
 * operation's {@link Positions}: attention's output holds its queries', a concatenation along the
 * positions its last input's last; the axis that holds them is followed by its name, or, where a
 * reshape names its axes anew ({@code "L,H,D"} from a {@code "T,D"}), as the axis of the same size
 * after the same number of elements. Each layer decodes one position of that axis. A layer that also reads a tensor of other positions (a fused
 * cross-attention on the encoder's memory) decodes for the MACs that one more position adds, its
 * keys and values cached, unless its formula gives decoding MACs of its own (attention on a KV
 * cache). A model with no causal attention decodes every layer ({@link Figure#DECODE_MACS} summed
 * over the layers: a recurrent language model, one of layers on each position), but in a model of several inputs whose output
 * (the first it returns) holds the positions of some inputs, all sequences, on an axis, only the layers whose inputs hold those (a
 * recurrent seq2seq decodes its target, its encoder run once, its decoder one step from the encoder's final state; a decoder whose
 * attention is written out with {@code @MatMul} decodes its tokens, the encoder whose output it reads run once), unless it mixes
 * its positions both ways and nothing one way (an encoder: attention without a causal mask, a bidirectional recurrent layer; in a
 * model of several inputs, on the decoded positions), which decodes nothing: 0. Attention written out with
 * {@code @MatMul} has no mask to tell a decoder from an encoder: it decodes as any layer. Where causal stacks run on different
 * inputs (a causal audio encoder beside a text decoder), the decoded inputs are those of the stack whose positions the output
 * holds. Where a layer mixes the decoded positions both ways before the layers that decode, the step reruns what changes at every
 * position ({@link Rerun}).
 *
 * <p>The KV cache is what a decoding step keeps: the keys and values of the attention layers whose
 * queries hold the decoded positions (an encoder-decoder's decoder, its cross-attention included, not
 * its encoder), every attention layer's in a model of one input; none in a model without causal
 * attention (an encoder, which decodes nothing), but a recurrent seq2seq's attention from its decoder's
 * positions onto its encoder's outputs; attention whose keys change at every position ({@link Rerun}) keeps none. Where the step
 * cannot be followed (causal stacks on different inputs, the output holding the positions of none or of several, causal attention
 * only inside a mixture of experts, more than
 * {@link dev.modelcost.processor.memory.Graph#MAX_STEPS} layers), every attention layer's.
 */
final class DecodeStep {
    private DecodeStep() {}

    /** Per tensor of a forward pass, the model inputs whose positions it holds (as bits), and the axis that holds them, or null. */
    static final class Held {
        private final List<Long> inputs = new ArrayList<>();
        private final List<String> axes = new ArrayList<>();
        /** Per tensor, whether it holds the last position alone, its axis selected away ({@code x[:, -1]}, a next-token head's input). */
        private final List<Boolean> last = new ArrayList<>();
        private final ModelSpec spec;

        Held(ModelSpec spec) {
            this.spec = spec;
        }

        long inputs(int tensor) {
            return tensor < 0 ? 1L << (-1 - tensor) : inputs.get(tensor);
        }

        String axis(int tensor) {
            return tensor < 0 ? positionAxis(spec.inputs().get(-1 - tensor), spec) : axes.get(tensor);
        }

        /** Whether a tensor holds the last position of its positions alone, on no axis. */
        boolean last(int tensor) {
            return tensor >= 0 && last.get(tensor);
        }

        private void put(long bits, String axis, boolean lastAlone) {
            inputs.add(bits);
            axes.add(axis);
            last.add(axis == null && lastAlone);
        }

        /** Adds the output of a step, its positions found from those its reads hold. */
        void add(ForwardPass.Step step) {
            List<Integer> reads = step.reads();
            Shape out = step.node().output();
            LeafCall call = step.node().call();
            Positions rule = call == null || reads.isEmpty() ? Positions.ALL : call.kind().positions();
            if (rule == Positions.CONCATENATED && call.inputs().size() == reads.size()) {
                // along the positions of its last input, whose positions it then holds (not along another axis that an earlier
                // input's positions happen to be named as: an image's features beside a recurrent layer's last state)
                int d = joined(call.inputs(), out);
                int last = reads.size() - 1;
                if (d >= 0 && call.inputs().get(last).axis(d).equals(axis(reads.get(last)))) {
                    put(inputs(reads.get(last)), out.axis(d), false);
                    return;
                }
            }
            // a recurrent layer's state holds the last position alone, on no axis: its axes are not the input's renamed (at L = 1 one
            // may have the positions' size)
            boolean state = call != null && !reads.isEmpty() && passesState(call, axis(reads.get(0)));
            boolean shapes = call != null && call.inputs().size() == reads.size() && !state;
            boolean lastAlone = state || shapes && !reads.isEmpty() && selectsLast(call, axis(reads.get(0)), out);
            if (rule == Positions.FIRST) {
                put(inputs(reads.get(0)), followed(shapes ? call.inputs().get(0) : null, axis(reads.get(0)), out), lastAlone || last(reads.get(0)));
                return;
            }
            long bits = 0;
            String axis = null;
            for (int j = 0; j < reads.size(); j++) {
                bits |= inputs(reads.get(j));
                lastAlone |= last(reads.get(j));
                if (axis == null) {
                    axis = followed(shapes ? call.inputs().get(j) : null, axis(reads.get(j)), out);
                }
            }
            put(bits, axis, lastAlone);
        }

        /**
         * Whether a recurrent layer reading positions on {@code axis} passes on its state after them ({@code h_n}, {@code c_n}),
         * which a next-token head reads as the last position's.
         */
        private static boolean passesState(LeafCall call, String axis) {
            return axis != null && call.kind().results().contains("h_n") && !call.attrs().textOr("output", "output").equals("output");
        }

        /** Whether a call selects the last position of {@code axis} ({@code @Select(index = -1)} on it), which its output no longer has. */
        private static boolean selectsLast(LeafCall call, String axis, Shape out) {
            if (axis == null || !call.kind().name().equals("Select")) {
                return false;
            }
            Shape in = call.inputs().get(0);
            int at = in.axes().indexOf(axis);
            long index = call.attrs().number("index");
            return at >= 0 && !out.axes().contains(axis) && (index == -1 || index == in.dim(at) - 1L);
        }

        /**
         * The axis of {@code out} that holds the positions {@code axis} of {@code in} holds: the axis of that name, else (a reshape
         * that names its axes anew, "L,H,D" from a "T,D") the axis of the same size after the same number of elements; null if none,
         * as where the step reduces that axis away (a mean over the positions), whose output holds as many elements no more.
         */
        private static String followed(Shape in, String axis, Shape out) {
            if (axis == null || out.axes().contains(axis)) {
                return axis;
            }
            int at = in == null ? -1 : in.axes().indexOf(axis);
            if (at < 0 || in.elements() != out.elements()) {
                return null;
            }
            long before = 1;
            for (int d = 0; d < at; d++) {
                before = Math.multiplyExact(before, in.dim(d));
            }
            long product = 1;
            for (int k = 0; k < out.rank() && product <= before; k++) {
                if (product == before && out.dim(k) == in.dim(at)) {
                    return out.axis(k);
                }
                product = Math.multiplyExact(product, out.dim(k));
            }
            return null;
        }
    }

    /** A forward pass followed: whose positions each tensor holds, and the decoded inputs (as bits). */
    record Followed(ForwardPass pass, Held held, long decoded) {}

    /**
     * The pass of a model followed, or null where it cannot be (see the class's Javadoc): with {@code causal}, the decoded inputs
     * are those every causal attention's queries hold; without, those the model's output holds, null where it holds every input's
     * positions or none.
     */
    private static Followed follow(ModelSpec spec, CostNode root, List<CostNode> nodes, boolean causal) {
        int inputs = spec.inputs().size();
        Shape first = spec.inputs().get(0);
        boolean named = first.ids() || first.axes().contains(spec.conventions().sequenceAxis());
        if (inputs > Long.SIZE || inputs == 1 && !named && !(causal && first.rank() == 2)) {
            // Many inputs, or one whose positions no axis names (an image: its first axis is its channels): each layer decodes as its
            // own figure says. With causal attention, the first axis of a (positions, features) input holds them, whatever its name.
            return null;
        }
        if (inputs == 1 && named && !dropsAxis(nodes, positionAxis(first, spec)) && !attendsToOtherTensors(nodes) && !mixesBothWays(nodes)
                && !reducesAxis(nodes, positionAxis(first, spec))) {
            // One input whose position axis every layer keeps by name, and no layer that mixes the positions both ways or reduces
            // them to one, whose output changes everywhere with a new position: each layer's own figure is already on one position.
            return null;
        }
        ModelCosts costs = new ModelCosts(spec, root, root.totals());
        ForwardPass pass;
        try {
            if (costs.leafCount() > dev.modelcost.processor.memory.Graph.MAX_STEPS) {
                return null;
            }
            pass = ForwardPass.of(costs);
        } catch (ArithmeticException | IllegalArgumentException e) {
            return null;
        }
        Held held = new Held(spec);
        long decoded = -1;
        List<Long> queries = new ArrayList<>();
        try {
            for (ForwardPass.Step step : pass.steps()) {
                LeafCall call = step.node().call();
                if (causal && call != null && !step.reads().isEmpty() && call.attrs().flags().getOrDefault("isCausal", false)) {
                    queries.add(held.inputs(step.reads().get(0)));
                    decoded &= held.inputs(step.reads().get(0));
                }
                held.add(step);
            }
        } catch (ArithmeticException e) {
            return null;
        }
        if (causal && decoded == 0) {
            // Causal stacks on different inputs (a causal encoder of audio and a decoder of text, as streaming speech recognition
            // runs them): the decoded inputs are those of the stack whose positions the output holds; the others run once (none,
            // where it holds several).
            long output = held.inputs(pass.output());
            decoded = queries.stream().filter(bits -> (bits & output) != 0).reduce(-1L, (a, b) -> a & b);
        }
        if (!causal) {
            // the inputs whose positions the model's output holds (the first it returns: a seq2seq's logits before its encoder's states)
            decoded = held.inputs(pass.output());
            if (decoded == (inputs == Long.SIZE ? -1 : (1L << inputs) - 1) && inputs > 1) {
                return null;
            }
            // Only sequences decode, and into an output that still holds their positions on an axis (a seq2seq's logits, not a
            // classifier's over a final state): an input of token ids or with the sequence axis (not an image's channels).
            for (int k = 0; k < inputs; k++) {
                Shape input = spec.inputs().get(k);
                if ((decoded & 1L << k) != 0 && !input.ids() && !input.axes().contains(spec.conventions().sequenceAxis())) {
                    return null;
                }
            }
            // on an axis, whatever its name (a concatenation after an image's patches keeps theirs), or the last position alone
            if (held.axis(pass.output()) == null && !held.last(pass.output())) {
                return null;
            }
        }
        return decoded == -1 || decoded == 0 ? null : new Followed(pass, held, decoded);
    }

    /**
     * Whether an nn.MultiheadAttention reads its keys or values from another tensor than its queries: whether they hold the decoded
     * positions too (a norm of the queries' input) or not (a learned memory, projected once) is found by following the pass.
     */
    private static boolean attendsToOtherTensors(List<CostNode> nodes) {
        for (CostNode node : nodes) {
            LeafCall call = node.call();
            if (call != null && call.kind().name().equals("MultiheadAttention")
                    && call.inputs().size() == 3 && !(call.attrs().sameInput(0, 1) && call.attrs().sameInput(0, 2))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Per step of a followed pass: the MACs it adds to a decoding step, and the KV cache it keeps and its bytes. A step whose output
     * changes at every position ({@link Rerun}) runs again over the positions the step needs: all of them where a later layer
     * needs them all, else its query's last position against every key (attention), or the steps of a recurrent layer the step
     * needs ({@link Rerun}); attention whose keys change everywhere keeps no cache.
     */
    private static long[][] perStep(ModelSpec spec, Followed followed) {
        ForwardPass pass = followed.pass();
        Held held = followed.held();
        long decoded = followed.decoded();
        String fallback = decodedAxis(spec, decoded);
        Rerun rerun = Rerun.of(followed);
        long[][] figures = new long[pass.steps().size()][];
        for (int s = 0; s < pass.steps().size(); s++) {
            long[] once = onNewPosition(pass.steps().get(s), s, held, decoded, fallback, spec);
            figures[s] = rerun.everywhere(s) ? rerun.figures(s, once, spec) : once;
        }
        return figures;
    }

    /** What step {@code s} adds to a decoding step where its inputs change at the new position only (see {@link #perStep}). */
    private static long[] onNewPosition(ForwardPass.Step step, int s, Held held, long decoded, String fallback, ModelSpec spec) {
        long[] figures = new long[STEP_FIGURES.size()];
        if (!step.reads().isEmpty() && (held.inputs(step.reads().get(0)) & decoded) != 0) {
            // An attention's queries are its first input: where they are decoded positions, its keys and values are kept.
            figures[1] = step.node().totals().get(Figure.KV_CACHE);
            figures[2] = step.node().totals().get(Figure.KV_CACHE_BYTES);
        }
        boolean all = true;
        boolean any = false;
        for (int tensor : attended(step)) {
            boolean reached = (held.inputs(tensor) & decoded) != 0;
            any |= reached;
            all &= reached;
        }
        if (any) {
            LeafCall call = step.node().call();
            if (all && call != null && call.kind().cachedStep() != null) {
                // Attention whose keys and values hold the decoded positions, whichever tensors they are (a norm of the queries'
                // input): the step projects the new position's key and value too, which its formula leaves to self-attention.
                figures[0] = call.kind().cachedStep().step(call.attrs(), call.inputs(), call.batch(), spec.conventions(), call.activations(),
                        call.weights(), true).macs();
                return figures;
            }
            String axis = held.axis(s) != null ? held.axis(s) : fallback;
            long own = axis.equals(spec.conventions().sequenceAxis()) ? step.node().totals().get(Figure.DECODE_MACS) : onePosition(step, axis, spec);
            figures[0] = all ? own : oneMorePosition(step, held, decoded, fallback, spec, own);
        }
        return figures;
    }

    /**
     * The analysed model with its decoding step: its totals' {@code DECODE_MACS}, {@code KV_CACHE} and {@code KV_CACHE_BYTES}
     * those of the step, and its rows as the totals count them. Without causal attention, no layer keeps a KV cache, and where the
     * model decodes nothing ({@link #seesBothWays}), none decodes; in a model of several inputs whose output holds the positions of
     * some (a recurrent seq2seq's target, not its source), only the layers whose inputs hold those, as with causal attention. With
     * causal attention whose step is followed, the totals sum
     * what each step adds, and each layer's row holds what it adds (an encoder-decoder's encoder nothing, a cross-attention one
     * more query on cached keys), unless the same analysed layer runs in places that add different amounts (a block shared by an
     * encoder and a decoder), whose row stays what it decodes alone; where the step is not followed, the root's totals.
     */
    static ModelCosts costs(ModelSpec spec, CostNode root) {
        List<CostNode> nodes = nodes(root);
        if (nodes.stream().noneMatch(CostNode::causalAttention)) {
            List<Figure> none = new ArrayList<>(List.of(Figure.KV_CACHE, Figure.KV_CACHE_BYTES));
            Followed followed = runsOneWay(nodes) || spec.inputs().size() > 1 ? follow(spec, root, nodes, false) : null;
            if (seesBothWays(nodes) && (followed == null || spec.inputs().size() < 2 || mixesDecoded(followed))) {
                // An encoder decodes nothing; in a model of several inputs, one whose layers mix the decoded positions both ways (an
                // image encoder's attention beside a decoder written with @MatMul is run once, not per token).
                none.add(Figure.DECODE_MACS);
                followed = null;
            }
            boolean kept = none.stream().allMatch(figure -> nodes.stream().allMatch(node -> node.totals().get(figure) == 0));
            CostNode rows = kept ? root : root.without(none, new java.util.IdentityHashMap<>());
            // Several inputs, the output holding the positions of some: a recurrent seq2seq decodes its target, its encoder runs once,
            // and the attention whose queries are the target's keeps the keys and values it reads; a decoder whose attention is
            // written out with @MatMul decodes its tokens, the encoder whose output it reads running once. (One input with a
            // recurrent layer of one direction too: a reduction over its positions changes what follows it everywhere, as a mixer does.)
            return followed == null ? new ModelCosts(spec, rows, rows.totals()) : stepped(spec, root, followed, rows);
        }
        Followed followed = follow(spec, root, nodes, true);
        return followed == null ? new ModelCosts(spec, root, root.totals()) : stepped(spec, root, followed, root);
    }

    /**
     * The analysed model with the decoding step of a followed pass: its totals the step's, its rows what each adds; {@code fallback}'s
     * own figures where the step's sums exceed 64 bits.
     */
    private static ModelCosts stepped(ModelSpec spec, CostNode root, Followed followed, CostNode fallback) {
        long[][] figures;
        long[] sums = new long[STEP_FIGURES.size()];
        try {
            figures = perStep(spec, followed);
            for (long[] step : figures) {
                for (int f = 0; f < sums.length; f++) {
                    sums[f] = Math.addExact(sums[f], step[f]);
                }
            }
        } catch (ArithmeticException e) {
            return new ModelCosts(spec, fallback, fallback.totals());
        }
        Costs totals = root.totals();
        for (int f = 0; f < sums.length; f++) {
            totals = totals.with(STEP_FIGURES.get(f), sums[f]);
        }
        java.util.Map<CostNode, long[]> byNode = new java.util.IdentityHashMap<>();
        java.util.Set<CostNode> mixed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int s = 0; s < figures.length; s++) {
            CostNode node = followed.pass().steps().get(s).node();
            long[] known = byNode.putIfAbsent(node, figures[s]);
            if (known != null && !java.util.Arrays.equals(known, figures[s])) {
                mixed.add(node);
            }
        }
        mixed.forEach(byNode::remove);
        byNode.entrySet().removeIf(e -> java.util.stream.IntStream.range(0, STEP_FIGURES.size())
                .allMatch(f -> e.getKey().totals().get(STEP_FIGURES.get(f)) == e.getValue()[f]));
        CostNode rows = root;
        try {
            rows = byNode.isEmpty() ? root : decoding(root, byNode, new java.util.IdentityHashMap<>());
        } catch (ArithmeticException e) {
            // rows as analysed; the totals are the step's
        }
        return new ModelCosts(spec, rows, totals);
    }

    /** The layers of one decoding step and what each does in it (see {@link DecodeLayer}). */
    static List<DecodeLayer> layers(ModelCosts costs) {
        Costs totals = costs.totals();
        ModelSpec spec = costs.spec();
        CostNode root = costs.root();
        List<CostNode> nodes = nodes(root);
        if (totals.get(Figure.DECODE_MACS) == 0) {
            return List.of();
        }
        boolean causal = nodes.stream().anyMatch(CostNode::causalAttention);
        Followed followed = causal ? follow(spec, root, nodes, true)
                : runsOneWay(nodes) ? follow(spec, root, nodes, false) : null;
        // Something generates: a KV cache, a layer that runs its positions one way (a recurrent layer of one direction, a cell), or
        // causal attention whose keys a layer before it changes at every position (no cache, as they are made anew each step).
        Rerun rerun = followed == null ? null : Rerun.of(followed);
        if (totals.get(Figure.KV_CACHE) == 0 && !runsOneWay(nodes) && (rerun == null || !rerun.any())) {
            return List.of();
        }
        if (followed == null) {
            // One input, whose positions every layer keeps on their axis; with several, which decodes is not known: no bound rather
            // than every encoder layer once a token.
            String axis = spec.inputs().size() > 1 ? null : positionAxis(spec.inputs().get(0), spec);
            if (axis == null || !root.output().axes().contains(axis)) {
                return List.of();
            }
            List<DecodeLayer> layers = new ArrayList<>();
            every(root, "", 1, axis, spec, layers);
            return layers;
        }
        int out = followed.pass().output();
        if ((followed.held().inputs(out) & followed.decoded()) == 0 || followed.held().axis(out) == null && !followed.held().last(out)) {
            // An output that holds no decoded positions (a causal text tower pooled to one vector) generates nothing; one that holds
            // the last alone (a head on x[:, -1]) predicts the next token.
            return List.of();
        }
        String fallback = decodedAxis(spec, followed.decoded());
        // The same analysed layer doing the same in the step, wherever it runs (a repeated decoder layer's), is one entry.
        java.util.Map<StepKey, DecodeLayer> merged = new java.util.LinkedHashMap<>();
        for (int s = 0; s < followed.pass().steps().size(); s++) {
            ForwardPass.Step step = followed.pass().steps().get(s);
            List<Integer> reads = step.reads();
            boolean any = reads.stream().anyMatch(tensor -> decoded(followed, tensor));
            if (any) {
                String axis = followed.held().axis(s) != null ? followed.held().axis(s) : fallback;
                boolean query = decoded(followed, reads.get(0));
                boolean keys = reads.size() > 1 ? decoded(followed, reads.get(1)) : query;
                DecodeLayer layer = layer(step.path(), step.node(), 1, axis, query, keys, spec);
                if (rerun.everywhere(s)) {
                    layer = rerun.layer(s, layer, spec);
                }
                merged.merge(new StepKey(layer), layer, (first, again) -> new DecodeLayer(first.path(), first.leaf(),
                        Math.addExact(first.times(), again.times()), first.flops(), first.bytes()));
            }
        }
        return List.copyOf(merged.values());
    }

    /** Whether a tensor of a followed pass holds decoded positions. */
    private static boolean decoded(Followed followed, int tensor) {
        return (followed.held().inputs(tensor) & followed.decoded()) != 0;
    }

    /** A layer of the step by its analysed node (the same instance) and what it does there. */
    private record StepKey(CostNode leaf, long flops, long bytes) {
        StepKey(DecodeLayer layer) {
            this(layer.leaf(), layer.flops(), layer.bytes());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof StepKey key && key.leaf == leaf && key.flops == flops && key.bytes == bytes;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(leaf) * 31 + Long.hashCode(flops * 31 + bytes);
        }
    }

    /** Every leaf under {@code node} as a layer of the step, on one position of {@code axis}; attention as self-attention. */
    private static void every(CostNode node, String path, long times, String axis, ModelSpec spec, List<DecodeLayer> layers) {
        if (node.leaf()) {
            layers.add(layer(path, node, times, axis, true, true, spec));
            return;
        }
        for (CostNode.Child child : node.children()) {
            every(child.node(), ModelCosts.join(path, child.name(0)), Math.multiplyExact(times, child.count()), axis, spec, layers);
        }
    }

    /** The positions a layer's output holds on {@code axis}: its length there, 1 where the output has no such axis. */
    private static long positions(CostNode leaf, String axis) {
        int at = leaf.output().axes().indexOf(axis);
        return at < 0 ? 1 : leaf.output().dim(at);
    }

    /**
     * One layer in the step: its kind's cached step where it attends to a KV cache with a decoded query ({@code keys}: whether its
     * keys hold decoded positions too), else its forward pass over the positions its output holds on {@code axis} (see
     * {@link DecodeLayer}).
     */
    private static DecodeLayer layer(String path, CostNode leaf, long times, String axis, boolean query, boolean keys, ModelSpec spec) {
        // a recurrent layer passing on its state (h_n) ran a step per position of its input, which the state no longer holds
        long positions = leaf.call() != null && leaf.call().kind().results().contains("h_n") && !leaf.output().axes().contains(axis)
                && leaf.call().inputs().get(0).axes().contains(axis)
                ? leaf.call().inputs().get(0).dim(leaf.call().inputs().get(0).axes().indexOf(axis)) : positions(leaf, axis);
        Costs t = leaf.totals();
        long flops = Math.addExact(t.flops(), t.otherOps()) / positions;
        LeafCall call = leaf.call();
        if (leaf.experts() != null) {
            CostNode.Experts experts = leaf.experts();
            long weights = Leaves.weightReads(experts.expert(), new java.util.IdentityHashMap<>());
            long activations = Math.max(0, t.get(Figure.BYTES_MOVED) - Math.multiplyExact(experts.reached(experts.tokens()), weights));
            long reached = experts.reached(Math.max(1, experts.tokens() / positions));
            // a causal layer inside reads the cache that KV_CACHE counts for the experts, as a cached step reads its own whole
            long cache = t.get(Figure.KV_CACHE_BYTES);
            return new DecodeLayer(path, leaf, times, flops, Math.addExact(Math.addExact(Math.multiplyExact(reached, weights), activations / positions),
                    cache));
        }
        if (call == null) {
            return new DecodeLayer(path, leaf, times, flops, t.get(Figure.BYTES_MOVED) / positions);
        }
        long buffers = call.activations().bytes(t.buffers());
        if (call.kind().cachedStep() != null && query) {
            Costs step = call.kind().cachedStep().step(call.attrs(), call.inputs(), call.batch(), spec.conventions(), call.activations(), call.weights(),
                    keys);
            return new DecodeLayer(path, leaf, times, Math.addExact(step.flops(), step.otherOps()), Math.addExact(buffers, step.get(Figure.BYTES_MOVED)));
        }
        long moved = t.get(Figure.BYTES_MOVED);
        if (moved == 0) {
            return new DecodeLayer(path, leaf, times, flops, 0);
        }
        long weights = Math.addExact(t.get(Figure.WEIGHT_BYTES), call.sharedBytes());
        boolean gathers = call.gathers(t.params());
        long rows = gathers ? call.rowsRead(leaf.output()) : 0;
        long activations = Math.max(0, moved - (gathers ? Math.min(weights, rows) : weights) - buffers);
        long stepWeights = gathers ? Math.min(weights, rows / positions) : weights;
        // a recurrent layer's states (h_n, c_n) hold no positions: each step reads the last step's whole (the initial states given,
        // at the first) and writes its own
        boolean recurrent = call.kind().results().contains("h_n");
        long states = recurrent ? states(call, axis, spec) : 0;
        long sequence = recurrent ? Math.max(0, activations - states - givenStates(call)) : activations;
        // an operand that holds no positions (a gate broadcast over them) is read whole at every step
        long whole = recurrent || positions == 1 ? 0 : Math.min(sequence, unpositioned(call, axis));
        long step = Math.addExact(Math.addExact((sequence - whole) / positions, whole), Math.multiplyExact(2, states));
        return new DecodeLayer(path, leaf, times, flops, Math.addExact(Math.addExact(stepWeights, buffers), step));
    }

    /** The bytes of a recurrent layer's results that hold no positions on {@code axis} (its h_n and an LSTM's c_n). */
    private static long states(LeafCall call, String axis, ModelSpec spec) {
        long bytes = 0;
        for (String name : call.kind().results()) {
            Shape result = call.result(name, spec.conventions());
            if (!result.axes().contains(axis)) {
                bytes = Math.addExact(bytes, result.bytes(call.batch(), call.activations()));
            }
        }
        return bytes;
    }

    /** The bytes of the inputs that hold one position or none on {@code axis}, broadcast over the output's positions. */
    private static long unpositioned(LeafCall call, String axis) {
        long bytes = 0;
        for (Shape input : call.inputs()) {
            int at = input.axes().indexOf(axis);
            if (at < 0 || input.dim(at) == 1) {
                bytes = Math.addExact(bytes, input.bytes(call.batch(), call.activations()));
            }
        }
        return bytes;
    }

    /** The bytes of the initial states a recurrent layer reads as its inputs after the first ({@code h_0}, {@code c_0}). */
    private static long givenStates(LeafCall call) {
        long bytes = 0;
        for (Shape input : call.inputs().subList(1, call.inputs().size())) {
            bytes = Math.addExact(bytes, input.bytes(call.batch(), call.activations()));
        }
        return bytes;
    }

    /** The decoding step's figures of a row, in the order {@link #perStep} gives them. */
    private static final List<Figure> STEP_FIGURES = List.of(Figure.DECODE_MACS, Figure.KV_CACHE, Figure.KV_CACHE_BYTES);

    /** {@code node} with the leaves of {@code leaves} holding their step's figures, and the blocks above them summing those; each node once. */
    private static CostNode decoding(CostNode node, java.util.Map<CostNode, long[]> leaves, java.util.Map<CostNode, CostNode> done) {
        CostNode known = done.get(node);
        if (known != null) {
            return known;
        }
        CostNode result = node;
        long[] own = leaves.get(node);
        if (own != null) {
            Costs totals = node.totals();
            for (int f = 0; f < STEP_FIGURES.size(); f++) {
                totals = totals.with(STEP_FIGURES.get(f), own[f]);
            }
            result = copy(node, totals, node.children(), node.experts());
        } else if (!node.leaf()) {
            List<CostNode.Child> children = new ArrayList<>();
            long[] sums = new long[STEP_FIGURES.size()];
            boolean changed = false;
            for (CostNode.Child child : node.children()) {
                CostNode kept = decoding(child.node(), leaves, done);
                changed |= kept != child.node();
                children.add(new CostNode.Child(child.prefix(), child.first(), child.count(), kept));
                for (int f = 0; f < sums.length; f++) {
                    sums[f] = Math.addExact(sums[f], Math.multiplyExact(kept.totals().get(STEP_FIGURES.get(f)), child.count()));
                }
            }
            if (changed) {
                Costs totals = node.totals();
                for (int f = 0; f < sums.length; f++) {
                    totals = totals.with(STEP_FIGURES.get(f), sums[f]);
                }
                result = copy(node, totals, children, node.experts());
            }
        }
        done.put(node, result);
        return result;
    }

    private static CostNode copy(CostNode node, Costs totals, List<CostNode.Child> children, CostNode.Experts experts) {
        return new CostNode(node.kind(), node.leaf(), node.output(), totals, children, node.outputFrom(), node.parameters(), node.call(),
                node.fastPath(), node.flow(), experts);
    }

    /**
     * Whether the model, without causal attention, mixes its positions both ways (an encoder: attention without a causal mask, a
     * bidirectional recurrent layer) and runs nothing one way (a recurrent layer of one direction, a cell): it decodes nothing. A
     * {@code @MatMul} tells neither (attention written out has no mask to say whether it is causal), so it decodes as every layer.
     */
    private static boolean seesBothWays(List<CostNode> nodes) {
        return !runsOneWay(nodes) && nodes.stream().anyMatch(node -> node.call() != null
                && (ATTENTION.contains(node.call().kind().name()) || RECURRENT.contains(node.call().kind().name())));
    }

    /** Whether a layer of a followed pass mixes the decoded positions both ways (attention without a causal mask on them, ...). */
    private static boolean mixesDecoded(Followed followed) {
        for (ForwardPass.Step step : followed.pass().steps()) {
            if (step.node().call() != null && Rerun.mixesBothWays(step.node().call())
                    && step.reads().stream().anyMatch(tensor -> decoded(followed, tensor))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a layer mixes positions both ways: attention without a causal mask, or a bidirectional recurrent layer. */
    private static boolean mixesBothWays(List<CostNode> nodes) {
        return nodes.stream().anyMatch(node -> node.call() != null && Rerun.mixesBothWays(node.call()));
    }

    /** Whether a layer runs its positions one way, one after another: a recurrent layer of one direction, or a cell. */
    private static boolean runsOneWay(List<CostNode> nodes) {
        for (CostNode node : nodes) {
            if (node.call() != null) {
                String kind = node.call().kind().name();
                if (ONE_WAY_CELLS.contains(kind) || RECURRENT.contains(kind) && !bidirectional(node.call())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a recurrent layer runs both directions ({@code bidirectional = true}). */
    static boolean bidirectional(LeafCall call) {
        return call.attrs().flags().getOrDefault("bidirectional", false);
    }

    static final java.util.Set<String> ATTENTION = java.util.Set.of("ScaledDotProductAttention", "MultiheadAttention");
    /**
     * What a step reads that its output follows: all it reads, but attention's mask (a fourth input added to its scores: T5's or
     * ALiBi's position bias, built from every position), which a decoding step reads as it needs it, its row for the new query
     * against every key: it decodes nothing, and a bias that reads every position is no change of the earlier ones ({@link Rerun}).
     */
    static List<Integer> attended(ForwardPass.Step step) {
        LeafCall call = step.node().call();
        return call != null && call.kind().cachedStep() != null && step.reads().size() > ATTENDED ? step.reads().subList(0, ATTENDED) : step.reads();
    }

    /** How many of attention's inputs it attends with: the query, the keys and the values; a fourth is a mask added to its scores. */
    static final int ATTENDED = 3;
    static final java.util.Set<String> RECURRENT = java.util.Set.of("LSTM", "GRU", "RNN");
    private static final java.util.Set<String> ONE_WAY_CELLS = java.util.Set.of("LSTMCell", "GRUCell", "RNNCell");

    /** The distinct nodes under {@code root}, those inside a mixture of experts included. */
    private static List<CostNode> nodes(CostNode root) {
        List<CostNode> nodes = new ArrayList<>(ModelCosts.distinctNodes(root));
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).experts() != null) {
                nodes.addAll(ModelCosts.distinctNodes(nodes.get(i).experts().expert()));
            }
        }
        return nodes;
    }

    /** Whether a layer other than a view reduces an axis named {@code axis} to length 1, keeping it (a mean with keepdim). */
    private static boolean reducesAxis(List<CostNode> nodes, String axis) {
        return nodes.stream().anyMatch(node -> node.call() != null
                && node.call().inputs().stream().anyMatch(in -> reducedToOne(node.call(), in, node.output(), axis)));
    }

    /**
     * Whether {@code call}, not a view (a slice keeps a position, it reduces none) nor a window that slides along the positions (a
     * convolution or pooling whose window spans them all gives one position, and one more for a new token), gives {@code out} the
     * axis {@code axis} of length 1 where its input {@code in} has it longer: a reduction that keeps its axis (keepdim, adaptive
     * pooling to 1).
     */
    static boolean reducedToOne(LeafCall call, Shape in, Shape out, String axis) {
        int at = out.axes().indexOf(axis);
        int from = in.axes().indexOf(axis);
        return !call.kind().view() && !slides(call.kind().name()) && at >= 0 && out.dim(at) == 1 && from >= 0 && in.dim(from) > 1;
    }

    /** Whether a kind slides a window of its own along its input's axes: a convolution, or pooling that is not adaptive. */
    private static boolean slides(String kind) {
        return kind.startsWith("Conv") || kind.startsWith("MaxPool") || kind.startsWith("AvgPool");
    }

    /** Whether a layer reads a tensor with an axis named {@code axis} and gives one without (a reshape that names it anew). */
    private static boolean dropsAxis(List<CostNode> nodes, String axis) {
        for (CostNode node : nodes) {
            if (node.call() != null && !node.output().axes().contains(axis) && node.call().inputs().stream().anyMatch(in -> in.axes().contains(axis))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The axis of a model input that holds its positions: a token input's own, the model's sequence axis where it has it, else its
     * first (positions before features); null for an input of one axis of values.
     */
    private static String positionAxis(Shape input, ModelSpec spec) {
        if (input.ids()) {
            return input.axis(0);
        }
        String sequence = spec.conventions().sequenceAxis();
        return input.axes().contains(sequence) ? sequence : input.rank() > 1 ? input.axis(0) : null;
    }

    /** The dimension a concatenation joins its inputs on: where its output differs from its first input; -1 if none. */
    private static int joined(List<Shape> inputs, Shape out) {
        Shape first = inputs.get(0);
        if (first.rank() != out.rank()) {
            return -1;
        }
        for (int d = 0; d < out.rank(); d++) {
            if (out.dim(d) != first.dim(d)) {
                return d;
            }
        }
        return -1;
    }

    /**
     * The sequence axis of the decoded inputs: a token input's own axis ({@code T} of a target of token ids), else the model's;
     * the model's where the decoded inputs name different ones.
     */
    private static String decodedAxis(ModelSpec spec, long decoded) {
        String axis = null;
        for (int k = 0; k < spec.inputs().size(); k++) {
            if ((decoded & 1L << k) != 0) {
                Shape input = spec.inputs().get(k);
                String own = input.ids() ? input.axis(0) : input.axes().contains(spec.conventions().sequenceAxis()) ? spec.conventions().sequenceAxis() : "L";
                if (axis != null && !axis.equals(own)) {
                    return spec.conventions().sequenceAxis();
                }
                axis = own;
            }
        }
        return axis == null ? spec.conventions().sequenceAxis() : axis;
    }

    /**
     * A layer's MACs on one position of {@code axis}, as {@code Leaves.derived} gives them on the model's sequence axis: its
     * formula's decoding MACs where it gives them, else its MACs over the length of its output's axis, else all of them.
     */
    private static long onePosition(ForwardPass.Step step, String axis, ModelSpec spec) {
        Costs costs = step.node().totals();
        if (formulaDecodes(step.node().call(), spec)) {
            return costs.get(Figure.DECODE_MACS);
        }
        int at = step.node().output().axes().indexOf(axis);
        return at < 0 ? costs.macs() : costs.macs() / step.node().output().dim(at);
    }

    /**
     * Whether a leaf's formula gives decoding MACs of its own (attention on a KV cache, its query against every cached key), which
     * it keeps; true where the formula cannot be run again, so that the leaf's own figure stands.
     */
    private static boolean formulaDecodes(LeafCall call, ModelSpec spec) {
        if (call == null) {
            return false;
        }
        try {
            return call.formula(call.attrs(), call.inputs(), spec.conventions()).cost().get(Figure.DECODE_MACS) > 0;
        } catch (LayerFailure | ArithmeticException | IllegalArgumentException e) {
            return true;
        }
    }

    /**
     * The MACs one more position of the decoded inputs adds to a layer that also reads others: its
     * formula with each input that holds their positions one position longer on the axis that holds
     * them ({@code fallback} where it is not known), less at the lengths it has (so a first position
     * is counted as any other); {@code own} where that axis is missing or the formula refuses the
     * longer length.
     */
    private static long oneMorePosition(ForwardPass.Step step, Held held, long decoded, String fallback, ModelSpec spec, long own) {
        LeafCall call = step.node().call();
        if (call == null || call.inputs().size() != step.reads().size()) {
            return own;
        }
        List<Shape> longer = new ArrayList<>();
        for (int j = 0; j < call.inputs().size(); j++) {
            Shape shape = call.inputs().get(j);
            int tensor = step.reads().get(j);
            if ((held.inputs(tensor) & decoded) == 0) {
                longer.add(shape);
                continue;
            }
            String axis = held.axis(tensor) != null ? held.axis(tensor) : fallback;
            int at = shape.axes().indexOf(axis);
            if (at < 0 || shape.dim(at) == Integer.MAX_VALUE) {
                return own;
            }
            longer.add(shape.withDim(at, shape.dim(at) + 1));
        }
        if (formulaDecodes(call, spec)) {
            return own;
        }
        try {
            long more = call.formula(call.attrs(), longer, spec.conventions()).cost().macs();
            return Math.subtractExact(more, call.formula(call.attrs(), call.inputs(), spec.conventions()).cost().macs());
        } catch (LayerFailure | ArithmeticException | IllegalArgumentException e) {
            return own;
        }
    }
}
