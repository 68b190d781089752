package dev.modelcost.processor.counters;

import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.Flow;
import dev.modelcost.processor.analysis.ModelCosts;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the layers whose results never reach the model's output, which a JIT trace drops (PyTorch's dead code elimination, as
 * fvcore's trace shows: a convolution whose result nothing reads, and every layer that only feeds it, count nothing there;
 * measured: {@code FlopCountAnalysis} of {@code y = conv1(x); conv2(x); return y} counts {@code conv1} alone). A layer is
 * reached where a reached layer reads its output or its size ({@code z.shape[1]} in a view), or the model returns it, or its
 * field suppresses MC130 (a second output of the model, as a pooler's, or an edge the spec does not draw, as a router's). A block
 * whose inner tensor a later field reads by its path ({@code b3.skip}) keeps what that tensor needs, and its output's layers only
 * where its output is read too (a WaveNet's last block, whose skip output alone is summed); such a block is taken to read all its
 * inputs, and a block applied in place, whose fields are the network's own, is followed the same way. A path into a run of
 * repetitions ({@code blocks.3.skip}) is followed per repetition: a repetition's output is needed where a later one's is (it feeds
 * the next), so the last WaveNet block's residual convolution, whose sum nothing reads, is dropped there alone, and the repetitions
 * past the last one read are dropped whole where the run's output is not read. Not followed, and so counted as reached: a layer
 * modified in place, a layer another of whose results is read, and every layer of a block where a path is read that names none of
 * its children.
 */
final class Unreached {
    /** Each block node's unreached leaves where its output is needed, relative to it; the same for every application. */
    private final Map<CostNode, Map<String, Long>> memo = new IdentityHashMap<>();

    private Unreached() {}

    /**
     * The leaves that never reach the model's output, by their paths as {@link Readings} walks them (a run by its first
     * repetition), each with how many of its calls do not (a leaf in a run of 4 of which the last one's does not: 1).
     */
    static Map<String, Long> of(ModelCosts costs) {
        return new Unreached().within(costs.root());
    }

    /** The unreached leaves under a block whose output is needed, relative to it, with their calls per application. */
    private Map<String, Long> within(CostNode node) {
        Map<String, Long> known = memo.get(node);
        if (known != null) {
            return known;
        }
        Map<String, Long> dead = within(node, true, Set.of());
        memo.put(node, dead);
        return dead;
    }

    /**
     * The unreached leaves under a block, relative to it, where its output is needed or not and the tensors at {@code inner} (paths
     * relative to it, {@code skip}, {@code 2.conv}) are read from outside it.
     */
    private Map<String, Long> within(CostNode node, boolean outputNeeded, Set<String> inner) {
        Map<String, Long> dead = new java.util.LinkedHashMap<>();
        Flow flow = node.flow();
        if (node.leaf() || flow == null) {
            return dead;
        }
        int entries = node.children().size();
        Needs needs = new Needs(node);
        if (outputNeeded) {
            needs.need(flow.output());
        }
        flow.alsoReturned().forEach(needs::need);
        flow.unreadOnPurpose().forEach(e -> needs.output[e] = true);
        for (String path : inner) {
            needs.keepAll |= !needs.inside(path);
        }
        boolean[] runs = new boolean[entries];
        for (int e = entries - 1; e >= 0; e--) {
            CostNode.Child child = node.children().get(e);
            if (!needs.output[e] && !needs.whole[e] && needs.inner.get(e).isEmpty() && needs.repetitions.get(e).isEmpty()
                    && !(child.node().leaf() && child.node().call() != null && child.node().call().inPlace())) {
                continue;
            }
            runs[e] = true;
            flow.reads().get(e).forEach(needs::need);
            flow.sized().get(e).values().forEach(needs::need);
        }
        if (needs.keepAll) {
            return dead; // a path not followed here: the block counts whole
        }
        for (int e = 0; e < entries; e++) {
            CostNode.Child child = node.children().get(e);
            String name = child.name(0);
            if (!runs[e]) {
                leaves(child.node(), name, child.count(), dead);
            } else if (!needs.repetitions.get(e).isEmpty()) {
                run(child, needs.output[e] || needs.whole[e], needs.repetitions.get(e), dead);
            } else if (!needs.whole[e] && !child.node().leaf()) {
                Map<String, Long> under = needs.inner.get(e).isEmpty() ? within(child.node())
                        : within(child.node(), needs.output[e], needs.inner.get(e));
                under.forEach((leaf, calls) -> add(dead, ModelCosts.join(name, leaf), Math.multiplyExact(calls, child.count())));
            }
        }
        return dead;
    }

    /**
     * A run of repetitions some of which are read into by path ({@code reads}: by repetition, the paths inside it, {@code ""} for
     * its output): a repetition's output is needed where a later one is (it feeds the next), up to the last read or, where the
     * run's output is, the last; the repetitions past that are dropped whole.
     */
    private void run(CostNode.Child child, boolean outputNeeded, Map<Long, Set<String>> reads, Map<String, Long> dead) {
        long last = child.count() - 1L;
        long lastNeeded = outputNeeded ? last : reads.keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
        long plain = lastNeeded + 1 - reads.keySet().stream().filter(r -> r <= lastNeeded).count();
        if (plain > 0) {
            repetitions(child, plain, true, Set.of(), dead);
        }
        for (Map.Entry<Long, Set<String>> read : reads.entrySet()) {
            Set<String> paths = new java.util.LinkedHashSet<>(read.getValue());
            boolean output = paths.remove("") || read.getKey() < lastNeeded || outputNeeded;
            repetitions(child, 1, output, paths, dead);
        }
        if (last > lastNeeded) {
            repetitions(child, last - lastNeeded, false, Set.of(), dead);
        }
    }

    /** What {@code times} repetitions of a run leave unreached, each with its output needed or not and {@code paths} inside it read. */
    private void repetitions(CostNode.Child child, long times, boolean outputNeeded, Set<String> paths, Map<String, Long> dead) {
        String name = child.name(0);
        if (child.node().leaf()) {
            if (!outputNeeded && paths.isEmpty() && !(child.node().call() != null && child.node().call().inPlace())) {
                add(dead, name, times);
            }
            return;
        }
        Map<String, Long> under = outputNeeded && paths.isEmpty() ? within(child.node()) : within(child.node(), outputNeeded, paths);
        under.forEach((leaf, calls) -> add(dead, ModelCosts.join(name, leaf), Math.multiplyExact(calls, times)));
    }

    private static void add(Map<String, Long> dead, String path, long calls) {
        dead.merge(path, calls, Math::addExact);
    }

    /** What a block's children must give: each one's output, each one whole, and the paths inside each read from outside it. */
    private static final class Needs {
        private final CostNode node;
        final boolean[] output;
        final boolean[] whole;
        final List<Set<String>> inner = new ArrayList<>();
        /** Per child that is a run, the paths read inside each repetition by its index in the run ({@code ""}: its output). */
        final List<Map<Long, Set<String>>> repetitions = new ArrayList<>();
        /** Whether a path was read that is not followed: then every layer of the block counts. */
        boolean keepAll;

        Needs(CostNode node) {
            this.node = node;
            int entries = node.children().size();
            output = new boolean[entries];
            whole = new boolean[entries];
            for (int e = 0; e < entries; e++) {
                inner.add(new java.util.LinkedHashSet<>());
                repetitions.add(new java.util.TreeMap<>());
            }
        }

        /**
         * A source a needed child reads: a child's output, or a tensor inside it by its path ({@code b3.skip}: {@code skip} in b3;
         * in a block applied in place, whose fields are this block's own, {@code skip} here; {@code lstm.h_n}: the layer whole).
         */
        void need(Flow.Source source) {
            if (source.isInput()) {
                return;
            }
            int e = source.entry();
            String path = source.path();
            int dot = path == null ? -1 : path.indexOf('.');
            if (!source.isInner() || dot < 0) {
                output[e] = true;
                whole[e] |= source.isInner();
                return;
            }
            CostNode.Child child = node.children().get(e);
            String rest = path.substring(dot + 1);
            int next = rest.indexOf('.');
            String first = next < 0 ? rest : rest.substring(0, next);
            // The path's head names the child itself (by its field's name, which in an indexed network is not its module's number),
            // or a block applied in place, which the entry of its last field stands for.
            boolean own = child.count() == 1 && !source.inPlace();
            if (own && !child.node().leaf() && named(child.node(), first)) {
                inner.get(e).add(rest);
            } else if (own && child.node().leaf() && next < 0 && child.node().call() != null
                    && child.node().call().kind().results().contains(rest)) {
                whole[e] = true; // another result of the layer's call
            } else if (source.inPlace() && !first.matches("\\d+") && named(node, first)) {
                keepAll |= !inside(rest); // a block applied in place: its fields are children here, each name once
            } else if (!source.inPlace() && child.run() && child.repetitionIndex(first) >= 0) {
                readInRun(e, child, first, next < 0 ? null : rest.substring(next + 1));
            } else {
                keepAll = true; // a path not followed: the block counts whole
            }
        }

        /**
         * A read of repetition {@code name} of the run at entry {@code e}: of {@code path} inside it, or of its output where null (a
         * layer's repetition is read whole). Followed per repetition ({@link Unreached#run}).
         */
        void readInRun(int e, CostNode.Child run, String name, String path) {
            long index = run.repetitionIndex(name);
            repetitions.get(e).computeIfAbsent(index, r -> new java.util.LinkedHashSet<>()).add(path == null || run.node().leaf() ? "" : path);
        }

        /** Whether a child of {@code block} has that name, a run's repetition included. */
        private static boolean named(CostNode block, String name) {
            for (CostNode.Child child : block.children()) {
                if (child.count() == 1 ? child.name(0).equals(name) : child.repetitionIndex(name) >= 0) {
                    return true;
                }
            }
            return false;
        }

        /** A path inside this block read from outside it; false where it names no child here, which is not followed. */
        boolean inside(String path) {
            int dot = path.indexOf('.');
            String first = dot < 0 ? path : path.substring(0, dot);
            for (int e = 0; e < node.children().size(); e++) {
                CostNode.Child child = node.children().get(e);
                if (child.count() == 1 && child.name(0).equals(first)) {
                    if (dot < 0) {
                        output[e] = true;
                    } else if (child.node().leaf()) {
                        whole[e] = true;
                    } else {
                        inner.get(e).add(path.substring(dot + 1));
                    }
                    return true;
                }
                if (child.run() && child.repetitionIndex(first) >= 0) {
                    readInRun(e, child, first, dot < 0 ? null : path.substring(dot + 1));
                    return true;
                }
            }
            return false;
        }
    }

    /** Every leaf under {@code times} applications of {@code node}, at {@code path}, with its calls. */
    private static void leaves(CostNode node, String path, long times, Map<String, Long> into) {
        if (node.leaf()) {
            add(into, path, times);
            return;
        }
        for (CostNode.Child child : node.children()) {
            leaves(child.node(), ModelCosts.join(path, child.name(0)), Math.multiplyExact(times, child.count()), into);
        }
    }
}
