package dev.modelcost.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the rest of the machine was: CPU time used by all processes (Linux {@code /proc/stat})
 * minus this JVM's own (including its GC and JIT threads), divided by the wall time, in cores. On a
 * 2-core machine anything above ~0.1 means other work competed with the timed runs.
 */
final class Load {
    /** Clock ticks per second of {@code /proc/stat}; 100 on every mainstream Linux. */
    private static final double TICKS = 100.0;

    private Load() {}

    /** A point in time: the machine's busy ticks, this process's CPU nanoseconds and the wall clock. */
    record Snapshot(long busyTicks, long ownCpuNanos, long nanos) {}

    static Snapshot now() {
        return new Snapshot(busyTicks(), ownCpu(), System.nanoTime());
    }

    /** Cores used by other processes since {@code start}; NaN when unknown. */
    static double otherCoresSince(Snapshot start) {
        if (start == null || start.busyTicks() < 0 || start.ownCpuNanos() < 0) {
            return Double.NaN;
        }
        Snapshot end = now();
        double wall = (end.nanos() - start.nanos()) / 1e9;
        double all = (end.busyTicks() - start.busyTicks()) / TICKS;
        double own = (end.ownCpuNanos() - start.ownCpuNanos()) / 1e9;
        return Math.max(0, (all - own) / wall);
    }

    /** Other processes' load below which the machine counts as quiet, in cores. */
    static final double QUIET = 0.3;

    /**
     * Waits, up to {@code maxSeconds}, until other processes have used less than {@link #QUIET} cores
     * over a 2-second window, so that a row does not start while, say, another build is running.
     * Returns at once when {@code maxSeconds} is 0 or the load cannot be read.
     */
    static void waitForQuiet(int maxSeconds, java.io.PrintStream log) throws InterruptedException {
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        boolean said = false;
        while (maxSeconds > 0) {
            Snapshot start = now();
            Thread.sleep(2_000);
            double other = otherCoresSince(start);
            if (Double.isNaN(other) || other < QUIET) {
                return;
            }
            if (System.nanoTime() > deadline) {
                log.printf(java.util.Locale.ROOT, "(machine still busy: %.1f cores used by other processes; going on) ", other);
                return;
            }
            if (!said) {
                log.printf(java.util.Locale.ROOT, "(machine busy: %.1f cores used by other processes; waiting up to %d s) ", other, maxSeconds);
                said = true;
            }
        }
    }

    private static long busyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long ownCpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
