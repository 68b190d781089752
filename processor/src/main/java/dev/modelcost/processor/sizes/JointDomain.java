package dev.modelcost.processor.sizes;

import static dev.modelcost.processor.sizes.ClosedForms.SAMPLES;

import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.SizeVariable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Joins the size variables' ranges, each found with the others at their defaults ({@link RangeSearch}), into the box of sizes
 * where the forms hold together: the layers' output axes that hold several sizes, the box's corners and extent, and the joint
 * forms checked off the grid they were interpolated on. A model of one variable has nothing to join.
 */
final class JointDomain {
    private final ModelSpec spec;
    private final Probe probe;
    private final Lattices lattices;
    private final RangeSearch ranges;
    private final int n;
    /** Why each figure has no closed form ({@link ClosedForms}'s): an optional figure that fails together joins it. */
    private final Map<String, String> missing;
    /** Where each optional figure dropped at a size analysed was dropped ({@link ClosedForms}'s). */
    private final Map<String, long[]> droppedAt;
    /**
     * Whether {@link #corners} raised a variable's smallest size for the sizes together (a norm that cannot train where H and W are
     * both tiny): a size program then answers below the box, where each size alone still holds, on a lattice of period 1 too.
     */
    private boolean cutBelow;
    /** Whether a turn of a value that reads the variable ended its range below ({@link #turns}). */
    private final boolean[] cutAtTurn;
    /**
     * Each layer's output axis that holds several sizes, their product or their sum ({@link Probe#AXIS}), by its figure's name, as a polynomial
     * checked at every size analysed on the lattices; distinct polynomials only. {@code at(...)} refuses sizes at which one passes
     * 32 bits, as the processor does, so that the box of sizes need not shrink to keep them out.
     */
    private final Map<String, Polynomial> axes = new LinkedHashMap<>();

    /** The box of the ranges on {@code lattices}, each variable's found by {@code ranges}. */
    JointDomain(ModelSpec spec, Probe probe, Lattices lattices, RangeSearch ranges, Map<String, String> missing, Map<String, long[]> droppedAt) {
        this.spec = spec;
        this.probe = probe;
        this.lattices = lattices;
        this.ranges = ranges;
        this.n = lattices.n;
        this.missing = missing;
        this.droppedAt = droppedAt;
        this.cutAtTurn = new boolean[n];
    }

    /** The layers' output axes that hold several sizes, by figure name, with their polynomials ({@link #findAxes}). */
    Map<String, Polynomial> axes() {
        return axes;
    }

    /**
     * Whether {@link #corners} raised a variable's smallest size for the sizes together: a size program then answers below the box
     * ({@link SizeProgramSearch}).
     */
    boolean cutBelow() {
        return cutBelow;
    }

    /**
     * The smallest size of each variable a size program may answer: where a turn of a value that reads it ended its range below
     * ({@link #turns}), its smallest size, as the program follows the tensors' sizes but not such a value (an index that fits at
     * the declared sizes and not at the turn); else 1.
     */
    long[] programFloors() {
        long[] floors = new long[n];
        for (int i = 0; i < n; i++) {
            floors[i] = cutAtTurn[i] ? lattices.fallback[i] + lattices.period[i] * lattices.minK[i] : 1;
        }
        return floors;
    }

    /**
     * Shrinks the box of sizes until every corner holds: the network exists there and the joint
     * forms of the required figures hold. Each variable's range was found with the others at their
     * defaults, but a limit may bind several at once (a table of positions bounds H·W, a condition
     * reads H + W). A failing corner is pulled toward the defaults along the line between them, by
     * bisection, and the variables' limits follow it.
     */
    void corners(Map<String, Polynomial> polynomials, Set<String> figures) {
        if (n < 2) {
            return;
        }
        for (int round = 0; round < 4; round++) {
            boolean changed = false;
            for (int mask = 0; mask < 1 << n; mask++) {
                long[] k = new long[n];
                for (int i = 0; i < n; i++) {
                    // The upper corner as far as the checks of each variable went: past it nothing was compiled.
                    k[i] = (mask >> i & 1) == 1 ? top(i) : lattices.minK[i];
                }
                if (jointFails(k, polynomials, figures) == null) {
                    continue;
                }
                long holds = lastHolding(k, steps -> jointFails(steps, polynomials, figures) == null);
                long[] kept = toward(k, holds);
                long[] beyond = toward(k, holds + 1);
                String why = "at " + probe.describe(lattices.sizes(beyond)) + " together: " + jointFails(beyond, polynomials, figures);
                for (int i = 0; i < n; i++) {
                    if ((mask >> i & 1) == 1 && kept[i] < top(i)) {
                        lattices.maxK[i] = kept[i];
                        lattices.aboveMax[i] = why;
                    } else if ((mask >> i & 1) == 0 && kept[i] > lattices.minK[i]) {
                        lattices.minK[i] = kept[i];
                        lattices.belowMin[i] = why;
                        cutBelow = true;
                    }
                }
                changed = true;
            }
            if (!changed) {
                return;
            }
        }
    }

    /**
     * Shrinks the box of sizes where a test of one variable's sizes turns ({@code compared}, by the variable's name, as {@link
     * RangeSearch} found them with the others at their defaults) and the network fails there with the others at the ends of their
     * ranges or next to where their own tests turn ({@link #stepsToCheck}): a value of one size compared with the axis of another (a
     * select's index that reads H, on the W axis) may hold at the declared W but not at the smallest, or where the axis dips. From the
     * default outward, each side of each variable stops at its first failure, where its range ends; the corners are checked again
     * after any change.
     */
    void turns(Map<String, java.util.TreeSet<Long>> compared, Map<String, Polynomial> polynomials, Set<String> figures) {
        if (n < 2) {
            return;
        }
        boolean cut = false;
        for (int i = 0; i < n; i++) {
            java.util.TreeSet<Long> masked = ranges.masked(i);
            java.util.TreeSet<Long> sizes = new java.util.TreeSet<>(masked);
            sizes.addAll(compared.getOrDefault(spec.sizes().get(i).name(), new java.util.TreeSet<>()));
            if (sizes.isEmpty()) {
                continue;
            }
            checkedTogether = 0;
            followedAcross = 0;
            nearDeclared = List.of(keptValues(i, lattices.direction[i]), keptValues(i, 2 * lattices.direction[i]));
            for (int way : new int[] {-1, 1}) {
                int checked = 0;
                for (long k : ranges.outward(i, sizes, way)) {
                    if (k < lattices.minK[i] || k > lattices.maxK[i]) {
                        break;
                    }
                    String why = ++checked > RangeSearch.MOST_COMPARED ? tooMany(i, k, RangeSearch.MOST_COMPARED + " sizes next to its turns")
                            : failsAcrossOthers(i, k, masked.contains(lattices.fallback[i] + lattices.period[i] * k), compared, polynomials, figures);
                    if (why == null) {
                        continue;
                    }
                    if (way < 0) {
                        lattices.minK[i] = k + 1;
                        lattices.belowMin[i] = why;
                        cutAtTurn[i] = true;
                    } else {
                        lattices.maxK[i] = k - 1;
                        lattices.aboveMax[i] = why;
                    }
                    cut = true;
                    break;
                }
            }
        }
        if (cut) {
            corners(polynomials, figures);
        }
    }

    /**
     * Null if at lattice step {@code k} of variable {@code i} the network exists and the joint forms hold with every other variable
     * at either end of its range (as far as the checks went, {@link RangeSearch#cap}), and also next to where their own values turn
     * ({@link #stepsToCheck}: an axis that dips inside the range), nearest the declared sizes first ({@link #failsInBox});
     * null too where no value kept there leaves its line from the declared sizes ({@link #leavesLine}) and no part of one turns masked ({@code masked}, followed by {@link #failsAlongOthers}). Past {@link #MOST_TOGETHER}
     * such sizes analysed for {@code i}'s turns, a turn not checked ends the range before it ({@link #tooMany}). A step whose values
     * are those of another step is checked all the same: whether they fit may depend on sizes of tensors that differ there (an
     * index of 250 at H = 302 and at 201 on an axis of H·W: W = 1 fits the first, not the second), and a failed step's values may
     * come again on the declared size's other side. A variable no value of another may meet ({@link RangeSearch#mayMeet}) stays at
     * its default. Else where and why not.
     */
    private String failsAcrossOthers(int i, long k, boolean masked, Map<String, java.util.TreeSet<Long>> compared, Map<String, Polynomial> polynomials,
            Set<String> figures) {
        boolean meets = false;
        for (int j = 0; j < n; j++) {
            meets |= j != i && ranges.mayMeet(j);
        }
        if (!meets || !masked && !leavesLine(i, k)) {
            return null;
        }
        List<long[]> ends = new ArrayList<>();
        List<long[]> turning = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            boolean other = j != i && ranges.mayMeet(j);
            ends.add(j == i ? new long[] {k} : other ? new long[] {lattices.minK[j], top(j)} : new long[] {0});
            turning.add(j == i ? new long[] {k} : other ? stepsToCheck(j, compared) : new long[] {0});
        }
        for (long[] steps : points(ends)) {
            if (++checkedTogether > MOST_TOGETHER) {
                return tooMany(i, k, TOGETHER_CHECKS);
            }
            String why = jointFails(steps, polynomials, figures);
            if (why != null) {
                return "at " + probe.describe(lattices.sizes(steps)) + " together: " + why;
            }
        }
        // Nearest the declared sizes first, as many as are left to check.
        List<long[]> points = points(turning);
        points.sort(java.util.Comparator.comparingLong(steps -> Arrays.stream(steps).map(Math::abs).sum()));
        for (long[] steps : points) {
            if (++checkedTogether > MOST_TOGETHER) {
                return tooMany(i, k, TOGETHER_CHECKS);
            }
            String why = failsInBox(steps, polynomials, figures);
            if (why != null) {
                return why;
            }
        }
        return failsAlongOthers(i, k, masked, polynomials, figures);
    }

    /**
     * Null if at lattice step {@code k} of variable {@code i}, where a layer that decides by its own rule whether it exists
     * ({@link dev.modelcost.processor.analysis.LayerReplay}) is given other values than at the declared sizes, the network exists
     * and the forms hold along every other variable's lattice where its values and such layers turn there: each other variable is
     * followed from samples taken as its range's search takes them, but with {@code i} at {@code k} ({@link RangeSearch#turnsOf}),
     * and the network analysed next to each turn found, nearest the declared sizes first ({@link #failsInBox}). A chunk count and index that read H, 60 and 40 at
     * H = 100 alone, on an axis of W + 59 give 31 chunks at W = 2, where no value of W's own turns. So too where {@code masked}: a
     * part of a value turns at {@code k} that another size masks at its default ({@link Thresholds.Evaluated#masked}), an index of
     * {@code 30 * (x.H / 100 - x.H / 101) * (x.W / 30 - x.W / 31)}, 30 at H = 100 and W = 30 alone. At most {@link #MOST_FOLLOWED}
     * steps of each variable are followed so; past them the range ends. Else where and why not.
     */
    private String failsAlongOthers(int i, long k, boolean masked, Map<String, Polynomial> polynomials, Set<String> figures) {
        Set<String> ruled = rulesChanged(i, k);
        if (ruled.isEmpty() && !masked) {
            return null;
        }
        if (++followedAcross > MOST_FOLLOWED) {
            return tooMany(i, k, MOST_FOLLOWED + " turns where a layer run by its rule takes other values, or a part of a value turns that "
                    + "another size masks");
        }
        for (int j = 0; j < n; j++) {
            if (j == i || !ranges.mayMeet(j)) {
                continue;
            }
            long[] steps = new long[SAMPLES];
            List<Probe.Outcome> samples = new ArrayList<>();
            for (int s = 0; s < SAMPLES; s++) {
                steps[s] = lattices.firstSample(j) + s;
                String why = failsInBox(across(i, k, j, steps[s]), polynomials, figures);
                if (why != null) {
                    return why;
                }
                samples.add(probe.at(lattices.sizes(across(i, k, j, steps[s]))));
            }
            if (samples.stream().anyMatch(sample -> !sample.exists())) {
                continue;
            }
            Thresholds.Evaluated evaluated = ranges.turnsOf(j, steps, samples, top(j), ruled);
            if (evaluated.replayedFrom() > lattices.minK[j] || evaluated.replayedTo() < top(j)) {
                // The runs by the layers' rules ran out before the ends of the other's range: no turn past them is known.
                return "at " + probe.describe(lattices.at(i, k)) + ": a layer that uses values that read the size is given other values "
                        + "there and is run by its rule along " + spec.sizes().get(j).name() + " at " + String.format(java.util.Locale.ROOT, "%,d",
                        Thresholds.MOST_REPLAYED) + " sizes in all, which do not reach the ends of its range, so compile the model at such a size";
            }
            java.util.TreeSet<Long> turns = evaluated.turns();
            int checked = 0;
            for (int way : new int[] {-1, 1}) {
                for (long step : ranges.outward(j, turns, way)) {
                    if (step < lattices.minK[j] || step > top(j)) {
                        break;
                    }
                    if (++checked > RangeSearch.MOST_COMPARED) {
                        return tooMany(i, k, RangeSearch.MOST_COMPARED + " sizes next to where " + spec.sizes().get(j).name() + " turns there");
                    }
                    String why = failsInBox(across(i, k, j, step), polynomials, figures);
                    if (why != null) {
                        return why;
                    }
                }
            }
        }
        return null;
    }

    /**
     * Null if at lattice steps {@code k} the network exists (or {@code at(...)} refuses the sizes as the processor does) and, where
     * they lie in the box of the ranges, every required joint form holds there ({@link #jointFails}), an optional one that does
     * not being dropped: a value that only sizes together turn may change a tensor's size without ending the network (a slice's
     * start, a pad); else where and why not.
     */
    private String failsInBox(long[] k, Map<String, Polynomial> polynomials, Set<String> figures) {
        boolean inBox = true;
        for (int j = 0; j < n; j++) {
            inBox &= k[j] >= lattices.minK[j] && k[j] <= lattices.maxK[j];
        }
        Probe.Outcome outcome = probe.at(lattices.sizes(k));
        String why = inBox ? jointFails(k, polynomials, figures)
                : outcome.exists() || overflowRefusedAlike(outcome, polynomials, figures, lattices.sizes(k)) ? null : outcome.reason();
        if (why == null && inBox && outcome.exists()) {
            // an optional figure whose form does not hold there is dropped, as at the mixed points ({@link #check})
            for (String figure : List.copyOf(figures)) {
                String differs = ClosedForms.required(figure) ? null : probe.differs(figure, polynomials.get(figure), lattices.sizes(k));
                if (differs != null) {
                    drop(figure, differs, k, figures);
                }
            }
        }
        return why == null ? null : "at " + probe.describe(lattices.sizes(k)) + " together: " + why;
    }

    /** The lattice steps with variable {@code i} at {@code k}, {@code j} at {@code step} and the others at their defaults. */
    private long[] across(int i, long k, int j, long step) {
        long[] steps = new long[n];
        steps[i] = k;
        steps[j] = step;
        return steps;
    }

    /**
     * The places of the layers kept to be run by their rules ({@link dev.modelcost.processor.analysis.LayerReplay}) at lattice step
     * {@code k} of variable {@code i}, the others at their defaults, that are given other attributes there than at the declared
     * sizes, or are kept there alone.
     */
    private Set<String> rulesChanged(int i, long k) {
        Map<String, dev.modelcost.processor.analysis.LayerReplay> declared = probe.at(lattices.fallback).replays();
        Set<String> changed = new java.util.TreeSet<>();
        probe.at(lattices.at(i, k)).replays().forEach((path, layer) -> {
            if (!declared.containsKey(path) || !layer.sameAttributes(declared.get(path))) {
                changed.add(path);
            }
        });
        return changed;
    }

    /**
     * What the analysis at lattice step {@code k} of variable {@code i}, the others at their defaults, kept, by place, but the sizes
     * of tensors: the values a layer uses that may read a size, and the tests ({@link #leavesLine} compares them with those next to
     * the declared sizes, whose own analysis keeps none).
     */
    private Map<String, dev.modelcost.processor.expr.Value> keptValues(int i, long k) {
        Map<String, dev.modelcost.processor.expr.Value> values = new java.util.TreeMap<>();
        probe.at(lattices.at(i, k)).evaluated().forEach((where, kept) -> {
            if (!Thresholds.tensorSize(kept.expr())) {
                values.put(where, kept.valueOf(kept.expr()));
            }
        });
        return values;
    }

    /** Variable {@code j}'s largest lattice step, as far as the checks compiled ({@link RangeSearch#cap}): the box's upper corner. */
    private long top(int j) {
        return Math.min(lattices.maxK[j], (ranges.cap(j) - lattices.fallback[j]) / lattices.period[j]);
    }

    /** Every choice of one step per variable from {@code choices}, the first variable's changing fastest. */
    private static List<long[]> points(List<long[]> choices) {
        List<long[]> points = new ArrayList<>();
        points.add(new long[0]);
        for (long[] steps : choices) {
            List<long[]> longer = new ArrayList<>();
            for (long step : steps) {
                for (long[] point : points) {
                    long[] next = Arrays.copyOf(point, point.length + 1);
                    next[point.length] = step;
                    longer.add(next);
                }
            }
            points = longer;
        }
        return points;
    }

    /**
     * The most sizes together that {@link #turns} analyses for the turns of each variable (the others at the ends of their ranges,
     * and next to their own turns); past them, the range ends before the first turn not checked (variables whose values turn at
     * hundreds of sizes, pads to a multiple of a window, are refused there rather than answered unchecked).
     */
    static final int MOST_TOGETHER = 16;

    /** What more than {@link #MOST_TOGETHER} were, for {@link #tooMany}. */
    private static final String TOGETHER_CHECKS = MOST_TOGETHER + " sizes together with the other sizes at the ends of their ranges and where they turn";

    /**
     * Why variable {@code i}'s range ends at its lattice step {@code k}, a turn past the checks' bound ({@code checks}, what more
     * than so many were): it is not checked with the others, and a value that fits them at the declared sizes may not there.
     */
    private String tooMany(int i, long k, String checks) {
        return "at " + probe.describe(lattices.at(i, k)) + ": a value of " + spec.sizes().get(i).name() + " turns there, and more than " + checks
                + " lie between it and the declared sizes, more than are checked, so compile the model at such sizes";
    }

    /** How many sizes together {@link #turns} analysed so far for the variable's turns. */
    private long checkedTogether;

    /**
     * The most lattice steps of one variable's turns at which the others are followed along their lattices ({@link
     * #failsAlongOthers}), each costing an analysis per sample of each other variable and one next to each turn found: the layers
     * whose rules' values change at more turns than these end the range before the first not followed, as past {@link #MOST_TOGETHER}.
     */
    static final int MOST_FOLLOWED = 4;

    /** How many of the variable's turns {@link #failsAlongOthers} followed the others at so far. */
    private int followedAcross;

    /** The values kept at the two samples next to the variable's declared size ({@link #keptValues}), the lines' ends for {@link #leavesLine}. */
    private List<Map<String, dev.modelcost.processor.expr.Value>> nearDeclared;

    /**
     * Whether a value kept at lattice step {@code k} of variable {@code i} ({@link #keptValues}) leaves the line through its values at
     * the two samples next to the declared size (a constant there, or a size the layers derive, which grows by a constant a step,
     * each item of a list alike), or is kept at one of them alone: where none does, the layers take there what they take near the
     * declared sizes, whose turns of the others the range's search checked, and the sizes together need not be analysed (Swin's
     * windows and reshapes on its lattice).
     */
    private boolean leavesLine(int i, long k) {
        long a = lattices.direction[i];
        long b = 2 * a;
        Map<String, dev.modelcost.processor.expr.Value> first = nearDeclared.get(0);
        Map<String, dev.modelcost.processor.expr.Value> second = nearDeclared.get(1);
        Map<String, dev.modelcost.processor.expr.Value> there = keptValues(i, k);
        if (!there.keySet().equals(first.keySet()) || !there.keySet().equals(second.keySet())) {
            return true;
        }
        return there.entrySet().stream().anyMatch(kept -> !onLine(first.get(kept.getKey()), second.get(kept.getKey()), kept.getValue(), a, b, k));
    }

    /** Whether {@code atK} lies on the line through {@code atA} at step {@code a} and {@code atB} at {@code b}, exactly; else equal to both. */
    private static boolean onLine(dev.modelcost.processor.expr.Value atA, dev.modelcost.processor.expr.Value atB, dev.modelcost.processor.expr.Value atK,
            long a, long b, long k) {
        if (atA.isList() && atB.isList() && atK.isList()) {
            int size = atA.items().size();
            if (atB.items().size() != size || atK.items().size() != size) {
                return false;
            }
            for (int t = 0; t < size; t++) {
                if (!onLine(atA.items().get(t), atB.items().get(t), atK.items().get(t), a, b, k)) {
                    return false;
                }
            }
            return true;
        }
        boolean numbers = java.util.stream.Stream.of(atA, atB, atK).allMatch(Thresholds::integer);
        return numbers ? onLine(atA.number(), atB.number(), atK.number(), a, b, k) : atK.equals(atA) && atA.equals(atB);
    }

    /** Whether {@code (k, yk)} lies on the line through {@code (a, ya)} and {@code (b, yb)}: {@code (yk − ya)·(b − a) = (yb − ya)·(k − a)}. */
    private static boolean onLine(long ya, long yb, long yk, long a, long b, long k) {
        return BigInteger.valueOf(yk).subtract(BigInteger.valueOf(ya)).multiply(BigInteger.valueOf(b - a))
                .equals(BigInteger.valueOf(yb).subtract(BigInteger.valueOf(ya)).multiply(BigInteger.valueOf(k - a)));
    }

    /**
     * The lattice steps of variable {@code j} where a value of another variable is checked against it ({@link #turns}): its smallest
     * step, its {@link #top}, and the steps between next to where its own tests and values turn ({@code compared}), where an axis that falls
     * and rises again along it (a pad of {@code 100 - 2 * (W % 50)}) is smallest at one.
     */
    private long[] stepsToCheck(int j, Map<String, java.util.TreeSet<Long>> compared) {
        long top = top(j);
        java.util.TreeSet<Long> steps = new java.util.TreeSet<>(List.of(lattices.minK[j], top));
        // its own turns, and where a part of a value of its turns masked by another size's (three sizes' factors of one index)
        java.util.TreeSet<Long> sizes = new java.util.TreeSet<>(ranges.masked(j));
        sizes.addAll(compared.getOrDefault(spec.sizes().get(j).name(), new java.util.TreeSet<>()));
        if (!sizes.isEmpty()) {
            for (int way : new int[] {-1, 1}) {
                for (long step : ranges.outward(j, sizes, way)) {
                    if (step >= lattices.minK[j] && step <= top) {
                        steps.add(step);
                    }
                }
            }
        }
        return steps.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Shrinks the box of sizes where, past the corners {@link #corners} compiled, the network ends at sizes together where
     * {@code at(...)} would not refuse them: a layer's axis beyond 32 bits that holds the sizes' product ({@code H*W} flattened).
     * Along one variable {@code RangeSearch.beyondSizes} ends the range before such an axis; together, each upper corner of the box is
     * compiled, and where the network ends there the box shrinks toward the defaults until it exists.
     */
    void extent(Map<String, Polynomial> polynomials, Set<String> figures) {
        if (n < 2) {
            return;
        }
        for (int mask = 1; mask < 1 << n; mask++) {
            long[] k = new long[n];
            boolean past = false;
            for (int i = 0; i < n; i++) {
                boolean upper = (mask >> i & 1) == 1;
                k[i] = upper ? lattices.maxK[i] : lattices.minK[i];
                past |= upper && lattices.maxK[i] > (ranges.cap(i) - lattices.fallback[i]) / lattices.period[i];
            }
            if (!past || existsAlike(k, polynomials, figures)) {
                continue;
            }
            long holds = lastHolding(k, steps -> existsAlike(steps, polynomials, figures));
            long[] kept = toward(k, holds);
            long[] beyond = toward(k, holds + 1);
            String why = "at " + probe.describe(lattices.sizes(beyond)) + " together: " + probe.at(lattices.sizes(beyond)).reason();
            for (int i = 0; i < n; i++) {
                if ((mask >> i & 1) == 1 && kept[i] < lattices.maxK[i]) {
                    lattices.maxK[i] = kept[i];
                    lattices.aboveMax[i] = why;
                }
            }
        }
    }

    /** Whether at lattice steps {@code k} the network exists, or {@code at(...)} refuses the sizes as the processor does. */
    private boolean existsAlike(long[] k, Map<String, Polynomial> polynomials, Set<String> figures) {
        Probe.Outcome outcome = probe.at(lattices.sizes(k));
        return outcome.exists() || overflowRefusedAlike(outcome, polynomials, figures, lattices.sizes(k));
    }

    /**
     * Finds the polynomials of the layers' output axes that hold several sizes ({@link #axes}), as a product or as a sum (a
     * concatenation of two inputs of variable lengths, {@code p.L + q.L}): the axes that change
     * with two or more sizes from the declared ones, interpolated on the grid of the figures' degrees (at least 1 a variable:
     * such an axis is a product of sizes each affine on its lattice) and checked at every size analysed on the lattices. Where
     * one is missing somewhere or fails a check, none is kept, and {@link #extent} shrinks the box instead.
     */
    void findAxes(Probe.Outcome base) {
        if (n < 2) {
            return;
        }
        Map<String, Integer> moved = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Map<String, Probe.Axis> next = probe.at(lattices.at(i, lattices.direction[i])).axes();
            if (next != null) {
                base.axes().forEach((axis, size) -> {
                    if (next.get(axis) == null || size.size() != next.get(axis).size()) {
                        moved.merge(axis, 1, Integer::sum);
                    }
                });
            }
        }
        Set<String> named = new LinkedHashSet<>();
        moved.forEach((axis, sizes) -> {
            if (sizes > 1) {
                named.add(axis);
            }
        });
        if (named.isEmpty()) {
            return;
        }
        int[] grid = new int[n];
        long[] start = new long[n];
        for (int i = 0; i < n; i++) {
            grid[i] = Math.max(lattices.degree[i], 1);
            start[i] = lattices.direction[i] > 0 ? 0 : -grid[i];
        }
        Map<String, Polynomial> found;
        try {
            found = lattices.grid(probe).interpolate(grid, start, named);
        } catch (GridInterpolation.Absent | GridInterpolation.Missing e) {
            return;
        }
        for (Map.Entry<List<Long>, Probe.Outcome> known : probe.known().entrySet()) {
            long[] sizes = known.getKey().stream().mapToLong(Long::longValue).toArray();
            if (!known.getValue().exists() || !lattices.inDomain(sizes)) {
                continue;
            }
            for (Map.Entry<String, Polynomial> axis : found.entrySet()) {
                Long actual = known.getValue().value(axis.getKey());
                if (actual == null || !axis.getValue().matches(actual, sizes)) {
                    return;
                }
            }
        }
        Set<String> distinct = new java.util.HashSet<>();
        found.forEach((axis, polynomial) -> {
            // An axis that follows one size alone ends that size's range by itself ({@code RangeSearch.beyondSizes}).
            if (polynomial.readsSeveral() && distinct.add(polynomial.form(axis, spec.sizes().stream().map(SizeVariable::name).toList()).text())) {
                axes.put(axis, polynomial);
            }
        });
    }

    /**
     * The largest {@code f} below {@link #reach reach(k)} at which {@code holds} is true of the steps {@code k} scaled toward the
     * defaults by {@code f / reach(k)} ({@link #toward}), by bisection: it holds at the defaults (0) and not at {@code k}. The
     * variable farthest from its default moves one lattice step from {@code f} to {@code f + 1}, so the range ends at its last
     * step that holds along the line, not a coarser one.
     */
    private static long lastHolding(long[] k, java.util.function.Predicate<long[]> holds) {
        return RangeSearch.lastHolding(0, reach(k), f -> holds.test(toward(k, f)));
    }

    /** The most lattice steps any variable of {@code k} lies from its default; at least 1. */
    private static long reach(long[] k) {
        return Math.max(1, Arrays.stream(k).map(Math::abs).max().orElse(1));
    }

    /** The lattice steps {@code k} scaled toward the defaults by {@code f / reach(k)} ({@link #reach}), rounded toward the defaults. */
    private static long[] toward(long[] k, long f) {
        BigInteger reach = BigInteger.valueOf(reach(k));
        long[] scaled = new long[k.length];
        for (int i = 0; i < k.length; i++) {
            // BigInteger.divide truncates toward zero, that is toward the defaults (step 0)
            scaled[i] = BigInteger.valueOf(k[i]).multiply(BigInteger.valueOf(f)).divide(reach).longValue();
        }
        return scaled;
    }

    /** Null if at lattice steps {@code k} the network exists and every required joint form holds (a figure beyond 64 bits passes); else why not. */
    private String jointFails(long[] k, Map<String, Polynomial> polynomials, Set<String> figures) {
        Probe.Outcome outcome = probe.at(lattices.sizes(k));
        if (!outcome.exists()) {
            return overflowRefusedAlike(outcome, polynomials, figures, lattices.sizes(k)) ? null : outcome.reason();
        }
        return ranges.requiredDiffer(polynomials, figures, lattices.sizes(k));
    }

    /** Whether the model fails at {@code sizes} for a count too large where {@code at(...)} refuses them too ({@link #refusedAlike}). */
    private boolean overflowRefusedAlike(Probe.Outcome failed, Map<String, Polynomial> polynomials, Set<String> figures, long[] sizes) {
        return failed.failure().diagnostic() == Diagnostic.OVERFLOW
                && (refusedAlike(polynomials, figures, sizes) || refusedAlike(axes, axes.keySet(), sizes));
    }

    /**
     * Whether {@code at(...)} refuses {@code sizes} as the processor does where it finds a count too large: a kept figure's form
     * gives a value beyond 64 bits there, or an output dimension or a joint axis ({@link #axes}) beyond 2,147,483,647. An overflow
     * it would not see (an axis of a layer inside beyond 32 bits whose form was not found) ends the range.
     */
    private static boolean refusedAlike(Map<String, Polynomial> polynomials, Set<String> figures, long[] sizes) {
        for (String figure : figures) {
            Polynomial form = polynomials.get(figure);
            boolean axis = figure.startsWith(Probe.OUTPUT) || figure.startsWith(Probe.AXIS);
            if (form != null && (axis || !ClosedForms.internal(figure)) && !RangeSearch.fits(form, sizes, axis ? Integer.MAX_VALUE : Long.MAX_VALUE)) {
                return true;
            }
        }
        return false;
    }

    /** Checks the joint forms at a mixed point per variable, off the grid; drops optional figures that fail there or at the corners. */
    void check(Map<String, Polynomial> polynomials, Set<String> figures) {
        if (n < 2) {
            return;
        }
        List<long[]> points = new ArrayList<>();
        for (int mask = 0; mask < 1 << n; mask++) {
            long[] corner = new long[n];
            for (int i = 0; i < n; i++) {
                corner[i] = (mask >> i & 1) == 1 ? top(i) : lattices.minK[i];
            }
            points.add(corner);
        }
        for (int i = 0; i < n; i++) {
            long[] mixed = new long[n];
            for (int j = 0; j < n; j++) {
                mixed[j] = lattices.direction[j] * (lattices.degree[j] + 1);
            }
            mixed[i] = lattices.direction[i] * (3L * SAMPLES + i);
            points.add(mixed);
        }
        for (String figure : List.copyOf(figures)) {
            for (long[] k : points) {
                for (int i = 0; i < n; i++) {
                    k[i] = Math.max(lattices.minK[i], Math.min(lattices.maxK[i], k[i]));
                }
                String why = probe.differs(figure, polynomials.get(figure), lattices.sizes(k));
                if (why != null) {
                    if (ClosedForms.required(figure)) {
                        SizeVariable first = spec.sizes().get(0);
                        throw new Problem(Diagnostic.NO_CLOSED_FORM, first.site(), String.join(" and ", spec.sizes().stream().map(SizeVariable::name).toList()),
                                "together, near " + probe.describe(lattices.fallback), figure + " " + why, first.name());
                    }
                    drop(figure, why, k, figures);
                    break;
                }
            }
        }
    }

    /** Leaves optional {@code figure} out of {@code figures}: its form does not hold at lattice steps {@code k}, {@code why}. */
    private void drop(String figure, String why, long[] k, Set<String> figures) {
        figures.remove(figure);
        missing.putIfAbsent(figure, why);
        droppedAt.putIfAbsent(figure, lattices.sizes(k));
    }
}
