package dev.modelcost.bench;

import com.sun.management.GcInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Measures the peak live heap of one compilation, in a JVM of its own (started by {@link Bench} with
 * {@code -XX:+UseSerialGC}). While javac runs, a sampler thread forces a full collection, records
 * the heap occupancy right after it (the live set at that moment, exactly, as a full Serial
 * collection leaves only reachable objects), waits {@link #INTERVAL_MS} or twice as long as that
 * collection took, whichever is longer (so javac keeps at least two thirds of the time), and repeats.
 * The maximum is the peak live heap; it can only miss a peak shorter than the gap between two
 * samples, so it is a lower bound, never inflated by garbage. The forced collections slow this run
 * down, so it is never one of the timed runs.
 *
 * <p>Usage: {@code MemoryProbe <source root> <work dir> MODELCOST|NO_REPORTS|CONTROL|none}; prints one line
 * {@code PROBE <peak live bytes> <baseline bytes> <samples> <wall ms>}, where the baseline is the live
 * heap after a full collection just before javac starts.
 */
public final class MemoryProbe {
    /** The shortest pause between the end of one forced collection and the next. */
    static final int INTERVAL_MS = 10;

    private MemoryProbe() {}

    public static void main(String[] args) throws Exception {
        Path sources = Path.of(args[0]);
        Path work = Path.of(args[1]);
        Flavor flavor = args[2].equals("none") ? null : Flavor.valueOf(args[2]);
        Javac.Jars jars = Javac.Jars.fromClassPath();
        List<Path> files = Javac.sources(sources);

        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
        com.sun.management.GarbageCollectorMXBean full = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(gc -> gc.getName().equals("MarkSweepCompact"))
                .map(gc -> (com.sun.management.GarbageCollectorMXBean) gc).findFirst()
                .orElseThrow(() -> new IllegalStateException("run with -XX:+UseSerialGC"));

        long baseline = collect(full, heapPools);
        AtomicBoolean done = new AtomicBoolean();
        long[] peak = {baseline};
        int[] samples = {0};
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                long gcStart = System.nanoTime();
                long live = collect(full, heapPools);
                long gcMillis = (System.nanoTime() - gcStart) / 1_000_000;
                if (!done.get()) {
                    peak[0] = Math.max(peak[0], live);
                    samples[0]++;
                }
                try {
                    Thread.sleep(Math.max(INTERVAL_MS, 2 * gcMillis));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        long start = System.nanoTime();
        sampler.start();
        Javac.Result result = Javac.compile(jars, files, work, flavor);
        done.set(true);
        double wallMs = (System.nanoTime() - start) / 1e6;
        sampler.join();
        if (!result.errors().isEmpty()) {
            System.err.println("MemoryProbe: compilation failed: " + result.errors().get(0));
            System.exit(1);
        }
        System.out.printf(java.util.Locale.ROOT, "PROBE %d %d %d %.1f%n", peak[0], baseline, samples[0], wallMs);
    }

    /** Forces a full collection and returns the heap occupancy right after it. */
    private static long collect(com.sun.management.GarbageCollectorMXBean full, Set<String> heapPools) {
        System.gc();
        GcInfo info = full.getLastGcInfo();
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        return used;
    }
}
