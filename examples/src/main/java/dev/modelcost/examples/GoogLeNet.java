package dev.modelcost.examples;

import dev.modelcost.AdaptiveAvgPool2d;
import dev.modelcost.Args;
import dev.modelcost.Dropout;
import dev.modelcost.Flatten;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.MaxPool2d;
import dev.modelcost.Model;

/** GoogLeNet (Inception v1) as torchvision defines it ({@code torchvision.models.googlenet}, {@code aux_logits=False}). */
@Model(input = {3, 224, 224})
public class GoogLeNet {
    @Args("cout = 64, k = 7, stride = 2, padding = 3")   GoogLeNetConv conv1;
    @MaxPool2d(k = 3, stride = 2, ceilMode = true)       Layer maxpool1;
    @Args("cout = 64, k = 1")                            GoogLeNetConv conv2;
    @Args("cout = 192, k = 3, padding = 1")              GoogLeNetConv conv3;
    @MaxPool2d(k = 3, stride = 2, ceilMode = true)       Layer maxpool2;

    @Args("ch1x1 = 64,  ch3x3red = 96,  ch3x3 = 128, ch5x5red = 16, ch5x5 = 32,  poolProj = 32")  GoogLeNetInception inception3a;
    @Args("ch1x1 = 128, ch3x3red = 128, ch3x3 = 192, ch5x5red = 32, ch5x5 = 96,  poolProj = 64")  GoogLeNetInception inception3b;
    @MaxPool2d(k = 3, stride = 2, ceilMode = true)                                                Layer maxpool3;

    @Args("ch1x1 = 192, ch3x3red = 96,  ch3x3 = 208, ch5x5red = 16, ch5x5 = 48,  poolProj = 64")  GoogLeNetInception inception4a;
    @Args("ch1x1 = 160, ch3x3red = 112, ch3x3 = 224, ch5x5red = 24, ch5x5 = 64,  poolProj = 64")  GoogLeNetInception inception4b;
    @Args("ch1x1 = 128, ch3x3red = 128, ch3x3 = 256, ch5x5red = 24, ch5x5 = 64,  poolProj = 64")  GoogLeNetInception inception4c;
    @Args("ch1x1 = 112, ch3x3red = 144, ch3x3 = 288, ch5x5red = 32, ch5x5 = 64,  poolProj = 64")  GoogLeNetInception inception4d;
    @Args("ch1x1 = 256, ch3x3red = 160, ch3x3 = 320, ch5x5red = 32, ch5x5 = 128, poolProj = 128") GoogLeNetInception inception4e;
    @MaxPool2d(k = 2, stride = 2, ceilMode = true)                                                Layer maxpool4;

    @Args("ch1x1 = 256, ch3x3red = 160, ch3x3 = 320, ch5x5red = 32, ch5x5 = 128, poolProj = 128") GoogLeNetInception inception5a;
    @Args("ch1x1 = 384, ch3x3red = 192, ch3x3 = 384, ch5x5red = 48, ch5x5 = 128, poolProj = 128") GoogLeNetInception inception5b;

    @AdaptiveAvgPool2d(1)     Layer avgpool;
    @Flatten                  Layer flatten;
    @Dropout(p = 0.2)         Layer dropout;
    @Linear(out = 1000)       Layer fc;
}
