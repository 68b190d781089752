package dev.modelcost.examples;

import dev.modelcost.AdaptiveAvgPool2d;
import dev.modelcost.Args;
import dev.modelcost.Block;
import dev.modelcost.Conv2d;
import dev.modelcost.Flatten;
import dev.modelcost.Layer;
import dev.modelcost.LayerNorm2d;
import dev.modelcost.Linear;
import dev.modelcost.Model;
import dev.modelcost.Param;
import dev.modelcost.Repeat;

/**
 * ConvNeXt-T as torchvision defines it ({@code torchvision.models.convnext_tiny}): a 4x4 patchify
 * stem, stages of 3, 3, 9 and 3 blocks at widths 96, 192, 384 and 768 with LayerNorm2d-and-conv
 * downsampling between them, and a LayerNorm2d, Flatten, Linear classifier.
 */
@Model(input = {3, 224, 224})
public class ConvNeXtTiny {
    Features                         features;
    @AdaptiveAvgPool2d(1)            Layer avgpool;
    Classifier                       classifier;

    /** The indexed feature extractor: stem, then stage and downsampling alternately. */
    @Block(indexed = true)
    public static class Features {
        @Args("width = 96, k = 4")                 Stem stem;
        @Repeat(3)                                 CNBlock stage1;
        @Args("width = 192")                       Downsample down1;
        @Repeat(3)                                 CNBlock stage2;
        @Args("width = 384")                       Downsample down2;
        @Repeat(9)                                 CNBlock stage3;
        @Args("width = 768")                       Downsample down3;
        @Repeat(3)                                 CNBlock stage4;
    }

    /** {@code Conv2dNormActivation(3, 96, kernel_size=4, stride=4, norm_layer=LayerNorm2d, activation_layer=None, bias=True)}. */
    @Block(indexed = true)
    public static class Stem {
        @Param int width;
        @Param int k;

        @Conv2d(with = "cout = width, k = k, stride = k") Layer conv;
        @LayerNorm2d(eps = 1e-6)                           Layer norm;
    }

    /** Between stages: {@code Sequential(LayerNorm2d, Conv2d(k=2, stride=2))}. */
    @Block(indexed = true)
    public static class Downsample {
        @Param int width;

        @LayerNorm2d(eps = 1e-6)                           Layer norm;
        @Conv2d(k = 2, stride = 2, with = "cout = width")  Layer conv;
    }

    /** {@code Sequential(LayerNorm2d(768), Flatten(1), Linear(768, 1000))}. */
    @Block(indexed = true)
    public static class Classifier {
        @LayerNorm2d(eps = 1e-6) Layer norm;
        @Flatten                 Layer flatten;
        @Linear(out = 1000)      Layer fc;
    }
}
