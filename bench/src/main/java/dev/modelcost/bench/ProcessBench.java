package dev.modelcost.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Whole-process javac on real sources: the example models of this repository, and ResNet-50 alone.
 * Each run starts the JDK's {@code javac} as a process, as a build or an IDE's compile does, and
 * takes its CPU time (user + system, from bash's {@code time}) and wall time. Modes alternate within
 * each run: {@code -proc:none}, modelcost with its default reports, modelcost with
 * {@code -Amodelcost.reports=none}, the {@link ReplayProcessor} (modelcost's own output written
 * without any of its work: the floor of compiling that output) and the control processor (one tiny
 * class per model). The table gives medians and each mode's ratio to {@code -proc:none} measured
 * in the same run.
 */
final class ProcessBench {
    private ProcessBench() {}

    /** One mode: its name and the javac options it adds. */
    record Mode(String name, List<String> options) {}

    /** One row: its name and its source files. */
    private record Sources(String name, List<Path> files) {}

    static void main(String[] args, Path repository) throws Exception {
        int runs = 7;
        int warmup = 1;
        Path raw = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--raw" -> raw = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; usage: --javac-process [--runs N] [--warmup N] [--raw FILE]");
            }
        }
        StringBuilder csv = new StringBuilder("sources,mode,run,cpu_ms,wall_ms\n");
        Path work = Files.createTempDirectory("modelcost-javac-process-");
        Javac.Jars jars = Javac.Jars.fromClassPath().copyTo(work.resolve("jars"));
        String benchClasses = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith(".jar")).findFirst().orElseThrow();
        String processorPath = String.join(File.pathSeparator, jars.processorPath().stream().map(Path::toString).toList());
        List<Sources> rows = List.of(examples(repository), resnet50(repository));
        Path javac = Path.of(System.getProperty("java.home"), "bin", "javac");
        System.out.printf(Locale.ROOT, "javac process benchmark: %s, %d warm-up + %d measured runs per mode, modes alternating%n%n", javac, warmup, runs);
        System.out.println("| sources | files | mode | CPU (ms) | wall (ms) | CPU ratio to -proc:none | wall ratio |");
        System.out.println("|---|--:|---|--:|--:|--:|--:|");
        for (Sources row : rows) {
            // What modelcost writes for these sources, recorded once for the replay row.
            Path recorded = work.resolve("recorded-" + row.files().size());
            Files.createDirectories(recorded.resolve("src"));
            compile(javac, jars.classPath().get(0), new Mode("record", List.of("-processorpath", processorPath, "-s", recorded.resolve("src").toString())),
                    row.files(), recorded.resolve("classes"));
            List<Mode> modes = List.of(
                    new Mode("-proc:none", List.of("-proc:none")),
                    new Mode("modelcost", List.of("-processorpath", processorPath)),
                    new Mode("modelcost, reports=none", List.of("-processorpath", processorPath, "-Amodelcost.reports=none")),
                    new Mode("replay of modelcost's output", List.of("-processorpath", benchClasses, "-processor", ReplayProcessor.class.getName(),
                            "-Abench.replay=" + recorded)),
                    new Mode("control processor", List.of("-processorpath", benchClasses, "-processor", ControlProcessor.class.getName())));
            Map<Mode, List<long[]>> times = new LinkedHashMap<>();
            modes.forEach(mode -> times.put(mode, new ArrayList<>()));
            for (int run = 0; run < warmup + runs; run++) {
                for (Mode mode : modes) {
                    long[] measured = compile(javac, jars.classPath().get(0), mode, row.files(), work.resolve("out"));
                    if (run >= warmup) {
                        times.get(mode).add(measured);
                        csv.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%d%n", row.name(), mode.name().replace(",", ";"), run - warmup, measured[0], measured[1]));
                    }
                }
            }
            long baseCpu = median(times.get(modes.get(0)), 0);
            long baseWall = median(times.get(modes.get(0)), 1);
            for (Mode mode : modes) {
                long cpu = median(times.get(mode), 0);
                long wall = median(times.get(mode), 1);
                System.out.printf(Locale.ROOT, "| %s | %d | %s | %,d | %,d | %.2f | %.2f |%n", row.name(), row.files().size(), mode.name(), cpu, wall,
                        (double) cpu / baseCpu, (double) wall / baseWall);
            }
        }
        if (raw != null) {
            Files.writeString(raw, csv);
        }
    }

    /** Every model source of the examples module: all but the two classes that read the generated ones. */
    private static Sources examples(Path repository) throws IOException {
        Path dir = repository.resolve("examples/src/main/java/dev/modelcost/examples");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> sources = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.getFileName().toString().equals("ExampleModels.java") && !f.getFileName().toString().equals("CostTable.java"))
                    .sorted().toList();
            return new Sources("examples module", sources);
        }
    }

    private static Sources resnet50(Path repository) {
        Path dir = repository.resolve("examples/src/main/java/dev/modelcost/examples");
        // The examples' ResNet-50 applies the ResNets family, which holds three more models: the row compiles the standalone spec.
        return new Sources("ResNet-50 alone", List.of(repository.resolve("bench/fixtures/ResNet50.java"), dir.resolve("Bottleneck.java"),
                dir.resolve("Downsample.java")));
    }

    /** Compiles once in a fresh output folder; returns {CPU ms, wall ms}. */
    static long[] compile(Path javac, Path annotations, Mode mode, List<Path> files, Path out) throws IOException, InterruptedException {
        deleteTree(out);
        Files.createDirectories(out);
        List<String> command = new ArrayList<>(List.of("bash", "-c",
                "TIMEFORMAT='%3U %3S %3R'; { time \"$@\" > \"$JAVAC_LOG\" 2>&1 ; } 2> \"$TIME_LOG\"", "bash",
                javac.toString(), "--release", "17", "-encoding", "UTF-8", "-d", out.toString(), "-cp", annotations.toString()));
        command.addAll(mode.options());
        files.forEach(f -> command.add(f.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        Path log = out.resolveSibling("javac.log");
        Path timeLog = out.resolveSibling("time.log");
        builder.environment().put("JAVAC_LOG", log.toString());
        builder.environment().put("TIME_LOG", timeLog.toString());
        int exit = builder.inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(mode.name() + " failed:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        String[] t = Files.readString(timeLog, StandardCharsets.UTF_8).strip().split("\\s+");
        long cpu = Math.round((Double.parseDouble(t[0]) + Double.parseDouble(t[1])) * 1000);
        return new long[] {cpu, Math.round(Double.parseDouble(t[2]) * 1000)};
    }

    static long median(List<long[]> samples, int column) {
        long[] values = samples.stream().mapToLong(s -> s[column]).sorted().toArray();
        return values[values.length / 2];
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
