package dev.modelcost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class GroupingTest {
    @Test
    void groupsDigitsByThreesAsTheRootLocaleFormatDoes() {
        for (long value : new long[] {0, 7, 999, 1_000, -1_000, 12_345, 999_999, 1_000_000, -123_456_789, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertEquals(String.format(Locale.ROOT, "%,d", value), Grouping.of(value), () -> "value " + value);
        }
    }

    @Test
    void groupsIntegersBeyondSixtyFourBits() {
        BigInteger big = BigInteger.TEN.pow(30).add(BigInteger.valueOf(123));
        assertEquals("1,000,000,000,000,000,000,000,000,000,123", Grouping.of(big));
        assertEquals(String.format(Locale.ROOT, "%,d", big.negate()), Grouping.of(big.negate()));
    }
}
