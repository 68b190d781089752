package dev.modelcost.processor.memory;

import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.Flow;
import dev.modelcost.processor.analysis.LeafCall;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.layers.Dtype;
import dev.modelcost.processor.layers.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The tensors of a forward pass as a flat graph, every repetition expanded: what each leaf reads and
 * allocates, so that a reader can follow the flow of tensors without the analysed tree (the JSON
 * report carries it). A tensor is a model input ({@code -1 - k}) or the output of step {@code i}.
 *
 * @param inputs the bytes of the model's inputs
 * @param steps the leaves in execution order
 * @param output the tensor the model returns
 * @param outputs every tensor the model returns ({@code @Model(output)}), {@code output} first; a tensor from inside a block field
 *     stands as that field's output, as the steps' reads take it
 */
public record Graph(List<Long> inputs, List<Node> steps, int output, List<Integer> outputs) {
    /** The most leaves the graph lists; a larger model's report leaves it out. */
    public static final long MAX_STEPS = 20_000;

    /** Copies the lists. */
    public Graph {
        inputs = List.copyOf(inputs);
        steps = List.copyOf(steps);
        outputs = List.copyOf(outputs);
    }

    /**
     * One leaf.
     *
     * @param path its path (blocks are the prefixes of leaves' paths)
     * @param kind its kind
     * @param reads the tensors it reads, in order
     * @param bytes the bytes its output allocates; 0 for a view or an in-place layer
     * @param alias the position in {@code reads} of the tensor its output is (a view, an in-place layer), or -1
     * @param scratch bytes it holds only while it runs (max pooling's indices)
     */
    public record Node(String path, String kind, List<Integer> reads, long bytes, int alias, long scratch) {
        /** Copies the reads. */
        public Node {
            reads = List.copyOf(reads);
        }
    }

    /** The graph of a model, or null when it has more than {@link #MAX_STEPS} leaves. */
    public static Graph of(ModelCosts costs) {
        if (costs.leafCount() > MAX_STEPS) {
            return null;
        }
        long batch = costs.spec().batch();
        Dtype dtype = costs.spec().conventions().activations();
        List<Long> inputs = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int k = 0; k < costs.spec().inputs().size(); k++) {
            inputs.add(costs.spec().inputs().get(k).bytes(batch, dtype));
            ids.add(-1 - k);
        }
        List<Node> steps = new ArrayList<>();
        CostNode root = costs.root();
        if (root.leaf() || root.flow() == null) {
            int output = walk(root, "", ids, steps, batch, dtype);
            return new Graph(inputs, steps, output, List.of(output));
        }
        int[] outputs = children(root, "", ids, steps, batch, dtype);
        List<Integer> returned = root.flow().returned().stream().map(source -> tensor(source, ids, outputs)).toList();
        return new Graph(inputs, steps, returned.get(0), returned);
    }

    private static int walk(CostNode node, String path, List<Integer> inputs, List<Node> steps, long batch, Dtype dtype) {
        if (node.leaf()) {
            LeafCall call = node.call();
            boolean alias = call != null && call.aliasesInputAtInference();
            Dtype at = call == null ? dtype : call.activations();
            long bytes = alias || call != null && call.viewOnly() ? 0 : node.output().bytes(batch, at);
            long scratch = call == null ? 0 : call.scratch(node.output());
            // tensors are numbered in the order they are computed, the model's inputs below 0
            int into = alias ? call.aliasedInput(inputs.stream().mapToLong(Integer::longValue).toArray()) : 0;
            steps.add(new Node(path, node.kind(), inputs, bytes, alias ? into : -1, scratch));
            return alias ? inputs.get(into) : steps.size() - 1;
        }
        return tensor(node.flow().output(), inputs, children(node, path, inputs, steps, batch, dtype));
    }

    /** A tensor a block's flow names: one of its inputs or a child's output (a tensor from inside a child stands as its output). */
    private static int tensor(Flow.Source source, List<Integer> inputs, int[] outputs) {
        return source.isInput() ? inputs.get(source.input()) : outputs[source.entry()];
    }

    /** Walks a block's children, in order: the tensor each gives. */
    private static int[] children(CostNode node, String path, List<Integer> inputs, List<Node> steps, long batch, Dtype dtype) {
        Flow flow = node.flow();
        int[] outputs = new int[node.children().size()];
        for (int e = 0; e < node.children().size(); e++) {
            CostNode.Child child = node.children().get(e);
            List<Integer> reads = new ArrayList<>();
            for (Flow.Source source : flow.reads().get(e)) {
                // a tensor from inside a child stands as that child's output here
                reads.add(tensor(source, inputs, outputs));
            }
            int out = -1;
            for (int r = 0; r < child.count(); r++) {
                out = walk(child.node(), ModelCosts.join(path, child.name(r)), reads, steps, batch, dtype);
                if (!reads.isEmpty()) {
                    reads.set(0, out);
                }
            }
            outputs[e] = out;
        }
        return outputs;
    }

}
