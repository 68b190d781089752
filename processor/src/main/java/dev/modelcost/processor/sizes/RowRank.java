package dev.modelcost.processor.sizes;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Rows added one by one in echelon form: the rank so far and its pivot columns. */
abstract class RowRank {
    /** The length of every row. */
    final int width;
    /** Each row's pivot column, in the order added. */
    final List<Integer> pivots = new ArrayList<>();

    RowRank(int width) {
        this.width = width;
    }

    /** Adds the row where it is independent of those before; whether it did. */
    abstract boolean add(BigInteger[] row);

    /** How many rows were added. */
    final int rank() {
        return pivots.size();
    }

    /** The pivot columns, ascending. */
    final int[] pivots() {
        return pivots.stream().sorted().mapToInt(Integer::intValue).toArray();
    }
}
