package dev.modelcost.processor.layers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a layer's formula gives: its output shape, its costs, the shape of its weight matrix
 * where another layer may share it (a tied LM head), and the names and shapes of its parameter
 * tensors where the formula states them.
 *
 * @param output the output shape without the batch
 * @param cost the layer's costs for the whole batch
 * @param weight the rows and columns of its weight ({@code Embedding}: num x dim; {@code Linear}: out x in), or empty
 * @param parameters PyTorch's {@code named_parameters()} of the layer, name to shape, in its order;
 *     empty where the formula does not name them
 */
public record LayerResult(Shape output, Costs cost, List<Integer> weight, Map<String, List<Integer>> parameters) {

    /** Copies the weight shape and the parameters. */
    public LayerResult {
        weight = List.copyOf(weight);
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** A result with a weight to share and no named parameters. */
    public LayerResult(Shape output, Costs cost, List<Integer> weight) {
        this(output, cost, weight, Map.of());
    }

    /** A result without a weight to share. */
    public LayerResult(Shape output, Costs cost) {
        this(output, cost, List.of());
    }
}
