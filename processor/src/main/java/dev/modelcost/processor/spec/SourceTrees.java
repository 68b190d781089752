package dev.modelcost.processor.spec;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.ElementFilter;

/**
 * What javac's tree API shows a processor of a class's source: its file's type imports, and the
 * annotations javac itself rejects. Nothing under another compiler (Eclipse's), where javac's
 * environment is wrapped by a build tool, or for a class read from a class file.
 */
final class SourceTrees {
    /** The record of a class's imports beside its class files: {@code META-INF/modelcost/imports/com.acme.Net.imports}. */
    static final String FOLDER = "META-INF/modelcost/imports/";

    /** Javac's trees, or null where the compiler is another. */
    private final Trees trees;
    private final javax.annotation.processing.Filer filer;
    /** The classes whose imports are recorded in this compilation. */
    private final Set<String> recorded = new HashSet<>();

    private SourceTrees(Trees trees, javax.annotation.processing.Filer filer) {
        this.trees = trees;
        this.filer = filer;
    }

    /** The trees javac can show for {@code environment}, or none where it is not javac's. */
    static SourceTrees of(ProcessingEnvironment environment) {
        try {
            return new SourceTrees(Trees.instance(environment), environment.getFiler());
        } catch (IllegalArgumentException | LinkageError notJavac) {
            return new SourceTrees(null, environment.getFiler());
        }
    }

    /**
     * The file a type compiled from source in this compilation is read from, or null where it is not (or the compiler is not
     * javac).
     */
    javax.tools.JavaFileObject fileOf(TypeElement type) {
        TreePath path = pathOf(type);
        return path == null ? null : path.getCompilationUnit().getSourceFile();
    }

    /**
     * Records beside the class files the imports of a top-level class compiled from source, where any names a class outside
     * the JDK and the DSL, so that a later compilation that reads the class from its class file finds its expressions' classes as
     * this one does (a block recompiled alone analyses its models again; a library's block is read by its users).
     */
    void record(TypeElement type) throws java.io.IOException {
        TypeElement outer = Mirrors.outermost(type);
        String name = outer.getQualifiedName().toString();
        TreePath path = pathOf(outer);
        if (path == null || !recorded.add(name)) {
            return;
        }
        List<String> imports = imported(path);
        if (imports.stream().allMatch(declaration -> declaration.startsWith("java.") || declaration.startsWith("javax.")
                || declaration.startsWith(Mirrors.DSL + "."))) {
            return;
        }
        javax.tools.FileObject resource = filer.createResource(javax.tools.StandardLocation.CLASS_OUTPUT, "", FOLDER + name + ".imports", outer);
        try (java.io.OutputStream out = resource.openOutputStream()) {
            out.write(String.join("\n", imports).concat("\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /**
     * The imports of the file that declares {@code type}, static ones included, each as written ({@code acme.Sizes},
     * {@code acme.*}), in order: from its source, else as an earlier compilation recorded them; null where neither shows them.
     */
    List<String> imports(TypeElement type) {
        TreePath path = pathOf(type);
        return path != null ? imported(path) : recordedImports(Mirrors.outermost(type));
    }

    /**
     * The static imports of the file that declares {@code type}, each as written ({@code acme.Sizes.WIDTH}, {@code acme.Sizes.*}),
     * in order, from its source; empty where javac shows no source (an earlier compilation's record does not tell them apart).
     */
    List<String> staticImports(TypeElement type) {
        TreePath path = pathOf(type);
        return path == null ? List.of() : path.getCompilationUnit().getImports().stream().filter(ImportTree::isStatic)
                .map(declaration -> declaration.getQualifiedIdentifier().toString()).toList();
    }

    private static List<String> imported(TreePath path) {
        List<String> imports = new ArrayList<>();
        // A static import names a member class as a type import does (import static a.Holder.Widths); one of a field names no class.
        for (ImportTree declaration : path.getCompilationUnit().getImports()) {
            imports.add(declaration.getQualifiedIdentifier().toString());
        }
        return imports;
    }

    /** The imports an earlier compilation recorded for a class read from its class file ({@link #record}), or null. */
    private List<String> recordedImports(TypeElement outermost) {
        byte[] bytes = JarResources.recorded(filer, outermost, FOLDER + outermost.getQualifiedName() + ".imports");
        return bytes == null ? null
                : new String(bytes, java.nio.charset.StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).toList();
    }

    /**
     * The initializer a field is written with ({@code = 5}), as written, or null where it has none: from its source, else its
     * constant value where it is a constant (a class file, another compiler, which show no other initializer).
     */
    String initializer(javax.lang.model.element.VariableElement field) {
        TreePath path = pathOf(field);
        if (path != null && path.getLeaf() instanceof VariableTree variable) {
            return variable.getInitializer() == null ? null : variable.getInitializer().toString();
        }
        Object constant = field.getConstantValue();
        return constant instanceof String text ? "\"" + text + "\"" : constant == null ? null : constant.toString();
    }

    /**
     * Whether javac rejects an annotation of this field or class in source itself, and reports it after the
     * processor has run: a type it cannot find ({@code @Conv2dd}, a {@code @Budget} not imported) or an attribute
     * the type lacks ({@code @Conv2d(cot = 64)}), which the element shows without the annotation or the attribute.
     * The written annotations are matched to the element's by their types' names as written, from the
     * trees alone: resolving names through the trees here would attribute them early.
     */
    boolean rejectsAnnotation(Element field) {
        TreePath path = pathOf(field);
        ModifiersTree modifiers = path == null ? null : path.getLeaf() instanceof VariableTree variable ? variable.getModifiers()
                : path.getLeaf() instanceof ClassTree type ? type.getModifiers() : null;
        if (modifiers == null) {
            return false;
        }
        // a type-use annotation (Checker Framework's @NonNull) is on the field's type, not on the field
        List<AnnotationMirror> candidates = new ArrayList<>(field.getAnnotationMirrors());
        if (field.getKind() == ElementKind.FIELD) {
            candidates.addAll(field.asType().getAnnotationMirrors());
        }
        for (AnnotationTree annotation : modifiers.getAnnotations()) {
            String written = annotation.getAnnotationType().toString();
            List<String> names = new ArrayList<>();
            for (ExpressionTree argument : annotation.getArguments()) {
                if (argument instanceof AssignmentTree assignment && assignment.getVariable() instanceof IdentifierTree name) {
                    names.add(name.getName().toString());
                }
            }
            // Rejected only where no annotation of the field answers to the name as written and has every attribute given.
            boolean named = false;
            boolean fits = false;
            for (AnnotationMirror candidate : candidates) {
                if (candidate.getAnnotationType().getKind() == TypeKind.ERROR || !answersTo(candidate, written)) {
                    continue;
                }
                named = true;
                Set<String> attributes = new HashSet<>();
                ElementFilter.methodsIn(candidate.getAnnotationType().asElement().getEnclosedElements())
                        .forEach(method -> attributes.add(method.getSimpleName().toString()));
                fits |= attributes.containsAll(names);
            }
            if (named ? !fits : candidates.stream().noneMatch(SourceTrees::container)) {
                // no such annotation (javac could not resolve its type), unless repetitions sit in a container; or no such attribute
                return true;
            }
        }
        return false;
    }

    /** The path to an element's declaration in this compilation's sources; null for another compiler or a class from a class file. */
    private TreePath pathOf(Element element) {
        if (trees == null) {
            return null;
        }
        try {
            return trees.getPath(element);
        } catch (IllegalArgumentException notFromThisCompilation) {
            return null;
        }
    }

    /** Whether an annotation's type is the one written, by its simple or its qualified name ({@code Linear}, {@code dev.modelcost.Linear}). */
    private static boolean answersTo(AnnotationMirror mirror, String written) {
        TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
        return written.contains(".") ? type.getQualifiedName().contentEquals(written) || type.getQualifiedName().toString().endsWith("." + written)
                : type.getSimpleName().contentEquals(written);
    }

    /** Whether an annotation holds repetitions of another ({@code value()} an array of annotations). */
    private static boolean container(AnnotationMirror mirror) {
        return ElementFilter.methodsIn(mirror.getAnnotationType().asElement().getEnclosedElements()).stream()
                .anyMatch(method -> method.getSimpleName().contentEquals("value") && method.getReturnType() instanceof ArrayType array
                        && array.getComponentType().getKind() == TypeKind.DECLARED
                        && ((DeclaredType) array.getComponentType()).asElement().getKind() == ElementKind.ANNOTATION_TYPE);
    }
}
