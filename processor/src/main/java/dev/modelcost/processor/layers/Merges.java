package dev.modelcost.processor.layers;

import dev.modelcost.processor.diag.Diagnostic;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
            boolean broadcast = fits;
            for (int i = 0; fits && i < shape.rank(); i++) {
                fits = i == d || shape.dim(i) == first.dim(i);
                broadcast &= i == d || shape.dim(i) == first.dim(i) || shape.dim(i) == 1 || first.dim(i) == 1;
            }
            if (!fits) {
                // torch.cat broadcasts nothing: an axis of 1 against a longer one wants x.expand first (DeepSeek-V2's k_pe)
                throw mismatch(a, in, "all dimensions but dim " + a.number("dim") + " must agree" + (broadcast
                        ? "; torch.cat broadcasts no axis of 1: expand it first with @Expand" : ""));
            }
            total += shape.dim(d);
        }
        // Token ids with values: torch.cat promotes the ids to the values' dtype, and the result is values.
        boolean ids = in.shapes().stream().allMatch(Shape::ids);
        Shape out = first.withDim(d, Checks.fit(total));
        // Ids whose largest each input knows (positions from aranges) keep the largest of them.
        long bound = ids && in.shapes().stream().allMatch(s -> s.idBound() > 0) ? in.shapes().stream().mapToLong(Shape::idBound).max().orElse(0) : 0;
        return new LayerResult(new Shape(out.dims(), out.axes(), ids, bound, in.shapes().stream().anyMatch(Shape::batched)), Costs.ZERO);
    }

    private static LayerResult elementwise(Attrs a, Inputs in) {
        Shape out = broadcast(a, in);
        if (a.flags().getOrDefault("inplace", false) && (!out.dims().equals(in.shape(0).dims()) || !in.shape(0).batched())) {
            // x += y writes into x: PyTorch refuses a result that does not fit x
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "inplace", a.kind(), "inplace", true,
                    "false: the result " + out.describe() + " does not fit the first input, " + in.source(0) + " of " + in.shape(0).describe()
                    + ", which an in-place " + a.kind() + " writes into");
        }
        long ops = Math.multiplyExact(in.count() - 1L, in.batchElements(out));
        return new LayerResult(out, Costs.otherOps(ops));
    }

    /**
     * The broadcast shape; the axis names are those of the input of the highest rank. Activations
     * of different rank are refused: PyTorch would line the batch of the smaller up with an axis
     * of the larger. A learned tensor, which has no batch, broadcasts from the right.
     */
    private static Shape broadcast(Attrs a, Inputs in) {
        alignedOnTheBatch(a, in);
        Shape out = Shape.broadcast(in.shapes());
        if (out == null) {
            throw mismatch(a, in, "each dimension must be equal or 1");
        }
        return out;
    }

    /**
     * Refuses inputs whose batch PyTorch would line up with another input's axis: activations of
     * different rank, or a learned tensor of higher rank than the activations.
     */
    static void alignedOnTheBatch(Attrs a, Inputs in) {
        int rank = -1;
        for (Shape shape : in.shapes()) {
            if (shape.batched()) {
                if (rank >= 0 && shape.rank() != rank) {
                    throw mismatch(a, in, "activations of different rank: PyTorch lines the batch of one up with an axis of the other;"
                            + " reshape one so that both have the same axes");
                }
                rank = shape.rank();
            }
        }
        for (Shape shape : in.shapes()) {
            if (rank >= 0 && !shape.batched() && shape.rank() > rank) {
                throw mismatch(a, in, "a learned tensor of more axes than the activation, which PyTorch lines up with the batch;"
                        + " give the learned tensor without a batch axis");
            }
        }
    }

    /** MC307 for the inputs {@code in} that break {@code rule}: each input named once, with how often it is given where more than once. */
    static LayerFailure mismatch(Attrs a, Inputs in, String rule) {
        Map<String, Long> given = IntStream.range(0, in.count())
                .mapToObj(i -> in.source(i) + " " + in.shape(i))
                .collect(Collectors.groupingBy(described -> described, LinkedHashMap::new, Collectors.counting()));
        String described = given.entrySet().stream()
                .map(input -> input.getValue() == 1 ? input.getKey() : input.getKey() + " (given " + input.getValue() + " times)")
                .collect(Collectors.joining(" and "));
        return new LayerFailure(Diagnostic.MERGE_SHAPES, null, a.kind(), described + " (" + rule + ")");
    }
}
