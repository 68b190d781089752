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
        boolean self = inputs.size() == 1 || a.sameInput(0, 1) && a.sameInput(1, 2);
        return self && a.flag("batchFirst") && (a.decimal("dropout") == 0 || a.fused()) && !a.flag("addBiasKv") && !a.flag("addZeroAttn")
                && !a.flag("isCausal") && a.number("numHeads") % 2 == 0;
    }
}
