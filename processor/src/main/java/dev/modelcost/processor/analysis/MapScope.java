package dev.modelcost.processor.analysis;

import dev.modelcost.processor.expr.Scope;
import dev.modelcost.processor.expr.Value;
import dev.modelcost.processor.layers.Shape;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names an expression inside a network sees: the class's constants, its parameters and the
 * network's input dimensions ({@code in}: channels of an image, else the last dimension;
 * {@code h}, {@code w}: height and width of an image).
 */
final class MapScope implements Scope {
    private final Map<String, Value> values;

    private MapScope(Map<String, Value> values) {
        this.values = values;
    }

    /** Constants and input dimensions; parameters are added with {@link #with}. */
    static MapScope of(Map<String, Long> constants, Shape input) {
        Map<String, Value> values = new LinkedHashMap<>();
        constants.forEach((name, value) -> values.put(name, Value.of(value)));
        values.put("in", Value.of(input.rank() == 3 ? input.channels() : input.last()));
        if (input.rank() == 3) {
            values.put("h", Value.of(input.dim(1)));
            values.put("w", Value.of(input.dim(2)));
        }
        return new MapScope(values);
    }

    /** This scope with one more name. */
    MapScope with(String name, long value) {
        Map<String, Value> copy = new LinkedHashMap<>(values);
        copy.put(name, Value.of(value));
        return new MapScope(copy);
    }

    @Override
    public Value lookup(String name) {
        return values.get(name);
    }

    @Override
    public Collection<String> names() {
        return values.keySet();
    }
}
