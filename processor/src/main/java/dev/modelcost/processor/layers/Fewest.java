package dev.modelcost.processor.layers;

/**
 * The fewest values a layer takes over its first input's axes after the channels, which PyTorch checks before it normalises (a
 * norm's statistics): {@code factor} times the product of those axes must be at least {@code min}. Its formula refuses fewer at one
 * size; a size program checks the same count at every size.
 *
 * @param factor the batch for a batch norm's values per channel, a group's channels times the batch for a group norm, 1 for an
 *     instance norm's elements per sample
 * @param min the fewest PyTorch takes
 * @param what what is counted, in the singular, for messages ({@code "value per channel"})
 */
public record Fewest(long factor, long min, String what) {
    /** A batch norm's values per channel at {@code batch} samples: the batch times the positions ("Expected more than 1 value per channel"). */
    static Fewest valuesPerChannel(long batch) {
        return new Fewest(batch, 2, "value per channel (the batch times its positions)");
    }

    /** An instance norm's spatial elements per channel of each sample ("Expected more than 1 spatial element"). */
    static Fewest spatialElements() {
        return new Fewest(1, 2, "spatial element per channel");
    }

    /** Whether {@code input} (without the batch, channels first) gives fewer values than the layer takes. */
    boolean refuses(Shape input) {
        // Every axis is at least 1: once the product reaches min it stays there, and it never passes 64 bits before.
        long count = factor;
        for (int a = 1; a < input.rank() && count < min; a++) {
            count = Math.multiplyExact(count, input.dim(a));
        }
        return count < min;
    }
}
