package dev.modelcost.examples;

import dev.modelcost.Args;
import dev.modelcost.Block;
import dev.modelcost.Concat;
import dev.modelcost.From;
import dev.modelcost.Layer;
import dev.modelcost.MaxPool2d;
import dev.modelcost.Param;

/**
 * GoogLeNet's inception module ({@code torchvision.models.googlenet.Inception}): 1x1, 1x1-then-3x3, a second 1x1-then-3x3
 * (torchvision's "5x5" branch uses a 3x3 kernel), and 3x3 max pooling then a 1x1 projection, concatenated.
 */
@Block
public class GoogLeNetInception {
    @Param int ch1x1;
    @Param int ch3x3red;
    @Param int ch3x3;
    @Param int ch5x5red;
    @Param int ch5x5;
    @Param int poolProj;

    @Args("cout = ch1x1, k = 1")                          GoogLeNetConv branch1;
    @From("input") @Args("red = ch3x3red, cout = ch3x3")  Reduce3x3 branch2;
    @From("input") @Args("red = ch5x5red, cout = ch5x5")  Reduce3x3 branch3;
    @From("input") @Args("cout = poolProj")               PoolProj branch4;
    @Concat({"branch1", "branch2", "branch3", "branch4"}) Layer cat;

    /** A 1x1 reduction to {@code red} channels, then a padded 3x3 convolution. */
    @Block(indexed = true)
    static class Reduce3x3 {
        @Param int red;
        @Param int cout;

        @Args("cout = red, k = 1")                 GoogLeNetConv reduce;
        @Args("cout = cout, k = 3, padding = 1")   GoogLeNetConv conv;
    }

    /** A shape-preserving 3x3 max pooling, then a 1x1 projection. */
    @Block(indexed = true)
    static class PoolProj {
        @Param int cout;

        @MaxPool2d(k = 3, stride = 1, padding = 1, ceilMode = true) Layer pool;
        @Args("cout = cout, k = 1")                                 GoogLeNetConv proj;
    }
}
