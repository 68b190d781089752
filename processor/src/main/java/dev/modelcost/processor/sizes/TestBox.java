package dev.modelcost.processor.sizes;

import dev.modelcost.processor.analysis.SizeTest;
import dev.modelcost.processor.layers.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The box of sizes, around those a model was analysed at, in which a {@code @When} that reads tensors' sizes holds as it did there
 * ({@link SizeTest}): per size it reads, the smallest and the largest. The test is taken apart into its atoms, the comparisons that
 * read sizes themselves ({@link SizeTest.Atom}); each must read one size, and is run at every size of it from the analysed one
 * down to 1 and up to where its numbers bound its turns ({@link #above}), the other sizes as analysed. Within the box every atom
 * keeps its value, and so the test: a test that turns at one point of two sizes ({@code x.H != 40 || x.W != 40}) keeps both below
 * 40; one whose comparison reads two sizes together ({@code x.H - x.W != 16}, which turns on a line) has no box. A test of one
 * size is run whole, a function of that size alone.
 */
final class TestBox {
    /** The sizes above the analysed one at which an atom runs at least. */
    static final int SCAN = 1024;
    /** The largest size up to which an atom runs, where its numbers do not bound its turns below (as the closed forms follow tests). */
    static final long FOLLOWED = 1 << 16;
    /** The most sizes below the analysed one at which an atom runs one by one. */
    private static final int MOST_BELOW = 1 << 16;

    /** A comparison of a test reads several of its sizes together ({@code x.H - x.W != 16}), which turns along a line of them. */
    static final class Joint extends ShapeRules.Unfollowable {
        private static final long serialVersionUID = 1L;
        /** The sizes it reads, by their index in the test's sizes. */
        final transient int[] sizes;
        /** Whether it is an equality ({@code ==}, {@code !=}), which turns on a line of sizes alone, not across a region. */
        final boolean equality;

        Joint(int[] sizes, boolean equality) {
            super("compares several sizes together, which can turn at sizes no box around the declared ones keeps");
            this.sizes = sizes;
            this.equality = equality;
        }
    }

    private final SizeTest test;
    /** Per size the test reads, the tensors' axes that hold it: the tensor's name and the axis. */
    private final List<List<Object[]>> where;
    private final long[] analysed;

    private TestBox(SizeTest test, List<List<Object[]>> where, long[] analysed) {
        this.test = test;
        this.where = where;
        this.analysed = analysed;
    }

    /**
     * The box, as {@code [smallest, largest, followed, equality]} per size: {@code largest} {@link Long#MAX_VALUE} where it has no
     * bound, {@code followed} 1 where it is where an atom was followed to rather than where it turns, and {@code equality} 1 where an
     * equality ({@code ==}, {@code !=}) reads that size alone.
     *
     * @param where per size the test reads, the tensors' axes that hold it, each as its tensor's name and its axis's index
     * @throws Joint where a comparison of the test reads two of the sizes together
     */
    static long[][] of(SizeTest test, List<List<Object[]>> where) throws ShapeRules.Unfollowable {
        long[] analysed = new long[where.size()];
        for (int i = 0; i < analysed.length; i++) {
            Object[] first = where.get(i).get(0);
            analysed[i] = test.tensors().get((String) first[0]).dim((Integer) first[1]);
        }
        return new TestBox(test, where, analysed).box();
    }

    private long[][] box() throws ShapeRules.Unfollowable {
        Map<String, Integer> sizeOf = new HashMap<>();
        List<Set<String>> names = new ArrayList<>();
        for (int i = 0; i < where.size(); i++) {
            Set<String> named = new java.util.HashSet<>();
            for (Object[] axis : where.get(i)) {
                String name = axis[0] + "." + test.tensors().get((String) axis[0]).axis((Integer) axis[1]);
                named.add(name);
                sizeOf.put(name, i);
            }
            names.add(named);
        }
        long[][] box = new long[analysed.length][];
        for (int i = 0; i < box.length; i++) {
            box[i] = new long[] {1, Long.MAX_VALUE, 0, 0};
        }
        List<SizeTest.Atom> comparisons = test.atoms();
        for (SizeTest.Atom atom : comparisons) {
            Set<Integer> sizes = sizes(atom, sizeOf);
            if (sizes.size() == 1 && atom.expr() instanceof dev.modelcost.processor.expr.Expr.Binary binary
                    && (binary.op().equals("==") || binary.op().equals("!="))) {
                box[sizes.iterator().next()][3] = 1;
            }
        }
        // A test of one size is a function of it alone: run whole, its atoms may turn where it does not (a parity under a false &&).
        SizeTest.Atom whole = test.whole();
        List<SizeTest.Atom> atoms = sizes(whole, sizeOf).size() == 1 ? List.of(whole) : comparisons;
        for (SizeTest.Atom atom : atoms) {
            Set<Integer> sizes = sizes(atom, sizeOf);
            if (sizes.size() > 1) {
                boolean equality = atom.expr() instanceof dev.modelcost.processor.expr.Expr.Binary binary
                        && (binary.op().equals("==") || binary.op().equals("!="));
                throw new Joint(sizes.stream().mapToInt(Integer::intValue).toArray(), equality);
            }
            if (sizes.isEmpty()) {
                continue;
            }
            int i = sizes.iterator().next();
            long below = below(atom, i);
            long[] above = above(atom, i, names.get(i));
            box[i][0] = Math.max(box[i][0], below);
            if (above[0] < box[i][1]) {
                box[i][1] = above[0];
                box[i][2] = above[1];
            }
        }
        return box;
    }

    /** The sizes, by index, an atom reads itself. */
    private static Set<Integer> sizes(SizeTest.Atom atom, Map<String, Integer> sizeOf) {
        Set<Integer> sizes = new java.util.TreeSet<>();
        atom.reads().stream().map(sizeOf::get).filter(java.util.Objects::nonNull).forEach(sizes::add);
        return sizes;
    }

    /** Whether the atom holds as analysed with size {@code i} at {@code value}, the others as analysed. */
    private boolean holds(SizeTest.Atom atom, int i, long value) {
        Map<String, Shape> named = new HashMap<>(test.tensors());
        for (Object[] axis : where.get(i)) {
            String tensor = (String) axis[0];
            named.put(tensor, named.get(tensor).withDim((Integer) axis[1], (int) value));
        }
        Boolean held = test.at(atom, named);
        return held != null && held == atom.held();
    }

    /** The smallest size {@code i} down to which the atom holds as analysed. */
    private long below(SizeTest.Atom atom, int i) {
        long last = analysed[i];
        for (long value = analysed[i] - 1; value >= 1 && analysed[i] - value <= MOST_BELOW; value--) {
            if (!holds(atom, i, value)) {
                return value + 1;
            }
            last = value;
        }
        return last;
    }

    /**
     * The largest size {@code i} up to which the atom holds as analysed, and 1 where that is where it was followed to: run at every
     * size above the analysed one, up to where it can turn at most ({@link SizeTest#reach}), at least {@value #SCAN} sizes and at
     * most up to {@value #FOLLOWED}; {@link Long#MAX_VALUE} where nothing turns up to that bound, else the last size run where the
     * bound lies beyond it.
     */
    private long[] above(SizeTest.Atom atom, int i, Set<String> names) {
        long reach = test.reach(atom, names);
        long last = Math.min(Integer.MAX_VALUE, Math.max(analysed[i] + SCAN, Math.min(reach, FOLLOWED)));
        for (long value = analysed[i] + 1; value <= last; value++) {
            if (!holds(atom, i, value)) {
                return new long[] {value - 1, 0};
            }
        }
        return reach > last ? new long[] {last, 1} : new long[] {Long.MAX_VALUE, 0};
    }
}
