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
            boolean runEnds = axis == 0 || sizes[axis - 1] != 1 && !stepsAs(strides[axis - 1], runElements, runStride);
            if (!runEnds) {
                continue;
            }
            // the new axes that make up this run
            while (next >= 0 && (viewElements < runElements || newSizes[next] == 1)) {
                if (viewElements > runElements / newSizes[next]) {
                    return null; // the new axis reaches past the run
                }
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

    /**
     * Whether an axis of {@code stride} steps over a run of {@code elements} of {@code runStride}, as one with it: its stride is
     * their product. A product past 64 bits (the run of a permuted tensor of many elements, whose inner axes step far) is no stride.
     */
    private static boolean stepsAs(long stride, long elements, long runStride) {
        return Math.multiplyHigh(elements, runStride) == 0 && elements * runStride >= 0 && elements * runStride == stride;
    }

    /**
     * Whether {@code x.reshape(...)} to {@code output}'s sizes copies: where {@code x} is not contiguous and its strides cannot be
     * viewed as those sizes ({@link #view}), as PyTorch's {@code reshape} decides ({@code flatten} is one).
     */
    public static boolean reshapeCopies(Shape x, Shape output, long batch) {
        return !x.contiguous(batch) && view(x.fullSizes(batch), x.strides(batch), output.fullSizes(batch)) == null;
    }

    /**
     * The elements PyTorch 1.13's {@code torch.matmul} copies of each operand of {@code x @ y}, or of {@code x @ yᵀ} where
     * {@code transposeB}, for {@code batch} samples: 0 where it reads the operand as it is. From {@code matmul} and
     * {@code should_fold} ({@code aten/src/ATen/native/LinearAlgebra.cpp}): an operand of three axes or more times one of two or
     * fewer folds its leading axes into rows ({@code reshape(-1, n)}), a copy where they do not step through memory as one, but for
     * an operand of three axes whose last two are transposed ({@code permute(0, 2, 1)}), which goes to {@code bmm} as it is; an
     * operand of two axes first, times one of more, folds the latter's transpose, and the product is transposed back and made
     * contiguous ({@code output.mT().contiguous()}): a copy of the output, the product held beside it until it returns. Otherwise
     * each operand is {@code expand}ed to the broadcast batch axes and reshaped to {@code (b, n, m)}, a copy where those axes do not
     * step as one (the heads of attention written out, transposed from a projection, above a batch of 1). Each copy of an operand
     * lives while the product runs and is what autograd saves in the operand's place. Measured on PyTorch 1.13, CPU:
     * {@code tools/pytorch/measure_copies.py}.
     *
     * @return the elements copied of {@code x}, of {@code y}, and of the product where it is transposed back (the output's)
     */
    public static long[] matmulCopies(Shape x, Shape y, boolean transposeB, long batch) {
        return matmulCopies(operand(x, batch, false), operand(y, batch, transposeB));
    }

    /**
     * The elements {@code nn.Linear} copies of its input {@code x} for {@code batch} samples: {@code F.linear} runs an input of two
     * axes with a bias as {@code addmm}, views a contiguous one of three axes with a bias, and runs any other as
     * {@code torch.matmul} by the weight's transpose ({@link #matmulCopies}), which folds it.
     */
    public static long linearCopies(Shape x, boolean bias, long batch) {
        long[][] input = operand(x, batch, false);
        int rank = input[0].length;
        if (bias && (rank == 2 || rank == 3 && x.contiguous(batch))) {
            return 0;
        }
        return matmulCopies(input, new long[][] {{1, 1}, {1, 1}})[0];
    }

    private static long[] matmulCopies(long[][] a, long[][] b) {
        int d1 = a[0].length;
        int d2 = b[0].length;
        long[] copied = new long[3];
        if (d1 <= 2 && d2 <= 2) {
            return copied;
        }
        if (folds(a, d2)) {
            copied[0] = foldCopy(a);
            return copied;
        }
        if (folds(b, d1)) {
            long[][] t1 = transposed(b);
            copied[1] = foldCopy(t1);
            if (d1 == 2) {
                // the product of the fold, rows of t1 by the first operand's rows, transposed back and made contiguous: a copy where
                // that transpose is not contiguous, the product held beside it
                long[] sizes = t1[0].clone();
                sizes[sizes.length - 1] = a[0][0];
                long[] strides = dense(sizes);
                swap(sizes, sizes.length - 1, sizes.length - 2);
                swap(strides, strides.length - 1, strides.length - 2);
                if (!contiguous(sizes, strides)) {
                    copied[2] = Checks.product(sizes);
                }
            }
            return copied;
        }
        int lead = Math.max(d1, d2) - 2;
        long[] batchAxes = new long[lead];
        for (int i = 0; i < lead; i++) {
            batchAxes[i] = Math.max(batchAxis(a, i, lead), batchAxis(b, i, lead));
        }
        copied[0] = expandedCopy(a, batchAxes);
        copied[1] = expandedCopy(b, batchAxes);
        return copied;
    }

    /** {@code should_fold}: whether an operand of three axes or more, times one of {@code other} axes, folds into rows. */
    private static boolean folds(long[][] t, int other) {
        long[] sizes = t[0];
        long[] strides = t[1];
        if (sizes.length < 3 || other > 2) {
            return false;
        }
        // first the slowest, then the last two transposed: bmm reads each matrix transposed, where a fold would copy
        return !(sizes.length == 3 && other == 2 && strides[2] != 1 && strides[0] == Math.multiplyExact(sizes[1], sizes[2]));
    }

    /** The elements of {@code t.reshape(-1, n)} where that copies, else 0. */
    private static long foldCopy(long[][] t) {
        long rows = Checks.product(java.util.Arrays.copyOf(t[0], t[0].length - 1));
        long last = t[0][t[0].length - 1];
        return view(t[0], t[1], new long[] {rows, last}) == null ? Math.multiplyExact(rows, last) : 0;
    }

    /** The size of batch axis {@code i} of {@code lead} of an operand aligned to the right, 1 where it has none. */
    private static long batchAxis(long[][] t, int i, int lead) {
        int own = Math.max(t[0].length - 2, 0);
        int j = i - (lead - own);
        return j >= 0 ? t[0][j] : 1;
    }

    /** An operand's sizes and strides as PyTorch holds it: the batch first where it has one; its last two axes swapped where transposed. */
    private static long[][] operand(Shape x, long batch, boolean transposed) {
        long[] sizes = x.fullSizes(batch);
        long[] strides = x.strides(batch);
        if (!x.batched()) {
            sizes = java.util.Arrays.copyOfRange(sizes, 1, sizes.length);
            strides = java.util.Arrays.copyOfRange(strides, 1, strides.length);
        }
        long[][] held = {sizes, strides};
        return transposed ? transposed(held) : held;
    }

    /** The sizes and strides with the last two axes swapped ({@code mT}); as they are with fewer than two. */
    private static long[][] transposed(long[][] held) {
        long[] sizes = held[0].clone();
        long[] strides = held[1].clone();
        if (sizes.length >= 2) {
            swap(sizes, sizes.length - 1, sizes.length - 2);
            swap(strides, strides.length - 1, strides.length - 2);
        }
        return new long[][] {sizes, strides};
    }

    /** The elements of an operand expanded to {@code batchAxes} and reshaped to (b, n, m) where that copies, else 0. */
    private static long expandedCopy(long[][] operand, long[] batchAxes) {
        long[] sizes = operand[0];
        long[] strides = operand[1];
        long n = sizes.length >= 2 ? sizes[sizes.length - 2] : 1;
        long m = sizes[sizes.length - 1];
        long nStride = sizes.length >= 2 ? strides[sizes.length - 2] : 0;
        long mStride = strides[sizes.length - 1];
        int lead = batchAxes.length;
        long[] expanded = new long[lead + 2];
        long[] expandedStrides = new long[lead + 2];
        int own = Math.max(sizes.length - 2, 0);
        long b = 1;
        for (int i = 0; i < lead; i++) {
            int j = i - (lead - own);
            expanded[i] = batchAxes[i];
            expandedStrides[i] = j >= 0 && sizes[j] == batchAxes[i] ? strides[j] : 0;
            b = Math.multiplyExact(b, batchAxes[i]);
        }
        expanded[lead] = n;
        expandedStrides[lead] = nStride;
        expanded[lead + 1] = m;
        expandedStrides[lead + 1] = mStride;
        return view(expanded, expandedStrides, new long[] {b, n, m}) == null ? Math.multiplyExact(b, Math.multiplyExact(n, m)) : 0;
    }
}
