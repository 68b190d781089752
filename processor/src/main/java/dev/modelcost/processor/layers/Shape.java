package dev.modelcost.processor.layers;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A tensor shape without the batch dimension: {@code C x H x W} for images, {@code F} or
 * {@code L x D} for features.
 *
 * @param dims the dimensions, each at least 1
 */
public record Shape(List<Integer> dims) {

    /** Copies the dimensions. */
    public Shape {
        dims = List.copyOf(dims);
    }

    /** A shape of the given dimensions. */
    public static Shape of(int... dims) {
        return new Shape(java.util.Arrays.stream(dims).boxed().collect(Collectors.toList()));
    }

    /** How many dimensions. */
    public int rank() {
        return dims.size();
    }

    /** One dimension. */
    public int dim(int index) {
        return dims.get(index);
    }

    /** The first dimension: channels of an image, features of a vector. */
    public int channels() {
        return dims.get(0);
    }

    /** The last dimension: the features a {@code Linear} reads. */
    public int last() {
        return dims.get(dims.size() - 1);
    }

    /** The same shape with the first dimension replaced. */
    public Shape withChannels(int channels) {
        return withDim(0, channels);
    }

    /** The same shape with one dimension replaced. */
    public Shape withDim(int index, int value) {
        int[] copy = toArray();
        copy[index] = value;
        return of(copy);
    }

    /** The number of elements for one sample; throws {@link ArithmeticException} on overflow. */
    public long elements() {
        long count = 1;
        for (int dim : dims) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    /** The dimensions as an array. */
    public int[] toArray() {
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The shape as PyTorch prints it, without the batch: {@code 64x56x56}. */
    @Override
    public String toString() {
        return dims.stream().map(String::valueOf).collect(Collectors.joining("x"));
    }
}
