package dev.modelcost.processor.diag;

import java.util.HashSet;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;

/** Prints problems through the {@link Messager}, each distinct one once. */
public final class Reporter {
    private final Messager messager;
    private final Set<Printed> printed = new HashSet<>();

    /** A reporter that prints through the given messager. */
    public Reporter(Messager messager) {
        this.messager = messager;
    }

    /** Reports a problem at its site. */
    public void report(Problem problem) {
        Site site = problem.site();
        if (!printed.add(new Printed(site.element(), problem.getMessage()))) {
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
