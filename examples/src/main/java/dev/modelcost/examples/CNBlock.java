package dev.modelcost.examples;

import dev.modelcost.Add;
import dev.modelcost.Block;
import dev.modelcost.Conv2d;
import dev.modelcost.GELU;
import dev.modelcost.Layer;
import dev.modelcost.LayerNorm;
import dev.modelcost.Linear;
import dev.modelcost.Mul;
import dev.modelcost.Parameter;
import dev.modelcost.Permute;
import dev.modelcost.StochasticDepth;

/**
 * torchvision's ConvNeXt {@code CNBlock}: a 7x7 depthwise convolution, then channels-last
 * LayerNorm and an inverted MLP, scaled by a learned per-channel layer scale, plus the input
 * ({@code result += input}).
 */
@Block
public class CNBlock {
    CNBlockLayers                               block;
    @Parameter(with = "shape = [in, 1, 1]")     Layer layer_scale;
    @Mul({"layer_scale", "block"})              Layer scale;
    @StochasticDepth(mode = "row")              Layer stochastic_depth;
    @Add(value = {"stochastic_depth", "input"}, inplace = true) Layer add;

    /** The block's {@code Sequential}: depthwise conv, permute to channels-last, LayerNorm, MLP, permute back. */
    @Block(indexed = true)
    public static class CNBlockLayers {
        @Conv2d(k = 7, padding = 3, with = "cout = in, groups = in") Layer dwconv;
        @Permute(dims = {0, 2, 3, 1})                                 Layer channelsLast;
        @LayerNorm(eps = 1e-6)                                        Layer norm;
        @Linear(with = "out = 4 * x.C")                               Layer pwconv1;
        @GELU                                                         Layer act;
        @Linear(with = "out = in")                                    Layer pwconv2;
        @Permute(dims = {0, 3, 1, 2})                                 Layer channelsFirst;
    }
}
