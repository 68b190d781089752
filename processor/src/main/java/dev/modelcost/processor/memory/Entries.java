package dev.modelcost.processor.memory;

import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.Flow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A block's child entries as its liveness runs them: its node's, but each repetition inside a run that its caller names by a path
 * ({@code blocks.2}, {@code blocks.2.fc1}: a tensor held past the block's end) split out as an entry of its own, the rest of the
 * run before and after it runs of their own, with the flow renumbered to match.
 *
 * @param children the entries
 * @param flow the block's flow over them
 */
record Entries(List<CostNode.Child> children, Flow flow) {
    /** The entries of {@code node} with each repetition that one of {@code held}'s paths starts with split out. */
    static Entries of(CostNode node, Set<String> held) {
        List<CostNode.Child> children = node.children();
        Flow flow = node.flow();
        if (held.isEmpty() || children.stream().noneMatch(CostNode.Child::run)) {
            return new Entries(children, flow);
        }
        Set<String> names = new HashSet<>();
        held.forEach(path -> names.add(path.indexOf('.') < 0 ? path : path.substring(0, path.indexOf('.'))));
        List<CostNode.Child> split = new ArrayList<>();
        List<List<Flow.Source>> reads = new ArrayList<>();
        List<Map<String, Flow.Source>> sized = new ArrayList<>();
        int[] last = new int[children.size()];
        for (int e = 0; e < children.size(); e++) {
            CostNode.Child child = children.get(e);
            TreeSet<Long> alone = new TreeSet<>();
            for (String name : names) {
                long index = child.repetitionIndex(name);
                if (index >= 0) {
                    alone.add(index);
                }
            }
            List<Flow.Source> read = renumbered(flow.reads().get(e), last);
            Map<String, Flow.Source> sizes = new LinkedHashMap<>();
            flow.sized().get(e).forEach((tensor, source) -> sizes.put(tensor, renumbered(source, last)));
            long start = 0;
            for (long[] piece : pieces(alone, child.count())) {
                if (start > 0) {
                    // A later repetition reads the one before as its first input, and the run's other inputs.
                    List<Flow.Source> next = new ArrayList<>(List.of(Flow.Source.child(split.size() - 1)));
                    next.addAll(read.subList(Math.min(1, read.size()), read.size()));
                    read = next;
                }
                long count = piece[1] - piece[0] + 1;
                split.add(count == 1 ? CostNode.Child.of(child.name((int) piece[0]), child.node())
                        : new CostNode.Child(child.prefix(), child.first() + (int) piece[0], (int) count, child.node()));
                reads.add(read);
                sized.add(sizes);
                start = piece[1] + 1;
            }
            last[e] = split.size() - 1;
        }
        if (split.size() == children.size()) {
            return new Entries(children, flow);
        }
        Set<Integer> unread = new HashSet<>();
        flow.unreadOnPurpose().forEach(entry -> unread.add(last[entry]));
        return new Entries(split, new Flow(reads, renumbered(flow.output(), last), sized, unread, flow.loop(),
                // the tests of sizes are the size program's, not the memory timeline's: left out rather than renumbered
                flow.alsoReturned().stream().map(source -> renumbered(source, last)).toList(), List.of()));
    }

    /** The repetitions {@code 0 .. count - 1} as ranges, each index of {@code alone} a range of its own. */
    private static List<long[]> pieces(TreeSet<Long> alone, long count) {
        List<long[]> pieces = new ArrayList<>();
        long start = 0;
        for (long index : alone) {
            if (index > start) {
                pieces.add(new long[] {start, index - 1});
            }
            pieces.add(new long[] {index, index});
            start = index + 1;
        }
        if (start < count) {
            pieces.add(new long[] {start, count - 1});
        }
        return pieces;
    }

    private static List<Flow.Source> renumbered(List<Flow.Source> sources, int[] last) {
        return sources.stream().map(source -> renumbered(source, last)).toList();
    }

    /** A source over the split entries: a child's output is its last piece's. */
    private static Flow.Source renumbered(Flow.Source source, int[] last) {
        return source.isInput() ? source : new Flow.Source(last[source.entry()], source.inner(), source.path(), source.inPlace());
    }
}
