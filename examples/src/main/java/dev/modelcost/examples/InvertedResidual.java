package dev.modelcost.examples;

import dev.modelcost.Add;
import dev.modelcost.Args;
import dev.modelcost.BatchNorm2d;
import dev.modelcost.Block;
import dev.modelcost.Conv2d;
import dev.modelcost.Layer;
import dev.modelcost.Param;
import dev.modelcost.When;

/** MobileNetV2's inverted residual ({@code torchvision.models.mobilenetv2.InvertedResidual}). */
@Block
public class InvertedResidual {
    @Param    int oup;
    @Param(1) int stride;
    @Param(6) int expandRatio;

    @Args("hidden = in * expandRatio, oup = oup, stride = stride, expandRatio = expandRatio") Layers conv;
    @When("stride == 1 && in == oup") @Add({"input", "conv"})                                  Layer add;

    /** The {@code conv} sequence: 1x1 expansion (unless the ratio is 1), 3x3 depthwise, linear 1x1 projection. */
    @Block(indexed = true)
    static class Layers {
        @Param int hidden;
        @Param int oup;
        @Param int stride;
        @Param int expandRatio;

        @When("expandRatio != 1") @Args("cout = hidden, k = 1, act = 'ReLU6'")    Conv2dNormActivation pw;
        @Args("cout = hidden, stride = stride, groups = hidden, act = 'ReLU6'")   Conv2dNormActivation dw;
        @Conv2d(k = 1, bias = false, with = "cout = oup")                       Layer pwLinear;
        @BatchNorm2d                                                            Layer bn;
    }
}
