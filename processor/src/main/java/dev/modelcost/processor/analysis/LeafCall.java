package dev.modelcost.processor.analysis;

import dev.modelcost.processor.layers.Attrs;
import dev.modelcost.processor.layers.Conventions;
import dev.modelcost.processor.layers.Inputs;
import dev.modelcost.processor.layers.LayerResult;
import dev.modelcost.processor.layers.Dtype;
import dev.modelcost.processor.layers.OpKind;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.spec.Step;
import java.util.List;

/**
 * What one leaf was called with: the facts a counter's rules read besides the leaf's own figures.
 *
 * @param kind the operation kind
 * @param attrs its evaluated attributes
 * @param inputs its input shapes without the batch, in order
 * @param batch the batch size
 * @param call how the PyTorch code calls it (a module, a function, a tensor method)
 * @param activations the dtype it reads its inputs and writes its output in
 * @param weights the dtype of its parameters
 * @param reevaluation where its attributes read tensors' sizes, how to evaluate them at other sizes; else null
 * @param sharedBytes the bytes of a table it uses but an earlier layer holds ({@code tiedTo}), at that layer's dtype, and where it
 *     runs a module called before ({@code @Repeat(shared = true)}), that module's weight bytes; else 0
 * @param table the dtype of the table it reads rows of: that layer's where it is tied, else {@code weights}
 * @param sharedParams where it runs a module called before ({@code @Repeat(shared = true)}), whose figures then hold no
 *     parameters, the module's parameters, which a counter's rules read; -1 for a module's first call
 * @param otherResults elements of one sample of the results it writes besides the one it passes on (an LSTM's {@code h_n} and
 *     {@code c_n} where it passes on its output); 0 for a layer of one result
 * @param copies whether its kind is a view that copies here ({@link OpKind#copies}: a reshape of a transposed or expanded
 *     tensor), writing a new tensor rather than sharing its input's storage
 */
public record LeafCall(OpKind kind, Attrs attrs, List<Shape> inputs, long batch, Step.Call call, Dtype activations, Dtype weights,
        Reevaluation reevaluation, long sharedBytes, Dtype table, long sharedParams, long otherResults, boolean copies) {
    /** Copies the inputs. */
    public LeafCall {
        inputs = List.copyOf(inputs);
    }

    /**
     * This call as a later call of the same module: its module holds {@code params} parameters, and its {@code weightBytes} are a
     * table held by the first call, as a tied layer's.
     */
    LeafCall calledAgain(long params, long weightBytes) {
        return new LeafCall(kind, attrs, inputs, batch, call, activations, weights, reevaluation, Math.addExact(sharedBytes, weightBytes), table,
                params, otherResults, copies);
    }

    /** Whether it runs a module called before: its parameters are counted there. */
    public boolean again() {
        return sharedParams >= 0;
    }

    /**
     * Whether it gathers rows of its weights by token ids (an embedding): it then reads at most as
     * many weight bytes as its output holds ({@code BYTES_MOVED}).
     */
    public boolean gathers(long params) {
        return Traffic.gathers(kind, inputs, params > 0 || sharedBytes > 0);
    }

    /** The weight bytes it reads at most where it {@link #gathers}: the rows its {@code output} holds, at its weights' dtype. */
    public long rowsRead(Shape output) {
        return Traffic.rowsRead(table, batch, output);
    }

    /**
     * Its kind's formula run alone with {@code attrs} on {@code inputs} (the leaf's own or others of
     * the same ranks), each named by its position in messages.
     *
     * @throws dev.modelcost.processor.layers.LayerFailure where the formula refuses them
     */
    public LayerResult formula(Attrs attrs, List<Shape> inputs, Conventions conventions) {
        return formula(attrs, inputs, conventions, batch);
    }

    /**
     * Its kind's formula run alone as {@link #formula(Attrs, List, Conventions)} does, at {@code samples} rather than its own batch.
     *
     * @throws dev.modelcost.processor.layers.LayerFailure where the formula refuses them
     */
    public LayerResult formula(Attrs attrs, List<Shape> inputs, Conventions conventions, long samples) {
        List<String> names = new java.util.ArrayList<>();
        for (int j = 0; j < inputs.size(); j++) {
            names.add("input " + j);
        }
        return kind.apply(attrs, new Inputs(inputs, names, samples, conventions));
    }

    /** This call passing on its result {@code name} ({@code h_n} of an LSTM) instead. */
    LeafCall passingOn(String name) {
        return new LeafCall(kind, attrs.withText("output", name), inputs, batch, call, activations, weights, reevaluation, sharedBytes, table,
                sharedParams, otherResults, copies);
    }

    /** The shape of its result {@code name} ({@code h_n} of an LSTM): its formula run again with {@code output = name}. */
    public Shape result(String name, Conventions conventions) {
        return formula(attrs.withText("output", name), inputs, conventions).output();
    }

    /**
     * The bytes it holds only while it runs besides its output {@code output}: its kind's scratch (max pooling's int64 indices) and
     * the results it writes but does not pass on, at its activation dtype (a result a later step reads is a tensor of its own).
     */
    public long scratch(Shape output) {
        return Math.addExact(kind.scratch().bytes(attrs, inputs, output, batch, activations),
                activations.bytes(Math.multiplyExact(batch, otherResults)));
    }

    /**
     * The moments of {@link #scratch} while it runs, each with the other results it writes (see
     * {@link OpKind.Scratch#moments}); one moment for most kinds.
     */
    public long[] scratchMoments(Shape output) {
        long[] moments = kind.scratch().moments(attrs, inputs, output, batch, activations);
        long others = activations.bytes(Math.multiplyExact(batch, otherResults));
        long[] with = new long[moments.length];
        for (int i = 0; i < moments.length; i++) {
            with[i] = Math.addExact(moments[i], others);
        }
        return with;
    }

    /** Whether it was built with {@code inplace = true}: its output is its first input, overwritten. */
    public boolean inPlace() {
        return attrs.flags().getOrDefault("inplace", false);
    }

    /** Whether, at inference, its output is its first input: a view of an input it has, or an in-place layer. */
    public boolean aliasesInput() {
        return !inputs.isEmpty() && (kind.view() && !copies || inPlace());
    }

    /** Whether it holds no tensor of its own: a view that does not copy here, of its input or of a learned tensor. */
    public boolean viewOnly() {
        return kind.view() && !copies;
    }

    /** The kinds PyTorch 1.13's fused {@code _transformer_encoder_layer_fwd} computes in place: its activations and residual additions. */
    private static final java.util.Set<String> FUSED_IN_PLACE = java.util.Set.of("ReLU", "GELU", "Add");

    /**
     * Whether its output is its first input in an inference forward pass, as the memory figures follow it: where
     * {@link #aliasesInput()}, and inside a layer PyTorch runs as one fused kernel ({@code @FastPath} with an attention on the fast
     * path), an activation (the feed-forward's, computed with its linear layer by {@code _addmm_activation}) or a residual addition
     * ({@code add_}). A training step runs the modules one by one.
     */
    public boolean aliasesInputAtInference() {
        return aliasesInput() || !inputs.isEmpty() && attrs.fused() && FUSED_IN_PLACE.contains(kind.name());
    }

    /**
     * Whether the input its output is at inference ({@link #aliasesInputAtInference()}) is the one computed last rather than its
     * first: a residual addition inside a fused layer, which {@code _transformer_encoder_layer_fwd} adds into the branch's result
     * ({@code x.add_(src)}), whichever operand the spec names first; the residual stream (the layer's input, which its caller
     * holds) is not overwritten.
     */
    public boolean aliasesLatestInputAtInference() {
        return !aliasesInput() && inputs.size() > 1 && aliasesInputAtInference();
    }

    /**
     * The position among its inputs of the one its output is at inference, given when each input was computed ({@code order}, in
     * any increasing numbering: the block's inputs lowest): its first, or for a fused residual addition the one computed last
     * ({@link #aliasesLatestInputAtInference()}); the first of equals.
     */
    public int aliasedInput(long[] order) {
        int aliased = 0;
        if (aliasesLatestInputAtInference()) {
            for (int i = 1; i < order.length; i++) {
                if (order[i] > order[aliased]) {
                    aliased = i;
                }
            }
        }
        return aliased;
    }
}
