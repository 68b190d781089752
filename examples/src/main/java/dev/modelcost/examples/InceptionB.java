package dev.modelcost.examples;

import dev.modelcost.Args;
import dev.modelcost.Block;
import dev.modelcost.Concat;
import dev.modelcost.From;
import dev.modelcost.Functional;
import dev.modelcost.Layer;
import dev.modelcost.MaxPool2d;

/** Inception-v3's 35-to-17 grid reduction ({@code torchvision.models.inception.InceptionB}): strided 3x3, strided double 3x3, max pooling. */
@Block
public class InceptionB {
    @Args("cout = 384, k = 3, stride = 2")                    InceptionConv branch3x3;
    @From("input") @Args("cout = 64, k = 1")                  InceptionConv branch3x3dbl_1;
    @Args("cout = 96, k = 3, padding = 1")                    InceptionConv branch3x3dbl_2;
    @Args("cout = 96, k = 3, stride = 2")                     InceptionConv branch3x3dbl_3;
    @From("input") @Functional @MaxPool2d(k = 3, stride = 2)              Layer branch_pool;
    @Concat({"branch3x3", "branch3x3dbl_3", "branch_pool"})   Layer cat;
}
