package dev.modelcost.examples;

import dev.modelcost.Block;
import dev.modelcost.From;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.Param;
import dev.modelcost.Reshape;
import dev.modelcost.RotaryEmbedding;
import dev.modelcost.ScaledDotProductAttention;
import dev.modelcost.Transpose;

/**
 * Llama's grouped-query self-attention: bias-free projections to {@code heads} query heads and
 * {@code kvHeads} key/value heads of {@code headDim} (by default {@code d_model / heads}, which must
 * divide), rotary embedding of queries and keys, causal attention with the key/value heads
 * broadcast (written out, as Hugging Face's eager attention: its softmax in fp32), and the output
 * projection. {@code window} &gt; 0 is Mistral's sliding window.
 */
@Block
public class LlamaAttention {
    @Param int heads;
    @Param int kvHeads;
    @Param(expr = "exact(in, heads)") int headDim;
    @Param(-1) int window;

    @Linear(bias = false, with = "out = heads * headDim")                                     Layer q_proj;
    @From("input") @Linear(bias = false, with = "out = kvHeads * headDim")                    Layer k_proj;
    @From("input") @Linear(bias = false, with = "out = kvHeads * headDim")                    Layer v_proj;
    @From("q_proj") @Reshape(layout = "L,H,D", with = "shape = [input.L, heads, headDim]")    Layer q;
    @Transpose(dim0 = 1, dim1 = 2)                                                             Layer q_heads;
    @RotaryEmbedding                                                                           Layer q_rotated;
    @From("k_proj") @Reshape(layout = "L,H,D", with = "shape = [input.L, kvHeads, headDim]")  Layer k;
    @Transpose(dim0 = 1, dim1 = 2)                                                             Layer k_heads;
    @RotaryEmbedding                                                                           Layer k_rotated;
    @From("v_proj") @Reshape(layout = "L,H,D", with = "shape = [input.L, kvHeads, headDim]")  Layer v;
    @Transpose(dim0 = 1, dim1 = 2)                                                             Layer v_heads;
    @From({"q_rotated", "k_rotated", "v_heads"})
    @ScaledDotProductAttention(isCausal = true, enableGqa = true, explicit = true, softmaxDtype = "fp32",
                               with = "slidingWindow = window > 0 ? window : -1")             Layer attention;
    @Transpose(dim0 = 1, dim1 = 2)                                                             Layer merged;
    @Reshape(layout = "L,D", with = "shape = [input.L, heads * headDim]")                     Layer flat;
    @Linear(bias = false, with = "out = input.D")                                             Layer o_proj;
}
