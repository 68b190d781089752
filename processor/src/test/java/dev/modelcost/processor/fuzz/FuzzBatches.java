package dev.modelcost.processor.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/** Splits the case numbers into batches that share one compilation, and memoizes a batch's compilation. */
final class FuzzBatches {
    private FuzzBatches() {}

    /** The case numbers to run, in batches: all of 0..cases-1, or just {@code -Dmodelcost.fuzz.only}. */
    static List<List<Integer>> batches() {
        int only = FuzzSettings.only();
        List<Integer> all = only >= 0 ? List.of(only) : IntStream.range(0, FuzzSettings.cases()).boxed().toList();
        List<List<Integer>> batches = new ArrayList<>();
        int size = FuzzSettings.batch();
        for (int i = 0; i < all.size(); i += size) {
            batches.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return batches;
    }

    /**
     * A batch's compilation, shared by its dynamic tests: computed on first use (by the batch's
     * first test) and dropped after the last of {@code uses} uses, so that a run of 10,000 cases
     * holds one batch's compiler output at a time (JUnit keeps every executed test, and so what
     * its lambda captured, until the end of the run).
     */
    static final class Shared<T> {
        private final Supplier<T> supplier;
        private int uses;
        private T value;
        private RuntimeException failure;

        Shared(Supplier<T> supplier, int uses) {
            this.supplier = supplier;
            this.uses = uses;
        }

        synchronized T use() {
            if (value == null && failure == null) {
                try {
                    value = supplier.get();
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            T result = value;
            if (--uses <= 0) {
                value = null;
            }
            if (failure != null) {
                throw failure;
            }
            return result;
        }
    }

    /** A source with line numbers, for failure messages. */
    static String numbered(String source) {
        String[] lines = source.split("\n", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            out.append(String.format("%3d  %s%n", i + 1, lines[i]));
        }
        return out.toString();
    }
}
