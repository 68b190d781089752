package dev.modelcost.processor.layers;

import dev.modelcost.processor.diag.Diagnostic;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Formulas of reductions over some axes ({@code torch.mean}, {@code torch.sum}, {@code torch.amax}): the axes in {@code dim}
 * dropped, or kept at 1 under {@code keepdim}. Other ops: a mean one per input element (n − 1 additions and a division for each
 * output of n, as adaptive average pooling counts a window), a sum or a maximum n − 1 for each output of n.
 */
final class Reductions {
    private Reductions() {}

    static LayerResult mean(Attrs a, Inputs in) {
        Shape out = reduced(a, in.shape());
        return new LayerResult(out, Costs.otherOps(in.batchElements(in.shape())));
    }

    /** A sum's or a maximum's: n − 1 operations for each output of n, the input's elements less the output's. */
    static LayerResult lessOnePerOutput(Attrs a, Inputs in) {
        Shape out = reduced(a, in.shape());
        return new LayerResult(out, Costs.otherOps(Math.subtractExact(in.batchElements(in.shape()), in.batchElements(out))));
    }

    /** The shape without the axes of {@code dim} (PyTorch's indices, the batch 0), or with each at 1 under {@code keepdim}. */
    private static Shape reduced(Attrs a, Shape x) {
        List<Long> dims = a.list("dim");
        if (dims.isEmpty()) {
            throw new LayerFailure(Diagnostic.MISSING_ATTRIBUTE, null, a.kind(), "dim, the axes to reduce (torch." + a.kind().toLowerCase(
                    java.util.Locale.ROOT) + " over every axis would reduce the batch too, which every operation keeps here)");
        }
        TreeSet<Integer> axes = new TreeSet<>();
        for (long dim : dims) {
            int d = Checks.dim(a, "dim", dim, x);
            if (!axes.add(d)) {
                throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "dim", a.kind(), "dim", dims, "a list of distinct dimensions: dimension "
                        + (d + 1) + " appears twice, which PyTorch refuses");
            }
        }
        boolean keep = a.flag("keepdim");
        if (!keep && axes.size() == x.rank()) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "dim", a.kind(), "dim", dims, "a list that leaves an axis besides the batch "
                    + "(reducing every one would leave a number per sample, which no layer here takes): keep them (keepdim = true) or reduce fewer");
        }
        List<Integer> sizes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            if (!axes.contains(i)) {
                sizes.add(x.dim(i));
                names.add(x.axis(i));
            } else if (keep) {
                sizes.add(1);
                names.add(x.axis(i));
            }
        }
        return new Shape(sizes, names, false, 0, x.batched());
    }
}
