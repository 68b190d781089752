package dev.modelcost.processor.layers;

import dev.modelcost.Add;
import dev.modelcost.Concat;
import dev.modelcost.Mul;
import dev.modelcost.processor.diag.Diagnostic;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The ways branches join: element-wise sum and product with PyTorch's broadcasting, and channel
 * concatenation. A sum or product of n inputs costs n − 1 operations per output element
 * ({@code otherOps}); a concatenation costs nothing.
 */
public enum Merge {
    ADD(Add.class),
    MUL(Mul.class),
    CONCAT(Concat.class);

    private final Class<? extends Annotation> annotation;

    Merge(Class<? extends Annotation> annotation) {
        this.annotation = annotation;
    }

    /** The merge of an annotation's qualified name, or null. */
    public static Merge forAnnotation(String qualifiedName) {
        for (Merge merge : values()) {
            if (merge.annotation.getCanonicalName().equals(qualifiedName)) {
                return merge;
            }
        }
        return null;
    }

    /** The annotation's simple name, e.g. {@code Add}. */
    public String kind() {
        return annotation.getSimpleName();
    }

    /**
     * The merged shape and its cost; {@code names} describe the inputs for messages. Throws
     * {@link LayerFailure} when the shapes cannot be combined.
     */
    public LayerResult apply(List<Shape> inputs, List<String> names, long batch) {
        Shape out = this == CONCAT ? concat(inputs, names) : broadcast(inputs, names);
        long ops = this == CONCAT ? 0 : Math.multiplyExact(inputs.size() - 1L, Math.multiplyExact(batch, out.elements()));
        return new LayerResult(out, Totals.otherOps(ops));
    }

    private Shape concat(List<Shape> inputs, List<String> names) {
        Shape first = inputs.get(0);
        long channels = 0;
        for (Shape shape : inputs) {
            if (shape.rank() != first.rank() || !shape.dims().subList(1, shape.rank()).equals(first.dims().subList(1, first.rank()))) {
                throw mismatch(inputs, names, "all dimensions but the channels must agree");
            }
            channels += shape.channels();
        }
        if (channels > Integer.MAX_VALUE) {
            throw new ArithmeticException("channels");
        }
        return first.withChannels((int) channels);
    }

    private Shape broadcast(List<Shape> inputs, List<String> names) {
        int rank = inputs.stream().mapToInt(Shape::rank).max().orElseThrow();
        int[] out = new int[rank];
        java.util.Arrays.fill(out, 1);
        for (Shape shape : inputs) {
            int offset = rank - shape.rank();
            for (int i = 0; i < shape.rank(); i++) {
                int dim = shape.dim(i);
                int have = out[offset + i];
                if (have != dim && have != 1 && dim != 1) {
                    throw mismatch(inputs, names, "each dimension must be equal or 1");
                }
                out[offset + i] = Math.max(have, dim);
            }
        }
        return Shape.of(out);
    }

    private LayerFailure mismatch(List<Shape> inputs, List<String> names, String rule) {
        String described = java.util.stream.IntStream.range(0, inputs.size())
                .mapToObj(i -> names.get(i) + " " + inputs.get(i))
                .collect(Collectors.joining(" and "));
        return new LayerFailure(Diagnostic.MERGE_SHAPES, null, kind(), described + " (" + rule + ")");
    }
}
