package dev.modelcost.examples;

import dev.modelcost.AdaptiveAvgPool2d;
import dev.modelcost.Args;
import dev.modelcost.Block;
import dev.modelcost.Dropout;
import dev.modelcost.Flatten;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.Model;
import dev.modelcost.Param;
import dev.modelcost.Repeat;

/**
 * EfficientNet-B0 to B7 as one family, as torchvision's {@code _efficientnet_conf(width_mult,
 * depth_mult)} builds them: every channel count {@code _make_divisible(c * width_mult, 8)}, every
 * stage's depth {@code ceil(n * depth_mult)}, each variant at its native resolution. The
 * classifier's dropout (no cost at inference) is B0's rate in every variant.
 */
public final class EfficientNet {
    private EfficientNet() {}

    /** The stem, the seven MBConv stages and the 1x1 head convolution of {@code features}, scaled. */
    @Block(indexed = true)
    static class Features {
        @Param(expr = "1.0") double widthMult;
        @Param(expr = "1.0") double depthMult;

        @Args("cout = divisible(32 * widthMult, 8), stride = 2, act = 'SiLU'")                                   Conv2dNormActivation stem;
        @Args("expandRatio = 1, k = 3, out = divisible(16 * widthMult, 8)")  @Repeat(count = "ceil(1 * depthMult)") MBConv stage1;
        @Args("expandRatio = 6, k = 3, out = divisible(24 * widthMult, 8)")
        @Repeat(count = "ceil(2 * depthMult)", first = "stride = 2")                                           MBConv stage2;
        @Args("expandRatio = 6, k = 5, out = divisible(40 * widthMult, 8)")
        @Repeat(count = "ceil(2 * depthMult)", first = "stride = 2")                                           MBConv stage3;
        @Args("expandRatio = 6, k = 3, out = divisible(80 * widthMult, 8)")
        @Repeat(count = "ceil(3 * depthMult)", first = "stride = 2")                                           MBConv stage4;
        @Args("expandRatio = 6, k = 5, out = divisible(112 * widthMult, 8)") @Repeat(count = "ceil(3 * depthMult)") MBConv stage5;
        @Args("expandRatio = 6, k = 5, out = divisible(192 * widthMult, 8)")
        @Repeat(count = "ceil(4 * depthMult)", first = "stride = 2")                                           MBConv stage6;
        @Args("expandRatio = 6, k = 3, out = divisible(320 * widthMult, 8)") @Repeat(count = "ceil(1 * depthMult)") MBConv stage7;
        @Args("cout = 4 * divisible(320 * widthMult, 8), k = 1, act = 'SiLU'")                                   Conv2dNormActivation head;
    }

    /** Dropout and the final linear layer. */
    @Block(indexed = true)
    static class Classifier {
        @Dropout(p = 0.2)   Layer dropout;
        @Linear(out = 1000) Layer fc;
    }

    /** The whole network of {@code EfficientNet}: features, pooling, classifier. */
    @Block
    static class Body {
        @Param double widthMult;
        @Param double depthMult;

        @Args("widthMult = widthMult, depthMult = depthMult") Features features;
        @AdaptiveAvgPool2d(1)                                 Layer avgpool;
        @Flatten                                              Layer flatten;
        Classifier                                            classifier;
    }

    /** {@code efficientnet_b1}: width 1.0, depth 1.1, 240 x 240. */
    @Model(input = {3, 240, 240})
    public static class B1 {
        @Args(value = "widthMult = 1.0, depthMult = 1.1", inPlace = true) Body body;
    }

    /** {@code efficientnet_b2}: width 1.1, depth 1.2, 260 x 260. */
    @Model(input = {3, 260, 260})
    public static class B2 {
        @Args(value = "widthMult = 1.1, depthMult = 1.2", inPlace = true) Body body;
    }

    /** {@code efficientnet_b3}: width 1.2, depth 1.4, 300 x 300. */
    @Model(input = {3, 300, 300})
    public static class B3 {
        @Args(value = "widthMult = 1.2, depthMult = 1.4", inPlace = true) Body body;
    }

    /** {@code efficientnet_b4}: width 1.4, depth 1.8, 380 x 380. */
    @Model(input = {3, 380, 380})
    public static class B4 {
        @Args(value = "widthMult = 1.4, depthMult = 1.8", inPlace = true) Body body;
    }

    /** {@code efficientnet_b5}: width 1.6, depth 2.2, 456 x 456. */
    @Model(input = {3, 456, 456})
    public static class B5 {
        @Args(value = "widthMult = 1.6, depthMult = 2.2", inPlace = true) Body body;
    }

    /** {@code efficientnet_b6}: width 1.8, depth 2.6, 528 x 528. */
    @Model(input = {3, 528, 528})
    public static class B6 {
        @Args(value = "widthMult = 1.8, depthMult = 2.6", inPlace = true) Body body;
    }

    /** {@code efficientnet_b7}: width 2.0, depth 3.1, 600 x 600. */
    @Model(input = {3, 600, 600})
    public static class B7 {
        @Args(value = "widthMult = 2.0, depthMult = 3.1", inPlace = true) Body body;
    }
}
