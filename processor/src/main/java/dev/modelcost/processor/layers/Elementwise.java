package dev.modelcost.processor.layers;

import dev.modelcost.processor.diag.Diagnostic;

/**
 * Formulas of the element-wise layers: activations (1 other op per element), scaling by a constant
 * (1 per element), softmax (5 per element: the running maximum, subtract it, exponentiate, sum,
 * divide) and log-softmax (5: the maximum, subtract, exponentiate, sum, subtract the log of the sum).
 */
final class Elementwise {
    private Elementwise() {}

    static LayerResult activation(Attrs a, Inputs in) {
        return perElement(in, 1);
    }

    /**
     * {@code x + c}: 1 op an element. On token ids an integral constant keeps them ids, their largest known moved up by it (OPT's
     * learned positions, offset by 2); any other constant makes them values, as PyTorch promotes {@code ids + 0.5} to floats.
     */
    static LayerResult addConstant(Attrs a, Inputs in) {
        Shape x = in.shape();
        if (!x.ids()) {
            return perElement(in, 1);
        }
        double c = a.decimal("value");
        boolean integral = !Double.isInfinite(c) && c == Math.rint(c) && Math.abs(c) < 1L << 53;
        long bound = integral && c >= 0 && x.idBound() > 0 ? Math.addExact(x.idBound(), (long) c) : 0;
        Shape out = integral ? new Shape(x.dims(), x.axes(), true, bound, x.batched(), x.idsInOrder())
                : new Shape(x.dims(), x.axes(), false, 0, x.batched());
        return new LayerResult(out, Costs.otherOps(in.batchElements(x)));
    }

    /** {@code nn.CELU}: {@code max(0, x) + min(0, alpha · (exp(x / alpha) − 1))}, which PyTorch refuses for an alpha of 0. */
    static LayerResult celu(Attrs a, Inputs in) {
        if (a.decimal("alpha") == 0) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "alpha", a.kind(), "alpha", a.text("alpha"),
                    "other than 0, as CELU divides by it (exp(x / alpha)) and PyTorch refuses it (\"alpha cannot be 0 for CELU\")");
        }
        return perElement(in, 1);
    }

    static LayerResult gelu(Attrs a, Inputs in) {
        a.choice("approximate", java.util.List.of("none", "tanh"));
        return perElement(in, 1);
    }

    /** {@code nn.GLU(dim)}: the halves along {@code dim}, one gating the other; refused on an axis of odd size, as PyTorch refuses it. */
    static LayerResult glu(Attrs a, Inputs in) {
        Shape x = in.shape();
        int d = Checks.dim(a, "dim", a.number("dim"), x);
        int n = x.dim(d);
        if (n % 2 != 0) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "dim", a.kind(), "dim", a.number("dim"), "an axis of even size, which GLU halves, not "
                    + "one of " + n);
        }
        Shape out = x.withDim(d, n / 2);
        return new LayerResult(out, Costs.otherOps(Math.multiplyExact(2, in.batchElements(out))));
    }

    static LayerResult softmax(Attrs a, Inputs in) {
        Checks.dim(a, "dim", a.number("dim"), in.shape());
        return perElement(in, 5);
    }

    /** {@code nn.PReLU}: one learned slope, or one per channel (the first axis without the batch). */
    static LayerResult prelu(Attrs a, Inputs in) {
        int slopes = a.atLeast("numParameters", 1);
        Shape x = in.shape();
        if (slopes != 1 && slopes != x.channels()) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "numParameters", a.kind(), "numParameters", slopes,
                    "1 or the input's channels (" + x.channels() + ", its first axis after the batch), as PyTorch broadcasts the slopes");
        }
        return new LayerResult(x, perElement(in, 1).cost().with(Figure.PARAMS, slopes));
    }

    /** {@code nn.Hardtanh}: PyTorch asserts {@code max_val > min_val}. */
    static LayerResult hardtanh(Attrs a, Inputs in) {
        if (!(a.decimal("maxVal") > a.decimal("minVal"))) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "maxVal", a.kind(), "maxVal", a.text("maxVal"),
                    "above minVal = " + a.text("minVal") + ", as PyTorch asserts");
        }
        return perElement(in, 1);
    }

    /** {@code nn.Dropout}: the identity at inference; PyTorch checks its rate. */
    static LayerResult dropout(Attrs a, Inputs in) {
        Checks.probability(a, "p", "dropout probability has to be between 0 and 1");
        return passThrough(a, in);
    }

    /**
     * {@code nn.Dropout1d}: the identity at inference, on an input of one or two axes besides the batch (two or three without one, a
     * {@code @Parameter}'s); PyTorch checks its rate, and its input's rank at inference too ({@code "dropout1d: Expected 2D or 3D input"}).
     */
    static LayerResult dropout1d(Attrs a, Inputs in) {
        Checks.probability(a, "p", "dropout probability has to be between 0 and 1");
        int rank = in.shape().torchRank();
        if (rank < 2 || rank > 3) {
            throw new LayerFailure(Diagnostic.INPUT_RANK_MISMATCH, null, a.kind(), in.shape().batched() ? "a C,L (or one-axis)"
                    : "a two- or three-axis (without the batch)", in.source(), in.shape().describe(),
                    "PyTorch's dropout1d expects a 2D or 3D input, the batch included; " + (rank > 3 ? "use @Dropout2d or @Dropout3d on a map"
                            : "use @Dropout to drop single values of a tensor of one dimension"));
        }
        return passThrough(a, in);
    }

    /** torchvision's {@code StochasticDepth}: the identity at inference; torchvision checks its rate and mode. */
    static LayerResult stochasticDepth(Attrs a, Inputs in) {
        Checks.probability(a, "p", "drop probability has to be between 0 and 1");
        a.choice("mode", java.util.List.of("batch", "row"));
        return passThrough(a, in);
    }

    static LayerResult passThrough(Attrs a, Inputs in) {
        return new LayerResult(in.shape(), Costs.ZERO);
    }

    private static LayerResult perElement(Inputs in, long ops) {
        return new LayerResult(in.shape(), Costs.otherOps(Math.multiplyExact(ops, in.batchElements(in.shape()))));
    }
}
