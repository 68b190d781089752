package dev.modelcost.examples;

import dev.modelcost.Add;
import dev.modelcost.Args;
import dev.modelcost.BatchNorm2d;
import dev.modelcost.Block;
import dev.modelcost.Conv2d;
import dev.modelcost.From;
import dev.modelcost.Layer;
import dev.modelcost.Param;
import dev.modelcost.ReLU;
import dev.modelcost.When;

/** ResNet-18/34's residual block: two 3x3 convolutions and a shortcut that projects only when the shape changes. */
@Block
public class BasicBlock {
    @Param    int planes;
    @Param(1) int stride;

    @Conv2d(k = 3, padding = 1, bias = false, with = "cout = planes, stride = stride") Layer conv1;
    @BatchNorm2d                                                                      Layer bn1;
    @ReLU                                                                             Layer relu;
    @Conv2d(k = 3, padding = 1, bias = false, with = "cout = planes")                 Layer conv2;
    @BatchNorm2d                                                                      Layer bn2;
    @From("input") @When("stride != 1 || in != planes")
    @Args("cout = planes, stride = stride")                                           Downsample downsample;
    @Add({"bn2", "downsample"})                                                       Layer add;
    @ReLU                                                                             Layer out;
}
