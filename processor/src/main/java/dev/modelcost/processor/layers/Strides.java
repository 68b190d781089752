package dev.modelcost.processor.layers;

/**
 * PyTorch's strides of a tensor, in elements, the batch (or the leading axis of 1 of a tensor
 * without one) first: whether a tensor is contiguous, and whether a reshape of it can be a view.
 * A view (a transpose, a slice, a chunk) keeps its input's memory and changes the strides; most
 * operations write a new, contiguous tensor. Which kernel PyTorch runs can depend on it: a
 * {@code Linear} on a contiguous 3-d input runs as one {@code addmm}, on any other as
 * {@code matmul} and an add.
 */
public final class Strides {
    private Strides() {}

    /** The strides of a contiguous tensor of {@code sizes}: each the product of the sizes after it. */
    public static long[] dense(long[] sizes) {
        long[] strides = new long[sizes.length];
        long step = 1;
        for (int i = sizes.length - 1; i >= 0; i--) {
            strides[i] = step;
            step = Math.multiplyExact(step, Math.max(sizes[i], 1));
        }
        return strides;
    }

    /**
     * Whether a tensor of {@code sizes} and {@code strides} is contiguous as PyTorch's {@code is_contiguous()} says: each axis
     * longer than 1 steps by the product of the sizes after it; an axis of size 1 may have any stride.
     */
    public static boolean contiguous(long[] sizes, long[] strides) {
        long expected = 1;
        for (int i = sizes.length - 1; i >= 0; i--) {
            if (sizes[i] != 1) {
                if (strides[i] != expected) {
                    return false;
                }
                expected = Math.multiplyExact(expected, sizes[i]);
            }
        }
        return true;
    }

    /**
     * The strides of {@code tensor.view(newSizes)}, or null where no view can give it and {@code reshape} copies: the new sizes
     * must split or merge runs of axes that step through memory as one (each axis's stride the next one's times its size).
     */
    public static long[] view(long[] sizes, long[] strides, long[] newSizes) {
        long[] result = new long[newSizes.length];
        int next = newSizes.length - 1;
        // the innermost run of axes that steps as one, built up from the last axis
        long runStride = strides[sizes.length - 1];
        long runElements = 1;
        long viewElements = 1;
        for (int axis = sizes.length - 1; axis >= 0; axis--) {
            runElements = Math.multiplyExact(runElements, sizes[axis]);
            boolean runEnds = axis == 0 || sizes[axis - 1] != 1 && strides[axis - 1] != Math.multiplyExact(runElements, runStride);
            if (!runEnds) {
                continue;
            }
            // the new axes that make up this run
            while (next >= 0 && (viewElements < runElements || newSizes[next] == 1)) {
                result[next] = Math.multiplyExact(viewElements, runStride);
                viewElements = Math.multiplyExact(viewElements, newSizes[next]);
                next--;
            }
            if (viewElements != runElements) {
                return null;
            }
            if (axis > 0) {
                runStride = strides[axis - 1];
                runElements = 1;
                viewElements = 1;
            }
        }
        return next == -1 ? result : null;
    }
}
