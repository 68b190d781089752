package dev.modelcost.processor.spec;

import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the inputs of a network that no step reads (MC141), and the steps of a network whose output nothing reads: no later step takes it (by name, or as
 * the step before), no expression reads its axes, and it is not the network's output. Such a step
 * still costs, so its mistake — a squeeze-and-excitation gate skipped by naming the wrong input —
 * changes no figure; the warning is the only sign of it. A field whose output is meant to go unread
 * (a router whose weights steer experts without a tensor edge in the spec) says so with
 * {@code @SuppressWarnings("MC130")}.
 */
final class UnreadOutputs {
    private UnreadOutputs() {}

    /** Warns of each unread step of {@code network}, whose output is {@code output} (null: its last step). */
    static void check(NetworkSpec network, String output, Findings findings) {
        List<Step> steps = network.steps();
        Set<String> read = new HashSet<>();
        List<String> expressions = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            step.from().forEach(name -> read.add(head(name)));
            boolean implicit = step.from().isEmpty();
            if (step.operation() instanceof Operation.OpStep op) {
                op.inputs().forEach(name -> read.add(head(name)));
                implicit &= op.inputs().isEmpty() && op.kind().maxInputs() > 0;
            }
            if (implicit && i > 0) {
                read.add(steps.get(i - 1).name());
            }
            expressions.addAll(step.expressionTexts());
        }
        // The inputs: the first is read by a first step that reads the step before it.
        Step first = steps.get(0);
        boolean firstImplicit = first.from().isEmpty()
                && !(first.operation() instanceof Operation.OpStep op && (!op.inputs().isEmpty() || op.kind().maxInputs() == 0));
        for (int k = 0; k < network.inputs().size(); k++) {
            String input = network.inputs().get(k);
            if (read.contains(input) || k == 0 && firstImplicit || mentioned(input, expressions) || input.equals(output) || suppressed(network)) {
                continue;
            }
            findings.warn(new Problem(Diagnostic.UNREAD_INPUT, Site.of(network.element()), network.simpleName(), input));
        }
        String last = output != null ? head(output) : steps.get(steps.size() - 1).name();
        for (Step step : steps) {
            String name = step.name();
            if (name.equals(last) || step == steps.get(steps.size() - 1) || read.contains(name) || mentioned(name, expressions)
                    || suppressed(step)) {
                continue;
            }
            findings.warn(new Problem(Diagnostic.UNREAD_OUTPUT, Site.of(step.field()), network.simpleName(), name));
        }
    }

    /** Whether the field says the warning is meant: {@code @SuppressWarnings("MC130")} (or {@code "modelcost"}). */
    private static boolean suppressed(Step step) {
        SuppressWarnings suppress = step.field().getAnnotation(SuppressWarnings.class);
        return suppress != null && java.util.Arrays.stream(suppress.value()).anyMatch(v -> v.equals(Diagnostic.UNREAD_OUTPUT.tag()) || v.equals("modelcost"));
    }

    /** Whether the class says an unread input is meant: {@code @SuppressWarnings("MC141")} (or {@code "modelcost"}). */
    private static boolean suppressed(NetworkSpec network) {
        SuppressWarnings suppress = network.element().getAnnotation(SuppressWarnings.class);
        return suppress != null && java.util.Arrays.stream(suppress.value()).anyMatch(v -> v.equals(Diagnostic.UNREAD_INPUT.tag()) || v.equals("modelcost"));
    }

    /** The field a name reads: {@code backbone} of {@code backbone.4}. */
    private static String head(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** Whether an expression reads an axis of the field ({@code low.H}). */
    private static boolean mentioned(String name, List<String> expressions) {
        Pattern axis = Pattern.compile("(?<![\\w.])" + Pattern.quote(name) + "\\.");
        return expressions.stream().anyMatch(text -> text != null && axis.matcher(text).find());
    }
}
