package dev.modelcost.processor.diag;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.tools.Diagnostic.Kind;

/**
 * Prints a message on an annotation that is repeated ({@code @Budget} written twice), or on one of its values, in javac's source
 * trees: javac keeps a repeated annotation inside the container it synthesizes, whose {@code Messager} finds the container alone, and
 * so prints on the class. Elsewhere (another compiler, a class read from its class file) it prints nothing, and says so.
 */
final class RepeatedAnnotations {
    private final Trees trees;

    private RepeatedAnnotations(Trees trees) {
        this.trees = trees;
    }

    /** The printer of a javac compilation; empty under another compiler, which has no source trees to give. */
    static Optional<RepeatedAnnotations> of(ProcessingEnvironment environment) {
        try {
            return Optional.of(new RepeatedAnnotations(Trees.instance(environment)));
        } catch (IllegalArgumentException | LinkageError notJavac) {
            return Optional.empty();
        }
    }

    /**
     * Prints {@code message} on the annotation {@code mirror} of a class, or on its value {@code value}, where {@code mirror} is one
     * of several of its type that a container holds; false where it is not (a plain annotation, which the {@code Messager} finds)
     * or its tree cannot be found.
     */
    boolean print(Kind kind, String message, Element element, AnnotationMirror mirror, AnnotationValue value) {
        if (mirror == null || element.getAnnotationMirrors().stream().anyMatch(direct -> direct == mirror)) {
            return false;
        }
        AnnotationMirror container = containerOf(element, mirror);
        int index = container == null ? -1 : indexIn(container, mirror);
        Element containerType = container == null ? null : container.getAnnotationType().asElement();
        TreePath path = index < 0 ? null : trees.getPath(element);
        if (path == null || !(path.getLeaf() instanceof ClassTree declaration)) {
            return false;
        }
        // The index-th annotation tree of the repeated annotation's type, in the order written: the container holds them so. Where the
        // container itself is written out (beside one written alone, as Java allows), the Messager finds it and the value inside.
        Element type = mirror.getAnnotationType().asElement();
        TreePath modifiers = new TreePath(path, declaration.getModifiers());
        List<AnnotationTree> ofType = new java.util.ArrayList<>();
        for (AnnotationTree annotation : declaration.getModifiers().getAnnotations()) {
            Element written = trees.getElement(new TreePath(modifiers, annotation));
            if (written != null && written.equals(containerType)) {
                return false;
            }
            if (written != null && written.equals(type)) {
                ofType.add(annotation);
            }
        }
        int seen = 0;
        for (AnnotationTree annotation : ofType) {
            if (seen++ != index) {
                continue;
            }
            Tree at = value == null ? annotation : valueTree(annotation, attribute(mirror, value)).orElse(annotation);
            trees.printMessage(kind, message, at, path.getCompilationUnit());
            return true;
        }
        return false;
    }

    /** The container annotation on {@code element} that holds {@code mirror}, or null. */
    private static AnnotationMirror containerOf(Element element, AnnotationMirror mirror) {
        for (AnnotationMirror container : element.getAnnotationMirrors()) {
            if (indexIn(container, mirror) >= 0) {
                return container;
            }
        }
        return null;
    }

    /** Where {@code mirror} stands among the values of {@code container}'s {@code value}; -1 where not among them. */
    private static int indexIn(AnnotationMirror container, AnnotationMirror mirror) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry : container.getElementValues().entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals("value") && entry.getValue().getValue() instanceof List<?> values) {
                for (int i = 0; i < values.size(); i++) {
                    if (values.get(i) instanceof AnnotationValue item && item.getValue() == mirror) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    /** The attribute of {@code mirror} whose value is {@code value}, or null. */
    private static String attribute(AnnotationMirror mirror, AnnotationValue value) {
        return mirror.getElementValues().entrySet().stream().filter(entry -> entry.getValue() == value)
                .map(entry -> entry.getKey().getSimpleName().toString()).findFirst().orElse(null);
    }

    /** The expression written for {@code attribute} in {@code annotation} ({@code value} where written without a name). */
    private static Optional<ExpressionTree> valueTree(AnnotationTree annotation, String attribute) {
        for (ExpressionTree argument : annotation.getArguments()) {
            if (argument instanceof AssignmentTree assignment && assignment.getVariable() instanceof IdentifierTree name
                    && name.getName().contentEquals(String.valueOf(attribute))) {
                return Optional.of(assignment.getExpression());
            }
            if (!(argument instanceof AssignmentTree) && "value".equals(attribute)) {
                return Optional.of(argument);
            }
        }
        return Optional.empty();
    }
}
