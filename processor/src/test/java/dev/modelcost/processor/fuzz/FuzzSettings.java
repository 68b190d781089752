package dev.modelcost.processor.fuzz;

import java.util.SplittableRandom;

/**
 * The knobs of the fuzz tests, all system properties so that Maven passes them through
 * ({@code mvn ... -Dmodelcost.fuzz.cases=10000}):
 *
 * <ul>
 *   <li>{@code modelcost.fuzz.seed}: the seed every case derives from (default {@value #DEFAULT_SEED});
 *   <li>{@code modelcost.fuzz.cases}: how many valid and how many invalid specs (default {@value #DEFAULT_CASES} each);
 *   <li>{@code modelcost.fuzz.batch}: how many specs share one compilation (default {@value #DEFAULT_BATCH});
 *   <li>{@code modelcost.fuzz.only}: run just this case number (to reproduce a failure);
 *   <li>{@code modelcost.fuzz.knownBugs=true}: also generate the invalid specs that hit known, reported bugs.
 * </ul>
 *
 * <p>Case {@code n} of a seed is always the same spec, whatever the case count or batch size: every
 * case draws from its own random stream, derived from (seed, kind, n).
 */
final class FuzzSettings {
    static final long DEFAULT_SEED = 20261129L;
    static final int DEFAULT_CASES = 60;
    static final int DEFAULT_BATCH = 30;

    private FuzzSettings() {}

    static long seed() {
        return Long.getLong("modelcost.fuzz.seed", DEFAULT_SEED);
    }

    static int cases() {
        return Integer.getInteger("modelcost.fuzz.cases", DEFAULT_CASES);
    }

    static int batch() {
        return Math.max(1, Integer.getInteger("modelcost.fuzz.batch", DEFAULT_BATCH));
    }

    /** The single case to run, or -1 for all. */
    static int only() {
        return Integer.getInteger("modelcost.fuzz.only", -1);
    }

    static boolean knownBugs() {
        return Boolean.getBoolean("modelcost.fuzz.knownBugs");
    }

    /** The random stream of case {@code index} of the given kind ("valid", "invalid", "sibling"). */
    static SplittableRandom random(String kind, int index) {
        long mixed = seed() * 0x9E3779B97F4A7C15L + kind.hashCode() * 0xC2B2AE3D27D4EB4FL + index;
        return new SplittableRandom(mixed);
    }

    /** How to rerun one case, for failure messages. */
    static String reproduce(int index) {
        return "reproduce with -Dmodelcost.fuzz.seed=" + seed() + " -Dmodelcost.fuzz.only=" + index;
    }
}
