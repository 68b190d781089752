package dev.modelcost.processor.spec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The {@code @SuppressWarnings} values of a class's elements that speak to modelcost ({@code "MC130"}, {@code "modelcost"},
 * {@code "all"}): from the source, else as an earlier compilation recorded them beside the class files, since Java keeps the
 * annotation in source only. A field's {@code "MC130"} changes a figure (fvcore's), so a block read from a jar must keep it.
 */
final class Suppressions {
    /** The records, one {@code <qualified name of a top-level class>.suppressions} file each, a line per element: key, tab, values. */
    static final String FOLDER = "META-INF/modelcost/suppressions/";

    private final Filer filer;
    private final Predicate<Element> fromSource;
    /** The top-level classes recorded in this compilation. */
    private final Set<String> recorded = new HashSet<>();
    /** The records read, by top-level class: the values by element key; empty where there is none. */
    private final Map<String, Map<String, Set<String>>> read = new HashMap<>();
    /** The values found, by element: a model's analysis asks for every field's at every size analysed. */
    private final Map<Element, Set<String>> found = new HashMap<>();

    Suppressions(Filer filer, Predicate<Element> fromSource) {
        this.filer = filer;
        this.fromSource = fromSource;
    }

    /** Records beside the class files the values of a top-level class compiled from source, of it and its nested classes and fields. */
    void record(TypeElement type) throws IOException {
        TypeElement outer = Mirrors.outermost(type);
        if (!recorded.add(outer.getQualifiedName().toString())) {
            return;
        }
        StringBuilder text = new StringBuilder();
        collect(outer, text);
        if (text.length() == 0) {
            return;
        }
        FileObject resource = filer.createResource(StandardLocation.CLASS_OUTPUT, "", FOLDER + outer.getQualifiedName() + ".suppressions", outer);
        try (OutputStream out = resource.openOutputStream()) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void collect(TypeElement type, StringBuilder text) {
        line(type, text);
        for (Element enclosed : type.getEnclosedElements()) {
            if (enclosed instanceof TypeElement nested) {
                collect(nested, text);
            } else if (enclosed.getKind() == ElementKind.FIELD) {
                line(enclosed, text);
            }
        }
    }

    private static void line(Element element, StringBuilder text) {
        SuppressWarnings suppress = element.getAnnotation(SuppressWarnings.class);
        Set<String> values = suppress == null ? Set.of() : ours(suppress.value());
        if (!values.isEmpty()) {
            text.append(key(element)).append('\t').append(String.join(",", values.stream().sorted().toList())).append('\n');
        }
    }

    /** The values that speak to modelcost: its tags, {@code "modelcost"} and {@code "all"}. */
    private static Set<String> ours(String[] values) {
        return Arrays.stream(values).filter(v -> v.startsWith("MC") || v.equals("modelcost") || v.equals("all")).collect(Collectors.toSet());
    }

    /** A class's qualified name, or a field's as {@code com.acme.Stage#side}; null for any other element. */
    private static String key(Element element) {
        if (element instanceof TypeElement type) {
            return type.getQualifiedName().toString();
        }
        return element.getKind() == ElementKind.FIELD && element.getEnclosingElement() instanceof TypeElement type
                ? type.getQualifiedName() + "#" + element.getSimpleName() : null;
    }

    /** The values of the element's {@code @SuppressWarnings} that speak to modelcost, from its source or as recorded. */
    Set<String> of(Element element) {
        return found.computeIfAbsent(element, this::lookUp);
    }

    private Set<String> lookUp(Element element) {
        SuppressWarnings suppress = element.getAnnotation(SuppressWarnings.class);
        if (suppress != null) {
            return ours(suppress.value());
        }
        String key = key(element);
        if (key == null || fromSource.test(element)) {
            return Set.of();
        }
        TypeElement outer = Mirrors.outermost(element instanceof TypeElement type ? type : (TypeElement) element.getEnclosingElement());
        return read.computeIfAbsent(outer.getQualifiedName().toString(), name -> recorded(outer)).getOrDefault(key, Set.of());
    }

    /** The record of a top-level class read from its class file, or an empty one. */
    private Map<String, Set<String>> recorded(TypeElement outer) {
        byte[] bytes = JarResources.recorded(filer, outer, FOLDER + outer.getQualifiedName() + ".suppressions");
        Map<String, Set<String>> values = new HashMap<>();
        if (bytes != null) {
            for (String line : new String(bytes, StandardCharsets.UTF_8).lines().toList()) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    values.put(line.substring(0, tab), Set.copyOf(Arrays.asList(line.substring(tab + 1).split(","))));
                }
            }
        }
        return values;
    }
}
