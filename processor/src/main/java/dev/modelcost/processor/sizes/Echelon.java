package dev.modelcost.processor.sizes;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Rows in echelon form, exact: whether each new row adds to the rank, and the pivot columns. */
final class Echelon {
    private final int width;
    private final List<BigInteger[]> rows = new ArrayList<>();
    private final List<Integer> pivots = new ArrayList<>();

    Echelon(int width) {
        this.width = width;
    }

    int rank() {
        return rows.size();
    }

    int[] pivots() {
        return pivots.stream().sorted().mapToInt(Integer::intValue).toArray();
    }

    boolean wouldAdd(BigInteger[] row) {
        return reduce(row) != null;
    }

    boolean add(BigInteger[] row) {
        BigInteger[] reduced = reduce(row);
        if (reduced == null) {
            return false;
        }
        int pivot = 0;
        while (reduced[pivot].signum() == 0) {
            pivot++;
        }
        rows.add(reduced);
        pivots.add(pivot);
        return true;
    }

    /**
     * The row less its parts along the rows so far, or null where nothing is left: integer elimination, each step divided by the
     * row's greatest common divisor.
     */
    private BigInteger[] reduce(BigInteger[] row) {
        BigInteger[] r = row.clone();
        for (int i = 0; i < rows.size(); i++) {
            int p = pivots.get(i);
            if (r[p].signum() != 0) {
                BigInteger[] s = rows.get(i);
                BigInteger g = s[p].gcd(r[p]);
                BigInteger a = s[p].divide(g);
                BigInteger b = r[p].divide(g);
                BigInteger content = BigInteger.ZERO;
                for (int c = 0; c < width; c++) {
                    r[c] = r[c].multiply(a).subtract(s[c].multiply(b));
                    content = content.gcd(r[c]);
                }
                if (content.signum() == 0) {
                    return null;
                }
                for (int c = 0; c < width; c++) {
                    r[c] = r[c].divide(content);
                }
            }
        }
        for (BigInteger c : r) {
            if (c.signum() != 0) {
                return r;
            }
        }
        return null;
    }
}
