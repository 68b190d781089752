package dev.modelcost.processor.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's leaves in execution order, every repetition expanded, with the tensors each reads: a
 * model input ({@code -1 - k}) or an earlier leaf's output (its index). A view's output is a tensor
 * of its own, as it has a shape of its own.
 *
 * @param steps the leaves in execution order
 * @param outputs every tensor the model returns ({@code @Model(output)}), its output first
 * @param tests the {@code @When}s that read tensors' sizes ({@link Flow#tests()}), in execution order, every repetition's
 */
public record ForwardPass(List<Step> steps, List<Integer> outputs, List<Test> tests) {
    /** Copies the steps, outputs and tests. */
    public ForwardPass {
        steps = List.copyOf(steps);
        outputs = List.copyOf(outputs);
        tests = List.copyOf(tests);
    }

    /** The tensor the model returns first, its output. */
    public int output() {
        return outputs.get(0);
    }

    /**
     * One leaf.
     *
     * @param path its path
     * @param node its analysed node
     * @param reads the tensors it is called with, in order
     * @param named the tensors whose sizes its attributes read besides its own input, by name ({@link Flow#sized()})
     */
    public record Step(String path, CostNode node, List<Integer> reads, Map<String, Integer> named) {
        /** Copies the reads and names. */
        public Step {
            reads = List.copyOf(reads);
            named = Map.copyOf(named);
        }
    }

    /**
     * A {@code @When} that reads tensors' sizes, where it is in the pass.
     *
     * @param path its step's path
     * @param test the test
     * @param named the tensors it reads, by the names of {@link SizeTest#tensors()}: a model input ({@code -1 - k}) or a step's
     *     output; one it reads that its block cannot name is absent
     * @param before the step it comes before (the number of steps where it comes after the last)
     */
    public record Test(String path, SizeTest test, Map<String, Integer> named, int before) {
        /** Copies the names. */
        public Test {
            named = Map.copyOf(named);
        }
    }

    /**
     * The forward pass of an analysed model.
     *
     * @throws IllegalArgumentException where a block reads or returns a tensor from inside a child that is no leaf's output
     */
    public static ForwardPass of(ModelCosts costs) {
        List<Integer> inputs = new ArrayList<>();
        for (int k = 0; k < costs.spec().inputs().size(); k++) {
            inputs.add(-1 - k);
        }
        List<Step> steps = new ArrayList<>();
        List<Test> tests = new ArrayList<>();
        CostNode root = costs.root();
        if (root.leaf()) {
            return new ForwardPass(steps, List.of(walk(root, "", inputs, Map.of(), steps, new HashMap<>(), tests)), tests);
        }
        Map<String, Integer> byPath = new HashMap<>();
        int[] outputs = children(root, "", inputs, steps, byPath, tests);
        List<Integer> returned = new ArrayList<>();
        for (Flow.Source source : root.flow().returned()) {
            returned.add(tensor(source, root, "", inputs, outputs, byPath, steps));
        }
        return new ForwardPass(steps, returned, tests);
    }

    private static int walk(CostNode node, String path, List<Integer> inputs, Map<String, Integer> named, List<Step> steps,
            Map<String, Integer> byPath, List<Test> tests) {
        if (node.leaf()) {
            steps.add(new Step(path, node, inputs, named));
            byPath.put(path, steps.size() - 1);
            return steps.size() - 1;
        }
        int[] outputs = children(node, path, inputs, steps, byPath, tests);
        return tensor(node.flow().output(), node, path, inputs, outputs, byPath, steps);
    }

    /** Walks a block's children in order, each repetition expanded: each child's output, by its entry. */
    private static int[] children(CostNode node, String path, List<Integer> inputs, List<Step> steps, Map<String, Integer> byPath,
            List<Test> tests) {
        Flow flow = node.flow();
        int[] outputs = new int[node.children().size()];
        int test = 0;
        for (int e = 0; e < node.children().size(); e++) {
            test = tests(flow, e, test, node, path, inputs, outputs, byPath, steps, tests);
            CostNode.Child child = node.children().get(e);
            List<Integer> reads = new ArrayList<>();
            for (Flow.Source source : flow.reads().get(e)) {
                reads.add(tensor(source, node, path, inputs, outputs, byPath, steps));
            }
            Map<String, Integer> sized = new HashMap<>();
            for (Map.Entry<String, Flow.Source> read : flow.sized().get(e).entrySet()) {
                sized.put(read.getKey(), tensor(read.getValue(), node, path, inputs, outputs, byPath, steps));
            }
            int out = -1;
            for (int r = 0; r < child.count(); r++) {
                out = walk(child.node(), ModelCosts.join(path, child.name(r)), reads, sized, steps, byPath, tests);
                byPath.put(ModelCosts.join(path, child.name(r)), out);
                if (!reads.isEmpty()) {
                    reads.set(0, out);
                }
            }
            outputs[e] = out;
        }
        tests(flow, node.children().size(), test, node, path, inputs, outputs, byPath, steps, tests);
        return outputs;
    }

    /** Adds the block's tests from {@code first} on that come before child entry {@code entry}; the first not added. */
    private static int tests(Flow flow, int entry, int first, CostNode node, String path, List<Integer> inputs, int[] outputs,
            Map<String, Integer> byPath, List<Step> steps, List<Test> tests) {
        int t = first;
        for (; flow != null && t < flow.tests().size() && flow.tests().get(t).before() <= entry; t++) {
            Flow.Test test = flow.tests().get(t);
            Map<String, Integer> named = new HashMap<>();
            for (Map.Entry<String, Flow.Source> read : test.sources().entrySet()) {
                named.put(read.getKey(), tensor(read.getValue(), node, path, inputs, outputs, byPath, steps));
            }
            tests.add(new Test(ModelCosts.join(path, test.step()), test.test(), named, steps.size()));
        }
        return t;
    }

    /**
     * The tensor a block's source stands for: one of its inputs, a child's output, or a tensor from inside a child, by its path;
     * another result of a layer's call ({@code enc.h_n}) is a step of its own, of no cost, on the layer's inputs, added where it is
     * first read.
     */
    private static int tensor(Flow.Source source, CostNode node, String path, List<Integer> inputs, int[] outputs, Map<String, Integer> byPath,
            List<Step> steps) {
        if (source.isInner()) {
            String full = ModelCosts.join(path, childPath(source, node));
            Integer inner = byPath.get(full);
            int dot = full.lastIndexOf('.');
            Integer layer = inner != null || dot < 0 ? null : byPath.get(full.substring(0, dot));
            if (layer != null && steps.get(layer).node().call() != null
                    && steps.get(layer).node().call().kind().results().contains(full.substring(dot + 1))) {
                Step call = steps.get(layer);
                CostNode result = CostNode.leaf(call.node().kind(), source.inner(), dev.modelcost.processor.layers.Costs.ZERO, Map.of(),
                        call.node().call().passingOn(full.substring(dot + 1)));
                steps.add(new Step(full, result, call.reads(), call.named()));
                inner = steps.size() - 1;
                byPath.put(full, inner);
            }
            if (inner == null) {
                throw new IllegalArgumentException("a tensor from inside a block that is not a layer's output, or another result of a "
                        + "layer's call (" + source.path() + ")");
            }
            return inner;
        }
        return source.isInput() ? inputs.get(source.input()) : outputs[source.entry()];
    }

    /**
     * A tensor's path from inside a child as the children name it: the spec's path names the block field first, which an indexed
     * network numbers ({@code body.stem} is child {@code 0}'s {@code stem}), and a block applied in place leaves out (its fields
     * are this network's own children: {@code body.stem} is the child {@code stem}).
     */
    private static String childPath(Flow.Source source, CostNode node) {
        String written = source.path();
        int dot = written.indexOf('.');
        if (dot < 0) {
            return written;
        }
        if (source.inPlace()) {
            return written.substring(dot + 1);
        }
        CostNode.Child child = node.children().get(source.entry());
        return child.run() ? written : child.name(0) + written.substring(dot);
    }
}
