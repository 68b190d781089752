package dev.modelcost.processor.sizes;

import java.util.List;

/**
 * Walks one variable's lattice outward from its declared size, the others at theirs, through the leaves that take some sizes only
 * of an axis they drop ({@link ShapeRules.DroppedGap}: a select whose index reads the axis it selects from), to the first step each
 * way at which one refuses its axis: a range must end before it, though no check of the range need fall there.
 *
 * <p>Each step runs each such leaf's formula once at the size its axis has there, through the layers' rules before it; up to
 * {@link #MOST_RUNS} runs each way, the walk going only as far as the range it is asked about, and the range ending where the runs
 * run out. Where a leaf refuses its axis but the model, analysed there, exists (the rules before it do not give the axis the
 * model's size), the walk stops that way without ending the range. Where the axis changes with several variables, only each one's
 * range is walked, the others at their defaults: a size at which the leaf refuses its axis only with several variables moved
 * together is not looked for.
 */
final class GapWalk {
    /**
     * The most runs of the leaves' formulas each way, each leaf's at each step counting one (as many runs as a leaf's own scan of
     * the sizes above its smallest): about a quarter of a second at first, in a fresh compiler (each run evaluates the leaf's
     * attributes again).
     */
    static final long MOST_RUNS = 4_096;

    /** Where the range must end on one side, and why: the last lattice step that holds, and what happens at the next. */
    record End(long last, String why) {}

    private final Probe probe;
    private final Lattices lattices;
    private final int i;
    private final List<ShapeRules.DroppedGap> gaps;
    /** The lattice's period the walk was made for: a walk on another lattice of the variable is another walk. */
    final long period;
    /** The farthest steps walked each way ({@code [0]} up, {@code [1]} down), where every leaf takes its axis. */
    private final long[] walked = {0, 0};
    /** Whether the walk stopped each way without an end: a leaf refused its axis where the model exists. */
    private final boolean[] stopped = new boolean[2];
    /** Where the range ends each way, once found (a leaf refuses the next step, or the runs ran out); null until then. */
    private final End[] end = new End[2];
    /** The runs of the leaves' formulas made each way. */
    private final long[] runs = new long[2];

    GapWalk(Probe probe, Lattices lattices, int i, List<ShapeRules.DroppedGap> gaps) {
        this.probe = probe;
        this.lattices = lattices;
        this.i = i;
        this.gaps = gaps;
        this.period = lattices.period[i];
    }

    /** Whether no leaf's axis changes with the variable: nothing to walk. */
    boolean empty() {
        return gaps.isEmpty();
    }

    /**
     * Where the range must end below lattice step {@code highest}, walking up to it; null where every leaf takes its axis at every
     * step up to it, or the walk stopped before it without an end.
     */
    End above(long highest) {
        return walk(0, highest);
    }

    /** Where the range must end above lattice step {@code lowest}, walking down to it; null as {@link #above}. */
    End below(long lowest) {
        return walk(1, lowest);
    }

    private End walk(int side, long to) {
        long way = side == 0 ? 1 : -1;
        while (end[side] == null && !stopped[side] && (side == 0 ? walked[side] < to : walked[side] > to)) {
            long step = walked[side] + way;
            long[] sizes = lattices.at(i, step);
            String refused = refused(side, sizes);
            if (refused == null) {
                walked[side] = step;
                continue;
            }
            if (refused.isEmpty()) {
                end[side] = new End(walked[side], "at " + probe.describe(sizes) + ": a layer that takes some sizes only of an axis it"
                        + " drops is run by its rule at " + String.format(java.util.Locale.ROOT, "%,d", MOST_RUNS)
                        + " sizes on this side of the declared size, which do not reach this one, so compile the model at such a size");
                break;
            }
            Probe.Outcome outcome = probe.at(sizes);
            if (outcome.exists()) {
                // the rules before the leaf do not give its axis the model's size there: nothing the walk can tell
                stopped[side] = true;
                break;
            }
            end[side] = new End(walked[side], "at " + probe.describe(sizes) + ": " + outcome.reason());
        }
        End found = end[side];
        return found == null || (side == 0 ? found.last() >= to : found.last() <= to) ? null : found;
    }

    /**
     * Which leaf refuses its axis at the variables' {@code sizes}: its reason; "" where the runs on {@code side} ran out first; null
     * where every leaf takes its axis there, or the axis has no size of 1 or more there by the rules before the leaf (the network
     * ends there by one of them, which the range's own search finds).
     */
    private String refused(int side, long[] sizes) {
        for (ShapeRules.DroppedGap gap : gaps) {
            if (++runs[side] > MOST_RUNS) {
                return "";
            }
            Long axis = gap.axisAt().apply(sizes);
            if (axis != null && axis >= 1 && !gap.takes().test(axis)) {
                return gap.why();
            }
        }
        return null;
    }
}
