package dev.modelcost.processor;

import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.spec.Mirrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;

/**
 * Finds DSL annotations where nothing reads them: on fields of classes that are neither models nor blocks, @Budget (repeated or not), @Roofline or
 * @Training off a model, and @FastPath off a model or block.
 */
final class Placement {
    private static final Set<String> CONTAINERS = Set.of("Model", "Block", "Budget", "Budgets", "Roofline", "Training", "FastPath");

    private Placement() {}

    static List<Problem> check(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        List<Problem> problems = new ArrayList<>();
        java.util.Map<String, TypeElement> outside = new java.util.TreeMap<>();
        // In name order, so that the messages come in the same order in every compilation.
        List<? extends TypeElement> byName = annotations.stream().sorted(java.util.Comparator.comparing(a -> a.getQualifiedName().toString())).toList();
        for (TypeElement annotation : byName) {
            String name = annotation.getQualifiedName().toString();
            if (name.equals(Mirrors.DSL + ".Budget") || name.equals(Mirrors.DSL + ".Budgets") || name.equals(Mirrors.DSL + ".Roofline")
                    || name.equals(Mirrors.DSL + ".Training")) {
                Diagnostic off = name.endsWith("Budget") || name.endsWith("Budgets") ? Diagnostic.BUDGET_WITHOUT_MODEL
                        : name.endsWith("Roofline") ? Diagnostic.ROOFLINE_WITHOUT_MODEL : Diagnostic.TRAINING_WITHOUT_MODEL;
                for (Element element : round.getElementsAnnotatedWith(annotation)) {
                    if (Mirrors.mirror(element, Mirrors.DSL + ".Model") == null
                            && !(name.endsWith("Budgets") && Mirrors.mirror(element, Mirrors.DSL + ".Budget") != null)) {
                        // a repeated @Budget: on the first one written, not on the container javac made of them (one written alone
                        // beside the container is told already, once)
                        List<javax.lang.model.element.AnnotationMirror> budgets = Mirrors.budgets(element);
                        javax.lang.model.element.AnnotationMirror on = name.endsWith("Budgets") && !budgets.isEmpty() ? budgets.get(0)
                                : Mirrors.mirror(element, name);
                        problems.add(new Problem(off, Site.of(element, on), element.getSimpleName()));
                    }
                }
                continue;
            }
            if (name.equals(Mirrors.DSL + ".FastPath")) {
                for (Element element : round.getElementsAnnotatedWith(annotation)) {
                    if (Mirrors.mirror(element, Mirrors.DSL + ".Model") == null && Mirrors.mirror(element, Mirrors.DSL + ".Block") == null) {
                        problems.add(new Problem(Diagnostic.FAST_PATH_WITHOUT_NETWORK, Site.of(element, Mirrors.mirror(element, name)),
                                element.getSimpleName()));
                    }
                }
                continue;
            }
            if (!name.startsWith(Mirrors.DSL + ".") || CONTAINERS.contains(annotation.getSimpleName().toString())) {
                continue;
            }
            for (Element element : round.getElementsAnnotatedWith(annotation)) {
                Element owner = element.getEnclosingElement();
                if (element.getKind() == ElementKind.FIELD && owner instanceof TypeElement
                        && Mirrors.mirror(owner, Mirrors.DSL + ".Model") == null && Mirrors.mirror(owner, Mirrors.DSL + ".Block") == null) {
                    outside.putIfAbsent(((TypeElement) owner).getQualifiedName().toString(), (TypeElement) owner);
                }
            }
        }
        // One error a class: its first annotated field's first annotation says what is missing, for every field of it.
        for (TypeElement owner : outside.values()) {
            firstAnnotated(owner).ifPresent(problems::add);
        }
        return problems;
    }

    /** MC111 on the first field of {@code owner}, in source order, that carries an annotation of the DSL, on that annotation. */
    private static java.util.Optional<Problem> firstAnnotated(TypeElement owner) {
        for (Element field : owner.getEnclosedElements()) {
            if (field.getKind() != ElementKind.FIELD) {
                continue;
            }
            for (var mirror : field.getAnnotationMirrors()) {
                TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
                String name = type.getQualifiedName().toString();
                if (name.startsWith(Mirrors.DSL + ".") && !CONTAINERS.contains(type.getSimpleName().toString())) {
                    return java.util.Optional.of(new Problem(Diagnostic.OUTSIDE_MODEL, Site.of(field, mirror), type.getSimpleName(),
                            field.getSimpleName(), owner.getSimpleName()));
                }
            }
        }
        return java.util.Optional.empty();
    }
}
