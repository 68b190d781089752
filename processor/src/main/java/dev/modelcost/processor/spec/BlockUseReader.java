package dev.modelcost.processor.spec;

import static dev.modelcost.processor.spec.Mirrors.explicitValues;
import static dev.modelcost.processor.spec.Mirrors.value;

import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.diag.Suggestions;
import dev.modelcost.processor.expr.ExprParser.Assignment;
import dev.modelcost.processor.spec.Operation.BlockOp;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/** Reads a field that applies a block: the block (read once), its {@code @Args} and its {@code @Repeat}. */
final class BlockUseReader {
    /** How deep blocks may nest; far deeper than any published architecture, and safe for the processor's stack. */
    static final int MAX_NESTING = 100;

    private final FieldOrder fieldOrder;
    private final BiFunction<TypeElement, Findings, Optional<NetworkSpec>> blocks;
    private final Set<String> reading;
    private final java.util.function.Predicate<javax.lang.model.element.Element> fromSource;

    /**
     * A reader that reads blocks through {@code blocks}; {@code reading} holds the blocks being read
     * now, outermost first, so that a block that applies itself is a cycle and not a recursion;
     * {@code fromSource} tells the elements compiled from source, which messages can point at.
     */
    BlockUseReader(FieldOrder fieldOrder, BiFunction<TypeElement, Findings, Optional<NetworkSpec>> blocks, Set<String> reading,
            java.util.function.Predicate<javax.lang.model.element.Element> fromSource) {
        this.fieldOrder = fieldOrder;
        this.blocks = blocks;
        this.reading = reading;
        this.fromSource = fromSource;
    }

    Optional<BlockOp> read(VariableElement field, TypeElement blockType, AnnotationMirror args, AnnotationMirror repeat,
            AnnotationMirror experts, boolean indexed, Findings findings) {
        String name = field.getSimpleName().toString();
        String blockName = blockType.getQualifiedName().toString();
        if (reading.contains(blockName)) {
            List<String> cycle = new ArrayList<>(reading);
            cycle = cycle.subList(cycle.indexOf(blockName), cycle.size());
            cycle.add(blockName);
            return findings.reject(new Problem(Diagnostic.BLOCK_CYCLE, Site.of(field), blockType.getSimpleName(),
                    String.join(" -> ", cycle.stream().map(n -> n.substring(n.lastIndexOf('.') + 1)).toList())));
        }
        if (reading.size() >= MAX_NESTING) {
            List<String> chain = new ArrayList<>(reading);
            String shown = chain.get(0).substring(chain.get(0).lastIndexOf('.') + 1) + " -> ... -> "
                    + chain.get(chain.size() - 1).substring(chain.get(chain.size() - 1).lastIndexOf('.') + 1) + " -> " + blockType.getSimpleName();
            return findings.reject(new Problem(Diagnostic.NESTING_DEPTH, Site.of(field), name, MAX_NESTING, shown));
        }
        String unknownOrder = fieldOrder.unknown(blockType);
        if (unknownOrder != null) {
            return findings.reject(new Problem(Diagnostic.FIELD_ORDER_UNKNOWN, Site.of(field), name, blockType.getSimpleName(), unknownOrder,
                    blockType.getSimpleName()));
        }
        // A problem inside a block read from a class file has no line to show: it goes on the field that applies the block.
        String context = " [in block " + blockName + ", read from its class file, applied by field " + name + "]";
        Optional<NetworkSpec> block = blocks.apply(blockType, fromSource.test(blockType) ? findings
                : findings.placed(problem -> fromSource.test(problem.site().element()) ? problem : problem.at(Site.of(field), context)));
        if (block.isEmpty()) {
            return findings.rejectedElsewhere();
        }
        Findings use = findings.part();
        Site argsSite = args == null ? Site.of(field) : new Site(field, args, value(args, "value"));
        Optional<List<Assignment>> assignments = args == null ? Optional.of(List.of())
                : Expressions.assignmentList(value(args, "value"), argsSite, name, use);
        Repetition repetition = new Repetition(1, Optional.of(List.of()), argsSite, "", 0, false, null, null, null, false);
        if (repeat != null) {
            Optional<Repetition> read = readRepeat(field, repeat, indexed, argsSite, use);
            if (read.isEmpty()) {
                return Optional.empty();
            }
            repetition = read.get();
        }
        if (use.rejected() || assignments.isEmpty() || repetition.first().isEmpty()
                || !checkArguments(block.get(), assignments.get(), argsSite, name, use)
                || !checkArguments(block.get(), repetition.first().get(), repetition.firstSite(), name, use)) {
            return Optional.empty();
        }
        List<Assignment> first = repetition.first().get();
        for (ParamSpec param : block.get().params()) {
            boolean inArgs = assignments.get().stream().anyMatch(a -> a.name().equals(param.name()));
            boolean inFirst = first.stream().anyMatch(a -> a.name().equals(param.name()));
            if (param.fallback() == null && !inArgs && !(inFirst && repetition.count() == 1 && repetition.expression() == null)) {
                return use.reject(new Problem(Diagnostic.MISSING_ARGUMENT, argsSite, name, blockType.getSimpleName(), param.name(), param.name()));
            }
        }
        int count = 0;
        int topK = 0;
        List<Assignment> expertsWith = List.of();
        Site expertsSite = experts == null ? null : Site.of(field, experts);
        if (experts != null) {
            Map<String, AnnotationValue> given = explicitValues(experts);
            AnnotationValue countValue = value(experts, "count");
            AnnotationValue topKValue = value(experts, "topK");
            count = (Integer) countValue.getValue();
            topK = (Integer) topKValue.getValue();
            if (given.containsKey("with")) {
                expertsSite = new Site(field, experts, given.get("with"));
                Optional<List<Assignment>> parsed = Expressions.assignments((String) given.get("with").getValue(), expertsSite, name, use);
                if (parsed.isEmpty()) {
                    return Optional.empty();
                }
                expertsWith = parsed.get();
                List<String> names = expertsWith.stream().map(Assignment::name).toList();
                for (String attribute : List.of("count", "topK")) {
                    if (given.containsKey(attribute) && names.contains(attribute)) {
                        return use.reject(new Problem(Diagnostic.ATTRIBUTE_TWICE, expertsSite, name, attribute, "with"));
                    }
                }
                if (names.size() != 2 || !names.containsAll(List.of("count", "topK"))) {
                    return use.reject(new Problem(Diagnostic.ATTRIBUTE_VALUE, expertsSite, name, "@Experts", "with", "\"" + given.get("with").getValue()
                            + "\"", "count and topK, each once (both here, or both as literals without with): "
                            + "with = \"count = numExperts, topK = expertsPerToken\""));
                }
            } else if (!given.containsKey("count") || !given.containsKey("topK")) {
                // each is required: the default 0 stands for "not given", which a message quoting 0 would not say
                return use.reject(new Problem(Diagnostic.MISSING_ATTRIBUTE, expertsSite, name, "@Experts", given.containsKey("count")
                        ? "'topK' (how many experts each token is routed to)" : given.containsKey("topK") ? "'count' (how many experts)"
                        : "'count' (how many experts) and 'topK' (how many each token is routed to), or both in 'with'"));
            } else if (count < 1) {
                return use.reject(new Problem(Diagnostic.NOT_POSITIVE, new Site(field, experts, countValue), name, "@Experts count", 1, count));
            } else if (topK < 1 || topK > count) {
                return use.reject(new Problem(Diagnostic.EXPERTS, new Site(field, experts, topKValue), name, topK, count));
            }
        }
        boolean inPlace = args != null && (Boolean) value(args, "inPlace").getValue();
        if (inPlace && indexed) {
            return use.reject(new Problem(Diagnostic.IN_PLACE_INDEXED, new Site(field, args, explicitValues(args).get("inPlace")), name,
                    field.getEnclosingElement().getSimpleName()));
        }
        if (inPlace && (repeat != null || experts != null)) {
            String other = repeat != null ? "@Repeat" : "@Experts";
            return use.reject(new Problem(Diagnostic.REPEAT_NAMES, new Site(field, args, explicitValues(args).get("inPlace")), name, other,
                    " and @Args(inPlace = true) do not go together: a block applied in place is applied once, as written",
                    "drop inPlace, or " + other));
        }
        return Optional.of(new BlockOp(block.get(), assignments.get(), argsSite, repetition.count(), repeat != null, first,
                repetition.firstSite(), repetition.prefix(), repetition.start(), repetition.inline(), count, topK,
                repetition.expression(), repetition.countSite(), inPlace, repetition.sharedSite(), expertsWith, expertsSite, repetition.loop()));
    }

    /** What {@code @Repeat} says; {@code first} is empty after a syntax error in it. */
    private record Repetition(int count, Optional<List<Assignment>> first, Site firstSite, String prefix, int start, boolean inline,
            Operation.Expression expression, Site countSite, Site sharedSite, boolean loop) {}

    private static Optional<Repetition> readRepeat(VariableElement field, AnnotationMirror repeat, boolean indexed, Site argsSite, Findings findings) {
        String name = field.getSimpleName().toString();
        Map<String, AnnotationValue> given = explicitValues(repeat);
        AnnotationValue countValue = value(repeat, "value");
        int count = (Integer) countValue.getValue();
        Operation.Expression expression = null;
        Site countSite = null;
        if (given.containsKey("count")) {
            countSite = new Site(field, repeat, given.get("count"));
            if (given.containsKey("value")) {
                return findings.reject(new Problem(Diagnostic.ATTRIBUTE_TWICE, countSite, name, "value", "count"));
            }
            String text = (String) given.get("count").getValue();
            Optional<dev.modelcost.processor.expr.Expr> parsed = Expressions.parse(text, countSite, name + " @Repeat count", findings);
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            expression = new Operation.Expression(parsed.get(), text);
            count = 1;
        } else if (!given.containsKey("value")) {
            return findings.reject(new Problem(Diagnostic.MISSING_ATTRIBUTE, Site.of(field, repeat), name, "@Repeat",
                    "'value' (how many times) or 'count' (an expression of the times)"));
        } else if (count < 1) {
            return findings.reject(new Problem(Diagnostic.REPEAT_COUNT, new Site(field, repeat, countValue), name, count));
        } else {
            countSite = new Site(field, repeat, countValue);
        }
        Optional<List<Assignment>> first = Optional.of(List.of());
        Site firstSite = argsSite;
        if (given.containsKey("first")) {
            firstSite = new Site(field, repeat, value(repeat, "first"));
            first = Expressions.assignmentList(value(repeat, "first"), firstSite, name, findings);
        }
        String prefix = (String) value(repeat, "prefix").getValue();
        if (!PythonNames.isModuleNamePart(prefix)) {
            return findings.reject(new Problem(Diagnostic.REPEAT_NAMES, new Site(field, repeat, given.get("prefix")), name, "@Repeat",
                    " prefix contains a dot, a control character (tab, line break), a line or paragraph separator or a format character "
                    + "(a right-to-left override), which a module name shown in a path cannot",
                    "write the prefix as PyTorch names the modules, e.g. prefix = \"layer\""));
        }
        int start = (Integer) value(repeat, "start").getValue();
        boolean inline = (Boolean) value(repeat, "inline").getValue();
        if (start < 0) {
            return findings.reject(new Problem(Diagnostic.NOT_POSITIVE, new Site(field, repeat, given.get("start")), name, "@Repeat start", 0, start));
        }
        if (start > Integer.MAX_VALUE - (count - 1)) {
            return findings.reject(new Problem(Diagnostic.OVERFLOW, new Site(field, repeat, given.get("start")), name,
                    "the last repetition's number, " + start + " + " + (count - 1) + ","));
        }
        if (inline && !indexed) {
            return findings.reject(new Problem(Diagnostic.REPEAT_NAMES, new Site(field, repeat, given.get("inline")), name, "@Repeat",
                    "(inline = true) needs an indexed container, and " + field.getEnclosingElement().getSimpleName() + " is not",
                    "add indexed = true to its @Block or @Model, or drop inline"));
        }
        if (inline && (given.containsKey("prefix") || given.containsKey("start"))) {
            return findings.reject(new Problem(Diagnostic.REPEAT_NAMES, new Site(field, repeat, given.getOrDefault("prefix", given.get("start"))),
                    name, "@Repeat", "(inline = true) takes the container's numbers, so it cannot have a prefix or start", "drop prefix and start, or inline"));
        }
        Site sharedSite = (Boolean) value(repeat, "shared").getValue() ? new Site(field, repeat, given.get("shared")) : null;
        if (sharedSite != null && given.containsKey("first")) {
            return findings.reject(new Problem(Diagnostic.REPEAT_NAMES, sharedSite, name, "@Repeat", "(shared = true) with first: a first repetition of "
                    + "other arguments is another module, and one module called again has one set of weights", "drop first, or shared"));
        }
        boolean loop = (Boolean) value(repeat, "loop").getValue();
        if (loop && inline) {
            return findings.reject(new Problem(Diagnostic.REPEAT_NAMES, new Site(field, repeat, given.get("loop")), name, "@Repeat",
                    "(loop = true) with inline: inline repetitions are the container's own children, which its forward runs one after "
                    + "another, dropping each input after its last reader already", "drop loop, or inline"));
        }
        return Optional.of(new Repetition(count, first, firstSite, prefix, start, inline, expression, countSite, sharedSite, loop));
    }

    /**
     * Whether every assignment of the array at {@code arraySite} names a parameter of {@code block}, each once; else MC205 or MC207 on
     * the array's element that holds the first that does not.
     */
    private static boolean checkArguments(NetworkSpec block, List<Assignment> assignments, Site arraySite, String where, Findings findings) {
        List<String> params = block.params().stream().map(ParamSpec::name).toList();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < assignments.size(); i++) {
            Assignment assignment = assignments.get(i);
            if (!params.contains(assignment.name())) {
                findings.report(new Problem(Diagnostic.UNKNOWN_ARGUMENT, assignmentSite(arraySite, i, assignments.size()), where,
                        block.simpleName(), assignment.name(), Suggestions.didYouMean(assignment.name(), params)));
                return false;
            }
            if (!seen.add(assignment.name())) {
                findings.report(new Problem(Diagnostic.DUPLICATE_ARGUMENT, assignmentSite(arraySite, i, assignments.size()), where,
                        assignment.name()));
                return false;
            }
        }
        return true;
    }

    /** The array element at {@code arraySite} that holds assignment {@code i} of {@code count}; the array itself where not told. */
    private static Site assignmentSite(Site arraySite, int i, int count) {
        List<Site> sites = Expressions.assignmentSites(arraySite);
        return sites.size() == count ? sites.get(i) : arraySite;
    }
}
