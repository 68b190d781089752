package dev.modelcost.processor.counters;

import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.GradientViews;
import dev.modelcost.processor.analysis.ModelCosts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Computes every counter's reading of an analysed model, leaf by leaf over its execution order. */
public final class Readings {
    /** How many leaves a reading lists where the counter differs most. */
    static final int LARGEST = 5;

    private Readings() {}

    /** The readings of every registered counter, in {@link Counters#ALL}'s order. */
    public static List<Reading> of(ModelCosts costs) {
        return of(costs, true);
    }

    /**
     * Every registered counter's figure and parameter count alone, in {@link Counters#ALL}'s order:
     * readings without their differences from modelcost's figures or their largest layers (the figures
     * of a model at other sizes).
     */
    public static List<Reading> figures(ModelCosts costs) {
        return of(costs, false);
    }

    private static List<Reading> of(ModelCosts costs, boolean detailed) {
        List<Tally> tallies = Counters.ALL.stream().map(c -> new Tally(c, detailed)).toList();
        walk(costs.root(), "", 1, false, tallies, costs.spec().inputs().size(), Unreached.of(costs));
        long params = costs.totals().params();
        long macs = costs.totals().macs();
        String refused = GradientViews.refusedWithGradients(costs, false);
        return tallies.stream().map(t -> t.reading(params, macs, refused)).toList();
    }

    private static void walk(CostNode node, String path, long times, boolean fastPath, List<Tally> tallies, int inputs, Map<String, Long> unreached) {
        boolean fused = fastPath || node.fastPath();
        if (node.leaf()) {
            Leaf leaf = new Leaf(node.kind(), node.call(), node.output(), node.totals(), inputs);
            // the calls whose results never reach the output (a run's last repetition's alone, say), which some counters drop
            long dropped = Math.min(times, unreached.getOrDefault(path, 0L));
            for (Tally tally : tallies) {
                if (dropped > 0 && tally.counter.dropsUnreached()) {
                    if (dropped < times) {
                        tally.add(leaf, path, times - dropped, fused, true);
                    }
                    tally.add(leaf, path, dropped, fused, false);
                } else {
                    tally.add(leaf, path, times, fused, true);
                }
            }
            return;
        }
        for (CostNode.Child child : node.children()) {
            walk(child.node(), ModelCosts.join(path, child.name(0)), Math.multiplyExact(times, child.count()), fused, tallies, inputs, unreached);
        }
    }

    /** What a counter that drops unreached layers counts for one: nothing, its multiply-accumulates shown apart. */
    private static final Count UNREACHED = Count.unseen(0, 0, "a layer whose result never reaches the output, which the JIT trace drops");

    /** Why a counter's figure is not given where it, or a part of it, does not fit in a {@code long}. */
    public static final String BEYOND_LONG = "the counter's figure is beyond 64-bit integers";

    /** The reading of the counter {@code id} among {@code readings}. */
    public static java.util.Optional<Reading> find(List<Reading> readings, String id) {
        return readings.stream().filter(r -> r.counter().id().equals(id)).findFirst();
    }

    /** One counter's sums so far. */
    private static final class Tally {
        private final Counter counter;
        private long value;
        private long params;
        private final Map<Category, Long> differences = new EnumMap<>(Category.class);
        private final Map<String, Long> unseen = new LinkedHashMap<>();
        private final Set<String> unknown = new LinkedHashSet<>();
        private String failure;
        private String inexact;
        private String floors;
        private final List<Reading.LayerDifference> layers = new ArrayList<>();
        /**
         * What the leaves' counts left, by the divisor of the sum the tool divides once ({@link Count#remainder()}), with the kind
         * of the first leaf to leave any; their quotients join the figure at the end.
         */
        private final Map<Long, Long> remainders = new java.util.TreeMap<>();
        private Category remaindersFrom;

        /** Whether the differences from modelcost's figures and the largest layers are kept, not only the sums. */
        private final boolean detailed;

        Tally(Counter counter, boolean detailed) {
            this.counter = counter;
            this.detailed = detailed;
        }

        void add(Leaf leaf, String path, long times, boolean fused, boolean reached) {
            if (unknown.contains(BEYOND_LONG)) {
                return;
            }
            try {
                tally(leaf, path, times, fused, reached);
            } catch (ArithmeticException e) {
                unknown.add(BEYOND_LONG);
            }
        }

        private void tally(Leaf leaf, String path, long times, boolean fused, boolean reached) {
            Count count = leaf.call() == null ? Count.unknown(Rules.EXPERTS) : !reached && counter.dropsUnreached() ? UNREACHED
                    : fused ? counter.insideFastPath(leaf) : counter.count(leaf);
            if (count.inexact() != null && inexact == null) {
                inexact = count.inexact() + " (" + path + ", " + leaf.kind() + ")";
            }
            if (count.floors() != null && floors == null) {
                floors = count.floors() + " (" + path + ", " + leaf.kind() + ")";
            }
            if (count.failure() != null && failure == null) {
                failure = count.failure();
            }
            if (count.unknown() != null) {
                unknown.add(count.unknown());
                return;
            }
            long ours = Math.multiplyExact(leaf.macs(), times);
            long theirs = Math.multiplyExact(count.value(), times);
            long bias = Math.multiplyExact(count.bias(), times);
            value = Math.addExact(value, theirs);
            if (count.remainder() != 0) {
                remainders.merge(count.divisor(), Math.multiplyExact(count.remainder(), times), Math::addExact);
                if (remaindersFrom == null) {
                    remaindersFrom = Category.of(leaf.kind());
                }
            }
            // A module called again (a shared repetition) was counted at its first call: every counter lists its parameters once.
            if (leaf.call() == null || !leaf.call().again()) {
                params = Math.addExact(params, Math.multiplyExact(count.params(), times));
            }
            if (!detailed) {
                return;
            }
            // A counter of one sample misses the others' MACs: shown apart, so the kind's row says what its rule changes.
            long sample = counter.perSample() ? ours / leaf.n() : ours;
            if (count.unseen() != null) {
                unseen.merge(count.unseen(), Math.max(0, sample - (theirs - bias)), Math::addExact);
            }
            if (bias != 0) {
                differences.merge(Category.BIAS, bias, Math::addExact);
            }
            if (sample != ours) {
                differences.merge(Category.BATCH, sample - ours, Math::addExact);
            }
            long main = theirs - bias - sample;
            if (main != 0) {
                differences.merge(Category.of(leaf.kind()), main, Math::addExact);
            }
            if (theirs != ours) {
                layers.add(new Reading.LayerDifference(path, leaf.kind(), times, theirs, ours));
                if (layers.size() > 4 * LARGEST) {
                    keepLargest();
                }
            }
        }

        private void keepLargest() {
            layers.sort(Comparator.comparingLong((Reading.LayerDifference d) -> -Math.abs(d.difference())));
            if (layers.size() > LARGEST) {
                layers.subList(LARGEST, layers.size()).clear();
            }
        }

        /** The reading; {@code refused} is what PyTorch raises with gradients on ({@link GradientViews}), or null. */
        Reading reading(long modelParams, long macs, String refused) {
            keepLargest();
            for (Map.Entry<Long, Long> left : remainders.entrySet()) {
                long carried = left.getValue() / left.getKey();
                try {
                    value = Math.addExact(value, carried);
                } catch (ArithmeticException e) {
                    unknown.add(BEYOND_LONG);
                }
                if (carried != 0 && detailed) {
                    differences.merge(remaindersFrom, carried, Math::addExact);
                }
            }
            remainders.clear();
            String whole = counter.failure(modelParams);
            if (whole == null && refused != null && counter.runsWithGradients()) {
                whole = counter.failsWith(refused);
            }
            return new Reading(counter, value, params, macs, differences, unseen, List.copyOf(unknown), whole != null ? whole : failure,
                    layers, inexact, floors);
        }
    }
}
