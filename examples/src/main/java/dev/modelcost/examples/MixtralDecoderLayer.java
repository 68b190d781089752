package dev.modelcost.examples;

import dev.modelcost.Add;
import dev.modelcost.Args;
import dev.modelcost.Block;
import dev.modelcost.Experts;
import dev.modelcost.From;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.Param;
import dev.modelcost.RMSNorm;
import dev.modelcost.Softmax;

/** One Mixtral decoder layer: grouped-query attention, then a sparse mixture of 8 SwiGLU experts of which the router picks 2. */
@Block
public class MixtralDecoderLayer {
    @Param int heads;
    @Param int kvHeads;
    @Param int ffn;

    @RMSNorm(eps = 1e-5)                                        Layer input_layernorm;
    @Args("heads = heads, kvHeads = kvHeads")                   LlamaAttention self_attn;
    @Add({"input", "self_attn"})                                Layer residual1;
    @RMSNorm(eps = 1e-5)                                        Layer post_attention_layernorm;
    @Args("ffn = ffn")                                          SparseMoe mlp;
    @Add({"residual1", "mlp"})                                  Layer residual2;

    /** Mixtral's sparse MoE block: a router over 8 experts, top-2 per token. */
    @Block
    public static class SparseMoe {
        @Param int ffn;

        @Linear(out = 8, bias = false)                          Layer gate;
        // The routing weights steer the experts, which the spec costs as top-2 of 8 without a tensor edge.
        @SuppressWarnings("MC130") @Softmax                     Layer routing;
        @From("input") @Experts(count = 8, topK = 2) @Args("ffn = ffn") SwiGLU experts;
    }
}
