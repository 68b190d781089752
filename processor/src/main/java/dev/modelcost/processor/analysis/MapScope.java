package dev.modelcost.processor.analysis;

import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.Scope;
import dev.modelcost.processor.expr.Value;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.spec.ParamSpec;
import dev.modelcost.processor.spec.Step;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The names an expression inside a network sees: the class's constants, its parameters, and the
 * dimensions of tensors by axis name. The network's inputs are {@code input.C}, {@code input.H}
 * (or under the names the block declares, {@code memory.L}); {@code in}, {@code h} and {@code w}
 * are kept for the first input ({@code in}: its channels where its first axis is {@code C}, else
 * the last dimension). A
 * step's own first input is {@code x.<axis>}, e.g. {@code x.D}, and an earlier step's output
 * {@code <field>.<axis>}, e.g. {@code low.H}.
 */
final class MapScope implements Scope {
    /** The name under which a step's own input is seen. */
    static final String OWN_INPUT = "x";

    /** The constants and the inputs' dimensions, shared by every scope made from this one with {@link #with}. */
    private final Map<String, Value> values;
    /** The names added with {@link #with}, the last first; null where none. */
    private final Bound bound;
    /** Why a name is not among the values, or null: asked only where an expression reads one that is not. */
    private final Function<String, String> unusable;
    /** The network's fields: a step that reads the sizes of one not computed before it is told so (looked at on an error only). */
    private final List<Step> fields;
    /** The names, and tensors whose axes, may be known at some sizes only ({@link #mayVary}). */
    private final java.util.Set<String> varying;
    /**
     * The parameters given by their defaults, the last given first, each once, by its default with the earlier such parameters it
     * reads written out; null where none.
     */
    private final Derived derived;

    /** A name added to a scope, in front of those added before it. */
    private record Bound(String name, Value value, Bound previous) {}

    /**
     * A parameter given by its default {@code expr}, in front of those given before it; {@code readsSize}: whether the default reads
     * a tensor's size ({@code input.H}, {@code h}).
     */
    private record Derived(String name, Expr expr, boolean readsSize, Derived previous) {}

    private MapScope(Map<String, Value> values, Bound bound, Function<String, String> unusable, List<Step> fields, java.util.Set<String> varying,
            Derived derived) {
        this.values = values;
        this.bound = bound;
        this.unusable = unusable;
        this.fields = fields;
        this.varying = varying;
        this.derived = derived;
    }

    /**
     * Constants and the network's input dimensions; parameters are added with {@link #with}; {@code unusable} says why a
     * static field of the class is not among the constants. A model's inputs keep their axes at every size ({@code inputsVary}
     * false); a block's are what it receives, whose axes a layer that {@code @When} keeps at some sizes only may change.
     */
    static MapScope of(Map<String, Long> constants, Map<String, String> unusable, List<String> names, List<Shape> inputs, List<Step> fields,
            boolean inputsVary) {
        Map<String, Value> values = new LinkedHashMap<>();
        constants.forEach((name, value) -> values.put(name, Value.of(value)));
        Shape first = inputs.get(0);
        // Channels wherever the first axis is named C (C,L; C,H,W; C,T,H,W), else the last dimension.
        values.put("in", Value.of(first.axis(0).equals("C") ? first.channels() : first.last()));
        if (first.isImage()) {
            values.put("h", Value.of(first.dim(1)));
            values.put("w", Value.of(first.dim(2)));
        }
        for (int i = 0; i < names.size(); i++) {
            putAxes(values, names.get(i), inputs.get(i));
        }
        java.util.Set<String> varying = new java.util.HashSet<>();
        varying.add(OWN_INPUT);
        fields.forEach(field -> varying.add(field.name()));
        if (inputsVary) {
            varying.addAll(names);
            // h and w stand for the first input's height and width where it is C,H,W, which a block's may be at some sizes only.
            varying.add("h");
            varying.add("w");
        }
        return new MapScope(Collections.unmodifiableMap(values), null, unusable::get, fields, java.util.Set.copyOf(varying), null);
    }

    private static void putAxes(Map<String, Value> values, String tensor, Shape shape) {
        for (int i = 0; i < shape.rank(); i++) {
            values.put(tensor + "." + shape.axis(i), Value.of(shape.dim(i)));
        }
    }

    /** This scope with one more name. */
    MapScope with(String name, long value) {
        return with(name, Value.of(value));
    }

    /** This scope with one more name of any value (a decimal parameter). */
    MapScope with(String name, Value value) {
        return with(name, value, null);
    }

    /**
     * This scope with a parameter given by its default {@code fallback} (null where a use gave it), kept so that an attribute that
     * reads the parameter can be evaluated again at other sizes of the tensors its default reads ({@link #derivation}).
     */
    MapScope with(String name, Value value, Expr fallback) {
        // A name given again drops its earlier default (rare: a chain without it is built anew).
        Derived derivations = derivation(name) == null ? derived : without(derived, name);
        if (fallback != null) {
            Expr written = derived == null ? fallback : fallback.substitute(this::derivation);
            boolean readsSize = written.names().stream().anyMatch(read -> read.indexOf('.') > 0 || read.equals("h") || read.equals("w"));
            derivations = new Derived(name, written, readsSize, derivations);
        }
        return new MapScope(values, new Bound(name, value, bound), unusable, fields, varying, derivations);
    }

    /** {@code chain} without {@code name}'s entry, sharing the entries before it. */
    private static Derived without(Derived chain, String name) {
        if (chain == null) {
            return null;
        }
        if (chain.name().equals(name)) {
            return chain.previous();
        }
        Derived rest = without(chain.previous(), name);
        return rest == chain.previous() ? chain : new Derived(chain.name(), chain.expr(), chain.readsSize(), rest);
    }

    /**
     * The default a parameter was given by, with the earlier parameters given by theirs written out in it
     * ({@code (window - input.H % window) % window}); null where the name is no such parameter.
     */
    Expr derivation(String name) {
        for (Derived d = derived; d != null; d = d.previous()) {
            if (d.name().equals(name)) {
                return d.expr();
            }
        }
        return null;
    }

    /**
     * The parameters given by their defaults that read a tensor's size ({@code input.H}, {@code h}): an analysis of the block is
     * shared only with uses that give the same ones so, as its attributes follow those defaults at other sizes.
     */
    java.util.Set<String> derivations() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (Derived d = derived; d != null; d = d.previous()) {
            if (d.readsSize()) {
                names.add(d.name());
            }
        }
        return java.util.Set.copyOf(names);
    }

    /** Whether some parameter was given by its default ({@link #derivation}). */
    boolean hasDerivations() {
        return derived != null;
    }

    /**
     * This scope as {@code param}'s default sees it: the parameters declared after it are not in it, and are named as such where
     * read.
     */
    MapScope before(ParamSpec param, List<ParamSpec> params) {
        List<ParamSpec> after = params.subList(params.indexOf(param) + 1, params.size());
        return new MapScope(values, bound, name -> {
            if (name.equals(param.name())) {
                return "is the parameter this default gives: a default reads the parameters declared before it";
            }
            for (ParamSpec other : after) {
                if (other.name().equals(name)) {
                    return "is a parameter declared after " + param.name() + ": a default reads the parameters declared before it "
                            + "(declare " + other.name() + " first)";
                }
            }
            return unusable.apply(name);
        }, fields, varying, derived);
    }

    /**
     * This scope as a step sees it: its own first input as {@code x.<axis>} and every tensor named
     * so far in its network (inputs and earlier steps) as {@code <name>.<axis>}, e.g.
     * {@code low.H}; read from the shapes when asked for, nothing is copied.
     */
    Scope forStep(Shape own, Map<String, Shape> named) {
        return new Scope() {
            @Override
            public Value lookup(String name) {
                Value value = MapScope.this.lookup(name);
                int dot = name.indexOf('.');
                if (value != null || dot < 0) {
                    return value;
                }
                String tensor = name.substring(0, dot);
                Shape shape = tensor.equals(OWN_INPUT) ? own : named.get(tensor);
                int axis = shape == null ? -1 : shape.axes().indexOf(name.substring(dot + 1));
                return axis < 0 ? null : Value.of(shape.dim(axis));
            }

            @Override
            public String whyUnknown(String name) {
                int dot = name.indexOf('.');
                String tensor = dot < 0 ? null : name.substring(0, dot);
                if (tensor != null && !named.containsKey(tensor) && fields.stream().anyMatch(field -> field.name().equals(tensor))) {
                    return "is a size of field " + tensor + ", which is not computed before this step: an expression reads the sizes of the "
                            + "inputs and of earlier fields (x." + name.substring(dot + 1) + " for the step's own input)";
                }
                return MapScope.this.whyUnknown(name);
            }

            @Override
            public boolean mayVary(String name) {
                return MapScope.this.mayVary(name);
            }

            @Override
            public Collection<String> names() {
                List<String> names = new java.util.ArrayList<>(MapScope.this.names());
                if (own != null) {
                    own.axes().forEach(axis -> names.add(OWN_INPUT + "." + axis));
                }
                named.forEach((tensor, shape) -> shape.axes().forEach(axis -> names.add(tensor + "." + axis)));
                return names;
            }
        };
    }

    @Override
    public Value lookup(String name) {
        for (Bound b = bound; b != null; b = b.previous()) {
            if (b.name().equals(name)) {
                return b.value();
            }
        }
        return values.get(name);
    }

    @Override
    public Collection<String> names() {
        if (bound == null) {
            return values.keySet();
        }
        // In the order the names came: the constants and dimensions, then the added ones (one added again keeps its place).
        List<String> added = new java.util.ArrayList<>();
        for (Bound b = bound; b != null; b = b.previous()) {
            added.add(b.name());
        }
        java.util.Set<String> names = new java.util.LinkedHashSet<>(values.keySet());
        for (int i = added.size() - 1; i >= 0; i--) {
            names.add(added.get(i));
        }
        return Collections.unmodifiableSet(names);
    }

    @Override
    public String whyUnknown(String name) {
        return lookup(name) != null ? null : unusable.apply(name);
    }

    @Override
    public boolean mayVary(String name) {
        return varying.contains(name);
    }
}
