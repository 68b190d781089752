package dev.modelcost.examples;

import dev.modelcost.Args;
import dev.modelcost.Model;
import dev.modelcost.Training;

/** ResNet-18 as torchvision defines it ({@code torchvision.models.resnet18}): the {@link ResNets} family with basic blocks, 2, 2, 2, 2. */
@Model(input = {3, 224, 224})
@Training(optimizer = "SGD", momentum = 0.9)
public class ResNet18 {
    @Args(value = "bottleneck = 0, layers = [2, 2, 2, 2]", inPlace = true) ResNets.ResNet resnet;
}
