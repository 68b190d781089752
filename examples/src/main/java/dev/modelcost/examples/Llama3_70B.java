package dev.modelcost.examples;

import dev.modelcost.Args;
import dev.modelcost.Embedding;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.Model;
import dev.modelcost.RMSNorm;
import dev.modelcost.Repeat;

/**
 * Llama 3 70B (vocabulary 128256, width 8192, 80 layers of 64 query and 8 key/value heads, SwiGLU of 28672, untied head; Meta's published configuration) on 2048 tokens, to show scale.
 */
@Model(input = {2048}, layout = "L", tokens = true, dtype = "bf16")   // the published weights are bfloat16
public class Llama3_70B {
    @Embedding(numEmbeddings = 128256, embeddingDim = 8192)                   Layer embed_tokens;
    @Args("heads = 64, kvHeads = 8, ffn = 28672") @Repeat(80)     LlamaDecoderLayer layers;
    @RMSNorm(eps = 1e-5)                                                Layer norm;
    @Linear(out = 128256, bias = false)                                     Layer lm_head;
}
