package dev.modelcost.processor.memory;

import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.layers.Figure;

/**
 * A model's peak of live activation memory in one forward pass.
 *
 * @param bytes the most bytes of activations alive at once, the model's inputs included
 * @param inputs the bytes of the model's inputs, which the caller holds throughout
 * @param at the path of the layer running at that moment
 */
public record Peak(long bytes, long inputs, String at) {
    /** The model's buffers (BatchNorm's running statistics) in bytes, at its activation dtype, as {@code module.half()} casts them. */
    public long bufferBytes(ModelCosts costs) {
        return costs.spec().conventions().activations().bytes(costs.totals().buffers());
    }

    /**
     * The memory inference needs: the weights at their dtypes, the buffers, this activation peak,
     * and the KV cache a decoder keeps at the model's sequence length.
     */
    public long inference(ModelCosts costs) {
        return Math.addExact(Math.addExact(costs.totals().get(Figure.WEIGHT_BYTES), bufferBytes(costs)),
                Math.addExact(bytes, costs.totals().get(Figure.KV_CACHE_BYTES)));
    }
}
