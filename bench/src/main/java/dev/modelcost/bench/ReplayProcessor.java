package dev.modelcost.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.StandardLocation;

/**
 * The floor of compiling what modelcost writes: in its first round it writes, through the Filer,
 * exactly the generated sources and resources that a recorded modelcost compilation of the same
 * sources wrote ({@code -Abench.replay=DIR}: {@code DIR/src} its {@code -s}, {@code DIR/classes}
 * its {@code -d}), and does nothing else: no reading of specs, no analysis, no formatting. What a
 * compilation with it costs beyond {@code -proc:none} is what javac charges for processing rounds
 * and for compiling modelcost's output, which no speed-up of the processor can remove.
 */
public final class ReplayProcessor extends AbstractProcessor {
    /** The processor as javac instantiates it from -processor. */
    public ReplayProcessor() {}

    private boolean written;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of("dev.modelcost.Model");
    }

    @Override
    public Set<String> getSupportedOptions() {
        return Set.of("bench.replay");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        if (written || round.processingOver()) {
            return false;
        }
        written = true;
        Path dir = Path.of(processingEnv.getOptions().get("bench.replay"));
        try {
            Path sources = dir.resolve("src");
            for (Path file : files(sources)) {
                String relative = sources.relativize(file).toString();
                String name = relative.substring(0, relative.length() - ".java".length()).replace('/', '.');
                try (Writer out = processingEnv.getFiler().createSourceFile(name).openWriter()) {
                    out.write(Files.readString(file, StandardCharsets.UTF_8));
                }
            }
            Path classes = dir.resolve("classes");
            for (Path file : files(classes.resolve("META-INF"))) {
                try (OutputStream out = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "",
                        classes.relativize(file).toString()).openOutputStream()) {
                    out.write(Files.readAllBytes(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return false;
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
