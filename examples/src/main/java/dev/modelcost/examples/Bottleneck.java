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

/**
 * ResNet-50's bottleneck block as torchvision writes it (stride on the 3x3 convolution): 1x1 reduce,
 * 3x3, 1x1 expand by 4, and a shortcut that projects only when the shape changes. With
 * {@code groups} and {@code width} it is also ResNeXt's and Wide ResNet's block, with {@code dilation}
 * the block of a dilated backbone ({@code replace_stride_with_dilation}, as FCN and DeepLabV3 use it).
 */
@Block
public class Bottleneck {
    static final int EXPANSION = 4;

    @Param                     int planes;
    @Param(1)                  int stride;
    @Param(1)                  int groups;
    @Param(1)                  int dilation;
    @Param(expr = "planes * groups") int width;

    @Conv2d(k = 1, bias = false, with = "cout = width")                                            Layer conv1;
    @BatchNorm2d                                                                                   Layer bn1;
    @ReLU(inplace = true)                                                                          Layer relu1;
    @Conv2d(k = 3, bias = false,
            with = "cout = width, stride = stride, groups = groups, padding = dilation, dilation = dilation") Layer conv2;
    @BatchNorm2d                                                                                   Layer bn2;
    @ReLU(inplace = true)                                                                          Layer relu2;
    @Conv2d(k = 1, bias = false, with = "cout = planes * EXPANSION")                               Layer conv3;
    @BatchNorm2d                                                                                   Layer bn3;
    @From("input") @When("stride != 1 || in != planes * EXPANSION")
    @Args("cout = planes * EXPANSION, stride = stride")                                            Downsample downsample;
    @Add(value = {"bn3", "downsample"}, inplace = true)                                            Layer add;
    @ReLU(inplace = true)                                                                          Layer relu;
}
