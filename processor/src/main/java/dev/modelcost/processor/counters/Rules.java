package dev.modelcost.processor.counters;

import dev.modelcost.processor.layers.FastPath;

/** Facts every counter's rules share: which kinds exist in PyTorch under one name, and the cases no counter's figure is reproduced for. */
final class Rules {
    private Rules() {}

    /** The product of sizes and counts, exactly: {@link ArithmeticException} rather than a wrapped {@code long}. */
    static long product(long... factors) {
        long product = 1;
        for (long factor : factors) {
            product = Math.multiplyExact(product, factor);
        }
        return product;
    }

    /** Why a mixture of experts is not reproduced by any counter. */
    static final String EXPERTS = "a mixture of experts: what a counter sees depends on how the model's code calls its experts";

    /** The counter's figure for a leaf no rule of its own covers: a kind declared in the project is not reproduced; a built-in one is 0, and noted where modelcost counts MACs. */
    static Count noRule(Leaf leaf, String tool) {
        if (leaf.declared()) {
            return Count.unknown("a layer kind declared in the project (" + leaf.kind() + "): what " + tool + " sees depends on the module's code");
        }
        return leaf.macs() > 0 ? Count.unseen(0, 0, tool + " has no rule for " + leaf.kind()) : Count.NONE;
    }

    /**
     * A module of a subclass of the leaf's kind ({@code @Subclass}), for a tool that finds a module's rule by its exact type: no work
     * and {@code params} parameters, noted where modelcost counts MACs there.
     */
    static Count subclass(Leaf leaf, String tool, long params) {
        return leaf.macs() > 0 ? Count.unseen(0, params, tool + " finds a module's rule by its exact type, and has none for "
                + leaf.subclass() + ", a subclass of " + leaf.kind()) : Count.of(0, params);
    }

    /**
     * Why a tool that runs the model without gradients fails on a leaf, or null: PyTorch 1.13's fast path of
     * {@code nn.MultiheadAttention(bias=False)} passes its missing input-projection bias to a kernel that requires one.
     */
    static String failsWithoutGradients(Leaf leaf) {
        if (leaf.kind().equals("MultiheadAttention") && leaf.module() && !leaf.flag("bias", true)
                && FastPath.multihead(leaf.call().attrs(), leaf.call().inputs())) {
            return "TypeError: _native_multi_head_attention(): argument 'qkv_bias' (position 7) must be Tensor, not NoneType "
                    + "(PyTorch 1.13's fast path of nn.MultiheadAttention with bias = false, taken without gradients)";
        }
        return null;
    }

    /**
     * A leaf that PyTorch's code calls as a function, operator or tensor method, for a tool that
     * hooks modules only: nothing, noted where modelcost counts MACs there.
     */
    static Count notAModule(Leaf leaf, String tool, long params) {
        return leaf.macs() > 0 ? Count.unseen(0, params, tool + " sees modules only, and " + leaf.kind() + " is no module call here")
                : Count.of(0, params);
    }

    /**
     * A leaf of a fast-path module ({@code @FastPath}) for a tool that runs the model in eval mode
     * without gradients: the fused kernel runs instead of the leaf's module, which no hook sees.
     */
    static Count fused(Leaf leaf, String tool, long params) {
        String reason = tool + " runs the model without gradients, where PyTorch runs the module around " + leaf.kind()
                + " as one fused kernel (its fast path) that no hook sees";
        return leaf.macs() > 0 ? Count.unseen(0, params, reason) : Count.of(0, params);
    }

    /**
     * The products of a written-out attention ({@code @ScaledDotProductAttention(explicit = true)}):
     * {@code torch.matmul} on every query head and every key, masked or not, {@code batch · H · L_q · L_k · (E + E_v)};
     * -1 for a call of {@code F.scaled_dot_product_attention}.
     */
    static long explicitAttention(Leaf leaf) {
        if (!leaf.kind().equals("ScaledDotProductAttention") || !leaf.flag("explicit", false)) {
            return -1;
        }
        var inputs = leaf.call().inputs();
        long heads = leaf.x().dim(0);
        long queries = leaf.x().dim(1);
        long keys = inputs.get(1).dim(1);
        return product(leaf.n(), heads, queries, keys, leaf.x().dim(2) + inputs.get(2).dim(2));
    }

    /**
     * An nn.MultiheadAttention's MACs as its kernels run them, whatever {@code @Model(causal)} counts (a mask saves a kernel
     * nothing): its four projections, the dense A·V product and, where {@code queryKey}, the dense Q·Kᵀ one, batch · L_q · keys ·
     * embed_dim each (every head's d_k together; the keys with bias_k and a zero key where addBiasKv and addZeroAttn append them).
     */
    static long multiheadMacs(Leaf leaf, boolean queryKey) {
        var inputs = leaf.call().inputs();
        long q = leaf.x().dim(0);
        long e = leaf.x().last();
        long k = inputs.size() > 1 ? inputs.get(1).dim(0) : q;
        long kdim = inputs.size() > 1 ? inputs.get(1).last() : e;
        long v = inputs.size() > 2 ? inputs.get(2).dim(0) : k;
        long vdim = inputs.size() > 2 ? inputs.get(2).last() : kdim;
        long keys = k + (leaf.flag("addBiasKv", false) ? 1 : 0) + (leaf.flag("addZeroAttn", false) ? 1 : 0);
        long projections = Math.addExact(Math.addExact(product(2, q, e, e), product(k, e, kdim)), product(v, e, vdim));
        long products = product(queryKey ? 2 : 1, q, keys, e);
        return Math.multiplyExact(leaf.n(), Math.addExact(projections, products));
    }

    /** Whether the kind is an N-d convolution (not transposed). */
    static boolean conv(String kind) {
        return kind.equals("Conv1d") || kind.equals("Conv2d") || kind.equals("Conv3d");
    }

    /** Whether the kind is an N-d transposed convolution. */
    static boolean convTranspose(String kind) {
        return kind.startsWith("ConvTranspose");
    }

    /** Whether the kind is {@code nn.BatchNorm1d/2d/3d}. */
    static boolean batchNorm(String kind) {
        return kind.startsWith("BatchNorm");
    }

    /** Whether the kind is {@code nn.InstanceNorm1d/2d/3d}. */
    static boolean instanceNorm(String kind) {
        return kind.startsWith("InstanceNorm");
    }

    /** Whether the kind is a fixed-window max pool. */
    static boolean maxPool(String kind) {
        return kind.startsWith("MaxPool");
    }

    /** Whether the kind is a fixed-window average pool. */
    static boolean avgPool(String kind) {
        return kind.startsWith("AvgPool");
    }

    /** Whether the kind is an adaptive average pool. */
    static boolean adaptiveAvgPool(String kind) {
        return kind.startsWith("AdaptiveAvgPool");
    }

    /**
     * Whether an adaptive pooling gives more than one cell on some axis after the channels, so that a tool's window of
     * {@code in / out} rows is a quotient of sizes, no sum of their products once an input is no multiple of its output.
     */
    static boolean splitsAnAxis(Leaf leaf) {
        for (int axis = 1; axis < leaf.x().rank(); axis++) {
            if (leaf.output().dim(axis) > 1) {
                return true;
            }
        }
        return false;
    }

    /** Whether the kind is an adaptive max pool. */
    static boolean adaptiveMaxPool(String kind) {
        return kind.startsWith("AdaptiveMaxPool");
    }

    /** Whether the kind is a recurrent layer (not a cell). */
    static boolean recurrentLayer(String kind) {
        return kind.equals("LSTM") || kind.equals("GRU") || kind.equals("RNN");
    }

    /** Whether the kind is a recurrent cell. */
    static boolean recurrentCell(String kind) {
        return kind.equals("LSTMCell") || kind.equals("GRUCell") || kind.equals("RNNCell");
    }

    /** Gates of a recurrent kind: LSTM 4, GRU 3, RNN 1. */
    static long gates(String kind) {
        return kind.startsWith("LSTM") ? 4 : kind.startsWith("GRU") ? 3 : 1;
    }

    /**
     * The count of one recurrent cell that thop ({@code rnn_hooks.py: _count_rnn_cell/_count_gru_cell/_count_lstm_cell})
     * and nni ({@code _count_cell_flops}) share: per gate {@code H·(I + H) + H}, + 2H with bias terms;
     * an LSTM 4 gates + 3H (the cell) + H (the output product), a GRU 3 gates + H (the reset
     * product) + 3H (the update), an RNN its one gate.
     */
    static long cell(String kind, long input, long hidden, boolean biasTerms) {
        long gate = Math.addExact(product(input + hidden, hidden), hidden + (biasTerms ? 2 * hidden : 0));
        return Math.addExact(product(gates(kind), gate), gates(kind) == 1 ? 0 : 4 * hidden);
    }

    /**
     * The cell counts of a recurrent layer's stack for one step: layer 0 on the input, later layers
     * on H (2H and twice when bidirectional); {@code proj_size} is ignored, as both tools ignore
     * it. nni counts the first layer of a bidirectional stack in one direction only.
     */
    static long stack(Leaf leaf, boolean biasTerms, boolean firstLayerBothDirections) {
        String kind = leaf.kind();
        long hidden = hiddenSize(leaf);
        long directions = leaf.flag("bidirectional", false) ? 2 : 1;
        long total = product(firstLayerBothDirections ? directions : 1, cell(kind, inputSize(leaf), hidden, biasTerms));
        long later = product(directions, cell(kind, hidden * directions, hidden, biasTerms));
        return Math.addExact(total, product(leaf.number("numLayers", 1) - 1, later));
    }

    /** A recurrent layer's or cell's input features. */
    static long inputSize(Leaf leaf) {
        return leaf.number("inputSize", leaf.x().last());
    }

    /** A recurrent layer's or cell's hidden size. */
    static long hiddenSize(Leaf leaf) {
        return leaf.number("hiddenSize", 0);
    }

    /** Input elements along the axis a softmax normalises ({@code dim} counts the batch as 0, as PyTorch's does). */
    static long softmaxFeatures(Leaf leaf) {
        Long dim = leaf.call().attrs().numbers().get("dim");
        int rank = leaf.x().rank() + 1;
        long axis = dim == null ? rank - 1 : dim < 0 ? rank + dim : dim;
        return axis == 0 ? leaf.n() : leaf.x().dim((int) axis - 1);
    }

    /** The upsampling mode. */
    static String mode(Leaf leaf) {
        return leaf.text("mode", "nearest");
    }
}
