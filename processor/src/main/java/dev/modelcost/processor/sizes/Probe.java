package dev.modelcost.processor.sizes;

import dev.modelcost.processor.analysis.Analyzer;
import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.EvaluatedExpression;
import dev.modelcost.processor.analysis.LayerReplay;
import dev.modelcost.processor.analysis.LeafCall;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.counters.Counters;
import dev.modelcost.processor.counters.Reading;
import dev.modelcost.processor.counters.Readings;
import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.memory.Liveness;
import dev.modelcost.processor.memory.Peak;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.SizeVariable;
import dev.modelcost.processor.training.TrainingStep;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compiles a model at other sizes, as the processor would had the model declared them, and gives
 * every integer figure of its generated class there, or why the network does not exist there.
 * Results are memoized by size.
 */
final class Probe {
    /** The prefix of the output shape's dimensions among the figures: {@code OUTPUT_0}, {@code OUTPUT_1}, ... */
    static final String OUTPUT = "OUTPUT_";
    /**
     * The prefix of the live bytes while each leaf runs, in the order of the memory timeline, among
     * the figures: {@code "step 0"}, {@code "step 1"}, ... (no constant of the generated class; the
     * activation peak is their maximum).
     */
    static final String STEP = "step ";
    /** The inference memory less the activation peak (the weights, the buffers and the KV cache), among the figures. */
    static final String BESIDES_PEAK = "inference memory besides the peak";
    /**
     * The prefix of a gathering layer's weight reads among the figures (an embedding reads at most
     * its table): {@code "gather table wte"}, the table's bytes, and {@code "gather reads wte"}, the
     * rows its output holds, each times the layer's repetitions; {@code BYTES_MOVED} takes the
     * smaller of the two for each.
     */
    static final String GATHER = "gather ";
    /** Among the figures where a layer inside a mixture of experts gathers weights by token ids. */
    static final String GATHERS_IN_EXPERTS = GATHER + "inside a mixture of experts";
    /** {@code BYTES_MOVED} less every gathering layer's weight reads, among the figures. */
    static final String BESIDES_GATHERS = "bytes moved besides gathered weights";
    /**
     * The prefix of a layer's output axis among the {@linkplain Outcome#axes() axes} ({@code "axis fl 1"}: layer {@code fl}'s
     * axis 1): each holds at most 2,147,483,647 positions, where the network ends.
     */
    static final String AXIS = "axis ";

    /**
     * A layer's output axis at one size.
     *
     * @param size its positions
     * @param name its name there ({@code H*W}; a reshape's new axis {@code d2}, or the name it keeps where its size is the input's)
     */
    record Axis(long size, String name) {}
    /** Every counter's figure and parameter count among the figures ({@code THOP_MACS}, {@code THOP_PARAMS}, ...). */
    static final java.util.Set<String> COUNTERS = Counters.ALL.stream()
            .flatMap(c -> c.reportsParams() ? java.util.stream.Stream.of(c.constant(), c.paramsConstant()) : java.util.stream.Stream.of(c.constant()))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    /** The most timeline steps whose live bytes are figures; a longer timeline's peak gets no form. */
    static final int MOST_STEPS = 4096;

    private final ModelSpec spec;
    private final Analyzer analyzer;
    private final Map<List<Long>, Outcome> outcomes = new HashMap<>();
    /** How many times the model was analysed at other sizes than the declared ones. */
    private int analyses;
    /** The time {@link #analyses} took ({@link #analysisNanos()}). */
    private long analysisNanos;

    Probe(ModelSpec spec, Analyzer analyzer) {
        this.spec = spec;
        this.analyzer = analyzer;
    }

    /**
     * What the model gives at one size.
     *
     * @param figures every figure by its constant's name, the output's dimensions as {@code OUTPUT_i}; null on a failure
     * @param failure why the network does not exist there, or null
     * @param windows per variable axis name, per leaf (by its path, a run's first repetition standing for the run), the
     *     leaf's first input's size and its output's size on that axis, where both have it, and 1 where its costs follow
     *     windows of the input's size (adaptive pooling), else 0; null on a failure
     * @param inexact the counters' figures left out of {@code figures} because the tool computes them in floating point and
     *     truncates them, so that they may be no sum of products of the sizes, each with how
     * @param floors the counters' figures in {@code figures} whose rule floors a quotient of sizes, so that off a lattice they are
     *     no sum of products of the sizes, each with why
     * @param evaluated what the analysis evaluated that a test of a size may depend on, by where ({@link Analyzer#evaluated()}); empty
     *     on a failure
     * @param axes every layer's output axis's size, by {@link #AXIS} and where it is, whatever its name (a reshape's {@code d2} may
     *     hold {@code H·W}); a run's first repetition stands for the run; null on a failure
     * @param replays the layers that use a value that may read a size, by path, to be run again with other values
     *     ({@link Analyzer#replays()}); empty on a failure
     */
    record Outcome(Map<String, Long> figures, Problem failure, Map<String, Map<String, long[]>> windows, Map<String, String> inexact,
            Map<String, String> floors, Map<String, EvaluatedExpression> evaluated, Map<String, Axis> axes, Map<String, LayerReplay> replays) {
        Outcome(Map<String, Long> figures, Problem failure) {
            this(figures, failure, null, Map.of(), Map.of(), Map.of(), null, Map.of());
        }

        /** A figure, or the size of an axis ({@link #AXIS}); null where there is none. */
        Long value(String figure) {
            if (!figure.startsWith(AXIS)) {
                return figures.get(figure);
            }
            Axis axis = axes.get(figure);
            return axis == null ? null : axis.size();
        }

        boolean exists() {
            return failure == null;
        }

        /** The output's number of dimensions ({@link #OUTPUT} figures); 0 on a failure. */
        long rank() {
            return figures == null ? 0 : figures.keySet().stream().filter(f -> f.startsWith(OUTPUT)).count();
        }

        /** The failure's message without its fix. */
        String reason() {
            String message = failure.getMessage();
            int fix = message.indexOf(" (fix: ");
            return fix < 0 ? message : message.substring(0, fix);
        }
    }

    /** The figures at {@code sizes}, one value per variable in the order of the spec's {@code sizes}. */
    Outcome at(long... sizes) {
        return outcomes.computeIfAbsent(Arrays.stream(sizes).boxed().toList(), key -> evaluate(sizes));
    }

    /** What the bare names {@code in}, {@code h} and {@code w} of {@code network} stood for in the analyses so far ({@link Analyzer#inputAxes}). */
    java.util.Set<Map<String, String>> inputAxes(dev.modelcost.processor.spec.NetworkSpec network) {
        return analyzer.inputAxes(network);
    }

    /** The model analysed at {@code sizes}, one value per variable; null where the network does not exist there. */
    ModelCosts costs(long... sizes) {
        try {
            return analyzed(sizes);
        } catch (Problem problem) {
            throwIfAnySize(problem, sizes);
            return null;
        }
    }

    /**
     * Throws {@code problem} where it is a mistake in the spec whatever the sizes ({@link Problem#anySize()}), met at {@code sizes}
     * and not at the declared ones (in a layer that {@code @When} keeps there alone, a branch of {@code ?:} taken there): an error
     * of the model, not the end of a size's range.
     */
    void throwIfAnySize(Problem problem, long... sizes) {
        if (problem.anySize()) {
            throw problem.followedBy(" (met at " + describe(nearest(problem, sizes)) + ", one of the sizes the closed forms are checked at, not at "
                    + "the declared sizes)");
        }
    }

    /**
     * Sizes nearer the declared ones at which the same mistake is met, for its message: each variable in turn halves its way from
     * the declared size to where the checks met it (the first size a {@code @When} keeps a layer at, H = 101 rather than 6,469).
     */
    private long[] nearest(Problem problem, long[] sizes) {
        long[] at = sizes.clone();
        for (int v = 0; v < at.length; v++) {
            long met = at[v];
            long clear = spec.sizes().get(v).fallback();
            while (Math.abs(met - clear) > 1) {
                long[] halfway = at.clone();
                halfway[v] = clear + (met - clear) / 2;
                if (meets(problem, halfway)) {
                    met = halfway[v];
                } else {
                    clear = halfway[v];
                }
            }
            at[v] = met;
        }
        return at;
    }

    /** Whether the model analysed at {@code sizes} fails with the same mistake as {@code problem}. */
    private boolean meets(Problem problem, long[] sizes) {
        try {
            analyzed(sizes);
            return false;
        } catch (Problem other) {
            return other.anySize() && other.diagnostic() == problem.diagnostic() && other.getMessage().equals(problem.getMessage());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@code L = 2,048, batch = 4}: each variable's name and value. */
    String describe(long... sizes) {
        List<String> parts = new java.util.ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            parts.add(spec.sizes().get(i).name() + " = " + sizes[i]);
        }
        return String.join(", ", parts);
    }

    /**
     * What the model's analysis at {@code sizes} evaluated that a test of a size may depend on ({@link Analyzer#evaluated()}), analysed
     * anew (the declared sizes' outcome keeps none); empty where the network does not exist there. For messages.
     */
    Map<String, EvaluatedExpression> evaluatedAt(long... sizes) {
        try {
            analyzed(sizes);
            return analyzer.evaluated();
        } catch (Problem problem) {
            throwIfAnySize(problem, sizes);
            return Map.of();
        }
    }

    /** Every leaf's input and output size on each variable's axis, by the leaf's path. */
    private Map<String, Map<String, long[]>> windows(ModelCosts costs) {
        Map<String, Map<String, long[]>> windows = new LinkedHashMap<>();
        for (SizeVariable variable : spec.sizes()) {
            if (!variable.batch()) {
                String axis = spec.axis(variable);
                Map<String, long[]> leaves = new LinkedHashMap<>();
                walk(costs.root(), "", axis, leaves);
                windows.put(axis, leaves);
            }
        }
        return windows;
    }

    private static void walk(CostNode node, String path, String axis, Map<String, long[]> leaves) {
        if (node.leaf()) {
            int out = axisOf(node.output(), axis);
            if (node.call() != null && !node.call().inputs().isEmpty() && out >= 0) {
                Shape input = node.call().inputs().get(0);
                int in = axisOf(input, axis);
                if (in >= 0) {
                    leaves.put(path, new long[] {input.dims().get(in), node.output().dims().get(out), resamples(node.kind()) ? 1 : 0});
                }
            }
            return;
        }
        for (CostNode.Child child : node.children()) {
            walk(child.node(), ModelCosts.join(path, child.name(0)), axis, leaves);
        }
    }

    /**
     * Whether a kind's costs follow windows whose sizes follow the input's size (adaptive pooling:
     * windows of {@code floor} and {@code ceil} bounds), which repeat every output's worth of
     * positions. A slice keeps a fixed part of its input, and resampling to a size costs by its
     * output alone, whatever the input's size.
     */
    private static boolean resamples(String kind) {
        return kind.startsWith("Adaptive");
    }

    /** The axis of {@code shape} named {@code axis}, or holding it among the axes flattened into one ({@code H*W}); -1 if none. */
    private static int axisOf(Shape shape, String axis) {
        for (int i = 0; i < shape.rank(); i++) {
            String name = shape.axis(i);
            int at = name.indexOf(axis);
            // a whole name between the start or a '*' and the end or a '*'
            while (at >= 0) {
                int end = at + axis.length();
                if ((at == 0 || name.charAt(at - 1) == '*') && (end == name.length() || name.charAt(end) == '*')) {
                    return i;
                }
                at = name.indexOf(axis, at + 1);
            }
        }
        return -1;
    }

    private Outcome evaluate(long[] sizes) {
        for (long size : sizes) {
            if (size < 1 || size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("size " + size);
            }
        }
        analyses++;
        long start = System.nanoTime();
        try {
            ModelCosts costs = analyzer.analyze(spec.at(sizes));
            return outcome(costs, analyzer.evaluated(), analyzer.replays(), Readings.figures(costs), Liveness.of(costs));
        } catch (Problem problem) {
            throwIfAnySize(problem, sizes);
            return new Outcome(null, problem);
        } finally {
            analysisNanos += System.nanoTime() - start;
        }
    }

    /** The model analysed at {@code sizes}, counted and timed among the analyses at other sizes. */
    private ModelCosts analyzed(long[] sizes) {
        analyses++;
        long start = System.nanoTime();
        try {
            return analyzer.analyze(spec.at(sizes));
        } finally {
            analysisNanos += System.nanoTime() - start;
        }
    }

    /**
     * The figures of an analysed model, what its analysis evaluated that a test of a size may depend on, and the layers it kept to
     * run again ({@code replays}); {@code readings} and {@code liveness} are its counters' readings and its memory timeline.
     */
    private Outcome outcome(ModelCosts costs, Map<String, EvaluatedExpression> evaluated, Map<String, LayerReplay> replays, List<Reading> readings,
            Liveness liveness) {
        Map<String, Long> figures = new LinkedHashMap<>();
        for (Figure figure : Figure.values()) {
            figures.put(figure.name(), costs.totals().get(figure));
        }
        gathers(costs, figures);
        try {
            memory(costs, liveness, figures);
        } catch (Problem overflow) {
            return new Outcome(null, overflow); // the processor refuses a peak beyond 64 bits: the network ends there as at any overflow
        }
        List<Integer> output = costs.output().dims();
        for (int i = 0; i < output.size(); i++) {
            figures.put(OUTPUT + i, (long) output.get(i));
        }
        TrainingStep training = TrainingStep.of(costs, analyzer);
        if (training != null) {
            figures.put("TRAINING_FLOPS", training.flops());
            figures.put("SAVED_ACTIVATION_BYTES", training.savedActivations());
            figures.put("TRAINING_WEIGHT_BYTES", training.weights());
            figures.put("GRADIENT_BYTES", training.gradients());
            figures.put("OPTIMIZER_STATE_BYTES", training.optimizerState());
            figures.put("TRAINING_MEMORY_BYTES", training.memory());
        }
        Map<String, String> inexact = new LinkedHashMap<>();
        Map<String, String> floors = new LinkedHashMap<>();
        try {
            counters(costs, readings, figures, inexact, floors);
        } catch (Problem overflow) {
            return new Outcome(null, overflow);
        }
        return new Outcome(figures, null, windows(costs), inexact, floors, evaluated, axes(costs), replays);
    }

    /** Every layer's output axis, by {@link #AXIS}, the layer's path and the axis's index ({@code "axis fl 1"}). */
    private static Map<String, Axis> axes(ModelCosts costs) {
        Map<String, Axis> axes = new LinkedHashMap<>();
        axes(costs.root(), "", axes);
        return axes;
    }

    private static void axes(CostNode node, String path, Map<String, Axis> axes) {
        if (node.leaf()) {
            Shape output = node.output();
            for (int i = 0; i < output.rank(); i++) {
                axes.put(AXIS + path + " " + i, new Axis(output.dim(i), output.axis(i)));
            }
            return;
        }
        for (CostNode.Child child : node.children()) {
            axes(child.node(), ModelCosts.join(path, child.name(0)), axes);
        }
    }

    /**
     * Each counter's figure and parameter count ({@code THOP_MACS}, {@code THOP_PARAMS}, ...) where
     * the counter runs on the model, as the generated class's constants give them.
     *
     * @throws Problem {@link dev.modelcost.processor.diag.Diagnostic#OVERFLOW} where a counter's figure is beyond 64 bits, as
     *     {@code at(...)} throws there: the sizes end there for the closed forms, as at any overflow
     */
    private static void counters(ModelCosts costs, List<Reading> readings, Map<String, Long> figures, Map<String, String> inexact,
            Map<String, String> floors) {
        for (Reading reading : readings) {
            if (reading.unknown().contains(Readings.BEYOND_LONG)) {
                // compiled at that size, the class gives the figure as unavailable: at(...) refuses the size, whose figure it cannot give
                throw new Problem(Diagnostic.OVERFLOW, costs.spec().site(), costs.spec().network().name(), reading.counter().constant()
                        + ", which a class compiled at that size gives as " + reading.counter().constant() + "_UNAVAILABLE,");
            }
            if (reading.reproduced() && reading.inexact() != null) {
                inexact.put(reading.counter().constant(), "is what " + reading.counter().tool() + " computes in floating point and truncates: "
                        + reading.inexact() + "; the closed forms follow no truncation of a floating-point product (and do not check whether that layer's "
                        + "input varies with the sizes); compile the model at the size wanted");
            } else if (reading.reproduced()) {
                figures.put(reading.counter().constant(), reading.value());
                if (reading.floors() != null) {
                    floors.put(reading.counter().constant(), "floors a quotient of sizes: " + reading.floors());
                }
            }
            if (reading.reproduced() && reading.counter().reportsParams()) {
                figures.put(reading.counter().paramsConstant(), reading.params());
            }
        }
    }

    /**
     * The activation peak, the inference memory, and what they are built of: the live bytes while each
     * leaf runs (the peak is the largest) and the inference memory besides the peak; an inference
     * memory beyond 64 bits leaves it and its parts out.
     *
     * @throws Problem {@link dev.modelcost.processor.diag.Diagnostic#OVERFLOW} for a peak beyond 64 bits
     */
    private static void memory(ModelCosts costs, Liveness liveness, Map<String, Long> figures) {
        Peak peak = liveness.peak();
        figures.put("PEAK_ACTIVATION_BYTES", peak.bytes());
        long[] steps = liveness.stepBytes();
        if (steps.length <= MOST_STEPS) {
            for (int s = 0; s < steps.length; s++) {
                figures.put(STEP + s, steps[s]);
            }
        }
        try {
            long inference = peak.inference(costs);
            figures.put("INFERENCE_MEMORY_BYTES", inference);
            figures.put(BESIDES_PEAK, inference - peak.bytes());
        } catch (ArithmeticException overflow) {
            // left out: the figures that are not there get no form
        }
    }

    /**
     * Each gathering layer's table and reads (see {@link #GATHER}) and the bytes moved besides them;
     * nothing where no layer gathers or a figure exceeds 64 bits.
     */
    private static void gathers(ModelCosts costs, Map<String, Long> figures) {
        Map<String, Long> gathers = new LinkedHashMap<>();
        try {
            gathered(costs.root(), "", 1, gathers, new java.util.IdentityHashMap<>());
            if (gathers.isEmpty()) {
                return;
            }
            if (gathers.containsKey(GATHERS_IN_EXPERTS)) {
                figures.put(GATHERS_IN_EXPERTS, 1L);
                return;
            }
            long besides = costs.totals().get(Figure.BYTES_MOVED);
            for (Map.Entry<String, Long> table : gathers.entrySet()) {
                if (table.getKey().startsWith(GATHER + "table ")) {
                    String reads = GATHER + "reads " + table.getKey().substring((GATHER + "table ").length());
                    besides = Math.subtractExact(besides, Math.min(table.getValue(), gathers.get(reads)));
                }
            }
            figures.putAll(gathers);
            figures.put(BESIDES_GATHERS, besides);
        } catch (ArithmeticException overflow) {
            // left out: BYTES_MOVED then gets no form
        }
    }

    private static void gathered(CostNode node, String path, long times, Map<String, Long> gathers, Map<CostNode, Boolean> inside) {
        if (node.leaf() && node.call() == null && node.experts() != null) {
            // A mixture of experts: each expert's share of the tokens is not followed here, so a layer gathering inside one is marked.
            if (gathersInside(node.experts().expert(), inside)) {
                gathers.put(GATHERS_IN_EXPERTS, 1L);
            }
            return;
        }
        if (node.leaf()) {
            LeafCall call = node.call();
            if (call != null && call.gathers(node.totals().params())) {
                gathers.put(GATHER + "table " + path, Math.multiplyExact(times, Math.addExact(node.totals().get(Figure.WEIGHT_BYTES), call.sharedBytes())));
                gathers.put(GATHER + "reads " + path, Math.multiplyExact(times, call.rowsRead(node.output())));
            }
            return;
        }
        for (CostNode.Child child : node.children()) {
            if (gathersInside(child.node(), inside)) {
                gathered(child.node(), ModelCosts.join(path, child.name(0)), Math.multiplyExact(times, child.count()), gathers, inside);
            }
        }
    }

    /** Whether a layer gathers weights by token ids anywhere under {@code node}, memoized by node: most subtrees are skipped whole. */
    private static boolean gathersInside(CostNode node, Map<CostNode, Boolean> inside) {
        Boolean known = inside.get(node);
        if (known != null) {
            return known;
        }
        boolean found = false;
        if (node.leaf()) {
            found = node.call() != null ? node.call().gathers(node.totals().params())
                    : node.experts() != null && gathersInside(node.experts().expert(), inside);
        } else {
            for (CostNode.Child child : node.children()) {
                if (gathersInside(child.node(), inside)) {
                    found = true;
                    break;
                }
            }
        }
        inside.put(node, found);
        return found;
    }

    /** How many times the model was analysed at other sizes than the declared ones, a size analysed twice counted twice. */
    int analyses() {
        return analyses;
    }

    /** The wall time of those analyses, in nanoseconds, with the counters' readings and the memory timeline of each. */
    long analysisNanos() {
        return analysisNanos;
    }

    /** Every size analysed so far, and what it gave. */
    Map<List<Long>, Outcome> known() {
        return Collections.unmodifiableMap(outcomes);
    }

    /**
     * Takes the model as analysed at its declared sizes, with its counters' readings and its memory timeline there, so that none of
     * them is computed again.
     */
    void declared(ModelCosts costs, List<Reading> readings, Liveness liveness) {
        outcomes.put(spec.sizes().stream().map(v -> (long) v.fallback()).toList(), outcome(costs, Map.of(), Map.of(), readings, liveness));
    }

    /** Null if the model at {@code sizes} exists and has {@code figure} as the polynomial gives it (a figure beyond 64 bits passes), else why not. */
    String differs(String figure, Polynomial polynomial, long[] sizes) {
        Outcome outcome = at(sizes);
        String at = describe(sizes);
        if (!outcome.exists()) {
            return outcome.failure().diagnostic() == Diagnostic.OVERFLOW ? null : "fails at " + at + " (" + outcome.reason() + ")";
        }
        Long actual = outcome.figures().get(figure);
        if (actual == null) {
            return "is absent at " + at;
        }
        if (polynomial.matches(actual, sizes)) {
            return null;
        }
        Fraction expected = polynomial.at(sizes);
        return "changes form: it is " + String.format(Locale.ROOT, "%,d", actual) + " at " + at
                + ", not the " + (expected.denominator().equals(BigInteger.ONE) ? String.format(Locale.ROOT, "%,d", expected.numerator())
                : expected.numerator() + "/" + expected.denominator()) + " of the polynomial that holds on the sizes next to it";
    }
}
