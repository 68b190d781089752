package dev.modelcost.processor.counters;

import static dev.modelcost.processor.counters.Rules.hiddenSize;
import static dev.modelcost.processor.counters.Rules.inputSize;

import java.util.List;

/**
 * nni 3.0 ({@code microsoft/nni} at v3.0 = 36ba04c), {@code count_flops_params(model, x)} in
 * {@code nni/compression/utils/counter.py}, default mode or {@code mode='full'}: forward hooks on
 * modules of exactly the types in {@code ModelProfiler.__init__}; per sample (the batch is
 * ignored), a Linear once per call whatever its leading dimensions, parameters of hooked modules only.
 */
final class Nni implements Counter {
    private final boolean full;

    /** The default mode, or {@code mode='full'}. */
    Nni(boolean full) {
        this.full = full;
    }

    @Override
    public String id() {
        return full ? "nni_full" : "nni";
    }

    @Override
    public String tool() {
        return "nni 3.0 (microsoft/nni v3.0, nni/compression/utils/counter.py)";
    }

    @Override
    public String call() {
        return full ? "nni count_flops_params(model, x, mode='full')" : "nni count_flops_params(model, x)";
    }

    @Override
    public String figure() {
        return "FLOPS";
    }

    @Override
    public boolean reportsParams() {
        return true;
    }

    @Override
    public boolean perSample() {
        return true;
    }

    @Override
    public String failure(long params) {
        // count_flops_params starts with next(model.parameters()).device
        return params == 0 ? "StopIteration: the model has no parameters (count_flops_params reads next(model.parameters()))" : null;
    }

    @Override
    public Count insideFastPath(Leaf leaf) {
        return Rules.fused(leaf, "nni", 0);
    }

    @Override
    public Count count(Leaf leaf) {
        String kind = leaf.kind();
        if (!leaf.module()) {
            return Rules.notAModule(leaf, "nni", 0);
        }
        String fails = Rules.failsWithoutGradients(leaf); // it runs the model under torch.no_grad()
        if (fails != null) {
            return Count.fails(fails);
        }
        if (leaf.subclass() != null) {
            return Rules.subclass(leaf, "nni", 0); // type(m) in the profiler's ops: parameters are counted by the same rule
        }
        long params = leaf.moduleParams(); // per module, a tied weight again
        if (Rules.conv(kind) || Rules.convTranspose(kind)) {
            // _count_convNd: cout * out_positions * k_volume * cin // groups, of one sample (transposed: over its output positions too)
            long macs = Rules.conv(kind) ? leaf.macs() / leaf.n() : leaf.transposedOverOutputs() / leaf.n();
            long bias = full && leaf.flag("bias", true) ? leaf.sampleOut() : 0;
            return Count.withBias(macs, bias, params);
        }
        if (kind.equals("Linear")) {
            // _count_linear: out_features * in_features, once per call
            long out = leaf.output().last();
            long bias = full && leaf.flag("bias", true) ? out : 0;
            long macs = Math.multiplyExact(leaf.x().last(), out);
            return Count.withBias(macs, bias, params);
        }
        if (Rules.recurrentLayer(kind) || Rules.recurrentCell(kind)) {
            return Count.of(recurrent(leaf), params);
        }
        if (full) {
            if (Rules.batchNorm(kind)) {
                if (!leaf.flag("affine", true)) {
                    // _get_result reads tuple(m.weight.size()), and weight is None without affine
                    return Count.fails("AttributeError: 'NoneType' object has no attribute 'size' (a " + kind + " with affine = false in mode='full')");
                }
                return Count.of(2 * leaf.sampleIn(), params); // _count_bn: 2 * x[0][0].numel()
            }
            if (kind.equals("LeakyReLU")) {
                return Count.of(leaf.sampleIn(), 0); // _count_relu
            }
            if (Rules.avgPool(kind)) {
                return Count.of(leaf.sampleOut(), 0); // _count_avgpool: y[0].numel()
            }
            if (Rules.adaptiveAvgPool(kind) && keepsAnAxis(leaf)) {
                // torch.Tensor(list((m.output_size,))) of an output_size that holds None
                return Count.fails("TypeError: must be real number, not NoneType (a " + kind + " whose output_size keeps an axis as None, "
                        + "in mode='full')");
            }
            if (Rules.adaptiveAvgPool(kind)) {
                // _count_adap_avgpool: (prod(in_spatial // out_spatial) + 1) * y[0].numel()
                long window = 1;
                for (int axis = 1; axis < leaf.x().rank(); axis++) {
                    window *= leaf.x().dim(axis) / leaf.output().dim(axis);
                }
                Count count = Count.of(Math.multiplyExact(window + 1, leaf.sampleOut()), 0);
                // An input no multiple of its output floors the quotient: off a lattice of sizes, no sum of products of the sizes.
                return Rules.splitsAnAxis(leaf) ? count.floors("_count_adap_avgpool floors in_size // out_size") : count;
            }
            if (kind.equals("Upsample")) {
                // _count_upsample: per output element of one sample: linear 5, bilinear 11, bicubic 259, trilinear 31, nearest 0
                long factor = switch (Rules.mode(leaf)) {
                    case "linear" -> 5;
                    case "bilinear" -> 11;
                    case "bicubic" -> 259;
                    case "trilinear" -> 31;
                    default -> 0;
                };
                return Count.of(Rules.product(factor, leaf.sampleOut()), 0);
            }
        }
        return Rules.noRule(leaf, "nni");
    }

    /**
     * _count_rnn_module and the cells: the cell counts of one sample (bias terms in full mode, whether or not the layer has a
     * bias), times the steps; the first layer of a bidirectional stack is counted in one direction only.
     */
    private long recurrent(Leaf leaf) {
        return Rules.recurrentCell(leaf.kind()) ? Rules.cell(leaf.kind(), inputSize(leaf), hiddenSize(leaf), full)
                : Math.multiplyExact(Rules.stack(leaf, full, false), leaf.steps());
    }

    /** Whether an adaptive pooling keeps an axis's size (PyTorch's {@code None} in {@code output_size}): some axes given, this one not. */
    private static boolean keepsAnAxis(Leaf leaf) {
        if (leaf.number("value", 0) > 0 || leaf.x().rank() < 3) {
            return false;
        }
        List<String> axes = leaf.x().rank() == 3 ? List.of("h", "w") : List.of("d", "h", "w");
        return axes.stream().anyMatch(axis -> leaf.number(axis, 0) == 0);
    }
}
