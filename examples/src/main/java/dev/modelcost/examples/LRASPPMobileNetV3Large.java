package dev.modelcost.examples;

import dev.modelcost.AdaptiveAvgPool2d;
import dev.modelcost.Add;
import dev.modelcost.Args;
import dev.modelcost.Block;
import dev.modelcost.Conv2d;
import dev.modelcost.From;
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
    Features                                                          backbone;
    @From({"backbone.4", "backbone"}) @Args("classes = 21")           LRASPPHead classifier;
    @Upsample(mode = "bilinear", with = "size = [input.H, input.W]")  Layer upsample;

    /**
     * {@code features} of {@code mobilenet_v3_large(dilated=True)}: the last stage (C4) dilated by 2
     * at stride 1, as {@code _mobilenet_v3_conf(dilated=True)} builds it, and the 1x1 head
     * convolution to 960 channels.
     */
    @Block(indexed = true)
    static class Features {
        static final int RE = Conv2dNormActivation.RELU;
        static final int HS = Conv2dNormActivation.HARDSWISH;

        @Args("cout = 16, stride = 2, act = HS")                                                Conv2dNormActivation stem;
        @Args("k = 3, exp = 16,  out = 16,  useSe = 0, act = RE")                               InvertedResidualV3 b1;
        @Args("k = 3, exp = 64,  out = 24,  useSe = 0, act = RE, stride = 2")                   InvertedResidualV3 b2;
        @Args("k = 3, exp = 72,  out = 24,  useSe = 0, act = RE")                               InvertedResidualV3 b3;
        @Args("k = 5, exp = 72,  out = 40,  useSe = 1, act = RE, stride = 2")                   InvertedResidualV3 b4;
        @Args("k = 5, exp = 120, out = 40,  useSe = 1, act = RE")                               InvertedResidualV3 b5;
        @Args("k = 5, exp = 120, out = 40,  useSe = 1, act = RE")                               InvertedResidualV3 b6;
        @Args("k = 3, exp = 240, out = 80,  useSe = 0, act = HS, stride = 2")                   InvertedResidualV3 b7;
        @Args("k = 3, exp = 200, out = 80,  useSe = 0, act = HS")                               InvertedResidualV3 b8;
        @Args("k = 3, exp = 184, out = 80,  useSe = 0, act = HS")                               InvertedResidualV3 b9;
        @Args("k = 3, exp = 184, out = 80,  useSe = 0, act = HS")                               InvertedResidualV3 b10;
        @Args("k = 3, exp = 480, out = 112, useSe = 1, act = HS")                               InvertedResidualV3 b11;
        @Args("k = 3, exp = 672, out = 112, useSe = 1, act = HS")                               InvertedResidualV3 b12;
        @Args("k = 5, exp = 672, out = 160, useSe = 1, act = HS, stride = 2, dilation = 2")     InvertedResidualV3 b13;
        @Args("k = 5, exp = 960, out = 160, useSe = 1, act = HS, dilation = 2")                 InvertedResidualV3 b14;
        @Args("k = 5, exp = 960, out = 160, useSe = 1, act = HS, dilation = 2")                 InvertedResidualV3 b15;
        @Args("cout = 960, k = 1, act = HS")                                                    Conv2dNormActivation head;
    }

    /**
     * torchvision's {@code LRASPPHead}: the high map through a 1x1 convolution, BatchNorm and ReLU, scaled
     * by a sigmoid gate from its global average, resized to the low map, and both classified and summed.
     */
    @Block(inputs = {"low", "high"})
    static class LRASPPHead {
        static final int RELU = Conv2dNormActivation.RELU;

        @Param      int classes;
        @Param(128) int inter;

        @From("high") @Args("cout = inter, k = 1, act = RELU")                  Conv2dNormActivation cbr;
        @From("high") @Args("cout = inter")                                     Scale scale;
        @Mul({"cbr", "scale"})                                                  Layer gated;
        @Upsample(mode = "bilinear", with = "size = [low.H, low.W]")            Layer upsample;
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
