package dev.modelcost.processor.sizes;

import java.math.BigInteger;

/**
 * Solves {@code a·x = b} exactly for a square, invertible integer {@code a} and every column of an integer {@code b} at once, by
 * fraction-free Gauss–Jordan elimination (Bareiss, "Sylvester's identity and multistep integer-preserving Gaussian elimination",
 * Math. Comp. 22, 1968, carried to the rows above each pivot too): every entry stays an integer, a minor of {@code [a | b]}, and
 * each step divides exactly by the pivot before it, so no fraction is reduced until the end.
 */
final class IntegerSolve {
    private IntegerSolve() {}

    /**
     * The solution, one row per unknown and one column per column of {@code b}.
     *
     * @throws IllegalArgumentException if {@code a} is singular
     */
    static Fraction[][] solve(BigInteger[][] a, BigInteger[][] b) {
        int n = a.length;
        int k = n == 0 ? 0 : b[0].length;
        BigInteger[][] m = new BigInteger[n][n + k];
        for (int r = 0; r < n; r++) {
            System.arraycopy(a[r], 0, m[r], 0, n);
            System.arraycopy(b[r], 0, m[r], n, k);
        }
        BigInteger previous = BigInteger.ONE;
        for (int c = 0; c < n; c++) {
            int pivot = c;
            while (pivot < n && m[pivot][c].signum() == 0) {
                pivot++;
            }
            if (pivot == n) {
                throw new IllegalArgumentException("singular at column " + c);
            }
            BigInteger[] swap = m[c];
            m[c] = m[pivot];
            m[pivot] = swap;
            BigInteger p = m[c][c];
            for (int r = 0; r < n; r++) {
                if (r == c) {
                    continue;
                }
                BigInteger factor = m[r][c];
                for (int j = 0; j < n + k; j++) {
                    if (j != c) {
                        BigInteger value = p.multiply(m[r][j]);
                        if (factor.signum() != 0 && m[c][j].signum() != 0) {
                            value = value.subtract(factor.multiply(m[c][j]));
                        }
                        m[r][j] = value.signum() == 0 ? BigInteger.ZERO : exactly(value, previous);
                    }
                }
                m[r][c] = BigInteger.ZERO;
            }
            previous = p;
        }
        // The left block is diagonal now: row r reads m[r][r]·x[r] = m[r][n + f].
        Fraction[][] x = new Fraction[n][k];
        for (int r = 0; r < n; r++) {
            for (int f = 0; f < k; f++) {
                x[r][f] = new Fraction(m[r][n + f], m[r][r]);
            }
        }
        return x;
    }

    /** {@code value / divisor}, which Sylvester's identity makes exact. */
    private static BigInteger exactly(BigInteger value, BigInteger divisor) {
        BigInteger[] quotient = value.divideAndRemainder(divisor);
        if (quotient[1].signum() != 0) {
            throw new IllegalStateException("inexact division in fraction-free elimination");
        }
        return quotient[0];
    }
}
