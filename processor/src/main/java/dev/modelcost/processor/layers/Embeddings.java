package dev.modelcost.processor.layers;

import dev.modelcost.processor.diag.Diagnostic;
import java.util.ArrayList;
import java.util.List;

/**
 * Formulas of the operations that hold tables: {@code nn.Embedding} (a lookup: no MACs, no
 * other ops; {@code num_embeddings · embedding_dim} parameters), and a learned tensor
 * ({@code nn.Parameter}) or a buffer used as a step, whose output is the tensor itself.
 */
final class Embeddings {
    private Embeddings() {}

    /** Marks {@code padding_idx = None} in {@code @Embedding}. */
    static final long NO_PADDING = Integer.MIN_VALUE;

    static LayerResult embedding(Attrs a, Inputs in) {
        Shape x = in.shape();
        if (!x.ids()) {
            throw new LayerFailure(Diagnostic.INPUT_DTYPE, null, a.kind(), "token ids", in.source(), x.describe(),
                    "declare the model input with tokens = true, or feed it from one");
        }
        int vocab = a.required("numEmbeddings");
        int dim = a.required("embeddingDim");
        long padding = a.number("paddingIdx");
        if (padding != NO_PADDING && (padding >= vocab || padding < -vocab)) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "paddingIdx", a.kind(), "paddingIdx", padding,
                    "in [-" + vocab + ", " + (vocab - 1) + "] (or left out for None)");
        }
        if (x.idBound() > vocab) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "numEmbeddings", a.kind(), "numEmbeddings", vocab,
                    "at least " + x.idBound() + ", the ids " + in.source() + " gives (up to " + (x.idBound() - 1) + ")");
        }
        List<Integer> dims = new ArrayList<>(x.dims());
        List<String> axes = new ArrayList<>(x.axes());
        dims.add(dim);
        axes.add(Layouts.fresh("D", axes));
        long params = Math.multiplyExact((long) vocab, dim);
        return new LayerResult(new Shape(dims, axes, false, 0, x.batched()),
                Costs.of(Figure.PARAMS, params).with(Figure.EMBEDDING_PARAMS, params), List.of(vocab, dim));
    }

    /**
     * {@code torch.arange(x.shape[dim])}: position ids 0 .. n - 1, an {@code L} of token ids without the batch, as Hugging Face's
     * GPT-2 and BERT build them ({@code (1, L)}), so that what reads them broadcasts against the batch.
     */
    static LayerResult arange(Attrs a, Inputs in) {
        Shape x = in.shape();
        int length = x.dim(Checks.dim(a, "dim", a.number("dim"), x));
        long start = a.number("start");
        if (start < 0) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "start", a.kind(), "start", start, "at least 0: the ids index an Embedding's rows");
        }
        return new LayerResult(new Shape(List.of(length), List.of("L"), true, Math.addExact(start, length), false, true), Costs.ZERO);
    }

    /**
     * T5's relative position bias ({@code T5Attention.compute_bias}): the queries' length from the first input's sequence axis,
     * the keys' from the second's (else the same), an {@code nn.Embedding(numBuckets, numHeads)} of the buckets of their
     * distances, as {@code 1 x numHeads x L_q x L_k} without the batch. The bucketing divides by the count of exact buckets and
     * by the logarithm of {@code maxDistance} over it: Python's division fails where the first is zero; where the logarithm is 0
     * or below, the far buckets come out NaN or negative, and the lookup fails (an IndexError) once a distance reaches them.
     */
    static LayerResult relativePositionBias(Attrs a, Inputs in) {
        int heads = a.required("numHeads");
        long given = a.number("numBuckets");
        boolean bidirectional = a.flag("bidirectional");
        if (given < (bidirectional ? 4 : 2)) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "numBuckets", a.kind(), "numBuckets", given, "at least "
                    + (bidirectional ? "4 when bidirectional (half of them each way, half of those exact)" : "2 (half of them exact)")
                    + ": PyTorch divides by the count of exact buckets");
        }
        int buckets = a.checked("numBuckets", given, 1);
        int exact = exactBuckets(buckets, bidirectional);
        long distance = a.number("maxDistance");
        if (distance <= exact) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "maxDistance", a.kind(), "maxDistance", distance, "above " + exact
                    + ", the count of exact buckets: the buckets past them grow with log(distance / " + exact + ") / log(maxDistance / "
                    + exact + "), NaN or negative at or below it, which the lookup refuses");
        }
        int queries = sequenceLength(a, in, 0);
        int keys = in.count() > 1 ? sequenceLength(a, in, 1) : queries;
        List<String> axes = biasAxes(in);
        long params = Math.multiplyExact((long) buckets, heads);
        // values.permute([2, 0, 1]).unsqueeze(0) of the (L_q, L_k, heads) lookup: a view, the heads innermost in memory
        long pairs = Math.multiplyExact((long) queries, keys);
        Shape out = Shape.of(List.of(heads, queries, keys), axes).unbatched()
                .viewedAs(new long[] {Math.multiplyExact(pairs, heads), 1, Math.multiplyExact((long) keys, heads), heads});
        return new LayerResult(out, Costs.of(Figure.PARAMS, params).with(Figure.EMBEDDING_PARAMS, params), List.of(buckets, heads));
    }

    /**
     * Swin's window bias ({@code get_relative_position_bias}): a {@code (2·Wh − 1)·(2·Ww − 1) x heads} table looked up by
     * {@code N²} relative offsets, {@code N = Wh·Ww}, permuted to {@code heads x N x N} and made contiguous; no batch axis.
     */
    static LayerResult windowRelativePositionBias(Attrs a, Inputs in) {
        int heads = a.required("numHeads");
        List<Long> window = a.list("window");
        if (window.isEmpty()) {
            throw new LayerFailure(Diagnostic.MISSING_ATTRIBUTE, null, a.kind(), "'window'");
        }
        if (window.size() > 2) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "window", a.kind(), "window", window, "one size (a square window) or two, {Wh, Ww}");
        }
        int wh = a.checked("window", window.get(0), 1);
        int ww = a.checked("window", window.get(window.size() - 1), 1);
        long n = Math.multiplyExact((long) wh, ww);
        long offsets = Math.multiplyExact(2L * wh - 1, 2L * ww - 1);
        List<String> axes = biasAxes(in);
        Shape out = Shape.of(List.of(heads, Checks.fit(n), Checks.fit(n)), axes).unbatched();
        long params = Math.multiplyExact(offsets, heads);
        return new LayerResult(out, Costs.of(Figure.PARAMS, params));
    }

    /** The values Swin's window bias looks up before it permutes them into a contiguous copy: as many as its output, held while it runs. */
    static final OpKind.Scratch WINDOW_BIAS_LOOKUP = (a, in, out, b, dtype) -> dtype.bytes(out.elements());

    /** The axes of a position bias to add to attention scores: the heads, the queries' positions and the keys' ({@code H, L, L2}). */
    private static List<String> biasAxes(Inputs in) {
        String sequence = in.conventions().sequenceAxis();
        List<String> axes = new ArrayList<>(List.of("H", sequence, sequence + "2"));
        axes.set(0, Layouts.fresh("H", axes.subList(1, 3)));
        return axes;
    }

    /** The buckets of exact distances: a quarter of them where they tell both ways apart, half where not ({@code max_exact}). */
    private static int exactBuckets(int buckets, boolean bidirectional) {
        return (bidirectional ? buckets / 2 : buckets) / 2;
    }

    /** The length of an input on the model's sequence axis. */
    private static int sequenceLength(Attrs a, Inputs in, int index) {
        Shape x = in.shape(index);
        int axis = x.axes().indexOf(in.conventions().sequenceAxis());
        if (axis < 0) {
            throw new LayerFailure(Diagnostic.INPUT_RANK_MISMATCH, null, a.kind(), "a sequence (an axis named " + in.conventions().sequenceAxis()
                    + ") as", in.source(index), x.describe(), "feed it the queries (or, second, the keys) whose positions it relates");
        }
        return x.dim(axis);
    }

    /**
     * What T5's bucketing holds while it runs, beyond its output (measured with PyTorch 1.13 for Hugging Face's code): the two
     * aranges ({@code 8·(L_q + L_k)} bytes), and, as {@code int64}, {@code L_q·L_k} differences and buckets, six of them at the
     * most with a mask of booleans when bidirectional, five looking back only; then, with the output, the differences and the
     * buckets that the lookup reads. Every tensor but the output is {@code int64} or boolean at any dtype.
     */
    static final OpKind.Scratch RELATIVE_POSITION_SCRATCH = new OpKind.Scratch() {
        @Override
        public long bytes(Attrs attrs, List<Shape> inputs, Shape output, long batch, Dtype dtype) {
            long largest = 0;
            for (long moment : moments(attrs, inputs, output, batch, dtype)) {
                largest = Math.max(largest, moment);
            }
            return largest;
        }

        @Override
        public long[] moments(Attrs attrs, List<Shape> inputs, Shape output, long batch, Dtype dtype) {
            long queries = output.dim(1);
            long keys = output.dim(2);
            long pairs = Math.multiplyExact(queries, keys);
            long aranges = Math.multiplyExact(8L, queries + keys);
            long bucketing = Math.addExact(aranges, Math.addExact(Math.multiplyExact(attrs.flag("bidirectional") ? 48L : 40L, pairs), pairs));
            // the bucketing runs before the output exists: what it holds beyond the output is less the output
            return new long[] {Math.subtractExact(bucketing, dtype.bytes(output.elements())), Math.addExact(aranges, Math.multiplyExact(16L, pairs)), 0};
        }
    };

    /** What autograd saves of it: the lookup's indices, the {@code L_q·L_k} buckets as {@code int64}, once whatever the batch. */
    static final Autograd RELATIVE_POSITION_SAVES = Autograd.of(Autograd.Tensors.NONE,
            (a, in, out, b, dtype) -> Math.multiplyExact(8L, Math.multiplyExact((long) out.dim(1), out.dim(2))));

    /** {@code nn.Parameter(torch.zeros(shape))} as a step: no input, its shape as output. */
    static LayerResult parameter(Attrs a, Inputs in) {
        return tensor(a, Figure.PARAMS);
    }

    /** {@code self.register_buffer(name, torch.zeros(shape))} read as a step: no input, its shape as output, its elements buffers. */
    static LayerResult buffer(Attrs a, Inputs in) {
        return tensor(a, Figure.BUFFERS);
    }

    private static LayerResult tensor(Attrs a, Figure counted) {
        List<Long> written = a.list("shape");
        if (written.isEmpty() && a.given("shape")) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "shape", a.kind(), "shape", "{}", "one size or more: a 0-dim tensor "
                    + "(torch.ones([])) is written shape = {1} here, the same one element, which broadcasts alike");
        }
        if (written.isEmpty()) {
            throw new LayerFailure(Diagnostic.MISSING_ATTRIBUTE, null, a.kind(), "'shape'");
        }
        List<Integer> dims = new ArrayList<>();
        for (long size : written) {
            dims.add(a.checked("shape", size, 1));
        }
        List<String> axes = Shape.defaultAxes(dims.size());
        String layout = a.text("layout");
        if (!layout.isEmpty()) {
            axes = Layouts.parse(layout);
            if (axes == null || axes.size() != dims.size()) {
                LayerFailure failure = new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "layout", a.kind(), "layout", "'" + layout + "'",
                        Layouts.wanted(dims.size()) + ": " + Layouts.whyNot(layout) + "; " + Layouts.NAMES);
                throw axes == null ? failure.atAnySize() : failure;
            }
        }
        return new LayerResult(Shape.of(dims, axes).unbatched(), Costs.of(counted, Checks.product(dims)));
    }
}
