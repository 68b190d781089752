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

    /**
     * A reporter that prints through the given messager; {@code locatesRecords} is false for a
     * compiler (the Eclipse compiler) that prints a message on a record, or on an annotation of
     * one, without file or line: such a message goes on the record's first field instead, which it
     * does place. {@code suppressed} gives the values of an element's {@code @SuppressWarnings}
     * that speak to modelcost, of a class read from its class file as recorded beside it.
     */
    public Reporter(Messager messager, boolean locatesRecords, java.util.function.Function<Element, java.util.Set<String>> suppressed) {
        this.messager = messager;
        this.locatesRecords = locatesRecords;
        this.suppressed = suppressed;
    }

    /** Reports a problem at its site, and at each other site it has. */
    public void report(Problem problem) {
        print(problem, problem.site());
        problem.also().forEach(other -> print(problem, other));
    }

    private void print(Problem problem, Site site) {
        if (problem.diagnostic().suppressedAt(site.element(), suppressed) || !printed.add(new Printed(site.element(), problem.getMessage()))) {
            return;
        }
        if (!locatesRecords && site.element().getKind() == ElementKind.RECORD) {
            Element field = site.element().getEnclosedElements().stream().filter(e -> e.getKind() == ElementKind.FIELD)
                    .map(Element.class::cast).findFirst().orElse(site.element());
            messager.printMessage(problem.diagnostic().kind(), problem.getMessage(), field);
            return;
        }
        messager.printMessage(problem.diagnostic().kind(), problem.getMessage(), site.element(), site.mirror(), site.value());
    }

    /** Prints a plain note, for summaries and debugging output. */
    public void note(String text, Element element) {
        messager.printMessage(javax.tools.Diagnostic.Kind.NOTE, text, element);
    }

    /** A message printed on an element; elements compare by identity, so equal names in two classes differ. */
    private record Printed(Element element, String message) {}
}
