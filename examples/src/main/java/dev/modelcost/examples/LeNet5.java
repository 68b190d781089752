package dev.modelcost.examples;

import dev.modelcost.Budget;
import dev.modelcost.Conv2d;
import dev.modelcost.Flatten;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.MaxPool2d;
import dev.modelcost.Model;
import dev.modelcost.ReLU;
import dev.modelcost.Roofline;

/** LeNet-5 as commonly written in PyTorch: two 5x5 convolutions with max pooling, then three linear layers. */
@Model(input = {1, 32, 32})
@Budget(maxMacs = 500_000, maxParams = 70_000)
@Roofline(hardware = {"jetson-agx-orin-64gb", "xeon-platinum-8480-plus"})
public class LeNet5 {
    @Conv2d(cout = 6, k = 5)      Layer conv1;
    @ReLU                         Layer relu1;
    @MaxPool2d(k = 2)             Layer pool1;
    @Conv2d(cout = 16, k = 5)     Layer conv2;
    @ReLU                         Layer relu2;
    @MaxPool2d(k = 2)             Layer pool2;
    @Flatten                      Layer flatten;
    @Linear(out = 120)            Layer fc1;
    @ReLU                         Layer relu3;
    @Linear(out = 84)             Layer fc2;
    @ReLU                         Layer relu4;
    @Linear(out = 10)             Layer fc3;
}
