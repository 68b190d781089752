package dev.modelcost.processor.sizes;

import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.ExprParser;
import dev.modelcost.processor.layers.DeclaredFormula;
import dev.modelcost.processor.spec.AttrSpec;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.NetworkSpec;
import dev.modelcost.processor.spec.Operation;
import dev.modelcost.processor.spec.ParamSpec;
import dev.modelcost.processor.spec.SizeVariable;
import dev.modelcost.processor.spec.Step;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds an expression of a model that may read a size which varies: a size variable by its name,
 * an image's {@code h} or {@code w}, or any tensor's axis but its channels or features
 * ({@code input.H}, {@code x2.W}, {@code x.L}). Such an expression can make a block or its arguments
 * change with the sizes, which a {@link dev.modelcost.SizeProgram} (every block and step as at the
 * declared sizes) cannot follow. A layer's attribute is followed instead, and so is a parameter's
 * default that only attributes read: the shape rules evaluate them again at each size they run the
 * layer at ({@link dev.modelcost.processor.analysis.Reevaluation}). A {@code @When} is followed where
 * it holds as at the declared sizes ({@link dev.modelcost.processor.analysis.SizeTest}), unless it
 * reads the batch.
 */
final class SizeReads {
    /** Axes that keep their size whatever the size variables (channels, features, an embedding), unless a size variable is named so. */
    private static final Set<String> FIXED_AXES = Set.of("C", "D", "E", "F");

    private final Set<String> variables;
    /** The size variables, and the model's inputs at the declared sizes. */
    private final List<SizeVariable> sizes;
    private final List<dev.modelcost.processor.layers.Shape> inputs;
    /** The size variables in the order of {@code @Model(sizes)}. */
    private final List<String> order;
    /** The size variable that is the batch, where there is one. */
    private final Set<String> batch;
    /** The constants of every network of the model, another class's ({@code Limits.MAX_LEN}) included, each at its largest magnitude. */
    private final Map<String, Long> constants = new HashMap<>();
    private final Set<NetworkSpec> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    /**
     * The size variables a layer's attribute reads in a way that may make a tensor's axis fall as the variable grows (a pad that
     * falls, a stride or a kernel that grows with it), of the layers {@link #hiddenTestIn} has walked so far: an axis that follows
     * such a variable moves either way ({@link #named}) in the tests after them, which read tensors that they may have made.
     */
    private final Set<String> wavering = new java.util.TreeSet<>();
    /** The names of fixed axes ({@link #FIXED_AXES}) that a reshape's layout gives an axis of varying sizes. */
    private final Set<String> varyingFixed = new java.util.TreeSet<>();
    /**
     * What the bare names {@code in}, {@code h} and {@code w} of a network stood for in its analyses: a tensor's axis for each
     * ({@code in} as {@code x.W} where a block's input has lost its channels), absent where the name is no axis ({@link #inputNames}).
     */
    private java.util.function.Function<NetworkSpec, Set<Map<String, String>>> inputAxes = network -> Set.of();
    /** The smallest size of each variable where the forms hold, in the order of {@code @Model(sizes)}: a size variable is at least that. */
    private long[] lows;
    /** The first layer's attribute that {@link #nonMonotone} finds, while {@link #hiddenTestIn} is {@link #gathering}. */
    private Hidden value;
    /**
     * Whether {@link #hiddenTestIn} only looks for a {@link #value} and gathers {@link #varyingFixed}, before it looks for tests;
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

    private SizeReads(ModelSpec spec) {
        this.sizes = spec.sizes();
        this.inputs = spec.inputs();
        this.lows = new long[sizes.size()];
        this.order = spec.sizes().stream().map(SizeVariable::name).toList();
        this.variables = Set.copyOf(order);
        this.batch = Set.copyOf(spec.sizes().stream().filter(SizeVariable::batch).map(SizeVariable::name).toList());
        constantsOf(spec.network(), Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private void constantsOf(NetworkSpec network, Set<NetworkSpec> visited) {
        if (visited.add(network)) {
            network.constants().forEach((name, value) -> constants.merge(name, Thresholds.magnitude(value), Math::max));
            for (Step step : network.steps()) {
                if (step.operation() instanceof Operation.BlockOp use) {
                    constantsOf(use.block(), visited);
                }
            }
        }
    }

    /** Every expression of the model and the blocks it uses, each block once, with where it is. */
    static List<Located> expressions(ModelSpec spec, SizeReads reads) {
        List<Located> all = new ArrayList<>();
        reads.collect(spec.network(), "", all);
        return all;
    }

    /** The reader of a model's expressions. */
    static SizeReads of(ModelSpec spec) {
        return new SizeReads(spec);
    }

    /** Whether a name is one of the model's size variables ({@code L}, {@code H}, {@code batch}). */
    boolean isVariable(String name) {
        return variables.contains(name);
    }

    /** Whether a name is a constant of some network of the model, another class's included. */
    boolean isConstant(String name) {
        return constants.containsKey(name);
    }

    /** The largest magnitude of a constant of that name in any network of the model, 0 where there is none. */
    long constant(String name) {
        return constants.getOrDefault(name, 0L);
    }

    /**
     * The first expression, as written with where it is, that may read a varying size where a program cannot follow it: an
     * argument or a repetition count that reads a size, itself or through a parameter whose default reads one, or a {@code @When}
     * that reads the batch so; null where there is none. A layer's attributes are followed, and so is a parameter given by its
     * default that only they read ({@link dev.modelcost.processor.analysis.Reevaluation} writes the default out in them).
     */
    static String first(ModelSpec spec) {
        SizeReads reads = new SizeReads(spec);
        return reads.firstIn(spec.network(), "", Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private String firstIn(NetworkSpec network, String path, Set<NetworkSpec> visited) {
        if (!visited.add(network)) {
            return null;
        }
        Map<String, ParamSpec> sized = new HashMap<>();
        for (ParamSpec param : network.params()) {
            if (readsSized(param.fallback(), sized)) {
                if (param.type() != ParamSpec.Type.INT) {
                    // only an int default is written out in the attributes (a decimal's conversion would be lost there)
                    return "@Param " + param.name() + " = \"" + param.fallbackText() + "\" of " + network.name() + ", not an int";
                }
                sized.put(param.name(), param);
            }
        }
        for (Step step : network.steps()) {
            String where = path.isEmpty() ? step.name() : path + "." + step.name();
            // A @When that reads tensors' sizes is followed where it holds as declared (ShapeRules refuses the sizes where it may not);
            // the batch is no tensor's axis.
            String when = readsBatch(step.when(), sized) ? "@When(\"" + step.whenText() + "\") of " + where + " (the batch, no tensor's axis)" : null;
            if (when != null) {
                return when;
            }
            if (step.operation() instanceof Operation.BlockOp use) {
                for (List<ExprParser.Assignment> assignments : List.of(use.args(), use.first())) {
                    for (ExprParser.Assignment assignment : assignments) {
                        String arg = unfollowed(assignment.value(), sized, "@Args(\"" + assignment.text() + "\") of " + where);
                        if (arg != null) {
                            return arg;
                        }
                    }
                }
                String count = use.count() == null ? null
                        : unfollowed(use.count().expr(), sized, "@Repeat(count = \"" + use.count().text() + "\") of " + where);
                String inside = count != null ? count : firstIn(use.block(), where, visited);
                if (inside != null) {
                    return inside;
                }
            }
        }
        return null;
    }

    /**
     * A test of several sizes that the closed forms' box cannot respect, where it is and the size variables it reads, the batch
     * last.
     *
     * @param where the expression as written, with where it is ({@code @When("..") of b})
     * @param variables the size variables it compares
     * @param why what it does, as the message says it after "it compares sizes that follow H and W together", or for a
     *     {@code value} after "its value"
     * @param value whether it is a layer's attribute whose value does not move one way with a size ({@link #FALLS_BETWEEN}), not a test
     */
    record Hidden(String where, List<String> variables, String why, boolean value) {}

    /**
     * Attributes that take 0 or less (a slice's start and end, an index, a dimension, a roll's shifts, a pad's fill value), as a
     * padding does: {@link #nonMonotone} does not look at them.
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
     * moves both ways with one ({@link #FALLS_BETWEEN}). A tensor's axis is taken to follow the size variable of its name ({@code x.W} follows {@code W}); every expression is looked
     * at: a {@code @When}, a layer's attribute, a parameter's default, an {@code @Args} value, {@code first}, a {@code @Repeat}
     * count and a {@code @LayerKind} formula.
     */
    static Hidden hiddenTest(ModelSpec spec, java.util.function.Function<NetworkSpec, Set<Map<String, String>>> inputAxes, long[] lows) {
        SizeReads reads = new SizeReads(spec);
        reads.inputAxes = inputAxes;
        reads.lows = lows.clone();
        reads.gathering = true;
        reads.hiddenTestIn(spec.network(), "", Map.of(), Set.of(), new java.util.HashSet<>());
        reads.gathering = false;
        reads.wavering.clear();
        Hidden test = reads.hiddenTestIn(spec.network(), "", Map.of(), Set.of(), new java.util.HashSet<>());
        return test != null ? test : reads.value;
    }

    /**
     * As {@link #hiddenTest}, in {@code network}, whose parameters {@code carried} are given through {@code @Args} what they hold
     * (the sizes and constants), and whose parameters {@code given} are given there at all (their defaults unread).
     */
    private Hidden hiddenTestIn(NetworkSpec network, String path, Map<String, Monotone> carried, Set<String> given, Set<List<Object>> visited) {
        // once for each way its analyses resolved in, h and w (a block used where its input is H,W and where it is W,H); where none
        // reached it, named reads them
        List<Map<String, String>> readings = new ArrayList<>(inputAxes.apply(network));
        readings.sort(java.util.Comparator.comparing(Map::toString));
        for (Map<String, String> reading : readings.isEmpty() ? java.util.Collections.<Map<String, String>>singletonList(null) : readings) {
            Hidden found = hiddenTestIn(network, path, carried, given, visited, reading);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** As {@link #hiddenTestIn(NetworkSpec, String, Map, Set, Set)}, with {@code in}, {@code h} and {@code w} the axes {@code reading} gives. */
    private Hidden hiddenTestIn(NetworkSpec network, String path, Map<String, Monotone> carried, Set<String> given, Set<List<Object>> visited,
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
                        found = hidden(formula.getValue().substitute(attributes::get), scope, formula(declared, formula.getKey(), where),
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
                    found = hiddenTestIn(use.block(), where, Map.copyOf(inner), Set.copyOf(names), visited);
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
            } else if (FIXED_AXES.contains(axis)) {
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
     * The test of {@code expr} that {@link #hiddenTest} refuses, as {@code where} says it; null where it has none. While
     * {@link #gathering}, none: a layer's attribute (its name {@code attribute}, null for another expression) may be the first
     * {@link #value}, unless it takes 0 ({@link #TAKE_ZERO}, a padding).
     */
    private Hidden hidden(Expr expr, Map<String, Monotone> scope, String where, String attribute) {
        if (gathering) {
            if (attribute != null && value == null && !TAKE_ZERO.contains(attribute) && !attribute.toLowerCase(java.util.Locale.ROOT).contains("pad")) {
                value = nonMonotone(expr, scope, where);
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
        boolean constant = constants.containsKey(name);
        String axis = dot > 0 && !constant ? name.substring(dot + 1) : name.equals("h") ? "H" : name.equals("w") ? "W" : null;
        if (variables.contains(name) && dot < 0) {
            return Monotone.size(name);
        }
        if (axis == null || batch.contains(axis) || FIXED_AXES.contains(axis) && !variables.contains(axis) && !varyingFixed.contains(axis)) {
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

    /** Whether an expression reads the batch where it is a size variable, itself or through the default of a parameter of {@code sized}. */
    private boolean readsBatch(Expr expr, Map<String, ParamSpec> sized) {
        return expr != null && expr.names().stream().anyMatch(name -> batch.contains(name)
                || sized.containsKey(name) && readsBatch(sized.get(name).fallback(), sized));
    }

    /** Whether an expression reads a varying size, itself or through a parameter of {@code sized}, whose default reads one. */
    private boolean readsSized(Expr expr, Map<String, ParamSpec> sized) {
        return expr != null && expr.names().stream().anyMatch(name -> sized.containsKey(name) || readsName(name));
    }

    /**
     * Where an expression is, with the first parameter of {@code sized} it reads and that parameter's default where it reads the
     * sizes through one; null where it reads no varying size.
     */
    private String unfollowed(Expr expr, Map<String, ParamSpec> sized, String where) {
        if (expr == null || !readsSized(expr, sized)) {
            return null;
        }
        if (reads(expr)) {
            return where;
        }
        ParamSpec param = expr.names().stream().filter(sized::containsKey).map(sized::get).findFirst().orElseThrow();
        return where + ", through @Param " + param.name() + " = \"" + param.fallbackText() + "\"";
    }

    /** An expression of the model, where it is as messages say it, and whether it is a layer's attribute. */
    record Located(Expr expr, String where, boolean opAttribute) {}

    /** Every expression of a network and the blocks it uses, each block once. */
    private void collect(NetworkSpec network, String path, List<Located> all) {
        if (!seen.add(network)) {
            return;
        }
        for (ParamSpec param : network.params()) {
            all.add(new Located(param.fallback(), "@Param " + param.name() + " = \"" + param.fallbackText() + "\" of " + network.name(), false));
        }
        for (Step step : network.steps()) {
            String where = path.isEmpty() ? step.name() : path + "." + step.name();
            all.add(new Located(step.when(), "@When(\"" + step.whenText() + "\") of " + where, false));
            if (step.operation() instanceof Operation.OpStep op) {
                for (AttrSpec attr : op.attrs()) {
                    if (attr.given()) {
                        all.add(new Located(attr.value(), "\"" + attr.text() + "\" of " + where, true));
                    }
                }
                // A kind declared with @LayerKind: its formulas read the input's axes (x.L > 5000 ? ...) and numbers of their own, and
                // its attributes by their names, which are this call's: each is replaced by what the call gives it (a literal, or a
                // with expression in this network's names), so that no attribute is taken for a name of the network (L, h, n).
                if (op.kind().formula() instanceof DeclaredFormula declared) {
                    Map<String, Expr> given = new HashMap<>();
                    for (AttrSpec attr : op.attrs()) {
                        if (attr.value() != null) {
                            given.put(attr.name(), attr.value());
                        }
                    }
                    declared.expressions().forEach((name, expr) -> all.add(new Located(expr.substitute(given::get), formula(declared, name, where), true)));
                }
            } else if (step.operation() instanceof Operation.BlockOp use) {
                for (List<ExprParser.Assignment> assignments : List.of(use.args(), use.first())) {
                    for (ExprParser.Assignment assignment : assignments) {
                        all.add(new Located(assignment.value(), "@Args(\"" + assignment.text() + "\") of " + where, false));
                    }
                }
                if (use.count() != null) {
                    all.add(new Located(use.count().expr(), "@Repeat(count = \"" + use.count().text() + "\") of " + where, false));
                }
                collect(use.block(), where, all);
            }
        }
    }

    /** Where a declared kind's formula is, as messages say it. */
    private static String formula(DeclaredFormula declared, String name, String where) {
        return "@LayerKind(" + name + " = \"" + declared.texts().get(name) + "\") of " + declared.kind() + " at " + where;
    }

    private boolean reads(Expr expr) {
        return expr != null && expr.names().stream().anyMatch(this::readsName);
    }

    /** Whether a name reads a varying size: a size variable, {@code h} or {@code w}, or a tensor's axis but a fixed one. */
    boolean readsName(String name) {
        // Another class's constant (Limits.MAX_LEN) is no tensor's axis; a bare name may be a block's constant and the model's size.
        if (name.indexOf('.') > 0 && constants.containsKey(name)) {
            return false;
        }
        if (variables.contains(name) || name.equals("h") || name.equals("w")) {
            return true;
        }
        int dot = name.lastIndexOf('.');
        return dot > 0 && (variables.contains(name.substring(dot + 1)) || !FIXED_AXES.contains(name.substring(dot + 1)));
    }
}
