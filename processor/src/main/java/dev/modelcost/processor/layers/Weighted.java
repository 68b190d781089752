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
        paddedAxes(a, x, windows);
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

    /** PyTorch's padding modes of a convolution; each but {@code zeros} pads a copy of the input first ({@code F.pad}). */
    private static final List<String> PADDING_MODES = List.of("zeros", "reflect", "replicate", "circular");

    /**
     * The input's axes as a convolution in a padding mode other than {@code zeros} pads them with {@code F.pad}, channels first,
     * after checking that a reflection stays inside each axis and a circular padding wraps around at most once, as PyTorch
     * requires; in mode {@code zeros}, as an even window's SAME pads a copy ({@link #sameAsymmetric}), else null.
     */
    private static long[] paddedAxes(Attrs a, Shape x, List<Window> windows) {
        String mode = a.choice("paddingMode", PADDING_MODES);
        if (mode.equals("zeros")) {
            return sameAsymmetric(a, x, windows);
        }
        long[] dims = new long[windows.size() + 1];
        dims[0] = x.channels();
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            int size = x.dim(i + 1);
            long[] sides = w.sides();
            for (long side : sides) {
                String problem = switch (mode) {
                    case "reflect" -> side >= size ? "must be below the size in paddingMode reflect, as PyTorch's reflection stays inside the axis" : null;
                    case "circular" -> side > size ? "must be at most the size in paddingMode circular, as PyTorch's circular padding wraps around at most once" : null;
                    default -> null;
                };
                if (problem != null) {
                    // under SAME the side is the one PyTorch pads, not a number written
                    String named = w.same ? "padding = SAME's side" : w.attribute(a, "padding");
                    throw new LayerFailure(Diagnostic.PADDING_RANGE, w.attribute(a, "padding"), a.kind(), named, side,
                            x.axis(i + 1), size, problem, "pad less, or use paddingMode zeros or replicate");
                }
            }
            dims[i + 1] = size + sides[0] + sides[1];
            fitsCopy(a, w.attribute(a, "padding"), x, i, dims[i + 1], "pads in paddingMode " + mode);
        }
        return dims;
    }

    /** Refuses a padded copy of the input longer on its axis {@code i} than 32 bits hold, as an explicit padding layer's output. */
    private static void fitsCopy(Attrs a, String attribute, Shape x, int i, long size, String how) {
        if (size > Integer.MAX_VALUE) {
            throw new LayerFailure(Diagnostic.OVERFLOW, attribute, String.format(java.util.Locale.ROOT,
                    "the copy of its input this %s %s, %,d long on its %s axis (beyond 32 bits),", a.kind(), how, size, x.axis(i + 1)));
        }
    }

    /**
     * In mode {@code zeros}, the input's axes as {@code padding = SAME} pads them where a dilated window's span is even (an even
     * kernel): PyTorch's {@code _convolution_mode} pads a copy by the one position the two sides differ by
     * ({@code constant_pad_nd}) and convolves it with the smaller side's padding; null where every axis pads alike.
     */
    private static long[] sameAsymmetric(Attrs a, Shape x, List<Window> windows) {
        long[] dims = new long[windows.size() + 1];
        dims[0] = x.channels();
        boolean asymmetric = false;
        for (int i = 0; i < windows.size(); i++) {
            long[] sides = windows.get(i).sides();
            asymmetric |= sides[0] != sides[1];
            dims[i + 1] = x.dim(i + 1) + sides[1] - sides[0];
            fitsCopy(a, windows.get(i).attribute(a, "padding"), x, i, dims[i + 1], "pads for padding = SAME");
        }
        return asymmetric ? dims : null;
    }

    /** The elements of a convolution's padded copy of its input for {@code batch} samples; -1 where it makes none. */
    private static long paddedElements(Attrs a, List<Shape> in, long batch) {
        Shape x = in.get(0);
        long[] dims = paddedAxes(a, x, Window.conv(a, x.rank() - 1));
        return dims == null ? -1 : Math.multiplyExact(batch, Checks.product(dims));
    }

    /** A convolution's padded copy of its input, in a padding mode other than {@code zeros} or for an even window's SAME: held while it runs. */
    static final OpKind.Scratch PADDED_COPY = (a, in, out, b, dtype) -> dtype.bytes(Math.max(0, paddedElements(a, in, b)));

    /**
     * A convolution saves its input, or where it pads a copy (above) that copy in its place, and a reflection
     * or a replication also the input, which its backward reads ({@code ReflectionPad2DBackward0}'s {@code self}).
     */
    static final Autograd CONV_SAVES = Autograd.INPUTS.copyingInputs(new Autograd.Copies() {
        @Override
        public int of(Attrs a, List<Shape> in, int index, long b) {
            return index == 0 && paddedElements(a, in, b) >= 0 ? 1 : -1;
        }

        @Override
        public long elements(Attrs a, List<Shape> in, int index, long b) {
            return paddedElements(a, in, b);
        }

        @Override
        public boolean keepsInput(Attrs a, List<Shape> in, int index, long b) {
            return List.of("reflect", "replicate").contains(a.text("paddingMode"));
        }
    });

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
