package dev.modelcost.examples;

import dev.modelcost.BatchNorm2d;
import dev.modelcost.Block;
import dev.modelcost.Conv2d;
import dev.modelcost.Layer;
import dev.modelcost.LayerOf;
import dev.modelcost.Param;
import dev.modelcost.When;

/**
 * torchvision's {@code ops.misc.Conv2dNormActivation}: a bias-free convolution with "same" padding
 * ({@code (k - 1) / 2 * dilation}), a BatchNorm and the activation layer {@code act} names, as
 * torchvision passes {@code activation_layer} ({@code 'None'} for none).
 */
@Block(indexed = true)
public class Conv2dNormActivation {
    @Param    int cout;
    @Param(3) int k;
    @Param(1) int stride;
    @Param(1) int groups;
    @Param    String act;
    @Param(1) int dilation;

    @Conv2d(bias = false, with = "cout = cout, k = k, stride = stride, padding = (k - 1) / 2 * dilation, dilation = dilation, "
            + "groups = groups")                                                                                Layer conv;
    @BatchNorm2d                                                                                                Layer norm;
    @When("act != 'None'") @LayerOf(value = "act", inplace = true)                                           Layer activation;
}
