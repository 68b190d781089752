package dev.modelcost.examples;

import dev.modelcost.AdaptiveAvgPool2d;
import dev.modelcost.Args;
import dev.modelcost.Budget;
import dev.modelcost.Flatten;
import dev.modelcost.Layer;
import dev.modelcost.Model;

/**
 * EfficientNet-B0 as torchvision defines it ({@code torchvision.models.efficientnet_b0}): the
 * family's features at width and depth 1.0 (see {@link EfficientNet} for B1 to B7), under a FLOPs budget.
 */
@Model(input = {3, 224, 224})
@Budget(maxFlops = 1_000_000_000)
public class EfficientNetB0 {
    @Args("widthMult = 1.0, depthMult = 1.0") EfficientNet.Features features;
    @AdaptiveAvgPool2d(1)                     Layer avgpool;
    @Flatten                                  Layer flatten;
    EfficientNet.Classifier                   classifier;
}
