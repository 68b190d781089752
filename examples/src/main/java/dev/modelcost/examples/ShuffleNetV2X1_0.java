package dev.modelcost.examples;

import dev.modelcost.Args;
import dev.modelcost.BatchNorm2d;
import dev.modelcost.Block;
import dev.modelcost.Conv2d;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.MaxPool2d;
import dev.modelcost.Mean;
import dev.modelcost.Model;
import dev.modelcost.Param;
import dev.modelcost.ReLU;
import dev.modelcost.Repeat;

/** ShuffleNetV2 with 1.0x channels as torchvision defines it ({@code torchvision.models.shufflenet_v2_x1_0}). */
@Model(input = {3, 224, 224})
public class ShuffleNetV2X1_0 {
    @Args("cout = 24, k = 3, stride = 2")                                   ShuffleConv conv1;
    @MaxPool2d(k = 3, stride = 2, padding = 1)                              Layer maxpool;
    @Args("oup = 116") @Repeat(value = 4, first = "stride = 2")             ShuffleInvertedResidual stage2;
    @Args("oup = 232") @Repeat(value = 8, first = "stride = 2")             ShuffleInvertedResidual stage3;
    @Args("oup = 464") @Repeat(value = 4, first = "stride = 2")             ShuffleInvertedResidual stage4;
    @Args("cout = 1024, k = 1")                                             ShuffleConv conv5;
    @Mean(dim = {2, 3})                                                    Layer globalpool;  // x.mean([2, 3])
    @Linear(out = 1000)                                                     Layer fc;

    /** The stem and head sequences: a bias-free convolution, BatchNorm and ReLU. */
    @Block(indexed = true)
    static class ShuffleConv {
        @Param    int cout;
        @Param    int k;
        @Param(1) int stride;

        @Conv2d(bias = false, with = "cout = cout, k = k, stride = stride, padding = k / 2") Layer conv;
        @BatchNorm2d                                                                        Layer bn;
        @ReLU(inplace = true)                                                               Layer relu;
    }
}
