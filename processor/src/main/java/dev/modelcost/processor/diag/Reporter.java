package dev.modelcost.processor.diag;

import java.util.HashSet;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;

/** Prints problems through the {@link Messager}, each distinct one once. */
public final class Reporter {
    private final Messager messager;
    private final boolean locatesRecords;
    /** The values of an element's {@code @SuppressWarnings} that speak to modelcost ({@link Diagnostic#suppressedAt}). */
    private final java.util.function.Function<Element, java.util.Set<String>> suppressed;
    private final Set<Printed> printed = new HashSet<>();
    /** Places problems on repeated annotations, where the compiler gives its source trees. */
    private final java.util.Optional<RepeatedAnnotations> repeated;

    private Reporter(Messager messager, boolean locatesRecords, java.util.function.Function<Element, java.util.Set<String>> suppressed,
            java.util.Optional<RepeatedAnnotations> repeated) {
        this.messager = messager;
        this.locatesRecords = locatesRecords;
        this.suppressed = suppressed;
        this.repeated = repeated;
    }

    /**
     * A reporter that prints through the compilation's messager; {@code locatesRecords} is false for a
     * compiler (the Eclipse compiler) that prints a message on a record, or on an annotation of
     * one, without file or line: such a message goes on the record's first field instead, which it
     * does place. {@code suppressed} gives the values of an element's {@code @SuppressWarnings}
     * that speak to modelcost, of a class read from its class file as recorded beside it. A problem
     * on an annotation that is repeated ({@code @Budget} twice), or on one of its values, is placed
     * there where the compiler gives its source trees.
     */
    public static Reporter of(javax.annotation.processing.ProcessingEnvironment environment, boolean locatesRecords,
            java.util.function.Function<Element, java.util.Set<String>> suppressed) {
        return new Reporter(environment.getMessager(), locatesRecords, suppressed, RepeatedAnnotations.of(environment));
    }

    /** Reports a problem at its site, and at each other site it has. */
    public void report(Problem problem) {
        print(problem, problem.site());
        problem.also().forEach(other -> print(problem, other));
    }

    private void print(Problem problem, Site site) {
        if (problem.diagnostic().suppressedAt(site.element(), suppressed) || !printed.add(new Printed(site.element(), site.mirror(), problem.getMessage()))) {
            return;
        }
        if (!locatesRecords && site.element().getKind() == ElementKind.RECORD) {
            Element field = site.element().getEnclosedElements().stream().filter(e -> e.getKind() == ElementKind.FIELD)
                    .map(Element.class::cast).findFirst().orElse(site.element());
            messager.printMessage(problem.diagnostic().kind(), problem.getMessage(), field);
            return;
        }
        if (repeated.isPresent() && repeated.get().print(problem.diagnostic().kind(), problem.getMessage(), site.element(), site.mirror(), site.value())) {
            return;
        }
        messager.printMessage(problem.diagnostic().kind(), problem.getMessage(), site.element(), site.mirror(), site.value());
    }

    /** Prints a plain note, for summaries and debugging output. */
    public void note(String text, Element element) {
        messager.printMessage(javax.tools.Diagnostic.Kind.NOTE, text, element);
    }

    /**
     * A message printed on an element, and on which of its annotations (the same problem on two repeated {@code @Budget}s is printed
     * on each); elements and annotations compare by identity, so equal names in two classes differ.
     */
    private record Printed(Element element, javax.lang.model.element.AnnotationMirror mirror, String message) {}
}
