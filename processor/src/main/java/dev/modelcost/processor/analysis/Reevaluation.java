package dev.modelcost.processor.analysis;

import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.Scope;
import dev.modelcost.processor.layers.Attrs;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.spec.AttrSpec;
import dev.modelcost.processor.spec.Operation.OpStep;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A layer's attributes that read the sizes of tensors ({@code size = [input.H, input.W]}, a padding
 * by {@code x2.W - up.W}), kept so that they can be evaluated again with those tensors at other
 * sizes, as a size program's shape rules do.
 */
public final class Reevaluation {
    private final OpStep op;
    private final MapScope scope;
    private final Map<String, Shape> tensors;
    private final String path;
    /** Each attribute, or condition, that reads tensors' sizes otherwise than by a rule that repeats, in the order written. */
    private final List<Unfollowed> unfollowed;
    /** The bare names the attributes read that are a tensor's axis ({@code h} as {@code input.H}). */
    private final Map<String, String> axisNames;
    private final List<SizeTest> tests;

    private Reevaluation(OpStep op, MapScope scope, Map<String, Shape> tensors, String path, List<Unfollowed> unfollowed, Map<String, String> axisNames,
            List<SizeTest> tests) {
        this.tests = tests;
        this.op = op;
        this.scope = scope;
        this.tensors = tensors;
        this.path = path;
        this.unfollowed = unfollowed;
        this.axisNames = axisNames;
    }

    /**
     * The layer's attributes as evaluated in {@code scope} with the {@code named} tensors of its
     * network (inputs and earlier steps), or null where none reads a tensor's axis.
     *
     * @param axisNames the bare names of the scope that are a tensor's axis ({@code h}, a size variable), by the axis's name
     */
    static Reevaluation of(OpStep asWritten, MapScope scope, Shape own, Map<String, Shape> named, Map<String, String> axisNames, String path) {
        OpStep op = derived(asWritten, scope);
        Map<String, Shape> tensors = new LinkedHashMap<>();
        Map<String, String> bare = new LinkedHashMap<>();
        boolean reads = false;
        List<Unfollowed> unfollowed = new java.util.ArrayList<>();
        for (AttrSpec attr : op.attrs()) {
            if (!attr.given() || attr.value() == null) {
                continue;
            }
            for (String written : attr.value().names()) {
                String name = written;
                if (written.indexOf('.') < 0) {
                    // A bare name that is a tensor's axis, where the scope gives it that axis's size (a parameter may shadow it).
                    String axis = TensorsAt.axisOf(written, axisNames, scope, named);
                    if (axis == null) {
                        continue;
                    }
                    bare.put(written, axis);
                    name = axis;
                }
                int dot = name.indexOf('.');
                if (dot <= 0) {
                    continue;
                }
                reads = true;
                // As the step's scope resolves it: a block input by its name first, then x as the layer's own input.
                String tensor = name.substring(0, dot);
                if ((scope.lookup(name) != null || !tensor.equals(MapScope.OWN_INPUT)) && named.containsKey(tensor)) {
                    tensors.put(tensor, named.get(tensor));
                }
            }
        }
        if (!reads) {
            return null;
        }
        java.util.function.Predicate<String> sized = name -> name.indexOf('.') > 0 || bare.containsKey(name);
        List<Expr> conditions = new java.util.ArrayList<>();
        List<String> texts = new java.util.ArrayList<>();
        List<Set<String>> conditionAxes = new java.util.ArrayList<>();
        for (AttrSpec attr : op.attrs()) {
            String why = attr.given() && attr.value() != null && readsAxes(attr.value(), sized)
                    ? notRepeating(attr.value(), sized, conditions) : null;
            while (texts.size() < conditions.size()) {
                texts.add(attr.text());
                conditionAxes.add(axesRead(attr.value(), bare));
            }
            if (why != null) {
                unfollowed.add(new Unfollowed(why + " (\"" + attr.text() + "\"), which can change at sizes no check reaches",
                        axesRead(attr.value(), bare)));
            }
        }
        List<SizeTest> tests = new java.util.ArrayList<>();
        if (!conditions.isEmpty()) {
            Map<String, Shape> withOwn = new LinkedHashMap<>(named);
            if (own != null) {
                withOwn.put(MapScope.OWN_INPUT, own);
            }
            Scope step = scope.forStep(own, named);
            for (int c = 0; c < conditions.size(); c++) {
                Expr condition = conditions.get(c);
                boolean held;
                try {
                    held = condition.truth(step);
                } catch (dev.modelcost.processor.expr.ExprException | ArithmeticException e) {
                    // a condition in a branch not taken here, which fails here (exact of what does not divide)
                    unfollowed.add(new Unfollowed("a condition that cannot be evaluated at the sizes analysed (\"" + texts.get(c) + "\"), which can "
                            + "change at sizes no check reaches", conditionAxes.get(c)));
                    continue;
                }
                SizeTest test = SizeTest.of(condition, "a condition of \"" + texts.get(c) + "\"", scope, step, withOwn, axisNames, held);
                if (test != null) {
                    tests.add(test);
                }
            }
        }
        return new Reevaluation(op, scope, Collections.unmodifiableMap(tensors), path, List.copyOf(unfollowed), Collections.unmodifiableMap(bare),
                List.copyOf(tests));
    }

    /**
     * The conditions of the attributes' {@code a ? b : c} that read tensors' sizes, each as a test: the rules a size program
     * follows the layer by hold where each holds as here, and the program refuses the sizes where one may not.
     */
    public List<SizeTest> tests() {
        return tests;
    }

    /**
     * The operation with each parameter its attributes read that was given by its default written out as that default
     * ({@code padB} as {@code (window - input.H % window) % window}), so that the attributes follow the sizes the default reads;
     * the operation itself where none is.
     */
    private static OpStep derived(OpStep op, MapScope scope) {
        if (!scope.hasDerivations()) {
            return op;
        }
        boolean any = false;
        List<AttrSpec> attrs = new java.util.ArrayList<>();
        for (AttrSpec attr : op.attrs()) {
            Expr value = attr.given() && attr.value() != null && attr.value().names().stream().anyMatch(name -> scope.derivation(name) != null)
                    ? attr.value().substitute(scope::derivation) : attr.value();
            boolean changed = value != null && !value.equals(attr.value());
            any |= changed;
            attrs.add(changed ? new AttrSpec(attr.name(), value, attr.given(), attr.type(), attr.site(), attr.text()) : attr);
        }
        return any ? new OpStep(op.kind(), List.copyOf(attrs), op.inputs(), op.site(), op.inputsSite()) : op;
    }

    private static boolean readsAxes(Expr expr, java.util.function.Predicate<String> sized) {
        return expr.names().stream().anyMatch(sized);
    }

    /**
     * What keeps an expression from changing with the sizes it reads by a rule that repeats, or null where it does: sums,
     * negations, products (of sizes too: the layer's rules then multiply maps of each, {@code (pad.H / 7) * (pad.W / 7)}), floor
     * division and remainders by numbers that read none, {@code exact(a, b)} by such a number (a floor division that fails where
     * {@code b} does not divide {@code a}: where {@code a} varies, the layer's own rule finds that it takes some sizes only, and the
     * program is refused for that), {@code floor}, {@code ceil} and {@code int} repeat. A comparison, {@code min} or {@code max} can
     * change at a size no check reaches, and a division by a size anywhere. A condition {@code a ? b : c} repeats where its branches
     * do: its condition, where it reads a size, is added to {@code conditions}, a test the program keeps to the sizes where it holds
     * as here.
     */
    private static String notRepeating(Expr expr, java.util.function.Predicate<String> sized, List<Expr> conditions) {
        if (expr instanceof Expr.Literal || expr instanceof Expr.Name) {
            return null;
        }
        if (expr instanceof Expr.ListOf list) {
            return list.items().stream().map(item -> notRepeating(item, sized, conditions)).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        }
        if (expr instanceof Expr.Unary unary) {
            return unary.op() == '-' ? notRepeating(unary.operand(), sized, conditions) : "a condition";
        }
        if (expr instanceof Expr.Binary binary) {
            String inside = notRepeating(binary.left(), sized, conditions);
            inside = inside != null ? inside : notRepeating(binary.right(), sized, conditions);
            if (inside != null) {
                return inside;
            }
            return switch (binary.op()) {
                case "+", "-", "*" -> null;
                case "/", "%" -> readsAxes(binary.right(), sized) ? "a division by a size" : null;
                default -> "a comparison or a condition";
            };
        }
        if (expr instanceof Expr.Call call) {
            if (call.function().equals("exact") && readsAxes(call.args().get(1), sized)) {
                return "a division by a size";
            }
            if (!List.of("floor", "ceil", "int", "exact").contains(call.function())) {
                return List.of("min", "max").contains(call.function()) ? call.function() : "the function " + call.function();
            }
            return call.args().stream().map(arg -> notRepeating(arg, sized, conditions)).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        }
        if (expr instanceof Expr.Conditional conditional) {
            // Its condition is a test of the sizes, which holds as here in a box of sizes the program keeps to; its branches must repeat.
            if (readsAxes(conditional.condition(), sized) && !conditions.contains(conditional.condition())) {
                conditions.add(conditional.condition());
            }
            String then = notRepeating(conditional.then(), sized, conditions);
            return then != null ? then : notRepeating(conditional.otherwise(), sized, conditions);
        }
        return "an index";
    }

    /**
     * An attribute, or a condition of one, that reads tensors' sizes otherwise than by a rule that repeats.
     *
     * @param why how it reads them, its text and why a size program does not follow it ({@code a division by a size ("pad = [0, 64 /
     *     input.W]"), which can change at sizes no check reaches})
     * @param axes the tensors' axes it reads, as {@link #axesRead()} names them ({@code input.W})
     */
    public record Unfollowed(String why, Set<String> axes) {}

    /**
     * The first attribute, or condition, that reads tensors' sizes otherwise than by a rule that repeats and reads an axis that
     * {@code varies} (a size program would have to follow its value at other sizes); null where there is none. An attribute that
     * reads only axes that keep their sizes whatever the size variables ({@code cout = max(1, x.C / 4)}, the channels of a
     * squeeze-and-excitation block) has one value at every size, which the program needs not follow.
     *
     * @param varies whether an axis, as {@link #axesRead()} names it, changes with the size variables
     */
    public String unfollowed(java.util.function.Predicate<String> varies) {
        return unfollowed.stream().filter(read -> read.axes().stream().anyMatch(varies)).map(Unfollowed::why).findFirst().orElse(null);
    }

    /** The tensors' axes {@code expr} reads, as {@link #axesRead()} names them: a bare name that stands for an axis as that axis. */
    private static Set<String> axesRead(Expr expr, Map<String, String> bare) {
        Set<String> axes = new java.util.LinkedHashSet<>();
        for (String name : expr.names()) {
            String axis = bare.getOrDefault(name, name);
            if (axis.indexOf('.') > 0) {
                axes.add(axis);
            }
        }
        return Collections.unmodifiableSet(axes);
    }

    /**
     * The tensors' axes the attributes read, each as {@code tensor.AXIS} ({@code x.W}, {@code input.H}; a bare name that stands for
     * an axis as that axis), in the order read: a name of {@link #tensors()} is that tensor, {@code x} otherwise the layer's own input.
     */
    public java.util.Set<String> axesRead() {
        java.util.Set<String> axes = new java.util.LinkedHashSet<>();
        for (AttrSpec attr : op.attrs()) {
            if (attr.given() && attr.value() != null) {
                axes.addAll(axesRead(attr.value(), axisNames));
            }
        }
        return axes;
    }

    /** The tensors the attributes read besides the layer's own input, by name, at the sizes the layer was analysed at. */
    public Map<String, Shape> tensors() {
        return tensors;
    }

    /**
     * The attributes with the layer's own input and the named tensors at other shapes.
     *
     * @param own the layer's first input, or null where it has none
     * @param named the tensors of {@link #tensors()} by name, any of them at another shape
     * @throws dev.modelcost.processor.diag.Problem where an attribute fails there
     */
    public Attrs at(Shape own, Map<String, Shape> named) {
        Scope step = scope.forStep(own, named);
        return Evaluation.attributes(op, new TensorsAt(step, axisNames, named), path);
    }
}
