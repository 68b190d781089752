package dev.modelcost.examples;

import dev.modelcost.Add;
import dev.modelcost.Arange;
import dev.modelcost.Args;
import dev.modelcost.Block;
import dev.modelcost.Dropout;
import dev.modelcost.Embedding;
import dev.modelcost.From;
import dev.modelcost.Functional;
import dev.modelcost.Layer;
import dev.modelcost.LayerNorm;
import dev.modelcost.Linear;
import dev.modelcost.Model;
import dev.modelcost.Repeat;
import dev.modelcost.Select;
import dev.modelcost.Tanh;

/**
 * ALBERT-base (Lan et al. 2019, the sizes of {@code albert-base-v2} in the layout of Hugging Face's
 * {@code AlbertModel}): embeddings of 128 over a vocabulary of 30000, mapped to the hidden 768, then
 * one encoder layer of 12 heads and a 3072 FFN called 12 times (cross-layer parameter sharing,
 * {@code @Repeat(shared = true)}), and the pooler; 128 token ids. Its 11,683,584 parameters are
 * BERT-base's layer once, not twelve times; its MACs are BERT-base's plus the embedding mapping.
 *
 * <p>The layer is the examples' {@link BertLayer}, as BERT's code writes it: ALBERT's activation,
 * {@code gelu_new}, is GELU's tanh approximation, which no figure here tells apart. The output is
 * the sequence output; the pooler on the first token is costed too.
 */
@Model(input = {128}, layout = "L", tokens = true, output = "encoder")
public class AlbertBase {
    Embeddings                                                       embeddings;
    @Linear(out = 768)                                               Layer embedding_hidden_mapping_in;
    @Args("heads = 12, ffn = 3072") @Repeat(value = 12, shared = true) BertLayer encoder;
    @Select(dim = 1, index = 0)                                      Layer first;
    @Linear(out = 768)                                               Layer pooler;
    @Functional(method = true) @Tanh                                 Layer tanh;    // torch.tanh

    /** {@code AlbertEmbeddings}: word, position and token-type embeddings of 128 summed, LayerNorm, dropout. */
    @Block
    public static class Embeddings {
        @Embedding(numEmbeddings = 30000, embeddingDim = 128, paddingIdx = 0)  Layer word_embeddings;
        @From("input") @Arange                                                 Layer position_ids;
        @Embedding(numEmbeddings = 512, embeddingDim = 128)                    Layer position_embeddings;
        @From("input") @Embedding(numEmbeddings = 2, embeddingDim = 128)       Layer token_type_embeddings;
        @Add({"word_embeddings", "position_embeddings", "token_type_embeddings"}) Layer sum;
        @LayerNorm(eps = 1e-12)                                                Layer LayerNorm;
        @Dropout(p = 0.1)                                                      Layer dropout;
    }
}
