package dev.modelcost.processor.counters;

import dev.modelcost.processor.analysis.LeafCall;
import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.spec.Step;

/**
 * One leaf as a counter's rules read it: the PyTorch kind, what it was called with, its output
 * and modelcost's own figures. Element counts ({@code inNumel}, {@code outNumel}) include the
 * batch where the tensor has it, as {@code tensor.numel()} does; {@code sample*} counts are of one sample.
 *
 * @param kind the kind, as PyTorch names the module ({@code Conv2d})
 * @param call what it was called with; null for a mixture of experts
 * @param output the output shape without the batch
 * @param costs modelcost's figures for the leaf
 * @param modelInputs how many inputs the model takes (a tool fed several calls the model with keyword arguments)
 */
public record Leaf(String kind, LeafCall call, Shape output, Costs costs, int modelInputs) {

    /** The batch size. */
    public long n() {
        return call.batch();
    }

    /** The first input's shape without the batch. */
    public Shape x() {
        return call.inputs().get(0);
    }

    /** Elements of the first input, batch included where it has one. */
    public long inNumel() {
        return numel(x());
    }

    /** Elements of the output, batch included where it has one. */
    public long outNumel() {
        return numel(output);
    }

    /** {@code tensor.numel()}: a tensor without the batch (a learned tensor, positions from an arange) holds one sample's elements. */
    private long numel(Shape shape) {
        return shape.batched() ? Math.multiplyExact(n(), shape.elements()) : shape.elements();
    }

    /** Elements of one sample of the first input. */
    public long sampleIn() {
        return x().elements();
    }

    /** Elements of one sample of the output. */
    public long sampleOut() {
        return output.elements();
    }

    /** modelcost's MACs for the leaf. */
    public long macs() {
        return costs.macs();
    }

    /** The parameters of the leaf's module: modelcost's count for the leaf, or the module's where the leaf calls it again. */
    public long params() {
        return call != null && call.again() ? call.sharedParams() : costs.params();
    }

    /**
     * The parameters of the leaf's module as {@code module.parameters()} lists them: a Linear tied
     * to an embedding holds the shared weight, which modelcost's {@code PARAMS} counts once, at the
     * embedding. Tools that sum parameters per module (thop, nni) or read a module's own (torchinfo's
     * mult-adds) see it again. An embedding tied to another is that module called again (T5's
     * {@code shared}), whose parameters they count once.
     */
    public long moduleParams() {
        if (call == null || call.attrs().textOr("tiedTo", "").isEmpty() || call.gathers(0)) {
            return params();
        }
        return Math.addExact(params(), Math.multiplyExact(x().last(), output.last()));
    }

    /** Whether the PyTorch code calls it as a module: a kind PyTorch holds as one, not marked {@code @Functional}. */
    public boolean module() {
        return call.kind().module() && call.call() == Step.Call.MODULE;
    }

    /** Whether the PyTorch code passes its module's weights to a function and never calls the module ({@code @Functional(moduleWeights = true)}). */
    public boolean moduleWeights() {
        return call.call() == Step.Call.MODULE_WEIGHTS;
    }

    /** Whether the PyTorch code calls it as a function of {@code torch.nn.functional}, a module's weights given or not. */
    public boolean function() {
        return call.call() == Step.Call.FUNCTION || call.call() == Step.Call.MODULE_WEIGHTS;
    }

    /** The subclass of its kind's class its module is an instance of ({@code @Subclass}), or null. */
    public String subclass() {
        return call == null ? null : call.attrs().subclass();
    }

    /** Whether its kind is declared in the project ({@code @LayerKind}) rather than built in. */
    public boolean declared() {
        return !call.kind().annotation().startsWith("dev.modelcost.");
    }

    /** A boolean attribute, or {@code fallback} where the kind has none of that name. */
    public boolean flag(String name, boolean fallback) {
        return call.attrs().flags().getOrDefault(name, fallback);
    }

    /** A number attribute, or {@code fallback} where the kind has none of that name or it is unset (0). */
    public long number(String name, long fallback) {
        Long value = call.attrs().numbers().get(name);
        return value == null || value == 0 ? fallback : value;
    }

    /** A text attribute, or {@code fallback}. */
    public String text(String name, String fallback) {
        return call.attrs().textOr(name, fallback);
    }

    /** Channels of the first input (its first axis). */
    public long cin() {
        return x().dim(0);
    }

    /** Channels of the output (its first axis). */
    public long cout() {
        return output.dim(0);
    }

    /** A convolution's groups. */
    public long groups() {
        return number("groups", 1);
    }

    /** Output positions of one sample: output elements per channel. */
    public long outPositions() {
        return output.elements() / output.dim(0);
    }

    /** Output elements of one sample per last-axis feature: the positions a linear layer runs at. */
    public long linearPositions() {
        return output.elements() / output.last();
    }

    /**
     * A transposed convolution's MACs counted over its output positions, as thop, nni and
     * torchinfo count every convolution: {@code out_numel · (C_in/groups) · k_volume}. modelcost's
     * MACs are {@code in_numel · (C_out/groups) · k_volume}, which gives the kernel volume.
     */
    public long transposedOverOutputs() {
        return Math.multiplyExact(Math.multiplyExact(outNumel(), cin() / groups()), kernelVolume());
    }

    /** The kernel volume of a convolution or transposed convolution, from modelcost's MACs. */
    public long kernelVolume() {
        return kind.startsWith("ConvTranspose") ? macs() / Math.multiplyExact(inNumel(), cout() / groups())
                : macs() / Math.multiplyExact(outNumel(), cin() / groups());
    }

    /** Steps of a recurrent layer's input (1 for a cell). */
    public long steps() {
        return x().rank() >= 2 ? x().dim(0) : 1;
    }
}
