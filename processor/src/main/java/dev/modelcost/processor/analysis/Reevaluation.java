package dev.modelcost.processor.analysis;

import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.Scope;
import dev.modelcost.processor.expr.Value;
import dev.modelcost.processor.layers.Attrs;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.spec.AttrSpec;
import dev.modelcost.processor.spec.Operation.OpStep;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    private final String unfollowed;

    private Reevaluation(OpStep op, MapScope scope, Map<String, Shape> tensors, String path, String unfollowed) {
        this.op = op;
        this.scope = scope;
        this.tensors = tensors;
        this.path = path;
        this.unfollowed = unfollowed;
    }

    /**
     * The layer's attributes as evaluated in {@code scope} with the {@code named} tensors of its
     * network (inputs and earlier steps), or null where none reads a tensor's axis.
     */
    static Reevaluation of(OpStep op, MapScope scope, Map<String, Shape> named, String path) {
        Map<String, Shape> tensors = new LinkedHashMap<>();
        boolean reads = false;
        String unfollowed = null;
        for (AttrSpec attr : op.attrs()) {
            if (!attr.given() || attr.value() == null) {
                continue;
            }
            if (unfollowed == null && readsAxes(attr.value()) && !piecewiseLinear(attr.value())) {
                unfollowed = attr.text();
            }
            for (String name : attr.value().names()) {
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
        return reads ? new Reevaluation(op, scope, Collections.unmodifiableMap(tensors), path, unfollowed) : null;
    }

    private static boolean readsAxes(Expr expr) {
        return expr.names().stream().anyMatch(name -> name.indexOf('.') > 0);
    }

    /**
     * Whether an expression changes with the sizes it reads by a rule that repeats: sums, negations,
     * products with at most one factor that reads a size, floor division and remainders by numbers
     * that read none, {@code floor}, {@code ceil} and {@code int}. A comparison, a condition,
     * {@code min} or {@code max} can change at a size no check reaches, and a division by a size
     * anywhere.
     */
    private static boolean piecewiseLinear(Expr expr) {
        if (expr instanceof Expr.Literal || expr instanceof Expr.Name) {
            return true;
        }
        if (expr instanceof Expr.ListOf list) {
            return list.items().stream().allMatch(Reevaluation::piecewiseLinear);
        }
        if (expr instanceof Expr.Unary unary) {
            return unary.op() == '-' && piecewiseLinear(unary.operand());
        }
        if (expr instanceof Expr.Binary binary) {
            boolean both = piecewiseLinear(binary.left()) && piecewiseLinear(binary.right());
            return switch (binary.op()) {
                case "+", "-" -> both;
                case "*" -> both && !(readsAxes(binary.left()) && readsAxes(binary.right()));
                case "/", "%" -> both && !readsAxes(binary.right());
                default -> false;
            };
        }
        if (expr instanceof Expr.Call call) {
            return List.of("floor", "ceil", "int").contains(call.function()) && call.args().stream().allMatch(Reevaluation::piecewiseLinear);
        }
        return false;
    }

    /**
     * The text of the first attribute that reads tensors' sizes otherwise than by a rule that repeats
     * (a comparison, a condition, {@code max}, a division by a size), which a size program does not
     * follow; null where there is none.
     */
    public String unfollowed() {
        return unfollowed;
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
        return Evaluation.attributes(op, new Scope() {
            @Override
            public Value lookup(String name) {
                int dot = name.indexOf('.');
                Shape shape = dot > 0 ? named.get(name.substring(0, dot)) : null;
                int axis = shape == null ? -1 : shape.axes().indexOf(name.substring(dot + 1));
                return axis >= 0 ? Value.of(shape.dim(axis)) : step.lookup(name);
            }

            @Override
            public java.util.Collection<String> names() {
                return step.names();
            }
        }, path);
    }
}
