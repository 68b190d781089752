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
import dev.modelcost.Param;
import dev.modelcost.Repeat;
import dev.modelcost.Select;
import dev.modelcost.Tanh;

/**
 * The BERT-base encoder with its pooler (Devlin et al. 2018, in the layout of Hugging Face's
 * {@code BertModel}): vocabulary 30522, hidden 768, 12 layers of 12 heads with a 3072 FFN, 512
 * positions, 2 token types; 128 token ids. Attention is written by hand, as {@code BertSelfAttention}
 * does, with {@link dev.modelcost.MatMul}. The outputs are the sequence output and the pooler's output on the first
 * token, as {@code BertModel} returns them ({@code last_hidden_state}, {@code pooler_output}).
 *
 * <p>The position ids are {@code arange(128)} ({@link dev.modelcost.Arange}), checked against the
 * 512 positions; the token-type ids are zeros of the input's shape, so that embedding reads the
 * token ids' shape (an embedding's cost does not depend on the ids' values).
 */
@Model(input = {128}, layout = "L", tokens = true, output = {"encoder", "tanh"}, sizes = {"L", "batch"})
public class BertBase {
    @Args("vocab = 30522, width = 768")         Embeddings embeddings;
    @Args("heads = 12, ffn = 3072") @Repeat(12) BertLayer encoder;
    @Select(dim = 1, index = 0)                 Layer first;
    @Linear(out = 768)                          Layer pooler;
    // pooler_output, the model's second output (@Model(output)'s second name), held until the model returns
    @Functional(method = true) @Tanh            Layer tanh;    // torch.tanh

    /**
     * {@code BertEmbeddings} (and ALBERT's, narrower): word, position and token-type embeddings of {@code width} summed,
     * LayerNorm, dropout.
     */
    @Block
    public static class Embeddings {
        @Param int vocab;
        @Param int width;

        @Embedding(paddingIdx = 0, with = "numEmbeddings = vocab, embeddingDim = width") Layer word_embeddings;
        @From("input") @Arange                                                          Layer position_ids;
        @Embedding(numEmbeddings = 512, with = "embeddingDim = width")                  Layer position_embeddings;
        @From("input") @Embedding(numEmbeddings = 2, with = "embeddingDim = width")     Layer token_type_embeddings;
        @Add({"word_embeddings", "position_embeddings", "token_type_embeddings"}) Layer sum;
        @LayerNorm(eps = 1e-12)                                                Layer LayerNorm;
        @Dropout(p = 0.1)                                                      Layer dropout;
    }
}
