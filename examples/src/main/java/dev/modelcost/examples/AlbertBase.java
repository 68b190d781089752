package dev.modelcost.examples;

import dev.modelcost.Args;
import dev.modelcost.Functional;
import dev.modelcost.Layer;
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
 * <p>The embeddings are {@link BertBase.Embeddings} at a width of 128, and the layer is the
 * examples' {@link BertLayer}, as BERT's code writes it: ALBERT's activation, {@code gelu_new}, is
 * GELU's tanh approximation, which no figure here tells apart. The outputs are the sequence output and
 * the pooler's output on the first token, as {@code AlbertModel} returns them.
 */
@Model(input = {128}, layout = "L", tokens = true, output = {"encoder", "tanh"})
public class AlbertBase {
    @Args("vocab = 30000, width = 128")                              BertBase.Embeddings embeddings;
    @Linear(out = 768)                                               Layer embedding_hidden_mapping_in;
    @Args("heads = 12, ffn = 3072") @Repeat(value = 12, shared = true) BertLayer encoder;
    @Select(dim = 1, index = 0)                                      Layer first;
    @Linear(out = 768)                                               Layer pooler;
    // pooler_output, the model's second output (@Model(output)'s second name), held until the model returns
    @Functional(method = true) @Tanh                                 Layer tanh;    // torch.tanh
}
