package dev.modelcost.processor.spec;

import static dev.modelcost.processor.spec.Mirrors.DSL;
import static dev.modelcost.processor.spec.Mirrors.erroneous;
import static dev.modelcost.processor.spec.Mirrors.explicitValues;
import static dev.modelcost.processor.spec.Mirrors.find;
import static dev.modelcost.processor.spec.Mirrors.mirror;
import static dev.modelcost.processor.spec.Mirrors.names;
import static dev.modelcost.processor.spec.Mirrors.qualifiedName;
import static dev.modelcost.processor.spec.Mirrors.simpleName;
import static dev.modelcost.processor.spec.Mirrors.strings;
import static dev.modelcost.processor.spec.Mirrors.value;

import dev.modelcost.From;
import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.layers.Dtype;
import dev.modelcost.processor.diag.Suggestions;
import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.Value;
import dev.modelcost.processor.layers.OpKind;
import dev.modelcost.processor.layers.OpRegistry;
import dev.modelcost.processor.spec.Operation.BlockOp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/** Reads the fields of a model or block into its network: constants, parameters and steps, and where each step reads. */
final class NetworkReader {
    private static final String LAYER = DSL + ".Layer";
    /** Names that expressions give a meaning of their own: the block input and its dimensions, a step's own input. */
    private static final Map<String, String> RESERVED = Map.of(
            From.INPUT, "the block input",
            "in", "the channels (or features) of the block input in expressions",
            "h", "the height of the block input in expressions",
            "w", "the width of the block input in expressions",
            "x", "a step's own input in expressions",
            "index", "a repetition's number in the arguments of a repeated block");

    /** What a reserved name stands for in expressions ({@code in}: the block input's channels), or null for any other name. */
    static String reserved(String name) {
        return RESERVED.get(name);
    }

    private final OpRegistry registry;
    private final DeclaredKinds declared;
    /** Each kind's attributes at their defaults, by annotation, read once; empty for a kind that needs a value. */
    private final Map<String, Optional<Operation.OpStep>> atDefaults = new java.util.HashMap<>();
    private final FieldOrder fieldOrder;
    private final OperationReader operations;
    private BlockUseReader blockUses;

    private final ForeignConstants foreign;
    /** The source trees, for the annotations javac rejects itself. */
    private final SourceTrees sources;
    /**
     * Per network being read (by its list of steps), the fields already refused: a later field that reads one is not told it names
     * no field, the first problem being reported.
     */
    private final Map<List<Step>, java.util.Set<String>> rejectedFields = new java.util.IdentityHashMap<>();
    private final javax.lang.model.util.Elements elements;

    NetworkReader(OpRegistry registry, FieldOrder fieldOrder, javax.lang.model.util.Elements elements, SourceTrees sources) {
        this.elements = elements;
        this.registry = registry;
        this.declared = new DeclaredKinds(registry.kinds().stream().map(OpKind::name).collect(java.util.stream.Collectors.toSet()));
        this.fieldOrder = fieldOrder;
        this.operations = new OperationReader();
        this.foreign = new ForeignConstants(elements, sources);
        this.sources = sources;
    }

    /** Whether a class was read from a class file, not compiled from source in this compilation. */
    private boolean fromClassFile(TypeElement type) {
        return !fieldOrder.isSource(Mirrors.outermost(type).getQualifiedName().toString());
    }

    /** Sets the reader of block uses, which reads the blocks it uses through this one. */
    void readBlockUsesWith(BlockUseReader blockUses) {
        this.blockUses = blockUses;
    }

    /** The network of a model or block class with the given input names. */
    Optional<NetworkSpec> read(TypeElement type, List<String> inputs, Findings findings) {
        AnnotationMirror block = mirror(type, DSL + ".Block");
        AnnotationMirror container = block != null ? block : mirror(type, DSL + ".Model");
        // An annotation of the class javac cannot resolve (a @Budget not imported) would leave its checks out of what is written.
        if (erroneous(container) || sources.rejectsAnnotation(type)) {
            return findings.rejectedElsewhere();
        }
        Findings network = findings.part();
        inheritedLayers(type).ifPresent(network::report);
        boolean indexed = container != null && (Boolean) value(container, "indexed").getValue();
        Map<String, Long> constants = new LinkedHashMap<>();
        Map<String, String> unusable = new LinkedHashMap<>();
        List<ParamSpec> params = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (VariableElement field : fieldOrder.of(type)) {
            List<AnnotationMirror> ours = dslAnnotations(field);
            if (field.getModifiers().contains(Modifier.STATIC)) {
                if (!ours.isEmpty()) {
                    network.report(new Problem(Diagnostic.STATIC_LAYER, Site.of(field, ours.get(0)), field.getSimpleName()));
                } else if (ForeignConstants.isConstant(field)) {
                    String name = field.getSimpleName().toString();
                    if (RESERVED.containsKey(name) || inputs.contains(name)) {
                        network.report(new Problem(Diagnostic.RESERVED_NAME, Site.of(field), "a constant", name, standsFor(name, field)));
                    }
                    constants.put(name, ((Number) field.getConstantValue()).longValue());
                } else {
                    unusable.put(field.getSimpleName().toString(), ForeignConstants.whyNotAConstant(field));
                }
                continue;
            }
            if (field.asType().getKind() == TypeKind.ERROR || ours.stream().anyMatch(Mirrors::erroneous)) {
                if (fromClassFile(type)) {
                    // javac reports a class it cannot find in source, but nothing for one a class file names.
                    network.report(new Problem(Diagnostic.MISSING_CLASS, Site.of(field), field.getSimpleName(), type.getQualifiedName(),
                            field.asType().getKind() == TypeKind.ERROR ? "the type " + field.asType() : "an annotation value", type.getSimpleName()));
                } else {
                    network.rejectedElsewhere();
                }
                // a later field that reads it follows from that error, and is told nothing more
                rejectedFields.computeIfAbsent(steps, s -> new java.util.HashSet<>()).add(field.getSimpleName().toString());
                continue;
            }
            if (sources.rejectsAnnotation(field)) {
                // An unknown annotation or attribute: javac says which, after this processor has run (and nothing of a later field
                // that reads this one).
                network.rejectedElsewhere();
                rejectedFields.computeIfAbsent(steps, s -> new java.util.HashSet<>()).add(field.getSimpleName().toString());
                continue;
            }
            AnnotationMirror param = find(ours, DSL + ".Param");
            if (param != null) {
                readParam(type, block != null, field, param, ours, inputs, network).ifPresent(params::add);
                continue;
            }
            Optional<Step> step = readStep(field, ours, indexed, inputs, steps, network);
            if (step.isPresent()) {
                steps.add(step.get());
            } else {
                rejectedFields.computeIfAbsent(steps, s -> new java.util.HashSet<>()).add(field.getSimpleName().toString());
            }
        }
        rejectedFields.remove(steps);
        // Constants the class inherits from its superclasses and interfaces, then those of the classes enclosing it, as Java finds them
        // by their simple names: its own hide them, and a name two supertypes give is ambiguous, as javac says, so none is taken.
        for (Element scope = type; scope instanceof TypeElement enclosing; scope = scope.getEnclosingElement()) {
            Map<String, List<VariableElement>> visible = new LinkedHashMap<>();
            for (VariableElement field : javax.lang.model.util.ElementFilter.fieldsIn(elements.getAllMembers(enclosing))) {
                visible.computeIfAbsent(field.getSimpleName().toString(), n -> new ArrayList<>()).add(field);
            }
            for (Map.Entry<String, List<VariableElement>> entry : visible.entrySet()) {
                String name = entry.getKey();
                VariableElement field = entry.getValue().get(0);
                if (entry.getValue().size() == 1 && (enclosing != type || !field.getEnclosingElement().equals(type)) && ForeignConstants.isConstant(field)
                        && !constants.containsKey(name) && !RESERVED.containsKey(name) && !inputs.contains(name)
                        && type.getEnclosedElements().stream().noneMatch(own -> own.getSimpleName().contentEquals(name))) {
                    constants.put(name, ((Number) field.getConstantValue()).longValue());
                } else if (entry.getValue().size() == 1 && field.getModifiers().contains(Modifier.STATIC) && !ForeignConstants.isConstant(field)
                        && !constants.containsKey(name) && !field.getEnclosingElement().equals(type)) {
                    unusable.putIfAbsent(name, ForeignConstants.whyNotAConstant(field));
                }
            }
        }
        for (Element member : type.getEnclosedElements()) {
            if ((member.getKind() == javax.lang.model.element.ElementKind.METHOD || member.getKind() == javax.lang.model.element.ElementKind.CONSTRUCTOR)
                    && dslAnnotations(member).stream().anyMatch(this::isOperation)) {
                // A layer annotation on a method: javac stops at it; the Eclipse compiler reports it and goes on, and so must not this model.
                network.rejectedElsewhere();
            }
        }
        if (network.rejected()) {
            return Optional.empty();
        }
        if (steps.isEmpty()) {
            return network.reject(new Problem(Diagnostic.EMPTY_NETWORK, Site.of(type, container), type.getSimpleName()));
        }
        java.util.Set<String> tensors = new java.util.HashSet<>(inputs);
        tensors.addAll(List.of(From.INPUT, "x", "out"));
        steps.forEach(step -> tensors.add(step.name()));
        // A size variable's reason first: a constant a static import brings by the same name says less.
        ownSizes(type, inputs).forEach(unusable::putIfAbsent);
        foreign.collect(type, steps, params, tensors, constants, unusable);
        return Optional.of(new NetworkSpec(type, type.getQualifiedName().toString(), indexed, inputs, List.copyOf(params),
                Map.copyOf(constants), List.copyOf(steps), mirror(type, DSL + ".FastPath") != null, unusable, outputs(type)));
    }

    /**
     * The bare names of a model class's own size variables ({@code @Model(sizes = {"L", "batch"})}), each with why its layers do not
     * see it where another model applies the class as a block; the model's own analysis gives them their values first.
     */
    private static Map<String, String> ownSizes(TypeElement type, List<String> inputs) {
        AnnotationMirror model = mirror(type, DSL + ".Model");
        Map<String, String> sizes = new LinkedHashMap<>();
        if (model == null) {
            return sizes;
        }
        String name = type.getSimpleName().toString();
        for (String written : strings(value(model, "sizes"))) {
            String size = SizesReader.nameOf(written);
            if (javax.lang.model.SourceVersion.isIdentifier(size)) {
                boolean batch = size.equals("batch");
                sizes.put(size, "is a size variable of " + name + " as a model, which " + name + " applied as a block does not see: "
                        + (batch || inputs.isEmpty() ? "" : "read the size of what the block receives (" + inputs.get(0) + "." + size + ") or ")
                        + "pass " + size + " to a @Param of the block with @Args");
            }
        }
        return sizes;
    }

    /** A class's {@code @Model(output)} names as written, in order; empty where it is no model or returns its last field's output. */
    private static List<String> outputs(TypeElement type) {
        AnnotationMirror model = mirror(type, DSL + ".Model");
        if (model == null) {
            return List.of();
        }
        List<String> names = strings(value(model, "output"));
        return names.size() == 1 && names.get(0).isEmpty() ? List.of() : names;
    }


    /** MC121 when a superclass declares layers, which the network would otherwise silently lack. */
    private Optional<Problem> inheritedLayers(TypeElement type) {
        TypeMirror superclass = type.getSuperclass();
        while (superclass.getKind() == TypeKind.DECLARED) {
            TypeElement parent = (TypeElement) ((DeclaredType) superclass).asElement();
            if (parent.getQualifiedName().contentEquals("java.lang.Object")) {
                break;
            }
            List<String> layers = new ArrayList<>();
            List<String> params = new ArrayList<>();
            for (VariableElement field : javax.lang.model.util.ElementFilter.fieldsIn(parent.getEnclosedElements())) {
                if (!field.getModifiers().contains(Modifier.STATIC) && !dslAnnotations(field).isEmpty() || blockType(field.asType()) != null) {
                    (mirror(field, DSL + ".Param") != null ? params : layers).add(field.getSimpleName().toString());
                }
            }
            if (!layers.isEmpty() || !params.isEmpty()) {
                String declared = String.join(" and ", java.util.stream.Stream.of(shown("layers", layers), shown("parameters", params))
                        .filter(s -> !s.isEmpty()).toList());
                return Optional.of(new Problem(Diagnostic.INHERITED_LAYERS, Site.of(type), type.getSimpleName(), parent.getSimpleName(), declared,
                        parent.getSimpleName()));
            }
            superclass = parent.getSuperclass();
        }
        return Optional.empty();
    }

    /** {@code what (a, b, c, ...)}, the first three names; empty for none. */
    private static String shown(String what, List<String> names) {
        return names.isEmpty() ? "" : what + " (" + String.join(", ", names.size() > 3 ? names.subList(0, 3) : names) + (names.size() > 3 ? ", ..." : "") + ")";
    }

    /**
     * What a name no field may take stands for, in the class that declares {@code field}: a reserved name's meaning, else an
     * input of the block, or of the model ({@code @Input}).
     */
    private static String standsFor(String name, VariableElement field) {
        return RESERVED.getOrDefault(name, mirror(field.getEnclosingElement(), DSL + ".Block") != null ? "an input of the block"
                : "an input of the model (an @Input)");
    }

    /** The names of a block's inputs, from {@code @Block(inputs)}. */
    Optional<List<String>> readBlockInputs(TypeElement type, Findings findings) {
        AnnotationMirror block = mirror(type, DSL + ".Block");
        if (block == null || erroneous(block)) {
            return Optional.of(List.of(From.INPUT));
        }
        AnnotationValue value = value(block, "inputs");
        List<String> names = new ArrayList<>();
        for (String name : strings(value)) {
            Optional<String> problem = checkInputName(name, names);
            if (problem.isPresent()) {
                return findings.reject(new Problem(Diagnostic.INPUT_NAME, new Site(type, block, value), name, problem.get()));
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            return findings.reject(new Problem(Diagnostic.BLOCK_WITHOUT_INPUTS, new Site(type, block, value), type.getSimpleName()));
        }
        return Optional.of(List.copyOf(names));
    }

    /** What is wrong with an input name, given the names before it, or nothing. */
    static Optional<String> checkInputName(String name, Collection<String> earlier) {
        if (earlier.contains(name)) {
            return Optional.of("is given twice");
        }
        if (!SourceVersion.isIdentifier(name) || SourceVersion.isKeyword(name)) {
            return Optional.of("is not a name a field could have");
        }
        if (RESERVED.containsKey(name) && !name.equals(From.INPUT)) {
            return Optional.of("is reserved: it stands for " + RESERVED.get(name));
        }
        return Optional.empty();
    }

    private Optional<ParamSpec> readParam(TypeElement type, boolean isBlock, VariableElement field, AnnotationMirror param,
            List<AnnotationMirror> ours, List<String> inputs, Findings findings) {
        Site site = Site.of(field, param);
        String name = field.getSimpleName().toString();
        if (!isBlock) {
            return findings.reject(new Problem(Diagnostic.PARAM_OUTSIDE_BLOCK, site, name, type.getSimpleName()));
        }
        if (ours.size() > 1) {
            return findings.reject(new Problem(Diagnostic.PARAM_WITH_STEP, site, name, names(ours.stream().filter(a -> a != param).toList())));
        }
        ParamSpec.Type held = switch (field.asType().getKind()) {
            case INT -> ParamSpec.Type.INT;
            case DOUBLE -> ParamSpec.Type.DOUBLE;
            case BOOLEAN -> ParamSpec.Type.BOOLEAN;
            case DECLARED -> ((TypeElement) ((DeclaredType) field.asType()).asElement()).getQualifiedName().contentEquals("java.lang.String")
                    ? ParamSpec.Type.TEXT : null;
            case ARRAY -> ((javax.lang.model.type.ArrayType) field.asType()).getComponentType().getKind() == TypeKind.INT ? ParamSpec.Type.LIST : null;
            default -> null;
        };
        if (held == null) {
            return findings.reject(new Problem(Diagnostic.PARAM_TYPE, site, name, field.asType()));
        }
        if (RESERVED.containsKey(name) || inputs.contains(name)) {
            return findings.reject(new Problem(Diagnostic.RESERVED_NAME, site, "a @Param", name, standsFor(name, field)));
        }
        Map<String, AnnotationValue> given = explicitValues(param);
        String initializer = sources.initializer(field);
        if (initializer != null) {
            // Java's initializer is no default the DSL reads: an argument would override it silently, its absence say "no default".
            boolean annotated = given.containsKey("value") || given.containsKey("expr");
            String written = held == ParamSpec.Type.INT && initializer.matches("-?\\d+") ? "@Param(" + initializer + ")"
                    : initializer.matches("-?\\d+(\\.\\d*)?([eE]-?\\d+)?|true|false") ? "@Param(expr = \"" + initializer + "\")"
                    : "@Param(expr = \"...\")";
            return findings.reject(new Problem(Diagnostic.PARAM_INITIALIZER, Site.of(field), name, initializer,
                    annotated ? "its default is the one its annotation gives" : "an @Args value replaces it, and without one the block has none",
                    annotated ? "remove the initializer" : "write the default in the annotation, " + written + ", and remove the initializer"));
        }
        AnnotationValue literal = given.get("value");
        AnnotationValue expr = given.get("expr");
        if (literal != null && expr != null) {
            return findings.reject(new Problem(Diagnostic.ATTRIBUTE_TWICE, new Site(field, param, expr), "@Param " + name, "value", "expr"));
        }
        if (literal != null) {
            long value = ((Number) literal.getValue()).longValue();
            if (held == ParamSpec.Type.BOOLEAN || held == ParamSpec.Type.LIST || held == ParamSpec.Type.TEXT) {
                return findings.reject(new Problem(Diagnostic.PARAM_TYPE, new Site(field, param, literal), name,
                        field.asType() + " with a number as its default (write it in expr)"));
            }
            return Optional.of(new ParamSpec(name, new Expr.Literal(held == ParamSpec.Type.DOUBLE ? Value.decimal(value) : Value.of(value)),
                    Long.toString(value), site, held));
        }
        if (expr != null) {
            String text = (String) expr.getValue();
            Site at = new Site(field, param, expr);
            return Expressions.parse(text, at, "@Param " + name, findings).map(parsed -> new ParamSpec(name, parsed, text, at, held));
        }
        return Optional.of(new ParamSpec(name, null, null, site, held));
    }

    private Optional<Step> readStep(VariableElement field, List<AnnotationMirror> ours, boolean indexed, List<String> inputs,
            List<Step> earlier, Findings findings) {
        String name = field.getSimpleName().toString();
        List<AnnotationMirror> kinds = ours.stream().filter(this::isOperation).toList();
        if (kinds.size() > 1) {
            return findings.reject(new Problem(Diagnostic.TWO_OPERATIONS, Site.of(field, kinds.get(1)), name, names(kinds)));
        }
        // "x" would be read as the step's own input in every expression that names it (x.D), never as this field.
        if (name.equals(From.INPUT) || name.equals("x") || inputs.contains(name)) {
            return findings.reject(new Problem(Diagnostic.RESERVED_NAME, Site.of(field), "a field", name, standsFor(name, field)));
        }
        AnnotationMirror from = find(ours, DSL + ".From");
        List<String> sources = List.of();
        Site fromSite = null;
        if (from != null) {
            fromSite = new Site(field, from, value(from, "value"));
            sources = strings(fromSite.value());
            for (String source : sources) {
                if (!checkReference(source, fromSite, inputs, earlier, findings)) {
                    return Optional.empty();
                }
            }
        }
        AnnotationMirror sharedMirror = find(ours, DSL + ".Shared");
        if (sharedMirror != null) {
            return SharedCallReader.read(field, ours, sharedMirror, sources, fromSite, inputs, earlier,
                    rejectedFields.getOrDefault(earlier, java.util.Set.of()), this::isOperation, findings);
        }
        AnnotationMirror layerOf = find(ours, DSL + ".LayerOf");
        Optional<? extends Operation> operation;
        if (layerOf != null && !kinds.isEmpty()) {
            return findings.reject(new Problem(Diagnostic.TWO_OPERATIONS, Site.of(field, kinds.get(0)), name, "@LayerOf, " + names(kinds)));
        }
        if (layerOf != null) {
            if (!isLayerType(field.asType())) {
                return findings.reject(new Problem(Diagnostic.LAYER_FIELD_TYPE, Site.of(field, layerOf), name, "LayerOf", field.asType()));
            }
            for (String misplaced : List.of("Args", "Repeat", "Experts")) {
                AnnotationMirror mirror = find(ours, DSL + "." + misplaced);
                if (mirror != null) {
                    return findings.reject(new Problem(Diagnostic.NOT_A_BLOCK_USE, Site.of(field, mirror), misplaced, name));
                }
            }
            Site site = new Site(field, layerOf, value(layerOf, "value"));
            AnnotationValue inplace = explicitValues(layerOf).get("inplace");
            operation = Optional.of(new Operation.KindOf((String) value(layerOf, "value").getValue(), site, this::kindsAtDefaults,
                    inplace != null && (Boolean) inplace.getValue(), inplace == null ? null : new Site(field, layerOf, inplace), this::notAtDefaults));
        } else {
            operation = kinds.size() == 1
                    ? readOperationStep(field, ours, kinds.get(0), sources, fromSite, inputs, earlier, findings)
                    : readBlockStep(field, ours, indexed, sources, fromSite, findings);
        }
        if (operation.isEmpty()) {
            return Optional.empty();
        }
        AnnotationMirror functional = find(ours, DSL + ".Functional");
        Step.Call call = Step.Call.MODULE;
        Site callSite = functional == null ? null : Site.of(field, functional);
        if (functional != null) {
            if (!(operation.get() instanceof Operation.OpStep op) || !op.kind().module()) {
                String what = operation.get() instanceof Operation.OpStep op ? op.kind().name() + " is a function or operator already"
                        : operation.get() instanceof Operation.KindOf ? "its kind is a @LayerOf parameter's value" : "it applies a block";
                return findings.reject(new Problem(Diagnostic.FUNCTIONAL_NOT_A_LAYER, callSite, name, what));
            }
            Map<String, AnnotationValue> given = explicitValues(functional);
            AnnotationValue method = given.get("method");
            AnnotationValue moduleWeights = given.get("moduleWeights");
            boolean isMethod = method != null && (Boolean) method.getValue();
            if (moduleWeights != null && (Boolean) moduleWeights.getValue()) {
                if (isMethod) {
                    return findings.reject(new Problem(Diagnostic.FUNCTIONAL_MODULE_WEIGHTS, new Site(field, functional, method), name,
                            op.kind().name(), "is called as a tensor method (method = true), which takes no module's weights",
                            "remove method = true: F.linear and F.conv2d are functions of torch.nn.functional"));
                }
                call = Step.Call.MODULE_WEIGHTS;
            } else {
                call = isMethod ? Step.Call.METHOD : Step.Call.FUNCTION;
            }
        }
        String subclass = null;
        AnnotationMirror subclassMirror = find(ours, DSL + ".Subclass");
        if (subclassMirror != null) {
            AnnotationValue written = value(subclassMirror, "value");
            subclass = (String) written.getValue();
            Site subclassSite = new Site(field, subclassMirror, written);
            String why = !PythonNames.isClassName(subclass) || SourceVersion.isKeyword(subclass) ? "names no class"
                    : functional != null ? "is called as a function (@Functional), not as a module"
                    : operation.get() instanceof Operation.OpStep op ? op.kind().module() ? null : op.kind().name() + " is a function or operator, no module"
                    : operation.get() instanceof Operation.KindOf ? "its kind is a @LayerOf parameter's value" : "it applies a block, whose layers are the modules";
            if (why != null) {
                return findings.reject(new Problem(Diagnostic.SUBCLASS, subclassSite, subclass, name, why, why.equals("names no class")
                        ? "write the subclass's name as the PyTorch code writes it, e.g. Conv3DSimple" : "remove @Subclass"));
            }
        }
        AnnotationMirror dtypeMirror = find(ours, DSL + ".Dtype");
        Dtype weights = null;
        Dtype activations = null;
        Site weightsSite = null;
        if (dtypeMirror != null) {
            Map<String, AnnotationValue> given = explicitValues(dtypeMirror);
            if (!(operation.get() instanceof Operation.OpStep op) || op.kind().view()) {
                Site dtypeSite = given.isEmpty() ? Site.of(field, dtypeMirror) : new Site(field, dtypeMirror, given.values().iterator().next());
                return findings.reject(new Problem(Diagnostic.DTYPE_PLACE, dtypeSite, name,
                        operation.get() instanceof Operation.OpStep view ? view.kind().maxInputs() == 0
                                ? "is a tensor the model holds (" + view.kind().name() + "), at the model's dtypes"
                                : "is a view (" + view.kind().name() + "), which computes and stores nothing"
                        : operation.get() instanceof Operation.KindOf ? "is a @LayerOf layer" : "applies a block"));
            }
            if (given.isEmpty()) {
                return findings.reject(new Problem(Diagnostic.DTYPE_EMPTY, Site.of(field, dtypeMirror), name));
            }
            Optional<Dtype> w = dtype(field, dtypeMirror, given.get("weights"), "weights", Dtype::parse, Dtype.NAMES, name, findings);
            Optional<Dtype> a = dtype(field, dtypeMirror, given.get("activations"), "activations", Dtype::parseActivations,
                    Dtype.ACTIVATION_NAMES, name, findings);
            if (w == null || a == null) {
                return Optional.empty();
            }
            weights = w.orElse(null);
            activations = a.orElse(null);
            weightsSite = weights == null ? null : new Site(field, dtypeMirror, given.get("weights"));
        }
        return withWhen(new Step(name, field, operation.get(), sources, fromSite, null, null, null, call, callSite, weights, activations,
                weightsSite, subclass, null, null), ours, findings);
    }

    /** The step under the {@code @When} among {@code ours}, where there is one; empty where its condition does not parse. */
    static Optional<Step> withWhen(Step step, List<AnnotationMirror> ours, Findings findings) {
        AnnotationMirror when = find(ours, DSL + ".When");
        if (when == null) {
            return Optional.of(step);
        }
        Site whenSite = new Site(step.field(), when, value(when, "value"));
        String whenText = (String) whenSite.value().getValue();
        return Expressions.parse(whenText, whenSite, step.name() + " @When", findings).map(condition -> step.when(condition, whenSite, whenText));
    }

    /**
     * One attribute of {@code @Dtype}: empty when it is not given, the dtype when it parses, null
     * (reported) when it names none.
     */
    private static Optional<Dtype> dtype(VariableElement field, AnnotationMirror mirror, AnnotationValue value, String attribute,
            java.util.function.Function<String, Optional<Dtype>> parse, String names, String name, Findings findings) {
        if (value == null) {
            return Optional.empty();
        }
        String written = (String) value.getValue();
        Optional<Dtype> parsed = parse.apply(written);
        if (parsed.isEmpty()) {
            List<String> known = attribute.equals("weights") ? List.of("fp32", "fp16", "bf16", "fp8", "int8", "int4")
                    : List.of("fp32", "fp16", "bf16", "fp8", "int8");
            String pytorchName = Dtype.pytorchName(written);
            findings.report(new Problem(Diagnostic.DTYPE, new Site(field, mirror, value), attribute, written, name,
                    pytorchName.isEmpty() ? Suggestions.didYouMean(written, known) : pytorchName, names));
            return null;
        }
        return parsed;
    }

    /** A field with an operation annotation: its attributes, and as many inputs as the kind takes. */
    private Optional<Operation.OpStep> readOperationStep(VariableElement field, List<AnnotationMirror> ours, AnnotationMirror op,
            List<String> sources, Site fromSite, List<String> inputs, List<Step> earlier, Findings findings) {
        String name = field.getSimpleName().toString();
        OpKind kind = registry.forAnnotation(qualifiedName(op));
        if (kind == null) {
            Optional<OpKind> declaredKind = declared.kindOf(op, findings);
            if (declaredKind.isEmpty()) {
                return Optional.empty();
            }
            kind = declaredKind.get();
        }
        if (!isLayerType(field.asType())) {
            return findings.reject(new Problem(Diagnostic.LAYER_FIELD_TYPE, Site.of(field, op), name, simpleName(op), field.asType()));
        }
        for (String misplaced : List.of("Args", "Repeat", "Experts")) {
            AnnotationMirror mirror = find(ours, DSL + "." + misplaced);
            if (mirror != null) {
                return findings.reject(new Problem(Diagnostic.NOT_A_BLOCK_USE, Site.of(field, mirror), misplaced, name));
            }
        }
        if (kind.inputsAttribute() != null && fromSite != null) {
            return findings.reject(new Problem(Diagnostic.MODIFIER_ON_MERGE, Site.of(field, find(ours, DSL + ".From")), "From", name));
        }
        Optional<Operation.OpStep> operation = operations.read(field, op, kind, findings);
        if (operation.isEmpty()) {
            return operation;
        }
        if (kind.inputsAttribute() != null) {
            Operation.OpStep step = operation.get();
            if (step.inputs().size() < kind.minInputs() || step.inputs().size() > kind.maxInputs()) {
                return findings.reject(new Problem(Diagnostic.ARITY, step.inputsSite(), name, kind.name(), kind.arity(), step.inputs().size()));
            }
            for (String input : step.inputs()) {
                if (!checkReference(input, step.inputsSite(), inputs, earlier, findings)) {
                    return Optional.empty();
                }
            }
            return operation;
        }
        int count = fromSite != null ? sources.size() : kind.maxInputs() == 0 ? 0 : 1;
        if (count < kind.minInputs() || count > kind.maxInputs()) {
            return findings.reject(new Problem(Diagnostic.ARITY, fromSite != null ? fromSite : Site.of(field, op), name, kind.name(), kind.arity(), count));
        }
        return operation;
    }

    /** A field whose type is a block: the use, fed as many inputs as the block declares. */
    private Optional<BlockOp> readBlockStep(VariableElement field, List<AnnotationMirror> ours, boolean indexed, List<String> sources,
            Site fromSite, Findings findings) {
        String name = field.getSimpleName().toString();
        TypeElement blockType = blockType(field.asType());
        if (blockType == null) {
            if (isLayerType(field.asType())) {
                // A class file keeps an annotation whose class javac cannot find, but javac shows the field without it.
                return findings.reject(new Problem(Diagnostic.LAYER_WITHOUT_ANNOTATION, Site.of(field), name,
                        fromClassFile((TypeElement) field.getEnclosingElement()) ? " that this compilation can see: read from a class file, it "
                                + "may carry one whose class is not on the class path (a @LayerKind of another library)" : ""));
            }
            return findings.reject(new Problem(Diagnostic.FIELD_NOT_A_LAYER, Site.of(field), name, field.asType(),
                    blockHint(field.asType(), field.getEnclosingElement())));
        }
        Optional<BlockOp> use = blockUses.read(field, blockType, find(ours, DSL + ".Args"), find(ours, DSL + ".Repeat"),
                find(ours, DSL + ".Experts"), indexed, findings);
        if (use.isPresent()) {
            List<String> declared = use.get().block().inputs();
            int count = fromSite != null ? sources.size() : 1;
            if (count != declared.size()) {
                return findings.reject(new Problem(Diagnostic.ARITY, fromSite != null ? fromSite : Site.of(field), name,
                        "block " + use.get().block().simpleName(), OpKind.inputs(declared.size()) + " (" + String.join(", ", declared) + ")", count));
            }
        }
        return use;
    }

    /**
     * Whether a name read by a step is an input or an earlier field, or a path into an earlier
     * block field ({@code "backbone.4"}: a step inside it, resolved when the block is analysed).
     */
    private boolean checkReference(String name, Site site, List<String> inputs, List<Step> earlier, Findings findings) {
        if (inputs.contains(name) || earlier.stream().anyMatch(step -> step.name().equals(name))) {
            return true;
        }
        // A field refused with its own error, or a path into one ("blocks.1.fc" where a field of the block is refused).
        String field = name.indexOf('.') < 0 ? name : name.substring(0, name.indexOf('.'));
        if (rejectedFields.getOrDefault(earlier, java.util.Set.of()).contains(field)) {
            findings.rejectedElsewhere();
            return false;
        }
        if (isPath(name, earlier)) {
            return true;
        }
        int dot = name.indexOf('.');
        String head = dot < 0 ? null : name.substring(0, dot);
        Optional<List<String>> results = earlier.stream().filter(step -> step.name().equals(head) && step.operation() instanceof Operation.OpStep op
                && !op.kind().results().isEmpty()).map(step -> ((Operation.OpStep) step.operation()).kind().results()).findFirst();
        List<String> known = new ArrayList<>(inputs);
        earlier.forEach(step -> known.add(step.name()));
        if (results.isPresent()) {
            results.get().forEach(result -> known.add(head + "." + result));
        }
        String inPlace = inPlacePath(name, earlier);
        findings.report(new Problem(Diagnostic.UNKNOWN_INPUT, site, site.element().getSimpleName(), name,
                inPlace != null ? inPlace : Suggestions.didYouMean(name, known), "a field declared above this one, or an input: "
                        + String.join(", ", inputs.stream().map(n -> "\"" + n + "\"").toList())));
        return false;
    }

    /**
     * Where {@code name} is a field of a block applied in place among {@code steps} (PyTorch names it without the block), the
     * suggestion to read it by its path here, {@code "body.last"}; else null.
     */
    static String inPlacePath(String name, List<Step> steps) {
        for (Step step : steps) {
            if (step.operation() instanceof Operation.BlockOp block && block.inPlace()
                    && block.block().steps().stream().anyMatch(inner -> inner.name().equals(name))) {
                return "; a field of block " + block.block().simpleName() + ", applied in place as " + step.name() + ", is read by its path here: '"
                        + step.name() + "." + name + "'";
            }
        }
        return null;
    }

    /**
     * Whether {@code name} is a path from one of {@code steps}: a step inside a block field ({@code "backbone.4"}, resolved when the
     * block is analysed), or another result of a layer's call ({@code "lstm.h_n"}).
     */
    static boolean isPath(String name, List<Step> steps) {
        int dot = name.indexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            return false;
        }
        String head = name.substring(0, dot);
        String rest = name.substring(dot + 1);
        return steps.stream().anyMatch(step -> step.name().equals(head) && (step.operation() instanceof Operation.BlockOp
                || step.operation() instanceof Operation.OpStep op && op.kind().results().contains(rest)));
    }

    /** The second half of MC110's fix: make a class of the project a block; anything else can only go. */
    private static String blockHint(TypeMirror type, Element owner) {
        if (type.getKind() == TypeKind.DECLARED) {
            TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
            if (element.equals(owner)) {
                return "remove it: a network cannot contain itself";
            }
            String name = element.getQualifiedName().toString();
            if (!name.startsWith("java.") && !name.startsWith("javax.") && element.getKind() == javax.lang.model.element.ElementKind.CLASS) {
                return "annotate " + element.getSimpleName() + " with @Block if it is a sub-network";
            }
        }
        return "remove it";
    }

    static TypeElement blockType(TypeMirror type) {
        if (type.getKind() != TypeKind.DECLARED) {
            return null;
        }
        TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
        return mirror(element, DSL + ".Block") != null ? element : null;
    }

    static boolean isLayerType(TypeMirror type) {
        return type.getKind() == TypeKind.DECLARED
                && ((TypeElement) ((DeclaredType) type).asElement()).getQualifiedName().contentEquals(LAYER);
    }

    /**
     * Every kind of one input that runs at its annotation's defaults, by name: what {@code @LayerOf}
     * may name. Each kind's defaults are read once; {@link Operation.OpStep#at} sites them on a field.
     */
    private Map<String, Operation.OpStep> kindsAtDefaults() {
        Map<String, Operation.OpStep> byName = new java.util.TreeMap<>();
        Map<String, String> annotations = new java.util.HashMap<>();
        java.util.Set<String> shared = new java.util.HashSet<>();
        for (OpKind kind : knownKinds()) {
            String earlier = annotations.putIfAbsent(kind.name(), kind.annotation());
            if (earlier != null && !earlier.equals(kind.annotation())) {
                shared.add(kind.name());
            }
            if (kind.minInputs() <= 1 && kind.maxInputs() >= 1 && kind.inputsAttribute() == null) {
                atDefaults.computeIfAbsent(kind.annotation(), k -> Optional.ofNullable(OperationReader.defaults(elements, kind, null)))
                        .ifPresent(step -> byName.putIfAbsent(kind.name(), step));
            }
        }
        // A name two declared kinds share names neither: which one @LayerOf ran would depend on the order they were read in.
        byName.keySet().removeAll(shared);
        return java.util.Collections.unmodifiableMap(byName);
    }

    /** The annotations of the kinds named {@code name} where there are several (two {@code @LayerKind}s named alike), else empty. */
    private List<String> sharing(String name) {
        List<String> annotations = knownKinds().stream().filter(kind -> kind.name().equals(name)).map(OpKind::annotation).distinct().toList();
        return annotations.size() > 1 ? annotations : List.of();
    }

    /** Why a kind of that name cannot be a {@code @LayerOf} layer, or null where there is no such kind or it can. */
    private String notAtDefaults(String name) {
        List<String> sharing = sharing(name);
        if (!sharing.isEmpty()) {
            return String.join(" and ", sharing) + " are both named " + name + ", and a name alone cannot say which: give one a name of its "
                    + "own with @LayerKind(name = ...)";
        }
        for (OpKind kind : knownKinds()) {
            if (kind.name().equals(name) && !kindsAtDefaults().containsKey(name)) {
                return kind.maxInputs() == 0 ? name + " takes no input"
                        : kind.inputsAttribute() != null ? name + " merges the inputs it names (" + kind.arity() + ")"
                        : kind.minInputs() > 1 ? name + " takes " + kind.arity()
                        : name + " has attributes without a default, which a name alone cannot give";
            }
        }
        return null;
    }

    /** Whether an annotation writes an operation: a registered kind, or one declared with {@code @LayerKind}. */
    private boolean isOperation(AnnotationMirror mirror) {
        return registry.forAnnotation(qualifiedName(mirror)) != null || DeclaredKinds.declares(mirror);
    }

    /** Learns the kinds declared with {@code @LayerKind} that the fields of a model or block use ({@link DeclaredKinds#learn}). */
    void learnDeclaredKinds(TypeElement type) {
        for (Element member : type.getEnclosedElements()) {
            if (member.getKind() == ElementKind.FIELD) {
                member.getAnnotationMirrors().stream().filter(DeclaredKinds::declares).forEach(declared::learn);
            }
        }
    }

    /** Every operation kind known so far: the registry's, then those declared with {@code @LayerKind} that were read. */
    java.util.Collection<OpKind> knownKinds() {
        List<OpKind> all = new ArrayList<>(registry.kinds());
        all.addAll(declared.declared());
        return all;
    }

    /** The annotations of the DSL and of registered operation kinds on an element. */
    private List<AnnotationMirror> dslAnnotations(Element element) {
        List<AnnotationMirror> ours = new ArrayList<>();
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            String name = qualifiedName(mirror);
            if ((name.startsWith(DSL + ".") && name.indexOf('.', DSL.length() + 1) < 0) || registry.forAnnotation(name) != null
                    || DeclaredKinds.declares(mirror)) {
                ours.add(mirror);
            }
        }
        return ours;
    }
}
