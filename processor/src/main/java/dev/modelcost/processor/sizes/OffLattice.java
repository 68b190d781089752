package dev.modelcost.processor.sizes;

import dev.modelcost.SizeProgram;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.diag.Problem;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Establishes a model's figures at every size, off its closed forms' lattice too, as a
 * {@link SizeProgram}: the sizes of every tensor followed through the layers' shape rules
 * ({@link ShapeRules}), and each figure solved, exactly, as a linear combination of the products of
 * each tensor's variable sizes from the model compiled at sizes where those products are independent.
 * Every figure of a forward pass and of a training step is such a combination where each layer's
 * costs are linear in its tensors' sizes and the activation peak is the largest of the live bytes of
 * the steps; the program is checked at every size compiled for the closed forms and at further sizes
 * off the lattice, and where a check fails, the model has no program and says why.
 */
final class OffLattice {
    /** The most times a program is solved again where its checks compiled a size that separates a tied product. */
    private static final int MOST_REBUILDS = 3;
    /** How many sizes scattered around the declared ones in a row, where the network exists, may separate no product before the rest are skipped. */
    private static final int MOST_STALE = 128;
    /** The most sizes compiled to separate the products. */
    static final int MOST_SOLVING = 24;
    /** Further sizes off the lattice compiled to check the program. */
    static final int CHECKS = 3;
    /** The longest program text a generated class holds (a string constant has at most 65,535 bytes). */
    static final int MOST_TEXT = 60_000;
    /** What follows the sizes in a failure's message where the program said the network exists, before the layer's reason. */
    static final String EXISTS = ", where its shape rules say it exists: ";

    /**
     * The program, or why there is none.
     *
     * @param program the program's text, or null
     * @param why why there is none, or null
     * @param dropped the counters' figures (and {@link #DROPPABLE}) the program leaves out, each with why: a tool's rule that is no linear combination of
     *     the products of sizes off the lattice (thop's adaptive pooling, in floating point); they keep no closed form either
     * @param failedAt the sizes at which the model and the program disagree, where there is no program for that; else null
     * @param failedFigure the figure in which they disagree, where there is no program for that and it is one figure (a maximum for
     *     a step of the memory timeline); else null
     */
    record Result(String program, String why, Map<String, String> dropped, List<Long> failedAt, String failedFigure) {
        Result {
            dropped = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dropped));
        }

        Result(String program, Map<String, String> dropped) {
            this(program, null, dropped, null, null);
        }

        static Result none(String why) {
            return none(why, null);
        }

        static Result none(String why, List<Long> failedAt) {
            return new Result(null, why, Map.of(), failedAt, null);
        }
    }

    /**
     * How a program separates the products of sizes: how many sizes scattered around the declared ones it may draw
     * ({@link Scattered}), and the prime their rank is found modulo before it is certified ({@link ModularRank}).
     *
     * @param draws at least 1
     * @param prime from 2 to {@link ModularRank#PRIME}
     */
    record Separation(int draws, long prime) {
        /** What every compilation uses: 4,096 sizes, the prime 2³¹ − 1. */
        static final Separation DEFAULT = new Separation(4096, ModularRank.PRIME);

        Separation {
            if (draws < 1 || prime < 2 || prime > ModularRank.PRIME) {
                throw new IllegalArgumentException("draws from 1 and a prime from 2 to " + ModularRank.PRIME + ", not " + draws + " and " + prime);
            }
        }
    }

    private final ModelCosts declared;
    private final Separation separation;
    private final ShapeRules.Followed followed;
    private final Probe probe;
    private final List<String> figures;
    private final List<String> names;
    private final long[] fallback;
    private final long[] period;
    /** Each variable's smallest size the program answers (1, or the closed forms' smallest where it fails below them). */
    private final long[] lowest;
    /** Each variable's largest size the program answers: the closed forms' largest, above which {@code at(...)} refuses every size. */
    private final long[] highest;
    /** The sizes off the lattices the program is solved and checked at. */
    private final OffLatticeSizes sizesOff;
    /** How many times the program was solved again with a size its checks compiled, which separated a product tied to others. */
    private int rebuilds;
    /** The sizes just above the smallest that the checks let the program refuse, kept for a solve again ({@link #rebuilds}). */
    private final java.util.Set<List<Long>> mayRefuse = new java.util.LinkedHashSet<>();
    /** Each solved part's coefficients over their common denominator ({@link #overCommonDenominator}), by the part's array. */
    private final Map<Fraction[], BigInteger[]> scaledParts = new java.util.IdentityHashMap<>();
    /** Whether the products' rank is found exactly, where modulo a prime it took a product for a combination of others ({@link ModularRank}). */
    private boolean exactRank;

    private OffLattice(ModelCosts declared, Separation separation, ShapeRules.Followed followed, Probe probe, List<String> figures, List<String> names,
            long[] fallback, long[] period, long[] lowest, long[] highest) {
        this.declared = declared;
        this.separation = separation;
        this.followed = followed;
        this.probe = probe;
        this.figures = figures;
        this.names = names;
        this.fallback = fallback;
        this.period = period;
        this.lowest = lowest;
        this.highest = highest;
        this.sizesOff = new OffLatticeSizes(fallback, period, lowest, highest, separation.draws());
    }

    /**
     * The program of a model.
     *
     * @param declared the model at its declared sizes
     * @param separation how the products of sizes are separated ({@link Separation#DEFAULT} but in tests)
     * @param followed its sizes followed through its layers, or why not
     * @param probe its analyses at other sizes, those of the closed forms among them
     * @param figures the figures the program gives, by their constants' names, in order (not the output's dimensions)
     * @param names the size variables
     * @param fallback the declared sizes
     * @param period each variable's lattice period
     * @param lowest each variable's smallest size the program answers: below it the program is neither solved nor checked (the
     *     caller makes it refuse those sizes)
     * @param highest each variable's largest size the program answers (the closed forms' largest): above it the program is neither
     *     solved nor checked (the generated class refuses those sizes)
     */
    static Result of(ModelCosts declared, Separation separation, ShapeRules.Followed followed, Probe probe, List<String> figures, List<String> names,
            long[] fallback, long[] period, long[] lowest, long[] highest) {
        try {
            return new OffLattice(declared, separation, followed, probe, figures, names, fallback, period, lowest, highest).build();
        } catch (ArithmeticException e) {
            return Result.none("has sizes or figures beyond 64 bits where its program would be checked");
        } catch (Problem problem) {
            if (problem.anySize()) {
                throw problem;
            }
            return Result.none("could not be followed (" + problem + ")");
        } catch (RuntimeException e) {
            // A program is an addition: a model it cannot follow still compiles, and says why.
            return Result.none("could not be followed (" + e + ")");
        }
    }

    private Result build() {
        if (followed.rules() == null) {
            return Result.none(followed.why());
        }
        ShapeRules rules = followed.rules();
        StringBuilder shapes = new StringBuilder();
        rules.lines.forEach(line -> shapes.append(line).append('\n'));
        List<List<Integer>> basis = basis(rules);
        basis.forEach(m -> shapes.append("basis\t").append(String.join(",", m.stream().map(String::valueOf).toList())).append('\n'));
        int[] out = rules.tensors.get(rules.output);
        for (int a = 0; a < out.length; a++) {
            shapes.append("output\t").append(out[a] >= 0 ? "#" + out[a] : String.valueOf(declared.output().dim(a))).append('\n');
        }
        SizeProgram shapeProgram = SizeProgram.parse(declared.spec().network().simpleName(), names, shapes.toString());

        // Rows: the sizes compiled already, then sizes off the lattice where the shape rules say the network exists.
        Map<List<Long>, BigInteger[]> rows = new LinkedHashMap<>();
        for (List<Long> sizes : lexicographic(probe.known()).keySet()) {
            if (probe.known().get(sizes).exists() && sizesOff.answered(sizes)) {
                BigInteger[] row;
                try {
                    row = shapeProgram.monomials(unbox(sizes));
                } catch (IllegalArgumentException | ArithmeticException e) {
                    if (mayRefuse.contains(sizes) || e instanceof SizeProgram.StepsDiffer) {
                        // compiled by an earlier solve's checks, which let the program refuse it; or where a @When may turn, which the
                        // program leaves to the model compiled there
                        continue;
                    }
                    return Result.none(refusedWhereItCompiles(sizes, e), sizes);
                }
                rows.put(sizes, row);
            }
        }
        List<List<Long>> candidates = sizesOff.candidates();
        Map<List<Long>, BigInteger[]> offRows = new LinkedHashMap<>();
        for (List<Long> sizes : candidates) {
            BigInteger[] row = monomials(shapeProgram, sizes);
            if (row != null) {
                offRows.put(sizes, row);
            }
        }
        // The independent products, over every row; then rows enough to solve for them. Their rank modulo a prime, certified once the
        // others are tied to them (every tie holds at every row seen), else exactly. Its pivots may be other independent products
        // than exact elimination's, the ties then other combinations of the same relations: the same program where it answers.
        RowRank columns = exactRank ? new Echelon(basis.size()) : new ModularRank(basis.size(), separation.prime());
        List<BigInteger[]> seen = new ArrayList<>();
        List<BigInteger[]> all = new ArrayList<>(rows.values());
        all.addAll(offRows.values());
        for (BigInteger[] row : all) {
            if (columns.rank() == basis.size()) {
                break;
            }
            seen.add(row);
            columns.add(row);
        }
        // Sizes near the declared ones may tie the variables together (a network that exists at even sizes only takes the batch's
        // offsets beside H's and W's declared, or all of them off by one offset), so that products that differ elsewhere, the batch
        // times a padded copy's H, look like combinations of others: sizes scattered around the declared ones, each variable on its
        // own, separate them, and those the solve needs are compiled.
        if (columns.rank() < basis.size()) {
            // Products that are one function (two tensors' sizes equal by the shape rules) never separate: after MOST_STALE sizes in a
            // row where the network exists that separate nothing more, the rest are skipped, and the program's checks decide.
            int stale = 0;
            OffLatticeSizes.Scattered scattered = sizesOff.scattered();
            for (List<Long> sizes = scattered.next(); sizes != null && columns.rank() < basis.size() && stale < MOST_STALE; sizes = scattered.next()) {
                BigInteger[] row = rows.containsKey(sizes) || offRows.containsKey(sizes) ? null : monomials(shapeProgram, sizes);
                if (row != null) {
                    seen.add(row);
                }
                if (row != null && columns.add(row)) {
                    offRows.put(sizes, row);
                    stale = 0;
                } else if (row != null) {
                    stale++;
                }
            }
        }
        int[] independent = columns.pivots();
        Echelon solving = new Echelon(independent.length);
        List<List<Long>> chosen = new ArrayList<>();
        // Solved on the sizes nearest the declared ones first: near the bottom a step may hold other tensors (a merge of heads that is
        // a view at one position), which would make its part of the peak a combination wrong everywhere else.
        List<Map.Entry<List<Long>, BigInteger[]>> nearestFirst = new ArrayList<>(rows.entrySet());
        nearestFirst.sort(Comparator.comparingDouble(row -> distance(row.getKey())));
        for (Map.Entry<List<Long>, BigInteger[]> row : nearestFirst) {
            if (solving.add(restrict(row.getValue(), independent))) {
                chosen.add(row.getKey());
            }
        }
        int compiled = 0;
        for (Map.Entry<List<Long>, BigInteger[]> row : offRows.entrySet()) {
            if (solving.rank() == independent.length) {
                break;
            }
            if (solving.wouldAdd(restrict(row.getValue(), independent))) {
                if (++compiled > MOST_SOLVING) {
                    return Result.none("needs more than " + MOST_SOLVING + " sizes off the lattice to separate its " + independent.length + " products of sizes");
                }
                Probe.Outcome outcome = probe.at(unbox(row.getKey()));
                if (!outcome.exists()) {
                    return Result.none("fails to compile at " + describe(row.getKey()) + EXISTS + outcome.reason(),
                            row.getKey());
                }
                solving.add(restrict(row.getValue(), independent));
                chosen.add(row.getKey());
            }
        }
        if (solving.rank() < independent.length) {
            return Result.none("has " + independent.length + " independent products of sizes but exists at too few sizes to separate them");
        }
        // Solve every figure, and every part of the peak, on the chosen sizes.
        Probe.Outcome base = probe.known().get(chosen.get(0));
        List<String> steps = base.figures().keySet().stream().filter(f -> f.startsWith(Probe.STEP)).toList();
        List<String> solved = new ArrayList<>(figures.stream().filter(f -> !ClosedForms.MAXIMA.contains(f)).toList());
        boolean peak = figures.stream().anyMatch(ClosedForms.MAXIMA::contains);
        if (peak) {
            if (steps.isEmpty() || figures.contains("INFERENCE_MEMORY_BYTES") && !base.figures().containsKey(Probe.BESIDES_PEAK)) {
                return Result.none("has an activation peak whose steps are not computed");
            }
            solved.addAll(steps);
            if (figures.contains("INFERENCE_MEMORY_BYTES")) {
                solved.add(Probe.BESIDES_PEAK);
            }
        }
        // Where layers gather weights by token ids, the bytes moved are a minimum: each layer's table and rows read, and the bytes moved
        // besides them, are solved as its parts (at most ClosedForms.MOST_GATHERS such layers: past them the bytes moved have no form).
        List<String> gathered = !figures.contains("BYTES_MOVED") || !base.figures().containsKey(Probe.BESIDES_GATHERS) ? List.of()
                : base.figures().keySet().stream().filter(f -> f.startsWith(Probe.GATHER)).toList();
        if (!gathered.isEmpty()) {
            solved.remove("BYTES_MOVED");
            solved.addAll(gathered);
            solved.add(Probe.BESIDES_GATHERS);
        }
        // One solve on the chosen sizes for every figure, then for each product tied to the independent ones, as their combination.
        List<Integer> tied = ProgramText.tied(independent, basis.size());
        BigInteger[][] a = new BigInteger[chosen.size()][];
        BigInteger[][] b = new BigInteger[chosen.size()][solved.size() + tied.size()];
        for (int r = 0; r < chosen.size(); r++) {
            BigInteger[] row = row(rows, offRows, chosen.get(r));
            a[r] = restrict(row, independent);
            Map<String, Long> values = probe.known().get(chosen.get(r)).figures();
            long timeline = values.keySet().stream().filter(f -> f.startsWith(Probe.STEP)).count();
            if (timeline != steps.size()) {
                return Result.none("has another memory timeline at " + describe(chosen.get(r)) + " than at the declared sizes (" + timeline
                        + " steps, not " + steps.size() + "): repetitions that keep their shape fold into one run at some sizes and not at others", chosen.get(r));
            }
            if (!values.keySet().containsAll(solved)) {
                return Result.none("has other figures at " + describe(chosen.get(r)) + " than at the declared sizes", chosen.get(r));
            }
            for (int f = 0; f < solved.size(); f++) {
                b[r][f] = BigInteger.valueOf(values.get(solved.get(f)));
            }
            for (int t = 0; t < tied.size(); t++) {
                b[r][solved.size() + t] = row[tied.get(t)];
            }
        }
        Fraction[][] coefficients = IntegerSolve.solve(a, b);
        ProgramText.Ties ties = ProgramText.ties(tied, coefficients, solved.size(), independent, basis.size());
        if (!exactRank && !ties.holdAt(seen)) {
            // A product the prime took for a combination of the others is none: the rank found again exactly.
            exactRank = true;
            return build();
        }
        Map<String, Fraction[]> bySolved = new LinkedHashMap<>();
        for (int f = 0; f < solved.size(); f++) {
            Fraction[] full = new Fraction[basis.size()];
            Arrays.fill(full, Fraction.ZERO);
            for (int c = 0; c < independent.length; c++) {
                full[independent[c]] = coefficients[c][f];
            }
            bySolved.put(solved.get(f), full);
        }
        String negative = peak ? negativeStep(steps, bySolved, tied, independent, coefficients, solved.size()) : null;
        if (negative != null) {
            return new Result(null, "solves the live bytes while " + negative + " runs with a negative multiple of a tensor's size, which no step "
                    + "holds: they take another form at some of the sizes solved at (a crop that is a view where a pad is 0 and a copy elsewhere), "
                    + "which the program does not follow", Map.of(), null, "PEAK_ACTIVATION_BYTES");
        }

        // A counter's figure that the checks refuse is left out, and so is DECODE_MACS (a layer's MACs over its length, rounded down, a
        // floor of a quotient of sizes), and the program checked again (its sizes are compiled already).
        List<String> kept = new ArrayList<>(figures);
        Map<String, String> dropped = new LinkedHashMap<>();
        List<List<Long>> refused = candidates.stream().filter(sizes -> !offRows.containsKey(sizes)).toList();
        while (true) {
            String program = ProgramText.of(shapes.toString() + ties.text(), kept, steps, gathered, bySolved);
            if (program.length() > MOST_TEXT) {
                return Result.none("would take a program of " + program.length() + " characters, more than a generated class holds");
            }
            List<String> peakSteps = kept.stream().anyMatch(ClosedForms.MAXIMA::contains) ? steps : List.of();
            List<String> gatherParts = kept.contains("BYTES_MOVED") && !gathered.isEmpty()
                    ? java.util.stream.Stream.concat(gathered.stream(), java.util.stream.Stream.of(Probe.BESIDES_GATHERS)).toList() : List.of();
            Mismatch failed = check(SizeProgram.parse(declared.spec().network().simpleName(), names, program), offRows.keySet(), refused, chosen,
                    peakSteps, gatherParts, bySolved);
            if (failed == null) {
                return new Result(program, dropped);
            }
            if (failed.untied() && rebuilds < MOST_REBUILDS) {
                // A size compiled for the checks parts a product from the combination it was tied to: solved again with that size among
                // the rows, which separates the product.
                rebuilds++;
                return build();
            }
            if (failed.figure() == null || !Probe.COUNTERS.contains(failed.figure()) && !failed.figure().equals(DROPPABLE)) {
                return new Result(null, failed.why(), Map.of(), failed.at(), failed.figure());
            }
            kept.remove(failed.figure());
            dropped.put(failed.figure(), failed.why());
        }
    }

    /** The figure of the forward pass besides the counters' that a program may leave out: the README lets it have no form. */
    static final String DROPPABLE = "DECODE_MACS";

    /**
     * Where the program and the model compiled disagree, or null: every size compiled so far, and further ones off the lattice:
     * some where the shape rules say the network exists ({@code existing}), some where they refuse it ({@code refused}). Each of
     * {@code steps}, a part of the activation peak solved as {@code bySolved} gives it, is compared too, not only their maximum,
     * but at the smallest sizes the program answers.
     */
    private Mismatch check(SizeProgram program, java.util.Collection<List<Long>> existing, List<List<Long>> refused, List<List<Long>> chosen,
            List<String> steps, List<String> gatherParts, Map<String, Fraction[]> bySolved) {
        List<List<Long>> checks = new ArrayList<>();
        for (List<Long> sizes : existing) {
            if (checks.size() == CHECKS) {
                break;
            }
            if (!chosen.contains(sizes)) {
                checks.add(sizes);
            }
        }
        List<Long> far = new ArrayList<>();
        for (int v = 0; v < fallback.length; v++) {
            far.add(2 * fallback[v] + (period[v] > 1 ? 1 : 0));
        }
        checks.add(far);
        List<Long> small = new ArrayList<>();
        for (int v = 0; v < fallback.length; v++) {
            small.add(Math.max(lowest[v], fallback[v] / 3 + (period[v] > 1 ? 1 : 0)));
        }
        checks.add(small);
        List<List<Long>> smallest = smallest(program);
        checks.addAll(smallest);
        // Just above them the program may refuse a size it does not follow (a broadcast, a size past its rules' ceilings), as at(...)
        // then does, saying so: only a number there that the model does not give is a mismatch.
        java.util.Set<List<Long>> mayRefuse = new java.util.LinkedHashSet<>(aboveSmallest(smallest));
        mayRefuse.removeAll(checks);
        checks.addAll(mayRefuse);
        this.mayRefuse.addAll(mayRefuse);
        // Sizes the shape rules refuse, where the model must fail too (a rule learned with the leaf's other sizes as called, such as a
        // padding to another tensor's size, could end where the model goes on).
        checks.addAll(refused.subList(0, Math.min(2, refused.size())));
        checks.forEach(sizes -> probe.at(unbox(sizes)));
        for (Map.Entry<List<Long>, Probe.Outcome> known : lexicographic(probe.known()).entrySet()) {
            if (!sizesOff.answered(known.getKey())) {
                continue;
            }
            Mismatch differs = differs(program, known.getKey(), known.getValue());
            if (differs != null && !(differs.refused() && mayRefuse.contains(known.getKey()))) {
                return differs;
            }
            // At the smallest sizes a step may hold other tensors (a merge of heads that is a view at one position) while the peak,
            // compared above, is right: there alone a part may differ.
            Mismatch step = differs == null && !smallest.contains(known.getKey())
                    ? stepDiffers(program, known.getKey(), known.getValue(), steps, bySolved) : null;
            if (step != null) {
                return step;
            }
            // The bytes moved are the smallest of sums of parts, which may hide a part no combination of the products gives.
            Mismatch gather = differs == null ? gatherDiffers(program, known.getKey(), known.getValue(), gatherParts, bySolved) : null;
            if (gather != null) {
                return gather;
            }
        }
        return null;
    }

    /**
     * Where a step's live bytes, a part of the activation peak, differ at {@code sizes} from the combination solved for it, or null.
     * The peak is the parts' maximum, which may hide a part that no combination of the products gives (it holds at the sizes it was
     * solved on, and is below another part at the sizes checked), and that part would be wrong, or no integer, at sizes no check
     * reaches.
     */
    private Mismatch stepDiffers(SizeProgram program, List<Long> sizes, Probe.Outcome outcome, List<String> steps, Map<String, Fraction[]> bySolved) {
        PartDiffers step = partDiffers(program, sizes, outcome, steps, bySolved);
        if (step == null) {
            return null;
        }
        String number = step.part().substring(Probe.STEP.length());
        return new Mismatch(step.expected() == null
                ? "has no step " + number + " at " + describe(sizes) + ", a part of its activation peak at the sizes it was solved on"
                : "holds " + step.expected() + " bytes while its step " + number + stepLayer(step.part()) + " runs at " + describe(sizes)
                        + ", not the " + step.solved() + " of a linear combination of the products of its tensors' sizes, a part of its "
                        + "activation peak", "PEAK_ACTIVATION_BYTES", sizes);
    }

    /**
     * Where a part of the bytes moved (a gathering layer's table or rows read, or the bytes moved besides them), a part of their
     * minimum, differs at {@code sizes} from the combination solved for it, or null.
     */
    private Mismatch gatherDiffers(SizeProgram program, List<Long> sizes, Probe.Outcome outcome, List<String> parts, Map<String, Fraction[]> bySolved) {
        PartDiffers gather = partDiffers(program, sizes, outcome, parts, bySolved);
        if (gather == null) {
            return null;
        }
        String what = gather.part().equals(Probe.BESIDES_GATHERS) ? "besides the weights its layers gather by token ids"
                : "for the " + ClosedForms.gatherPart(gather.part());
        return new Mismatch(gather.expected() == null
                ? "has no bytes moved " + what + " at " + describe(sizes) + ", a part of its bytes moved at the sizes it was solved on"
                : "moves " + gather.expected() + " bytes " + what + " at " + describe(sizes) + ", not the " + gather.solved() + " of a linear "
                        + "combination of the products of its tensors' sizes, a part of its bytes moved", "BYTES_MOVED", sizes);
    }

    /**
     * A part of a maximum or minimum whose value the model compiled at some sizes gives otherwise than its solved combination.
     *
     * @param part the part's figure
     * @param expected the model's value, or null where the model has no such part there
     * @param solved the combination's value, as a fraction's text ({@code 7} or {@code 15/2})
     */
    private record PartDiffers(String part, Long expected, String solved) {}

    /** The first of {@code parts} whose combination solved in {@code bySolved} differs at {@code sizes} from {@code outcome}'s; else null. */
    private PartDiffers partDiffers(SizeProgram program, List<Long> sizes, Probe.Outcome outcome, List<String> parts,
            Map<String, Fraction[]> bySolved) {
        if (parts.isEmpty() || !outcome.exists()) {
            return null;
        }
        BigInteger[] row = monomials(program, sizes);
        if (row == null) {
            return null;
        }
        for (String part : parts) {
            Fraction[] coefficients = bySolved.get(part);
            // over the coefficients' common denominator, last: the combination is the model's value where the sum is its multiple
            BigInteger[] scaled = scaledParts.computeIfAbsent(coefficients, OffLattice::overCommonDenominator);
            BigInteger sum = BigInteger.ZERO;
            for (int c = 0; c < coefficients.length; c++) {
                if (scaled[c].signum() != 0) {
                    sum = sum.add(scaled[c].multiply(row[c]));
                }
            }
            Long expected = outcome.figures().get(part);
            if (expected == null || !sum.equals(BigInteger.valueOf(expected).multiply(scaled[coefficients.length]))) {
                Fraction value = new Fraction(sum, scaled[coefficients.length]);
                return new PartDiffers(part, expected, value.numerator() + (value.denominator().equals(BigInteger.ONE) ? "" : "/" + value.denominator()));
            }
        }
        return null;
    }

    /** The numerators of {@code fractions} over their least common denominator, then that denominator. */
    private static BigInteger[] overCommonDenominator(Fraction[] fractions) {
        BigInteger denominator = ProgramText.denominator(fractions);
        BigInteger[] scaled = Arrays.copyOf(ProgramText.integers(fractions, denominator), fractions.length + 1);
        scaled[fractions.length] = denominator;
        return scaled;
    }

    /**
     * The layer of the first step of the peak whose solved live bytes take a negative multiple of a product of sizes that no tie
     * involves, or null. A step's live bytes are a sum of tensors' sizes, each a positive multiple of its product: a negative
     * multiple says the bytes took another form at some of the sizes solved at, and the combination is wrong elsewhere.
     */
    private String negativeStep(List<String> steps, Map<String, Fraction[]> bySolved, List<Integer> tied, int[] independent,
            Fraction[][] coefficients, int figures) {
        java.util.Set<Integer> inTies = new java.util.HashSet<>(tied);
        for (int t = 0; t < tied.size(); t++) {
            for (int c = 0; c < independent.length; c++) {
                if (coefficients[c][figures + t].numerator().signum() != 0) {
                    inTies.add(independent[c]);
                }
            }
        }
        for (String step : steps) {
            Fraction[] parts = bySolved.get(step);
            // the constant (the basis's first, empty product) aside
            for (int m = 1; m < parts.length; m++) {
                if (parts[m].numerator().signum() < 0 && !inTies.contains(m)) {
                    String layer = stepLayer(step);
                    return layer.isEmpty() ? "a step" : layer.substring(2, layer.length() - 1);
                }
            }
        }
        return null;
    }

    /** The layer that runs at {@code step} ({@code " (flat)"}), as the declared model's memory timeline names it; empty where none does. */
    private String stepLayer(String step) {
        List<String> paths = dev.modelcost.processor.memory.Liveness.of(declared).stepPaths();
        int s = Integer.parseInt(step.substring(Probe.STEP.length()));
        return s < paths.size() && !paths.get(s).isEmpty() ? " (" + paths.get(s) + ")" : "";
    }

    /**
     * The smallest sizes where the program says the network exists, as the generated class answers down to them: each variable's
     * smallest with the others at their defaults, or, where the network exists there, all of them at once, else each one above
     * that where it does. Where a variable's smallest there is above its lowest, also its smallest with the others one above their
     * defaults, where the program may answer lower (a norm refused at the declared batch of 1 and given enough at 2).
     */
    private List<List<Long>> smallest(SizeProgram program) {
        List<List<Long>> each = new ArrayList<>();
        List<List<Long>> raised = new ArrayList<>();
        List<Long> joint = new ArrayList<>();
        for (int v = 0; v < fallback.length; v++) {
            long[] sizes = smallestFrom(program, v, fallback);
            each.add(Arrays.stream(sizes).boxed().toList());
            joint.add(sizes[v]);
            if (sizes[v] > lowest[v] && fallback.length > 1) {
                long[] others = fallback.clone();
                for (int u = 0; u < fallback.length; u++) {
                    others[u] = u == v || fallback[u] + 1 > highest[u] ? fallback[u] : fallback[u] + 1;
                }
                long[] lower = smallestFrom(program, v, others);
                if (lower[v] < sizes[v]) {
                    raised.add(Arrays.stream(lower).boxed().toList());
                }
            }
        }
        boolean together = monomials(program, joint) != null;
        List<List<Long>> smallest = new ArrayList<>(together ? List.of(joint) : each);
        if (!together) {
            // Refused all at once (a norm's one value where H, W and the batch are smallest): each one above there, where it answers.
            for (int u = 0; u < joint.size(); u++) {
                List<Long> up = new ArrayList<>(joint);
                up.set(u, joint.get(u) + 1);
                if (up.get(u) <= highest[u] && monomials(program, up) != null && !smallest.contains(up)) {
                    smallest.add(up);
                }
            }
        }
        raised.stream().filter(sizes -> !smallest.contains(sizes)).forEach(smallest::add);
        return smallest;
    }

    /**
     * {@code sizes} with variable {@code v} at its smallest from its lowest at which the program answers, below its default; else at
     * the size just below its default (where it has one), which the checks then compare with the model.
     */
    private long[] smallestFrom(SizeProgram program, int v, long[] sizes) {
        long[] at = sizes.clone();
        for (long x = lowest[v]; x < fallback[v]; x++) {
            at[v] = x;
            if (monomials(program, Arrays.stream(at).boxed().toList()) != null) {
                return at;
            }
        }
        return at;
    }

    /**
     * The two sizes above each variable's smallest of {@code smallest} (one list per variable, or one for all together), below its
     * default, the others as there: the program is solved on a few sizes only, and a size near the bottom where a step holds
     * another set of tensors (a merge of heads that is a view at one position and a copy at more) may enter the solution and
     * leave it wrong at the sizes just above, off the lattice, where no other check looks.
     */
    private List<List<Long>> aboveSmallest(List<List<Long>> smallest) {
        List<List<Long>> above = new ArrayList<>();
        for (List<Long> sizes : smallest) {
            for (int v = 0; v < fallback.length; v++) {
                for (long step = 1; step <= 2; step++) {
                    List<Long> next = new ArrayList<>(sizes);
                    next.set(v, sizes.get(v) + step);
                    if (next.get(v) < fallback[v]) {
                        above.add(next);
                    }
                }
            }
        }
        return above;
    }

    /**
     * Where the program and the model compiled disagree: why, the figure that differs (null where not one figure), the sizes, and
     * whether the program refused them, saying why, where the model compiles.
     */
    private record Mismatch(String why, String figure, List<Long> at, boolean refused, boolean untied) {
        Mismatch(String why, String figure, List<Long> at) {
            this(why, figure, at, false, false);
        }
    }

    /** Where the program and the model compiled at {@code sizes} disagree, or null where they agree. */
    private Mismatch differs(SizeProgram program, List<Long> sizes, Probe.Outcome outcome) {
        long[] values;
        try {
            if (outcome.exists() && !program.determines(unbox(sizes))) {
                return new Mismatch("compiles at " + describe(sizes) + ", where a product of its tensors' sizes parts from the combination of "
                        + "others it equals at every other size tried", null, sizes, false, true);
            }
            values = program.at(unbox(sizes));
        } catch (SizeProgram.StepsDiffer e) {
            return null; // the network may take other steps there, which the program does not follow and says so
        } catch (IllegalArgumentException e) {
            return outcome.exists() ? new Mismatch(refusedWhereItCompiles(sizes, e), null, sizes, true, false) : null;
        } catch (ArithmeticException e) {
            // The message names the figure first: "NNI_FLOPS of Net at H = 3 is not an integer".
            String figure = program.figures().stream().filter(f -> String.valueOf(e.getMessage()).startsWith(f + " of ")).findFirst().orElse(null);
            return outcome.exists() ? new Mismatch("compiles at " + describe(sizes) + ", where its figures are no linear combination of the products of its "
                    + "tensors' sizes (" + e.getMessage() + ")", figure, sizes) : null;
        }
        if (!outcome.exists()) {
            return new Mismatch("fails to compile at " + describe(sizes) + EXISTS + outcome.reason(), null, sizes);
        }
        List<String> order = program.figures();
        for (int f = 0; f < order.size(); f++) {
            Long expected = outcome.figures().get(order.get(f));
            if (expected == null || expected != values[f]) {
                return new Mismatch("gives " + order.get(f) + " = " + expected + " at " + describe(sizes) + ", a size the program was checked at, not the "
                        + values[f] + " of a linear combination of the products of its tensors' sizes", order.get(f), sizes);
            }
        }
        for (int d = order.size(); d < values.length; d++) {
            Long expected = outcome.figures().get(Probe.OUTPUT + (d - order.size()));
            if (expected == null || expected != values[d]) {
                return new Mismatch("has an output of another shape at " + describe(sizes) + " than the layers' shape rules give", null, sizes);
            }
        }
        return null;
    }

    /** Why a program that refuses sizes where the model compiles is none: the layer its shape rules say would fail. */
    private String refusedWhereItCompiles(List<Long> sizes, RuntimeException e) {
        String message = e.getMessage();
        int layer = message.indexOf(": ", message.indexOf(" does not exist at "));
        String what = message.contains(" does not exist at ") && layer > 0 ? message.substring(layer + 2) : message;
        return "compiles at " + describe(sizes) + ", where by its layers' shape rules " + what;
    }

    /**
     * The products of sizes the figures are combinations of: each tensor's variable dimensions, multiplied; the constant first. Where
     * the batch is a size variable, each product also times the batch: a tensor's elements, and so its costs and bytes, are its
     * shape's (no axis of which is the batch) times the batch, and weights are not.
     */
    private static List<List<Integer>> basis(ShapeRules rules) {
        java.util.Set<List<Integer>> monomials = new java.util.TreeSet<>(Comparator.<List<Integer>>comparingInt(List::size)
                .thenComparing(OffLattice::compareDims));
        monomials.add(List.of());
        for (int[] dims : rules.tensors.values()) {
            List<Integer> monomial = new ArrayList<>();
            for (int d : dims) {
                if (d >= 0) {
                    monomial.add(d);
                }
            }
            monomial.sort(null);
            monomials.add(monomial);
        }
        monomials.addAll(rules.extraMonomials);
        if (rules.batch >= 0) {
            for (List<Integer> monomial : List.copyOf(monomials)) {
                List<Integer> times = new ArrayList<>(monomial);
                times.add(rules.batch);
                times.sort(null);
                monomials.add(times);
            }
        }
        return new ArrayList<>(monomials);
    }

    private static int compareDims(List<Integer> x, List<Integer> y) {
        for (int i = 0; i < x.size(); i++) {
            int c = Integer.compare(x.get(i), y.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static BigInteger[] monomials(SizeProgram program, List<Long> sizes) {
        try {
            return program.monomials(unbox(sizes));
        } catch (IllegalArgumentException | ArithmeticException e) {
            return null;
        }
    }

    private static BigInteger[] row(Map<List<Long>, BigInteger[]> rows, Map<List<Long>, BigInteger[]> offRows, List<Long> sizes) {
        return rows.containsKey(sizes) ? rows.get(sizes) : offRows.get(sizes);
    }

    private static BigInteger[] restrict(BigInteger[] row, int[] columns) {
        BigInteger[] restricted = new BigInteger[columns.length];
        for (int c = 0; c < columns.length; c++) {
            restricted[c] = row[columns[c]];
        }
        return restricted;
    }

    /** How far {@code sizes} lie from the declared ones: the sum of each variable's ratio to its declared size, as a logarithm. */
    private double distance(List<Long> sizes) {
        double distance = 0;
        for (int v = 0; v < fallback.length; v++) {
            distance += Math.abs(Math.log((double) sizes.get(v) / fallback[v]));
        }
        return distance;
    }

    private static Map<List<Long>, Probe.Outcome> lexicographic(Map<List<Long>, Probe.Outcome> known) {
        Map<List<Long>, Probe.Outcome> sorted = new TreeMap<>((x, y) -> {
            for (int i = 0; i < x.size(); i++) {
                int c = Long.compare(x.get(i), y.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        });
        sorted.putAll(known);
        return sorted;
    }

    private static long[] unbox(List<Long> sizes) {
        return sizes.stream().mapToLong(Long::longValue).toArray();
    }

    private String describe(List<Long> sizes) {
        List<String> parts = new ArrayList<>();
        for (int v = 0; v < sizes.size(); v++) {
            parts.add(names.get(v) + " = " + sizes.get(v));
        }
        return String.join(", ", parts);
    }
}
