package dev.modelcost.processor.sizes;

import static dev.modelcost.processor.sizes.ClosedForms.SAMPLES;

import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.SizeVariable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds each size variable's range on its lattice, the others at their defaults: its largest lattice step (where the network
 * ends, a required form changes, a size or a figure would pass what PyTorch or 64 bits hold, or a test of the sizes may turn
 * unseen) and its smallest, and why the range ends there, dropping the optional figures that change within it.
 *
 * <p>Where the largest or smallest search ends at a change of form with the network going on past it ({@link #changed()},
 * {@link #changedBelow()}), a model of one variable continues with another piece of forms there ({@link ClosedForms}).
 */
final class RangeSearch {
    private final ModelSpec spec;
    private final Probe probe;
    private final Lattices lattices;
    private final int n;
    private final long[] fallback;
    private final long[] period;
    private final long[] minK;
    private final String[] belowMin;
    private final long[] maxK;
    private final String[] aboveMax;
    /** Why each figure has no closed form ({@link ClosedForms}'s): an optional figure that changes within a range joins it. */
    private final Map<String, String> missing;
    /** Where each optional figure dropped at a size analysed was dropped ({@link ClosedForms}'s). */
    private final Map<String, long[]> droppedAt;
    private final LatticeSearch.Interpolator interpolator;
    /** The largest number any layer is given, which the checks reach past. */
    private final long largestNumber;
    /**
     * The largest count at which a figure turns as parameters or tokens pass it: a group-wise quantized dtype's group (its scales
     * step every {@code int4-g1024}'s worth of parameters) or a mixture's number of experts (the weights read stop growing once
     * every expert is reached). Either may grow by as little as one a lattice step, so the checks reach that many steps past.
     */
    private final long countedNumber;
    /** Every number a layer is given above 1, ascending: where a range ends, it mostly ends at one ({@link #lastHoldingNear}). */
    private final java.util.NavigableSet<Long> written;
    /** How often the tests of the size variables may turn past {@link Thresholds#FOLLOWED} unseen, up to 2, and the first. */
    private final Thresholds.Reach reach;
    /**
     * Per variable, what the tests of sizes the layers derive, evaluated along its lattice, may do past {@link Thresholds#FOLLOWED}
     * unseen ({@link Thresholds.Evaluated}): with the size variables' own, two turns end its range there.
     */
    private final Thresholds.Evaluated[] evaluatedAlong;
    /** Whether the last {@link #largest} search ended at a change of form, the network going on past it. */
    private boolean changed;
    /** Whether the last {@link #bottom} search ended at a change of form, the network going on below it. */
    private boolean changedBelow;
    /** The layers that take some sizes only of an axis they drop, found once asked for ({@link ClosedForms#gaps}). */
    private final java.util.function.Supplier<List<ShapeRules.DroppedGap>> gaps;
    /** Per variable, its walk through the leaves that take some sizes only of an axis they drop, on its lattice ({@link #walk}). */
    private final GapWalk[] walks;

    /**
     * A search on {@code lattices} for the model {@code spec}, the numbers its layers are given ({@code numbers}), how far the
     * tests of its sizes may turn unseen ({@code reach}) and the layers that take some sizes only of an axis they drop ({@code gaps}).
     */
    RangeSearch(ModelSpec spec, Probe probe, Lattices lattices, LayerNumbers numbers, Thresholds.Reach reach, Map<String, String> missing,
            Map<String, long[]> droppedAt, LatticeSearch.Interpolator interpolator, java.util.function.Supplier<List<ShapeRules.DroppedGap>> gaps) {
        this.spec = spec;
        this.gaps = gaps;
        this.walks = new GapWalk[lattices.n];
        this.probe = probe;
        this.lattices = lattices;
        this.n = lattices.n;
        this.fallback = lattices.fallback;
        this.period = lattices.period;
        this.minK = lattices.minK;
        this.belowMin = lattices.belowMin;
        this.maxK = lattices.maxK;
        this.aboveMax = lattices.aboveMax;
        this.missing = missing;
        this.droppedAt = droppedAt;
        this.interpolator = interpolator;
        // An expression that reads a size may change its form at a number it is written with (max(0, input.W - 1500)), or a named one.
        this.largestNumber = Math.max(numbers.largest(), reach.largest());
        this.countedNumber = numbers.counted();
        this.written = numbers.written();
        this.reach = reach;
        this.evaluatedAlong = new Thresholds.Evaluated[n];
    }

    /** Whether the last {@link #largest} search ended at a change of form, the network going on past it. */
    boolean changed() {
        return changed;
    }

    /** Whether the last {@link #bottom} search ended at a change of form, the network going on below it. */
    boolean changedBelow() {
        return changedBelow;
    }

    /** Variable {@code i}'s range on its lattice, the others at their defaults, and the sizes a test compares it with there. */
    void find(int i, Set<String> figures, Map<String, java.util.TreeSet<Long>> compared) {
        largest(i, figures);
        // After the checks past the numbers, whose sizes tell whether what a test reads grows as near the declared size.
        Thresholds.Evaluated evaluated = evaluatedTurns(i);
        if (!evaluated.turns().isEmpty()) {
            compared.computeIfAbsent(spec.sizes().get(i).name(), v -> new java.util.TreeSet<>()).addAll(evaluated.turns());
        }
        evaluatedAlong[i] = evaluated;
        capAtFollowed(i);
        smallest(i, figures);
        capAtReplayed(i);
        compared(i, figures, compared);
    }

    /**
     * Ends variable {@code i}'s range where the layers run by their rules along its lattice were not run ({@link
     * Thresholds#MOST_REPLAYED}): past there such a layer may stop existing unseen.
     */
    private void capAtReplayed(int i) {
        Thresholds.Evaluated evaluated = evaluatedAlong[i];
        if (evaluated == null) {
            return;
        }
        String why = ": a layer that uses values that read the size is run by its rule at " + String.format(java.util.Locale.ROOT,
                "%,d", Thresholds.MOST_REPLAYED) + " sizes in all around the declared size, which do not reach this one, so compile the model at such a size";
        if (maxK[i] > evaluated.replayedTo()) {
            maxK[i] = evaluated.replayedTo();
            aboveMax[i] = probe.describe(lattices.at(i, maxK[i] + 1)) + why;
            changed = false;
        }
        if (minK[i] < evaluated.replayedFrom()) {
            minK[i] = evaluated.replayedFrom();
            belowMin[i] = probe.describe(lattices.at(i, minK[i] - 1)) + why;
            changedBelow = false;
        }
    }

    /**
     * The largest size the checks compile: {@code max(16·default, default + 64·period, default + 2·a)},
     * {@code a} the largest number any layer is given (a sliding window, a table's rows, which a form
     * may saturate at), any tensor holds on an axis at the declared sizes (a fixed memory's length, which a
     * causal attention's queries may not pass) or written in an expression that reads a size, and {@code default + 2·period·c},
     * {@code c} the {@linkplain #countedNumber counted number}; at most 2^31 − 1.
     */
    long cap(int i) {
        long counted = (double) 2 * period[i] * countedNumber >= Integer.MAX_VALUE ? Integer.MAX_VALUE : fallback[i] + 2 * period[i] * countedNumber;
        return Math.min(Integer.MAX_VALUE, Math.max(Math.max(Math.max(16 * fallback[i], fallback[i] + 64 * period[i]),
                fallback[i] + 2 * Math.min(largestNumber, Integer.MAX_VALUE)), counted));
    }

    /**
     * Finds the largest size on the lattice of variable {@code i} up to which the network exists and
     * the required forms hold, checking sizes near and far ({@link #cap}); where one fails, bisects
     * for the last size that holds. Optional figures that fail up to there are dropped.
     */
    private void largest(int i, Set<String> figures) {
        largest(i, figures, along(i, figures), lattices.direction[i] > 0 ? SAMPLES - 1 : 0);
    }

    /**
     * Finds the end of the piece whose forms are {@code along}, known to hold up to lattice step
     * {@code good}: the largest step before the network ends or a required form changes. Sets
     * {@link #changed} where the network goes on past it.
     */
    void largest(int i, Set<String> figures, Map<String, Polynomial> along, long good) {
        // A largest size declared with the variable ends the range there, on the lattice: no size past it is compiled.
        SizeVariable variable = spec.sizes().get(i);
        maxK[i] = Math.floorDiv(variable.most() - fallback[i], period[i]);
        aboveMax[i] = !variable.bounded() ? "" : "declared in @Model(sizes) as " + variable.name() + " <= " + variable.most()
                + (Math.floorMod(variable.most() - fallback[i], period[i]) == 0 ? "" : ", whose last size on the lattice is "
                        + (fallback[i] + maxK[i] * period[i]));
        long far = Math.min(Math.max(good + (cap(i) - fallback[i]) / period[i], good), maxK[i]);
        changed = false;
        long first = good;
        for (long k : new long[] {first + 3 * SAMPLES, first + (far - first) / 2 + 1, far}) {
            if (k <= good || k > maxK[i]) {
                continue;
            }
            String why = fails(i, k, along, figures);
            if (why == null) {
                good = k;
                continue;
            }
            good = endBefore(i, good, k, along, figures);
            break;
        }
        String beyond = beyondSizes(i, first - 1);
        if (beyond != null) {
            aboveMax[i] = beyond;
            changed = false;
        }
        String beyondLongs = beyondLongs(i, good, along);
        if (beyondLongs != null) {
            aboveMax[i] = beyondLongs;
            changed = false;
        }
        capAtFollowed(i);
        capAtGaps(i, true);
        // Past the farthest size checked, the layers' output axes and the forms' values ended the range; a tensor inside a layer (the
        // copy an even window pads for SAME) may end the network first. With one variable its last size is compiled too (with several,
        // the corners of the box are: extent).
        if (n == 1 && maxK[i] > good) {
            if (fails(i, maxK[i], along, figures) != null) {
                good = endBefore(i, good, maxK[i], along, figures);
            }
        }
        for (long k : new long[] {first + 3 * SAMPLES, first + (far - first) / 2 + 1, far, Math.min(maxK[i], far)}) {
            if (k > first && k <= maxK[i]) {
                dropWhereChanged(i, k, along, figures);
            }
        }
    }

    /**
     * Ends variable {@code i}'s range at its last lattice step from {@code good}, where the network exists and the forms
     * {@code along} hold, before {@code bad}, where not ({@link #lastHoldingNear}), saying why at the step past it; sets
     * {@link #changed} where the network goes on there. Gives that last step.
     */
    private long endBefore(int i, long good, long bad, Map<String, Polynomial> along, Set<String> figures) {
        long last = lastHoldingNear(i, good, bad, step -> fails(i, step, along, figures) == null);
        maxK[i] = last;
        aboveMax[i] = "at " + probe.describe(lattices.at(i, last + 1)) + ": " + fails(i, last + 1, along, figures);
        changed = probe.at(lattices.at(i, last + 1)).exists();
        return last;
    }

    /**
     * Ends variable {@code i}'s range at {@link Thresholds#FOLLOWED} where its tests may turn on and back off past it unseen
     * ({@link #unfollowedPast}).
     *
     * @throws Problem {@link Diagnostic#NO_CLOSED_FORM} where a test of a size the layers derive may, and the declared size is past it
     */
    private void capAtFollowed(int i) {
        long followed = Math.floorDiv(Thresholds.FOLLOWED - fallback[i], period[i]);
        String unfollowed = unfollowedPast(i);
        String limit = String.format(java.util.Locale.ROOT, "%,d", Thresholds.FOLLOWED);
        if (unfollowed != null && followed < 0 && evaluatedAlong[i] != null && evaluatedAlong[i].turnsPast() > 0) {
            // Declared past it, no test of a size the layers derive is followed around the declared size at all.
            SizeVariable variable = spec.sizes().get(i);
            throw new Problem(Diagnostic.NO_CLOSED_FORM, variable.site(), variable.name(), "with " + unfollowed.replaceFirst(",$", ""),
                    "it is evaluated at every size up to " + limit + " only, and may turn on and off again between the sizes the forms are "
                    + "checked at around the declared " + String.format(java.util.Locale.ROOT, "%,d", fallback[i]) + " (declared up to "
                    + limit + ", the forms hold up to there)", variable.name());
        }
        // A declared size past it keeps the range the checks found: no test of a size variable is followed there.
        if (unfollowed != null && maxK[i] > followed && followed >= 0) {
            maxK[i] = followed;
            aboveMax[i] = unfollowed + " is followed up to " + limit
                    + " only, and past that it may turn on and off again between the sizes the forms are checked at";
            changed = false;
        }
    }

    /**
     * Ends variable {@code i}'s range before the first lattice step where a figure's form would pass 2^63 − 1: a total
     * ({@code MACS}, {@code FLOPS}, ...), which the processor refuses beyond 64 bits (MC401), or a counter's figure, which
     * {@code at(...)} cannot give there. The forms hold up to there, so their values tell where, past the sizes the checks reached
     * (a bisection over each form from step {@code good}, where it fits), and the model analysed at the step past it says why;
     * where the model ends before that (another count first), a bisection over the model finds where. Says why where it ends the
     * range, else null.
     */
    private String beyondLongs(int i, long good, Map<String, Polynomial> along) {
        long last = maxK[i];
        boolean ends = false;
        for (Map.Entry<String, Polynomial> form : along.entrySet()) {
            if (form.getKey().startsWith(Probe.OUTPUT) || last <= good || fits(form.getValue(), lattices.at(i, last), Long.MAX_VALUE)
                    || !fits(form.getValue(), lattices.at(i, good), Long.MAX_VALUE)) {
                continue;
            }
            last = lastHolding(good, last, k -> fits(form.getValue(), lattices.at(i, k), Long.MAX_VALUE));
            ends = true;
        }
        return ends ? endWhereTheModelEnds(i, good, last) : null;
    }

    /**
     * Ends variable {@code i}'s range at step {@code last}, where a form says the model ends past it, as the model analysed at
     * the step past it confirms; where the model already ends at {@code last} (another count first: a peak of the memory
     * timeline, which has no form of its own), a bisection over the model from step {@code good}, where it exists, finds where.
     * Says why, or null where the model goes on past {@code last} (the range stays).
     */
    private String endWhereTheModelEnds(int i, long good, long last) {
        if (!probe.at(lattices.at(i, last)).exists()) {
            last = lastHolding(good, last, k -> probe.at(lattices.at(i, k)).exists());
        }
        Probe.Outcome past = probe.at(lattices.at(i, last + 1));
        if (past.exists()) {
            return null;
        }
        maxK[i] = last;
        return "at " + probe.describe(lattices.at(i, last + 1)) + ": " + past.reason();
    }

    /** At most this many of the model's numbers are tried before a bisection ({@link #lastHoldingNear}). */
    private static final int MOST_NUMBERS_TRIED = 2;

    /**
     * The last lattice step of variable {@code i} from {@code good}, where {@code holds} (an analysis of the model) is true, before
     * {@code bad}, where it is not (where {@code holds} switches once between them, the step {@link #lastHolding} finds; else
     * some step that holds before one that fails, as a bisection finds), trying first the steps at the numbers the layers are given:
     * a range mostly ends at one (a table of 512 positions, a window of 4,096 keys), where two analyses replace a bisection's
     * dozen. For each number above {@code good}, ascending, up to {@value #MOST_NUMBERS_TRIED} of them (at most four analyses
     * more than the bisection where none is the end), the step whose size is the number or the last below it is tested: where it
     * holds, the step after it too (the range ends there if that fails); where it fails, the step before it (the range ends there
     * if that holds), and the bisection goes on below it. Either way the step found holds and the one after it fails, as a
     * bisection's does.
     */
    private long lastHoldingNear(int i, long good, long bad, java.util.function.LongPredicate holds) {
        int tried = 0;
        for (long number : written.tailSet(fallback[i] + period[i] * good, false)) {
            long step = Math.floorDiv(number - fallback[i], period[i]);
            if (step >= bad || tried == MOST_NUMBERS_TRIED || bad - good <= 1) {
                break;
            }
            if (step <= good) {
                continue;
            }
            tried++;
            if (!holds.test(step)) {
                bad = step;
                if (holds.test(step - 1)) {
                    good = step - 1;
                } else {
                    bad = step - 1;
                }
                break;
            }
            good = step;
            if (step + 1 < bad) {
                if (!holds.test(step + 1)) {
                    bad = step + 1;
                    break;
                }
                good = step + 1;
            }
        }
        return lastHolding(good, bad, holds);
    }

    /** The last lattice step from {@code good}, where {@code holds} is true, before {@code bad}, where it is not, by bisection. */
    static long lastHolding(long good, long bad, java.util.function.LongPredicate holds) {
        while (bad - good > 1) {
            long mid = good + (bad - good) / 2;
            if (holds.test(mid)) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        return good;
    }

    /** Whether a form's value at {@code sizes} is at most {@code most} in magnitude: a {@code long}'s, or an {@code int}'s for an axis. */
    static boolean fits(Polynomial form, long[] sizes, long most) {
        Fraction value = form.at(sizes);
        return value.numerator().abs().compareTo(BigInteger.valueOf(most).multiply(value.denominator())) <= 0;
    }

    /**
     * Ends variable {@code i}'s range before the first lattice step where a layer's output would hold more than 2,147,483,647
     * positions on an axis, the most a size holds (an upsampling doubles its input; a reshape's {@code -1} holds several axes): on
     * the lattice each axis grows by a constant a step, as steps {@code k0} and {@code k0 + 1} of the piece show (two of its
     * samples), so no far check needs to meet it. Says why where it ends the range, else null.
     */
    private String beyondSizes(int i, long k0) {
        String why = null;
        Map<String, Probe.Axis> before = lattices.at(i, k0 - 1)[i] >= 1 ? probe.at(lattices.at(i, k0 - 1)).axes() : null;
        Map<String, Probe.Axis> first = probe.at(lattices.at(i, k0)).axes();
        Map<String, Probe.Axis> second = probe.at(lattices.at(i, k0 + 1)).axes();
        if (first == null || second == null) {
            return null;
        }
        Set<String> curved = new LinkedHashSet<>();
        for (Map.Entry<String, Probe.Axis> axis : first.entrySet()) {
            Probe.Axis next = second.get(axis.getKey());
            long size = axis.getValue().size();
            long slope = next == null ? 0 : next.size() - size;
            Probe.Axis previous = before == null ? null : before.get(axis.getKey());
            if (previous != null && size - previous.size() != slope) {
                curved.add(axis.getKey()); // an axis of a size's product with itself (L·L reshaped): not affine
                continue;
            }
            if (slope > 0) {
                long last = k0 + (Integer.MAX_VALUE - size) / slope;
                if (last < maxK[i]) {
                    maxK[i] = last;
                    why = "at " + probe.describe(lattices.at(i, last + 1)) + ": the output of layer " + ClosedForms.layer(axis.getKey()) + " would hold "
                            + String.format(java.util.Locale.ROOT, "%,d", size + slope * (last + 1 - k0)) + " positions on axis " + next.name()
                            + ", more than a size holds (2,147,483,647)";
                }
            }
        }
        String curvedWhy = beyondCurved(i, k0, curved);
        return curvedWhy != null ? curvedWhy : why;
    }

    /**
     * Ends variable {@code i}'s range before the first step where an axis that is no affine function of the size (a product of
     * the size with itself: an L × L map reshaped to one axis) would pass 2,147,483,647 positions: the axis's polynomial through
     * the piece's samples, up to step {@code k0 + 1}, says where, and the model analysed there and at the step before confirms
     * it; where it does not, a bisection over the model finds the last step where it exists. Says why where it ends the range,
     * else null.
     */
    private String beyondCurved(int i, long k0, Set<String> curved) {
        if (curved.isEmpty()) {
            return null;
        }
        int[] grid = new int[n];
        grid[i] = SAMPLES - 1;
        long[] start = new long[n];
        start[i] = k0 + 1 - (SAMPLES - 1);
        Map<String, Polynomial> forms;
        try {
            forms = lattices.grid(probe).interpolate(grid, start, curved);
        } catch (GridInterpolation.Absent | GridInterpolation.Missing e) {
            return null;
        }
        long last = maxK[i];
        for (Polynomial form : forms.values()) {
            if (last > k0 + 1 && !fits(form, lattices.at(i, last), Integer.MAX_VALUE) && fits(form, lattices.at(i, k0 + 1), Integer.MAX_VALUE)) {
                last = lastHolding(k0 + 1, last, k -> fits(form, lattices.at(i, k), Integer.MAX_VALUE));
            }
        }
        return last == maxK[i] ? null : endWhereTheModelEnds(i, k0 + 1, last);
    }

    /**
     * The sizes next to where a test that the samples of variable {@code i}'s lattice evaluated turns, the other variables at their
     * defaults ({@link Thresholds#turnsOfEvaluated}): a size the layers derive compared with a number ({@code x.L > 15}).
     */
    private Thresholds.Evaluated evaluatedTurns(int i) {
        // The samples, and every size analysed so far along the lattice past them (the checks past the numbers): a value read that
        // grows evenly near the declared size but not up there (a slice's end clamps it) is followed nowhere.
        TreeSet<Long> at = new TreeSet<>();
        for (int j = 0; j < SAMPLES; j++) {
            at.add(lattices.firstSample(i) + j);
        }
        for (List<Long> sizes : probe.known().keySet()) {
            boolean along = true;
            for (int v = 0; v < n; v++) {
                along &= v == i ? Math.floorMod(sizes.get(v) - fallback[v], period[v]) == 0 : sizes.get(v) == fallback[v];
            }
            long step = (sizes.get(i) - fallback[i]) / period[i];
            if (along && step > lattices.firstSample(i) + SAMPLES - 1) {
                at.add(step);
            }
        }
        long[] steps = at.stream().mapToLong(Long::longValue).toArray();
        List<Probe.Outcome> samples = new ArrayList<>();
        for (long step : steps) {
            samples.add(probe.at(lattices.at(i, step)));
        }
        long toStep = Math.floorDiv(Thresholds.FOLLOWED - fallback[i], period[i]);
        // Past the range's end, where the network ends (no further piece follows), nothing is costed by the forms; where a form changes
        // there, further pieces go on past it, and past the sizes followed where the range reaches them.
        long lastStep = changed ? Math.max(toStep, maxK[i]) : maxK[i];
        if (period[i] > 1) {
            // Sizes off the lattice where a value of the size itself turns: analysed, so that a program that answers off the lattice is
            // checked there.
            for (long size : Thresholds.offLatticeTurns(spec.network().simpleName(), steps, samples, fallback[i], period[i], 1,
                    fallback[i] + period[i] * lastStep)) {
                probe.at(lattices.withSize(i, size));
            }
        }
        return turnsOf(i, steps, samples, lastStep, Set.of());
    }

    /**
     * The sizes of variable {@code i} next to where the values and the layers run by their rules that {@code samples} kept turn
     * along its lattice ({@link Thresholds#turnsOfEvaluated}), from the samples at lattice steps {@code steps}, followed up to
     * {@link Thresholds#FOLLOWED} or {@code lastStep}: the other variables are at the sizes the samples were taken at, the defaults
     * for its range's search, another variable's turn for {@link JointDomain}, where the layers at {@code ruled} are run by their
     * rules wherever what they read varies.
     */
    Thresholds.Evaluated turnsOf(int i, long[] steps, List<Probe.Outcome> samples, long lastStep, Set<String> ruled) {
        long toStep = Math.floorDiv(Thresholds.FOLLOWED - fallback[i], period[i]);
        return Thresholds.turnsOfEvaluated(spec.network().simpleName(), variableNames(), reach.counted(), steps, samples, k -> fallback[i] + period[i] * k,
                lattices.lowestStep(i), toStep, lastStep, ruled);
    }

    /**
     * Where the tests of variable {@code i}'s sizes may turn on and back off past {@link Thresholds#FOLLOWED} unseen: two turns of the
     * size variables' tests, of tests of sizes the layers derive along its lattice, or one of each; null if fewer.
     */
    private String unfollowedPast(int i) {
        Thresholds.Evaluated derived = evaluatedAlong[i];
        // The batch is no tensor's axis: only a test that reads its name (or a parameter given a size) can turn with it.
        boolean batch = spec.sizes().get(i).batch();
        int own = batch ? reach.batchTurns() : reach.turns();
        String first = batch ? reach.batchFirst() : reach.first();
        int turns = own + (derived == null ? 0 : derived.turnsPast());
        if (turns < 2) {
            return null;
        }
        if (derived == null || derived.turnsPast() == 0) {
            return first;
        }
        return own == 0 ? derived.firstPast() : first + " together with " + derived.firstPast();
    }

    /**
     * The lattice sizes of variable {@code i}, the others at their defaults, next to where a part of a value turns that the value
     * does not, masked by a part that reads another size ({@link Thresholds.Evaluated#masked}); empty before its range's search.
     */
    java.util.TreeSet<Long> masked(int i) {
        return evaluatedAlong[i] == null ? new java.util.TreeSet<>() : evaluatedAlong[i].masked();
    }

    /**
     * Whether a layer's value that reads another variable may meet variable {@code j}'s sizes: {@code j} is a tensor's axis, or the
     * batch where an expression may read it (no tensor's axis holds the batch).
     */
    boolean mayMeet(int j) {
        return !spec.sizes().get(j).batch() || reach.batchRead();
    }

    /** The size variables' names. */
    private Set<String> variableNames() {
        return spec.sizes().stream().map(SizeVariable::name).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** The forms of every figure along variable {@code i}, the others at their defaults. */
    private Map<String, Polynomial> along(int i, Set<String> figures) {
        int[] grid = new int[n];
        grid[i] = lattices.degree[i];
        return interpolator.interpolate(grid, lattices.only(i), figures);
    }

    /** Null if at lattice step {@code k} of variable {@code i} the network exists and every required form holds; else why not. */
    private String fails(int i, long k, Map<String, Polynomial> along, Set<String> figures) {
        Probe.Outcome outcome = probe.at(lattices.at(i, k));
        if (!outcome.exists()) {
            // A figure beyond 64 bits ends the domain too: the processor refuses such a size, and a change past it would go unseen.
            return outcome.reason();
        }
        return requiredDiffer(along, figures, lattices.at(i, k));
    }

    /** Null if every required figure at {@code sizes} is what its form gives (see {@link Probe#differs}); else why not. */
    String requiredDiffer(Map<String, Polynomial> forms, Set<String> figures, long[] sizes) {
        for (String figure : figures) {
            if (ClosedForms.required(figure)) {
                String why = probe.differs(figure, forms.get(figure), sizes);
                if (why != null) {
                    return "the closed form of " + figure + " " + why;
                }
            }
        }
        return null;
    }

    /**
     * Finds the smallest size on the lattice of variable {@code i} at which the network exists and the
     * forms hold (by bisection; the network that exists at a size exists at every larger one on the lattice).
     */
    private void smallest(int i, Set<String> figures) {
        bottom(i, along(i, figures), 0, figures);
    }

    /**
     * Finds the smallest lattice step of variable {@code i}, at or below {@code top} (where the forms
     * {@code along} hold), down to which the network exists and the required forms hold: where the
     * network ends, by bisection, then, where the forms do not hold there, where they stop holding, by
     * bisection too ({@link #changedBelow}). Optional figures that fail at the smallest step are dropped.
     */
    void bottom(int i, Map<String, Polynomial> along, long top, Set<String> figures) {
        long lowest = lattices.lowestStep(i);
        long low = lowest;
        long high = top;
        if (exists(i, low)) {
            high = low;
        }
        while (high - low > 1) {
            long mid = low + (high - low) / 2;
            if (exists(i, mid)) {
                high = mid;
            } else {
                low = mid;
            }
        }
        minK[i] = high;
        // A size asked below it may lie off the lattice, where the network may exist: the reason names the size it is about.
        belowMin[i] = high == lowest ? "" : "the network does not exist at the next size down" + (period[i] > 1 ? " on the lattice" : "") + ", "
                + failureAt(i, high - 1).substring("at ".length());
        changedBelow = false;
        // The forms must hold down there too: where they do not, the domain starts where they do.
        if (minK[i] == top || holds(i, minK[i], along, figures)) {
            lowEnd(i, along, top, figures);
            return;
        }
        long lo = minK[i];
        long hi = top;
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (holds(i, mid, along, figures)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        minK[i] = hi;
        // The size below, where a form changes, with what changes and the test of the size that turns there, if one does.
        long[] below = lattices.at(i, lo);
        Map.Entry<String, Long> test = Thresholds.comparedWithin(spec, spec.sizes().get(i).name(), below[i], below[i] + period[i]);
        belowMin[i] = "at " + probe.describe(below) + " " + requiredDiffer(along, figures, below) + (test == null ? ""
                : " (" + test.getKey() + " compares " + spec.sizes().get(i).name() + " with " + test.getValue() + ")")
                + ": compile the model at such a size";
        changedBelow = true;
        lowEnd(i, along, top, figures);
    }

    /**
     * Ends variable {@code i}'s range before the first lattice step past the declared size, {@code above} it or below, where a leaf
     * that takes some sizes only of an axis it drops refuses it ({@link GapWalk}): no check of the range need fall there.
     */
    private void capAtGaps(int i, boolean above) {
        GapWalk walk = walk(i);
        GapWalk.End end = walk == null ? null : above ? walk.above(maxK[i]) : walk.below(minK[i]);
        if (end != null && above) {
            maxK[i] = end.last();
            aboveMax[i] = end.why();
            changed = false;
        } else if (end != null) {
            minK[i] = end.last();
            belowMin[i] = end.why();
            changedBelow = false;
        }
    }

    /**
     * Variable {@code i}'s walk on its lattice through the leaves that take some sizes only of an axis that changes with it
     * ({@code gaps}), made again where the lattice changed; null where there are none.
     */
    private GapWalk walk(int i) {
        if (walks[i] == null || walks[i].period != period[i]) {
            String name = spec.sizes().get(i).name();
            List<ShapeRules.DroppedGap> along = gaps.get().stream().filter(gap -> gap.variables().contains(name)).toList();
            walks[i] = new GapWalk(probe, lattices, i, along);
        }
        return walks[i].empty() ? null : walks[i];
    }

    /** The lowest steps of a range checked one by one ({@link #lowEnd}). */
    static final int LOW_STEPS = 3;

    /**
     * Ends variable {@code i}'s range above a size below the declared one that a leaf skips ({@link #capAtGaps}), then checks the
     * forms at the {@value #LOW_STEPS} lowest steps of the range, up to {@code top}, one by one: there a
     * layer's input is a few positions, where its rule may change at one size alone, which no bisection finds (a dilated transposed
     * convolution reaches one output position fewer at an input of 2 only). Where a required form fails, the range starts above it
     * and its lowest steps are checked again; then an optional figure that fails at one of them is dropped.
     */
    private void lowEnd(int i, Map<String, Polynomial> along, long top, Set<String> figures) {
        capAtGaps(i, false);
        for (long k = minK[i] + 1; k < top && k < minK[i] + LOW_STEPS; k++) {
            String why = requiredDiffer(along, figures, lattices.at(i, k));
            if (why != null) {
                minK[i] = k + 1;
                belowMin[i] = "at " + probe.describe(lattices.at(i, k)) + " " + why + ": compile the model at such a size";
            }
        }
        for (long k = minK[i]; k <= top && k < minK[i] + LOW_STEPS; k++) {
            dropWhereChanged(i, k, along, figures);
        }
    }

    /**
     * Checks the forms at the sizes next to each number variable {@code i} is compared with, within its range
     * ({@link Thresholds#comparedAt}): a layer switched on there can change a form on a band no sample or search met. The range
     * then ends before the failing size nearest to the default, on each side, with no further piece past it; an optional figure
     * that changes there is dropped.
     */
    private void compared(int i, Set<String> figures, Map<String, java.util.TreeSet<Long>> compared) {
        java.util.TreeSet<Long> sizes = compared.get(spec.sizes().get(i).name());
        if (sizes == null) {
            return;
        }
        Map<String, Polynomial> along = null;
        // From the default outward, each side stopping at its first failure: past it, sizes are outside the range.
        for (int way : new int[] {-1, 1}) {
            int checked = 0;
            for (long k : outward(i, sizes, way)) {
                if (k >= lattices.firstSample(i) && k < lattices.firstSample(i) + SAMPLES) {
                    continue; // a sample
                }
                if (k < minK[i] || k > maxK[i]) {
                    break;
                }
                if (along == null) {
                    along = along(i, figures);
                }
                String why = ++checked > MOST_COMPARED ? tooManyTurns() : fails(i, k, along, figures);
                if (why == null) {
                    dropWhereChanged(i, k, along, figures);
                    continue;
                }
                String reason = probe.describe(lattices.at(i, k)) + ": " + why + ", so compile the model at such a size";
                if (way < 0) {
                    minK[i] = k + 1;
                    belowMin[i] = reason;
                    changedBelow = false;
                } else {
                    maxK[i] = k - 1;
                    aboveMax[i] = reason;
                    changed = false;
                }
                break;
            }
        }
    }

    /**
     * The most sizes next to where a test of the sizes turns that are checked each way from the default (or in a piece): a test
     * that turns every few sizes ({@code L % 4 != 2}) would take an analysis at each, so the range ends at the first one past
     * these.
     */
    static final int MOST_COMPARED = 64;

    /** Why the range ends at a size next to a turn that is not checked ({@link #MOST_COMPARED}). */
    static String tooManyTurns() {
        return "a test of the sizes turns next to it, and more than " + MOST_COMPARED + " sizes next to such turns lie between it and the "
                + "declared size, more than are checked";
    }

    /**
     * The lattice steps next to those of {@code sizes} on one side of variable {@code i}'s default, away from it ({@link
     * #latticeSteps}): below it descending where {@code way} is -1, above it ascending where it is +1.
     */
    List<Long> outward(int i, java.util.NavigableSet<Long> sizes, int way) {
        return latticeSteps(i, way < 0 ? sizes.headSet(fallback[i], false).descendingSet() : sizes.tailSet(fallback[i], false), way);
    }

    /**
     * The lattice steps of variable {@code i} next to {@code sizes}, in their order (away from the default when {@code way} is
     * -1 for descending sizes, +1 for ascending), each once: a size off the lattice stands for the lattice sizes on both sides
     * of it, where a comparison that turns between them shows.
     */
    List<Long> latticeSteps(int i, java.util.SortedSet<Long> sizes, int way) {
        java.util.LinkedHashSet<Long> steps = new java.util.LinkedHashSet<>();
        for (long size : sizes) {
            long below = Math.floorDiv(size - fallback[i], period[i]);
            boolean on = Math.floorMod(size - fallback[i], period[i]) == 0;
            if (way > 0) {
                steps.add(below);
                if (!on) {
                    steps.add(below + 1);
                }
            } else {
                if (!on) {
                    steps.add(below + 1);
                }
                steps.add(below);
            }
        }
        steps.removeIf(k -> way < 0 ? k >= 0 : k <= 0);
        return new ArrayList<>(steps);
    }

    /** Drops the optional figures whose form does not hold at lattice step {@code k} of variable {@code i} (a mixture of experts' reads with few tokens). */
    private void dropWhereChanged(int i, long k, Map<String, Polynomial> along, Set<String> figures) {
        for (String figure : List.copyOf(figures)) {
            if (!ClosedForms.required(figure)) {
                String why = probe.differs(figure, along.get(figure), lattices.at(i, k));
                if (why != null) {
                    figures.remove(figure);
                    missing.putIfAbsent(figure, why);
                    droppedAt.putIfAbsent(figure, lattices.at(i, k));
                }
            }
        }
    }

    private boolean exists(int i, long k) {
        return probe.at(lattices.at(i, k)).exists();
    }

    private String failureAt(int i, long k) {
        return "at " + probe.describe(lattices.at(i, k)) + ": " + probe.at(lattices.at(i, k)).reason();
    }

    private boolean holds(int i, long k, Map<String, Polynomial> along, Set<String> figures) {
        return requiredDiffer(along, figures, lattices.at(i, k)) == null;
    }
}
