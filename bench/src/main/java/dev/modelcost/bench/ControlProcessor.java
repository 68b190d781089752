package dev.modelcost.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;

/**
 * The control for the whole-compile ratio: a processor that does the least a processor generating
 * one class per model can do. For every {@code @Model} class it writes {@code <Model>Cost} with one
 * constant; no reading of the spec, no analysis, no resources. What javac spends with it beyond
 * {@code -proc:none} is the price of annotation processing rounds themselves. With
 * {@code -Abench.control=noop} it writes nothing: the price of running any processor at all.
 */
public final class ControlProcessor extends AbstractProcessor {
    /** The processor as javac instantiates it from -processor. */
    public ControlProcessor() {}

    private static final String MODEL = "dev.modelcost.Model";

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(MODEL);
    }

    @Override
    public Set<String> getSupportedOptions() {
        return Set.of("bench.control");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        TypeElement model = processingEnv.getElementUtils().getTypeElement(MODEL);
        if (model == null || "noop".equals(processingEnv.getOptions().get("bench.control"))) {
            return false;
        }
        for (Element element : round.getElementsAnnotatedWith(model)) {
            TypeElement type = (TypeElement) element;
            PackageElement pkg = processingEnv.getElementUtils().getPackageOf(type);
            String name = type.getSimpleName() + "Cost";
            String qualified = pkg.isUnnamed() ? name : pkg.getQualifiedName() + "." + name;
            try (Writer out = processingEnv.getFiler().createSourceFile(qualified, type).openWriter()) {
                out.write((pkg.isUnnamed() ? "" : "package " + pkg.getQualifiedName() + ";\n\n")
                        + "public final class " + name + " {\n    public static final int LAYER_COUNT = 0;\n\n    private " + name
                        + "() {}\n}\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return false;
    }
}
