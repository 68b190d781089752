package dev.modelcost.processor.sizes;

import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.ForwardPass;
import dev.modelcost.processor.analysis.LeafCall;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.layers.Attrs;
import dev.modelcost.processor.layers.Fewest;
import dev.modelcost.processor.layers.LayerFailure;
import dev.modelcost.processor.layers.LayerResult;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.memory.Graph;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.SizeVariable;
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
 * Follows a model's size variables through every layer of its forward pass, as the dimensions of a
 * {@link dev.modelcost.SizeProgram}: each layer's rule on an axis is found by running its own
 * formula alone at every input size from 1 up past several periods (microseconds a call), and
 * checked far beyond, or only up to the largest size it takes where the model exists, when the
 * model's sizes are bounded ({@link Followed#of(ModelCosts, List)}). A layer's attributes that read tensors' axes ({@code size = [input.H,
 * input.W]}) are evaluated again at each size it runs at, those tensors counting among what it
 * reads; where the layer refuses a dimension it reads varying alone, and that dimension is the
 * product of others it reads too, or of maps of them, or of one and fixed sizes (tokens flattened
 * from a map, reshaped back by the map's sizes or the input's, {@code H / 4}), it follows them
 * instead. A size plus a number less that number again (a class token put before the tokens and
 * split off) is the size itself. Gives the program's dimension lines, its equality checks, the variable dimensions of every
 * tensor, and the products of dimensions its costs need besides the tensors' (a rule of their own,
 * attention's square), or says why the sizes cannot be followed.
 */
final class ShapeRules {
    /** Input sizes each axis rule is run at, from 1: enough for periods up to {@link #MOST_PERIOD} to repeat twice. */
    private static final int SCAN = 200;
    /** The most maps from a size a layer reads to a factor of a product it reads ({@link #mapsFrom}): strided layers in a row. */
    private static final int MOST_MAPS = 8;
    /** The longest period of an axis rule (a stride, a scale's denominator). */
    private static final int MOST_PERIOD = 64;
    /** Far input sizes each axis rule is checked at. */
    private static final int[] FAR = {1_009, 10_007};

    /** Why the sizes cannot be followed; caught by the builder. */
    static final class Unfollowable extends Exception {
        Unfollowable(String why) {
            super(why, null, false, false);
        }
    }

    private final ModelSpec spec;
    private final int variables;
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
    private final Map<LeafCall, Map<String, Learned>> rules = new IdentityHashMap<>();
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
    /**
     * The formula's results while one leaf's rules are learned, by the variables' axes and sizes (a learning asks for the same
     * sizes several times: the size called with, the next one); emptied for each leaf.
     */
    private final Map<List<Object>, java.util.Optional<LayerResult>> runs = new HashMap<>();
    /**
     * While one leaf's rules are learned, the largest size each of its tensors' axes takes where the model exists
     * ({@code ceilings[tensor][axis]}, the tensors as {@link #shapes}), above which its formula is not run; null where no bound is known.
     */
    private long[][] ceilings;
    /**
     * While one leaf's rules are learned, the dimensions it reads that are products of others it reads ({@link Derived}), which follow
     * those rather than vary alone; empty otherwise.
     */
    private List<Derived> derived = List.of();
    /** Per dimension that is a product of others (a flatten's {@code H*W}), its constant factor then the dimensions multiplied. */
    private final Map<Integer, long[]> products = new HashMap<>();
    /** Per dimension that is a map of another (a strided layer's {@code floor((H − k) / s) + 1}), that one and the map. */
    private final Map<Integer, MapOf> maps = new HashMap<>();

    /** A dimension as a map of another: {@code rule} applied to {@code source}. */
    private record MapOf(int source, Rule rule) {
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
    private record Derived(List<int[]> axes, long constant, List<int[]> sources, List<List<Rule>> maps, String factors) {}


    /**
     * An output axis's rule over the leaf's variable groups: fixed, one group's map, a product or sum of groups, or a sum of one map
     * per group ({@code parts}, null otherwise) plus the constant.
     */
    private record Rule(String kind, long[] groups, long x0, long period, long slope, long[] offsets, long constant, String axis, Rule[] parts) {
        Rule(String kind, long[] groups, long x0, long period, long slope, long[] offsets, long constant, String axis) {
            this(kind, groups, x0, period, slope, offsets, constant, axis, null);
        }

        /** A map's value at {@code x} of its group, or null below where it starts. */
        Long at(long x) {
            return x < x0 ? null : Math.addExact(offsets[(int) ((x - x0) % period)], Math.multiplyExact(slope, (x - x0) / period));
        }
    }

    ShapeRules(ModelSpec spec) {
        this.spec = spec;
        this.variables = spec.sizes().size();
        this.next = variables;
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

    /** The model's sizes followed through its layers, or why they are not. */
    record Followed(ShapeRules rules, String why) {
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
                return new Followed(null, "reads the sizes in an expression, " + reads + ", which can change a block or a step with them; a "
                        + "program keeps every block and step as at the declared sizes (and follows the sizes a layer's attributes read)");
            }
            ShapeRules rules = new ShapeRules(declared.spec());
            try {
                rules.follow(declared, bounds);
            } catch (Unfollowable e) {
                return new Followed(null, "has sizes that no program follows through its layers: " + e.getMessage());
            } catch (ArithmeticException e) {
                return new Followed(null, "has sizes beyond 64 bits where its shape rules would be checked");
            }
            return new Followed(rules, null);
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
    private void composed(int id, Rule rule, List<Integer> sources) {
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

    /** Follows the sizes through the model, up to the sizes its layers take in {@code bounds} where there are any. */
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
        for (int i = 0; i < pass.steps().size(); i++) {
            final int step = i;
            tensors.put(i, leaf(pass.steps().get(i), bounding.stream().map(steps -> steps.get(step)).toList()));
        }
    }

    /**
     * Dimension {@code dim} as a product, a product of products expanded ({@code T·(H·W)}): its constant factor, then the factors,
     * each one of {@code dims} or a map of one ({@link #mapsFrom}); null where it is no such product.
     */
    private long[] factors(int dim, List<Integer> dims) {
        long[] product = products.containsKey(dim) ? products.get(dim) : maps.containsKey(dim) ? maps.get(dim).scaled() : null;
        if (product == null) {
            return null;
        }
        List<Long> factors = new ArrayList<>(List.of(product[0]));
        for (int i = 1; i < product.length; i++) {
            int source = (int) product[i];
            long[] inner = factors(source, dims);
            if (inner != null) {
                factors.set(0, Math.multiplyExact(factors.get(0), inner[0]));
                for (int j = 1; j < inner.length; j++) {
                    factors.add(inner[j]);
                }
            } else if (dims.contains(source) || mapsFrom(source, dims) != null) {
                factors.add((long) source);
            } else {
                return null;
            }
        }
        return factors.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * The dimensions a leaf reads, grouped: one group per dimension, each with the leaf's axes that hold it, and among them the
     * dimensions that follow others as their products ({@link Derived}) rather than vary alone.
     */
    private record Grouping(List<Integer> dims, List<List<int[]>> axes, List<Derived> derived) {
        /** The pattern the rules learned over it are memoized by. */
        String pattern() {
            return axes.stream().map(list -> list.stream().map(Arrays::toString).reduce("", String::concat)).toList().toString()
                    + derived.stream().map(d -> d.axes().stream().map(Arrays::toString).reduce("", String::concat) + "=" + d.factors()).toList();
        }
    }

    /**
     * The maps that lead to dimension {@code dim} from one among {@code dims}, innermost first ({@code floor(floor(H / 2) / 2)}: two
     * strided layers), the first of them holding that one's id as its source; null where none does within {@link #MOST_MAPS} maps.
     */
    private List<MapOf> mapsFrom(int dim, List<Integer> dims) {
        List<MapOf> chain = new ArrayList<>();
        for (int at = dim; chain.size() < MOST_MAPS; ) {
            MapOf map = maps.get(at);
            if (map == null) {
                return null;
            }
            chain.add(0, map);
            if (dims.contains(map.source())) {
                return chain;
            }
            at = map.source();
        }
        return null;
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
        List<Derived> derived = new ArrayList<>();
        for (int p = 0; p < followed.size(); p++) {
            long[] factors = followed.get(p);
            List<int[]> sources = new ArrayList<>();
            List<List<Rule>> rules = new ArrayList<>();
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
            derived.add(new Derived(productAxes.get(p), factors[0], sources, List.copyOf(rules), Arrays.toString(factors)));
        }
        return new Grouping(dims, axes, derived);
    }

    /** Per tensor and axis of a leaf's call, the largest size it takes in the bounds' calls (and as called); null without bounds. */
    private static long[][] ceilings(LeafCall call, List<ForwardPass.Step> bounds) {
        if (bounds.isEmpty()) {
            return null;
        }
        List<Shape> shapes = shapes(call);
        long[][] ceilings = new long[shapes.size()][];
        for (int j = 0; j < shapes.size(); j++) {
            ceilings[j] = shapes.get(j).dims().stream().mapToLong(Integer::longValue).toArray();
        }
        for (ForwardPass.Step bound : bounds) {
            List<Shape> at = bound.node().call() == null ? List.of() : shapes(bound.node().call());
            for (int j = 0; j < Math.min(at.size(), shapes.size()); j++) {
                for (int a = 0; a < Math.min(at.get(j).rank(), ceilings[j].length); a++) {
                    ceilings[j][a] = Math.max(ceilings[j][a], at.get(j).dim(a));
                }
            }
        }
        return ceilings;
    }

    /** The largest size a variable of the leaf being learned takes ({@link #ceilings}); {@link Long#MAX_VALUE} where unbounded. */
    private long ceiling(List<int[]> axes) {
        if (ceilings == null) {
            return Long.MAX_VALUE;
        }
        long ceiling = Long.MAX_VALUE;
        for (int[] axis : axes) {
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
    private static List<Shape> shapes(LeafCall call) {
        List<Shape> shapes = new ArrayList<>(call.inputs());
        if (call.reevaluation() != null) {
            shapes.addAll(call.reevaluation().tensors().values());
        }
        return shapes;
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
            lines.add("least\t" + factor + "\t" + String.join(",", sources) + "\t" + fewest.min() + "\t" + label + "\t"
                    + fewest.what(training && samplesDim < 0 && batch >= 0 ? "the training step's batch of " + samples : "the batch")
                    + (training ? "\ttraining" : ""));
        }
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
        if (call.reevaluation() != null && call.reevaluation().unfollowed() != null) {
            throw new Unfollowable(label + " reads tensors' sizes through " + call.reevaluation().unfollowed());
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
        List<Shape> shapes = shapes(call);
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
        ceilings = ceilings(call, bounds);
        for (int g = 0; g < groupDims.size() && ceilings != null; g++) {
            // the rules below hold up to the ceiling: the program refuses sizes past it (a dimension that is no monotone function of
            // the variables can pass it between the sizes the ceilings were taken at)
            long most = ceiling(groupAxes.get(g));
            if (checked.add("most " + groupDims.get(g) + " " + most)) {
                int[] axis = groupAxes.get(g).get(0);
                lines.add("most\t" + groupDims.get(g) + "\t" + most + "\t" + label + "\t" + shapes.get(axis[0]).axis(axis[1]));
            }
        }
        if (!read.isEmpty()) {
            fewest(call, tensors.get(read.get(0)), shapes.get(0), label);
        }
        // Each dimension the leaf reads varies alone; where the leaf refuses that (for whatever reason), each dimension that is a
        // product of others it reads follows them instead (tokens reshaped back by their map's sizes), its variables the others. Where
        // it refuses that too, its reason then is the one given: nearer the constraint, the products followed.
        Grouping grouping = new Grouping(groupDims, groupAxes, List.of());
        String bounded = ceilings == null ? "" : Arrays.deepToString(ceilings);
        Learned learned;
        try {
            learned = learned(call, grouping, bounded, leaf.node().output(), label);
        } catch (Unfollowable refused) {
            Grouping following = withProducts(groupDims, groupAxes);
            if (following == null) {
                throw refused;
            }
            learned = learned(call, following, bounded, leaf.node().output(), label);
            grouping = following;
        }
        List<Integer> varying = grouping.dims();
        List<List<int[]>> varyingAxes = grouping.axes();
        for (int[] pair : learned.equal()) {
            int[] axis = varyingAxes.get(pair[1]).get(0);
            String line = "equal\t" + varying.get(pair[0]) + "\t" + varying.get(pair[1]) + "\t" + label + "\t"
                    + shapes.get(axis[0]).axis(axis[1]) + (pair[2] == 1 ? "" : "\texact");
            if (checked.add(varying.get(pair[0]) + " " + varying.get(pair[1]))) {
                lines.add(line);
            }
        }
        List<Integer> dims = new ArrayList<>();
        for (int first : learned.firstGroups()) {
            dims.add(varying.get(first));
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
            Rule cost = learned.costs()[v];
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

    /** Adds every product of two or more of {@code dims}, and each alone, to the monomials. */
    private void subProducts(List<Integer> dims) {
        for (List<Integer> subset : subsets(dims)) {
            List<Integer> monomial = new ArrayList<>(subset);
            monomial.sort(null);
            extraMonomials.add(monomial);
        }
    }

    /** Every non-empty subset of {@code items}, in the order of their bit masks: the whole set last. */
    private static <T> List<List<T>> subsets(List<T> items) {
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

    /**
     * What a leaf does with the sizes it reads, learned once per call and pattern of variable axes.
     *
     * @param equal pairs of groups that must stay equal (the two sides of an addition), each with 1 where the layer takes the first
     *     at 1 against the other (broadcasts), else 0
     * @param firstGroups per variable of the leaf (a set of merged groups), its first group
     * @param axes per output axis, its rule over the variables
     * @param costs per variable, where the leaf's costs follow it by a rule of their own (adaptive pooling's windows), that rule; else null
     * @param squares per variable, whether a cost of the leaf grows with its square
     * @param lower what the costs need besides the products of the leaf's tensors' variable sizes ({@link Lower#NONE} where nothing)
     */
    private record Learned(List<int[]> equal, List<Integer> firstGroups, Rule[] axes, Rule[] costs, boolean[] squares, Lower lower) {}

    /**
     * Where some cost of a leaf is no combination of a constant and the products of its tensors' variable sizes, what the costs need
     * besides: the sub-products of each input's variable sizes ({@code inputs}, the leaf's variables each holds) and of the output's
     * ({@code outputAxes}, its axes that follow a variable).
     */
    private record Lower(List<List<Integer>> inputs, List<Integer> outputAxes) {
        static final Lower NONE = new Lower(List.of(), List.of());
    }

    /** The rules of a leaf over a grouping of what it reads, learned once per call, grouping and bounds. */
    private Learned learned(LeafCall call, Grouping grouping, String bounded, Shape out, String label) throws Unfollowable {
        String pattern = grouping.pattern() + bounded;
        Learned learned = rules.computeIfAbsent(call, c -> new HashMap<>()).get(pattern);
        if (learned == null) {
            derived = grouping.derived();
            try {
                learned = learn(call, grouping.axes(), out, label);
            } finally {
                derived = List.of();
            }
            rules.get(call).put(pattern, learned);
        }
        return learned;
    }

    private Learned learn(LeafCall call, List<List<int[]>> groupAxes, Shape out, String label) throws Unfollowable {
        runs.clear();
        // Distinct dimensions of equal size whose layer refuses them apart (the two sides of an addition) must stay equal: a group that
        // the layer refuses changed alone is merged with each group of its size that, changed with it, the layer takes.
        int groups = groupAxes.size();
        List<Set<Integer>> merged = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            merged.add(new LinkedHashSet<>(List.of(g)));
        }
        List<int[]> equal = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            long size = size(call, groupAxes.get(g));
            long[] alone = new long[groups];
            Arrays.fill(alone, -1);
            long changed = near(groupAxes.get(g), size, 1);
            alone[g] = changed;
            if (run(call, groupAxes, alone) != null) {
                continue;
            }
            // One more refused but one fewer taken: a bound another size sets (a reflection's padding below the size), no equality.
            long[] fewer = alone.clone();
            fewer[g] = size - 1;
            if (changed > size && size > 1 && run(call, groupAxes, fewer) != null) {
                throw new Unfollowable(label + " takes a size only up to a bound another size sets: not " + (size + 1) + ", but "
                        + (size - 1) + ", next to the " + size + " it is given");
            }
            boolean partnered = false;
            for (int h = 0; h < groups; h++) {
                if (h == g || size(call, groupAxes.get(h)) != size) {
                    continue;
                }
                long[] together = alone.clone();
                together[h] = changed;
                if (run(call, groupAxes, together) != null) {
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
                        boolean broadcasts = size > 1 && run(call, groupAxes, one) != null;
                        equal.add(new int[] {g, h, broadcasts ? 1 : 0});
                    }
                }
            }
            boolean someSizes = false;
            for (long further = 2; further <= MOST_PERIOD && !partnered && !someSizes; further++) {
                long[] other = alone.clone();
                other[g] = near(groupAxes.get(g), size, further);
                someSizes = run(call, groupAxes, other) != null;
            }
            if (!partnered && someSizes) {
                throw new Unfollowable(label + " takes some sizes only: not " + changed + ", next to the " + size + " it is given");
            }
            if (!partnered) {
                throw new Unfollowable(label + " refuses a change of an input's size that no other input of that size makes up for"
                        + " (a constraint between sizes, such as a reshape to their product, or an input of fixed size)");
            }
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
        Rule[] rules = rules(call, axes, out, label);
        Rule[] costs = new Rule[axes.size()];
        boolean[] squares = new boolean[axes.size()];
        boolean shaping = true;
        for (int v = 0; v < axes.size(); v++) {
            final int variable = v;
            boolean shapes = Arrays.stream(rules).anyMatch(r -> r.groups() != null && Arrays.stream(r.groups()).anyMatch(g -> g == variable));
            if (!shapes) {
                costs[v] = costRule(call, axes, v, label);
            } else {
                squares[v] = square(call, axes, v);
            }
            shaping &= shapes;
        }
        // Lower terms are learned where the output follows every variable (a cost following one by a rule of its own, or over a
        // period too long to follow, is left to the checks against the compiled model).
        return new Learned(equal, firstGroups, rules, costs, squares, shaping ? lowerTerms(call, axes, rules, squares) : Lower.NONE);
    }

    /**
     * Where the leaf has two variables or more, each shaping its output and none of whose costs grows with its square, and some cost
     * or its scratch is no combination of a constant and the products of each tensor's variable sizes (a transposed convolution's
     * FLOPs subtract the output positions a product reaches, {@code (o − 1)·(o' − 1)} with an output padding of 1; a reflect-padded
     * convolution holds a copy of {@code (H + 6)·(W + 6)} positions while it runs): per tensor, the inputs' then the
     * output's, the variables it holds, whose sub-products the costs need too. Found exactly, at sizes near those called; else {@link Lower#NONE}.
     */
    private Lower lowerTerms(LeafCall call, List<List<int[]>> axes, Rule[] rules, boolean[] squares) {
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
            for (List<Integer> subset : subsets(held)) {
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
            base[v] = lowered(axes.get(v), size(call, axes.get(v)), 16);
        }
        for (int p = 0; p < 4 * functions + 8 && values.size() < functions + 4; p++) {
            long[] sizes = base.clone();
            for (int v = 0; v < m; v++) {
                sizes[v] += ((long) p * (7 + 4 * v) + (long) p * p * (v + 1)) % 17;
            }
            LayerResult result = result(call, axes, sizes);
            if (result == null) {
                continue;
            }
            long[] row = new long[functions];
            row[0] = 1;
            long scratch;
            try {
                Running running = running(call, axes, sizes);
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
    private boolean square(LeafCall call, List<List<int[]>> axes, int v) {
        long[] sizes = new long[axes.size()];
        Arrays.fill(sizes, -1);
        long size = lowered(axes.get(v), size(call, axes.get(v)), 5);
        long[][] rows = new long[6][];
        for (int i = 0; i < rows.length; i++) {
            sizes[v] = size + i;
            LayerResult result = result(call, axes, sizes);
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

    /** The size of a group's first axis in the call. */
    private static long size(LeafCall call, List<int[]> axes) {
        int[] axis = axes.get(0);
        return shapes(call).get(axis[0]).dim(axis[1]);
    }

    /** The name of a group's first axis in the call ({@code H}). */
    private static String axisName(LeafCall call, List<int[]> axes) {
        int[] axis = axes.get(0);
        return shapes(call).get(axis[0]).axis(axis[1]);
    }

    /** The leaf's output run alone with each variable at the given size (-1: as called), or null where it fails there. */
    private Shape run(LeafCall call, List<List<int[]>> axes, long[] sizes) {
        LayerResult result = result(call, axes, sizes);
        return result == null ? null : result.output();
    }

    /** The leaf's formula run alone with each variable at the given size (-1: as called), or null where it fails there; asked once per leaf. */
    private LayerResult result(LeafCall call, List<List<int[]>> axes, long[] sizes) {
        List<Object> key = List.of(axes, Arrays.stream(sizes).boxed().toList());
        java.util.Optional<LayerResult> ran = runs.get(key);
        if (ran == null) {
            ran = java.util.Optional.ofNullable(formula(call, axes, sizes));
            runs.put(key, ran);
        }
        return ran.orElse(null);
    }

    private LayerResult formula(LeafCall call, List<List<int[]>> axes, long[] sizes) {
        Running running = running(call, axes, sizes);
        if (running == null) {
            return null;
        }
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
    private Running running(LeafCall call, List<List<int[]>> axes, long[] sizes) {
        List<Shape> shapes = shapes(call);
        for (int v = 0; v < axes.size(); v++) {
            if (sizes[v] < 0) {
                continue;
            }
            if (sizes[v] > Integer.MAX_VALUE || sizes[v] > ceiling(axes.get(v))) {
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
                Long factor = sizes[v] >= 0 ? sizes[v] : size(call, axes.get(v));
                for (Rule map : product.maps().get(f)) {
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
            Fewest fewest = batch < 0 || inputs.isEmpty() ? null : call.kind().fewest().at(attrs, inputs.get(0));
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
    private Rule[] rules(LeafCall call, List<List<int[]>> axes, Shape out, String label) throws Unfollowable {
        int m = axes.size();
        long[] asCalled = new long[m];
        Arrays.fill(asCalled, -1);
        Shape base = run(call, axes, asCalled);
        if (base == null || !base.dims().equals(out.dims())) {
            throw new Unfollowable(label + " gives another output when its formula runs alone");
        }
        List<List<Integer>> depends = new ArrayList<>();
        for (int a = 0; a < out.rank(); a++) {
            depends.add(new ArrayList<>());
        }
        for (int v = 0; v < m; v++) {
            long size = size(call, axes.get(v));
            for (long changed : new long[] {near(axes.get(v), size, 1), near(axes.get(v), size, 97), Math.max(1, size - 1)}) {
                long[] sizes = asCalled.clone();
                sizes[v] = changed;
                Shape shape = run(call, axes, sizes);
                for (int a = 0; shape != null && shape.rank() == out.rank() && a < out.rank(); a++) {
                    if (shape.dim(a) != out.dim(a) && !depends.get(a).contains(v)) {
                        depends.get(a).add(v);
                    }
                }
            }
        }
        Rule[] rules = new Rule[out.rank()];
        Map<Integer, long[][]> scans = new HashMap<>();
        for (int a = 0; a < out.rank(); a++) {
            List<Integer> on = depends.get(a);
            if (on.isEmpty()) {
                rules[a] = new Rule("fixed", null, 0, 0, 0, null, out.dim(a), out.axis(a));
            } else if (on.size() == 1 && keeps(call, axes, out, a, on.get(0))) {
                // The input's size, as every element-wise layer keeps it: no scan.
                rules[a] = new Rule("map", new long[] {on.get(0)}, 1, 1, 1, new long[] {1}, 0, axisName(call, axes.get(on.get(0))));
            } else if (on.size() == 1) {
                int v = on.get(0);
                long[][] scan = scans.get(v);
                if (scan == null) {
                    scan = scan(call, axes, out, v, label);
                    scans.put(v, scan);
                }
                rules[a] = map(call, axes, out, a, v, scan, label);
            } else {
                rules[a] = combined(call, axes, out, a, on, "mul");
                if (rules[a] == null) {
                    rules[a] = combined(call, axes, out, a, on, "add");
                }
                if (rules[a] == null) {
                    rules[a] = separable(call, axes, out, a, on, scans, label);
                }
                if (rules[a] == null) {
                    throw new Unfollowable(label + " has an output size that is neither a product nor a sum of its input sizes, "
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
     * @throws Unfollowable where a cost follows it by no rule of a period up to {@value #MOST_COST_PERIOD}
     */
    private Rule costRule(LeafCall call, List<List<int[]>> axes, int v, String label) throws Unfollowable {
        long[] sizes = new long[axes.size()];
        Arrays.fill(sizes, -1);
        int count = 100;
        long[][] rows = new long[count + 1][];
        for (int x = 1; x <= count; x++) {
            if (x == FIRST_COSTS + 1 && evenly(call, axes, v, rows)) {
                return null;
            }
            sizes[v] = x;
            LayerResult result = result(call, axes, sizes);
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
                    throw new Unfollowable(label + " has costs that follow " + axisName(call, axes.get(v)) + " by no rule that repeats within "
                            + MOST_COST_PERIOD + " positions of its input (an adaptive pooling to more than " + MOST_COST_PERIOD
                            + " positions repeats its windows after that many)");
                }
                long[] offsets = new long[p];
                for (int i = 0; i < p; i++) {
                    offsets[i] = rows[x0 + i][f];
                }
                return new Rule("map", new long[] {v}, x0, p, rows[x0 + p][f] - rows[x0][f], offsets, 0, axisName(call, axes.get(v)));
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
    private boolean evenly(LeafCall call, List<List<int[]>> axes, int v, long[][] rows) {
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
            LayerResult result = result(call, axes, sizes);
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
    private boolean keeps(LeafCall call, List<List<int[]>> axes, Shape out, int a, int v) {
        long[] sizes = new long[axes.size()];
        Arrays.fill(sizes, -1);
        long size = size(call, axes.get(v));
        long ceiling = ceiling(axes.get(v));
        for (long x : new long[] {1, 2, Math.max(1, size - 1), size, size + 1, size + 97, FAR[1], Math.min(ceiling, FAR[1])}) {
            if (x > ceiling) {
                continue;
            }
            sizes[v] = x;
            Long value = axisAt(call, axes, sizes, a, out.rank());
            if (value == null || value != x) {
                return false;
            }
        }
        return true;
    }

    /** The output's sizes with one variable at 1, 2, ... (the others as called): row x, or null where the leaf fails there. */
    private long[][] scan(LeafCall call, List<List<int[]>> axes, Shape out, int v, String label) throws Unfollowable {
        long[] sizes = new long[axes.size()];
        Arrays.fill(sizes, -1);
        long[][] rows = new long[SCAN + 1][];
        int x0 = -1;
        for (int x = 1; x <= Math.min(SCAN, ceiling(axes.get(v))); x++) {
            sizes[v] = x;
            Shape shape = run(call, axes, sizes);
            if (shape == null || shape.rank() != out.rank()) {
                if (x0 > 0) {
                    throw new Unfollowable(label + " has no output at an input of " + x + " positions but has one at " + x0
                            + ": where the network exists is no range of sizes that a program follows");
                }
                continue;
            }
            if (x0 < 0) {
                x0 = x;
            }
            rows[x] = shape.dims().stream().mapToLong(Integer::longValue).toArray();
            // Most rules repeat with a small period: scan on only where none of up to 8 has shown twice.
            if (x >= x0 + 24 && allRepeat(rows, x0, x, 8)) {
                break;
            }
        }
        if (x0 < 0) {
            throw new Unfollowable(label + " takes no input of up to " + SCAN + " positions");
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

    /** A rule of one variable, from its scan: its period found, then checked far away. */
    private Rule map(LeafCall call, List<List<int[]>> axes, Shape out, int a, int v, long[][] rows, String label) throws Unfollowable {
        int x0 = 1;
        while (rows[x0] == null) {
            x0++;
        }
        int last = x0;
        while (last + 1 < rows.length && rows[last + 1] != null) {
            last++;
        }
        int p = period(rows, x0, last, a, MOST_PERIOD);
        if (p < 0) {
            throw new Unfollowable(label + " has an output size that does not repeat with a period of at most " + MOST_PERIOD);
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
            Shape shape = run(call, axes, sizes);
            long expected = offsets[(int) ((far - x0) % p)] + slope * ((far - x0) / p);
            if (shape != null && shape.rank() == out.rank() && shape.dim(a) != expected) {
                throw new Unfollowable(label + " has an output size that does not repeat with a period of at most " + MOST_PERIOD);
            }
        }
        return new Rule("map", new long[] {v}, x0, p, slope, offsets, 0, axisName(call, axes.get(v)));
    }

    /** The far sizes a rule is checked at: {@link #FAR}, those the variable takes, and its largest size where that is below them. */
    private long[] farSizes(List<int[]> axes) {
        long ceiling = ceiling(axes);
        return java.util.stream.LongStream.concat(Arrays.stream(FAR).asLongStream().filter(far -> far <= ceiling),
                ceiling > SCAN && ceiling < FAR[FAR.length - 1] ? java.util.stream.LongStream.of(ceiling) : java.util.stream.LongStream.empty())
                .toArray();
    }

    private Long axisAt(LeafCall call, List<List<int[]>> axes, long[] sizes, int a, int rank) {
        Shape shape = run(call, axes, sizes);
        return shape == null || shape.rank() != rank ? null : (long) shape.dim(a);
    }

    /** A product or a sum of several variables, times or plus a constant, checked at other sizes. */
    private Rule combined(LeafCall call, List<List<int[]>> axes, Shape out, int a, List<Integer> depends, String kind) {
        long[] sizes = new long[axes.size()];
        Arrays.fill(sizes, -1);
        long constant;
        long product = 1;
        long sum = 0;
        for (int v : depends) {
            product *= size(call, axes.get(v));
            sum += size(call, axes.get(v));
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
                sizes[v] = near(axes.get(v), size(call, axes.get(v)), trial * (i + 2));
                expected = kind.equals("mul") ? expected * sizes[v] : expected + sizes[v];
            }
            Long value = axisAt(call, axes, sizes, a, out.rank());
            if (value == null || value != expected) {
                return null;
            }
        }
        long[] groups = depends.stream().mapToLong(Integer::longValue).toArray();
        return new Rule(kind, groups, 0, 0, 0, null, constant, out.axis(a));
    }

    /** How many sizes a {@link #separable} sum is checked at beyond those it was found from. */
    private static final int SEPARABLE_CHECKS = 24;

    /**
     * A sum of one map per variable, each found alone with the others as called, checked at other sizes where they all change: an
     * output size that adds its inputs' sizes after floors or remainders of each (a transposed convolution whose output padding is
     * the remainder of another tensor's size, {@code 1 - input.H % 2}); null where it does not hold.
     */
    private Rule separable(LeafCall call, List<List<int[]>> axes, Shape out, int a, List<Integer> depends, Map<Integer, long[][]> scans,
            String label) {
        Rule[] parts = new Rule[depends.size()];
        try {
            for (int i = 0; i < parts.length; i++) {
                int v = depends.get(i);
                long[][] scan = scans.get(v);
                if (scan == null) {
                    scan = scan(call, axes, out, v, label);
                    scans.put(v, scan);
                }
                parts[i] = map(call, axes, out, a, v, scan, label);
            }
        } catch (Unfollowable e) {
            return null;
        }
        // each map holds the others' contributions as called: all but one of those taken away
        long constant = Math.multiplyExact(1L - parts.length, out.dim(a));
        long[] sizes = new long[axes.size()];
        Arrays.fill(sizes, -1);
        int checked = 0;
        // steps whose parities meet in every combination in turn, and whose other residues vary at random (a fixed seed: the same
        // model is checked at the same sizes), so that a term of two sizes' residues together, (H + W) % 2, shows
        java.util.SplittableRandom random = new java.util.SplittableRandom(SEPARABLE_CHECKS);
        for (int trial = 1; trial <= 4 * SEPARABLE_CHECKS && checked < SEPARABLE_CHECKS; trial++) {
            Long expected = constant;
            for (int i = 0; i < parts.length; i++) {
                int v = depends.get(i);
                long step = ((trial >> Math.min(i, 30)) & 1) + 2L * random.nextInt(-MOST_PERIOD, MOST_PERIOD + 1);
                long called = size(call, axes.get(v));
                // below the size called where the variable takes no larger one (a bounded domain), with the same parity
                sizes[v] = called + step <= ceiling(axes.get(v)) ? called + step : called - Math.abs(step);
                Long part = sizes[v] < 1 ? null : parts[i].at(sizes[v]);
                expected = expected == null || part == null ? null : Math.addExact(expected, part);
            }
            if (expected == null) {
                continue;
            }
            Long value = axisAt(call, axes, sizes, a, out.rank());
            if (value == null) {
                continue;
            }
            if (value.longValue() != expected) {
                return null;
            }
            checked++;
        }
        if (checked < SEPARABLE_CHECKS) {
            return null;
        }
        long[] groups = depends.stream().mapToLong(Integer::longValue).toArray();
        return new Rule("sum", groups, 0, 0, 0, null, constant, out.axis(a), parts);
    }

    /** The program dimension of a rule applied to the leaf's dimensions: an existing one where the rule is the identity or already known. */
    private int dimension(Rule rule, List<Integer> dims, String label) {
        return dimension(rule, dims, label, false);
    }

    /** {@link #dimension(Rule, List, String)}, for a rule whose values are a cost ({@code cost}: no tensor's size) where {@code cost}. */
    private int dimension(Rule rule, List<Integer> dims, String label, boolean cost) {
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
                    // a sum of maps: each map a dimension, their sum another
                    for (Rule part : rule.parts()) {
                        ordered.add(dimension(part, dims, label, cost));
                    }
                    rule = new Rule("add", null, 0, 0, 0, null, rule.constant(), rule.axis());
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
                if (rule.kind().equals("mul") && !cost) {
                    long[] product = new long[ordered.size() + 1];
                    product[0] = rule.constant();
                    for (int i = 0; i < ordered.size(); i++) {
                        product[i + 1] = ordered.get(i);
                    }
                    products.putIfAbsent(id, product);
                }
                return id;
            }
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
