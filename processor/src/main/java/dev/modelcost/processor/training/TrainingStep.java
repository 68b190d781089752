package dev.modelcost.processor.training;

import dev.modelcost.processor.analysis.Analyzer;
import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.GradientViews;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.layers.Dtype;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.spec.Mirrors;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.TrainingSpec;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Element;

/**
 * The cost of one training step of a model with {@code @Training}.
 *
 * <p>FLOPs: the forward pass's {@code FLOPS}, at the step's batch, and a backward pass of twice
 * that (the gradients of the inputs and of the weights each cost one forward, as Kaplan et al.,
 * Chinchilla, DeepSpeed and calflops count), plus one more forward with recomputation.
 * Memory: the weights (fp16 and an fp32 master copy in mixed precision, else at their dtype), the
 * gradients (as the weights), the optimizer's state (at the weights' dtype, as {@code torch.zeros_like(p)} makes it; fp32 in
 * mixed precision), the buffers in fp32, and the activations
 * saved for backward.
 *
 * @param batch the step's batch
 * @param flops FLOPs of the forward and backward passes
 * @param savedActivations bytes of the activations saved for backward
 * @param weights bytes of the weights, master copies included
 * @param gradients bytes of the gradients
 * @param optimizerState bytes of the optimizer's state
 * @param buffers bytes of the buffers, in fp32
 * @param savedByLeaf without recomputation, the bytes each leaf saves first, by path (a long run's first two repetitions); else empty
 */
public record TrainingStep(long batch, long flops, long savedActivations, long weights, long gradients, long optimizerState, long buffers,
        java.util.Map<String, Long> savedByLeaf) {
    /** Copies the map. */
    public TrainingStep {
        savedByLeaf = java.util.Map.copyOf(savedByLeaf);
    }


    /** The memory of the step: weights, gradients, optimizer state, buffers and saved activations. */
    public long memory() {
        return Math.addExact(Math.addExact(Math.addExact(weights, gradients), Math.addExact(optimizerState, buffers)), savedActivations);
    }

    /**
     * The step of a model, or null without {@code @Training}; a figure beyond 64 bits is MC401 on the model.
     *
     * <p>Where the step's batch is not the model's, the model is analysed again at the step's batch ({@link #atStepBatch}): what
     * runs once per forward pass (a product of two parameters) does not grow with the batch, a view's strides are taken at one batch
     * (a batch-first recurrent layer's output is laid out steps first, its steps' stride the batch's size), and whether a layer
     * saves a contiguous copy of its input follows them.
     *
     * @param analyzer analyses the model at the step's batch where needed
     */
    public static TrainingStep of(ModelCosts costs, Analyzer analyzer) {
        ModelSpec spec = costs.spec();
        TrainingSpec training = spec.training();
        if (training == null) {
            return null;
        }
        ModelCosts atBatch = atStepBatch(costs, analyzer);
        TrainingStep step = step(atBatch, training);
        exact("TRAINING_MEMORY_BYTES", false, costs, step::memory); // the sum of its parts, which every report gives, fits too
        return step;
    }

    /**
     * The model analysed at its training step's batch, or {@code costs} where that is the model's batch. Where the network does not
     * exist at the step's batch, {@code costs}, as the forward pass at the model's batch is what the processor checks.
     */
    static ModelCosts atStepBatch(ModelCosts costs, Analyzer analyzer) {
        ModelSpec spec = costs.spec();
        int batch = spec.training().batch();
        if (batch == spec.batch()) {
            return costs;
        }
        try {
            return analyzer.analyze(spec.atBatch(batch));
        } catch (Problem notThere) {
            return costs;
        }
    }

    /**
     * A figure of the step, or MC401 naming it: where it grows with the step's batch ({@code perSample}), with the batch, on
     * {@code @Training}'s batch where it is written; else on the annotation.
     */
    private static long exact(String figure, boolean perSample, ModelCosts costs, java.util.function.LongSupplier value) {
        try {
            return value.getAsLong();
        } catch (ArithmeticException e) {
            ModelSpec spec = costs.spec();
            Element model = spec.network().element();
            javax.lang.model.element.AnnotationMirror training = Mirrors.mirror(model, Mirrors.DSL + ".Training");
            Site site = perSample ? new Site(model, training, Mirrors.explicitValues(training).get("batch")) : Site.of(model, training);
            throw new Problem(Diagnostic.OVERFLOW, site, spec.network().name(), "its training step's " + figure
                    + (perSample ? " at a batch of " + String.format(java.util.Locale.ROOT, "%,d", spec.training().batch()) : ""));
        }
    }

    private static TrainingStep step(ModelCosts costs, TrainingSpec training) {
        ModelSpec spec = costs.spec();
        String quantized = quantized(spec.conventions().dtype()) ? spec.conventions().dtype().name() : quantizedLeaf(costs.root(), "");
        if (quantized != null) {
            Element model = spec.network().element();
            throw new Problem(Diagnostic.TRAINING_QUANTIZED, Site.of(model, Mirrors.mirror(model, Mirrors.DSL + ".Training")), spec.network().name(),
                    quantized);
        }
        refuseUntrainable(costs, training);
        long params = costs.totals().params();
        Dtype activations = spec.conventions().activations();
        if (training.mixedPrecision() && activations.bits() > 16) {
            activations = Dtype.parse("fp16").orElseThrow();
        }
        // The forward pass at the step's batch where the model was analysed there; else (the network does not exist there) the
        // batch times one sample's.
        long forward = spec.batch() == training.batch() ? costs.totals().flops() : -1;
        long flops = exact("TRAINING_FLOPS", true, costs, () -> Math.multiplyExact(forward >= 0 ? forward
                : Math.multiplyExact(costs.totals().flops() / spec.batch(), training.batch()), training.recompute() ? 4 : 3));
        long weights = exact("TRAINING_WEIGHT_BYTES", false, costs,
                () -> training.mixedPrecision() ? Math.multiplyExact(6, params) : costs.totals().get(Figure.WEIGHT_BYTES));
        long gradients = exact("GRADIENT_BYTES", false, costs,
                () -> training.mixedPrecision() ? Math.multiplyExact(2, params) : costs.totals().get(Figure.WEIGHT_BYTES));
        // The optimizer's state is made like each parameter (torch.zeros_like(p)): at its dtype, fp32 under mixed precision (the
        // master weights').
        long optimizer = exact("OPTIMIZER_STATE_BYTES", false, costs, () -> training.mixedPrecision() ? Math.multiplyExact(4L * training.optimizerStates(), params)
                : Math.multiplyExact((long) training.optimizerStates(), costs.totals().get(Figure.WEIGHT_BYTES)));
        long buffers = exact("TRAINING_MEMORY_BYTES (its buffers)", false, costs, () -> Math.multiplyExact(4, costs.totals().buffers()));
        java.util.Map<String, Long> byLeaf = new java.util.HashMap<>();
        Dtype saving = activations;
        long saved = exact("SAVED_ACTIVATION_BYTES", true, costs, () -> training.recompute() ? recomputed(costs, training.batch(), saving)
                : saved(costs, training.batch(), saving, byLeaf));
        return new TrainingStep(training.batch(), flops, saved, weights, gradients, optimizer, buffers, byLeaf);
    }

    /**
     * Refuses a step PyTorch cannot run: inputs that require grad where every input is token ids (MC136, on
     * {@code inputsRequireGrad}); nothing to train, no parameters and data inputs (MC426); a layer that modifies in place what
     * PyTorch refuses to let it modify with gradients on, one of the views {@code chunk} returns ({@link GradientViews}; MC425); a
     * layer PyTorch refuses to run in training where it runs at inference, a batch norm given one value per channel or a dropout
     * given token ids (MC424, on {@code @Training}'s batch where it is written and a larger one would do). Each on {@code @Training}.
     */
    private static void refuseUntrainable(ModelCosts costs, TrainingSpec training) {
        Element model = costs.spec().network().element();
        javax.lang.model.element.AnnotationMirror annotation = Mirrors.mirror(model, Mirrors.DSL + ".Training");
        if (training.inputsRequireGrad() && costs.spec().inputs().stream().allMatch(Shape::ids)) {
            throw new Problem(Diagnostic.TRAINING_SETTING, new Site(model, annotation, Mirrors.explicitValues(annotation).get("inputsRequireGrad")),
                    "inputsRequireGrad", true, "asks for the inputs' gradients, but every input is token ids, which PyTorch cannot make require grad "
                    + "(\"only Tensors of floating point dtype can require gradients\")", "drop inputsRequireGrad: the embeddings' weights are trained");
        }
        if (costs.totals().params() == 0 && !training.inputsRequireGrad()) {
            throw new Problem(Diagnostic.NOTHING_TO_TRAIN, Site.of(model, annotation), costs.spec().network().name());
        }
        String refused = GradientViews.refusedWithGradients(costs, true);
        if (refused != null) {
            throw new Problem(Diagnostic.TRAINING_VIEW_REFUSED, Site.of(model, annotation),
                    refused.substring(refused.indexOf(": ") + 2));
        }
        for (ModelCosts.Placed placed : costs.nodes(Integer.MAX_VALUE, ModelCosts.Runs.FIRST_INSIDE)) {
            var call = placed.node().call();
            // a refusal in backward applies only where autograd records the layer, which the walk of the saved tensors knows
            String why = call == null || call.kind().autograd().refuses().inBackward() ? null
                    : call.kind().autograd().refuses().why(call.attrs(), call.inputs(), training.batch());
            if (why != null) {
                // On the step's batch where a larger one would do (a batch norm's values per channel count the batch), else on @Training.
                boolean batchHelps = call.kind().autograd().refuses().why(call.attrs(), call.inputs(), Math.addExact(training.batch(), 1)) == null;
                throw new Problem(Diagnostic.TRAINING_REFUSED, new Site(model, annotation, batchHelps ? Mirrors.explicitValues(annotation).get("batch")
                        : null), placed.path(), call.kind().name(), why, call.kind().autograd().refuses().fix(placed.path()));
            }
        }
    }

    /** Whether weights of {@code dtype} cannot be trained as they are: integers, and fp8, which PyTorch's optimizers do not update. */
    private static boolean quantized(Dtype dtype) {
        return dtype.group() > 0 || dtype.name().equals("int8") || dtype.name().equals("fp8");
    }

    /** The first layer with parameters whose {@code @Dtype(weights)} is quantized, as "int4 at its path"; null if none. */
    private static String quantizedLeaf(CostNode node, String path) {
        if (node.leaf()) {
            if (node.call() != null && node.totals().params() > 0 && quantized(node.call().weights())) {
                return node.call().weights().name() + " at " + path;
            }
            return node.experts() != null ? quantizedLeaf(node.experts().expert(), path) : null;
        }
        for (CostNode.Child child : node.children()) {
            String found = quantizedLeaf(child.node(), ModelCosts.join(path, child.name(0)));
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static SavedTensors walker(ModelCosts costs, long batch, Dtype activations) {
        return new SavedTensors(batch, activations, costs.spec().training().mixedPrecision());
    }

    private static List<Integer> inputs(ModelCosts costs, SavedTensors walk) {
        List<Integer> inputs = new ArrayList<>();
        for (Shape input : costs.spec().inputs()) {
            int storage = walk.storage(walk.tensor(input));
            if (costs.spec().training().inputsRequireGrad() && !input.ids()) {
                walk.markRequiresGrad(storage);
            }
            inputs.add(storage);
        }
        return inputs;
    }

    private static long saved(ModelCosts costs, long batch, Dtype activations, java.util.Map<String, Long> byLeaf) {
        SavedTensors walk = walker(costs, batch, activations);
        walk.walk(costs.root(), "", inputs(costs, walk));
        refuseConflict(costs, walk);
        byLeaf.putAll(walk.byLeaf());
        return walk.total();
    }

    /** MC424 on {@code @Training} for the first layer of a walk whose backward PyTorch refuses where autograd records it. */
    private static void refuseInBackward(ModelCosts costs, SavedTensors walk) {
        String[] refused = walk.refusedInBackward();
        if (refused != null) {
            Element model = costs.spec().network().element();
            throw new Problem(Diagnostic.TRAINING_REFUSED, Site.of(model, Mirrors.mirror(model, Mirrors.DSL + ".Training")), (Object[]) refused);
        }
    }

    /**
     * A layer whose backward PyTorch refuses where autograd records it (an in-place leaky ReLU of negative slope) is MC424 on
     * {@code @Training}; an in-place layer that overwrites a tensor saved for backward is MC416 on it; under recomputation, one that
     * overwrites a tensor an earlier segment keeps is MC423 on its {@code recompute}.
     */
    private static void refuseConflict(ModelCosts costs, SavedTensors walk) {
        refuseInBackward(costs, walk);
        String[] conflict = walk.conflict();
        if (conflict == null) {
            return;
        }
        Element model = costs.spec().network().element();
        javax.lang.model.element.AnnotationMirror training = Mirrors.mirror(model, Mirrors.DSL + ".Training");
        if (costs.spec().training().recompute()) {
            throw new Problem(Diagnostic.IN_PLACE_ON_KEPT, new Site(model, training, Mirrors.explicitValues(training).get("recompute")),
                    conflict[0], conflict[1], conflict[2], conflict[0]);
        }
        throw new Problem(Diagnostic.IN_PLACE_ON_SAVED, Site.of(model, training), conflict[0],
                conflict[1], conflict[2].isEmpty() ? "an earlier layer" : conflict[2], conflict[0]);
    }

    /**
     * With recomputation: every field of the model is a segment, and so is each repetition of a {@code @Repeat} field, at any depth
     * (a block field that holds one is its fields: as Hugging Face's {@code gradient_checkpointing} checkpoints each decoder layer
     * of a {@code ModuleList}, wherever it sits; a repetition is one segment, whatever it holds). Every segment that saves anything
     * for backward keeps its inputs, each storage once, and backward recomputes one segment at a time, last first, each segment's
     * kept inputs freed once its backward has run (a non-reentrant {@code torch.utils.checkpoint} holds them in the hooks of its
     * segment's saved tensors): while a segment is recomputed, the inputs kept by it and the segments before it are alive besides its
     * own saved activations. The figure is the most of that over the segments.
     */
    private static long recomputed(ModelCosts costs, long batch, Dtype activations) {
        Segments segments = new Segments(costs, batch, activations);
        segments.of(costs.root(), "", inputs(costs, segments.all));
        return Math.max(segments.peak, segments.keptBytes);
    }

    /** Whether a block is a {@code @Repeat}'s repetitions or holds some, at any depth: its fields are segments then, not itself. */
    private static boolean holdsRepetitions(CostNode node) {
        if (node.leaf()) {
            return false;
        }
        if (node.repetitions()) {
            return true;
        }
        for (CostNode.Child child : node.children()) {
            if (holdsRepetitions(child.node())) {
                return true;
            }
        }
        return false;
    }

    /** The segments of a forward pass under recomputation, walked once in order: what they keep and the most alive while one is recomputed. */
    private static final class Segments {
        private final ModelCosts costs;
        private final long batch;
        private final Dtype activations;
        private final SavedTensors all;
        private final java.util.Set<Integer> kept = new java.util.LinkedHashSet<>();
        /** Every storage a segment walked so far keeps (its inputs, a repetition's output the next one reads), by the keeper's path. */
        private final java.util.Map<Integer, String> keptBy = new java.util.HashMap<>();
        /**
         * The runs of repetitions walked so far whose outputs the next repetition keeps ({@code blocks.0}, {@code blocks.1} of
         * three), by the path of the block that holds each: their bytes {@link #keptBytes} counts, so a later segment reading one by
         * its path keeps nothing more ({@link #keeperOf}). A run, not its repetitions, so that a long one costs no more.
         */
        private final List<RunAt> keepingRuns = new ArrayList<>();
        /** The bytes of the storages the segments walked so far keep, a storage once, a run's repetitions' outputs included. */
        private long keptBytes;
        /** The most alive while one segment walked so far is recomputed: what it and the segments before it keep, and its own. */
        private long peak;

        Segments(ModelCosts costs, long batch, Dtype activations) {
            this.costs = costs;
            this.batch = batch;
            this.activations = activations;
            this.all = walker(costs, batch, activations);
            all.recomputing(keptBy);
        }

        /** Walks the children of {@code parent} (read through its flow from {@code inputs}) as segments; the storage of its output. */
        int of(CostNode parent, String path, List<Integer> inputs) {
            List<CostNode.Child> children = parent.children();
            int[] outputs = new int[children.size()];
            // a tensor inside a child read by two later fields is one storage
            java.util.Map<dev.modelcost.processor.analysis.Flow.Source, Integer> inner = new java.util.HashMap<>();
            for (int e = 0; e < children.size(); e++) {
                CostNode.Child child = children.get(e);
                List<Integer> reads = new ArrayList<>();
                List<Integer> keeps = new ArrayList<>();
                for (dev.modelcost.processor.analysis.Flow.Source source : parent.flow().reads().get(e)) {
                    int read = all.resolve(source, path, inputs, outputs, inner);
                    reads.add(read);
                    String keeper = source.isInner() ? keeperOf(SavedTensors.path(source, path)) : null;
                    if (keeper == null) {
                        keeps.add(read);
                    } else {
                        keptBy.putIfAbsent(read, keeper);
                    }
                }
                String name = ModelCosts.join(path, child.name(0));
                if (child.count() == 1 && holdsRepetitions(child.node())) {
                    outputs[e] = of(child.node(), name, reads);
                    continue;
                }
                // the segment alone: its inputs are kept anyway, so saving them adds nothing to its own
                SavedTensors alone = walker(costs, batch, activations);
                List<Integer> own = held(alone, reads);
                alone.walk(child.node(), name, own);
                // a segment keeps its inputs for its recomputation where it saves anything for backward, as a non-reentrant
                // torch.utils.checkpoint does (a merge, a view, a pooling of data: nothing); an in-place layer may overwrite one
                // its recomputation does not read (a product's operand that only the other's gradient needs)
                List<Integer> read = new ArrayList<>();
                for (int i = 0; i < reads.size(); i++) {
                    if (alone.savedAny() && alone.recomputationReads(own.get(i), own)) {
                        read.add(reads.get(i));
                    }
                }
                all.beginSegment(name, read);
                int out = all.walk(child.node(), name, reads);
                refuseConflict(costs, all);
                outputs[e] = out;
                if (alone.savedAny()) {
                    keep(keeps, name, read::contains);
                }
                peak = Math.max(peak, Math.addExact(keptBytes, alone.total()));
                if (child.run() && out != reads.get(0)) {
                    // each later repetition reads the one before, which may require grad where the first's input did not
                    SavedTensors later = walker(costs, batch, activations);
                    List<Integer> next = new ArrayList<>(reads);
                    next.set(0, out);
                    later.walk(child.node(), ModelCosts.join(path, child.name(1)), held(later, next));
                    refuseInBackward(costs, later);
                    if (later.savedAny()) {
                        // each keeps the one before's output and the run's other inputs, which every repetition reads
                        keptBytes = Math.addExact(keptBytes, Math.multiplyExact(child.count() - 1L, all.bytes(out)));
                        keep(reads.subList(1, reads.size()), name, storage -> true);
                        keptBy.putIfAbsent(out, ModelCosts.join(path, child.name(1)));
                        keepingRuns.add(new RunAt(path, child));
                    }
                    // the last repetition, recomputed first, with every earlier one's output kept
                    peak = Math.max(peak, Math.addExact(keptBytes, later.total()));
                    // the run's output is the last repetition's, another tensor than the first's (read by its path)
                    outputs[e] = all.like(out);
                }
            }
            return all.resolve(parent.flow().output(), path, inputs, outputs, inner);
        }

        /** The repetition that keeps the output of the one at {@code output}, the next of its run; null where none does. */
        private String keeperOf(String output) {
            for (RunAt run : keepingRuns) {
                long index = run.repetition(output);
                if (index >= 0 && index < run.run().count() - 1 && output.equals(run.pathOf(index))) {
                    return run.pathOf(index + 1);
                }
            }
            return null;
        }

        /**
         * Keeps the storages {@code reads} for the segment at {@code path}; those {@code recomputedFrom} holds of are guarded against
         * in-place layers that would overwrite them.
         */
        private void keep(List<Integer> reads, String path, java.util.function.IntPredicate recomputedFrom) {
            for (int read : reads) {
                if (kept.add(read)) {
                    keptBytes = Math.addExact(keptBytes, all.bytes(read));
                }
                if (recomputedFrom.test(read)) {
                    keptBy.putIfAbsent(read, path);
                }
            }
        }

        /** The inputs {@code reads} of the walk of all segments as a segment's own walker sees them: held elsewhere, as large. */
        private List<Integer> held(SavedTensors segment, List<Integer> reads) {
            List<Integer> own = new ArrayList<>();
            for (int read : reads) {
                int storage = segment.heldElsewhere(all.bytes(read));
                if (all.requiresGradAt(read)) {
                    segment.markRequiresGrad(storage);
                }
                own.add(storage);
            }
            return own;
        }
    }
}
