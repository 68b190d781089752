package dev.modelcost.processor.spec;

import static dev.modelcost.processor.spec.Mirrors.DSL;
import static dev.modelcost.processor.spec.Mirrors.explicitValues;
import static dev.modelcost.processor.spec.Mirrors.mirror;

import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.diag.Suggestions;
import dev.modelcost.processor.layers.Shape;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;

/** Reads the size variables of {@code @Model(sizes)} and the ranges of {@code @Budget(over)}. */
final class SizesReader {
    private static final Pattern RANGE = Pattern.compile(
            "\\s*((?:[A-Za-z_][A-Za-z0-9_.]*\\s*=\\s*)+)([-+]?\\d+(?:_+\\d+)*)\\s*(?:\\.\\.\\s*([-+]?\\d+(?:_+\\d+)*)(?:\\s+step\\s+([-+]?\\d+(?:_+\\d+)*))?\\s*)?");

    /** A variable with its largest size: {@code "L <= 8192"}. */
    private static final Pattern BOUNDED = Pattern.compile("(.+?)\\s*<=\\s*(.*)");

    /** The name a size is declared by, its bound left out: {@code L} for {@code "L <= 8192"}. */
    static String nameOf(String written) {
        Matcher bounded = BOUNDED.matcher(written);
        return bounded.matches() ? bounded.group(1).trim() : written;
    }

    /** The most size variables a model may declare. */
    static final int MOST_SIZES = 4;

    private SizesReader() {}

    /** The variables {@code @Model(sizes)} names, checked against the inputs; empty when none or on an error. */
    static List<SizeVariable> read(TypeElement type, AnnotationMirror model, NetworkSpec network, List<Shape> inputs, int batch, Findings findings) {
        List<String> names = network.inputs();
        AnnotationValue given = explicitValues(model).get("sizes");
        List<SizeVariable> variables = new ArrayList<>();
        if (given == null) {
            return variables;
        }
        if (((List<?>) given.getValue()).size() > MOST_SIZES) {
            // Each variable multiplies the sizes compiled for the joint forms.
            List<String> written = ((List<?>) given.getValue()).stream().map(item -> String.valueOf(((AnnotationValue) item).getValue()).trim()).toList();
            long distinct = written.stream().distinct().count();
            String twice = distinct == written.size() ? "" : " (" + written.stream().filter(w -> java.util.Collections.frequency(written, w) > 1)
                    .distinct().collect(java.util.stream.Collectors.joining(", ")) + " more than once: " + distinct + " distinct)";
            findings.report(new Problem(Diagnostic.SIZE_NAME, new Site(type, model, given), String.join(", ", written),
                    written.size() + " sizes" + twice + ", more than the " + MOST_SIZES + " a model may vary", "", "vary at most " + MOST_SIZES
                    + " of them" + (twice.isEmpty() ? "" : ", each once")));
            return variables;
        }
        for (Object item : (List<?>) given.getValue()) {
            AnnotationValue value = (AnnotationValue) item;
            String written = ((String) value.getValue()).trim();
            Site site = new Site(type, model, value);
            Matcher bounded = BOUNDED.matcher(written);
            String name = nameOf(written);
            Optional<SizeVariable> resolved = resolve(name, names, inputs, batch, site);
            Optional<Integer> most = resolved.isPresent() && bounded.matches()
                    ? most(written, bounded.group(2).trim(), resolved.get(), site, findings) : Optional.of(Integer.MAX_VALUE);
            if (most.isEmpty()) {
                continue;
            }
            Optional<SizeVariable> variable = resolved.map(v -> new SizeVariable(v.name(), v.input(), v.axis(), v.fallback(), most.get(), site));
            if (name.equals("batch") && inputs.size() == 1 && inputs.get(0).axes().contains("batch")) {
                // The batch and an axis of the input's layout by one name: which one varies is not the writer's to guess.
                findings.report(new Problem(Diagnostic.SIZE_NAME, site, name, "which is both the batch and an axis of the input's layout", "",
                        "rename the layout's axis batch first (B, say)"));
            } else if (variable.isEmpty() && (!bounded.matches() || name.matches("[\\d_]+")) && written.matches(".*[<>=\u2264].*")) {
                // A bound other than a largest size: "L < 8192", "L >= 16", "L = 1..8192"
                Matcher identifier = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*").matcher(written);
                String named = identifier.find() ? identifier.group() : "";
                findings.report(new Problem(Diagnostic.SIZE_BOUND, site, written, "a size is bounded by its largest value alone, as "
                        + "name <= number", "write it as " + (named.isEmpty() ? "L" : named) + " <= 8192, or give ranges to check in @Budget(over)"));
            } else if (variable.isEmpty() && name.contains(",")) {
                // One string of several names: sizes is an array, one name an element.
                findings.report(new Problem(Diagnostic.SIZE_NAME, site, name, "which is several names in one",
                        "; write one name an element, sizes = {" + String.join(", ", java.util.Arrays.stream(name.split(","))
                                .map(part -> "\"" + part.strip() + "\"").toList()) + "}", nameAnAxis(candidates(names, inputs))));
            } else if (variable.isEmpty() && name.indexOf('.') < 0 && inputs.size() > 1 && inputs.stream().anyMatch(x -> x.axes().contains(name))) {
                // An axis of the inputs' layouts, but of which input is not said.
                List<String> whose = new ArrayList<>();
                for (int i = 0; i < inputs.size(); i++) {
                    if (inputs.get(i).axes().contains(name)) {
                        whose.add(names.get(i) + "." + name);
                    }
                }
                findings.report(new Problem(Diagnostic.SIZE_NAME, site, name, "an axis of a model of " + inputs.size() + " inputs without the input it "
                        + "belongs to", "", "name it with its input: " + String.join(" or ", whose)));
            } else if (variable.isEmpty() && name.length() == 1 && candidates(names, inputs).contains(name.toUpperCase(java.util.Locale.ROOT))) {
                // A one-letter axis in the other case: the layouts name axes in capitals.
                findings.report(new Problem(Diagnostic.SIZE_NAME, site, name, "which is neither an axis of the input nor the batch",
                        "; did you mean '" + name.toUpperCase(java.util.Locale.ROOT) + "'?", nameAnAxis(candidates(names, inputs))));
            } else if (variable.isEmpty() && name.equals("L") && inputs.stream().anyMatch(SizesReader::featureVector)) {
                // Token ids declared without tokens = true: one axis, a feature vector F by default.
                findings.report(new Problem(Diagnostic.SIZE_NAME, site, name, "which is neither an axis of the input nor the batch",
                        "; an input of one axis is a feature vector F unless it declares tokens = true (token ids, whose axis is L) or a layout",
                        nameAnAxis(candidates(names, inputs)) + ", or declare the input's tokens = true where it holds token ids"));
            } else if (variable.isEmpty()) {
                // Every one-letter axis is one edit from any other: suggest only for longer names.
                findings.report(new Problem(Diagnostic.SIZE_NAME, site, name, "which is neither an axis of the input nor the batch",
                        name.length() > 1 ? Suggestions.didYouMean(name, candidates(names, inputs)) : "", nameAnAxis(candidates(names, inputs))));
            } else if (variables.stream().anyMatch(v -> v.input() == variable.get().input() && v.axis() == variable.get().axis())) {
                findings.report(new Problem(Diagnostic.SIZE_NAME, site, name, "a second time", "", nameAnAxis(candidates(names, inputs))));
            } else if (NetworkReader.reserved(name) != null) {
                // The variable would take the place of what expressions read by that name.
                findings.report(new Problem(Diagnostic.SIZE_NAME, site, name, "which is reserved: it stands for " + NetworkReader.reserved(name), "",
                        "rename the axis in the layout (" + name.toUpperCase(java.util.Locale.ROOT) + ", say) and name that"));
            } else if (network.constants().containsKey(name) || network.params().stream().anyMatch(p -> p.name().equals(name))) {
                // Expressions read a variable by its name, which a constant or parameter of the model already takes.
                findings.report(new Problem(Diagnostic.SIZE_NAME, site, name, "which the model already declares as a constant or parameter", "",
                        nameAnAxis(candidates(names, inputs)) + ", after renaming that constant"));
            } else {
                variables.add(variable.get());
            }
        }
        return variables;
    }

    /** The fix of a name that is no size: the names that are, {@code "name an axis of the input's layout or the batch: C, H, W, batch"}. */
    private static String nameAnAxis(List<String> candidates) {
        return "name an axis of the input's layout or the batch: " + String.join(", ", candidates);
    }

    /**
     * The largest size of a bound written with a variable ({@code "L <= 8192"}): a whole number from the declared size up to
     * 2,147,483,647; empty, reported, otherwise.
     */
    private static Optional<Integer> most(String written, String bound, SizeVariable variable, Site site, Findings findings) {
        java.math.BigInteger most;
        try {
            String digits = bound.replace("_", "");
            if (!bound.matches("-?[0-9]+(?:_+[0-9]+)*")) {
                throw new NumberFormatException(bound); // 0 to 9 only, as expressions and over ranges write numbers
            }
            most = new java.math.BigInteger(digits);
        } catch (NumberFormatException e) {
            findings.report(new Problem(Diagnostic.SIZE_BOUND, site, written, "'" + bound + "' is no whole number",
                    "write the largest size as a number: " + variable.name() + " <= 8192"));
            return Optional.empty();
        }
        boolean below = most.compareTo(java.math.BigInteger.valueOf(variable.fallback())) < 0;
        if (below || most.bitLength() >= Integer.SIZE) {
            findings.report(new Problem(Diagnostic.SIZE_BOUND, site, written, below
                    ? String.format(java.util.Locale.ROOT, "the largest size %,d is below the declared %,d", most, variable.fallback())
                    : String.format(java.util.Locale.ROOT, "the largest size %,d is above 2,147,483,647, the most a size holds", most),
                    "bound the size from the declared one up to 2,147,483,647, or declare a smaller size in " + (variable.batch() ? "batch" : "input")));
            return Optional.empty();
        }
        return Optional.of(most.intValueExact());
    }

    /** Whether an input is one axis of values named by default: a feature vector {@code F}. */
    private static boolean featureVector(Shape input) {
        return input.rank() == 1 && !input.ids() && input.axes().equals(List.of("F"));
    }

    private static Optional<SizeVariable> resolve(String name, List<String> names, List<Shape> inputs, int batch, Site site) {
        if (name.equals("batch")) {
            return Optional.of(new SizeVariable(name, -1, -1, batch, Integer.MAX_VALUE, site));
        }
        int dot = name.indexOf('.');
        if (dot >= 0) {
            int input = names.indexOf(name.substring(0, dot));
            int axis = input < 0 ? -1 : inputs.get(input).axes().indexOf(name.substring(dot + 1));
            return axis < 0 ? Optional.empty() : Optional.of(new SizeVariable(name, input, axis, inputs.get(input).dims().get(axis), Integer.MAX_VALUE, site));
        }
        if (inputs.size() != 1) {
            return Optional.empty();
        }
        int axis = inputs.get(0).axes().indexOf(name);
        return axis < 0 ? Optional.empty() : Optional.of(new SizeVariable(name, 0, axis, inputs.get(0).dims().get(axis), Integer.MAX_VALUE, site));
    }

    /** The names a variable may take. */
    private static List<String> candidates(List<String> names, List<Shape> inputs) {
        List<String> candidates = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            for (String axis : inputs.get(i).axes()) {
                candidates.add(inputs.size() == 1 ? axis : names.get(i) + "." + axis);
            }
        }
        candidates.add("batch");
        return candidates;
    }

    /** The ranges of {@code @Budget(over)}, or null when none; each variable checked against {@code variables}. */
    static SizeRange readRange(TypeElement type, AnnotationMirror budget, List<SizeVariable> variables, Findings findings) {
        AnnotationValue over = explicitValues(budget).get("over");
        // "" is the default: no range, written or not.
        if (over == null || ((String) over.getValue()).isEmpty()) {
            return null;
        }
        String text = (String) over.getValue();
        Site site = new Site(type, budget, over);
        List<String> names = variables.stream().map(SizeVariable::name).toList();
        if (variables.isEmpty()) {
            findings.report(new Problem(Diagnostic.SIZE_RANGE, site, text, "ranges over sizes, but the model declares none",
                    "name the variables in @Model(sizes), e.g. sizes = {\"L\"}"));
            return null;
        }
        List<SizeRange.Range> ranges = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String part : text.split(",", -1)) {
            Matcher m = RANGE.matcher(part);
            if (!m.matches()) {
                findings.report(new Problem(Diagnostic.SIZE_RANGE, site, text, "is not a list of ranges",
                        "write ranges as \"L = 1..8192\", \"H = W = 224..1024 step 32\" or \"H = 224..512 step 32, W = 320\""));
                return null;
            }
            List<String> range = new ArrayList<>();
            for (String name : m.group(1).split("=")) {
                String variable = name.trim();
                if (variable.isEmpty()) {
                    continue;
                }
                if (!names.contains(variable)) {
                    findings.report(new Problem(Diagnostic.SIZE_RANGE, site, text, "names " + variable + ", which is not a size variable"
                            + Suggestions.didYouMean(variable, names), "name one of @Model(sizes): " + String.join(", ", names)));
                    return null;
                }
                if (!seen.add(variable)) {
                    findings.report(new Problem(Diagnostic.SIZE_RANGE, site, text, "gives " + variable + " twice", "give each variable one range"));
                    return null;
                }
                range.add(variable);
            }
            long from;
            long to;
            long step;
            try {
                // Digits may be grouped with underscores, as in Java and in expressions (1_000).
                from = Long.parseLong(m.group(2).replace("_", ""));
                to = m.group(3) == null ? from : Long.parseLong(m.group(3).replace("_", ""));
                step = m.group(4) == null ? 1 : Long.parseLong(m.group(4).replace("_", ""));
            } catch (NumberFormatException e) {
                findings.report(new Problem(Diagnostic.SIZE_RANGE, site, text, "holds a number beyond 64 bits", "give sizes up to 2,147,483,647"));
                return null;
            }
            String wrong = from < 1 ? "starts at " + from + ", below 1" : to < from ? "ends at " + to + ", before it starts"
                    : to > Integer.MAX_VALUE ? "ends past 2,147,483,647" : step < 1 ? "steps by " + step : null;
            if (wrong != null) {
                findings.report(new Problem(Diagnostic.SIZE_RANGE, site, text, "has the range " + part.trim() + ", which " + wrong,
                        "give sizes from 1 to 2,147,483,647, the first no larger than the last, and a step of at least 1"));
                return null;
            }
            long last = from + (to - from) / step * step;
            if (last != to) {
                // "L = 1..8192 step 512" checks up to 7,681: the size written last is not checked, which its writer likely meant.
                long count = (to - from) / step + 1;
                long start = to - (to - from) / step * step;
                findings.warn(new Problem(Diagnostic.RANGE_END_UNREACHED, site, text, part.trim(), String.format(java.util.Locale.ROOT, "%,d", last),
                        String.format(java.util.Locale.ROOT, "%,d", to), String.format(java.util.Locale.ROOT, count == 1 ? "one size" : "%,d sizes", count),
                        String.join(" = ", range) + " = " + (start == to ? String.valueOf(to) : start + ".." + to + " step " + step), to));
            }
            ranges.add(new SizeRange.Range(range, from, to, step));
        }
        return new SizeRange(text, ranges, site);
    }
}
