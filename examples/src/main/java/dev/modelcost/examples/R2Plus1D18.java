package dev.modelcost.examples;

import dev.modelcost.AdaptiveAvgPool3d;
import dev.modelcost.Add;
import dev.modelcost.Args;
import dev.modelcost.BatchNorm3d;
import dev.modelcost.Block;
import dev.modelcost.Conv3d;
import dev.modelcost.Flatten;
import dev.modelcost.From;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.Model;
import dev.modelcost.Param;
import dev.modelcost.ReLU;
import dev.modelcost.Repeat;
import dev.modelcost.When;

/** R(2+1)D-18 as torchvision defines it ({@code torchvision.models.video.r2plus1d_18}), on 16 frames of 112x112. */
@Model(input = {3, 16, 112, 112})
public class R2Plus1D18 {
    Stem                                                                  stem;
    @Args("planes = 64")  @Repeat(2)                                      VideoBasicBlock layer1;
    @Args("planes = 128") @Repeat(value = 2, first = "stride = 2")        VideoBasicBlock layer2;
    @Args("planes = 256") @Repeat(value = 2, first = "stride = 2")        VideoBasicBlock layer3;
    @Args("planes = 512") @Repeat(value = 2, first = "stride = 2")        VideoBasicBlock layer4;
    @AdaptiveAvgPool3d(1)                                                 Layer avgpool;
    @Flatten                                                              Layer flatten;
    @Linear(out = 400)                                                    Layer fc;

    /** {@code R2Plus1dStem}: a 1x7x7 convolution to 45 channels, then a 3x1x1 one to 64, each with BatchNorm and ReLU. */
    @Block(indexed = true)
    static class Stem {
        @Conv3d(cout = 45, kd = 1, k = 7, stride = 2, strideD = 1, paddingH = 3, paddingW = 3, bias = false) Layer conv1;
        @BatchNorm3d                                                                                         Layer bn1;
        @ReLU                                                                                                Layer relu1;
        @Conv3d(cout = 64, kd = 3, k = 1, paddingD = 1, bias = false)                                        Layer conv2;
        @BatchNorm3d                                                                                         Layer bn2;
        @ReLU                                                                                                Layer relu2;
    }

    /**
     * torchvision's video {@code BasicBlock} with {@code Conv2Plus1D}: two factorised 3x3x3 convolutions whose
     * spatial and temporal halves meet at {@code midplanes}, which keeps the parameters of a full 3x3x3.
     */
    @Block
    static class VideoBasicBlock {
        @Param    int planes;
        @Param(1) int stride;
        @Param(expr = "input.C * planes * 3 * 3 * 3 / (input.C * 3 * 3 + 3 * planes)") int midplanes;

        @Args("cout = planes, mid = midplanes, stride = stride, act = 1")     ConvNorm conv1;
        @Args("cout = planes, mid = midplanes, act = 0")                      ConvNorm conv2;
        @From("input") @When("stride != 1 || input.C != planes")
        @Args("cout = planes, stride = stride")                               Downsample3d downsample;
        @Add({"conv2", "downsample"})                                         Layer add;
        @ReLU                                                                 Layer relu;
    }

    /** {@code Sequential(Conv2Plus1D, BatchNorm3d[, ReLU])}: the block's {@code conv1} and {@code conv2}. */
    @Block(indexed = true)
    static class ConvNorm {
        @Param    int cout;
        @Param    int mid;
        @Param(1) int stride;
        @Param    int act;

        @Args("cout = cout, mid = mid, stride = stride")  Conv2Plus1D conv;
        @BatchNorm3d                                      Layer bn;
        @When("act != 0") @ReLU                           Layer relu;
    }

    /** torchvision's {@code Conv2Plus1D}: a 1x3x3 convolution (spatial stride), BatchNorm, ReLU, a 3x1x1 one (temporal stride). */
    @Block(indexed = true)
    static class Conv2Plus1D {
        @Param    int cout;
        @Param    int mid;
        @Param(1) int stride;

        @Conv3d(kd = 1, k = 3, paddingH = 1, paddingW = 1, bias = false, with = "cout = mid, strideH = stride, strideW = stride") Layer spatial;
        @BatchNorm3d                                                                                                            Layer bn;
        @ReLU                                                                                                                   Layer relu;
        @Conv3d(kd = 3, k = 1, paddingD = 1, bias = false, with = "cout = cout, strideD = stride")                              Layer temporal;
    }

    /** The projection shortcut: a 1x1x1 convolution with the block's stride on every axis, and a BatchNorm. */
    @Block(indexed = true)
    static class Downsample3d {
        @Param int cout;
        @Param int stride;

        @Conv3d(k = 1, bias = false, with = "cout = cout, stride = stride") Layer conv;
        @BatchNorm3d                                                       Layer bn;
    }
}
