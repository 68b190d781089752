package dev.modelcost.examples;

import java.util.List;

/** Every example model with the figures of its generated cost class. */
public final class ExampleModels {
    private ExampleModels() {}

    /**
     * One model's figures, as its generated class states them.
     *
     * @param name the model's name in the reference tables
     * @param input the input shape with the batch
     * @param output the output shape with the batch
     * @param params learnable parameters
     * @param buffers running statistics
     * @param macs multiply-accumulates
     * @param flops floating-point operations
     */
    public record Entry(String name, String input, String output, long params, long buffers, long macs, long flops) {}

    /** The examples, in the order the table lists them. */
    public static final List<Entry> ALL = concat(List.of(
            new Entry("lenet5", LeNet5Cost.INPUT_SHAPE, LeNet5Cost.OUTPUT_SHAPE, LeNet5Cost.PARAMS, LeNet5Cost.BUFFERS, LeNet5Cost.MACS, LeNet5Cost.FLOPS),
            new Entry("alexnet", AlexNetCost.INPUT_SHAPE, AlexNetCost.OUTPUT_SHAPE, AlexNetCost.PARAMS, AlexNetCost.BUFFERS, AlexNetCost.MACS, AlexNetCost.FLOPS),
            new Entry("vgg16", VGG16Cost.INPUT_SHAPE, VGG16Cost.OUTPUT_SHAPE, VGG16Cost.PARAMS, VGG16Cost.BUFFERS, VGG16Cost.MACS, VGG16Cost.FLOPS),
            new Entry("resnet18", ResNet18Cost.INPUT_SHAPE, ResNet18Cost.OUTPUT_SHAPE, ResNet18Cost.PARAMS, ResNet18Cost.BUFFERS, ResNet18Cost.MACS, ResNet18Cost.FLOPS),
            new Entry("resnet50", ResNet50Cost.INPUT_SHAPE, ResNet50Cost.OUTPUT_SHAPE, ResNet50Cost.PARAMS, ResNet50Cost.BUFFERS, ResNet50Cost.MACS, ResNet50Cost.FLOPS)),
            MobileFamilies.ALL, BranchFamilies.ALL);

    @SafeVarargs
    private static List<Entry> concat(List<Entry>... parts) {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
    }
}
