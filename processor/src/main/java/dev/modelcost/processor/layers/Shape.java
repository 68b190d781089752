package dev.modelcost.processor.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A tensor shape without the batch dimension, with a name for each axis (its layout) and whether
 * it holds integer token ids rather than floating-point values.
 *
 * <p>Axis names are the layout a model declares ({@code C,H,W} for images, {@code L,D} for token
 * sequences, {@code L} for token ids, {@code C,T,H,W} for video) and follow the tensor through
 * every operation: a permutation permutes them, a flatten joins them with {@code *}. A shape built
 * without names gets the default layout of its rank: {@code F}; {@code L,D}; {@code C,H,W};
 * {@code C,T,H,W}; beyond that {@code d1,d2,...}.
 *
 * @param dims the dimensions, each at least 1
 * @param axes the axis names, one per dimension
 * @param ids whether the tensor holds integer token ids (as {@code nn.Embedding} takes)
 * @param idBound for token ids whose largest is known (positions from an arange, their slices and
 *     concatenations), that largest plus one; 0 when unknown
 * @param idsInOrder whether those ids count up by one along the last axis, as an arange's do, so that
 *     a slice of that axis knows its largest
 * @param batched whether the tensor has the batch dimension in front (every activation); a learned
 *     tensor ({@code @Parameter}) has not, and broadcasts against the batch
 * @param strides PyTorch's strides in elements, the batch first (or the leading axis of 1 of a tensor without one), where the
 *     tensor is a view (a transpose, a slice) or laid out as one (an activation of a transposed view); null for a tensor written
 *     contiguous, as most operations write one ({@link Strides}). A view keeps its strides where PyTorch counts it contiguous
 *     ({@link #contiguous} says)
 */
public record Shape(List<Integer> dims, List<String> axes, boolean ids, long idBound, boolean batched, boolean idsInOrder, List<Long> strides) {

    /**
     * The first axis of a recurrent layer's state ({@code h_n}, {@code c_n}): its layers times directions, which PyTorch lays out
     * before the batch, {@code (num_layers · directions, N, H)}, whatever {@code batch_first}.
     */
    public static final String STATE_AXIS = "layers";

    /** The image layout that 2-D convolution, pooling and BatchNorm2d take. */
    public static final List<String> IMAGE = List.of("C", "H", "W");

    /** Copies the dimensions and checks that every axis has a name. */
    public Shape {
        dims = List.copyOf(dims);
        axes = List.copyOf(axes);
        if (axes.size() != dims.size()) {
            throw new IllegalArgumentException(axes + " for " + dims);
        }
        if (strides != null && strides.size() != dims.size() + 1) {
            throw new IllegalArgumentException(strides + " for " + dims);
        }
        strides = strides == null ? null : List.copyOf(strides);
    }

    /** A contiguous shape. */
    public Shape(List<Integer> dims, List<String> axes, boolean ids, long idBound, boolean batched, boolean idsInOrder) {
        this(dims, axes, ids, idBound, batched, idsInOrder, null);
    }

    /** A shape whose ids, if any, are in no known order. */
    public Shape(List<Integer> dims, List<String> axes, boolean ids, long idBound, boolean batched) {
        this(dims, axes, ids, idBound, batched, false);
    }

    /** A batched shape whose ids, if any, are of unknown range. */
    public Shape(List<Integer> dims, List<String> axes, boolean ids) {
        this(dims, axes, ids, 0, true);
    }

    /**
     * Other dimensions and axis names, the same kind of values (ids, their largest, the batch); ids
     * stay in order where the last axis does (an arange given an axis of one in front).
     */
    public Shape reshaped(List<Integer> dims, List<String> axes) {
        boolean inOrder = idsInOrder && !dims.isEmpty() && dims.get(dims.size() - 1).equals(last());
        return new Shape(dims, axes, ids, idBound, batched, inOrder);
    }

    /** The same tensor without the batch dimension: a learned tensor. */
    public Shape unbatched() {
        return new Shape(dims, axes, ids, idBound, false, idsInOrder);
    }

    /**
     * The elements at indices {@code first}, {@code first + step}, ... up to {@code last} along
     * {@code axis}, {@code length} of them: ids in order along that axis keep their largest (the one
     * at {@code last}); ids in no known order keep theirs only where every index is taken.
     */
    public Shape sliced(int axis, long first, long last, long step, int length) {
        Shape out = withDim(axis, length);
        if (idBound == 0) {
            return out;
        }
        boolean alongOrder = idsInOrder && axis == rank() - 1;
        if (alongOrder) {
            return new Shape(out.dims, axes, ids, idBound - dim(axis) + last + 1, batched, step == 1);
        }
        boolean whole = first == 0 && length == dim(axis);
        return new Shape(out.dims, axes, ids, idsInOrder || whole ? idBound : 0, batched, idsInOrder);
    }

    /** A floating-point shape of the given dimensions in the default layout of its rank. */
    public static Shape of(int... dims) {
        return new Shape(Arrays.stream(dims).boxed().collect(Collectors.toList()), defaultAxes(dims.length), false);
    }

    /** A floating-point shape with named axes. */
    public static Shape of(List<Integer> dims, List<String> axes) {
        return new Shape(dims, axes, false);
    }

    /** The default axis names of a rank. */
    public static List<String> defaultAxes(int rank) {
        switch (rank) {
            case 1: return List.of("F");
            case 2: return List.of("L", "D");
            case 3: return IMAGE;
            case 4: return List.of("C", "T", "H", "W");
            default:
                List<String> names = new ArrayList<>();
                for (int i = 1; i <= rank; i++) {
                    names.add("d" + i);
                }
                return names;
        }
    }

    /** How many dimensions. */
    public int rank() {
        return dims.size();
    }

    /** The dimensions PyTorch holds the tensor with: its axes, and the batch before them where it has one. */
    public int torchRank() {
        return dims.size() + (batched ? 1 : 0);
    }

    /** One dimension. */
    public int dim(int index) {
        return dims.get(index);
    }

    /** One axis name. */
    public String axis(int index) {
        return axes.get(index);
    }

    /** The first dimension: channels of an image, features of a vector. */
    public int channels() {
        return dims.get(0);
    }

    /** The last dimension: the features a {@code Linear} reads. */
    public int last() {
        return dims.get(dims.size() - 1);
    }

    /**
     * Whether PyTorch puts the batch second in this tensor: a recurrent layer's state ({@code h_n}, {@code c_n}) and what keeps its
     * first axis in place (a norm, a linear layer, a reduction of its last axis), {@code (num_layers · directions, N, H_out)}
     * whatever {@code batch_first}.
     */
    public boolean batchSecond() {
        return batched && rank() >= 1 && axis(0).equals(STATE_AXIS);
    }

    /** Whether the layout is {@code C,H,W}. */
    public boolean isImage() {
        return axes.equals(IMAGE);
    }

    /**
     * The shape PyTorch broadcasts {@code shapes} to, aligned from the right: each dimension the largest, the axis names those of
     * the shape of the highest rank; null where a dimension is neither equal to the others nor 1.
     */
    public static Shape broadcast(List<Shape> shapes) {
        Shape widest = shapes.stream().max((x, y) -> Integer.compare(x.rank(), y.rank())).orElseThrow();
        int rank = widest.rank();
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        for (Shape shape : shapes) {
            int offset = rank - shape.rank();
            for (int i = 0; i < shape.rank(); i++) {
                int dim = shape.dim(i);
                int have = out[offset + i];
                if (have != dim && have != 1 && dim != 1) {
                    return null;
                }
                out[offset + i] = Math.max(have, dim);
            }
        }
        List<Integer> dims = new ArrayList<>();
        for (int dim : out) {
            dims.add(dim);
        }
        boolean batched = shapes.stream().anyMatch(Shape::batched);
        return new Shape(dims, widest.axes(), false, 0, batched);
    }

    /** The same shape with one dimension replaced. */
    public Shape withDim(int index, int value) {
        List<Integer> copy = new ArrayList<>(dims);
        copy.set(index, value);
        return new Shape(copy, axes, ids, idBound, batched, idsInOrder);
    }

    /** The sizes of the whole tensor for {@code batch} samples: the batch (1 for a tensor without one), then the dimensions. */
    public long[] fullSizes(long batch) {
        long[] sizes = new long[dims.size() + 1];
        sizes[0] = batched ? batch : 1;
        for (int i = 0; i < dims.size(); i++) {
            sizes[i + 1] = dims.get(i);
        }
        return sizes;
    }

    /** PyTorch's strides of the whole tensor for {@code batch} samples, the batch first. */
    public long[] strides(long batch) {
        return strides == null ? Strides.dense(fullSizes(batch)) : strides.stream().mapToLong(Long::longValue).toArray();
    }

    /** Whether PyTorch holds the tensor, for {@code batch} samples, contiguous ({@code is_contiguous()}). */
    public boolean contiguous(long batch) {
        return strides == null || Strides.contiguous(fullSizes(batch), strides(batch));
    }

    /**
     * The same shape as a view with {@code strides} (the batch first), or contiguous where they are null. A view keeps its strides
     * even where PyTorch counts it contiguous (a transpose of one step is), so that a model's structure (which repetitions are
     * alike) is the same at every size; {@link #contiguous} says what PyTorch would.
     */
    public Shape viewedAs(long[] strides) {
        return new Shape(dims, axes, ids, idBound, batched, idsInOrder, strides == null ? null : java.util.Arrays.stream(strides).boxed().toList());
    }

    /** The number of elements for one sample; throws {@link ArithmeticException} on overflow. */
    public long elements() {
        long count = 1;
        for (int dim : dims) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    /** Bytes of one token id: PyTorch's {@code torch.long}, as {@code nn.Embedding} takes them. */
    public static final int ID_BYTES = 8;

    /**
     * Bytes of this tensor for {@code batch} samples (one when it has no batch dimension), at
     * {@code dtype}, or at 8 bytes an element for token ids.
     */
    public long bytes(long batch, Dtype dtype) {
        long count = batched ? Math.multiplyExact(batch, elements()) : elements();
        return ids ? Math.multiplyExact(ID_BYTES, count) : dtype.bytes(count);
    }

    /**
     * Bytes of the memory this tensor refers to for {@code batch} samples, at {@code dtype} (8 an element for token ids): as
     * {@link #bytes}, but a broadcast view (an {@code expand}, stride 0 on an axis longer than 1) refers to each element of its
     * storage once, however many positions repeat it, as a kernel that reads it through its strides fetches it.
     */
    public long storageBytes(long batch, Dtype dtype) {
        if (strides == null) {
            return bytes(batch, dtype);
        }
        long[] sizes = fullSizes(batch);
        long[] steps = strides(batch);
        long count = 1;
        for (int i = 0; i < sizes.length; i++) {
            count = Math.multiplyExact(count, steps[i] == 0 ? 1 : sizes[i]);
        }
        return ids ? Math.multiplyExact(ID_BYTES, count) : dtype.bytes(count);
    }

    /** The dimensions as an array. */
    public int[] toArray() {
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The layout as written in {@code @Model}: {@code C,H,W}. */
    public String layout() {
        return String.join(",", axes);
    }

    /** The shape and its layout for messages: {@code 64x56x56 (C,H,W)}, or {@code 128 (L, token ids)}. */
    public String describe() {
        return this + " (" + layout() + (ids ? ", token ids" : "") + ")";
    }

    /** The shape as PyTorch prints it, without the batch: {@code 64x56x56}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (int dim : dims) {
            text.append(text.length() == 0 ? "" : "x").append(dim);
        }
        return text.toString();
    }
}
