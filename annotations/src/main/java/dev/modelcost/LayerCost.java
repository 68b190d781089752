package dev.modelcost;

import java.util.List;
import java.util.Objects;

/**
 * The shape and costs of one leaf of a model, as listed in a generated {@code <Model>Cost.LAYERS}.
 *
 * @param path the dotted path, following PyTorch's module names where the architecture has them
 * @param kind the layer kind, e.g. {@code Conv2d}
 * @param outputShape the output shape without the batch dimension
 * @param macs multiply-accumulates
 * @param flops floating-point operations, by the conventions of the generated class
 * @param params learnable parameters
 * @param buffers non-learnable state
 * @param otherOps element-wise operations outside {@code flops} (norms, activations, pooling, merges)
 */
public record LayerCost(
        String path,
        String kind,
        List<Integer> outputShape,
        long macs,
        long flops,
        long params,
        long buffers,
        long otherOps) {

    /** Checks the fields and makes the shape immutable. */
    public LayerCost {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        outputShape = List.copyOf(outputShape);
    }

    /** The output shape written as PyTorch prints it with the given batch, e.g. {@code 1x64x56x56}. */
    public String outputShape(int batch) {
        StringBuilder text = new StringBuilder().append(batch);
        for (int dim : outputShape) {
            text.append('x').append(dim);
        }
        return text.toString();
    }
}
