package dev.modelcost.examples;

import dev.modelcost.Args;
import dev.modelcost.Model;
import dev.modelcost.Roofline;
import dev.modelcost.Training;

/** ResNet-50 as torchvision defines it ({@code torchvision.models.resnet50}): the {@link ResNets} family with bottlenecks, 3, 4, 6, 3. */
@Model(input = {3, 224, 224}, sizes = {"H", "W"})
@Roofline(hardware = {"h100-sxm", "jetson-agx-orin-64gb"})
@Training(batch = 32, optimizer = "Adam", mixedPrecision = true)
public class ResNet50 {
    @Args(value = "bottleneck = 1, layers = [3, 4, 6, 3]", inPlace = true) ResNets.ResNet resnet;
}
