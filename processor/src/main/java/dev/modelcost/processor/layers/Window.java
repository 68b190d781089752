package dev.modelcost.processor.layers;

import dev.modelcost.processor.diag.Diagnostic;

/** The geometry of a convolution or pooling window along one axis, with PyTorch's output-size rules. */
final class Window {
    final String axis;
    final int size;
    final int stride;
    final int padding;
    final int dilation;

    private Window(String axis, int size, int stride, int padding, int dilation) {
        this.axis = axis;
        this.size = size;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
    }

    /** A convolution's window on axis {@code H} or {@code W}, from {@code k}/{@code kh}/{@code kw} and the per-axis attributes. */
    static Window conv(Attrs a, String axis, String kernel) {
        return new Window(axis, a.window(kernel, "k"), a.axis("stride" + axis, "stride", 1, null),
                a.axis("padding" + axis, "padding", 0, null), a.axis("dilation" + axis, "dilation", 1, null));
    }

    /** A pooling window; its stride defaults to its size, and only max pooling dilates. */
    static Window pool(Attrs a, String axis, String kernel, boolean dilated) {
        int size = a.window(kernel, "k");
        int stride = a.axis("stride" + axis, "stride", 1, size);
        int dilation = dilated ? a.atLeast("dilation", 1) : 1;
        return new Window(axis, size, stride, a.axis("padding" + axis, "padding", 0, null), dilation);
    }

    long span() {
        return (long) dilation * (size - 1) + 1;
    }

    /** PyTorch's conv rule: floor((in + 2p − d(k − 1) − 1) / s) + 1. */
    int convOutput(Attrs a, int in, String name) {
        long padded = in + 2L * padding;
        if (padded < span()) {
            throw new LayerFailure(Diagnostic.EMPTY_OUTPUT, kernelAttr(a), a.kind(), span(), padded, name);
        }
        return size((padded - span()) / stride + 1);
    }

    /**
     * PyTorch's pooling rule, with ceil mode never starting a window in the right padding; the
     * padding is at most half the kernel, whatever the dilation (ATen's pool2d_shape_check).
     */
    int poolOutput(Attrs a, int in, boolean ceil, String name) {
        if (padding > size / 2) {
            throw new LayerFailure(Diagnostic.POOL_PADDING, a.given("padding" + axis) ? "padding" + axis : "padding",
                    a.kind(), padding, size);
        }
        long padded = in + 2L * padding;
        long numerator = padded - span() + (ceil ? stride - 1 : 0);
        if (numerator < 0) {
            throw new LayerFailure(Diagnostic.EMPTY_OUTPUT, kernelAttr(a), a.kind(), span(), padded, name);
        }
        long out = numerator / stride + 1;
        if (ceil && (out - 1) * stride >= in + padding) {
            out--;
        }
        return size(out);
    }

    /** An output size, which must fit an {@code int} as every dimension does. */
    static int size(long out) {
        if (out > Integer.MAX_VALUE) {
            throw new ArithmeticException("output size " + out);
        }
        return (int) out;
    }

    private String kernelAttr(Attrs a) {
        String own = axis.equals("H") ? "kh" : "kw";
        return a.given(own) ? own : "k";
    }
}
