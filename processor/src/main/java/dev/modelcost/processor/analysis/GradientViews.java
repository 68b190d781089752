package dev.modelcost.processor.analysis;

import java.util.ArrayList;
import java.util.HashMap;
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
 * need none; a tensor an in-place layer of the same block modifies has its facts after it. A dropout is an identity at
 * inference, whatever its {@code inplace}; the tokens a mixture of experts gathers for an expert are a copy. PyTorch also refuses
 * to read one of the views {@code chunk} returned after its storage was modified in place with gradients ("... its base or
 * another view of its base has been modified inplace"); that is followed within a block. Not followed: a block's input modified
 * in place inside the block and read again after it, or a view taken in one block and its storage modified in another.
 *
 * <p>In a training step ({@code module.train()}, gradients on) a dropout with {@code p > 0} modifies its input where in place,
 * and the model's inputs of floating point need gradients where {@code @Training(inputsRequireGrad = true)} (token ids never do).
 */
public final class GradientViews {
    /** The kinds that return one of several views of their input. */
    private static final List<String> MULTIPLE_VIEWS = List.of("Chunk");

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
    /** Whether the walk is of a training step: dropout active, the inputs needing gradients where the step says. */
    private final boolean training;

    private GradientViews(boolean training) {
        this.training = training;
    }

    /**
     * What PyTorch raises, with gradients on, at the first layer of the model that modifies a tensor as above (its words quoted,
     * around the layer's path and kind, after {@code "RuntimeError: "}), or null: at inference ({@code training} false, as the
     * counters run the model) or in the model's training step.
     */
    public static String refusedWithGradients(ModelCosts costs, boolean training) {
        List<Tensor> inputs = new ArrayList<>();
        boolean inputsNeedGradients = training && costs.spec().training() != null && costs.spec().training().inputsRequireGrad();
        for (int k = 0; k < costs.spec().inputs().size(); k++) {
            inputs.add(inputsNeedGradients && !costs.spec().inputs().get(k).ids() ? new Tensor(true, false, false) : Tensor.INPUT);
        }
        Walk walk = new GradientViews(training).walk(costs.root(), inputs);
        return walk.refused() == null ? null : walk.why().formatted(walk.refused() + " (" + walk.kind() + ")");
    }

    private Walk walk(CostNode node, List<Tensor> inputs) {
        Map<List<Tensor>, Walk> known = memo.computeIfAbsent(node, n -> new HashMap<>());
        Walk walk = known.get(inputs);
        if (walk == null) {
            walk = node.leaf() ? leaf(node, inputs) : block(node, inputs, null, 0);
            known.put(List.copyOf(inputs), walk);
        }
        return walk;
    }

    private Walk leaf(CostNode node, List<Tensor> inputs) {
        Tensor first = inputs.isEmpty() ? Tensor.INPUT : inputs.get(0);
        boolean readsGradients = inputs.stream().anyMatch(Tensor::gradients);
        LeafCall call = node.call();
        if (call == null) {
            // A mixture of experts: its experts' weights, and whatever one expert does to the tokens it gathers (a copy).
            List<Tensor> gathered = inputs.stream().map(t -> new Tensor(t.gradients(), false, false)).toList();
            Walk expert = node.experts() == null ? new Walk(Tensor.INPUT) : walk(node.experts().expert(), gathered);
            return new Walk(new Tensor(true, false, false), expert.refused(), expert.kind(), expert.why());
        }
        boolean holdsWeights = node.totals().params() > 0 || call.again() && call.sharedParams() > 0 || call.sharedBytes() > 0;
        if (inputs.isEmpty()) {
            // A tensor the model holds: a parameter needs gradients and may not be modified in place.
            return new Walk(new Tensor(holdsWeights, false, holdsWeights));
        }
        if (MULTIPLE_VIEWS.contains(node.kind())) {
            return new Walk(new Tensor(first.gradients(), true, first.parameter()));
        }
        // Before in-place layers: a view kind that takes inplace (a dropout, an identity at inference) modifies nothing; in training a
        // dropout with p > 0 writes its output, in place where it says so.
        boolean writes = training && call.kind().autograd().writes().test(call.attrs());
        if (call.kind().view() && !writes) {
            return new Walk(call.copies() ? new Tensor(first.gradients(), false, false) : first);
        }
        if (call.kind().view() && !call.inPlace()) {
            return new Walk(new Tensor(first.gradients(), false, false));
        }
        if (call.inPlace()) {
            boolean resultNeedsGradients = readsGradients || holdsWeights;
            if (first.parameter()) {
                return new Walk(first, "", node.kind(), "RuntimeError: PyTorch, with gradients on, refuses the in-place %s on a parameter "
                        + "(\"... leaf Variable that requires grad is being used in an in-place operation\")");
            }
            if (first.ofSeveral() && resultNeedsGradients) {
                return new Walk(first, "", node.kind(), "RuntimeError: PyTorch, with gradients on, refuses the in-place %s on one of "
                        + "the views chunk returns, where the result needs gradients (\"... is a view and is being modified inplace. This view "
                        + "is the output of a function that returns multiple views\")");
            }
            return new Walk(new Tensor(resultNeedsGradients, first.ofSeveral(), false));
        }
        return new Walk(new Tensor(readsGradients || holdsWeights, false, false));
    }

    /**
     * Walks a block from its inputs {@code given}; where {@code inner} is given, stops at the tensor it names inside the block
     * ({@code inner[at]} the name of a child or a repetition, and so on; the last a layer's other result) and returns that tensor
     * as the output, or the block's output where no child has that name.
     */
    private Walk block(CostNode node, List<Tensor> given, String[] inner, int at) {
        Flow flow = node.flow();
        List<Tensor> inputs = new ArrayList<>(given);
        Tensor[] outputs = new Tensor[node.children().size()];
        List<List<Tensor>> readsOf = new ArrayList<>();
        String refused = null;
        String kind = null;
        String why = null;
        // The storage each child's output is (a view's or an in-place layer's is its input's): an input as -1 - k, else the child
        // that wrote it; and where a child modified a storage in place, with gradients, the first such child.
        int[] storageOf = new int[node.children().size()];
        Map<Integer, Integer> modifiedBy = new HashMap<>();
        for (int e = 0; e < node.children().size(); e++) {
            CostNode.Child child = node.children().get(e);
            List<Flow.Source> sources = flow.reads().get(e);
            List<Tensor> reads = new ArrayList<>();
            for (Flow.Source source : sources) {
                reads.add(source.isInput() ? inputs.get(source.input())
                        : source.isInner() ? innerTensor(node, given, readsOf, source) : outputs[source.entry()]);
                // One of the views chunk returns, read after its storage was modified in place: PyTorch refuses the read.
                if (refused == null && !source.isInput() && !source.isInner() && outputs[source.entry()].ofSeveral()) {
                    Integer by = modifiedBy.get(storageOf[source.entry()]);
                    if (by != null && by > source.entry()) {
                        refused = child.name(0);
                        kind = child.node().kind();
                        why = "RuntimeError: PyTorch, with gradients on, refuses %s's read of one of the views chunk returns, whose storage "
                                + node.children().get(by).name(0) + " modified in place after the view was taken (\"... is a view and its base "
                                + "or another view of its base has been modified inplace\")";
                    }
                }
            }
            readsOf.add(List.copyOf(reads));
            // The repetition the inner name asks for, if it is one of this child's.
            long target = inner == null ? -1 : repetition(child, inner[at]);
            // A run feeds each repetition the one before: the tensors' facts settle within a few repetitions, and stay.
            Tensor out = null;
            for (long r = 0; r < child.count(); r++) {
                if (r == target) {
                    return at == inner.length - 1 || child.node().leaf() ? new Walk(walk(child.node(), reads).output())
                            : block(child.node(), reads, inner, at + 1);
                }
                Walk walk = walk(child.node(), reads);
                if (refused == null && walk.refused() != null) {
                    refused = ModelCosts.join(child.name((int) r), walk.refused());
                    kind = walk.kind();
                    why = walk.why();
                }
                boolean settled = !reads.isEmpty() && walk.output().equals(reads.get(0));
                out = walk.output();
                if (!reads.isEmpty()) {
                    reads.set(0, out);
                }
                if (reads.isEmpty() || settled) {
                    if (target > r) {
                        // Every later repetition reads what this one did: the one asked for too.
                        return at == inner.length - 1 || child.node().leaf() ? new Walk(walk(child.node(), reads).output())
                                : block(child.node(), reads, inner, at + 1);
                    }
                    break;
                }
            }
            outputs[e] = out;
            LeafCall call = child.node().leaf() ? child.node().call() : null;
            Flow.Source first = sources.isEmpty() || sources.get(0).isInner() ? null : sources.get(0);
            int firstStorage = first == null ? e : first.isInput() ? -1 - first.input() : storageOf[first.entry()];
            boolean inPlace = call != null && call.inPlace() && !call.kind().view();
            storageOf[e] = first != null && call != null && (inPlace || call.viewOnly()) ? firstStorage : e;
            // An in-place layer of this block modifies the tensor it reads: its later readers see that tensor's new facts.
            if (inPlace && first != null) {
                if (first.isInput()) {
                    inputs.set(first.input(), out);
                } else {
                    outputs[first.entry()] = out;
                }
                if (out.gradients()) {
                    modifiedBy.putIfAbsent(firstStorage, e);
                }
            }
        }
        Flow.Source returned = flow.output();
        return new Walk(returned.isInput() ? inputs.get(returned.input()) : outputs[returned.entry()], refused, kind, why);
    }

    /**
     * Which repetition of {@code child} the name is, counted from 0 ({@code "00"} and {@code "0"} alike, as the analysis finds
     * them), or -1 where it names none of them; a child that is no run is its own repetition 0.
     */
    private static long repetition(CostNode.Child child, String name) {
        if (!child.run()) {
            return child.prefix().equals(name) ? 0 : -1;
        }
        if (!name.startsWith(child.prefix())) {
            return -1;
        }
        String number = name.substring(child.prefix().length());
        if (!number.matches("\\d{1,10}")) {
            return -1;
        }
        long index = Long.parseLong(number) - child.first();
        return index >= 0 && index < child.count() ? index : -1;
    }

    /**
     * A tensor read from inside an earlier child ({@code "backbone.4"}, {@code "lstm.h_n"}), walked to where it is. A block
     * applied in place or a run inlined has its children among this block's own, under their own names: there, the path after
     * the field's name is looked up among them, from this block's inputs {@code given}.
     */
    private Tensor innerTensor(CostNode node, List<Tensor> given, List<List<Tensor>> readsOf, Flow.Source source) {
        CostNode.Child entry = node.children().get(source.entry());
        String path = source.path();
        int dot = path.indexOf('.');
        if (dot < 0) {
            return walk(entry.node(), readsOf.get(source.entry())).output();
        }
        String[] inside = path.substring(dot + 1).split("\\.");
        boolean inEntry = entry.node().children().stream().anyMatch(c -> repetition(c, inside[0]) >= 0);
        if (!inEntry && node.children().stream().anyMatch(c -> repetition(c, inside[0]) >= 0)) {
            return block(node, given, inside, 0).output(); // a block applied in place or a run inlined
        }
        return entry.node().leaf() ? walk(entry.node(), readsOf.get(source.entry())).output() // another result of a layer's call
                : block(entry.node(), readsOf.get(source.entry()), inside, 0).output();
    }

}
