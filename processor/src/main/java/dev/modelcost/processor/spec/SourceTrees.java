package dev.modelcost.processor.spec;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
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
    /** Javac's trees, or null where the compiler is another. */
    private final Trees trees;

    private SourceTrees(Trees trees) {
        this.trees = trees;
    }

    /** The trees javac can show for {@code environment}, or none where it is not javac's. */
    static SourceTrees of(ProcessingEnvironment environment) {
        try {
            return new SourceTrees(Trees.instance(environment));
        } catch (IllegalArgumentException | LinkageError notJavac) {
            return new SourceTrees(null);
        }
    }

    /**
     * The non-static imports of the file that declares {@code type}, each as written ({@code acme.Sizes},
     * {@code acme.*}), in order; null where they cannot be seen.
     */
    List<String> imports(TypeElement type) {
        TreePath path = pathOf(type);
        if (path == null) {
            return null;
        }
        List<String> imports = new ArrayList<>();
        for (ImportTree declaration : path.getCompilationUnit().getImports()) {
            if (!declaration.isStatic()) {
                imports.add(declaration.getQualifiedIdentifier().toString());
            }
        }
        return imports;
    }

    /**
     * Whether javac rejects an annotation of this field in source itself, and reports it after the
     * processor has run: a type it cannot find ({@code @Conv2dd}) or an attribute the type lacks
     * ({@code @Conv2d(cot = 64)}), which the element shows without the annotation or the attribute.
     * The written annotations are matched to the element's by their types' names as written, from the
     * trees alone: resolving names through the trees here would attribute them early.
     */
    boolean rejectsAnnotation(Element field) {
        TreePath path = pathOf(field);
        if (path == null || !(path.getLeaf() instanceof VariableTree variable)) {
            return false;
        }
        // a type-use annotation (Checker Framework's @NonNull) is on the field's type, not on the field
        List<AnnotationMirror> candidates = new ArrayList<>(field.getAnnotationMirrors());
        candidates.addAll(field.asType().getAnnotationMirrors());
        for (AnnotationTree annotation : variable.getModifiers().getAnnotations()) {
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
