package dev.modelcost.processor.memory;

import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.Flow;
import dev.modelcost.processor.analysis.LeafCall;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.spec.Mirrors;
import dev.modelcost.processor.layers.Dtype;
import dev.modelcost.processor.layers.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.lang.model.element.Element;

/**
 * The peak of live activation memory over a forward pass, as eager PyTorch holds tensors: a layer's
 * output lives from the layer that writes it until its last reader has run; a block's inputs live
 * as long as the block runs (its caller holds them), but repetitions run in a loop of the caller's own
 * ({@code @Repeat(loop = true)}) drop their input after the first where nothing else reads it; a view, a dropout at inference and an
 * in-place layer ({@code inplace = true}) allocate nothing, but a reshape that cannot be a view
 * writes a copy ({@link LeafCall#copies()}), and a layer's scratch (a {@code Linear}'s or
 * {@code torch.matmul}'s copy of an operand it cannot fold, max pooling's int64 indices) lives
 * while it runs. A tensor read or returned by a path from inside a block field ({@code backbone.layer2}, {@code blocks.2.fc1}) is
 * held from the layer that writes it, as the module that keeps a reference to it holds it; the repetition of a run it is in runs
 * as an entry of its own ({@link Entries}). Every analysed block is simulated once for each set of such tensors held inside it,
 * however often it is applied.
 */
public final class Liveness {
    private final ModelCosts costs;
    private final long batch;
    private final Dtype activations;
    /** Each node's usage, by the tensors inside it that its caller holds past its end, their paths and bytes (most nodes: none). */
    private final Map<CostNode, Map<Map<String, Long>, Usage>> usages = new IdentityHashMap<>();
    private Peak peak;

    private Liveness(ModelCosts costs) {
        this.costs = costs;
        this.batch = costs.spec().batch();
        this.activations = costs.spec().conventions().activations();
    }

    /**
     * The liveness of a model, its peak computed: its inputs (which the caller holds) and the most
     * its layers hold at once; a peak, or an inference memory, beyond 64 bits is MC401 on the model.
     */
    public static Liveness of(ModelCosts costs) {
        Liveness liveness = new Liveness(costs);
        try {
            long inputs = 0;
            for (Shape input : costs.spec().inputs()) {
                inputs = Math.addExact(inputs, input.bytes(costs.spec().batch(), costs.spec().conventions().activations()));
            }
            Usage root = liveness.usage(costs.root());
            liveness.peak = new Peak(Math.addExact(inputs, root.peak()), inputs, root.at());
        } catch (ArithmeticException e) {
            throw overflow(costs, "its peak of live activation memory");
        }
        try {
            liveness.peak.inference(costs);
        } catch (ArithmeticException e) {
            throw overflow(costs, "its inference memory (weights, buffers, activation peak and KV cache)");
        }
        return liveness;
    }

    private static Problem overflow(ModelCosts costs, String what) {
        Element model = costs.spec().network().element();
        return new Problem(Diagnostic.OVERFLOW, Site.of(model, Mirrors.mirror(model, Mirrors.DSL + ".Model")), costs.spec().network().name(), what);
    }

    /** The model's peak. */
    public Peak peak() {
        return peak;
    }

    private Usage usage(CostNode node) {
        return usage(node, Map.of());
    }

    /**
     * The usage of a node whose caller holds the tensors at {@code held} (paths inside it, as its children name them, each with its
     * bytes) past its end.
     */
    private Usage usage(CostNode node, Map<String, Long> held) {
        Map<String, Long> key = node.leaf() ? Map.of() : held;
        Map<Map<String, Long>, Usage> known = usages.computeIfAbsent(node, n -> new HashMap<>());
        Usage usage = known.get(key);
        if (usage == null) {
            usage = node.leaf() ? leaf(node) : block(node, key);
            known.put(key, usage);
        }
        return usage;
    }

    private Usage leaf(CostNode node) {
        LeafCall call = node.call();
        if (call == null) {
            // a mixture of experts: the experts run one after another, each on the tokens routed to it, into one output;
            // at most one expert over every token is live at once besides it (an upper bound of the one running)
            long output = node.output().bytes(batch, activations);
            long expert = node.experts() == null ? 0 : usage(node.experts().expert()).peak();
            return new Usage(Math.addExact(output, expert), "", -1, output);
        }
        if (call.aliasesInputAtInference()) {
            return new Usage(0, "", 0, 0);
        }
        if (call.viewOnly()) {
            return new Usage(0, "", -1, 0); // a view of no input: a learned tensor, which is a weight
        }
        long output = node.output().bytes(batch, call.activations());
        return new Usage(Math.addExact(output, call.scratch(node.output())), "", -1, output);
    }

    /**
     * Runs the block's children in order, holding each tensor from its writer to its last reader, and the tensors at {@code held}
     * (paths inside the block) to its end.
     */
    private Usage block(CostNode node, Map<String, Long> held) {
        Entries entries = Entries.of(node, held.keySet());
        Flow flow = entries.flow();
        List<CostNode.Child> children = entries.children();
        Holds holds = holds(children, flow, held);
        List<Map<String, Long>> insideSets = holds.inside();
        Map<Flow.Source, Integer> childOutput = holds.childOutput();
        // Storages: each block input is one (never freed here), each child output that is no alias another,
        // each tensor read from inside a child another.
        List<Long> bytes = new ArrayList<>();
        List<Integer> lastUse = new ArrayList<>();
        Map<Integer, Integer> inputStorage = new HashMap<>();
        Map<Flow.Source, Integer> innerStorage = new HashMap<>();
        int[] outputStorage = new int[children.size()];
        Usage[] childUsages = new Usage[children.size()];
        List<List<Integer>> readStorage = new ArrayList<>();
        java.util.function.ToIntFunction<Flow.Source> storageOf = source -> childOutput.containsKey(source) ? outputStorage[childOutput.get(source)]
                : storage(source, outputStorage, inputStorage, innerStorage, bytes, lastUse);
        for (int e = 0; e < children.size(); e++) {
            List<Integer> reads = new ArrayList<>();
            for (Flow.Source source : flow.reads().get(e)) {
                int storage = storageOf.applyAsInt(source);
                lastUse.set(storage, Math.max(lastUse.get(storage), e));
                reads.add(storage);
            }
            readStorage.add(reads);
            Usage usage = usage(children.get(e).node(), insideSets.get(e));
            childUsages[e] = usage;
            if (usage.alias() >= 0 && usage.alias() < reads.size()) {
                outputStorage[e] = reads.get(aliased(children.get(e).node(), usage.alias(), flow.reads().get(e)));
            } else {
                outputStorage[e] = bytes.size();
                bytes.add(usage.output());
                lastUse.add(e);
            }
        }
        int returned = storageOf.applyAsInt(flow.output());
        lastUse.set(returned, Integer.MAX_VALUE);
        // A model's further outputs are held until it returns, as the tuple of its results holds them.
        for (Flow.Source source : flow.alsoReturned()) {
            lastUse.set(storageOf.applyAsInt(source), Integer.MAX_VALUE);
        }
        // Storages of tensors read from inside a child come alive when that child ends.
        Map<Integer, List<Integer>> innerAfter = new HashMap<>();
        innerStorage.forEach((source, storage) -> innerAfter.computeIfAbsent(holds.aliveAfter().getOrDefault(source, source.entry()),
                e -> new ArrayList<>()).add(storage));
        // What this block's caller holds inside a child is this block's to hold from that child's end to its own: the child's output
        // where the tensor is that (held to the end), else a storage of its own.
        Set<String> returnsHeld = new HashSet<>();
        for (Map.Entry<String, Inside> path : holds.heldAt().entrySet()) {
            Inside at = path.getValue();
            if (at.path() == null || childUsages[at.entry()].returnsHeld().contains(at.path())) {
                lastUse.set(outputStorage[at.entry()], Integer.MAX_VALUE);
                if (outputStorage[at.entry()] == returned) {
                    returnsHeld.add(path.getKey());
                }
            } else {
                int storage = add(bytes, lastUse, held.get(path.getKey()));
                lastUse.set(storage, Integer.MAX_VALUE);
                innerAfter.computeIfAbsent(at.entry(), e -> new ArrayList<>()).add(storage);
            }
        }

        long live = 0;
        // The most held while the first child's first call runs, and after it: a loop's caller drops its input in between.
        Usage.Moment firstCall = Usage.Moment.NONE;
        Usage.Moment later = Usage.Moment.NONE;
        boolean[] allocated = new boolean[bytes.size()];
        long[] before = new long[children.size()];
        long[] beforeLater = new long[children.size()];
        long[] released = new long[children.size()];
        for (int e = 0; e < children.size(); e++) {
            CostNode.Child child = children.get(e);
            Usage usage = childUsages[e];
            before[e] = live;
            int out = outputStorage[e];
            boolean fresh = !inputStorage.containsValue(out) && !allocated[out];
            // The child's first input, where nothing after the child reads it: a run drops it after its first repetition, as
            // does a loop of repetitions after its first child.
            List<Integer> reads = readStorage.get(e);
            int first = reads.isEmpty() ? -1 : reads.get(0);
            boolean droppable = first >= 0 && allocated[first] && lastUse.get(first) == e && first != out
                    && reads.indexOf(first) == reads.lastIndexOf(first);
            boolean loop = droppable && !child.run() && loops(child.node());
            released[e] = loop ? bytes.get(first) : 0;
            Usage.Moment whileFirst = moment(live, loop ? usage.firstCall() : usage.most(), child.name(0));
            if (e == 0) {
                firstCall = firstCall.max(whileFirst);
            } else {
                later = later.max(whileFirst);
            }
            if (loop && usage.later().bytes() >= 0) {
                later = later.max(moment(live - released[e], usage.later(), child.name(0)));
            }
            if (fresh) {
                allocated[out] = true;
                live = Math.addExact(live, bytes.get(out));
            }
            if (child.run()) {
                // The first input of the first repetition is dropped when the loop moves on, unless another step reads it.
                if (droppable) {
                    allocated[first] = false;
                    live -= bytes.get(first);
                }
                // Each later repetition: the one before's output is live while it runs, then dropped: the same peak every time.
                beforeLater[e] = live;
                later = later.max(moment(live, usage.most(), child.name(1)));
            }
            for (int storage : innerAfter.getOrDefault(e, List.of())) {
                if (!allocated[storage]) {
                    allocated[storage] = true;
                    live = Math.addExact(live, bytes.get(storage));
                }
            }
            for (int storage = 0; storage < bytes.size(); storage++) {
                if (allocated[storage] && lastUse.get(storage) == e) {
                    allocated[storage] = false;
                    live -= bytes.get(storage);
                }
            }
        }
        Integer input = inputStorage.entrySet().stream().filter(entry -> entry.getValue() == returned).map(Map.Entry::getKey).findFirst()
                .orElse(null);
        Usage.Moment most = firstCall.bytes() < 0 ? new Usage.Moment(0, "") : firstCall.max(later);
        return new Usage(most.bytes(), most.at(), input != null ? input : -1, input != null ? 0 : bytes.get(returned), before, beforeLater, released,
                firstCall.bytes() < 0 ? most : firstCall, later, insideSets, Set.copyOf(returnsHeld), children);
    }

    /**
     * What a block's children hold past their ends, and where its reads by path lead.
     *
     * @param inside per child entry, the tensors inside it held past its end, by their paths in it, with their bytes
     * @param heldAt where each path the block's caller holds leads
     * @param childOutput the block's reads by path that are one of its own children's outputs (through a block applied in place), by
     *     that child's entry
     * @param aliveAfter the block's reads by path that come alive when another child ends than the entry they name (a tensor inside a
     *     child of a block applied in place), by that child's entry
     */
    private record Holds(List<Map<String, Long>> inside, Map<String, Inside> heldAt, Map<Flow.Source, Integer> childOutput,
            Map<Flow.Source, Integer> aliveAfter) {}

    /**
     * What each child holds past its end: the tensors inside it that the block reads or returns by a path (from the layer that writes
     * them, as PyTorch holds a tensor its module keeps a reference to), and those inside it that the block's caller holds
     * ({@code held}).
     */
    private Holds holds(List<CostNode.Child> children, Flow flow, Map<String, Long> held) {
        List<Map<String, Long>> inside = new ArrayList<>();
        children.forEach(child -> inside.add(new TreeMap<>()));
        Map<String, Inside> heldAt = new TreeMap<>();
        for (Map.Entry<String, Long> path : held.entrySet()) {
            Inside at = locate(path.getKey(), children);
            if (at != null) {
                heldAt.put(path.getKey(), at);
                if (at.path() != null) {
                    inside.get(at.entry()).put(at.path(), path.getValue());
                }
            }
        }
        Map<Flow.Source, Integer> childOutput = new HashMap<>();
        Map<Flow.Source, Integer> aliveAfter = new HashMap<>();
        for (Flow.Source source : readByPath(flow)) {
            String written = source.path();
            int dot = written.indexOf('.');
            if (source.inPlace() && dot >= 0) {
                Inside at = locate(written.substring(dot + 1), children);
                if (at != null && at.path() == null) {
                    childOutput.put(source, at.entry());
                } else if (at != null) {
                    inside.get(at.entry()).put(at.path(), source.inner().bytes(batch, activations));
                    aliveAfter.put(source, at.entry());
                }
            } else if (dot >= 0 && !children.get(source.entry()).run() && !children.get(source.entry()).node().leaf()) {
                inside.get(source.entry()).put(written.substring(dot + 1), source.inner().bytes(batch, activations));
            }
        }
        return new Holds(inside.stream().map(java.util.Collections::unmodifiableMap).toList(), heldAt, childOutput, aliveAfter);
    }

    /**
     * A tensor inside a block, as a path names it.
     *
     * @param entry the child entry that holds it
     * @param path its path inside that child, or null where it is the child's output
     */
    private record Inside(int entry, String path) {}

    /**
     * Where a path inside a block leads: the child its first name names and the rest of the path; null where none does. Runs are
     * passed over: a repetition a path names runs as an entry of its own ({@link Entries}).
     */
    private static Inside locate(String path, List<CostNode.Child> children) {
        int dot = path.indexOf('.');
        String name = dot < 0 ? path : path.substring(0, dot);
        for (int e = 0; e < children.size(); e++) {
            CostNode.Child child = children.get(e);
            if (!child.run() && child.name(0).equals(name)) {
                return dot < 0 ? new Inside(e, null) : child.node().leaf() ? null : new Inside(e, path.substring(dot + 1));
            }
        }
        return null;
    }

    /** The tensors a block reads or returns from inside its children, by their paths. */
    private static List<Flow.Source> readByPath(Flow flow) {
        List<Flow.Source> sources = new ArrayList<>();
        flow.reads().forEach(reads -> reads.stream().filter(Flow.Source::isInner).forEach(sources::add));
        flow.returned().stream().filter(Flow.Source::isInner).forEach(sources::add);
        return sources;
    }

    /** Whether a node is repetitions its caller runs in a loop of its own, which drops their input once the first has run. */
    private static boolean loops(CostNode node) {
        return !node.leaf() && node.flow() != null && node.flow().loop();
    }

    /** A child's moment as its block sees it: {@code live} bytes of the block's own besides, the path under the child's name. */
    private static Usage.Moment moment(long live, Usage.Moment inside, String name) {
        return new Usage.Moment(Math.addExact(live, inside.bytes()), ModelCosts.join(name, inside.at()));
    }

    /** The most a node holds at once, {@code base} held besides, where its caller drops {@code released} bytes after its first child's first call. */
    private static long peakIn(Usage usage, long base, long released) {
        long peak = Math.addExact(base, usage.peak());
        if (released > 0) {
            peak = Math.addExact(base, usage.firstCall().bytes());
            if (usage.later().bytes() >= 0) {
                peak = Math.max(peak, Math.addExact(base - released, usage.later().bytes()));
            }
        }
        return peak;
    }

    /** The position among a child's reads of the tensor its output is: the one its usage names, or a leaf's own choice. */
    private static int aliased(CostNode child, int alias, List<Flow.Source> reads) {
        if (!child.leaf() || child.call() == null) {
            return alias;
        }
        return child.call().aliasedInput(reads.stream().mapToLong(Flow.Source::entry).toArray());
    }

    /** The longest run of repetitions the timeline lists one by one; a longer one is its first and second, the second standing for the rest. */
    static final int LISTED_RUN = 16;

    /**
     * The live bytes while each leaf runs, in execution order, from the model's inputs on; a run of
     * more than {@link #LISTED_RUN} identical repetitions gives its first repetition and its second,
     * which every later one repeats (the step carries how many times). Blocks give their peak under
     * their own path.
     */
    public Timeline timeline() {
        List<Timeline.Step> steps = new ArrayList<>();
        Map<String, Long> nodes = new HashMap<>();
        walk(costs.root(), "", peak.inputs(), 1, steps, nodes, false);
        return new Timeline(steps, nodes);
    }

    /**
     * The live bytes while each leaf runs, in execution order, without the paths (a model compiled
     * at other sizes needs only the numbers), each a sum of tensor sizes whose largest is the peak:
     * a mixture of experts as the steps of its expert, every run as its first repetition and its
     * second, which every later one repeats.
     */
    public long[] stepBytes() {
        List<Timeline.Step> steps = new ArrayList<>();
        walk(costs.root(), null, peak.inputs(), 1, steps, null, true);
        return steps.stream().mapToLong(Timeline.Step::bytes).toArray();
    }

    /** The path of each step of {@link #stepBytes()}: a mixture of experts' steps under its own path. */
    public List<String> stepPaths() {
        List<Timeline.Step> steps = new ArrayList<>();
        walk(costs.root(), "", peak.inputs(), 1, steps, null, true);
        return steps.stream().map(Timeline.Step::path).toList();
    }

    /** The most steps a timeline lists; beyond them, runs give only their first two repetitions. */
    static final int MAX_STEPS = 20_000;

    /**
     * Walks the steps; with a null path and no nodes, the paths are not built. With {@code forms}
     * (the steps whose largest is the peak, at any size): a mixture of experts gives its expert's
     * steps, and every run its first repetition and its second, which every later one repeats.
     */
    private void walk(CostNode node, String path, long base, long times, List<Timeline.Step> steps, Map<String, Long> nodes, boolean forms) {
        walk(node, Map.of(), path, base, 0, times, steps, nodes, forms);
    }

    /**
     * {@link #walk(CostNode, String, long, long, List, Map, boolean)} of a node whose caller holds the tensors at {@code held} inside it
     * past its end and drops {@code released} bytes of its input after its first child's first call.
     */
    private void walk(CostNode node, Map<String, Long> held, String path, long base, long released, long times, List<Timeline.Step> steps,
            Map<String, Long> nodes, boolean forms) {
        Usage usage = usage(node, held);
        if (nodes != null) {
            nodes.putIfAbsent(path, peakIn(usage, base, released));
        }
        if (node.leaf()) {
            if (forms && node.call() == null && node.experts() != null) {
                // A mixture of experts' live bytes are its output and the peak of the expert running: as numbers alone, one step per
                // step of the expert, whose largest is that peak.
                int before = steps.size();
                walk(node.experts().expert(), path, base + usage.output(), times, steps, null, true);
                if (steps.size() == before) {
                    steps.add(new Timeline.Step(path, node.kind(), base + usage.peak(), times));
                }
                return;
            }
            LeafCall call = node.call();
            if (forms && call != null && !call.aliasesInputAtInference() && !call.viewOnly()) {
                // A layer whose scratch is the largest of several moments: one step each, so that every step has one form.
                long[] moments = call.scratchMoments(node.output());
                if (moments.length > 1) {
                    long besides = base + usage.peak() - call.scratch(node.output());
                    for (long moment : moments) {
                        steps.add(new Timeline.Step(path, node.kind(), besides + moment, times));
                    }
                    return;
                }
            }
            steps.add(new Timeline.Step(path, node.kind(), base + usage.peak(), times));
            return;
        }
        for (int e = 0; e < usage.children().size(); e++) {
            CostNode.Child child = usage.children().get(e);
            long kept = e == 0 ? base : base - released;
            walk(child.node(), usage.inside().get(e), join(path, child.name(0)), kept + usage.before()[e], usage.released()[e], times, steps, nodes,
                    forms);
            if (child.count() < 2) {
                continue;
            }
            long listed = Math.multiplyExact(ModelCosts.leaves(child.node()), child.count());
            if (!forms && child.count() <= LISTED_RUN && steps.size() + listed <= MAX_STEPS) {
                // a short run is listed repetition by repetition, as report tables list it
                for (int r = 1; r < child.count(); r++) {
                    walk(child.node(), usage.inside().get(e), join(path, child.name(r)), base - released + usage.beforeLater()[e], 0, times, steps,
                            nodes, forms);
                }
            } else {
                // every later repetition runs on the same live bytes: the second stands for them
                walk(child.node(), usage.inside().get(e), join(path, child.name(1)), base - released + usage.beforeLater()[e], 0,
                        Math.multiplyExact(times, child.count() - 1L), steps, nodes, forms);
            }
        }
    }

    private static String join(String path, String name) {
        return path == null ? null : ModelCosts.join(path, name);
    }

    /** The storage of a source, made on first sight for a block input or a tensor from inside a child. */
    private int storage(Flow.Source source, int[] outputStorage, Map<Integer, Integer> inputStorage, Map<Flow.Source, Integer> innerStorage,
            List<Long> bytes, List<Integer> lastUse) {
        if (source.isInput()) {
            return inputStorage.computeIfAbsent(source.input(), k -> add(bytes, lastUse, 0));
        }
        if (source.isInner()) {
            return innerStorage.computeIfAbsent(source, s -> add(bytes, lastUse, s.inner().bytes(batch, activations)));
        }
        return outputStorage[source.entry()];
    }

    private static int add(List<Long> bytes, List<Integer> lastUse, long size) {
        bytes.add(size);
        lastUse.add(-1);
        return bytes.size() - 1;
    }

}
