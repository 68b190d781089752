package dev.modelcost.examples;

import dev.modelcost.BatchNorm2d;
import dev.modelcost.Block;
import dev.modelcost.Conv2d;
import dev.modelcost.Functional;
import dev.modelcost.Layer;
import dev.modelcost.Param;
import dev.modelcost.ReLU;

/** GoogLeNet's {@code BasicConv2d} ({@code torchvision.models.googlenet.BasicConv2d}): a bias-free convolution, BatchNorm and ReLU. */
@Block
public class GoogLeNetConv {
    @Param    int cout;
    @Param    int k;
    @Param(1) int stride;
    @Param(0) int padding;

    @Conv2d(bias = false, with = "cout = cout, k = k, stride = stride, padding = padding") Layer conv;
    @BatchNorm2d                                                                          Layer bn;
    @Functional @ReLU                                                                     Layer relu;  // F.relu(x, inplace=True)
}
