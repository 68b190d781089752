package dev.modelcost.processor.spec;

import dev.modelcost.processor.layers.Conventions;
import dev.modelcost.processor.layers.Shape;
import java.util.List;

/**
 * A validated {@code @Model}: its network, inputs, batch, budget and the name of its cost class.
 *
 * @param network the network
 * @param inputs the input shapes without the batch, in the order of {@code network.inputs()}
 * @param batch the batch size
 * @param budget the bounds written in {@code @Budget}
 * @param costClass the simple name of the class to generate
 * @param output the step whose output is the model's output, or null for the last step
 * @param conventions how causal attention and the KV cache are counted
 * @param roofline the hardware profiles of the roofline and its latency bound
 * @param training the training step of {@code @Training}, or null
 */
public record ModelSpec(NetworkSpec network, List<Shape> inputs, int batch, List<BudgetLimit> budget, String costClass, String output,
        Conventions conventions, RooflineSpec roofline, TrainingSpec training) {

    /** Copies the lists. */
    public ModelSpec {
        inputs = List.copyOf(inputs);
        budget = List.copyOf(budget);
    }

    /** The first (usually the only) input shape. */
    public Shape input() {
        return inputs.get(0);
    }

    /** Every input with the batch, as PyTorch prints shapes, joined by {@code ", "}: {@code 1x3x224x224}. */
    public String inputShapes() {
        return String.join(", ", inputs.stream().map(shape -> batch + "x" + shape).toList());
    }
}
