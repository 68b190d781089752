package dev.modelcost.examples;

import dev.modelcost.Args;
import dev.modelcost.Embedding;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.Model;
import dev.modelcost.RMSNorm;
import dev.modelcost.Repeat;

/**
 * Mistral 7B (vocabulary 32000, width 4096, 32 layers of 32 query and 8 key/value heads, SwiGLU of 14336, sliding window of 4096, untied head; MistralConfig's defaults) on 2048 tokens.
 */
@Model(input = {2048}, layout = "L", tokens = true, dtype = "bf16", sizes = "L")   // the published weights are bfloat16
public class Mistral7B {
    @Embedding(numEmbeddings = 32000, embeddingDim = 4096)                   Layer embed_tokens;
    @Args("heads = 32, kvHeads = 8, ffn = 14336, window = 4096") @Repeat(32)     LlamaDecoderLayer layers;
    @RMSNorm(eps = 1e-5)                                                Layer norm;
    @Linear(out = 32000, bias = false)                                     Layer lm_head;
}
