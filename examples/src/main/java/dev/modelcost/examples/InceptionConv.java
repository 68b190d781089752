package dev.modelcost.examples;

import dev.modelcost.BatchNorm2d;
import dev.modelcost.Block;
import dev.modelcost.Conv2d;
import dev.modelcost.Functional;
import dev.modelcost.Layer;
import dev.modelcost.Param;
import dev.modelcost.ReLU;

/**
 * Inception-v3's {@code BasicConv2d} ({@code torchvision.models.inception.BasicConv2d}): a bias-free convolution, BatchNorm and
 * ReLU. Kernel and padding are square ({@code k}, {@code padding}) unless {@code kh}/{@code kw}, {@code paddingH}/{@code paddingW} say otherwise.
 */
@Block
public class InceptionConv {
    @Param                    int cout;
    @Param(1)                 int k;
    @Param(expr = "k")        int kh;
    @Param(expr = "k")        int kw;
    @Param(1)                 int stride;
    @Param(0)                 int padding;
    @Param(expr = "padding")  int paddingH;
    @Param(expr = "padding")  int paddingW;

    @Conv2d(bias = false, with = "cout = cout, kh = kh, kw = kw, stride = stride, paddingH = paddingH, paddingW = paddingW") Layer conv;
    @BatchNorm2d                                                                                                            Layer bn;
    @Functional @ReLU                                                                                                       Layer relu;  // F.relu(x, inplace=True)
}
