package dev.modelcost.examples;

import dev.modelcost.AdaptiveAvgPool2d;
import dev.modelcost.Args;
import dev.modelcost.Block;
import dev.modelcost.Conv2d;
import dev.modelcost.Dropout;
import dev.modelcost.Flatten;
import dev.modelcost.Layer;
import dev.modelcost.MaxPool2d;
import dev.modelcost.Model;
import dev.modelcost.ReLU;

/** SqueezeNet 1.0 as torchvision defines it ({@code torchvision.models.squeezenet1_0}). */
@Model(input = {3, 224, 224})
public class SqueezeNet1_0 {
    Features   features;
    Classifier classifier;
    @Flatten   Layer flatten;

    /** The 7x7 stem and eight fire modules with ceil-mode max pooling after the stem, fire4 and fire8. */
    @Block(indexed = true)
    static class Features {
        @Conv2d(cout = 96, k = 7, stride = 2)                Layer conv1;
        @ReLU(inplace = true)                                Layer relu1;
        @MaxPool2d(k = 3, stride = 2, ceilMode = true)       Layer maxpool1;
        @Args("squeezePlanes = 16, expand1x1Planes = 64")    Fire fire2;
        @Args("squeezePlanes = 16, expand1x1Planes = 64")    Fire fire3;
        @Args("squeezePlanes = 32, expand1x1Planes = 128")   Fire fire4;
        @MaxPool2d(k = 3, stride = 2, ceilMode = true)       Layer maxpool4;
        @Args("squeezePlanes = 32, expand1x1Planes = 128")   Fire fire5;
        @Args("squeezePlanes = 48, expand1x1Planes = 192")   Fire fire6;
        @Args("squeezePlanes = 48, expand1x1Planes = 192")   Fire fire7;
        @Args("squeezePlanes = 64, expand1x1Planes = 256")   Fire fire8;
        @MaxPool2d(k = 3, stride = 2, ceilMode = true)       Layer maxpool8;
        @Args("squeezePlanes = 64, expand1x1Planes = 256")   Fire fire9;
    }

    /** Dropout, the 1x1 convolution to the 1000 classes, ReLU and global average pooling. */
    @Block(indexed = true)
    static class Classifier {
        @Dropout                   Layer dropout;
        @Conv2d(cout = 1000, k = 1) Layer final_conv;
        @ReLU(inplace = true)      Layer relu;
        @AdaptiveAvgPool2d(1)      Layer avgpool;
    }
}
