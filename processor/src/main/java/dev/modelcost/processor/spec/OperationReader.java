package dev.modelcost.processor.spec;

import static dev.modelcost.processor.spec.Mirrors.explicitValues;
import static dev.modelcost.processor.spec.Mirrors.strings;

import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.diag.Suggestions;
import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.ExprParser.Assignment;
import dev.modelcost.processor.expr.Value;
import dev.modelcost.processor.layers.OpKind;
import dev.modelcost.processor.spec.Operation.OpStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * Reads an operation annotation into its attributes: every {@code int}, {@code long},
 * {@code boolean}, {@code int[]} and {@code String} attribute as written or defaulted, overridden
 * by the expressions of {@code with}; and the inputs a merge names.
 */
final class OperationReader {

    /**
     * A kind as {@code @LayerOf} runs it: every attribute at its annotation's default, sited on the
     * field that names it; null for a kind whose annotation this compilation cannot see.
     */
    static OpStep defaults(javax.lang.model.util.Elements elements, OpKind kind, Site site) {
        TypeElement annotation = elements.getTypeElement(kind.annotation());
        if (annotation == null) {
            return null;
        }
        Map<String, AttrSpec> attrs = new LinkedHashMap<>();
        for (ExecutableElement method : ElementFilter.methodsIn(annotation.getEnclosedElements())) {
            String name = method.getSimpleName().toString();
            AttrSpec.Type type = attributeType(method.getReturnType());
            if (type != null && !name.equals("with")) {
                if (method.getDefaultValue() == null) {
                    // A kind that needs a value (ChannelShuffle's groups) cannot run at its defaults.
                    return null;
                }
                attrs.put(name, literal(name, type, method.getDefaultValue(), site, false));
            }
        }
        return new OpStep(kind, List.copyOf(attrs.values()), List.of(), site, null);
    }

    Optional<OpStep> read(VariableElement field, AnnotationMirror op, OpKind kind, Findings findings) {
        String where = field.getSimpleName().toString();
        TypeElement annotation = (TypeElement) op.getAnnotationType().asElement();
        Map<String, AnnotationValue> given = explicitValues(op);
        Map<String, AttrSpec> attrs = new LinkedHashMap<>();
        List<String> named = List.of();
        Site namedSite = null;
        for (ExecutableElement method : ElementFilter.methodsIn(annotation.getEnclosedElements())) {
            String name = method.getSimpleName().toString();
            AnnotationValue value = given.get(name);
            boolean written = value != null;
            if (!written) {
                value = method.getDefaultValue();
            }
            if (name.equals(kind.inputsAttribute())) {
                namedSite = new Site(field, op, value);
                named = strings(value);
                continue;
            }
            AttrSpec.Type type = attributeType(method.getReturnType());
            if (type != null && !name.equals("with") && value != null) {
                attrs.put(name, literal(name, type, value, written ? new Site(field, op, value) : Site.of(field, op), written));
            }
        }
        AnnotationValue with = given.get("with");
        if (with != null && !applyWith(with, new Site(field, op, with), where, kind, attrs, findings)) {
            return Optional.empty();
        }
        return Optional.of(new OpStep(kind, List.copyOf(attrs.values()), named, Site.of(field, op), namedSite));
    }

    /** An attribute as written in the annotation, or its default. */
    private static AttrSpec literal(String name, AttrSpec.Type type, AnnotationValue value, Site site, boolean written) {
        Object raw = value.getValue();
        switch (type) {
            case FLAG:
                return new AttrSpec(name, new Expr.Literal(Value.of((Boolean) raw)), written, type, site, raw.toString());
            case NUMBER:
                return new AttrSpec(name, new Expr.Literal(Value.of(((Number) raw).longValue())), written, type, site, raw.toString());
            case TEXT:
                return new AttrSpec(name, null, written, type, site, raw instanceof List<?> items ? decimals(items) : raw.toString());
            default:
                List<Expr> items = new ArrayList<>();
                List<String> texts = new ArrayList<>();
                for (Object item : (List<?>) raw) {
                    long number = ((Number) ((AnnotationValue) item).getValue()).longValue();
                    items.add(new Expr.Literal(Value.of(number)));
                    texts.add(Long.toString(number));
                }
                return new AttrSpec(name, new Expr.ListOf(List.copyOf(items)), written, type, site, "[" + String.join(", ", texts) + "]");
        }
    }

    /** The text of an array of decimals: one alone as that decimal, several as {@code [a, b, c]}, none as {@code []}. */
    private static String decimals(List<?> items) {
        List<String> texts = new ArrayList<>();
        for (Object item : items) {
            texts.add(((AnnotationValue) item).getValue().toString());
        }
        return texts.size() == 1 ? texts.get(0) : "[" + String.join(", ", texts) + "]";
    }

    /** Overrides attributes with the expressions of {@code with}; false after a problem. */
    private static boolean applyWith(AnnotationValue with, Site site, String where, OpKind kind, Map<String, AttrSpec> attrs, Findings findings) {
        Optional<List<Assignment>> assignments = Expressions.assignments((String) with.getValue(), site, where, findings);
        if (assignments.isEmpty()) {
            return false;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (Assignment assignment : assignments.get()) {
            AttrSpec existing = attrs.get(assignment.name());
            if (existing == null || existing.type() == AttrSpec.Type.TEXT) {
                findings.report(new Problem(Diagnostic.UNKNOWN_ATTRIBUTE, site, where, kind.name(), assignment.name(),
                        existing != null ? " that takes an expression; write it as a literal" : Suggestions.didYouMean(assignment.name(), attrs.keySet())));
                return false;
            }
            if (!seen.add(assignment.name())) {
                findings.report(new Problem(Diagnostic.DUPLICATE_ARGUMENT, site, where, assignment.name()));
                return false;
            }
            if (existing.given()) {
                findings.report(new Problem(Diagnostic.ATTRIBUTE_TWICE, site, where, assignment.name(), "with"));
                return false;
            }
            attrs.put(assignment.name(), new AttrSpec(assignment.name(), assignment.value(), true, existing.type(), site, assignment.text()));
        }
        return true;
    }

    /** What an annotation attribute of this type holds, or null for a type that carries no cost-relevant value. */
    private static AttrSpec.Type attributeType(TypeMirror type) {
        switch (type.getKind()) {
            case INT:
            case LONG:
                return AttrSpec.Type.NUMBER;
            case BOOLEAN:
                return AttrSpec.Type.FLAG;
            case DOUBLE:
            case FLOAT:
                // A decimal is read as its text: a literal only, as the expression language counts in integers.
                return AttrSpec.Type.TEXT;
            case SHORT:
            case BYTE:
            case CHAR:
                // Read as text too (a declared kind's): known to be there, so that an expression naming one is told it cannot set or read it.
                return AttrSpec.Type.TEXT;
            case ARRAY:
                TypeKind component = ((ArrayType) type).getComponentType().getKind();
                if (component == TypeKind.DOUBLE || component == TypeKind.FLOAT) {
                    // Decimals are read as their text, one alone as that decimal, several as [a, b, c].
                    return AttrSpec.Type.TEXT;
                }
                return component == TypeKind.INT || component == TypeKind.LONG ? AttrSpec.Type.LIST : null;
            case DECLARED:
                // a String; an enum constant or a class as its name, as for the types above
                TypeElement declared = (TypeElement) ((DeclaredType) type).asElement();
                return declared.getQualifiedName().contentEquals("java.lang.String") || declared.getKind() == javax.lang.model.element.ElementKind.ENUM
                        || declared.getQualifiedName().contentEquals("java.lang.Class") ? AttrSpec.Type.TEXT : null;
            default:
                return null;
        }
    }
}
