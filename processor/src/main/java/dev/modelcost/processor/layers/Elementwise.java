package dev.modelcost.processor.layers;

/**
 * Formulas of the element-wise layers: activations (1 other op per element), scaling by a constant
 * (1 per element) and softmax (5 per element: the running maximum, subtract it, exponentiate, sum,
 * divide).
 */
final class Elementwise {
    private Elementwise() {}

    static LayerResult activation(Attrs a, Inputs in) {
        return perElement(in, 1);
    }

    static LayerResult gelu(Attrs a, Inputs in) {
        a.choice("approximate", java.util.List.of("none", "tanh"));
        return perElement(in, 1);
    }

    static LayerResult softmax(Attrs a, Inputs in) {
        Checks.dim(a, "dim", a.number("dim"), in.shape());
        return perElement(in, 5);
    }

    static LayerResult passThrough(Attrs a, Inputs in) {
        return new LayerResult(in.shape(), Costs.ZERO);
    }

    private static LayerResult perElement(Inputs in, long ops) {
        return new LayerResult(in.shape(), Costs.otherOps(Math.multiplyExact(ops, in.batchElements(in.shape()))));
    }
}
