package dev.modelcost.processor.analysis;

import dev.modelcost.processor.expr.Scope;
import dev.modelcost.processor.expr.Value;
import dev.modelcost.processor.layers.Shape;
import java.util.Collection;
import java.util.Map;

/**
 * A step's scope with some of its tensors at other shapes: their axes ({@code input.H}, and a bare name that stands for one, such as
 * {@code h}) read from those shapes, every other name as the step sees it.
 */
final class TensorsAt implements Scope {
    private final Scope step;
    private final Map<String, String> axisNames;
    private final Map<String, Shape> named;

    /**
     * @param step the step's scope
     * @param axisNames the bare names that stand for a tensor's axis ({@code h}), by the axis's name ({@code input.H})
     * @param named the tensors at other shapes, by name
     */
    TensorsAt(Scope step, Map<String, String> axisNames, Map<String, Shape> named) {
        this.step = step;
        this.axisNames = axisNames;
        this.named = named;
    }

    /**
     * The tensor's axis a bare name stands for ({@code input.H} for {@code h}), where {@code scope} gives the name that axis's size
     * in {@code named} (a parameter may shadow it); else null.
     */
    static String axisOf(String bare, Map<String, String> axisNames, Scope scope, Map<String, Shape> named) {
        String axis = axisNames.get(bare);
        Value value = axis == null ? null : scope.lookup(bare);
        Shape shape = value == null ? null : named.get(axis.substring(0, axis.indexOf('.')));
        int at = shape == null ? -1 : shape.axes().indexOf(axis.substring(axis.indexOf('.') + 1));
        return at < 0 || value.isDecimal() || value.isBoolean() || value.isList() || value.isText() || value.number() != shape.dim(at)
                ? null : axis;
    }

    @Override
    public Value lookup(String written) {
        String name = axisNames.getOrDefault(written, written);
        int dot = name.indexOf('.');
        Shape shape = dot > 0 ? named.get(name.substring(0, dot)) : null;
        int axis = shape == null ? -1 : shape.axes().indexOf(name.substring(dot + 1));
        return axis >= 0 ? Value.of(shape.dim(axis)) : step.lookup(written);
    }

    @Override
    public Collection<String> names() {
        return step.names();
    }
}
