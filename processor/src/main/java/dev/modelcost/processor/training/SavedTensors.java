package dev.modelcost.processor.training;

import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.Flow;
import dev.modelcost.processor.analysis.LeafCall;
import dev.modelcost.processor.layers.Autograd;
import dev.modelcost.processor.layers.Dtype;
import dev.modelcost.processor.layers.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The activations autograd saves for the backward pass of one training step, each storage once
 * however many layers save it (a ReLU's result that the next convolution saves as its input is one
 * tensor), as PyTorch's {@code saved_tensors_hooks} see them: what each kind saves is its
 * {@link Autograd} rule. Views and in-place layers share their input's storage. A run of identical
 * repetitions is walked twice and the second's share counted for the rest.
 */
final class SavedTensors {
    private final long batch;
    private final Dtype dtype;
    private final double innerScale;
    private final List<Long> bytes = new ArrayList<>();
    private final Set<Integer> saved = new HashSet<>();
    private final Map<String, Long> byLeaf = new HashMap<>();
    private long total;

    /**
     * A walk at {@code batch} samples, every activation at {@code dtype}; a tensor read from inside
     * a block is rescaled from the model's {@code modelBatch} and {@code modelDtype}.
     */
    SavedTensors(long batch, Dtype dtype, long modelBatch, Dtype modelDtype) {
        this.batch = batch;
        this.dtype = dtype;
        this.innerScale = (double) batch / modelBatch * dtype.bits() / modelDtype.bits();
    }

    /** The bytes saved so far. */
    long total() {
        return total;
    }

    /** The bytes each leaf saved first (a tensor saved by two layers is the first's), by path; a long run's first two repetitions. */
    Map<String, Long> byLeaf() {
        return byLeaf;
    }

    /** A storage of {@code size} bytes, not saved yet. */
    int storage(long size) {
        bytes.add(size);
        return bytes.size() - 1;
    }

    /** The bytes of one tensor at this walk's batch and dtype, token ids at 8 bytes. */
    long tensor(Shape shape) {
        long elements = shape.batched() ? Math.multiplyExact(batch, shape.elements()) : shape.elements();
        return shape.ids() ? Math.multiplyExact(8, elements) : dtype.bytes(elements);
    }

    private void save(int storage) {
        if (saved.add(storage)) {
            total = Math.addExact(total, bytes.get(storage));
        }
    }

    /** Walks a node at {@code path} whose inputs are {@code inputs} (storages), and gives the storage of its output. */
    int walk(CostNode node, String path, List<Integer> inputs) {
        if (!node.leaf()) {
            return block(node, path, inputs);
        }
        long before = total;
        int out = leaf(node, inputs);
        byLeaf.putIfAbsent(path, total - before);
        return out;
    }

    private int leaf(CostNode node, List<Integer> inputs) {
        LeafCall call = node.call();
        if (call == null) {
            // a mixture of experts: its input and output, as one layer would save them
            inputs.forEach(this::save);
            int out = storage(tensor(node.output()));
            save(out);
            return out;
        }
        Autograd rule = call.kind().autograd();
        boolean alias = call.kind().view() && !rule.writes() || call.attrs().flags().getOrDefault("inplace", false);
        int out = alias ? (inputs.isEmpty() ? storage(0) : inputs.get(0)) : storage(tensor(node.output()));
        switch (rule.tensors()) {
            case INPUTS -> inputs.forEach(this::save);
            case OUTPUT -> save(out);
            case NONE -> { }
        }
        total = Math.addExact(total, rule.extra().bytes(call.attrs(), call.inputs(), node.output(), batch, dtype));
        return out;
    }

    private int block(CostNode node, String path, List<Integer> inputs) {
        Flow flow = node.flow();
        List<CostNode.Child> children = node.children();
        int[] outputs = new int[children.size()];
        Map<Flow.Source, Integer> inner = new HashMap<>();
        for (int e = 0; e < children.size(); e++) {
            List<Integer> reads = new ArrayList<>();
            for (Flow.Source source : flow.reads().get(e)) {
                reads.add(resolve(source, inputs, outputs, inner));
            }
            CostNode.Child child = children.get(e);
            int out = walk(child.node(), join(path, child.name(0)), reads);
            if (child.run()) {
                // each later repetition reads the one before; the second's share stands for every later one
                List<Integer> next = new ArrayList<>(reads);
                next.set(0, out);
                long before = total;
                out = walk(child.node(), join(path, child.name(1)), next);
                total = Math.addExact(total, Math.multiplyExact(total - before, child.count() - 2L));
            }
            outputs[e] = out;
        }
        return resolve(flow.output(), inputs, outputs, inner);
    }

    private static String join(String head, String tail) {
        return head.isEmpty() ? tail : head + "." + tail;
    }

    private int resolve(Flow.Source source, List<Integer> inputs, int[] outputs, Map<Flow.Source, Integer> inner) {
        if (source.isInput()) {
            return inputs.get(source.input());
        }
        if (source.inner() > 0) {
            return inner.computeIfAbsent(source, s -> storage(Math.round(s.inner() * innerScale)));
        }
        return outputs[source.entry()];
    }
}
