package dev.modelcost.processor.analysis;

import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.layers.Figure;
import java.util.List;
import java.util.Map;

/**
 * The analysed form of a layer, block or model: output shape, total costs and named children.
 * Nodes hold no path, so one analysed block can be shared by every place that applies it alike.
 *
 * @param kind the layer kind ({@code Conv2d}), or the block's class name
 * @param leaf whether this is a single layer or merge
 * @param output the output shape
 * @param totals the costs, children included
 * @param children the named children, in order; a run of identical repetitions is one entry
 * @param outputFrom the path, relative to this node, of the leaf that produced the output (empty for a leaf or an unchanged input)
 * @param parameters a leaf's parameter tensors under PyTorch's names, name to shape, where its formula names them; else empty
 * @param call what a single layer or merge was called with; null for a block and for a mixture of experts
 * @param fastPath whether the block stands for a PyTorch module with a fused fast path ({@code @FastPath})
 * @param flow a block's tensors: what each child reads and what the block returns; null for a leaf
 * @param experts for a mixture of experts (a leaf), its experts' block and its {@code topK}; else null
 */
public record CostNode(String kind, boolean leaf, Shape output, Costs totals, List<Child> children, String outputFrom,
        Map<String, List<Integer>> parameters, LeafCall call, boolean fastPath, Flow flow, Experts experts) {

    /** A node without named parameters, call, fast path, flow or experts. */
    public CostNode(String kind, boolean leaf, Shape output, Costs totals, List<Child> children, String outputFrom) {
        this(kind, leaf, output, totals, children, outputFrom, Map.of(), null, false, null, null);
    }

    /** A block node (or a leaf) without experts. */
    public CostNode(String kind, boolean leaf, Shape output, Costs totals, List<Child> children, String outputFrom,
            Map<String, List<Integer>> parameters, LeafCall call, boolean fastPath, Flow flow) {
        this(kind, leaf, output, totals, children, outputFrom, parameters, call, fastPath, flow, null);
    }

    /** Whether this node is a layer computing causal attention ({@code isCausal}), which {@code @Model(causal)} counts. */
    public boolean causalAttention() {
        return call != null && call.attrs().flags().getOrDefault("isCausal", false);
    }

    /** Whether this node is the repetitions of a {@code @Repeat} (its kind is the block's name, " x" and the count). */
    public boolean repetitions() {
        return !leaf && call == null && kind.matches(".+ x\\d+");
    }

    /**
     * The experts of a mixture, as one leaf stands for them.
     *
     * @param expert one expert's analysed block, over every token
     * @param topK how many experts each token runs through
     * @param count how many experts the mixture holds
     * @param tokens how many tokens the mixture routes in its forward pass, the batch included
     */
    public record Experts(CostNode expert, int topK, int count, long tokens) {
        /** How many experts {@code tokens} tokens reach: {@code min(count, tokens · topK)}, as routing that spreads them reaches. */
        public long reached(long tokens) {
            return Math.min(count, Math.multiplyExact(tokens, topK));
        }
    }

    /**
     * One child, or a run of {@code count} children that are the same analysed node, named
     * {@code prefix + first}, {@code prefix + (first + 1)}, ... in order.
     *
     * @param prefix the child's name, or the start of every name in a run
     * @param first the number of the run's first child (0 for a single child)
     * @param count how many children this entry stands for, at least 1
     * @param node the analysed child
     */
    public record Child(String prefix, int first, int count, CostNode node) {
        /** Checks the count. */
        public Child {
            if (count < 1) {
                throw new IllegalArgumentException("count " + count);
            }
        }

        /** A single child. */
        public static Child of(String name, CostNode node) {
            return new Child(name, 0, 1, node);
        }

        /** Whether this entry stands for more than one child. */
        public boolean run() {
            return count > 1;
        }

        /** The name of the child at {@code index} (0 for a single child). */
        public String name(int index) {
            return run() ? prefix + (first + index) : prefix;
        }

        /**
         * The index in this run of the repetition named {@code name}, its prefix and a number in the run's range written as the
         * run names it (no leading zeros, no sign); -1 where it names none, or this is a single child.
         */
        public long repetitionIndex(String name) {
            if (!run() || !name.startsWith(prefix)) {
                return -1;
            }
            String number = name.substring(prefix.length());
            if (!number.matches("0|[1-9]\\d{0,9}")) {
                return -1;
            }
            long index = Long.parseLong(number) - first;
            return index >= 0 && index < count ? index : -1;
        }
    }

    /** This node and everything under it with {@code figures} 0; each distinct node is copied once ({@code done} maps originals to copies). */
    CostNode without(List<Figure> figures, Map<CostNode, CostNode> done) {
        return copied(figures, false, done);
    }

    /** The figures a later call of a module adds nothing to: its weights are the first call's. */
    static final List<Figure> WEIGHTS = List.of(Figure.PARAMS, Figure.ACTIVE_PARAMS, Figure.EMBEDDING_PARAMS, Figure.NON_EMBEDDING_PARAMS,
            Figure.BUFFERS, Figure.WEIGHT_BYTES);

    /**
     * This node as a later call of the same module runs it ({@code @Repeat(shared = true)}): no parameters, buffers, weight
     * bytes or named parameters of its own anywhere under it, each leaf's call marked as running a module called before
     * ({@link LeafCall#calledAgain}); its work, bytes moved and KV cache as they are. Each distinct node is copied once.
     */
    CostNode calledAgain(Map<CostNode, CostNode> done) {
        return copied(WEIGHTS, true, done);
    }

    private CostNode copied(List<Figure> figures, boolean again, Map<CostNode, CostNode> done) {
        CostNode known = done.get(this);
        if (known != null) {
            return known;
        }
        Costs zeroed = totals;
        for (Figure figure : figures) {
            zeroed = zeroed.with(figure, 0);
        }
        List<Child> copied = new java.util.ArrayList<>();
        for (Child child : children) {
            copied.add(new Child(child.prefix(), child.first(), child.count(), child.node().copied(figures, again, done)));
        }
        Experts kept = experts == null ? null : new Experts(experts.expert().copied(figures, again, done), experts.topK(), experts.count(), experts.tokens());
        // A call already marked (a shared repetition inside another) keeps the module's parameters it was marked with.
        LeafCall marked = again && call != null && !call.again() ? call.calledAgain(totals.params(), totals.get(Figure.WEIGHT_BYTES)) : call;
        CostNode copy = new CostNode(kind, leaf, output, zeroed, List.copyOf(copied), outputFrom, again ? Map.of() : parameters, marked,
                fastPath, flow, kept);
        done.put(this, copy);
        return copy;
    }

    /** A single layer or merge. */
    static CostNode leaf(String kind, Shape output, Costs totals, Map<String, List<Integer>> parameters, LeafCall call) {
        return new CostNode(kind, true, output, totals, List.of(), "", parameters, call, false, null);
    }
}
