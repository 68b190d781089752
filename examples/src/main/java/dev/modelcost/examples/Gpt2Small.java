package dev.modelcost.examples;

import dev.modelcost.Add;
import dev.modelcost.Arange;
import dev.modelcost.Args;
import dev.modelcost.Dropout;
import dev.modelcost.Embedding;
import dev.modelcost.From;
import dev.modelcost.Layer;
import dev.modelcost.LayerNorm;
import dev.modelcost.Linear;
import dev.modelcost.Model;
import dev.modelcost.Repeat;

/**
 * GPT-2 small (Radford et al. 2019; Hugging Face's GPT2Config defaults): vocabulary 50257, 1024
 * learned positions, width 768, 12 pre-norm layers of 12 heads, and an LM head tied to the token
 * embedding (its weight is counted once), on 1024 tokens.
 */
@Model(input = {1024}, layout = "L", tokens = true, sizes = "L")
public class Gpt2Small {
    @Embedding(numEmbeddings = 50257, embeddingDim = 768)             Layer wte;
    @From("input") @Arange                                            Layer positions;
    @Embedding(numEmbeddings = 1024, embeddingDim = 768)              Layer wpe;
    @Add({"wte", "wpe"})                                              Layer sum;
    @Dropout(p = 0.1)                                                 Layer drop;
    @Args("heads = 12") @Repeat(12)                                   Gpt2Block h;
    @LayerNorm                                                        Layer ln_f;
    @Linear(out = 50257, bias = false, tiedTo = "wte")                Layer lm_head;
}
