package dev.modelcost.processor.layers;

import dev.modelcost.processor.diag.Diagnostic;
import java.util.List;

/**
 * Formulas of the layers with weights: {@code Conv2d} ({@code K = C_in / groups · kh · kw} per
 * output element) and {@code Linear} ({@code K = in_features}, applied to the last axis of an input
 * of any layout but {@code C,H,W}).
 */
final class Weighted {
    private Weighted() {}

    static LayerResult conv2d(Attrs a, Inputs in) {
        Shape x = Checks.image(a, in);
        int cout = a.required("cout");
        int groups = a.atLeast("groups", 1);
        int cin = x.channels();
        Checks.declared(a, "cin", cin, in, "channels");
        if (cin % groups != 0) {
            throw new LayerFailure(Diagnostic.GROUPS_NOT_DIVIDING, "groups", a.kind(), "groups", groups, "the input channels", cin);
        }
        if (cout % groups != 0) {
            throw new LayerFailure(Diagnostic.GROUPS_NOT_DIVIDING, "groups", a.kind(), "groups", groups, "cout", cout);
        }
        Window h = Window.conv(a, "H", "kh");
        Window w = Window.conv(a, "W", "kw");
        int oh = h.convOutput(a, x.dim(1), "height");
        int ow = w.convOutput(a, x.dim(2), "width");
        Shape out = Shape.of(cout, oh, ow);
        long k = Math.multiplyExact((long) (cin / groups), Math.multiplyExact((long) h.size, w.size));
        boolean bias = a.flag("bias");
        long params = Math.addExact(Math.multiplyExact(cout, k), bias ? cout : 0);
        return new LayerResult(out, Checks.weighted(in.batchElements(out), k, bias, params));
    }

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
