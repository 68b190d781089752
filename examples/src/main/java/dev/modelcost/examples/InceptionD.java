package dev.modelcost.examples;

import dev.modelcost.Args;
import dev.modelcost.Block;
import dev.modelcost.Concat;
import dev.modelcost.From;
import dev.modelcost.Functional;
import dev.modelcost.Layer;
import dev.modelcost.MaxPool2d;

/** Inception-v3's 17-to-8 grid reduction ({@code torchvision.models.inception.InceptionD}): 1x1-then-strided 3x3, 1x1-7x7-strided 3x3, max pooling. */
@Block
public class InceptionD {
    @Args("cout = 192, k = 1")                                InceptionConv branch3x3_1;
    @Args("cout = 320, k = 3, stride = 2")                    InceptionConv branch3x3_2;
    @From("input") @Args("cout = 192, k = 1")                 InceptionConv branch7x7x3_1;
    @Args("cout = 192, kh = 1, kw = 7, paddingW = 3")         InceptionConv branch7x7x3_2;
    @Args("cout = 192, kh = 7, kw = 1, paddingH = 3")         InceptionConv branch7x7x3_3;
    @Args("cout = 192, k = 3, stride = 2")                    InceptionConv branch7x7x3_4;
    @From("input") @Functional @MaxPool2d(k = 3, stride = 2)              Layer branch_pool;
    @Concat({"branch3x3_2", "branch7x7x3_4", "branch_pool"})  Layer cat;
}
