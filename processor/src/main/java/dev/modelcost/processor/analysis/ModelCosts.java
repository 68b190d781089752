package dev.modelcost.processor.analysis;

import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.spec.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A fully analysed model: its spec and the tree of costs.
 *
 * @param spec the model's spec
 * @param root the analysed network
 * @param totals the model's totals: the root's, but {@code DECODE_MACS}, {@code KV_CACHE} and {@code KV_CACHE_BYTES} those of a
 *     decoding step ({@link DecodeStep})
 */
public record ModelCosts(ModelSpec spec, CostNode root, Costs totals) {

    /** The model's output shape without the batch. */
    public Shape output() {
        return root.output();
    }

    /**
     * The names of the tensors the model returns, in order: {@code @Model(output)}'s, or the last field's name where it names
     * none; the first is {@link #output()}'s.
     */
    public List<String> outputNames() {
        List<dev.modelcost.processor.spec.Step> steps = spec.network().steps();
        return spec.outputs().isEmpty() ? List.of(steps.get(steps.size() - 1).name()) : spec.outputs();
    }

    /** Every tensor's shape the model returns, without the batch, in the order of {@link #outputNames()}. */
    public List<Shape> outputs() {
        List<Shape> shapes = new ArrayList<>(List.of(output()));
        Flow flow = root.flow();
        if (flow != null) {
            for (Flow.Source source : flow.alsoReturned()) {
                shapes.add(source.isInput() ? spec.inputs().get(source.input())
                        : source.isInner() ? source.inner() : root.children().get(source.entry()).node().output());
            }
        }
        return List.copyOf(shapes);
    }

    /** Every distinct node of the model, the root first: a memoized block once, however often it is applied. */
    public java.util.List<CostNode> distinctNodes() {
        return distinctNodes(root);
    }

    /** Every distinct node under {@code top}, itself included, as {@link #distinctNodes()} lists a model's. */
    public static java.util.List<CostNode> distinctNodes(CostNode top) {
        java.util.List<CostNode> nodes = new java.util.ArrayList<>();
        java.util.Deque<CostNode> todo = new java.util.ArrayDeque<>(java.util.List.of(top));
        java.util.Set<CostNode> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (!todo.isEmpty()) {
            CostNode node = todo.pop();
            if (seen.add(node)) {
                nodes.add(node);
                node.children().forEach(child -> todo.push(child.node()));
            }
        }
        return nodes;
    }

    /** The count of the longest run of identical repetitions anywhere in the model, 1 without any. */
    public int longestRun() {
        return longestRun(root, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    }

    private static int longestRun(CostNode node, java.util.Set<CostNode> seen) {
        int longest = 1;
        if (seen.add(node)) {
            for (CostNode.Child child : node.children()) {
                longest = Math.max(longest, Math.max(child.count(), longestRun(child.node(), seen)));
            }
        }
        return longest;
    }

    /** How many leaves the model has, every repetition counted, without listing them. */
    public long leafCount() {
        return leaves(root);
    }

    /** {@link #leaves(CostNode)}, or {@link Long#MAX_VALUE} where the count passes a long. */
    public static long leavesAtMostLong(CostNode node) {
        try {
            return leaves(node);
        } catch (ArithmeticException beyondLong) {
            return Long.MAX_VALUE;
        }
    }

    /** How many leaves a node has, every repetition counted. */
    public static long leaves(CostNode node) {
        return leaves(node, new java.util.IdentityHashMap<>());
    }

    // Each distinct node counted once: a block applied by several fields is one node, which would otherwise be walked once per path.
    private static long leaves(CostNode node, java.util.Map<CostNode, Long> known) {
        if (node.leaf()) {
            return 1;
        }
        Long counted = known.get(node);
        if (counted != null) {
            return counted;
        }
        long count = 0;
        for (CostNode.Child child : node.children()) {
            count = Math.addExact(count, Math.multiplyExact(child.count(), leaves(child.node(), known)));
        }
        known.put(node, count);
        return count;
    }

    /**
     * How many leaves a node has with each run of identical repetitions counted once, as the walks over a model's layers (its
     * timeline, its layer table, its counters) visit them, up to {@code most + 1}: a block that several fields apply is walked
     * once per field.
     */
    public static long walkedLeaves(CostNode node, long most) {
        return walkedLeaves(node, most, new java.util.IdentityHashMap<>());
    }

    private static long walkedLeaves(CostNode node, long most, java.util.Map<CostNode, Long> known) {
        if (node.leaf()) {
            return 1;
        }
        Long counted = known.get(node);
        if (counted != null) {
            return counted;
        }
        long count = 0;
        for (CostNode.Child child : node.children()) {
            count = Math.min(most + 1, count + walkedLeaves(child.node(), most, known));
        }
        known.put(node, count);
        return count;
    }

    /**
     * Every leaf with its full path, in execution order, listing at most {@code perRun} repetitions
     * of each run of identical repetitions (the later ones repeat those rows under other names).
     */
    public List<LayerRow> rows(int perRun) {
        List<LayerRow> rows = new ArrayList<>();
        collect(root, "", perRun, rows);
        return rows;
    }

    /** How {@link #nodes} lists a run of identical repetitions. */
    public enum Runs {
        /** Every repetition and everything in it. */
        EXPAND,
        /** One row for the whole run, carrying the run; nothing inside it. */
        ONE_ROW,
        /** One row for the whole run, carrying the run, followed by what the first repetition contains. */
        FIRST_INSIDE
    }

    /**
     * One node of the analysed tree with its place in it.
     *
     * @param path the dotted path (of the first repetition, for a row that stands for a run)
     * @param depth 1 for the model's own fields, 2 for their children, ...
     * @param node the node
     * @param run the run this row stands for, or {@code null} for a single node
     */
    public record Placed(String path, int depth, CostNode node, CostNode.Child run) {
        /** How many nodes this row stands for. */
        public int count() {
            return run == null ? 1 : run.count();
        }

        /** The path, with the numbers of a run written as a range: {@code layer1.{1..99}}. */
        public String label() {
            if (run == null) {
                return path;
            }
            return parent() + run.prefix() + "{" + run.first() + ".." + (run.first() + (long) run.count() - 1) + "}";
        }

        /** The path of repetition {@code i} of the run this row stands for, the first at 0. */
        public String repetition(int i) {
            return parent() + run.name(i);
        }

        /** The path of the block that holds the run, with its dot: {@code layer1.} of {@code layer1.1}. */
        private String parent() {
            return path.substring(0, path.length() - run.name(0).length());
        }

        /** The kind, with the count of a run: {@code Bottleneck x99}. */
        public String kindLabel() {
            return run == null ? node.kind() : node.kind() + " x" + run.count();
        }

        /** The costs of everything this row stands for. */
        public Costs totals() {
            return node.totals().times(count());
        }
    }

    /** Every block and leaf down to {@code maxDepth}, in pre-order (a block before its children). */
    public List<Placed> nodes(int maxDepth, Runs runs) {
        List<Placed> nodes = new ArrayList<>();
        walk(root, "", 0, maxDepth, runs, nodes);
        return nodes;
    }

    /** How many rows {@link #nodes} would list, counting no further than {@code limit}. */
    public int countNodes(int maxDepth, Runs runs, int limit) {
        return count(root, 0, maxDepth, runs, limit);
    }

    private static int count(CostNode node, int depth, int maxDepth, Runs runs, int limit) {
        int total = depth > 0 ? 1 : 0;
        if (depth == maxDepth) {
            return Math.min(total, limit);
        }
        for (CostNode.Child child : node.children()) {
            if (total >= limit) {
                break;
            }
            if (!child.run() || runs == Runs.EXPAND) {
                long each = count(child.node(), depth + 1, maxDepth, runs, limit - total);
                total = (int) Math.min(limit, total + each * child.count());
            } else if (runs == Runs.ONE_ROW) {
                total++;
            } else {
                total += count(child.node(), depth + 1, maxDepth, runs, limit - total);
            }
        }
        return Math.min(total, limit);
    }

    private static void walk(CostNode node, String path, int depth, int maxDepth, Runs runs, List<Placed> into) {
        if (depth == maxDepth) {
            return;
        }
        for (CostNode.Child child : node.children()) {
            boolean fold = child.run() && runs != Runs.EXPAND;
            int shown = fold ? 1 : child.count();
            for (int i = 0; i < shown; i++) {
                String childPath = join(path, child.name(i));
                into.add(new Placed(childPath, depth + 1, child.node(), fold ? child : null));
                if (!fold || runs == Runs.FIRST_INSIDE) {
                    walk(child.node(), childPath, depth + 1, maxDepth, runs, into);
                }
            }
        }
    }

    private static void collect(CostNode node, String path, int perRun, List<LayerRow> rows) {
        if (node.leaf()) {
            rows.add(new LayerRow(path, node.kind(), node.output(), node.totals()));
            return;
        }
        for (CostNode.Child child : node.children()) {
            for (int i = 0; i < Math.min(perRun, child.count()); i++) {
                collect(child.node(), join(path, child.name(i)), perRun, rows);
            }
        }
    }

    /** A dotted path: {@code head.tail}, or either alone when the other is empty. */
    public static String join(String head, String tail) {
        return head.isEmpty() ? tail : tail.isEmpty() ? head : head + "." + tail;
    }
}
