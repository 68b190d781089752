package dev.modelcost.examples;

import dev.modelcost.AdaptiveAvgPool2d;
import dev.modelcost.Args;
import dev.modelcost.BatchNorm2d;
import dev.modelcost.Conv2d;
import dev.modelcost.Flatten;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.MaxPool2d;
import dev.modelcost.Model;
import dev.modelcost.ReLU;
import dev.modelcost.Repeat;

/** ResNet-50 as torchvision defines it ({@code torchvision.models.resnet50}). */
@Model(input = {3, 224, 224})
public class ResNet50 {
    @Conv2d(cout = 64, k = 7, stride = 2, padding = 3, bias = false) Layer conv1;
    @BatchNorm2d                                                     Layer bn1;
    @ReLU                                                            Layer relu;
    @MaxPool2d(k = 3, stride = 2, padding = 1)                       Layer maxpool;
    @Args("planes = 64")  @Repeat(3)                                 Bottleneck layer1;
    @Args("planes = 128") @Repeat(value = 4, first = "stride = 2")   Bottleneck layer2;
    @Args("planes = 256") @Repeat(value = 6, first = "stride = 2")   Bottleneck layer3;
    @Args("planes = 512") @Repeat(value = 3, first = "stride = 2")   Bottleneck layer4;
    @AdaptiveAvgPool2d(1)                                            Layer avgpool;
    @Flatten                                                         Layer flatten;
    @Linear(out = 1000)                                              Layer fc;
}
