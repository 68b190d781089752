package dev.modelcost.processor.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/** Reading annotation mirrors: finding an annotation, its values with defaults, and whether javac could evaluate them. */
public final class Mirrors {
    /** The package of the DSL annotations. */
    public static final String DSL = "dev.modelcost";

    private Mirrors() {}

    /** The top-level class that encloses {@code type} (itself where it is one): the one its source file or class file is named for. */
    static TypeElement outermost(TypeElement type) {
        TypeElement outer = type;
        while (outer.getEnclosingElement() instanceof TypeElement enclosing) {
            outer = enclosing;
        }
        return outer;
    }

    /**
     * Whether javac could not evaluate a value the annotation was given (an unresolved constant):
     * javac reports that itself, and the value is not of its attribute's type.
     */
    static boolean erroneous(AnnotationMirror mirror) {
        if (mirror == null) {
            return false;
        }
        return mirror.getElementValues().entrySet().stream()
                .anyMatch(entry -> !wellTyped(entry.getKey().getReturnType(), entry.getValue()));
    }

    static boolean wellTyped(TypeMirror type, AnnotationValue value) {
        Object raw = value == null ? null : value.getValue();
        if (type.getKind().isPrimitive()) {
            return raw instanceof Number || raw instanceof Boolean || raw instanceof Character;
        }
        if (type.getKind() == TypeKind.ARRAY) {
            TypeMirror component = ((ArrayType) type).getComponentType();
            return raw instanceof List<?> items
                    && items.stream().allMatch(item -> item instanceof AnnotationValue v && wellTyped(component, v));
        }
        // javac gives an unresolved value as the string "<error>", which prints unquoted (a string constant prints quoted).
        return raw != null && !"<error>".equals(value.toString());
    }

    static AnnotationMirror find(List<AnnotationMirror> mirrors, String name) {
        for (AnnotationMirror mirror : mirrors) {
            if (qualifiedName(mirror).equals(name)) {
                return mirror;
            }
        }
        return null;
    }

    /**
     * The {@code @Budget}s of a type in the order written: the one written alone, or those {@code @Budgets} holds where it is
     * repeated (both, where a type has one of each); empty where none.
     */
    public static List<AnnotationMirror> budgets(Element type) {
        List<AnnotationMirror> budgets = new ArrayList<>();
        AnnotationMirror single = mirror(type, DSL + ".Budget");
        if (single != null) {
            budgets.add(single);
        }
        AnnotationMirror container = mirror(type, DSL + ".Budgets");
        AnnotationValue held = container == null ? null : explicitValues(container).get("value");
        if (held != null && held.getValue() instanceof List<?> values) {
            for (Object value : values) {
                if (value instanceof AnnotationValue item && item.getValue() instanceof AnnotationMirror budget) {
                    budgets.add(budget);
                }
            }
        }
        return budgets;
    }

    /** The annotation of the given qualified name on an element, or null. */
    public static AnnotationMirror mirror(Element element, String name) {
        return find(element.getAnnotationMirrors().stream().map(m -> (AnnotationMirror) m).toList(), name);
    }

    static String qualifiedName(AnnotationMirror mirror) {
        return ((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().toString();
    }

    static String simpleName(AnnotationMirror mirror) {
        return mirror.getAnnotationType().asElement().getSimpleName().toString();
    }

    static String names(List<AnnotationMirror> mirrors) {
        return String.join(", ", mirrors.stream().map(m -> "@" + simpleName(m)).toList());
    }

    /** The attributes written on an annotation, by name, without its defaults. */
    public static Map<String, AnnotationValue> explicitValues(AnnotationMirror mirror) {
        Map<String, AnnotationValue> values = new LinkedHashMap<>();
        mirror.getElementValues().forEach((method, value) -> values.put(method.getSimpleName().toString(), value));
        return values;
    }

    /** An attribute's value: the written one, or the default. */
    static AnnotationValue value(AnnotationMirror mirror, String name) {
        for (ExecutableElement method : ElementFilter.methodsIn(mirror.getAnnotationType().asElement().getEnclosedElements())) {
            if (method.getSimpleName().contentEquals(name)) {
                AnnotationValue written = mirror.getElementValues().get(method);
                return written != null ? written : method.getDefaultValue();
            }
        }
        throw new IllegalStateException("no attribute " + name);
    }

    static long intValue(AnnotationMirror mirror, String name) {
        return ((Number) value(mirror, name).getValue()).longValue();
    }

    static String describe(ElementKind kind) {
        switch (kind.name()) {
            case "INTERFACE": return "an interface";
            case "ENUM": return "an enum";
            case "RECORD": return "a record";
            case "ANNOTATION_TYPE": return "an annotation type";
            default: return "a " + kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static List<String> strings(AnnotationValue value) {
        List<String> items = new ArrayList<>();
        for (Object item : (List<?>) value.getValue()) {
            items.add((String) ((AnnotationValue) item).getValue());
        }
        return List.copyOf(items);
    }
}
