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

/**
 * ResNeXt-50 32x4d as torchvision defines it ({@code torchvision.models.resnext50_32x4d}): ResNet-50 whose bottlenecks use a
 * grouped 3x3 convolution of width {@code int(planes * BASE_WIDTH / 64) * GROUPS}.
 */
@Model(input = {3, 224, 224})
public class ResNeXt50 {
    static final int GROUPS = 32;
    static final int BASE_WIDTH = 4;

    @Conv2d(cout = 64, k = 7, stride = 2, padding = 3, bias = false)                        Layer conv1;
    @BatchNorm2d                                                                            Layer bn1;
    @ReLU(inplace = true)                                                                   Layer relu;
    @MaxPool2d(k = 3, stride = 2, padding = 1)                                              Layer maxpool;
    @Args("planes = 64,  groups = GROUPS, width = 64 * BASE_WIDTH / 64 * GROUPS")
    @Repeat(3)                                                                              Bottleneck layer1;
    @Args("planes = 128, groups = GROUPS, width = 128 * BASE_WIDTH / 64 * GROUPS")
    @Repeat(value = 4, first = "stride = 2")                                                Bottleneck layer2;
    @Args("planes = 256, groups = GROUPS, width = 256 * BASE_WIDTH / 64 * GROUPS")
    @Repeat(value = 6, first = "stride = 2")                                                Bottleneck layer3;
    @Args("planes = 512, groups = GROUPS, width = 512 * BASE_WIDTH / 64 * GROUPS")
    @Repeat(value = 3, first = "stride = 2")                                                Bottleneck layer4;
    @AdaptiveAvgPool2d(1)                                                                   Layer avgpool;
    @Flatten                                                                                Layer flatten;
    @Linear(out = 1000)                                                                     Layer fc;
}
