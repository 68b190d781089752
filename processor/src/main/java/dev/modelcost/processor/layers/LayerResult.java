package dev.modelcost.processor.layers;

/**
 * What a layer's formula gives: its output shape and its costs.
 *
 * @param output the output shape without the batch
 * @param cost the layer's costs for the whole batch
 */
public record LayerResult(Shape output, Costs cost) {}
