package dev.modelcost.processor.sizes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The sizes off a model's lattices that its size program ({@link OffLattice}) is solved and checked at, within those it answers:
 * offsets near the declared sizes, each variable on its own and all together, sizes across a period too long for those offsets,
 * and sizes scattered around the declared ones.
 */
final class OffLatticeSizes {
    /** Offsets from the declared sizes tried for the sizes compiled: odd and even, every residue of small strides. */
    private static final long[] OFFSETS = {1, 3, 5, 2, 7, 9, 6, 11, 13, 15, 10, 17, 19, 21, 14, 23, 25, 27, 29, 31, 33, 37, 41, 45, 47, 53};
    /** Sizes across a period longer than {@link #OFFSETS} reach are tried too: this many parts of it. */
    private static final int SPREAD = 32;

    /** The seed of {@link Scattered}'s offsets. */
    private static final long SCATTERED_SEED = 512;

    /** The declared sizes. */
    private final long[] fallback;
    /** Each variable's lattice period. */
    private final long[] period;
    /** Each variable's smallest size the program answers. */
    private final long[] lowest;
    /** Each variable's largest size the program answers. */
    private final long[] highest;
    /** How many sizes {@link Scattered} draws. */
    private final int draws;

    /** The sizes of a model declared at {@code fallback}, on lattices of {@code period}, answered from {@code lowest} to {@code highest}. */
    OffLatticeSizes(long[] fallback, long[] period, long[] lowest, long[] highest, int draws) {
        this.fallback = fallback;
        this.period = period;
        this.lowest = lowest;
        this.highest = highest;
        this.draws = draws;
    }

    /** A fresh sequence of the sizes scattered around the declared ones. */
    Scattered scattered() {
        return new Scattered();
    }

    /** Whether the program answers at these sizes: none below a variable's {@link #lowest} size or above its {@link #highest}. */
    boolean answered(List<Long> sizes) {
        for (int v = 0; v < lowest.length; v++) {
            if (sizes.get(v) < lowest[v] || sizes.get(v) > highest[v]) {
                return false;
            }
        }
        return true;
    }

    /** Sizes off the lattice near the declared ones, each variable on its own offsets, in a fixed order. */
    List<List<Long>> candidates() {
        List<List<Long>> candidates = new ArrayList<>();
        int n = fallback.length;
        long[][] offsets = new long[n][];
        Arrays.fill(offsets, OFFSETS);
        add(candidates, offsets);
        // Then sizes across a whole period where it is longer than those offsets reach: a dimension that steps once a period (the
        // last of seven strided layers, every 320 positions) takes one value near the declared size and cannot be told apart there.
        long reach = 2 * OFFSETS[OFFSETS.length - 1];
        if (Arrays.stream(period).anyMatch(p -> p > reach)) {
            long[][] spread = new long[n][];
            for (int v = 0; v < n; v++) {
                spread[v] = period[v] > reach ? spread(period[v]) : OFFSETS;
            }
            add(candidates, spread);
        }
        // Then each variable off alone, the others as declared, and all off together by the same offset: a network whose strided path
        // meets an upsampled one in several merges exists off its lattice in narrow bands only (sizes 29 to 32 of every 32), which
        // offsets that differ between the variables miss.
        for (long offset : OFFSETS) {
            for (long sign : new long[] {1, -1}) {
                for (int v = 0; v <= n; v++) {
                    List<Long> sizes = new ArrayList<>();
                    for (int u = 0; u < n; u++) {
                        sizes.add(u == v || v == n ? Math.max(lowest[u], fallback[u] + sign * offset) : fallback[u]);
                    }
                    offer(candidates, sizes);
                }
            }
        }
        return candidates;
    }

    /**
     * Of {@link #draws} sizes around the declared ones, each variable offset on its own by up to 64 or two periods either way,
     * those off the lattice within the sizes the program answers, each once: a fixed sequence, so that every compile chooses the
     * same sizes, drawn as they are taken.
     */
    final class Scattered {
        /** The SplitMix64 state: from a fixed seed, the same offsets at every compile and on every JDK, each variable's drawn on its own. */
        private long state = SCATTERED_SEED;
        private final java.util.Set<List<Long>> drawn = new java.util.HashSet<>();
        /** How many sizes it has drawn. */
        private int taken;

        /**
         * SplitMix64's next number (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014: a Weyl
         * sequence of the golden gamma, each value mixed by Stafford's variant 13), as {@code java.util.SplittableRandom} gives it.
         */
        private long nextLong() {
            state += 0x9e3779b97f4a7c15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }

        /** The next such size, or null after the last. */
        List<Long> next() {
            while (taken < draws) {
                taken++;
                List<Long> sizes = new ArrayList<>();
                for (int v = 0; v < fallback.length; v++) {
                    long reach = Math.max(64, 2 * period[v]);
                    long offset = Math.floorMod(nextLong(), 2 * reach + 1) - reach;
                    sizes.add(Math.min(highest[v], Math.max(lowest[v], fallback[v] + offset)));
                }
                if (offLattice(sizes) && drawn.add(sizes)) {
                    return sizes;
                }
            }
            return null;
        }
    }

    /** Offsets spread evenly over one period, each off the lattice: {@code m·p/SPREAD + 1} for {@code m} from 1. */
    private static long[] spread(long p) {
        long[] offsets = new long[SPREAD - 1];
        for (int m = 1; m < SPREAD; m++) {
            offsets[m - 1] = m * p / SPREAD + 1;
        }
        return offsets;
    }

    /** Sizes at the declared ones plus each variable's offsets in turn (rotated between variables), up and down, off the lattice. */
    private void add(List<List<Long>> candidates, long[][] offsets) {
        int count = Arrays.stream(offsets).mapToInt(each -> each.length).max().orElse(0);
        for (int t = 0; t < count * 2; t++) {
            List<Long> sizes = new ArrayList<>();
            for (int v = 0; v < fallback.length; v++) {
                long offset = offsets[v][(t + 5 * v) % offsets[v].length] * (t >= count ? -1 : 1);
                sizes.add(Math.max(lowest[v], fallback[v] + offset));
            }
            offer(candidates, sizes);
        }
    }

    /**
     * Adds {@code sizes} to the candidates where some variable is off its lattice there (any sizes where every lattice has period 1),
     * the program answers there, and it is new.
     */
    private void offer(List<List<Long>> candidates, List<Long> sizes) {
        if (offLattice(sizes) && !candidates.contains(sizes)) {
            candidates.add(sizes);
        }
    }

    /** Whether the sizes are off the lattice (any size, where every period is 1) and within those the program answers. */
    private boolean offLattice(List<Long> sizes) {
        boolean off = Arrays.stream(period).allMatch(p -> p == 1);
        for (int v = 0; v < fallback.length; v++) {
            off |= period[v] > 1 && Math.floorMod(sizes.get(v) - fallback[v], period[v]) != 0;
        }
        return off && answered(sizes);
    }
}
