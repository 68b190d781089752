package dev.modelcost.processor.sizes;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Rows in echelon form, exact: whether each new row adds to the rank, and the pivot columns. */
final class Echelon extends RowRank {
    private final List<BigInteger[]> rows = new ArrayList<>();
    /** Each row in longs, or null where an entry does not fit: most rows do, and their elimination then needs no BigInteger. */
    private final List<long[]> small = new ArrayList<>();
    /** Whether a row kept does not fit in longs: the elimination is then in BigInteger throughout. */
    private boolean large;

    Echelon(int width) {
        super(width);
    }

    boolean wouldAdd(BigInteger[] row) {
        return reduce(row) != null;
    }

    @Override
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
        long[] fits = longs(reduced);
        small.add(fits);
        large |= fits == null;
        pivots.add(pivot);
        return true;
    }

    /**
     * The row less its parts along the rows so far, or null where nothing is left: integer elimination, each step divided by the
     * row's greatest common divisor. In longs where every number fits, else in BigInteger: the same steps, so the same row.
     */
    private BigInteger[] reduce(BigInteger[] row) {
        long[] r = longs(row);
        if (r != null && !large) {
            try {
                long[] reduced = reduce(r);
                if (reduced == null) {
                    return null;
                }
                BigInteger[] big = new BigInteger[width];
                for (int c = 0; c < width; c++) {
                    big[c] = BigInteger.valueOf(reduced[c]);
                }
                return big;
            } catch (ArithmeticException overflow) {
                // a step's products leave the longs: done again exactly below
            }
        }
        return reduceBig(row);
    }

    /** {@link #reduce(BigInteger[])} in longs. @throws ArithmeticException where a number leaves them */
    private long[] reduce(long[] row) {
        long[] r = row.clone();
        for (int i = 0; i < small.size(); i++) {
            int p = pivots.get(i);
            if (r[p] != 0) {
                long[] s = small.get(i);
                long g = gcd(s[p], r[p]);
                long a = s[p] / g;
                long b = r[p] / g;
                long content = 0;
                for (int c = 0; c < width; c++) {
                    r[c] = Math.subtractExact(Math.multiplyExact(r[c], a), Math.multiplyExact(s[c], b));
                    content = gcd(content, r[c]);
                }
                if (content == 0) {
                    return null;
                }
                for (int c = 0; c < width; c++) {
                    r[c] /= content;
                }
            }
        }
        for (long c : r) {
            if (c != 0) {
                return r;
            }
        }
        return null;
    }

    private BigInteger[] reduceBig(BigInteger[] row) {
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

    /** The row in longs, or null where an entry does not fit. */
    private static long[] longs(BigInteger[] row) {
        long[] r = new long[row.length];
        for (int c = 0; c < row.length; c++) {
            if (row[c].bitLength() > 62) {
                return null; // kept off Long.MIN_VALUE, whose magnitude no long holds
            }
            r[c] = row[c].longValue();
        }
        return r;
    }

    /** The greatest common divisor, not negative, as BigInteger's. @throws ArithmeticException where it would be 2^63 */
    private static long gcd(long x, long y) {
        long a = Math.absExact(x);
        long b = Math.absExact(y);
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
