package dev.modelcost.examples;

import dev.modelcost.BatchNorm2d;
import dev.modelcost.Block;
import dev.modelcost.Conv2d;
import dev.modelcost.Hardswish;
import dev.modelcost.Layer;
import dev.modelcost.Param;
import dev.modelcost.ReLU;
import dev.modelcost.ReLU6;
import dev.modelcost.SiLU;
import dev.modelcost.When;

/**
 * torchvision's {@code ops.misc.Conv2dNormActivation}: a bias-free convolution with "same" padding
 * ({@code (k - 1) / 2 * dilation}), a BatchNorm and the activation {@code act} names (one of the
 * constants below; {@link #NONE} for none).
 */
@Block(indexed = true)
public class Conv2dNormActivation {
    static final int NONE = 0;
    static final int RELU = 1;
    static final int RELU6 = 2;
    static final int HARDSWISH = 3;
    static final int SILU = 4;

    @Param    int cout;
    @Param(3) int k;
    @Param(1) int stride;
    @Param(1) int groups;
    @Param    int act;
    @Param(1) int dilation;

    @Conv2d(bias = false, with = "cout = cout, k = k, stride = stride, padding = (k - 1) / 2 * dilation, dilation = dilation, "
            + "groups = groups")                                                                                Layer conv;
    @BatchNorm2d                                                                                                Layer norm;
    @When("act == RELU")      @ReLU      Layer relu;
    @When("act == RELU6")     @ReLU6     Layer relu6;
    @When("act == HARDSWISH") @Hardswish Layer hardswish;
    @When("act == SILU")      @SiLU      Layer silu;
}
