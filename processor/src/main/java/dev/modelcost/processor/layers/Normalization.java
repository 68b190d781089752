package dev.modelcost.processor.layers;

import dev.modelcost.processor.diag.Diagnostic;
import java.util.List;

/**
 * Formulas of the normalisation layers. BatchNorm2d at inference folds its statistics: 2 other ops
 * per element (a multiply and an add). LayerNorm computes its statistics: 5 other ops per element
 * to normalise (sum for the mean, subtract it, square and sum for the variance, scale by the
 * reciprocal standard deviation), +1 for the weight and +1 for the bias where it has them — 7 in
 * all by default, as LLM-Viewer counts a norm.
 */
final class Normalization {
    private Normalization() {}

    /**
     * {@code nn.BatchNorm2d} in eval mode. With running statistics they fold into a multiply and an
     * add per element; without ({@code track_running_stats=False}) PyTorch normalises with the
     * batch's own statistics, as LayerNorm does with its axes (5 per element, +1 weight, +1 bias),
     * and refuses a batch that has one value per channel.
     */
    static LayerResult batchNorm2d(Attrs a, Inputs in) {
        Shape x = Checks.image(a, in);
        Checks.declared(a, "features", x.channels(), in, "channels");
        long state = 2L * x.channels();
        boolean affine = a.flag("affine");
        long params = affine ? state : 0;
        boolean tracked = a.flag("trackRunningStats");
        if (!tracked && Math.multiplyExact(in.batch(), (long) x.dim(1) * x.dim(2)) <= 1) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "trackRunningStats", a.kind(), "trackRunningStats", false,
                    "true for a batch of one value per channel (" + in.batch() + " x " + x.dim(1) + " x " + x.dim(2)
                    + "): without running statistics it normalises with the batch's own, and PyTorch refuses it (\"Expected more than 1 value per channel\")");
        }
        long perElement = tracked ? 2 : 5 + (affine ? 2 : 0);
        long ops = Math.multiplyExact(perElement, in.batchElements(x));
        return new LayerResult(x, Costs.otherOps(ops).with(Figure.PARAMS, params).with(Figure.BUFFERS, tracked ? state : 0));
    }

    /** {@code nn.LayerNorm(normalized_shape)}: over the last {@code normalizedShape.length} axes (the last axis when not given). */
    static LayerResult layerNorm(Attrs a, Inputs in) {
        Shape x = in.shape();
        List<Long> normalized = a.list("normalizedShape");
        if (normalized.isEmpty()) {
            normalized = List.of((long) x.last());
        }
        List<Integer> trailing = x.rank() >= normalized.size() ? x.dims().subList(x.rank() - normalized.size(), x.rank()) : null;
        if (trailing == null || !trailing.stream().map(Integer::longValue).toList().equals(normalized)) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "normalizedShape", a.kind(), "normalizedShape", normalized,
                    "the input's last axes, but " + in.source() + " produces " + x.describe());
        }
        long elements = 1;
        for (long dim : normalized) {
            elements = Math.multiplyExact(elements, dim);
        }
        return normed(a, in, x, elements);
    }

    /** torchvision's {@code LayerNorm2d} (ConvNeXt): a LayerNorm over the channels at every position of a {@code C,H,W} input. */
    static LayerResult layerNorm2d(Attrs a, Inputs in) {
        Shape x = Checks.image(a, in);
        Checks.declared(a, "features", x.channels(), in, "channels");
        return normed(a, in, x, x.channels());
    }

    private static LayerResult normed(Attrs a, Inputs in, Shape x, long normalized) {
        boolean affine = a.flag("elementwiseAffine");
        boolean bias = affine && a.flag("bias");
        long params = affine ? Math.multiplyExact(normalized, bias ? 2 : 1) : 0;
        long perElement = 5 + (affine ? 1 : 0) + (bias ? 1 : 0);
        long ops = Math.multiplyExact(perElement, in.batchElements(x));
        return new LayerResult(x, Costs.otherOps(ops).with(Figure.PARAMS, params));
    }
}
