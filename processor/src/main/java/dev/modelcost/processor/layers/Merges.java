package dev.modelcost.processor.layers;

import dev.modelcost.processor.diag.Diagnostic;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Formulas of the operations that join several tensors: element-wise sum and product with
 * PyTorch's broadcasting (n − 1 other ops per output element for n inputs), and concatenation
 * along a dimension (free).
 */
final class Merges {
    private Merges() {}

    static LayerResult add(Attrs a, Inputs in) {
        return elementwise(a, in);
    }

    static LayerResult mul(Attrs a, Inputs in) {
        return elementwise(a, in);
    }

    /** {@code torch.cat(xs, dim)}; {@code dim} counts the batch as 0 and defaults to 1 (channels). */
    static LayerResult concat(Attrs a, Inputs in) {
        Shape first = in.shape(0);
        int d = Checks.dim(a, "dim", a.number("dim"), first);
        long total = 0;
        for (Shape shape : in.shapes()) {
            boolean fits = shape.rank() == first.rank();
            for (int i = 0; fits && i < shape.rank(); i++) {
                fits = i == d || shape.dim(i) == first.dim(i);
            }
            if (!fits) {
                throw mismatch(a, in, "all dimensions but dim " + a.number("dim") + " must agree");
            }
            total += shape.dim(d);
        }
        return new LayerResult(first.withDim(d, Checks.fit(total)).asValues(), Costs.ZERO);
    }

    private static LayerResult elementwise(Attrs a, Inputs in) {
        Shape out = broadcast(a, in);
        long ops = Math.multiplyExact(in.count() - 1L, in.batchElements(out));
        return new LayerResult(out, Costs.otherOps(ops));
    }

    /** The broadcast shape; the axis names are those of the input of the highest rank. */
    private static Shape broadcast(Attrs a, Inputs in) {
        Shape widest = in.shapes().stream().max((x, y) -> Integer.compare(x.rank(), y.rank())).orElseThrow();
        int rank = widest.rank();
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        for (Shape shape : in.shapes()) {
            int offset = rank - shape.rank();
            for (int i = 0; i < shape.rank(); i++) {
                int dim = shape.dim(i);
                int have = out[offset + i];
                if (have != dim && have != 1 && dim != 1) {
                    throw mismatch(a, in, "each dimension must be equal or 1");
                }
                out[offset + i] = Math.max(have, dim);
            }
        }
        List<Integer> dims = new ArrayList<>();
        for (int dim : out) {
            dims.add(dim);
        }
        return Shape.of(dims, widest.axes());
    }

    private static LayerFailure mismatch(Attrs a, Inputs in, String rule) {
        String described = IntStream.range(0, in.count())
                .mapToObj(i -> in.source(i) + " " + in.shape(i))
                .collect(Collectors.joining(" and "));
        return new LayerFailure(Diagnostic.MERGE_SHAPES, null, a.kind(), described + " (" + rule + ")");
    }
}
