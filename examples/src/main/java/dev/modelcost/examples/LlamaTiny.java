package dev.modelcost.examples;

import dev.modelcost.Args;
import dev.modelcost.Embedding;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.Model;
import dev.modelcost.RMSNorm;
import dev.modelcost.Repeat;

/**
 * A small Llama-style decoder (vocabulary 32000, width 512, 4 layers of 8 query and 2 key/value heads, SwiGLU of 1536, untied head) on 256 tokens: the {@code LLAMA_TINY} configuration of the reference modules.
 */
@Model(input = {256}, layout = "L", tokens = true, sizes = "L")
public class LlamaTiny {
    @Embedding(numEmbeddings = 32000, embeddingDim = 512)                   Layer embed_tokens;
    @Args("heads = 8, kvHeads = 2, ffn = 1536") @Repeat(4)     LlamaDecoderLayer layers;
    @RMSNorm(eps = 1e-5)                                                Layer norm;
    @Linear(out = 32000, bias = false)                                     Layer lm_head;
}
