package dev.modelcost.examples;

import dev.modelcost.Block;
import dev.modelcost.Dropout;
import dev.modelcost.GELU;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.Param;

/** torchvision's {@code MLPBlock}: Linear, GELU, Dropout, Linear back to the input width, Dropout. */
@Block(indexed = true)
public class ViTMlp {
    @Param int hidden;

    @Linear(with = "out = hidden") Layer fc1;
    @GELU                          Layer act;
    @Dropout                       Layer drop1;
    @Linear(with = "out = in")     Layer fc2;
    @Dropout                       Layer drop2;
}
