package dev.modelcost.processor.counters;

import static dev.modelcost.processor.counters.Rules.hiddenSize;
import static dev.modelcost.processor.counters.Rules.inputSize;

/**
 * thop 0.1.1 ({@code Lyken17/pytorch-OpCounter} at 43c064a), {@code profile(model, inputs=(x,))}:
 * forward hooks on modules of exactly the types in {@code thop/profile.py: register_hooks}, rules
 * in {@code thop/vision/basic_hooks.py} and {@code thop/rnn_hooks.py}. Counts the whole batch;
 * parameters only of modules that have a rule ({@code profile.py: dfs_count}).
 */
final class Thop implements Counter {
    @Override
    public String id() {
        return "thop";
    }

    @Override
    public String tool() {
        return "thop 0.1.1 (Lyken17/pytorch-OpCounter 43c064a)";
    }

    @Override
    public String call() {
        return "thop.profile(model, inputs=(x,))";
    }

    @Override
    public String figure() {
        return "MACS";
    }

    @Override
    public boolean reportsParams() {
        return true;
    }

    @Override
    public Count insideFastPath(Leaf leaf) {
        return Rules.fused(leaf, "thop", 0);
    }

    @Override
    public Count count(Leaf leaf) {
        String kind = leaf.kind();
        if (!leaf.module()) {
            // Hooks see modules only: F.relu, x.mean, x + y and torch.cat never reach a rule.
            return Rules.notAModule(leaf, "thop", 0);
        }
        String fails = Rules.failsWithoutGradients(leaf); // it runs the model under torch.no_grad()
        if (fails != null) {
            return Count.fails(fails);
        }
        if (leaf.subclass() != null) {
            return Rules.subclass(leaf, "thop", 0); // register_hooks[type(m)]: parameters are counted by the same hook
        }
        long params = leaf.moduleParams(); // per module, a tied weight again
        if (Rules.conv(kind) || kind.equals("Linear")) {
            // basic_hooks.py: count_convNd / count_linear: out_numel * (in_c // g) * k_volume, and in_features * y.numel(); bias never
            return Count.of(leaf.macs(), params);
        }
        if (Rules.convTranspose(kind)) {
            // count_convNd serves transposed convolutions too: over the output positions
            return Count.of(leaf.transposedOverOutputs(), params);
        }
        if (Rules.batchNorm(kind) || Rules.instanceNorm(kind) || kind.equals("LayerNorm")) {
            // count_normalization: 2 per input element, x2 when affine or elementwise_affine
            boolean affine = leaf.flag("affine", false) || leaf.flag("elementwiseAffine", false);
            return Count.of(Math.multiplyExact(leaf.inNumel(), affine ? 4 : 2), params);
        }
        switch (kind) {
            case "PReLU":
                return Count.of(leaf.inNumel(), params); // count_prelu (eval): one per element
            case "Softmax": {
                long features = Rules.softmaxFeatures(leaf); // calculate_softmax: per row F exp, F - 1 adds, F divides
                return Count.of(Rules.product(leaf.inNumel() / features, 3 * features - 1), params);
            }
            case "ReLU", "ReLU6", "LeakyReLU", "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "ZeroPad2d", "PixelShuffle":
                return Count.of(0, params); // zero_ops; count_relu returns 0
            case "Upsample": {
                // count_upsample: per output element nearest 1, linear 5, bilinear 11, bicubic 259; other modes warn and count 0
                long factor = switch (Rules.mode(leaf)) {
                    case "nearest" -> 1;
                    case "linear" -> 5;
                    case "bilinear" -> 11;
                    case "bicubic" -> 259;
                    default -> 0;
                };
                return Count.of(Math.multiplyExact(factor, leaf.outNumel()), params);
            }
            default:
                break;
        }
        if (Rules.maxPool(kind) || Rules.adaptiveMaxPool(kind)) {
            return Count.of(0, params); // zero_ops
        }
        if (Rules.avgPool(kind)) {
            return Count.of(leaf.outNumel(), params); // count_avgpool: one per output element, the window ignored
        }
        if (Rules.adaptiveAvgPool(kind)) {
            // count_adap_avgpool: int((prod(in_spatial / out_spatial) + 1) * out_numel), in double arithmetic
            double window = 1;
            for (int axis = 1; axis < leaf.x().rank(); axis++) {
                window *= (double) leaf.x().dim(axis) / (double) leaf.output().dim(axis);
            }
            Count count = Count.of((long) ((window + 1) * leaf.outNumel()), params);
            // A window of a fraction of rows, once an input is no multiple of its output, truncates: no sum of products of sizes.
            return Rules.splitsAnAxis(leaf) ? count.inexact("count_adap_avgpool computes int((in / out + 1) · out_numel) in double precision") : count;
        }
        if (Rules.recurrentLayer(kind) || Rules.recurrentCell(kind)) {
            return Count.of(recurrent(leaf), params);
        }
        return Rules.noRule(leaf, "thop");
    }

    /** rnn_hooks.py: count_rnn/gru/lstm and the cells: the cell counts per step and batch element, bias terms where the layer has a bias. */
    private static long recurrent(Leaf leaf) {
        boolean bias = leaf.flag("bias", true);
        long perStep = Rules.recurrentCell(leaf.kind()) ? Rules.cell(leaf.kind(), inputSize(leaf), hiddenSize(leaf), bias)
                : Math.multiplyExact(Rules.stack(leaf, bias, true), leaf.steps());
        return Math.multiplyExact(perStep, leaf.n());
    }
}
