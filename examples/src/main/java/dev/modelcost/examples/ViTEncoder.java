package dev.modelcost.examples;

import dev.modelcost.Add;
import dev.modelcost.Args;
import dev.modelcost.Block;
import dev.modelcost.Dropout;
import dev.modelcost.Layer;
import dev.modelcost.LayerNorm;
import dev.modelcost.Parameter;
import dev.modelcost.Repeat;

/** torchvision's ViT {@code Encoder}: a learned position embedding, the blocks and a final LayerNorm. */
@Block
public class ViTEncoder {
    @Parameter(with = "shape = [input.L, input.D]")            Layer pos_embedding;
    @Add({"input", "pos_embedding"})                            Layer add;
    @Dropout                                                    Layer dropout;
    @Args("heads = 12, mlpDim = 3072") @Repeat(value = 12, prefix = "encoder_layer_") ViTEncoderBlock layers;
    @LayerNorm(eps = 1e-6)                                      Layer ln;
}
