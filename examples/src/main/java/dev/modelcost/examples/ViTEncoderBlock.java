package dev.modelcost.examples;

import dev.modelcost.Add;
import dev.modelcost.Args;
import dev.modelcost.Block;
import dev.modelcost.Dropout;
import dev.modelcost.Layer;
import dev.modelcost.LayerNorm;
import dev.modelcost.MultiheadAttention;
import dev.modelcost.Param;

/** torchvision's ViT {@code EncoderBlock}: pre-norm self-attention and MLP, each with a residual add. */
@Block
public class ViTEncoderBlock {
    @Param int heads;
    @Param int mlpDim;

    @LayerNorm(eps = 1e-6)                                        Layer ln_1;
    @MultiheadAttention(batchFirst = true, with = "numHeads = heads") Layer self_attention;
    @Dropout                                                      Layer dropout;
    @Add({"dropout", "input"})                                    Layer residual1;
    @LayerNorm(eps = 1e-6)                                        Layer ln_2;
    @Args("hidden = mlpDim")                                      ViTMlp mlp;
    @Add({"mlp", "residual1"})                                    Layer residual2;
}
