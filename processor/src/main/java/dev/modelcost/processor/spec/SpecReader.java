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
import dev.modelcost.processor.layers.LayerKind;
import dev.modelcost.processor.layers.Merge;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.layers.Totals.Figure;
import dev.modelcost.processor.spec.Operation.BlockOp;
import dev.modelcost.processor.spec.Operation.LayerOp;
import dev.modelcost.processor.spec.Operation.MergeOp;
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
    private static final Set<String> RESERVED = Set.of(dev.modelcost.From.INPUT, "in", "h", "w");

    private final Elements elements;
    private final FieldOrder fieldOrder;
    private final Map<String, Optional<NetworkSpec>> blocks = new HashMap<>();
    private final Set<String> reading = new LinkedHashSet<>();
    /** The cost classes models of this compilation write, so that two (A.B and A_B) never write the same. */
    private final Set<String> claimed = new HashSet<>();

    /** A reader over the compilation's elements. */
    public SpecReader(ProcessingEnvironment environment) {
        this.elements = environment.getElementUtils();
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
        Shape input = readInput(type, model, problems);
        int batch = (int) intValue(model, "batch");
        if (batch < 1) {
            problems.add(new Problem(Diagnostic.NOT_POSITIVE, new Site(type, model, value(model, "batch")), "@Model", "batch", 1, batch));
        }
        String costClass = costClassName(type);
        checkCostClassFree(type, costClass, problems);
        List<BudgetLimit> budget = readBudget(type, problems);
        Optional<NetworkSpec> network = readNetwork(type, problems);
        if (problems.size() > before || network.isEmpty() || input == null) {
            return Optional.empty();
        }
        return Optional.of(new ModelSpec(network.get(), input, batch, budget, costClass));
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
                block = readNetwork(type, problems);
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

    private Shape readInput(TypeElement type, AnnotationMirror model, List<Problem> problems) {
        AnnotationValue value = value(model, "input");
        List<?> dims = (List<?>) value.getValue();
        Site site = new Site(type, model, value);
        if (dims.isEmpty() || dims.size() > 3) {
            String written = String.join(", ", dims.stream().map(d -> String.valueOf(((AnnotationValue) d).getValue())).toList());
            problems.add(new Problem(Diagnostic.INPUT_RANK, site, dims.size(), "{" + written + "}"));
            return null;
        }
        int[] shape = new int[dims.size()];
        boolean ok = true;
        for (int i = 0; i < shape.length; i++) {
            AnnotationValue dim = (AnnotationValue) dims.get(i);
            shape[i] = (Integer) dim.getValue();
            if (shape[i] < 1) {
                problems.add(new Problem(Diagnostic.NOT_POSITIVE, new Site(type, model, dim), "@Model", "input dimension " + i, 1, shape[i]));
                ok = false;
            }
        }
        return ok ? Shape.of(shape) : null;
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

    private Optional<NetworkSpec> readNetwork(TypeElement type, List<Problem> problems) {
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
                readParam(type, block != null, field, param, ours, params, problems);
                continue;
            }
            int reported = problems.size();
            Step step = readStep(field, ours, indexed, steps, problems);
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
        return Optional.of(new NetworkSpec(type, type.getQualifiedName().toString(), indexed, List.copyOf(params),
                Map.copyOf(constants), List.copyOf(steps)));
    }

    private void readParam(TypeElement type, boolean isBlock, VariableElement field, AnnotationMirror param,
            List<AnnotationMirror> ours, List<ParamSpec> params, List<Problem> problems) {
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
        if (RESERVED.contains(name)) {
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

    private Step readStep(VariableElement field, List<AnnotationMirror> ours, boolean indexed, List<Step> earlier,
            List<Problem> problems) {
        String name = field.getSimpleName().toString();
        List<AnnotationMirror> operations = new ArrayList<>();
        for (AnnotationMirror mirror : ours) {
            String annotation = qualifiedName(mirror);
            if (LayerKind.forAnnotation(annotation) != null || Merge.forAnnotation(annotation) != null) {
                operations.add(mirror);
            }
        }
        if (operations.size() > 1) {
            problems.add(new Problem(Diagnostic.TWO_OPERATIONS, Site.of(field, operations.get(1)), name, names(operations)));
            return null;
        }
        if (name.equals(dev.modelcost.From.INPUT)) {
            problems.add(new Problem(Diagnostic.RESERVED_NAME, Site.of(field), name));
            return null;
        }
        AnnotationMirror args = find(ours, DSL + ".Args");
        AnnotationMirror repeat = find(ours, DSL + ".Repeat");
        AnnotationMirror from = find(ours, DSL + ".From");
        AnnotationMirror when = find(ours, DSL + ".When");
        Operation operation;
        if (operations.size() == 1) {
            AnnotationMirror op = operations.get(0);
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
            Merge merge = Merge.forAnnotation(qualifiedName(op));
            if (merge != null) {
                if (from != null) {
                    problems.add(new Problem(Diagnostic.MODIFIER_ON_MERGE, Site.of(field, from), "From", name));
                    return null;
                }
                operation = readMerge(field, op, merge, earlier, problems);
            } else {
                operation = readLayer(field, op, LayerKind.forAnnotation(qualifiedName(op)), problems);
            }
        } else {
            operation = readBlockUse(field, args, repeat, indexed, problems);
        }
        if (operation == null) {
            return null;
        }
        String source = null;
        Site fromSite = null;
        if (from != null) {
            fromSite = new Site(field, from, value(from, "value"));
            source = (String) fromSite.value().getValue();
            if (!checkReference(source, fromSite, earlier, problems)) {
                return null;
            }
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
        return new Step(name, field, operation, source, fromSite, condition, whenSite, whenText);
    }

    private Operation readMerge(VariableElement field, AnnotationMirror op, Merge merge, List<Step> earlier, List<Problem> problems) {
        AnnotationValue value = value(op, "value");
        Site site = new Site(field, op, value);
        List<String> inputs = new ArrayList<>();
        for (Object item : (List<?>) value.getValue()) {
            inputs.add((String) ((AnnotationValue) item).getValue());
        }
        if (inputs.size() < 2) {
            problems.add(new Problem(Diagnostic.MERGE_ARITY, site, field.getSimpleName(), merge.kind(), inputs.size()));
            return null;
        }
        for (String input : inputs) {
            if (!checkReference(input, site, earlier, problems)) {
                return null;
            }
        }
        return new MergeOp(merge, List.copyOf(inputs), site);
    }

    private boolean checkReference(String name, Site site, List<Step> earlier, List<Problem> problems) {
        if (name.equals(dev.modelcost.From.INPUT) || earlier.stream().anyMatch(step -> step.name().equals(name))) {
            return true;
        }
        List<String> known = new ArrayList<>();
        known.add(dev.modelcost.From.INPUT);
        earlier.forEach(step -> known.add(step.name()));
        problems.add(new Problem(Diagnostic.UNKNOWN_INPUT, site, site.element().getSimpleName(), name, Suggestions.didYouMean(name, known)));
        return false;
    }

    private LayerOp readLayer(VariableElement field, AnnotationMirror op, LayerKind kind, List<Problem> problems) {
        String where = field.getSimpleName().toString();
        TypeElement annotation = (TypeElement) op.getAnnotationType().asElement();
        Map<String, AnnotationValue> given = explicitValues(op);
        Map<String, AttrSpec> attrs = new LinkedHashMap<>();
        for (ExecutableElement method : ElementFilter.methodsIn(annotation.getEnclosedElements())) {
            String name = method.getSimpleName().toString();
            TypeKind type = method.getReturnType().getKind();
            boolean flag = type == TypeKind.BOOLEAN;
            if (!flag && type != TypeKind.INT && type != TypeKind.LONG) {
                continue;
            }
            AnnotationValue value = given.get(name);
            boolean written = value != null;
            if (!written) {
                value = method.getDefaultValue();
            }
            Object raw = value.getValue();
            Value literal = flag ? Value.of((Boolean) raw) : Value.of(((Number) raw).longValue());
            attrs.put(name, new AttrSpec(name, new Expr.Literal(literal), written, flag,
                    written ? new Site(field, op, value) : Site.of(field, op), literal.toString()));
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
                if (existing == null) {
                    problems.add(new Problem(Diagnostic.UNKNOWN_ATTRIBUTE, site, where, kind.kind(), assignment.name(),
                            Suggestions.didYouMean(assignment.name(), attrs.keySet())));
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
                attrs.put(assignment.name(), new AttrSpec(assignment.name(), assignment.value(), true, existing.flag(), site, assignment.text()));
            }
        }
        return new LayerOp(kind, List.copyOf(attrs.values()), Site.of(field, op));
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

    private static List<AnnotationMirror> dslAnnotations(Element element) {
        List<AnnotationMirror> ours = new ArrayList<>();
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            String name = qualifiedName(mirror);
            if (name.startsWith(DSL + ".") && name.indexOf('.', DSL.length() + 1) < 0) {
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
