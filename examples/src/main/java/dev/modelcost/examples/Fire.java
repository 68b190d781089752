package dev.modelcost.examples;

import dev.modelcost.Block;
import dev.modelcost.Concat;
import dev.modelcost.Conv2d;
import dev.modelcost.From;
import dev.modelcost.Layer;
import dev.modelcost.Param;
import dev.modelcost.ReLU;

/** SqueezeNet's fire module ({@code torchvision.models.squeezenet.Fire}): a 1x1 squeeze, then 1x1 and 3x3 expands concatenated. */
@Block
public class Fire {
    @Param                            int squeezePlanes;
    @Param                            int expand1x1Planes;
    @Param(expr = "expand1x1Planes")  int expand3x3Planes;

    @Conv2d(k = 1, with = "cout = squeezePlanes")                                   Layer squeeze;
    @ReLU(inplace = true)                                                           Layer squeeze_activation;
    @Conv2d(k = 1, with = "cout = expand1x1Planes")                                 Layer expand1x1;
    @ReLU(inplace = true)                                                           Layer expand1x1_activation;
    @From("squeeze_activation") @Conv2d(k = 3, padding = 1, with = "cout = expand3x3Planes") Layer expand3x3;
    @ReLU(inplace = true)                                                           Layer expand3x3_activation;
    @Concat({"expand1x1_activation", "expand3x3_activation"})                       Layer cat;
}
