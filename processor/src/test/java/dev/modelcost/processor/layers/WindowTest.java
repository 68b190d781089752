package dev.modelcost.processor.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The outputs a transposed convolution reaches, against enumerating every input and tap. */
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
}
