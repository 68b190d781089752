package dev.modelcost.processor.spec;

import static dev.modelcost.processor.spec.Mirrors.DSL;
import static dev.modelcost.processor.spec.Mirrors.describe;
import static dev.modelcost.processor.spec.Mirrors.erroneous;
import static dev.modelcost.processor.spec.Mirrors.explicitValues;
import static dev.modelcost.processor.spec.Mirrors.intValue;
import static dev.modelcost.processor.spec.Mirrors.mirror;
import static dev.modelcost.processor.spec.Mirrors.value;

import dev.modelcost.From;
import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.diag.Suggestions;
import dev.modelcost.processor.layers.Conventions;
import dev.modelcost.processor.layers.Dtype;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.layers.Layouts;
import dev.modelcost.processor.layers.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/** Reads what {@code @Model} and {@code @Budget} say of a model: inputs, batch, output, bounds and its cost class. */
final class ModelReader {
    private final Elements elements;
    private final FieldOrder fieldOrder;
    private final NetworkReader networks;
    /** The processor's class name, which its {@code @Generated} names. */
    private final String generator;
    /** The cost classes models of this compilation write, and the model of each, so that two (A.B and A_B) never write the same. */
    private final Map<String, String> claimed = new HashMap<>();

    ModelReader(Elements elements, FieldOrder fieldOrder, NetworkReader networks, String generator) {
        this.elements = elements;
        this.fieldOrder = fieldOrder;
        this.networks = networks;
        this.generator = generator;
    }

    /** Reads a {@code @Model} class. */
    Optional<ModelSpec> read(TypeElement type, Findings findings) {
        AnnotationMirror model = mirror(type, DSL + ".Model");
        if (type.getKind() != ElementKind.CLASS) {
            return findings.reject(new Problem(Diagnostic.MODEL_NOT_A_CLASS, Site.of(type, model), "Model", type.getSimpleName(), describe(type.getKind())));
        }
        if (erroneous(model) || Mirrors.budgets(type).stream().anyMatch(Mirrors::erroneous) || erroneous(mirror(type, DSL + ".Roofline"))
                || erroneous(mirror(type, DSL + ".Training"))) {
            return findings.rejectedElsewhere();
        }
        if (!type.getTypeParameters().isEmpty()) {
            findings.report(new Problem(Diagnostic.MODEL_GENERIC, Site.of(type, model), type.getSimpleName()));
        }
        Optional<Map<String, Shape>> inputs = readInputs(type, model, findings);
        int batch = (int) intValue(model, "batch");
        if (batch < 1) {
            findings.report(new Problem(Diagnostic.NOT_POSITIVE, new Site(type, model, value(model, "batch")), "@Model", "batch", 1, batch));
        }
        String costClass = costClassName(type);
        checkCostClassFree(type, costClass, findings);
        List<BudgetLimit> budget = readBudget(type, findings);
        Optional<RooflineSpec> roofline = RooflineReader.read(type, findings);
        Optional<Optional<TrainingSpec>> training = TrainingReader.read(type, Math.max(1, batch), findings);
        if (inputs.isEmpty()) {
            return Optional.empty();
        }
        Optional<NetworkSpec> network = networks.read(type, List.copyOf(inputs.get().keySet()), findings);
        if (findings.rejected() || network.isEmpty()) {
            return Optional.empty();
        }
        List<String> outputs = readOutputs(network.get(), findings);
        if (outputs == null) {
            return Optional.empty();
        }
        UnreadOutputs.check(network.get(), outputs, findings);
        KindNames.check(network.get(), findings);
        if (findings.rejected()) {
            return Optional.empty();
        }
        String sequence = inputs.get().values().iterator().next().ids() ? inputs.get().values().iterator().next().axis(0) : "L";
        Optional<Conventions> conventions = readConventions(type, model, sequence, findings);
        if (conventions.isEmpty() || roofline.isEmpty() || training.isEmpty()) {
            return Optional.empty();
        }
        List<Shape> shapes = List.copyOf(inputs.get().values());
        List<SizeVariable> sizes = SizesReader.read(type, model, network.get(), shapes, batch, findings);
        List<SizeRange> ranges = new ArrayList<>();
        for (AnnotationMirror written : Mirrors.budgets(type)) {
            SizeRange over = SizesReader.readRange(type, written, sizes, findings);
            if (over != null) {
                ranges.add(over);
            }
        }
        if (findings.rejected()) {
            return Optional.empty();
        }
        return Optional.of(new ModelSpec(network.get(), shapes, batch, budget, costClass, outputs,
                conventions.get(), roofline.get(), training.get().orElse(null), sizes, ranges));
    }

    /**
     * The tensors {@code @Model(output)} names, in order (empty: the last field's output), each a field, another result of a field's
     * layer or a path into a block field; null where one is not, or is given twice, each such name reported on its value.
     */
    private static List<String> readOutputs(NetworkSpec network, Findings findings) {
        boolean wrong = false;
        for (int i = 0; i < network.outputs().size(); i++) {
            Problem refused = network.outputRefused(i);
            Problem problem = refused != null ? refused : outputProblem(network.outputs().get(i), network.outputSite(i), network);
            if (problem != null) {
                findings.report(problem);
                wrong = true;
            }
        }
        return wrong ? null : network.outputs();
    }

    /** Why a name of {@code @Model(output)} names no tensor of the model's layers; else null. */
    private static Problem outputProblem(String output, Site site, NetworkSpec network) {
        List<String> fields = network.steps().stream().map(Step::name).toList();
        if (fields.contains(output) || NetworkReader.isPath(output, network.steps())) {
            return null;
        }
        List<String> known = new ArrayList<>(fields);
        for (Step step : network.steps()) {
            if (step.operation() instanceof Operation.OpStep op) {
                op.kind().results().forEach(result -> known.add(step.name() + "." + result));
            }
        }
        String inPlace = NetworkReader.inPlacePath(output, network.steps());
        String result = resultOfNone(output, network.steps());
        String why = inPlace != null ? inPlace : Suggestions.closest(output, known).isEmpty() && result != null ? result
                : Suggestions.didYouMean(output, known);
        return new Problem(Diagnostic.UNKNOWN_INPUT, site, "@Model(output)", output, why, "a field of the model, another result of a "
                + "field's layer (\"enc.h_n\") or a step inside a block field by its path");
    }

    /** The counting conventions {@code @Model} declares. */
    private static Optional<Conventions> readConventions(TypeElement type, AnnotationMirror model, String sequence, Findings findings) {
        AnnotationValue causal = value(model, "causal");
        if (!Conventions.CAUSAL.contains((String) causal.getValue())) {
            return findings.reject(new Problem(Diagnostic.MODEL_SETTING, new Site(type, model, causal), "causal", causal.getValue(), Conventions.CAUSAL, ""));
        }
        AnnotationValue dtype = value(model, "kvCacheDtype");
        int bytes = Conventions.bytesOf((String) dtype.getValue());
        if (bytes == 0) {
            return findings.reject(new Problem(Diagnostic.MODEL_SETTING, new Site(type, model, dtype), "kvCacheDtype", dtype.getValue(),
                    "[fp32, fp16, bf16, fp8, int8]", Dtype.pytorchName((String) dtype.getValue())));
        }
        AnnotationValue weights = value(model, "dtype");
        Optional<Dtype> parsed = Dtype.parse((String) weights.getValue());
        if (parsed.isEmpty()) {
            return findings.reject(new Problem(Diagnostic.MODEL_SETTING, new Site(type, model, weights), "dtype", weights.getValue(),
                    "[" + Dtype.NAMES + "]", Dtype.pytorchName((String) weights.getValue())));
        }
        AnnotationValue activations = value(model, "activations");
        String written = (String) activations.getValue();
        Optional<Dtype> activationDtype = written.isEmpty() ? Optional.of(parsed.get().defaultActivations()) : Dtype.parseActivations(written);
        if (activationDtype.isEmpty()) {
            return findings.reject(new Problem(Diagnostic.MODEL_SETTING, new Site(type, model, activations), "activations", written,
                    "[" + Dtype.ACTIVATION_NAMES + "]", Dtype.pytorchName(written)));
        }
        return Optional.of(new Conventions((String) causal.getValue(), bytes, sequence, parsed.get(), activationDtype.get()));
    }

    /** The most bytes of a file name on most file systems (ext4's and APFS's 255 bytes; NTFS takes 255 characters). */
    static final int LONGEST_FILE_NAME = 255;

    /** The simple name of the generated class: {@code LeNet5Cost}, or {@code Outer_InnerCost} for a nested model. */
    static String costClassName(TypeElement type) {
        StringBuilder name = new StringBuilder(type.getSimpleName());
        Element enclosing = type.getEnclosingElement();
        while (enclosing instanceof TypeElement) {
            name.insert(0, enclosing.getSimpleName() + "_");
            enclosing = enclosing.getEnclosingElement();
        }
        return name + "Cost";
    }

    /**
     * Refuses a cost class name whose class file's name is too long to write, or that a source type of this compilation or another
     * model already has.
     * Only sources are checked: a lookup through javac's class finder per model is slow, a class file
     * of that name is an earlier build's output, and the Filer refuses any other clash when writing. A class
     * named {@code dev} beside a model named {@code Layer} is looked up on the class path too.
     */
    private void checkCostClassFree(TypeElement type, String costClass, Findings findings) {
        String qualified = packageOf(type).isEmpty() ? costClass : packageOf(type) + "." + costClass;
        // javac writes the class, and for a model with sizes its record of figures, as files named after it.
        boolean sized = !((List<?>) value(mirror(type, DSL + ".Model"), "sizes").getValue()).isEmpty();
        String file = costClass + (sized ? "$Figures" : "") + ".class";
        int bytes = file.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > LONGEST_FILE_NAME) {
            findings.report(new Problem(Diagnostic.COST_CLASS_NAME_TOO_LONG, Site.of(type, mirror(type, DSL + ".Model")), qualified, file, bytes,
                    LONGEST_FILE_NAME));
            return;
        }
        String model = type.getQualifiedName().toString();
        String root = packageOf(type).isEmpty() ? "dev" : packageOf(type) + ".dev";
        if (costClass.equals("LayerCost") && (fieldOrder.isSource(root) || elements.getTypeElement(root) != null)) {
            // The class must name dev.modelcost.LayerCost in full, as it has that simple name itself; a class named dev, compiled here or
            // on the class path, hides the package. Looked up only for a model named Layer.
            findings.report(new Problem(Diagnostic.COST_CLASS_CLASH, Site.of(type, mirror(type, DSL + ".Model")), qualified, "it would name "
                    + "dev.modelcost.LayerCost in full, having that simple name itself, and the class " + root + " hides the package dev from it"));
            return;
        }
        String other = claimed.putIfAbsent(qualified, model);
        // An earlier build's Cost class compiled from its generated file (Maven passes it back after a failed build) is compared
        // with the class when it is written (MC159).
        boolean taken = fieldOrder.isSource(qualified) && !SpecReader.isEarlierCostClass(elements.getTypeElement(qualified), generator);
        if (taken || other != null && !other.equals(model)) {
            findings.report(new Problem(Diagnostic.COST_CLASS_CLASH, Site.of(type, mirror(type, DSL + ".Model")), qualified,
                    other != null ? "model " + other + " writes a class of that name" : "a type of that name already exists"));
        }
    }

    /** The package name of a type, empty for the unnamed package. */
    String packageOf(TypeElement type) {
        PackageElement pkg = elements.getPackageOf(type);
        return pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString();
    }

    /** The model's inputs by name, in order, from {@code input} (named {@code input}) or {@code inputs}. */
    private Optional<Map<String, Shape>> readInputs(TypeElement type, AnnotationMirror model, Findings findings) {
        Map<String, AnnotationValue> given = explicitValues(model);
        AnnotationValue single = given.get("input");
        AnnotationValue several = given.get("inputs");
        if ((single == null) == (several == null)) {
            AnnotationValue at = single != null ? several : value(model, "input");
            return findings.reject(new Problem(Diagnostic.INPUT_RANK, new Site(type, model, at),
                    single == null ? "neither input nor inputs" : "both input and inputs", "give one of them"));
        }
        Map<String, Shape> inputs = new LinkedHashMap<>();
        if (single != null) {
            Optional<Shape> shape = readShape(type, model, single, value(model, "layout"), (Boolean) value(model, "tokens").getValue(), "input", findings);
            shape.ifPresent(s -> inputs.put(From.INPUT, s));
            return shape.map(s -> inputs);
        }
        for (Object item : (List<?>) several.getValue()) {
            AnnotationMirror input = (AnnotationMirror) ((AnnotationValue) item).getValue();
            AnnotationValue nameValue = value(input, "name");
            String name = (String) nameValue.getValue();
            Optional<String> problem = NetworkReader.checkInputName(name, inputs.keySet());
            if (problem.isPresent()) {
                return findings.reject(new Problem(Diagnostic.INPUT_NAME, new Site(type, input, nameValue), name, problem.get()));
            }
            Optional<Shape> shape = readShape(type, input, value(input, "shape"), value(input, "layout"), (Boolean) value(input, "tokens").getValue(),
                    "input " + name, findings);
            if (shape.isEmpty()) {
                return Optional.empty();
            }
            inputs.put(name, shape.get());
        }
        if (inputs.isEmpty()) {
            return findings.reject(new Problem(Diagnostic.INPUT_RANK, new Site(type, model, several), "inputs = {}", "declare at least one @Input"));
        }
        return Optional.of(inputs);
    }

    /** One input shape with its layout. */
    private Optional<Shape> readShape(TypeElement type, AnnotationMirror owner, AnnotationValue value, AnnotationValue layoutValue,
            boolean tokens, String what, Findings findings) {
        List<?> dims = (List<?>) value.getValue();
        Site site = new Site(type, owner, value);
        if (dims.isEmpty()) {
            return findings.reject(new Problem(Diagnostic.INPUT_RANK, site, "an empty shape for " + what,
                    "write the shape without the batch dimension, e.g. {3, 224, 224}"));
        }
        Findings shape = findings.part();
        String layout = (String) layoutValue.getValue();
        // Token ids of one axis are a sequence: L, unless the layout says otherwise.
        List<String> axes = !layout.isEmpty() ? Layouts.parse(layout) : tokens && dims.size() == 1 ? List.of("L") : Shape.defaultAxes(dims.size());
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < dims.size(); i++) {
            AnnotationValue dim = (AnnotationValue) dims.get(i);
            int size = (Integer) dim.getValue();
            sizes.add(size);
            if (size < 1) {
                // Which axis: the shape is written without the batch, so its dimension 0 is the batch's next.
                String axis = axes != null && axes.size() == dims.size() ? axes.get(i) + ", " : "";
                shape.report(new Problem(Diagnostic.NOT_POSITIVE, new Site(type, owner, dim), "@Model", what + " dimension " + i + " (" + axis
                        + "counted from 0 without the batch)", 1, size));
            }
        }
        if (axes == null || axes.size() != sizes.size()) {
            return shape.reject(new Problem(Diagnostic.LAYOUT, new Site(type, owner, layoutValue), layout, what, sizes.size(),
                    Layouts.whyNot(layout)));
        }
        return shape.rejected() ? Optional.empty() : Optional.of(new Shape(sizes, axes, tokens));
    }

    /**
     * The bounds of every {@code @Budget} of a model, in the order written; a bound given in two of them is reported
     * ({@link Diagnostic#BOUND_IN_TWO_BUDGETS}), on the second.
     */
    private List<BudgetLimit> readBudget(TypeElement type, Findings findings) {
        List<BudgetLimit> limits = new ArrayList<>();
        List<AnnotationMirror> budgets = Mirrors.budgets(type);
        AnnotationMirror container = mirror(type, DSL + ".Budgets");
        if (container != null && budgets.size() == (mirror(type, DSL + ".Budget") == null ? 0 : 1)) {
            findings.report(new Problem(Diagnostic.EMPTY_BUDGET, Site.of(type, container))); // @Budgets({}): no budget at all
        }
        Map<String, Integer> given = new java.util.HashMap<>();
        for (int b = 0; b < budgets.size(); b++) {
            AnnotationMirror budget = budgets.get(b);
            for (Map.Entry<String, AnnotationValue> entry : explicitValues(budget).entrySet()) {
                String attribute = entry.getKey();
                Object value = entry.getValue().getValue();
                // A default written out ("no bound") bounds nothing, here as everywhere.
                if (!attribute.startsWith("max") || value.equals(Long.MAX_VALUE) || value.equals(Double.POSITIVE_INFINITY)) {
                    continue;
                }
                // A latency bound is one a hardware profile: RooflineReader, which resolves each budget's profile, checks those.
                if (attribute.endsWith("LatencySeconds")) {
                    continue;
                }
                Integer first = given.putIfAbsent(attribute, b);
                if (first != null) {
                    findings.report(new Problem(Diagnostic.BOUND_IN_TWO_BUDGETS, new Site(type, budget, entry.getValue()), attribute, "is given in the "
                            + ordinal(first + 1) + " @Budget and again in the " + ordinal(b + 1) + ": each bound is given once, in the @Budget "
                            + "whose range it holds over", "keep " + attribute + " in one @Budget (a bound holds at the declared sizes whatever its range)"));
                }
            }
            limits.addAll(readBudget(type, budget, findings));
        }
        // MAX_MACS and MAX_PARAMS of the generated class are stated in one convention, BUDGET_COUNTER: budgets that bound them apart
        // state them alike.
        BudgetLimit macs = limits.stream().filter(limit -> limit.figure() == Figure.MACS && limit.limit() < Long.MAX_VALUE).findFirst().orElse(null);
        BudgetLimit params = limits.stream().filter(limit -> limit.figure() == Figure.PARAMS && limit.limit() < Long.MAX_VALUE).findFirst().orElse(null);
        if (macs != null && params != null && !macs.counter().equals(params.counter())) {
            findings.report(new Problem(Diagnostic.BOUND_IN_TWO_BUDGETS, params.site(), "maxParams", "is stated " + convention(params.counter())
                    + " in the " + ordinal(budgets.indexOf(params.site().mirror()) + 1) + " @Budget, but maxMacs " + convention(macs.counter())
                    + " in the " + ordinal(budgets.indexOf(macs.site().mirror()) + 1) + ": the two are stated in one convention (BUDGET_COUNTER)",
                    "give both bounds the same counter, or none"));
        }
        return limits;
    }

    /** "in thop's convention", or "as modelcost's own figure" for no counter. */
    private static String convention(String counter) {
        return counter.isEmpty() ? "as modelcost's own figure" : "in " + counter + "'s convention";
    }

    /** "first", "second", ... up to "tenth", then "#11", "#12", .... */
    static String ordinal(int n) {
        List<String> words = List.of("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth");
        return n <= words.size() ? words.get(n - 1) : "#" + n;
    }

    /** The bounds of one {@code @Budget}. */
    private List<BudgetLimit> readBudget(TypeElement type, AnnotationMirror budget, Findings findings) {
        List<BudgetLimit> limits = new ArrayList<>();
        Map<String, Figure> figures = Map.of("maxMacs", Figure.MACS, "maxFlops", Figure.FLOPS, "maxParams", Figure.PARAMS,
                "maxActiveParams", Figure.ACTIVE_PARAMS, "maxKvCacheBytes", Figure.KV_CACHE_BYTES, "maxDecodeMacs", Figure.DECODE_MACS,
                "maxWeightBytes", Figure.WEIGHT_BYTES, "maxBytesMoved", Figure.BYTES_MOVED);
        Map<String, AnnotationValue> given = explicitValues(budget);
        if (given.isEmpty()) {
            findings.report(new Problem(Diagnostic.EMPTY_BUDGET, Site.of(type, budget)));
            return limits;
        }
        AnnotationValue counterValue = given.get("counter");
        String counter = counterValue == null ? "" : (String) counterValue.getValue();
        Site counterSite = counterValue == null ? null : new Site(type, budget, counterValue);
        for (Map.Entry<String, AnnotationValue> entry : given.entrySet()) {
            Figure figure = figures.get(entry.getKey());
            if (figure == null) {
                continue;
            }
            long limit = ((Number) entry.getValue().getValue()).longValue();
            Site site = new Site(type, budget, entry.getValue());
            if (limit <= 0) {
                findings.report(new Problem(Diagnostic.BUDGET_NOT_POSITIVE, site, entry.getKey(), limit));
            } else if (!counter.isEmpty() && figure != Figure.MACS && figure != Figure.PARAMS) {
                findings.report(new Problem(Diagnostic.COUNTER_BOUND, site, counter, entry.getKey(), entry.getKey()));
            } else {
                limits.add(new BudgetLimit(figure, entry.getKey(), limit, site, counter, counterSite));
            }
        }
        // The bounds read elsewhere (memory and latency) are in modelcost's convention too: beside a counter, MC405 as the others.
        List<String> others = List.of("maxPeakActivationBytes", "maxInferenceMemoryBytes", "maxTrainingMemoryBytes", "maxLatencySeconds",
                "maxDecodeLatencySeconds");
        if (!counter.isEmpty()) {
            for (String other : others) {
                if (given.containsKey(other)) {
                    findings.report(new Problem(Diagnostic.COUNTER_BOUND, new Site(type, budget, given.get(other)), counter, other, other));
                }
            }
        }
        if (!counter.isEmpty() && given.keySet().stream().noneMatch(key -> figures.containsKey(key) || others.contains(key))) {
            // a counter and no bound at all (another bound beside it is MC405's)
            findings.report(new Problem(Diagnostic.COUNTER_WITHOUT_BOUND, counterSite, counter));
        }
        return limits;
    }

    /**
     * Where {@code output} names a result a layer field does not have ({@code fc.h_n} of a linear layer): that field's kind and the
     * results it has, for the message; else null.
     */
    private static String resultOfNone(String output, List<Step> steps) {
        int dot = output.indexOf('.');
        if (dot < 0) {
            return null;
        }
        String head = output.substring(0, dot);
        for (Step step : steps) {
            if (step.name().equals(head) && step.operation() instanceof Operation.OpStep op) {
                List<String> results = op.kind().results();
                return "; " + head + " (" + op.kind().name() + ") has no result " + output.substring(dot + 1)
                        + (results.isEmpty() ? ", only its output" : "; its other results: " + String.join(", ", results));
            }
        }
        return null;
    }
}
