package dev.modelcost.processor.spec;

import java.util.List;
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
        AnnotationMirror declaring = declaring(model, index);
        return declaring == null || Mirrors.explicitValues(declaring).containsKey("layout");
    }

    /** Where input {@code index} of {@code model} is declared: its {@code @Model(input)}, or its {@code @Input}'s shape. */
    public static dev.modelcost.processor.diag.Site site(ModelSpec model, int index) {
        javax.lang.model.element.TypeElement type = model.network().element();
        AnnotationMirror declaring = declaring(model, index);
        if (declaring == null) {
            return dev.modelcost.processor.diag.Site.of(type);
        }
        boolean single = Mirrors.explicitValues(declaring).containsKey("input");
        return new dev.modelcost.processor.diag.Site(type, declaring, Mirrors.explicitValues(declaring).get(single ? "input" : "shape"));
    }

    /** The annotation that declares input {@code index}: the {@code @Model} of a model of one input, else that input's {@code @Input}; null if none. */
    private static AnnotationMirror declaring(ModelSpec model, int index) {
        AnnotationMirror annotation = Mirrors.mirror(model.network().element(), Mirrors.DSL + ".Model");
        if (annotation == null) {
            return null;
        }
        AnnotationValue inputs = Mirrors.explicitValues(annotation).get("inputs");
        if (inputs == null) {
            return annotation;
        }
        List<?> each = (List<?>) inputs.getValue();
        return index < each.size() && ((AnnotationValue) each.get(index)).getValue() instanceof AnnotationMirror input ? input : null;
    }
}
