package dev.modelcost.processor.layers;

/**
 * The fewest values a layer takes over its first input's axes after the channels, which PyTorch checks before it normalises (a
 * norm's statistics): {@code perSample} times the product of those axes, times the batch where the count spans it, must be at least
 * {@code min}. Its formula refuses fewer at one size; a size program checks the same count at every size, the batch included where
 * it is a size variable.
 *
 * @param perSample the factor besides those axes and the batch: a group's channels for a group norm, 1 for a batch or instance norm
 * @param acrossBatch whether the count spans the batch (a batch norm's values per channel, a group norm's per group), not each
 *     sample alone (an instance norm's elements per sample)
 * @param min the fewest PyTorch takes
 * @param what what is counted, in the singular, for messages ({@code "value per channel"}); where the count spans the batch, with
 *     {@code %s} where the batch is named ({@link #what(String)})
 */
public record Fewest(long perSample, boolean acrossBatch, long min, String what) {
    /** A batch norm's values per channel: the batch times the positions ("Expected more than 1 value per channel"). */
    static Fewest valuesPerChannel() {
        return new Fewest(1, true, 2, "value per channel (%s times its positions)");
    }

    /** An instance norm's spatial elements per channel of each sample ("Expected more than 1 spatial element"). */
    static Fewest spatialElements() {
        return new Fewest(1, false, 2, "spatial element per channel");
    }

    /** What is counted, for messages, the batch named as {@code samples} ({@code "the batch"}, {@code "the training step's batch of 1"}). */
    public String what(String samples) {
        return acrossBatch ? what.formatted(samples) : what;
    }

    /** The factor of the product of the counted axes at {@code batch} samples; throws {@link ArithmeticException} beyond {@code long}. */
    public long factor(long batch) {
        return acrossBatch ? Math.multiplyExact(batch, perSample) : perSample;
    }

    /** Whether {@code input} (without the batch, channels first) at {@code batch} samples gives fewer values than the layer takes. */
    boolean refuses(Shape input, long batch) {
        // Every axis is at least 1: once the product reaches min it stays there, and it never passes 64 bits before.
        long count = factor(batch);
        for (int a = 1; a < input.rank() && count < min; a++) {
            count = Math.multiplyExact(count, input.dim(a));
        }
        return count < min;
    }
}
