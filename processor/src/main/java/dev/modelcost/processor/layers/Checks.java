package dev.modelcost.processor.layers;

import dev.modelcost.processor.diag.Diagnostic;
import java.util.List;

/** Input checks and cost rules that several operation kinds share. */
final class Checks {
    private Checks() {}

    /** The input, which must have the {@code C,H,W} layout. */
    static Shape image(Attrs a, Inputs in) {
        Shape x = in.shape();
        if (!x.isImage()) {
            // Axes named otherwise than C, H and W (c,h,w: names are case-sensitive) may be laid out channels first already.
            boolean permuted = new java.util.HashSet<>(x.axes()).equals(new java.util.HashSet<>(Shape.IMAGE));
            // A reshape or unflatten without a layout names its new axes by position: d1, d2, d3.
            boolean positional = x.axes().stream().anyMatch(axis -> axis.matches("d\\d+"));
            throw new LayerFailure(Diagnostic.INPUT_RANK_MISMATCH, null, a.kind(), "a C,H,W", in.source(), x.describe(),
                    x.rank() != 3 ? "" : permuted ? "permute it to C,H,W first" : positional ? "where it is laid out channels first, give the "
                            + "reshape that made it the layout: layout = \"C,H,W\" beside its shape; else permute it to C,H,W first"
                            : "where it is laid out channels first, name its axes C,H,W (axis names are case-sensitive); else permute it to C,H,W first");
        }
        return x;
    }

    /**
     * The input of an {@code n}-D spatial layer: channels first, then {@code n} spatial axes
     * (rank {@code n + 1}: {@code C,L}, {@code C,H,W}, {@code C,D,H,W}); any axis names, as PyTorch
     * reads the dimensions by position.
     */
    static Shape channelsFirst(Attrs a, Inputs in, int n) {
        Shape x = in.shape();
        if (x.rank() != n + 1) {
            String layout = n == 1 ? "C,L" : n == 2 ? "C,H,W" : "C,D,H,W";
            throw new LayerFailure(Diagnostic.INPUT_RANK_MISMATCH, null, a.kind(), "a channels-first " + layout, in.source(), x.describe(),
                    x.rank() == n ? "a layer of " + (n - 1) + " spatial axes may be meant, or the channels axis is missing" : "");
        }
        return x;
    }

    /** The spatial dimensions of a channels-first input (every axis but the first). */
    static List<Integer> spatial(Shape x) {
        return x.dims().subList(1, x.rank());
    }

    /** The values a batch norm normalises per channel, the batch times its input's positions, written out for messages: {@code 1 x 1 x 1}. */
    static String valuesPerChannelText(long batch, Shape x) {
        return batch + spatial(x).stream().map(d -> " x " + d).collect(java.util.stream.Collectors.joining());
    }

    /** The groups attribute, which must divide both the input channels and {@code cout}. */
    static int groups(Attrs a, int cin, int cout) {
        int groups = a.atLeast("groups", 1);
        if (cin % groups != 0) {
            throw new LayerFailure(Diagnostic.GROUPS_NOT_DIVIDING, "groups", a.kind(), "groups", groups, "the input channels", cin);
        }
        if (cout % groups != 0) {
            throw new LayerFailure(Diagnostic.GROUPS_NOT_DIVIDING, "groups", a.kind(), "groups", groups, "cout", cout);
        }
        return groups;
    }

    /** A probability attribute (a dropout rate), which PyTorch checks is in {@code [0, 1]}; {@code refusal} is its message. */
    static void probability(Attrs a, String name, String refusal) {
        rate(a, name, "as PyTorch requires (\"" + refusal + "\")");
    }

    /** A rate attribute, refused outside {@code [0, 1]}; {@code why} follows "must be from 0 to 1". */
    static void rate(Attrs a, String name, String why) {
        double p = a.decimal(name);
        if (!(p >= 0 && p <= 1)) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, name, a.kind(), name, a.text(name), "from 0 to 1, " + why).atAnySize();
        }
    }

    /** The input, which must have the given rank; {@code what} describes it, e.g. {@code "an L,D"}. */
    static Shape rank(Attrs a, Inputs in, int index, int rank, String what) {
        Shape x = in.shape(index);
        if (x.rank() != rank) {
            throw new LayerFailure(Diagnostic.INPUT_RANK_MISMATCH, null, a.kind(), what, in.source(index), x.describe(), "");
        }
        return x;
    }

    /** A size the user may write to have it checked ({@code cin = 64}), against the one inferred; one that is given is at least 1. */
    static void declared(Attrs a, String name, int actual, Inputs in, String unit) {
        if (a.given(name) && a.atLeast(name, 1) != actual) {
            throw new LayerFailure(Diagnostic.CHANNEL_MISMATCH, name, a.kind(), name, a.number(name), in.source(), actual, unit, name);
        }
    }

    /** A PyTorch dimension index (the batch is 0; negative counts from the end) as an index into a shape without the batch. */
    static int dim(Attrs a, String name, long dim, Shape x) {
        int full = x.rank() + 1;
        long d = dim < 0 ? dim + full : dim;
        if (d < 1 || d >= full) {
            String valid = "1 to " + (full - 1) + " or -1 to -" + (full - 1);
            // A recurrent state's dimensions count the batch as 0 here too: PyTorch's (num_layers · directions, N, H) is (N, that, H).
            String state = x.batchSecond() ? "; in a recurrent layer's state (h_n, c_n) the batch is dimension 0 here as everywhere, so "
                    + "PyTorch's dimension 0 of h_n, its num_layers · directions, is dimension 1 here (h_n.mean(0) is dim = 1; "
                    + "h_n.transpose(0, 1) is the tensor as written here, batch first)"
                    // A tensor without a batch (a @Parameter's) has its dimensions counted as every tensor's.
                    : d == 0 && !x.batched() ? "; this input has no batch (a @Parameter, a @Buffer, an @Arange, or what is computed from "
                    + "them alone), yet its dimensions are counted here as every tensor's, from 1 after the batch's 0: PyTorch's dimension 0 "
                    + "of it is dimension 1 here (pos[:L] of a parameter pos is dim = 1)" : "";
            throw new LayerFailure(Diagnostic.DIM_RANGE, name, a.kind(), name, dim, d == 0 ? "is the batch, which every operation keeps, of"
                    : "does not fit", full, (d == 0 ? "name one of the other dimensions, " + valid : "valid dimensions are " + valid) + state);
        }
        return (int) d - 1;
    }

    /** A weighted layer's or matrix product's costs: K MACs and 2K − 1 (+1 with bias) FLOPs per output. */
    static Costs weighted(long outputs, long k, boolean bias, long params) {
        long macs = Math.multiplyExact(outputs, k);
        long flopsPerOutput = Math.addExact(Math.multiplyExact(2, k) - 1, bias ? 1 : 0);
        return Costs.of(Figure.MACS, macs).with(Figure.FLOPS, Math.multiplyExact(outputs, flopsPerOutput)).with(Figure.PARAMS, params);
    }

    /** A product of two activations: as {@link #weighted} without bias or parameters, also counted as {@link Figure#MATMUL_MACS}. */
    static Costs matmul(long outputs, long k) {
        Costs costs = weighted(outputs, k, false, 0);
        return costs.with(Figure.MATMUL_MACS, costs.macs());
    }

    /** An int dimension from a long, or {@link ArithmeticException}. */
    static int fit(long size) {
        return Window.size(size);
    }

    /** The product of some sizes, or {@link ArithmeticException} beyond a long. */
    static long product(long... sizes) {
        long count = 1;
        for (long size : sizes) {
            count = Math.multiplyExact(count, size);
        }
        return count;
    }

    /** The product of some dimensions. */
    static long product(List<Integer> dims) {
        long count = 1;
        for (int dim : dims) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }
}
