package dev.modelcost.processor.analysis;

import dev.modelcost.processor.spec.AttrSpec;
import dev.modelcost.processor.spec.NetworkSpec;
import dev.modelcost.processor.spec.Operation;
import dev.modelcost.processor.spec.Step;
import java.util.Set;

/**
 * When PyTorch 1.13's {@code nn.TransformerEncoderLayer}, which a {@code @FastPath} network stands for, leaves its fast path
 * whatever its attention does ({@code TransformerEncoderLayer.forward}'s {@code why_not_sparsity_fast_path}): an activation
 * other than ReLU or GELU ({@code activation_relu_or_gelu}), or two norms of different {@code eps}; a layer whose module's weights
 * the code passes to a function ({@code @Functional(moduleWeights = true)}), which the layer's forward never does; and a network without an
 * attention, or with some of the layer's other parts but not all (two linear layers, two LayerNorms and an activation), which is
 * no such layer.
 */
final class FusedLayerGate {
    /** The kinds of the layer's own modules and residual additions besides its activation. */
    private static final Set<String> LAYER_KINDS = Set.of("MultiheadAttention", "Linear", "Dropout", "LayerNorm", "Add", "Identity");
    /** The activations the fused kernel runs. */
    private static final Set<String> FUSED_ACTIVATIONS = Set.of("ReLU", "GELU");

    private FusedLayerGate() {}

    /** Why the layer {@code network} stands for does not take the fast path, whatever its attention does; null where it may. */
    static String whyNot(NetworkSpec network) {
        java.util.Map<String, Step> layers = new java.util.LinkedHashMap<>();
        layers(network, "", layers, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        Eps first = null;
        String firstNorm = null;
        for (java.util.Map.Entry<String, Step> layer : layers.entrySet()) {
            Operation.OpStep op = (Operation.OpStep) layer.getValue().operation();
            String kind = op.kind().name();
            if (!LAYER_KINDS.contains(kind) && !FUSED_ACTIVATIONS.contains(kind)) {
                return layer.getKey() + " is " + kind + ": the fused layer runs its modules (attention, linear layers, LayerNorm, dropout) "
                        + "and a ReLU or GELU activation only";
            }
            if (layer.getValue().call() == Step.Call.MODULE_WEIGHTS) {
                return layer.getKey() + " passes its module's weights to a function (@Functional(moduleWeights = true)), where "
                        + "nn.TransformerEncoderLayer calls its modules";
            }
            String approximate = text(op, "approximate");
            if (kind.equals("GELU") && layer.getValue().call() != Step.Call.MODULE && approximate != null && !approximate.equals("none")) {
                // activation_relu_or_gelu holds for F.gelu itself or an nn.GELU: a function that calls F.gelu(x, approximate="tanh")
                // is neither
                return layer.getKey() + " is F.gelu with approximate = \"" + approximate + "\", a function other than F.gelu itself, which "
                        + "with F.relu, nn.ReLU and nn.GELU is all the fused layer takes";
            }
            if (kind.equals("LayerNorm")) {
                Eps own = eps(op);
                if (first == null) {
                    first = own;
                    firstNorm = layer.getKey();
                } else if (!first.key().equals(own.key())) {
                    return firstNorm + " and " + layer.getKey() + " have different eps (" + first.written() + " and " + own.written() + ")";
                }
            }
        }
        if (count(layers, Set.of("MultiheadAttention")) == 0) {
            return "it holds no MultiheadAttention, around which nn.TransformerEncoderLayer's fast path is built";
        }
        // The parts of the module the fused kernel runs: a network with some of them but not all stands for another module, run one
        // by one (an attention alone, its own fast path, is fused as an attention).
        long linear = count(layers, Set.of("Linear"));
        long norms = count(layers, Set.of("LayerNorm"));
        long activations = count(layers, FUSED_ACTIVATIONS);
        if (linear + norms + activations > 0 && (linear < 2 || norms < 2 || activations == 0)) {
            return "it holds " + linear + " linear layer" + (linear == 1 ? "" : "s") + ", " + norms + " LayerNorm" + (norms == 1 ? "" : "s") + " and "
                    + (activations == 0 ? "no" : "an") + " activation, where nn.TransformerEncoderLayer has a MultiheadAttention, two linear "
                    + "layers, two LayerNorms and a ReLU or GELU";
        }
        return null;
    }

    /** How many of the layers are of the kinds given. */
    private static long count(java.util.Map<String, Step> layers, Set<String> kinds) {
        return layers.values().stream().filter(step -> kinds.contains(((Operation.OpStep) step.operation()).kind().name())).count();
    }

    /** Every layer of a network and of the blocks it applies, at any depth, by its path. */
    private static void layers(NetworkSpec network, String path, java.util.Map<String, Step> layers, Set<NetworkSpec> seen) {
        if (!seen.add(network)) {
            return;
        }
        for (Step step : network.steps()) {
            String name = path.isEmpty() ? step.name() : path + "." + step.name();
            if (step.operation() instanceof Operation.OpStep) {
                layers.put(name, step);
            } else if (step.operation() instanceof Operation.BlockOp use) {
                layers(use.block(), name, layers, seen);
            }
        }
    }

    /** An attribute's value as written where it was given, else null. */
    private static String text(Operation.OpStep op, String name) {
        for (AttrSpec attr : op.attrs()) {
            if (attr.name().equals(name) && attr.given()) {
                return attr.text();
            }
        }
        return null;
    }

    /** A norm's {@code eps}: what tells two apart (its value where it is a number, else its expression in the same scope), and as written. */
    private record Eps(String key, String written) {}

    private static Eps eps(Operation.OpStep op) {
        String written = text(op, "eps");
        if (written == null) {
            return new Eps(plain(1e-5), plain(1e-5));
        }
        try {
            String value = plain(Double.parseDouble(written));
            return new Eps(value, value);
        } catch (NumberFormatException expression) {
            return new Eps(written, written);
        }
    }

    /** A number without an exponent ({@code 0.00001}). */
    private static String plain(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
