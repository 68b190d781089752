package dev.modelcost;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.AbstractList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.RandomAccess;

/**
 * The per-layer table of a generated class, read from its folded text form into a list that builds
 * each row when asked, so a block repeated a million times costs the memory of one repetition.
 */
final class LayerTable extends AbstractList<LayerCost> implements RandomAccess {
    private static final String RUN = LayerCost.TABLE_RUN;
    private static final String END = LayerCost.TABLE_END;

    /** A row or a run, with paths relative to where it sits. */
    private sealed interface Part permits Row, Run {
        /** How many rows this part stands for. */
        long size();

        /** Row {@code index} of this part, its path under {@code base}. */
        LayerCost get(long index, String base);
    }

    private record Row(LayerCost relative) implements Part {
        @Override
        public long size() {
            return 1;
        }

        @Override
        public LayerCost get(long index, String base) {
            LayerCost r = relative;
            return new LayerCost(join(base, r.path()), r.kind(), r.outputShape(), r.figures(), r.batched(), r.batchSecond());
        }
    }

    /** {@code count} repetitions of {@code body}, named {@code parent.prefix<first>}, {@code parent.prefix<first+1>}, ... */
    private record Run(String parent, String prefix, int first, int count, Parts body) implements Part {
        @Override
        public long size() {
            return Math.multiplyExact(count, body.size());
        }

        @Override
        public LayerCost get(long index, String base) {
            long repetition = index / body.size();
            return body.get(index % body.size(), join(join(base, parent), prefix + (first + repetition)));
        }
    }

    /** A sequence of parts with the row number each one starts at. */
    private record Parts(List<Part> parts, long[] starts, long size) {
        static Parts of(List<Part> parts) {
            long[] starts = new long[parts.size()];
            long size = 0;
            for (int i = 0; i < parts.size(); i++) {
                starts[i] = size;
                size = Math.addExact(size, parts.get(i).size());
            }
            return new Parts(List.copyOf(parts), starts, size);
        }

        LayerCost get(long index, String base) {
            int at = java.util.Arrays.binarySearch(starts, index);
            if (at < 0) {
                at = -at - 2;
            }
            // Parts of size zero (empty runs) share a start with the next; take the last part starting here.
            while (at + 1 < starts.length && starts[at + 1] == index) {
                at++;
            }
            return parts.get(at).get(index - starts[at], base);
        }
    }

    private final Parts parts;
    private final int size;

    private LayerTable(Parts parts, int size) {
        this.parts = parts;
        this.size = size;
    }

    /** Reads the rows after the header line; {@code resource} names the table in messages. */
    static LayerTable read(BufferedReader reader, List<String> columns, String resource) throws IOException {
        Deque<List<Part>> open = new ArrayDeque<>();
        Deque<String[]> runs = new ArrayDeque<>();
        List<Part> current = new ArrayList<>();
        int number = 1;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            number++;
            String[] cells = line.split("\t", -1);
            if (cells[0].equals(RUN)) {
                if (cells.length != 5 || !isNumber(cells[3]) || !isNumber(cells[4]) || Integer.parseInt(cells[4]) < 1) {
                    throw malformed(resource, number, line);
                }
                runs.push(cells);
                open.push(current);
                current = new ArrayList<>();
            } else if (cells[0].equals(END)) {
                if (runs.isEmpty() || cells.length != 1) {
                    throw malformed(resource, number, line);
                }
                String[] run = runs.pop();
                Run part;
                try {
                    part = new Run(run[1], run[2], Integer.parseInt(run[3]), Integer.parseInt(run[4]), Parts.of(current));
                } catch (ArithmeticException e) {
                    throw tooLong(resource);
                }
                current = open.pop();
                current.add(part);
            } else {
                current.add(new Row(LayerCost.parse(cells, columns, resource, number, line)));
            }
        }
        if (!runs.isEmpty()) {
            throw new IllegalStateException(resource + ": a " + RUN + " line has no " + END);
        }
        Parts all;
        try {
            all = Parts.of(current);
        } catch (ArithmeticException e) {
            all = null;
        }
        if (all == null || all.size() > Integer.MAX_VALUE) {
            throw tooLong(resource);
        }
        return new LayerTable(all, (int) all.size());
    }

    /** Whether a cell is a number from 0 to {@code Integer.MAX_VALUE}. */
    private static boolean isNumber(String cell) {
        try {
            return Integer.parseInt(cell) >= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static IllegalStateException tooLong(String resource) {
        return new IllegalStateException(resource + " lists more rows than a list can hold");
    }

    private static IllegalStateException malformed(String resource, int number, String line) {
        return new IllegalStateException(resource + ":" + number + ": malformed line: " + line);
    }

    private static String join(String head, String tail) {
        return head.isEmpty() ? tail : tail.isEmpty() ? head : head + "." + tail;
    }

    @Override
    public LayerCost get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + ", size " + size);
        }
        return parts.get(index, "");
    }

    @Override
    public int size() {
        return size;
    }
}
