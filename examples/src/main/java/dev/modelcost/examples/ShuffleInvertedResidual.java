package dev.modelcost.examples;

import dev.modelcost.Args;
import dev.modelcost.BatchNorm2d;
import dev.modelcost.Block;
import dev.modelcost.ChannelShuffle;
import dev.modelcost.Chunk;
import dev.modelcost.Concat;
import dev.modelcost.Conv2d;
import dev.modelcost.From;
import dev.modelcost.Layer;
import dev.modelcost.Param;
import dev.modelcost.ReLU;
import dev.modelcost.When;

/**
 * ShuffleNetV2's unit ({@code torchvision.models.shufflenetv2.InvertedResidual}): with stride 1 the channels are split in
 * half and only the second half is transformed; with stride 2 both branches see the whole input. Then concat and shuffle.
 */
@Block
public class ShuffleInvertedResidual {
    @Param    int oup;
    @Param(1) int stride;

    @When("stride == 1") @Chunk(chunks = 2, index = 0)                                Layer x1;
    @When("stride > 1") @Args("branchFeatures = oup / 2, stride = stride")            Branch1 branch1;
    @From("input") @When("stride == 1") @Chunk(chunks = 2, index = 1)                 Layer x2;
    @Args("branchFeatures = oup / 2, stride = stride")                                Branch2 branch2;
    @Concat({"branch1", "branch2"})                                                   Layer cat;
    @ChannelShuffle(2)                                                                Layer channel_shuffle;

    /** The strided unit's left branch: 3x3 depthwise, BatchNorm, 1x1 convolution, BatchNorm, ReLU. */
    @Block(indexed = true)
    static class Branch1 {
        @Param int branchFeatures;
        @Param int stride;

        @Conv2d(k = 3, padding = 1, bias = false, with = "cout = in, stride = stride, groups = in") Layer depthwise;
        @BatchNorm2d                                                                               Layer bn1;
        @Conv2d(k = 1, bias = false, with = "cout = branchFeatures")                               Layer pointwise;
        @BatchNorm2d                                                                               Layer bn2;
        @ReLU(inplace = true)                                                                      Layer relu;
    }

    /** The right branch: 1x1 convolution, BatchNorm, ReLU, 3x3 depthwise, BatchNorm, 1x1 convolution, BatchNorm, ReLU. */
    @Block(indexed = true)
    static class Branch2 {
        @Param int branchFeatures;
        @Param int stride;

        @Conv2d(k = 1, bias = false, with = "cout = branchFeatures")                               Layer pointwise1;
        @BatchNorm2d                                                                               Layer bn1;
        @ReLU(inplace = true)                                                                      Layer relu1;
        @Conv2d(k = 3, padding = 1, bias = false,
                with = "cout = branchFeatures, stride = stride, groups = branchFeatures")          Layer depthwise;
        @BatchNorm2d                                                                               Layer bn2;
        @Conv2d(k = 1, bias = false, with = "cout = branchFeatures")                               Layer pointwise2;
        @BatchNorm2d                                                                               Layer bn3;
        @ReLU(inplace = true)                                                                      Layer relu2;
    }
}
