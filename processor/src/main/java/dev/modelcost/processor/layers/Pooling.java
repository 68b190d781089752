package dev.modelcost.processor.layers;

/**
 * Formulas of 2-D pooling on {@code C,H,W} inputs. Other ops per output element: {@code k·k − 1}
 * comparisons for max pooling, {@code k·k} (adds and the divide) for average pooling; adaptive
 * average pooling reads every input row and column its windows cover.
 */
final class Pooling {
    private Pooling() {}

    static LayerResult maxPool2d(Attrs a, Inputs in) {
        return pool(a, in, true);
    }

    static LayerResult avgPool2d(Attrs a, Inputs in) {
        return pool(a, in, false);
    }

    static LayerResult adaptiveAvgPool2d(Attrs a, Inputs in) {
        Shape x = Checks.image(a, in);
        // PyTorch's (h, None) and (None, w): a size not given, with no square value either, keeps the input's.
        boolean square = a.given("value");
        boolean one = a.given("h") != a.given("w");
        int oh = a.given("h") ? a.atLeast("h", 1) : square ? a.atLeast("value", 1) : one ? x.dim(1) : a.required("value");
        int ow = a.given("w") ? a.atLeast("w", 1) : square ? a.atLeast("value", 1) : one ? x.dim(2) : a.required("value");
        Shape out = Shape.of(x.channels(), oh, ow);
        // Output cell i averages input rows floor(i*H/oh) .. ceil((i+1)*H/oh) - 1.
        long window = Math.multiplyExact(adaptiveSpan(x.dim(1), oh), adaptiveSpan(x.dim(2), ow));
        long ops = Math.multiplyExact(Math.multiplyExact(in.batch(), x.channels()), window);
        return new LayerResult(out, Costs.otherOps(ops));
    }

    private static LayerResult pool(Attrs a, Inputs in, boolean max) {
        Shape x = Checks.image(a, in);
        Window h = Window.pool(a, "H", "kh", max);
        Window w = Window.pool(a, "W", "kw", max);
        boolean ceil = a.flag("ceilMode");
        int oh = h.poolOutput(a, x.dim(1), ceil, "height");
        int ow = w.poolOutput(a, x.dim(2), ceil, "width");
        Shape out = Shape.of(x.channels(), oh, ow);
        long window = Math.multiplyExact((long) h.size, w.size);
        long perOutput = max ? window - 1 : window;
        return new LayerResult(out, Costs.otherOps(Math.multiplyExact(in.batchElements(out), perOutput)));
    }

    /**
     * Total input rows read by adaptive pooling from {@code in} rows into {@code out} cells: the sum
     * over cells i of {@code ceil((i + 1)·in / out) − floor(i·in / out)}, which is
     * {@code in + out − gcd(in, out)} (the floors and ceilings differ by one except at the gcd
     * cells whose boundary falls on a row boundary), so no formula loops over output cells.
     */
    static long adaptiveSpan(int in, int out) {
        return (long) in + out - java.math.BigInteger.valueOf(in).gcd(java.math.BigInteger.valueOf(out)).longValue();
    }
}
