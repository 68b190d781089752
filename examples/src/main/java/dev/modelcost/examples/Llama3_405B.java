package dev.modelcost.examples;

import dev.modelcost.Args;
import dev.modelcost.Embedding;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.Model;
import dev.modelcost.RMSNorm;
import dev.modelcost.Repeat;

/**
 * Llama 3.1 405B (vocabulary 128256, width 16384, 126 layers of 128 query and 8 key/value heads, SwiGLU of 53248, untied head; Meta's published configuration) on 2048 tokens, to show scale.
 */
@Model(input = {2048}, layout = "L", tokens = true, dtype = "bf16")   // the published weights are bfloat16
public class Llama3_405B {
    @Embedding(numEmbeddings = 128256, embeddingDim = 16384)                   Layer embed_tokens;
    @Args("heads = 128, kvHeads = 8, ffn = 53248") @Repeat(126)     LlamaDecoderLayer layers;
    @RMSNorm(eps = 1e-5)                                                Layer norm;
    @Linear(out = 128256, bias = false)                                     Layer lm_head;
}
