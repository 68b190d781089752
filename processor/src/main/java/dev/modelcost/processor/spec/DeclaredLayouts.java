package dev.modelcost.processor.spec;

import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;

/** Which of a model's inputs declare their layout, rather than take the default of their rank. */
public final class DeclaredLayouts {
    private DeclaredLayouts() {}

    /**
     * Whether input {@code index} of {@code model} declares its layout: {@code @Model(layout)} for a model of one input, else its
     * {@code @Input(layout)}. True where the annotations cannot be read, so that nothing is said of a layout not known to be defaulted.
     */
    public static boolean declared(ModelSpec model, int index) {
        AnnotationMirror annotation = Mirrors.mirror(model.network().element(), Mirrors.DSL + ".Model");
        if (annotation == null) {
            return true;
        }
        Map<String, AnnotationValue> given = Mirrors.explicitValues(annotation);
        AnnotationValue inputs = given.get("inputs");
        if (inputs == null) {
            return given.containsKey("layout");
        }
        List<?> each = (List<?>) inputs.getValue();
        if (index >= each.size() || !(((AnnotationValue) each.get(index)).getValue() instanceof AnnotationMirror input)) {
            return true;
        }
        return Mirrors.explicitValues(input).containsKey("layout");
    }

    /** Where input {@code index} of {@code model} is declared: its {@code @Model(input)}, or its {@code @Input}'s shape. */
    public static dev.modelcost.processor.diag.Site site(ModelSpec model, int index) {
        javax.lang.model.element.TypeElement type = model.network().element();
        AnnotationMirror annotation = Mirrors.mirror(type, Mirrors.DSL + ".Model");
        if (annotation == null) {
            return dev.modelcost.processor.diag.Site.of(type);
        }
        Map<String, AnnotationValue> given = Mirrors.explicitValues(annotation);
        AnnotationValue inputs = given.get("inputs");
        if (inputs == null) {
            return new dev.modelcost.processor.diag.Site(type, annotation, given.get("input"));
        }
        List<?> each = (List<?>) inputs.getValue();
        if (index < each.size() && ((AnnotationValue) each.get(index)).getValue() instanceof AnnotationMirror input) {
            return new dev.modelcost.processor.diag.Site(type, input, Mirrors.explicitValues(input).get("shape"));
        }
        return new dev.modelcost.processor.diag.Site(type, annotation, inputs);
    }
}
