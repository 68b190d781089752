package dev.modelcost.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * PyTorch's strides, by hand: {@code torch.empty(2, 3, 4)} has strides (12, 4, 1); what its views have, and which reshapes
 * copy (each as PyTorch 1.13's {@code stride()} and {@code view} give it).
 */
class StridesTest {

    @Test
    void aContiguousTensorStepsByTheProductOfTheSizesAfterEachAxis() {
        assertArrayEquals(new long[] {12, 4, 1}, Strides.dense(new long[] {2, 3, 4}));
        assertTrue(Strides.contiguous(new long[] {2, 3, 4}, new long[] {12, 4, 1}));
        // x.transpose(1, 2): sizes (2, 4, 3), strides (12, 1, 4)
        assertFalse(Strides.contiguous(new long[] {2, 4, 3}, new long[] {12, 1, 4}));
        // an axis of size 1 may have any stride: torch.empty(1, 3, 4).transpose(0, 1) is contiguous
        assertTrue(Strides.contiguous(new long[] {3, 1, 4}, new long[] {4, 12, 1}));
        // x[:, :, ::2]: sizes (2, 3, 2), strides (12, 4, 2)
        assertFalse(Strides.contiguous(new long[] {2, 3, 2}, new long[] {12, 4, 2}));
    }

    @Test
    void aReshapeIsAViewWhereTheAxesItMergesStepAsOne() {
        // x.view(6, 4) and x.view(2, 12) of the contiguous tensor
        assertArrayEquals(new long[] {4, 1}, Strides.view(new long[] {2, 3, 4}, new long[] {12, 4, 1}, new long[] {6, 4}));
        assertArrayEquals(new long[] {12, 1}, Strides.view(new long[] {2, 3, 4}, new long[] {12, 4, 1}, new long[] {2, 12}));
        // x.view(2, 3, 2, 2): the last axis split
        assertArrayEquals(new long[] {12, 4, 2, 1}, Strides.view(new long[] {2, 3, 4}, new long[] {12, 4, 1}, new long[] {2, 3, 2, 2}));
        // the transpose merged back: (2, 4, 3) of strides (12, 1, 4) to (2, 12) is no view, reshape copies
        assertNull(Strides.view(new long[] {2, 4, 3}, new long[] {12, 1, 4}, new long[] {2, 12}));
        // but its batch and first axis can be split apart and back: (2, 4, 3) to (2, 2, 2, 3), strides (12, 2, 1, 4)
        assertArrayEquals(new long[] {12, 2, 1, 4}, Strides.view(new long[] {2, 4, 3}, new long[] {12, 1, 4}, new long[] {2, 2, 2, 3}));
        // x[:, :, ::2] flattened from the first axis: (2, 3, 2) of strides (12, 4, 2) to (2, 6) steps by 2, a view
        assertArrayEquals(new long[] {12, 2}, Strides.view(new long[] {2, 3, 2}, new long[] {12, 4, 2}, new long[] {2, 6}));
        // an axis of 1 anywhere: (2, 1, 12) of the contiguous tensor
        assertArrayEquals(new long[] {12, 12, 1}, Strides.view(new long[] {2, 3, 4}, new long[] {12, 4, 1}, new long[] {2, 1, 12}));
    }

    @Test
    void aRunWhoseStrideWouldPass64BitsEndsThere() {
        // SSD's head, x.view(1, 6, 91, H, W).permute(0, 3, 4, 1, 2).reshape(1, -1, 91) at H = 6,498,612, W = 20: the permuted
        // (1, H, W, 6, 91) steps by (546·H·W, W, 1, 91·H·W, H·W); its last two axes step as one, and the run they make would need
        // a stride of 546·H·W·H·W (past 64 bits) from the axis before, which steps by 1: the run ends, no view, reshape copies.
        long h = 6_498_612;
        long w = 20;
        long[] sizes = {1, h, w, 6, 91};
        long[] strides = {546 * h * w, w, 1, 91 * h * w, h * w};
        assertNull(Strides.view(sizes, strides, new long[] {1, h * w * 6, 91}));
        // the same at H = 4: a copy too
        assertNull(Strides.view(new long[] {1, 4, 20, 6, 91}, new long[] {546 * 80, 20, 1, 91 * 80, 80}, new long[] {1, 480, 91}));
    }
}
