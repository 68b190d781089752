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
public final class Normalization {
    private Normalization() {}

    static LayerResult batchNorm1d(Attrs a, Inputs in) {
        withBatch(a, in);
        Shape x = in.shape();
        if (x.rank() != 1 && x.rank() != 2) {
            throw new LayerFailure(Diagnostic.INPUT_RANK_MISMATCH, null, a.kind(), "a C or C,L", in.source(), x.describe(), "");
        }
        return batchNorm(a, in, x);
    }

    static LayerResult batchNorm2d(Attrs a, Inputs in) {
        withBatch(a, in);
        return batchNorm(a, in, Checks.image(a, in));
    }

    static LayerResult batchNorm3d(Attrs a, Inputs in) {
        withBatch(a, in);
        return batchNorm(a, in, Checks.channelsFirst(a, in, 3));
    }

    /**
     * Refuses a tensor without the batch (a {@code @Parameter}'s, a {@code @Buffer}'s): PyTorch's batch and group norms take its
     * first axis as the batch, and refuse it ({@code BatchNorm1d(4)} of 4 x 8: "running_mean should contain 8 elements not 4";
     * {@code BatchNorm2d} of 4 x 5 x 6: "expected 4D input (got 3D input)"; {@code GroupNorm(2, 4)} of 4 x 8: "Expected weight to be a
     * vector of size equal to the number of channels in input"), or normalise other values than a channels-first reading would.
     */
    private static void withBatch(Attrs a, Inputs in) {
        if (!in.shape().batched()) {
            throw new LayerFailure(Diagnostic.INPUT_RANK_MISMATCH, null, a.kind(), "a channels-first (with the batch)", in.source(),
                    in.shape().describe() + " without the batch", "PyTorch takes the first axis of a tensor without the batch as its batch, "
                    + "and refuses it; normalise it where it has the batch (after it is added to an activation)");
        }
    }

    /** What a batch norm without running statistics takes at inference ({@link #batchNorm}): more than one value per channel. */
    static final OpKind.FewestValues BATCH_NORM_FEWEST = (a, x) -> a.flag("trackRunningStats") ? null : Fewest.valuesPerChannel();

    /** What an instance norm without running statistics takes at inference ({@link #instanceNorm}): more than one spatial element. */
    static final OpKind.FewestValues INSTANCE_NORM_FEWEST = (a, x) -> a.flag("trackRunningStats") ? null : Fewest.spatialElements();

    /** What a group norm takes ({@link #groupNorm}): more than one value per group in the batch; null where its groups do not fit. */
    static final OpKind.FewestValues GROUP_NORM_FEWEST = (a, x) -> {
        long groups = a.number("numGroups");
        return groups < 1 || x.channels() % groups != 0 ? null : new Fewest(x.channels() / groups, true, 2,
                "value per group (%s times the group's channels and positions)");
    };

    /** Whether {@code rule} refuses {@code x} at the call's batch: fewer values than the norm takes. */
    private static boolean refuses(OpKind.FewestValues rule, Attrs a, Shape x, Inputs in) {
        Fewest fewest = rule.at(a, x);
        return fewest != null && fewest.refuses(x, in.batch());
    }

    /**
     * {@code nn.BatchNorm1d/2d/3d} in eval mode. With running statistics they fold into a multiply
     * and an add per element; without ({@code track_running_stats=False}) PyTorch normalises with
     * the batch's own statistics, as LayerNorm does with its axes (5 per element, +1 weight, +1
     * bias), and refuses a batch that has one value per channel.
     */
    private static LayerResult batchNorm(Attrs a, Inputs in, Shape x) {
        featuresChecked(a, in, x);
        boolean tracked = a.flag("trackRunningStats");
        if (refuses(BATCH_NORM_FEWEST, a, x, in)) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "trackRunningStats", a.kind(), "trackRunningStats", false,
                    "true for a batch of one value per channel (" + Checks.valuesPerChannelText(in.batch(), x) + "): without running statistics it normalises with the batch's own, and PyTorch refuses it (\"Expected more than 1 value per channel\")");
        }
        return channelNorm(a, in, x, tracked);
    }

    /**
     * What {@code at::instance_norm} holds at inference besides its input and output, in bytes (PyTorch 1.13,
     * {@code Normalization.cpp}): the weight and the bias where affine, and the running mean and variance where it tracks them,
     * each repeated once per sample (N·C each, at the layer's activation dtype, as the memory figures count parameters and buffers
     * there); where it uses the input's own statistics (no running ones), {@code batch_norm}'s {@code save_mean} and
     * {@code save_invstd} (N·C each, fp32 as CUDA keeps them, its accumulate type) with the output; where it tracks them, each
     * one's mean over the samples written back, C at a time. At the ops' boundaries, as the memory figures count: the kernels' own
     * workspaces are not counted ({@code tools/pytorch/measure_norm_scratch.py}).
     */
    static final OpKind.Scratch INSTANCE_NORM_SCRATCH = (a, inputs, output, batch, dtype) -> {
        long channels = inputs.get(0).channels();
        long perSample = Math.multiplyExact(batch, channels);
        boolean tracked = a.flag("trackRunningStats");
        long repeated = Math.multiplyExact(perSample, (a.flag("affine") ? 2 : 0) + (tracked ? 2 : 0));
        return tracked ? dtype.bytes(Math.addExact(repeated, channels))
                : Math.addExact(dtype.bytes(repeated), Math.multiplyExact(8L, perSample));
    };

    /**
     * What {@code native_batch_norm} holds at inference besides its input and output, in bytes: without running statistics,
     * {@code save_mean} and {@code save_invstd} of the batch's own statistics, fp32 per channel, returned with its output; with
     * them, nothing (both are empty). At the ops' boundaries, as the memory figures count.
     */
    static final OpKind.Scratch BATCH_NORM_SCRATCH = (a, inputs, output, batch, dtype) ->
            a.flag("trackRunningStats") ? 0 : Saves.BATCH_NORM.extra().bytes(a, inputs, output, batch, dtype);

    static LayerResult instanceNorm1d(Attrs a, Inputs in) {
        return instanceNorm(a, in, Checks.channelsFirst(a, in, 1));
    }

    static LayerResult instanceNorm2d(Attrs a, Inputs in) {
        return instanceNorm(a, in, Checks.channelsFirst(a, in, 2));
    }

    static LayerResult instanceNorm3d(Attrs a, Inputs in) {
        return instanceNorm(a, in, Checks.channelsFirst(a, in, 3));
    }

    /**
     * {@code nn.InstanceNorm1d/2d/3d} in eval mode: each sample's channels normalised with their own
     * statistics (5 per element, +2 when affine), or with running statistics where it keeps them
     * (a multiply and an add, as BatchNorm).
     */
    private static LayerResult instanceNorm(Attrs a, Inputs in, Shape x) {
        boolean tracked = a.flag("trackRunningStats");
        featuresChecked(a, in, x);
        if (refuses(INSTANCE_NORM_FEWEST, a, x, in)) {
            throw new LayerFailure(Diagnostic.INPUT_RANK_MISMATCH, null, a.kind(), "more than one spatial element per channel (its own statistics)",
                    in.source(), x.describe(), "PyTorch refuses it (\"Expected more than 1 spatial element\"); normalise a larger map, or keep running statistics (which serve at inference only: a training step normalises with its own)");
        }
        return channelNorm(a, in, x, tracked);
    }

    /**
     * Whether a batch or instance norm ignores its {@code features}: PyTorch's holds no weight and no running statistics of that
     * many channels where {@code affine} and {@code trackRunningStats} are false, so it normalises whatever channels it is given
     * (warned of: {@link dev.modelcost.processor.diag.Diagnostic#FEATURES_IGNORED}).
     */
    public static boolean ignoresFeatures(Attrs a) {
        return !a.flag("affine") && !a.flag("trackRunningStats");
    }

    /**
     * Checks a batch or instance norm's {@code features} against the channels of {@code x}, where the norm holds state of that many
     * channels; where it holds none ({@link #ignoresFeatures}) another count is warned of, not refused.
     */
    private static void featuresChecked(Attrs a, Inputs in, Shape x) {
        if (!ignoresFeatures(a)) {
            Checks.declared(a, "features", x.channels(), in, "channels");
        } else if (a.given("features")) {
            a.atLeast("features", 1); // a count of channels all the same, though another than the input's is only warned of
        }
    }

    /** A per-channel norm: 2·C parameters when affine, 2·C buffers when tracked. */
    private static LayerResult channelNorm(Attrs a, Inputs in, Shape x, boolean tracked) {
        long state = 2L * x.channels();
        boolean affine = a.flag("affine");
        long perElement = tracked ? 2 : 5 + (affine ? 2 : 0);
        long ops = Math.multiplyExact(perElement, in.batchElements(x));
        return new LayerResult(x, Costs.otherOps(ops).with(Figure.PARAMS, affine ? state : 0).with(Figure.BUFFERS, tracked ? state : 0));
    }

    /** {@code nn.GroupNorm}: statistics per group of channels in each sample (5 per element, +2 when affine). */
    static LayerResult groupNorm(Attrs a, Inputs in) {
        withBatch(a, in);
        Shape x = in.shape();
        Checks.declared(a, "numChannels", x.channels(), in, "channels");
        int groups = a.required("numGroups");
        if (x.channels() % groups != 0) {
            throw new LayerFailure(Diagnostic.GROUPS_NOT_DIVIDING, "numGroups", a.kind(), "numGroups", groups, "the input channels", x.channels());
        }
        if (refuses(GROUP_NORM_FEWEST, a, x, in)) {
            throw new LayerFailure(Diagnostic.INPUT_RANK_MISMATCH, null, a.kind(), "more than one value per group in the batch",
                    in.source(), x.describe(), "PyTorch refuses it (\"Expected more than 1 value per channel\"); use fewer groups");
        }
        return channelNorm(a, in, x, false);
    }

    /** {@code nn.LayerNorm(normalized_shape)}: over the last {@code normalizedShape.length} axes (the last axis when not given). */
    static LayerResult layerNorm(Attrs a, Inputs in) {
        Shape x = in.shape();
        List<Long> normalized = a.list("normalizedShape");
        if (normalized.isEmpty()) {
            normalized = List.of((long) x.last());
        }
        for (long dim : normalized) {
            a.checked("normalizedShape", dim, 1);
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
