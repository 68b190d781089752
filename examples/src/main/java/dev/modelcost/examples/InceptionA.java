package dev.modelcost.examples;

import dev.modelcost.Args;
import dev.modelcost.AvgPool2d;
import dev.modelcost.Block;
import dev.modelcost.Concat;
import dev.modelcost.From;
import dev.modelcost.Functional;
import dev.modelcost.Layer;
import dev.modelcost.Param;

/** Inception-v3's 35x35 module ({@code torchvision.models.inception.InceptionA}): 1x1, 5x5, double 3x3 and pooled 1x1 branches. */
@Block
public class InceptionA {
    @Param int poolFeatures;

    @Args("cout = 64, k = 1")                                 InceptionConv branch1x1;
    @From("input") @Args("cout = 48, k = 1")                  InceptionConv branch5x5_1;
    @Args("cout = 64, k = 5, padding = 2")                    InceptionConv branch5x5_2;
    @From("input") @Args("cout = 64, k = 1")                  InceptionConv branch3x3dbl_1;
    @Args("cout = 96, k = 3, padding = 1")                    InceptionConv branch3x3dbl_2;
    @Args("cout = 96, k = 3, padding = 1")                    InceptionConv branch3x3dbl_3;
    @From("input") @Functional @AvgPool2d(k = 3, stride = 1, padding = 1) Layer avg_pool;
    @Args("cout = poolFeatures, k = 1")                       InceptionConv branch_pool;
    @Concat({"branch1x1", "branch5x5_2", "branch3x3dbl_3", "branch_pool"}) Layer cat;
}
