package dev.modelcost.examples;

import dev.modelcost.AdaptiveAvgPool2d;
import dev.modelcost.Add;
import dev.modelcost.Args;
import dev.modelcost.Block;
import dev.modelcost.Conv2d;
import dev.modelcost.From;
import dev.modelcost.Functional;
import dev.modelcost.Layer;
import dev.modelcost.Model;
import dev.modelcost.Mul;
import dev.modelcost.Param;
import dev.modelcost.Sigmoid;
import dev.modelcost.Upsample;

/**
 * Lite R-ASPP with a dilated MobileNetV3-Large backbone as torchvision defines it ({@code
 * torchvision.models.segmentation.lraspp_mobilenet_v3_large}, 21 classes). The head reads two maps of
 * the backbone, as torchvision's {@code IntermediateLayerGetter} returns them: "low" after
 * {@code backbone.4} (40 channels, stride 8) and "high", the backbone's output.
 */
@Model(input = {3, 520, 520})
public class LRASPPMobileNetV3Large {
    @Args("dilation = 2")                                             MobileNetV3Large.Features backbone;
    @From({"backbone.4", "backbone"}) @Args("classes = 21")           LRASPPHead classifier;
    @Functional @Upsample(mode = "bilinear", with = "size = [input.H, input.W]")  Layer upsample;  // F.interpolate

    /**
     * torchvision's {@code LRASPPHead}: the high map through a 1x1 convolution, BatchNorm and ReLU, scaled
     * by a sigmoid gate from its global average, resized to the low map, and both classified and summed.
     */
    @Block(inputs = {"low", "high"})
    static class LRASPPHead {
        @Param      int classes;
        @Param(128) int inter;

        @From("high") @Args("cout = inter, k = 1, act = 'ReLU'")                  Conv2dNormActivation cbr;
        @From("high") @Args("cout = inter")                                     Scale scale;
        @Mul({"cbr", "scale"})                                                  Layer gated;
        @Functional @Upsample(mode = "bilinear", with = "size = [low.H, low.W]") Layer upsample;  // F.interpolate
        @From("low") @Conv2d(k = 1, with = "cout = classes")                    Layer low_classifier;
        @From("upsample") @Conv2d(k = 1, with = "cout = classes")               Layer high_classifier;
        @Add({"low_classifier", "high_classifier"})                             Layer add;
    }

    /** The gate: global average pooling, a bias-free 1x1 convolution and a sigmoid. */
    @Block(indexed = true)
    static class Scale {
        @Param int cout;

        @AdaptiveAvgPool2d(1)                               Layer pool;
        @Conv2d(k = 1, bias = false, with = "cout = cout")  Layer conv;
        @Sigmoid                                            Layer sigmoid;
    }
}
