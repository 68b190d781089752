package dev.modelcost.processor.analysis;

import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.expr.ExprException;
import dev.modelcost.processor.expr.Scope;
import dev.modelcost.processor.layers.Attrs;
import dev.modelcost.processor.layers.Inputs;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.spec.Operation.OpStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A layer as one analysis ran it, run again by its own rule with other values of the attributes that read a size and other sizes
 * of its inputs: whether the layer exists there. Several values together decide that (a window's {@code dilation·(k − 1) + 1}
 * against its padded input), which no one value or pair of them shows.
 */
public final class LayerReplay {
    private final OpStep op;
    private final Attrs attrs;
    /** What the layer received in the analysis: its inputs' shapes, what produced each, the batch. */
    private final Inputs given;
    private final String path;

    LayerReplay(OpStep op, Attrs attrs, Inputs given, String path) {
        this.op = op;
        this.attrs = attrs;
        this.given = given;
        this.path = path;
    }

    /** The names of the layer's attributes as written. */
    public java.util.Set<String> attributes() {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        op.attrs().forEach(attr -> names.add(attr.name()));
        return names;
    }

    /**
     * The layer as written, the attributes the analysis gave it and its inputs' shapes: two replays of one key, given the same
     * values, run alike (a block's layer at each of its uses).
     */
    public List<Object> key() {
        return List.of(op, attrs, given.shapes());
    }

    /** Whether {@code other} is this layer as written given the same attributes (its inputs' shapes may differ). */
    public boolean sameAttributes(LayerReplay other) {
        return op.equals(other.op) && attrs.equals(other.attrs);
    }

    /** How many inputs the layer received. */
    public int inputs() {
        return given.count();
    }

    /** The number of axes of input {@code t}. */
    public int rank(int t) {
        return given.shapes().get(t).rank();
    }

    /**
     * Whether the layer's rule takes its attributes named in {@code scopes}, each evaluated in its scope, the others as the analysis
     * gave them, and inputs whose axes have the sizes {@code sizes} gives (by input and axis; the analysis's where it gives null).
     * False where an attribute cannot be evaluated, the rule refuses the layer, or a count passes 64 bits, as the processor would
     * refuse it at that size.
     */
    public boolean runs(Map<String, Scope> scopes, java.util.function.BiFunction<Integer, Integer, Long> sizes) {
        try {
            Attrs again = Evaluation.reevaluated(op, attrs, scopes);
            List<Shape> shapes = new ArrayList<>();
            for (int t = 0; t < given.count(); t++) {
                Shape shape = given.shapes().get(t);
                for (int i = 0; i < shape.rank(); i++) {
                    Long size = sizes.apply(t, i);
                    if (size != null && size != shape.dim(i)) {
                        if (size < 1 || size > Integer.MAX_VALUE) {
                            return false;
                        }
                        shape = shape.withDim(i, (int) (long) size);
                    }
                }
                shapes.add(shape);
            }
            Leaves.run(op, again, new Inputs(shapes, given.sources(), given.batch(), given.conventions()), path);
            return true;
        } catch (Problem | ExprException | ArithmeticException e) {
            return false;
        } catch (RuntimeException e) {
            // Whatever else the rule throws at values no analysis gave it, the size is checked as one where the layer stops existing:
            // the model is analysed there.
            return false;
        }
    }
}
