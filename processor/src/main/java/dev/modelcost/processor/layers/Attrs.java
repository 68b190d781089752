package dev.modelcost.processor.layers;

import dev.modelcost.processor.diag.Diagnostic;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The evaluated attributes of one operation: every attribute of its annotation, with the user's
 * value where one was given and the annotation's default otherwise. Numbers, flags, integer lists
 * and text are kept apart, as the annotation declares them.
 */
public final class Attrs {
    private final String kind;
    private final Map<String, Long> numbers;
    private final Map<String, Boolean> flags;
    private final Map<String, List<Long>> lists;
    private final Map<String, String> texts;
    private final Set<String> given;

    /** Attributes of an operation of the given kind; {@code given} names those the user wrote. */
    public Attrs(String kind, Map<String, Long> numbers, Map<String, Boolean> flags, Map<String, List<Long>> lists,
            Map<String, String> texts, Set<String> given) {
        this.kind = kind;
        this.numbers = Map.copyOf(numbers);
        this.flags = Map.copyOf(flags);
        this.lists = Map.copyOf(lists);
        this.texts = Map.copyOf(texts);
        this.given = Set.copyOf(given);
    }

    /** Attributes with numbers and flags only. */
    public Attrs(String kind, Map<String, Long> numbers, Map<String, Boolean> flags, Set<String> given) {
        this(kind, numbers, flags, Map.of(), Map.of(), given);
    }

    /**
     * The name under which {@link #withSameInputs} keeps, for each input of a call, the index of the first input that is the same
     * tensor ({@code [0, 1, 1]}: a query, and one tensor as key and value); no annotation attribute can have it.
     */
    public static final String SAME_INPUTS = "@sameInputs";

    /** These attributes with, for each input, the first input that is the same tensor (see {@link #SAME_INPUTS}). */
    public Attrs withSameInputs(List<Long> first) {
        Map<String, List<Long>> changed = new java.util.HashMap<>(lists);
        changed.put(SAME_INPUTS, List.copyOf(first));
        return new Attrs(kind, numbers, flags, changed, texts, given);
    }

    /** The name under which {@link #withSubclass} keeps the subclass of the layer's class its module is; no annotation attribute can have it. */
    public static final String SUBCLASS = "@subclass";

    /** These attributes of a module that is an instance of the subclass {@code name} of the layer's class ({@code @Subclass}). */
    public Attrs withSubclass(String name) {
        Map<String, String> changed = new java.util.HashMap<>(texts);
        changed.put(SUBCLASS, name);
        return new Attrs(kind, numbers, flags, lists, changed, given);
    }

    /** The subclass of the layer's class its module is an instance of ({@code @Subclass}), or null. */
    public String subclass() {
        return texts.get(SUBCLASS);
    }

    /** The name under which {@link #inFusedLayer} marks a layer of a block PyTorch runs as one fused kernel; no annotation attribute can have it. */
    public static final String FUSED = "@fused";

    /** These attributes of a layer inside a block PyTorch runs as one fused kernel at inference ({@code @FastPath}). */
    public Attrs inFusedLayer() {
        Map<String, String> changed = new java.util.HashMap<>(texts);
        changed.put(FUSED, "true");
        return new Attrs(kind, numbers, flags, lists, changed, given);
    }

    /** Whether the layer is inside a block PyTorch runs as one fused kernel at inference ({@code @FastPath}). */
    public boolean fused() {
        return texts.containsKey(FUSED);
    }

    /** Whether inputs {@code i} and {@code j} of the call are the same tensor, as far as the call knows (else false). */
    public boolean sameInput(int i, int j) {
        List<Long> first = lists.get(SAME_INPUTS);
        return first != null && i < first.size() && j < first.size() && first.get(i).equals(first.get(j));
    }

    /** These attributes with the text attribute {@code name} set to {@code value}, as if written. */
    public Attrs withText(String name, String value) {
        return new Attrs(kind, numbers, flags, lists, with(texts, name, value), with(given, name));
    }

    /** These attributes with the number {@code name} set to {@code value}, as if written. */
    public Attrs withNumber(String name, long value) {
        return new Attrs(kind, with(numbers, name, value), flags, lists, texts, with(given, name));
    }

    /** These attributes with the list {@code name} set to {@code value}, as if written. */
    public Attrs withList(String name, List<Long> value) {
        return new Attrs(kind, numbers, flags, with(lists, name, List.copyOf(value)), texts, with(given, name));
    }

    /** These attributes with the flag {@code name} set to {@code value}, as if written. */
    public Attrs withFlag(String name, boolean value) {
        return new Attrs(kind, numbers, with(flags, name, value), lists, texts, with(given, name));
    }

    private static <V> Map<String, V> with(Map<String, V> map, String name, V value) {
        Map<String, V> changed = new java.util.HashMap<>(map);
        changed.put(name, value);
        return changed;
    }

    private static Set<String> with(Set<String> names, String name) {
        Set<String> changed = new java.util.HashSet<>(names);
        changed.add(name);
        return changed;
    }

    /**
     * The first attribute, by name, whose value differs from {@code other}'s, or null where none does: what one module called twice
     * cannot have ({@link #SAME_INPUTS}, a fact of the call, is left out).
     */
    public String firstDifference(Attrs other) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        for (Attrs attrs : List.of(this, other)) {
            names.addAll(attrs.numbers.keySet());
            names.addAll(attrs.flags.keySet());
            names.addAll(attrs.lists.keySet());
            names.addAll(attrs.texts.keySet());
        }
        names.remove(SAME_INPUTS);
        for (String name : names) {
            if (!java.util.Objects.equals(value(name), other.value(name))) {
                return name;
            }
        }
        return null;
    }

    /** An attribute's value for messages: a number, a flag, a list or a text; "none" where there is no such attribute. */
    public String shown(String name) {
        Object value = value(name);
        return value == null ? "none" : value.toString();
    }

    private Object value(String name) {
        Object value = numbers.get(name);
        value = value != null ? value : flags.get(name);
        value = value != null ? value : lists.get(name);
        return value != null ? value : texts.get(name);
    }

    /** Whether {@code other} is of the same kind with the same attributes, each of the same value, the same of them written. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Attrs that && kind.equals(that.kind) && numbers.equals(that.numbers) && flags.equals(that.flags)
                && lists.equals(that.lists) && texts.equals(that.texts) && given.equals(that.given);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(kind, numbers, flags, lists, texts, given);
    }

    /** The operation kind, for messages. */
    public String kind() {
        return kind;
    }

    /** Every integer attribute by name, as written or defaulted. */
    public Map<String, Long> numbers() {
        return numbers;
    }

    /** Every boolean attribute by name, as written or defaulted. */
    public Map<String, Boolean> flags() {
        return flags;
    }

    /** Whether the annotation has an attribute of that name that is no integer or boolean (a decimal, a list, a text). */
    public boolean hasOtherAttribute(String name) {
        return !numbers.containsKey(name) && !flags.containsKey(name) && (lists.containsKey(name) || texts.containsKey(name));
    }

    /** Whether the user wrote the attribute. */
    public boolean given(String name) {
        return given.contains(name);
    }

    /** A boolean attribute. */
    public boolean flag(String name) {
        return require(flags, name);
    }

    /** An integer attribute as written, unchecked. */
    public long number(String name) {
        return require(numbers, name);
    }

    /** An integer-list attribute as written, unchecked. */
    public List<Long> list(String name) {
        return require(lists, name);
    }

    /** A text attribute as written. */
    public String text(String name) {
        return require(texts, name);
    }

    /** A text attribute, or {@code fallback} for an operation that has no such attribute. */
    public String textOr(String name, String fallback) {
        return texts.getOrDefault(name, fallback);
    }

    /** A decimal attribute (a {@code double} in the annotation, kept as its text). */
    public double decimal(String name) {
        return Double.parseDouble(text(name));
    }

    /** A decimal attribute that takes one value or several ({@code double[]}): each, in order; empty where none is written. */
    public List<Double> decimals(String name) {
        String text = text(name).trim();
        if (text.startsWith("[")) {
            text = text.substring(1, text.length() - 1).trim();
        }
        List<Double> values = new java.util.ArrayList<>();
        for (String item : text.isEmpty() ? new String[0] : text.split(",")) {
            values.add(Double.parseDouble(item.trim()));
        }
        return values;
    }

    /** A text attribute that must be one of {@code allowed}. */
    public String choice(String name, List<String> allowed) {
        String value = text(name);
        if (!allowed.contains(value)) {
            // A text attribute is written as it is, whatever the sizes.
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, name, kind, name, "'" + value + "'", "one of " + allowed).atAnySize();
        }
        return value;
    }

    /** An integer attribute that must be at least {@code min}. */
    public int atLeast(String name, int min) {
        return checked(name, number(name), min);
    }

    /** An integer that must be at least {@code min} and fit an {@code int}; {@code name} names it in messages. */
    public int checked(String name, long value, int min) {
        String mode = Window.mode(value);
        if (mode != null && name.startsWith("padding")) {
            // Conv2d.SAME or VALID given where it means nothing: a pooling's padding, an axis's own, a transposed convolution's
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, name, kind, name, mode, "a number of positions: " + mode + " is a convolution's "
                    + "padding, on every axis at once (padding = Conv2d." + mode + ")");
        }
        if (value < min) {
            throw new LayerFailure(Diagnostic.NOT_POSITIVE, name, kind + " " + name, min, value);
        }
        if (value > Integer.MAX_VALUE) {
            throw new LayerFailure(Diagnostic.OVERFLOW, name, kind + " " + name + " = " + value);
        }
        return (int) value;
    }

    /** A size of at least 1 that the user must give. */
    public int required(String name) {
        if (!given(name)) {
            throw new LayerFailure(Diagnostic.MISSING_ATTRIBUTE, null, kind, "'" + name + "'");
        }
        return atLeast(name, 1);
    }

    /** A size of at least 1: the user's, or {@code fallback} where the attribute is not given. */
    public int orElse(String name, int fallback) {
        return given(name) ? atLeast(name, 1) : fallback;
    }

    /**
     * A per-axis attribute: {@code axis} if given, else {@code both}; at least {@code min}. With
     * {@code fallback}, an unset pair takes that value (a pool's stride is its window).
     */
    public int axis(String axis, String both, int min, Integer fallback) {
        if (given(axis)) {
            return atLeast(axis, min);
        }
        if (fallback != null && !given(both)) {
            return fallback;
        }
        return atLeast(both, min);
    }

    /** A window size: {@code axis} ({@code kh}, {@code kw}) or {@code k}, one of which must be given. */
    public int window(String axis, String both) {
        if (given(axis)) {
            return atLeast(axis, 1);
        }
        if (!given(both)) {
            throw new LayerFailure(Diagnostic.MISSING_ATTRIBUTE, null, kind, "'" + both + "', or '" + axis + "' and its partner");
        }
        return atLeast(both, 1);
    }

    private <T> T require(Map<String, T> map, String name) {
        T value = map.get(name);
        if (value == null) {
            throw new IllegalStateException(kind + " has no attribute " + name);
        }
        return value;
    }
}
