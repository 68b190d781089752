package dev.modelcost.examples;

import dev.modelcost.BatchNorm2d;
import dev.modelcost.Block;
import dev.modelcost.Conv2d;
import dev.modelcost.Layer;
import dev.modelcost.Param;

/** ResNet's projection shortcut: a strided 1x1 convolution and a BatchNorm, numbered as torchvision's {@code downsample}. */
@Block(indexed = true)
public class Downsample {
    @Param int cout;
    @Param int stride;

    @Conv2d(k = 1, bias = false, with = "cout = cout, stride = stride") Layer conv;
    @BatchNorm2d                                                       Layer bn;
}
