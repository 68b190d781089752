package dev.modelcost.processor.layers;

/**
 * What a layer receives: its input shape, a description of what produced it for messages, and the
 * batch size.
 *
 * @param shape the input shape without the batch
 * @param source what produced it, e.g. {@code the previous layer (layer1.1.relu)}
 * @param batch the batch size
 */
public record LayerInput(Shape shape, String source, long batch) {

    /** Elements of a shape over the whole batch. */
    public long batchElements(Shape shape) {
        return Math.multiplyExact(batch, shape.elements());
    }
}
