package dev.modelcost.processor.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;

/**
 * Runs a {@link JavaCompiler} (javac or ECJ) through plain {@code javax.tools} with real source,
 * generated-source and class directories, so that the files a processor wrote can be read even
 * when the compilation failed. compile-testing's {@code Compilation.generatedFiles()} refuses to
 * answer for a failed compilation, and ECJ cannot read back the in-memory files compile-testing
 * gives it; this harness has neither limit.
 */
public final class ToolCompile {
    private ToolCompile() {}

    /**
     * What one compilation produced.
     *
     * @param success what {@code CompilationTask.call()} returned
     * @param diagnostics every diagnostic, in the order reported (read while the compiler's files were open)
     * @param generated generated sources by path relative to the source output, e.g. {@code fuzz/V1Cost.java}
     * @param resources files written to the class output other than class files, e.g. {@code META-INF/modelcost/fuzz.V1.layers.tsv}
     * @param classOutput the class output directory (deleted by {@link #run} unless {@code keep} was set)
     * @param output what the compiler printed itself (ECJ prints its problems, and some noise, there)
     */
    public record Result(boolean success, List<Diag> diagnostics, Map<String, String> generated,
            Map<String, String> resources, Path classOutput, String output) {

        /** The errors. */
        public List<Diag> errors() {
            return diagnostics.stream().filter(d -> d.kind() == Diagnostic.Kind.ERROR).toList();
        }
    }

    /**
     * One diagnostic, copied out of the compiler (a compiler may compute lines lazily from files it has closed).
     *
     * @param kind error, warning, note, ...
     * @param file the file name, e.g. {@code V1.java}, or {@code ""} when the diagnostic has no source
     * @param line the 1-based line, or 0 when there is none
     * @param column the 1-based column, or 0 when there is none
     * @param message the message
     */
    public record Diag(Diagnostic.Kind kind, String file, long line, long column, String message) {
        static Diag of(Diagnostic<? extends JavaFileObject> d) {
            String file = "";
            if (d.getSource() != null) {
                String name = d.getSource().toUri().getPath();
                if (name == null) {
                    name = d.getSource().getName();
                }
                file = name.substring(name.lastIndexOf('/') + 1);
            }
            long line = d.getLineNumber() == Diagnostic.NOPOS ? 0 : d.getLineNumber();
            long column = d.getColumnNumber() == Diagnostic.NOPOS ? 0 : d.getColumnNumber();
            return new Diag(d.getKind(), file, line, column, d.getMessage(Locale.ROOT));
        }

        @Override
        public String toString() {
            return kind + " " + file + ":" + line + ": " + message;
        }
    }

    /** The directory (or jar) the DSL annotations were loaded from: the class path the specs compile against. */
    public static Path annotationsLocation() {
        try {
            return Path.of(dev.modelcost.Model.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Compiles {@code sources} (qualified class name to text) with the given processors and options.
     * With {@code keep}, the working directory survives (the caller deletes it); otherwise it is deleted.
     */
    public static Result run(JavaCompiler compiler, Map<String, String> sources, List<String> options, boolean keep,
            Processor... processors) {
        return run(compiler, sources, options, List.of(), keep, processors);
    }

    /** As {@link #run(JavaCompiler, Map, List, boolean, Processor...)}, with more class path entries after the annotations. */
    public static Result run(JavaCompiler compiler, Map<String, String> sources, List<String> options, List<Path> classPath,
            boolean keep, Processor... processors) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("modelcost-compile");
            Path src = Files.createDirectories(dir.resolve("src"));
            Path gen = Files.createDirectories(dir.resolve("generated"));
            Path classes = Files.createDirectories(dir.resolve("classes"));
            List<Path> files = new ArrayList<>();
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue(), StandardCharsets.UTF_8);
                files.add(file);
            }
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            boolean success;
            List<Diag> diags;
            java.io.StringWriter printed = new java.io.StringWriter();
            try (StandardJavaFileManager manager = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
                manager.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(classes));
                manager.setLocationFromPaths(StandardLocation.SOURCE_OUTPUT, List.of(gen));
                List<Path> path = new ArrayList<>();
                path.add(annotationsLocation());
                path.addAll(classPath);
                manager.setLocationFromPaths(StandardLocation.CLASS_PATH, path);
                JavaCompiler.CompilationTask task = compiler.getTask(printed, manager, diagnostics, options, List.of(),
                        manager.getJavaFileObjectsFromPaths(files));
                task.setProcessors(List.of(processors));
                success = quietly(task::call);
                diags = diagnostics.getDiagnostics().stream().map(Diag::of).toList();
            }
            return new Result(success, diags, read(gen, p -> true),
                    read(classes, p -> !p.toString().endsWith(".class")), classes, printed.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null && !keep) {
                delete(dir);
            }
        }
    }

    private static Map<String, String> read(Path root, java.util.function.Predicate<Path> which) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).filter(which).toList()) {
                files.put(root.relativize(p).toString().replace('\\', '/'), Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    /**
     * Runs {@code work} with {@code System.out} and {@code System.err} swallowed: ECJ prints its
     * problem list (and an internal "Cannot invoke Iterable.iterator()" message) there when it has no
     * writer of its own, which would put alarming "ERROR in" lines into the build log of passing tests.
     */
    public static <T> T quietly(java.util.function.Supplier<T> work) {
        java.io.PrintStream out = System.out;
        java.io.PrintStream err = System.err;
        java.io.PrintStream sink = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        System.setOut(sink);
        System.setErr(sink);
        try {
            return work.get();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Deletes a directory tree, quietly. */
    public static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }
}
