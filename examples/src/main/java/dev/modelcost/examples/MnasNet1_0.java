package dev.modelcost.examples;

import dev.modelcost.Args;
import dev.modelcost.BatchNorm2d;
import dev.modelcost.Block;
import dev.modelcost.Conv2d;
import dev.modelcost.Dropout;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.Mean;
import dev.modelcost.Model;
import dev.modelcost.ReLU;
import dev.modelcost.Repeat;

/** MnasNet with depth multiplier 1.0 as torchvision defines it ({@code torchvision.models.mnasnet1_0}). */
@Model(input = {3, 224, 224})
public class MnasNet1_0 {
    Layers                layers;
    @Mean(dim = {2, 3})                              Layer mean;     // x.mean([2, 3])
    Classifier            classifier;

    /** The stem, a depthwise-separable convolution, six stacks of inverted residuals ({@code _stack}) and the 1x1 head. */
    @Block(indexed = true)
    static class Layers {
        @Conv2d(cout = 32, k = 3, padding = 1, stride = 2, bias = false)             Layer stem;
        @BatchNorm2d                                                                 Layer stemBn;
        @ReLU(inplace = true)                                                        Layer stemRelu;
        @Conv2d(cout = 32, k = 3, padding = 1, groups = 32, bias = false)            Layer depthwise;
        @BatchNorm2d                                                                 Layer depthwiseBn;
        @ReLU(inplace = true)                                                        Layer depthwiseRelu;
        @Conv2d(cout = 16, k = 1, bias = false)                                      Layer pointwise;
        @BatchNorm2d                                                                 Layer pointwiseBn;
        @Args("out = 24,  k = 3, expansion = 3") @Repeat(value = 3, first = "stride = 2") MnasInvertedResidual stack1;
        @Args("out = 40,  k = 5, expansion = 3") @Repeat(value = 3, first = "stride = 2") MnasInvertedResidual stack2;
        @Args("out = 80,  k = 5, expansion = 6") @Repeat(value = 3, first = "stride = 2") MnasInvertedResidual stack3;
        @Args("out = 96,  k = 3, expansion = 6") @Repeat(2)                               MnasInvertedResidual stack4;
        @Args("out = 192, k = 5, expansion = 6") @Repeat(value = 4, first = "stride = 2") MnasInvertedResidual stack5;
        @Args("out = 320, k = 3, expansion = 6") @Repeat(1)                               MnasInvertedResidual stack6;
        @Conv2d(cout = 1280, k = 1, bias = false)                                    Layer head;
        @BatchNorm2d                                                                 Layer headBn;
        @ReLU(inplace = true)                                                        Layer headRelu;
    }

    /** Dropout and the final linear layer. */
    @Block(indexed = true)
    static class Classifier {
        @Dropout(p = 0.2)   Layer dropout;
        @Linear(out = 1000) Layer fc;
    }
}
