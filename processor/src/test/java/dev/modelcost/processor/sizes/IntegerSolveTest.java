package dev.modelcost.processor.sizes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Fraction-free solving against a solve by hand and against Gauss–Jordan elimination in fractions. */
class IntegerSolveTest {
    private static BigInteger[][] big(long[][] values) {
        BigInteger[][] big = new BigInteger[values.length][];
        for (int r = 0; r < values.length; r++) {
            big[r] = new BigInteger[values[r].length];
            for (int c = 0; c < values[r].length; c++) {
                big[r][c] = BigInteger.valueOf(values[r][c]);
            }
        }
        return big;
    }

    @Test
    void twoByTwoByHand() {
        // 2x + 3y = 1, 4x + 5y = 1: x = -1, y = 1; with b = (1, 0): x = -5/2, y = 2.
        Fraction[][] x = IntegerSolve.solve(big(new long[][] {{2, 3}, {4, 5}}), big(new long[][] {{1, 1}, {1, 0}}));
        assertEquals(Fraction.of(-1), x[0][0]);
        assertEquals(Fraction.of(1), x[1][0]);
        assertEquals(Fraction.of(-5, 2), x[0][1]);
        assertEquals(Fraction.of(2), x[1][1]);
    }

    @Test
    void aZeroPivotIsSwappedAndASingularMatrixRefused() {
        // y = 3, x = 2 written with the first pivot 0
        Fraction[][] x = IntegerSolve.solve(big(new long[][] {{0, 1}, {1, 0}}), big(new long[][] {{3}, {2}}));
        assertEquals(Fraction.of(2), x[0][0]);
        assertEquals(Fraction.of(3), x[1][0]);
        assertThrows(IllegalArgumentException.class, () -> IntegerSolve.solve(big(new long[][] {{1, 2}, {2, 4}}), big(new long[][] {{1}, {2}})));
    }

    @Test
    void randomSystemsEqualEliminationInFractions() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + random.nextInt(9);
            long[][] a = new long[n][n];
            long[][] b = new long[n][3];
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    // sparse, with large entries: products of sizes
                    a[r][c] = random.nextInt(3) == 0 ? 0 : random.nextLong(-1_000_000_000L, 1_000_000_000L);
                }
                for (int f = 0; f < 3; f++) {
                    b[r][f] = random.nextLong(-1_000_000_000_000L, 1_000_000_000_000L);
                }
            }
            Fraction[][] expected = byFractions(a, b);
            if (expected == null) {
                assertThrows(IllegalArgumentException.class, () -> IntegerSolve.solve(big(a), big(b)));
                continue;
            }
            Fraction[][] x = IntegerSolve.solve(big(a), big(b));
            for (int r = 0; r < n; r++) {
                for (int f = 0; f < 3; f++) {
                    assertEquals(expected[r][f], x[r][f], "trial " + trial);
                }
            }
        }
    }

    /** Gauss–Jordan elimination in fractions, row by row; null where a is singular. */
    private static Fraction[][] byFractions(long[][] a, long[][] b) {
        int n = a.length;
        int k = b[0].length;
        Fraction[][] m = new Fraction[n][n + k];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n + k; c++) {
                m[r][c] = Fraction.of(c < n ? a[r][c] : b[r][c - n]);
            }
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            while (pivot < n && m[pivot][c].isZero()) {
                pivot++;
            }
            if (pivot == n) {
                return null;
            }
            Fraction[] swap = m[c];
            m[c] = m[pivot];
            m[pivot] = swap;
            Fraction inverse = new Fraction(m[c][c].denominator(), m[c][c].numerator());
            for (int j = 0; j < n + k; j++) {
                m[c][j] = m[c][j].times(inverse);
            }
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    Fraction factor = m[r][c];
                    for (int j = 0; j < n + k; j++) {
                        m[r][j] = m[r][j].minus(factor.times(m[c][j]));
                    }
                }
            }
        }
        Fraction[][] x = new Fraction[n][k];
        for (int r = 0; r < n; r++) {
            for (int f = 0; f < k; f++) {
                x[r][f] = m[r][n + f];
            }
        }
        return x;
    }
}
