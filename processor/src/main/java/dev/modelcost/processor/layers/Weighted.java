package dev.modelcost.processor.layers;

import dev.modelcost.processor.diag.Diagnostic;
import java.util.ArrayList;
import java.util.List;

/**
 * Formulas of the layers with weights: convolutions in 1 to 3 dimensions
 * ({@code K = C_in / groups · k_volume} per output element), transposed convolutions (each input
 * element times {@code C_out / groups · k_volume} weights) and {@code Linear}
 * ({@code K = in_features}, applied to the last axis of an input of any layout but {@code C,H,W}).
 */
final class Weighted {
    private Weighted() {}

    static LayerResult conv1d(Attrs a, Inputs in) {
        return conv(a, in, 1);
    }

    static LayerResult conv2d(Attrs a, Inputs in) {
        return conv(a, in, 2);
    }

    static LayerResult conv3d(Attrs a, Inputs in) {
        return conv(a, in, 3);
    }

    static LayerResult convTranspose1d(Attrs a, Inputs in) {
        return convTranspose(a, in, 1);
    }

    static LayerResult convTranspose2d(Attrs a, Inputs in) {
        return convTranspose(a, in, 2);
    }

    static LayerResult convTranspose3d(Attrs a, Inputs in) {
        return convTranspose(a, in, 3);
    }

    /** {@code nn.Conv1d/2d/3d}: PyTorch's output-size rule per axis; {@code K = C_in / groups · k_volume} MACs per output element. */
    private static LayerResult conv(Attrs a, Inputs in, int n) {
        Shape x = n == 2 ? Checks.image(a, in) : Checks.channelsFirst(a, in, n);
        int cout = a.required("cout");
        int cin = x.channels();
        Checks.declared(a, "cin", cin, in, "channels");
        int groups = Checks.groups(a, cin, cout);
        List<Window> windows = Window.conv(a, n);
        List<Integer> dims = new ArrayList<>(List.of(cout));
        for (int i = 0; i < n; i++) {
            dims.add(windows.get(i).convOutput(a, x.dim(i + 1)));
        }
        Shape out = x.reshaped(dims, x.axes());
        long k = Math.multiplyExact((long) (cin / groups), Window.volume(windows));
        boolean bias = a.flag("bias");
        long params = Math.addExact(Math.multiplyExact(cout, k), bias ? cout : 0);
        return new LayerResult(out, Checks.weighted(in.batchElements(out), k, bias, params));
    }

    /**
     * {@code nn.ConvTranspose1d/2d/3d}: output {@code (in − 1)·s − 2p + d(k − 1) + output_padding + 1}
     * per axis; every input element is multiplied by {@code C_out / groups · k_volume} weights, so
     * MACs are {@code in_elements · C_out / groups · k_volume}, products that fall in the cropped
     * padding included, as the GEMM computes them. FLOPs: {@code 2·MACs} less one per output element
     * that receives a product (its first product needs no add), plus the bias adds on every output.
     */
    private static LayerResult convTranspose(Attrs a, Inputs in, int n) {
        Shape x = Checks.channelsFirst(a, in, n);
        int cout = a.required("cout");
        int cin = x.channels();
        Checks.declared(a, "cin", cin, in, "channels");
        int groups = Checks.groups(a, cin, cout);
        List<Window> windows = Window.transposed(a, n);
        List<Integer> dims = new ArrayList<>(List.of(cout));
        long reached = Math.multiplyExact(in.batch(), cout);
        for (int i = 0; i < n; i++) {
            Window w = windows.get(i);
            int size = w.transposedOutput(a, x.dim(i + 1));
            dims.add(size);
            reached = Math.multiplyExact(reached, w.reached(x.dim(i + 1), size));
        }
        Shape out = x.reshaped(dims, x.axes());
        long perInput = Math.multiplyExact((long) (cout / groups), Window.volume(windows));
        long macs = Math.multiplyExact(in.batchElements(x), perInput);
        boolean bias = a.flag("bias");
        long outputs = in.batchElements(out);
        long flops = Math.addExact(Math.subtractExact(Math.multiplyExact(2, macs), reached), bias ? outputs : 0);
        long params = Math.addExact(Math.multiplyExact((long) cin, perInput), bias ? cout : 0);
        return new LayerResult(out, Costs.of(Figure.MACS, macs).with(Figure.FLOPS, flops).with(Figure.PARAMS, params));
    }

    /**
     * {@code nn.Linear}'s copy of its input where {@code torch.matmul} folds it with one ({@link Strides#linearCopies}: an input
     * of three axes or more whose leading axes do not step through memory as one, such as an {@code expand}ed one), held while it
     * runs.
     */
    static final OpKind.Scratch LINEAR_COPY = (a, in, out, b, dtype) -> dtype.bytes(Strides.linearCopies(in.get(0), a.flag("bias"), b));

    /** {@code nn.Linear} saves its input, or where it folds it with a copy, that copy ({@code MmBackward0}'s {@code self}). */
    static final Autograd LINEAR_SAVES = Autograd.INPUTS.copyingInputs(
            (a, in, index, b) -> index == 0 && Strides.linearCopies(in.get(0), a.flag("bias"), b) > 0 ? 1 : -1);

    static LayerResult linear(Attrs a, Inputs in) {
        Shape x = in.shape();
        if (x.isImage() || x.layout().equals("C,T,H,W")) {
            throw new LayerFailure(Diagnostic.INPUT_RANK_MISMATCH, null, a.kind(), "an F, L,D or channels-last",
                    in.source(), x.describe(), "add @Flatten before it, which gives " + x.elements() + " features, or permute the channels last");
        }
        int out = a.required("out");
        int features = x.last();
        Checks.declared(a, "inFeatures", features, in, "features");
        Shape result = x.withDim(x.rank() - 1, out);
        boolean bias = a.flag("bias");
        long params = Math.addExact(Math.multiplyExact((long) features, out), bias ? out : 0);
        return new LayerResult(result, Checks.weighted(in.batchElements(result), features, bias, params), List.of(out, features));
    }
}
