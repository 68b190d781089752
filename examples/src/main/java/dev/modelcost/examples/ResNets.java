package dev.modelcost.examples;

import dev.modelcost.AdaptiveAvgPool2d;
import dev.modelcost.Add;
import dev.modelcost.Args;
import dev.modelcost.BatchNorm2d;
import dev.modelcost.Block;
import dev.modelcost.Conv2d;
import dev.modelcost.Flatten;
import dev.modelcost.From;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.MaxPool2d;
import dev.modelcost.Model;
import dev.modelcost.Param;
import dev.modelcost.ReLU;
import dev.modelcost.Repeat;
import dev.modelcost.When;

/**
 * ResNet-18, -34, -50, -101 and -152 as one family, as torchvision's {@code ResNet(block, layers)}
 * builds them: one body, {@link ResNet}, applied in place by each variant (so every leaf has
 * torchvision's path), with the block kind and the stage depths ({@code layers}, as torchvision's) as its arguments. ResNet-18
 * and -50 are {@link ResNet18} and {@link ResNet50}.
 */
public final class ResNets {
    private ResNets() {}

    /** torchvision's {@code ResNet}: the stem, four stages of residual blocks, the classifier. */
    @Block
    static class ResNet {
        @Param int   bottleneck;
        @Param int[] layers;

        @Conv2d(cout = 64, k = 7, stride = 2, padding = 3, bias = false)                                        Layer conv1;
        @BatchNorm2d                                                                                            Layer bn1;
        @ReLU(inplace = true)                                                                                   Layer relu;
        @MaxPool2d(k = 3, stride = 2, padding = 1)                                                              Layer maxpool;
        @Args("planes = 64, bottleneck = bottleneck")  @Repeat(count = "layers[0]")                                    Residual layer1;
        @Args("planes = 128, bottleneck = bottleneck") @Repeat(count = "layers[1]", first = "stride = 2")              Residual layer2;
        @Args("planes = 256, bottleneck = bottleneck") @Repeat(count = "layers[2]", first = "stride = 2")              Residual layer3;
        @Args("planes = 512, bottleneck = bottleneck") @Repeat(count = "layers[3]", first = "stride = 2")              Residual layer4;
        @AdaptiveAvgPool2d(1)                                                                                   Layer avgpool;
        @Flatten                                                                                                Layer flatten;
        @Linear(out = 1000)                                                                                     Layer fc;
    }

    /**
     * torchvision's {@code BasicBlock} (two 3x3 convolutions) or, with {@code bottleneck = 1}, its
     * {@code Bottleneck} (1x1, 3x3 with the stride, 1x1 expanding by 4); the shortcut projects only
     * when the shape changes.
     */
    @Block
    static class Residual {
        @Param    int planes;
        @Param(1) int stride;
        @Param    int bottleneck;
        @Param(expr = "bottleneck == 1 ? planes * 4 : planes") int out;

        @Conv2d(bias = false, with = "cout = planes, k = 3 - 2 * bottleneck, padding = 1 - bottleneck, stride = bottleneck == 1 ? 1 : stride") Layer conv1;
        @BatchNorm2d                                                                                            Layer bn1;
        @ReLU(inplace = true)                                                                                   Layer relu1;
        @Conv2d(k = 3, padding = 1, bias = false, with = "cout = planes, stride = bottleneck == 1 ? stride : 1") Layer conv2;
        @BatchNorm2d                                                                                            Layer bn2;
        @When("bottleneck == 1") @ReLU(inplace = true)                                                          Layer relu2;
        @When("bottleneck == 1") @Conv2d(k = 1, bias = false, with = "cout = out")                              Layer conv3;
        @When("bottleneck == 1") @BatchNorm2d                                                                   Layer bn3;
        @From("input") @When("stride != 1 || in != out") @Args("cout = out, stride = stride")                   Downsample downsample;
        @Add(value = {"bn3", "downsample"}, inplace = true)                                                     Layer add;
        @ReLU(inplace = true)                                                                                   Layer relu;
    }

    /** {@code resnet34}: basic blocks, 3, 4, 6, 3. */
    @Model(input = {3, 224, 224})
    public static class ResNet34 {
        @Args(value = "bottleneck = 0, layers = [3, 4, 6, 3]", inPlace = true) ResNet resnet;
    }

    /** {@code resnet101}: bottlenecks, 3, 4, 23, 3. */
    @Model(input = {3, 224, 224})
    public static class ResNet101 {
        @Args(value = "bottleneck = 1, layers = [3, 4, 23, 3]", inPlace = true) ResNet resnet;
    }

    /** {@code resnet152}: bottlenecks, 3, 8, 36, 3. */
    @Model(input = {3, 224, 224})
    public static class ResNet152 {
        @Args(value = "bottleneck = 1, layers = [3, 8, 36, 3]", inPlace = true) ResNet resnet;
    }
}
