package dev.modelcost.processor.spec;

import static dev.modelcost.processor.spec.Mirrors.DSL;
import static dev.modelcost.processor.spec.Mirrors.describe;
import static dev.modelcost.processor.spec.Mirrors.mirror;

import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.layers.OpRegistry;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;

/**
 * Reads annotated classes into {@link ModelSpec} and {@link NetworkSpec}, checking everything that
 * does not depend on shapes: the entry point of the {@code spec} stage. The work is split by job —
 * {@link ModelReader} (the model's annotations), {@link NetworkReader} (fields into steps),
 * {@link OperationReader} (an operation's attributes), {@link BlockUseReader} (a block use and its
 * repetition), {@link Expressions} and {@link Mirrors} — and every reader reports through
 * {@link Findings}, returning an empty result for what it rejects. Blocks are read once and shared;
 * a block that failed stays failed.
 */
public final class SpecReader {
    private final FieldOrder fieldOrder;
    private final NetworkReader networks;
    private final SourceTrees sources;
    private final Suppressions suppressions;
    private final ModelReader models;
    private final Map<String, Optional<NetworkSpec>> blocks = new HashMap<>();
    private final Set<String> reading = new LinkedHashSet<>();

    /** A reader over the compilation's elements that knows the operation kinds of {@code registry}; {@code generator} is the processor's class name. */
    public SpecReader(ProcessingEnvironment environment, OpRegistry registry, String generator) {
        this.fieldOrder = new FieldOrder(environment);
        this.sources = SourceTrees.of(environment);
        this.suppressions = new Suppressions(environment.getFiler(), this::fromSource);
        this.networks = new NetworkReader(registry, fieldOrder, environment.getElementUtils(), sources);
        this.networks.readBlockUsesWith(new BlockUseReader(fieldOrder, this::readBlock, reading, this::fromSource));
        this.models = new ModelReader(environment.getElementUtils(), fieldOrder, networks, generator);
    }

    /** Notes a round's root elements (and the types nested in them) as compiled from source in this compilation. */
    public void addSources(Set<? extends Element> roots) {
        fieldOrder.addSources(roots);
    }

    /** Records the declaration order of a source block's fields beside its class, for compilers that lose it in class files. */
    public void recordFieldOrder(TypeElement block) throws IOException {
        fieldOrder.record(block);
    }

    /** Records the imports of a model's or block's file beside its class files, where its expressions may need them ({@link SourceTrees#record}). */
    public void recordImports(TypeElement type) throws IOException {
        sources.record(type);
    }

    /** Records the {@code @SuppressWarnings} of a model's or block's file beside its class files ({@link Suppressions}). */
    public void recordSuppressions(TypeElement type) throws IOException {
        suppressions.record(type);
    }

    /**
     * The values of an element's {@code @SuppressWarnings} that speak to modelcost ({@code "MC130"}, {@code "modelcost"},
     * {@code "all"}), from its source, or as the compilation of a class read from its class file recorded them.
     */
    public Set<String> suppressed(Element element) {
        return suppressions.of(element);
    }

    /** Learns the kinds declared with {@code @LayerKind} that a model's fields use, before any model is analysed. */
    public void learnDeclaredKinds(TypeElement model) {
        networks.learnDeclaredKinds(model);
    }

    /** Every operation kind known so far: the registry's, and those declared with {@code @LayerKind} that models used. */
    public java.util.Collection<dev.modelcost.processor.layers.OpKind> kinds() {
        return networks.knownKinds();
    }

    /** Reads a {@code @Model} class; problems found go to {@code problems} and give an empty result. */
    public Optional<ModelSpec> readModel(TypeElement type, List<Problem> problems) {
        return models.read(type, Findings.into(problems));
    }

    /** Reads a {@code @Block} class (once; later calls return the same result and report nothing). */
    public Optional<NetworkSpec> readBlock(TypeElement type, List<Problem> problems) {
        return readBlock(type, Findings.into(problems));
    }

    private Optional<NetworkSpec> readBlock(TypeElement type, Findings user) {
        String name = type.getQualifiedName().toString();
        Optional<NetworkSpec> known = blocks.get(name);
        if (known != null) {
            return known;
        }
        // The block's own findings: its problems are reported once, where it is first read.
        Findings findings = user.part();
        Optional<NetworkSpec> block;
        if (type.getKind() != ElementKind.CLASS) {
            block = findings.reject(new Problem(Diagnostic.MODEL_NOT_A_CLASS, Site.of(type, mirror(type, DSL + ".Block")), "Block",
                    type.getSimpleName(), describe(type.getKind())));
        } else {
            reading.add(name);
            try {
                // Its unread outputs are found with the model that applies it, which may read its steps by their paths.
                block = networks.readBlockInputs(type, findings).flatMap(inputs -> networks.read(type, inputs, findings));
            } finally {
                reading.remove(name);
            }
        }
        blocks.put(name, block);
        return block;
    }

    /** Whether the compilation runs under the Eclipse compiler (ECJ), which loses field order in class files and places no message on a record. */
    public static boolean isEclipse(ProcessingEnvironment environment) {
        return FieldOrder.sortsClassFileFields(environment);
    }

    /** Constants every Cost class has, by which an earlier build's output is told from another class of its name. */
    public static final List<String> COST_CLASS_CONSTANTS = List.of("INPUT_SHAPE", "OUTPUT_SHAPE", "MACS", "PARAMS");

    /**
     * Whether a type compiled from source here is a Cost class this processor generated in an earlier build (Maven passes the file
     * back to javac after a build that failed): it is marked {@code @Generated} by {@code generator}, the processor's class name, and
     * has the {@link #COST_CLASS_CONSTANTS}. A class in a module that does not read {@code java.compiler} has no such mark.
     */
    static boolean isEarlierCostClass(TypeElement type, String generator) {
        if (type == null) {
            return false;
        }
        javax.lang.model.element.AnnotationMirror generated = mirror(type, "javax.annotation.processing.Generated");
        javax.lang.model.element.AnnotationValue value = generated == null ? null : Mirrors.value(generated, "value");
        boolean marked = value != null && value.getValue() instanceof List<?> names && names.size() == 1
                && names.get(0) instanceof javax.lang.model.element.AnnotationValue name && generator.equals(name.getValue());
        return marked && javax.lang.model.util.ElementFilter.fieldsIn(type.getEnclosedElements()).stream()
                .map(field -> field.getSimpleName().toString()).collect(java.util.stream.Collectors.toSet()).containsAll(COST_CLASS_CONSTANTS);
    }

    /** The file a type compiled from source in this compilation is read from, or null where it is not, or the compiler is not javac. */
    public javax.tools.JavaFileObject sourceFileOf(TypeElement type) {
        return sources.fileOf(type);
    }

    /** Whether a type of this qualified name is compiled from source in this compilation (a file javac was given or one generated). */
    public boolean isSourceType(String qualifiedName) {
        return fieldOrder.isSource(qualifiedName);
    }

    /** Whether the declaration order of a type's fields is known (always under javac; from source or a record under ECJ). */
    public boolean knowsFieldOrder(TypeElement type) {
        return fieldOrder.unknown(type) == null;
    }

    /** Whether an element belongs to a type compiled from source in this compilation (not read from a class file). */
    public boolean fromSource(Element element) {
        Element e = element;
        while (e != null && !(e.getEnclosingElement() instanceof javax.lang.model.element.PackageElement)) {
            e = e.getEnclosingElement();
        }
        return e instanceof TypeElement type && fieldOrder.isSource(type.getQualifiedName().toString());
    }

    /** The simple name of the generated class: {@code LeNet5Cost}, or {@code Outer_InnerCost} for a nested model. */
    public static String costClassName(TypeElement type) {
        return ModelReader.costClassName(type);
    }

    /** The package name of a type, empty for the unnamed package. */
    public String packageOf(TypeElement type) {
        return models.packageOf(type);
    }
}
