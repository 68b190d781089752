package dev.modelcost.examples;

import dev.modelcost.Args;
import dev.modelcost.AvgPool2d;
import dev.modelcost.Block;
import dev.modelcost.Concat;
import dev.modelcost.From;
import dev.modelcost.Functional;
import dev.modelcost.Layer;
import dev.modelcost.Param;

/** Inception-v3's 17x17 module ({@code torchvision.models.inception.InceptionC}): 1x1, factorized 7x7, double factorized 7x7, pooled 1x1. */
@Block
public class InceptionC {
    @Param int channels7x7;

    @Args("cout = 192, k = 1")                                           InceptionConv branch1x1;
    @From("input") @Args("cout = channels7x7, k = 1")                    InceptionConv branch7x7_1;
    @Args("cout = channels7x7, kh = 1, kw = 7, paddingW = 3")            InceptionConv branch7x7_2;
    @Args("cout = 192, kh = 7, kw = 1, paddingH = 3")                    InceptionConv branch7x7_3;
    @From("input") @Args("cout = channels7x7, k = 1")                    InceptionConv branch7x7dbl_1;
    @Args("cout = channels7x7, kh = 7, kw = 1, paddingH = 3")            InceptionConv branch7x7dbl_2;
    @Args("cout = channels7x7, kh = 1, kw = 7, paddingW = 3")            InceptionConv branch7x7dbl_3;
    @Args("cout = channels7x7, kh = 7, kw = 1, paddingH = 3")            InceptionConv branch7x7dbl_4;
    @Args("cout = 192, kh = 1, kw = 7, paddingW = 3")                    InceptionConv branch7x7dbl_5;
    @From("input") @Functional @AvgPool2d(k = 3, stride = 1, padding = 1)            Layer avg_pool;
    @Args("cout = 192, k = 1")                                           InceptionConv branch_pool;
    @Concat({"branch1x1", "branch7x7_3", "branch7x7dbl_5", "branch_pool"}) Layer cat;
}
