package dev.modelcost.examples;

import dev.modelcost.AdaptiveAvgPool2d;
import dev.modelcost.Args;
import dev.modelcost.Block;
import dev.modelcost.Budget;
import dev.modelcost.Dropout;
import dev.modelcost.Flatten;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.Model;
import dev.modelcost.Repeat;

/** EfficientNet-B0 as torchvision defines it ({@code torchvision.models.efficientnet_b0}). */
@Model(input = {3, 224, 224})
@Budget(maxFlops = 1_000_000_000)
public class EfficientNetB0 {
    Features              features;
    @AdaptiveAvgPool2d(1) Layer avgpool;
    @Flatten              Layer flatten;
    Classifier            classifier;

    /** The stem, the seven MBConv stages of {@code _efficientnet_conf} (width and depth 1.0) and the 1x1 head convolution. */
    @Block(indexed = true)
    static class Features {
        static final int SILU = Conv2dNormActivation.SILU;

        @Args("cout = 32, stride = 2, act = SILU")                                          Conv2dNormActivation stem;
        @Args("expandRatio = 1, k = 3, out = 16")  @Repeat(1)                               MBConv stage1;
        @Args("expandRatio = 6, k = 3, out = 24")  @Repeat(value = 2, first = "stride = 2") MBConv stage2;
        @Args("expandRatio = 6, k = 5, out = 40")  @Repeat(value = 2, first = "stride = 2") MBConv stage3;
        @Args("expandRatio = 6, k = 3, out = 80")  @Repeat(value = 3, first = "stride = 2") MBConv stage4;
        @Args("expandRatio = 6, k = 5, out = 112") @Repeat(3)                               MBConv stage5;
        @Args("expandRatio = 6, k = 5, out = 192") @Repeat(value = 4, first = "stride = 2") MBConv stage6;
        @Args("expandRatio = 6, k = 3, out = 320") @Repeat(1)                               MBConv stage7;
        @Args("cout = 1280, k = 1, act = SILU")                                             Conv2dNormActivation head;
    }

    /** Dropout and the final linear layer. */
    @Block(indexed = true)
    static class Classifier {
        @Dropout(p = 0.2)   Layer dropout;
        @Linear(out = 1000) Layer fc;
    }
}
