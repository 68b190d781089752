package dev.modelcost.processor.layers;

import java.lang.annotation.Annotation;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operation kinds a compilation knows, by annotation: the built-ins of {@link BuiltInOps},
 * plus any that a caller registers. Immutable; {@link #with} gives a larger registry.
 */
public final class OpRegistry {
    private final Map<String, OpKind> kinds;

    private OpRegistry(Map<String, OpKind> kinds) {
        this.kinds = kinds;
    }

    /** An empty registry. */
    public static OpRegistry empty() {
        return new OpRegistry(Map.of());
    }

    /** The built-in operation kinds. */
    public static OpRegistry builtIns() {
        return BuiltInOps.REGISTRY;
    }

    /** This registry and one more kind; throws if its annotation is already registered. */
    public OpRegistry with(OpKind kind) {
        if (kinds.containsKey(kind.annotation())) {
            throw new IllegalArgumentException(kind.annotation() + " is registered twice");
        }
        Map<String, OpKind> more = new LinkedHashMap<>(kinds);
        more.put(kind.annotation(), kind);
        return new OpRegistry(java.util.Collections.unmodifiableMap(more));
    }

    /**
     * This registry and a kind of one input written by {@code annotation}, named as the annotation's
     * simple name.
     */
    public OpRegistry with(Class<? extends Annotation> annotation, boolean module, String otherOps, OpKind.Formula formula) {
        return with(new OpKind(annotation.getCanonicalName(), annotation.getSimpleName(), module, 1, 1, null, false, otherOps, formula));
    }

    /** The kind written by the annotation of this qualified name, or null. */
    public OpKind forAnnotation(String qualifiedName) {
        return kinds.get(qualifiedName);
    }

    /** Every kind, in registration order. */
    public Collection<OpKind> kinds() {
        return kinds.values();
    }
}
