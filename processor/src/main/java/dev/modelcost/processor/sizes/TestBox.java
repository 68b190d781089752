package dev.modelcost.processor.sizes;

import dev.modelcost.processor.analysis.SizeTest;
import dev.modelcost.processor.layers.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The box of sizes, around those a model was analysed at, in which a {@code @When} that reads tensors' sizes holds as it did there
 * ({@link SizeTest}): per size it reads, the smallest and the largest. Each bound is found by the test run at every size from the
 * analysed one down to 1, and up to where its numbers bound its turns ({@link #above}), the other sizes as analysed; where it
 * reads several sizes, the box is then shrunk until the test holds at every point of a grid over it (each bound and the
 * {@value #EDGE} sizes inside it, the analysed sizes and their neighbours, the powers of two times the bound below).
 */
final class TestBox {
    /** The sizes above the analysed one at which the test runs at least. */
    static final int SCAN = 1024;
    /** The largest size up to which a test runs, where its numbers do not bound its turns below (as the closed forms follow tests). */
    static final long FOLLOWED = 1 << 16;
    /** The sizes next to each bound of the box on its grid. */
    static final int EDGE = 16;
    /** The most sizes one test may read. */
    static final int MOST_SIZES = 3;
    /** The most times the box is shrunk. */
    private static final int MOST_SHRINKS = 4096;
    /** The most sizes below the analysed one at which the test runs one by one. */
    private static final int MOST_BELOW = 1 << 16;

    private final SizeTest test;
    /** Per size the test reads, the tensors' axes that hold it: the tensor's name and the axis. */
    private final List<List<Object[]>> where;
    private final long[] analysed;

    private TestBox(SizeTest test, List<List<Object[]>> where, long[] analysed) {
        this.test = test;
        this.where = where;
        this.analysed = analysed;
        this.unbounded = new boolean[analysed.length];
    }

    /**
     * The box, as {@code [smallest, largest, followed]} per size: {@code largest} {@link Long#MAX_VALUE} where it has no bound, and
     * {@code followed} 1 where it is where the test was followed to rather than where it turns.
     *
     * @param where per size the test reads, the tensors' axes that hold it, each as its tensor's name and its axis's index
     * @throws ShapeRules.Unfollowable where the test reads more than {@value #MOST_SIZES} sizes, or no box holds it
     */
    static long[][] of(SizeTest test, List<List<Object[]>> where) throws ShapeRules.Unfollowable {
        if (where.size() > MOST_SIZES) {
            throw new ShapeRules.Unfollowable("reads more than " + MOST_SIZES + " sizes");
        }
        long[] analysed = new long[where.size()];
        for (int i = 0; i < analysed.length; i++) {
            Object[] first = where.get(i).get(0);
            analysed[i] = test.tensors().get((String) first[0]).dim((Integer) first[1]);
        }
        return new TestBox(test, where, analysed).box();
    }

    private long[][] box() throws ShapeRules.Unfollowable {
        if (!holds(analysed)) {
            throw new ShapeRules.Unfollowable("does not hold again as analysed at the sizes it was analysed at");
        }
        long[][] box = new long[analysed.length][];
        for (int i = 0; i < analysed.length; i++) {
            box[i] = new long[] {below(i), above(i), 0};
            box[i][2] = unbounded[i] ? 1 : 0;
        }
        if (analysed.length == 1) {
            return box;
        }
        for (int shrinks = 0; ; shrinks++) {
            long[] turned = turned(box);
            if (turned == null) {
                return box;
            }
            if (shrinks == MOST_SHRINKS || java.util.Arrays.equals(turned, analysed)) {
                throw new ShapeRules.Unfollowable("turns with several sizes together, so that no box of sizes around the declared ones keeps it");
            }
            // Every size the test turns at away from the analysed one is left out, on the side it lies.
            for (int i = 0; i < analysed.length; i++) {
                if (turned[i] < analysed[i]) {
                    box[i][0] = turned[i] + 1;
                } else if (turned[i] > analysed[i]) {
                    box[i][1] = turned[i] - 1;
                    box[i][2] = 0;
                }
            }
        }
    }

    /** Whether the test holds as analysed with size {@code i} at {@code value}, the others as analysed. */
    private boolean holds(int i, long value) {
        long[] values = analysed.clone();
        values[i] = value;
        return holds(values);
    }

    private boolean holds(long[] values) {
        Map<String, Shape> named = new HashMap<>(test.tensors());
        for (int i = 0; i < values.length; i++) {
            for (Object[] axis : where.get(i)) {
                String tensor = (String) axis[0];
                named.put(tensor, named.get(tensor).withDim((Integer) axis[1], (int) values[i]));
            }
        }
        Boolean held = test.at(named);
        return held != null && held == test.held();
    }

    /** The smallest size {@code i} down to which the test holds as analysed. */
    private long below(int i) {
        long last = analysed[i];
        for (long value = analysed[i] - 1; value >= 1 && analysed[i] - value <= MOST_BELOW; value--) {
            if (!holds(i, value)) {
                return value + 1;
            }
            last = value;
        }
        return last;
    }

    /**
     * The largest size {@code i} up to which the test holds as analysed: run at every size above the analysed one, up to where it
     * can turn at most ({@link SizeTest#reach}), at least {@value #SCAN} sizes and at most up to {@value #FOLLOWED}; {@link
     * Long#MAX_VALUE} where nothing turns up to that bound, else the last size run where the bound lies beyond it.
     */
    private long above(int i) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Object[] axis : where.get(i)) {
            names.add(axis[0] + "." + test.tensors().get((String) axis[0]).axis((Integer) axis[1]));
        }
        long reach = test.reach(names);
        long last = Math.min(Integer.MAX_VALUE, Math.max(analysed[i] + SCAN, Math.min(reach, FOLLOWED)));
        for (long value = analysed[i] + 1; value <= last; value++) {
            if (!holds(i, value)) {
                return value - 1;
            }
        }
        if (reach > last) {
            unbounded[i] = true;
            return last;
        }
        return Long.MAX_VALUE;
    }

    /** Per size, whether its largest is where the test was followed to, its numbers bounding no turn below ({@link #above}). */
    private final boolean[] unbounded;

    /** A point of the box's grid at which the test does not hold as analysed, or null. */
    private long[] turned(long[][] box) {
        List<long[]> axes = new ArrayList<>();
        for (int i = 0; i < analysed.length; i++) {
            axes.add(grid(box[i], analysed[i]));
        }
        long[] point = new long[analysed.length];
        int[] at = new int[analysed.length];
        while (true) {
            for (int i = 0; i < point.length; i++) {
                point[i] = axes.get(i)[at[i]];
            }
            if (!holds(point)) {
                return point.clone();
            }
            int i = 0;
            while (i < at.length && ++at[i] == axes.get(i).length) {
                at[i++] = 0;
            }
            if (i == at.length) {
                return null;
            }
        }
    }

    /** The sizes of one axis of the grid, from the bound below up. */
    private static long[] grid(long[] bounds, long analysed) {
        long top = Math.min(bounds[1], Integer.MAX_VALUE);
        TreeSet<Long> values = new TreeSet<>();
        for (long k = 0; k < EDGE; k++) {
            values.add(Math.min(top, bounds[0] + k));
            values.add(Math.max(bounds[0], top - k));
        }
        for (long value = analysed - 1; value <= analysed + 1; value++) {
            if (value >= bounds[0] && value <= top) {
                values.add(value);
            }
        }
        for (long value = Math.max(1, bounds[0]); value < top; value *= 2) {
            values.add(value);
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }
}
