package dev.modelcost.processor.sizes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Newton's forward differences on a grid of samples, in 64 bits and past them. */
class GridInterpolationTest {
    private static BigInteger[] big(long... values) {
        BigInteger[] big = new BigInteger[values.length];
        for (int i = 0; i < values.length; i++) {
            big[i] = BigInteger.valueOf(values[i]);
        }
        return big;
    }

    @Test
    void oneAxis() {
        // f(k) = k² at k = 0..3: f = 0, 1, 4, 9; Δf(0) = 1, Δ²f(0) = 2, Δ³f(0) = 0.
        int[] steps = GridInterpolation.differenceSteps(new int[] {3}, 4);
        assertArrayEquals(big(0, 1, 2, 0), GridInterpolation.differences(new long[] {0, 1, 4, 9}, steps));
    }

    @Test
    void twoAxes() {
        // f(i, j) = 3 + 2i + 5j + 7ij on the grid i, j ∈ {0, 1}, the last axis fastest: f = 3, 8, 5, 17.
        // Δ_j f(0,0) = 5, Δ_i f(0,0) = 2, Δ_i Δ_j f(0,0) = 7.
        int[] steps = GridInterpolation.differenceSteps(new int[] {1, 1}, 4);
        assertArrayEquals(big(3, 5, 2, 7), GridInterpolation.differences(new long[] {3, 8, 5, 17}, steps));
    }

    @Test
    void pastSixtyFourBits() {
        // f = 0, M, 0 with M = Long.MAX_VALUE: Δf(0) = M, Δ²f(0) = 0 − 2M, which no long holds.
        long most = Long.MAX_VALUE;
        int[] steps = GridInterpolation.differenceSteps(new int[] {2}, 3);
        BigInteger m = BigInteger.valueOf(most);
        assertArrayEquals(new BigInteger[] {BigInteger.ZERO, m, m.multiply(BigInteger.TWO).negate()},
                GridInterpolation.differences(new long[] {0, most, 0}, steps));
    }
}
