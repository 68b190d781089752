package dev.modelcost.processor.counters;

import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.Flow;
import dev.modelcost.processor.analysis.LeafCall;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.layers.Strides;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the first layer that modifies in place a tensor PyTorch refuses to let it modify where gradients are on, so that a
 * tool that runs the model with gradients fails there (measured: tools/pytorch/gradient-view-costs.tsv):
 * <ul>
 * <li>one of the views a function of several views returned ({@code chunk}), or a view of one, where that tensor or the
 *     layer's result needs gradients ("... is a view and is being modified inplace. This view is the output of a function that
 *     returns multiple views"); a slice ({@code x[..., :4]}) is a view of one output, which may be modified, and a reshape that
 *     copies is no view;
 * <li>a parameter ({@code @Parameter}), or a view of one ("a leaf Variable that requires grad is being used in an in-place
 *     operation").
 * </ul>
 * A tensor needs gradients where it is computed from weights: a layer with parameters, a module called again
 * ({@code @Shared}), a layer tied to another's weight, a parameter, or anything computed from such a tensor. A model's inputs
 * need none. A dropout is an identity at inference, whatever its {@code inplace}. Not followed: a tensor modified in place
 * after a chunk of it was taken and before that chunk is read, which PyTorch refuses too.
 */
final class GradientViews {
    /** The kinds that return one of several views of their input. */
    private static final List<String> MULTIPLE_VIEWS = List.of("Chunk");
    /** The view kinds that copy where the input's strides cannot be viewed as the output's sizes. */
    private static final List<String> RESHAPES = List.of("Reshape", "Flatten");

    /**
     * What is known of a tensor: whether it needs gradients, whether it is (a view of) one of several views, whether it is (a
     * view of) a parameter.
     */
    private record Tensor(boolean gradients, boolean ofSeveral, boolean parameter) {
        static final Tensor INPUT = new Tensor(false, false, false);
    }

    /**
     * A walk's result: the output's tensor, and the first layer refused as above, by its path from the node walked ({@code ""} for
     * the node itself), its kind and why; the three null where there is none.
     */
    private record Walk(Tensor output, String refused, String kind, String why) {
        Walk(Tensor output) {
            this(output, null, null, null);
        }
    }

    private final Map<CostNode, Map<List<Tensor>, Walk>> memo = new IdentityHashMap<>();

    private GradientViews() {}

    /** The exception PyTorch raises, with gradients on, at the first layer of the model that modifies a tensor as above, or null. */
    static String refusedWithGradients(ModelCosts costs) {
        List<Tensor> inputs = new ArrayList<>();
        for (int k = 0; k < costs.spec().inputs().size(); k++) {
            inputs.add(Tensor.INPUT);
        }
        Walk walk = new GradientViews().walk(costs.root(), inputs);
        return walk.refused() == null ? null : walk.why().formatted(walk.refused() + " (" + walk.kind() + ")");
    }

    private Walk walk(CostNode node, List<Tensor> inputs) {
        Map<List<Tensor>, Walk> known = memo.computeIfAbsent(node, n -> new java.util.HashMap<>());
        Walk walk = known.get(inputs);
        if (walk == null) {
            walk = node.leaf() ? leaf(node, inputs) : block(node, inputs, null, 0);
            known.put(List.copyOf(inputs), walk);
        }
        return walk;
    }

    private Walk leaf(CostNode node, List<Tensor> inputs) {
        Tensor first = inputs.isEmpty() ? Tensor.INPUT : inputs.get(0);
        boolean computedFromGradients = inputs.stream().anyMatch(Tensor::gradients);
        LeafCall call = node.call();
        if (call == null) {
            // A mixture of experts: its experts' weights, and whatever one expert does to the tokens.
            Walk expert = node.experts() == null ? new Walk(Tensor.INPUT) : walk(node.experts().expert(), inputs);
            return new Walk(new Tensor(true, false, false), expert.refused(), expert.kind(), expert.why());
        }
        boolean weights = node.totals().params() > 0 || call.again() && call.sharedParams() > 0 || call.sharedBytes() > 0;
        if (inputs.isEmpty()) {
            // A tensor the model holds: a parameter needs gradients and may not be modified in place.
            return new Walk(new Tensor(weights, false, weights));
        }
        if (MULTIPLE_VIEWS.contains(node.kind())) {
            return new Walk(new Tensor(first.gradients(), true, first.parameter()));
        }
        if (call.kind().view()) {
            return new Walk(copies(node, call) ? new Tensor(first.gradients(), false, false) : first);
        }
        if (call.inPlace()) {
            boolean resultNeedsGradients = computedFromGradients || weights;
            if (first.parameter()) {
                return new Walk(first, "", node.kind(), "RuntimeError: a leaf Variable that requires grad is being used in an in-place "
                        + "operation (PyTorch, with gradients on, refuses the in-place %s on a parameter)");
            }
            if (first.ofSeveral() && resultNeedsGradients) {
                return new Walk(first, "", node.kind(), "RuntimeError: a view is being modified inplace; this view is the output of a "
                        + "function that returns multiple views (PyTorch, with gradients on, refuses the in-place %s on one of the views "
                        + "chunk returns, where its result needs gradients)");
            }
            return new Walk(new Tensor(resultNeedsGradients, first.ofSeveral(), false));
        }
        return new Walk(new Tensor(computedFromGradients || weights, false, false));
    }

    /** Whether a reshape copies its input: where its strides cannot be viewed as the output's sizes, as PyTorch's reshape decides. */
    private static boolean copies(CostNode node, LeafCall call) {
        if (!RESHAPES.contains(node.kind())) {
            return false;
        }
        Shape x = call.inputs().get(0);
        long batch = call.batch();
        return !x.contiguous(batch) && Strides.view(x.fullSizes(batch), x.strides(batch), node.output().fullSizes(batch)) == null;
    }

    /**
     * Walks a block; where {@code inner} is given, stops at the tensor it names inside the block ({@code inner[at]} the name of a
     * child, a repetition or a result of a layer, and so on) and returns that tensor as the output.
     */
    private Walk block(CostNode node, List<Tensor> inputs, String[] inner, int at) {
        Flow flow = node.flow();
        Tensor[] outputs = new Tensor[node.children().size()];
        List<List<Tensor>> readsOf = new ArrayList<>();
        String refused = null;
        String kind = null;
        String why = null;
        for (int e = 0; e < node.children().size(); e++) {
            CostNode.Child child = node.children().get(e);
            List<Tensor> reads = new ArrayList<>();
            for (Flow.Source source : flow.reads().get(e)) {
                reads.add(source.isInput() ? inputs.get(source.input()) : source.isInner() ? innerTensor(node, readsOf, source) : outputs[source.entry()]);
            }
            readsOf.add(List.copyOf(reads));
            // A run feeds each repetition the one before: the tensors' facts settle within a few repetitions.
            Tensor out = null;
            for (int r = 0; r < child.count(); r++) {
                if (inner != null && child.name(r).equals(inner[at])) {
                    return at == inner.length - 1 || child.node().leaf() ? new Walk(walk(child.node(), reads).output())
                            : block(child.node(), reads, inner, at + 1);
                }
                Walk walk = walk(child.node(), reads);
                if (refused == null && walk.refused() != null) {
                    refused = ModelCosts.join(child.name(r), walk.refused());
                    kind = walk.kind();
                    why = walk.why();
                }
                boolean settled = !reads.isEmpty() && walk.output().equals(reads.get(0));
                out = walk.output();
                if (reads.isEmpty() || settled && (inner == null || !inRun(child, inner[at]))) {
                    break;
                }
                reads.set(0, out);
            }
            outputs[e] = out;
        }
        Flow.Source returned = flow.output();
        return new Walk(returned.isInput() ? inputs.get(returned.input()) : outputs[returned.entry()], refused, kind, why);
    }

    /** Whether {@code name} is a repetition of a run. */
    private static boolean inRun(CostNode.Child child, String name) {
        if (!child.run() || !name.startsWith(child.prefix())) {
            return false;
        }
        String number = name.substring(child.prefix().length());
        if (number.isEmpty() || !number.chars().allMatch(Character::isDigit) || number.length() > 9) {
            return false;
        }
        long k = Long.parseLong(number);
        return k >= child.first() && k < (long) child.first() + child.count();
    }

    /** A tensor read from inside an earlier child ({@code "backbone.4"}, {@code "lstm.h_n"}), walked to where it is. */
    private Tensor innerTensor(CostNode node, List<List<Tensor>> readsOf, Flow.Source source) {
        CostNode child = node.children().get(source.entry()).node();
        String path = source.path();
        int dot = path.indexOf('.');
        if (child.leaf() || dot < 0) {
            return walk(child, readsOf.get(source.entry())).output(); // another result of a layer's call
        }
        return block(child, readsOf.get(source.entry()), path.substring(dot + 1).split("\\."), 0).output();
    }
}
