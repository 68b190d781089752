package dev.modelcost.examples;

import dev.modelcost.Args;
import dev.modelcost.Budget;
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
@Model(input = {2048}, layout = "L", tokens = true, dtype = "bf16", sizes = "L")   // the published weights are bfloat16
// Every context up to 8K fits a 1 GiB KV cache (fp16: 2 x 8 heads x 128 x 32 layers x 2 bytes = 131,072 bytes a token).
@Budget(maxKvCacheBytes = 1L << 30, over = "L = 1..8192")
@Roofline(hardware = {"h100-sxm", "l4"})
public class Llama3_8B {
    @Embedding(numEmbeddings = 128256, embeddingDim = 4096)                   Layer embed_tokens;
    @Args("heads = 32, kvHeads = 8, ffn = 14336") @Repeat(32)     LlamaDecoderLayer layers;
    @RMSNorm(eps = 1e-5)                                                Layer norm;
    @Linear(out = 128256, bias = false)                                     Layer lm_head;
}
