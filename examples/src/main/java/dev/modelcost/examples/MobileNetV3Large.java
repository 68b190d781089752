package dev.modelcost.examples;

import dev.modelcost.AdaptiveAvgPool2d;
import dev.modelcost.Args;
import dev.modelcost.Block;
import dev.modelcost.Dropout;
import dev.modelcost.Flatten;
import dev.modelcost.Hardswish;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.Model;
import dev.modelcost.Param;

/** MobileNetV3-Large as torchvision defines it ({@code torchvision.models.mobilenet_v3_large}). */
@Model(input = {3, 224, 224})
public class MobileNetV3Large {
    Features              features;
    @AdaptiveAvgPool2d(1) Layer avgpool;
    @Flatten              Layer flatten;
    Classifier            classifier;

    /**
     * The stem, the fifteen bneck rows of {@code _mobilenet_v3_conf} and the 1x1 head convolution;
     * with {@code dilation = 2} the last stage is dilated at stride 1, as {@code dilated=True} builds
     * it for segmentation (LR-ASPP).
     */
    @Block(indexed = true)
    static class Features {
        @Param(1) int dilation;

        @Args("cout = 16, stride = 2, act = 'Hardswish'")                                  Conv2dNormActivation stem;
        @Args("k = 3, exp = 16,  out = 16,  useSe = 0, act = 'ReLU'")                 InvertedResidualV3 b1;
        @Args("k = 3, exp = 64,  out = 24,  useSe = 0, act = 'ReLU', stride = 2")     InvertedResidualV3 b2;
        @Args("k = 3, exp = 72,  out = 24,  useSe = 0, act = 'ReLU'")                 InvertedResidualV3 b3;
        @Args("k = 5, exp = 72,  out = 40,  useSe = 1, act = 'ReLU', stride = 2")     InvertedResidualV3 b4;
        @Args("k = 5, exp = 120, out = 40,  useSe = 1, act = 'ReLU'")                 InvertedResidualV3 b5;
        @Args("k = 5, exp = 120, out = 40,  useSe = 1, act = 'ReLU'")                 InvertedResidualV3 b6;
        @Args("k = 3, exp = 240, out = 80,  useSe = 0, act = 'Hardswish', stride = 2")     InvertedResidualV3 b7;
        @Args("k = 3, exp = 200, out = 80,  useSe = 0, act = 'Hardswish'")                 InvertedResidualV3 b8;
        @Args("k = 3, exp = 184, out = 80,  useSe = 0, act = 'Hardswish'")                 InvertedResidualV3 b9;
        @Args("k = 3, exp = 184, out = 80,  useSe = 0, act = 'Hardswish'")                 InvertedResidualV3 b10;
        @Args("k = 3, exp = 480, out = 112, useSe = 1, act = 'Hardswish'")                 InvertedResidualV3 b11;
        @Args("k = 3, exp = 672, out = 112, useSe = 1, act = 'Hardswish'")                 InvertedResidualV3 b12;
        @Args("k = 5, exp = 672, out = 160, useSe = 1, act = 'Hardswish', stride = 2, dilation = dilation") InvertedResidualV3 b13;
        @Args("k = 5, exp = 960, out = 160, useSe = 1, act = 'Hardswish', dilation = dilation")             InvertedResidualV3 b14;
        @Args("k = 5, exp = 960, out = 160, useSe = 1, act = 'Hardswish', dilation = dilation")             InvertedResidualV3 b15;
        @Args("cout = 960, k = 1, act = 'Hardswish'")                                      Conv2dNormActivation head;
    }

    /** Linear 960 to 1280, Hardswish, dropout and the final linear layer. */
    @Block(indexed = true)
    static class Classifier {
        @Linear(out = 1280) Layer fc1;
        @Hardswish(inplace = true) Layer hardswish;
        @Dropout(p = 0.2)   Layer dropout;
        @Linear(out = 1000) Layer fc2;
    }
}
