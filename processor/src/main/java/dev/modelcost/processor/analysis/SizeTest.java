package dev.modelcost.processor.analysis;

import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.ExprException;
import dev.modelcost.processor.expr.Scope;
import dev.modelcost.processor.expr.Value;
import dev.modelcost.processor.layers.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code @When}, or the condition of a layer's attribute ({@code shift = x.H > window ? 3 : 0}), that reads tensors' sizes ({@code input.H > window}, or a parameter whose default reads them), kept so that it can
 * be evaluated again with those tensors at other sizes, as a size program's shape rules do to find the sizes at which it holds as
 * it did where the model was analysed.
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
     * A bound on the sizes at which it can turn, the sizes it reads aside: twice the product of the magnitudes of every number it
     * holds and every other name it reads (a parameter, a constant), each counted as at least 2 ({@code x.L / 1000 > 3} turns at
     * 4,000, below 2 · 1,000 · 3), as the closed forms bound the turns of tests; {@link Long#MAX_VALUE} past 64 bits.
     */
    public long reach() {
        return times(2, reach(test));
    }

    private long reach(Expr expr) {
        if (expr instanceof Expr.Literal literal) {
            return magnitude(literal.value());
        }
        if (expr instanceof Expr.Name name) {
            String read = axisNames.getOrDefault(name.name(), name.name());
            int dot = read.indexOf('.');
            if (dot > 0 && tensors.containsKey(read.substring(0, dot))) {
                return 1;
            }
            Value value = scope.lookup(name.name());
            return value == null ? 2 : magnitude(value);
        }
        long product = 1;
        for (Expr part : expr.parts()) {
            product = times(product, reach(part));
        }
        return product;
    }

    private static long magnitude(Value value) {
        if (value.isDecimal()) {
            return Math.max(2, (long) Math.min(Long.MAX_VALUE / 2, Math.ceil(Math.abs(value.decimal()))));
        }
        return value.isBoolean() || value.isList() || value.isText() ? 2
                : value.number() == Long.MIN_VALUE ? Long.MAX_VALUE : Math.max(2, Math.abs(value.number()));
    }

    private static long times(long a, long b) {
        long product = a * b;
        return Math.multiplyHigh(a, b) != 0 || product < 0 ? Long.MAX_VALUE : product;
    }

    /**
     * Whether it holds with the named tensors at other shapes.
     *
     * @param named the tensors of {@link #tensors()} by name, any of them at another shape
     * @return whether it holds there; null where it cannot be evaluated there (a division by zero)
     */
    public Boolean at(Map<String, Shape> named) {
        Scope moved = new TensorsAt(scope, axisNames, named);
        try {
            return test.truth(moved);
        } catch (ExprException | ArithmeticException e) {
            return null;
        }
    }
}
