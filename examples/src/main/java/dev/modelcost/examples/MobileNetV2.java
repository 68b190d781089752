package dev.modelcost.examples;

import dev.modelcost.AdaptiveAvgPool2d;
import dev.modelcost.Args;
import dev.modelcost.Block;
import dev.modelcost.Budget;
import dev.modelcost.Dropout;
import dev.modelcost.Flatten;
import dev.modelcost.Functional;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.Model;
import dev.modelcost.Repeat;
import dev.modelcost.Training;

/** MobileNetV2 as torchvision defines it ({@code torchvision.models.mobilenet_v2}). */
@Model(input = {3, 224, 224})
@Budget(maxMacs = 320_000_000, maxParams = 4_000_000)
@Training
public class MobileNetV2 {
    Features              features;
    @Functional @AdaptiveAvgPool2d(1) Layer avgpool;   // F.adaptive_avg_pool2d
    @Flatten              Layer flatten;
    Classifier            classifier;

    /**
     * The stem, the seven stages of the (t, c, n, s) table as repeated inverted residuals, and the 1x1
     * head convolution, numbered 0 to 18 as torchvision's flat {@code features} Sequential.
     */
    @Block(indexed = true)
    static class Features {
        @Args("cout = 32, stride = 2, act = 'ReLU6'")                                   Conv2dNormActivation stem;
        @Args("expandRatio = 1, oup = 16")                                            InvertedResidual stage1;
        @Args("oup = 24")  @Repeat(value = 2, first = "stride = 2", inline = true)    InvertedResidual stage2;
        @Args("oup = 32")  @Repeat(value = 3, first = "stride = 2", inline = true)    InvertedResidual stage3;
        @Args("oup = 64")  @Repeat(value = 4, first = "stride = 2", inline = true)    InvertedResidual stage4;
        @Args("oup = 96")  @Repeat(value = 3, inline = true)                          InvertedResidual stage5;
        @Args("oup = 160") @Repeat(value = 3, first = "stride = 2", inline = true)    InvertedResidual stage6;
        @Args("oup = 320")                                                            InvertedResidual stage7;
        @Args("cout = 1280, k = 1, act = 'ReLU6'")                                      Conv2dNormActivation head;
    }

    /** Dropout and the final linear layer. */
    @Block(indexed = true)
    static class Classifier {
        @Dropout(p = 0.2)     Layer dropout;
        @Linear(out = 1000)   Layer fc;
    }
}
