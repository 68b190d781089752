package dev.modelcost.processor.spec;

import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.diag.Suggestions;
import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.ExprException;
import dev.modelcost.processor.expr.ExprParser;
import dev.modelcost.processor.expr.ExprParser.Assignment;
import dev.modelcost.processor.expr.Value;
import dev.modelcost.processor.layers.Layouts;
import dev.modelcost.processor.layers.OpKind;
import dev.modelcost.processor.layers.OpRegistry;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.spec.Operation.BlockOp;
import dev.modelcost.processor.spec.Operation.OpStep;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Reads annotated classes into {@link ModelSpec} and {@link NetworkSpec}, checking everything that
 * does not depend on shapes. Blocks are read once and shared; a block that failed stays failed.
 */
public final class SpecReader {
    /** The package of the DSL annotations. */
    public static final String DSL = "dev.modelcost";
    private static final String LAYER = DSL + ".Layer";
    private static final Set<String> RESERVED = Set.of(dev.modelcost.From.INPUT, "in", "h", "w", "x");

    private final Elements elements;
    private final OpRegistry registry;
    private final FieldOrder fieldOrder;
    private final Map<String, Optional<NetworkSpec>> blocks = new HashMap<>();
    private final Set<String> reading = new LinkedHashSet<>();
    /** The cost classes models of this compilation write, so that two (A.B and A_B) never write the same. */
    private final Set<String> claimed = new HashSet<>();

    /** A reader over the compilation's elements that knows the operation kinds of {@code registry}. */
    public SpecReader(ProcessingEnvironment environment, OpRegistry registry) {
        this.elements = environment.getElementUtils();
        this.registry = registry;
        this.fieldOrder = new FieldOrder(environment);
    }

    /** Notes a round's root elements (and the types nested in them) as compiled from source in this compilation. */
    public void addSources(Set<? extends Element> roots) {
        fieldOrder.addSources(roots);
    }

    /** Records the declaration order of a source block's fields beside its class, for compilers that lose it in class files. */
    public void recordFieldOrder(TypeElement block) throws IOException {
        fieldOrder.record(block);
    }

    /** Reads a {@code @Model} class; problems found go to {@code problems} and give an empty result. */
    public Optional<ModelSpec> readModel(TypeElement type, List<Problem> problems) {
        int before = problems.size();
        AnnotationMirror model = mirror(type, DSL + ".Model");
        if (type.getKind() != ElementKind.CLASS) {
            problems.add(new Problem(Diagnostic.MODEL_NOT_A_CLASS, Site.of(type, model), "Model", type.getSimpleName(), describe(type.getKind())));
            return Optional.empty();
        }
        if (erroneous(model) || erroneous(mirror(type, DSL + ".Budget"))) {
            return Optional.empty();
        }
        if (!type.getTypeParameters().isEmpty()) {
            problems.add(new Problem(Diagnostic.MODEL_GENERIC, Site.of(type, model), type.getSimpleName()));
        }
        Map<String, Shape> inputs = readInputs(type, model, problems);
        int batch = (int) intValue(model, "batch");
        if (batch < 1) {
            problems.add(new Problem(Diagnostic.NOT_POSITIVE, new Site(type, model, value(model, "batch")), "@Model", "batch", 1, batch));
        }
        String costClass = costClassName(type);
        checkCostClassFree(type, costClass, problems);
        List<BudgetLimit> budget = readBudget(type, problems);
        if (inputs == null) {
            return Optional.empty();
        }
        Optional<NetworkSpec> network = readNetwork(type, List.copyOf(inputs.keySet()), problems);
        if (problems.size() > before || network.isEmpty()) {
            return Optional.empty();
        }
        AnnotationValue outputValue = value(model, "output");
        String output = (String) outputValue.getValue();
        if (output.isEmpty()) {
            output = null;
        } else if (network.get().steps().stream().noneMatch(step -> step.name().equals(outputValue.getValue()))) {
            problems.add(new Problem(Diagnostic.UNKNOWN_INPUT, new Site(type, model, outputValue), "@Model(output)", output,
                    Suggestions.didYouMean(output, network.get().steps().stream().map(Step::name).toList()), "a field of the model"));
            return Optional.empty();
        }
        return Optional.of(new ModelSpec(network.get(), List.copyOf(inputs.values()), batch, budget, costClass, output));
    }

    /** Reads a {@code @Block} class (once; later calls return the same result and report nothing). */
    public Optional<NetworkSpec> readBlock(TypeElement type, List<Problem> problems) {
        String name = type.getQualifiedName().toString();
        Optional<NetworkSpec> known = blocks.get(name);
        if (known != null) {
            return known;
        }
        Optional<NetworkSpec> block;
        if (type.getKind() != ElementKind.CLASS) {
            problems.add(new Problem(Diagnostic.MODEL_NOT_A_CLASS, Site.of(type, mirror(type, DSL + ".Block")), "Block", type.getSimpleName(), describe(type.getKind())));
            block = Optional.empty();
        } else {
            reading.add(name);
            try {
                List<String> inputs = readBlockInputs(type, problems);
                block = inputs == null ? Optional.empty() : readNetwork(type, inputs, problems);
            } finally {
                reading.remove(name);
            }
        }
        blocks.put(name, block);
        return block;
    }

    /** The simple name of the generated class: {@code LeNet5Cost}, or {@code Outer_InnerCost} for a nested model. */
    public static String costClassName(TypeElement type) {
        StringBuilder name = new StringBuilder(type.getSimpleName());
        Element enclosing = type.getEnclosingElement();
        while (enclosing instanceof TypeElement) {
            name.insert(0, enclosing.getSimpleName() + "_");
            enclosing = enclosing.getEnclosingElement();
        }
        return name + "Cost";
    }

    /**
     * Refuses a cost class name that a source type of this compilation or another model already has.
     * Only sources are checked: a lookup through javac's class finder per model is slow, a class file
     * of that name is an earlier build's output, and the Filer refuses any other clash when writing.
     */
    private void checkCostClassFree(TypeElement type, String costClass, List<Problem> problems) {
        String qualified = packageOf(type).isEmpty() ? costClass : packageOf(type) + "." + costClass;
        if (fieldOrder.isSource(qualified) || !claimed.add(qualified)) {
            problems.add(new Problem(Diagnostic.COST_CLASS_CLASH, Site.of(type, mirror(type, DSL + ".Model")), qualified));
        }
    }

    /** The package name of a type, empty for the unnamed package. */
    public String packageOf(TypeElement type) {
        PackageElement pkg = elements.getPackageOf(type);
        return pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString();
    }

    /** The model's inputs by name, in order, from {@code input} (named {@code input}) or {@code inputs}; null after a problem. */
    private Map<String, Shape> readInputs(TypeElement type, AnnotationMirror model, List<Problem> problems) {
        Map<String, AnnotationValue> given = explicitValues(model);
        AnnotationValue single = given.get("input");
        AnnotationValue several = given.get("inputs");
        Map<String, Shape> inputs = new LinkedHashMap<>();
        if ((single == null) == (several == null)) {
            AnnotationValue at = single != null ? several : value(model, "input");
            problems.add(new Problem(Diagnostic.INPUT_RANK, new Site(type, model, at),
                    single == null ? "neither input nor inputs" : "both input and inputs", "give one of them"));
            return null;
        }
        if (single != null) {
            Shape shape = readShape(type, model, single, value(model, "layout"), (Boolean) value(model, "tokens").getValue(), "input", problems);
            if (shape == null) {
                return null;
            }
            inputs.put(dev.modelcost.From.INPUT, shape);
            return inputs;
        }
        for (Object item : (List<?>) several.getValue()) {
            AnnotationMirror input = (AnnotationMirror) ((AnnotationValue) item).getValue();
            AnnotationValue nameValue = value(input, "name");
            String name = (String) nameValue.getValue();
            if (!javax.lang.model.SourceVersion.isIdentifier(name) || javax.lang.model.SourceVersion.isKeyword(name)
                    || RESERVED.contains(name) && !name.equals(dev.modelcost.From.INPUT) || inputs.containsKey(name)) {
                problems.add(new Problem(Diagnostic.INPUT_NAME, new Site(type, input, nameValue), name,
                        inputs.containsKey(name) ? "is given twice" : "is not a name a field could have, or is reserved (in, h, w, x)"));
                return null;
            }
            Shape shape = readShape(type, input, value(input, "shape"), value(input, "layout"), (Boolean) value(input, "tokens").getValue(),
                    "input " + name, problems);
            if (shape == null) {
                return null;
            }
            inputs.put(name, shape);
        }
        if (inputs.isEmpty()) {
            problems.add(new Problem(Diagnostic.INPUT_RANK, new Site(type, model, several), "inputs = {}", "declare at least one @Input"));
            return null;
        }
        return inputs;
    }

    /** The names of a block's inputs, from {@code @Block(inputs)}; null after a problem. */
    private List<String> readBlockInputs(TypeElement type, List<Problem> problems) {
        AnnotationMirror block = mirror(type, DSL + ".Block");
        if (block == null || erroneous(block)) {
            return List.of(dev.modelcost.From.INPUT);
        }
        AnnotationValue value = value(block, "inputs");
        List<String> names = new ArrayList<>();
        for (Object item : (List<?>) value.getValue()) {
            String name = (String) ((AnnotationValue) item).getValue();
            if (!javax.lang.model.SourceVersion.isIdentifier(name) || javax.lang.model.SourceVersion.isKeyword(name)
                    || RESERVED.contains(name) && !name.equals(dev.modelcost.From.INPUT) || names.contains(name)) {
                problems.add(new Problem(Diagnostic.INPUT_NAME, new Site(type, block, value), name,
                        names.contains(name) ? "is given twice" : "is not a name a field could have, or is reserved (in, h, w, x)"));
                return null;
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            problems.add(new Problem(Diagnostic.INPUT_NAME, new Site(type, block, value), "{}", "leaves the block without an input"));
            return null;
        }
        return List.copyOf(names);
    }

    /** One input shape with its layout; null after a problem. */
    private Shape readShape(TypeElement type, AnnotationMirror owner, AnnotationValue value, AnnotationValue layoutValue,
            boolean tokens, String what, List<Problem> problems) {
        List<?> dims = (List<?>) value.getValue();
        Site site = new Site(type, owner, value);
        if (dims.isEmpty()) {
            problems.add(new Problem(Diagnostic.INPUT_RANK, site, "an empty shape for " + what, "write the shape without the batch dimension, e.g. {3, 224, 224}"));
            return null;
        }
        List<Integer> shape = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < dims.size(); i++) {
            AnnotationValue dim = (AnnotationValue) dims.get(i);
            int size = (Integer) dim.getValue();
            shape.add(size);
            if (size < 1) {
                problems.add(new Problem(Diagnostic.NOT_POSITIVE, new Site(type, owner, dim), "@Model", what + " dimension " + i, 1, size));
                ok = false;
            }
        }
        String layout = (String) layoutValue.getValue();
        List<String> axes = layout.isEmpty() ? Shape.defaultAxes(shape.size()) : Layouts.parse(layout);
        if (axes == null || axes.size() != shape.size()) {
            problems.add(new Problem(Diagnostic.LAYOUT, new Site(type, owner, layoutValue), layout, what, shape.size()));
            return null;
        }
        return ok ? new Shape(shape, axes, tokens) : null;
    }

    private List<BudgetLimit> readBudget(TypeElement type, List<Problem> problems) {
        AnnotationMirror budget = mirror(type, DSL + ".Budget");
        List<BudgetLimit> limits = new ArrayList<>();
        if (budget == null) {
            return limits;
        }
        Map<String, Figure> figures = Map.of("maxMacs", Figure.MACS, "maxFlops", Figure.FLOPS, "maxParams", Figure.PARAMS);
        for (Map.Entry<String, AnnotationValue> entry : explicitValues(budget).entrySet()) {
            Figure figure = figures.get(entry.getKey());
            long limit = ((Number) entry.getValue().getValue()).longValue();
            Site site = new Site(type, budget, entry.getValue());
            if (limit <= 0) {
                problems.add(new Problem(Diagnostic.BUDGET_NOT_POSITIVE, site, entry.getKey(), limit));
            } else if (figure != null) {
                limits.add(new BudgetLimit(figure, entry.getKey(), limit, site));
            }
        }
        return limits;
    }

    private Optional<NetworkSpec> readNetwork(TypeElement type, List<String> inputs, List<Problem> problems) {
        int before = problems.size();
        AnnotationMirror block = mirror(type, DSL + ".Block");
        AnnotationMirror model = mirror(type, DSL + ".Model");
        AnnotationMirror container = block != null ? block : model;
        if (erroneous(container)) {
            return Optional.empty();
        }
        boolean indexed = container != null && (Boolean) value(container, "indexed").getValue();
        Map<String, Long> constants = new LinkedHashMap<>();
        List<ParamSpec> params = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        // A field whose error is reported elsewhere: by javac (an unresolved type or constant), or
        // where a block it uses was read (a step that fails without a problem of its own).
        boolean reportedElsewhere = false;
        for (VariableElement field : fieldOrder.of(type)) {
            List<AnnotationMirror> ours = dslAnnotations(field);
            if (field.getModifiers().contains(Modifier.STATIC)) {
                if (!ours.isEmpty()) {
                    problems.add(new Problem(Diagnostic.STATIC_LAYER, Site.of(field, ours.get(0)), field.getSimpleName()));
                } else if (field.getConstantValue() instanceof Number number && !(field.getConstantValue() instanceof Double || field.getConstantValue() instanceof Float)) {
                    constants.put(field.getSimpleName().toString(), number.longValue());
                }
                continue;
            }
            if (field.asType().getKind() == TypeKind.ERROR || ours.stream().anyMatch(SpecReader::erroneous)) {
                reportedElsewhere = true;
                continue;
            }
            AnnotationMirror param = find(ours, DSL + ".Param");
            if (param != null) {
                readParam(type, block != null, field, param, ours, inputs, params, problems);
                continue;
            }
            int reported = problems.size();
            Step step = readStep(field, ours, indexed, inputs, steps, problems);
            if (step != null) {
                steps.add(step);
            } else if (problems.size() == reported) {
                reportedElsewhere = true;
            }
        }
        if (steps.isEmpty() && problems.size() == before && !reportedElsewhere) {
            problems.add(new Problem(Diagnostic.EMPTY_NETWORK, Site.of(type, container), type.getSimpleName()));
        }
        if (problems.size() > before || reportedElsewhere) {
            return Optional.empty();
        }
        return Optional.of(new NetworkSpec(type, type.getQualifiedName().toString(), indexed, inputs, List.copyOf(params),
                Map.copyOf(constants), List.copyOf(steps)));
    }

    private void readParam(TypeElement type, boolean isBlock, VariableElement field, AnnotationMirror param,
            List<AnnotationMirror> ours, List<String> inputs, List<ParamSpec> params, List<Problem> problems) {
        Site site = Site.of(field, param);
        String name = field.getSimpleName().toString();
        if (!isBlock) {
            problems.add(new Problem(Diagnostic.PARAM_OUTSIDE_BLOCK, site, name, type.getSimpleName()));
            return;
        }
        if (ours.size() > 1) {
            problems.add(new Problem(Diagnostic.TWO_OPERATIONS, site, name, names(ours)));
            return;
        }
        if (field.asType().getKind() != TypeKind.INT) {
            problems.add(new Problem(Diagnostic.PARAM_TYPE, site, name, field.asType()));
            return;
        }
        if (RESERVED.contains(name) || inputs.contains(name)) {
            problems.add(new Problem(Diagnostic.RESERVED_NAME, site, name));
            return;
        }
        Map<String, AnnotationValue> given = explicitValues(param);
        AnnotationValue literal = given.get("value");
        AnnotationValue expr = given.get("expr");
        if (literal != null && expr != null) {
            problems.add(new Problem(Diagnostic.ATTRIBUTE_TWICE, new Site(field, param, expr), "@Param " + name, "value", "expr"));
            return;
        }
        if (literal != null) {
            long value = ((Number) literal.getValue()).longValue();
            params.add(new ParamSpec(name, new Expr.Literal(Value.of(value)), Long.toString(value), site));
        } else if (expr != null) {
            String text = (String) expr.getValue();
            Expr parsed = parse(text, new Site(field, param, expr), "@Param " + name, problems);
            if (parsed != null) {
                params.add(new ParamSpec(name, parsed, text, new Site(field, param, expr)));
            }
        } else {
            params.add(new ParamSpec(name, null, null, site));
        }
    }

    private Step readStep(VariableElement field, List<AnnotationMirror> ours, boolean indexed, List<String> inputs,
            List<Step> earlier, List<Problem> problems) {
        String name = field.getSimpleName().toString();
        List<AnnotationMirror> operations = new ArrayList<>();
        for (AnnotationMirror mirror : ours) {
            if (registry.forAnnotation(qualifiedName(mirror)) != null) {
                operations.add(mirror);
            }
        }
        if (operations.size() > 1) {
            problems.add(new Problem(Diagnostic.TWO_OPERATIONS, Site.of(field, operations.get(1)), name, names(operations)));
            return null;
        }
        if (name.equals(dev.modelcost.From.INPUT) || inputs.contains(name)) {
            problems.add(new Problem(Diagnostic.RESERVED_NAME, Site.of(field), name));
            return null;
        }
        AnnotationMirror args = find(ours, DSL + ".Args");
        AnnotationMirror repeat = find(ours, DSL + ".Repeat");
        AnnotationMirror from = find(ours, DSL + ".From");
        AnnotationMirror when = find(ours, DSL + ".When");
        List<String> sources = List.of();
        Site fromSite = null;
        if (from != null) {
            fromSite = new Site(field, from, value(from, "value"));
            sources = strings(fromSite.value());
            for (String source : sources) {
                if (!checkReference(source, fromSite, inputs, earlier, problems)) {
                    return null;
                }
            }
        }
        Operation operation;
        if (operations.size() == 1) {
            AnnotationMirror op = operations.get(0);
            OpKind kind = registry.forAnnotation(qualifiedName(op));
            if (!isLayerType(field.asType())) {
                problems.add(new Problem(Diagnostic.LAYER_FIELD_TYPE, Site.of(field, op), name, simpleName(op), field.asType()));
                return null;
            }
            for (AnnotationMirror misplaced : new AnnotationMirror[] {args, repeat}) {
                if (misplaced != null) {
                    problems.add(new Problem(Diagnostic.NOT_A_BLOCK_USE, Site.of(field, misplaced), simpleName(misplaced), name));
                    return null;
                }
            }
            if (kind.inputsAttribute() != null && from != null) {
                problems.add(new Problem(Diagnostic.MODIFIER_ON_MERGE, Site.of(field, from), "From", name));
                return null;
            }
            operation = readOperation(field, op, kind, inputs, earlier, problems);
            if (operation != null && kind.inputsAttribute() == null) {
                int count = from != null ? sources.size() : kind.maxInputs() == 0 ? 0 : 1;
                if (count < kind.minInputs() || count > kind.maxInputs()) {
                    problems.add(new Problem(Diagnostic.ARITY, fromSite != null ? fromSite : Site.of(field, op), name, kind.name(), kind.arity(), count));
                    return null;
                }
            }
        } else {
            operation = readBlockUse(field, args, repeat, indexed, problems);
            if (operation instanceof BlockOp use) {
                int count = from != null ? sources.size() : 1;
                if (count != use.block().inputs().size()) {
                    problems.add(new Problem(Diagnostic.ARITY, fromSite != null ? fromSite : Site.of(field), name, "block " + use.block().simpleName(),
                            use.block().inputs().size() + " (" + String.join(", ", use.block().inputs()) + ")", count));
                    return null;
                }
            }
        }
        if (operation == null) {
            return null;
        }
        Expr condition = null;
        Site whenSite = null;
        String whenText = null;
        if (when != null) {
            whenSite = new Site(field, when, value(when, "value"));
            whenText = (String) whenSite.value().getValue();
            condition = parse(whenText, whenSite, name + " @When", problems);
            if (condition == null) {
                return null;
            }
        }
        return new Step(name, field, operation, sources, fromSite, condition, whenSite, whenText);
    }

    private static List<String> strings(AnnotationValue value) {
        List<String> items = new ArrayList<>();
        for (Object item : (List<?>) value.getValue()) {
            items.add((String) ((AnnotationValue) item).getValue());
        }
        return List.copyOf(items);
    }

    private boolean checkReference(String name, Site site, List<String> inputs, List<Step> earlier, List<Problem> problems) {
        if (inputs.contains(name) || earlier.stream().anyMatch(step -> step.name().equals(name))) {
            return true;
        }
        List<String> known = new ArrayList<>(inputs);
        earlier.forEach(step -> known.add(step.name()));
        problems.add(new Problem(Diagnostic.UNKNOWN_INPUT, site, site.element().getSimpleName(), name, Suggestions.didYouMean(name, known),
                String.join(", ", inputs.stream().map(n -> "\"" + n + "\"").toList())));
        return false;
    }

    private OpStep readOperation(VariableElement field, AnnotationMirror op, OpKind kind, List<String> inputs, List<Step> earlier,
            List<Problem> problems) {
        String where = field.getSimpleName().toString();
        TypeElement annotation = (TypeElement) op.getAnnotationType().asElement();
        Map<String, AnnotationValue> given = explicitValues(op);
        Map<String, AttrSpec> attrs = new LinkedHashMap<>();
        List<String> named = List.of();
        Site namedSite = null;
        for (ExecutableElement method : ElementFilter.methodsIn(annotation.getEnclosedElements())) {
            String name = method.getSimpleName().toString();
            AnnotationValue value = given.get(name);
            boolean written = value != null;
            if (!written) {
                value = method.getDefaultValue();
            }
            if (name.equals(kind.inputsAttribute())) {
                namedSite = new Site(field, op, value);
                named = strings(value);
                continue;
            }
            AttrSpec.Type type = attributeType(method.getReturnType());
            if (type == null || name.equals("with") || value == null) {
                continue;
            }
            Site site = written ? new Site(field, op, value) : Site.of(field, op);
            Object raw = value.getValue();
            switch (type) {
                case FLAG -> attrs.put(name, new AttrSpec(name, new Expr.Literal(Value.of((Boolean) raw)), written, type, site, raw.toString()));
                case NUMBER -> attrs.put(name, new AttrSpec(name, new Expr.Literal(Value.of(((Number) raw).longValue())), written, type, site, raw.toString()));
                case TEXT -> attrs.put(name, new AttrSpec(name, null, written, type, site, (String) raw));
                default -> {
                    List<Expr> items = new ArrayList<>();
                    List<String> texts = new ArrayList<>();
                    for (Object item : (List<?>) raw) {
                        long number = ((Number) ((AnnotationValue) item).getValue()).longValue();
                        items.add(new Expr.Literal(Value.of(number)));
                        texts.add(Long.toString(number));
                    }
                    attrs.put(name, new AttrSpec(name, new Expr.ListOf(List.copyOf(items)), written, type, site, "[" + String.join(", ", texts) + "]"));
                }
            }
        }
        if (kind.inputsAttribute() != null) {
            if (named.size() < kind.minInputs() || named.size() > kind.maxInputs()) {
                problems.add(new Problem(Diagnostic.ARITY, namedSite, where, kind.name(), kind.arity(), named.size()));
                return null;
            }
            for (String input : named) {
                if (!checkReference(input, namedSite, inputs, earlier, problems)) {
                    return null;
                }
            }
        }
        AnnotationValue with = given.get("with");
        if (with != null) {
            Site site = new Site(field, op, with);
            List<Assignment> assignments = parseAssignments((String) with.getValue(), site, where, problems);
            if (assignments == null) {
                return null;
            }
            Set<String> seen = new LinkedHashSet<>();
            for (Assignment assignment : assignments) {
                AttrSpec existing = attrs.get(assignment.name());
                if (existing == null || existing.type() == AttrSpec.Type.TEXT) {
                    problems.add(new Problem(Diagnostic.UNKNOWN_ATTRIBUTE, site, where, kind.name(), assignment.name(),
                            existing != null ? " that takes an expression; write it as a literal"
                                    : Suggestions.didYouMean(assignment.name(), attrs.keySet())));
                    return null;
                }
                if (!seen.add(assignment.name())) {
                    problems.add(new Problem(Diagnostic.DUPLICATE_ARGUMENT, site, where, assignment.name()));
                    return null;
                }
                if (existing.given()) {
                    problems.add(new Problem(Diagnostic.ATTRIBUTE_TWICE, site, where, assignment.name(), "with"));
                    return null;
                }
                attrs.put(assignment.name(), new AttrSpec(assignment.name(), assignment.value(), true, existing.type(), site, assignment.text()));
            }
        }
        return new OpStep(kind, List.copyOf(attrs.values()), named, Site.of(field, op), namedSite);
    }

    /** What an annotation attribute of this type holds, or null for a type that carries no cost-relevant value. */
    private static AttrSpec.Type attributeType(TypeMirror type) {
        switch (type.getKind()) {
            case INT:
            case LONG:
                return AttrSpec.Type.NUMBER;
            case BOOLEAN:
                return AttrSpec.Type.FLAG;
            case ARRAY:
                TypeKind component = ((ArrayType) type).getComponentType().getKind();
                return component == TypeKind.INT || component == TypeKind.LONG ? AttrSpec.Type.LIST : null;
            case DECLARED:
                return ((TypeElement) ((DeclaredType) type).asElement()).getQualifiedName().contentEquals("java.lang.String") ? AttrSpec.Type.TEXT : null;
            default:
                return null;
        }
    }

    private BlockOp readBlockUse(VariableElement field, AnnotationMirror args, AnnotationMirror repeat, boolean indexed,
            List<Problem> problems) {
        String name = field.getSimpleName().toString();
        TypeElement blockType = blockType(field.asType());
        if (blockType == null) {
            if (isLayerType(field.asType())) {
                problems.add(new Problem(Diagnostic.LAYER_WITHOUT_ANNOTATION, Site.of(field), name));
            } else {
                problems.add(new Problem(Diagnostic.FIELD_NOT_A_LAYER, Site.of(field), name, field.asType(), blockHint(field.asType())));
            }
            return null;
        }
        String blockName = blockType.getQualifiedName().toString();
        if (reading.contains(blockName)) {
            List<String> cycle = new ArrayList<>(reading);
            cycle = cycle.subList(cycle.indexOf(blockName), cycle.size());
            cycle.add(blockName);
            problems.add(new Problem(Diagnostic.BLOCK_CYCLE, Site.of(field), blockType.getSimpleName(),
                    String.join(" -> ", cycle.stream().map(n -> n.substring(n.lastIndexOf('.') + 1)).toList())));
            return null;
        }
        String unknownOrder = fieldOrder.unknown(blockType);
        if (unknownOrder != null) {
            problems.add(new Problem(Diagnostic.FIELD_ORDER_UNKNOWN, Site.of(field), name, blockType.getSimpleName(), unknownOrder,
                    blockType.getSimpleName()));
            return null;
        }
        Optional<NetworkSpec> block = readBlock(blockType, problems);
        if (block.isEmpty()) {
            return null;
        }
        Site argsSite = args == null ? Site.of(field) : new Site(field, args, value(args, "value"));
        List<Assignment> assignments = args == null ? List.of() : parseArgumentList(value(args, "value"), argsSite, name, problems);
        int count = 1;
        List<Assignment> first = List.of();
        Site firstSite = argsSite;
        String prefix = "";
        int start = 0;
        boolean inline = false;
        if (repeat != null) {
            AnnotationValue countValue = value(repeat, "value");
            count = (Integer) countValue.getValue();
            if (count < 1) {
                problems.add(new Problem(Diagnostic.REPEAT_COUNT, new Site(field, repeat, countValue), name, count));
                return null;
            }
            Map<String, AnnotationValue> given = explicitValues(repeat);
            if (given.containsKey("first")) {
                firstSite = new Site(field, repeat, value(repeat, "first"));
                first = parseArgumentList(value(repeat, "first"), firstSite, name, problems);
            }
            prefix = (String) value(repeat, "prefix").getValue();
            start = (Integer) value(repeat, "start").getValue();
            inline = (Boolean) value(repeat, "inline").getValue();
            if (start < 0) {
                problems.add(new Problem(Diagnostic.NOT_POSITIVE, new Site(field, repeat, given.get("start")), name, "@Repeat start", 0, start));
                return null;
            }
            if (start > Integer.MAX_VALUE - (count - 1)) {
                problems.add(new Problem(Diagnostic.OVERFLOW, new Site(field, repeat, given.get("start")), name,
                        "the last repetition's number, " + start + " + " + (count - 1) + ","));
                return null;
            }
            if (inline && !indexed) {
                problems.add(new Problem(Diagnostic.REPEAT_NAMES, new Site(field, repeat, given.get("inline")), name,
                        "needs an indexed container, and " + field.getEnclosingElement().getSimpleName() + " is not",
                        "add indexed = true to its @Block or @Model, or drop inline"));
                return null;
            }
            if (inline && (given.containsKey("prefix") || given.containsKey("start"))) {
                problems.add(new Problem(Diagnostic.REPEAT_NAMES, new Site(field, repeat, given.getOrDefault("prefix", given.get("start"))),
                        name, "takes the container's numbers, so it cannot have a prefix or start", "drop prefix and start, or inline"));
                return null;
            }
        }
        if (assignments == null || first == null
                || !checkArguments(block.get(), assignments, argsSite, name, problems)
                || !checkArguments(block.get(), first, firstSite, name, problems)) {
            return null;
        }
        for (ParamSpec param : block.get().params()) {
            boolean inArgs = assignments.stream().anyMatch(a -> a.name().equals(param.name()));
            boolean inFirst = first.stream().anyMatch(a -> a.name().equals(param.name()));
            if (param.fallback() == null && !inArgs && !(inFirst && count == 1)) {
                problems.add(new Problem(Diagnostic.MISSING_ARGUMENT, argsSite, name, blockType.getSimpleName(), param.name(), param.name()));
                return null;
            }
        }
        return new BlockOp(block.get(), assignments, argsSite, count, repeat != null, first, firstSite, prefix, start, inline);
    }

    private boolean checkArguments(NetworkSpec block, List<Assignment> assignments, Site site, String where, List<Problem> problems) {
        List<String> params = block.params().stream().map(ParamSpec::name).toList();
        Set<String> seen = new LinkedHashSet<>();
        for (Assignment assignment : assignments) {
            if (!params.contains(assignment.name())) {
                problems.add(new Problem(Diagnostic.UNKNOWN_ARGUMENT, site, where, block.simpleName(), assignment.name(),
                        Suggestions.didYouMean(assignment.name(), params)));
                return false;
            }
            if (!seen.add(assignment.name())) {
                problems.add(new Problem(Diagnostic.DUPLICATE_ARGUMENT, site, where, assignment.name()));
                return false;
            }
        }
        return true;
    }

    private List<Assignment> parseArgumentList(AnnotationValue value, Site site, String where, List<Problem> problems) {
        List<Assignment> all = new ArrayList<>();
        for (Object item : (List<?>) value.getValue()) {
            List<Assignment> parsed = parseAssignments((String) ((AnnotationValue) item).getValue(), site, where, problems);
            if (parsed == null) {
                return null;
            }
            all.addAll(parsed);
        }
        return List.copyOf(all);
    }

    private static List<Assignment> parseAssignments(String text, Site site, String where, List<Problem> problems) {
        try {
            return ExprParser.parseAssignments(text);
        } catch (ExprException e) {
            problems.add(new Problem(Diagnostic.EXPRESSION_SYNTAX, site, where, text, e.detail()));
            return null;
        }
    }

    private static Expr parse(String text, Site site, String where, List<Problem> problems) {
        try {
            return ExprParser.parse(text);
        } catch (ExprException e) {
            problems.add(new Problem(Diagnostic.EXPRESSION_SYNTAX, site, where, text, e.detail()));
            return null;
        }
    }

    /** The second half of MC110's fix: make a class of the project a block; anything else can only go. */
    private static String blockHint(TypeMirror type) {
        if (type.getKind() == TypeKind.DECLARED) {
            TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
            String name = element.getQualifiedName().toString();
            if (!name.startsWith("java.") && !name.startsWith("javax.") && element.getKind() == ElementKind.CLASS) {
                return "annotate " + element.getSimpleName() + " with @Block if it is a sub-network";
            }
        }
        return "remove it";
    }

    private TypeElement blockType(TypeMirror type) {
        if (type.getKind() != TypeKind.DECLARED) {
            return null;
        }
        TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
        return mirror(element, DSL + ".Block") != null ? element : null;
    }

    private static boolean isLayerType(TypeMirror type) {
        return type.getKind() == TypeKind.DECLARED
                && ((TypeElement) ((DeclaredType) type).asElement()).getQualifiedName().contentEquals(LAYER);
    }

    private List<AnnotationMirror> dslAnnotations(Element element) {
        List<AnnotationMirror> ours = new ArrayList<>();
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            String name = qualifiedName(mirror);
            if ((name.startsWith(DSL + ".") && name.indexOf('.', DSL.length() + 1) < 0) || registry.forAnnotation(name) != null) {
                ours.add(mirror);
            }
        }
        return ours;
    }

    /**
     * Whether javac could not evaluate a value the annotation was given (an unresolved constant):
     * javac reports that itself, and the value is not of its attribute's type.
     */
    private static boolean erroneous(AnnotationMirror mirror) {
        if (mirror == null) {
            return false;
        }
        return mirror.getElementValues().entrySet().stream()
                .anyMatch(entry -> !wellTyped(entry.getKey().getReturnType(), entry.getValue()));
    }

    private static boolean wellTyped(TypeMirror type, AnnotationValue value) {
        Object raw = value == null ? null : value.getValue();
        if (type.getKind().isPrimitive()) {
            return raw instanceof Number || raw instanceof Boolean || raw instanceof Character;
        }
        if (type.getKind() == TypeKind.ARRAY) {
            TypeMirror component = ((ArrayType) type).getComponentType();
            return raw instanceof List<?> items
                    && items.stream().allMatch(item -> item instanceof AnnotationValue v && wellTyped(component, v));
        }
        // javac gives an unresolved value as the string "<error>", which prints unquoted (a string constant prints quoted).
        return raw != null && !"<error>".equals(value.toString());
    }

    private static AnnotationMirror find(List<AnnotationMirror> mirrors, String name) {
        for (AnnotationMirror mirror : mirrors) {
            if (qualifiedName(mirror).equals(name)) {
                return mirror;
            }
        }
        return null;
    }

    /** The annotation of the given qualified name on an element, or null. */
    public static AnnotationMirror mirror(Element element, String name) {
        return find(element.getAnnotationMirrors().stream().map(m -> (AnnotationMirror) m).toList(), name);
    }

    private static String qualifiedName(AnnotationMirror mirror) {
        return ((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().toString();
    }

    private static String simpleName(AnnotationMirror mirror) {
        return mirror.getAnnotationType().asElement().getSimpleName().toString();
    }

    private static String names(List<AnnotationMirror> mirrors) {
        return String.join(", ", mirrors.stream().map(m -> "@" + simpleName(m)).toList());
    }

    private static Map<String, AnnotationValue> explicitValues(AnnotationMirror mirror) {
        Map<String, AnnotationValue> values = new LinkedHashMap<>();
        mirror.getElementValues().forEach((method, value) -> values.put(method.getSimpleName().toString(), value));
        return values;
    }

    /** An attribute's value: the written one, or the default. */
    private AnnotationValue value(AnnotationMirror mirror, String name) {
        return elements.getElementValuesWithDefaults(mirror).entrySet().stream()
                .filter(e -> e.getKey().getSimpleName().contentEquals(name))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no attribute " + name));
    }

    private long intValue(AnnotationMirror mirror, String name) {
        return ((Number) value(mirror, name).getValue()).longValue();
    }

    private static String describe(ElementKind kind) {
        switch (kind.name()) {
            case "INTERFACE": return "an interface";
            case "ENUM": return "an enum";
            case "RECORD": return "a record";
            case "ANNOTATION_TYPE": return "an annotation type";
            default: return "a " + kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
