package dev.modelcost.processor.analysis;

import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.ExprException;
import dev.modelcost.processor.expr.Scope;
import dev.modelcost.processor.expr.Value;
import dev.modelcost.processor.layers.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@code @When}, or the condition of a layer's attribute ({@code shift = x.H > window ? 3 : 0}), that reads tensors' sizes
 * ({@code input.H > window}, or a parameter whose default reads them), kept so that it can be evaluated again with those tensors at
 * other sizes, as a size program's shape rules do to find the sizes at which it holds as it did where the model was analysed.
 */
public final class SizeTest {
    private final Expr test;
    private final String text;
    private final Scope scope;
    private final Map<String, Shape> tensors;
    private final Map<String, String> axisNames;
    private final boolean held;
    private final String unfollowed;

    private SizeTest(Expr test, String text, Scope scope, Map<String, Shape> tensors, Map<String, String> axisNames, boolean held,
            String unfollowed) {
        this.test = test;
        this.text = text;
        this.scope = scope;
        this.tensors = tensors;
        this.axisNames = axisNames;
        this.held = held;
        this.unfollowed = unfollowed;
    }

    /**
     * The test of a step, or null where it reads no tensor's size.
     *
     * @param when the test as written: a {@code @When}'s, or the condition of an attribute's {@code a ? b : c}
     * @param text what it is, as messages say it ({@code @When("x.H > 7")}, {@code a condition of "shifts = [..]"})
     * @param network the network's scope, whose parameters given by their defaults are written out in the test
     *     ({@link MapScope#derivation})
     * @param step the step's scope: its own input as {@code x}, the network's tensors by name
     * @param named the tensors of the network so far (inputs and earlier steps) and the step's own input as {@code x}, by name
     * @param axisNames the bare names of the scope that are a tensor's axis ({@code h}), by the axis's name
     * @param held whether the test held where the model was analysed
     */
    static SizeTest of(Expr when, String text, MapScope network, Scope step, Map<String, Shape> named, Map<String, String> axisNames,
            boolean held) {
        Expr test = when.substitute(network::derivation);
        Map<String, Shape> tensors = new LinkedHashMap<>();
        Map<String, String> bare = new LinkedHashMap<>();
        String unfollowed = null;
        for (String written : test.names()) {
            String name = written;
            if (written.indexOf('.') < 0) {
                String axis = TensorsAt.axisOf(written, axisNames, step, named);
                if (axis == null) {
                    continue;
                }
                bare.put(written, axis);
                name = axis;
            }
            int dot = name.indexOf('.');
            String tensor = name.substring(0, dot);
            if (named.containsKey(tensor)) {
                tensors.put(tensor, named.get(tensor));
            } else if (unfollowed == null && step.lookup(name) == null) {
                unfollowed = "reads " + name + ", no tensor of its block";
            }
        }
        if (tensors.isEmpty() && unfollowed == null) {
            return null;
        }
        return new SizeTest(test, text, step, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(bare), held, unfollowed);
    }

    /**
     * What it holds at any sizes depends on, by value: the test, the values of the names it reads besides the sizes, the bare names
     * that stand for sizes, the tensors' shapes and whether it held. Tests of equal keys (the same {@code @When} on several steps of
     * a block, a block used again) hold alike wherever their tensors' sizes are alike.
     */
    public List<Object> key() {
        List<Object> read = new ArrayList<>();
        for (String name : test.names()) {
            if (sizeRead(name) == null) {
                read.add(name);
                read.add(String.valueOf(scope.lookup(name)));
            }
        }
        return List.of(test, read, axisNames, tensors, held);
    }

    /**
     * One comparison of the test that reads tensors' sizes itself, outside the comparisons inside it (or the whole test, where it
     * is no comparison and reads them so): where every atom keeps its value, so does the test.
     *
     * @param expr the comparison
     * @param reads the sizes it reads itself, each as its tensor's name and axis ({@code input.H})
     * @param held its value where the model was analysed
     */
    public record Atom(Expr expr, Set<String> reads, boolean held) {}

    /** The whole test as one atom, with every size it reads. */
    public Atom whole() {
        Set<String> reads = new TreeSet<>();
        for (String name : test.names()) {
            String read = sizeRead(name);
            if (read != null) {
                reads.add(read);
            }
        }
        return new Atom(test, Set.copyOf(reads), held);
    }

    /** The test's atoms ({@link Atom}), each once, in the order they are written. */
    public List<Atom> atoms() {
        List<Atom> atoms = new ArrayList<>();
        collect(test, true, atoms);
        return atoms;
    }

    private void collect(Expr expr, boolean root, List<Atom> atoms) {
        if (constantBranches(expr)) {
            return;
        }
        boolean comparison = expr instanceof Expr.Binary binary && Expr.Binary.COMPARISONS.contains(binary.op());
        if (comparison || root) {
            Set<String> reads = new TreeSet<>();
            direct(expr, true, reads);
            Boolean held = reads.isEmpty() ? null : truth(expr, new TensorsAt(scope, axisNames, tensors));
            if (held != null && atoms.stream().noneMatch(atom -> atom.expr().equals(expr))) {
                atoms.add(new Atom(expr, Set.copyOf(reads), held));
            }
        }
        expr.parts().forEach(part -> collect(part, false, atoms));
    }

    /**
     * Whether {@code expr} is a condition whose two branches read no size and are equal ({@code c ? 0 : shift} with a shift of 0):
     * its value is theirs whatever the condition.
     */
    private boolean constantBranches(Expr expr) {
        if (!(expr instanceof Expr.Conditional conditional) || readsSize(conditional.then()) || readsSize(conditional.otherwise())) {
            return false;
        }
        try {
            return conditional.then().eval(scope).equals(conditional.otherwise().eval(scope));
        } catch (ExprException | ArithmeticException e) {
            return false;
        }
    }

    private boolean readsSize(Expr expr) {
        return expr.names().stream().anyMatch(name -> sizeRead(name) != null);
    }

    /** The size a name reads, as its tensor's name and axis ({@code h} as {@code input.H}); null where it reads none of them. */
    private String sizeRead(String name) {
        String read = axisNames.getOrDefault(name, name);
        int dot = read.indexOf('.');
        return dot > 0 && tensors.containsKey(read.substring(0, dot)) ? read : null;
    }

    /** Adds the sizes {@code expr} reads outside the comparisons inside it (itself where {@code top}). */
    private void direct(Expr expr, boolean top, Set<String> reads) {
        if (!top && expr instanceof Expr.Binary binary && Expr.Binary.COMPARISONS.contains(binary.op()) || constantBranches(expr)) {
            return;
        }
        if (expr instanceof Expr.Name name && sizeRead(name.name()) != null) {
            reads.add(sizeRead(name.name()));
        }
        expr.parts().forEach(part -> direct(part, false, reads));
    }

    /** Whether atom {@code atom} holds with the named tensors at other shapes; null where it cannot be evaluated there. */
    public Boolean at(Atom atom, Map<String, Shape> named) {
        return truth(atom.expr(), new TensorsAt(scope, axisNames, named));
    }

    private static Boolean truth(Expr expr, Scope scope) {
        try {
            return expr.truth(scope);
        } catch (ExprException | ArithmeticException e) {
            return null;
        }
    }

    /** What it is, as messages say it ({@code @When("x.H > 7")}). */
    public String text() {
        return text;
    }

    /** Whether it held where the model was analysed. */
    public boolean held() {
        return held;
    }

    /** Why its sizes cannot be followed (it reads a size of no tensor of its block), or null. */
    public String unfollowed() {
        return unfollowed;
    }

    /** The tensors it reads, by name ({@code input}, {@code x}, an earlier step's), at the sizes the model was analysed at. */
    public Map<String, Shape> tensors() {
        return tensors;
    }

    /**
     * A bound on the size {@code x} an atom reads past which it cannot turn, the other sizes it reads as analysed; {@link Long#MAX_VALUE}
     * where none is found. Each number its tests compare is written as {@code s·x + e(x)}, {@code e} bounded by {@code b} and the
     * slope {@code s} exact: a comparison whose two sides differ by a slope keeps its value past {@code b / |s|}; one whose sides
     * differ by no slope changes only where a test inside it does, unless a remainder or a floor division of {@code x} repeats
     * inside it. A product of two numbers that grow with {@code x}, a division by one, {@code min}, {@code max}, or a branch of
     * another slope than its other gives no bound.
     *
     * @param atom the atom, the test's or {@link #whole()}
     * @param size the names of the size it reads, each a tensor's name and axis ({@code input.H}); the others are as analysed
     */
    public long reach(Atom atom, Set<String> size) {
        double[] turns = {0};
        Affine test;
        try {
            test = affine(atom.expr(), size, turns);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
        return test == null || turns[0] >= Long.MAX_VALUE / 4 ? Long.MAX_VALUE : (long) Math.ceil(turns[0] * (1 + 1e-9)) + 1;
    }

    /**
     * A number of the test as {@code slope·x + e(x)}, {@code |e| <= bound}, the slope {@code num / den} exactly; {@code repeats}
     * where {@code e} repeats with {@code x} (a remainder or a floor division of a size); {@code constant} its value where it
     * reads no size, else null.
     */
    private record Affine(long num, long den, double bound, boolean repeats, Long constant) {
        static Affine of(long value) {
            return new Affine(0, 1, Math.abs((double) value), false, value);
        }

        static Affine bounded(double bound, boolean repeats) {
            return new Affine(0, 1, bound, repeats, null);
        }

        boolean grows() {
            return num != 0;
        }

        /** The slope times {@code n / d}, reduced. */
        Affine scaled(long n, long d, double bound, boolean repeats, Long constant) {
            long a = Math.multiplyExact(num, n);
            long b = Math.multiplyExact(den, d);
            long g = gcd(Math.abs(a), Math.abs(b));
            g = g == 0 ? 1 : g;
            return b < 0 ? new Affine(-a / g, -b / g, bound, repeats, constant) : new Affine(a / g, b / g, bound, repeats, constant);
        }

        Affine plus(Affine other, int sign, double bound, boolean repeats) {
            long a = Math.addExact(Math.multiplyExact(num, other.den), sign * Math.multiplyExact(other.num, den));
            Long value = constant != null && other.constant != null ? Long.valueOf(Math.addExact(constant, sign * other.constant)) : null;
            return new Affine(a, Math.multiplyExact(den, other.den), bound, repeats, value).scaled(1, 1, bound, repeats, value);
        }

        private static long gcd(long a, long b) {
            return b == 0 ? a : gcd(b, a % b);
        }
    }

    /** {@code expr} as an affine bound in {@code size}, its tests' turns raising {@code turns[0]}; null where it has no such bound. */
    private Affine affine(Expr expr, Set<String> size, double[] turns) {
        if (expr instanceof Expr.Literal || expr instanceof Expr.Name) {
            if (expr instanceof Expr.Name name && size.contains(axisNames.getOrDefault(name.name(), name.name()))) {
                return new Affine(1, 1, 0, false, null);
            }
            Value value = expr instanceof Expr.Literal literal ? literal.value() : new TensorsAt(scope, axisNames, tensors).lookup(((Expr.Name) expr).name());
            if (value == null || value.isList() || value.isText() || value.isDecimal()) {
                return null;
            }
            return value.isBoolean() ? Affine.of(value.truth() ? 1 : 0) : Affine.of(value.number());
        }
        if (expr instanceof Expr.Unary unary) {
            Affine operand = affine(unary.operand(), size, turns);
            return operand == null ? null : unary.op() == '-'
                    ? operand.scaled(-1, 1, operand.bound(), operand.repeats(), operand.constant() == null ? null : -operand.constant())
                    : Affine.bounded(1, operand.repeats());
        }
        if (expr instanceof Expr.Conditional conditional) {
            if (constantBranches(conditional)) {
                return affine(conditional.then(), size, turns);
            }
            Affine condition = affine(conditional.condition(), size, turns);
            Affine then = affine(conditional.then(), size, turns);
            Affine otherwise = affine(conditional.otherwise(), size, turns);
            return condition == null || then == null || otherwise == null || then.num() != otherwise.num() || then.den() != otherwise.den() ? null
                    : new Affine(then.num(), then.den(), Math.max(then.bound(), otherwise.bound()), then.repeats() || otherwise.repeats(), null);
        }
        if (!(expr instanceof Expr.Binary binary)) {
            return null;
        }
        Affine left = affine(binary.left(), size, turns);
        Affine right = affine(binary.right(), size, turns);
        if (left == null || right == null) {
            return null;
        }
        boolean repeats = left.repeats() || right.repeats();
        switch (binary.op()) {
            case "+":
                return left.plus(right, 1, left.bound() + right.bound(), repeats);
            case "-":
                return left.plus(right, -1, left.bound() + right.bound(), repeats);
            case "*":
                if (left.constant() == null && right.constant() == null) {
                    return left.grows() || right.grows() ? null : Affine.bounded(left.bound() * right.bound(), repeats);
                }
                Affine grows = right.constant() != null ? left : right;
                long factor = right.constant() != null ? right.constant() : left.constant();
                return grows.scaled(factor, 1, grows.bound() * Math.abs((double) factor), repeats,
                        grows.constant() == null ? null : Math.multiplyExact(grows.constant(), factor));
            case "/":
            case "%":
                if (right.constant() == null || right.constant() < 1) {
                    return null;
                }
                long divisor = right.constant();
                Long value = left.constant() == null ? null
                        : binary.op().equals("/") ? Math.floorDiv(left.constant(), divisor) : Math.floorMod(left.constant(), divisor);
                // a quotient grows by the slope over the divisor, its flooring one more apart; a remainder stays below the divisor
                return binary.op().equals("/") ? left.scaled(1, divisor, left.bound() / divisor + 1, repeats || left.grows(), value)
                        : new Affine(0, 1, divisor, repeats || left.grows(), value);
            case "&&":
            case "||":
                return Affine.bounded(1, repeats);
            default:
                if (!Expr.Binary.COMPARISONS.contains(binary.op())) {
                    return null;
                }
                Affine difference = left.plus(right, -1, left.bound() + right.bound(), repeats);
                if (difference.grows()) {
                    turns[0] = Math.max(turns[0], difference.bound() * difference.den() / Math.abs((double) difference.num()));
                } else if (repeats) {
                    turns[0] = Double.MAX_VALUE;
                }
                return Affine.bounded(1, false);
        }
    }
}
