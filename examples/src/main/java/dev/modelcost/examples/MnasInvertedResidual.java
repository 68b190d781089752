package dev.modelcost.examples;

import dev.modelcost.Add;
import dev.modelcost.Args;
import dev.modelcost.BatchNorm2d;
import dev.modelcost.Block;
import dev.modelcost.Conv2d;
import dev.modelcost.Layer;
import dev.modelcost.Param;
import dev.modelcost.ReLU;
import dev.modelcost.When;

/** MnasNet's inverted residual ({@code torchvision.models.mnasnet._InvertedResidual}). */
@Block
public class MnasInvertedResidual {
    @Param    int out;
    @Param    int k;
    @Param    int expansion;
    @Param(1) int stride;

    @Args("mid = in * expansion, out = out, k = k, stride = stride") Layers layers;
    @When("stride == 1 && in == out") @Add({"layers", "input"})       Layer add;

    /** The {@code layers} sequence: pointwise expansion, kxk depthwise, linear pointwise projection. */
    @Block(indexed = true)
    static class Layers {
        @Param int mid;
        @Param int out;
        @Param int k;
        @Param int stride;

        @Conv2d(k = 1, bias = false, with = "cout = mid")                                                       Layer pointwise;
        @BatchNorm2d                                                                                             Layer bn1;
        @ReLU(inplace = true)                                                                                    Layer relu1;
        @Conv2d(bias = false, with = "cout = mid, k = k, padding = k / 2, stride = stride, groups = mid")        Layer depthwise;
        @BatchNorm2d                                                                                             Layer bn2;
        @ReLU(inplace = true)                                                                                    Layer relu2;
        @Conv2d(k = 1, bias = false, with = "cout = out")                                                       Layer linear;
        @BatchNorm2d                                                                                             Layer bn3;
    }
}
