package dev.modelcost.processor.layers;

import dev.modelcost.processor.diag.Diagnostic;
import java.util.ArrayList;
import java.util.List;

/**
 * Formulas of the operations that only rearrange, pick or broadcast elements: flatten, reshape, expand,
 * permute, transpose, select, slice, chunk and channel shuffle. They cost nothing (PyTorch gives views, or
 * copies that no counter counts) and keep token ids token ids. Dimension attributes count the batch
 * as 0, as PyTorch's do; negative ones count from the end.
 */
final class Shaping {
    private Shaping() {}

    static LayerResult flatten(Attrs a, Inputs in) {
        Shape x = in.shape();
        int full = x.rank() + 1;
        long start = a.number("startDim");
        long end = a.number("endDim");
        long s = start < 0 ? start + full : start;
        long e = end < 0 ? end + full : end;
        if (s < 1 || s >= full || e < 0 || e >= full) {
            // PyTorch: "Dimension out of range (expected to be in range of [-3, 2], but got 3)"; the batch is not flattened here
            throw new LayerFailure(Diagnostic.FLATTEN_DIMS, s < 1 || s >= full ? "startDim" : "endDim", start, end, full);
        }
        if (s > e) {
            // PyTorch: "flatten() has invalid args: start_dim cannot come after end_dim"
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "startDim", a.kind(), "startDim", start, "at or before endDim = " + end
                    + " (dimension " + e + " of " + full + ", batch included), as PyTorch's flatten takes them");
        }
        List<Integer> dims = new ArrayList<>();
        List<String> axes = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            int d = i + 1;
            if (d <= s || d > e) {
                dims.add(x.dim(i));
                axes.add(x.axis(i));
            } else {
                int last = dims.size() - 1;
                dims.set(last, Checks.fit(Math.multiplyExact((long) dims.get(last), x.dim(i))));
                axes.set(last, axes.get(last) + "*" + x.axis(i));
            }
        }
        if (dims.size() == 1) {
            axes = List.of("F");
        }
        List<String> written = written(a, dims.size());
        return same(reshapedView(x, x.reshaped(dims, written != null ? written : axes), in.batch()));
    }

    /** {@code x.reshape(batch, *shape)}: the batch stays; one size may be -1 (inferred). */
    static LayerResult reshape(Attrs a, Inputs in) {
        Shape x = in.shape();
        List<Long> wanted = a.list("shape");
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < wanted.size(); i++) {
            long size = wanted.get(i);
            if (size == -1 && inferred < 0) {
                inferred = i;
            } else if (size < 1) {
                throw new LayerFailure(Diagnostic.RESHAPE_ELEMENTS, "shape", a.kind(), x, x.elements(), wanted,
                        "every size must be at least 1, and one may be -1");
            } else {
                known = Math.multiplyExact(known, size);
            }
        }
        long elements = x.elements();
        if (wanted.isEmpty()) {
            // x.reshape(B) or x.reshape(-1) at batch 1: every tensor here keeps an axis besides the batch.
            throw new LayerFailure(Diagnostic.RESHAPE_ELEMENTS, "shape", a.kind(), x, elements, wanted,
                    "a tensor of the batch axis alone is not modelled; keep one axis besides it, shape = {" + elements + "} (x.reshape(B, "
                            + elements + "))");
        }
        List<Integer> dims = new ArrayList<>();
        for (long size : wanted) {
            dims.add(Checks.fit(size == -1 ? elements / known : size));
        }
        if (elements % known != 0 || (inferred < 0 && known != elements) || (inferred >= 0 && elements / known < 1)) {
            throw new LayerFailure(Diagnostic.RESHAPE_ELEMENTS, "shape", a.kind(), x, elements, wanted,
                    "the sizes must multiply to " + elements);
        }
        return same(reshapedView(x, x.reshaped(dims, layout(a, dims.size(), x, dims)), in.batch()));
    }

    /**
     * {@code x.expand(batch, *sizes)}: each axis of size 1 repeated to its size, a view whose stride on it is 0; {@code -1} keeps an
     * axis, as does its own size. One size per axis of the input, the batch not among them.
     */
    static LayerResult expand(Attrs a, Inputs in) {
        Shape x = in.shape();
        List<Long> wanted = a.list("sizes");
        if (wanted.size() != x.rank()) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "sizes", a.kind(), "sizes", wanted, "one size per axis of the input " + x
                    + ", " + x.rank() + " (the batch not among them; -1 keeps an axis)");
        }
        List<Integer> dims = new ArrayList<>(x.dims());
        long[] strides = x.strides(in.batch());
        for (int i = 0; i < x.rank(); i++) {
            long size = wanted.get(i);
            if (size == -1 || size == x.dim(i)) {
                continue;
            }
            if (size < 1) {
                throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "sizes", a.kind(), "sizes", wanted, "-1 (kept) or at least 1 each, not " + size);
            }
            if (x.dim(i) != 1) {
                // PyTorch: "The expanded size of the tensor (16) must match the existing size (2) at non-singleton dimension 1"
                throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "sizes", a.kind(), "sizes", wanted, "the input's size or -1 on axis "
                        + x.axis(i) + ", which holds " + x.dim(i) + ": only an axis of size 1 is expanded, as PyTorch's expand refuses any other");
            }
            dims.set(i, Checks.fit(size));
            strides[i + 1] = 0;
        }
        return same(x.reshaped(dims, x.axes()).viewedAs(strides));
    }

    /** {@code x.permute(*dims)} with PyTorch's dims, the batch (0) first. */
    static LayerResult permute(Attrs a, Inputs in) {
        Shape x = in.shape();
        List<Long> order = a.list("dims");
        int full = x.rank() + 1;
        boolean[] seen = new boolean[full];
        boolean valid = order.size() == full;
        List<Integer> normalized = new ArrayList<>();
        for (long d : order) {
            long n = d < 0 ? d + full : d;
            if (n < 0 || n >= full || seen[(int) n]) {
                valid = false;
                break;
            }
            seen[(int) n] = true;
            normalized.add((int) n);
        }
        if (!valid || normalized.get(0) != 0) {
            throw new LayerFailure(Diagnostic.NOT_A_PERMUTATION, "dims", a.kind(), order,
                    valid ? "moves the batch (dimension 0), which stays first here" : "is not a permutation of the " + full + " dimensions (batch included)",
                    !valid ? "list each of 0 to " + (full - 1) + " once" : normalized.equals(List.of(1, 0, 2)) && x.batched()
                            // x.permute(1, 0, 2) to sequence-first, as PyTorch code does around a layer of batch_first = False
                            ? "keep 0 first: the batch is not permuted; where the code makes the tensor sequence-first for a layer of "
                                    + "batch_first = False (CLIP's x.permute(1, 0, 2) around nn.MultiheadAttention; an nn.LSTM's input), "
                                    + "leave out this permute and the one back: shapes here are batch-first always, and the layer's "
                                    + "batchFirst = false counts the same"
                            : "keep 0 first: the batch is not permuted; to split the tensor along dimension " + normalized.get(0) + " as timm's "
                                    + "qkv.permute(2, 0, 3, 1, 4).unbind(0) does, take each part with @Select(dim = " + normalized.get(0)
                                    + ", index = i) and permute what is left (the same views)");
        }
        List<Integer> dims = new ArrayList<>();
        List<String> axes = new ArrayList<>();
        for (int i = 1; i < full; i++) {
            dims.add(x.dim(normalized.get(i) - 1));
            axes.add(x.axis(normalized.get(i) - 1));
        }
        long[] before = x.strides(in.batch());
        long[] after = new long[full];
        for (int i = 0; i < full; i++) {
            after[i] = before[normalized.get(i)];
        }
        return same(x.reshaped(dims, axes).viewedAs(after));
    }

    /** {@code x.transpose(dim0, dim1)}. */
    static LayerResult transpose(Attrs a, Inputs in) {
        Shape x = in.shape();
        int i = Checks.dim(a, "dim0", a.number("dim0"), x);
        int j = Checks.dim(a, "dim1", a.number("dim1"), x);
        List<Integer> dims = new ArrayList<>(x.dims());
        List<String> axes = new ArrayList<>(x.axes());
        java.util.Collections.swap(dims, i, j);
        java.util.Collections.swap(axes, i, j);
        long[] strides = x.strides(in.batch());
        Strides.swap(strides, i + 1, j + 1);
        return same(x.reshaped(dims, axes).viewedAs(strides));
    }

    /** {@code x.select(dim, index)}, as {@code x[:, 0]}: drops the axis. */
    static LayerResult select(Attrs a, Inputs in) {
        Shape x = in.shape();
        int d = Checks.dim(a, "dim", a.number("dim"), x);
        index(a, "index", a.number("index"), x.dim(d));
        if (x.rank() == 1) {
            throw new LayerFailure(Diagnostic.DIM_RANGE, "dim", a.kind(), "dim", a.number("dim"), "does not fit", 2, x.batched()
                    ? "selecting from a tensor of one axis would leave only the batch"
                    : "selecting from a tensor of one axis and no batch (positions) would leave a single number, which no layer here takes; "
                    + "slice one position instead (@Slice(start = -1))");
        }
        long index = a.number("index") < 0 ? a.number("index") + x.dim(d) : a.number("index");
        Shape one = x.sliced(d, index, index, 1, 1);
        List<Integer> dims = new ArrayList<>(x.dims());
        List<String> axes = new ArrayList<>(x.axes());
        dims.remove(d);
        axes.remove(d);
        // Ids stay in order where the axis dropped is not theirs.
        long[] before = x.strides(in.batch());
        long[] after = new long[before.length - 1];
        for (int k = 0, o = 0; k < before.length; k++) {
            if (k != d + 1) {
                after[o++] = before[k];
            }
        }
        return same(new Shape(dims, axes, x.ids(), one.idBound(), x.batched(), x.idsInOrder() && d < x.rank() - 1).viewedAs(after));
    }

    /** {@code x[..., start:end:step]} along {@code dim}, with Python's clamping of start and end. */
    static LayerResult slice(Attrs a, Inputs in) {
        Shape x = in.shape();
        int d = Checks.dim(a, "dim", a.number("dim"), x);
        long size = x.dim(d);
        int step = a.atLeast("step", 1);
        long start = clamp(a.number("start"), size);
        long end = clamp(a.number("end"), size);
        long length = end <= start ? 0 : (end - start + step - 1) / step;
        if (length < 1) {
            throw new LayerFailure(Diagnostic.INDEX_RANGE, "start", a.kind(), "slice", a.number("start") + ":" + a.number("end"),
                    "is empty on an axis of size " + size);
        }
        long[] strides = x.strides(in.batch());
        strides[d + 1] = Math.multiplyExact(strides[d + 1], step);
        return same(x.sliced(d, start, start + (length - 1) * step, step, (int) length).viewedAs(strides));
    }

    /**
     * One chunk, as {@code x.chunk(chunks, dim)[index]}: PyTorch's chunks are {@code ceil(n / chunks)}
     * long, the last one shorter, and there may be fewer than {@code chunks} of them; a negative
     * index counts from the last.
     */
    static LayerResult chunk(Attrs a, Inputs in) {
        Shape x = in.shape();
        int d = Checks.dim(a, "dim", a.number("dim"), x);
        int chunks = a.atLeast("chunks", 1);
        long n = x.dim(d);
        long size = (n + chunks - 1) / chunks;
        long count = (n + size - 1) / size;
        long index = a.number("index");
        long i = index < 0 ? index + count : index;
        if (i < 0 || i >= count) {
            throw new LayerFailure(Diagnostic.CHUNK_INDEX, "index", index, count);
        }
        long length = Math.min(size, n - i * size);
        return same(x.sliced(d, i * size, i * size + length - 1, 1, (int) length).viewedAs(x.strides(in.batch())));
    }

    static LayerResult channelShuffle(Attrs a, Inputs in) {
        Shape x = in.shape();
        int groups = a.atLeast("value", 1);
        if (x.channels() % groups != 0) {
            throw new LayerFailure(Diagnostic.GROUPS_NOT_DIVIDING, "value", a.kind(), "groups", groups, "the input channels", x.channels());
        }
        return same(x);
    }

    /**
     * {@code torch.roll(x, shifts, dims)}: the same shape, written anew. One shift per axis of {@code dims} (each counting the batch as
     * 0, which is not rolled here), or one shift of the flattened tensor where {@code dims} is empty, as PyTorch aligns them.
     */
    static LayerResult roll(Attrs a, Inputs in) {
        Shape x = in.shape();
        List<Long> shifts = a.list("shifts");
        List<Long> dims = a.list("dims");
        if (dims.isEmpty() && shifts.size() != 1) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "shifts", a.kind(), "shifts", shifts,
                    "one shift where dims is empty (the flattened tensor is rolled), or one per axis of dims");
        }
        if (!dims.isEmpty() && dims.size() != shifts.size()) {
            // PyTorch: "shifts and dimensions must align. shifts: 1, dims:2"
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "dims", a.kind(), "dims", dims, "one axis per shift, " + shifts.size()
                    + " as shifts = " + shifts + " has, as PyTorch's roll aligns them");
        }
        for (long d : dims) {
            Checks.dim(a, "dims", d, x);
        }
        return same(x);
    }

    /**
     * The axis names a reshape gives: the {@code layout} attribute; else those of the input at the
     * same rank; else the input's names for the leading sizes it keeps, and {@code d2, d3, ...} after.
     */
    private static List<String> layout(Attrs a, int rank, Shape x, List<Integer> dims) {
        List<String> written = written(a, rank);
        if (written != null) {
            return written;
        }
        if (rank == x.rank()) {
            return x.axes();
        }
        // Leading sizes the reshape keeps keep their names (a sequence stays L); the new axes are d2, d3, ...
        java.util.List<String> names = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            boolean kept = i == names.size() && i < x.rank() && dims.get(i) == x.dim(i) && (i == 0 || names.get(i - 1).equals(x.axis(i - 1)));
            names.add(kept ? x.axis(i) : Layouts.fresh("d" + (i + 1), names));
        }
        return names;
    }

    /** The axis names the {@code layout} attribute gives a result of {@code rank} axes; null where it is empty. */
    private static List<String> written(Attrs a, int rank) {
        String written = a.text("layout");
        if (written.isEmpty()) {
            return null;
        }
        List<String> names = Layouts.parse(written);
        if (names == null || names.size() != rank) {
            LayerFailure failure = new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "layout", a.kind(), "layout", "'" + written + "'",
                    Layouts.wanted(rank) + ": " + Layouts.whyNot(written) + "; " + Layouts.NAMES);
            // A text that is no list of distinct names is wrong whatever the sizes; the rank may follow them.
            throw names == null ? failure.atAnySize() : failure;
        }
        return names;
    }

    private static long clamp(long index, long size) {
        long i = index < 0 ? index + size : index;
        return Math.max(0, Math.min(size, i));
    }

    /** An index into an axis of {@code size}; negative counts from the end. */
    static long index(Attrs a, String name, long index, long size) {
        long i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw new LayerFailure(Diagnostic.INDEX_RANGE, name, a.kind(), name, index, "is out of range for an axis of size " + size);
        }
        return i;
    }

    /**
     * {@code x.reshape(...)} as {@code out}: a view with the strides it can keep, else a contiguous copy; contiguous (no strides)
     * wherever PyTorch counts the result contiguous, a view of one step as much as a copy of many.
     */
    private static Shape reshapedView(Shape x, Shape out, long batch) {
        if (x.contiguous(batch)) {
            return out;
        }
        Shape view = out.viewedAs(Strides.view(x.fullSizes(batch), x.strides(batch), out.fullSizes(batch)));
        return view.contiguous(batch) ? out : view;
    }

    private static LayerResult same(Shape out) {
        return new LayerResult(out, Costs.ZERO);
    }
}
