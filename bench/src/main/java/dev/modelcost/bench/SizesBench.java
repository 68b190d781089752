package dev.modelcost.bench;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Sizes as variables ({@code @Model(sizes)}): what they cost at compile time, and how fast the
 * generated {@code at(...)} answers.
 *
 * <p>Compile time: whole-process javac, as {@link ProcessBench} runs it, on ResNet-50 alone, Llama 3
 * 8B alone and the examples module, each as written with {@code sizes} and with every
 * {@code sizes} (and {@code @Budget(over)}) removed, alternating, medians of the runs. Then the
 * same in process, as {@link Javac#compile} runs it for the main benchmark: javac's own code warm in
 * this JVM, the processor loaded by a fresh class loader every time, as in a Maven build.
 *
 * <p>Evaluation: the generated {@code ResNet50Cost} and {@code Llama3_8BCost}, loaded from their
 * compiled classes, called in a loop after a warm-up: one figure ({@code MACS_FORM.at}) and every
 * figure ({@code at(...)}, the record of all closed forms with the domain checks), in nanoseconds a
 * call, at sizes that change every call so that nothing is hoisted.
 */
final class SizesBench {
    private SizesBench() {}

    static void main(String[] args, Path repository) throws Exception {
        int runs = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--raw" -> i++; // run.sh adds it for every benchmark; this one prints its table only
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; usage: --sizes [--runs N]");
            }
        }
        Path work = Files.createTempDirectory("modelcost-sizes-");
        Javac.Jars jars = Javac.Jars.fromClassPath().copyTo(work.resolve("jars"));
        String processorPath = String.join(File.pathSeparator, jars.processorPath().stream().map(Path::toString).toList());
        Path annotations = jars.classPath().get(0);
        Path javac = Path.of(System.getProperty("java.home"), "bin", "javac");
        Path examples = repository.resolve("examples/src/main/java/dev/modelcost/examples");

        // The sources with sizes, and the same without.
        Path sized = work.resolve("sized");
        Path fixed = work.resolve("fixed");
        Files.createDirectories(sized);
        Files.createDirectories(fixed);
        try (Stream<Path> files = Files.list(examples)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String name = file.getFileName().toString();
                if (name.equals("ExampleModels.java") || name.equals("CostTable.java")) {
                    continue;
                }
                String text = Files.readString(file);
                Files.writeString(sized.resolve(name), text);
                Files.writeString(fixed.resolve(name), withoutSizes(text));
            }
        }
        String resnet = Files.readString(repository.resolve("bench/fixtures/ResNet50.java"));
        Files.writeString(sized.resolve("ResNet50Alone.java"), resnet.replace("@Model(input = {3, 224, 224})",
                "@Model(input = {3, 224, 224}, sizes = {\"H\", \"W\"})").replace("class ResNet50 ", "class ResNet50Alone "));
        Files.writeString(fixed.resolve("ResNet50Alone.java"), resnet.replace("class ResNet50 ", "class ResNet50Alone "));

        Map<String, List<String>> rows = new LinkedHashMap<>();
        rows.put("ResNet-50 alone", List.of("ResNet50Alone.java", "Bottleneck.java", "Downsample.java"));
        rows.put("Llama 3 8B alone", List.of("Llama3_8B.java", "LlamaDecoderLayer.java", "LlamaAttention.java", "SwiGLU.java"));
        try (Stream<Path> files = Files.list(sized)) {
            rows.put("examples module", files.map(f -> f.getFileName().toString()).filter(n -> !n.equals("ResNet50Alone.java")).sorted().toList());
        }
        System.out.printf(Locale.ROOT, "sizes benchmark: %s, %d measured runs per mode after one warm-up, modes alternating%n%n", javac, runs);
        System.out.println("| sources | files | CPU fixed (ms) | CPU with sizes (ms) | CPU ratio | wall fixed (ms) | wall with sizes (ms) | wall ratio |");
        System.out.println("|---|--:|--:|--:|--:|--:|--:|--:|");
        ProcessBench.Mode mode = new ProcessBench.Mode("modelcost", List.of("-processorpath", processorPath));
        for (Map.Entry<String, List<String>> row : rows.entrySet()) {
            List<long[]> withSizes = new ArrayList<>();
            List<long[]> without = new ArrayList<>();
            for (int run = 0; run <= runs; run++) {
                long[] a = ProcessBench.compile(javac, annotations, mode, paths(sized, row.getValue()), work.resolve("out"));
                long[] b = ProcessBench.compile(javac, annotations, mode, paths(fixed, row.getValue()), work.resolve("out"));
                if (run > 0) {
                    withSizes.add(a);
                    without.add(b);
                }
            }
            long cpuFixed = ProcessBench.median(without, 0);
            long cpuSized = ProcessBench.median(withSizes, 0);
            long wallFixed = ProcessBench.median(without, 1);
            long wallSized = ProcessBench.median(withSizes, 1);
            System.out.printf(Locale.ROOT, "| %s | %d | %,d | %,d | %.2f | %,d | %,d | %.2f |%n", row.getKey(), row.getValue().size(), cpuFixed, cpuSized,
                    (double) cpuSized / cpuFixed, wallFixed, wallSized, (double) wallSized / wallFixed);
        }

        // Evaluation speed of the generated functions.
        Path classes = work.resolve("classes");
        ProcessBench.compile(javac, annotations, new ProcessBench.Mode("record", List.of("-processorpath", processorPath, "-Amodelcost.reports=none")),
                paths(sized, List.of("ResNet50Alone.java", "Bottleneck.java", "Downsample.java", "Llama3_8B.java", "LlamaDecoderLayer.java",
                        "LlamaAttention.java", "SwiGLU.java")), classes);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, SizesBench.class.getClassLoader())) {
            System.out.println();
            System.out.println("| generated function | ns a call |");
            System.out.println("|---|--:|");
            Class<?> resnetCost = loader.loadClass("dev.modelcost.examples.ResNet50AloneCost");
            Class<?> llamaCost = loader.loadClass("dev.modelcost.examples.Llama3_8BCost");
            Object resnetMacs = resnetCost.getField("MACS_FORM").get(null);
            Object llamaMacs = llamaCost.getField("MACS_FORM").get(null);
            Method form = resnetMacs.getClass().getMethod("at", long[].class);
            Method resnetAt = resnetCost.getMethod("at", int.class, int.class);
            Method llamaAt = llamaCost.getMethod("at", int.class);
            report("ResNet50Cost.MACS_FORM.at(H, W), H = W from 224 to 1,216 in steps of 32", k -> form.invoke(resnetMacs, (Object) new long[] {224 + 32 * (k % 32), 224 + 32 * (k % 32)}));
            report("ResNet50Cost.at(H, W): every figure, domains checked", k -> resnetAt.invoke(null, 224 + 32 * (k % 32), 224 + 32 * (k % 32)));
            report("ResNet50Cost.at(H, W) off the lattice (size program): H from 225 to 480, W = H + 1", k -> resnetAt.invoke(null, 225 + k % 256, 226 + k % 256));
            report("Llama3_8BCost.MACS_FORM.at(L), L from 1 to 8,192", k -> form.invoke(llamaMacs, (Object) new long[] {1 + k % 8192}));
            report("Llama3_8BCost.at(L): every figure, domain checked", k -> llamaAt.invoke(null, 1 + k % 8192));
        }
        // The same in one JVM, as a Maven build compiles: javac's own code warm, the processor loaded anew for every compilation.
        // Last, so that the processor's use of the runtime classes (ClosedForm) does not shape the JIT's view of them above.
        System.out.println();
        System.out.println("In-process javac (javax.tools in this JVM, a fresh processor class loader for every compilation), two warm-up runs:");
        System.out.println();
        System.out.println("| sources | javac thread CPU fixed (ms) | with sizes (ms) | CPU ratio | wall fixed (ms) | wall with sizes (ms) | wall ratio |");
        System.out.println("|---|--:|--:|--:|--:|--:|--:|");
        for (Map.Entry<String, List<String>> row : rows.entrySet()) {
            List<Javac.Result> withSizes = new ArrayList<>();
            List<Javac.Result> without = new ArrayList<>();
            for (int run = -1; run <= runs; run++) {
                Javac.Result a = inProcess(jars, paths(sized, row.getValue()), work);
                Javac.Result b = inProcess(jars, paths(fixed, row.getValue()), work);
                if (run > 0) {
                    withSizes.add(a);
                    without.add(b);
                }
            }
            double cpuFixed = median(without, Javac.Result::cpuMs);
            double cpuSized = median(withSizes, Javac.Result::cpuMs);
            double wallFixed = median(without, Javac.Result::wallMs);
            double wallSized = median(withSizes, Javac.Result::wallMs);
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %.2f | %,.0f | %,.0f | %.2f |%n", row.getKey(), cpuFixed, cpuSized, cpuSized / cpuFixed,
                    wallFixed, wallSized, wallSized / wallFixed);
        }
    }

    /** A call of the loop body, by iteration. */
    private interface Call {
        Object call(int k) throws Exception;
    }

    /** Times {@code call} over 1,000,000 iterations after 300,000 of warm-up; prints the nanoseconds a call. */
    private static void report(String what, Call call) throws Exception {
        long sink = 0;
        for (int k = 0; k < 300_000; k++) {
            sink += call.call(k).hashCode();
        }
        int calls = 1_000_000;
        long start = System.nanoTime();
        for (int k = 0; k < calls; k++) {
            sink += call.call(k).hashCode();
        }
        double ns = (System.nanoTime() - start) / (double) calls;
        System.out.printf(Locale.ROOT, "| %s | %.0f |%n", what, ns);
        if (sink == 42) {
            System.out.println();
        }
    }

    /** One in-process compilation with the processor as users get it; a compile error stops the benchmark. */
    private static Javac.Result inProcess(Javac.Jars jars, List<Path> sources, Path work) throws IOException {
        System.gc();
        Javac.Result result = Javac.compile(jars, sources, work.resolve("in-process"), Flavor.MODELCOST);
        if (!result.errors().isEmpty()) {
            throw new IllegalStateException("compile errors: " + result.errors());
        }
        return result;
    }

    private static double median(List<Javac.Result> results, java.util.function.ToDoubleFunction<Javac.Result> value) {
        double[] values = results.stream().mapToDouble(value).sorted().toArray();
        return values[values.length / 2];
    }

    private static List<Path> paths(Path dir, List<String> names) {
        return names.stream().map(dir::resolve).toList();
    }

    /** The source without {@code sizes} in its {@code @Model} and without a {@code @Budget} whose bounds range over sizes. */
    static String withoutSizes(String text) {
        return text.replaceAll(",\\s*sizes = (\\{[^}]*\\}|\"[^\"]*\")", "").replaceAll("(?m)^@Budget\\([^\\n]*over = [^\\n]*\\)\\n", "");
    }
}
