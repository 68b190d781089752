package dev.modelcost.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/** One in-process javac compilation of a corpus, with the modelcost processor or with {@code -proc:none}. */
final class Javac {
    /** The per-model note of {@code -Amodelcost.stats=true}. */
    private static final Pattern STATS = Pattern.compile("\\[modelcost\\] (\\S+): ([\\d,]+) leaves, ([\\d,]+) block analyses, ([\\d.]+) ms");
    private static final Pattern LAYER_COUNT = Pattern.compile("LAYER_COUNT = (\\d+);");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Set by {@code --hot}: one processor class loader for every run, so the processor's code stays JIT-compiled. */
    static boolean hotProcessor;
    private static URLClassLoader hotLoader;

    private Javac() {}

    /**
     * The jars a compilation uses, found on this JVM's class path (the bench pom's dependencies).
     *
     * @param classPath javac's class path: the annotations jar, all that user code and generated code need
     * @param processorPath the processor's own jar and its runtime dependencies (annotations, JavaPoet)
     */
    record Jars(List<Path> classPath, List<Path> processorPath) {
        static Jars fromClassPath() {
            Path annotations = null;
            List<Path> processorPath = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path path = Path.of(entry);
                String name = path.getFileName().toString();
                if (!name.endsWith(".jar")) {
                    continue;
                }
                processorPath.add(path);
                if (name.startsWith("modelcost-annotations")) {
                    annotations = path;
                }
            }
            boolean hasProcessor = processorPath.stream().anyMatch(p -> p.getFileName().toString().startsWith("modelcost-processor"));
            if (annotations == null || !hasProcessor) {
                throw new IllegalStateException("modelcost-annotations and modelcost-processor jars must be on the class path, found "
                        + System.getProperty("java.class.path"));
            }
            return new Jars(List.of(annotations), List.copyOf(processorPath));
        }

        /** A class path for a JVM that runs the bench with these jars: this JVM's class folders, then the jars. */
        String benchClassPath() {
            List<String> entries = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (!entry.endsWith(".jar")) {
                    entries.add(entry);
                }
            }
            processorPath.forEach(p -> entries.add(p.toString()));
            return String.join(File.pathSeparator, entries);
        }

        /**
         * The same jars copied into {@code dir}, so that a run uses one version of them even if
         * {@code mvn install} replaces the originals in the local repository meanwhile.
         */
        Jars copyTo(Path dir) throws IOException {
            Files.createDirectories(dir);
            List<Path> copies = new ArrayList<>();
            for (Path jar : processorPath) {
                copies.add(Files.copy(jar, dir.resolve(jar.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING));
            }
            Path annotations = dir.resolve(classPath.get(0).getFileName());
            return new Jars(List.of(annotations), List.copyOf(copies));
        }
    }

    /**
     * The outcome of one compilation.
     *
     * @param flavor what ran as the processor, {@code null} for {@code -proc:none}
     * @param wallMs wall time of the whole javac task (file manager, parse, processing rounds, generated classes, class files)
     * @param cpuMs CPU time of the thread that ran javac, over the same span (excludes GC and JIT threads)
     * @param statsMs the sum of the per-model times of the {@code modelcost.stats} notes
     * @param processorMs wall time inside the processor's {@code init} and {@code process} calls, every round
     * @param processorCpuMs CPU time of the same calls
     * @param rounds how many processing rounds ran the processor
     * @param leaves the sum of the leaves of the stats notes
     * @param blockAnalyses the sum of the block analyses of the stats notes
     * @param models how many stats notes (models processed)
     * @param generated how many {@code *Cost.java} files were generated
     * @param layerCount the sum of the generated {@code LAYER_COUNT} constants
     * @param errors javac's error messages, if any
     */
    record Result(Flavor flavor, double wallMs, double cpuMs, double statsMs, double processorMs, double processorCpuMs, int rounds,
            long leaves, long blockAnalyses, int models, int generated, long layerCount, List<String> errors) {}

    /**
     * Compiles {@code sources} into fresh {@code classes} and {@code generated} folders under {@code work},
     * with a fresh file manager, compiler task and processor class loader; {@code flavor} null means {@code -proc:none}.
     */
    static Result compile(Jars jars, List<Path> sources, Path work, Flavor flavor) throws IOException {
        boolean processor = flavor != null;
        Path classes = fresh(work.resolve("classes"));
        Path generated = fresh(work.resolve("generated"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = new ArrayList<>(List.of("--release", "17", "-encoding", "UTF-8"));
        if (processor) {
            options.addAll(flavor.options);
        } else {
            options.add("-proc:none");
        }
        TimingProcessor timing = null;
        boolean modelcost = flavor == Flavor.MODELCOST || flavor == Flavor.NO_REPORTS;
        URLClassLoader loader = null;
        if (modelcost && hotProcessor) {
            if (hotLoader == null) {
                hotLoader = processorLoader(jars.processorPath());
            }
            loader = hotLoader;
        } else if (modelcost) {
            loader = processorLoader(jars.processorPath());
        }

        long start = System.nanoTime();
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        boolean ok;
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            files.setLocationFromPaths(StandardLocation.CLASS_PATH, jars.classPath());
            files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(classes));
            files.setLocationFromPaths(StandardLocation.SOURCE_OUTPUT, List.of(generated));
            JavaCompiler.CompilationTask task = compiler.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjectsFromPaths(sources));
            if (processor) {
                timing = new TimingProcessor(loader == null ? new ControlProcessor()
                        : ServiceLoader.load(Processor.class, loader).findFirst()
                                .orElseThrow(() -> new IllegalStateException("no annotation processor on " + jars.processorPath())));
                task.setProcessors(List.of(timing));
            }
            ok = task.call();
        }
        double cpuMs = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e6;
        double wallMs = (System.nanoTime() - start) / 1e6;
        if (loader != null && loader != hotLoader) {
            loader.close();
        }

        List<String> errors = new ArrayList<>();
        double statsMs = 0;
        long leaves = 0;
        long analyses = 0;
        int models = 0;
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            String message = d.getMessage(Locale.ROOT);
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.add((d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ") + message);
                continue;
            }
            Matcher m = STATS.matcher(message);
            if (d.getKind() == Diagnostic.Kind.NOTE && m.find()) {
                models++;
                leaves += Long.parseLong(m.group(2).replace(",", ""));
                analyses += Long.parseLong(m.group(3).replace(",", ""));
                statsMs += Double.parseDouble(m.group(4));
            }
        }
        if (!ok && errors.isEmpty()) {
            errors.add("javac failed without an error message");
        }
        int costClasses = 0;
        long layerCount = 0;
        try (Stream<Path> walk = Files.walk(generated)) {
            for (Path file : (Iterable<Path>) walk.filter(p -> p.toString().endsWith("Cost.java"))::iterator) {
                costClasses++;
                Matcher m = LAYER_COUNT.matcher(Files.readString(file));
                if (m.find()) {
                    layerCount += Long.parseLong(m.group(1));
                }
            }
        }
        return new Result(flavor, wallMs, cpuMs, statsMs, timing == null ? 0 : timing.nanos() / 1e6,
                timing == null ? 0 : timing.cpuNanos() / 1e6, timing == null ? 0 : timing.rounds(), leaves, analyses, models, costClasses,
                layerCount, errors);
    }

    /**
     * A new class loader for the processor path, as javac makes one per compilation for
     * {@code -processorpath}: modelcost and JavaPoet classes come only from the given jars (never from
     * this JVM's class path, which also holds them), everything else (the JDK) from the usual loaders.
     */
    private static URLClassLoader processorLoader(List<Path> processorPath) {
        ClassLoader application = Javac.class.getClassLoader();
        ClassLoader jdkOnly = new ClassLoader("jdk-only", ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (name.startsWith("dev.modelcost.") || name.startsWith("com.palantir.")) {
                    throw new ClassNotFoundException(name);
                }
                return application.loadClass(name);
            }
        };
        URL[] urls = processorPath.stream().map(p -> {
            try {
                return p.toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(e);
            }
        }).toArray(URL[]::new);
        return new URLClassLoader("modelcost-processor-path", urls, jdkOnly);
    }

    /** Every {@code .java} file under a source root, sorted. */
    static List<Path> sources(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    /** An empty directory at {@code dir}, deleting what was there. */
    static Path fresh(Path dir) throws IOException {
        delete(dir);
        return Files.createDirectories(dir);
    }

    /** Deletes a directory tree if it exists. */
    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
