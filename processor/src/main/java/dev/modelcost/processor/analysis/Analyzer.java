package dev.modelcost.processor.analysis;

import static dev.modelcost.processor.analysis.ModelCosts.join;

import dev.modelcost.From;
import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.ExprParser.Assignment;
import dev.modelcost.processor.expr.Scope;
import dev.modelcost.processor.expr.Value;
import dev.modelcost.processor.layers.Attrs;
import dev.modelcost.processor.layers.Conventions;
import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.layers.DeclaredFormula;
import dev.modelcost.processor.layers.Dtype;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.layers.Inputs;
import dev.modelcost.processor.layers.LayerResult;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.AttrSpec;
import dev.modelcost.processor.spec.DeclaredLayouts;
import dev.modelcost.processor.spec.NetworkSpec;
import dev.modelcost.processor.spec.Operation;
import dev.modelcost.processor.spec.Operation.BlockOp;
import dev.modelcost.processor.spec.Operation.OpStep;
import dev.modelcost.processor.spec.ParamSpec;
import dev.modelcost.processor.spec.SizeVariable;
import dev.modelcost.processor.spec.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.lang.model.element.Element;
import javax.lang.model.element.VariableElement;

/**
 * Infers every shape and computes every cost of a model by walking its network against its input.
 * A block is analysed once per distinct (block, arguments, input shape, batch) and shared after.
 */
public final class Analyzer {
    private final Predicate<Element> fromSource;
    /** The values of an element's {@code @SuppressWarnings} that speak to modelcost, from source or as recorded beside class files. */
    private final Function<Element, Set<String>> suppressed;
    /** Whether each analysis keeps what a test of a size may depend on ({@link #evaluated()}). */
    private final boolean keepsTests;
    /** What the last analysis evaluated that a test of a size may depend on, by where; kept only where {@link #keepsTests}. */
    private final Map<String, EvaluatedExpression> evaluated = new LinkedHashMap<>();
    /**
     * The layers of the last analysis that use a value that may read a size, by path, each to be run again by its rule with other
     * values and input sizes; kept only where {@link #keepsTests}.
     */
    private final Map<String, LayerReplay> replays = new LinkedHashMap<>();
    /** The entries of {@link #replays} in the order they came, as {@link #evaluatedInOrder} for {@link #evaluated}. */
    private final List<Map.Entry<String, LayerReplay>> replaysInOrder = new ArrayList<>();
    /** The entries of {@link #evaluated} in the order they came, so that a block's analysis takes those it added without walking the rest. */
    private final List<Map.Entry<String, EvaluatedExpression>> evaluatedInOrder = new ArrayList<>();
    /** The {@code @When}s found false in the model analysed last, by path, as written: why a model that runs no layer runs none. */
    private final List<String> whensFalse = new ArrayList<>();
    /** Per analysed block, what its analysis kept: the tests (where tests are kept) and the {@code @When}s it found false. */
    private final Map<BlockKey, KeptInBlock> keptInBlock = new HashMap<>();
    /** Whether each expression met branches, where tests are kept ({@link Expr#branches()}), by identity. */
    private final Map<Expr, Boolean> branching = new java.util.IdentityHashMap<>();

    /**
     * The most repetitions of one {@code @Repeat} that are analysed one by one; identical
     * shape-keeping ones fold into one run and do not count.
     */
    static final int MAX_DISTINCT_REPETITIONS = 100_000;
    /**
     * The most repetitions of one {@code @Repeat} whose arguments read {@code index}: each is evaluated and its block applied in turn,
     * even where they fold into runs (about 0.4 s per 100,000), nested ones each time the block around them is analysed, all counted
     * together ({@link #evaluatedByIndex}).
     */
    static final int MAX_EVALUATED_REPETITIONS = 1 << 20;

    /**
     * The most leaves a model's layers may be walked over, each run of identical repetitions counted once: its timeline, layer
     * table, counters and reports take about 12 KB of heap a leaf, so that beyond it a compiler would need over 12 GB.
     */
    static final long MAX_WALKED_LEAVES = 1_048_576;

    private final Map<BlockKey, CostNode> memo = new HashMap<>();
    /** Each analysed block applied as experts, once per (count, topK), so that repetitions of it still fold. */
    private final Map<CostNode, Map<List<Integer>, CostNode>> experts = new java.util.IdentityHashMap<>();
    /** Each analysed node as a later call of a shared module ({@code @Repeat(shared = true)}) runs it: without weights of its own. */
    private final Map<CostNode, CostNode> calledAgain = new java.util.IdentityHashMap<>();
    /** Fields whose {@code @Dtype(weights)} met a call of their layer without parameters of its own, each with its warning. */
    private final Map<VariableElement, Problem> weightless = new LinkedHashMap<>();
    /** Fields whose {@code @Dtype(weights)} met a call of their layer with parameters of its own. */
    private final Set<VariableElement> weighted = new HashSet<>();
    /** The elements already warned of, each with the tag of the warning. */
    private final Set<List<Object>> warned = new HashSet<>();
    /** The conventions of the model being analysed (part of every memo key). */
    private Conventions conventions = Conventions.DEFAULT;
    /** Why a block cannot read each size variable of the model analysed (a block sees what it receives, not the model's names). */
    private Map<String, String> sizesUnseen = Map.of();
    /** The model's size variables by name, each as the axis of a model input it is ({@code H} as {@code input.H}), for this analysis. */
    private Map<String, String> sizeAxes = Map.of();
    /** The size variables' names (L, H, batch), which the model's own expressions read, where tests are kept. */
    private Set<String> sizeNames = Set.of();
    /**
     * The parameters of the block being analysed that were given a value that may read a size ({@code @Args("s = input.L * 2")},
     * a default of {@code x.L / 2}), where tests are kept: a layer's attribute that reads one is followed as one that reads a size.
     */
    private Set<String> sizeParams = Set.of();
    /** What {@link #inputAxes} gives, gathered over every analysis this analyzer ran. */
    private final Map<NetworkSpec, Set<Map<String, String>>> inputAxes = new java.util.IdentityHashMap<>();

    /**
     * An analyzer; {@code fromSource} tells whether an element was compiled from source in this
     * compilation, so that an error inside a block from a class file goes on the model's field that
     * applies it, and {@code suppressed} gives the values of an element's {@code @SuppressWarnings}
     * that speak to modelcost, also of a block read from its class file.
     */
    public Analyzer(Predicate<Element> fromSource, Function<Element, Set<String>> suppressed) {
        this(fromSource, suppressed, false);
    }

    private Analyzer(Predicate<Element> fromSource, Function<Element, Set<String>> suppressed, boolean keepsTests) {
        this.fromSource = fromSource;
        this.suppressed = suppressed;
        this.keepsTests = keepsTests;
    }

    /** An analyzer of the same sources with an empty memo, for analyses whose results are not kept. */
    public Analyzer fresh() {
        return new Analyzer(fromSource, suppressed);
    }

    /**
     * A {@link #fresh()} analyzer that also keeps, for each analysis, every expression that branches (a comparison, a min or max),
     * and every argument and parameter default, with the values they read ({@link #evaluated()}): where a test reads a size the
     * layers derive ({@code x.L > 15}) or a parameter given one, they show how it follows the model's sizes.
     */
    public Analyzer keepingTests() {
        return new Analyzer(fromSource, suppressed, true);
    }

    /**
     * What the last {@link #analyze} evaluated that a test of a size may depend on, by where: every expression that branches
     * ({@code "b1 @When"}, {@code "layer2.0.conv1 cout"}) and every argument or parameter default that reads a name
     * ({@code "g argument n"}, {@code "g @Param n"}, the model's own as {@code "Net @Param n"}), each the first time it was
     * evaluated there (a block shared by equal uses is evaluated once); empty unless {@link #keepingTests()}.
     */
    public Map<String, EvaluatedExpression> evaluated() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evaluated));
    }

    /** Keeps {@code expr} as evaluated in {@code scope} at the place {@code at} names, where tests are kept and it branches. */
    private void keepTest(Expr expr, Scope scope, java.util.function.Supplier<String> at) {
        if (keepsTests && expr != null && branching.computeIfAbsent(expr, Expr::branches)) {
            keep(expr, scope, at.get());
        }
    }

    /**
     * Keeps what a layer uses (an attribute, a {@code @LayerKind} formula, a {@code @Repeat} count, an {@code @Experts} value) as
     * evaluated in {@code scope}, where tests are kept and it {@link #mayReadSize may read a size}: a value that rises and falls back
     * along the sizes ({@code out = (x.H - 50) * (x.H - 50)}) can leave the layer nothing at a size between those the forms are
     * checked at, which the value's turns tell.
     */
    private void keepUsed(Expr expr, Scope scope, java.util.function.Supplier<String> at) {
        if (keepsTests && readsSize(expr)) {
            keep(expr, scope, at.get());
        }
    }

    /**
     * Whether a name may read a tensor's size: a tensor's axis ({@code x.H}), {@code h}, {@code w}, {@code in}, a size variable (the
     * batch too) or a parameter given a value that may read one ({@link #sizeParams}), which is also followed where it is given
     * ({@link #keepGiven}).
     */
    private boolean mayReadSize(String name) {
        return name.indexOf('.') > 0 || name.equals("h") || name.equals("w") || name.equals("in") || sizeNames.contains(name)
                || sizeParams.contains(name);
    }

    /** Whether an expression reads a name that {@link #mayReadSize may read a size}; false for none. */
    private boolean readsSize(Expr expr) {
        return expr != null && expr.names().stream().anyMatch(this::mayReadSize);
    }

    /**
     * Keeps the sizes of a layer's inputs and output where tests are kept and the layer uses a value that may read a size: each axis
     * at {@code "path x.shape[i]"} (the first input's; {@code "path inputs[t].shape[i]"}, another's) and {@code "path
     * output.shape[i]"}, as a name read by itself. What the layer compares its values with (a slice's start with the length of its
     * axis) is among its inputs' sizes, and what it leaves (a crop's rest) among its output's: where the difference of a value and
     * an input's size, or an output's size, turns or passes 0 or 1 along the sizes, the layer may get nothing in between.
     */
    private void keepSizes(OpStep op, List<Shape> inputs, Shape output, String path) {
        if (!keepsTests || op.attrs().stream().noneMatch(attr -> evaluated.containsKey(path + " " + attr.name()))) {
            return;
        }
        List<Shape> shapes = new ArrayList<>(inputs);
        shapes.add(output);
        for (int t = 0; t < shapes.size(); t++) {
            Shape shape = shapes.get(t);
            for (int i = 0; i < shape.rank(); i++) {
                String name = t == inputs.size() ? "output.shape[" + i + "]" : inputAxis(t, i);
                keep(new Expr.Name(name), Scope.of(Map.of(name, Value.of(shape.dims().get(i)))), path + " " + name);
            }
        }
    }

    /**
     * Keeps a layer to be run again ({@link LayerReplay}), where tests are kept and an attribute of it uses a value that may read a
     * size: what its values and its inputs' sizes give together (a window against its padded input) is the layer's rule's to say.
     */
    private void keepReplay(OpStep op, Attrs attrs, Inputs in, String path) {
        if (keepsTests && !replays.containsKey(path) && op.attrs().stream().anyMatch(attr -> evaluated.containsKey(path + " " + attr.name()))) {
            LayerReplay replay = new LayerReplay(op, attrs, in, path);
            replays.put(path, replay);
            replaysInOrder.add(Map.entry(path, replay));
        }
    }

    /** The layers of the last analysis kept to be run again, by path ({@link #keepReplay}); empty where tests are not kept. */
    public Map<String, LayerReplay> replays() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(replays));
    }

    /**
     * The name axis {@code i} of a layer's input {@code t} is kept by ({@link #keepSizes}): {@code x.shape[i]} for the first input,
     * {@code inputs[t].shape[i]} for another.
     */
    public static String inputAxis(int t, int i) {
        return (t == 0 ? "x" : "inputs[" + t + "]") + ".shape[" + i + "]";
    }

    /** Keeps an argument or a parameter's default as evaluated in {@code scope}, where tests are kept and it reads a name. */
    private void keepGiven(Expr expr, Scope scope, java.util.function.Supplier<String> at) {
        if (keepsTests && expr != null && !expr.names().isEmpty()) {
            keep(expr, scope, at.get());
        }
    }

    private void keep(Expr expr, Scope scope, String where) {
        if (evaluated.containsKey(where)) {
            return;
        }
        Map<String, Value> read = new LinkedHashMap<>();
        for (String name : expr.names()) {
            Value value = scope.lookup(name);
            if (value != null) {
                read.put(name, value);
            }
        }
        EvaluatedExpression kept = new EvaluatedExpression(expr, java.util.Collections.unmodifiableMap(read));
        evaluated.put(where, kept);
        evaluatedInOrder.add(Map.entry(where, kept));
    }
    private long blockAnalyses;

    /** The model being analysed. */
    private ModelSpec analysed;

    /** Analyses a model; throws {@link Problem} at the first error. */
    public ModelCosts analyze(ModelSpec model) {
        NetworkSpec network = model.network();
        analysed = model;
        listedRepetitions.clear();
        evaluatedByIndex = 0;
        conventions = model.conventions();
        evaluated.clear();
        evaluatedInOrder.clear();
        replays.clear();
        replaysInOrder.clear();
        whensFalse.clear();
        // A model that is also a @Block receives other inputs where it is applied: a name its own input lacks may be known there.
        boolean alsoBlock = dev.modelcost.processor.spec.Mirrors.mirror(network.element(), dev.modelcost.processor.spec.Mirrors.DSL + ".Block") != null;
        // An axis of an input is read by its tensor's name (input.H); its name alone where @Model(sizes) varies it, which says so.
        Map<String, String> unusable = new HashMap<>(network.unusable());
        for (int k = 0; k < model.inputs().size(); k++) {
            Shape input = model.inputs().get(k);
            for (int a = 0; a < input.rank(); a++) {
                // Of several inputs, a size is named with its input (a.H), and expressions read it so: the name alone is never one.
                unusable.putIfAbsent(input.axis(a), "is an axis of " + (model.inputs().size() == 1 ? "the model's input" : "model input "
                        + network.inputs().get(k)) + ": read it as " + network.inputs().get(k) + "." + input.axis(a) + " (" + input.dim(a)
                        + " here)" + (model.inputs().size() == 1 ? ", or name it in @Model(sizes) to read it as " + input.axis(a) + " and vary it" : ""));
            }
        }
        MapScope scope = MapScope.of(network.constants(), unusable, network.inputs(), model.inputs(), network.steps(), alsoBlock);
        // The size variables by name (L, H, batch), at this model's sizes: its own expressions and the arguments it passes read them.
        Map<String, String> axes = new HashMap<>();
        Map<String, String> unseen = new HashMap<>();
        for (SizeVariable size : model.sizes()) {
            unseen.put(size.name(), "is a size variable of model " + network.simpleName() + ", which a block does not see: "
                    + (size.batch() ? "" : "read the size of what the block receives (input." + model.inputs().get(size.input()).axis(size.axis())
                    + ") or ") + "pass " + size.name() + " to a @Param of the block with @Args");
            if (size.name().indexOf('.') < 0) {
                scope = scope.with(size.name(), size.batch() ? model.batch() : model.inputs().get(size.input()).dim(size.axis()));
                if (!size.batch()) {
                    axes.put(size.name(), network.inputs().get(size.input()) + "." + model.inputs().get(size.input()).axis(size.axis()));
                }
            }
        }
        sizeAxes = Map.copyOf(axes);
        sizeNames = model.sizes().stream().map(SizeVariable::name).filter(name -> name.indexOf('.') < 0).collect(java.util.stream.Collectors.toUnmodifiableSet());
        sizesUnseen = Map.copyOf(unseen);
        // A model that is also a @Block sees its own parameters at their defaults.
        for (ParamSpec param : network.params()) {
            if (param.fallback() == null) {
                throw new Problem(Diagnostic.MISSING_ARGUMENT, param.site(), network.simpleName(), network.simpleName(), param.name(), param.name());
            }
            if (keepsTests) {
                keepGiven(param.fallback(), scope.before(param, network.params()), () -> network.simpleName() + " @Param " + param.name());
            }
            scope = scope.with(param.name(), Evaluation.parameter(param.type(), param.fallback(), scope.before(param, network.params()),
                    () -> network.simpleName() + " @Param " + param.name(), param.site(), param.fallbackText()),
                    param.type() == ParamSpec.Type.INT ? param.fallback() : null);
        }
        List<String> sources = network.inputs().size() == 1 ? List.of("the model input")
                : network.inputs().stream().map(name -> "the model input " + name).toList();
        fusedLayers.clear();
        MapScope modelScope = scope;
        CostNode root = fused(network, () -> evaluate(network, modelScope, model.inputs(), "", sources, model.batch(), model.outputs(),
                model::outputSite));
        long walked = ModelCosts.walkedLeaves(root, MAX_WALKED_LEAVES);
        if (walked > MAX_WALKED_LEAVES) {
            throw new Problem(Diagnostic.LAYERS_DO_NOT_FOLD, model.site(), network.simpleName(), MAX_WALKED_LEAVES);
        }
        ModelCosts costs = DecodeStep.costs(model, root);
        long leaves = ModelCosts.leavesAtMostLong(costs.root());
        if (leaves == 0) {
            // Every layer left out by a false @When: the costs would be zeros that no one asked for.
            throw new Problem(Diagnostic.NOTHING_RUNS, model.site(), network.simpleName(), whensOff());
        }
        if (leaves > Integer.MAX_VALUE) {
            // LAYER_COUNT and LAYERS are an int and a List; a @Repeat that passes alone is refused on its field first.
            throw new Problem(Diagnostic.TOO_MANY_LAYERS, model.site(), network.simpleName(), "it has", layers(leaves));
        }
        return costs;
    }

    /** Why the model analysed last ran no layers: the {@code @When}s found false, by path, the first three. */
    private String whensOff() {
        if (whensFalse.isEmpty()) {
            return "every layer is left out";
        }
        return "every layer is left out by a @When that is false (" + String.join(", ", whensFalse.subList(0, Math.min(3, whensFalse.size())))
                + (whensFalse.size() > 3 ? ", ..." : "") + ")";
    }

    private CostNode experts(BlockOp use, Scope scope, String where, CostNode expert, long batch) {
        if (use.expertsSite() == null) {
            return expert;
        }
        int count = use.experts();
        int topK = use.topK();
        for (Assignment assignment : use.expertsWith()) {
            keepUsed(assignment.value(), scope, () -> where + " @Experts " + assignment.name());
            long value = Evaluation.number(assignment.value(), scope, where + " @Experts " + assignment.name(), use.expertsSite(), assignment.text());
            if (value < 1 || value > Integer.MAX_VALUE) {
                throw new Problem(Diagnostic.NOT_POSITIVE, use.expertsSite(), where, "@Experts " + assignment.name(), 1, value);
            }
            if (assignment.name().equals("count")) {
                count = (int) value;
            } else {
                topK = (int) value;
            }
        }
        if (topK > count) {
            throw new Problem(Diagnostic.EXPERTS, use.expertsSite(), where, topK, count);
        }
        return experts.computeIfAbsent(expert, node -> new HashMap<>())
                .computeIfAbsent(List.of(count, topK), key -> Leaves.experts(key.get(0), key.get(1), expert, batch));
    }

    /**
     * The tensor axes that the bare names {@code in}, {@code h} and {@code w} stood for in each analysis of {@code network} this
     * analyzer ran, one map per distinct reading ({@code in} to {@code x.W} where the block input is {@code H,W}); a name is absent
     * where it was no axis in that analysis ({@code in} the channels or features). Empty where the network was never analysed (its
     * every use under a {@code @When} that was false).
     */
    public Set<Map<String, String>> inputAxes(NetworkSpec network) {
        return Set.copyOf(inputAxes.getOrDefault(network, Set.of()));
    }

    /** How many block analyses ran (cache misses), for tests of the memo. */
    public long blockAnalyses() {
        return blockAnalyses;
    }

    /** The identity of one analysis of a block: every parameter's value, the input shape and the batch. */
    private record BlockKey(String block, Map<String, Value> args, List<Shape> inputs, long batch, Conventions conventions, boolean fused,
            java.util.Set<String> derived, java.util.Set<String> sizeParams) {}

    /**
     * The {@code @FastPath} networks that enclose the one being evaluated, innermost first: PyTorch runs such a layer
     * ({@code nn.TransformerEncoderLayer}) as one fused kernel at inference where its attention takes the fast path.
     */
    private final java.util.ArrayDeque<FusedLayer> fusedLayers = new java.util.ArrayDeque<>();

    /** One {@code @FastPath} network being evaluated: whether it runs fused, as far as its attention, once evaluated, says. */
    private static final class FusedLayer {
        private final NetworkSpec network;
        private boolean runs = true;

        FusedLayer(NetworkSpec network) {
            this.network = network;
        }
    }

    /** Each {@code @FastPath} network whose attention does not take the fast path ({@link Diagnostic#FAST_PATH_NOT_TAKEN}), once. */
    private final Map<javax.lang.model.element.TypeElement, Problem> notFused = new LinkedHashMap<>();

    /** Marks a {@code @FastPath} layer as running its modules one by one, for {@code why}, and warns of it once (MC149). */
    private void notFused(FusedLayer layer, String why) {
        layer.runs = false;
        if (fromSource.test(layer.network.element())) {
            javax.lang.model.element.AnnotationMirror mirror = dev.modelcost.processor.spec.Mirrors.mirror(layer.network.element(),
                    dev.modelcost.processor.spec.Mirrors.DSL + ".FastPath");
            notFused.putIfAbsent(layer.network.element(), new Problem(Diagnostic.FAST_PATH_NOT_TAKEN,
                    mirror == null ? Site.of(layer.network.element()) : Site.of(layer.network.element(), mirror), layer.network.simpleName(), why));
        }
    }

    /** Whether the layers being evaluated run inside a fused kernel at inference. */
    private boolean inFusedLayer() {
        return !fusedLayers.isEmpty() && fusedLayers.peek().runs;
    }

    /** Evaluates {@code network}, a fused layer of its own where it is {@code @FastPath}. */
    private CostNode fused(NetworkSpec network, java.util.function.Supplier<CostNode> evaluation) {
        if (network.fastPath()) {
            FusedLayer layer = new FusedLayer(network);
            String whyNot = FusedLayerGate.whyNot(network);
            if (whyNot != null) {
                notFused(layer, whyNot);
            }
            fusedLayers.push(layer);
        }
        try {
            return evaluation.get();
        } finally {
            if (network.fastPath()) {
                fusedLayers.pop();
            }
        }
    }

    private CostNode evaluate(NetworkSpec network, MapScope scope, List<Shape> inputs, String path, List<String> inputSources, long batch,
            List<String> outputNames, java.util.function.IntFunction<Site> outputSites) {
        Map<String, Shape> outputs = new HashMap<>();
        // The analysed block of each block field, and its path, for reads of a step inside it ("backbone.4").
        Map<String, CostNode> blocks = new HashMap<>();
        Map<String, String> blockPaths = new HashMap<>();
        // The full path of the leaf that produced each output; absent for the network's inputs.
        Map<String, String> producers = new HashMap<>();
        Map<String, String> inputSource = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            outputs.put(network.inputs().get(i), inputs.get(i));
            inputSource.put(network.inputs().get(i), inputSources.get(i));
        }
        // Which tensor each name stands for, what each child reads, and the entry of each block field, for the liveness of tensors.
        Map<String, Flow.Source> sourceOf = new HashMap<>();
        List<List<Flow.Source>> flowReads = new ArrayList<>();
        List<Flow.Test> flowTests = new ArrayList<>();
        List<Map<String, Flow.Source>> flowSized = new ArrayList<>();
        java.util.Set<Integer> unreadOnPurpose = new java.util.HashSet<>();
        Map<String, Integer> entryOf = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            sourceOf.put(network.inputs().get(i), Flow.Source.input(i));
        }
        // The layers whose one call gives several results (an LSTM's output, h_n and c_n), for a later step reading another of them.
        Map<String, LeafCall> results = new HashMap<>();
        String current = network.inputs().get(0);
        List<CostNode.Child> children = new ArrayList<>();
        Costs totals = Costs.ZERO;
        int index = 0;
        // The weight shapes of this network's layers, for a layer tied to one of them.
        Map<String, List<Integer>> weights = new HashMap<>();
        // ... and their dtypes, at which a tied layer reads the shared table.
        Map<String, Dtype> weightDtypes = new HashMap<>();
        Map<String, String> axisNames = axisNames(network, inputs, path);
        if (keepsTests) {
            Map<String, String> bare = new HashMap<>(axisNames);
            bare.keySet().retainAll(Set.of("in", "h", "w"));
            inputAxes.computeIfAbsent(network, key -> new HashSet<>()).add(Map.copyOf(bare));
        }
        // The module of each step that ran, for a later step that calls it again (@Shared).
        Map<String, CostNode> modules = new HashMap<>();
        // A name with a path ("enc.h_n", "backbone.4"), resolved where it is first read: another result of an earlier layer's call,
        // or a tensor inside an earlier block field.
        PathReader resolve = (read, step, reader) -> {
            String head = read.indexOf('.') < 0 ? read : read.substring(0, read.indexOf('.'));
            if (!outputs.containsKey(read) && results.containsKey(head)) {
                // Another result of an earlier layer's call: no cost of its own, a tensor that call writes; the one it passes on is
                // the step itself.
                LeafCall call = results.get(head);
                String result = read.substring(head.length() + 1);
                if (!call.kind().results().contains(result)) {
                    // Read elsewhere as a model, where @Model(output) is checked first; a class applied as a block is analysed here alone.
                    throw new Problem(Diagnostic.UNKNOWN_INPUT, readSite(step), reader, read, "; " + head + " (" + call.kind().name()
                            + ") has no result " + result + ", only " + String.join(", ", call.kind().results()), "one of its results");
                }
                boolean passedOn = result.equals(call.attrs().text("output"));
                outputs.put(read, passedOn ? outputs.get(head) : call.result(result, conventions));
                producers.put(read, producers.get(head));
                sourceOf.put(read, passedOn ? sourceOf.get(head) : new Flow.Source(entryOf.get(head), outputs.get(read), read));
            } else if (!outputs.containsKey(read)) {
                String inner = resolveInside(read, step, reader, network, blocks, blockPaths, outputs, producers);
                // A tensor from inside a block field: the field's output where it is that, else one the field holds past its end.
                sourceOf.put(read, producers.get(read).equals(producers.get(head)) ? sourceOf.get(head)
                        : new Flow.Source(entryOf.get(head), outputs.get(read), inner, appliedInPlace(network, head)));
            }
        };
        for (Step step : network.steps()) {
            List<String> reads = reads(step, current);
            for (String read : reads) {
                resolve.read(read, step, join(path, step.name()));
            }
            List<Flow.Source> readSources = reads.stream().map(sourceOf::get).toList();
            Shape x = outputs.get(reads.isEmpty() ? current : reads.get(0));
            Scope whenScope = step.when() == null ? null : scope.forStep(x, outputs);
            keepTest(step.when(), whenScope, () -> join(path, step.name()) + " @When");
            boolean holds = step.when() == null || Evaluation.truth(step.when(), whenScope, join(path, step.name()) + " @When", step.whenSite(),
                    step.whenText());
            if (step.when() != null) {
                sizeTest(step, holds, scope, whenScope, x, reads.isEmpty() ? current : reads.get(0), outputs, sourceOf, axisNames, flowReads.size(),
                        flowTests);
            }
            if (!holds) {
                whensFalse.add(join(path, step.name()) + ": @When(\"" + step.whenText() + "\")");
                requireKnownNames(step, whenScope, join(path, step.name()));
                // An absent step passes on what it would read: its @From, else the step before (a merge's too).
                String passed = step.from().isEmpty() ? current : step.from().get(0);
                outputs.put(step.name(), outputs.get(passed));
                sourceOf.put(step.name(), sourceOf.get(passed));
                if (producers.containsKey(passed)) {
                    producers.put(step.name(), producers.get(passed));
                } else {
                    inputSource.put(step.name(), inputSource.get(passed));
                }
                current = step.name();
                continue;
            }
            // A layer whose kind is a parameter's value is that kind from here on.
            Operation operation = step.operation() instanceof Operation.KindOf kindOf
                    ? kindOf(kindOf, scope.forStep(x, outputs), join(path, step.name())) : step.operation();
            BlockOp inline = step.operation() instanceof BlockOp use && use.inline() ? use : null;
            BlockOp inPlace = step.operation() instanceof BlockOp use && use.inPlace() ? use : null;
            // An inline block's repetitions take the numbers below.
            String name = network.indexed() && step.numbered(operation) && inline == null ? Integer.toString(index++) : step.name();
            String childPath = join(path, name);
            List<Shape> shapes = new ArrayList<>();
            List<String> sources = new ArrayList<>();
            // Inputs named by @From or an inputs attribute are told by the names written, the field just before included.
            boolean named = !step.from().isEmpty() || operation instanceof OpStep op && !op.inputs().isEmpty();
            for (String read : reads) {
                shapes.add(outputs.get(read));
                String producer = producers.get(read);
                // a field's own path is its name (qh) where it is a layer of this network: said once
                sources.add(producer == null ? inputSource.get(read) : read.equals(current) && !named ? "the previous layer (" + producer + ")"
                        : producer.equals(read) ? "field " + read : "field " + read + " (" + producer + ")");
            }
            CostNode node;
            try {
                if (inline != null) {
                    // The repetitions are this network's own children and take its next numbers.
                    int first = index;
                    Scope stepScope = scope.forStep(shapes.get(0), outputs);
                    int count = count(inline, stepScope, childPath, first);
                    index += count;
                    node = repeat(inline, stepScope, shapes, path, childPath, "", first, count, sources, batch);
                } else if (inPlace != null) {
                    // The block's fields are this network's own: its leaves take this network's path.
                    node = applyBlock(inPlace, scope.forStep(shapes.get(0), outputs), shapes, path, sources, batch);
                    checkInPlaceNames(inPlace, node, children, network, step);
                } else {
                    if (step.operation() instanceof Operation.KindOf kindOf && operation instanceof OpStep op
                            && (shapes.size() < op.kind().minInputs() || shapes.size() > op.kind().maxInputs())) {
                        throw new Problem(Diagnostic.ARITY, step.fromSite() != null ? step.fromSite() : kindOf.site(), childPath, op.kind().name(),
                                op.kind().arity(), shapes.size());
                    }
                    if (operation instanceof OpStep op) {
                        checkValuesInKeys(op, reads, network, childPath);
                    }
                    CostNode called = step.shared() == null ? null : modules.get(step.shared());
                    if (step.shared() != null && called == null) {
                        throw new Problem(Diagnostic.SHARED_WEIGHTS, step.sharedSite(), childPath, step.shared(), step.shared()
                                + " is absent here (its @When is false), so there is no module to call", "give " + step.name()
                                + " the condition of " + step.shared() + " too, or share a field that is always there");
                    }
                    node = apply(step, operation, scope, shapes, sources, childPath, batch, weights, weightDtypes, outputs, axisNames);
                    if (called != null) {
                        node = sharedCall(node, called, step, childPath);
                    } else {
                        modules.put(step.name(), node);
                    }
                }
                totals = plus(totals, node.totals(), 1, Site.of(step.field()), childPath, (path.isEmpty() ? "the model" : path)
                        + " with this field's share added");
            } catch (ArithmeticException e) {
                throw new Problem(Diagnostic.OVERFLOW, Site.of(step.field()), childPath, "the total");
            } catch (Problem problem) {
                if (step.operation() instanceof Operation.KindOf && problem.diagnostic() == Diagnostic.MISSING_ATTRIBUTE) {
                    // A kind chosen by @LayerOf has its annotation's defaults, so an attribute it needs can never be given there.
                    problem = problem.at(problem.site(), "; @LayerOf runs a kind with its annotation's defaults: write this kind as a field "
                            + "with its attributes");
                }
                throw alsoAtShared(path.isEmpty() && step.operation() instanceof BlockOp ? placedForModel(problem, network, step) : problem, step);
            }
            if (step.operation() instanceof BlockOp) {
                blocks.put(step.name(), node);
                blockPaths.put(step.name(), inline != null || inPlace != null ? path : childPath);
            } else if (operation instanceof OpStep op && !op.kind().results().isEmpty() && node.call() != null) {
                results.put(step.name(), node.call());
            }
            if (inline != null || inPlace != null) {
                int offset = children.size();
                children.addAll(node.children());
                producers.put(step.name(), join(path, node.outputFrom()));
                if (node.flow() == null) {
                    sourceOf.put(step.name(), readSources.get(0));
                } else {
                    java.util.function.UnaryOperator<Flow.Source> spliced = s -> s.isInput() ? readSources.get(s.input())
                            : new Flow.Source(offset + s.entry(), s.inner(), s.path(), s.inPlace());
                    node.flow().reads().forEach(r -> flowReads.add(r.stream().map(spliced).toList()));
                    node.flow().sized().forEach(sized -> {
                        Map<String, Flow.Source> splicedSized = new LinkedHashMap<>();
                        sized.forEach((tensor, source) -> splicedSized.put(tensor, spliced.apply(source)));
                        flowSized.add(splicedSized);
                    });
                    node.flow().unreadOnPurpose().forEach(entry -> unreadOnPurpose.add(offset + entry));
                    sourceOf.put(step.name(), spliced.apply(node.flow().output()));
                }
                // The field's own MC130, suppressed, says its output is used: the block's output, spliced among these children.
                Flow.Source spliceOut = sourceOf.get(step.name());
                if (!spliceOut.isInput() && unreadOnPurpose(step)) {
                    unreadOnPurpose.add(spliceOut.entry());
                }
                entryOf.put(step.name(), children.size() - 1);
            } else {
                entryOf.put(step.name(), children.size());
                if (unreadOnPurpose(step)) {
                    unreadOnPurpose.add(children.size());
                }
                sourceOf.put(step.name(), Flow.Source.child(children.size()));
                children.add(CostNode.Child.of(name, node));
                flowReads.add(readSources);
                Map<String, Flow.Source> sized = new LinkedHashMap<>();
                if (node.leaf() && node.call() != null && node.call().reevaluation() != null) {
                    node.call().reevaluation().tensors().keySet().stream().filter(sourceOf::containsKey)
                            .forEach(tensor -> sized.put(tensor, sourceOf.get(tensor)));
                }
                flowSized.add(sized);
                producers.put(step.name(), join(childPath, node.outputFrom()));
            }
            outputs.put(step.name(), node.output());
            current = step.name();
        }
        for (int i = 0; i < outputNames.size(); i++) {
            // @Model(output) names fields, or paths from one ("enc.h_n"), whose problems go on the annotation's values
            String outputName = outputNames.get(i);
            String head = outputName.indexOf('.') < 0 ? outputName : outputName.substring(0, outputName.indexOf('.'));
            for (Step step : network.steps()) {
                if (step.name().equals(head)) {
                    try {
                        resolve.read(outputName, step, "@Model(output)");
                    } catch (Problem problem) {
                        throw problem.at(outputSites.apply(i), "");
                    }
                }
            }
        }
        // Checked where the class is read as a model first; a class applied as a block is analysed here alone, and refused the same.
        for (int i = 0; i < outputNames.size(); i++) {
            String name = outputNames.get(i);
            Problem refused = network.outputRefused(i);
            if (refused != null) {
                throw refused;
            }
            if (!sourceOf.containsKey(name)) {
                throw new Problem(Diagnostic.UNKNOWN_INPUT, outputSites.apply(i), "@Model(output)", name, "",
                        "a field of " + network.simpleName() + ", or a path from one");
            }
        }
        List<Flow.Source> alsoReturned = new ArrayList<>();
        if (!outputNames.isEmpty()) {
            current = outputNames.get(0);
            outputNames.subList(1, outputNames.size()).forEach(name -> alsoReturned.add(sourceOf.get(name)));
        }
        String last = producers.get(current);
        String outputFrom = last == null ? "" : path.isEmpty() ? last : last.substring(path.length() + 1);
        // A @FastPath network whose attention does not take the fast path runs its modules one by one, as the counters see them.
        return new CostNode(network.simpleName(), false, outputs.get(current), totals, List.copyOf(children), outputFrom, Map.of(), null,
                network.fastPath() && fusedLayers.peek().runs, new Flow(flowReads, sourceOf.get(current), flowSized, unreadOnPurpose,
                alsoReturned, flowTests));
    }

    /**
     * Keeps a step's {@code @When} where it reads tensors' sizes ({@link SizeTest}), with the tensors it reads, its own input
     * ({@code x}, the tensor {@code own}) among them, before child entry {@code entry}.
     */
    private static void sizeTest(Step step, boolean holds, MapScope scope, Scope whenScope, Shape x, String own, Map<String, Shape> outputs,
            Map<String, Flow.Source> sourceOf, Map<String, String> axisNames, int entry, List<Flow.Test> tests) {
        Map<String, Shape> named = new HashMap<>(outputs);
        if (x != null) {
            named.put(MapScope.OWN_INPUT, x);
        }
        SizeTest test = SizeTest.of(step.when(), "@When(\"" + step.whenText() + "\")", scope, whenScope, named, axisNames, holds);
        if (test == null) {
            return;
        }
        Map<String, Flow.Source> sources = new LinkedHashMap<>();
        for (String tensor : test.tensors().keySet()) {
            Flow.Source source = sourceOf.get(tensor.equals(MapScope.OWN_INPUT) ? own : tensor);
            if (source != null) {
                sources.put(tensor, source);
            }
        }
        tests.add(new Flow.Test(entry, step.name(), test, sources));
    }

    /**
     * Refuses a name that means nothing whatever the sizes in an expression of {@code step}, which its {@code @When} leaves out here
     * ({@link Evaluation#requireKnownNames}): a layer's attributes, a block's arguments (a repetition's with {@code index}), its
     * {@code @Repeat} count and its {@code @Experts}. Nothing is evaluated, as the condition may guard what would fail.
     */
    private static void requireKnownNames(Step step, Scope scope, String where) {
        String context = " (in field " + step.name() + ", which @When(\"" + step.whenText() + "\") leaves out here; a name that means "
                + "nothing is refused though its field is left out)";
        if (step.operation() instanceof OpStep op) {
            for (AttrSpec attr : op.attrs()) {
                if (attr.type() != AttrSpec.Type.TEXT && attr.value() != null) {
                    Evaluation.requireKnownNames(attr.value(), scope, where + " " + attr.name(), attr.site(), attr.text(), context);
                }
            }
        } else if (step.operation() instanceof BlockOp use) {
            Scope argsScope = use.repeated() ? withIndex(scope, 0) : scope;
            for (Assignment argument : use.args()) {
                Evaluation.requireKnownNames(argument.value(), argsScope, where + " argument " + argument.name(), use.argsSite(), argument.text(),
                        context);
            }
            for (Assignment argument : use.first()) {
                Evaluation.requireKnownNames(argument.value(), argsScope, where + " argument " + argument.name(), use.firstSite(), argument.text(),
                        context);
            }
            if (use.count() != null) {
                Evaluation.requireKnownNames(use.count().expr(), scope, where + " @Repeat count", use.countSite(), use.count().text(), context);
            }
            for (Assignment assignment : use.expertsWith()) {
                Evaluation.requireKnownNames(assignment.value(), scope, where + " @Experts " + assignment.name(), use.expertsSite(),
                        assignment.text(), context);
            }
        }
    }

    /** A block applied in place brings no child whose name this network's children already have (or the other way round). */
    private static void checkInPlaceNames(BlockOp use, CostNode node, List<CostNode.Child> children, NetworkSpec network, Step step) {
        java.util.Set<String> taken = new java.util.HashSet<>();
        children.forEach(child -> taken.add(child.run() ? child.prefix() + child.first() : child.prefix()));
        network.steps().stream().filter(other -> other != step).forEach(other -> taken.add(other.name()));
        for (CostNode.Child child : node.children()) {
            String name = child.run() ? child.prefix() + child.first() : child.prefix();
            if (taken.contains(name)) {
                throw new Problem(Diagnostic.IN_PLACE_NAMES, use.argsSite().attribute("inPlace"), step.name(), use.block().simpleName(), name);
            }
        }
    }

    /** Where a step's reads are written: its {@code @From}, else its layer's inputs, else the field. */
    private static Site readSite(Step step) {
        return step.fromSite() != null ? step.fromSite() : step.operation() instanceof OpStep op ? op.inputsSite() : Site.of(step.field());
    }

    /** Resolves a name with a path ({@code "enc.h_n"}, {@code "backbone.4"}) where it is first read, by {@code reader} (a step's path, or {@code @Model(output)}). */
    @FunctionalInterface
    private interface PathReader {
        void read(String read, Step step, String reader);
    }

    /**
     * Finds a step inside an earlier block field ({@code "backbone.4"}, {@code "encoder.layers.3"}), or another result of a
     * recurrent layer there ({@code "encoder.lstm.h_n"}), by its path among the analysed block's children, and records its output
     * under that name.
     *
     * @return the path of the tensor read: {@code read}, or the layer's own where the result read is the one it passes on
     */
    private String resolveInside(String read, Step step, String reader, NetworkSpec network, Map<String, CostNode> blocks,
            Map<String, String> blockPaths, Map<String, Shape> outputs, Map<String, String> producers) {
        String head = read.substring(0, read.indexOf('.'));
        CostNode node = blocks.get(head);
        String walked = head;
        String[] segments = read.substring(head.length() + 1).split("\\.", -1);
        for (int s = 0; s < segments.length; s++) {
            String segment = segments[s];
            CostNode child = node == null ? null : child(node, segment);
            if (child == null && s == segments.length - 1 && node != null && node.leaf() && node.call() != null
                    && node.call().kind().results().contains(segment)) {
                // Another result of a recurrent layer's call inside the block ("encoder.lstm.h_n"); the one it passes on is the layer.
                boolean passedOn = segment.equals(node.call().attrs().text("output"));
                String layer = read.substring(0, read.length() - segment.length() - 1);
                outputs.put(read, passedOn ? node.output() : node.call().result(segment, conventions));
                producers.put(read, join(blockPaths.get(head), (passedOn ? layer : read).substring(head.length() + 1)));
                return passedOn ? layer : read;
            }
            if (child == null) {
                List<String> names = new ArrayList<>();
                if (node != null) {
                    for (CostNode.Child c : node.children()) {
                        names.add(walked + "." + (c.run() ? c.prefix() + c.first() + ".." + c.name(c.count() - 1) : c.prefix()));
                    }
                }
                String leftOut = node == null ? null : falseWhen(join(blockPaths.get(head), (walked + "." + segment).substring(head.length() + 1)));
                boolean layer = network.steps().stream().anyMatch(other -> other.name().equals(head) && !(other.operation() instanceof BlockOp));
                String why = node == null && layer ? "; " + head + " is a layer, with no steps inside"
                        : node == null ? "; " + head + " is absent here (its @When does not hold)"
                        : leftOut != null ? "; " + walked + "." + segment + " is left out here: its " + leftOut + " is false"
                        : node.experts() != null ? "; " + walked + " is a mixture of experts, whose experts' steps each see a share of the "
                                + "tokens and are not read by path"
                        : names.isEmpty() ? "; " + walked + " has no steps inside" : "; inside " + walked + " are " + String.join(", ", names);
                throw new Problem(Diagnostic.UNKNOWN_INPUT, readSite(step), reader, read, why, "a step of the block by its path, as PyTorch names it");
            }
            node = child;
            walked = walked + "." + segment;
        }
        outputs.put(read, node.output());
        producers.put(read, join(blockPaths.get(head), read.substring(head.length() + 1)));
        return read;
    }

    /**
     * The {@code @When("...")} found false for the step at {@code path} in this analysis, a repetition's number standing for any
     * (identical repetitions are analysed once); null where none was.
     */
    private String falseWhen(String path) {
        StringBuilder pattern = new StringBuilder();
        for (String segment : path.split("\\.", -1)) {
            pattern.append(pattern.length() == 0 ? "" : "\\.").append(segment.matches("\\d+") ? "\\d+" : java.util.regex.Pattern.quote(segment));
        }
        java.util.regex.Pattern at = java.util.regex.Pattern.compile(pattern + ": (@When\\(.*)");
        for (String when : whensFalse) {
            java.util.regex.Matcher matcher = at.matcher(when);
            if (matcher.matches()) {
                return matcher.group(1);
            }
        }
        return null;
    }

    /**
     * {@code totals} and {@code part} counted {@code times} times; where a figure of the sum passes 64 bits, {@link Diagnostic#OVERFLOW}
     * naming it and both parts, so that the layer that makes it huge shows (an attention over a long sequence, say).
     */
    private static Costs plus(Costs totals, Costs part, long times, Site site, String where, String what) {
        try {
            return totals.plus(part.times(times));
        } catch (ArithmeticException e) {
            // which figure, found only on the failure: every step of every analysis adds its costs here
            Figure over = totals.overflowWith(part, times);
            throw new Problem(Diagnostic.OVERFLOW, site, where, over.name() + " of " + what + " (" + String.format(java.util.Locale.ROOT,
                    "%,d before it, %,d %s)", totals.get(over), part.get(over), times == 1 ? "here" : "each of " + times));
        }
    }

    /** The child of a node by name, a repetition of a run included; null when there is none. */
    private static CostNode child(CostNode node, String name) {
        for (CostNode.Child child : node.children()) {
            if (!child.run() && child.prefix().equals(name)) {
                return child.node();
            }
            if (child.run() && name.startsWith(child.prefix())) {
                String number = name.substring(child.prefix().length());
                // as PyTorch names a repetition: blk.1, never blk.01
                if (number.matches("0|[1-9]\\d{0,9}")) {
                    long index = Long.parseLong(number) - child.first();
                    if (index >= 0 && index < child.count()) {
                        return child.node();
                    }
                }
            }
        }
        return null;
    }

    /**
     * A problem found inside a block that a model's field applies: its text names the model, and
     * it goes on the model's field; where the block has a source, on the block's element as well
     * (a block from a class file has no line to show).
     */
    private Problem placedForModel(Problem problem, NetworkSpec model, Step step) {
        Element at = problem.site().element();
        if (declaredIn(at, model.element())) {
            return problem;
        }
        String context = " [in model " + model.name() + ", through its field " + step.name() + "]";
        return fromSource.test(at) ? problem.at(problem.site(), context).alsoAt(Site.of(step.field())) : problem.at(Site.of(step.field()), context);
    }

    /** Whether {@code element} is {@code type} or one of its own members; a member of a class nested in it (a block) is not. */
    private static boolean declaredIn(Element element, Element type) {
        Element owner = element;
        while (owner != null && !(owner instanceof javax.lang.model.element.TypeElement)) {
            owner = owner.getEnclosingElement();
        }
        return owner != null && owner.equals(type);
    }

    /**
     * An attention that caches its keys alone ({@code valuesInKeys}, the values being the keys' first features, as multi-head latent
     * attention's) reads values taken from its keys: followed back through views (a slice, a reshape, a transpose) of this network,
     * they reach the keys or a tensor the keys come from. Values a layer computes (their own projection) would need a cache of
     * their own, so the flag is refused there; values from outside this network are taken as written.
     */
    private static void checkValuesInKeys(OpStep op, List<String> reads, NetworkSpec network, String path) {
        AttrSpec flag = op.attrs().stream().filter(attr -> attr.name().equals("valuesInKeys") && attr.given()).findFirst().orElse(null);
        if (flag == null || !flag.text().equals("true") || reads.size() < 3) {
            return;
        }
        Map<String, List<String>> readsOf = new HashMap<>();
        Map<String, Step> steps = new HashMap<>();
        String before = network.inputs().get(0);
        for (Step step : network.steps()) {
            readsOf.put(step.name(), reads(step, before));
            steps.put(step.name(), step);
            before = step.name();
        }
        // The keys, and what they are a view or a concatenation of (the latent, with the rotary part joined to it).
        Set<String> keys = new HashSet<>();
        java.util.Deque<String> open = new java.util.ArrayDeque<>(List.of(reads.get(1)));
        while (!open.isEmpty()) {
            String name = open.pop();
            Step step = steps.get(name);
            if (keys.add(name) && step != null && step.operation() instanceof OpStep made) {
                // The keys hold every feature of what they are a reshape of, and the first of a concatenation's first input; a slice
                // of something holds only part of it, so values from its other part are not in the keys.
                if (made.kind().view() && !SELECTING.contains(made.kind().name())) {
                    open.addAll(readsOf.get(name));
                } else if (made.kind().name().equals("Concat") && !readsOf.get(name).isEmpty()) {
                    open.add(readsOf.get(name).get(0));
                }
            }
        }
        String value = reads.get(2);
        for (int hops = 0; hops <= steps.size(); hops++) {
            Step step = steps.get(value);
            if (keys.contains(value) || step == null && hops == 0) {
                return;
            }
            if (step == null) {
                // a view of an input of this network that the keys are not made of
                throw notFromKeys(flag, path, op, reads, "they are a view of " + value + ", which the keys are not");
            }
            List<String> from = readsOf.get(value);
            if (!(step.operation() instanceof OpStep view && view.kind().view() && from.size() == 1)) {
                throw notFromKeys(flag, path, op, reads, value + " computes them");
            }
            value = from.get(0);
        }
    }

    /** The views that keep only part of their input (PyTorch's slicing and selecting), which the keys are no whole of. */
    private static final Set<String> SELECTING = Set.of("Slice", "Select", "Chunk");

    private static Problem notFromKeys(AttrSpec flag, String path, OpStep op, List<String> reads, String why) {
        return new Problem(Diagnostic.ATTRIBUTE_VALUE, flag.site(), path, op.kind().name(), "valuesInKeys", true, "false where the values ("
                + reads.get(2) + ") are not taken from the keys (" + reads.get(1) + "): " + why + "; the flag caches the keys alone, for values "
                + "that are their first features (a @Slice of them)");
    }

    /** The names a step reads, in order: those its operation names, else its {@code @From}, else the step before (none for a source). */
    private static List<String> reads(Step step, String current) {
        if (step.operation() instanceof OpStep op) {
            if (!op.inputs().isEmpty()) {
                return op.inputs();
            }
            if (step.from().isEmpty() && op.kind().maxInputs() == 0) {
                return List.of();
            }
        }
        return step.from().isEmpty() ? List.of(current) : step.from();
    }

    /**
     * The kind a {@code @LayerOf} field names through its parameter, with that kind's default
     * attributes; a parameter that is no text, or a text that is no kind of one input, is a problem
     * on the field.
     */
    private static OpStep kindOf(Operation.KindOf kindOf, Scope scope, String path) {
        String where = path + " @LayerOf";
        Map<String, OpStep> kinds = kindOf.kinds().get();
        if (scope.lookup(kindOf.parameter()) == null && kinds.containsKey(kindOf.parameter())) {
            // @LayerOf("ReLU"): the kind itself where a parameter naming it was meant.
            throw new Problem(Diagnostic.ATTRIBUTE_VALUE, kindOf.site(), path, "@LayerOf", "value", "\"" + kindOf.parameter() + "\"",
                    "a String parameter of the enclosing block that names the kind (@Param String act; @LayerOf(\"act\")); for a "
                    + kindOf.parameter() + " always, annotate the field @" + kindOf.parameter());
        }
        if (scope.lookup(kindOf.parameter()) == null) {
            throw new Problem(Diagnostic.ATTRIBUTE_VALUE, kindOf.site(), path, "@LayerOf", "value", "\"" + kindOf.parameter() + "\"",
                    "a String parameter of the enclosing block that names the kind (@Param String act; @LayerOf(\"act\")), and there is no "
                    + "parameter of that name here");
        }
        Value value = Evaluation.value(new dev.modelcost.processor.expr.Expr.Name(kindOf.parameter()), scope, where, kindOf.site(),
                kindOf.parameter());
        if (!value.isText()) {
            throw new Problem(Diagnostic.EXPRESSION_TYPE, kindOf.site(), where, "expected the name of a layer kind, such as 'SiLU', but found " + value,
                    kindOf.parameter());
        }
        OpStep kind = kinds.get(value.text());
        if (kind == null) {
            String whyNot = kindOf.whyNot().apply(value.text());
            throw new Problem(Diagnostic.ATTRIBUTE_VALUE, kindOf.site(), path, "@LayerOf", kindOf.parameter(), value,
                    "the name of a layer kind of one input that runs at its defaults" + (whyNot != null ? "; " + whyNot
                    : dev.modelcost.processor.diag.Suggestions.didYouMean(value.text(), kinds.keySet()))).atAnySize();
        }
        OpStep sited = kind.at(kindOf.site());
        if (!kindOf.inplace()) {
            return sited;
        }
        if (sited.attrs().stream().noneMatch(a -> a.name().equals("inplace") && a.type() == dev.modelcost.processor.spec.AttrSpec.Type.FLAG)) {
            throw new Problem(Diagnostic.ATTRIBUTE_VALUE, kindOf.inplaceSite(), path, "@LayerOf", "inplace", true,
                    "false for " + value.text() + ", which has no inplace attribute in PyTorch");
        }
        List<dev.modelcost.processor.spec.AttrSpec> attrs = sited.attrs().stream()
                .map(a -> a.name().equals("inplace") ? new dev.modelcost.processor.spec.AttrSpec(a.name(),
                        new dev.modelcost.processor.expr.Expr.Literal(Value.of(true)), true, a.type(), kindOf.inplaceSite(), "true") : a)
                .toList();
        return new OpStep(sited.kind(), attrs, sited.inputs(), sited.site(), sited.inputsSite());
    }

    /**
     * The bare names of a network's scope that are a tensor's axis: {@code h} and {@code w}, its first input's height and width where
     * it is an image, {@code in} where it is the last axis and no channels or features, and in the model itself the size variables
     * ({@code H} as {@code input.H}).
     */
    private Map<String, String> axisNames(NetworkSpec network, List<Shape> inputs, String path) {
        Map<String, String> names = new HashMap<>();
        Shape first = inputs.get(0);
        // in: the channels where the first axis is C, else the last axis, which may be a size (an image's W after a select).
        String in = first.axis(0).equals("C") ? "C" : first.axis(first.rank() - 1);
        if (!List.of("C", "D", "E", "F").contains(in)) {
            names.put("in", network.inputs().get(0) + "." + in);
        }
        if (first.isImage()) {
            names.put("h", network.inputs().get(0) + "." + first.axis(1));
            names.put("w", network.inputs().get(0) + "." + first.axis(2));
        }
        if (path.isEmpty()) {
            names.putAll(sizeAxes);
        }
        return names;
    }

    private CostNode apply(Step step, Operation operation, MapScope scope, List<Shape> shapes, List<String> sources, String path, long batch,
            Map<String, List<Integer>> weights, Map<String, Dtype> weightDtypes, Map<String, Shape> outputs, Map<String, String> axisNames) {
        if (operation instanceof OpStep op) {
            Scope stepScope = scope.forStep(shapes.isEmpty() ? null : shapes.get(0), outputs);
            for (AttrSpec attr : op.attrs()) {
                keepUsed(attr.value(), stepScope, () -> path + " " + attr.name());
            }
            Attrs attrs = Evaluation.attributes(op, stepScope, path);
            if (!shapes.isEmpty()) {
                channelsFromDefaultSteps(op, shapes.get(0), path);
            }
            if (sources.size() > 1) {
                // Which inputs are one tensor (attention's key and value read from one memory): what the call holds may depend on it.
                List<Long> first = new ArrayList<>();
                for (String source : sources) {
                    first.add((long) sources.indexOf(source));
                }
                attrs = attrs.withSameInputs(first);
            }
            if (step.subclass() != null) {
                attrs = attrs.withSubclass(step.subclass());
            }
            if (inFusedLayer()) {
                attrs = attrs.inFusedLayer();
            }
            Leaves.writableInPlace(op, attrs, shapes, batch, path);
            // A tied layer's sizes left out are its table's, as the shared weight fixes them.
            String tied = attrs.textOr("tiedTo", "");
            List<Integer> tiedTable = tied.isEmpty() ? null : Leaves.tiedTable(op, tied, weights, path, outputs.keySet());
            attrs = Leaves.sizedByTie(attrs, tiedTable);
            // Inputs the annotation names (a merge's) are described by those names in messages.
            Inputs in = new Inputs(shapes, op.inputs().isEmpty() ? sources : op.inputs(), batch, conventions);
            // A call of a shared module whose inputs do not fit it is reported at its @Shared, as the module's other refusals are.
            LayerResult result = Leaves.run(op, attrs, in, path, step.shared() == null ? null : step.sharedSite());
            keepSizes(op, shapes, result.output(), path);
            keepReplay(op, attrs, in, path);
            if (!fusedLayers.isEmpty() && op.kind().name().equals("MultiheadAttention")) {
                // nn.TransformerEncoderLayer runs fused where its attention could take the fast path (batch-first self-attention, an
                // even number of heads, ...); else module by module, as the layers after it are then counted.
                String whyNot = dev.modelcost.processor.layers.FastPath.whyNot(attrs, shapes);
                if (whyNot != null) {
                    notFused(fusedLayers.peek(), "its attention " + step.name() + ": " + whyNot);
                }
            }
            if (keepsTests && op.kind().formula() instanceof DeclaredFormula declared && !shapes.isEmpty()) {
                // A declared kind's formula may test the sizes it reads (x.L > 5000 ? ...): kept as a layer's attribute is.
                Scope formulaScope = DeclaredFormula.scope(attrs, shapes.get(0), result.output());
                declared.expressions().forEach((name, expr) -> keepUsed(expr, formulaScope, () -> path + " @LayerKind " + name));
            }
            featuresIgnored(op, attrs, shapes, path);
            Costs cost = Leaves.declaredDecode(op, attrs, in, result.cost(), conventions.sequenceAxis());
            if (tiedTable != null) {
                cost = Leaves.tie(op, tied, tiedTable, result, weightDtypes, step.weights(), path);
            }
            Dtype dtype = step.weights() != null ? step.weights() : conventions.dtype();
            weightsGiven(step, op, cost, tied);
            if (!result.weight().isEmpty() && step.shared() == null) {
                weights.put(step.name(), result.weight());
                weightDtypes.put(step.name(), dtype);
            }
            if (!step.call().registersModule() && cost.params() > 0) {
                throw new Problem(Diagnostic.FUNCTIONAL_PARAMETERS, step.callSite(), path, op.kind().name(), cost.params());
            }
            if (step.call() == Step.Call.MODULE_WEIGHTS && cost.params() == 0 && cost.buffers() == 0 && tied.isEmpty()) {
                throw new Problem(Diagnostic.FUNCTIONAL_MODULE_WEIGHTS, step.callSite(), path, op.kind().name(), "has no parameters, so no module's "
                        + "weights to take", "remove moduleWeights = true: a function of no weights is @Functional alone");
            }
            Dtype activations = step.activations() != null ? step.activations() : conventions.activations();
            try {
                cost = cost.with(Figure.WEIGHT_BYTES, dtype.bytes(cost.params()));
            } catch (ArithmeticException e) {
                throw new Problem(Diagnostic.OVERFLOW, op.site(), path, "the weight bytes of this " + op.kind().name() + " at " + dtype.name());
            }
            long shared = tied.isEmpty() ? 0 : result.cost().params() - cost.params();
            long otherResults = 0;
            // The table it reads: its own, or the one it is tied to, at that layer's dtype.
            Dtype table = weightDtypes.getOrDefault(tied, dtype);
            long sharedBytes;
            try {
                sharedBytes = table.bytes(shared);
                // A layer of several results writes each of them, whichever it passes on (nn.LSTM: output, h_n and c_n).
                List<Shape> results = new ArrayList<>();
                for (String name : op.kind().results()) {
                    results.add(name.equals(attrs.text("output")) ? result.output() : Leaves.run(op, attrs.withText("output", name), in, path).output());
                }
                otherResults = results.stream().mapToLong(Shape::elements).sum() - (results.isEmpty() ? 0 : result.output().elements());
                cost = cost.with(Figure.BYTES_MOVED, Traffic.bytesMoved(op.kind(), cost, Traffic.read(op.kind(), attrs, shapes), result.output(), batch, shared, dtype, table, activations,
                        results));
            } catch (ArithmeticException e) {
                throw new Problem(Diagnostic.OVERFLOW, op.site(), path, "the bytes this " + op.kind().name() + " moves");
            }
            return CostNode.leaf(op.kind().name(), result.output(), Leaves.derived(cost, result.output(), conventions.sequenceAxis()), result.parameters(),
                    new LeafCall(op.kind(), attrs, shapes, batch, step.call(), activations, dtype, Reevaluation.of(op, scope, shapes.isEmpty() ? null : shapes.get(0), outputs, axisNames, path),
                            sharedBytes, table, -1, otherResults, !shapes.isEmpty() && op.kind().copies(shapes.get(0), result.output(), batch)));
        }
        return applyBlock((BlockOp) operation, scope.forStep(shapes.isEmpty() ? null : shapes.get(0), outputs), shapes, path, sources, batch);
    }

    /** The kinds that read the first axis of a 2-D input as its channels, and weigh or normalise per channel. */
    private static final Set<String> CHANNELS_FIRST_1D = Set.of("Conv1d", "ConvTranspose1d", "BatchNorm1d", "InstanceNorm1d");
    /**
     * Per model input (its model and its index), the warning that a layer takes its default steps as channels
     * ({@link Diagnostic#STEPS_AS_CHANNELS}), once.
     */
    private final Map<List<Object>, Problem> stepsAsChannels = new LinkedHashMap<>();

    /**
     * Warns where a 1-D layer that takes channels first is given a 2-D model input as it is, whose layout is the default {@code L,D}
     * (its first axis the steps): the input is most likely channels by length, declared without its layout.
     */
    private void channelsFromDefaultSteps(OpStep op, Shape input, String path) {
        javax.lang.model.element.TypeElement model = analysed.network().element();
        if (!CHANNELS_FIRST_1D.contains(op.kind().name()) || input.rank() != 2 || input.ids() || !fromSource.test(model)) {
            return;
        }
        for (int i = 0; i < analysed.inputs().size(); i++) {
            List<Object> key = List.of(model, i);
            if (analysed.inputs().get(i) == input && !stepsAsChannels.containsKey(key) && !DeclaredLayouts.declared(analysed, i)) {
                String name = analysed.inputs().size() == 1 ? "" : analysed.network().inputs().get(i) + " ";
                stepsAsChannels.put(key, new Problem(Diagnostic.STEPS_AS_CHANNELS, DeclaredLayouts.site(analysed, i), analysed.network().simpleName(),
                        path, op.kind().name(), name, input.dim(0), input.dim(1), input.dim(0), input.dim(1)));
            }
        }
    }

    /** The kinds whose {@code features} PyTorch ignores without weights or running statistics. */
    private static final Set<String> FEATURES_IGNORING_NORMS = Set.of("BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "InstanceNorm1d", "InstanceNorm2d",
            "InstanceNorm3d");

    /** What a batch or instance norm that ignores its {@code features} is given, by the field that writes them: for its warning. */
    private record FeaturesSeen(Site site, String path, String kind, long features, java.util.SortedSet<Long> channels) {}

    /** Each batch or instance norm field that ignores its {@code features}, with the channels its calls are given so far. */
    private final Map<javax.lang.model.element.Element, FeaturesSeen> featuresSeen = new LinkedHashMap<>();

    /**
     * Notes the channels a batch or instance norm that ignores its {@code features} is given, by the field that writes them (a
     * module called again with {@code @Shared}, or in a shared block, counts every call): a warning where one differs
     * ({@link dev.modelcost.processor.layers.Normalization#ignoresFeatures}).
     */
    private void featuresIgnored(OpStep op, Attrs attrs, List<Shape> shapes, String path) {
        if (!FEATURES_IGNORING_NORMS.contains(op.kind().name()) || !attrs.given("features") || shapes.isEmpty()
                || !dev.modelcost.processor.layers.Normalization.ignoresFeatures(attrs)) {
            return;
        }
        Site site = op.attrs().stream().filter(attr -> attr.name().equals("features") && attr.given()).map(AttrSpec::site).findFirst()
                .orElse(op.site());
        if (!fromSource.test(site.element())) {
            return;
        }
        featuresSeen.computeIfAbsent(site.element(), field -> new FeaturesSeen(site, path, op.kind().name(), attrs.number("features"),
                new java.util.TreeSet<>())).channels().add((long) shapes.get(0).channels());
    }

    /** The warning of a batch or instance norm given channels other than its {@code features} ({@link Diagnostic#FEATURES_IGNORED}), or null. */
    private static Problem featuresIgnored(FeaturesSeen seen) {
        if (seen.channels().equals(java.util.Set.of(seen.features()))) {
            return null;
        }
        boolean one = seen.channels().size() == 1;
        String given = one ? seen.channels().first() + " channels" : String.join(" and ", seen.channels().stream().map(String::valueOf).toList())
                + " channels in its calls";
        String fix = one ? "write features = " + seen.channels().first() + ", or leave it out" : "leave features out: no one value fits every call";
        return new Problem(Diagnostic.FEATURES_IGNORED, seen.site(), seen.path(), seen.kind(), seen.features(), given, fix);
    }

    /** Notes whether a layer given {@code @Dtype(weights)} holds parameters of its own in this call. */
    private void weightsGiven(Step step, OpStep op, Costs cost, String tied) {
        // A call of a module again (@Shared) takes the dtype its module's field gives, whose own call is checked.
        if (step.weightsSite() == null || step.shared() != null || !fromSource.test(step.field())) {
            return;
        }
        if (cost.params() > 0) {
            weighted.add(step.field());
            return;
        }
        String whose = tied.isEmpty() ? op.kind().name() + " holds no parameters of its own"
                : op.kind().name() + " reads the table of " + tied + ", at that layer's dtype";
        weightless.putIfAbsent(step.field(), new Problem(Diagnostic.WEIGHTLESS_DTYPE, step.weightsSite(), step.field().getEnclosingElement().getSimpleName(),
                step.weights().name(), step.name(), whose));
    }

    /**
     * The warnings of the analyses so far not given yet: each field whose {@code @Dtype(weights)} met no call of its layer with
     * parameters of its own ({@link Diagnostic#WEIGHTLESS_DTYPE}), each {@code @FastPath} network whose attention does not take
     * the fast path ({@link Diagnostic#FAST_PATH_NOT_TAKEN}), each batch or instance norm whose features PyTorch ignores
     * ({@link Diagnostic#FEATURES_IGNORED}), and each field that takes a model input's default steps as channels
     * ({@link Diagnostic#STEPS_AS_CHANNELS}), once.
     */
    public List<Problem> warnings() {
        List<Problem> warnings = new ArrayList<>();
        weightless.forEach((field, warning) -> {
            if (!weighted.contains(field) && warned.add(List.of(warning.diagnostic(), field))) {
                warnings.add(warning);
            }
        });
        notFused.forEach((network, warning) -> {
            if (warned.add(List.of(warning.diagnostic(), network))) {
                warnings.add(warning);
            }
        });
        featuresSeen.forEach((field, seen) -> {
            Problem warning = featuresIgnored(seen);
            if (warning != null && warned.add(List.of(warning.diagnostic(), field))) {
                warnings.add(warning);
            }
        });
        stepsAsChannels.forEach((input, warning) -> {
            if (warned.add(List.of(warning.diagnostic(), input))) {
                warnings.add(warning);
            }
        });
        return warnings;
    }

    private CostNode applyBlock(BlockOp use, Scope scope, List<Shape> shapes, String path, List<String> sources, long batch) {
        if (use.repeated()) {
            return repeat(use, scope, shapes, path, path, use.prefix(), use.start(), count(use, scope, path, use.start()), sources, batch);
        }
        Set<String> readingSizes = new HashSet<>();
        Map<String, Value> args = evaluateArguments(use.args(), scope, path, use.argsSite(), use.block(), readingSizes);
        args.putAll(evaluateArguments(use.first(), scope, path, use.firstSite(), use.block(), readingSizes));
        return experts(use, scope, path, block(use.block(), args, readingSizes, shapes, path, sources, batch), batch);
    }

    /**
     * A later call ({@code index}, at {@code path}) of a shared module: {@code node} without parameters, buffers or weight bytes of
     * its own, its work, bytes moved and KV cache as they are.
     *
     * @throws Problem {@link Diagnostic#REPEAT_NAMES} on {@code shared} where the call would have other weights or attributes than
     *     the first ({@link ModuleCalls#repetitionDiffers})
     */
    private CostNode calledAgain(CostNode node, CostNode first, BlockOp use, String where, String path, int index) {
        String differs = ModuleCalls.repetitionDiffers(node, first, index, path);
        if (differs != null) {
            throw new Problem(Diagnostic.REPEAT_NAMES, use.sharedSite(), where, "@Repeat", "(shared = true): " + differs,
                    "drop shared, or feed every repetition an input of the first one's features, and write each attribute as a number or as "
                            + "an expression that does not read the input's sizes");
        }
        return node.calledAgain(calledAgain);
    }

    /**
     * A call of an earlier step's module again ({@code @Shared}): the node as analysed at this step's inputs, as a later call
     * ({@link CostNode#calledAgain}).
     *
     * @throws Problem {@link Diagnostic#SHARED_WEIGHTS} on {@code @Shared} where this call would give the module other weights or
     *     one of its layers another attribute ({@link ModuleCalls#callDiffers})
     */
    private CostNode sharedCall(CostNode node, CostNode module, Step step, String where) {
        ModuleCalls.Reason differs = ModuleCalls.callDiffers(node, module, step.shared());
        if (differs != null) {
            throw new Problem(Diagnostic.SHARED_WEIGHTS, step.sharedSite(), where, step.shared(), differs.text(), differs.fix());
        }
        return node.calledAgain(calledAgain);
    }

    /** Whether the step of {@code network} named {@code name} applies a block in place ({@code @Args(inPlace = true)}). */
    private static boolean appliedInPlace(NetworkSpec network, String name) {
        return network.steps().stream().anyMatch(step -> step.name().equals(name) && step.operation() instanceof BlockOp use && use.inPlace());
    }

    /**
     * A problem found where a {@code @Shared} step calls its module, also reported on its {@code @Shared}, unless it is reported
     * on the step's field already: an attribute at fault is written on the field whose module it is.
     */
    private static Problem alsoAtShared(Problem problem, Step step) {
        if (step.shared() == null || problem.site().element().equals(step.field())
                || problem.also().stream().anyMatch(site -> site.element().equals(step.field()))) {
            return problem;
        }
        return problem.alsoAt(step.sharedSite());
    }

    /**
     * Whether a step's output goes unread on purpose: its field suppresses MC130 by that tag on itself, which says the PyTorch
     * code uses the output where the spec draws no edge (a second output, a router). A class-wide {@code "all"} or
     * {@code "modelcost"} silences the warning only.
     */
    private boolean unreadOnPurpose(Step step) {
        return step.field() != null && suppressed.apply(step.field()).contains(Diagnostic.UNREAD_OUTPUT.tag());
    }

    /**
     * How many times a use applies its block: {@code @Repeat}'s number, or its count expression
     * evaluated here (at least 1, and the last repetition's number {@code first + count - 1} an int).
     */
    private int count(BlockOp use, Scope scope, String where, int first) {
        if (use.count() == null) {
            return use.repeat();
        }
        keepUsed(use.count().expr(), scope, () -> where + " @Repeat count");
        long count = Evaluation.number(use.count().expr(), scope, where + " @Repeat count", use.countSite(), use.count().text());
        if (count < 1 || count > Integer.MAX_VALUE) {
            throw new Problem(Diagnostic.REPEAT_COUNT, use.countSite(), where, count);
        }
        if (first > Integer.MAX_VALUE - (count - 1)) {
            throw new Problem(Diagnostic.OVERFLOW, use.countSite(), where, "the last repetition's number, " + first + " + " + (count - 1) + ",");
        }
        return (int) count;
    }


    /**
     * Applies a block {@code use.repeat()} times in sequence; the repetitions are named
     * {@code prefix + first}, {@code prefix + (first + 1)}, ... under {@code base}, and {@code where}
     * names the use in messages. Each repetition reads the previous one's output as its first input
     * and the use's other inputs unchanged (a decoder layer's memory). Identical repetitions that
     * keep the shape become one run, so the work and the node do not grow with the count. Under
     * {@code @Repeat(shared = true)} the repetitions after the first are calls of the first's module ({@link #calledAgain}).
     */
    private CostNode repeat(BlockOp use, Scope scope, List<Shape> shapes, String base, String where, String prefix, int first, int count,
            List<String> sources, long batch) {
        // Arguments that read the repetition's index are evaluated for each repetition, which then never fold into a run.
        boolean byIndex = readsIndex(use);
        if (byIndex && use.shared()) {
            throw new Problem(Diagnostic.REPEAT_NAMES, use.sharedSite(), where, "@Repeat", "(shared = true) with arguments that read the repetition's "
                    + "number: each repetition would be another module, and one module called again has one set of weights",
                    "drop shared, or the arguments' use of the number");
        }
        if (byIndex) {
            // each repetition's arguments are evaluated and its block applied in turn, even where they fold into runs after all
            evaluatedByIndex += count;
            if (evaluatedByIndex > MAX_EVALUATED_REPETITIONS) {
                throw new Problem(Diagnostic.REPETITIONS_DO_NOT_FOLD, use.countSite() != null ? use.countSite() : use.argsSite(), where, count,
                        ", whose arguments read index, each evaluated in turn" + (evaluatedByIndex == count ? "," : String.format(java.util.Locale.ROOT,
                                " (%,d in all with those of the @Repeat fields around and before it),", evaluatedByIndex)), MAX_EVALUATED_REPETITIONS);
            }
        }
        CostNode firstCall = null;
        Set<String> readingSizes = new HashSet<>();
        Map<String, Value> args = evaluateArguments(use.args(), withIndex(scope, 0), where, use.argsSite(), use.block(), readingSizes);
        Map<String, Value> firstArgs = new LinkedHashMap<>(args);
        Set<String> firstReadingSizes = new HashSet<>(readingSizes);
        firstArgs.putAll(evaluateArguments(use.first(), withIndex(scope, 0), where, use.firstSite(), use.block(), firstReadingSizes));
        List<CostNode.Child> children = new ArrayList<>();
        Costs totals = Costs.ZERO;
        Shape shape = shapes.get(0);
        List<Shape> inputs = new ArrayList<>(shapes);
        List<String> producers = new ArrayList<>(sources);
        CostNode node = null;
        // The repetitions listed so far: each that does not fold, with those nested in it that do not fold either.
        long listed = 0;
        for (int i = 0; i < count; i++) {
            String childPath = join(base, prefix + (first + i));
            inputs.set(0, shape);
            if (byIndex && i > 0) {
                args = evaluateArguments(use.args(), withIndex(scope, i), where, use.argsSite(), use.block(), readingSizes);
            }
            CostNode next = experts(use, scope, where, block(use.block(), i == 0 ? firstArgs : args, i == 0 ? firstReadingSizes : readingSizes, inputs,
                    childPath, producers, batch), batch);
            if (use.shared() && i == 0) {
                firstCall = next;
            } else if (use.shared()) {
                next = calledAgain(next, firstCall, use, where, childPath, i);
            }
            if (byIndex && next == node && next.output().equals(shape)) {
                // The same as the previous repetition, but a later one may differ: the run grows by one.
                CostNode.Child run = children.get(children.size() - 1);
                children.set(children.size() - 1, run.run() ? new CostNode.Child(prefix, run.first(), run.count() + 1, next)
                        : new CostNode.Child(prefix, first + i - 1, 2, next));
                totals = plus(totals, next.totals(), 1, use.argsSite(), where, "its repetitions with repetition " + (first + i) + " added");
                producers.set(0, "the previous layer (" + join(childPath, next.outputFrom()) + ")");
                continue;
            }
            if (!byIndex && next == node && next.output().equals(shape)) {
                // A shape-preserving block with the same arguments: every later repetition is this one,
                // and so was the previous, which joins the run.
                totals = plus(totals, next.totals(), count - i, use.argsSite(), where, "its repetitions with " + (count - i == 1
                        ? "repetition " + (first + i) : "repetitions " + (first + i) + " to " + (first + count - 1)) + " added");
                children.set(children.size() - 1, new CostNode.Child(prefix, first + i - 1, count - i + 1, next));
                break;
            }
            node = next;
            long nested = listedRepetitions(node);
            listed = Math.addExact(listed, 1 + nested);
            if (listed > MAX_DISTINCT_REPETITIONS) {
                throw new Problem(Diagnostic.REPETITIONS_DO_NOT_FOLD, use.countSite() != null ? use.countSite() : use.argsSite(), where, count, nested == 0 && listed == children.size() + 1 ? ""
                        : String.format(java.util.Locale.ROOT, ", nor the repetitions nested in them (%,d in all by repetition %d),", listed, first + i),
                        MAX_DISTINCT_REPETITIONS);
            }
            children.add(CostNode.Child.of(prefix + (first + i), node));
            totals = plus(totals, node.totals(), 1, use.argsSite(), where, "its repetitions with repetition " + (first + i) + " added");
            shape = node.output();
            producers.set(0, "the previous layer (" + join(childPath, node.outputFrom()) + ")");
        }
        CostNode.Child last = children.get(children.size() - 1);
        String outputFrom = join(last.name(last.count() - 1), last.node().outputFrom());
        // Each repetition reads the one before (the first, the use's first input) and the use's other inputs.
        List<List<Flow.Source>> reads = new ArrayList<>();
        for (int k = 0; k < children.size(); k++) {
            List<Flow.Source> read = new ArrayList<>(List.of(k == 0 ? Flow.Source.input(0) : Flow.Source.child(k - 1)));
            for (int i = 1; i < shapes.size(); i++) {
                read.add(Flow.Source.input(i));
            }
            reads.add(read);
        }
        CostNode repeated = new CostNode(use.block().simpleName() + " x" + count, false, shape, totals, List.copyOf(children), outputFrom,
                Map.of(), null, false, new Flow(reads, Flow.Source.child(children.size() - 1), use.loop()));
        long leaves = ModelCosts.leavesAtMostLong(repeated);
        if (leaves > Integer.MAX_VALUE) {
            throw new Problem(Diagnostic.TOO_MANY_LAYERS, use.countSite() != null ? use.countSite() : use.argsSite(), where,
                    String.format(java.util.Locale.ROOT, "its %,d repetitions of %s make", count, use.block().simpleName()), layers(leaves));
        }
        return repeated;
    }

    /**
     * The repetitions evaluated in turn so far, of every {@code @Repeat} whose arguments read {@code index}, a nested one's each time
     * the block around it is analysed; at most {@link #MAX_EVALUATED_REPETITIONS}. From 0 for each model.
     */
    private long evaluatedByIndex;

    /** Per analysed node, the repetitions that do not fold under it ({@link #listedRepetitions}); emptied for each model. */
    private final Map<CostNode, Long> listedRepetitions = new java.util.IdentityHashMap<>();

    /**
     * The repetitions that do not fold into a run under {@code node}, as the reports list them: each entry of every {@code @Repeat}
     * (a run of folded ones once), nested ones once for every entry that holds them; at most {@link #MAX_DISTINCT_REPETITIONS} + 1.
     */
    private long listedRepetitions(CostNode node) {
        Long known = listedRepetitions.get(node);
        if (known != null) {
            return known;
        }
        long total = 0;
        if (!node.leaf()) {
            boolean repetitions = node.repetitions();
            for (CostNode.Child child : node.children()) {
                total = Math.min(MAX_DISTINCT_REPETITIONS + 1L, total + (repetitions ? 1 : 0) + listedRepetitions(child.node()));
            }
        }
        listedRepetitions.put(node, total);
        return total;
    }

    /** A number of layers as a message gives it: with thousands separators, or "over 2^63" where it passes a long. */
    private static String layers(long leaves) {
        return leaves == Long.MAX_VALUE ? "over 2^63" : String.format(java.util.Locale.ROOT, "%,d", leaves);
    }

    /** The name under which a repeated block's arguments see the repetition's index, from 0. */
    static final String INDEX = "index";

    private static final java.util.regex.Pattern READS_INDEX = java.util.regex.Pattern.compile("(?<![\\w.])" + INDEX + "(?![\\w.(])");

    /** Whether a repeated use's arguments read the repetition's index. */
    private static boolean readsIndex(BlockOp use) {
        return java.util.stream.Stream.concat(use.args().stream(), use.first().stream()).anyMatch(a -> READS_INDEX.matcher(a.text()).find());
    }

    /** The scope of a repetition's arguments: {@code index} is its number from 0, over any outer name. */
    private static Scope withIndex(Scope scope, int index) {
        return new Scope() {
            @Override
            public Value lookup(String name) {
                return name.equals(INDEX) ? Value.of(index) : scope.lookup(name);
            }

            @Override
            public java.util.Collection<String> names() {
                List<String> names = new ArrayList<>(scope.names());
                names.add(INDEX);
                return names;
            }

            @Override
            public boolean mayVary(String name) {
                return scope.mayVary(name);
            }
        };
    }

    private CostNode block(NetworkSpec block, Map<String, Value> args, Set<String> readingSizes, List<Shape> inputs, String path, List<String> sources,
            long batch) {
        Set<String> outerSizeParams = sizeParams;
        try {
            return analyseBlock(block, args, readingSizes, inputs, path, sources, batch);
        } finally {
            sizeParams = outerSizeParams;
        }
    }

    /** As {@link #block}, the parameters that may read a size ({@link #sizeParams}) the block's own while it is analysed. */
    private CostNode analyseBlock(NetworkSpec block, Map<String, Value> args, Set<String> readingSizes, List<Shape> inputs, String path,
            List<String> sources, long batch) {
        // Defaults are resolved first, so uses that differ only in spelling out a default share one analysis.
        Map<String, String> unusable = block.unusable();
        if (!sizesUnseen.isEmpty()) {
            unusable = new HashMap<>(sizesUnseen);
            unusable.putAll(block.unusable());
        }
        MapScope scope = MapScope.of(block.constants(), unusable, block.inputs(), inputs, block.steps(), true);
        Map<String, Value> values = new LinkedHashMap<>();
        // the block's own parameters that may read a size: given such a value, or defaulting to one (read in the block, after those)
        Set<String> blockSizeParams = new HashSet<>();
        sizeParams = blockSizeParams;
        for (ParamSpec param : block.params()) {
            Value value = args.get(param.name());
            // An int default is written out in the attributes that read it (a decimal's would lose its conversion there).
            Expr fallback = value == null && param.type() == ParamSpec.Type.INT ? param.fallback() : null;
            if (value != null && readingSizes.contains(param.name())
                    || value == null && keepsTests && readsSize(param.fallback())) {
                blockSizeParams.add(param.name());
            }
            if (value == null) {
                if (keepsTests) {
                    keepGiven(param.fallback(), scope.before(param, block.params()), () -> path + " @Param " + param.name());
                }
                value = Evaluation.parameter(param.type(), param.fallback(), scope.before(param, block.params()), () -> path + " @Param " + param.name(),
                        param.site(), param.fallbackText());
            }
            values.put(param.name(), value);
            scope = scope.with(param.name(), value, fallback);
        }
        BlockKey key = new BlockKey(block.name(), Map.copyOf(values), List.copyOf(inputs), batch, conventions, inFusedLayer(), scope.derivations(),
                Set.copyOf(blockSizeParams));
        CostNode known = memo.get(key);
        if (known != null) {
            keptInBlock.get(key).replay(path, this);
            return known;
        }
        blockAnalyses++;
        int kept = evaluatedInOrder.size();
        int replayed = replaysInOrder.size();
        int whens = whensFalse.size();
        MapScope blockScope = scope;
        // A model class applied as a block returns what its @Model(output) names, as its forward does.
        CostNode node = fused(block, () -> evaluate(block, blockScope, inputs, path, sources, batch, block.outputs(), block::outputSite));
        // What the block's analysis kept is what the map and the list gained, last in their order (the map only where tests are kept).
        keptInBlock.put(key, new KeptInBlock(path, List.copyOf(evaluatedInOrder.subList(kept, evaluatedInOrder.size())),
                List.copyOf(replaysInOrder.subList(replayed, replaysInOrder.size())), List.copyOf(whensFalse.subList(whens, whensFalse.size()))));
        // Last, so that a memo entry always has what its analysis kept (a heap that runs out between the two leaves neither).
        memo.put(key, node);
        return node;
    }

    /**
     * What an analysis of a block kept, by place, under the path it was analysed at: the tests ({@link #evaluated()}), the layers to
     * run again ({@link #replays()}) and the {@code @When}s it found false; a later use of the same analysis, at another path and in another analysis of the model, keeps
     * the same under its own.
     */
    private record KeptInBlock(String path, List<Map.Entry<String, EvaluatedExpression>> kept, List<Map.Entry<String, LayerReplay>> replays,
            List<String> whensFalse) {
        void replay(String at, Analyzer analyzer) {
            for (Map.Entry<String, EvaluatedExpression> entry : kept) {
                String place = at(entry.getKey(), at);
                if (analyzer.evaluated.putIfAbsent(place, entry.getValue()) == null) {
                    analyzer.evaluatedInOrder.add(Map.entry(place, entry.getValue()));
                }
            }
            for (Map.Entry<String, LayerReplay> entry : replays) {
                String place = at(entry.getKey(), at);
                if (analyzer.replays.putIfAbsent(place, entry.getValue()) == null) {
                    analyzer.replaysInOrder.add(Map.entry(place, entry.getValue()));
                }
            }
            whensFalse.forEach(when -> analyzer.whensFalse.add(at(when, at)));
        }

        /** A place under the path analysed at, under {@code at} instead. */
        private String at(String place, String at) {
            return place.startsWith(path) ? at + place.substring(path.length()) : place;
        }
    }

    /**
     * The arguments of a block use, each as its parameter takes it: an integer, or a decimal for a {@code double} one; the names of
     * those that may read a size join {@code readingSizes}, and the others leave it.
     */
    private Map<String, Value> evaluateArguments(List<Assignment> assignments, Scope scope, String path, Site site, NetworkSpec block,
            Set<String> readingSizes) {
        Map<String, Value> values = new LinkedHashMap<>();
        for (Assignment assignment : assignments) {
            readingSizes.remove(assignment.name());
            if (keepsTests && readsSize(assignment.value())) {
                readingSizes.add(assignment.name());
            }
            ParamSpec.Type type = block.params().stream().filter(p -> p.name().equals(assignment.name())).map(ParamSpec::type)
                    .findFirst().orElse(ParamSpec.Type.INT);
            keepGiven(assignment.value(), scope, () -> path + " argument " + assignment.name());
            values.put(assignment.name(), Evaluation.parameter(type, assignment.value(), scope, () -> path + " argument " + assignment.name(), site,
                    assignment.text()));
        }
        return values;
    }

}
