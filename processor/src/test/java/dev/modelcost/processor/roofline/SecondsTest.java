package dev.modelcost.processor.roofline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Durations in the unit that suits them, four significant digits. */
class SecondsTest {

    @Test
    void eachDurationTakesTheUnitOfItsRoundedValue() {
        assertEquals("0 s", Seconds.of(0));
        assertEquals("2.5 s", Seconds.of(2.5));
        assertEquals("812.5 \u00b5s", Seconds.of(812.5e-6));
        // 999.96 µs rounds to 1,000 µs: one millisecond.
        assertEquals("1 ms", Seconds.of(999.96e-6));
        assertEquals("12.5 ns", Seconds.of(12.5e-9));
    }

    @Test
    void belowANanosecondStaysInNanoseconds() {
        // A small layer on a fast accelerator: 0.64 ns, not 6.4E-10 s.
        assertEquals("0.64 ns", Seconds.of(6.4e-10));
        assertEquals("0.001 ns", Seconds.of(1e-12));
        assertEquals("5E-13 s", Seconds.of(5e-13));
    }
}
