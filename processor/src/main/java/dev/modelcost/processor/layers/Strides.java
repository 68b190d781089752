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

    /**
     * The output a kind writes, as PyTorch lays it out ({@link OpKind#format()}): a view's, and a kind's that lays out its own, as
     * its formula gives them; {@link OpKind.MemoryFormat#PRESERVE} dense in its first input's order of strides where that input
     * has the output's sizes (a transposed input: a transposed output; a sliced one: contiguous); any other, contiguous. An
     * in-place layer writes into its input, whatever its strides.
     */
    public static Shape written(OpKind kind, boolean inPlace, Shape input, Shape output, long batch) {
        if (kind.view() || kind.format() == OpKind.MemoryFormat.OWN || output.strides() == null && (input == null || input.strides() == null)) {
            return output;
        }
        boolean sameSizes = input != null && input.dims().equals(output.dims());
        if (inPlace && sameSizes) {
            return output.viewedAs(input.strides(batch));
        }
        if (kind.format() != OpKind.MemoryFormat.PRESERVE || input == null || input.strides() == null || !sameSizes) {
            return output.strides() == null ? output : output.viewedAs(null);
        }
        long[] sizes = input.fullSizes(batch);
        long[] strides = input.strides(batch);
        Integer[] order = new Integer[sizes.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // outermost first: the larger stride, and between equal ones the earlier axis
        java.util.Arrays.sort(order, (a, b) -> strides[a] != strides[b] ? Long.compare(strides[b], strides[a]) : Integer.compare(a, b));
        long[] dense = new long[sizes.length];
        long step = 1;
        for (int k = order.length - 1; k >= 0; k--) {
            dense[order[k]] = step;
            step = Math.multiplyExact(step, sizes[order[k]]);
        }
        // kept even where they are a contiguous tensor's (a slice's output): what follows a view is laid out alike at every size
        return output.viewedAs(dense);
    }

    /**
     * Whether a recurrent layer's or an attention's input projection reads {@code x} contiguous, so that PyTorch runs it as one
     * {@code addmm} (else {@code matmul}, on a contiguous copy, and an add). The projection reads the steps first: a batch-first
     * layer transposes its input ({@code x.transpose(0, 1)}, as {@code _VF.lstm} and {@code nn.MultiheadAttention} do), and a
     * sequence-first one is fed {@code (L, N, F)}, modelcost's tensor with the batch and the steps swapped, which is contiguous
     * where modelcost's tensor was written so (code for a sequence-first layer lays out its tensors steps first) and otherwise
     * as that view's transpose is (a batch-first layer's output transposed back is).
     */
    public static boolean projectsContiguous(Shape x, boolean batchFirst, long batch) {
        if (!batchFirst && x.strides() == null) {
            return true;
        }
        long[] sizes = x.fullSizes(batch);
        long[] strides = x.strides(batch);
        if (sizes.length >= 2) {
            swap(sizes, 0, 1);
            swap(strides, 0, 1);
        }
        return contiguous(sizes, strides);
    }

    /**
     * A batch-first recurrent layer's or attention's output as PyTorch gives it: the steps' outputs, {@code L x N x F}, transposed
     * to {@code N x L x F}, a view that is not contiguous above a batch of 1 and one step; {@code output} itself where not
     * {@code batchFirst}.
     */
    static Shape batchFirstOutput(Shape output, boolean batchFirst, long batch) {
        if (!batchFirst) {
            return output;
        }
        long features = output.last();
        return output.viewedAs(new long[] {features, Math.multiplyExact(batch, features), 1});
    }

    /** Swaps two values of an array in place. */
    static void swap(long[] values, int i, int j) {
        long value = values[i];
        values[i] = values[j];
        values[j] = value;
    }

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
