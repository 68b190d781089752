package dev.modelcost.examples;

import dev.modelcost.AdaptiveAvgPool2d;
import dev.modelcost.Add;
import dev.modelcost.Args;
import dev.modelcost.Block;
import dev.modelcost.Conv2d;
import dev.modelcost.Hardsigmoid;
import dev.modelcost.Layer;
import dev.modelcost.Mul;
import dev.modelcost.Param;
import dev.modelcost.ReLU;
import dev.modelcost.When;

/**
 * MobileNetV3's inverted residual ({@code torchvision.models.mobilenetv3.InvertedResidual}): one row of
 * the paper's bneck table, with {@code act} the activation's kind ({@code 'ReLU'} or {@code 'Hardswish'}).
 * A {@code dilation} above 1 (a dilated backbone's last stage) dilates the depthwise convolution and
 * keeps it at stride 1, as torchvision does.
 */
@Block
public class InvertedResidualV3 {
    @Param    int k;
    @Param    int exp;
    @Param    int out;
    @Param    int useSe;
    @Param    String act;
    @Param(1) int stride;
    @Param(1) int dilation;

    @Args("k = k, exp = exp, out = out, useSe = useSe, act = act, stride = stride, dilation = dilation") Layers block;
    @When("stride == 1 && in == out") @Add({"block", "input"})                                            Layer add;

    /** The {@code block} sequence: 1x1 expansion (if it widens), kxk depthwise, squeeze-excitation, linear 1x1 projection. */
    @Block(indexed = true)
    static class Layers {
        @Param int k;
        @Param int exp;
        @Param int out;
        @Param int useSe;
        @Param String act;
        @Param int stride;
        @Param int dilation;

        @When("exp != in") @Args("cout = exp, k = 1, act = act")                  Conv2dNormActivation expand;
        @Args({"cout = exp, k = k, groups = exp, act = act",
               "stride = dilation > 1 ? 1 : stride, dilation = dilation"})         Conv2dNormActivation depthwise;
        @When("useSe != 0") @Args("squeeze = divisible(exp / 4, 8)")               SqueezeExcitation se;
        @Args("cout = out, k = 1, act = 'None'")                                     Conv2dNormActivation project;
    }

    /** {@code torchvision.ops.SqueezeExcitation} with ReLU and a hard-sigmoid gate. */
    @Block
    static class SqueezeExcitation {
        @Param int squeeze;

        @AdaptiveAvgPool2d(1)                   Layer avgpool;
        @Conv2d(k = 1, with = "cout = squeeze") Layer fc1;
        @ReLU                                   Layer activation;
        @Conv2d(k = 1, with = "cout = in")      Layer fc2;
        @Hardsigmoid                            Layer scale_activation;
        @Mul({"scale_activation", "input"})     Layer scale;
    }
}
