package dev.modelcost.processor.layers;

import dev.modelcost.processor.diag.Diagnostic;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Formulas of pooling in 1 to 3 dimensions on channels-first inputs. Other ops per output element:
 * {@code k_volume − 1} comparisons for max pooling, {@code k_volume} (adds and the divide) for
 * average pooling; adaptive average pooling adds every input element its windows read, adaptive
 * max pooling compares them (one fewer per output element).
 */
final class Pooling {
    private Pooling() {}

    static LayerResult maxPool1d(Attrs a, Inputs in) {
        return pool(a, in, 1, true);
    }

    static LayerResult maxPool2d(Attrs a, Inputs in) {
        return pool(a, in, 2, true);
    }

    static LayerResult maxPool3d(Attrs a, Inputs in) {
        return pool(a, in, 3, true);
    }

    static LayerResult avgPool1d(Attrs a, Inputs in) {
        return pool(a, in, 1, false);
    }

    static LayerResult avgPool2d(Attrs a, Inputs in) {
        return pool(a, in, 2, false);
    }

    static LayerResult avgPool3d(Attrs a, Inputs in) {
        return pool(a, in, 3, false);
    }

    static LayerResult adaptiveAvgPool1d(Attrs a, Inputs in) {
        return adaptive(a, in, 1, false);
    }

    static LayerResult adaptiveAvgPool2d(Attrs a, Inputs in) {
        return adaptive(a, in, 2, false);
    }

    static LayerResult adaptiveAvgPool3d(Attrs a, Inputs in) {
        return adaptive(a, in, 3, false);
    }

    static LayerResult adaptiveMaxPool1d(Attrs a, Inputs in) {
        return adaptive(a, in, 1, true);
    }

    static LayerResult adaptiveMaxPool2d(Attrs a, Inputs in) {
        return adaptive(a, in, 2, true);
    }

    static LayerResult adaptiveMaxPool3d(Attrs a, Inputs in) {
        return adaptive(a, in, 3, true);
    }

    private static LayerResult pool(Attrs a, Inputs in, int n, boolean max) {
        Shape x = n == 2 ? Checks.image(a, in) : Checks.channelsFirst(a, in, n);
        List<Window> windows = Window.pool(a, n, max);
        boolean ceil = a.flag("ceilMode");
        List<Integer> dims = new ArrayList<>(List.of(x.channels()));
        for (int i = 0; i < n; i++) {
            Window w = windows.get(i);
            if (n == 3 && !max && x.dim(i + 1) < w.size) {
                // ATen's avg_pool3d checks the unpadded input against the kernel (pool3d_shape_check).
                String kernel = w.kernelAttr(a);
                throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, kernel, a.kind(), kernel, w.size,
                        "at most the input's " + w.axisName() + " (" + x.dim(i + 1) + "): PyTorch's avg_pool3d checks the unpadded input against the window");
            }
            dims.add(w.poolOutput(a, x.dim(i + 1), ceil));
        }
        Shape out = x.reshaped(dims, x.axes());
        long window = Window.volume(windows);
        long perOutput = max ? window - 1 : window;
        return new LayerResult(out, Costs.otherOps(Math.multiplyExact(in.batchElements(out), perOutput)));
    }

    /**
     * Adaptive pooling to a given output size; PyTorch's {@code None} for an axis (an axis not given
     * while another is, and no size for every axis) keeps the input's size on it.
     */
    private static LayerResult adaptive(Attrs a, Inputs in, int n, boolean max) {
        Shape x = n == 2 ? Checks.image(a, in) : Checks.channelsFirst(a, in, n);
        List<String> names = n == 1 ? List.of("value") : Window.axes(n).stream().map(s -> s.toLowerCase(java.util.Locale.ROOT)).toList();
        boolean every = a.given("value");
        boolean some = names.stream().anyMatch(a::given);
        List<Integer> dims = new ArrayList<>(List.of(x.channels()));
        // Output cell i reads input positions floor(i*in/out) .. ceil((i+1)*in/out) - 1, axis by axis.
        long read = 1;
        for (int i = 0; i < n; i++) {
            String name = names.get(i);
            int size = a.given(name) ? a.atLeast(name, 1) : every ? a.atLeast("value", 1) : some ? x.dim(i + 1) : a.required("value");
            dims.add(size);
            read = Math.multiplyExact(read, adaptiveSpan(x.dim(i + 1), size));
        }
        Shape out = x.reshaped(dims, x.axes());
        long cells = Math.multiplyExact(in.batch(), (long) x.channels());
        long ops = Math.multiplyExact(cells, read);
        if (max) {
            ops = Math.subtractExact(ops, in.batchElements(out));
        }
        return new LayerResult(out, Costs.otherOps(ops));
    }

    /**
     * Total input positions read by adaptive pooling from {@code in} positions into {@code out} cells:
     * the sum over cells i of {@code ceil((i + 1)·in / out) − floor(i·in / out)}, which is
     * {@code in + out − gcd(in, out)} (the floors and ceilings differ by one except at the gcd
     * cells whose boundary falls on a position boundary), so no formula loops over output cells.
     * Windows along different axes combine as a product, so the positions read over every cell
     * of a multi-axis output are the product of these sums.
     */
    static long adaptiveSpan(int in, int out) {
        return (long) in + out - BigInteger.valueOf(in).gcd(BigInteger.valueOf(out)).longValue();
    }
}
