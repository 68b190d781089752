package dev.modelcost.processor.sizes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Where a value that grows by a constant a lattice step passes 0 or 1, found without stepping: the step a walk would find. */
class LinePassesTest {
    /** The last step k in [from, to) with a + b·k below edge and a + b·(k + 1) not, or the other way round, by walking. */
    private static long walked(long[] line, long edge, long from, long to) {
        for (long k = from; k < to; k++) {
            if ((line[0] + line[1] * k < edge) != (line[0] + line[1] * (k + 1) < edge)) {
                return k;
            }
        }
        return Long.MIN_VALUE;
    }

    @Test
    void theStepWhereALinePassesAnEdgeIsTheOneAWalkFinds() {
        Random random = new Random(20261207);
        for (int i = 0; i < 20_000; i++) {
            long[] line = {random.nextInt(2001) - 1000, random.nextInt(41) - 20};
            long from = random.nextInt(201) - 100;
            long to = from + random.nextInt(200);
            for (long edge : new long[] {0, 1}) {
                assertEquals(walked(line, edge, from, to), Thresholds.passes(line, edge, from, to),
                        line[0] + " + " + line[1] + "·k passing " + edge + " in [" + from + ", " + to + ")");
            }
        }
    }

    @Test
    void aLineThatDoesNotGrowOrStaysOnOneSidePassesNothing() {
        assertEquals(Long.MIN_VALUE, Thresholds.passes(new long[] {0, 0}, 1, -5, 5));
        assertEquals(Long.MIN_VALUE, Thresholds.passes(new long[] {10, 1}, 0, 0, 100));
        // below 1 up to step 2 (-4 + 2·2 = 0), 1 or more from step 3 on; below 0 up to step 1
        assertEquals(2, Thresholds.passes(new long[] {-4, 2}, 1, 0, 100));
        assertEquals(1, Thresholds.passes(new long[] {-4, 2}, 0, 0, 100));
        // falling: 1 at step 9 (10 - 9), 0 at step 10, below from 11
        assertEquals(9, Thresholds.passes(new long[] {10, -1}, 1, 0, 100));
        assertEquals(10, Thresholds.passes(new long[] {10, -1}, 0, 0, 100));
    }
}
