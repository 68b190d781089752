package dev.modelcost.processor.sizes;

import java.util.List;

/**
 * Walks one variable's lattice outward from its declared size, the others at theirs, through the leaves that take some sizes only
 * of an axis they drop ({@link ShapeRules.DroppedGap}: a select whose index reads the axis it selects from), to the first step each
 * way at which one refuses its axis: a range must end before it, though no check of the range need fall there.
 *
 * <p>Each step runs each such leaf's formula once at the size its axis has there, through the layers' rules before it; up to
 * {@link Thresholds#MOST_REPLAYED} runs in all, both ways together, the walk going only as far as the range it is asked about.
 * Where a leaf refuses its axis but the model, analysed there, exists (the rules before it do not give the axis the model's
 * size), the walk stops that way without ending the range. Where the axis changes with several variables, only each one's range
 * is walked, the others at their defaults: the box of the ranges is left to the joint domain's checks of the values that turn.
 */
final class GapWalk {
    /** Where the range must end on one side, and why: the last lattice step that holds, and what happens at the next. */
    record End(long last, String why) {}

    private final Probe probe;
    private final Lattices lattices;
    private final int i;
    private final List<ShapeRules.DroppedGap> gaps;
    /** The lattice's period the walk was made for: a walk on another lattice of the variable is another walk. */
    final long period;
    /** The farthest steps walked each way ({@code [0]} up, {@code [1]} down), every step up to them taken by every leaf. */
    private final long[] walked = {0, 0};
    /** Where the range ends each way, once found (a leaf refuses the next step, or the runs ran out); null until then. */
    private final End[] end = new End[2];
    private long runs;

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

    /** Where the range must end at or below lattice step {@code highest}, walking up to it; null where every step up to it holds. */
    End above(long highest) {
        return walk(0, highest);
    }

    /** Where the range must end at or above lattice step {@code lowest}, walking down to it; null where every step down to it holds. */
    End below(long lowest) {
        return walk(1, lowest);
    }

    private End walk(int side, long to) {
        long way = side == 0 ? 1 : -1;
        while (end[side] == null && (side == 0 ? walked[side] < to : walked[side] > to)) {
            long step = walked[side] + way;
            long[] sizes = lattices.at(i, step);
            String refused = refused(sizes);
            if (refused == null) {
                walked[side] = step;
                continue;
            }
            if (refused.isEmpty()) {
                // the runs ran out
                end[side] = new End(walked[side], "at " + probe.describe(sizes) + ": a layer that takes some sizes only of an axis it"
                        + " drops is run by its rule at " + String.format(java.util.Locale.ROOT, "%,d", Thresholds.MOST_REPLAYED)
                        + " sizes in all around the declared size, which do not reach this one, so compile the model at such a size");
                break;
            }
            Probe.Outcome outcome = probe.at(sizes);
            if (outcome.exists()) {
                // the rules before the leaf do not give its axis the model's size there: nothing the walk can tell
                walked[side] = side == 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
                break;
            }
            end[side] = new End(walked[side], "at " + probe.describe(sizes) + ": " + outcome.reason());
        }
        End found = end[side];
        return found == null || (side == 0 ? found.last() >= to : found.last() <= to) ? null : found;
    }

    /**
     * Which leaf refuses its axis at the variables' {@code sizes}: its reason; "" where the runs ran out first; null where every
     * leaf takes its axis there, or a rule before it has no value there (the network ends by that rule, which the range's own search
     * finds).
     */
    private String refused(long[] sizes) {
        for (ShapeRules.DroppedGap gap : gaps) {
            if (++runs > Thresholds.MOST_REPLAYED) {
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
