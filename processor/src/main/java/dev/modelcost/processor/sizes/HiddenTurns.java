package dev.modelcost.processor.sizes;

import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.ExprParser;
import dev.modelcost.processor.layers.DeclaredFormula;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.spec.AttrSpec;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.NetworkSpec;
import dev.modelcost.processor.spec.Operation;
import dev.modelcost.processor.spec.ParamSpec;
import dev.modelcost.processor.spec.SizeVariable;
import dev.modelcost.processor.spec.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds, in a model's expressions, what the closed forms' box of sizes cannot see: a test of several size variables that can turn
 * inside a box whose corners and edges hold, and a value of several that can fall to 0 there ({@link #find}).
 */
final class HiddenTurns {
    /** The model's expressions' reader: its constants and size variables. */
    private final SizeReads reads;
    /** The size variables, and the model's inputs at the declared sizes. */
    private final List<SizeVariable> sizes;
    private final List<Shape> inputs;
    /** The size variables in the order of {@code @Model(sizes)}, by name, and those that are the batch. */
    private final List<String> order;
    private final Set<String> variables;
    private final Set<String> batch;
    /**
     * The size variables a layer's attribute reads in a way that may make a tensor's axis fall as the variable grows (a pad that
     * falls, a stride or a kernel that grows with it), of the layers {@link #walk} has walked so far: an axis that follows
     * such a variable moves either way ({@link #named}) in the tests after them, which read tensors that they may have made.
     */
    private final Set<String> wavering = new java.util.TreeSet<>();
    /** The names of fixed axes ({@link #SizeReads.FIXED_AXES}) that a reshape's layout gives an axis of varying sizes. */
    private final Set<String> varyingFixed = new java.util.TreeSet<>();
    /**
     * What the bare names {@code in}, {@code h} and {@code w} of a network stood for in its analyses: a tensor's axis for each
     * ({@code in} as {@code x.W} where a block's input has lost its channels), absent where the name is no axis ({@link #inputNames}).
     */
    private final java.util.function.Function<NetworkSpec, Set<Map<String, String>>> inputAxes;
    /** The smallest size of each variable where the forms hold, in the order of {@code @Model(sizes)}: a size variable is at least that. */
    private final long[] lows;
    /** The first layer's attribute that {@link #nonMonotone} or {@link #jointlyTurning} finds, while {@link #walk} is {@link #gathering}. */
    private Hidden value;
    /**
     * Whether {@link #walk} only looks for a {@link #value} and gathers {@link #varyingFixed}, before it looks for tests;
     * the names read meanwhile follow their variables one way, whatever {@link #wavering} holds.
     */
    private boolean gathering;
    /**
     * Attributes an output's size grows with: a reshape's shape, features, a kind's output, a padding. Another attribute that
     * reads a size variable may make an axis fall as it grows, but for those it falls with.
     */
    private static final Set<String> GROWING = Set.of("shape", "size", "sizes", "output", "out", "cout", "features", "normalizedShape", "padding",
            "paddingH", "paddingW", "paddingD", "pad", "outputPadding", "outputPaddingH", "outputPaddingW", "outputPaddingD", "end", "scaleFactor");
    /** Attributes an output's size falls with: strides, kernels, dilations and a slice's start. */
    private static final Set<String> FALLING = Set.of("stride", "strideH", "strideW", "strideD", "k", "kh", "kw", "kd", "dilation", "dilationH",
            "dilationW", "dilationD", "start");

    private HiddenTurns(ModelSpec spec, java.util.function.Function<NetworkSpec, Set<Map<String, String>>> inputAxes, long[] lows) {
        this.reads = SizeReads.of(spec);
        this.sizes = spec.sizes();
        this.inputs = spec.inputs();
        this.order = sizes.stream().map(SizeVariable::name).toList();
        this.variables = Set.copyOf(order);
        this.batch = Set.copyOf(sizes.stream().filter(SizeVariable::batch).map(SizeVariable::name).toList());
        this.inputAxes = inputAxes;
        this.lows = lows.clone();
    }

    /**
     * Which way a layer's output moves as its attribute {@code name} grows: {@link Monotone#UP} for {@link #GROWING},
     * {@link Monotone#DOWN} for {@link #FALLING}, either way ({@link Monotone#ANY}) for another. A transposed convolution's output,
     * (in - 1)·stride - 2·padding + dilation·(k - 1) + outputPadding + 1 (PyTorch's {@code ConvTranspose2d}), grows with its stride,
     * kernel and dilation and falls with its padding.
     */
    private static int shapes(Operation.OpStep op, String name) {
        boolean transposed = op.kind().name().startsWith("ConvTranspose");
        if (transposed && name.startsWith("padding")) {
            return Monotone.DOWN;
        }
        if (transposed && FALLING.contains(name)) {
            return Monotone.UP;
        }
        return GROWING.contains(name) ? Monotone.UP : FALLING.contains(name) ? Monotone.DOWN : Monotone.ANY;
    }


    /**
     * A test of several sizes that the closed forms' box cannot respect, where it is and the size variables it reads, the batch
     * last.
     *
     * @param where the expression as written, with where it is ({@code @When("..") of b})
     * @param variables the size variables it compares
     * @param why what it does, as the message says it after "it compares sizes that follow H and W together", or for a
     *     {@code value} after "its value"
     * @param value whether it is a layer's attribute whose value does not move one way with a size ({@link #FALLS_BETWEEN}, {@link #JOINTLY_BETWEEN}), not a test
     */
    record Hidden(String where, List<String> variables, String why, boolean value) {}

    /**
     * Attributes that take 0 or less (a slice's start and end, an index, a dimension, a roll's shifts, a pad's fill value), as a
     * padding does: {@link #nonMonotone} does not look at them, {@link #jointlyTurning} does.
     */
    private static final Set<String> TAKE_ZERO = Set.of("start", "end", "index", "dim", "dims", "dim0", "dim1", "shifts", "value");

    /** What a layer's attribute that {@link #nonMonotone} finds does, as the message says it after "its value". */
    static final String FALLS_BETWEEN = "a value of several sizes, does not move one way as each grows, so that it can fall to what the layer "
            + "does not take (an output of 0 features) on a line or an island of sizes inside a box whose corners and edges the forms are "
            + "checked at, where the network does not exist";

    /**
     * The first expression of the model that tests sizes of two or more variables in a way the closed forms' box of sizes cannot
     * respect; null where there is none. That is:
     * <ul>
     * <li>an equality of sizes of two variables ({@code L == batch}, {@code x.W - b != 0} with {@code @Args("b = H")},
     *     {@code x.H == 3 * x.W}): such a test turns along a line of sizes, which passes between the sizes the closed forms are
     *     checked at. The shape rules find those of tensors' sizes by the sizes each axis holds, but neither the batch nor a
     *     parameter is a tensor's axis, they do not read a {@code @LayerKind} formula, and they stop at the first test they
     *     cannot follow (a comparison of two sizes for order), before the tests after it;</li>
     * <li>a comparison, or a {@code min} or {@code max}, of two or more variables that does not move one way with each, or two
     *     comparisons of one test that move opposite ways ({@link Monotone#turnIn}): it can turn on an island or a line inside a box
     *     of sizes whose corners and edges keep the declared value.</li>
     * </ul>
     * And a layer's attribute, a kind's output, a count or a value given to a parameter that reads two or more size variables and
     * moves both ways with one ({@link #FALLS_BETWEEN}), or that takes 0 and moves both ways as no sum or product of parts of one
     * size does ({@link #JOINTLY_BETWEEN}). A tensor's axis is taken to follow the size variable of its name ({@code x.W} follows {@code W}); every expression is looked
     * at: a {@code @When}, a layer's attribute, a parameter's default, an {@code @Args} value, {@code first}, a {@code @Repeat}
     * count and a {@code @LayerKind} formula.
     */

    static Hidden find(ModelSpec spec, java.util.function.Function<NetworkSpec, Set<Map<String, String>>> inputAxes, long[] lows) {
        HiddenTurns turns = new HiddenTurns(spec, inputAxes, lows);
        turns.gathering = true;
        turns.walk(spec.network(), "", Map.of(), Set.of(), new java.util.HashSet<>());
        turns.gathering = false;
        turns.wavering.clear();
        Hidden test = turns.walk(spec.network(), "", Map.of(), Set.of(), new java.util.HashSet<>());
        return test != null ? test : turns.value;
    }

    /**
     * As {@link #find}, in {@code network}, whose parameters {@code carried} are given through {@code @Args} what they hold
     * (the sizes and constants), and whose parameters {@code given} are given there at all (their defaults unread).
     */
    private Hidden walk(NetworkSpec network, String path, Map<String, Monotone> carried, Set<String> given, Set<List<Object>> visited) {
        // once for each way its analyses resolved in, h and w (a block used where its input is H,W and where it is W,H); where none
        // reached it, named reads them
        List<Map<String, String>> readings = new ArrayList<>(inputAxes.apply(network));
        readings.sort(java.util.Comparator.comparing(Map::toString));
        for (Map<String, String> reading : readings.isEmpty() ? java.util.Collections.<Map<String, String>>singletonList(null) : readings) {
            Hidden found = walk(network, path, carried, given, visited, reading);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** As {@link #walk(NetworkSpec, String, Map, Set, Set)}, with {@code in}, {@code h} and {@code w} the axes {@code reading} gives. */
    private Hidden walk(NetworkSpec network, String path, Map<String, Monotone> carried, Set<String> given, Set<List<Object>> visited,
            Map<String, String> reading) {
        if (!visited.add(java.util.Arrays.asList(System.identityHashCode(network), network.name(), carried, given, Set.copyOf(wavering), reading))) {
            return null;
        }
        Map<String, Monotone> scope = new HashMap<>();
        network.constants().forEach((name, value) -> scope.put(name, Monotone.constant(value)));
        scope.putAll(carried);
        if (reading != null) {
            scope.putAll(inputNames(reading, scope));
        }
        if (path.isEmpty()) {
            scope.putAll(modelInputs(network));
        }
        for (ParamSpec param : network.params()) {
            if (given.contains(param.name()) || param.fallback() == null) {
                continue;
            }
            Hidden found = bound(param.fallback(), scope, "@Param " + param.name() + " = \"" + param.fallbackText() + "\" of " + network.name());
            if (found != null) {
                return found;
            }
            // given by first alone, the other repetitions take the default
            scope.merge(param.name(), Monotone.of(param.fallback(), name -> named(name, scope)), Monotone::or);
        }
        for (Step step : network.steps()) {
            String where = path.isEmpty() ? step.name() : path + "." + step.name();
            Hidden found = step.when() == null ? null : hidden(step.when(), scope, "@When(\"" + step.whenText() + "\") of " + where, null);
            if (found != null) {
                return found;
            }
            if (step.operation() instanceof Operation.OpStep op) {
                Map<String, Expr> attributes = new HashMap<>();
                for (AttrSpec attr : op.attrs()) {
                    found = attr.given() && attr.value() != null ? hidden(attr.value(), scope, "a condition of \"" + attr.text() + "\" of " + where, attr.name())
                            : null;
                    if (found != null) {
                        return found;
                    }
                    if (attr.value() != null) {
                        attributes.put(attr.name(), attr.value());
                    }
                }
                if (op.kind().formula() instanceof DeclaredFormula declared) {
                    for (Map.Entry<String, Expr> formula : declared.expressions().entrySet()) {
                        // a cost formula shapes no tensor; the output's does
                        found = hidden(formula.getValue().substitute(attributes::get), scope, SizeReads.formula(declared, formula.getKey(), where),
                                formula.getKey().equals("output") ? "output" : null);
                        if (found != null) {
                            return found;
                        }
                    }
                }
                // the tests after this layer read tensors it may have made
                relabelled(op.attrs(), attributes, scope);
                if (!gathering) {
                    waver(op, attributes, scope);
                }
            } else if (step.operation() instanceof Operation.BlockOp use) {
                Map<String, Monotone> inner = new HashMap<>();
                Set<String> names = new java.util.HashSet<>();
                for (List<ExprParser.Assignment> assignments : List.of(use.args(), use.first())) {
                    for (ExprParser.Assignment assignment : assignments) {
                        found = assignment.value() == null ? null : bound(assignment.value(), scope, (assignments == use.args() ? "@Args(\""
                                : "@Repeat(first = \"") + assignment.text() + "\") of " + where);
                        if (found != null) {
                            return found;
                        }
                        if (assignments == use.args()) {
                            names.add(assignment.name());
                        }
                        if (assignment.value() != null) {
                            inner.merge(assignment.name(), Monotone.of(assignment.value(), name -> named(name, scope)), Monotone::or);
                        }
                    }
                }
                found = use.count() == null ? null : hidden(use.count().expr(), scope, "@Repeat(count = \"" + use.count().text() + "\") of " + where, "count");
                if (found != null) {
                    return found;
                }
                for (ExprParser.Assignment assignment : use.expertsWith()) {
                    found = assignment.value() == null ? null : hidden(assignment.value(), scope, "@Experts(with = \"" + assignment.text() + "\") of "
                            + where, null);
                    if (found != null) {
                        return found;
                    }
                }
                // a repetition reads what the one before made: its tests again, where the block's layers add to wavering
                Set<String> before;
                do {
                    before = Set.copyOf(wavering);
                    found = walk(use.block(), where, Map.copyOf(inner), Set.copyOf(names), visited);
                    if (found != null) {
                        return found;
                    }
                } while (use.count() != null && !wavering.equals(before));
            }
        }
        return null;
    }

    /**
     * Adds to {@link #wavering} the variables of a reshape's axis that its layout names after another variable than the sizes it
     * holds ({@code shape = [x.C, x.W, x.H]} as {@code C,H,W}, or {@code x.H * x.W / 16} as {@code H}), as an axis is read as
     * following the variable of its name; and to {@link #varyingFixed} a fixed axis's name given sizes that vary.
     */
    private void relabelled(List<AttrSpec> attrs, Map<String, Expr> attributes, Map<String, Monotone> scope) {
        String layout = attrs.stream().filter(attr -> attr.name().equals("layout") && attr.type() == AttrSpec.Type.TEXT).map(AttrSpec::text)
                .findFirst().orElse("");
        if (!(attributes.get("shape") instanceof Expr.ListOf shape) || layout.isBlank()) {
            return;
        }
        String[] axes = layout.split(",");
        for (int i = 0; i < shape.items().size() && i < axes.length; i++) {
            Set<String> held = Monotone.of(shape.items().get(i), name -> named(name, scope)).directions().keySet();
            String axis = axes[i].strip();
            if (held.isEmpty() || held.equals(Set.of(axis))) {
                continue;
            }
            if (variables.contains(axis)) {
                // an axis named after one variable holds another's sizes
                wavering.addAll(held);
                wavering.add(axis);
            } else if (SizeReads.FIXED_AXES.contains(axis)) {
                // a fixed axis's name on sizes that vary: read as an axis of another name
                varyingFixed.add(axis);
                wavering.addAll(held);
            }
            // an axis of another name (L of H·W) is read as growing with every variable; a shape that falls marks them already
        }
    }

    /**
     * Adds to {@link #wavering} the variables that a layer's attributes (their values {@code attributes}) read in a way that may
     * make its output's axes fall as they grow: against the way the output moves as the attribute grows ({@link #shapes}), or any
     * way where that is not known. A list's elements are read one by one: a shape of {@code [x.C, x.H * x.W]} grows with H and W.
     */
    private void waver(Operation.OpStep op, Map<String, Expr> attributes, Map<String, Monotone> scope) {
        Map<Expr, Integer> shaping = new java.util.LinkedHashMap<>();
        for (AttrSpec attr : op.attrs()) {
            if (attr.given() && attr.value() != null) {
                shaping.put(attr.value(), shapes(op, attr.name()));
            }
        }
        if (op.kind().formula() instanceof DeclaredFormula declared && declared.expressions().containsKey("output")) {
            shaping.put(declared.expressions().get("output").substitute(attributes::get), Monotone.UP);
        }
        shaping.forEach((expr, shapes) -> {
            for (Expr item : expr instanceof Expr.ListOf list ? list.items() : List.of(expr)) {
                Monotone.of(item, name -> named(name, scope)).directions().forEach((variable, direction) -> {
                    if (shapes == Monotone.ANY || direction != shapes) {
                        wavering.add(variable);
                    }
                });
            }
        });
    }

    /**
     * As {@link #hidden}, for a value given to a parameter (a default, an {@code @Args} or {@code first} value), which
     * {@link #nonMonotone} looks at too: a layer's attribute that reads the parameter reads what it holds.
     */
    private Hidden bound(Expr expr, Map<String, Monotone> scope, String where) {
        if (gathering && value == null) {
            value = nonMonotone(expr, scope, where);
        }
        return hidden(expr, scope, where, null);
    }

    /**
     * The test of {@code expr} that {@link #find} refuses, as {@code where} says it; null where it has none. While
     * {@link #gathering}, none: a layer's attribute (its name {@code attribute}, null for another expression) may be the first
     * {@link #value}, by {@link #nonMonotone}, or by {@link #jointlyTurning} where it takes 0 ({@link #TAKE_ZERO}, a padding).
     */
    private Hidden hidden(Expr expr, Map<String, Monotone> scope, String where, String attribute) {
        if (gathering) {
            if (attribute != null && value == null) {
                boolean takesZero = TAKE_ZERO.contains(attribute) || attribute.toLowerCase(java.util.Locale.ROOT).contains("pad");
                value = takesZero ? jointlyTurning(expr, scope, where) : nonMonotone(expr, scope, where);
            }
            return null;
        }
        Monotone.Turn turn = Monotone.turnIn(expr, name -> named(name, scope));
        return turn == null ? null : new Hidden(where, batchLast(turn.variables()), turn.why(), false);
    }

    /**
     * A layer's attribute, a kind's output, a count or a value given to a parameter, or an element of its list, that reads two or more size
     * variables and does not move one way with each, as written or with its like terms collected where it is a polynomial
     * ({@code out = (x.H - x.W) * (x.H - x.W)}, 0 along the line H = W): it can fall to 0 on a line or an island of sizes inside a box
     * whose corners and edges the forms are checked at, where the network does not exist. A value of one size variable is followed
     * along its lattice instead, and the forms are checked next to where it turns ({@link Thresholds#turnsOfEvaluated}). Null where
     * there is none.
     */
    private Hidden nonMonotone(Expr expr, Map<String, Monotone> scope, String where) {
        java.util.function.Function<String, Monotone> names = name -> named(name, scope);
        for (Expr item : expr instanceof Expr.ListOf list ? list.items() : List.of(expr)) {
            Monotone written = Monotone.of(item, names);
            if (written.directions().size() < 2 || !written.directions().containsValue(Monotone.ANY)) {
                continue;
            }
            Monotone value = polynomial(item, names, scope) ? Monotone.of(collected(item), names) : written;
            List<String> either = value.directions().entrySet().stream().filter(direction -> direction.getValue() == Monotone.ANY)
                    .map(Map.Entry::getKey).toList();
            if (!either.isEmpty()) {
                return new Hidden(where.replaceFirst("^a condition of ", ""), batchLast(value.directions().keySet()), FALLS_BETWEEN, true);
            }
        }
        return null;
    }

    /**
     * An attribute that takes 0 ({@link #TAKE_ZERO}, a padding), or an element of its list, that moves both ways with a size where
     * two parts of it that each read two or more size variables meet ({@link #separable}): {@code 10 * (x.H * x.W / 3000) * (3000 /
     * (x.H * x.W))} is 10 on the curve H·W = 3,000 alone, which neither size crosses with the other at its default, so that nothing
     * followed along one size reaches it ({@link #JOINTLY_BETWEEN}). A product or sum of parts of one variable each is followed
     * instead, each part where it turns ({@link Thresholds.Evaluated#masked}). Null where there is none.
     */
    private Hidden jointlyTurning(Expr expr, Map<String, Monotone> scope, String where) {
        java.util.function.Function<String, Monotone> names = name -> named(name, scope);
        for (Expr item : expr instanceof Expr.ListOf list ? list.items() : List.of(expr)) {
            if (!separable(item, names)) {
                return new Hidden(where.replaceFirst("^a condition of ", ""), batchLast(Monotone.of(item, names).directions().keySet()),
                        JOINTLY_BETWEEN, true);
            }
        }
        return null;
    }

    /** What an attribute that takes 0 and {@link #jointlyTurning} finds does, as the message says it after "its value". */
    static final String JOINTLY_BETWEEN = "a value of several sizes, moves both ways with a measure of them together (a product, as a "
            + "flattened axis holds it), so that it can take another value on a line or an island of sizes that no size followed alone "
            + "reaches, inside a box whose corners and edges the forms are checked at";

    /**
     * Whether an expression reads one size variable at most, moves one way with each it reads ({@link Monotone}), is a remainder by
     * a number, or is a sum, difference or product of such expressions of which one at most reads two or more variables.
     */
    private static boolean separable(Expr expr, java.util.function.Function<String, Monotone> names) {
        Monotone moves = Monotone.of(expr, names);
        if (moves.directions().size() < 2 || !moves.directions().containsValue(Monotone.ANY)) {
            return true;
        }
        if (expr instanceof Expr.Unary unary) {
            return separable(unary.operand(), names);
        }
        if (expr instanceof Expr.Binary binary && binary.op().equals("%") && binary.right() instanceof Expr.Literal) {
            return true; // a remainder by a number repeats on a lattice of that period, which the shape rules follow ((x.H + x.W) % 2)
        }
        if (expr instanceof Expr.Binary binary && List.of("+", "-", "*").contains(binary.op())) {
            boolean bothJoint = Monotone.of(binary.left(), names).directions().size() > 1 && Monotone.of(binary.right(), names).directions().size() > 1;
            return !bothJoint && separable(binary.left(), names) && separable(binary.right(), names);
        }
        return false;
    }

    /**
     * A {@link #polynomial} expression with its like terms collected, each name and each floor quotient one variable:
     * {@code -(w - 26) + (w - 20)} is 6, which moves no way, and {@code (h - 50) * (h - 50)} is {@code h·h - 100·h + 2500}.
     */
    private static Expr collected(Expr expr) {
        List<Expr> atoms = new ArrayList<>();
        atoms(expr, atoms);
        Expr sum = null;
        for (Map.Entry<List<Integer>, Fraction> term : expanded(expr, atoms).terms().entrySet()) {
            Fraction coefficient = term.getValue();
            if (!coefficient.denominator().equals(java.math.BigInteger.ONE) || coefficient.numerator().bitLength() > 62) {
                return expr;
            }
            Expr product = new Expr.Literal(dev.modelcost.processor.expr.Value.of(coefficient.numerator().longValue()));
            for (int i = 0; i < atoms.size(); i++) {
                for (int e = 0; e < term.getKey().get(i); e++) {
                    product = new Expr.Binary("*", product, atoms.get(i));
                }
            }
            sum = sum == null ? product : new Expr.Binary("+", sum, product);
        }
        return sum == null ? new Expr.Literal(dev.modelcost.processor.expr.Value.of(0)) : sum;
    }

    /** The names, floor quotients and remainders of a {@link #polynomial} expression, each once, in the order met. */
    private static void atoms(Expr expr, List<Expr> atoms) {
        if (expr instanceof Expr.Binary binary && List.of("+", "-", "*").contains(binary.op())) {
            atoms(binary.left(), atoms);
            atoms(binary.right(), atoms);
        } else if (expr instanceof Expr.Unary unary) {
            atoms(unary.operand(), atoms);
        } else if (!(expr instanceof Expr.Literal) && !atoms.contains(expr)) {
            atoms.add(expr);
        }
    }

    /** A {@link #polynomial} expression as a polynomial in its {@code atoms}. */
    private static Polynomial expanded(Expr expr, List<Expr> atoms) {
        if (expr instanceof Expr.Literal literal) {
            return Polynomial.constant(atoms.size(), Fraction.of(literal.value().number()));
        }
        if (expr instanceof Expr.Unary unary) {
            return expanded(unary.operand(), atoms).times(Fraction.of(-1));
        }
        if (expr instanceof Expr.Binary binary && List.of("+", "-", "*").contains(binary.op())) {
            Polynomial left = expanded(binary.left(), atoms);
            Polynomial right = expanded(binary.right(), atoms);
            return binary.op().equals("+") ? left.plus(right) : binary.op().equals("-") ? left.minus(right) : left.times(right);
        }
        return Polynomial.linear(atoms.size(), atoms.indexOf(expr), Fraction.ONE, Fraction.ZERO);
    }

    /**
     * Whether an expression is made of names, whole numbers, sums, differences, products, negations, and floor quotients and remainders
     * by a divisor that reads no size, alone; a parameter of {@code scope} that moves both ways with a size is none.
     */
    private static boolean polynomial(Expr expr, java.util.function.Function<String, Monotone> names, Map<String, Monotone> scope) {
        if (expr instanceof Expr.Unary unary) {
            return unary.op() == '-' && polynomial(unary.operand(), names, scope);
        }
        if (expr instanceof Expr.Binary binary) {
            boolean byNumber = List.of("/", "%").contains(binary.op()) && Monotone.of(binary.right(), names).directions().isEmpty();
            return (byNumber || List.of("+", "-", "*").contains(binary.op())) && polynomial(binary.left(), names, scope)
                    && polynomial(binary.right(), names, scope);
        }
        if (expr instanceof Expr.Name name) {
            // a parameter that moves both ways was given a value looked at where it was given, or one that rounds or chooses
            return !scope.containsKey(name.name()) || !scope.get(name.name()).directions().containsValue(Monotone.ANY);
        }
        return expr instanceof Expr.Literal literal && !literal.value().isDecimal();
    }

    /**
     * What the bare names {@code in}, {@code h} and {@code w} are to {@link Monotone} in one of the ways a network's analyses resolved
     * them ({@link #inputAxes}): the axis each stood for, and {@code in} where it was the channels or features an axis that keeps its
     * size.
     */
    private Map<String, Monotone> inputNames(Map<String, String> reading, Map<String, Monotone> scope) {
        Map<String, Monotone> names = new HashMap<>();
        for (String bare : List.of("in", "h", "w")) {
            if (reading.containsKey(bare)) {
                names.put(bare, named(reading.get(bare), scope));
            } else if (bare.equals("in")) {
                names.put(bare, Monotone.AXIS);
            }
        }
        return names;
    }

    /**
     * The model's input axes that are size variables ({@code input.H}), each at least the smallest size of its variable where the
     * forms hold ({@link #lows}).
     */
    private Map<String, Monotone> modelInputs(NetworkSpec network) {
        Map<String, Monotone> axes = new HashMap<>();
        for (int v = 0; v < order.size(); v++) {
            SizeVariable variable = sizes.get(v);
            if (!variable.batch()) {
                axes.put(network.inputs().get(variable.input()) + "." + inputs.get(variable.input()).axis(variable.axis()),
                        new Monotone(Map.of(variable.name(), Monotone.UP), Math.max(1, lows[v]), Double.POSITIVE_INFINITY));
            }
        }
        return axes;
    }

    /** The variables read, in the order of {@code @Model(sizes)}, the batch last. */
    private List<String> batchLast(java.util.Collection<String> read) {
        List<String> sizes = new ArrayList<>(order.stream().filter(name -> read.contains(name) && !batch.contains(name)).toList());
        sizes.addAll(order.stream().filter(name -> read.contains(name) && batch.contains(name)).toList());
        return sizes;
    }

    /**
     * What a name is to {@link Monotone}: a parameter or constant of {@code scope}; a size variable by its name; a tensor's axis of
     * a variable's name ({@code x.W}, {@code input.L}), {@code h} and {@code w} as {@code H} and {@code W}, which grows with it; a
     * tensor's axis of another name that may vary ({@code r.L} of a reshape of H·W), which grows with every variable but the batch;
     * each of which moves either way with a {@link #wavering} variable, unless {@link #gathering}. A fixed axis ({@code x.C}) is at least 1; anything else a
     * value of unknown bounds.
     */
    private Monotone named(String name, Map<String, Monotone> scope) {
        if (scope.containsKey(name)) {
            return scope.get(name);
        }
        int dot = name.lastIndexOf('.');
        boolean constant = reads.isConstant(name);
        String axis = dot > 0 && !constant ? name.substring(dot + 1) : name.equals("h") ? "H" : name.equals("w") ? "W" : null;
        if (variables.contains(name) && dot < 0) {
            return Monotone.size(name);
        }
        if (axis == null || batch.contains(axis) || SizeReads.FIXED_AXES.contains(axis) && !variables.contains(axis) && !varyingFixed.contains(axis)) {
            return dot > 0 && !constant ? Monotone.AXIS : Monotone.UNKNOWN;
        }
        Map<String, Integer> follows = new java.util.TreeMap<>();
        for (String variable : variables.contains(axis) ? List.of(axis) : order) {
            if (!batch.contains(variable)) {
                follows.put(variable, wavering.contains(variable) && !gathering ? Monotone.ANY : Monotone.UP);
            }
        }
        return new Monotone(follows, 1, Double.POSITIVE_INFINITY);
    }
}
