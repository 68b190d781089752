package dev.modelcost.examples;

import dev.modelcost.AdaptiveAvgPool2d;
import dev.modelcost.Add;
import dev.modelcost.Args;
import dev.modelcost.Block;
import dev.modelcost.Conv2d;
import dev.modelcost.Identity;
import dev.modelcost.Layer;
import dev.modelcost.Mul;
import dev.modelcost.Param;
import dev.modelcost.SiLU;
import dev.modelcost.Sigmoid;
import dev.modelcost.When;

/**
 * EfficientNet's mobile inverted bottleneck ({@code torchvision.models.efficientnet.MBConv}); stochastic
 * depth on the residual is the identity at inference, and the residual is added in place
 * ({@code result += input}).
 */
@Block
public class MBConv {
    @Param    int expandRatio;
    @Param    int k;
    @Param    int out;
    @Param(1) int stride;

    @Args("expanded = divisible(in * expandRatio, 8), squeeze = max(1, in / 4), k = k, out = out, stride = stride") Layers block;
    @When("stride == 1 && in == out") @Identity                                                                     Layer stochastic_depth;
    @When("stride == 1 && in == out") @Add(value = {"stochastic_depth", "input"}, inplace = true)                   Layer add;

    /** The {@code block} sequence: 1x1 expansion (if it widens), kxk depthwise, squeeze-excitation, linear 1x1 projection. */
    @Block(indexed = true)
    static class Layers {
        @Param int expanded;
        @Param int squeeze;
        @Param int k;
        @Param int out;
        @Param int stride;

        @When("expanded != in") @Args("cout = expanded, k = 1, act = 'SiLU'")              Conv2dNormActivation expand;
        @Args("cout = expanded, k = k, stride = stride, groups = expanded, act = 'SiLU'")  Conv2dNormActivation depthwise;
        @Args("squeeze = squeeze")                                                       SqueezeExcitation se;
        @Args("cout = out, k = 1, act = 'None'")                                           Conv2dNormActivation project;
    }

    /** {@code torchvision.ops.SqueezeExcitation} with SiLU (in place, as MBConv passes it) and a sigmoid gate. */
    @Block
    static class SqueezeExcitation {
        @Param int squeeze;

        @AdaptiveAvgPool2d(1)                   Layer avgpool;
        @Conv2d(k = 1, with = "cout = squeeze") Layer fc1;
        @SiLU(inplace = true)                   Layer activation;
        @Conv2d(k = 1, with = "cout = in")      Layer fc2;
        @Sigmoid                                Layer scale_activation;
        @Mul({"scale_activation", "input"})     Layer scale;
    }
}
