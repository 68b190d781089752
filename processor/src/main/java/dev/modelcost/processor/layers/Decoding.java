package dev.modelcost.processor.layers;

import dev.modelcost.processor.diag.Diagnostic;
import java.util.List;

/**
 * Formulas of the parts decoder LLMs add: RMSNorm, rotary position embedding and
 * {@code scaled_dot_product_attention} with grouped key/value heads, a causal mask under the
 * model's convention, a sliding window, and its KV cache.
 */
final class Decoding {
    /** The input of attention that is a mask added to its scores ({@code attn_mask}), after the query, the keys and the values. */
    static final int MASK = 3;

    private Decoding() {}

    /** RMSNorm over the last axis: a weight per feature; 3 other ops per element, +1 for the weight. */
    static LayerResult rmsNorm(Attrs a, Inputs in) {
        Shape x = in.shape();
        boolean affine = a.flag("elementwiseAffine");
        long ops = Math.multiplyExact(affine ? 4 : 3, in.batchElements(x));
        return new LayerResult(x, Costs.otherOps(ops).with(Figure.PARAMS, affine ? x.last() : 0));
    }

    /**
     * What RMS norm holds while it runs besides its input and output, as transformers' {@code LlamaRMSNorm} runs in eager
     * PyTorch: {@code h = x.to(float32)} (a copy at a narrower dtype), {@code variance = h.pow(2).mean(-1, keepdim=True)},
     * {@code h = h * torch.rsqrt(variance + eps)}, {@code weight * h.to(input_dtype)}; the locals {@code h} and {@code variance}
     * live to the return. With E elements, R rows and activations of A bytes, the moments beyond input and output: at fp32 the
     * variance and the inverse root while the product is computed (8R), and at the end the fp32 normalized tensor and the
     * variance (4E + 4R); at a narrower dtype, the copy with its square or the product (8E + 8R, less the output not yet
     * written, AE) and at the end the normalized tensor, its cast and the variance (4E + AE + 4R).
     */
    static final OpKind.Scratch RMS_NORM_SCRATCH = new OpKind.Scratch() {
        @Override
        public long bytes(Attrs a, java.util.List<Shape> inputs, Shape output, long batch, Dtype dtype) {
            return java.util.Arrays.stream(moments(a, inputs, output, batch, dtype)).max().orElse(0);
        }

        @Override
        public long[] moments(Attrs a, java.util.List<Shape> inputs, Shape output, long batch, Dtype dtype) {
            long elements = Math.multiplyExact(batch, inputs.get(0).elements());
            long rows = Math.multiplyExact(batch, inputs.get(0).elements() / Math.max(1, inputs.get(0).last()));
            long fp32 = Math.multiplyExact(4L, elements);
            long stats = Math.multiplyExact(4L, rows);
            if (dtype.bits() == 32) {
                return new long[] {Math.multiplyExact(2L, stats), Math.addExact(fp32, stats), 0};
            }
            long narrow = dtype.bytes(elements);
            return new long[] {Math.subtractExact(Math.addExact(Math.multiplyExact(2L, fp32), Math.multiplyExact(2L, stats)), narrow),
                    Math.addExact(Math.addExact(fp32, narrow), stats), 0};
        }
    };

    /** RoPE on an even last axis: 3 other ops per element, no parameters. */
    static LayerResult rotary(Attrs a, Inputs in) {
        Shape x = in.shape();
        long rotated = a.number("rotaryDim");
        if (rotated != -1 && (rotated < 2 || rotated > x.last() || rotated % 2 != 0)) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "rotaryDim", a.kind(), "rotaryDim", rotated, "-1 (every feature), or an even number "
                    + "of features from 2 to the head dimension, " + x.last());
        }
        if (rotated == -1 && x.last() % 2 != 0) {
            throw new LayerFailure(Diagnostic.GROUPS_NOT_DIVIDING, null, a.kind(), "the pair size", 2, "the head dimension", x.last());
        }
        if (a.given("theta") && !(a.decimal("theta") > 0)) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "theta", a.kind(), "theta", a.text("theta"),
                    "above 0: the frequencies are theta ** (-2i / head_dim)");
        }
        // 3 ops a rotated feature: the head's elements, times the share of its features rotated
        long elements = in.batchElements(x);
        long ops = rotated == -1 ? Math.multiplyExact(3, elements) : Math.multiplyExact(3, Math.multiplyExact(elements / x.last(), rotated));
        return new LayerResult(x, Costs.otherOps(ops));
    }

    /**
     * Attention of {@code H x L_q x E} queries on {@code KV x L_k x E} keys and {@code KV x L_k x E_v}
     * values. The pairs counted per head: {@code L_q·L_k} (dense, and for a mask that is not
     * causal); under {@code causal-exact} the pairs the mask keeps, query i (bottom-right aligned)
     * seeing {@code min(L_k − L_q + i + 1, window)} keys; under {@code causal-half} half the dense
     * count (rounded down). MACs are {@code H·pairs·E} and {@code H·pairs·E_v}; the KV cache holds
     * {@code KV·min(L_k, window)·(E + E_v)} elements per sample ({@code E} alone where the values are the keys' first features); a decoding step is the last query
     * on {@code min(L_k, window)} cached keys, itself included. Causal masks are aligned bottom-right,
     * as flash-attention and a KV cache align them (PyTorch's {@code is_causal} aligns top-left when
     * {@code L_q ≠ L_k}); more queries than keys under a causal mask is refused. Other ops: scaling and softmax (1 + 5 per score), +1 per score
     * for the causal mask.
     */
    /**
     * An input of {@code F.scaled_dot_product_attention}: of rank 3, heads first; not one whose axes name the sequence first and
     * something else second ({@code L,H,E} after a reshape by heads), which PyTorch reads as heads of that many positions: the
     * transpose to {@code H,L,E} forgotten.
     */
    private static Shape headsFirst(Attrs a, Inputs in, int index, String what) {
        Shape x = Checks.rank(a, in, index, 3, what);
        String sequence = in.conventions().sequenceAxis();
        if (x.axis(0).equals(sequence) && !x.axis(1).equals(sequence)) {
            throw new LayerFailure(Diagnostic.INPUT_RANK_MISMATCH, null, a.kind(), what, in.source(index), x.describe(),
                    "it attends over the second axis, " + x.axis(1) + " here: transpose the first two before it, as PyTorch's "
                    + "x.transpose(1, 2), with @Transpose(dim0 = 1, dim1 = 2)");
        }
        return x;
    }

    /**
     * What attention written out ({@code explicit}) holds while it runs, besides its output: its scores and its probabilities,
     * {@code 2·H·L_q·L_k}, both live while the softmax runs (each step of {@code softmax(q @ k.transpose(-2, -1) * scale + mask)}
     * allocates its own result, and the one before dies after it; soft-capping's three steps too); and, with fewer key/value heads
     * than query heads, the keys and values repeated to every query head, {@code H·L_k·(E + E_v)}, where they are copies
     * ({@link #repeatsByCopy}), beside the keys and values the caller still holds. A bound: PyTorch's chain
     * frees the query and keys (where nothing else reads them) before the softmax, and makes the output after the scores die, which
     * a leaf's live bytes cannot follow and the same chain written as {@code @MatMul} and {@code @Softmax} fields counts exactly
     * (tools/pytorch/measure_softcap.py measures the bound, and Hugging Face's chain below it). A softmax in fp32 at half precision
     * ({@code softmaxDtype}) holds the scores, their fp32 copy and its fp32 result instead of the two. Fused attention holds nothing
     * of the kind.
     */
    static long scores(Attrs a, List<Shape> inputs, Shape output, long batch, Dtype dtype) {
        if (!a.flag("explicit")) {
            return 0;
        }
        Shape q = inputs.get(0);
        Shape k = inputs.get(1);
        long heads = q.dim(0);
        long elements = scoreElements(batch, q, k);
        long scores = dtype.bytes(elements);
        // an fp32 softmax of half-precision scores: the scores, their fp32 copy and the fp32 result while it runs
        long held = upcastsSoftmax(a, dtype) ? Math.addExact(scores, Math.multiplyExact(2, Dtype.FP32.bytes(elements)))
                : Math.multiplyExact(2, scores);
        long kvHeads = k.dim(0);
        if (repeatsByCopy(heads, kvHeads, batch)) {
            held = Math.addExact(held, dtype.bytes(Math.multiplyExact(Math.multiplyExact(batch, heads),
                    Math.multiplyExact((long) k.dim(1), k.last() + inputs.get(2).last()))));
        }
        return held;
    }

    /** The scores of attention written out, every query head's on every key: {@code batch·H·L_q·L_k}. */
    static long scoreElements(long batch, Shape q, Shape k) {
        return Math.multiplyExact(batch, Math.multiplyExact((long) q.dim(0), Math.multiplyExact((long) q.dim(1), k.dim(1))));
    }

    /**
     * Whether attention written out takes its keys and values, {@code kvHeads} of them under {@code heads} query heads, as copies
     * repeated to every query head: {@code repeat_kv} ({@code expand} then {@code reshape}) copies more than one key/value head; one
     * it repeats as a view of stride 0, which {@code torch.matmul} copies where it folds the batch with the heads, above a batch of
     * 1 (measured: tools/pytorch/measure_softcap.py).
     */
    static boolean repeatsByCopy(long heads, long kvHeads, long batch) {
        return kvHeads < heads && (kvHeads > 1 || batch > 1);
    }

    /**
     * Whether attention written out runs its softmax in fp32 on scores of another dtype ({@code softmaxDtype = "fp32"} at half
     * precision): {@code F.softmax(x, dtype=torch.float32)} copies the scores to fp32 first, and {@code .to(dtype)} copies its
     * result back (measured: tools/pytorch/measure_softcap.py).
     */
    static boolean upcastsSoftmax(Attrs a, Dtype dtype) {
        return a.given("softmaxDtype") && a.text("softmaxDtype").equals("fp32") && !dtype.equals(Dtype.FP32);
    }

    static LayerResult attention(Attrs a, Inputs in) {
        Shape q = headsFirst(a, in, 0, "an H,L,E query");
        Shape k = headsFirst(a, in, 1, "a KV,L,E key");
        Shape v = headsFirst(a, in, 2, "a KV,L,E value");
        long heads = q.dim(0);
        long kvHeads = k.dim(0);
        if (v.dim(0) != kvHeads || k.dim(1) != v.dim(1)) {
            throw Merges.mismatch(a, in, "keys and values must have the same heads and length");
        }
        if (q.last() != k.last()) {
            throw new LayerFailure(Diagnostic.MATMUL_INNER, null, a.kind(), in.source(0), q, in.source(1), k + " transposed", q.last(), k.last(),
                    "give the query and the key the same size on their last axis, E: the attention scores are q times k transposed");
        }
        if (kvHeads != heads && !a.flag("enableGqa")) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "enableGqa", a.kind(), "enableGqa", false,
                    "true for " + kvHeads + " key/value heads under " + heads + " query heads");
        }
        if (heads % kvHeads != 0) {
            throw new LayerFailure(Diagnostic.GROUPS_NOT_DIVIDING, null, a.kind(), "the key/value heads", kvHeads, "the query heads", heads);
        }
        boolean causal = a.flag("isCausal");
        long given = a.number("slidingWindow");
        if (given != -1 && given < 1) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "slidingWindow", a.kind(), "slidingWindow", given,
                    "at least 1 position, or -1 (the default) for no window");
        }
        long window = given == -1 ? Long.MAX_VALUE : a.atLeast("slidingWindow", 1);
        if (window != Long.MAX_VALUE && !causal) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "slidingWindow", a.kind(), "slidingWindow", window,
                    "left out without isCausal: a window looks back from each query");
        }
        long lq = q.dim(1);
        long lk = k.dim(1);
        if (causal && lq > lk) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "isCausal", a.kind(), "isCausal", true,
                    "false for " + lq + " queries on " + lk + " keys: modelcost counts a causal mask aligned bottom-right, as a KV cache aligns it, "
                    + "and the first " + (lq - lk) + " queries would see no key (PyTorch 2's is_causal aligns it top-left, which is not counted)");
        }
        boolean masked = in.count() > MASK;
        if (masked && causal && !a.flag("explicit")) {
            // PyTorch: "_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True"
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "isCausal", a.kind(), "isCausal", true, "false with a mask added to the scores, "
                    + "which F.scaled_dot_product_attention refuses together (add the causal mask to it), or the attention written out "
                    + "(explicit = true), as T5's code writes it");
        }
        if (a.given("scale") && !Double.isFinite(a.decimal("scale"))) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "scale", a.kind(), "scale", a.text("scale"), "a finite number (0 for 1/sqrt(E))")
                    .atAnySize();
        }
        if (a.given("softmaxDtype")) {
            if (!List.of("", "fp32").contains(a.text("softmaxDtype"))) {
                throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "softmaxDtype", a.kind(), "softmaxDtype", "'" + a.text("softmaxDtype") + "'",
                        "'fp32' (F.softmax(..., dtype=torch.float32)), or empty (the default) for the activations' dtype").atAnySize();
            }
            if (!a.text("softmaxDtype").isEmpty() && !a.flag("explicit")) {
                throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "softmaxDtype", a.kind(), "softmaxDtype", "'" + a.text("softmaxDtype") + "'",
                        "empty where the attention is fused (explicit = false): the kernel keeps no probabilities");
            }
        }
        if (a.given("softcap") && !(Double.isFinite(a.decimal("softcap")) && a.decimal("softcap") >= 0)) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "softcap", a.kind(), "softcap", a.text("softcap"),
                    "a finite number above 0 (Gemma 2's 50.0), or 0 (the default) for no soft-capping").atAnySize();
        }
        if (masked) {
            // PyTorch broadcasts the mask to the scores, heads x queries x keys: one of queries x keys is every head's
            Shape mask = in.shape(MASK).rank() == 2 ? in.shape(MASK) : Checks.rank(a, in, MASK, 3, "an H,L,L or L,L mask added to the scores");
            if (mask.rank() == 2 && mask.batched() && in.batch() > 1) {
                // PyTorch aligns the mask's last axes with the scores': a batch of L x S masks meets the heads, not the batch
                throw Merges.mismatch(a, in, "a mask of queries x keys that carries the batch is aligned by PyTorch with the heads, not "
                        + "the batch: give it an axis of 1 for the heads (@Reshape to 1 x " + mask.dim(0) + " x " + mask.dim(1) + ")");
            }
            int rows = mask.rank() - 2;
            if (rows == 1 && !broadcasts(mask.dim(0), heads) || !broadcasts(mask.dim(rows), lq) || !broadcasts(mask.dim(rows + 1), lk)) {
                throw Merges.mismatch(a, in, "the mask added to the scores must be " + heads + " x " + lq + " x " + lk
                        + ", query heads x queries x keys, or " + lq + " x " + lk + " for every head, each axis of it that size or 1");
            }
        }
        long e = q.last();
        long ev = v.last();
        long b = in.batch();
        String convention = causal ? in.conventions().causal() : "dense";
        long pairs = pairs(convention, lq, lk, window);
        long bh = Math.multiplyExact(b, heads);
        long qk = Math.multiplyExact(Math.multiplyExact(bh, pairs), e);
        long av = Math.multiplyExact(Math.multiplyExact(bh, pairs), ev);
        long macs = Math.addExact(qk, av);
        // Q·Kᵀ: 2E − 1 per score; A·V as weightedSumFlops gives it.
        long flops = Math.addExact(Math.multiplyExact(Math.multiplyExact(bh, pairs), 2 * e - 1), weightedSumFlops(bh, ev, pairs, lq));
        long scores = Math.multiplyExact(bh, pairs);
        long ops = Math.multiplyExact(scores, scoreOps(a, causal, masked));
        // A sliding window keeps only its last keys and values (Mistral's rolling cache); values that are the keys' first features
        // (multi-head latent attention) are not cached again.
        boolean valuesInKeys = a.flag("valuesInKeys");
        if (valuesInKeys && ev > e) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "valuesInKeys", a.kind(), "valuesInKeys", true,
                    "false for values of " + ev + " features on keys of " + e + ": the values are the first features of the keys");
        }
        long cache = Math.multiplyExact(Math.multiplyExact(b, kvHeads), Math.multiplyExact(Math.min(lk, window), valuesInKeys ? e : e + ev));
        // A decoding step attends to what the cache keeps: the window's keys under every convention (the conventions count prefill).
        long seen = Math.min(lk, window);
        long decode = Math.multiplyExact(Math.multiplyExact(bh, seen), e + ev);
        Costs costs = Costs.of(Figure.MACS, macs).with(Figure.FLOPS, flops).with(Figure.MATMUL_MACS, macs).with(Figure.OTHER_OPS, ops)
                .with(Figure.KV_CACHE, cache).with(Figure.KV_CACHE_BYTES, Math.multiplyExact(cache, in.conventions().kvCacheBytes()))
                .with(Figure.DECODE_MACS, decode);
        return new LayerResult(Shape.of(List.of(q.dim(0), q.dim(1), v.last()), q.axes()), costs);
    }

    /**
     * One decoding step of {@code scaled_dot_product_attention} (see {@link OpKind.CachedStep}): each query head's one query on
     * the {@code S = min(L_k, window)} keys and values the cache keeps, {@code H·S·(E + E_v)} MACs a sample; FLOPs as the forward
     * pass counts them ({@code 2E − 1} a score, {@code 2S − 1} an output feature), 6 other ops a score (scale, softmax: no causal
     * mask on the last query; one fewer with {@code scale = 1}, one more for an {@code attn_mask}'s add); its bytes the query and output at one position and the cache it reads, as LLM-Viewer's decode stage
     * ({@code load_kv_cache}) counts them. The new position's keys and values are written by the layers that project them.
     */
    static Costs attentionStep(Attrs a, List<Shape> inputs, long batch, Conventions conventions, Dtype activations, Dtype weights, boolean newKeys) {
        Shape q = inputs.get(0);
        Shape k = inputs.get(1);
        Shape v = inputs.get(2);
        long given = a.number("slidingWindow");
        long seen = given == -1 ? k.dim(1) : Math.min(k.dim(1), given);
        long e = q.last();
        long ev = v.last();
        long bh = Math.multiplyExact(batch, q.dim(0));
        long scores = Math.multiplyExact(bh, seen);
        long macs = Math.multiplyExact(scores, e + ev);
        long flops = Math.addExact(Math.multiplyExact(scores, 2 * e - 1), weightedSumFlops(bh, ev, seen, 1));
        long cache = Math.multiplyExact(Math.multiplyExact(batch, k.dim(0)), Math.multiplyExact(seen, a.flag("valuesInKeys") ? e : e + ev));
        long bytes = Math.addExact(activations.bytes(Math.multiplyExact(bh, e + ev)), Math.multiplyExact(cache, conventions.kvCacheBytes()));
        long ops = Math.multiplyExact(scores, scoreOps(a, false, inputs.size() > MASK));
        return Costs.of(Figure.MACS, macs).with(Figure.FLOPS, flops).with(Figure.OTHER_OPS, ops).with(Figure.BYTES_MOVED, bytes);
    }

    /**
     * The other ops of one score: the softmax's 5, the scale's multiply (but at {@code scale = 1}, T5's unscaled scores), the
     * soft-capping's divide, tanh and multiply ({@code softcap}), the causal mask's where it applies, and a mask's add
     * ({@code attn_mask}).
     */
    private static int scoreOps(Attrs a, boolean causal, boolean masked) {
        boolean scaled = !(a.given("scale") && a.decimal("scale") == 1.0);
        return 5 + (scaled ? 1 : 0) + (softcapped(a) ? 3 : 0) + (causal ? 1 : 0) + (masked ? 1 : 0);
    }

    /** Whether the scores are soft-capped ({@code softcap} above 0, Gemma 2's {@code attn_logit_softcapping}). */
    static boolean softcapped(Attrs a) {
        return a.given("softcap") && a.decimal("softcap") > 0;
    }

    /** Whether an axis of {@code size} broadcasts to one of {@code target}: the same size, or 1. */
    private static boolean broadcasts(long size, long target) {
        return size == target || size == 1;
    }

    /**
     * The query–key pairs a head counts under a convention: all {@code L_q·L_k} ({@code dense}, and for a
     * mask that is not causal), those a causal mask keeps ({@code causal-exact}, capped by
     * {@code window}), or half of all, rounded down ({@code causal-half}).
     */
    static long pairs(String convention, long lq, long lk, long window) {
        return switch (convention) {
            case "causal-exact" -> causalPairs(lq, lk, window);
            case "causal-half" -> Math.multiplyExact(lq, lk) / 2;
            default -> Math.multiplyExact(lq, lk);
        };
    }

    /**
     * The FLOPs of the attention-weighted sum A·V for {@code heads} heads (batch included) and {@code features} value features:
     * each output sums the products over the keys its row sees, {@code 2K − 1} for K keys, so {@code 2·pairs − L_q} a head and
     * feature (none where a row sees no key, as under {@code causal-half} with fewer pairs than queries).
     */
    static long weightedSumFlops(long heads, long features, long pairs, long lq) {
        return Math.multiplyExact(Math.multiplyExact(heads, features), Math.max(0, Math.subtractExact(Math.multiplyExact(2, pairs), lq)));
    }

    /**
     * The query–key pairs a causal mask keeps, bottom-right aligned: query i sees
     * {@code clamp(L_k − L_q + i + 1, 0, window)} keys; summed in closed form.
     */
    static long causalPairs(long lq, long lk, long window) {
        long first = lk - lq + 1;
        // Queries that see no key (first + i <= 0), and those that see the whole window (first + i >= window).
        long none = Math.max(0, Math.min(lq, 1 - first));
        long full = window >= Long.MAX_VALUE / 4 ? 0 : Math.max(0, lq - Math.max(0, window - first));
        long lo = none;
        long hi = lq - full;
        long middle = hi > lo ? Math.addExact(Math.multiplyExact(hi - lo, first), (lo + hi - 1) * (hi - lo) / 2) : 0;
        return Math.addExact(middle, Math.multiplyExact(full, Math.min(window, Long.MAX_VALUE / 4)));
    }
}
