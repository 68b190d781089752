package dev.modelcost.processor.sizes;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows in echelon form modulo a prime (2³¹ − 1 unless given), for the rank of many long rows of large integers, where exact elimination's numbers
 * grow with every pivot. A row it adds is independent of those before over the integers too (some minor is not 0 modulo the prime,
 * so not 0); a row it does not add is, but for a minor that the prime divides, dependent: the caller certifies that exactly. Its
 * pivot columns are independent but may be others than exact elimination's, where a minor the prime divides hides one.
 */
final class ModularRank extends RowRank {
    /** The prime the ranks of size programs are found modulo: the largest below 2³¹, so that a product of two residues fits a long. */
    static final long PRIME = Integer.MAX_VALUE;
    private final long prime;
    private final BigInteger bigPrime;
    /** Each row reduced, its pivot 1. */
    private final List<long[]> rows = new ArrayList<>();

    /**
     * Rows of {@code width} columns, modulo {@code prime}.
     *
     * @throws IllegalArgumentException where {@code prime} is below 2 or above {@link #PRIME} (it is not checked to be prime: a
     *     composite may make {@link #add} throw {@link ArithmeticException})
     */
    ModularRank(int width, long prime) {
        super(width);
        if (prime < 2 || prime > PRIME) {
            throw new IllegalArgumentException("a prime from 2 to " + PRIME + ", not " + prime);
        }
        this.prime = prime;
        this.bigPrime = BigInteger.valueOf(prime);
    }

    /** Adds the row where it is independent of those before modulo the prime; whether it did. */
    @Override
    boolean add(BigInteger[] row) {
        long[] r = new long[width];
        for (int c = 0; c < width; c++) {
            r[c] = row[c].mod(bigPrime).longValue();
        }
        for (int i = 0; i < rows.size(); i++) {
            int p = pivots.get(i);
            long factor = r[p];
            if (factor != 0) {
                long[] s = rows.get(i);
                for (int c = 0; c < width; c++) {
                    if (s[c] != 0) {
                        r[c] = Math.floorMod(r[c] - factor * s[c] % prime, prime);
                    }
                }
            }
        }
        int pivot = 0;
        while (pivot < width && r[pivot] == 0) {
            pivot++;
        }
        if (pivot == width) {
            return false;
        }
        long inverse = BigInteger.valueOf(r[pivot]).modInverse(bigPrime).longValue();
        for (int c = pivot; c < width; c++) {
            r[c] = r[c] * inverse % prime;
        }
        rows.add(r);
        pivots.add(pivot);
        return true;
    }
}
