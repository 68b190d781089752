package dev.modelcost.processor.sizes;

import dev.modelcost.processor.analysis.LeafCall;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.layers.Attrs;
import dev.modelcost.processor.layers.Fewest;
import dev.modelcost.processor.layers.LayerFailure;
import dev.modelcost.processor.layers.LayerResult;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.spec.ModelSpec;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Learns what one leaf does with the sizes it reads ({@link ShapeRules}), by running its own formula alone at other sizes: which
 * of its input sizes must stay equal, each output axis's rule, the rules its costs follow besides, whether a cost grows with a
 * size's square, the lower products of sizes its costs need, and the smallest size it takes of one it drops.
 */
final class LeafRules {
    /** Input sizes each axis rule is run at, from 1: enough for periods up to {@link #MOST_PERIOD} to repeat twice. */
    private static final int SCAN = 200;
    /** The longest period of an axis rule (a stride, a scale's denominator). */
    private static final int MOST_PERIOD = 64;
    /** Far input sizes each axis rule is checked at. */
    private static final int[] FAR = {1_009, 10_007};

    /**
     * A dimension a leaf reads that is the product of others it reads too, so that it is no size of its own there: tokens flattened
     * from a map, read beside the map's sizes by a reshape back to it ({@code x.transpose(1, 2).reshape(B, C, H, W)}).
     *
     * @param axes the leaf's axes that hold it
     * @param constant the product's constant factor
     * @param sources the factors, each by one axis of the leaf that holds it or the size it is a map of (the same array as in the
     *     leaf's groups, which learning may merge)
     * @param maps per factor, the maps from that size to the factor, innermost first ({@code floor(H / 4)}: tokens of patches
     *     reshaped back by the input's sizes), empty where the factor is the size itself
     * @param factors the constant then the factors' dimensions, which the rules learned with it are memoized by
     */
    record Derived(List<int[]> axes, long constant, List<int[]> sources, List<List<AxisRule>> maps, String factors) {}

    /**
     * What a leaf does with the sizes it reads, learned once per call and pattern of variable axes.
     *
     * @param equal pairs of groups that must stay equal (the two sides of an addition), each with 1 where the layer takes the first
     *     at 1 against the other (broadcasts), else 0
     * @param firstGroups per variable of the leaf (a set of merged groups), its first group
     * @param axes per output axis, its rule over the variables
     * @param costs per variable, where the leaf's costs follow it by a rule of their own (adaptive pooling's windows), that rule; else null
     * @param squares per variable, whether a cost of the leaf grows with its square
     * @param crosses sets of two or three variables that no one tensor of the leaf holds together, whose product a cost grows with
     * @param lower what the costs need besides the products of the leaf's tensors' variable sizes ({@link Lower#NONE} where nothing)
     * @param smallest per variable, the smallest size the leaf takes of it where no rule of an output or a cost bounds it ({@link
     *     #smallestTaken}); 1 where the leaf takes every size
     * @param gaps per variable, where the leaf drops it and refuses some sizes of it above the smallest it takes ({@link #gapsAbove}),
     *     which sizes it takes; null where it takes each size its scan runs it at
     */
    record Learned(List<int[]> equal, List<Integer> firstGroups, AxisRule[] axes, AxisRule[] costs, boolean[] squares, List<int[]> crosses,
            Lower lower, long[] smallest, Gaps[] gaps) {}

    /**
     * A variable the leaf drops and takes some sizes only of above the smallest it takes, an attribute reading it ({@code index =
     * (x.W % 7) * 10}): why no program follows it, and whether the leaf takes a size of it, its other variables as called (a run of
     * its formula, kept with the learning's).
     */
    record Gaps(String why, java.util.function.LongPredicate takes) {}

    /**
     * Where some cost of a leaf is no combination of a constant and the products of its tensors' variable sizes, what the costs need
     * besides: the sub-products of each input's variable sizes ({@code inputs}, the leaf's variables each holds) and of the output's
     * ({@code outputAxes}, its axes that follow a variable).
     */
    record Lower(List<List<Integer>> inputs, List<Integer> outputAxes) {
        static final Lower NONE = new Lower(List.of(), List.of());
    }

    private final ModelSpec spec;
    /** Whether the batch is a size variable: a norm whose count spans it then runs at a batch that gives it enough values. */
    private final boolean batchVaries;
    private final LeafCall call;
    /**
     * The largest size each of the leaf's tensors' axes takes where the model exists ({@code ceilings[tensor][axis]}, the tensors as
     * {@link #shapes}), above which its formula is not run; null where no bound is known.
     */
    private final long[][] ceilings;
    /**
     * The smallest size each of the leaf's tensors' axes takes where every test of sizes holds as declared ({@code floors[tensor][axis]},
     * as {@link #ceilings}), below which its formula is not run; null where none is known.
     */
    private final long[][] floors;
    /** The dimensions the leaf reads that are products of others it reads ({@link Derived}), which follow those rather than vary alone. */
    private final List<Derived> derived;
    /**
     * Sizes the leaf reads none of but follows through maps ({@link Derived}), each a one-axis shape after the tensors' (its axis
     * {@code {shapes(call).size() + i, 0}}): a padded size's source, which the pad keeps a multiple of a window that a later reshape
     * takes only multiples of.
     */
    private final List<Shape> sources;
    /**
     * Whether the leaf must take every size of each variable at which its dimensions exist: where its dimensions follow a source
     * through maps, a refusal near the size called (which {@link #learn} looks for) can lie a period of the maps away.
     */
    private final boolean everySize;
    /** The formula's results by the variables' axes and sizes (a learning asks for the same sizes several times). */
    private final Map<List<Object>, java.util.Optional<LayerResult>> runs = new HashMap<>();
    /** The keys of {@link #runs} at which the leaf's call cannot be made ({@link #running} gives null), so that no formula ran. */
    private final Set<List<Object>> unmade = new java.util.HashSet<>();

    /**
     * A learning of {@code call}'s rules in the model {@code spec}, each of its tensors' axes up to {@code ceilings} (null: unbounded)
     * and from {@code floors} (null: from 1),
     * the dimensions in {@code derived} following the others or sizes the leaf does not read, {@code sources} ({@link #sources});
     * where {@code everySize}, the leaf must take every size of each of its variables at which its dimensions exist
     * ({@link #refuseGaps}).
     */
    LeafRules(ModelSpec spec, boolean batchVaries, LeafCall call, long[][] ceilings, long[][] floors, List<Derived> derived,
            List<Shape> sources, boolean everySize) {
        this.floors = floors;
        this.sources = sources;
        this.everySize = everySize;
        this.spec = spec;
        this.batchVaries = batchVaries;
        this.call = call;
        this.ceilings = ceilings;
        this.derived = derived;
    }

    /** The smallest size a variable of the leaf takes ({@link #floors}); 1 where unbounded. */
    private long floor(List<int[]> axes) {
        long floor = 1;
        for (int[] axis : axes) {
            // a source's axis ({@link #sources}) lies past the tensors: unbounded below
            if (floors != null && axis[0] < floors.length) {
                floor = Math.max(floor, floors[axis[0]][axis[1]]);
            }
        }
        return floor;
    }

    /** The largest size a variable of the leaf takes ({@link #ceilings}); {@link Long#MAX_VALUE} where unbounded. */
    private long ceiling(List<int[]> axes) {
        return ceiling(ceilings, axes);
    }

    /** The largest size the axes {@code axes} take under {@code ceilings} (null: unbounded); {@link Long#MAX_VALUE} where unbounded. */
    static long ceiling(long[][] ceilings, List<int[]> axes) {
        if (ceilings == null) {
            return Long.MAX_VALUE;
        }
        long ceiling = Long.MAX_VALUE;
        for (int[] axis : axes) {
            if (axis[0] >= ceilings.length) {
                continue; // a size the leaf does not read: bounded by the dimensions that follow it
            }
            ceiling = Math.min(ceiling, ceilings[axis[0]][axis[1]]);
        }
        return ceiling;
    }

    /** The size called with, lowered where {@code span} sizes above it would pass the ceiling: the first of sizes tried upward. */
    private long lowered(List<int[]> axes, long size, long span) {
        return Math.max(1, Math.min(size, ceiling(axes) - span));
    }

    /** {@code size + delta} where the variable takes it, else {@code size - delta} where that is a size: a size near the one called. */
    private long near(List<int[]> axes, long size, long delta) {
        return size + delta <= ceiling(axes) || size - delta < 1 ? size + delta : size - delta;
    }

    /** The shapes a leaf's rules vary: its inputs, then the tensors whose sizes its attributes read. */
    static List<Shape> shapes(LeafCall call) {
        List<Shape> shapes = new ArrayList<>(call.inputs());
        if (call.reevaluation() != null) {
            shapes.addAll(call.reevaluation().tensors().values());
        }
        return shapes;
    }

    /**
     * What the leaf does with its variable groups {@code groupAxes}, its output {@code out} as called; {@code label} names it in reasons.
     *
     * @throws ShapeRules.Unfollowable where no rule is learned: a refusal of a size changed alone, a rule of no period, or where the
     *     leaf must take every size ({@link #everySize}), a size it does not take
     */
    Learned learn(List<List<int[]>> groupAxes, Shape out, String label) throws ShapeRules.Unfollowable {
        for (int g = 0; everySize && g < groupAxes.size(); g++) {
            refuseGaps(groupAxes, g, label);
        }
        // Distinct dimensions of equal size whose layer refuses them apart (the two sides of an addition) must stay equal: a group that
        // the layer refuses changed alone is merged with each group of its size that, changed with it, the layer takes.
        int groups = groupAxes.size();
        List<Set<Integer>> merged = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            merged.add(new LinkedHashSet<>(List.of(g)));
        }
        List<int[]> equal = new ArrayList<>();
        // Each group the layer takes some sizes only of, and how many sizes apart: the first's reason is the refusal's.
        ShapeRules.SomeSizes someSizesOnly = null;
        for (int g = 0; g < groups; g++) {
            long size = size(groupAxes.get(g));
            long[] alone = new long[groups];
            Arrays.fill(alone, -1);
            long changed = near(groupAxes.get(g), size, 1);
            alone[g] = changed;
            if (run(groupAxes, alone) != null) {
                continue;
            }
            // One more refused but one fewer taken: a bound another size sets (a reflection's padding below the size), no equality.
            long[] fewer = alone.clone();
            fewer[g] = size - 1;
            if (changed > size && size > 1 && run(groupAxes, fewer) != null) {
                throw new ShapeRules.Unfollowable(label + " takes a size only up to a bound another size sets: not " + (size + 1) + ", but "
                        + (size - 1) + ", next to the " + size + " it is given");
            }
            boolean partnered = false;
            for (int h = 0; h < groups; h++) {
                if (h == g || size(groupAxes.get(h)) != size) {
                    continue;
                }
                long[] together = alone.clone();
                together[h] = changed;
                if (run(groupAxes, together) != null) {
                    partnered = true;
                    if (merged.get(g) != merged.get(h)) {
                        Set<Integer> union = merged.get(g);
                        union.addAll(merged.get(h));
                        for (int u : union) {
                            merged.set(u, union);
                        }
                        // Whether the layer takes one side at 1 against the other (an addition broadcasts; a concatenation does not).
                        long[] one = new long[groups];
                        Arrays.fill(one, -1);
                        one[g] = 1;
                        boolean broadcasts = size > 1 && run(groupAxes, one) != null;
                        equal.add(new int[] {g, h, broadcasts ? 1 : 0});
                    }
                }
            }
            boolean someSizes = false;
            long every = 0;
            for (long further = 2; further <= MOST_PERIOD && !partnered && !someSizes; further++) {
                long[] other = alone.clone();
                other[g] = near(groupAxes.get(g), size, further);
                someSizes = run(groupAxes, other) != null;
                every = further;
            }
            if (!partnered && someSizes) {
                someSizesOnly = someSizesOnly != null ? someSizesOnly.and(g, every)
                        : new ShapeRules.SomeSizes(label + " takes some sizes only: not " + changed + ", next to the " + size + " it is given", g, every);
                continue;
            }
            if (!partnered && someSizesOnly != null) {
                throw someSizesOnly;
            }
            if (!partnered) {
                throw new ShapeRules.Unfollowable(label + " refuses a change of an input's size that no other input of that size makes up for"
                        + " (a constraint between sizes, such as a reshape to their product, or an input of fixed size)");
            }
        }
        if (someSizesOnly != null) {
            throw someSizesOnly;
        }
        // The leaf's variables: one per set of merged groups, its first group standing for it.
        List<List<int[]>> axes = new ArrayList<>();
        List<Integer> firstGroups = new ArrayList<>();
        Set<Set<Integer>> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (int g = 0; g < groups; g++) {
            if (seen.add(merged.get(g))) {
                List<int[]> together = new ArrayList<>();
                merged.get(g).forEach(u -> together.addAll(groupAxes.get(u)));
                axes.add(together);
                firstGroups.add(g);
            }
        }
        AxisRule[] rules = rules(axes, out, label);
        AxisRule[] costs = new AxisRule[axes.size()];
        boolean[] squares = new boolean[axes.size()];
        long[] smallest = new long[axes.size()];
        Arrays.fill(smallest, 1);
        Gaps[] gaps = new Gaps[axes.size()];
        boolean shaping = true;
        for (int v = 0; v < axes.size(); v++) {
            boolean shapes = reads(rules, v);
            if (!shapes) {
                costs[v] = costRule(axes, v, label);
                if (costs[v] == null) {
                    smallest[v] = smallestTaken(axes, v, label, gaps);
                }
            } else {
                squares[v] = square(axes, v);
            }
            shaping &= shapes;
        }
        // Lower terms are learned where the output follows every variable (a cost following one by a rule of its own, or over a
        // period too long to follow, is left to the checks against the compiled model).
        return new Learned(equal, firstGroups, rules, costs, squares, crosses(axes, rules, costs),
                shaping ? lowerTerms(axes, rules, squares) : Lower.NONE, smallest, gaps);
    }

    /**
     * The smallest size of variable {@code v} at which the leaf has an output, its other variables as called, where that is above the
     * smallest size it is run at: a select of index 60 takes 61 positions on the axis it drops, which no rule of an output holds. The
     * sizes from there to {@value #SCANNED_ONE_BY_ONE} above are run one by one; past them, where no attribute reads a size, the leaf
     * is taken to refuse every size below the bound and none above it, which is halved down from the size called with. 1 where the leaf
     * has an output at the smallest size, and where its call cannot be made at a size of the scan (another size it reads, following
     * this one, would be below 1: the network ends there by that size's rule); where an attribute reads a size, the sizes at the
     * bottom of the scan at which the call cannot be made are passed first, and the bound and the gaps are found above them.
     *
     * <p>Where an attribute reads a size, the bound may move with it. An attribute that reads only this variable's axes
     * ({@code index = x.W / 2 + 20}) gives a bound of this size alone, which holds where the leaf takes every size above it
     * ({@link #readsAlone}); where it does not, {@code gaps[v]} says which it takes ({@link #gapsAbove}). Otherwise (an attribute
     * reads another variable, {@code index = input.H / 2} on W, or this variable holds no axis of the leaf's inputs and is no size
     * that one follows) the bound moves with another size, which no {@code least} check holds:
     * where the leaf has no output at the smallest size it is run at, the others as called, the program is refused; else 1, the leaf's
     * failures left to the closed forms' domain finding, which misses a bound that appears only at sizes far from those called
     * (an index of {@code 60 * (input.H / 100) - 60 * (input.H / 101)}, 0 but at H = 100 and a few more).
     *
     * @throws ShapeRules.Unfollowable where an attribute reads only this variable and the leaf takes none of it in the scan; where an
     *     attribute reads another size and the leaf refuses this variable's smallest size
     */
    private long smallestTaken(List<List<int[]>> axes, int v, String label, Gaps[] gaps) throws ShapeRules.Unfollowable {
        boolean reads = call.reevaluation() != null;
        boolean alone = !reads || readsAlone(axes, v);
        long[] sizes = new long[axes.size()];
        Arrays.fill(sizes, -1);
        long low = floor(axes.get(v));
        long called = size(axes.get(v));
        if (!alone) {
            sizes[v] = low;
            if (refused(axes, sizes)) {
                throw new ShapeRules.Unfollowable(label + " takes its " + axisName(axes.get(v)) + " axis, which it drops, only from a size"
                        + " on that an attribute reading another size sets: the bound moves with that size");
            }
            return 1;
        }
        // Where an attribute reads the size, the sizes at which the call cannot be made first (the network ends there by another size's
        // rule: a strided convolution's output of no position, the select's axis) are passed: the bound and the gaps lie above them.
        long start = low;
        for (long x = low; x <= Math.min(called, start + SCANNED_ONE_BY_ONE); x++) {
            sizes[v] = x;
            if (result(axes, sizes) != null) {
                if (reads) {
                    gaps[v] = gapsAbove(axes, v, x, label);
                }
                return x == start ? 1 : x;
            }
            if (!refused(axes, sizes)) {
                if (reads && x == start) {
                    start = x + 1;
                    continue;
                }
                return 1;
            }
        }
        if (called <= start + SCANNED_ONE_BY_ONE) {
            return 1; // no output even as called: nothing to bound
        }
        if (reads) {
            throw new ShapeRules.Unfollowable(label + " takes no size of the " + axisName(axes.get(v)) + " axis it drops below "
                    + (start + SCANNED_ONE_BY_ONE + 1) + ", where an attribute reads it: its smallest is not searched further");
        }
        long refused = low + SCANNED_ONE_BY_ONE;
        long taken = called;
        while (taken - refused > 1) {
            long middle = refused + (taken - refused) / 2;
            sizes[v] = middle;
            if (result(axes, sizes) != null) {
                taken = middle;
            } else {
                refused = middle;
            }
        }
        return taken;
    }

    /**
     * Which sizes of variable {@code v}, which its attributes read, a leaf takes, where it has no output at a size above {@code first},
     * the smallest it takes; null where it has one at each size scanned: the {@value #SCANNED_ONE_BY_ONE} sizes above it one by one,
     * then the far sizes ({@link #farSizes}). The scan ends where the call cannot be made (a size it reads, following this one, would
     * be below 1 or above its largest). A gap that opens past the scan and closes before the far sizes (an index of {@code (x.W / 5000
     * % 2) * 6000}, which fits up to 4,999 positions, not from 5,000 to 6,000, and again from 6,001) is left to the closed forms'
     * domain finding.
     */
    private Gaps gapsAbove(List<List<int[]>> axes, int v, long first, String label) {
        long[] sizes = new long[axes.size()];
        Arrays.fill(sizes, -1);
        long end = Math.min(ceiling(axes.get(v)), first + SCANNED_ONE_BY_ONE);
        long[] far = Arrays.stream(farSizes(axes.get(v))).filter(x -> x > end).toArray();
        for (long x : java.util.stream.LongStream.concat(java.util.stream.LongStream.rangeClosed(first + 1, end), Arrays.stream(far)).toArray()) {
            sizes[v] = x;
            if (refused(axes, sizes)) {
                return new Gaps(label + " takes some sizes only of the " + axisName(axes.get(v)) + " axis it drops, where an attribute"
                        + " reads it: " + first + " but not " + x, size -> takes(axes, v, size));
            }
            if (result(axes, sizes) == null) {
                return null;
            }
        }
        return null;
    }

    /**
     * Whether the leaf has an output with variable {@code v} at {@code size}, the others as called, or its call cannot be made there
     * (a size it reads, following this one, would be below 1, so that the network ends there by that size's rule; the size lies
     * outside the bounds the leaf is learned within; an attribute fails to evaluate there): not {@link #refused}.
     */
    private boolean takes(List<List<int[]>> axes, int v, long size) {
        long[] sizes = new long[axes.size()];
        Arrays.fill(sizes, -1);
        sizes[v] = size;
        return !refused(axes, sizes);
    }

    /**
     * Whether the leaf's attributes read the sizes of variable {@code v} alone, as an axis of an input that it holds
     * ({@code index = x.W / 2 + 20} on W): every axis they read ({@link dev.modelcost.processor.analysis.Reevaluation#axesRead}) is
     * {@code v}'s, or a size that stays as called while {@code v} varies (a fixed size, or a name that is no tensor's axis as the
     * step resolves it), and not a product of other sizes ({@link Derived}) unless each of its factors is {@code v}'s; and {@code v}
     * holds an axis of the leaf's inputs, or every factor of a {@link Derived} that an input's axis holds (the length before a strided
     * convolution, whose output the leaf selects from, where the leaf is followed through it). Only then does the leaf's bound on
     * {@code v} read no other size: a value read from another tensor's size ({@code input.L / 4}) is compared with an axis of the
     * input. Where {@code v} is the leaf's own axis, an axis that is a map of it ({@code conv.W}, half of it) counts as another's,
     * which leaves the bound at 1.
     */
    private boolean readsAlone(List<List<int[]>> axes, int v) {
        boolean holdsInput = axes.get(v).stream().anyMatch(held -> held[0] < call.inputs().size())
                || derived.stream().anyMatch(product -> axes.get(v).containsAll(product.sources())
                        && product.axes().stream().anyMatch(held -> held[0] < call.inputs().size()));
        if (!holdsInput) {
            return false;
        }
        List<Shape> shapes = varied();
        for (String read : call.reevaluation().axesRead()) {
            int[] tensorAxis = axisRead(call, shapes, read);
            if (tensorAxis == null) {
                continue; // no tensor's axis: as called whatever the sizes
            }
            for (int u = 0; u < axes.size(); u++) {
                if (u != v && axes.get(u).stream().anyMatch(held -> Arrays.equals(held, tensorAxis))) {
                    return false;
                }
            }
            for (Derived product : derived) {
                if (product.axes().stream().anyMatch(held -> Arrays.equals(held, tensorAxis)) && !axes.get(v).containsAll(product.sources())) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Which of the leaf's tensors and which axis of it an attribute reads, as {@link dev.modelcost.processor.analysis.Reevaluation#axesRead}
     * names it ({@code x.W}): the index among {@code shapes} (the call's inputs, then the tensors its attributes read, in order) and the
     * axis; null where the name is no tensor's axis as the step resolves it (a number that stays as called whatever the sizes).
     */
    static int[] axisRead(LeafCall call, List<Shape> shapes, String read) {
        int dot = read.indexOf('.');
        String tensor = read.substring(0, dot);
        int shape = new ArrayList<>(call.reevaluation().tensors().keySet()).indexOf(tensor);
        shape = shape >= 0 ? call.inputs().size() + shape : tensor.equals(ShapeRules.OWN_INPUT) && !call.inputs().isEmpty() ? 0 : -1;
        int axis = shape < 0 ? -1 : shapes.get(shape).axes().indexOf(read.substring(dot + 1));
        return axis < 0 ? null : new int[] {shape, axis};
    }

    /** How many sizes above the smallest it is run at {@link #smallestTaken} runs the leaf at one by one. */
    private static final int SCANNED_ONE_BY_ONE = 4096;

    /**
     * The sets of two or three of the leaf's variables that no one of its tensors holds together and whose product a cost grows with
     * (cross-attention's scores, one per query and key position; times the features where those are a size too): a cost's mixed
     * difference over the set, at the sizes called with and one above each, is not 0. Variables whose costs follow a rule of their own
     * ({@code costs}) are left to the checks against the compiled model, and so is a set whose difference comes from floors rather
     * than a product.
     */
    private List<int[]> crosses(List<List<int[]>> axes, AxisRule[] rules, AxisRule[] costs) {
        List<int[]> crosses = new ArrayList<>();
        List<Integer> free = new ArrayList<>();
        for (int v = 0; v < axes.size(); v++) {
            if (costs[v] == null) {
                free.add(v);
            }
        }
        for (int i = 0; i < free.size(); i++) {
            for (int j = i + 1; j < free.size(); j++) {
                for (int k = j; k < free.size(); k++) {
                    // k == j: the pair alone; else the triple
                    int[] variables = k == j ? new int[] {free.get(i), free.get(j)} : new int[] {free.get(i), free.get(j), free.get(k)};
                    if (!together(axes, rules, variables) && mixed(axes, variables)) {
                        crosses.add(variables);
                    }
                }
            }
        }
        return crosses;
    }

    /** Whether one tensor of the leaf holds every one of {@code variables}: an input, or the output where they all shape it. */
    private static boolean together(List<List<int[]>> axes, AxisRule[] rules, int[] variables) {
        java.util.Set<Integer> tensors = null;
        for (int v : variables) {
            java.util.Set<Integer> holding = new java.util.HashSet<>();
            axes.get(v).forEach(axis -> holding.add(axis[0]));
            if (tensors == null) {
                tensors = holding;
            } else {
                tensors.retainAll(holding);
            }
        }
        return !tensors.isEmpty() || Arrays.stream(variables).allMatch(v -> reads(rules, v));
    }

    /** Whether some output axis's rule reads variable {@code v}. */
    private static boolean reads(AxisRule[] rules, int v) {
        return Arrays.stream(rules).anyMatch(r -> r.groups() != null && Arrays.stream(r.groups()).anyMatch(g -> g == v));
    }

    /**
     * Whether a cost's mixed difference in {@code variables} (each at the size called with and one above, or one below where the
     * variable takes no larger size) is not 0.
     */
    private boolean mixed(List<List<int[]>> axes, int[] variables) {
        int corners = 1 << variables.length;
        long[] difference = null;
        for (int corner = 0; corner < corners; corner++) {
            long[] sizes = new long[axes.size()];
            Arrays.fill(sizes, -1);
            for (int i = 0; i < variables.length; i++) {
                int v = variables[i];
                sizes[v] = lowered(axes.get(v), size(axes.get(v)), 1) + (corner >> i & 1);
            }
            LayerResult result = result(axes, sizes);
            if (result == null) {
                return false;
            }
            long[] values = result.cost().values();
            difference = difference == null ? new long[values.length] : difference;
            // the corner's sign: + where the variables stepped up an even number of times short of all of them
            boolean plus = (variables.length - Integer.bitCount(corner)) % 2 == 0;
            try {
                for (int f = 0; f < values.length; f++) {
                    difference[f] = plus ? Math.addExact(difference[f], values[f]) : Math.subtractExact(difference[f], values[f]);
                }
            } catch (ArithmeticException beyond64Bits) {
                return false; // the checks against the compiled model decide
            }
        }
        return Arrays.stream(difference).anyMatch(d -> d != 0);
    }

    /**
     * Where the leaf has two variables or more, each shaping its output and none of whose costs grows with its square, and some cost
     * or its scratch is no combination of a constant and the products of each tensor's variable sizes (a transposed convolution's
     * FLOPs subtract the output positions a product reaches, {@code (o − 1)·(o' − 1)} with an output padding of 1; a reflect-padded
     * convolution holds a copy of {@code (H + 6)·(W + 6)} positions while it runs): per tensor, the inputs' then the
     * output's, the variables it holds, whose sub-products the costs need too. Found exactly, at sizes near those called; else {@link Lower#NONE}.
     */
    private Lower lowerTerms(List<List<int[]>> axes, AxisRule[] rules, boolean[] squares) {
        int m = axes.size();
        if (m < 2) {
            return Lower.NONE;
        }
        for (boolean square : squares) {
            if (square) {
                return Lower.NONE;
            }
        }
        // Per tensor, the variables it holds: each input's axes, and the output's axes whose rules read them.
        List<List<Integer>> tensors = new ArrayList<>();
        int inputs = shapes(call).size();
        for (int j = 0; j < inputs; j++) {
            List<Integer> held = new ArrayList<>();
            for (int v = 0; v < m; v++) {
                for (int[] axis : axes.get(v)) {
                    if (axis[0] == j && !held.contains(v)) {
                        held.add(v);
                    }
                }
            }
            if (!held.isEmpty()) {
                tensors.add(held);
            }
        }
        List<Integer> outputAxes = new ArrayList<>();
        for (int a = 0; a < rules.length; a++) {
            if (rules[a].groups() != null && rules[a].groups().length > 0) {
                outputAxes.add(a);
            }
        }
        // The products of sizes the costs may combine: a constant, each tensor's whole product (the program's own monomials), then every
        // sub-product of each tensor's sizes. Each a list of (tensor, variable or output axis) factors: -1 the output.
        List<List<int[]>> whole = new ArrayList<>();
        List<List<int[]>> parts = new ArrayList<>();
        for (int t = 0; t <= tensors.size(); t++) {
            List<Integer> held = t < tensors.size() ? tensors.get(t) : outputAxes;
            int tensor = t < tensors.size() ? t : -1;
            for (List<Integer> subset : ShapeRules.subsets(held)) {
                List<int[]> product = subset.stream().map(factor -> new int[] {tensor, factor}).toList();
                (subset.size() == held.size() ? whole : parts).add(product);
            }
        }
        int functions = 1 + whole.size() + parts.size();
        // Sizes near those called, each variable stepping unevenly so that the products separate.
        List<long[]> values = new ArrayList<>();
        List<long[]> costs = new ArrayList<>();
        // The bytes the leaf holds while it runs besides its output (a padded copy of its input, (H + 6)·(W + 6) for a reflection
        // by 3): a part of a step's live bytes, whose lower terms the program needs as the costs' own.
        List<long[]> scratches = new ArrayList<>();
        long[] base = new long[m];
        for (int v = 0; v < m; v++) {
            base[v] = lowered(axes.get(v), size(axes.get(v)), 16);
        }
        for (int p = 0; p < 4 * functions + 8 && values.size() < functions + 4; p++) {
            long[] sizes = base.clone();
            for (int v = 0; v < m; v++) {
                sizes[v] += ((long) p * (7 + 4 * v) + (long) p * p * (v + 1)) % 17;
            }
            LayerResult result = result(axes, sizes);
            if (result == null) {
                continue;
            }
            long[] row = new long[functions];
            row[0] = 1;
            long scratch;
            try {
                Running running = running(axes, sizes);
                if (running == null) {
                    continue;
                }
                scratch = call.kind().scratch().bytes(running.attrs(), running.inputs(), result.output(), running.samples(), call.activations());
                int f = 1;
                for (List<List<int[]>> products : List.of(whole, parts)) {
                    for (List<int[]> product : products) {
                        long value = 1;
                        for (int[] factor : product) {
                            value = Math.multiplyExact(value, factor[0] < 0 ? result.output().dim(factor[1]) : sizes[factor[1]]);
                        }
                        row[f++] = value;
                    }
                }
            } catch (ArithmeticException e) {
                continue;
            }
            values.add(row);
            costs.add(result.cost().values());
            scratches.add(new long[] {scratch});
        }
        if (values.size() < functions + 2) {
            return Lower.NONE; // too few sizes to tell: the checks against the compiled model decide
        }
        // Lower terms: a cost outside the span of the constant and the whole products, inside that of every product.
        Echelon wholeSpan = new Echelon(values.size());
        for (int f = 0; f <= whole.size(); f++) {
            wholeSpan.add(column(values, f));
        }
        Echelon allSpan = new Echelon(values.size());
        for (int f = 0; f < functions; f++) {
            allSpan.add(column(values, f));
        }
        boolean lower = false;
        for (int c = 0; c < costs.get(0).length; c++) {
            BigInteger[] cost = column(costs, c);
            if (allSpan.wouldAdd(cost)) {
                return Lower.NONE; // a cost of a rule of its own (adaptive pooling's windows): the checks decide
            }
            lower |= wholeSpan.wouldAdd(cost);
        }
        // A scratch of a rule of its own (the largest of several moments) adds nothing here: the checks decide.
        BigInteger[] scratch = column(scratches, 0);
        lower |= !allSpan.wouldAdd(scratch) && wholeSpan.wouldAdd(scratch);
        return lower ? new Lower(tensors, outputAxes) : Lower.NONE;
    }

    /** Column {@code c} of the rows, exact. */
    private static BigInteger[] column(List<long[]> rows, int c) {
        BigInteger[] column = new BigInteger[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            column[r] = BigInteger.valueOf(rows.get(r)[c]);
        }
        return column;
    }

    /**
     * Whether a cost of the leaf grows with the square of variable {@code v}: its second difference is the same, not 0, over six
     * consecutive sizes from the one called with (a floor's steps alternate instead).
     */
    private boolean square(List<List<int[]>> axes, int v) {
        long[] sizes = new long[axes.size()];
        Arrays.fill(sizes, -1);
        long size = lowered(axes.get(v), size(axes.get(v)), 5);
        long[][] rows = new long[6][];
        for (int i = 0; i < rows.length; i++) {
            sizes[v] = size + i;
            LayerResult result = result(axes, sizes);
            if (result == null) {
                return false;
            }
            rows[i] = result.cost().values();
            if (i == 2 && !curved(rows)) {
                return false; // no cost bends over the first three sizes: none is a square
            }
        }
        for (int f = 0; f < rows[0].length; f++) {
            long second = rows[2][f] - 2 * rows[1][f] + rows[0][f];
            boolean constant = second != 0;
            for (int i = 1; constant && i + 2 < rows.length; i++) {
                constant = rows[i + 2][f] - 2 * rows[i + 1][f] + rows[i][f] == second;
            }
            if (constant) {
                return true;
            }
        }
        return false;
    }

    /** Whether some cost's second difference over the first three rows is not 0. */
    private static boolean curved(long[][] rows) {
        for (int f = 0; f < rows[0].length; f++) {
            if (rows[2][f] - 2 * rows[1][f] + rows[0][f] != 0) {
                return true;
            }
        }
        return false;
    }

    /** The shapes the rules vary ({@link #shapes}), then the sizes followed that the leaf does not read ({@link #sources}). */
    private List<Shape> varied() {
        List<Shape> shapes = new ArrayList<>(shapes(call));
        shapes.addAll(sources);
        return shapes;
    }

    /**
     * Refuses the leaf where, with group {@code g} at some size from 1 up to {@value #SCAN} or at the far sizes (the others as
     * called), its dimensions exist but it fails: a reshape into windows of 5 after a stride of 8 takes only one image height in 40,
     * which a pad to a multiple of 5 would make every height.
     */
    private void refuseGaps(List<List<int[]>> axes, int g, String label) throws ShapeRules.Unfollowable {
        long[] sizes = new long[axes.size()];
        Arrays.fill(sizes, -1);
        long[] near = java.util.stream.LongStream.rangeClosed(1, Math.min(SCAN, ceiling(axes.get(g)))).toArray();
        for (long x : java.util.stream.LongStream.concat(Arrays.stream(near), Arrays.stream(farSizes(axes.get(g)))).toArray()) {
            sizes[g] = x;
            if (refused(axes, sizes)) {
                throw new ShapeRules.Unfollowable(label + " takes some sizes only of " + axisName(axes.get(g)) + " that its inputs follow: not " + x);
            }
        }
    }

    /** The size of a group's first axis in the call. */
    private long size(List<int[]> axes) {
        int[] axis = axes.get(0);
        return varied().get(axis[0]).dim(axis[1]);
    }

    /** The name of a group's first axis in the call ({@code H}). */
    private String axisName(List<int[]> axes) {
        int[] axis = axes.get(0);
        return varied().get(axis[0]).axis(axis[1]);
    }

    /** The leaf's output run alone with each variable at the given size (-1: as called), or null where it fails there. */
    private Shape run(List<List<int[]>> axes, long[] sizes) {
        LayerResult result = result(axes, sizes);
        return result == null ? null : result.output();
    }

    /** The leaf's formula run alone with each variable at the given size (-1: as called), or null where it fails there; asked once per leaf. */
    private LayerResult result(List<List<int[]>> axes, long[] sizes) {
        List<Object> key = key(axes, sizes);
        java.util.Optional<LayerResult> ran = runs.get(key);
        if (ran == null) {
            Running running = running(axes, sizes);
            if (running == null) {
                unmade.add(key);
            }
            ran = java.util.Optional.ofNullable(running == null ? null : formula(running));
            runs.put(key, ran);
        }
        return ran.orElse(null);
    }

    /**
     * Whether the leaf's call can be made with each variable at the given size (-1: as called) but it has no output there: it refuses
     * those sizes, where a size it reads does not end the network first; asked once per leaf, as {@link #result}.
     */
    private boolean refused(List<List<int[]>> axes, long[] sizes) {
        return result(axes, sizes) == null && !unmade.contains(key(axes, sizes));
    }

    /** The key of {@link #runs} for the variables' axes at the given sizes. */
    private static List<Object> key(List<List<int[]>> axes, long[] sizes) {
        return List.of(axes, Arrays.stream(sizes).boxed().toList());
    }

    private LayerResult formula(Running running) {
        try {
            return call.formula(running.attrs(), running.inputs(), spec.conventions(), running.samples());
        } catch (LayerFailure | Problem | ArithmeticException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A leaf's call at other sizes: its attributes there, its inputs' shapes and the samples it runs for.
     *
     * @param attrs its attributes, evaluated again where they read tensors' sizes
     * @param inputs its inputs' shapes there, without the batch
     * @param samples the batch it runs at
     */
    private record Running(Attrs attrs, List<Shape> inputs, long samples) {}

    /** The leaf's call with each variable of {@code axes} at {@code sizes} (-1: as called); null where it cannot be made there. */
    private Running running(List<List<int[]>> axes, long[] sizes) {
        List<Shape> shapes = varied();
        for (int v = 0; v < axes.size(); v++) {
            if (sizes[v] < 0) {
                continue;
            }
            if (sizes[v] > Integer.MAX_VALUE || sizes[v] > ceiling(axes.get(v)) || sizes[v] < floor(axes.get(v))) {
                return null;
            }
            resize(shapes, axes.get(v), sizes[v]);
        }
        for (Derived product : derived) {
            long size = product.constant();
            for (int f = 0; f < product.sources().size(); f++) {
                int v = 0;
                while (v < axes.size() && !axes.get(v).contains(product.sources().get(f))) {
                    v++;
                }
                if (v == axes.size()) {
                    return null;
                }
                Long factor = sizes[v] >= 0 ? sizes[v] : size(axes.get(v));
                for (AxisRule map : product.maps().get(f)) {
                    factor = factor == null ? null : map.at(factor);
                }
                if (factor == null || factor < 1) {
                    return null;
                }
                size *= factor;
                if (size > Integer.MAX_VALUE) {
                    return null;
                }
            }
            if (size > ceiling(product.axes())) {
                return null;
            }
            resize(shapes, product.axes(), size);
        }
        List<Shape> inputs = shapes.subList(0, call.inputs().size());
        try {
            Attrs attrs = call.attrs();
            if (call.reevaluation() != null) {
                Map<String, Shape> named = new LinkedHashMap<>();
                int k = inputs.size();
                for (String tensor : call.reevaluation().tensors().keySet()) {
                    named.put(tensor, shapes.get(k++));
                }
                attrs = call.reevaluation().at(inputs.isEmpty() ? null : inputs.get(0), named);
            }
            // Where the batch is a size variable, a norm whose count spans the batch runs at a batch that gives it enough values
            // whatever its positions: its rules are the shapes', and the program's least check refuses the count at each batch.
            Fewest fewest = !batchVaries || inputs.isEmpty() ? null : call.kind().fewest().at(attrs, inputs.get(0));
            return new Running(attrs, List.copyOf(inputs), fewest == null || !fewest.acrossBatch() ? call.batch()
                    : Math.max(call.batch(), fewest.min()));
        } catch (LayerFailure | Problem | ArithmeticException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Sets each of {@code axes} ({tensor, axis}) of {@code shapes} to {@code size}, at most 2^31 − 1. */
    private static void resize(List<Shape> shapes, List<int[]> axes, long size) {
        for (int[] axis : axes) {
            Shape shape = shapes.get(axis[0]);
            List<Integer> changed = new ArrayList<>(shape.dims());
            changed.set(axis[1], (int) size);
            shapes.set(axis[0], shape.reshaped(changed, shape.axes()));
        }
    }

    /** Each output axis's rule: which variables change it, then one scan per variable that alone does. */
    private AxisRule[] rules(List<List<int[]>> axes, Shape out, String label) throws ShapeRules.Unfollowable {
        int m = axes.size();
        long[] asCalled = new long[m];
        Arrays.fill(asCalled, -1);
        Shape base = run(axes, asCalled);
        if (base == null || !base.dims().equals(out.dims())) {
            throw new ShapeRules.Unfollowable(label + " gives another output when its formula runs alone");
        }
        List<List<Integer>> depends = new ArrayList<>();
        for (int a = 0; a < out.rank(); a++) {
            depends.add(new ArrayList<>());
        }
        for (int v = 0; v < m; v++) {
            long size = size(axes.get(v));
            for (long changed : new long[] {near(axes.get(v), size, 1), near(axes.get(v), size, 97), Math.max(1, size - 1)}) {
                long[] sizes = asCalled.clone();
                sizes[v] = changed;
                Shape shape = run(axes, sizes);
                for (int a = 0; shape != null && shape.rank() == out.rank() && a < out.rank(); a++) {
                    if (shape.dim(a) != out.dim(a) && !depends.get(a).contains(v)) {
                        depends.get(a).add(v);
                    }
                }
            }
        }
        AxisRule[] rules = new AxisRule[out.rank()];
        Map<Integer, long[][]> scans = new HashMap<>();
        for (int a = 0; a < out.rank(); a++) {
            List<Integer> on = depends.get(a);
            if (on.isEmpty()) {
                rules[a] = new AxisRule("fixed", null, 0, 0, 0, null, out.dim(a), out.axis(a));
            } else if (on.size() == 1 && keeps(axes, out, a, on.get(0))) {
                // The input's size, as every element-wise layer keeps it: no scan.
                rules[a] = new AxisRule("map", new long[] {on.get(0)}, 1, 1, 1, new long[] {1}, 0, axisName(axes.get(on.get(0))));
            } else if (on.size() == 1) {
                int v = on.get(0);
                long[][] scan = scans.get(v);
                if (scan == null) {
                    scan = scan(axes, out, v, label);
                    scans.put(v, scan);
                }
                rules[a] = map(axes, out, a, v, scan, label);
            } else {
                rules[a] = combined(axes, out, a, on, "mul");
                if (rules[a] == null) {
                    rules[a] = combined(axes, out, a, on, "add");
                }
                // each size's map alone, the others as called: their sum or their product
                AxisRule[] maps = rules[a] == null ? mapsAlone(axes, out, a, on, scans, label) : null;
                if (maps != null) {
                    rules[a] = separable(axes, out, a, on, maps);
                }
                if (maps != null && rules[a] == null) {
                    rules[a] = productOfMaps(axes, out, a, on, maps);
                }
                if (rules[a] == null) {
                    throw new ShapeRules.Unfollowable(label + " has an output size that is neither a product nor a sum of its input sizes, "
                            + "each after floors and remainders of its own");
                }
            }
        }
        return rules;
    }

    /**
     * Where a variable changes none of the leaf's output sizes but its costs follow it otherwise than in proportion (adaptive
     * pooling averages windows whose sizes follow floors and ceilings of the input's fraction), the rule of the first cost that does
     * not grow evenly, as one more dimension; null where every cost grows evenly or the leaf's costs do not follow the variable.
     *
     * @throws ShapeRules.Unfollowable where a cost follows it by no rule of a period up to {@value #MOST_COST_PERIOD}
     */
    private AxisRule costRule(List<List<int[]>> axes, int v, String label) throws ShapeRules.Unfollowable {
        long[] sizes = new long[axes.size()];
        Arrays.fill(sizes, -1);
        int count = 100;
        long[][] rows = new long[count + 1][];
        for (int x = 1; x <= count; x++) {
            if (x == FIRST_COSTS + 1 && evenly(axes, v, rows)) {
                return null;
            }
            sizes[v] = x;
            LayerResult result = result(axes, sizes);
            if (result != null) {
                rows[x] = result.cost().values();
            }
        }
        int x0 = 1;
        while (x0 <= count && rows[x0] == null) {
            x0++;
        }
        for (int x = x0; x <= count; x++) {
            if (rows[x] == null) {
                return null; // gaps: the checks against the compiled model decide
            }
        }
        if (count - x0 < 24) {
            return null;
        }
        for (int f = 0; f < rows[x0].length; f++) {
            if (period(rows, x0, count, f, 1) < 0) {
                int p = period(rows, x0, count, f, MOST_COST_PERIOD);
                if (p < 0) {
                    // Neither the variable's own size nor a rule of its own: left to the checks, another rule could stand in for it at
                    // the sizes checked and differ elsewhere (a pooling to 10 positions beside one to 50 missed 25 and 50 in 50).
                    throw new ShapeRules.Unfollowable(label + " has costs that follow " + axisName(axes.get(v)) + " by no rule that repeats within "
                            + MOST_COST_PERIOD + " positions of its input (an adaptive pooling to more than " + MOST_COST_PERIOD
                            + " positions repeats its windows after that many)");
                }
                long[] offsets = new long[p];
                for (int i = 0; i < p; i++) {
                    offsets[i] = rows[x0 + i][f];
                }
                return new AxisRule("map", new long[] {v}, x0, p, rows[x0 + p][f] - rows[x0][f], offsets, 0, axisName(axes.get(v)));
            }
        }
        return null;
    }

    /** The longest period of a cost's own rule ({@link #costRule}): an adaptive pooling's to this many positions. */
    private static final int MOST_COST_PERIOD = 32;

    /** Sizes whose costs {@link #costRule} looks at before it looks further. */
    private static final int FIRST_COSTS = 32;

    /**
     * Whether the leaf exists at every size from 1 (or the first it takes, up to 8) to {@value #FIRST_COSTS}, and every cost grows
     * by the same amount at each of them and on to both far sizes: then no cost of the leaf follows the variable by a rule of its own.
     */
    private boolean evenly(List<List<int[]>> axes, int v, long[][] rows) {
        int x0 = 1;
        while (x0 <= 8 && rows[x0] == null) {
            x0++;
        }
        for (int x = x0; x <= FIRST_COSTS; x++) {
            if (rows[x] == null) {
                return false;
            }
        }
        long[] sizes = new long[axes.size()];
        Arrays.fill(sizes, -1);
        long[] farSizes = farSizes(axes.get(v));
        long[][] far = new long[farSizes.length][];
        for (int i = 0; i < farSizes.length; i++) {
            sizes[v] = farSizes[i];
            LayerResult result = result(axes, sizes);
            if (result == null) {
                return false;
            }
            far[i] = result.cost().values();
        }
        for (int f = 0; f < rows[x0].length; f++) {
            if (period(rows, x0, FIRST_COSTS, f, 1) < 0) {
                return false;
            }
            long slope = rows[x0 + 1][f] - rows[x0][f];
            for (int i = 0; i < farSizes.length; i++) {
                try {
                    if (far[i][f] != Math.addExact(rows[x0][f], Math.multiplyExact(slope, farSizes[i] - x0))) {
                        return false;
                    }
                } catch (ArithmeticException beyond64Bits) {
                    return false; // the full look decides
                }
            }
        }
        return true;
    }

    /**
     * Whether output axis {@code a} is variable {@code v}'s size itself: at 1, 2, the size called with and the sizes next to it,
     * 97 past it and far away (the sizes {@link #rules} ran it at already among them).
     */
    private boolean keeps(List<List<int[]>> axes, Shape out, int a, int v) {
        long[] sizes = new long[axes.size()];
        Arrays.fill(sizes, -1);
        long size = size(axes.get(v));
        long ceiling = ceiling(axes.get(v));
        for (long x : new long[] {1, 2, Math.max(1, size - 1), size, size + 1, size + 97, FAR[1], Math.min(ceiling, FAR[1])}) {
            if (x > ceiling) {
                continue;
            }
            sizes[v] = x;
            Long value = axisAt(axes, sizes, a, out.rank());
            if (value == null || value != x) {
                return false;
            }
        }
        return true;
    }

    /** The output's sizes with one variable at 1, 2, ... (the others as called): row x, or null where the leaf fails there. */
    private long[][] scan(List<List<int[]>> axes, Shape out, int v, String label) throws ShapeRules.Unfollowable {
        return scan(axes, out, v, label, SCAN, true);
    }

    /**
     * The scan, up to {@code count} sizes, or where {@code early} only until every axis has repeated with a period of up to 8 for 24
     * sizes.
     */
    private long[][] scan(List<List<int[]>> axes, Shape out, int v, String label, int count, boolean early) throws ShapeRules.Unfollowable {
        long[] sizes = new long[axes.size()];
        Arrays.fill(sizes, -1);
        long[][] rows = new long[count + 1][];
        int x0 = -1;
        for (int x = 1; x <= Math.min(count, ceiling(axes.get(v))); x++) {
            sizes[v] = x;
            Shape shape = run(axes, sizes);
            if (shape == null || shape.rank() != out.rank()) {
                if (x0 > 0) {
                    throw new ShapeRules.Unfollowable(label + " has no output at an input of " + x + " positions but has one at " + x0
                            + ": where the network exists is no range of sizes that a program follows");
                }
                continue;
            }
            if (x0 < 0) {
                x0 = x;
            }
            rows[x] = shape.dims().stream().mapToLong(Integer::longValue).toArray();
            // Most rules repeat with a small period: scan on only where none of up to 8 has shown twice.
            if (early && x >= x0 + 24 && allRepeat(rows, x0, x, 8)) {
                break;
            }
        }
        if (x0 < 0) {
            throw new ShapeRules.Unfollowable(label + " takes no input of up to " + SCAN + " positions");
        }
        return rows;
    }

    /** Whether every axis of the rows from {@code x0} to {@code last} grows by a constant every p for some p up to {@code most}. */
    private static boolean allRepeat(long[][] rows, int x0, int last, int most) {
        for (int a = 0; a < rows[x0].length; a++) {
            if (period(rows, x0, last, a, most) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The smallest period up to {@code most} with which axis {@code a} grows by a constant, seen at least twice over; -1 if none. */
    private static int period(long[][] rows, int x0, int last, int a, int most) {
        for (int p = 1; p <= most && x0 + 3 * p <= last; p++) {
            long slope = rows[x0 + p][a] - rows[x0][a];
            boolean holds = true;
            for (int x = x0; x + p <= last && holds; x++) {
                holds = rows[x + p][a] - rows[x][a] == slope;
            }
            if (holds) {
                return p;
            }
        }
        return -1;
    }

    /**
     * A rule of one variable, from its scan: its period found, then checked far away; scanned again in full where the scan stopped
     * early and the far sizes refute it (a pad to chunks of 64 keeps its size for 64 sizes, which the early stop takes for a constant).
     */
    private AxisRule map(List<List<int[]>> axes, Shape out, int a, int v, long[][] rows, String label) throws ShapeRules.Unfollowable {
        AxisRule rule = fit(axes, out, a, v, rows, MOST_PERIOD);
        int last = rows.length - 1;
        while (last > 0 && rows[last] == null) {
            last--;
        }
        if (rule == null && last < Math.min(SCAN, ceiling(axes.get(v)))) {
            rows = scan(axes, out, v, label, SCAN, false);
            rule = fit(axes, out, a, v, rows, MOST_PERIOD);
        }
        if (rule == null) {
            refuseClamp(axes, out, a, v, rows, label);
        }
        // A longer period (a pad to chunks of 128 or 4,096 tokens): scans of twice as many sizes, each for periods up to a third.
        for (int count = 2 * SCAN; rule == null && count / 2 < Math.min(LONGEST_SCAN, ceiling(axes.get(v))); count *= 2) {
            rule = fit(axes, out, a, v, scan(axes, out, v, label, Math.min(count, LONGEST_SCAN), false), Math.min(count, LONGEST_SCAN) / 3);
        }
        if (rule == null) {
            throw new ShapeRules.Unfollowable(label + " has an output size that does not repeat with a period of at most " + LONGEST_SCAN / 3);
        }
        return rule;
    }

    /**
     * Refuses, before the longer scans, an output size that changes and then stays put for the last {@value #MOST_PERIOD} sizes of
     * the scan or more, and has that value at the far sizes too: a clamp ({@code end = input.H} of a slice whose input grows past
     * it). A rule with a period {@code p} that stays put for {@code p + 1} sizes in a row stays put everywhere, so no period shorter
     * than the stretch follows it; a longer one would change it again by the far sizes (a pad to chunks of 128 does).
     */
    private void refuseClamp(List<List<int[]>> axes, Shape out, int a, int v, long[][] rows, String label) throws ShapeRules.Unfollowable {
        int last = rows.length - 1;
        while (last > 0 && rows[last] == null) {
            last--;
        }
        if (last < 1) {
            return;
        }
        long flat = rows[last][a];
        int from = last;
        while (from > 1 && rows[from - 1] != null && rows[from - 1][a] == flat) {
            from--;
        }
        if (from == 1 || rows[from - 1] == null || last - from + 1 < MOST_PERIOD) {
            return; // flat throughout, or a gap before the flat stretch, or too short a stretch
        }
        long[] sizes = new long[axes.size()];
        Arrays.fill(sizes, -1);
        long[] far = farSizes(axes.get(v));
        if (far.length == 0) {
            return;
        }
        for (long size : far) {
            sizes[v] = size;
            Long value = axisAt(axes, sizes, a, out.rank());
            if (value == null || value != flat) {
                return;
            }
        }
        throw new ShapeRules.Unfollowable(label + " has an output size that stops at " + flat + " from an input of " + from
                + " positions on, after it changed below: no rule of a period follows it");
    }

    /**
     * The most sizes a rule of one variable is scanned at, where none of a period up to {@value #MOST_PERIOD} holds: three periods
     * of 4,096 (a pad to chunks of that many tokens).
     */
    private static final int LONGEST_SCAN = 3 * 4_096 + 1;

    /** The rule of {@link #map} from the rows {@code rows}, or null where none of a period up to {@code most} holds. */
    private AxisRule fit(List<List<int[]>> axes, Shape out, int a, int v, long[][] rows, int most) {
        int x0 = 1;
        while (rows[x0] == null) {
            x0++;
        }
        int last = x0;
        while (last + 1 < rows.length && rows[last + 1] != null) {
            last++;
        }
        int p = period(rows, x0, last, a, most);
        if (p < 0) {
            return null;
        }
        long slope = rows[x0 + p][a] - rows[x0][a];
        long[] offsets = new long[p];
        for (int i = 0; i < p; i++) {
            offsets[i] = rows[x0 + i][a];
        }
        long[] sizes = new long[axes.size()];
        Arrays.fill(sizes, -1);
        for (long far : farSizes(axes.get(v))) {
            sizes[v] = far;
            Shape shape = run(axes, sizes);
            long expected = offsets[(int) ((far - x0) % p)] + slope * ((far - x0) / p);
            if (shape != null && shape.rank() == out.rank() && shape.dim(a) != expected) {
                return null;
            }
        }
        return new AxisRule("map", new long[] {v}, x0, p, slope, offsets, 0, axisName(axes.get(v)));
    }

    /** The far sizes a rule is checked at: {@link #FAR}, those the variable takes, and its largest size where that is below them. */
    private long[] farSizes(List<int[]> axes) {
        long ceiling = ceiling(axes);
        return java.util.stream.LongStream.concat(Arrays.stream(FAR).asLongStream().filter(far -> far <= ceiling),
                ceiling > SCAN && ceiling < FAR[FAR.length - 1] ? java.util.stream.LongStream.of(ceiling) : java.util.stream.LongStream.empty())
                .toArray();
    }

    private Long axisAt(List<List<int[]>> axes, long[] sizes, int a, int rank) {
        Shape shape = run(axes, sizes);
        return shape == null || shape.rank() != rank ? null : (long) shape.dim(a);
    }

    /** A product or a sum of several variables, times or plus a constant, checked at other sizes. */
    private AxisRule combined(List<List<int[]>> axes, Shape out, int a, List<Integer> depends, String kind) {
        long[] sizes = new long[axes.size()];
        Arrays.fill(sizes, -1);
        long constant;
        long product = 1;
        long sum = 0;
        for (int v : depends) {
            product *= size(axes.get(v));
            sum += size(axes.get(v));
        }
        if (kind.equals("mul")) {
            if (out.dim(a) % product != 0) {
                return null;
            }
            constant = out.dim(a) / product;
        } else {
            constant = out.dim(a) - sum;
        }
        for (int trial = 1; trial <= 3; trial++) {
            long expected = constant;
            for (int i = 0; i < depends.size(); i++) {
                int v = depends.get(i);
                sizes[v] = near(axes.get(v), size(axes.get(v)), trial * (i + 2));
                expected = kind.equals("mul") ? expected * sizes[v] : expected + sizes[v];
            }
            Long value = axisAt(axes, sizes, a, out.rank());
            if (value == null || value != expected) {
                return null;
            }
        }
        long[] groups = depends.stream().mapToLong(Integer::longValue).toArray();
        return new AxisRule(kind, groups, 0, 0, 0, null, constant, out.axis(a));
    }

    /**
     * A product of one map per variable ({@code maps}, each found alone with the others as called) times a constant, checked at
     * other sizes where they all change: an output size that multiplies its inputs' sizes after floors or remainders of each (the
     * windows of a padded map, {@code (pad.H / 7) * (pad.W / 7)}); null where it does not hold. Each map is kept divided by the
     * greatest common divisor of its values, and the constant is what the output as called leaves, where that is whole.
     */
    private AxisRule productOfMaps(List<List<int[]>> axes, Shape out, int a, List<Integer> depends, AxisRule[] maps) {
        AxisRule[] parts = new AxisRule[maps.length];
        long scale = 1;
        try {
            for (int i = 0; i < parts.length; i++) {
                AxisRule map = maps[i];
                long divisor = Math.abs(map.slope());
                for (long offset : map.offsets()) {
                    divisor = gcd(divisor, Math.abs(offset));
                }
                if (divisor == 0) {
                    return null;
                }
                long[] offsets = map.offsets().clone();
                for (int o = 0; o < offsets.length; o++) {
                    offsets[o] /= divisor;
                }
                parts[i] = new AxisRule("map", map.groups(), map.x0(), map.period(), map.slope() / divisor, offsets, 0, map.axis());
                Long called = parts[i].at(size(axes.get(depends.get(i))));
                if (called == null || called == 0) {
                    return null;
                }
                scale = Math.multiplyExact(scale, called);
            }
        } catch (ArithmeticException e) {
            return null;
        }
        if (out.dim(a) % scale != 0) {
            return null;
        }
        long constant = out.dim(a) / scale;
        return holdsElsewhere(axes, out, a, depends, parts, constant, Math::multiplyExact)
                ? new AxisRule("product", depends.stream().mapToLong(Integer::longValue).toArray(), 0, 0, 0, null, constant, out.axis(a), parts)
                : null;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** How many sizes a {@link #separable} sum or a {@link #productOfMaps} is checked at beyond those it was found from. */
    private static final int SEPARABLE_CHECKS = 24;

    /**
     * A sum of one map per variable ({@code parts}, each found alone with the others as called), checked at other sizes where they
     * all change: an output size that adds its inputs' sizes after floors or remainders of each (a transposed convolution whose
     * output padding is the remainder of another tensor's size, {@code 1 - input.H % 2}); null where it does not hold.
     */
    private AxisRule separable(List<List<int[]>> axes, Shape out, int a, List<Integer> depends, AxisRule[] parts) {
        // each map holds the others' contributions as called: all but one of those taken away
        long constant = Math.multiplyExact(1L - parts.length, out.dim(a));
        return holdsElsewhere(axes, out, a, depends, parts, constant, Math::addExact)
                ? new AxisRule("sum", depends.stream().mapToLong(Integer::longValue).toArray(), 0, 0, 0, null, constant, out.axis(a), parts)
                : null;
    }

    /** Output axis {@code a}'s map of each variable of {@code depends}, found alone with the others as called; null where one has none. */
    private AxisRule[] mapsAlone(List<List<int[]>> axes, Shape out, int a, List<Integer> depends, Map<Integer, long[][]> scans, String label) {
        AxisRule[] maps = new AxisRule[depends.size()];
        try {
            for (int i = 0; i < maps.length; i++) {
                int v = depends.get(i);
                long[][] scan = scans.get(v);
                if (scan == null) {
                    scan = scan(axes, out, v, label);
                    scans.put(v, scan);
                }
                maps[i] = map(axes, out, a, v, scan, label);
            }
        } catch (ShapeRules.Unfollowable e) {
            return null;
        }
        return maps;
    }

    /**
     * Whether output axis {@code a} is {@code constant} combined with each part's value ({@code combine}: a sum or a product) at
     * {@value #SEPARABLE_CHECKS} sizes where every variable of {@code depends} changes.
     */
    private boolean holdsElsewhere(List<List<int[]>> axes, Shape out, int a, List<Integer> depends, AxisRule[] parts, long constant,
            java.util.function.LongBinaryOperator combine) {
        long[] sizes = new long[axes.size()];
        Arrays.fill(sizes, -1);
        int checked = 0;
        // steps whose parities meet in every combination in turn, and whose other residues vary at random (a fixed seed: the same
        // model is checked at the same sizes), so that a term of two sizes' residues together, (H + W) % 2, shows
        java.util.SplittableRandom random = new java.util.SplittableRandom(SEPARABLE_CHECKS);
        try {
            for (int trial = 1; trial <= 4 * SEPARABLE_CHECKS && checked < SEPARABLE_CHECKS; trial++) {
                Long expected = constant;
                for (int i = 0; i < parts.length; i++) {
                    int v = depends.get(i);
                    long step = ((trial >> Math.min(i, 30)) & 1) + 2L * random.nextInt(-MOST_PERIOD, MOST_PERIOD + 1);
                    long called = size(axes.get(v));
                    // below the size called where the variable takes no larger one (a bounded domain), with the same parity
                    sizes[v] = called + step <= ceiling(axes.get(v)) ? called + step : called - Math.abs(step);
                    Long part = sizes[v] < 1 ? null : parts[i].at(sizes[v]);
                    expected = expected == null || part == null ? null : combine.applyAsLong(expected, part);
                }
                Long value = expected == null ? null : axisAt(axes, sizes, a, out.rank());
                if (value == null) {
                    continue;
                }
                if (value.longValue() != expected) {
                    return false;
                }
                checked++;
            }
        } catch (ArithmeticException e) {
            return false;
        }
        return checked >= SEPARABLE_CHECKS;
    }
}
