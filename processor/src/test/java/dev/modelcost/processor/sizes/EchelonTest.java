package dev.modelcost.processor.sizes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The exact rank: the same whether the elimination stays in longs or leaves them. */
class EchelonTest {
    private static BigInteger[] row(long... values) {
        return Arrays.stream(values).mapToObj(BigInteger::valueOf).toArray(BigInteger[]::new);
    }

    @Test
    void aRowThatIsACombinationOfEarlierOnesAddsNothing() {
        Echelon echelon = new Echelon(3);
        assertTrue(echelon.add(row(1, 2, 3)));
        assertFalse(echelon.add(row(2, 4, 6)));
        assertTrue(echelon.add(row(0, 1, 1)));
        // 3·(1, 2, 3) − 2·(0, 1, 1)
        assertFalse(echelon.wouldAdd(row(3, 4, 7)));
        assertTrue(echelon.wouldAdd(row(3, 4, 8)));
        assertEquals(2, echelon.rank());
        assertArrayEquals(new int[] {0, 1}, echelon.pivots());
    }

    @Test
    void anEliminationPastSixtyFourBitsIsDoneExactly() {
        long big = 1L << 40;
        Echelon echelon = new Echelon(2);
        assertTrue(echelon.add(row(big, 1)));
        // Eliminating the first column takes big·big = 2^80, past a long: (1, 2^40) is independent all the same.
        assertTrue(echelon.add(row(1, big)));
        assertEquals(2, echelon.rank());
        Echelon one = new Echelon(3);
        assertTrue(one.add(row(big, 1, big + 1)));
        // (2^40 + 1)·(2^40, 1, 2^40 + 1): entries past 2^80, a multiple all the same
        BigInteger k = BigInteger.valueOf(big + 1);
        assertFalse(one.wouldAdd(new BigInteger[] {k.multiply(BigInteger.valueOf(big)), k, k.multiply(k)}));
        assertTrue(one.wouldAdd(new BigInteger[] {k.multiply(BigInteger.valueOf(big)), k, k.multiply(k).add(BigInteger.ONE)}));
        // and a row that fits in longs, whose elimination against it does not
        assertTrue(one.wouldAdd(row(big + 1, 1, big)));
        assertFalse(one.wouldAdd(row(3 * big, 3, 3 * big + 3)));
    }

    @Test
    void aRowPastSixtyFourBitsKeptMakesTheRestExactToo() {
        BigInteger huge = BigInteger.ONE.shiftLeft(70);
        Echelon echelon = new Echelon(3);
        assertTrue(echelon.add(new BigInteger[] {huge, BigInteger.ONE, BigInteger.ZERO}));
        assertTrue(echelon.add(row(0, 1, 1)));
        // (2^70, 2, 1) = (2^70, 1, 0) + (0, 1, 1); (2^70, 2, 2) is not
        assertFalse(echelon.wouldAdd(new BigInteger[] {huge, BigInteger.TWO, BigInteger.ONE}));
        assertTrue(echelon.wouldAdd(new BigInteger[] {huge, BigInteger.TWO, BigInteger.TWO}));
        assertFalse(echelon.add(row(0, 5, 5)));
        assertTrue(echelon.add(row(0, 0, 1)));
        assertEquals(3, echelon.rank());
        assertArrayEquals(new int[] {0, 1, 2}, echelon.pivots());
    }
}
