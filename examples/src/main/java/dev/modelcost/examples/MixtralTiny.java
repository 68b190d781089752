package dev.modelcost.examples;

import dev.modelcost.Args;
import dev.modelcost.Embedding;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.Model;
import dev.modelcost.RMSNorm;
import dev.modelcost.Repeat;

/**
 * A small Mixtral-style decoder (vocabulary 32000, width 256, 2 layers of 8 query and 2 key/value heads, 8 SwiGLU experts of 512 with top-2 routing, untied head) on 256 tokens: the {@code MIXTRAL_TINY} configuration of the reference modules.
 */
@Model(input = {256}, layout = "L", tokens = true)
public class MixtralTiny {
    @Embedding(numEmbeddings = 32000, embeddingDim = 256)                   Layer embed_tokens;
    @Args("heads = 8, kvHeads = 2, ffn = 512") @Repeat(2)          MixtralDecoderLayer layers;
    @RMSNorm(eps = 1e-5)                                                Layer norm;
    @Linear(out = 32000, bias = false)                                     Layer lm_head;
}
