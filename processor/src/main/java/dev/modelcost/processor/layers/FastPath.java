package dev.modelcost.processor.layers;

import java.util.List;

/** When PyTorch 1.13 runs {@code nn.MultiheadAttention} as one fused kernel at inference. */
public final class FastPath {
    private FastPath() {}

    /**
     * Whether {@code nn.MultiheadAttention} with these attributes on these inputs takes PyTorch 1.13's fused fast path
     * ({@code torch._native_multi_head_attention}) in eval mode without gradients: {@code batch_first}, self-attention (one
     * tensor as query, key and value), dropout 0, no {@code bias_k}/{@code bias_v} or zero key, no mask and an even number of
     * heads ({@code MultiheadAttention.forward}'s {@code why_not_fast_path}). Inside a block PyTorch fuses
     * ({@code @FastPath}: {@code nn.TransformerEncoderLayer}'s {@code _transformer_encoder_layer_fwd}, whose gate does not look at
     * the attention's dropout) any dropout.
     */
    public static boolean multihead(Attrs a, List<Shape> inputs) {
        return whyNot(a, inputs) == null;
    }

    /** Why {@code nn.MultiheadAttention} with these attributes on these inputs does not take the fast path ({@link #multihead}), or null. */
    public static String whyNot(Attrs a, List<Shape> inputs) {
        boolean self = Attention.selfAttention(a, inputs);
        return !self ? "query, key and value are not one tensor" : !a.flag("batchFirst") ? "batchFirst is false"
                : a.decimal("dropout") != 0 && !a.fused() ? "its dropout is not 0" : a.flag("addBiasKv") ? "addBiasKv"
                : a.flag("addZeroAttn") ? "addZeroAttn" : a.flag("isCausal") ? "isCausal" : a.number("numHeads") % 2 != 0 ? "an odd number of heads" : null;
    }
}
