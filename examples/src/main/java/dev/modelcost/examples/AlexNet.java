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

/** AlexNet as torchvision defines it ({@code torchvision.models.alexnet}), with its adaptive 6x6 pooling. */
@Model(input = {3, 224, 224})
@Roofline(hardware = {"a100-sxm-80gb", "rtx-4090"})
public class AlexNet {
    Features features;
    @AdaptiveAvgPool2d(6) Layer avgpool;
    @Flatten              Layer flatten;
    Classifier classifier;

    /** The convolutional trunk, numbered as torchvision's {@code features} Sequential. */
    @Block(indexed = true)
    public static class Features {
        @Conv2d(cout = 64, k = 11, stride = 4, padding = 2) Layer conv1;
        @ReLU(inplace = true)                              Layer relu1;
        @MaxPool2d(k = 3, stride = 2)                      Layer pool1;
        @Conv2d(cout = 192, k = 5, padding = 2)            Layer conv2;
        @ReLU(inplace = true)                              Layer relu2;
        @MaxPool2d(k = 3, stride = 2)                      Layer pool2;
        @Conv2d(cout = 384, k = 3, padding = 1)            Layer conv3;
        @ReLU(inplace = true)                              Layer relu3;
        @Conv2d(cout = 256, k = 3, padding = 1)            Layer conv4;
        @ReLU(inplace = true)                              Layer relu4;
        @Conv2d(cout = 256, k = 3, padding = 1)            Layer conv5;
        @ReLU(inplace = true)                              Layer relu5;
        @MaxPool2d(k = 3, stride = 2)                      Layer pool5;
    }

    /** The classifier, numbered as torchvision's {@code classifier} Sequential. */
    @Block(indexed = true)
    public static class Classifier {
        @Dropout                                 Layer drop6;
        @Linear(inFeatures = 256 * 6 * 6, out = 4096) Layer fc6;
        @ReLU(inplace = true)                    Layer relu6;
        @Dropout                                 Layer drop7;
        @Linear(out = 4096)                      Layer fc7;
        @ReLU(inplace = true)                    Layer relu7;
        @Linear(out = 1000)                      Layer fc8;
    }
}
