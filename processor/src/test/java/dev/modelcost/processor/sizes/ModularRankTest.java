package dev.modelcost.processor.sizes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The rank modulo 2³¹ − 1: the pivots it adds are independent over the integers; a row it leaves out may not be dependent. */
class ModularRankTest {
    private static BigInteger[] row(long... values) {
        return Arrays.stream(values).mapToObj(BigInteger::valueOf).toArray(BigInteger[]::new);
    }

    @Test
    void theRankAndPivotsOfRowsOfLargeIntegers() {
        ModularRank rank = new ModularRank(4, ModularRank.PRIME);
        BigInteger huge = BigInteger.TEN.pow(40);
        assertTrue(rank.add(new BigInteger[] {BigInteger.ZERO, huge, BigInteger.ONE, BigInteger.TWO}));
        // 3 times the first, less nothing: dependent
        assertFalse(rank.add(new BigInteger[] {BigInteger.ZERO, huge.multiply(BigInteger.valueOf(3)), BigInteger.valueOf(3), BigInteger.valueOf(6)}));
        assertTrue(rank.add(row(5, 0, 0, 1)));
        assertFalse(rank.add(row(0, 0, 0, 0)));
        assertTrue(rank.add(row(0, 0, 1, 0)));
        assertEquals(3, rank.rank());
        assertArrayEquals(new int[] {0, 1, 2}, rank.pivots());
        // negative entries: -2·(5, 0, 0, 1) + 7·(0, 0, 1, 0) is dependent, -2·(5, 0, 0, 1) − (0, 0, 0, 1) is not
        assertFalse(rank.add(row(-10, 0, 7, -2)));
        assertTrue(rank.add(row(-10, 0, 0, -3)));
        assertArrayEquals(new int[] {0, 1, 2, 3}, rank.pivots());
    }

    @Test
    void rowsThatDifferByAMultipleOfThePrimeLookDependentThoughTheyAreNot() {
        // (1, 2) and (1, 2 + 2^31 - 1) are independent over the integers, equal modulo the prime: the caller certifies ties exactly.
        ModularRank modular = new ModularRank(2, ModularRank.PRIME);
        assertTrue(modular.add(row(1, 2)));
        assertFalse(modular.add(row(1, 2L + Integer.MAX_VALUE)));
        Echelon exact = new Echelon(2);
        assertTrue(exact.add(row(1, 2)));
        assertTrue(exact.add(row(1, 2L + Integer.MAX_VALUE)));
    }
}
