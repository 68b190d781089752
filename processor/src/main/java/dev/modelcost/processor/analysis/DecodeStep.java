package dev.modelcost.processor.analysis;

import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.layers.LayerFailure;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.spec.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The MACs of one decoding step of a model of several inputs, such as an encoder-decoder: the
 * decoded inputs are those every causal attention's queries read, directly or through other layers
 * ({@code tgt}: the first decoder layer's queries read it alone, later ones the memory too); a step
 * runs the layers that read them, once on one position, and
 * none of the others (the encoder runs once, not per token). A layer that also reads an input no
 * decoded one reaches (a fused cross-attention on the encoder's memory) decodes for the MACs that
 * one more position of the decoded inputs adds, its keys and values cached, unless its formula gives
 * decoding MACs of its own (attention on a KV cache). A model of one input, or with no
 * causal attention, decodes every layer ({@link Figure#DECODE_MACS} summed over the layers).
 */
final class DecodeStep {
    private DecodeStep() {}

    /** The model's totals, its {@code DECODE_MACS} those of a decoding step where it has several inputs and a causal attention. */
    static Costs totals(ModelSpec spec, CostNode root) {
        Costs totals = root.totals();
        int inputs = spec.inputs().size();
        if (inputs == 1 || inputs > Long.SIZE) {
            return totals;
        }
        ModelCosts costs = new ModelCosts(spec, root, totals);
        ForwardPass pass;
        try {
            if (costs.leafCount() > dev.modelcost.processor.memory.Graph.MAX_STEPS) {
                return totals;
            }
            pass = ForwardPass.of(costs);
        } catch (ArithmeticException | IllegalArgumentException e) {
            return totals;
        }
        // Per tensor, the model inputs it follows from, as bits.
        List<Long> from = new ArrayList<>();
        long decoded = -1;
        for (ForwardPass.Step step : pass.steps()) {
            long reads = 0;
            for (int tensor : step.reads()) {
                reads |= inputsOf(tensor, from);
            }
            from.add(reads);
            LeafCall call = step.node().call();
            if (call != null && !step.reads().isEmpty() && call.attrs().flags().getOrDefault("isCausal", false)) {
                decoded &= inputsOf(step.reads().get(0), from);
            }
        }
        if (decoded == -1 || decoded == 0) {
            return totals;
        }
        String axis = decodedAxis(spec, decoded);
        long macs = 0;
        for (ForwardPass.Step step : pass.steps()) {
            boolean all = true;
            boolean any = false;
            for (int tensor : step.reads()) {
                boolean reached = (inputsOf(tensor, from) & decoded) != 0;
                any |= reached;
                all &= reached;
            }
            if (any) {
                long own = axis.equals(spec.conventions().sequenceAxis()) ? step.node().totals().get(Figure.DECODE_MACS) : onePosition(step, axis, spec);
                macs = Math.addExact(macs, all ? own : oneMorePosition(step, from, decoded, axis, spec, own));
            }
        }
        return totals.with(Figure.DECODE_MACS, macs);
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

    private static long inputsOf(int tensor, List<Long> from) {
        return tensor < 0 ? 1L << (-1 - tensor) : from.get(tensor);
    }

    /**
     * The MACs one more position of the decoded inputs adds to a layer that also reads others: its
     * formula at one position more on the decoded inputs' sequence axis, less at the length it has
     * (so a first position is counted as any other); {@code own} where that axis is missing or the
     * formula refuses the longer length.
     */
    private static long oneMorePosition(ForwardPass.Step step, List<Long> from, long decoded, String axis, ModelSpec spec, long own) {
        LeafCall call = step.node().call();
        if (call == null) {
            return own;
        }
        List<Shape> longer = new ArrayList<>();
        for (int j = 0; j < call.inputs().size(); j++) {
            Shape shape = call.inputs().get(j);
            if ((inputsOf(step.reads().get(j), from) & decoded) == 0) {
                longer.add(shape);
                continue;
            }
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
