package dev.modelcost.processor.analysis;

import dev.modelcost.processor.expr.Scope;
import dev.modelcost.processor.expr.Value;
import dev.modelcost.processor.layers.Attrs;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.spec.AttrSpec;
import dev.modelcost.processor.spec.Operation.OpStep;
import java.util.Collections;
import java.util.LinkedHashMap;
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

    private Reevaluation(OpStep op, MapScope scope, Map<String, Shape> tensors, String path) {
        this.op = op;
        this.scope = scope;
        this.tensors = tensors;
        this.path = path;
    }

    /**
     * The layer's attributes as evaluated in {@code scope} with the {@code named} tensors of its
     * network (inputs and earlier steps), or null where none reads a tensor's axis.
     */
    static Reevaluation of(OpStep op, MapScope scope, Map<String, Shape> named, String path) {
        Map<String, Shape> tensors = new LinkedHashMap<>();
        boolean reads = false;
        for (AttrSpec attr : op.attrs()) {
            if (!attr.given() || attr.value() == null) {
                continue;
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
        return reads ? new Reevaluation(op, scope, Collections.unmodifiableMap(tensors), path) : null;
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
