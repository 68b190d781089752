package dev.modelcost.processor.sizes;

import dev.modelcost.processor.analysis.ModelCosts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Finds a model's size program ({@link OffLattice}): the straight-line code over products of sizes with which {@code at(...)}
 * answers off the lattices of its closed forms, from their domain down to where the network ends, where such a program holds.
 */
final class SizeProgramSearch {
    private final ModelCosts declared;
    private final Probe probe;
    private final Lattices lattices;
    private final int n;
    /** The model's sizes followed through its layers' shape rules, found once. */
    private final Supplier<ShapeRules.Followed> followed;
    /** How a program separates the products of sizes. */
    private final OffLattice.Separation separation;
    /** The largest sizes the program answers. */
    private final long[] highest;

    /**
     * A search for the model {@code declared} at its declared sizes, on its established {@code lattices}, whose program answers up to
     * the sizes {@code highest}: the lattices' largest, or, of one variable, a size off its lattice above it where the network still
     * exists.
     */
    SizeProgramSearch(ModelCosts declared, Probe probe, Lattices lattices, Supplier<ShapeRules.Followed> followed, OffLattice.Separation separation,
            long[] highest) {
        this.declared = declared;
        this.highest = highest;
        this.separation = separation;
        this.probe = probe;
        this.lattices = lattices;
        this.n = lattices.n;
        this.followed = followed;
    }

    /**
     * Per variable, the sizes a program may answer ({@code ClosedForms.programBounds}: from where a turn of a value that reads it cut
     * its range below, and between the masked turns nearest the declared size), and why not below or above them (null where nothing
     * bounds it).
     */
    record Between(long[] lowest, long[] highest, String[] whyBelow, String[] whyAbove) {}

    /**
     * The program that follows sizes off the lattices through the layers' shape rules, for the model whose forms are {@code forms}
     * (variables {@code names}, analysed at the declared sizes in {@code base}), where a lattice's period is above 1 or, on lattices
     * of period 1, where the box of sizes was cut below for the sizes together ({@code cutBelow}: a norm that cannot train where
     * they are tiny together) or a norm's count ends a size's forms; it answers below the forms' smallest sizes too, down to where
     * the network ends or from where it holds, only between the sizes {@code between} bounds, which it writes as {@code from} and
     * {@code to} lines. None where the forms come in pieces or no program holds. Where the steps' live bytes take another form at a
     * size's smallest ({@code atEdges}), or, of one variable, where a program holds without them only, the maxima are left out of it.
     */
    OffLattice.Result find(Probe.Outcome base, List<SizeForms.Piece> forms, boolean atEdges, List<String> names, boolean cutBelow, Between between) {
        // On lattices of period 1 a program answers only below the box, where a norm cut it: there it may cost no figure its form.
        boolean belowOnly = Arrays.stream(lattices.period).allMatch(p -> p == 1);
        if (belowOnly && (!cutBelow && !normBelow() || atEdges || base.floors().keySet().stream().anyMatch(forms.get(0).forms()::containsKey))) {
            return OffLattice.Result.none(null);
        }
        // A counter's rule that floors a quotient of sizes is left out of the program before any check could miss it.
        // So is a maximum with a step of another form at a smallest size: a program solves each step as one combination of products.
        List<String> programFigures = forms.get(0).forms().keySet().stream()
                .filter(f -> !f.startsWith(Probe.OUTPUT) && !base.floors().containsKey(f) && !(atEdges && ClosedForms.MAXIMA.contains(f))).toList();
        // The program answers below the forms' smallest sizes too, down to where the network ends; not below a turn of a value that
        // reads a size, which it does not follow (between).
        long[] answered = between.lowest().clone();
        String[] notBelow = between.whyBelow().clone();
        long[] smallest = lattices.sizes(lattices.minK);
        ShapeRules.Followed rules = forms.size() > 1 ? null : followedWithinDomain();
        OffLattice.Result program = forms.size() > 1 ? OffLattice.Result.none("has forms in pieces")
                : OffLattice.of(declared, separation, rules, probe, programFigures, names, lattices.fallback, lattices.period, answered, highest);
        if (forms.size() == 1 && program.program() == null && !Arrays.equals(answered, smallest)) {
            // A program that fails below the forms' smallest sizes only (a layer's rule at an input of a position or two) holds from
            // them: below them at(...) refuses every size, saying why. First from one variable's smallest size, of each variable
            // below it where the program failed, then from every variable's.
            List<long[]> floors = new ArrayList<>();
            for (int i = 0; i < n && program.failedAt() != null; i++) {
                long[] floor = answered.clone();
                floor[i] = smallest[i];
                if (program.failedAt().get(i) < smallest[i] && !Arrays.equals(floor, smallest)) {
                    floors.add(floor);
                }
            }
            floors.add(smallest);
            for (long[] floor : floors) {
                OffLattice.Result from = OffLattice.of(declared, separation, rules, probe, programFigures, names, lattices.fallback, lattices.period, floor, highest);
                if (from.program() != null) {
                    for (int i = 0; i < n; i++) {
                        if (answered[i] < floor[i]) {
                            notBelow[i] = (lattices.belowMin[i].isEmpty() ? "" : lattices.belowMin[i] + "; ") + "the size program does not hold below it: the model "
                                    + once(program.why(), lattices.belowMin[i]);
                        }
                    }
                    answered = floor;
                    program = from;
                    break;
                }
            }
        }
        String maximaWhy = null;
        if (program.program() == null && n == 1 && forms.size() == 1 && program.failedFigure() != null
                && ClosedForms.MAXIMA.contains(program.failedFigure())
                && !rangeBoundsMemory()) {
            // A step whose live bytes no combination of the products gives at some sizes (a permuted map flattened as a view where an axis
            // is 1, a copy elsewhere) leaves the maxima out of the program, as a step of another form at a size's smallest does where
            // the sizes are several: the other figures are answered at every size, rather than none off the lattice. Not where a
            // @Budget(over) bounds the memory, whose forms the maxima would lose.
            List<String> withoutMaxima = programFigures.stream().filter(f -> !ClosedForms.MAXIMA.contains(f)).toList();
            OffLattice.Result rest = OffLattice.of(declared, separation, rules, probe, withoutMaxima, names, lattices.fallback, lattices.period, answered,
                    highest);
            if (rest.program() != null) {
                maximaWhy = program.why();
                program = rest;
            }
        }
        if (program.program() == null && "PARAMS".equals(program.failedFigure())) {
            // Weights that grow with a size (one that sets a layer's channels) may be no combination of the products: said beside why.
            String growing = weightsGrowing(forms.get(0).forms().get("PARAMS"), names);
            program = growing == null ? program : new OffLattice.Result(null, program.why() + "; its weights grow with " + growing, Map.of(),
                    program.failedAt(), program.failedFigure());
        }
        if (program.program() == null || belowOnly && !program.dropped().isEmpty()) {
            return belowOnly ? OffLattice.Result.none(null) : program;
        }
        // Where the program holds from a variable's smallest size only, it refuses the sizes below it itself.
        StringBuilder text = new StringBuilder(program.program());
        long[] largest = lattices.sizes(lattices.maxK);
        for (int i = 0; i < n; i++) {
            if (answered[i] > 1) {
                text.append("from\t").append(i).append('\t').append(answered[i]).append('\t')
                        .append(notBelow[i].replace('\t', ' ').replace('\n', ' ')).append('\n');
            }
            if (between.highest()[i] < largest[i]) {
                text.append("to\t").append(i).append('\t').append(between.highest()[i]).append('\t')
                        .append(between.whyAbove()[i].replace('\t', ' ').replace('\n', ' ')).append('\n');
            }
        }
        Map<String, String> dropped = new LinkedHashMap<>(program.dropped());
        base.floors().forEach((figure, why) -> {
            if (forms.get(0).forms().containsKey(figure)) {
                dropped.put(figure, why);
            }
        });
        if (atEdges || maximaWhy != null) {
            String why = atEdges ? AT_EDGES : maximaWhy;
            ClosedForms.MAXIMA.stream().filter(forms.get(0).forms()::containsKey).forEach(figure -> dropped.put(figure, why));
        }
        return new OffLattice.Result(text.toString(), dropped);
    }

    /**
     * The variable the weights grow with and their form on the lattice ({@code params}), as a failure on them is told: a size that
     * sets a layer's channels ({@code sizes = {"C", "H"}} of an image of C channels) may grow them as no product of a tensor's sizes
     * does; null where they do not grow.
     */
    private static String weightsGrowing(dev.modelcost.ClosedForm params, List<String> names) {
        if (params == null) {
            return null;
        }
        for (int t = 0; t < params.terms(); t++) {
            int[] exponents = params.exponents(t);
            for (int v = 0; v < exponents.length; v++) {
                if (exponents[v] > 0) {
                    return names.get(v) + ": " + params + " on the lattice";
                }
            }
        }
        return null;
    }

    /** Whether a {@code @Budget(over)} range bounds the activation peak or the inference or training memory. */
    private boolean rangeBoundsMemory() {
        return declared.spec().roofline().memory().stream().anyMatch(limit -> declared.spec().rangeOf(limit.site()) != null);
    }

    /**
     * Whether, of several variables, one's forms start above 1 and a norm's count checks the sizes together (an untracked batch
     * norm on a length, whose one position a batch of 2 gives two values): a size program may then answer below those forms at
     * other values of the others, on a lattice of period 1 too.
     */
    private boolean normBelow() {
        long[] smallest = lattices.sizes(lattices.minK);
        return n > 1 && Arrays.stream(smallest).anyMatch(size -> size > 1) && followed.get().rules() != null
                && followed.get().rules().countsValues();
    }

    /**
     * The sizes followed through the layers' shape rules for the size program: those followed at every size, or where a rule fails
     * there, the rules learned and checked only up to the sizes each layer takes in the forms' domain (the model analysed at its
     * smallest and largest sizes), where that holds.
     */
    private ShapeRules.Followed followedWithinDomain() {
        ShapeRules.Followed everywhere = followed.get();
        if (everywhere.rules() != null || SizeReads.first(declared.spec()) != null) {
            return everywhere;
        }
        ModelCosts top = probe.costs(highest);
        ModelCosts bottom = probe.costs(lattices.sizes(lattices.minK));
        if (top == null || bottom == null) {
            return everywhere;
        }
        ShapeRules.Followed within = ShapeRules.Followed.of(declared, List.of(bottom, top));
        return within.rules() != null ? within : everywhere;
    }

    /**
     * Why the size program fails ({@code why}), without the layer's reason where {@code before} has just given the same one (a
     * batch norm that fails to train at the smallest sizes, on the lattice and off it): said once in a message.
     */
    static String once(String why, String before) {
        int at = why.indexOf(OffLattice.EXISTS);
        if (at < 0 || before.isEmpty()) {
            return why;
        }
        String reason = why.substring(at + OffLattice.EXISTS.length());
        return before.endsWith(reason) ? why.substring(0, at) + ", where its shape rules say it exists, for the same reason" : why;
    }

    /** Why a maximum whose steps take another form at a smallest size has no form where the model has a size program. */
    static final String AT_EDGES = "some of whose live bytes take another form at a size's smallest (a tensor with an axis of 1 is "
            + "contiguous, so that PyTorch copies nothing there), which the program that follows sizes off the lattice does not solve; "
            + "compile the model at the size wanted";
}
