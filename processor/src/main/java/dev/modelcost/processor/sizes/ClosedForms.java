package dev.modelcost.processor.sizes;

import dev.modelcost.ClosedForm;
import dev.modelcost.SizeDomain;
import dev.modelcost.processor.analysis.Analyzer;
import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.memory.Liveness;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.SizeVariable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Establishes a model's figures as exact polynomials in its size variables.
 *
 * <p>For each variable, with the others at their defaults, it looks for the lattice
 * {@code default + period·k} on which every figure of the forward pass (MACs, FLOPs, parameters,
 * buffers, other ops, the KV cache, the output's dimensions, ...) is a polynomial in {@code k}. It
 * tries first the stride the layers' outputs show along the variable's axis, halved while the halves
 * hold, then every power of two times an odd number up to 15, up to the default, and the default itself. On a lattice it compiles
 * the model at {@value #SAMPLES} consecutive sizes (down from the default where the network ends above
 * it, or where a required figure is no polynomial up there) and takes Newton's forward differences. It accepts the lattice where the last differences vanish:
 * degree at most {@value #SAMPLES} − 2, checked at one more size where the degree is that. The
 * interpolating polynomial must then equal the model compiled at three further sizes, up to
 * {@code max(16·default, default + 64·period)}. Where the network ends or a form changes there, the
 * largest size that holds is found by bisection, after trying the sizes at the numbers the layers are
 * given (a table of positions, a window), where a range mostly ends; the smallest size at which the network
 * exists, by bisection alone; the forms are checked at both. A model of one variable goes on past a change of form with
 * further pieces of forms, found the same way, above the declared size and below it, up to
 * {@value #MOST_PIECES} in all. The joint form in several variables is interpolated on the
 * grid of the degrees found, and checked at the grid's far corner, at the smallest sizes together and
 * at a mixed point per variable.
 *
 * <p>The activation peak is a maximum: the live bytes while each leaf runs (the memory timeline),
 * the largest of them. Each step's live bytes is a sum of tensor sizes, established and checked as
 * an optional figure like the others; the peak's form is the largest of the steps' forms, a step left
 * out where another is never below it in the domain, and the inference memory adds the weights, the
 * buffers and the KV cache to each. Their maxima are checked against the peak at every size analysed
 * in the domain. The bytes moved where layers gather weights by token ids (an embedding reads at
 * most its table) are a minimum the same way: each such layer's table and rows read, and the bytes
 * moved besides them, have forms; the bytes moved are the smallest of their sums over each choice.
 *
 * <p>Everything is exact (rational arithmetic on the figures the analysis gives). A figure checked
 * at {@code n} sizes and found of degree {@code d} on the lattice is therefore exact wherever it is a
 * polynomial of degree below {@code n} in each variable on that lattice, as the built-in layers' rules
 * make it: floors of affine functions of the sizes in convolution and pooling, which are affine on the
 * lattice of the network's total stride, and products of sizes in the costs. A figure that fails the
 * checks gets no closed form ({@link SizeForms#missing()}); where a figure of the forward pass fails on
 * every lattice, the model is refused with {@link Diagnostic#NO_CLOSED_FORM}, and where the network
 * exists at no other size, with {@link Diagnostic#SIZE_CANNOT_VARY}.
 *
 * <p>This class runs the steps in order, builds the pieces of a model of one variable and the maxima and minimum from their
 * parts. Each variable's lattice is found by {@link LatticeSearch}, its range by {@link RangeSearch}, both kept in
 * {@link Lattices}; the box where the variables hold together by {@link JointDomain}; the size program that answers off the
 * lattices by {@link SizeProgramSearch}; a part of the peak that takes another form at sizes' smallest by {@link FaceParts}.
 */
public final class ClosedForms {
    /** Consecutive sizes compiled per lattice tried; degrees up to two fewer are found. */
    static final int SAMPLES = 5;

    private final ModelSpec spec;
    /** The model at its declared sizes. */
    private final ModelCosts declared;
    /** The memory timeline of the model at its declared sizes. */
    private final Liveness declaredLiveness;
    /** The distinct nodes of the model at its declared sizes. */
    private final List<CostNode> nodes;
    private final Probe probe;
    /** Each variable's lattice and range; the arrays below are its own. */
    private final Lattices lattices;
    /** Finds each variable's lattice. */
    private final LatticeSearch search;
    /** Finds each variable's range on its lattice. */
    private final RangeSearch ranges;
    private final int n;
    private final long[] fallback;
    private final long[] period;
    private final int[] degree;
    private final long[] origin;
    private final int[] direction;
    private final long[] minK;
    private final String[] belowMin;
    private final long[] maxK;
    private final String[] aboveMax;
    private final String[] notFiner;
    /** At most this many pieces, each with forms of its own, for a model of one variable. */
    static final int MOST_PIECES = 4;
    /** Why each figure has no closed form; figures of the forward pass never land here. */
    private final Map<String, String> missing = new LinkedHashMap<>();
    /**
     * For a model of one variable, the lattice step at which the steps' live bytes are not checked against their forms (its smallest
     * size, where a step holds a tensor less but the maxima are right: {@link #smallestAlone}); below every step where none.
     */
    private long uncheckedSteps = Long.MIN_VALUE;
    /** Where each optional figure dropped at a size analysed was dropped, by the sizes: a form may change there alone ({@link #smallestAlone}). */
    private final Map<String, long[]> droppedAt = new LinkedHashMap<>();
    /** The sizes followed through the layers, once asked for. */
    private ShapeRules.Followed followed;
    /** How the size program separates the products of sizes. */
    private final OffLattice.Separation separation;

    private ClosedForms(ModelCosts costs, Analyzer analyzer, List<dev.modelcost.processor.counters.Reading> readings, Liveness liveness,
            OffLattice.Separation separation) {
        this.spec = costs.spec();
        this.separation = separation;
        this.declared = costs;
        this.declaredLiveness = liveness;
        this.nodes = costs.distinctNodes();
        // An expression that reads a size may change its form at a number it is written with (max(0, input.W - 1500)), or a named one.
        LayerNumbers numbers = LayerNumbers.of(costs.spec(), nodes);
        Thresholds.Reach reach = Thresholds.reach(costs.spec(), numbers.largest());
        // A memo of its own: the sizes' analyses are dropped with the model, not kept for the whole compilation.
        this.probe = new Probe(spec, analyzer.keepingTests());
        probe.declared(costs, readings, liveness);
        this.lattices = new Lattices(spec.sizes().stream().mapToLong(SizeVariable::fallback).toArray());
        this.n = lattices.n;
        this.fallback = lattices.fallback;
        this.period = lattices.period;
        this.degree = lattices.degree;
        this.origin = lattices.origin;
        this.direction = lattices.direction;
        this.minK = lattices.minK;
        this.belowMin = lattices.belowMin;
        this.maxK = lattices.maxK;
        this.aboveMax = lattices.aboveMax;
        this.notFiner = lattices.notFiner;
        this.search = new LatticeSearch(spec, nodes, probe, lattices, missing, this::followed, this::interpolate);
        this.ranges = new RangeSearch(spec, probe, lattices, numbers, reach, missing, droppedAt, this::interpolate, this::gaps);
    }

    /**
     * The closed forms of a model that declares sizes, analysed at its declared sizes ({@code costs}), with its counters' readings
     * ({@code readings}, from {@link dev.modelcost.processor.counters.Readings}) and its memory timeline there.
     *
     * @throws Problem {@link Diagnostic#SIZE_CANNOT_VARY} or {@link Diagnostic#NO_CLOSED_FORM} on the variable's name
     */
    public static SizeForms of(ModelCosts costs, Analyzer analyzer, List<dev.modelcost.processor.counters.Reading> readings, Liveness liveness) {
        return of(costs, analyzer, readings, liveness, OffLattice.Separation.DEFAULT);
    }

    /** The closed forms as {@link #of(ModelCosts, Analyzer, List, Liveness)} gives them, the size program's products separated by {@code separation}. */
    static SizeForms of(ModelCosts costs, Analyzer analyzer, List<dev.modelcost.processor.counters.Reading> readings, Liveness liveness,
            OffLattice.Separation separation) {
        return of(costs, analyzer, readings, liveness, separation, 0);
    }

    /**
     * The closed forms as {@link #of(ModelCosts, Analyzer, List, Liveness, OffLattice.Separation)} gives them, where the sizes were
     * already moved past a test's turn {@code moves} times ({@link PastTurn}).
     */
    static SizeForms of(ModelCosts costs, Analyzer analyzer, List<dev.modelcost.processor.counters.Reading> readings, Liveness liveness,
            OffLattice.Separation separation, int moves) {
        ClosedForms forms = new ClosedForms(costs, analyzer, readings, liveness, separation);
        try {
            return forms.establish();
        } catch (Problem problem) {
            long[] past = forms.search.pastTurns();
            if (problem.diagnostic() != Diagnostic.NO_CLOSED_FORM || Arrays.stream(past).allMatch(size -> size == 0)) {
                throw problem;
            }
            // A test that equates sizes of two variables (H == W) turns again a step past every turn: it is refused as such.
            forms.refuseJoint();
            if (moves >= MOST_MOVES) {
                throw problem;
            }
            return PastTurn.establish(costs, forms.probe, past, forms.search.turns(), problem, analyzer, separation,
                    forms.probe.analyses(), forms.probe.analysisNanos(), moves + 1);
        }
    }

    /** The most times the sizes are moved past a test's turn: the turn beside the declared sizes, and one just past it. */
    private static final int MOST_MOVES = 2;

    private SizeForms establish() {
        Probe.Outcome base = probe.at(fallback);
        if (!base.exists()) {
            throw base.failure();
        }
        ScaleFactors.refuseInexact(spec, declared);
        Parts parts = new Parts(base);
        Set<String> figures = polynomialFigures(base, parts.gathering);
        Map<String, java.util.TreeSet<Long>> compared = ranges(figures);
        refusePointwise();
        refuseJoint();
        Map<String, Polynomial> polynomials = jointPolynomials(figures, compared);
        JointDomain domain = new JointDomain(spec, probe, lattices, ranges, missing, droppedAt);
        domain.findAxes(base);
        domain.corners(polynomials, figures);
        domain.turns(compared, polynomials, figures);
        domain.extent(polynomials, figures);
        domain.check(polynomials, figures);
        List<String> names = spec.sizes().stream().map(SizeVariable::name).toList();
        Pieces pieces = pieces(base, polynomials, figures, compared, parts);
        List<SizeForms.Piece> forms = forms(base, figures, pieces, parts, names);
        refuseSinglePoints();
        long[] highest = lattices.sizes(maxK);
        ProgramTop top = programTop(highest);
        OffLattice.Result program = programFrom(highest, top.max(), base, forms, parts.atEdges, names, domain);
        if (program.program() == null) {
            if (top.max() > highest[0]) {
                // Up to the lattice's last size alone, where the program holds there but not past it.
                program = programFrom(highest, highest[0], base, forms, parts.atEdges, names, domain);
            }
            top = new ProgramTop(highest[0], aboveMax[0]);
        }
        dropUnprogrammed(program, forms);
        List<SizeDomain> domains = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // Why no finer lattice holds, where a size off the lattice is refused: a size program answers there otherwise.
            domains.add(SizeDomain.of(spec.network().simpleName(), spec.sizes().get(i).name(), fallback[i], period[i],
                    program.program() == null ? notFiner[i] : "", fallback[i] + period[i] * minK[i], belowMin[i], highest[i], aboveMax[i],
                    n == 1 ? top.max() : highest[i], n == 1 ? top.above() : aboveMax[i]));
        }
        List<SizeForms.JointAxis> joint = new ArrayList<>();
        domain.axes().forEach((axis, polynomial) -> joint.add(new SizeForms.JointAxis(layer(axis), base.axes().get(axis).name(), polynomial.form(layer(axis), names))));
        Set<String> atSmallest = new java.util.HashSet<>();
        if (parts.atEdges) {
            MAXIMA.stream().filter(forms.get(0).forms()::containsKey).forEach(atSmallest::add);
        }
        return new SizeForms(spec.sizes(), domains, forms, missing, program.program(), program.why(), joint, atSmallest, null, probe.analyses(),
                probe.analysisNanos());
    }

    /**
     * For a model of one variable whose range ends above at a size where the network fails, the sizes off the lattice between its
     * last size ({@code highest}'s) and the next: each analysed from the lowest while the network exists there (a position table of
     * 100 rows after a stride of 4, declared at 1: 398 to 400 beside 397), the size program then followed and checked up to the
     * last of them ({@link #programFrom}). The largest, and why the next is out: the first that fails, or the lattice's next size.
     * At most {@link #MOST_PAST_LATTICE} − 1 sizes are analysed so; none for several variables, nor where the network exists at the
     * lattice's next size (the range ends there for another reason).
     */
    private ProgramTop programTop(long[] highest) {
        if (n > 1 || period[0] == 1 || period[0] > MOST_PAST_LATTICE || aboveMax[0].isEmpty() || highest[0] + period[0] > Integer.MAX_VALUE
                || probe.at(highest[0] + period[0]).exists()) {
            // The range ends for another reason than the network's end (a value followed no further): no size past it is answered.
            return new ProgramTop(highest[0], aboveMax[0]);
        }
        for (long size = highest[0] + 1; size < highest[0] + period[0]; size++) {
            Probe.Outcome outcome = probe.at(size);
            if (!outcome.exists()) {
                return new ProgramTop(size - 1, "at " + probe.describe(size) + ": " + outcome.reason());
            }
        }
        return new ProgramTop(highest[0] + period[0] - 1, aboveMax[0]);
    }

    /**
     * The size program ({@link SizeProgramSearch}), its shape rules followed and checked up to the lattices' largest sizes
     * {@code highest}, the one variable's up to {@code top}, and down to the floors of the box of sizes ({@link JointDomain#programFloors}).
     */
    private OffLattice.Result programFrom(long[] highest, long top, Probe.Outcome base, List<SizeForms.Piece> forms, boolean atEdges,
            List<String> names, JointDomain domain) {
        long[] answered = highest.clone();
        answered[0] = n == 1 ? top : highest[0];
        SizeProgramSearch.Between between = programBounds(domain.programFloors());
        for (int i = 0; i < n; i++) {
            answered[i] = Math.min(answered[i], between.highest()[i]);
        }
        return new SizeProgramSearch(declared, probe, lattices, this::followed, separation, answered).find(base, forms, atEdges, names,
                domain.cutBelow(), between);
    }

    /**
     * The sizes a size program may answer of each variable, and why not beyond them. From {@code floors} ({@link
     * JointDomain#programFloors}: where a turn of a value that reads the variable cut its range below, the program does not follow that
     * value). And, of several variables, only between the masked turns nearest its declared size, the others at their defaults
     * ({@link RangeSearch#masked}): where a part of a value that reads it turns beside a part that reads another size, which hides it
     * at the declared sizes, the size program, which follows the value as it is at the declared sizes, would give it there off the
     * other's lattice (a slice's start of {@code (H / 100 + W / 30) / 2} is 1 at H = 100 and W from 30 to 89, 2 from 90: off W's
     * lattice the program answered H = 100, W = 90 with a start of 1). Only where another variable's lattice is not every size.
     */
    private SizeProgramSearch.Between programBounds(long[] floors) {
        long[] lowest = floors.clone();
        long[] highest = new long[n];
        String[] whyBelow = new String[n];
        String[] whyAbove = new String[n];
        java.util.Arrays.fill(highest, Long.MAX_VALUE);
        for (int i = 0; i < n; i++) {
            whyBelow[i] = lowest[i] > 1 ? belowMin[i] + "; the size program does not follow the value that turns there" : null;
            boolean othersOff = false;
            for (int j = 0; j < n; j++) {
                othersOff |= j != i && period[j] > 1;
            }
            // where every other variable's lattice is every size, only this one is ever off its lattice, and its own values are followed;
            // the declared size's own values are the program's: a turn there bounds nothing
            java.util.TreeSet<Long> turns = othersOff ? ranges.masked(i) : new java.util.TreeSet<>();
            Long below = turns.lower(fallback[i]);
            Long above = turns.higher(fallback[i]);
            if (below != null && below + 1 > lowest[i]) {
                lowest[i] = below + 1;
                whyBelow[i] = maskedTurn(i, below);
            }
            if (above != null) {
                highest[i] = above - 1;
                whyAbove[i] = maskedTurn(i, above);
            }
        }
        return new SizeProgramSearch.Between(lowest, highest, whyBelow, whyAbove);
    }

    /** Why a size program stops next to a masked turn of variable {@code i} at {@code turn} ({@link #programBounds}). */
    private String maskedTurn(int i, long turn) {
        String name = spec.sizes().get(i).name();
        return "a part of a value that reads " + name + " turns next to " + name + " = " + turn
                + " beside one that reads another size, which the size program does not follow off the other sizes' lattices";
    }

    /** The largest size off the lattice a size program answers ({@link SizeDomain#programMax()}), and why the next is out. */
    private record ProgramTop(long max, String above) {}

    /** The longest lattice period past whose last size {@link #programTop} analyses the sizes before the next. */
    static final int MOST_PAST_LATTICE = 16;

    /**
     * The figures that are polynomials in the sizes, noting in {@link #missing} why those left out have no form: a counter's figure
     * its tool computes in floating point, the bytes moved inside a mixture of experts, a training step's memory under recomputation.
     * The maxima and the minimum ({@link #EXTREMA}) are left out too, and built from their parts' forms ({@link Parts}).
     */
    private Set<String> polynomialFigures(Probe.Outcome base, boolean gathering) {
        Set<String> figures = new LinkedHashSet<>(base.figures().keySet());
        // A counter's figure the tool computes in floating point and truncates has no form.
        missing.putAll(base.inexact());
        // A maximum is no polynomial: the activation peak and the inference memory are built from the live bytes at each step,
        // whose forms are interpolated once the domain is known.
        figures.removeAll(MAXIMA);
        figures.removeIf(ClosedForms::internal);
        // Where layers gather weights by token ids, the bytes moved take the smaller of each one's table and reads: a minimum, built
        // from the parts the same way.
        if (gathering) {
            figures.remove("BYTES_MOVED");
        }
        if (base.figures().containsKey(Probe.GATHERS_IN_EXPERTS)) {
            figures.remove("BYTES_MOVED");
            missing.put("BYTES_MOVED", "takes the smaller of the table and the rows read for a layer that gathers weights by token ids inside a "
                    + "mixture of experts, whose share of the tokens the closed forms do not follow; compile the model at the size wanted");
        }
        // A training step's memory is a sum (weights, gradients, optimizer state, buffers, saved activations), but recomputation keeps
        // only the largest segment's activations: a maximum, whose parts are not computed.
        if (spec.training() != null && spec.training().recompute()) {
            for (String figure : List.of("SAVED_ACTIVATION_BYTES", "TRAINING_MEMORY_BYTES")) {
                figures.remove(figure);
                missing.put(figure, "is a maximum over the checkpointed segments of the forward pass under recomputation, which has no form "
                        + "here; compile the model at the size wanted");
            }
        }
        return figures;
    }

    /**
     * Each variable's lattice and range, the others at their defaults: its period and degree, its largest and smallest lattice steps,
     * and why the range ends there. Gives every size a test of the sizes compares a variable with, by the variable's name, the turns
     * found along its lattice included.
     */
    private Map<String, java.util.TreeSet<Long>> ranges(Set<String> figures) {
        Map<String, java.util.TreeSet<Long>> compared = Thresholds.comparedAt(spec);
        for (int i = 0; i < n; i++) {
            search.find(i, figures);
            ranges.find(i, figures, compared);
        }
        return compared;
    }

    /**
     * The joint polynomials in every variable, interpolated on the grid of the degrees found.
     *
     * @throws Problem {@link Diagnostic#SIZE_CANNOT_VARY} where the network exists at each size alone on its lattice but not at a
     *     grid point of them together
     */
    private Map<String, Polynomial> jointPolynomials(Set<String> figures, Map<String, java.util.TreeSet<Long>> compared) {
        GridInterpolation.Missing first = null;
        List<String> doubled = new ArrayList<>();
        for (int i = 0; ; i++) {
            try {
                return interpolate(degree, origin, figures);
            } catch (GridInterpolation.Missing e) {
                first = first == null ? e : first;
                // Each size on its lattice alone, but not together: a reshape to a fixed width needs their product divisible, say
                // ({@code shape = [8, 2, -1]} of 8 x H x W, H·W even). On a lattice of twice a variable's period the grid may hold
                // (H even): each variable in turn gets one, while the grid fails, its range found again there.
                if (i == n || !relattice(i, figures, compared, "the network does not exist at " + describe(e.sizes) + " together: " + e.reason)) {
                    // The first failure, and where the doubled lattices failed too.
                    throw cannotVaryTogether(first, e == first ? "" : "; nor with " + String.join(" and ", doubled) + ", at " + describe(e.sizes)
                            + ": " + e.reason);
                }
                doubled.add(spec.sizes().get(i).name() + " on " + lattices.lattice(i));
            }
        }
    }

    /**
     * Variable {@code i} on a lattice of twice its period, where the network does not exist at some sizes together on the one
     * found ({@code why}): its range found again there, or false, every field as it was, where that lattice does not hold.
     */
    private boolean relattice(int i, Set<String> figures, Map<String, java.util.TreeSet<Long>> compared, String why) {
        // A trial sets the period, direction and origin it samples on (accept sets the degree): put back where it fails.
        long period = this.period[i];
        int way = direction[i];
        long from = origin[i];
        LatticeSearch.Trial trial = period * 2 > Integer.MAX_VALUE ? null : search.attempt(i, period * 2, figures);
        if (trial == null || !trial.accepted()) {
            this.period[i] = period;
            direction[i] = way;
            origin[i] = from;
            return false;
        }
        search.accept(i, trial, why, figures);
        minK[i] = 0;
        maxK[i] = 0;
        belowMin[i] = "";
        aboveMax[i] = "";
        ranges.find(i, figures, compared);
        refusePointwise();
        return true;
    }

    /**
     * {@link Diagnostic#SIZE_CANNOT_VARY} for the sizes together, where the network does not exist at {@code e}'s grid point, then
     * {@code more}.
     */
    private Problem cannotVaryTogether(GridInterpolation.Missing e, String more) {
        SizeVariable first = spec.sizes().get(0);
        return new Problem(Diagnostic.SIZE_CANNOT_VARY, first.site(), first.name() + " together with "
                + String.join(" and ", spec.sizes().subList(1, n).stream().map(SizeVariable::name).toList()),
                "the network exists at each size alone on its lattice but not at " + describe(e.sizes) + ": " + e.reason + more,
                "remove one of them from @Model(sizes), or make the layer that breaks follow both sizes");
    }

    /**
     * What the maxima and the minimum are built of, at the declared sizes: the steps of the memory timeline and the inference memory
     * besides the peak (for the activation peak and the inference memory), each gathering layer's table and rows read and the bytes
     * moved besides them (for the bytes moved); and why either has no form, once known.
     */
    private static final class Parts {
        /** The steps of the memory timeline ({@link Probe#STEP}). */
        final List<String> steps;
        /** The steps and the inference memory besides the peak. */
        final List<String> peak;
        /** Each gathering layer's table and rows read ({@link Probe#GATHER}). */
        final List<String> gathered;
        /** Those and the bytes moved besides them. */
        final List<String> bytes;
        /** Whether a layer gathers weights by token ids, so that the bytes moved are a minimum. */
        final boolean gathering;
        /** Why the activation peak has no form, or null: an array of one, which the parts' interpolation sets ({@link ClosedForms#internalForms}). */
        final String[] noPeak;
        /** Why the bytes moved have no form, or null, the same way. */
        final String[] noBytes;
        /** Whether a step's live bytes take another form at a size's smallest ({@link ClosedForms#edgeForms}), which no size program solves. */
        boolean atEdges;

        Parts(Probe.Outcome base) {
            steps = base.figures().keySet().stream().filter(f -> f.startsWith(Probe.STEP)).toList();
            peak = base.figures().keySet().stream().filter(f -> f.startsWith(Probe.STEP) || f.equals(Probe.BESIDES_PEAK)).toList();
            gathered = base.figures().keySet().stream().filter(f -> f.startsWith(Probe.GATHER)).toList();
            bytes = base.figures().keySet().stream().filter(f -> f.startsWith(Probe.GATHER) || f.equals(Probe.BESIDES_GATHERS)).toList();
            gathering = base.figures().containsKey(Probe.BESIDES_GATHERS);
            noPeak = new String[] {steps.isEmpty() ? "is a maximum over the " + (base.figures().containsKey("PEAK_ACTIVATION_BYTES") ? "more than "
                    + Probe.MOST_STEPS + " steps of the memory timeline, too many to give a form" : "steps of the memory timeline, which is not computed")
                    + "; compile the model at the size wanted" : null};
            noBytes = new String[] {!gathering ? null : gathered.size() > 2 * MOST_GATHERS ? "takes the smaller of the table and the rows read for each of "
                    + gathered.size() / 2 + " layers that gather weights by token ids, too many to combine (at most " + MOST_GATHERS + ")" : null};
        }
    }

    /**
     * The pieces of forms of a model, ascending: each one's polynomials, the lattice steps it holds between, and the grid and first
     * steps its parts are interpolated on ({@link ClosedForms#internalForms}).
     */
    private static final class Pieces {
        final List<Map<String, Polynomial>> forms = new ArrayList<>();
        final List<long[]> bounds = new ArrayList<>();
        final List<int[]> grids = new ArrayList<>();
        final List<long[]> starts = new ArrayList<>();

        /** Puts a piece at index {@code at}. */
        void add(int at, Map<String, Polynomial> piece, long[] bound, int[] grid, long[] start) {
            forms.add(at, piece);
            bounds.add(at, bound);
            grids.add(at, grid);
            starts.add(at, start);
        }

        /** Removes the pieces from index {@code from} to {@code to}, exclusive. */
        void remove(int from, int to) {
            forms.subList(from, to).clear();
            bounds.subList(from, to).clear();
            grids.subList(from, to).clear();
            starts.subList(from, to).clear();
        }

        int size() {
            return forms.size();
        }
    }

    /**
     * The pieces of forms: the first holds from the smallest size; a model of one variable goes on past changes of form, above the
     * declared size's piece and below it.
     */
    private Pieces pieces(Probe.Outcome base, Map<String, Polynomial> polynomials, Set<String> figures, Map<String, java.util.TreeSet<Long>> compared,
            Parts parts) {
        Pieces pieces = new Pieces();
        // Each piece's grid of samples, where the steps' forms are interpolated: a step may grow with a size no other figure does
        // (an input held while only a slice of it is used), so one variable takes every sample of its lattice, and several at least two a variable.
        int[] stepGrid = new int[n];
        long[] stepStart = new long[n];
        for (int i = 0; i < n; i++) {
            stepGrid[i] = n == 1 ? SAMPLES - 1 : Math.max(degree[i], 1);
            stepStart[i] = direction[i] > 0 ? 0 : -stepGrid[i];
        }
        pieces.add(0, polynomials, new long[] {minK[0], maxK[0]}, stepGrid, stepStart);
        if (n > 1) {
            return pieces;
        }
        while (ranges.changed() && pieces.size() < MOST_PIECES) {
            Map<String, Polynomial> next = nextPiece(figures);
            if (next == null) {
                break;
            }
            long start = maxK[0] + 1;
            ranges.largest(0, figures, next, start + SAMPLES - 1);
            pieces.add(pieces.size(), next, new long[] {start, maxK[0]}, new int[] {SAMPLES - 1}, new long[] {start});
        }
        // And below the declared size's piece, where the forms change before the network ends (a declared length at a sliding window),
        // on a lattice of period 1 (no size program to lose to pieces), as long as a piece below keeps every figure the others have.
        while (period[0] == 1 && ranges.changedBelow() && pieces.size() < MOST_PIECES && piecesBelow(base, figures, pieces, parts)) {
            // one more piece below
        }
        if (pieces.size() > 1) {
            endAtBands(figures, pieces, compared.getOrDefault(spec.sizes().get(0).name(), new java.util.TreeSet<>()));
        }
        smallestAlone(base, parts.noPeak[0] == null ? parts.peak : List.of(), figures, pieces);
        return pieces;
    }

    /** Adds the piece below the first of a model of one variable; false where there is none, or it would lose a figure the others have. */
    private boolean piecesBelow(Probe.Outcome base, Set<String> figures, Pieces pieces, Parts parts) {
        Map<String, Polynomial> previous = previousPiece(figures);
        if (previous == null) {
            return false;
        }
        long end = minK[0] - 1;
        long start = end - (SAMPLES - 1);
        long keptMin = minK[0];
        String keptBelow = belowMin[0];
        Set<String> keptFigures = new LinkedHashSet<>(figures);
        Map<String, String> keptMissing = new LinkedHashMap<>(missing);
        ranges.bottom(0, previous, start, figures);
        int[] grid = {SAMPLES - 1};
        long[] from = {start};
        // Down to where the network ends, the steps' live bytes may take another form at its smallest size alone (the heads merged
        // back by a view at one position): smallestAlone settles that size once the pieces are known, as it does on the first piece.
        long[] bound = {!ranges.changedBelow() && minK[0] < start ? minK[0] + 1 : minK[0], end};
        boolean keeps = figures.equals(keptFigures)
                && (parts.noPeak[0] != null || keepsParts(base, parts.peak, grid, from, bound))
                && (!parts.gathering || parts.noBytes[0] != null || keepsParts(base, parts.bytes, grid, from, bound));
        restore(keptMissing);
        if (!keeps) {
            figures.clear();
            figures.addAll(keptFigures);
            minK[0] = keptMin;
            belowMin[0] = keptBelow;
            return false;
        }
        pieces.add(0, previous, new long[] {minK[0], end}, new int[] {SAMPLES - 1}, new long[] {start});
        return true;
    }

    /**
     * Pieces found past a change of form were sampled, not checked at the compared sizes ({@code sizes}): a band inside one (two
     * switches whose ranges overlap) ends the domain there, with the pieces beyond it.
     */
    private void endAtBands(Set<String> figures, Pieces pieces, java.util.TreeSet<Long> sizes) {
        int main = 0;
        while (main < pieces.size() && !(pieces.bounds.get(main)[0] <= 0 && 0 <= pieces.bounds.get(main)[1])) {
            main++;
        }
        for (int way : new int[] {-1, 1}) {
            for (int p = main + way; p >= 0 && p < pieces.size(); p += way) {
                PieceFailure failure = failsInPiece(pieces.forms.get(p), pieces.bounds.get(p), sizes, figures, way);
                if (failure == null) {
                    continue;
                }
                // The piece holds up to the failure (from it, going down); past it, no piece is kept.
                long[] bound = pieces.bounds.get(p);
                boolean keeps = way > 0 ? failure.step() > bound[0] : failure.step() < bound[1];
                if (keeps && way > 0) {
                    bound[1] = failure.step() - 1;
                } else if (keeps) {
                    bound[0] = failure.step() + 1;
                }
                int from = way < 0 ? 0 : keeps ? p + 1 : p;
                int to = way < 0 ? (keeps ? p : p + 1) : pieces.size();
                if (way < 0) {
                    minK[0] = keeps ? bound[0] : pieces.bounds.get(p + 1)[0];
                    belowMin[0] = failure.why();
                } else {
                    maxK[0] = keeps ? bound[1] : pieces.bounds.get(p - 1)[1];
                    aboveMax[0] = failure.why();
                }
                pieces.remove(from, to);
                if (way < 0) {
                    main -= to - from;
                }
                break;
            }
        }
    }

    /**
     * Each piece's closed forms: its polynomials' forms, and the maxima and the minimum built from their parts' forms, checked; a
     * figure that has no form on one piece has none on any.
     */
    private List<SizeForms.Piece> forms(Probe.Outcome base, Set<String> figures, Pieces pieces, Parts parts, List<String> names) {
        String[] noPeak = parts.noPeak;
        String[] noBytes = parts.noBytes;
        List<Map<String, ClosedForm>> pieceForms = new ArrayList<>();
        for (int p = 0; p < pieces.size(); p++) {
            Map<String, Polynomial> onPiece = new LinkedHashMap<>(pieces.forms.get(p));
            Map<String, List<Polynomial>> edges = new LinkedHashMap<>();
            Map<String, List<List<Polynomial>>> raised = new LinkedHashMap<>();
            if (noPeak[0] == null) {
                Map<String, Polynomial> part = internalForms(base, parts.peak, pieces.grids.get(p), pieces.starts.get(p), pieces.bounds.get(p), noPeak);
                if (part == null && edgesMayDiffer()) {
                    part = edgeForms(base, parts.peak, pieces.grids.get(p), pieces.starts.get(p), pieces.bounds.get(p), edges, raised);
                    noPeak[0] = part == null ? noPeak[0] : null;
                    parts.atEdges |= !edges.isEmpty() || !raised.isEmpty();
                }
                if (part != null) {
                    onPiece.putAll(part);
                }
            }
            if (parts.gathering && noBytes[0] == null) {
                Map<String, Polynomial> part = internalForms(base, parts.bytes, pieces.grids.get(p), pieces.starts.get(p), pieces.bounds.get(p), noBytes);
                if (part != null) {
                    onPiece.putAll(part);
                }
            }
            long[] lows = lattices.sizes(minK);
            long[] highs = lattices.sizes(maxK);
            if (n == 1) {
                lows = lattices.sizes(new long[] {pieces.bounds.get(p)[0]});
                highs = lattices.sizes(new long[] {pieces.bounds.get(p)[1]});
            }
            Map<String, ClosedForm> piece = new LinkedHashMap<>();
            // Steps of equal live bytes share one form, the same instance (internalForms): distinct() weighs each form once.
            for (String figure : base.figures().keySet()) {
                if (figures.contains(figure) && !internal(figure)) {
                    piece.put(figure, onPiece.get(figure).form(figure, names));
                } else if (figure.equals("PEAK_ACTIVATION_BYTES") && noPeak[0] == null) {
                    piece.put(figure, Extrema.ofParts(figure, stepParts(parts.steps, onPiece, edges, raised), names, lows, highs, false));
                } else if (figure.equals("INFERENCE_MEMORY_BYTES") && noPeak[0] == null && onPiece.containsKey(Probe.BESIDES_PEAK)) {
                    Polynomial besides = onPiece.get(Probe.BESIDES_PEAK);
                    piece.put(figure, Extrema.ofParts(figure, stepParts(parts.steps, onPiece, edges, raised).stream()
                            .map(part -> part.stream().map(form -> form.plus(besides)).toList()).toList(), names, lows, highs, false));
                } else if (figure.equals("BYTES_MOVED") && parts.gathering && noBytes[0] == null) {
                    piece.put(figure, Extrema.of(figure, gatherings(parts.gathered, onPiece::get, Polynomial::plus), names, lows, highs, true));
                }
            }
            checkExtrema(piece, pieces.bounds.get(p));
            pieceForms.add(piece);
        }
        // A maximum or minimum that has no form on one piece has none on any.
        for (String figure : EXTREMA) {
            if (base.figures().containsKey(figure) && (parts.gathering || !figure.equals("BYTES_MOVED"))
                    && pieceForms.stream().anyMatch(piece -> !piece.containsKey(figure))) {
                pieceForms.forEach(piece -> piece.remove(figure));
                missing.putIfAbsent(figure, figure.equals("BYTES_MOVED") ? noBytes[0] : noPeak[0] != null ? noPeak[0]
                        : "is the activation peak plus weights, buffers and KV cache, whose sum " + missing.getOrDefault(Probe.BESIDES_PEAK, "is not computed"));
            }
        }
        // A figure with a form on some pieces only has none: at(...) gives every figure it has on every piece.
        for (Map<String, ClosedForm> piece : pieceForms) {
            for (String figure : List.copyOf(piece.keySet())) {
                if (pieceForms.stream().anyMatch(other -> !other.containsKey(figure))) {
                    pieceForms.forEach(other -> other.remove(figure));
                    missing.putIfAbsent(figure, "has a closed form on some pieces of sizes only; compile the model at the size wanted");
                }
            }
        }
        missing.keySet().removeIf(ClosedForms::internal);
        List<SizeForms.Piece> forms = new ArrayList<>();
        for (int p = 0; p < pieces.size(); p++) {
            forms.add(new SizeForms.Piece(fallback[0] + period[0] * pieces.bounds.get(p)[0], fallback[0] + period[0] * pieces.bounds.get(p)[1],
                    pieceForms.get(p)));
        }
        return forms;
    }

    /** Drops the forms of the figures the size program cannot give: at(...) gives every figure of Figures at every size. */
    private void dropUnprogrammed(OffLattice.Result program, List<SizeForms.Piece> forms) {
        if (program.dropped().isEmpty()) {
            return;
        }
        Map<String, ClosedForm> kept = new LinkedHashMap<>(forms.get(0).forms());
        program.dropped().forEach((figure, why) -> {
            kept.remove(figure);
            missing.put(figure, whyUnprogrammed(figure, why));
        });
        forms.set(0, new SizeForms.Piece(forms.get(0).from(), forms.get(0).to(), kept));
    }

    /** Why a figure the size program leaves out ({@code why}, the program's reason) has no form. */
    private static String whyUnprogrammed(String figure, String why) {
        String maximum = figure.equals("PEAK_ACTIVATION_BYTES") ? "is a maximum over the steps of the memory timeline, "
                : figure.equals("INFERENCE_MEMORY_BYTES") ? "is the activation peak plus weights, buffers and KV cache, a maximum over the steps of the memory timeline, "
                : null;
        if (why.equals(SizeProgramSearch.AT_EDGES)) {
            return maximum + SizeProgramSearch.AT_EDGES;
        }
        String what;
        if (maximum != null) {
            what = maximum + "some of whose live bytes are ";
        } else if (figure.equals(OffLattice.DROPPABLE)) {
            what = "is each layer's MACs over its length rounded down, which is ";
        } else {
            what = "follows its tool's rule, which is ";
        }
        return what + "no linear combination of the products of the tensors' sizes off the lattice: the model " + why + "; compile the model at the size wanted";
    }

    /**
     * Where figures of a model of one variable take another form at its smallest size alone: at one position PyTorch counts a
     * transposed tensor contiguous and views what it copies at more (the heads of attention merged back,
     * {@code .transpose(1, 2).reshape(...)}), so that a step holds one tensor less at L = 1 than its form above gives, and a layer
     * saves the tensor another saves too rather than its own copy. Where the maxima the steps' forms give are still the peak and the
     * inference memory there, the steps are not checked at that size ({@link #uncheckedSteps}; {@link #checkExtrema} checks the
     * maxima). Where they are not, or a training step's figure was dropped there alone on a lattice of every size (its form holding
     * at every other size analysed in the piece), that size takes a piece of its own, whose figures are the first piece's forms, which hold there, and the values
     * analysed there of the others. Nothing changes where every form holds on the whole first piece, or fails above its smallest
     * size too.
     */
    private void smallestAlone(Probe.Outcome base, List<String> peakParts, Set<String> figures, Pieces pieces) {
        long[] first = pieces.bounds.get(0);
        long low = first[0];
        if (first[1] <= low) {
            return;
        }
        long[] at = lattices.sizes(new long[] {low});
        Probe.Outcome smallest = probe.at(at);
        if (!smallest.exists()) {
            return;
        }
        long[] above = {low + 1, first[1]};
        // trials: what they would note as missing is noted again where the forms are built
        Map<String, String> noted = new LinkedHashMap<>(missing);
        Map<String, Polynomial> recovered = recovered(at, above);
        boolean peak = !peakParts.isEmpty()
                && internalForms(base, peakParts, pieces.grids.get(0), pieces.starts.get(0), first, new String[1]) == null;
        restore(noted);
        long[] start = pieces.starts.get(0);
        if (peak) {
            probe.at(lattices.sizes(new long[] {low + 1}));
            // interpolated above the smallest size, where the samples start there (a model declared at it)
            start = pieces.starts.get(0)[0] <= low ? new long[] {low + 1} : pieces.starts.get(0);
            Map<String, Polynomial> parts = internalForms(base, peakParts, pieces.grids.get(0), start, above, new String[1]);
            restore(noted);
            if (!smallest.figures().keySet().containsAll(peakParts) || parts == null) {
                return;
            }
            pieces.starts.set(0, start);
            boolean maximaHold = largestAt(parts, null, at, smallest, "PEAK_ACTIVATION_BYTES")
                    && largestAt(parts, parts.get(Probe.BESIDES_PEAK), at, smallest, "INFERENCE_MEMORY_BYTES");
            if (maximaHold) {
                uncheckedSteps = low;
                peak = false;
            }
        }
        if (!peak && recovered.isEmpty()) {
            return;
        }
        uncheckedSteps = Long.MIN_VALUE;
        Map<String, Polynomial> abovePiece = new LinkedHashMap<>(pieces.forms.get(0));
        abovePiece.putAll(recovered);
        Map<String, Polynomial> lowPiece = new LinkedHashMap<>(pieces.forms.get(0));
        lowPiece.putAll(lattices.grid(probe).interpolate(new int[] {0}, new long[] {low}, recovered.keySet()));
        figures.addAll(recovered.keySet());
        missing.keySet().removeAll(recovered.keySet());
        pieces.forms.set(0, abovePiece);
        pieces.bounds.set(0, above);
        pieces.add(0, lowPiece, new long[] {low, low}, new int[] {0}, new long[] {low});
    }

    /**
     * The training step's figures dropped at the smallest size {@code at} alone, with their forms on the first piece's lattice
     * samples, where those forms hold at every other size analysed in {@code above}.
     */
    private Map<String, Polynomial> recovered(long[] at, long[] above) {
        // A training step's figures (a layer saving another's tensor rather than its copy), on a lattice of every size, where no size
        // program is lost to pieces; a counter's figure that changes there (its tool's kernel at one position) stays without a form.
        Set<String> candidates = new LinkedHashSet<>();
        droppedAt.forEach((figure, where) -> {
            if (Arrays.equals(where, at) && period[0] == 1 && TRAINING_FIGURES.stream().anyMatch(figure::startsWith)) {
                candidates.add(figure);
            }
        });
        if (candidates.isEmpty()) {
            return Map.of();
        }
        probe.at(lattices.sizes(new long[] {above[0]}));
        Map<String, Polynomial> forms;
        try {
            forms = lattices.grid(probe).interpolate(degree, origin, candidates);
        } catch (GridInterpolation.Absent | GridInterpolation.Missing e) {
            return Map.of();
        }
        Map<String, Polynomial> holding = new LinkedHashMap<>();
        for (String figure : candidates) {
            Polynomial form = forms.get(figure);
            boolean holds = form != null;
            for (Map.Entry<long[], Probe.Outcome> known : analysedIn(above)) {
                Long actual = known.getValue().figures().get(figure);
                holds &= actual != null && form.matches(actual, known.getKey());
            }
            if (holds) {
                holding.put(figure, form);
            }
        }
        return holding;
    }

    /** The prefixes of a training step's figures. */
    private static final List<String> TRAINING_FIGURES = List.of("SAVED_", "TRAINING_", "GRADIENT_", "OPTIMIZER_");

    /** Puts back what {@link #missing} held before a trial. */
    private void restore(Map<String, String> noted) {
        missing.clear();
        missing.putAll(noted);
    }

    /**
     * Whether the largest of the steps' forms, each plus {@code besides} where given, is {@code figure} as analysed at {@code sizes};
     * true where the figure or a part is not there.
     */
    private static boolean largestAt(Map<String, Polynomial> parts, Polynomial besides, long[] sizes, Probe.Outcome outcome, String figure) {
        Long actual = outcome.figures().get(figure);
        if (actual == null || figure.equals("INFERENCE_MEMORY_BYTES") && besides == null) {
            return true;
        }
        Fraction largest = null;
        for (Map.Entry<String, Polynomial> part : parts.entrySet()) {
            if (part.getKey().startsWith(Probe.STEP)) {
                Fraction value = besides == null ? part.getValue().at(sizes) : part.getValue().plus(besides).at(sizes);
                largest = largest == null || value.minus(largest).signum() > 0 ? value : largest;
            }
        }
        return largest != null && largest.is(actual);
    }

    /**
     * Refuses a model whose expressions test a size variable where it changes at single sizes on its lattice: a remainder whose
     * divisor does not divide the lattice's period, an equality with a number on the lattice within its domain, where the domain
     * reaches past the sizes at which every test is evaluated ({@link Thresholds#turnsOfEvaluated}). Forms fitted on the samples
     * would be wrong there, and the checks can miss it.
     *
     * @throws Problem {@link Diagnostic#NO_CLOSED_FORM} on the variable tested
     */
    private void refusePointwise() {
        for (Thresholds.Pointwise test : Thresholds.pointwise(spec)) {
            int i = spec.sizes().stream().map(SizeVariable::name).toList().indexOf(test.variable());
            if (i < 0) {
                continue;
            }
            long low = fallback[i] + period[i] * minK[i];
            long high = fallback[i] + period[i] * maxK[i];
            boolean lands = test.modulus() > 0 ? period[i] % test.modulus() != 0
                    : test.equalTo() >= low && test.equalTo() <= high && Math.floorMod(test.equalTo() - fallback[i], period[i]) == 0;
            // Up to Thresholds.FOLLOWED the test was evaluated at every size of the lattice, and the range ends where it changes a form.
            if (lands && high > Thresholds.FOLLOWED) {
                SizeVariable variable = spec.sizes().get(i);
                throw new Problem(Diagnostic.NO_CLOSED_FORM, variable.site(), variable.name(), "with " + test.text(),
                        "it changes at single sizes of the lattice " + fallback[i] + " + " + period[i] + "\u00b7k, which can fall between every size "
                        + "the forms are sampled and checked at (a comparison such as " + variable.name() + " > 100, a remainder by "
                        + Thresholds.SMALL_MODULUS + " or less or by a divisor of the period, or a number off the lattice, is followed, and so is "
                        + "this test where the forms' range ends by " + String.format(java.util.Locale.ROOT, "%,d", Thresholds.FOLLOWED) + ")",
                        variable.name());
            }
        }
    }

    /**
     * Refuses a model of several size variables with a test that equates sizes of two of them ({@code x.H - x.W != 16}): it turns
     * along a line of sizes through the lattice alone, between every size the forms are sampled and checked at, where the forms, of
     * one piece in several variables, would be wrong ({@link ShapeRules.Joint}); and one that compares them in a way that can turn
     * inside a box whose corners and edges hold ({@link HiddenTurns#find}); and a layer's attribute of several of them that
     * moves both ways with one, which can fall to 0 inside the box ({@link HiddenTurns#FALLS_BETWEEN}), or that takes 0 and
     * moves both ways as no sum or product of parts of one size does ({@link HiddenTurns#JOINTLY_BETWEEN}).
     *
     * @throws Problem {@link Diagnostic#NO_CLOSED_FORM} on the first variable the test or the attribute reads
     */
    private void refuseJoint() {
        long[] lows = new long[n];
        for (int i = 0; i < n; i++) {
            lows[i] = fallback[i] + period[i] * minK[i];
        }
        HiddenTurns.Hidden hidden = HiddenTurns.find(spec, probe::inputAxes, lows);
        if (hidden != null && hidden.value()) {
            List<String> read = hidden.variables();
            SizeVariable variable = spec.sizes().stream().filter(v -> v.name().equals(read.get(0))).findFirst().orElseThrow();
            throw new Problem(Diagnostic.NO_CLOSED_FORM, variable.site(), variable.name(), "with " + hidden.where(), "its value, " + hidden.why(),
                    String.join(" and ", read));
        }
        if (hidden != null) {
            // the batch and a block's parameter are no tensor's axis, so that the shape rules, which find an equality of tensors' sizes,
            // do not see it; nor do they find a test that turns inside a box of sizes
            // named on the first variable the test reads; the fix removes the others, which it compares with that one
            List<String> read = hidden.variables();
            SizeVariable variable = spec.sizes().stream().filter(v -> v.name().equals(read.get(0))).findFirst().orElseThrow();
            String remove = String.join(" and ", read.subList(1, read.size()));
            throw new Problem(Diagnostic.NO_CLOSED_FORM, variable.site(), variable.name(), "with " + hidden.where(),
                    "it compares sizes that follow " + String.join(" and ", read) + " together, " + hidden.why(), remove);
        }
        if (n < 2 || !testsSizes()) {
            return;
        }
        ShapeRules.Joint joint = followed().joint();
        if (joint == null) {
            return;
        }
        List<String> names = spec.sizes().stream().map(SizeVariable::name).toList();
        SizeVariable variable = spec.sizes().get(names.indexOf(joint.variables.get(0)));
        String others = String.join(" and ", joint.variables.subList(1, joint.variables.size()));
        throw new Problem(Diagnostic.NO_CLOSED_FORM, variable.site(), variable.name(), "with " + joint.test,
                "it compares sizes that follow " + String.join(" and ", joint.variables) + " together, " + Monotone.ON_A_LINE, others);
    }

    /** Whether the model tests a tensor's size ({@link ShapeRules#testsSizes}). */
    private boolean testsSizes() {
        return ShapeRules.testsSizes(nodes);
    }

    /**
     * The layers that take some sizes only of an axis they drop, where an attribute reads it ({@link ShapeRules.DroppedGap}): none
     * where no layer's attributes read a size, without following the sizes.
     */
    private List<ShapeRules.DroppedGap> gaps() {
        return ShapeRules.readsAxes(nodes) ? followed().gaps() : List.of();
    }

    /** The model's sizes followed through its layers' shape rules, or why not; found once. */
    private ShapeRules.Followed followed() {
        if (followed == null) {
            followed = ShapeRules.Followed.of(declared);
        }
        return followed;
    }

    /**
     * The forms of one group of the figures a maximum or minimum is built of on one piece (the
     * steps' live bytes and the inference memory besides the peak; or the gathering layers' tables
     * and reads and the bytes moved besides them): interpolated on the piece's grid of samples
     * (analysed already), then checked at every size analysed in the piece's domain. Where one
     * fails, {@code why[0]} says why and the result is null; the inference memory besides the peak
     * alone is left out where it fails, with why in {@link #missing}.
     */
    private Map<String, Polynomial> internalForms(Probe.Outcome base, List<String> group, int[] grid, long[] start, long[] bounds, String[] why) {
        boolean peak = group.stream().anyMatch(f -> f.startsWith(Probe.STEP));
        String what = peak ? "is a maximum over the steps of the memory timeline, " : "takes the smaller of the table and the rows read for each "
                + "layer that gathers weights by token ids, ";
        // Each grid point was analysed for the other figures; a figure it lacks (its timeline differs) has no form.
        for (long[] sizes : lattices.grid(probe).sizes(grid, start)) {
            Map<String, Long> there = probe.at(sizes).figures();
            if (there == null || !there.keySet().containsAll(group)) {
                why[0] = what + "whose parts are not all computed at " + describe(sizes) + "; compile the model at the size wanted";
                return null;
            }
        }
        // Parts equal at every size analysed (the steps of repeated blocks) have one form and fail the same checks: one stands for all.
        Map<String, String> standsFor = representatives(group);
        Map<String, Polynomial> forms = lattices.grid(probe).interpolate(grid, start, new LinkedHashSet<>(standsFor.values()));
        long steps = steps(base);
        for (Map.Entry<long[], Probe.Outcome> known : analysedIn(bounds)) {
            long[] sizes = known.getKey();
            if (peak && n == 1 && (sizes[0] - fallback[0]) / period[0] == uncheckedSteps) {
                continue;
            }
            if (peak && steps(known.getValue()) != steps) {
                why[0] = what + "which has " + steps(known.getValue()) + " steps at " + describe(sizes) + ", not the " + steps
                        + " at the declared sizes (a repetition, or a @When, that follows the sizes); compile the model at the size wanted";
                return null;
            }
            for (String figure : List.copyOf(forms.keySet())) {
                Long actual = known.getValue().figures().get(figure);
                if (actual == null || !forms.get(figure).matches(actual, sizes)) {
                    String at = (actual == null ? "not computed at " : "of another form at ") + describe(sizes);
                    if (figure.equals(Probe.BESIDES_PEAK)) {
                        forms.remove(figure);
                        missing.putIfAbsent(figure, "is " + at);
                        continue;
                    }
                    why[0] = what + "whose " + part(figure) + " " + (figure.startsWith(Probe.STEP) ? "are" : "is") + " " + at;
                    return null;
                }
            }
        }
        Map<String, Polynomial> all = new LinkedHashMap<>();
        standsFor.forEach((figure, representative) -> {
            if (forms.containsKey(representative)) {
                all.put(figure, forms.get(representative));
            }
        });
        return all;
    }

    /**
     * Whether steps' live bytes may take another form at a variable's smallest size and the forms still hold there with
     * {@link #edgeForms}: a model of several variables (one variable's forms change piece by piece instead, {@link #smallestAlone}).
     */
    private boolean edgesMayDiffer() {
        return n > 1;
    }

    /**
     * The steps' forms where some take another form at a variable's smallest size {@code m_i}, where a tensor's axis is 1: a
     * transposed tensor with an axis of 1 is contiguous, so that PyTorch copies nothing there (matmul's copy of the heads of
     * {@code q.transpose(1, 2)} at a batch or a length of 1; the patches of a DiT put back where its latent is one patch wide), or
     * views what it copies elsewhere, keeping a larger tensor alive. Each part's form {@code G} is interpolated on the grid moved up
     * by one lattice step from every smallest size. Each set {@code S} of variables at their smallest sizes together is a face (one
     * variable's, or where faces meet: for two variables the one size where both are smallest, where a sequence of their product is
     * one token long); the part's form {@code E_S} there is interpolated on the face's own grid (the face's far corner analysed too).
     * Where {@code E_S} is neither {@code G} nor the form of a smaller set's face there, {@code D = E_S − G} on the face depends on
     * the other variables only; with {@code t = Σ_{i∈S} (x_i − m_i)/p_i} ({@code p_i} the lattice's period: 0 on the face, a whole
     * number of lattice steps, at least 1, off it): where {@code D ≤ 0} over the box (the live bytes fall there),
     * {@code H_S = G + D·(1 − t)} is {@code E_S} on the face and at least {@code G} off it; where {@code D ≥ 0} and
     * {@code E_S ≥ 0} (they rise), {@code R_S = E_S·(1 − t)} is {@code E_S} on the face and at most 0 off it. A form {@code R_T}
     * that rose on a smaller set's face {@code T} and lies above {@code E_S} on {@code S} takes the correction
     * {@code R_T + (E_S − E_T)·(1 − t_{S∖T})}, {@code E_S} on {@code S}, at least {@code R_T} elsewhere on {@code T}'s face and at
     * most 0 off it, as {@code R_T} is (the live bytes rise
     * where the input is one window wide and fall back where the batch is 1 too). The part is then the largest of
     * {@code min(G, H_S, …)} and each {@code min(R_T, corrections …)}; on each face of several variables, off the faces of more, it
     * is proven to be {@code E} there (every such smallest at most {@code E}, one at least {@code E}), and it must equal the model at
     * every size analysed in the domain, the faces' included. A variable whose domain is too short for a grid above its smallest is
     * no face, and the forms hold at its smallest. Null, with {@code edges} and {@code raised} empty, where any of it fails, or where the inference memory besides the
     * peak would need such a part.
     */
    private Map<String, Polynomial> edgeForms(Probe.Outcome base, List<String> group, int[] grid, long[] start, long[] bounds,
            Map<String, List<Polynomial>> edges, Map<String, List<List<Polynomial>>> raised) {
        long[] lows = lattices.sizes(minK);
        long[] highs = lattices.sizes(maxK);
        // A variable is a face where its grid fits a lattice step above its smallest; G then holds at the smallest of the others.
        long[] inner = start.clone();
        int faceable = 0;
        for (int i = 0; i < n; i++) {
            long above = Math.max(start[i], minK[i] + 1);
            if (above + grid[i] <= maxK[i]) {
                inner[i] = above;
                faceable |= 1 << i;
            }
        }
        if (faceable == 0) {
            return null;
        }
        for (long[] sizes : lattices.grid(probe).sizes(grid, inner)) {
            Map<String, Long> there = probe.at(sizes).figures();
            if (there == null || !there.keySet().containsAll(group)) {
                return null;
            }
        }
        // Faces by the set of variables at their smallest, larger sets after smaller ones.
        List<Integer> faces = new ArrayList<>();
        for (int face = 1; face < 1 << n; face++) {
            if ((face & ~faceable) == 0) {
                faces.add(face);
            }
        }
        faces.sort(java.util.Comparator.comparingInt(Integer::bitCount));
        Map<Integer, int[]> faceGrids = new LinkedHashMap<>();
        Map<Integer, long[]> faceStarts = new LinkedHashMap<>();
        for (int face : faces) {
            int[] onFace = grid.clone();
            long[] from = inner.clone();
            long[] far = highs.clone();
            for (int i = 0; i < n; i++) {
                if ((face >> i & 1) == 1) {
                    onFace[i] = 0;
                    from[i] = minK[i];
                    far[i] = lows[i];
                }
            }
            faceGrids.put(face, onFace);
            faceStarts.put(face, from);
            // checked besides, where the network exists with every part: the face's far corner, the other sizes at their largest
            probe.at(far);
        }
        Map<String, String> standsFor = representatives(group);
        Set<String> parts = new LinkedHashSet<>(standsFor.values());
        Map<String, Polynomial> forms = lattices.grid(probe).interpolate(grid, inner, parts);
        Map<Integer, Map<String, Polynomial>> onFaces = new LinkedHashMap<>();
        for (int face : faces) {
            for (long[] sizes : lattices.grid(probe).sizes(faceGrids.get(face), faceStarts.get(face))) {
                Map<String, Long> there = probe.at(sizes).figures();
                if (there == null || !there.keySet().containsAll(group)) {
                    return null;
                }
            }
            onFaces.put(face, lattices.grid(probe).interpolate(faceGrids.get(face), faceStarts.get(face), parts));
        }
        Map<String, FaceParts> byPart = new LinkedHashMap<>();
        for (String figure : parts) {
            Map<Integer, Polynomial> onEachFace = new LinkedHashMap<>();
            faces.forEach(face -> onEachFace.put(face, onFaces.get(face).get(figure)));
            FaceParts part = FaceParts.of(forms.get(figure), onEachFace, faceable, figure.equals(Probe.BESIDES_PEAK), lows, highs, period);
            if (part == null) {
                return null;
            }
            byPart.put(figure, part);
        }
        long steps = steps(base);
        for (Map.Entry<long[], Probe.Outcome> known : analysedIn(bounds)) {
            long[] sizes = known.getKey();
            if (steps(known.getValue()) != steps) {
                return null;
            }
            for (String figure : parts) {
                Long actual = known.getValue().figures().get(figure);
                if (actual == null || byPart.get(figure).at(sizes).minus(Fraction.of(actual)).signum() != 0) {
                    return null;
                }
            }
        }
        Map<String, Polynomial> all = new LinkedHashMap<>();
        standsFor.forEach((figure, representative) -> {
            all.put(figure, forms.get(representative));
            FaceParts part = byPart.get(representative);
            if (part.falling().size() > 1) {
                edges.put(figure, part.falling());
            }
            if (!part.rising().isEmpty()) {
                raised.put(figure, part.rising());
            }
        });
        return all;
    }

    /**
     * The parts of the activation peak's maximum on a piece: each step's form, or the smallest of its forms where its live bytes
     * fall at a size's smallest ({@code edges}), and, as parts of their own, each smallest of a form where they rise there and its
     * corrections ({@code raised}).
     * Steps of equal live bytes share one form, the same instance: the parts are distinct.
     */
    private static List<List<Polynomial>> stepParts(List<String> steps, Map<String, Polynomial> onPiece, Map<String, List<Polynomial>> edges,
            Map<String, List<List<Polynomial>>> raised) {
        List<List<Polynomial>> parts = new ArrayList<>();
        for (String step : steps) {
            parts.add(edges.getOrDefault(step, List.of(onPiece.get(step))));
            parts.addAll(raised.getOrDefault(step, List.of()));
        }
        return parts.stream().distinct().toList();
    }

    /**
     * Each figure of a group, in order, with the first figure of the group whose value equals its own at every size analysed so
     * far; the inference memory besides the peak stands for itself, as its failure is told apart.
     */
    private Map<String, String> representatives(List<String> group) {
        List<Map<String, Long>> analysed = probe.known().values().stream().filter(Probe.Outcome::exists).map(Probe.Outcome::figures).toList();
        Map<List<Long>, String> first = new HashMap<>();
        Map<String, String> standsFor = new LinkedHashMap<>();
        for (String figure : group) {
            if (figure.equals(Probe.BESIDES_PEAK)) {
                standsFor.put(figure, figure);
                continue;
            }
            List<Long> values = new ArrayList<>(analysed.size());
            analysed.forEach(figures -> values.add(figures.get(figure)));
            standsFor.put(figure, first.computeIfAbsent(values, v -> figure));
        }
        return standsFor;
    }

    /**
     * Whether a group of the parts of a maximum or minimum has every form, the inference memory besides the peak included, on a piece
     * below the declared size (the forms are found again with the piece's others; what this finds is not kept).
     */
    private boolean keepsParts(Probe.Outcome base, List<String> group, int[] grid, long[] start, long[] bounds) {
        Map<String, Polynomial> forms = internalForms(base, group, grid, start, bounds, new String[1]);
        return forms != null && forms.keySet().containsAll(group);
    }

    /** A part of a maximum or minimum, for messages. */
    private String part(String figure) {
        if (figure.startsWith(Probe.STEP)) {
            return "live bytes while " + stepPath(Integer.parseInt(figure.substring(Probe.STEP.length()))) + " runs";
        }
        return gatherPart(figure);
    }

    /** A part of the bytes moved where layers gather weights by token ids ({@link Probe#GATHER}), for messages; other figures as they are. */
    static String gatherPart(String figure) {
        if (figure.startsWith(Probe.GATHER)) {
            String rest = figure.substring(Probe.GATHER.length());
            return rest.startsWith("table ") ? "table of " + rest.substring("table ".length()) : "rows " + rest.substring("reads ".length()) + " reads";
        }
        return figure;
    }

    /**
     * The bytes moved as the parts of a minimum: for each choice, per gathering layer, of its table or its rows read, the bytes moved
     * besides them ({@link Probe#BESIDES_GATHERS}) plus the chosen ones, each part's figure as {@code part} gives it (a form, a
     * program's coefficients) and summed by {@code plus}.
     */
    static <T> List<T> gatherings(List<String> gathered, java.util.function.Function<String, T> part, java.util.function.BinaryOperator<T> plus) {
        List<String> tables = gathered.stream().filter(f -> f.startsWith(Probe.GATHER + "table ")).toList();
        List<T> parts = new ArrayList<>();
        for (int choice = 0; choice < 1 << tables.size(); choice++) {
            T sum = part.apply(Probe.BESIDES_GATHERS);
            for (int g = 0; g < tables.size(); g++) {
                String table = tables.get(g);
                String reads = Probe.GATHER + "reads " + table.substring((Probe.GATHER + "table ").length());
                sum = plus.apply(sum, part.apply((choice >> g & 1) == 1 ? table : reads));
            }
            parts.add(sum);
        }
        return parts;
    }

    /** The most layers gathering weights by token ids whose bytes moved combine into a minimum (2^n parts before pruning). */
    static final int MOST_GATHERS = 6;

    /** How many steps of the memory timeline an outcome has. */
    private static long steps(Probe.Outcome outcome) {
        return outcome.figures().keySet().stream().filter(f -> f.startsWith(Probe.STEP)).count();
    }

    /** The path of step {@code s} of the memory timeline at the declared sizes, for messages. */
    private String stepPath(int s) {
        return declaredLiveness.stepPaths().get(s);
    }

    /**
     * Checks the maxima and minima of a piece against every size analysed so far that lies in its
     * domain (their parts' forms were checked one by one; this checks their maximum is the peak the
     * processor computes, their minimum the bytes moved); one that differs anywhere is dropped, with
     * the size.
     */
    private void checkExtrema(Map<String, ClosedForm> piece, long[] bounds) {
        for (Map.Entry<long[], Probe.Outcome> known : analysedIn(bounds)) {
            long[] sizes = known.getKey();
            for (String figure : EXTREMA) {
                ClosedForm form = piece.get(figure);
                Long actual = known.getValue().figures().get(figure);
                if (form != null && actual != null && !form.exact(sizes).equals(BigInteger.valueOf(actual))) {
                    piece.remove(figure);
                    missing.put(figure, "is " + String.format(Locale.ROOT, "%,d", actual) + " at " + describe(sizes) + ", not the "
                            + String.format(Locale.ROOT, "%,d", form.exact(sizes)) + " its form gives");
                }
            }
        }
    }

    /**
     * Every size analysed so far at which the network exists, in the domain and, for a model of one
     * variable, in the piece from lattice step {@code bounds[0]} to {@code bounds[1]}, with what it gave, nearest the declared sizes
     * first.
     */
    private List<Map.Entry<long[], Probe.Outcome>> analysedIn(long[] bounds) {
        List<Map.Entry<long[], Probe.Outcome>> analysed = new ArrayList<>();
        for (Map.Entry<List<Long>, Probe.Outcome> known : probe.known().entrySet()) {
            long[] sizes = known.getKey().stream().mapToLong(Long::longValue).toArray();
            long k = (sizes[0] - fallback[0]) / period[0];
            if (known.getValue().exists() && lattices.inDomain(sizes) && (n > 1 || k >= bounds[0] && k <= bounds[1])) {
                analysed.add(Map.entry(sizes, known.getValue()));
            }
        }
        // Nearest the declared sizes first, so that a check that fails names the size nearest them where it does.
        analysed.sort(java.util.Comparator.<Map.Entry<long[], Probe.Outcome>>comparingLong(e -> lattices.distance(e.getKey()))
                .thenComparing(Map.Entry::getKey, Arrays::compare));
        return analysed;
    }

    /** The figures that are a maximum over the steps of the memory timeline. */
    static final List<String> MAXIMA = List.of("PEAK_ACTIVATION_BYTES", "INFERENCE_MEMORY_BYTES");
    /** The figures built as a maximum or a minimum of others' forms. */
    private static final List<String> EXTREMA = List.of("BYTES_MOVED", "PEAK_ACTIVATION_BYTES", "INFERENCE_MEMORY_BYTES");

    /** Whether a figure is one the forms are built from, with no constant of its own: a step's live bytes, the inference memory besides the peak. */
    static boolean internal(String figure) {
        return figure.startsWith(Probe.STEP) || figure.equals(Probe.BESIDES_PEAK) || figure.startsWith(Probe.GATHER) || figure.equals(Probe.BESIDES_GATHERS);
    }

    /**
     * Whether a figure must have a closed form: the counts of the forward pass, sums of products of
     * sizes by their definitions (MACs, FLOPs, parameters, buffers, other ops, the KV cache, the
     * weight bytes, the output's dimensions). Figures whose definitions take a maximum, a minimum or a
     * quotient may have none: {@code BYTES_MOVED} (an embedding reads at most its table),
     * {@code DECODE_MACS} (a layer's MACs over its length, rounded down, for one position), the
     * activation peak, and the memory and training figures built on it; and the counters' figures,
     * which follow each tool's rules, not the network's definition.
     */
    static boolean required(String figure) {
        return !internal(figure) && !Probe.COUNTERS.contains(figure) && !figure.equals("BYTES_MOVED") && !figure.equals("DECODE_MACS") && !figure.contains("MEMORY") && !figure.startsWith("PEAK_") && !figure.startsWith("TRAINING_")
                && !figure.startsWith("SAVED_") && !figure.startsWith("GRADIENT_") && !figure.startsWith("OPTIMIZER_");
    }

    /**
     * The forms of the piece that starts after the last one ends (a model of one variable): samples
     * from the first step past it, every kept figure a polynomial of degree {@value #SAMPLES} − 2 or
     * less there; optional figures that are not are dropped. Null where the network ends within the
     * samples or a required figure is no such polynomial: the domain then ends with the last piece.
     */
    private Map<String, Polynomial> nextPiece(Set<String> figures) {
        long start = maxK[0] + 1;
        if (fallback[0] + period[0] * (start + SAMPLES) > Integer.MAX_VALUE) {
            return null;
        }
        return piece(start, lattices.at(0, start + SAMPLES), "past " + describe(lattices.at(0, start - 1)), figures, true);
    }

    /**
     * The forms of the piece just below the lowest so far, interpolated on the {@value #SAMPLES} lattice
     * steps under it and checked one step further down where their degree needs it; null where the
     * network does not exist at those steps or a figure is no polynomial there (a piece below drops
     * nothing the declared size's piece has).
     */
    private Map<String, Polynomial> previousPiece(Set<String> figures) {
        long start = minK[0] - SAMPLES;
        if (fallback[0] + period[0] * start < 1) {
            return null;
        }
        long[] further = fallback[0] + period[0] * (start - 1) >= 1 ? lattices.at(0, start - 1) : null;
        return piece(start, further, "below " + describe(lattices.at(0, start + SAMPLES)), figures, false);
    }

    /**
     * The forms on the {@value #SAMPLES} lattice steps of variable 0 from {@code start}, each of degree
     * {@value #SAMPLES} − 2 checked at {@code further} (null where no size is there); null where the
     * network does not exist at those steps, or a required figure (any figure, unless {@code dropOptional})
     * is no polynomial there. An optional figure that is none is dropped, with why.
     */
    private Map<String, Polynomial> piece(long start, long[] further, String where, Set<String> figures, boolean dropOptional) {
        Map<String, Polynomial> forms;
        try {
            forms = interpolate(new int[] {SAMPLES - 1}, new long[] {start}, figures);
        } catch (GridInterpolation.Missing e) {
            return null;
        }
        for (String figure : List.copyOf(figures)) {
            int d = forms.get(figure).degree(0);
            String why = d > SAMPLES - 2 ? "is no polynomial of degree " + (SAMPLES - 2) + " or less " + where
                    : d < SAMPLES - 2 ? null
                    : further != null ? probe.differs(figure, forms.get(figure), further)
                    : "is of degree " + d + " " + where + ", which no further size checks";
            if (why != null) {
                if (!dropOptional || required(figure)) {
                    return null;
                }
                figures.remove(figure);
                missing.putIfAbsent(figure, why);
            }
        }
        return forms;
    }

    /**
     * Refuses a variable whose forms hold at its declared size alone, where its declaration allows more: a form there is no more than
     * the figures at that size, and every other size would be refused.
     *
     * @throws Problem {@link Diagnostic#SIZE_CANNOT_VARY} on the variable's name, with why the forms end on either side
     */
    private void refuseSinglePoints() {
        for (int i = 0; i < n; i++) {
            SizeVariable variable = spec.sizes().get(i);
            boolean boundHere = variable.bounded() && fallback[i] + period[i] * (maxK[i] + 1) > variable.most();
            if (minK[i] == maxK[i] && !boundHere) {
                List<String> ends = new ArrayList<>();
                if (belowMin[i] != null && !belowMin[i].isEmpty()) {
                    ends.add("below it, " + belowMin[i]);
                }
                if (aboveMax[i] != null && !aboveMax[i].isEmpty()) {
                    ends.add("above it, " + aboveMax[i]);
                }
                throw new Problem(Diagnostic.SIZE_CANNOT_VARY, variable.site(), variable.name(), "the closed forms hold at the declared "
                        + variable.name() + " = " + fallback[i] + " alone" + (ends.isEmpty() ? "" : ": " + String.join("; ", ends)),
                        "remove " + variable.name() + " from @Model(sizes)" + (n > 1 ? " (or a size it meets together, where the message says so)" : "")
                        + " and compile the model at each size wanted, or give the layers costs that are polynomials of the sizes");
            }
        }
    }

    /** {@code L = 2,048, batch = 4}. */
    private String describe(long[] sizes) {
        return probe.describe(sizes);
    }

    /** Where a piece of forms fails, as a lattice step of variable 0, and why, the reason saying where. */
    private record PieceFailure(long step, String why) {}

    /**
     * The first lattice step of variable 0, going {@code way} (+1 up, -1 down), among those next to the compared {@code sizes} within
     * a piece's {@code bound}, where its forms fail, with why; null where they hold at every one.
     */
    private PieceFailure failsInPiece(Map<String, Polynomial> piece, long[] bound, java.util.SortedSet<Long> sizes, Set<String> figures, int way) {
        java.util.TreeSet<Long> steps = new java.util.TreeSet<>(ranges.latticeSteps(0, sizes, 1));
        steps.addAll(ranges.latticeSteps(0, sizes, -1));
        int checked = 0;
        for (long k : way > 0 ? steps : steps.descendingSet()) {
            String why = k < bound[0] || k > bound[1] ? null : ++checked > RangeSearch.MOST_COMPARED ? RangeSearch.tooManyTurns() : ranges.requiredDiffer(piece, figures, lattices.at(0, k));
            if (why != null) {
                return new PieceFailure(k, describe(lattices.at(0, k)) + ": " + why + ", so compile the model at such a size");
            }
        }
        return null;
    }

    /** The path of the layer whose axis {@code axis} is ({@link Probe#AXIS}). */
    static String layer(String axis) {
        return axis.substring(Probe.AXIS.length(), axis.lastIndexOf(' '));
    }

    /**
     * The forms of {@code figures} on a grid ({@link GridInterpolation#interpolate}). An optional figure absent at one of its sizes
     * (a counter that fails there: nni on a network that holds no parameters at that size) leaves {@code figures}, with why; a
     * required one makes the grid fail as a size where the network does not exist would.
     */
    private Map<String, Polynomial> interpolate(int[] grid, long[] start, Set<String> figures) {
        while (true) {
            try {
                return lattices.grid(probe).interpolate(grid, start, figures);
            } catch (GridInterpolation.Absent e) {
                if (required(e.figure) || !figures.remove(e.figure)) {
                    throw new GridInterpolation.Missing(absent(e.figure, e.sizes), true, e.sizes);
                }
                missing.putIfAbsent(e.figure, "is not computed at " + describe(e.sizes) + " (its tool fails there, or its rule is not "
                        + "reproduced), so it has no form; compile the model at the size wanted");
            }
        }
    }

    /**
     * Why a figure the forms need is not there at {@code sizes} where the network exists: its output of another rank (a layer that a
     * test of a size switches on or off changes its shape), or the figure not computed there.
     */
    private String absent(String figure, long[] sizes) {
        if (figure.startsWith(Probe.OUTPUT)) {
            long rank = probe.at(sizes).rank();
            return "its output has " + rank + (rank == 1 ? " dimension" : " dimensions") + " there, where at the declared sizes it has "
                    + declared.output().rank() + " (a layer a test of the size switches on or off changes its shape)";
        }
        return figure + " is not computed there";
    }
}
