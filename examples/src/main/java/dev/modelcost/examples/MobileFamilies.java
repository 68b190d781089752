package dev.modelcost.examples;

import java.util.List;

/** Example models of the mobile families (MobileNet, MnasNet, EfficientNet), with the figures of their generated classes. */
final class MobileFamilies {
    private MobileFamilies() {}

    /** The models, in table order. */
    static final List<ExampleModels.Entry> ALL = List.of(
            new ExampleModels.Entry("mobilenet_v2", MobileNetV2Cost.INPUT_SHAPE, MobileNetV2Cost.OUTPUT_SHAPE, MobileNetV2Cost.PARAMS, MobileNetV2Cost.BUFFERS, MobileNetV2Cost.MACS, MobileNetV2Cost.FLOPS),
            new ExampleModels.Entry("mobilenet_v3_large", MobileNetV3LargeCost.INPUT_SHAPE, MobileNetV3LargeCost.OUTPUT_SHAPE, MobileNetV3LargeCost.PARAMS, MobileNetV3LargeCost.BUFFERS, MobileNetV3LargeCost.MACS, MobileNetV3LargeCost.FLOPS),
            new ExampleModels.Entry("efficientnet_b0", EfficientNetB0Cost.INPUT_SHAPE, EfficientNetB0Cost.OUTPUT_SHAPE, EfficientNetB0Cost.PARAMS, EfficientNetB0Cost.BUFFERS, EfficientNetB0Cost.MACS, EfficientNetB0Cost.FLOPS),
            new ExampleModels.Entry("mnasnet1_0", MnasNet1_0Cost.INPUT_SHAPE, MnasNet1_0Cost.OUTPUT_SHAPE, MnasNet1_0Cost.PARAMS, MnasNet1_0Cost.BUFFERS, MnasNet1_0Cost.MACS, MnasNet1_0Cost.FLOPS));
}
