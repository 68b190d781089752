package dev.modelcost.examples;

import dev.modelcost.Args;
import dev.modelcost.Embedding;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.Model;
import dev.modelcost.RMSNorm;
import dev.modelcost.Repeat;
import dev.modelcost.Roofline;

/**
 * Llama 3 8B (vocabulary 128256, width 4096, 32 layers of 32 query and 8 key/value heads, SwiGLU of 14336, untied head; Meta's published configuration) on 2048 tokens.
 */
@Model(input = {2048}, layout = "L", tokens = true, dtype = "bf16")   // the published weights are bfloat16
@Roofline(hardware = {"h100-sxm", "l4"})
public class Llama3_8B {
    @Embedding(numEmbeddings = 128256, embeddingDim = 4096)                   Layer embed_tokens;
    @Args("heads = 32, kvHeads = 8, ffn = 14336") @Repeat(32)     LlamaDecoderLayer layers;
    @RMSNorm(eps = 1e-5)                                                Layer norm;
    @Linear(out = 128256, bias = false)                                     Layer lm_head;
}
