package dev.modelcost.processor.training;

import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.Flow;
import dev.modelcost.processor.analysis.LeafCall;
import dev.modelcost.processor.analysis.ModelCosts;
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
    private final boolean mixed;
    private final List<Long> bytes = new ArrayList<>();
    private final Set<Integer> saved = new HashSet<>();
    /**
     * The storages of tensors that require grad: those a recorded layer wrote, and the model's inputs where
     * {@code @Training(inputsRequireGrad)} says so (else they are data).
     */
    private final Set<Integer> requiresGrad = new HashSet<>();
    /** The storage of each node's output walked so far, by its path (a run's first two repetitions only). */
    private final Map<String, Integer> byPath = new HashMap<>();
    /** The runs walked: a path into a later repetition, not walked, stands for the same path in the second ({@link #standIn}). */
    private final List<RunAt> runs = new ArrayList<>();
    /** Whether autograd saved any tensor for backward so far (a storage saved again, or of no bytes of its own, included). */
    private boolean savedAny;
    private final Map<String, Long> byLeaf = new HashMap<>();
    private final Map<Integer, String> savedBy = new HashMap<>();
    private String path = "";
    /**
     * Under recomputation, the storages that the segments walked so far keep to recompute their activations in backward, by the
     * path of the segment that keeps each; null where autograd saves as the forward pass runs.
     */
    private Map<Integer, String> keptBySegments;
    /** Under recomputation, the storages a layer of the segment being walked saved, each with the first such layer's path. */
    private final Map<Integer, String> savedInSegment = new HashMap<>();
    /** Under recomputation, the segment being walked and the inputs it keeps that its recomputation reads. */
    private String segment = "";
    private Set<Integer> segmentInputs = Set.of();
    /** Every storage a layer saved (held elsewhere or not), and whether a layer saved tensors of its own (statistics, masks). */
    private final Set<Integer> savedByLayers = new HashSet<>();
    private boolean savedExtra;
    /** In-place kinds that give the same result run twice: recomputing one on its already overwritten input changes nothing. */
    private static final Set<String> IDEMPOTENT = Set.of("ReLU", "ReLU6", "Hardtanh");
    /**
     * In-place kinds whose own backward is right when recomputed on their already overwritten input (LeakyReLU's reads the result's
     * sign, which a second pass keeps; dropout's mask comes from the saved random state): a segment of that layer alone trains.
     */
    private static final Set<String> ALONE_RECOMPUTABLE = Set.of("LeakyReLU", "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout",
            "FeatureAlphaDropout");
    private String[] conflict;
    private String[] refusedInBackward;
    private long total;

    /**
     * A walk at {@code batch} samples: in mixed precision every activation at {@code dtype} (2
     * bytes), else each layer's at its own activation dtype and the model's inputs at {@code dtype}.
     */
    SavedTensors(long batch, Dtype dtype, boolean mixed) {
        this.batch = batch;
        this.dtype = dtype;
        this.mixed = mixed;
    }

    /** The bytes saved so far. */
    long total() {
        return total;
    }

    /** The bytes each leaf saved first (a tensor saved by two layers is the first's), by path; a long run's first two repetitions. */
    Map<String, Long> byLeaf() {
        return byLeaf;
    }

    /** The bytes of a storage. */
    long bytes(int storage) {
        return bytes.get(storage);
    }

    /**
     * A storage of {@code size} bytes held elsewhere (a segment's input, which the segment keeps anyway): saving it adds nothing,
     * but a copy made of it (a mixture's gathered tokens) has its size.
     */
    int heldElsewhere(long size) {
        int storage = storage(size);
        saved.add(storage);
        return storage;
    }

    /** A storage of {@code size} bytes, not saved yet. */
    int storage(long size) {
        bytes.add(size);
        return bytes.size() - 1;
    }

    /** Whether autograd saved any tensor for backward so far: a merge, a view or a layer on data alone saves none. */
    boolean savedAny() {
        return savedAny;
    }

    /**
     * Judges in-place layers by the segments' kept inputs ({@code kept}, which the caller fills as it walks the segments), not by
     * what layers save: under recomputation a segment's saved tensors are made again in backward from the inputs it keeps.
     */
    void recomputing(Map<Integer, String> kept) {
        this.keptBySegments = kept;
    }

    /**
     * Under {@link #recomputing}, begins the walk of the segment at {@code path}, whose recomputation reads {@code inputs} (those it
     * keeps): an in-place layer of it that overwrites one of them, or a tensor a layer of it saved, changes what backward recomputes.
     */
    void beginSegment(String path, java.util.Collection<Integer> inputs) {
        segment = path;
        segmentInputs = Set.copyOf(inputs);
        savedInSegment.clear();
    }

    /**
     * Whether the recomputation of what was walked reads {@code input}, one of {@code inputs}: a layer saved it, or saved a tensor
     * that is none of the inputs (made from them).
     */
    boolean recomputationReads(int input, List<Integer> inputs) {
        return savedByLayers.contains(input) || savedExtra || !inputs.containsAll(savedByLayers);
    }

    /** Marks a storage as holding a tensor that requires grad (a segment's input that an earlier layer wrote). */
    void markRequiresGrad(int storage) {
        requiresGrad.add(storage);
    }

    /** Whether a storage holds a tensor that requires grad. */
    boolean requiresGradAt(int storage) {
        return requiresGrad.contains(storage);
    }

    /** The bytes of one tensor at this walk's batch and dtype, token ids at 8 bytes. */
    long tensor(Shape shape) {
        return tensor(shape, dtype);
    }

    /** The bytes of one tensor at this walk's batch, at {@code at} (or the walk's dtype in mixed precision), token ids at 8 bytes. */
    long tensor(Shape shape, Dtype at) {
        return shape.bytes(batch, mixed ? dtype : at);
    }

    private void save(int storage) {
        savedAny = true;
        savedByLayers.add(storage);
        savedInSegment.putIfAbsent(storage, path);
        if (saved.add(storage)) {
            total = Math.addExact(total, bytes.get(storage));
            savedBy.put(storage, path);
        }
    }

    /**
     * The first layer autograd records whose backward PyTorch refuses ({@link Autograd.Refusal#inBackward()}): its path, its kind,
     * why and what to change; null where none.
     */
    String[] refusedInBackward() {
        return refusedInBackward;
    }

    /**
     * The first in-place layer that overwrites a tensor an earlier layer saved for backward, which
     * PyTorch's backward refuses (under {@link #recomputing}, one an earlier segment keeps): its path
     * and kind, and the path of the layer that saved the tensor (the segment that keeps it); null when
     * there is none.
     */
    String[] conflict() {
        return conflict;
    }

    /** Walks a node at {@code path} whose inputs are {@code inputs} (storages), and gives the storage of its output. */
    int walk(CostNode node, String path, List<Integer> inputs) {
        if (!node.leaf()) {
            int out = block(node, path, inputs);
            byPath.put(path, out);
            return out;
        }
        long before = total;
        this.path = path;
        int out = leaf(node, inputs);
        byLeaf.putIfAbsent(path, total - before);
        byPath.put(path, out);
        return out;
    }

    private int leaf(CostNode node, List<Integer> inputs) {
        LeafCall call = node.call();
        if (call == null) {
            // a mixture of experts: every token runs through topK experts, each saving what one expert saves over its tokens:
            // topK times one expert over every token. Each expert reads its tokens gathered into a tensor of its own
            // (hidden_states[top_x]), not the input's storage, which a layer before may have saved already.
            int out = storage(tensor(node.output()));
            if (node.experts() != null) {
                long before = total;
                List<Integer> gathered = new ArrayList<>();
                for (int input : inputs) {
                    int copy = storage(bytes(input));
                    if (requiresGrad.contains(input)) {
                        requiresGrad.add(copy); // hidden_states[top_x] requires grad where hidden_states does
                    }
                    gathered.add(copy);
                }
                block(node.experts().expert(), ModelCosts.join(path, "expert"), gathered);
                total = Math.addExact(total, Math.multiplyExact(total - before, node.experts().topK() - 1L));
            }
            requiresGrad.add(out); // the experts have weights
            return out;
        }
        Autograd rule = call.kind().autograd();
        // Autograd records a layer only where it has weights or reads a tensor that requires grad: one whose inputs come from the data
        // alone (a pooling or a pad of the image, an activation of the input) saves nothing, and its output requires no grad either.
        // A module called again has its weights where its first call counted them.
        boolean recorded = node.totals().params() > 0 || call.sharedBytes() > 0 || call.again() && call.sharedParams() > 0
                || inputs.stream().anyMatch(requiresGrad::contains);
        boolean inplace = call.inPlace();
        if (recorded && refusedInBackward == null && rule.refuses().inBackward()) {
            String why = rule.refuses().why(call.attrs(), call.inputs(), batch);
            if (why != null) {
                refusedInBackward = new String[] {path, node.kind(), why, rule.refuses().fix(path)};
            }
        }
        // A layer that is a view at inference and writes nothing in training either (dropout with p = 0) leaves its input as it is,
        // run in place or not: PyTorch returns the input itself, its version unchanged.
        boolean overwrites = inplace && !(call.kind().view() && !rule.writes().test(call.attrs()));
        if (overwrites && !inputs.isEmpty() && conflict == null) {
            int target = inputs.get(0);
            String by = keptBySegments == null ? (saved.contains(target) ? savedBy.get(target) : null) : recomputed(target, node.kind());
            if (by != null) {
                conflict = new String[] {path, node.kind(), by};
            }
        }
        // in training, dropout writes a new output where at inference it is a view
        boolean alias = call.aliasesInput() && !(call.kind().view() && rule.writes().test(call.attrs()));
        int out = alias ? inputs.get(0) : storage(call.kind().view() && inputs.isEmpty() ? 0 : tensor(node.output(), call.activations()));
        if (!recorded) {
            return out;
        }
        if (rule.onData() != null && inputs.stream().noneMatch(requiresGrad::contains)) {
            // a layer of several operations on data: autograd records only those that reach its weight
            requiresGrad.add(out);
            saveOwn(rule.onData().bytes(call.attrs(), call.inputs(), node.output(), samples(node), dtype));
            return out;
        }
        requiresGrad.add(out);
        boolean copied = inplace && rule.copiesInPlace();
        if (copied) {
            // the input its backward needs, copied before the layer overwrites it; the storage it overwrites is no longer its input
            int copy = storage(tensor(call.inputs().get(0), call.activations()));
            save(copy);
        }
        // an input copied before an in-place layer overwrote it is saved as that copy
        if (!copied && rule.tensors().savesInputs(call.activations().bits())) {
            // contiguous copies of an input saved in its place: other storages than the one a layer before may have saved
            List<Integer> kept = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                int copies = rule.copiesInputs().of(call.attrs(), call.inputs(), i, batch);
                if (copies < 0) {
                    kept.add(inputs.get(i));
                    continue;
                }
                if (rule.copiesInputs().keepsInput(call.attrs(), call.inputs(), i, batch) && requiresGrad.contains(inputs.get(i))) {
                    kept.add(inputs.get(i));
                }
                Shape input = call.inputs().get(i);
                // a learned tensor is copied as spread over the batch, an operand expanded to another's batch axes at that size
                long elements = rule.copiesInputs().elements(call.attrs(), call.inputs(), i, batch);
                long size = elements >= 0 ? (mixed ? dtype : call.activations()).bytes(elements)
                        : input.batched() ? tensor(input, call.activations()) : Math.multiplyExact(batch, tensor(input, call.activations()));
                for (int c = 0; c < copies; c++) {
                    int copy = storage(size);
                    if (requiresGrad.contains(inputs.get(i))) {
                        requiresGrad.add(copy); // a copy of a tensor that requires grad does too
                    }
                    kept.add(copy);
                }
            }
            if (rule.tensors().forTheOthers()) {
                product(call, kept);
            } else {
                kept.forEach(this::save);
            }
        }
        if (rule.tensors().savesOutput()) {
            save(out);
        }
        saveOwn(rule.extra().bytes(call.attrs(), call.inputs(), node.output(), samples(node), dtype));
        return out;
    }

    /**
     * The samples a layer's own saved tensors are of: the batch, or 1 where its output has none (computed from learned tensors,
     * buffers or positions alone, which run once whatever the batch).
     */
    private long samples(CostNode node) {
        return node.output().batched() ? batch : 1;
    }

    /** Counts the bytes of tensors a layer saves of its own (statistics, masks, a decomposed norm's intermediates). */
    private void saveOwn(long bytes) {
        savedAny |= bytes > 0;
        savedExtra |= bytes > 0;
        total = Math.addExact(total, bytes);
    }

    /**
     * Under recomputation, what recomputes from {@code target}, which an in-place layer of {@code kind} overwrites: an earlier segment
     * that keeps it, a layer of this segment that saved it (the overwrite is run again on it), or this segment, which keeps it and
     * runs the overwrite again on its overwritten values (but for a kind that gives the same twice); null where nothing does.
     */
    private String recomputed(int target, String kind) {
        String keeper = keptBySegments.get(target);
        if (keeper != null) {
            return keeper;
        }
        if (savedInSegment.containsKey(target)) {
            return savedInSegment.get(target);
        }
        boolean alone = path.equals(segment) && ALONE_RECOMPUTABLE.contains(kind);
        return segmentInputs.contains(target) && !IDEMPOTENT.contains(kind) && !alone ? segment : null;
    }

    /**
     * A product of its inputs as PyTorch computes {@code a * b * c}, left to right: each multiplication saves each operand where
     * the other requires grad ({@code MulBackward0}), the partial product {@code a * b} among them, at the layer's activation dtype.
     */
    private void product(LeafCall call, List<Integer> inputs) {
        int partial = inputs.get(0);
        boolean grad = requiresGrad.contains(partial);
        for (int j = 1; j < inputs.size(); j++) {
            int other = inputs.get(j);
            boolean otherGrad = requiresGrad.contains(other);
            if (otherGrad) {
                save(partial);
            }
            if (grad) {
                save(other);
            }
            grad |= otherGrad;
            if (j + 1 < inputs.size()) {
                partial = storage(tensor(Shape.broadcast(call.inputs().subList(0, j + 1)), call.activations()));
            }
        }
    }

    private int block(CostNode node, String path, List<Integer> inputs) {
        Flow flow = node.flow();
        List<CostNode.Child> children = node.children();
        int[] outputs = new int[children.size()];
        Map<Flow.Source, Integer> inner = new HashMap<>();
        for (int e = 0; e < children.size(); e++) {
            List<Integer> reads = new ArrayList<>();
            for (Flow.Source source : flow.reads().get(e)) {
                reads.add(resolve(source, path, inputs, outputs, inner));
            }
            CostNode.Child child = children.get(e);
            int out = walk(child.node(), ModelCosts.join(path, child.name(0)), reads);
            if (child.run()) {
                // each later repetition reads the one before; the second's share stands for every later one
                List<Integer> next = new ArrayList<>(reads);
                next.set(0, out);
                long before = total;
                int second = walk(child.node(), ModelCosts.join(path, child.name(1)), next);
                total = Math.addExact(total, Math.multiplyExact(total - before, child.count() - 2L));
                runs.add(new RunAt(path, child));
                out = second;
                if (child.count() > 2 && second != next.get(0)) {
                    // The second's output is the third's input, which saves it where the second saved the first's (counted in the
                    // later repetitions' share); the run's output, the last's, is another tensor, saved where the second's own was.
                    out = like(second);
                    if (saved.contains(next.get(0))) {
                        saved.add(second);
                    }
                }
            }
            outputs[e] = out;
        }
        return resolve(flow.output(), path, inputs, outputs, inner);
    }


    /**
     * A storage standing for a tensor inside a later repetition of a run ({@code blocks.2.fc}), which is not walked: as large as the
     * same tensor in the second repetition, requiring grad where it does, and saved already where it is (the later repetitions'
     * saved tensors are the second's, counted again); null where the path is in no run walked.
     */
    private Integer standIn(String full) {
        for (RunAt run : runs) {
            long index = run.repetition(full);
            String repetition = index < 0 ? "" : run.pathOf(index);
            // the second repetition's own output is the run's output: a later one's output stands for it as it is
            if (index < 2 || full.length() == repetition.length()) {
                continue;
            }
            String inSecond = run.pathOf(1) + full.substring(repetition.length());
            Integer second = byPath.containsKey(inSecond) ? byPath.get(inSecond) : standIn(inSecond);
            return second == null ? null : like(second);
        }
        return null;
    }

    /**
     * A storage for another tensor like the one in {@code storage}, which the walk stands it for (a later repetition's, a run's
     * output): as large, saved already where that one is (its share counted with it) and requiring grad where that one does.
     */
    int like(int storage) {
        int like = storage(bytes.get(storage));
        if (saved.contains(storage)) {
            saved.add(like);
            savedBy.put(like, savedBy.get(storage));
        }
        if (requiresGrad.contains(storage)) {
            requiresGrad.add(like);
        }
        return like;
    }

    /** The path from the model of a tensor inside a child of the block at {@code blockPath}, read by its path ({@code blk.fc}). */
    static String path(Flow.Source source, String blockPath) {
        // a block applied in place has its fields at this block's path, without its own name
        String path = source.inPlace() ? source.path().substring(source.path().indexOf('.') + 1) : source.path();
        return ModelCosts.join(blockPath, path);
    }

    /**
     * The storage of a tensor a child of the block at {@code blockPath} reads: a block input, a child's output, or a tensor inside a
     * child read by its path, which is the storage walked there where it was ({@code blk.fc}); else (a later repetition of a run)
     * one of its own, per {@code inner}.
     */
    int resolve(Flow.Source source, String blockPath, List<Integer> inputs, int[] outputs, Map<Flow.Source, Integer> inner) {
        if (source.isInput()) {
            return inputs.get(source.input());
        }
        if (!source.isInner()) {
            return outputs[source.entry()];
        }
        String full = path(source, blockPath);
        Integer walked = byPath.get(full);
        if (walked != null) {
            return walked;
        }
        return inner.computeIfAbsent(source, s -> {
            Integer standIn = standIn(full);
            if (standIn != null) {
                return standIn;
            }
            int storage = storage(tensor(s.inner(), dtype));
            // a tensor inside a child is taken to require grad where the child's output does
            if (requiresGrad.contains(outputs[s.entry()])) {
                requiresGrad.add(storage);
            }
            return storage;
        });
    }
}
