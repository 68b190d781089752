package dev.modelcost.processor.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The outputs a transposed convolution reaches, against enumerating every input and tap; pooling's ceil mode on the longest axis. */
class WindowTest {

    @Test
    void reachedOutputsEqualEnumeration() {
        Random random = new Random(20261130);
        for (int round = 0; round < 3000; round++) {
            int k = 1 + random.nextInt(6);
            int stride = 1 + random.nextInt(7);
            int dilation = 1 + random.nextInt(4);
            int padding = random.nextInt(dilation * (k - 1) / 2 + 1);
            int outputPadding = random.nextInt(Math.max(stride, dilation));
            int in = 1 + random.nextInt(12);
            Attrs attrs = new Attrs("ConvTranspose1d", Map.of("k", (long) k, "stride", (long) stride, "padding", (long) padding,
                    "dilation", (long) dilation, "outputPadding", (long) outputPadding), Map.of(),
                    Set.of("k", "stride", "padding", "dilation", "outputPadding"));
            Window window = Window.transposed(attrs, 1).get(0);
            long out = (in - 1L) * stride - 2L * padding + (long) dilation * (k - 1) + outputPadding + 1;
            if (out < 1) {
                continue;
            }
            Set<Long> hit = new HashSet<>();
            for (long i = 0; i < in; i++) {
                for (long t = 0; t < k; t++) {
                    long position = i * stride + t * dilation - padding;
                    if (position >= 0 && position < out) {
                        hit.add(position);
                    }
                }
            }
            String what = "k " + k + " stride " + stride + " dilation " + dilation + " padding " + padding + " in " + in + " out " + out;
            assertEquals(hit.size(), window.reached(in, window.transposedOutput(attrs, in)), what);
        }
    }

    @Test
    void ceilModeKeepsTheLastWindowOnTheLongestAxis() {
        // PyTorch 1.13, on the meta device (no memory needed):
        //   F.max_pool2d(torch.empty(1, 8, 3, 2147483647, device='meta'), 3, 2, 1, ceil_mode=True).shape  ->  [1, 8, 2, 1073741824]
        // By hand: ceil((2147483647 + 2 - 3) / 2) + 1 = 1073741824; the last window starts at padded position 2 * 1073741823 =
        // 2147483646, before the input's end with its left padding (2147483647 + 1, past an int), so ceil mode keeps it.
        int in = Integer.MAX_VALUE;
        Attrs attrs = new Attrs("MaxPool1d", Map.of("k", 3L, "stride", 2L, "padding", 1L, "dilation", 1L), Map.of(),
                Set.of("k", "stride", "padding"));
        Window window = Window.pool(attrs, 1, true).get(0);
        assertEquals(1073741824, window.poolOutput(attrs, in, true));
        assertEquals(1073741824, window.poolOutput(attrs, in, false));
        // At 9, the same rule by hand: ceil((9 + 2 - 3) / 2) + 1 = 5, as PyTorch gives for F.max_pool2d(torch.empty(1, 8, 1, 9), ...).
        assertEquals(5, window.poolOutput(attrs, 9, true));
        // At 8 ceil mode adds a fifth window: ceil(7 / 2) + 1 = 5, starting at padded position 8, before 8 + 1; floor gives 4.
        assertEquals(5, window.poolOutput(attrs, 8, true));
        assertEquals(4, window.poolOutput(attrs, 8, false));
    }
}
