package dev.modelcost.processor.counters;

import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.Flow;
import dev.modelcost.processor.analysis.ModelCosts;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the layers whose results never reach the model's output, which a JIT trace drops (PyTorch's dead code elimination, as
 * fvcore's trace shows: a convolution whose result nothing reads, and every layer that only feeds it, count nothing there;
 * measured: {@code FlopCountAnalysis} of {@code y = conv1(x); conv2(x); return y} counts {@code conv1} alone). A layer is
 * reached where a reached layer reads its output or its size ({@code z.shape[1]} in a view), or the model returns it, or its
 * field suppresses MC130 (a second output of the model, as a pooler's, or an edge the spec does not draw, as a router's). Not
 * followed, and so counted as reached: a layer modified in place, and a block whose inner tensor a later field reads by its
 * path ({@code backbone.layer3}), whose every layer counts.
 */
final class Unreached {
    /** Each block node's unreached leaves where its output is needed, relative to it; the same for every application. */
    private final Map<CostNode, List<String>> memo = new IdentityHashMap<>();

    private Unreached() {}

    /** The paths of the leaves that never reach the model's output, as {@link Readings} walks them (a run by its first repetition). */
    static Set<String> of(ModelCosts costs) {
        List<String> dead = new Unreached().within(costs.root());
        return dead.isEmpty() ? Set.of() : new HashSet<>(dead);
    }

    /** The unreached leaves under a block whose output is needed, relative to it. */
    private List<String> within(CostNode node) {
        List<String> known = memo.get(node);
        if (known != null) {
            return known;
        }
        List<String> dead = new ArrayList<>();
        Flow flow = node.flow();
        if (node.leaf() || flow == null) {
            memo.put(node, dead);
            return dead;
        }
        int entries = node.children().size();
        boolean[] needed = new boolean[entries];
        // A child read from outside it by an inner path, or one modified in place, counts whole.
        boolean[] whole = new boolean[entries];
        need(flow.output(), needed, whole);
        flow.unreadOnPurpose().forEach(e -> needed[e] = true);
        for (int e = entries - 1; e >= 0; e--) {
            CostNode.Child child = node.children().get(e);
            if (!needed[e] && !whole[e] && !(child.node().leaf() && child.node().call() != null && child.node().call().inPlace())) {
                continue;
            }
            needed[e] = true;
            flow.reads().get(e).forEach(source -> need(source, needed, whole));
            flow.sized().get(e).values().forEach(source -> need(source, needed, whole));
        }
        for (int e = 0; e < entries; e++) {
            CostNode.Child child = node.children().get(e);
            String name = child.name(0);
            if (!needed[e]) {
                leaves(child.node(), name, dead);
            } else if (!whole[e] && !child.node().leaf()) {
                within(child.node()).forEach(inner -> dead.add(ModelCosts.join(name, inner)));
            }
        }
        memo.put(node, dead);
        return dead;
    }

    private static void need(Flow.Source source, boolean[] needed, boolean[] whole) {
        if (source.isInput()) {
            return;
        }
        needed[source.entry()] = true;
        if (source.isInner()) {
            whole[source.entry()] = true;
        }
    }

    /** Every leaf under {@code node}, at {@code path}. */
    private static void leaves(CostNode node, String path, List<String> into) {
        if (node.leaf()) {
            into.add(path);
            return;
        }
        for (CostNode.Child child : node.children()) {
            leaves(child.node(), ModelCosts.join(path, child.name(0)), into);
        }
    }
}
