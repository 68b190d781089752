package dev.modelcost.processor.sizes;

import static dev.modelcost.processor.sizes.ClosedForms.SAMPLES;

import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.SizeVariable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Finds each size variable's lattice, the others at their defaults: the period on which every figure of the forward pass is a
 * polynomial in the lattice step, the direction its samples take from the declared size, and the figures' degree.
 *
 * <p>It tries first the period the layers' shape rules compose, then the stride the layers' outputs show, halved while the halves
 * hold, then every power of two times an odd number up to 15, up to the default, and the default itself; on each it compiles the
 * model at {@value ClosedForms#SAMPLES} consecutive sizes and takes the figures' forms through them ({@link ClosedForms}). Where no
 * lattice holds it refuses the variable, saying why.
 */
final class LatticeSearch {
    /** Interpolates figures on a grid of lattice steps, leaving out (with why) an optional figure absent at one of its sizes. */
    interface Interpolator {
        /** The forms of {@code figures} on the grid of {@code grid} steps a variable from {@code start}. */
        Map<String, Polynomial> interpolate(int[] grid, long[] start, Set<String> figures);
    }

    private final ModelSpec spec;
    /** The distinct nodes of the model at its declared sizes. */
    private final List<CostNode> nodes;
    private final Probe probe;
    private final Lattices lattices;
    private final int n;
    private final long[] fallback;
    /** Why each figure has no closed form ({@link ClosedForms}'s): an optional figure a lattice drops joins it. */
    private final Map<String, String> missing;
    /** The sizes followed through the layers, once asked for. */
    private final Supplier<ShapeRules.Followed> followed;
    private final Interpolator interpolator;
    /**
     * Per variable, where no lattice holds because a test turns between the declared size and the first sample above it, the size
     * past the last turn among the samples, where the forms may be established instead ({@link ClosedForms}); 0 elsewhere.
     */
    private final long[] pastTurns;
    /** Per variable with a {@link #pastTurns} size, the test that turns and between which sizes ({@code the test at ... turns between ...}). */
    private final String[] turns;

    LatticeSearch(ModelSpec spec, List<CostNode> nodes, Probe probe, Lattices lattices, Map<String, String> missing,
            Supplier<ShapeRules.Followed> followed, Interpolator interpolator) {
        this.spec = spec;
        this.nodes = nodes;
        this.probe = probe;
        this.lattices = lattices;
        this.n = lattices.n;
        this.fallback = lattices.fallback;
        this.missing = missing;
        this.followed = followed;
        this.interpolator = interpolator;
        this.pastTurns = new long[n];
        this.turns = new String[n];
    }

    /**
     * Per variable, the size past a test that turns just above the declared one, where no lattice held for that reason; 0 for the
     * others.
     */
    long[] pastTurns() {
        return pastTurns.clone();
    }

    /** Per variable with a {@link #pastTurns} size, the test that turns there and between which sizes; null for the others. */
    String[] turns() {
        return turns.clone();
    }

    /**
     * Why a lattice's samples failed: the network does not exist at one, or not with a figure the forms need ({@code exists}), or a
     * figure there passes 64 bits ({@code overflow}).
     */
    private record Failure(String reason, boolean exists, boolean overflow) {}

    /**
     * A lattice tried for a variable: accepted with its direction and degree (and the optional figures it drops), or failed at a size
     * ({@code failed}, {@code failedAt}) or with a figure or a layer that is no polynomial on it ({@code notPolynomial}; {@code notAffine}
     * where a layer's sizes do not grow by a constant along it), with a period that may do instead ({@code hint}, 0 where none).
     */
    record Trial(long period, int direction, int degree, Map<String, String> dropped, Failure failed, String failedAt,
            String notPolynomial, long hint, boolean notAffine) {
        Trial(long period, int direction, int degree, Map<String, String> dropped, Failure failed, String failedAt, String notPolynomial) {
            this(period, direction, degree, dropped, failed, failedAt, notPolynomial, 0);
        }

        Trial(long period, int direction, int degree, Map<String, String> dropped, Failure failed, String failedAt, String notPolynomial,
                long hint) {
            this(period, direction, degree, dropped, failed, failedAt, notPolynomial, hint, false);
        }

        boolean accepted() {
            return failed == null && notPolynomial == null;
        }
    }

    /**
     * Finds the period and degree of variable {@code i}; drops optional figures that are no polynomial
     * on it. Periods tried: the network's stride along the variable's axis as its layers' outputs
     * show it (the default over the smallest such dimension of at least 2, rounded up to a power of
     * two; 1 for a sequence, whose length no layer divides), halved while the halves hold; for a
     * sequence where 1 fails, the period its layers' shape rules compose (a pad to chunks of 64), and so
     * where 1 holds but a layer's output keeps its size at the next size and not over that period (L = 1 under a
     * stride of 8); then, where that fails, 1, 2, 4, ... up to the default, and the default itself.
     */
    void find(int i, Set<String> figures) {
        SizeVariable variable = spec.sizes().get(i);
        List<Trial> failures = new ArrayList<>();
        Trial accepted = null;
        long guess = strideGuess(i);
        // The period the layers' shape rules compose (strides of 5, 2, 2 and 2: 40), where they follow the sizes: on it every tensor's
        // size grows by a constant, and on no shorter one, which a few samples within one step of every floor cannot tell.
        long exact = guess > 1 && followed.get().rules() != null ? followed.get().rules().period(i) : 0;
        // Where a layer takes some sizes only (windows of 5 after a stride of 8), the period on which it gets them (40), tried first.
        long hinted = guess > 1 && followed.get().rules() == null ? followed.get().hint(i) : 0;
        // Whether halving stopped where a layer's size grows by an odd number a step: why no finer lattice holds, where none was tried.
        boolean odd = false;
        Trial trial = exact > 0 ? attempt(i, exact, figures) : hinted > 1 ? attempt(i, hinted, figures) : null;
        if (trial != null && trial.accepted()) {
            accepted = trial;
        } else if (trial != null) {
            failures.add(trial);
        }
        if (accepted == null) {
            // The guessed stride first, halved while the halves hold (down to 1); then every candidate in turn.
            trial = followingHints(i, attempt(i, guess, figures), figures, failures, 8);
            while (trial.accepted()) {
                accepted = trial;
                if (trial.period() == 1 || trial.period() % 2 != 0) {
                    break;
                }
                if (oddSlope(i)) {
                    odd = true;
                    break;
                }
                trial = attempt(i, trial.period() / 2, figures);
            }
        }
        long composedHere = accepted != null && accepted.period() == 1 && guess == 1 ? composedPeriod(i) : 0;
        if (composedHere > 1 && layersFloor(i, accepted.direction(), composedHere)) {
            // Layers whose outputs keep their sizes from a declared size too small to show a stride to the next (L = 1 under a stride
            // of 8), or floor it farther on beside a branch that keeps every position, step farther on, the figures a piece each
            // stride: the period the shape rules compose holds them.
            long composed = composedHere;
            Trial strided = attempt(i, composed, figures);
            if (strided.accepted()) {
                accepted = strided;
                exact = composed;
            }
        }
        if (accepted == null && guess == 1) {
            // A sequence whose every length is no lattice (a pad to chunks of 64): the period its shape rules compose, or on which a
            // layer that takes some lengths only gets them, before shorter candidates that a few samples may pass by chance.
            long composed = composedPeriod(i);
            if (composed > 1) {
                failures.add(trial);
                trial = attempt(i, composed, figures);
                if (trial.accepted()) {
                    accepted = trial;
                    exact = composed;
                }
            }
        }
        if (accepted == null) {
            failures.add(trial);
            for (long p : candidates(fallback[i])) {
                if (p == guess) {
                    continue;
                }
                trial = followingHints(i, attempt(i, p, figures), figures, failures, 4);
                if (trial.accepted()) {
                    accepted = trial;
                    break;
                }
                failures.add(trial);
            }
        }
        if (accepted != null) {
            accept(i, accepted, notFiner(i, accepted.period(), exact, trial, failures, odd), figures);
            return;
        }
        String fix = "remove " + variable.name() + " from @Model(sizes), or make the layer that breaks follow the size "
                + "(an adaptive pooling before a linear layer, an expression that reads "
                + (variable.batch() || variable.name().contains(".") ? "" : "input.") + variable.name() + ")";
        // The network's stride along the variable: the period its layers' shape rules compose, else the one its outputs show. Where the
        // network is missing among that lattice's samples, and every shorter lattice tried floors a layer's sizes, that is why no lattice
        // holds (a linear layer of fixed width after a flatten at a total stride of 8 takes the 8 sizes that floor to its map).
        long stride = exact > 0 ? exact : guess;
        Trial onStride = failures.stream().filter(t -> t.period() == stride && t.notPolynomial() == null && t.failed() != null
                && !t.failed().exists() && !t.failedAt().equals(probe.describe(fallback))).findFirst().orElse(null);
        List<Trial> floored = failures.stream().filter(t -> t.notPolynomial() != null).toList();
        if (onStride != null && !floored.isEmpty() && floored.stream().allMatch(t -> t.notAffine() && t.period() < stride)) {
            // Only the samples are known: farther along the lattice the network may exist again (in bands of sizes).
            throw new Problem(Diagnostic.SIZE_CANNOT_VARY, variable.site(), variable.name(), "the network is missing among the " + SAMPLES
                    + " sizes of " + variable.name() + " sampled up and down from the declared one on the lattice " + fallback[i] + " + " + stride
                    + "\u00b7k of its stride (the shorter lattices tried floor a layer's sizes); at " + onStride.failedAt() + ": "
                    + onStride.failed().reason(), fix);
        }
        // A lattice on which every layer's sizes are affine says more than one on which a layer's are not (a window's padding).
        Trial notPolynomial = failures.stream().filter(t -> t.notPolynomial() != null).min(java.util.Comparator.comparing(Trial::notAffine))
                .orElse(null);
        if (notPolynomial == null) {
            Trial first = failures.get(0);
            String elsewhere = first.failed().exists() ? "" : elsewhere(i);
            String head = first.failed().exists() ? "the network has the declared size's figures at no other size of " + variable.name() + " tried"
                    : elsewhere.isEmpty() ? "the network exists at no other size of " + variable.name() + " tried"
                    : "no lattice of " + variable.name() + " through the declared " + fallback[i] + " keeps the network";
            throw new Problem(Diagnostic.SIZE_CANNOT_VARY, variable.site(), variable.name(), head + "; at " + first.failedAt() + ": "
                    + first.failed().reason() + elsewhere, fix + "; the forms are sampled at " + SAMPLES + " sizes from the declared one, up or down, so a network that exists only a few sizes either side of it needs a "
                    + "declared size with room on one side");
        }
        // Where a lattice on which the forms could hold leaves the network at no other size (a call of a shared module at other
        // sizes than its first), that is the likelier reason: said too.
        // A figure beyond 64 bits far along a long lattice is no such reason: the network is there, its numbers too large.
        Trial absent = failures.stream().filter(t -> t.notPolynomial() == null && t.failed() != null && t.period() > 1
                && !t.failed().overflow()).findFirst().orElse(null);
        // A test of the size against a number among the sizes sampled (L > 4 declared at 2) changes a form there: named.
        Map.Entry<String, Long> near = Thresholds.comparedWithin(spec, variable.name(), Math.max(1, fallback[i] - SAMPLES), fallback[i] + SAMPLES);
        String why = notPolynomial.notPolynomial() + (absent == null ? "" : "; on the lattice " + fallback[i] + " + " + absent.period()
                + "\u00b7k the network exists at no other size tried, at " + absent.failedAt() + ": " + absent.failed().reason())
                + (near == null ? "" : "; " + near.getKey() + " compares " + variable.name() + " with " + near.getValue() + ", within the "
                + SAMPLES + " sizes either side of the declared " + variable.name() + " = " + fallback[i] + " that the forms are sampled at");
        // Asked where a comparison with a number is near too, which then says why: where that number is just above the declared size,
        // turning() notes the turn, and the forms may hold past it (@When("L < 101") declared at 100), as establishing them there tells
        // (PastTurn).
        String turning = turning(i, notPolynomial);
        throw new Problem(Diagnostic.NO_CLOSED_FORM, variable.site(), variable.name(), "on any lattice " + fallback[i] + " + p\u00b7k tried",
                why + (turning == null || near != null ? "" : "; " + turning), variable.name());
    }

    /**
     * Why no lattice finer than the one of period {@code accepted} holds for variable {@code i}: the finest failed trial among
     * {@code last} and {@code failures} whose period divides it (a figure that is no polynomial there, as causal-half attention's
     * {@code L·L/2} rounded down on every length; a size where the network does not exist), else, where the period is the one the
     * layers' shape rules compose ({@code exact}), their strides, or, where halving stopped at it ({@code oddSlope}), a layer's size
     * that grows by an odd number a step. Empty where the period is 1 or nothing tried says why.
     */
    private String notFiner(int i, long accepted, long exact, Trial last, List<Trial> failures, boolean oddSlope) {
        if (accepted == 1) {
            return "";
        }
        List<Trial> tried = new ArrayList<>(failures);
        if (last != null && !last.accepted()) {
            tried.add(last);
        }
        Trial finer = tried.stream().filter(t -> t.period() < accepted && accepted % t.period() == 0)
                .max(java.util.Comparator.comparingLong(Trial::period)).orElse(null);
        if (finer != null) {
            // Half the score pairs of a causal attention, rounded down, alternate with the length's parity: said where it may be why.
            String half = finer.period() * 2 == accepted && finer.notPolynomial() != null && !finer.notAffine()
                    && spec.conventions().causal().equals("causal-half") && nodes.stream().anyMatch(CostNode::causalAttention) ? "; @Model(causal = \"causal-half\") "
                    + "counts half of each causal attention's query-key pairs, rounded down, which alternates with the lengths' parity" : "";
            return (finer.notPolynomial() != null ? finer.notPolynomial()
                    : "on the lattice " + fallback[i] + " + " + finer.period() + "\u00b7k, at " + finer.failedAt() + ": " + finer.failed().reason()) + half;
        }
        return accepted == exact ? "the layers' strides along " + spec.sizes().get(i).name() + " compose a period of " + accepted
                : oddSlope ? "a layer's size along " + spec.sizes().get(i).name() + " grows by an odd number a step of the lattice "
                + fallback[i] + " + " + accepted + "\u00b7k, so that on a lattice of half its period it would not grow by a whole number" : "";
    }


    /**
     * The first test that a lattice's samples see turn, between which two sizes, where the forms are no polynomial on it ({@code
     * trial}): a block's argument that compares a size it derives ({@code shift = window >= input.H ? 0 : 3}) switches a layer's
     * costs there, which no polynomial through the samples follows. Null where none turns.
     */
    private String turning(int i, Trial trial) {
        Map<String, dev.modelcost.processor.analysis.EvaluatedExpression> before = null;
        long previous = 0;
        String first = null;
        String turn = null;
        boolean beside = false;
        long last = 0;
        for (int k = 0; k < SAMPLES; k++) {
            long size = fallback[i] + trial.direction() * trial.period() * k;
            if (size < 1 || size > Integer.MAX_VALUE) {
                break;
            }
            long[] sizes = fallback.clone();
            sizes[i] = size;
            Map<String, dev.modelcost.processor.analysis.EvaluatedExpression> now = probe.evaluatedAt(sizes);
            if (now.isEmpty()) {
                break;
            }
            if (before != null) {
                for (Map.Entry<String, dev.modelcost.processor.analysis.EvaluatedExpression> test : before.entrySet()) {
                    dev.modelcost.processor.analysis.EvaluatedExpression after = now.get(test.getKey());
                    if (after != null && after.turnedFrom(test.getValue())) {
                        if (first == null) {
                            String name = spec.sizes().get(i).name();
                            turn = turn(test.getKey(), name, previous, size);
                            first = turn + ", among the sizes the forms are sampled at";
                            beside = trial.direction() > 0;
                        }
                        last = size; // the last turn among the samples: a declared size from there keeps them all on one side
                        break;
                    }
                }
            }
            before = now;
            previous = size;
        }
        // Past the last turn among the samples; not where that passes the variable's own bound (declared there, it would be refused).
        if (first != null && beside && last <= spec.sizes().get(i).most()) {
            pastTurns[i] = last;
            turns[i] = turn;
        }
        return first == null || !beside || last > spec.sizes().get(i).most() ? first : first + " (declared at " + spec.sizes().get(i).name() + " = " + last
                + " or past it, the samples may all lie on one side of " + (last == fallback[i] + trial.period() ? "it" : "the tests that turn there") + ")";
    }

    /** {@code the test at TEST turns between H = 224 and H = 448}: where a test's value changes between two sizes of one variable. */
    static String turn(String test, String name, long from, long to) {
        return "the test at " + test + " turns between " + name + " = " + from + " and " + name + " = " + to;
    }

    /**
     * Where the network exists near the declared size of variable {@code i}, though no lattice through it holds: the sizes in a row
     * around it where it does and nowhere near past them, and which size to declare instead, if any has {@value ClosedForms#SAMPLES} sizes in a
     * row up or down from it; or, where it exists at the declared size by chance (a broadcast of 2 against 1 at an odd size of a
     * network of even sizes), the sizes nearby where it exists, which a lattice through the declared one misses. Empty where it
     * exists nowhere near.
     */
    private String elsewhere(int i) {
        String name = spec.sizes().get(i).name();
        long lo = fallback[i];
        long hi = fallback[i];
        while (fallback[i] - lo < SAMPLES && existsAt(i, lo - 1)) {
            lo--;
        }
        while (hi - fallback[i] < SAMPLES && existsAt(i, hi + 1)) {
            hi++;
        }
        // Past the row, on a lattice of a longer period, it may exist again: then the row is no limit of the network.
        boolean beyond = false;
        for (long d = 1; d <= SAMPLES && !beyond && hi - lo + 1 < SAMPLES; d++) {
            beyond = existsAt(i, hi + d) || existsAt(i, lo - d);
        }
        if (lo < hi && !beyond) {
            String row = "; it exists at " + name + " = " + lo + " to " + hi + " around the declared " + fallback[i];
            if (hi - lo + 1 < SAMPLES) {
                return row + ", fewer than the " + SAMPLES + " sizes in a row (from the declared one, up or down) that the forms are sampled at";
            }
            // The nearest size with SAMPLES in a row down to lo or up to hi from it.
            long down = lo + SAMPLES - 1;
            long up = hi - SAMPLES + 1;
            long better = Math.abs(down - fallback[i]) <= Math.abs(up - fallback[i]) ? down : up;
            return row + ": declare " + name + " = " + better + " instead, from which " + SAMPLES + " sizes in a row exist";
        }
        List<Long> near = new ArrayList<>();
        for (long d = 1; d <= SAMPLES && near.size() < 2; d++) {
            for (long size : new long[] {fallback[i] + d, fallback[i] - d}) {
                if (near.size() < 2 && existsAt(i, size)) {
                    near.add(size);
                }
            }
        }
        return near.isEmpty() ? "" : "; it exists at " + name + " = " + near.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" and "))
                + ", though on no lattice tried through the declared " + fallback[i] + ": declare " + name + " = " + near.get(0) + " instead";
    }

    /**
     * A trial, or where it fails and a layer whose windows repeat with a longer period names that period, the trial of the period
     * named, in turn, up to {@code hops} times; each failed trial joins {@code failures}.
     */
    private Trial followingHints(int i, Trial trial, Set<String> figures, List<Trial> failures, int hops) {
        for (int hop = 0; !trial.accepted() && trial.hint() > 0 && hop < hops; hop++) {
            failures.add(trial);
            trial = attempt(i, trial.hint(), figures);
        }
        return trial;
    }

    /** Takes the lattice of {@code accepted} for variable {@code i}, no finer one holding for {@code notFinerWhy} (empty where unknown). */
    void accept(int i, Trial accepted, String notFinerWhy, Set<String> figures) {
        lattices.notFiner[i] = notFinerWhy;
        lattices.period[i] = accepted.period();
        lattices.direction[i] = accepted.direction();
        lattices.degree[i] = accepted.degree();
        lattices.origin[i] = lattices.direction[i] > 0 ? 0 : -lattices.degree[i];
        accepted.dropped().forEach((figure, why) -> {
            figures.remove(figure);
            missing.putIfAbsent(figure, why);
        });
    }

    /**
     * Tries the lattice of period {@code p} for variable {@code i}: samples up from the default, or down where the network ends there
     * or a required figure is no polynomial up there (a declared length just under a sliding window).
     */
    Trial attempt(int i, long p, Set<String> figures) {
        lattices.period[i] = p;
        Failure failed = null;
        String failedAt = null;
        Trial notPolynomial = null;
        for (int way : new int[] {1, -1}) {
            lattices.direction[i] = way;
            lattices.origin[i] = way > 0 ? 0 : -(SAMPLES - 1);
            long last = fallback[i] + way * p * (SAMPLES - 1);
            if (last < 1 || last > Integer.MAX_VALUE) {
                continue;
            }
            int[] grid = new int[n];
            grid[i] = SAMPLES - 1;
            Map<String, Polynomial> polynomials;
            try {
                polynomials = interpolator.interpolate(grid, lattices.only(i), figures);
            } catch (GridInterpolation.Missing e) {
                if (failed == null) {
                    failed = new Failure(e.reason, e.exists, e.overflow);
                    failedAt = probe.describe(e.sizes);
                }
                continue;
            }
            // The layers' sizes decide whichever way the samples go; a figure's degree may differ the other way.
            Trial windows = windows(i, p);
            if (windows != null) {
                return windows;
            }
            Trial trial = degrees(i, p, polynomials, figures);
            if (trial.notPolynomial() == null) {
                return trial;
            }
            if (notPolynomial == null) {
                notPolynomial = trial;
            }
        }
        if (notPolynomial != null) {
            lattices.direction[i] = notPolynomial.direction();
            lattices.origin[i] = notPolynomial.direction() > 0 ? 0 : -(SAMPLES - 1);
            return notPolynomial;
        }
        return new Trial(p, 1, 0, Map.of(), failed == null ? new Failure("its samples pass 1 or 2,147,483,647 either way", false, false) : failed,
                failedAt == null ? probe.describe(fallback) : failedAt, null);
    }

    /** A trial of the lattice whose samples in the current direction gave {@code polynomials}: each figure's degree. */
    private Trial degrees(int i, long p, Map<String, Polynomial> polynomials, Set<String> figures) {
        SizeVariable variable = spec.sizes().get(i);
        Map<String, String> dropped = new LinkedHashMap<>();
        int found = 0;
        for (String figure : figures) {
            int d = polynomials.get(figure).degree(i);
            // A degree of SAMPLES - 2 leaves one sample beyond the fit; the size after the samples checks it again.
            String why = d > SAMPLES - 2 ? "is no polynomial of degree " + (SAMPLES - 2) + " or less in " + variable.name() + " on "
                    + lattices.lattice(i) : d == SAMPLES - 2 ? checkNear(i, figure, polynomials.get(figure)) : null;
            if (why == null) {
                found = Math.max(found, d);
            } else if (ClosedForms.required(figure)) {
                return new Trial(p, lattices.direction[i], 0, Map.of(), null, null, figure + " " + why);
            } else {
                dropped.put(figure, why);
            }
        }
        return new Trial(p, lattices.direction[i], found, dropped, null, null, null);
    }

    /**
     * Checks each layer on the samples of period {@code p} along variable {@code i}: its input's and its
     * output's sizes on the variable's axis must be affine in the lattice step (every floor of a stride
     * exact). A layer that pools a varying input to a fixed output of {@code o > 1} positions (adaptive
     * pooling; not a slice, nor a resampling to a size, which cost by their output) has windows that
     * repeat every {@code o} positions of its input, so its input must grow by a multiple of {@code o} a
     * step: otherwise the trial fails with the period that would do as its hint.
     *
     * @return the failed trial, or null where every layer passes
     */
    private Trial windows(int i, long p) {
        SizeVariable variable = spec.sizes().get(i);
        if (variable.batch()) {
            return null;
        }
        String axis = spec.axis(variable);
        List<Map<String, long[]>> samples = new ArrayList<>();
        for (int j = 0; j < SAMPLES; j++) {
            samples.add(probe.at(lattices.at(i, lattices.origin[i] + j)).windows().get(axis));
        }
        for (Map.Entry<String, long[]> leaf : samples.get(0).entrySet()) {
            long[] in = new long[SAMPLES];
            long[] out = new long[SAMPLES];
            boolean everywhere = true;
            for (int j = 0; j < SAMPLES; j++) {
                long[] dims = samples.get(j).get(leaf.getKey());
                everywhere &= dims != null;
                if (dims != null) {
                    in[j] = dims[0];
                    out[j] = dims[1];
                }
            }
            if (!everywhere) {
                continue;
            }
            if (!affine(in) || !affine(out)) {
                long[] at = new long[SAMPLES];
                for (int j = 0; j < SAMPLES; j++) {
                    at[j] = lattices.at(i, lattices.origin[i] + j)[i];
                }
                String sizes = Arrays.equals(in, out) ? "its input and its output have " + Arrays.toString(in)
                        : "its input has " + Arrays.toString(in) + " and its output " + Arrays.toString(out);
                return new Trial(p, lattices.direction[i], 0, Map.of(), null, null, "the sizes of layer " + leaf.getKey() + " on axis " + axis
                        + " are not affine on " + lattices.lattice(i) + " (at " + variable.name() + " = " + Arrays.toString(at) + ", " + sizes + ")", 0, true);
            }
            long slope = Math.abs(in[1] - in[0]);
            long fixed = out[0];
            boolean resamples = samples.get(0).get(leaf.getKey())[2] == 1;
            if (resamples && out[1] == out[0] && slope != 0 && fixed > 1 && slope % fixed != 0) {
                long multiple = fixed / BigInteger.valueOf(slope).gcd(BigInteger.valueOf(fixed)).longValue();
                long hint = p * multiple <= Integer.MAX_VALUE / SAMPLES ? p * multiple : 0;
                return new Trial(p, lattices.direction[i], 0, Map.of(), null, null, "layer " + leaf.getKey() + " pools " + axis + " to " + fixed
                        + " positions, whose windows repeat every " + fixed + " positions of its input, which grows by " + slope
                        + " a step on " + lattices.lattice(i), hint);
            }
        }
        return null;
    }

    /**
     * Whether some layer's size on variable {@code i}'s axis grows by an odd number a step of the
     * lattice just accepted: then no lattice of half its period keeps every layer's sizes affine (a
     * half step would grow it by half an odd number), and trying one would only compile the model again.
     */
    private boolean oddSlope(int i) {
        return growth(i, lattices.origin[i]).values().stream().anyMatch(leaf -> leaf[2] % 2 != 0 || leaf[3] % 2 != 0);
    }

    /**
     * Each layer's first input's and output's sizes on variable {@code i}'s axis at lattice step {@code k}, and how much each
     * grows to step {@code k + 1}: {@code {input, output, input's growth, output's growth}}, by the layer's path (see {@link
     * Probe.Outcome#windows}); none for the batch.
     */
    private Map<String, long[]> growth(int i, long k) {
        SizeVariable variable = spec.sizes().get(i);
        Map<String, long[]> growth = new LinkedHashMap<>();
        if (variable.batch()) {
            return growth;
        }
        String axis = spec.axis(variable);
        Map<String, long[]> first = probe.at(lattices.at(i, k)).windows().get(axis);
        Map<String, long[]> second = probe.at(lattices.at(i, k + 1)).windows().get(axis);
        for (Map.Entry<String, long[]> leaf : first.entrySet()) {
            long[] next = second.get(leaf.getKey());
            if (next != null) {
                long[] at = leaf.getValue();
                growth.put(leaf.getKey(), new long[] {at[0], at[1], next[0] - at[0], next[1] - at[1]});
            }
        }
        return growth;
    }

    /** Whether the values are equally spaced. */
    private static boolean affine(long[] values) {
        for (int j = 2; j < values.length; j++) {
            if (values[j] - values[j - 1] != values[1] - values[0]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The period the layers' shape rules compose along variable {@code i}, where they follow the sizes; else the period on which a
     * layer that takes some sizes only gets them ({@link ShapeRules.Followed#hint}).
     */
    private long composedPeriod(int i) {
        return followed.get().rules() != null ? followed.get().rules().period(i) : followed.get().hint(i);
    }

    /**
     * Whether, going {@code way} from the declared sizes along variable {@code i} (a tensor's axis, not the batch), the others at their
     * defaults, no layer's output changes its sizes at the next size, or some layer's output keeps its size there but not over the
     * {@code composed} steps of the period the shape rules compose (a stride of 8 declared at L = 1 beside a branch that keeps every
     * position): a declared size too small to show a stride, on whose lattice of period 1 the figures step a piece each stride. A
     * value that moves a layer's size at every step (a pad of {@code 100 - 2 * (L % 50)}) keeps the lattice of period 1.
     */
    private boolean layersFloor(int i, int way, long composed) {
        long[] next = fallback.clone();
        next[i] += way;
        long[] far = fallback.clone();
        far[i] += way * composed;
        if (spec.sizes().get(i).batch() || next[i] < 1 || far[i] < 1) {
            return false;
        }
        Probe.Outcome here = probe.at(fallback);
        Probe.Outcome there = probe.at(next);
        if (!sameAxes(here, there)) {
            return false;
        }
        if (here.axes().entrySet().stream().allMatch(axis -> axis.getValue().size() == there.axes().get(axis.getKey()).size())) {
            return true;
        }
        Probe.Outcome farther = probe.at(far);
        return sameAxes(here, farther) && here.axes().entrySet().stream().anyMatch(axis -> there.axes().get(axis.getKey()).size() == axis.getValue().size()
                && farther.axes().get(axis.getKey()).size() != axis.getValue().size());
    }

    /** Whether the model exists at both outcomes with the same layers' output axes. */
    private static boolean sameAxes(Probe.Outcome one, Probe.Outcome other) {
        return one.exists() && other.exists() && one.axes() != null && other.axes() != null && one.axes().keySet().equals(other.axes().keySet());
    }

    /**
     * The network's stride along variable {@code i}'s axis as its layers' outputs show it at the
     * default: the default over the smallest dimension of at least 2 on an axis of that name, rounded
     * up to a power of two; 1 for the batch or where no output has such an axis.
     */
    private long strideGuess(int i) {
        SizeVariable variable = spec.sizes().get(i);
        if (variable.batch()) {
            return 1;
        }
        String axis = spec.axis(variable);
        long smallest = Long.MAX_VALUE;
        for (CostNode node : nodes) {
            int at = node.output().axes().indexOf(axis);
            if (at >= 0 && node.output().dims().get(at) >= 2) {
                smallest = Math.min(smallest, node.output().dims().get(at));
            }
        }
        if (smallest == Long.MAX_VALUE) {
            return 1;
        }
        long ratio = (fallback[i] + smallest - 1) / smallest;
        long stride = Long.highestOneBit(ratio) == ratio ? ratio : Long.highestOneBit(ratio) * 2;
        // A resampling by p/q in lowest terms (1.1, 0.75) floors x·p/q, whose steps repeat every q sizes.
        long scales = ScaleFactors.denominators(nodes, axis);
        long both = stride / java.math.BigInteger.valueOf(stride).gcd(java.math.BigInteger.valueOf(scales)).longValue() * scales;
        return both <= 1 << 20 ? both : stride;
    }

    /**
     * Periods to try, ascending: every power of two times an odd number up to 15, up to the default or
     * 256, whichever is larger (strides of 3; an adaptive pooling to 7 outputs after a stride of 32
     * repeats every 224; a small default under a larger stride), then the default itself.
     */
    private static List<Long> candidates(long fallback) {
        TreeSet<Long> periods = new TreeSet<>();
        long most = Math.max(fallback, 256);
        for (long odd = 1; odd <= 15; odd += 2) {
            for (long p = odd; p <= most; p *= 2) {
                periods.add(p);
            }
        }
        periods.add(fallback);
        return List.copyOf(periods);
    }

    /** Checks a figure's form along variable {@code i} at the size after the samples; null if it holds, else why not. */
    private String checkNear(int i, String figure, Polynomial polynomial) {
        long size = fallback[i] + lattices.period[i] * lattices.direction[i] * SAMPLES;
        if (size < 1 || size > Integer.MAX_VALUE) {
            return "is of degree " + (SAMPLES - 2) + " on " + lattices.lattice(i) + ", which no further size checks";
        }
        return probe.differs(figure, polynomial, lattices.at(i, lattices.direction[i] * SAMPLES));
    }

    /** Whether the network exists with variable {@code i} at {@code size}, the others at their declared sizes; not past an int. */
    private boolean existsAt(int i, long size) {
        return size >= 1 && size <= Integer.MAX_VALUE && probe.at(lattices.withSize(i, size)).exists();
    }
}
