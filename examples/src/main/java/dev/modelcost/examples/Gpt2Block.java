package dev.modelcost.examples;

import dev.modelcost.Add;
import dev.modelcost.Block;
import dev.modelcost.Chunk;
import dev.modelcost.Dropout;
import dev.modelcost.From;
import dev.modelcost.Functional;
import dev.modelcost.GELU;
import dev.modelcost.Layer;
import dev.modelcost.LayerNorm;
import dev.modelcost.Linear;
import dev.modelcost.Param;
import dev.modelcost.Reshape;
import dev.modelcost.ScaledDotProductAttention;
import dev.modelcost.Transpose;

/**
 * One GPT-2 block: LayerNorm, one projection to queries, keys and values ({@code c_attn}, split in
 * three), causal attention, the output projection and a residual; then LayerNorm, an MLP of 4x
 * width with the tanh GELU, and a residual.
 */
@Block
public class Gpt2Block {
    @Param int heads;

    @LayerNorm                                                                              Layer ln_1;
    @Linear(with = "out = 3 * in")                                                          Layer c_attn;
    @Chunk(chunks = 3, index = 0, dim = -1)                                                 Layer q;
    @Reshape(layout = "L,H,D", with = "shape = [input.L, heads, exact(in, heads)]")        Layer q_split;
    @Transpose(dim0 = 1, dim1 = 2)                                                          Layer q_heads;
    @From("c_attn") @Chunk(chunks = 3, index = 1, dim = -1)                                 Layer k;
    @Reshape(layout = "L,H,D", with = "shape = [input.L, heads, exact(in, heads)]")        Layer k_split;
    @Transpose(dim0 = 1, dim1 = 2)                                                          Layer k_heads;
    @From("c_attn") @Chunk(chunks = 3, index = 2, dim = -1)                                 Layer v;
    @Reshape(layout = "L,H,D", with = "shape = [input.L, heads, exact(in, heads)]")        Layer v_split;
    @Transpose(dim0 = 1, dim1 = 2)                                                          Layer v_heads;
    @From({"q_heads", "k_heads", "v_heads"})  // torch.matmul, masked_fill, torch.softmax, torch.matmul
    @ScaledDotProductAttention(isCausal = true, explicit = true)                            Layer attention;
    @Transpose(dim0 = 1, dim1 = 2)                                                          Layer merged;
    @Reshape(layout = "L,D", with = "shape = [input.L, in]")                               Layer flat;
    @Linear(with = "out = in")                                                              Layer c_proj;
    @Dropout(p = 0.1)                                                                       Layer drop1;
    @Add({"input", "drop1"})                                                                Layer residual1;
    @LayerNorm                                                                              Layer ln_2;
    @Linear(with = "out = 4 * in")                                                          Layer c_fc;
    @Functional @GELU(approximate = "tanh")                                                 Layer act;  // F.gelu
    @Linear(with = "out = in")                                                              Layer mlp_proj;
    @Dropout(p = 0.1)                                                                       Layer drop2;
    @Add({"residual1", "drop2"})                                                            Layer residual2;
}
