package dev.modelcost.examples;

import dev.modelcost.Args;
import dev.modelcost.BatchNorm2d;
import dev.modelcost.Block;
import dev.modelcost.Conv2d;
import dev.modelcost.Dropout;
import dev.modelcost.Functional;
import dev.modelcost.Layer;
import dev.modelcost.MaxPool2d;
import dev.modelcost.Model;
import dev.modelcost.Param;
import dev.modelcost.ReLU;
import dev.modelcost.Repeat;
import dev.modelcost.Upsample;

/**
 * FCN with a ResNet-50 backbone as torchvision defines it ({@code
 * torchvision.models.segmentation.fcn_resnet50}, 21 classes, without the auxiliary head).
 */
@Model(input = {3, 520, 520})
public class FcnResNet50 {
    Backbone                                                          backbone;
    @Args("channels = 21")                                            FCNHead classifier;
    @Functional @Upsample(mode = "bilinear", with = "size = [input.H, input.W]")  Layer upsample;  // F.interpolate

    /**
     * ResNet-50 up to {@code layer4} with {@code replace_stride_with_dilation = [False, True, True]}:
     * layer3 and layer4 keep stride 8 and dilate instead, their first block at the previous dilation.
     */
    @Block
    static class Backbone {
        @Conv2d(cout = 64, k = 7, stride = 2, padding = 3, bias = false)                    Layer conv1;
        @BatchNorm2d                                                                        Layer bn1;
        @ReLU                                                                               Layer relu;
        @MaxPool2d(k = 3, stride = 2, padding = 1)                                          Layer maxpool;
        @Args("planes = 64")                @Repeat(3)                                      Bottleneck layer1;
        @Args("planes = 128")               @Repeat(value = 4, first = "stride = 2")        Bottleneck layer2;
        @Args("planes = 256, dilation = 2") @Repeat(value = 6, first = "dilation = 1")      Bottleneck layer3;
        @Args("planes = 512, dilation = 4") @Repeat(value = 3, first = "dilation = 2")      Bottleneck layer4;
    }

    /** torchvision's {@code FCNHead}: a 3x3 convolution to a quarter of the channels, BatchNorm, ReLU, dropout, a 1x1 classifier. */
    @Block(indexed = true)
    static class FCNHead {
        @Param int channels;

        @Conv2d(k = 3, padding = 1, bias = false, with = "cout = in / 4") Layer conv;
        @BatchNorm2d                                                      Layer bn;
        @ReLU                                                             Layer relu;
        @Dropout(p = 0.1)                                                 Layer dropout;
        @Conv2d(k = 1, with = "cout = channels")                          Layer classifier;
    }
}
