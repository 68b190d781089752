package dev.modelcost.examples;

import dev.modelcost.Add;
import dev.modelcost.Args;
import dev.modelcost.Block;
import dev.modelcost.Dropout;
import dev.modelcost.GELU;
import dev.modelcost.Layer;
import dev.modelcost.LayerNorm;
import dev.modelcost.Linear;
import dev.modelcost.Param;
import dev.modelcost.Shared;
import dev.modelcost.StochasticDepth;

/**
 * torchvision's {@code SwinTransformerBlock} on a channels-last {@code H,W,C} map:
 * {@code x = x + stochastic_depth(attn(norm1(x)))}, then {@code x = x + stochastic_depth(mlp(norm2(x)))}
 * with an MLP of ratio 4. torchvision's block holds one {@code StochasticDepth} module and calls it
 * twice; the second call is {@code @Shared}. Its drop probability grows with the block's depth in
 * torchvision, an identity at inference that changes no figure, so it is left at its default here.
 */
@Block
public class SwinTransformerBlock {
    @Param int heads;
    @Param int window;
    @Param int shift;

    @LayerNorm(eps = 1e-5)                                         Layer norm1;
    @Args("heads = heads, window = window, shift = shift")         ShiftedWindowAttention attn;
    @StochasticDepth(mode = "row")                                 Layer stochastic_depth;
    @Add({"stochastic_depth", "input"})                            Layer residual1;
    @LayerNorm(eps = 1e-5)                                         Layer norm2;
    @Args("hidden = 4 * in")                                       Mlp mlp;
    @Shared("stochastic_depth")                                    Layer stochastic_depth_mlp;
    @Add({"stochastic_depth_mlp", "residual1"})                    Layer residual2;

    /**
     * torchvision's {@code torchvision.ops.misc.MLP(dim, [4 * dim, dim], activation_layer=nn.GELU)}, an
     * {@code nn.Sequential}: Linear, GELU, Dropout, Linear back to the input width, Dropout.
     */
    @Block(indexed = true)
    public static class Mlp {
        @Param int hidden;

        @Linear(with = "out = hidden") Layer fc1;
        @GELU                          Layer act;
        @Dropout(p = 0.0)              Layer drop1;
        @Linear(with = "out = in")     Layer fc2;
        @Dropout(p = 0.0)              Layer drop2;
    }
}
