package dev.modelcost.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The compile-time benchmark: generates each corpus, compiles it in-process with javac several times
 * with a processor and with {@code -proc:none}, measures the peak live heap of each in a separate
 * JVM, and prints a Markdown table of medians and the targets.
 *
 * <pre>
 * Bench [--smoke] [--runs N] [--warmup N] [--only PREFIX[,PREFIX...]] [--no-memory] [--work DIR] [--keep] [--raw FILE]
 *       [--max-wait SECONDS] [--hot]
 * </pre>
 *
 * <ul>
 *   <li>{@code --smoke}: tiny corpora, one run of each mode, memory of one corpus; checks that every
 *       compilation succeeds and every count is right (no timing checks). Exit status 0 iff all do.
 *   <li>{@code --runs N} (default 5): measured runs per mode and row; the table shows their medians.
 *       Rows whose compilations take tens of seconds ({@link Corpus#heavy()}) run at most 3.
 *   <li>{@code --warmup N} (default 2): runs per mode and row before those, discarded (at most 1 for heavy rows).
 *   <li>{@code --only}: rows whose name, with spaces written as {@code _}, starts with one of the given prefixes
 *       ({@code --only mixed-500x50_[no-op} picks one row, {@code --only repeat} four).
 *   <li>{@code --no-memory}: skip the peak-heap probes.
 *   <li>{@code --work DIR}: where corpora and javac output go (default: the system temp folder).
 *   <li>{@code --keep}: keep the generated corpora and outputs.
 *   <li>{@code --raw FILE}: also write every run as CSV.
 *   <li>{@code --hot}: load the processor once for all runs instead of once per compilation (as javac
 *       does), so that its code stays JIT-compiled: shows how much of the processor time is its own
 *       class loading and warm-up. Not what a build sees.
 *   <li>{@code --max-wait SECONDS} (default 300, 0 in smoke runs): before each row, wait up to this
 *       long for other processes to leave the CPUs alone (see {@link Load#waitForQuiet}).
 * </ul>
 */
public final class Bench {
    private static final PrintStream OUT = System.out;
    private static final PrintStream LOG = System.err;
    private static final int HEAVY_RUNS = 3;
    private static final int HEAVY_WARMUP = 1;

    private Bench() {}

    /** One row of the table: a corpus and what runs as its processor. */
    record Case(Corpus corpus, Flavor flavor) {
        String name() {
            return corpus.name() + flavor.suffix;
        }
    }

    /** The measurements of one row. */
    private record Row(Case c, List<Javac.Result> proc, List<Javac.Result> none, Optional<Probe> memProc, Optional<Probe> memNone,
            double otherLoad) {
        double procMs() {
            return median(proc, Javac.Result::wallMs);
        }

        double noneMs() {
            return median(none, Javac.Result::wallMs);
        }

        double cpuRatio() {
            return median(proc, Javac.Result::cpuMs) / median(none, Javac.Result::cpuMs);
        }

        double statsMs() {
            return median(proc, Javac.Result::statsMs);
        }

        double processorMs() {
            return median(proc, Javac.Result::processorMs);
        }

        double processorCpuMs() {
            return median(proc, Javac.Result::processorCpuMs);
        }
    }

    /** What a memory probe printed. */
    private record Probe(long peakBytes, long baselineBytes, int samples, double wallMs) {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--sizes")) {
            SizesBench.main(Arrays.copyOfRange(args, 1, args.length), Path.of("").toAbsolutePath().getParent());
            return;
        }
        if (args.length > 0 && args[0].equals("--javac-process")) {
            // exec:exec runs in bench/, so the repository is its parent.
            ProcessBench.main(Arrays.copyOfRange(args, 1, args.length), Path.of("").toAbsolutePath().getParent());
            return;
        }
        boolean smoke = false;
        boolean memory = true;
        boolean keep = false;
        int runs = 5;
        int warmup = 2;
        List<String> only = new ArrayList<>();
        Path raw = null;
        int maxWait = 300;
        Path workRoot = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--only" -> only.addAll(Arrays.asList(args[++i].split(",")));
                case "--no-memory" -> memory = false;
                case "--work" -> workRoot = Path.of(args[++i]);
                case "--keep" -> keep = true;
                case "--hot" -> Javac.hotProcessor = true;
                case "--max-wait" -> maxWait = Integer.parseInt(args[++i]);
                case "--raw" -> raw = Path.of(args[++i]);
                default -> {
                    LOG.println("unknown argument " + args[i] + "; usage: Bench [--smoke] [--runs N] [--warmup N] [--only PREFIX,...]"
                            + " [--no-memory] [--work DIR] [--keep] [--raw FILE] [--max-wait SECONDS] [--hot]");
                    System.exit(2);
                }
            }
        }
        if (smoke) {
            runs = 1;
            warmup = 0;
            maxWait = 0;
        }
        List<Case> cases = new ArrayList<>();
        for (Case c : smoke ? Corpora.smoke() : Corpora.full()) {
            if (only.isEmpty() || only.stream().anyMatch(c.name().replace(' ', '_')::startsWith)) {
                cases.add(c);
            }
        }
        if (cases.isEmpty()) {
            LOG.println("no row matches " + only);
            System.exit(2);
        }

        Path work = Files.createTempDirectory(Files.createDirectories(workRoot), "modelcost-bench-");
        Javac.Jars jars = Javac.Jars.fromClassPath().copyTo(work.resolve("jars"));
        LOG.printf("modelcost bench: %d rows, %d warm-up + %d measured runs per mode (heavy rows: %d + %d), work folder %s%n",
                cases.size(), warmup, runs, Math.min(warmup, HEAVY_WARMUP), Math.min(runs, HEAVY_RUNS), work);

        String processorJar = jars.processorPath().stream().filter(p -> p.getFileName().toString().startsWith("modelcost-processor"))
                .findFirst().map(p -> {
                    try {
                        return p.getFileName() + ", " + Files.size(p) + " bytes, built " + Files.getLastModifiedTime(Javac.Jars.fromClassPath()
                                .processorPath().stream().filter(q -> q.getFileName().equals(p.getFileName())).findFirst().orElse(p));
                    } catch (IOException e) {
                        return p.getFileName().toString();
                    }
                }).orElse("?");
        List<Row> rows = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> csv = new ArrayList<>(List.of(
                "row,run,mode,wall_ms,javac_thread_cpu_ms,stats_ms,processor_ms,processor_cpu_ms,rounds,leaves,block_analyses"));
        Map<Corpus, Integer> remaining = new HashMap<>();
        cases.forEach(c -> remaining.merge(c.corpus(), 1, Integer::sum));
        Map<Corpus, List<Path>> written = new HashMap<>();
        for (Case c : cases) {
            Corpus corpus = c.corpus();
            Path dir = work.resolve(corpus.name().replaceAll("[^A-Za-z0-9_.-]+", "_"));
            Path src = dir.resolve("src");
            if (!written.containsKey(corpus)) {
                corpus.writer().write(Files.createDirectories(src));
                written.put(corpus, Javac.sources(src));
            }
            List<Path> sources = written.get(corpus);
            if (sources.size() != corpus.files()) {
                throw new IllegalStateException(corpus.name() + ": wrote " + sources.size() + " files, expected " + corpus.files());
            }
            int caseRuns = corpus.heavy() ? Math.min(runs, HEAVY_RUNS) : runs;
            int caseWarmup = corpus.heavy() ? Math.min(warmup, HEAVY_WARMUP) : warmup;
            Load.waitForQuiet(maxWait, LOG);
            LOG.printf("%-44s %,6d files, %,9d layers: ", c.name(), sources.size(), corpus.layers());
            List<Javac.Result> proc = new ArrayList<>();
            List<Javac.Result> none = new ArrayList<>();
            Load.Snapshot loadStart = null;
            for (int run = 0; run < caseWarmup + caseRuns; run++) {
                boolean measured = run >= caseWarmup;
                if (measured && loadStart == null) {
                    loadStart = Load.now();
                }
                // Alternate which mode goes first, so that neither always follows the other.
                Flavor[] order = run % 2 == 0 ? new Flavor[] {c.flavor(), null} : new Flavor[] {null, c.flavor()};
                for (Flavor flavor : order) {
                    System.gc(); // outside the timed part: every run starts with the garbage of the last one collected
                    Javac.Result result = Javac.compile(jars, sources, dir.resolve("out"), flavor);
                    check(corpus, result).ifPresent(problem -> failures.add(c.name() + " (" + mode(flavor) + "): " + problem));
                    if (measured) {
                        (flavor != null ? proc : none).add(result);
                    }
                    csv.add(String.format(Locale.ROOT, "%s,%d,%s,%.1f,%.1f,%.1f,%.1f,%.1f,%d,%d,%d", c.name(), run - caseWarmup, mode(flavor),
                            result.wallMs(), result.cpuMs(), result.statsMs(), result.processorMs(), result.processorCpuMs(),
                            result.rounds(), result.leaves(), result.blockAnalyses()));
                }
                LOG.print(measured ? "." : "w");
            }
            double otherLoad = Load.otherCoresSince(loadStart);
            Optional<Probe> memProc = Optional.empty();
            Optional<Probe> memNone = Optional.empty();
            if (memory && c.flavor() == Flavor.MODELCOST && (!smoke || rows.isEmpty())) {
                LOG.print(" memory");
                memProc = probe(jars, src, dir.resolve("probe"), c.flavor(), c, failures);
                memNone = probe(jars, src, dir.resolve("probe"), null, c, failures);
            }
            Row row = new Row(c, proc, none, memProc, memNone, otherLoad);
            rows.add(row);
            LOG.printf(Locale.ROOT, " %,.0f / %,.0f ms = %.2f, processor %,.0f ms%n", row.procMs(), row.noneMs(), row.procMs() / row.noneMs(),
                    row.processorMs());
            if (remaining.merge(corpus, -1, Integer::sum) == 0 && !keep) {
                Javac.delete(dir);
            }
        }
        if (!keep) {
            Javac.delete(work);
        }
        if (raw != null) {
            Path parent = raw.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(raw, csv, StandardCharsets.UTF_8);
        }

        printEnvironment(warmup, runs, memory, workRoot, processorJar);
        printTable(rows);
        if (!smoke) {
            printTargets(rows);
        }
        if (!failures.isEmpty()) {
            OUT.println();
            OUT.println("FAILED:");
            failures.forEach(f -> OUT.println("- " + f));
            System.exit(1);
        }
        if (smoke) {
            OUT.printf("%nsmoke: all %d rows compiled with and without their processor, counts checked%n", rows.size());
        }
    }

    /** What is wrong with a run, if anything: errors, missing generated classes, wrong leaf counts. */
    private static Optional<String> check(Corpus corpus, Javac.Result r) {
        if (!r.errors().isEmpty()) {
            return Optional.of(r.errors().size() + " errors, first: " + r.errors().get(0));
        }
        if (r.flavor() == null || r.flavor() == Flavor.NOOP) {
            return r.generated() == 0 ? Optional.empty() : Optional.of("generated " + r.generated() + " classes with -proc:none");
        }
        if (r.generated() != corpus.models()) {
            return Optional.of("expected " + corpus.models() + " generated classes, got " + r.generated());
        }
        if (r.flavor() == Flavor.CONTROL) {
            return Optional.empty();
        }
        if (r.models() != corpus.models()) {
            return Optional.of("expected " + corpus.models() + " stats notes, got " + r.models());
        }
        if (r.leaves() != corpus.layers() || r.layerCount() != corpus.layers()) {
            return Optional.of("expected " + corpus.layers() + " leaves, stats notes say " + r.leaves() + ", LAYER_COUNT says "
                    + r.layerCount());
        }
        return Optional.empty();
    }

    /** Runs {@link MemoryProbe} in a JVM of its own. */
    private static Optional<Probe> probe(Javac.Jars jars, Path src, Path work, Flavor flavor, Case c, List<String> failures)
            throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx4g", "-Xss16m", "-cp", jars.benchClassPath(),
                MemoryProbe.class.getName(), src.toString(), work.toString(), flavor == null ? "none" : flavor.name());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l = out.readLine(); l != null; l = out.readLine()) {
                if (l.startsWith("PROBE ")) {
                    line = l;
                }
            }
        }
        int status = process.waitFor();
        Javac.delete(work);
        if (status != 0 || line == null) {
            failures.add(c.name() + " (" + mode(flavor) + "): memory probe failed with status " + status);
            return Optional.empty();
        }
        String[] f = line.split(" ");
        return Optional.of(new Probe(Long.parseLong(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3]), Double.parseDouble(f[4])));
    }

    private static void printEnvironment(int warmup, int runs, boolean memory, Path workRoot, String processorJar) {
        OUT.println();
        OUT.printf("- date: %s%n", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withLocale(Locale.ROOT)));
        OUT.printf("- machine: %d cores (availableProcessors), %s%n", Runtime.getRuntime().availableProcessors(), cpuModel());
        OUT.printf("- JDK: %s %s (%s)%n", System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vendor"));
        OUT.printf("- bench JVM flags: %s; javac --release 17; output under %s%n",
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()), workRoot.toAbsolutePath());
        OUT.printf("- processor: %s; %s%n", processorJar, Javac.hotProcessor
                ? "--hot: loaded once for all runs (its code stays JIT-compiled; not what a build sees)"
                : "loaded by a new class loader for every compilation, as javac does");
        OUT.printf("- runs: %d warm-up (discarded) + %d measured per mode and row (heavy rows: %d + %d), all in one JVM; medians%n",
                warmup, runs, Math.min(warmup, HEAVY_WARMUP), Math.min(runs, HEAVY_RUNS));
        if (memory) {
            OUT.printf("- peak live heap: one compile in a separate JVM per row and mode, -XX:+UseSerialGC, a full GC forced every max(%d ms, 2 x its duration)%n",
                    MemoryProbe.INTERVAL_MS);
        }
        OUT.println();
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static void printTable(List<Row> rows) {
        OUT.println("| corpus | models | layers | javac + processor (ms) | javac -proc:none (ms) | ratio | ratio of javac thread CPU "
                + "| processor (ms) | processor CPU (ms) | processor, stats notes (ms) | block analyses | peak live heap, processor (MB) "
                + "| peak live heap, -proc:none (MB) | other load (cores) |");
        OUT.println("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        for (Row r : rows) {
            boolean modelcost = r.c().flavor() == Flavor.MODELCOST || r.c().flavor() == Flavor.NO_REPORTS;
            OUT.printf(Locale.ROOT, "| %s | %,d | %,d | %,.0f | %,.0f | %.2f | %.2f | %,.0f | %,.0f | %s | %s | %s | %s | %s |%n",
                    r.c().name(), r.c().corpus().models(), r.c().corpus().layers(), r.procMs(), r.noneMs(), r.procMs() / r.noneMs(),
                    r.cpuRatio(), r.processorMs(), r.processorCpuMs(), modelcost ? String.format(Locale.ROOT, "%,.0f", r.statsMs()) : "–",
                    modelcost && !r.proc().isEmpty() ? String.format(Locale.ROOT, "%,d", r.proc().get(0).blockAnalyses()) : "–",
                    r.memProc().map(p -> mb(p.peakBytes())).orElse("–"), r.memNone().map(p -> mb(p.peakBytes())).orElse("–"),
                    Double.isNaN(r.otherLoad()) ? "?" : String.format(Locale.ROOT, "%.1f", r.otherLoad()));
        }
    }

    /** The targets, evaluated on what was measured. */
    private static void printTargets(List<Row> rows) {
        Map<String, Row> byName = new LinkedHashMap<>();
        rows.forEach(r -> byName.put(r.c().name(), r));
        OUT.println();
        OUT.println("Targets (processor time = wall time inside the processor's init and process calls, median):");
        Row mixed = byName.get("mixed-500x50");
        if (mixed != null) {
            double ratio = mixed.procMs() / mixed.noneMs();
            OUT.printf(Locale.ROOT, "- whole-compile ratio on mixed-500x50 <= 1.10: %.2f -> %s", ratio, met(ratio <= 1.10));
            Row control = byName.get("mixed-500x50" + Flavor.CONTROL.suffix);
            if (control != null) {
                OUT.printf(Locale.ROOT, "; a processor that only writes one tiny class per model: %.2f", control.procMs() / control.noneMs());
            }
            Row noop = byName.get("mixed-500x50" + Flavor.NOOP.suffix);
            if (noop != null) {
                OUT.printf(Locale.ROOT, "; a processor that does nothing: %.2f", noop.procMs() / noop.noneMs());
            }
            OUT.println();
        }
        Row flat20k = byName.get("flat-20k");
        if (flat20k != null) {
            OUT.printf(Locale.ROOT, "- processor time for a 20,000-layer model <= 1 s: %,.0f ms -> %s%n", flat20k.processorMs(),
                    met(flat20k.processorMs() <= 1000));
        }
        Row once = byName.get("repeat-1");
        Row many = byName.get("repeat-100k");
        if (once != null && many != null) {
            double factor = many.processorMs() / once.processorMs();
            OUT.printf(Locale.ROOT, "- a block repeated 100,000 times costs about one repetition (criterion: processor time within 2x): "
                    + "%,.0f ms vs %,.0f ms = %.0fx -> %s%n", many.processorMs(), once.processorMs(), factor, met(factor <= 2));
            if (once.memProc().isPresent() && many.memProc().isPresent() && once.memNone().isPresent() && many.memNone().isPresent()) {
                long extraOnce = once.memProc().get().peakBytes() - once.memNone().get().peakBytes();
                long extraMany = many.memProc().get().peakBytes() - many.memNone().get().peakBytes();
                OUT.printf(Locale.ROOT, "- memory does not grow with the count (criterion: the processor's extra peak live heap within "
                        + "2x + 8 MB of repeat-1's): %s MB vs %s MB -> %s%n", mb(extraMany), mb(extraOnce),
                        met(extraMany <= 2 * Math.max(extraOnce, 0) + 8L * 1024 * 1024));
            }
        }
        List<Row> series = rows.stream().filter(r -> r.c().flavor() == Flavor.MODELCOST
                && (r.c().name().startsWith("flat-") || r.c().name().startsWith("blocks-"))).toList();
        if (series.size() >= 2) {
            OUT.println("- processor time linear in layers (processor ms, wall and CPU, per 1,000 layers):");
            for (Row r : series) {
                double k = r.c().corpus().layers() / 1000.0;
                OUT.printf(Locale.ROOT, "  - %s: %,.0f ms, %.1f ms per 1k layers (CPU %.1f ms per 1k)%n", r.c().name(), r.processorMs(),
                        r.processorMs() / k, r.processorCpuMs() / k);
            }
        }
    }

    private static String met(boolean met) {
        return met ? "met" : "NOT met";
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%,.0f", bytes / (1024.0 * 1024.0));
    }

    private static String mode(Flavor flavor) {
        return flavor == null ? "proc-none" : flavor.name().toLowerCase(Locale.ROOT);
    }

    static <T> double median(List<T> values, ToDoubleFunction<T> f) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(f).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
