package dev.modelcost.examples;

import dev.modelcost.Args;
import dev.modelcost.AvgPool2d;
import dev.modelcost.Block;
import dev.modelcost.Concat;
import dev.modelcost.From;
import dev.modelcost.Functional;
import dev.modelcost.Layer;

/** Inception-v3's 8x8 module ({@code torchvision.models.inception.InceptionE}): 1x1, 3x3 split into 1x3|3x1, double 3x3 split likewise, pooled 1x1. */
@Block
public class InceptionE {
    @Args("cout = 320, k = 1")                                           InceptionConv branch1x1;
    @From("input") @Args("cout = 384, k = 1")                            InceptionConv branch3x3_1;
    @Args("cout = 384, kh = 1, kw = 3, paddingW = 1")                    InceptionConv branch3x3_2a;
    @From("branch3x3_1") @Args("cout = 384, kh = 3, kw = 1, paddingH = 1") InceptionConv branch3x3_2b;
    @Concat({"branch3x3_2a", "branch3x3_2b"})                            Layer branch3x3;
    @From("input") @Args("cout = 448, k = 1")                            InceptionConv branch3x3dbl_1;
    @Args("cout = 384, k = 3, padding = 1")                              InceptionConv branch3x3dbl_2;
    @Args("cout = 384, kh = 1, kw = 3, paddingW = 1")                    InceptionConv branch3x3dbl_3a;
    @From("branch3x3dbl_2") @Args("cout = 384, kh = 3, kw = 1, paddingH = 1") InceptionConv branch3x3dbl_3b;
    @Concat({"branch3x3dbl_3a", "branch3x3dbl_3b"})                      Layer branch3x3dbl;
    @From("input") @Functional @AvgPool2d(k = 3, stride = 1, padding = 1)            Layer avg_pool;
    @Args("cout = 192, k = 1")                                           InceptionConv branch_pool;
    @Concat({"branch1x1", "branch3x3", "branch3x3dbl", "branch_pool"})   Layer cat;
}
