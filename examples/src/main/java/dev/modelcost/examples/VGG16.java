package dev.modelcost.examples;

import dev.modelcost.AdaptiveAvgPool2d;
import dev.modelcost.Block;
import dev.modelcost.Conv2d;
import dev.modelcost.Dropout;
import dev.modelcost.Flatten;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.MaxPool2d;
import dev.modelcost.Model;
import dev.modelcost.ReLU;
import dev.modelcost.Roofline;

/**
 * VGG-16, configuration "D", as torchvision defines it ({@code torchvision.models.vgg16}): thirteen
 * 3x3 convolutions in five stages, adaptive 7x7 pooling, three linear layers.
 */
@Model(input = {3, 224, 224})
@Roofline(hardware = {"l4", "h100-sxm"})
public class VGG16 {
    Features features;
    @AdaptiveAvgPool2d(7) Layer avgpool;
    @Flatten              Layer flatten;
    Classifier classifier;

    /** The thirteen convolutions, numbered as torchvision's {@code features} Sequential. */
    @Block(indexed = true)
    public static class Features {
        @Conv2d(cout = 64, k = 3, padding = 1)  Layer conv1_1;
        @ReLU(inplace = true)                   Layer relu1_1;
        @Conv2d(cout = 64, k = 3, padding = 1)  Layer conv1_2;
        @ReLU(inplace = true)                   Layer relu1_2;
        @MaxPool2d(k = 2)                       Layer pool1;

        @Conv2d(cout = 128, k = 3, padding = 1) Layer conv2_1;
        @ReLU(inplace = true)                   Layer relu2_1;
        @Conv2d(cout = 128, k = 3, padding = 1) Layer conv2_2;
        @ReLU(inplace = true)                   Layer relu2_2;
        @MaxPool2d(k = 2)                       Layer pool2;

        @Conv2d(cout = 256, k = 3, padding = 1) Layer conv3_1;
        @ReLU(inplace = true)                   Layer relu3_1;
        @Conv2d(cout = 256, k = 3, padding = 1) Layer conv3_2;
        @ReLU(inplace = true)                   Layer relu3_2;
        @Conv2d(cout = 256, k = 3, padding = 1) Layer conv3_3;
        @ReLU(inplace = true)                   Layer relu3_3;
        @MaxPool2d(k = 2)                       Layer pool3;

        @Conv2d(cout = 512, k = 3, padding = 1) Layer conv4_1;
        @ReLU(inplace = true)                   Layer relu4_1;
        @Conv2d(cout = 512, k = 3, padding = 1) Layer conv4_2;
        @ReLU(inplace = true)                   Layer relu4_2;
        @Conv2d(cout = 512, k = 3, padding = 1) Layer conv4_3;
        @ReLU(inplace = true)                   Layer relu4_3;
        @MaxPool2d(k = 2)                       Layer pool4;

        @Conv2d(cout = 512, k = 3, padding = 1) Layer conv5_1;
        @ReLU(inplace = true)                   Layer relu5_1;
        @Conv2d(cout = 512, k = 3, padding = 1) Layer conv5_2;
        @ReLU(inplace = true)                   Layer relu5_2;
        @Conv2d(cout = 512, k = 3, padding = 1) Layer conv5_3;
        @ReLU(inplace = true)                   Layer relu5_3;
        @MaxPool2d(k = 2)                       Layer pool5;
    }

    /** The classifier, numbered as torchvision's {@code classifier} Sequential. */
    @Block(indexed = true)
    public static class Classifier {
        @Linear(inFeatures = 512 * 7 * 7, out = 4096) Layer fc6;
        @ReLU(inplace = true)                         Layer relu6;
        @Dropout                                      Layer drop6;
        @Linear(out = 4096)                           Layer fc7;
        @ReLU(inplace = true)                         Layer relu7;
        @Dropout                                      Layer drop7;
        @Linear(out = 1000)                           Layer fc8;
    }
}
