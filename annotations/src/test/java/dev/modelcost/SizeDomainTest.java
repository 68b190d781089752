package dev.modelcost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A size variable's domain: its lattice, its bounds, and the messages for sizes outside them. */
class SizeDomainTest {
    /** H = 224 + 32·k from 32 to 4,000, as a model with a total stride of 32 might have it. */
    private static final SizeDomain H = SizeDomain.of("Net", "H", 224, 32, 32, "at H = 0: no rows", 4000, "at H = 4032: beyond 64 bits");

    @Test
    void aSizeOffTheLatticeIsRefusedWithWhyNoFinerLatticeHoldsWhereThatIsKnown() {
        SizeDomain even = SizeDomain.of("Net", "L", 16, 2, "MACS is no polynomial in L on the integers", 2, "", 1024, "");
        assertEquals("MACS is no polynomial in L on the integers", even.notFiner());
        assertEquals("Net: L = 7 is not on the lattice 16 + 2\u00b7k on which the closed forms hold (no finer lattice holds: MACS is no "
                + "polynomial in L on the integers), and sizes off it have no size program: the model gathers; compile the model at that "
                + "size instead, which also tells whether the network exists there",
                assertThrows(IllegalArgumentException.class, () -> even.check(7, "the model gathers")).getMessage());
        assertEquals(8, even.check(8, "the model gathers"));
        // The reason is part of the domain: the same lattice and bounds without it are another domain, and the shorter factory gives none.
        SizeDomain without = SizeDomain.of("Net", "L", 16, 2, 2, "", 1024, "");
        assertEquals("", without.notFiner());
        assertFalse(even.equals(without));
        assertEquals(without, SizeDomain.of("Net", "L", 16, 2, "", 2, "", 1024, ""));
    }

    @Test
    void aDefaultBelowTheFormsIsOnTheirLatticeButOutsideTheDomain() {
        // Declared at 224 just below a test that turns, the forms hold from 256: the default is on the lattice, not in the domain.
        SizeDomain past = SizeDomain.of("Net", "H", 224, 32, 256, "at H = 224: the shift turns", 4000, "");
        assertFalse(past.contains(224));
        assertTrue(past.contains(256) && past.onLattice(224));
        assertEquals("H = 224 + 32\u00b7k from 256 to 4,000 (default 224)", past.toString());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> past.check(224)).getMessage().contains("below 256"));
        // Past a turn the forms' lattice may miss the default: it then starts from the smallest size.
        SizeDomain missed = SizeDomain.of("Net", "L", 16, 4, 18, "", 998, "");
        assertEquals("L = 18 + 4\u00b7k from 18 to 998 (default 16)", missed.toString());
        assertFalse(missed.onLattice(16));
        assertTrue(missed.contains(22));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> missed.check(17)).getMessage().contains("not on the lattice 18 + 4\u00b7k"));
        // A default off the lattice within the bounds, or bounds in the wrong order, are refused still.
        assertThrows(IllegalArgumentException.class, () -> SizeDomain.of("Net", "L", 19, 4, 18, "", 998, ""));
        assertThrows(IllegalArgumentException.class, () -> SizeDomain.of("Net", "H", 224, 32, 4000, "", 256, ""));
        assertThrows(IllegalArgumentException.class, () -> SizeDomain.of("Net", "H", 4032, 32, 256, "", 1024, ""));
    }

    @Test
    void theClosedFormsHoldOnTheLatticeWithinTheBounds() {
        assertTrue(H.contains(224) && H.contains(32) && H.contains(3968));
        assertFalse(H.contains(225));
        assertFalse(H.contains(4032));
        assertEquals(288, H.check(288));
        IllegalArgumentException off = assertThrows(IllegalArgumentException.class, () -> H.check(225));
        assertEquals("Net: H = 225 is not on the lattice 224 + 32\u00b7k on which the closed forms hold; compile the model at that size instead, which also tells whether the network exists there",
                off.getMessage());
        IllegalArgumentException why = assertThrows(IllegalArgumentException.class, () -> H.check(225, "the model varies the batch"));
        assertEquals("Net: H = 225 is not on the lattice 224 + 32\u00b7k on which the closed forms hold, and sizes off it have no size program: "
                + "the model varies the batch; compile the model at that size instead, which also tells whether the network exists there", why.getMessage());
        assertEquals(256, H.check(256, "the model varies the batch"));
        // Below the smallest size or above the largest, a size off the lattice is refused for that: whether the network exists there
        // only a compile tells. On the lattice, the bound is the reason; under 1, no size.
        IllegalArgumentException offBelow = assertThrows(IllegalArgumentException.class, () -> H.check(17));
        assertTrue(offBelow.getMessage().startsWith("Net: H = 17 is not on the lattice 224 + 32\u00b7k"), offBelow.getMessage());
        IllegalArgumentException offAbove = assertThrows(IllegalArgumentException.class, () -> H.check(4001));
        assertTrue(offAbove.getMessage().startsWith("Net: H = 4001 is not on the lattice 224 + 32\u00b7k"), offAbove.getMessage());
        IllegalArgumentException onAbove = assertThrows(IllegalArgumentException.class, () -> H.check(4032));
        assertEquals("Net: H = 4032 is above 4000, the largest size at which the closed forms hold (at H = 4032: beyond 64 bits)", onAbove.getMessage());
        assertEquals("Net: H = 0 is below 32, the smallest size at which the closed forms hold (at H = 0: no rows)",
                assertThrows(IllegalArgumentException.class, () -> H.check(0)).getMessage());
    }

    @Test
    void belowTheBoundsOnlyTheLowerBoundIsBrokenAndNotAboveChecksTheUpperOne() {
        // A class with a size program answers below the smallest size from it: below() tells those sizes, notAbove() only refuses the
        // ones above the largest, and sizes under 1.
        assertTrue(H.below(31) && H.below(1));
        assertFalse(H.below(32));
        assertEquals(17, H.notAbove(17));
        IllegalArgumentException low = assertThrows(IllegalArgumentException.class, () -> H.within(17));
        assertEquals("Net: H = 17 is below 32, the smallest size at which the closed forms hold (at H = 0: no rows)", low.getMessage());
        IllegalArgumentException high = assertThrows(IllegalArgumentException.class, () -> H.notAbove(4001));
        assertEquals("Net: H = 4001 is above 4000, the largest size at which the closed forms hold (at H = 4032: beyond 64 bits)", high.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> H.notAbove(0));
        assertEquals("Net: H = 0 is no size; sizes are at least 1", none.getMessage());
    }

    @Test
    void aboveTheLastSizeOfTheLatticeTheMessageSaysWhyTheBoundIsThere() {
        // 224 + 32·k up to 2^31 − 1 ends at 2,147,483,616: the largest size a model declares is not on the lattice.
        SizeDomain lattice = SizeDomain.of("Net", "H", 224, 32, 32, "", 2_147_483_616L, "");
        IllegalArgumentException last = assertThrows(IllegalArgumentException.class, () -> lattice.notAbove(Integer.MAX_VALUE));
        assertEquals("Net: H = 2147483647 is above 2147483616, the largest size at which the closed forms hold (the last size of the lattice "
                + "up to 2,147,483,647, the largest size a model declares)", last.getMessage());
        SizeDomain every = SizeDomain.of("Net", "L", 64, 1, 1, "", Integer.MAX_VALUE, "");
        IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class, () -> every.notAbove(1L << 31));
        assertEquals("Net: L = 2147483648 is above 2147483647, the largest size at which the closed forms hold (the largest size a model "
                + "declares is 2,147,483,647)", beyond.getMessage());
    }

    @Test
    void betweenTheLatticesLastSizeAndItsNextSizesOffItAreAnsweredUpToTheProgramsLargest() {
        // A stride of 4 declared at 1, and a table of 100 positions: the lattice 1 + 4·k ends at 397 (100 positions), 401 has 101;
        // 398 to 400 have 100 too, answered off the lattice.
        String next = "at L = 401: 101 positions, the table has 100";
        SizeDomain table = SizeDomain.of("Net", "L", 1, 4, "", 1, "", 397, next, 400, next);
        assertEquals(400, table.programMax());
        assertEquals(400, table.notAbove(400));
        assertEquals(398, table.notAbove(398));
        for (long size : new long[] {401, 402, 405}) {
            IllegalArgumentException above = assertThrows(IllegalArgumentException.class, () -> table.notAbove(size));
            assertEquals("Net: L = " + size + " is above 400, the largest size at which the closed forms hold (" + next + ")", above.getMessage());
        }
        assertEquals("L = 1 + 4\u00b7k from 1 to 397, off it to 400 (default 1)", table.toString());
        // Where the first size off the lattice fails, its own reason is given for the sizes off it; the lattice's for those on it.
        SizeDomain early = SizeDomain.of("Net", "L", 1, 4, "", 1, "", 397, next, 397, "at L = 398: 100.5 positions");
        assertEquals("Net: L = 399 is above 397, the largest size at which the closed forms hold (at L = 398: 100.5 positions)",
                assertThrows(IllegalArgumentException.class, () -> early.notAbove(399)).getMessage());
        assertEquals("Net: L = 401 is above 397, the largest size at which the closed forms hold (" + next + ")",
                assertThrows(IllegalArgumentException.class, () -> early.notAbove(401)).getMessage());
        assertNotEquals(table, early);
        // The program's largest lies from the lattice's to below its next.
        assertThrows(IllegalArgumentException.class, () -> SizeDomain.of("Net", "L", 1, 4, "", 1, "", 397, next, 401, next));
        assertThrows(IllegalArgumentException.class, () -> SizeDomain.of("Net", "L", 1, 4, "", 1, "", 397, next, 396, next));
    }
}
