package dev.modelcost.processor.diag;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/**
 * Where a diagnostic points: an element, and optionally one of its annotations and one value of it.
 *
 * @param element the element, never null
 * @param mirror the annotation on it, or null
 * @param value the annotation value, or null
 */
public record Site(Element element, AnnotationMirror mirror, AnnotationValue value) {

    /** A site on an element as a whole. */
    public static Site of(Element element) {
        return new Site(element, null, null);
    }

    /** A site on an annotation of an element. */
    public static Site of(Element element, AnnotationMirror mirror) {
        return new Site(element, mirror, null);
    }

    /** This site's annotation with its attribute {@code name} pointed at, where it is written; else this site. */
    public Site attribute(String name) {
        if (mirror == null) {
            return this;
        }
        return mirror.getElementValues().entrySet().stream().filter(e -> e.getKey().getSimpleName().contentEquals(name))
                .map(e -> new Site(element, mirror, e.getValue())).findFirst().orElse(this);
    }
}
