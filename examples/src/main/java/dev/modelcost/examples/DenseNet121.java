package dev.modelcost.examples;

import dev.modelcost.AdaptiveAvgPool2d;
import dev.modelcost.Args;
import dev.modelcost.AvgPool2d;
import dev.modelcost.BatchNorm2d;
import dev.modelcost.Block;
import dev.modelcost.Concat;
import dev.modelcost.Conv2d;
import dev.modelcost.Flatten;
import dev.modelcost.Functional;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.MaxPool2d;
import dev.modelcost.Model;
import dev.modelcost.Param;
import dev.modelcost.ReLU;
import dev.modelcost.Repeat;

/** DenseNet-121 as torchvision defines it ({@code torchvision.models.densenet121}). */
@Model(input = {3, 224, 224})
public class DenseNet121 {
    Features              features;
    @Functional @ReLU(inplace = true) Layer relu;      // F.relu
    @Functional @AdaptiveAvgPool2d(1) Layer avgpool;   // F.adaptive_avg_pool2d
    @Flatten              Layer flatten;
    @Linear(out = 1000)   Layer classifier;

    /** The stem, four dense blocks of (6, 12, 24, 16) layers with growth 32, halving transitions between them, and norm5. */
    @Block
    static class Features {
        @Conv2d(cout = 64, k = 7, stride = 2, padding = 3, bias = false) Layer conv0;
        @BatchNorm2d                                                     Layer norm0;
        @ReLU(inplace = true)                                            Layer relu0;
        @MaxPool2d(k = 3, stride = 2, padding = 1)                       Layer pool0;
        @Repeat(value = 6, prefix = "denselayer", start = 1)             DenseLayer denseblock1;
        Transition                                                       transition1;
        @Repeat(value = 12, prefix = "denselayer", start = 1)            DenseLayer denseblock2;
        Transition                                                       transition2;
        @Repeat(value = 24, prefix = "denselayer", start = 1)            DenseLayer denseblock3;
        Transition                                                       transition3;
        @Repeat(value = 16, prefix = "denselayer", start = 1)            DenseLayer denseblock4;
        @BatchNorm2d                                                     Layer norm5;
    }

    /**
     * One {@code _DenseLayer} with the block's running concatenation folded in: BN-ReLU-1x1 to {@code bnSize * growthRate},
     * BN-ReLU-3x3 to {@code growthRate} new features, appended to the input (so {@code _DenseBlock}'s final cat is the last one's).
     */
    @Block
    static class DenseLayer {
        @Param(32) int growthRate;
        @Param(4)  int bnSize;

        @BatchNorm2d                                                                      Layer norm1;
        @ReLU(inplace = true)                                                             Layer relu1;
        @Conv2d(k = 1, bias = false, with = "cout = bnSize * growthRate")                 Layer conv1;
        @BatchNorm2d                                                                      Layer norm2;
        @ReLU(inplace = true)                                                             Layer relu2;
        @Conv2d(k = 3, padding = 1, bias = false, with = "cout = growthRate")             Layer conv2;
        @Concat({"input", "conv2"})                                                       Layer cat;
    }

    /** {@code _Transition}: BN, ReLU, a 1x1 convolution halving the channels and 2x2 average pooling. */
    @Block
    static class Transition {
        @BatchNorm2d                                      Layer norm;
        @ReLU(inplace = true)                             Layer relu;
        @Conv2d(k = 1, bias = false, with = "cout = in / 2") Layer conv;
        @AvgPool2d(k = 2, stride = 2)                     Layer pool;
    }
}
