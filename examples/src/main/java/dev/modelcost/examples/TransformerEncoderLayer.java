package dev.modelcost.examples;

import dev.modelcost.Add;
import dev.modelcost.Block;
import dev.modelcost.Dropout;
import dev.modelcost.FastPath;
import dev.modelcost.Functional;
import dev.modelcost.Layer;
import dev.modelcost.LayerNorm;
import dev.modelcost.Linear;
import dev.modelcost.Model;
import dev.modelcost.MultiheadAttention;
import dev.modelcost.ReLU;

/**
 * PyTorch's own {@code nn.TransformerEncoderLayer(d_model=512, nhead=8, dim_feedforward=2048,
 * batch_first=True)} (post-norm, ReLU) on 32 tokens. As a {@code @Block} it is also the layer of
 * {@link Transformer}'s encoder. In eval mode without gradients PyTorch runs it on its fused fast
 * path, where the counters that hook modules see none of its layers ({@code @FastPath}).
 */
@Model(input = {32, 512}, layout = "L,D")
@Block
@FastPath
public class TransformerEncoderLayer {
    @MultiheadAttention(numHeads = 8, batchFirst = true, dropout = 0.1) Layer self_attn;
    @Dropout(p = 0.1)                                    Layer dropout1;
    @Add({"input", "dropout1"})                          Layer residual1;
    @LayerNorm                                           Layer norm1;
    @Linear(out = 2048)                                  Layer linear1;
    @Functional(method = true) @ReLU                     Layer activation;  // F.relu, held since construction: ptflops' wrapper never sees it
    @Dropout(p = 0.1)                                    Layer dropout;
    @Linear(with = "out = in")                           Layer linear2;
    @Dropout(p = 0.1)                                    Layer dropout2;
    @Add({"norm1", "dropout2"})                          Layer residual2;
    @LayerNorm                                           Layer norm2;
}
