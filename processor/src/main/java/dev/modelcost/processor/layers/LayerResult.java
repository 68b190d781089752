package dev.modelcost.processor.layers;

import java.util.List;

/**
 * What a layer's formula gives: its output shape, its costs, and the shape of its weight matrix
 * where another layer may share it (a tied LM head).
 *
 * @param output the output shape without the batch
 * @param cost the layer's costs for the whole batch
 * @param weight the rows and columns of its weight ({@code Embedding}: num x dim; {@code Linear}: out x in), or empty
 */
public record LayerResult(Shape output, Costs cost, List<Integer> weight) {

    /** Copies the weight shape. */
    public LayerResult {
        weight = List.copyOf(weight);
    }

    /** A result without a weight to share. */
    public LayerResult(Shape output, Costs cost) {
        this(output, cost, List.of());
    }
}
