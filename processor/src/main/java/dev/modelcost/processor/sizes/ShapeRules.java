package dev.modelcost.processor.sizes;

import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.ForwardPass;
import dev.modelcost.processor.analysis.LeafCall;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.analysis.SizeTest;
import dev.modelcost.processor.layers.Fewest;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.memory.Graph;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.SizeVariable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows a model's size variables through every layer of its forward pass, as the dimensions of a
 * {@link dev.modelcost.SizeProgram}: each layer's rule on an axis is found by running its own
 * formula alone at every input size from 1 up past several periods (microseconds a call;
 * {@link LeafRules}), and checked far beyond, or only up to the largest size it takes where the model exists, when the
 * model's sizes are bounded ({@link Followed#of(ModelCosts, List)}). A layer's attributes that read tensors' axes ({@code size = [input.H,
 * input.W]}) are evaluated again at each size it runs at, those tensors counting among what it
 * reads; where the layer refuses a dimension it reads varying alone, and that dimension is the
 * product of others it reads too, or of maps of them, or of one and fixed sizes (tokens flattened
 * from a map, reshaped back by the map's sizes or the input's, {@code H / 4}), it follows them
 * instead. Where it refuses them still, the dimensions it reads that are maps of one size follow that size, or a size further up
 * their maps, where the leaf takes every value of it (a window reshape given a size that a pad keeps a multiple of the window, a
 * crop back to the size before the pad). A size plus a number less that number again (a class token put before the tokens and
 * split off) is the size itself. Gives the program's dimension lines, its equality checks, the variable dimensions of every
 * tensor, and the products of dimensions its costs need besides the tensors' (a rule of their own,
 * attention's square), or says why the sizes cannot be followed.
 */
final class ShapeRules {
    /**
     * The most maps from a size a layer reads to a factor of a product it reads ({@link #mapsFrom}): strided layers in a row; also the
     * most a family of the sizes a layer reads is followed up from where their maps meet ({@link #fallback}).
     */
    private static final int MOST_MAPS = 8;
    /** The name under which a layer's attributes read its own input ({@code x.H}). */
    static final String OWN_INPUT = "x";

    /**
     * Whether a {@code @When} or a condition of a layer's attribute among {@code nodes} reads a tensor's size
     * ({@link dev.modelcost.processor.analysis.SizeTest}), asked of each distinct node once: a block repeated 100,000,000 times is one
     * node, not that many steps.
     */
    static boolean testsSizes(List<CostNode> nodes) {
        for (CostNode node : nodes) {
            if (!node.leaf() && node.flow() != null && !node.flow().tests().isEmpty()
                    || node.leaf() && node.call() != null && node.call().reevaluation() != null && !node.call().reevaluation().tests().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Whether a leaf among {@code nodes} has attributes that read tensors' sizes, evaluated again at other sizes. */
    static boolean readsAxes(List<CostNode> nodes) {
        return nodes.stream().anyMatch(node -> node.leaf() && node.call() != null && node.call().reevaluation() != null);
    }

    /** Why the sizes cannot be followed; caught by the builder. */
    static class Unfollowable extends Exception {
        Unfollowable(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * A layer that takes some sizes only of what it reads (a reshape into windows of 5, which takes multiples of 5): per group of the
     * leaf's dimensions it refuses alone, the sizes it takes, the one it is given and every so many from it, not between.
     */
    /**
     * A test whose equality reads sizes of several size variables together ({@code x.H - x.W != 16}): it turns along a line of them
     * alone, through the closed forms' lattice too, where no sample or check need fall. (A comparison for order of several
     * variables turns across a region, whose edge the closed forms' checks of both sides meet.)
     */
    static final class Joint extends Unfollowable {
        private static final long serialVersionUID = 1L;
        /** The test and where it is, as messages say it. */
        final String test;
        /** The size variables it reads together, by name. */
        final transient List<String> variables;

        Joint(String why, String test, List<String> variables) {
            super(why);
            this.test = test;
            this.variables = variables;
        }
    }

    static final class SomeSizes extends Unfollowable {
        /** Per group of the leaf's dimensions that the layer takes some sizes only of, how many sizes apart it takes them. */
        final Map<Integer, Long> every;

        SomeSizes(String why, int group, long every) {
            this(why, Map.of(group, every));
        }

        private SomeSizes(String why, Map<Integer, Long> every) {
            super(why);
            this.every = Map.copyOf(every);
        }

        /** The same refusal, group {@code group} taken every {@code apart} sizes too. */
        SomeSizes and(int group, long apart) {
            Map<Integer, Long> more = new HashMap<>(every);
            more.put(group, apart);
            return new SomeSizes(getMessage(), more);
        }
    }

    /**
     * A leaf that drops an axis and takes some sizes only of it above the smallest it takes, an attribute reading it
     * ({@link LeafRules#gapsAbove}: {@code index = x.L / 2 + 1000 * (x.L / 61) - 1000 * (x.L / 62)}): no program follows it, and the
     * closed forms' ranges end before the sizes at which it refuses that axis ({@link GapWalk}).
     *
     * @param variables the size variables the axis changes with, by name
     * @param axisAt the axis's size at the variables' sizes (the batch's too where it varies, in order), through the layers' rules
     *     before the leaf; null where a map on the way has no value there or a size passes 64 bits
     * @param takes whether the leaf takes a size of the axis, its other sizes as at the declared sizes
     * @param why why no program follows the sizes, as the leaf's rules said it
     */
    record DroppedGap(List<String> variables, java.util.function.Function<long[], Long> axisAt, java.util.function.LongPredicate takes,
            String why) {}

    private final ModelSpec spec;
    private final int variables;
    /** The leaves found to drop an axis they take some sizes only of ({@link DroppedGap}), in the order of the forward pass. */
    private final List<DroppedGap> gaps = new ArrayList<>();
    /** The program's dimension lines and checks, in order. */
    final List<String> lines = new ArrayList<>();
    /** Each tensor's dimensions: -1 - k for model input k, i for the output of leaf i; per axis a dimension, or -1 where fixed. */
    final Map<Integer, int[]> tensors = new HashMap<>();
    /** The tensor the model returns. */
    int output;
    /**
     * The batch's dimension where it is a size variable, else -1: no tensor's axis, as shapes leave the batch out, but a factor of
     * every product of sizes a figure can take ({@link OffLattice}) and of a norm's count where it spans the batch.
     */
    int batch = -1;
    /** Products of dimensions the figures may be combinations of besides each tensor's: the costs' own rules, multiplied. */
    final Set<List<Integer>> extraMonomials = new LinkedHashSet<>();
    private final Map<String, Integer> known = new HashMap<>();
    /** Per call, per grouping's pattern and bounds, its rules learned ({@link LeafRules.Learned}) or why not ({@link Unfollowable}). */
    private final Map<LeafCall, Map<String, Object>> rules = new IdentityHashMap<>();
    /** Per variable, the period on which a layer that takes some sizes only gets them ({@link Followed#hints}); 0 where none. */
    private final long[] hints;
    /**
     * Per dimension, per variable: the period in that variable after which the dimension grows by
     * a constant; 0 where it does not follow the variable, -1 where it grows otherwise (a product of
     * two of its sizes).
     */
    private final Map<Integer, long[]> periods = new HashMap<>();
    /** Per dimension, per variable: that constant, per period; null where it depends on another variable's size too. */
    private final Map<Integer, Long[]> slopes = new HashMap<>();
    /** The equality checks emitted, by their dimensions. */
    private final Set<String> checked = new java.util.HashSet<>();
    /** Whether a {@code least} check counts a norm's values ({@link #fewest}), not a dropped size's bound. */
    private boolean countsValues;
    /** The first test that equates one size of several size variables ({@link Joint}, for the closed forms), or null. */
    private Joint equates;
    /** Per dimension, the smallest and largest size at which every test of sizes so far holds as declared ({@link TestBox}). */
    private final Map<Integer, long[]> boxes = new HashMap<>();
    /**
     * The smallest size each axis of the leaf being learned takes within {@link #boxes} ({@code floors[tensor][axis]}, the tensors
     * as {@link LeafRules#shapes}), below which its formula is not run.
     */
    private long[][] floors;
    /** The size variables a dimension changes with, by name. */
    private List<String> dependsOn(int dim) {
        List<String> names = new ArrayList<>();
        for (int v = 0; v < variables; v++) {
            if (dim == v || dim >= variables && periods.containsKey(dim) && periods.get(dim)[v] != 0) {
                names.add(spec.sizes().get(v).name());
            }
        }
        return names;
    }

    /** The tests already boxed, by what they hold on ({@link SizeTest#key()}), with the dimensions each read and where. */
    private final Set<List<Object>> boxed = new java.util.HashSet<>();
    /** Per dimension that is a product of others (a flatten's {@code H*W}), its constant factor then the dimensions multiplied. */
    private final Map<Integer, long[]> products = new HashMap<>();
    /** Per dimension that is a sum of others (a concatenation's), its constant addend then the dimensions added. */
    private final Map<Integer, long[]> sums = new HashMap<>();
    /** Per dimension that is a map of another (a strided layer's {@code floor((H − k) / s) + 1}), that one and the map. */
    private final Map<Integer, MapOf> maps = new HashMap<>();
    /** A dimension as the declared model holds it: its size, and the name of an axis that holds it. */
    private record Seen(int size, String axis) {}
    /** Per dimension a leaf reads, as the declared model holds it: a size {@link #withSources} may vary though a leaf does not read it. */
    private final Map<Integer, Seen> seen = new HashMap<>();

    /** A dimension as a map of another: {@code rule} applied to {@code source}. */
    private record MapOf(int source, AxisRule rule) {
        /** The number {@code c} where the map is {@code x + c} for every {@code x} from 1 (a class token put before the tokens); else null. */
        Long shift() {
            return rule.period() == 1 && rule.slope() == 1 && rule.x0() <= 1 ? rule.offsets()[0] - rule.x0() : null;
        }

        /** The map as a product {@code c·x} for every {@code x} from 1 (an axis flattened from a size and fixed sizes): {c, x}; else null. */
        long[] scaled() {
            return rule.period() == 1 && rule.x0() == 1 && rule.slope() > 1 && rule.offsets()[0] == rule.slope() ? new long[] {rule.slope(), source} : null;
        }
    }
    private int next;

    ShapeRules(ModelSpec spec) {
        this.spec = spec;
        this.variables = spec.sizes().size();
        this.next = variables;
        this.hints = new long[variables];
        for (int v = 0; v < variables; v++) {
            long[] period = new long[variables];
            Long[] slope = new Long[variables];
            Arrays.fill(slope, 0L);
            period[v] = 1;
            slope[v] = 1L;
            periods.put(v, period);
            slopes.put(v, slope);
        }
    }

    /**
     * The model's sizes followed through its layers, or why they are not, and then per variable the period on which a layer that
     * takes some sizes only gets them ({@link SomeSizes}: a stride of 8 before windows of 5, 40), or 0; where a test that
     * compares several size variables together refused them, that test ({@link Joint}), else null; and the layers found, as far
     * as the sizes were followed, to take some sizes only of an axis they drop ({@link DroppedGap}; where there are any, no
     * program follows the sizes, and {@code why} is the first one's).
     */
    record Followed(ShapeRules rules, String why, long[] hints, Joint joint, List<DroppedGap> gaps) {
        Followed(ShapeRules rules, String why) {
            this(rules, why, null, null, List.of());
        }

        /**
         * No program, where an expression reads a size that no program follows ({@link SizeReads}) and says so ({@code why}), but
         * the sizes followed as far as they go all the same, as the closed forms need what they find: the first test that equates
         * sizes of several variables (null where none is), and the leaves that take some sizes only of an axis they drop.
         */
        private static Followed asFarAsTheyGo(ModelCosts declared, List<ModelCosts> bounds, String why) {
            ShapeRules rules = new ShapeRules(declared.spec());
            try {
                rules.follow(declared, bounds);
            } catch (Joint joint) {
                return new Followed(null, why, null, joint, List.copyOf(rules.gaps));
            } catch (Unfollowable | RuntimeException e) {
                // as far as they went
            }
            return new Followed(null, why, null, rules.equates, List.copyOf(rules.gaps));
        }

        /** The period on which the layers that take some sizes only get them, for variable {@code v}; 0 where none is known. */
        long hint(int v) {
            return hints == null ? 0 : hints[v];
        }

        /**
         * Follows a model's sizes, unless an expression reads a size where a program cannot follow
         * it ({@link SizeReads}) or a layer's rule cannot be learned.
         */
        static Followed of(ModelCosts declared) {
            return of(declared, List.of());
        }

        /**
         * Follows a model's sizes as {@link #of(ModelCosts)} does, each layer's rules learned and checked only up to the largest size
         * its inputs take in {@code bounds}, the model analysed at the corners of its sizes' domain: a rule that changes only past the
         * domain (a slice of a table of positions, {@code x + pe[:, :x.size(1)]}, clamps at the table's length) is followed.
         */
        static Followed of(ModelCosts declared, List<ModelCosts> bounds) {
            String reads = SizeReads.first(declared.spec());
            if (reads != null) {
                String why = "reads the sizes in an expression, " + reads + ", which can change a block or a step with them; a "
                        + "program keeps every block and step as at the declared sizes (and follows the sizes a layer's attributes read)";
                return testsSizes(declared.distinctNodes()) || readsAxes(declared.distinctNodes()) ? asFarAsTheyGo(declared, bounds, why)
                        : new Followed(null, why);
            }
            ShapeRules rules = new ShapeRules(declared.spec());
            try {
                rules.follow(declared, bounds);
            } catch (Unfollowable e) {
                // the first refusal: a layer that takes some sizes only of an axis it drops, where one came before it
                String first = rules.gaps.isEmpty() ? e.getMessage() : rules.gaps.get(0).why();
                return new Followed(null, "has sizes that no program follows through its layers: " + first, rules.hints,
                        e instanceof Joint joint ? joint : rules.equates, List.copyOf(rules.gaps));
            } catch (ArithmeticException e) {
                return new Followed(null, "has sizes beyond 64 bits where its shape rules would be checked", null, null, List.copyOf(rules.gaps));
            } catch (RuntimeException e) {
                // A program is an addition: a model whose sizes it cannot follow still compiles, and says why.
                return new Followed(null, "has sizes that could not be followed (" + e + ")", null, null, List.copyOf(rules.gaps));
            }
            return new Followed(rules, null, null, rules.equates, List.of());
        }
    }

    /**
     * The period of variable {@code v} after which every dimension grows by a constant, so that on
     * the lattice of that period every product of dimensions is a polynomial: the least common
     * multiple of each dimension's, composed through the layers (a stride of 2 after one of 5: 10);
     * 0 where a dimension grows otherwise, or the period exceeds an int.
     */
    long period(int v) {
        long lcm = 1;
        for (long[] each : periods.values()) {
            if (each[v] < 0) {
                return 0;
            }
            if (each[v] > 0) {
                lcm = lcm / gcd(lcm, each[v]) * each[v];
                if (lcm > Integer.MAX_VALUE) {
                    return 0;
                }
            }
        }
        return lcm;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? Math.abs(a) : gcd(b, a % b);
    }

    /** Each variable's period and slope of a new dimension, from its rule over the leaf's dimensions. */
    private void composed(int id, AxisRule rule, List<Integer> sources) {
        long[] period = new long[variables];
        Long[] slope = new Long[variables];
        for (int variable = 0; variable < variables; variable++) {
            final int v = variable;
            if (rule.kind().equals("map")) {
                int source = sources.get(0);
                long ps = periods.get(source)[v];
                Long ss = slopes.get(source)[v];
                if (ps == 0 || ps > 0 && ss != null && ss == 0) {
                    period[v] = ps;
                    slope[v] = 0L;
                } else if (ps > 0 && ss == null && rule.period() == 1) {
                    // An affine rule (no floor) of a dimension that grows by a step known only with the other sizes (a product of
                    // two, the patches of an image): it grows by a constant on the same period.
                    period[v] = ps;
                } else if (ps < 0 || ss == null) {
                    period[v] = -1;
                } else {
                    // x grows by ss every ps; the rule by its slope every rule.period() of x: both after m of x's periods.
                    long m = rule.period() / gcd(Math.abs(ss), rule.period());
                    period[v] = Math.multiplyExact(ps, m);
                    slope[v] = Math.multiplyExact(rule.slope(), Math.multiplyExact(ss, m) / rule.period());
                }
                continue;
            }
            List<Integer> following = sources.stream().filter(d -> periods.get(d)[v] != 0).toList();
            if (following.isEmpty()) {
                slope[v] = 0L;
            } else if (following.stream().anyMatch(d -> periods.get(d)[v] < 0) || rule.kind().equals("mul") && following.size() > 1) {
                period[v] = -1;
            } else if (rule.kind().equals("mul")) {
                int d = following.get(0);
                period[v] = periods.get(d)[v];
                Long ss = slopes.get(d)[v];
                slope[v] = sources.size() == 1 && ss != null ? Math.multiplyExact(rule.constant(), ss) : null;
            } else {
                long lcm = 1;
                for (int d : following) {
                    lcm = lcm / gcd(lcm, periods.get(d)[v]) * periods.get(d)[v];
                }
                period[v] = lcm;
                Long sum = 0L;
                for (int d : following) {
                    Long ss = slopes.get(d)[v];
                    sum = sum == null || ss == null ? null : Math.addExact(sum, Math.multiplyExact(ss, lcm / periods.get(d)[v]));
                }
                slope[v] = sum;
            }
        }
        periods.put(id, period);
        slopes.put(id, slope);
    }

    /**
     * Follows the sizes through the model, up to the sizes its layers take in {@code bounds} where there are any. A layer that takes
     * some sizes only of an axis it drops is noted ({@link #gaps}) and followed past; at the end the first one refuses the sizes.
     */
    void follow(ModelCosts costs, List<ModelCosts> bounds) throws Unfollowable {
        if (costs.leafCount() > Graph.MAX_STEPS) {
            throw new Unfollowable("it has more than " + Graph.MAX_STEPS + " layers");
        }
        for (int k = 0; k < spec.inputs().size(); k++) {
            int[] dims = new int[spec.inputs().get(k).rank()];
            Arrays.fill(dims, -1);
            tensors.put(-1 - k, dims);
        }
        for (int v = 0; v < variables; v++) {
            SizeVariable variable = spec.sizes().get(v);
            if (variable.batch()) {
                batch = v;
            } else {
                tensors.get(-1 - variable.input())[variable.axis()] = v;
            }
        }
        ForwardPass pass;
        try {
            pass = ForwardPass.of(costs);
        } catch (IllegalArgumentException e) {
            throw new Unfollowable("it reads " + e.getMessage());
        }
        output = pass.output();
        List<List<ForwardPass.Step>> bounding = new ArrayList<>();
        for (ModelCosts bound : bounds) {
            List<ForwardPass.Step> steps = ForwardPass.of(bound).steps();
            if (steps.size() != pass.steps().size()) {
                throw new Unfollowable("it has other layers at other sizes");
            }
            bounding.add(steps);
        }
        int test = 0;
        for (int i = 0; i < pass.steps().size(); i++) {
            for (; test < pass.tests().size() && pass.tests().get(test).before() <= i; test++) {
                test(pass.tests().get(test));
            }
            final int step = i;
            tensors.put(i, leaf(pass.steps().get(i), bounding.stream().map(steps -> steps.get(step)).toList()));
        }
        for (; test < pass.tests().size(); test++) {
            test(pass.tests().get(test));
        }
        if (!gaps.isEmpty()) {
            throw new Unfollowable(gaps.get(0).why());
        }
    }

    /**
     * Refuses the sizes at which a {@code @When} that reads tensors' sizes may not hold as at the declared sizes: outside the box
     * around them in which it does ({@link TestBox}), a {@code when} line per size it reads.
     */
    private void test(ForwardPass.Test at) throws Unfollowable {
        SizeTest test = at.test();
        String label = test.text() + " of " + at.path();
        if (test.unfollowed() != null) {
            throw new Unfollowable(label + " " + test.unfollowed());
        }
        List<Integer> dims = new ArrayList<>();
        List<List<Object[]>> where = new ArrayList<>();
        for (Map.Entry<String, Shape> read : test.tensors().entrySet()) {
            Integer id = at.named().get(read.getKey());
            int[] tensor = id == null ? null : tensors.get(id);
            if (tensor == null) {
                throw new Unfollowable(label + " reads the sizes of " + read.getKey() + ", which is no tensor the program follows");
            }
            if (tensor.length != read.getValue().rank()) {
                throw new Unfollowable(label + " reads a tensor of another rank than its block has");
            }
            for (int a = 0; a < tensor.length; a++) {
                if (tensor[a] >= 0) {
                    int d = dims.indexOf(tensor[a]);
                    if (d < 0) {
                        dims.add(tensor[a]);
                        where.add(new ArrayList<>());
                        d = dims.size() - 1;
                    }
                    where.get(d).add(new Object[] {read.getKey(), a});
                }
            }
        }
        if (dims.isEmpty() || !boxed.add(List.of(test.key(), dims, where.stream().map(axes -> axes.stream().map(Arrays::toString).toList()).toList()))) {
            return;
        }
        long[][] box;
        try {
            box = TestBox.of(test, where);
        } catch (TestBox.Joint e) {
            java.util.Set<String> read = new java.util.TreeSet<>();
            for (int i : e.sizes) {
                read.addAll(dependsOn(dims.get(i)));
            }
            throw read.size() > 1 && e.equality ? new Joint(label + " " + e.getMessage(), label, List.copyOf(read))
                    : new Unfollowable(label + " " + e.getMessage());
        }
        for (int d = 0; d < dims.size(); d++) {
            List<String> follows = box[d][3] == 1 && equates == null ? dependsOn(dims.get(d)) : List.of();
            if (follows.size() > 1) {
                // one size of several variables (a product of T, H and W) equated: it turns on a surface of them, through the lattice
                equates = new Joint(label + " equates a size that follows " + String.join(" and ", follows), label, follows);
            }
            long[] found = box[d];
            boxes.merge(dims.get(d), new long[] {found[0], found[1]}, (a, b) -> new long[] {Math.max(a[0], b[0]), Math.min(a[1], b[1])});
            Object[] axis = where.get(d).get(0);
            String name = axis[0] + "." + test.tensors().get((String) axis[0]).axis((Integer) axis[1]);
            long top = box[d][1] == Long.MAX_VALUE ? 0 : box[d][1];
            if ((box[d][0] > 1 || top > 0) && checked.add("when " + dims.get(d) + " " + box[d][0] + " " + top)) {
                lines.add("when\t" + dims.get(d) + "\t" + box[d][0] + "\t" + top + "\t" + label + "\t" + name + (box[d][2] == 1 ? "\tfollowed" : ""));
            }
        }
    }

    /**
     * Dimension {@code dim} as a product, a product of products expanded ({@code T·(H·W)}): its constant factor, then the factors,
     * each one of {@code dims} or a map of one ({@link #mapsFrom}); null where it is no such product.
     */
    private long[] factors(int dim, List<Integer> dims) {
        return factors(dim, factor -> dims.contains(factor) || mapsFrom(factor, dims) != null);
    }

    /**
     * Dimension {@code dim} as a product expanded through the products it is of, as far as their factors are {@code taken}: its
     * constant factor, then the factors; null where it is no such product or a factor of it is not taken.
     */
    private long[] factors(int dim, java.util.function.IntPredicate taken) {
        long[] product = products.containsKey(dim) ? products.get(dim) : maps.containsKey(dim) ? maps.get(dim).scaled() : null;
        if (product == null) {
            return null;
        }
        List<Long> factors = new ArrayList<>(List.of(product[0]));
        for (int i = 1; i < product.length; i++) {
            int source = (int) product[i];
            long[] inner = factors(source, taken);
            if (inner != null) {
                factors.set(0, Math.multiplyExact(factors.get(0), inner[0]));
                for (int j = 1; j < inner.length; j++) {
                    factors.add(inner[j]);
                }
            } else if (taken.test(source)) {
                factors.add((long) source);
            } else {
                return null;
            }
        }
        return factors.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * The dimensions a leaf reads, grouped: one group per dimension, each with the leaf's axes that hold it, and among them the
     * dimensions that follow others as their products or maps ({@link LeafRules.Derived}) rather than vary alone; {@code sources}
     * the sizes followed that the leaf does not read ({@link LeafRules#sources}); {@code everySize} where the leaf must take every
     * size of each group at which its dimensions exist ({@link #withSources}).
     */
    private record Grouping(List<Integer> dims, List<List<int[]>> axes, List<LeafRules.Derived> derived, List<Shape> sources, boolean everySize) {
        Grouping(List<Integer> dims, List<List<int[]>> axes, List<LeafRules.Derived> derived) {
            this(dims, axes, derived, List.of(), false);
        }

        /** The pattern the rules learned over it are memoized by. */
        String pattern() {
            return axes.stream().map(list -> list.stream().map(Arrays::toString).reduce("", String::concat)).toList().toString()
                    + derived.stream().map(d -> d.axes().stream().map(Arrays::toString).reduce("", String::concat) + "=" + d.factors()).toList()
                    + sources.stream().map(Shape::dims).toList() + everySize;
        }
    }

    /**
     * The maps that lead to dimension {@code dim} from one among {@code dims}, innermost first ({@code floor(floor(H / 2) / 2)}: two
     * strided layers), the first of them holding that one's id as its source; null where none does within {@link #MOST_MAPS} maps.
     */
    private List<MapOf> mapsFrom(int dim, List<Integer> dims) {
        List<MapOf> up = mapsUp(dim);
        for (int i = 0; i < up.size(); i++) {
            if (dims.contains(up.get(i).source())) {
                List<MapOf> chain = new ArrayList<>(up.subList(0, i + 1));
                java.util.Collections.reverse(chain);
                return chain;
            }
        }
        return null;
    }

    /** The maps dimension {@code dim} is of, outermost first: its own, then its source's, ..., at most {@link #MOST_MAPS}. */
    private List<MapOf> mapsUp(int dim) {
        List<MapOf> up = new ArrayList<>();
        for (MapOf map = maps.get(dim); map != null && up.size() < MOST_MAPS; map = maps.get(map.source())) {
            up.add(map);
        }
        return up;
    }

    /**
     * The dimensions a leaf reads that are no products, and the factors of those that are ({@code units}), in families whose maps
     * meet; {@code expanded} per read dimension its product ({@link #factors}), or null.
     */
    private record Units(List<Integer> units, List<long[]> expanded, MapFamilies families) {}

    /** The units of the dimensions {@code groupDims} a leaf reads ({@link Units}). */
    private Units units(List<Integer> groupDims) {
        List<long[]> expanded = new ArrayList<>();
        java.util.Set<Integer> units = new LinkedHashSet<>();
        for (int dim : groupDims) {
            long[] product = factors(dim, factor -> true);
            expanded.add(product);
            if (product == null) {
                units.add(dim);
            } else {
                for (int i = 1; i < product.length; i++) {
                    units.add((int) product[i]);
                }
            }
        }
        List<List<Integer>> chains = new ArrayList<>();
        for (int unit : units) {
            List<Integer> chain = new ArrayList<>(List.of(unit));
            mapsUp(unit).forEach(map -> chain.add(map.source()));
            chains.add(chain);
        }
        return new Units(List.copyOf(units), expanded, MapFamilies.of(chains));
    }

    /**
     * The grouping in which the dimensions the leaf reads follow their families' sizes {@code roots} ({@link MapFamilies#roots}), a
     * product of them its factors' families (the windows, one per quotient of each side): a size the leaf does not read is one of
     * its {@link LeafRules#sources}, after its {@code tensors} tensors. Null where a size followed is unknown, or no dimension
     * follows another.
     */
    private Grouping withSources(List<Integer> groupDims, List<List<int[]>> groupAxes, int tensors, Units units, List<Integer> roots) {
        List<Integer> dims = new ArrayList<>();
        List<List<int[]>> axes = new ArrayList<>();
        List<Shape> sources = new ArrayList<>();
        Map<Integer, Integer> rootOf = new HashMap<>();
        for (int f = 0; f < roots.size(); f++) {
            int root = roots.get(f);
            units.families().families().get(f).forEach(i -> rootOf.put(units.units().get(i), root));
            int read = groupDims.indexOf(root);
            if (read >= 0 && units.expanded().get(read) == null) {
                axes.add(groupAxes.get(read));
            } else {
                Seen seen = this.seen.get(root);
                if (seen == null) {
                    return null;
                }
                axes.add(List.of(new int[] {tensors + sources.size(), 0}));
                sources.add(Shape.of(List.of(seen.size()), List.of(seen.axis())));
            }
            dims.add(root);
        }
        List<LeafRules.Derived> derived = new ArrayList<>();
        for (int g = 0; g < groupDims.size(); g++) {
            int dim = groupDims.get(g);
            long[] product = units.expanded().get(g) != null ? units.expanded().get(g) : new long[] {1, dim};
            if (units.expanded().get(g) == null && rootOf.get(dim) == dim) {
                continue; // a family's size itself
            }
            List<int[]> factorSources = new ArrayList<>();
            List<List<AxisRule>> factorMaps = new ArrayList<>();
            for (int i = 1; i < product.length; i++) {
                int factor = (int) product[i];
                int root = rootOf.get(factor);
                List<MapOf> chain = factor == root ? List.of() : mapsFrom(factor, List.of(root));
                if (chain == null) {
                    return null;
                }
                factorSources.add(axes.get(dims.indexOf(root)).get(0));
                factorMaps.add(chain.stream().map(MapOf::rule).toList());
            }
            derived.add(new LeafRules.Derived(groupAxes.get(g), product[0], factorSources, List.copyOf(factorMaps),
                    "follows " + Arrays.toString(product) + " from " + dims));
        }
        return derived.isEmpty() ? null : new Grouping(dims, axes, derived, sources, true);
    }

    /**
     * The grouping in which each dimension that is a product of others the leaf reads follows them ({@link #factors}); null where
     * none is.
     */
    private Grouping withProducts(List<Integer> groupDims, List<List<int[]>> groupAxes) {
        List<Integer> dims = new ArrayList<>();
        List<List<int[]>> axes = new ArrayList<>();
        List<long[]> followed = new ArrayList<>();
        List<List<int[]>> productAxes = new ArrayList<>();
        for (int g = 0; g < groupDims.size(); g++) {
            long[] factors = factors(groupDims.get(g), groupDims);
            if (factors != null) {
                followed.add(factors);
                productAxes.add(groupAxes.get(g));
            } else {
                dims.add(groupDims.get(g));
                axes.add(groupAxes.get(g));
            }
        }
        if (followed.isEmpty()) {
            return null;
        }
        List<LeafRules.Derived> derived = new ArrayList<>();
        for (int p = 0; p < followed.size(); p++) {
            long[] factors = followed.get(p);
            List<int[]> sources = new ArrayList<>();
            List<List<AxisRule>> rules = new ArrayList<>();
            for (int i = 1; i < factors.length; i++) {
                int factor = (int) factors[i];
                List<MapOf> chain = dims.contains(factor) ? List.of() : mapsFrom(factor, dims);
                int at = chain == null ? -1 : dims.indexOf(chain.isEmpty() ? factor : chain.get(0).source());
                if (at < 0) {
                    return null; // a factor that is a map of a dimension that follows others itself
                }
                sources.add(axes.get(at).get(0));
                rules.add(chain.stream().map(MapOf::rule).toList());
            }
            derived.add(new LeafRules.Derived(productAxes.get(p), factors[0], sources, List.copyOf(rules), Arrays.toString(factors)));
        }
        return new Grouping(dims, axes, derived);
    }

    /** Per tensor and axis of a leaf's call, the largest size it takes in the bounds' calls (and as called); null without bounds. */
    private static long[][] ceilings(LeafCall call, List<ForwardPass.Step> bounds) {
        if (bounds.isEmpty()) {
            return null;
        }
        List<Shape> shapes = LeafRules.shapes(call);
        long[][] ceilings = new long[shapes.size()][];
        for (int j = 0; j < shapes.size(); j++) {
            ceilings[j] = shapes.get(j).dims().stream().mapToLong(Integer::longValue).toArray();
        }
        for (ForwardPass.Step bound : bounds) {
            List<Shape> at = bound.node().call() == null ? List.of() : LeafRules.shapes(bound.node().call());
            for (int j = 0; j < Math.min(at.size(), shapes.size()); j++) {
                for (int a = 0; a < Math.min(at.get(j).rank(), ceilings[j].length); a++) {
                    ceilings[j][a] = Math.max(ceilings[j][a], at.get(j).dim(a));
                }
            }
        }
        return ceilings;
    }

    /**
     * Where PyTorch refuses the leaf for too few values over its first input's axes after the channels, {@code least} checks of the
     * program over those of the axes that follow the sizes, so that it refuses exactly the sizes the processor does: at inference
     * ({@link dev.modelcost.processor.layers.OpKind.FewestValues}: a norm without running statistics), and where the model trains, in
     * training ({@link dev.modelcost.processor.layers.Autograd.Refusal#fewest}: a batch norm given one value per channel at the step's
     * batch).
     */
    private void fewest(LeafCall call, int[] dims, Shape input, String label) throws Unfollowable {
        Fewest inference = call.kind().fewest().at(call.attrs(), input);
        if (inference != null && inference.acrossBatch() && batch >= 0 && call.batch() != spec.batch()) {
            throw new Unfollowable(label + " counts its values over a batch of " + call.batch() + ", not the model's");
        }
        least(inference, call.batch(), batch, dims, input, label, false);
        if (spec.training() != null && !call.kind().autograd().refuses().inBackward()) {
            least(call.kind().autograd().refuses().fewest(), spec.training().batch(), spec.training().followsModel() ? batch : -1, dims, input,
                    label, true);
        }
    }

    /**
     * One {@code least} check of {@code fewest} (none where null), in training or at inference, at {@code samples}, which follow
     * dimension {@code samplesDim} where it is not -1 (the batch as a size variable).
     */
    private void least(Fewest fewest, long samples, int samplesDim, int[] dims, Shape input, String label,
            boolean training) {
        if (fewest == null) {
            return;
        }
        boolean followsBatch = fewest.acrossBatch() && samplesDim >= 0;
        long factor = followsBatch ? fewest.perSample() : fewest.factor(samples);
        List<String> sources = new ArrayList<>();
        if (followsBatch) {
            sources.add(String.valueOf(samplesDim));
        }
        for (int a = 1; a < dims.length; a++) {
            if (dims[a] >= 0) {
                sources.add(String.valueOf(dims[a]));
            } else {
                factor = Math.multiplyExact(factor, input.dim(a));
            }
        }
        // Where no axis follows the sizes, the count is the declared one, which the analysis took; where the fixed part reaches the
        // fewest alone (a batch of 32), no size can fail it. A training check of the count checked at inference already (an untracked
        // instance norm's) never fails first: not written.
        String count = "least " + factor + " " + sources + " ";
        if (!sources.isEmpty() && factor < fewest.min() && !checked.contains(count + false) && checked.add(count + training)) {
            countsValues = true;
            lines.add("least\t" + factor + "\t" + String.join(",", sources) + "\t" + fewest.min() + "\t" + label + "\t"
                    + fewest.what(training && samplesDim < 0 && batch >= 0 ? "the training step's batch of " + samples : "the batch")
                    + (training ? "\ttraining" : ""));
        }
    }

    /** Whether some {@code least} check counts a layer's values (a norm's), which the sizes of several variables give together. */
    boolean countsValues() {
        return countsValues;
    }

    /**
     * Whether an axis a leaf's attribute reads ({@code x.C}, as {@link dev.modelcost.processor.analysis.Reevaluation#axesRead} names
     * it) changes with the size variables where the leaf is called: a dimension of {@link #tensors}, not a fixed size; an axis of no
     * tensor the leaf reads (a number as called) does not.
     *
     * @param shapes the leaf's inputs, then the tensors its attributes read ({@link LeafRules#shapes})
     * @param read the ids of those tensors, in the same order
     */
    private boolean varies(LeafCall call, List<Shape> shapes, List<Integer> read, String axis) {
        int[] at = LeafRules.axisRead(call, shapes, axis);
        if (at == null) {
            return false;
        }
        int[] dims = tensors.get(read.get(at[0]));
        return dims == null || at[1] >= dims.length || dims[at[1]] >= 0;
    }

    /** The output dimensions of one leaf, its rules found (once per distinct call and pattern of variable axes). */
    private int[] leaf(ForwardPass.Step leaf, List<ForwardPass.Step> bounds) throws Unfollowable {
        LeafCall call = leaf.node().call();
        String label = leaf.path() + " (" + leaf.node().kind() + ")";
        if (call == null) {
            throw new Unfollowable(label + " is a mixture of experts");
        }
        if (call.inputs().size() != leaf.reads().size()) {
            throw new Unfollowable(label + " reads other tensors than it is called with");
        }
        List<Integer> read = new ArrayList<>(leaf.reads());
        if (call.reevaluation() != null) {
            for (String tensor : call.reevaluation().tensors().keySet()) {
                Integer id = leaf.named().get(tensor);
                if (id == null) {
                    throw new Unfollowable(label + " has an attribute that reads the size of " + tensor + ", which is no tensor of its block");
                }
                read.add(id);
            }
        }
        List<Shape> shapes = LeafRules.shapes(call);
        String unfollowed = call.reevaluation() == null ? null : call.reevaluation().unfollowed(axis -> varies(call, shapes, read, axis));
        if (unfollowed != null) {
            throw new Unfollowable(label + " reads tensors' sizes through " + unfollowed);
        }
        if (call.reevaluation() != null && !call.reevaluation().tests().isEmpty()) {
            Map<String, Integer> named = new HashMap<>(leaf.named());
            if (!leaf.reads().isEmpty()) {
                named.put(OWN_INPUT, leaf.reads().get(0));
            }
            for (SizeTest test : call.reevaluation().tests()) {
                test(new ForwardPass.Test(leaf.path(), test, named, -1));
            }
        }
        // The variable dimensions the leaf reads, its attributes' included, grouped: one group per distinct dimension.
        List<Integer> groupDims = new ArrayList<>();
        List<List<int[]>> groupAxes = new ArrayList<>();
        for (int j = 0; j < shapes.size(); j++) {
            int[] dims = tensors.get(read.get(j));
            if (dims.length != shapes.get(j).rank()) {
                throw new Unfollowable(label + " reads a tensor of another rank than it is called with");
            }
            for (int a = 0; a < dims.length; a++) {
                if (dims[a] >= 0) {
                    seen.putIfAbsent(dims[a], new Seen(shapes.get(j).dim(a), shapes.get(j).axis(a)));
                    int g = groupDims.indexOf(dims[a]);
                    if (g < 0) {
                        groupDims.add(dims[a]);
                        groupAxes.add(new ArrayList<>());
                        g = groupDims.size() - 1;
                    }
                    groupAxes.get(g).add(new int[] {j, a});
                }
            }
        }
        long[][] ceilings = ceilings(call, bounds);
        for (int g = 0; g < groupDims.size() && ceilings != null; g++) {
            // the rules below hold up to the ceiling: the program refuses sizes past it (a dimension that is no monotone function of
            // the variables can pass it between the sizes the ceilings were taken at)
            long most = LeafRules.ceiling(ceilings, groupAxes.get(g));
            if (checked.add("most " + groupDims.get(g) + " " + most)) {
                int[] axis = groupAxes.get(g).get(0);
                lines.add("most\t" + groupDims.get(g) + "\t" + most + "\t" + label + "\t" + shapes.get(axis[0]).axis(axis[1]));
            }
        }
        if (!read.isEmpty()) {
            fewest(call, tensors.get(read.get(0)), shapes.get(0), label);
        }
        // Each dimension the leaf reads varies alone; where the leaf refuses that (for whatever reason), the dimensions follow others
        // (fallback). The rules hold within the boxes of the tests of sizes so far: learned there alone.
        floors = new long[shapes.size()][];
        long[][] within = ceilings;
        for (int j = 0; j < shapes.size(); j++) {
            int[] dims = tensors.get(read.get(j));
            floors[j] = new long[dims.length];
            for (int a = 0; a < dims.length; a++) {
                long[] box = dims[a] >= 0 ? boxes.get(dims[a]) : null;
                floors[j][a] = box == null ? 1 : box[0];
                if (box != null && box[1] < Long.MAX_VALUE) {
                    within = within == null ? unbounded(shapes) : within == ceilings ? copy(ceilings) : within;
                    within[j][a] = Math.min(within[j][a], box[1]);
                }
            }
        }
        Grouping grouping = new Grouping(groupDims, groupAxes, List.of());
        LeafRules.Learned learned;
        try {
            learned = learned(call, grouping, within, leaf.node().output(), label);
        } catch (Unfollowable refused) {
            Learning following = fallback(call, groupDims, groupAxes, shapes.size(), within, leaf.node().output(), label, refused);
            grouping = following.grouping();
            learned = following.learned();
        }
        LeafRules.Gaps gapped = firstGap(learned);
        if (gapped != null) {
            // Some sizes only of an axis it drops: the sizes further up its maps may give it only those it takes (a pad that keeps
            // the axis a multiple of 5, which an index of 1000 * (x.L % 5) needs), as a refusal of the sizes themselves would.
            try {
                Learning following = fallback(call, groupDims, groupAxes, shapes.size(), within, leaf.node().output(), label,
                        new Unfollowable(gapped.why()));
                if (firstGap(following.learned()) == null) {
                    grouping = following.grouping();
                    learned = following.learned();
                }
            } catch (Unfollowable still) {
                // the gaps stand
            }
        }
        List<Integer> varying = grouping.dims();
        List<List<int[]>> varyingAxes = grouping.axes();
        List<Shape> named = new ArrayList<>(shapes);
        named.addAll(grouping.sources());
        for (int[] pair : learned.equal()) {
            int[] axis = varyingAxes.get(pair[1]).get(0);
            String line = "equal\t" + varying.get(pair[0]) + "\t" + varying.get(pair[1]) + "\t" + label + "\t"
                    + named.get(axis[0]).axis(axis[1]) + (pair[2] == 1 ? "" : "\texact");
            if (checked.add(varying.get(pair[0]) + " " + varying.get(pair[1]))) {
                lines.add(line);
            }
        }
        List<Integer> dims = new ArrayList<>();
        for (int first : learned.firstGroups()) {
            dims.add(varying.get(first));
        }
        // A size the leaf drops but takes only from a bound (a select's index on it): no output's rule refuses the sizes below.
        for (int v = 0; v < dims.size(); v++) {
            long smallest = learned.smallest()[v];
            if (smallest > 1 && checked.add("least 1 [" + dims.get(v) + "] " + smallest)) {
                int[] axis = varyingAxes.get(learned.firstGroups().get(v)).get(0);
                lines.add("least\t1\t" + dims.get(v) + "\t" + smallest + "\t" + label + "\tpositions on its "
                        + named.get(axis[0]).axis(axis[1]) + " axis");
            }
            // Taken only at some sizes above that bound: no program follows it, but the sizes after it are followed still, so that
            // the closed forms' ranges can end before the sizes it refuses.
            LeafRules.Gaps gap = learned.gaps()[v];
            if (gap != null) {
                int dim = dims.get(v);
                gaps.add(new DroppedGap(dependsOn(dim), sizes -> sizeAt(dim, sizes), gap.takes(), gap.why()));
            }
        }
        int[] result = new int[learned.axes().length];
        for (int a = 0; a < result.length; a++) {
            result[a] = dimension(learned.axes()[a], dims, label);
        }
        // Costs that follow a size by a rule of their own: that rule is a dimension too, and its products with the leaf's other
        // variable sizes (a pooling to one row keeps the input's height in its cost) are monomials.
        List<Integer> costDims = new ArrayList<>();
        boolean ruled = false;
        for (int v = 0; v < learned.costs().length; v++) {
            AxisRule cost = learned.costs()[v];
            ruled |= cost != null;
            costDims.add(cost != null ? dimension(cost, dims, label, true) : dims.get(v));
        }
        if (ruled) {
            subProducts(costDims);
        }
        // Costs that grow with the square of a size (attention's scores, one per pair of positions): the square is a monomial.
        for (int v = 0; v < learned.squares().length; v++) {
            if (learned.squares()[v]) {
                extraMonomials.add(List.of(dims.get(v), dims.get(v)));
            }
        }
        // Costs that grow with the product of sizes no one tensor holds (cross-attention's scores): that product is a monomial.
        for (int[] crossed : learned.crosses()) {
            List<Integer> monomial = new ArrayList<>(Arrays.stream(crossed).mapToObj(dims::get).toList());
            monomial.sort(null);
            extraMonomials.add(monomial);
        }
        // Costs with lower terms in the products of sizes: every sub-product of each tensor's variable sizes is a monomial.
        for (List<Integer> held : learned.lower().inputs()) {
            subProducts(held.stream().map(dims::get).toList());
        }
        List<Integer> outputDims = new ArrayList<>();
        for (int a : learned.lower().outputAxes()) {
            if (result[a] >= 0) {
                outputDims.add(result[a]);
            }
        }
        subProducts(outputDims);
        return result;
    }

    /** The first variable of a leaf's that it takes some sizes only of, above the smallest it takes ({@link LeafRules.Gaps}); null where none. */
    private static LeafRules.Gaps firstGap(LeafRules.Learned learned) {
        return Arrays.stream(learned.gaps()).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /** Adds every product of two or more of {@code dims}, and each alone, to the monomials. */
    private void subProducts(List<Integer> dims) {
        for (List<Integer> subset : subsets(dims)) {
            List<Integer> monomial = new ArrayList<>(subset);
            monomial.sort(null);
            extraMonomials.add(monomial);
        }
    }

    /** Every non-empty subset of {@code items}, in the order of their bit masks: the whole set last. */
    static <T> List<List<T>> subsets(List<T> items) {
        List<List<T>> subsets = new ArrayList<>();
        for (int mask = 1; mask < 1 << items.size(); mask++) {
            List<T> subset = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                if ((mask & 1 << i) != 0) {
                    subset.add(items.get(i));
                }
            }
            subsets.add(subset);
        }
        return subsets;
    }

    /** A leaf's rules, and the grouping of what it reads they are learned over. */
    private record Learning(Grouping grouping, LeafRules.Learned learned) {}

    /**
     * The rules of a leaf that refuses the dimensions it reads varied alone ({@code refused}): each dimension that is a product of
     * others it reads follows them (tokens reshaped back by their map's sizes); else, or where the leaf refuses that too, each
     * family of the dimensions it reads follows the size where their maps meet, or one up to {@link #MOST_MAPS} maps further up
     * ({@link #withSources}: a window reshape given a size that a pad keeps a multiple of the window follows the size before the
     * pad), where the leaf takes every value of it.
     *
     * @throws Unfollowable the refusal nearest the constraint: the products' where they are followed, else {@code refused}; where
     *     no product is followed, a layer that takes some sizes only notes the period on which it gets them ({@link #hint})
     */
    private Learning fallback(LeafCall call, List<Integer> groupDims, List<List<int[]>> groupAxes, int tensors, long[][] ceilings, Shape out,
            String label, Unfollowable refused) throws Unfollowable {
        Grouping products = withProducts(groupDims, groupAxes);
        Unfollowable reason = refused;
        if (products != null) {
            try {
                return new Learning(products, learned(call, products, ceilings, out, label));
            } catch (Unfollowable again) {
                reason = again;
            }
        }
        Units units = units(groupDims);
        List<Integer> lower = null;
        for (int lift = 0; lift <= MOST_MAPS; lift++) {
            List<Integer> roots = units.families().roots(lift);
            if (roots == null || roots.equals(lower)) {
                break; // no family goes further up
            }
            lower = roots;
            Grouping sourced = withSources(groupDims, groupAxes, tensors, units, roots);
            try {
                if (sourced != null) {
                    return new Learning(sourced, learned(call, sourced, ceilings, out, label));
                }
            } catch (Unfollowable notEvery) {
                // the next size up, where the maps may give the leaf every size it takes (a pad after a strided layer)
            }
        }
        if (products == null && refused instanceof SomeSizes some) {
            some.every.forEach((group, apart) -> hint(groupDims.get(group), apart));
        }
        throw reason;
    }

    /** Each tensor's axes' unbounded ceilings, as the leaf's {@code shapes}. */
    private static long[][] unbounded(List<Shape> shapes) {
        long[][] ceilings = new long[shapes.size()][];
        for (int j = 0; j < shapes.size(); j++) {
            ceilings[j] = new long[shapes.get(j).rank()];
            Arrays.fill(ceilings[j], Long.MAX_VALUE);
        }
        return ceilings;
    }

    private static long[][] copy(long[][] bounds) {
        long[][] copy = new long[bounds.length][];
        for (int j = 0; j < bounds.length; j++) {
            copy[j] = bounds[j].clone();
        }
        return copy;
    }

    /**
     * The rules of a leaf over a grouping of what it reads, learned once per call, grouping and bounds: {@code ceilings} (or null),
     * and the {@link #floors} of the leaf being followed.
     */
    private LeafRules.Learned learned(LeafCall call, Grouping grouping, long[][] ceilings, Shape out, String label) throws Unfollowable {
        String pattern = grouping.pattern() + (ceilings == null ? "" : Arrays.deepToString(ceilings)) + Arrays.deepToString(floors);
        Map<String, Object> learnings = rules.computeIfAbsent(call, c -> new HashMap<>());
        Object learned = learnings.get(pattern);
        if (learned == null) {
            try {
                learned = new LeafRules(spec, batch >= 0, call, ceilings, floors, grouping.derived(), grouping.sources(), grouping.everySize())
                        .learn(grouping.axes(), out, label);
            } catch (Unfollowable refused) {
                learned = refused;
            }
            learnings.put(pattern, learned);
        }
        if (learned instanceof Unfollowable refused) {
            throw refused;
        }
        return (LeafRules.Learned) learned;
    }

    /**
     * Notes, for each variable that dimension {@code dim} follows by a constant step, the period on which the dimension steps by a
     * multiple of {@code every}: {@code p·every / gcd(s, every)} where it grows by {@code s} every {@code p} sizes.
     */
    private void hint(int dim, long every) {
        for (int v = 0; v < variables; v++) {
            long p = periods.get(dim)[v];
            Long s = slopes.get(dim)[v];
            if (p > 0 && s != null && s != 0 && every > 1) {
                long period = p * (every / gcd(Math.abs(s), every));
                hints[v] = hints[v] == 0 ? period : hints[v] / gcd(hints[v], period) * period;
            }
        }
    }

    /** The program dimension of a rule applied to the leaf's dimensions: an existing one where the rule is the identity or already known. */
    private int dimension(AxisRule rule, List<Integer> dims, String label) {
        return dimension(rule, dims, label, false);
    }

    /** {@link #dimension(AxisRule, List, String)}, for a rule whose values are a cost ({@code cost}: no tensor's size) where {@code cost}. */
    private int dimension(AxisRule rule, List<Integer> dims, String label, boolean cost) {
        switch (rule.kind()) {
            case "fixed":
                return -1;
            case "map": {
                int source = dims.get((int) rule.groups()[0]);
                if (rule.x0() == 1 && rule.period() == 1 && rule.slope() == 1 && rule.offsets()[0] == 1) {
                    return source;
                }
                // x − c of a dimension that is y + c, for every y from 1 (a class token split off again): y itself.
                MapOf inner = maps.get(source);
                Long shift = inner == null ? null : inner.shift();
                if (!cost && shift != null && rule.period() == 1 && rule.slope() == 1 && rule.offsets()[0] - rule.x0() == -shift
                        && rule.x0() <= 1 + shift) {
                    return inner.source();
                }
                String key = (cost ? "cost\t" : "map\t") + source + "\t" + rule.x0() + "\t" + rule.period() + "\t" + rule.slope() + "\t"
                        + String.join(",", Arrays.stream(rule.offsets()).mapToObj(Long::toString).toList());
                int id = known(key, key + "\t" + label + "\t" + rule.axis());
                if (!periods.containsKey(id)) {
                    composed(id, rule, List.of(source));
                }
                if (!cost) {
                    maps.putIfAbsent(id, new MapOf(source, rule));
                }
                return id;
            }
            default: {
                List<Integer> ordered = new ArrayList<>();
                if (rule.parts() != null) {
                    // a sum (or product) of maps: each map a dimension, their sum (product) another
                    for (AxisRule part : rule.parts()) {
                        ordered.add(dimension(part, dims, label, cost));
                    }
                    rule = new AxisRule(rule.kind().equals("product") ? "mul" : "add", null, 0, 0, 0, null, rule.constant(), rule.axis());
                } else {
                    for (long g : rule.groups()) {
                        ordered.add(dims.get((int) g));
                    }
                }
                String key = rule.kind() + "\t" + rule.constant() + "\t" + String.join(",", ordered.stream().sorted().map(String::valueOf).toList());
                int id = known(key, key + "\t" + label + "\t" + rule.axis());
                if (!periods.containsKey(id)) {
                    composed(id, rule, ordered);
                }
                if (!cost) {
                    long[] terms = new long[ordered.size() + 1];
                    terms[0] = rule.constant();
                    for (int i = 0; i < ordered.size(); i++) {
                        terms[i + 1] = ordered.get(i);
                    }
                    (rule.kind().equals("mul") ? products : sums).putIfAbsent(id, terms);
                }
                return id;
            }
        }
    }

    /**
     * Dimension {@code dim}'s size at the variables' {@code sizes}, through the maps, products and sums that define it (each
     * dimension's sources first, without recursion: a chain of maps is as long as the layers); null where a map has no value there,
     * or a size passes 64 bits.
     */
    private Long sizeAt(int dim, long[] sizes) {
        Map<Integer, Long> values = new HashMap<>();
        java.util.ArrayDeque<Integer> pending = new java.util.ArrayDeque<>(List.of(dim));
        try {
            while (!pending.isEmpty()) {
                int next = pending.peek();
                if (values.containsKey(next)) {
                    pending.pop();
                    continue;
                }
                if (next < variables) {
                    values.put(pending.pop(), sizes[next]);
                    continue;
                }
                MapOf map = maps.get(next);
                long[] product = products.get(next);
                long[] terms = map != null ? new long[] {0, map.source()} : product != null ? product : sums.get(next);
                if (terms == null) {
                    return null;
                }
                boolean ready = true;
                for (int t = 1; t < terms.length; t++) {
                    if (!values.containsKey((int) terms[t])) {
                        pending.push((int) terms[t]);
                        ready = false;
                    }
                }
                if (!ready) {
                    continue;
                }
                pending.pop();
                Long value = map != null ? map.rule().at(values.get(map.source())) : terms[0];
                for (int t = 1; map == null && t < terms.length; t++) {
                    long term = values.get((int) terms[t]);
                    value = product != null ? Math.multiplyExact(value, term) : Math.addExact(value, term);
                }
                if (value == null) {
                    return null;
                }
                values.put(next, value);
            }
            return values.get(dim);
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private int known(String key, String line) {
        Integer id = known.get(key);
        if (id == null) {
            id = next++;
            known.put(key, id);
            lines.add("dim\t" + line);
        }
        return id;
    }
}
