package dev.modelcost.processor.spec;

import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.lang.model.element.TypeElement;

/**
 * Finds the inputs of a network that no step reads (MC141), and the steps of a network whose output nothing reads: no later step takes it (by name, or as
 * the step before, or as what a step under {@code @When} passes on where it is absent), no expression reads its axes, and it is not the network's output. Such a step
 * still costs, so its mistake — a squeeze-and-excitation gate skipped by naming the wrong input —
 * changes no figure; the warning is the only sign of it. A field whose output is meant to go unread
 * (a router whose weights steer experts without a tensor edge in the spec) says so with
 * {@code @SuppressWarnings("MC130")}.
 */
final class UnreadOutputs {
    private UnreadOutputs() {}

    /**
     * Warns of each unread step of {@code network}, whose outputs are {@code outputs} (empty: its last step), and of each block it
     * applies, once: a step of a block read from outside by its path ({@code "l0.skip"}) is read, and the block's own output is not,
     * nor any of a model class's {@code @Model(output)} names where another model applies it (it returns them all as its tuple).
     */
    static void check(NetworkSpec network, List<String> outputs, Findings findings) {
        Map<TypeElement, Set<String>> outside = new LinkedHashMap<>();
        List<NetworkSpec> blocks = network.blocks();
        markRead(network, outputs, outside);
        blocks.forEach(block -> markRead(block, block.outputs(), outside));
        checkOne(network, outputs, Set.of(), findings);
        blocks.forEach(block -> checkOne(block, block.outputs(), outside.getOrDefault(block.element(), Set.of()), findings));
    }

    /** Marks the steps of blocks that {@code network}'s steps and its {@code outputs} read from outside by their paths. */
    private static void markRead(NetworkSpec network, List<String> outputs, Map<TypeElement, Set<String>> outside) {
        List<String> names = new ArrayList<>(outputs);
        for (Step step : network.steps()) {
            names.addAll(step.from());
            if (step.operation() instanceof Operation.OpStep op) {
                names.addAll(op.inputs());
            }
        }
        for (String name : names) {
            markPath(network, name, outside);
        }
    }

    /** Follows a path through the blocks it names ({@code l0.skip}, {@code layer1.0.conv1}) and marks the step it ends at as read. */
    private static void markPath(NetworkSpec network, String name, Map<TypeElement, Set<String>> outside) {
        String[] parts = name.split("\\.");
        NetworkSpec at = network;
        for (int i = 0; i < parts.length; i++) {
            List<Step> named = steps(at, parts[i]);
            if (named.size() > 1 && at != network) {
                // a number of an indexed network that steps under a condition may leave out: each step it may name is read
                Set<String> read = outside.computeIfAbsent(at.element(), k -> new HashSet<>());
                named.forEach(each -> read.add(each.name()));
            }
            if (named.size() != 1) {
                return;
            }
            Step step = named.get(0);
            if (at != network) {
                outside.computeIfAbsent(at.element(), k -> new HashSet<>()).add(step.name());
            }
            if (!(step.operation() instanceof Operation.BlockOp block)) {
                return;
            }
            at = block.block();
            if (i + 1 < parts.length && block.repeated() && repetitionIndex(at, parts[i + 1])) {
                i++;
            }
        }
    }

    /** Whether a part of a path is a repetition's index: a number, where the block's own steps are not named so. */
    private static boolean repetitionIndex(NetworkSpec block, String part) {
        return part.matches("\\d+") && step(block, part) == null;
    }

    /**
     * The step a part of a path names: by its name, or in an indexed network by its number, as {@code nn.Sequential} numbers its
     * modules (a layer called as a module, a block field, each repetition of a block applied inline). Empty where none; every
     * step from the first one whose number cannot be told before the analysis where the number is past it (a step under
     * {@code @When}, a kind chosen by a parameter, an inline count written as an expression).
     */
    private static List<Step> steps(NetworkSpec network, String part) {
        Step named = step(network, part);
        if (named != null || !network.indexed() || !part.matches("\\d{1,9}")) {
            return named == null ? List.of() : List.of(named);
        }
        int wanted = Integer.parseInt(part);
        long index = 0;
        List<Step> steps = network.steps();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            long takes;
            if (step.when() != null || step.operation() instanceof Operation.KindOf
                    || step.operation() instanceof Operation.BlockOp block && block.inline() && block.count() != null) {
                return steps.subList(i, steps.size());
            } else {
                takes = !step.numbered(step.operation()) ? 0 : step.operation() instanceof Operation.BlockOp block && block.inline() ? block.repeat() : 1;
            }
            if (wanted < index + takes) {
                return List.of(step);
            }
            index += takes;
        }
        return List.of();
    }

    private static Step step(NetworkSpec network, String name) {
        for (Step step : network.steps()) {
            if (step.name().equals(name)) {
                return step;
            }
        }
        return null;
    }

    /**
     * Whether {@code name} is a path into a block field of {@code network} that reads a step inside it, not the field's output
     * (the block's last step, at every level: {@code backbone.layer4}, {@code o.inner.fc}, the last repetition {@code layers.2}).
     */
    private static boolean intoBlock(NetworkSpec network, String name) {
        int dot = name.indexOf('.');
        List<Step> named = dot > 0 ? steps(network, name.substring(0, dot)) : List.of();
        Step step = named.size() == 1 ? named.get(0) : null;
        String[] parts = dot > 0 ? name.substring(dot + 1).split("\\.") : null;
        // A path that names nothing inside is refused by the analysis (MC210), with no warning beside it.
        return step != null && step.operation() instanceof Operation.BlockOp block && !namesNothing(step, parts, 0) && !readsOutput(block, parts, 0);
    }

    /** Whether the path {@code parts} from {@code i} on, inside {@code step}, names no step of it: a layer has none, a block its own. */
    private static boolean namesNothing(Step step, String[] parts, int i) {
        if (i == parts.length) {
            return false;
        }
        if (!(step.operation() instanceof Operation.BlockOp block)) {
            // past a layer, only another result of its call, last ("enc.lstm.h_n"), which the analysis reads
            return !(i == parts.length - 1 && step.operation() instanceof Operation.OpStep op && op.kind().results().contains(parts[i]));
        }
        if (block.repeated() && repetitionIndex(block.block(), parts[i])) {
            if (pastLast(block, parts[i])) {
                return true;
            }
            if (++i == parts.length) {
                return false;
            }
        }
        List<Step> named = steps(block.block(), parts[i]);
        return named.size() == 1 ? namesNothing(named.get(0), parts, i + 1) : named.isEmpty();
    }

    /** Whether a repetition's number is past the last of a count written as a number (one written with names is not known here). */
    private static boolean pastLast(Operation.BlockOp block, String part) {
        java.math.BigInteger count = count(block);
        return count != null && new java.math.BigInteger(part).compareTo(count) >= 0;
    }

    /** A repeated block's count where it is written as a number; null where an expression of names gives it (not known here). */
    private static java.math.BigInteger count(Operation.BlockOp block) {
        String count = block.count() == null ? Long.toString(block.repeat()) : block.count().text().strip();
        return count.matches("\\d+") ? new java.math.BigInteger(count) : null;
    }

    /** Whether the path {@code parts} from {@code i} on, inside a block field, ends at the field's output. */
    private static boolean readsOutput(Operation.BlockOp block, String[] parts, int i) {
        NetworkSpec inner = block.block();
        if (block.repeated() && repetitionIndex(inner, parts[i])) {
            // a repetition: the last one's output is the field's; a count written as an expression of names is not known here
            java.math.BigInteger count = count(block);
            if (count != null && !new java.math.BigInteger(parts[i]).equals(count.subtract(java.math.BigInteger.ONE))) {
                return false;
            }
            if (++i == parts.length) {
                return true;
            }
        }
        List<Step> steps = inner.steps();
        List<Step> named = steps(inner, parts[i]);
        if (named.size() > 1) {
            return true; // a number the analysis tells: taken as the output, so no warning rests on a guess
        }
        Step step = named.isEmpty() ? null : named.get(0);
        if (step != steps.get(steps.size() - 1)) {
            return false;
        }
        if (i == parts.length - 1) {
            return true;
        }
        return step.operation() instanceof Operation.BlockOp nested && readsOutput(nested, parts, i + 1);
    }

    /** Warns of each unread step and input of one network; {@code readOutside} are its steps read from outside by their paths. */
    private static void checkOne(NetworkSpec network, List<String> outputs, Set<String> readOutside, Findings findings) {
        List<Step> steps = network.steps();
        Set<String> read = new HashSet<>(readOutside);
        // The first path that reads a step inside each block field, not its output (l1.skip).
        Map<String, String> readInside = new LinkedHashMap<>();
        List<String> expressions = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            List<String> names = new ArrayList<>(step.from());
            boolean implicit = step.from().isEmpty();
            if (step.operation() instanceof Operation.OpStep op) {
                names.addAll(op.inputs());
                implicit &= op.inputs().isEmpty() && op.kind().maxInputs() > 0;
            }
            for (String name : names) {
                if (!intoBlock(network, name)) {
                    read.add(head(name));
                    steps(network, head(name)).forEach(named -> read.add(named.name()));
                } else {
                    readInside.putIfAbsent(head(name), name);
                }
            }
            // A step under @When passes on, where it is absent, what it would read: its @From, else the step before (a merge's too).
            if ((implicit || step.when() != null && step.from().isEmpty()) && i > 0) {
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
            if (read.contains(input) || k == 0 && firstImplicit || mentioned(input, expressions) || outputs.contains(input)) {
                continue;
            }
            findings.warn(new Problem(Diagnostic.UNREAD_INPUT, Site.of(network.element()), network.simpleName(), input));
        }
        Set<String> returned = new HashSet<>();
        if (outputs.isEmpty()) {
            returned.add(steps.get(steps.size() - 1).name());
        }
        for (String output : outputs) {
            if (!intoBlock(network, output)) {
                returned.add(head(output));
            }
        }
        for (Step step : steps) {
            String name = step.name();
            if (returned.contains(name) || read.contains(name) || mentioned(name, expressions)) {
                continue;
            }
            String inside = readInside.get(name);
            findings.warn(inside == null
                    ? new Problem(Diagnostic.UNREAD_OUTPUT, Site.of(step.field()), network.simpleName(), name, "", "read it with @From or a merge "
                            + "where it belongs (a gate or a shortcut named wrongly leaves every figure unchanged), or remove the field")
                    : new Problem(Diagnostic.UNREAD_OUTPUT, Site.of(step.field()), network.simpleName(), name, "; only steps inside it are read, by "
                            + "their paths (" + inside + ")", "read its output where it belongs, or, where it is meant to go unread (a WaveNet "
                            + "stack's last residual, whose skips are read), say so with @SuppressWarnings(\"MC130\") on the field; removing the "
                            + "field would remove the steps read inside it"));
        }
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
