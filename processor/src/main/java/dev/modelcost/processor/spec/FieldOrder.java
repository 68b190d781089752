package dev.modelcost.processor.spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/** A class's fields in declaration order, which ECJ loses for a class file: recorded beside a source block, read back for a binary one. */
final class FieldOrder {
    /** The folder of the recorded orders, one {@code <qualified name>.fields} file per block with one field name a line. */
    static final String FOLDER = "META-INF/modelcost/blocks/";

    private final Filer filer;
    private final boolean sortsClassFiles;
    /** The qualified names of the types compiled from source in this compilation, nested types included. */
    private final Set<String> sources = new HashSet<>();
    /** The types whose order this compilation has written. */
    private final Set<String> written = new HashSet<>();
    /** The recorded order of each binary type asked about: the listed names, or empty when none could be read. */
    private final Map<String, Optional<List<String>>> recorded = new HashMap<>();

    FieldOrder(ProcessingEnvironment environment) {
        this.filer = environment.getFiler();
        this.sortsClassFiles = sortsClassFileFields(environment);
    }

    /**
     * Whether the compiler gives the fields of a class read from a class file in another order than
     * declared: ECJ sorts them by name, javac keeps the class file's (declaration) order. Both the
     * environment and its {@code Elements} are asked, as a build tool may wrap the environment.
     */
    static boolean sortsClassFileFields(ProcessingEnvironment environment) {
        return isEclipse(environment) || isEclipse(environment.getElementUtils());
    }

    private static boolean isEclipse(Object implementation) {
        return implementation != null && implementation.getClass().getName().startsWith("org.eclipse.jdt.");
    }

    /** Notes a round's root elements, and the types nested in them, as compiled from source. */
    void addSources(Collection<? extends Element> roots) {
        for (TypeElement type : ElementFilter.typesIn(roots)) {
            sources.add(type.getQualifiedName().toString());
            addSources(type.getEnclosedElements());
        }
    }

    /** Whether a type of this qualified name is compiled from source in this compilation (so far). */
    boolean isSource(String qualifiedName) {
        return sources.contains(qualifiedName);
    }

    /** The resource that records a type's field order, e.g. {@code META-INF/modelcost/blocks/com.acme.Stage.fields}. */
    static String resourceName(TypeElement type) {
        return FOLDER + ResourceNames.of(type.getQualifiedName().toString()) + ".fields";
    }

    /** Writes the field order of a type compiled from source in this compilation, with the type as originating element; once per type. */
    void record(TypeElement type) throws IOException {
        if (!written.add(type.getQualifiedName().toString())) {
            // The Eclipse compiler offers a type found through the source path again in a later round.
            return;
        }
        StringBuilder text = new StringBuilder();
        for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            text.append(field.getSimpleName()).append('\n');
        }
        FileObject resource = filer.createResource(StandardLocation.CLASS_OUTPUT, "", resourceName(type), type);
        // Bytes in UTF-8 both ways, whatever the compilation's source encoding.
        try (OutputStream out = resource.openOutputStream()) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Why the declaration order of a type's fields cannot be known, or null when it can. */
    String unknown(TypeElement type) {
        if (!needsRecord(type)) {
            return null;
        }
        Optional<List<String>> names = read(type);
        if (names.isEmpty()) {
            return "no " + resourceName(type) + " is on the class path";
        }
        List<String> actual = names(ElementFilter.fieldsIn(type.getEnclosedElements()));
        if (names.get().size() != actual.size() || !Set.copyOf(names.get()).equals(Set.copyOf(actual))) {
            return resourceName(type) + " lists other fields (" + String.join(", ", names.get()) + ") than the class has ("
                    + String.join(", ", actual) + ")";
        }
        return null;
    }

    /** The fields of a type in declaration order; only for a type whose order is {@linkplain #unknown known}. */
    List<VariableElement> of(TypeElement type) {
        List<VariableElement> fields = ElementFilter.fieldsIn(type.getEnclosedElements());
        if (!needsRecord(type)) {
            return fields;
        }
        String why = unknown(type);
        if (why != null) {
            throw new IllegalStateException("the field order of " + type.getQualifiedName() + " is unknown: " + why);
        }
        Map<String, VariableElement> byName = fields.stream().collect(Collectors.toMap(f -> f.getSimpleName().toString(), f -> f));
        return read(type).orElseThrow().stream().map(byName::get).toList();
    }

    private boolean needsRecord(TypeElement type) {
        return sortsClassFiles && !sources.contains(type.getQualifiedName().toString()) && !onSourcePath(type);
    }

    /** Whether the type's source file is on the source path, so that the compiler reads it as source (in declaration order). */
    private boolean onSourcePath(TypeElement type) {
        Element top = type;
        while (top.getEnclosingElement() instanceof TypeElement outer) {
            top = outer;
        }
        String qualified = ((TypeElement) top).getQualifiedName().toString();
        int dot = qualified.lastIndexOf('.');
        try {
            filer.getResource(StandardLocation.SOURCE_PATH, dot < 0 ? "" : qualified.substring(0, dot), qualified.substring(dot + 1) + ".java")
                    .openInputStream().close();
            return true;
        } catch (IOException | IllegalArgumentException | UnsupportedOperationException | IllegalStateException e) {
            return false;
        }
    }

    private Optional<List<String>> read(TypeElement type) {
        return recorded.computeIfAbsent(type.getQualifiedName().toString(), name -> {
            // The class path holds a library's jar; the class output, in an incremental build, the earlier output.
            for (StandardLocation location : List.of(StandardLocation.CLASS_PATH, StandardLocation.CLASS_OUTPUT)) {
                // Bytes, as written; ECJ's file object for a jar entry has no char content.
                try (InputStream in = filer.getResource(location, "", resourceName(type)).openInputStream()) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    return Optional.of(text.lines().filter(line -> !line.isBlank()).toList());
                } catch (IOException | IllegalArgumentException | UnsupportedOperationException | IllegalStateException e) {
                    // Not there, or a Filer that cannot read this location: try the next one.
                }
            }
            byte[] inJar = JarResources.besideClassOf(filer, type, resourceName(type));
            return inJar == null ? Optional.empty()
                    : Optional.of(new String(inJar, StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).toList());
        });
    }

    private static List<String> names(List<VariableElement> fields) {
        return fields.stream().map(f -> f.getSimpleName().toString()).toList();
    }
}
