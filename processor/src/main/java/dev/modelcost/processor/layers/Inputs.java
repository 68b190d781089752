package dev.modelcost.processor.layers;

import java.util.List;

/**
 * What an operation receives: its input shapes in order, a description of what produced each
 * (for messages), and the batch size.
 *
 * @param shapes the input shapes without the batch
 * @param sources what produced each, e.g. {@code the previous layer (layer1.1.relu)}
 * @param batch the batch size
 * @param conventions the counting conventions of the model
 */
public record Inputs(List<Shape> shapes, List<String> sources, long batch, Conventions conventions) {

    /** Copies the lists. */
    public Inputs {
        shapes = List.copyOf(shapes);
        sources = List.copyOf(sources);
    }

    /** Inputs under the default conventions. */
    public Inputs(List<Shape> shapes, List<String> sources, long batch) {
        this(shapes, sources, batch, Conventions.DEFAULT);
    }

    /** A single input. */
    public static Inputs of(Shape shape, String source, long batch) {
        return new Inputs(List.of(shape), List.of(source), batch);
    }

    /** How many inputs. */
    public int count() {
        return shapes.size();
    }

    /** The first input's shape. */
    public Shape shape() {
        return shapes.get(0);
    }

    /** One input's shape. */
    public Shape shape(int index) {
        return shapes.get(index);
    }

    /** What produced the first input. */
    public String source() {
        return sources.get(0);
    }

    /** What produced one input. */
    public String source(int index) {
        return sources.get(index);
    }

    /**
     * Elements of a shape over the whole batch; once for a tensor without a batch (a layer applied to an {@code nn.Parameter} or a
     * buffer alone runs once, whatever the batch).
     */
    public long batchElements(Shape shape) {
        return shape.batched() ? Math.multiplyExact(batch, shape.elements()) : shape.elements();
    }
}
