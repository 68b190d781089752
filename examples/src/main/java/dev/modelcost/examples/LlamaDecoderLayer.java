package dev.modelcost.examples;

import dev.modelcost.Add;
import dev.modelcost.Args;
import dev.modelcost.Block;
import dev.modelcost.Layer;
import dev.modelcost.Param;
import dev.modelcost.RMSNorm;

/** One Llama decoder layer: pre-norm grouped-query attention and SwiGLU MLP, each with a residual add. */
@Block
public class LlamaDecoderLayer {
    @Param int heads;
    @Param int kvHeads;
    @Param int ffn;
    @Param(-1) int window;

    @RMSNorm(eps = 1e-5)                                                     Layer input_layernorm;
    @Args("heads = heads, kvHeads = kvHeads, window = window")              LlamaAttention self_attn;
    @Add({"input", "self_attn"})                                             Layer residual1;
    @RMSNorm(eps = 1e-5)                                                     Layer post_attention_layernorm;
    @Args("ffn = ffn")                                                       SwiGLU mlp;
    @Add({"residual1", "mlp"})                                               Layer residual2;
}
