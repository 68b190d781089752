package dev.modelcost.processor.layers;

import dev.modelcost.processor.diag.Diagnostic;
import java.util.ArrayList;
import java.util.List;

/**
 * Formulas of attention: PyTorch's fused {@code nn.MultiheadAttention}, and the batched matrix
 * product that writes any attention by hand.
 *
 * <p>MultiheadAttention on a query {@code L_q x E}, key {@code L_k x kdim} and value
 * {@code L_k x vdim} with H heads of {@code d = E / H}: the four projections cost
 * {@code L·in·E} MACs each (bias adds in FLOPs); the attention itself is two batched products,
 * {@code Q·Kᵀ = H·L_q·L_k·d} and {@code A·V = H·L_q·L_k·d} MACs, also counted as
 * {@link Figure#MATMUL_MACS} ({@code L_k} grows by 1 with {@code add_bias_kv} and with
 * {@code add_zero_attn}). With {@code isCausal}, the query–key pairs {@code L_q·L_k} are counted as
 * {@code @Model(causal)} says, as for {@code scaled_dot_product_attention} (see {@link Decoding}):
 * all of them ({@code dense}, the default), those the mask keeps ({@code causal-exact}, bottom-right
 * aligned; more queries than keys is refused) or half ({@code causal-half}). Other ops: scaling the
 * query (1 per element), softmax (5 per score counted) and, with {@code isCausal}, adding the mask (1
 * per score counted). Parameters follow PyTorch's layout:
 * {@code in_proj_weight} (3E·E) when {@code kdim = vdim = E}, else {@code q/k/v_proj_weight};
 * {@code in_proj_bias} (3E), {@code out_proj} (E·E + E), {@code bias_k}/{@code bias_v} (E each).
 * The attention weights are not returned ({@code need_weights=False}, as TransformerEncoderLayer
 * calls it). Its {@link Figure#KV_CACHE} is the projected keys and values, {@code 2·E·L_k} per batch
 * element, as an incremental decoder (fairseq's, Hugging Face's) keeps them: a decoder's
 * self-attention keeps its past positions', a cross-attention the memory's ({@code bias_k} and
 * {@code bias_v} are parameters, not cache).
 */
final class Attention {
    private Attention() {}

    /**
     * What {@code nn.MultiheadAttention} holds while it runs, besides its inputs and output, at inference. Off PyTorch 1.13's fused
     * fast path, as {@code F.multi_head_attention_forward} runs: the in-projection (a packed output and contiguous copies of its
     * slices where query, key and value are one tensor, or key and value are one with {@code kdim = vdim = embed_dim}; three
     * projections otherwise, the key's and the value's each with a copy of its input where a batch-first input above a batch of 1
     * is a transposed view), the scaled query, the
     * scores and their softmax ({@code H·L·S} each, both live while the softmax runs), the probabilities until it returns, and the
     * heads' output with its contiguous copy before the output projection. On the fast path ({@code _native_multi_head_attention},
     * taken with {@code batch_first}, self-attention, dropout 0 (any inside a {@code @FastPath} block), no {@code bias_k}/{@code bias_v}
     * or zero key, no mask and an even number of heads; {@link FastPath#multihead}), as its CPU kernel runs: the packed projection {@code 3·L·E} with its copy in
     * heads, then that copy with the scores {@code H·L·L} (softmaxed in place), then that copy with the heads' output and the
     * output projection's result. Those three moments, each less the output, in elements for the whole batch; the largest is the
     * scratch ({@link OpKind.Scratch.Moments}). Measured op by op, {@code need_weights=False} as {@code nn.Transformer}'s layers
     * call it: off the fast path with a dispatch-level liveness tracker, on it with {@code torch.profiler}'s allocations inside the
     * fused op.
     */
    static long[] multiheadScratch(Attrs a, List<Shape> inputs, Shape output, long batch) {
        boolean self = selfAttention(a, inputs);
        boolean keyIsValue = !self && a.sameInput(1, 2);
        long heads = a.number("numHeads");
        long lq = inputs.get(0).dim(0);
        long e = output.last();
        if (FastPath.multihead(a, inputs)) {
            long query = Math.multiplyExact(lq, e);
            long projected = Math.multiplyExact(3, query);
            long scores = Math.multiplyExact(heads, Math.multiplyExact(lq, lq));
            return new long[] {Math.multiplyExact(batch, Math.multiplyExact(2, projected) - query),
                    Math.multiplyExact(batch, Math.addExact(projected, scores) - query), Math.multiplyExact(batch, Math.addExact(projected, query))};
        }
        long positions = self ? lq : inputs.get(1).dim(0);
        long kdim = inputs.get(self ? 0 : 1).last();
        long vdim = inputs.get(self ? 0 : inputs.size() - 1).last();
        // kdim or vdim other than embed_dim: three projections of weights of their own, whichever tensors are one (_in_projection)
        boolean packedWeights = kdim == e && vdim == e;
        long lk = keysAttended(a, positions);
        long query = Math.multiplyExact(lq, e);
        long keys = Math.multiplyExact(lk, e);
        long scores = Math.multiplyExact(heads, Math.multiplyExact(lq, lk));
        // q, k and v in heads: contiguous copies of the packed projection's slices, or the three projections. Batch-first inputs above
        // a batch of 1 are transposed views, which linear copies before projecting: three projections hold the key's copy with the
        // query's projection and the key's, then the value's copy with all three (a packed projection's slices' copies hold more).
        long qkv = Math.addExact(query, Math.multiplyExact(2, keys));
        long projection = qkv;
        if (a.flag("batchFirst") && batch > 1) {
            long keyMoment = Math.addExact(Math.addExact(query, keys), Math.multiplyExact(positions, kdim));
            projection = Math.max(keyMoment, Math.addExact(qkv, Math.multiplyExact(positions, vdim)));
        }
        if (self) {
            projection = Math.multiplyExact(2, qkv);
        } else if (keyIsValue && packedWeights) {
            projection = Math.addExact(qkv, Math.multiplyExact(2, keys));
        }
        long softmax = Math.addExact(Math.addExact(qkv, query), Math.multiplyExact(2, scores));
        // the heads' output, then its contiguous copy and the output projection's result (the heads' output freed between them)
        long end = Math.addExact(Math.addExact(qkv, query), Math.addExact(scores, Math.multiplyExact(2, query)));
        return new long[] {Math.multiplyExact(batch, projection - query), Math.multiplyExact(batch, softmax - query),
                Math.multiplyExact(batch, end - query)};
    }

    /**
     * One decoding step of {@code nn.MultiheadAttention} (see {@link OpKind.CachedStep}), as an incremental decoder (fairseq's)
     * runs it: the query's and output's projections of one position; where the key and value hold the decoded positions
     * (self-attention) the key's and value's projections of that position too, whose projected row it appends to the cache
     * ({@code 2·E} elements a sample, written at the cache's dtype), and none in cross-attention (the memory's keys and values are
     * cached); then one query a head on the {@code S} cached keys ({@code bias_k} and a zero key appended where asked),
     * {@code 2·H·S·d} MACs. Other ops: the query's scaling and 5 a score (softmax, no mask on the last query). Its bytes: the
     * weights of the projections it runs (and {@code bias_k}, {@code bias_v}), the query and output at one position (and the key
     * and value rows where they are other tensors), the whole cache read and the appended row.
     */
    static Costs multiheadStep(Attrs a, List<Shape> inputs, long batch, Conventions conventions, Dtype activations, Dtype weights, boolean newKeys) {
        long e = inputs.get(0).last();
        long heads = a.number("numHeads");
        long d = e / heads;
        boolean bias = a.flag("bias");
        int key = inputs.size() == 3 ? 1 : 0;
        long kdim = inputs.get(key).last();
        long vdim = inputs.get(inputs.size() == 3 ? 2 : 0).last();
        long cached = inputs.get(key).dim(0);
        long keys = keysAttended(a, cached);
        long rows = Math.multiplyExact(batch, e);
        Costs costs = Checks.weighted(rows, e, bias, 0).plus(Checks.weighted(rows, e, bias, 0));
        long params = Math.multiplyExact(2 * e, e + (bias ? 1 : 0)) + (a.flag("addBiasKv") ? 2 * e : 0);
        long read = Math.multiplyExact(2, rows);
        long appended = 0;
        if (newKeys) {
            costs = costs.plus(Checks.weighted(rows, kdim, bias, 0)).plus(Checks.weighted(rows, vdim, bias, 0));
            params = Math.addExact(params, Math.multiplyExact(e, kdim + vdim + (bias ? 2 : 0)));
            appended = Math.multiplyExact(2, rows);
            if (inputs.size() == 3 && !a.sameInput(0, 1)) {
                read = Math.addExact(read, Math.multiplyExact(batch, kdim));
            }
            if (inputs.size() == 3 && !a.sameInput(0, 2) && !a.sameInput(1, 2)) {
                read = Math.addExact(read, Math.multiplyExact(batch, vdim));
            }
        }
        long bh = Math.multiplyExact(batch, heads);
        long scores = Math.multiplyExact(bh, keys);
        costs = costs.plus(Checks.matmul(scores, d)).plus(Costs.of(Figure.MACS, Math.multiplyExact(scores, d))
                .with(Figure.FLOPS, Decoding.weightedSumFlops(bh, d, keys, 1)));
        long ops = Math.addExact(rows, Math.multiplyExact(scores, 5));
        long cache = Math.multiplyExact(Math.multiplyExact(batch, cached), 2 * e);
        long bytes = Math.addExact(Math.addExact(weights.bytes(params), activations.bytes(read)),
                Math.multiplyExact(Math.addExact(cache, appended), conventions.kvCacheBytes()));
        return Costs.of(Figure.MACS, costs.macs()).with(Figure.FLOPS, costs.flops()).with(Figure.OTHER_OPS, ops).with(Figure.BYTES_MOVED, bytes);
    }

    /** Whether query, key and value are one tensor: one input, or three {@code @From} names of one. */
    static boolean selfAttention(Attrs a, List<Shape> inputs) {
        return inputs.size() == 1 || a.sameInput(0, 1) && a.sameInput(1, 2);
    }

    /** The keys each query attends: the key's positions, and {@code bias_k} and a zero key where addBiasKv and addZeroAttn append them. */
    private static long keysAttended(Attrs a, long positions) {
        return positions + (a.flag("addBiasKv") ? 1 : 0) + (a.flag("addZeroAttn") ? 1 : 0);
    }

    static LayerResult multiheadAttention(Attrs a, Inputs in) {
        // multi_head_attention_forward drops out only in training and above 0, where F.dropout refuses a rate above 1
        Checks.rate(a, "dropout", "a dropout rate (in training PyTorch refuses one above 1, \"dropout probability has to be between 0 and 1\", "
                + "and drops nothing at one below 0)");
        if (in.count() == 2) {
            throw new LayerFailure(Diagnostic.ARITY, null, a.kind(), "1 input (self-attention) or 3 inputs (query, key, value)", in.count());
        }
        int value = in.count() == 3 ? 2 : 0;
        int key = in.count() == 3 ? 1 : 0;
        Shape q = Checks.rank(a, in, 0, 2, "an L,E query");
        Shape k = Checks.rank(a, in, key, 2, "an L,E key");
        Shape v = Checks.rank(a, in, value, 2, "an L,E value");
        int embed = q.last();
        Checks.declared(a, "embedDim", embed, in, "features");
        int heads = a.required("numHeads");
        if (embed % heads != 0) {
            throw new LayerFailure(Diagnostic.GROUPS_NOT_DIVIDING, "numHeads", a.kind(), "numHeads", heads, "embedDim", embed);
        }
        int kdim = a.orElse("kdim", embed);
        int vdim = a.orElse("vdim", embed);
        features(a, "kdim", kdim, in, key, k.last(), "key features");
        features(a, "vdim", vdim, in, value, v.last(), "value features");
        if (k.dim(0) != v.dim(0)) {
            throw new LayerFailure(Diagnostic.MERGE_SHAPES, null, a.kind(), "a key of " + k.dim(0) + " and a value of " + v.dim(0)
                    + " positions (key and value must have the same length)");
        }
        boolean bias = a.flag("bias");
        long b = in.batch();
        long lq = q.dim(0);
        long lk = keysAttended(a, k.dim(0));
        long d = embed / heads;
        long e = embed;
        Costs costs = Checks.weighted(Math.multiplyExact(b, lq * e), e, bias, 0)
                .plus(Checks.weighted(Math.multiplyExact(b, k.dim(0) * e), kdim, bias, 0))
                .plus(Checks.weighted(Math.multiplyExact(b, v.dim(0) * e), vdim, bias, 0))
                .plus(Checks.weighted(Math.multiplyExact(b, lq * e), e, bias, 0));
        boolean causal = a.flag("isCausal");
        String convention = causal ? in.conventions().causal() : "dense";
        if (causal && lq > lk) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "isCausal", a.kind(), "isCausal", true,
                    "false for " + lq + " queries on " + lk + " keys: modelcost counts a causal mask aligned bottom-right, as a KV cache aligns it, "
                    + "and the first " + (lq - lk) + " queries would see no key (PyTorch 2's is_causal aligns it top-left, which is not counted)");
        }
        // The query–key pairs counted: every one, or under a causal mask as @Model(causal) says (as scaled_dot_product_attention counts them).
        long pairs = Decoding.pairs(convention, lq, lk, Long.MAX_VALUE);
        long bh = Math.multiplyExact(b, heads);
        long scores = Math.multiplyExact(bh, pairs);
        Costs av = Costs.of(Figure.MACS, Math.multiplyExact(scores, d)).with(Figure.FLOPS, Decoding.weightedSumFlops(bh, d, pairs, lq))
                .with(Figure.MATMUL_MACS, Math.multiplyExact(scores, d));
        costs = costs.plus(Checks.matmul(scores, d)).plus(av);
        if (causal) {
            // A decoding step is the last query on every key, whatever the convention: its query's and output's projections, the keys'
            // and values' of its own position where they are the queries' tensor (self-attention; a cross-attention's memory is
            // projected once), and the dense products of one query. A query more than the keys would be refused above, so the step
            // is not found by running the formula one position longer.
            long step = Math.addExact(Math.multiplyExact(b, Math.multiplyExact(e, e)), Math.multiplyExact(b, Math.multiplyExact(e, e)));
            if (key == 0 || a.sameInput(0, key)) {
                step = Math.addExact(step, Math.multiplyExact(b, Math.multiplyExact(e, kdim)));
            }
            if (value == 0 || a.sameInput(0, value)) {
                step = Math.addExact(step, Math.multiplyExact(b, Math.multiplyExact(e, vdim)));
            }
            costs = costs.with(Figure.DECODE_MACS, Math.addExact(step, Math.multiplyExact(2, Math.multiplyExact(bh, Math.multiplyExact(lk, d)))));
        }
        // What a decoding step keeps: the projected keys and values (E features each) of every key position; bias_k and bias_v are
        // parameters, and add_zero_attn's zeros are made anew.
        long cache = Math.multiplyExact(Math.multiplyExact(b, k.dim(0)), 2 * e);
        costs = costs.with(Figure.KV_CACHE, cache).with(Figure.KV_CACHE_BYTES, Math.multiplyExact(cache, in.conventions().kvCacheBytes()));
        long weights = Math.addExact(Math.multiplyExact(e, e + kdim + vdim), Math.multiplyExact(e, e));
        long biases = (bias ? 4 * e : 0) + (a.flag("addBiasKv") ? 2 * e : 0);
        long ops = Math.addExact(Math.multiplyExact(b, lq * e), Math.multiplyExact(scores, causal ? 6 : 5));
        costs = costs.with(Figure.PARAMS, Math.addExact(weights, biases)).with(Figure.OTHER_OPS, ops);
        return new LayerResult(Strides.batchFirstOutput(Shape.of(List.of(q.dim(0), embed), q.axes()), a.flags().getOrDefault("batchFirst", false), b), costs);
    }

    /**
     * The copies {@code torch.matmul} makes of its operands ({@link Strides#matmulCopies}), held while it runs, and the product
     * before its contiguous copy where it transposes it back (an operand of two axes first).
     */
    static final OpKind.Scratch MATMUL_COPIES = (a, in, out, b, dtype) -> {
        long[] copied = Strides.matmulCopies(in.get(0), in.get(1), a.flag("transposeB"), b);
        return dtype.bytes(Math.addExact(Math.addExact(copied[0], copied[1]), copied[2]));
    };

    /** A product saves each operand where the other requires grad, or the copy {@code torch.matmul} made of it in its place. */
    static final Autograd MATMUL_SAVES = Autograd.PRODUCT.copyingInputs(new Autograd.Copies() {
        @Override
        public int of(Attrs a, List<Shape> in, int index, long b) {
            return elements(a, in, index, b) > 0 ? 1 : -1;
        }

        @Override
        public long elements(Attrs a, List<Shape> in, int index, long b) {
            return Strides.matmulCopies(in.get(0), in.get(1), a.flag("transposeB"), b)[index];
        }
    });

    /**
     * {@code torch.matmul(a, b)} (or {@code a @ b.transpose(-2, -1)} with {@code transposeB}) of
     * two tensors of rank 2 or more: the leading axes broadcast, the last two multiply.
     */
    static LayerResult matMul(Attrs a, Inputs in) {
        Shape x = in.shape(0);
        Shape y = in.shape(1);
        if (x.rank() < 2 || y.rank() < 2) {
            int bad = x.rank() < 2 ? 0 : 1;
            // A shape leaves out the batch: PyTorch's (N, D) feature after a pooling is one axis here, as a @Parameter of one axis is.
            throw new LayerFailure(Diagnostic.INPUT_RANK_MISMATCH, null, a.kind(), "matrices (2 or more axes)", in.source(bad),
                    in.shape(bad).describe(), "a vector has one axis here, one a sample (shapes leave out the batch) or a @Parameter's: for x @ W with a weight W, "
                            + "write @Linear(bias = false) (its weight is W transposed, the same parameters); else @Reshape the vector to "
                            + (bad == 0 ? "[1, n]" : "[n, 1]") + " before the product and back after it");
        }
        boolean transposed = a.flag("transposeB");
        int m = x.dim(x.rank() - 2);
        int k = x.last();
        int kb = transposed ? y.last() : y.dim(y.rank() - 2);
        int n = transposed ? y.dim(y.rank() - 2) : y.last();
        if (k != kb) {
            throw new LayerFailure(Diagnostic.MATMUL_INNER, null, a.kind(), in.source(0), x, in.source(1), y + (transposed ? " transposed" : ""), k, kb,
                    "check which operand is transposed (transposeB)");
        }
        int rank = Math.max(x.rank(), y.rank());
        Merges.alignedOnTheBatch(a, in);
        int lead = rank - 2;
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < lead; i++) {
            int ix = i - (rank - x.rank());
            int iy = i - (rank - y.rank());
            int sx = ix >= 0 ? x.dim(ix) : 1;
            int sy = iy >= 0 ? y.dim(iy) : 1;
            if (sx != sy && sx != 1 && sy != 1) {
                throw new LayerFailure(Diagnostic.MERGE_SHAPES, null, a.kind(), in.source(0) + " " + x + " and " + in.source(1) + " " + y
                        + " (the leading dimensions must be equal or 1)");
            }
            dims.add(Math.max(sx, sy));
        }
        dims.add(m);
        dims.add(n);
        Shape widest = x.rank() >= y.rank() ? x : y;
        List<String> axes = new ArrayList<>(widest.axes().subList(0, rank - 2));
        axes.add(x.axis(x.rank() - 2));
        axes.add(transposed ? y.axis(y.rank() - 2) : y.axis(y.rank() - 1));
        if (axes.get(rank - 1).equals(axes.get(rank - 2))) {
            // Q·Kᵀ of L x D by L x D: the second L is the keys', named apart.
            axes.set(rank - 1, axes.get(rank - 1) + "2");
        }
        if (axes.stream().distinct().count() != axes.size()) {
            axes = Shape.defaultAxes(rank);
        }
        Shape out = new Shape(dims, axes, false, 0, x.batched() || y.batched());
        return new LayerResult(out, Checks.matmul(in.batchElements(out), k));
    }

    /**
     * The key's or the value's features against {@code kdim} or {@code vdim}, as written or by default {@code embedDim}: neither is
     * inferred, so the fix is to write it.
     */
    private static void features(Attrs a, String name, int expected, Inputs in, int input, int actual, String unit) {
        if (actual != expected) {
            throw new LayerFailure(Diagnostic.FEATURES_MISMATCH, a.given(name) ? name : null, a.kind(), name, expected,
                    a.given(name) ? "" : ", its default (embedDim)", in.source(input), actual, unit, name, actual);
        }
    }
}
