package dev.modelcost.examples;

import java.util.List;

/** Example models of the branching families (Inception, SqueezeNet, ShuffleNet, DenseNet, ResNeXt), with the figures of their generated classes. */
final class BranchFamilies {
    private BranchFamilies() {}

    /** The models, in table order. */
    static final List<ExampleModels.Entry> ALL = List.of(
            new ExampleModels.Entry("squeezenet1_0", SqueezeNet1_0Cost.INPUT_SHAPE, SqueezeNet1_0Cost.OUTPUT_SHAPE, SqueezeNet1_0Cost.PARAMS, SqueezeNet1_0Cost.BUFFERS, SqueezeNet1_0Cost.MACS, SqueezeNet1_0Cost.FLOPS),
            new ExampleModels.Entry("shufflenet_v2_x1_0", ShuffleNetV2X1_0Cost.INPUT_SHAPE, ShuffleNetV2X1_0Cost.OUTPUT_SHAPE, ShuffleNetV2X1_0Cost.PARAMS, ShuffleNetV2X1_0Cost.BUFFERS, ShuffleNetV2X1_0Cost.MACS, ShuffleNetV2X1_0Cost.FLOPS),
            new ExampleModels.Entry("densenet121", DenseNet121Cost.INPUT_SHAPE, DenseNet121Cost.OUTPUT_SHAPE, DenseNet121Cost.PARAMS, DenseNet121Cost.BUFFERS, DenseNet121Cost.MACS, DenseNet121Cost.FLOPS),
            new ExampleModels.Entry("googlenet", GoogLeNetCost.INPUT_SHAPE, GoogLeNetCost.OUTPUT_SHAPE, GoogLeNetCost.PARAMS, GoogLeNetCost.BUFFERS, GoogLeNetCost.MACS, GoogLeNetCost.FLOPS),
            new ExampleModels.Entry("inception_v3", InceptionV3Cost.INPUT_SHAPE, InceptionV3Cost.OUTPUT_SHAPE, InceptionV3Cost.PARAMS, InceptionV3Cost.BUFFERS, InceptionV3Cost.MACS, InceptionV3Cost.FLOPS),
            new ExampleModels.Entry("resnext50_32x4d", ResNeXt50Cost.INPUT_SHAPE, ResNeXt50Cost.OUTPUT_SHAPE, ResNeXt50Cost.PARAMS, ResNeXt50Cost.BUFFERS, ResNeXt50Cost.MACS, ResNeXt50Cost.FLOPS));
}
