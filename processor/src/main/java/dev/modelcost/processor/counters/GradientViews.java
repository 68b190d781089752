package dev.modelcost.processor.counters;

import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.Flow;
import dev.modelcost.processor.analysis.LeafCall;
import dev.modelcost.processor.analysis.ModelCosts;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the first layer that modifies in place a view that a function of several views returned ({@code chunk}), of a tensor
 * that needs gradients: PyTorch refuses it where gradients are on ("Output 0 of SplitBackward0 is a view and is being modified
 * inplace. This view is the output of a function that returns multiple views"), so a tool that runs the model with gradients
 * fails there (measured: tools/pytorch/gradient-view-costs.tsv). A view of such a view is one too; a slice ({@code x[..., :4]})
 * is a view of one output, which may be modified.
 *
 * <p>A tensor needs gradients where it is computed from weights: a layer with parameters, a module called again
 * ({@code @Shared}), or anything computed from such a tensor. A model's inputs need none.
 */
final class GradientViews {
    /** The kinds that return one of several views of their input. */
    private static final List<String> MULTIPLE_VIEWS = List.of("Chunk");

    /** What is known of a tensor: whether it needs gradients, whether it is (a view of) one of several views. */
    private record Tensor(boolean gradients, boolean ofSeveral) {
        static final Tensor INPUT = new Tensor(false, false);
    }

    /**
     * A walk's result: the output's tensor, and the first layer that modifies a view as above, by its path from the node walked
     * ({@code ""} for the node itself) and its kind; both null where there is none.
     */
    private record Walk(Tensor output, String refused, String kind) {
        Walk(Tensor output) {
            this(output, null, null);
        }
    }

    private final Map<CostNode, Map<List<Tensor>, Walk>> memo = new IdentityHashMap<>();

    private GradientViews() {}

    /**
     * The first layer of the model that modifies in place one of several views of a tensor that needs gradients, as
     * {@code "path (Kind)"}, or null where none does.
     */
    static String refusedWithGradients(ModelCosts costs) {
        List<Tensor> inputs = new ArrayList<>();
        for (int k = 0; k < costs.spec().inputs().size(); k++) {
            inputs.add(Tensor.INPUT);
        }
        Walk walk = new GradientViews().walk(costs.root(), inputs);
        return walk.refused() == null ? null : walk.refused() + " (" + walk.kind() + ")";
    }

    private Walk walk(CostNode node, List<Tensor> inputs) {
        Map<List<Tensor>, Walk> known = memo.computeIfAbsent(node, n -> new java.util.HashMap<>());
        Walk walk = known.get(inputs);
        if (walk == null) {
            walk = node.leaf() ? leaf(node, inputs) : block(node, inputs);
            known.put(List.copyOf(inputs), walk);
        }
        return walk;
    }

    private Walk leaf(CostNode node, List<Tensor> inputs) {
        Tensor first = inputs.isEmpty() ? Tensor.INPUT : inputs.get(0);
        boolean gradients = inputs.stream().anyMatch(Tensor::gradients) || node.totals().params() > 0;
        LeafCall call = node.call();
        if (call == null) {
            // A mixture of experts: its experts' weights, and whatever one expert does to the tokens.
            Walk expert = node.experts() == null ? new Walk(Tensor.INPUT) : walk(node.experts().expert(), inputs);
            return new Walk(new Tensor(true, false), expert.refused(), expert.kind());
        }
        gradients |= call.again() && call.sharedParams() > 0;
        if (call.inPlace() && !inputs.isEmpty()) {
            boolean refused = first.ofSeveral() && first.gradients();
            return new Walk(first, refused ? "" : null, refused ? node.kind() : null);
        }
        if (MULTIPLE_VIEWS.contains(node.kind())) {
            return new Walk(new Tensor(first.gradients(), true));
        }
        if (call.kind().view() && !inputs.isEmpty()) {
            return new Walk(first);
        }
        return new Walk(new Tensor(gradients, false));
    }

    private Walk block(CostNode node, List<Tensor> inputs) {
        Flow flow = node.flow();
        Tensor[] outputs = new Tensor[node.children().size()];
        String refused = null;
        String kind = null;
        for (int e = 0; e < node.children().size(); e++) {
            CostNode.Child child = node.children().get(e);
            List<Tensor> reads = new ArrayList<>();
            for (Flow.Source source : flow.reads().get(e)) {
                // a tensor from inside a child stands as that child's output here
                reads.add(source.isInput() ? inputs.get(source.input()) : outputs[source.entry()]);
            }
            // A run feeds each repetition the one before: each tensor's two facts settle within a few repetitions.
            Tensor out = null;
            for (int r = 0; r < child.count(); r++) {
                Walk walk = walk(child.node(), reads);
                if (refused == null && walk.refused() != null) {
                    refused = ModelCosts.join(child.name(r), walk.refused());
                    kind = walk.kind();
                }
                boolean settled = !reads.isEmpty() && walk.output().equals(reads.get(0));
                out = walk.output();
                if (reads.isEmpty() || settled) {
                    break;
                }
                reads.set(0, out);
            }
            outputs[e] = out;
        }
        Flow.Source returned = flow.output();
        return new Walk(returned.isInput() ? inputs.get(returned.input()) : outputs[returned.entry()], refused, kind);
    }
}
