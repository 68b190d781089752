package dev.modelcost.processor.spec;

import static dev.modelcost.processor.spec.Mirrors.DSL;
import static dev.modelcost.processor.spec.Mirrors.value;

import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.ExprException;
import dev.modelcost.processor.expr.ExprParser;
import dev.modelcost.processor.layers.DeclaredFormula;
import dev.modelcost.processor.layers.Layouts;
import dev.modelcost.processor.layers.OpKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;

/**
 * The layer kinds users declare: annotation types carrying {@code @LayerKind}, read once each into
 * an operation kind whose formula is the declared expressions ({@link DeclaredFormula}). An
 * expression that cannot parse is reported on the {@code @LayerKind} attribute that holds it, once,
 * and every field using the kind is rejected.
 */
final class DeclaredKinds {
    static final String LAYER_KIND = DSL + ".LayerKind";

    private static final List<String> COSTS = List.of("params", "buffers", "macs", "flops", "otherOps");

    /** The kinds read so far, by annotation; empty for one whose declaration has a problem. */
    private final Map<String, Optional<OpKind>> kinds = new LinkedHashMap<>();
    /** The names of the built-in kinds, which a declared kind may not take: counters, tables and reports tell kinds apart by name. */
    private final java.util.Set<String> builtIn;

    DeclaredKinds(java.util.Set<String> builtIn) {
        this.builtIn = java.util.Set.copyOf(builtIn);
    }

    /** Whether an annotation declares a layer kind. */
    static boolean declares(AnnotationMirror mirror) {
        return Mirrors.mirror(mirror.getAnnotationType().asElement(), LAYER_KIND) != null;
    }

    /** The kind an annotation declares, or empty after a problem (reported here the first time). */
    Optional<OpKind> kindOf(AnnotationMirror mirror, Findings findings) {
        TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
        String name = type.getQualifiedName().toString();
        Optional<OpKind> known = kinds.get(name);
        if (known == null) {
            List<Problem> problems = new ArrayList<>();
            known = read(type, Findings.into(problems));
            kinds.put(name, known);
            problems.forEach(findings::report);
        }
        return known.isPresent() ? known : findings.rejectedElsewhere();
    }

    /**
     * Reads the kind an annotation declares before a model is analysed, so that {@code @LayerOf} in any model of the compilation
     * may name it, whichever is analysed first; a declaration with a problem is left to {@link #kindOf} to report where it is used.
     */
    void learn(AnnotationMirror mirror) {
        TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
        String name = type.getQualifiedName().toString();
        if (!kinds.containsKey(name)) {
            List<Problem> problems = new ArrayList<>();
            Optional<OpKind> kind = read(type, Findings.into(problems));
            if (problems.isEmpty() && kind.isPresent()) {
                kinds.put(name, kind);
            }
        }
    }

    /** Every kind declared so far, for the generated Javadoc's rules. */
    Collection<OpKind> declared() {
        return kinds.values().stream().flatMap(Optional::stream).toList();
    }

    private Optional<OpKind> read(TypeElement type, Findings findings) {
        AnnotationMirror meta = Mirrors.mirror(type, LAYER_KIND);
        String declaredName = (String) value(meta, "name").getValue();
        String name = declaredName.isBlank() ? type.getSimpleName().toString() : declaredName.strip();
        if (!PythonNames.isClassName(name)) {
            findings.report(new Problem(Diagnostic.ATTRIBUTE_VALUE, new Site(type, meta, value(meta, "name")), "@LayerKind", type.getSimpleName(),
                    "name", "'" + (declaredName.isBlank() ? name + "' (the annotation's own name, where name is left out)" : declaredName + "'"),
                    "a name such as PyTorch gives a module class (letters, digits, _), as tables and reports show it"));
            return Optional.empty();
        }
        for (javax.lang.model.element.ExecutableElement method : javax.lang.model.util.ElementFilter.methodsIn(type.getEnclosedElements())) {
            if (method.getSimpleName().contentEquals("with") && !method.getReturnType().toString().equals("java.lang.String")) {
                // with holds the expressions that set the kind's attributes, as every built-in kind's does
                findings.report(new Problem(Diagnostic.ATTRIBUTE_VALUE, Site.of(method), "@LayerKind", type.getSimpleName(), "with",
                        "of type " + method.getReturnType(), "a String (String with() default \"\"): the expressions that set the kind's int and "
                        + "long attributes, written as with = \"name = expression, ...\""));
                return Optional.empty();
            }
        }
        if (builtIn.contains(name)) {
            findings.report(new Problem(Diagnostic.ATTRIBUTE_VALUE, new Site(type, meta, value(meta, "name")), "@LayerKind", type.getSimpleName(),
                    "name", "'" + name + "'", "a name no built-in layer has (" + name + " is one): counters, layer tables and reports tell kinds "
                    + "apart by name, so the other tools' figures would be those of the built-in " + name));
            return Optional.empty();
        }
        Map<String, String> texts = new LinkedHashMap<>();
        Map<String, Expr> costs = new LinkedHashMap<>();
        Expr output = null;
        for (String attribute : concat("output", COSTS)) {
            AnnotationValue written = value(meta, attribute);
            String text = ((String) written.getValue()).strip();
            texts.put(attribute, text);
            if (text.isEmpty() && (attribute.equals("output") || attribute.equals("flops"))) {
                continue;
            }
            try {
                Expr parsed = ExprParser.parse(text);
                if (attribute.equals("output")) {
                    output = parsed;
                } else {
                    costs.put(attribute, parsed);
                }
            } catch (ExprException e) {
                findings.report(Expressions.syntaxError(new Site(type, meta, written), "@LayerKind " + name + " " + attribute, text, e));
            }
        }
        AnnotationValue layoutValue = value(meta, "layout");
        String layoutText = ((String) layoutValue.getValue()).strip();
        List<String> layout = layoutText.isEmpty() ? List.of() : Layouts.parse(layoutText);
        if (layout == null) {
            findings.report(new Problem(Diagnostic.LAYOUT, new Site(type, meta, layoutValue), layoutText, "@LayerKind " + name,
                    layoutText.split(",", -1).length, Layouts.whyNot(layoutText)));
        }
        if (findings.rejected()) {
            return Optional.empty();
        }
        boolean module = (Boolean) value(meta, "module").getValue();
        String rule = (String) value(meta, "otherOpsRule").getValue();
        return Optional.of(new OpKind(type.getQualifiedName().toString(), name, module, 1, 1, null, false, rule,
                new DeclaredFormula(name, output, layout, costs, texts, intAttributes(type))));
    }

    /** The names of the annotation's {@code int} attributes. */
    private static java.util.Set<String> intAttributes(TypeElement type) {
        java.util.Set<String> ints = new java.util.LinkedHashSet<>();
        for (javax.lang.model.element.ExecutableElement method : javax.lang.model.util.ElementFilter.methodsIn(type.getEnclosedElements())) {
            if (method.getReturnType().getKind() == javax.lang.model.type.TypeKind.INT) {
                ints.add(method.getSimpleName().toString());
            }
        }
        return ints;
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
