package dev.modelcost.processor.layers;

import static dev.modelcost.processor.layers.Autograd.Tensors.INPUTS;
import static dev.modelcost.processor.layers.Autograd.Tensors.NONE;

import java.util.List;

/**
 * What autograd saves of the layer kinds that save more than their inputs or output, as PyTorch's
 * derivatives ({@code tools/autograd/derivatives.yaml}) and CUDA kernels keep them: statistics in
 * fp32, masks as bools, indices as int64.
 */
final class Saves {
    private Saves() {}

    /**
     * {@code native_batch_norm} in training: its input, and {@code save_mean} and {@code save_invstd}, fp32 per channel. It normalises
     * with the batch's own statistics, tracked or not, and PyTorch refuses a batch of one value per channel
     * ({@code _verify_batch_size}).
     */
    static final Autograd BATCH_NORM = Autograd.of(INPUTS, (a, in, out, b, dtype) -> Math.multiplyExact(8L, in.get(0).channels()))
            .refusing(new Autograd.Refusal() {
                @Override
                public String why(Attrs a, List<Shape> in, long b) {
                    return !fewest().refuses(in.get(0), b) ? null : "one value per channel (" + Checks.valuesPerChannelText(b, in.get(0))
                            + "), which it normalises with the batch's own statistics in training, tracked or not; PyTorch refuses it "
                            + "(\"Expected more than 1 value per channel when training\")";
                }

                @Override
                public Fewest fewest() {
                    return Fewest.valuesPerChannel();
                }
            });

    /**
     * Instance norm: its input, a mean and an inverse deviation per channel of every sample (fp32), and what
     * {@code at::instance_norm} repeats once per sample for {@code batch_norm}, which saves the copies: the weight where affine,
     * the running mean and variance where it tracks them (at the activation dtype).
     */
    static final Autograd INSTANCE_NORM = Autograd.of(INPUTS, (a, in, out, b, dtype) -> {
        long perSample = Math.multiplyExact(b, in.get(0).channels());
        long repeated = Math.multiplyExact(perSample, (a.flag("affine") ? 1 : 0) + (a.flag("trackRunningStats") ? 2 : 0));
        return Math.addExact(Math.multiplyExact(8L, perSample), dtype.bytes(repeated));
    }).refusing(new Autograd.Refusal() {
        @Override
        public String why(Attrs a, List<Shape> in, long b) {
            return !fewest().refuses(in.get(0), b) ? null : "one spatial element per channel ("
                    + String.join(" x ", Checks.spatial(in.get(0)).stream().map(String::valueOf).toList()) + "), which it normalises with its own "
                    + "statistics in training, running ones tracked or not; PyTorch refuses it (\"Expected more than 1 spatial element when training\")";
        }

        @Override
        public Fewest fewest() {
            return Fewest.spatialElements();
        }
    });

    /** Group norm: its input, and a mean and an inverse deviation per group of every sample. */
    static final Autograd GROUP_NORM = Autograd.of(INPUTS, (a, in, out, b, dtype) -> Math.multiplyExact(8L, Math.multiplyExact(b, a.number("numGroups"))));

    /** Layer norm: its input, and a mean and an inverse deviation per normalised row. */
    static final Autograd LAYER_NORM = Autograd.of(INPUTS, (a, in, out, b, dtype) -> {
        long normalized = 1;
        List<Long> shape = a.given("normalizedShape") ? a.list("normalizedShape") : List.of();
        for (long n : shape) {
            normalized = Math.multiplyExact(normalized, n);
        }
        return Math.multiplyExact(8L, rows(in.get(0), b, shape.isEmpty() ? in.get(0).last() : normalized));
    });

    /** torchvision's LayerNorm2d (over the channels at each position): its input, and two statistics per position. */
    static final Autograd LAYER_NORM_2D = Autograd.of(INPUTS, (a, in, out, b, dtype) -> Math.multiplyExact(8L, rows(in.get(0), b, in.get(0).channels())));

    /**
     * RMS norm as transformers' {@code LlamaRMSNorm} runs it in fp32 ({@code x.to(float32)}, {@code pow(2).mean(-1)},
     * {@code x * rsqrt(variance + eps)}, {@code weight * x.to(input_dtype)}), PyTorch 1.13's autograd saving: the fp32 input
     * (the input itself at fp32, a copy at a narrower dtype), its square (for {@code mean}), the inverse root mean square per
     * row, and the normalized tensor at the activations' dtype (for the weight), each fp32 but the last. On data (an input that
     * requires no grad) autograd records the weight's product alone, which saves the normalized tensor.
     */
    static final Autograd RMS_NORM = Autograd.of(Autograd.Tensors.FP32_INPUTS, (a, in, out, b, dtype) -> {
        long elements = Math.multiplyExact(b, in.get(0).elements());
        long extra = Math.addExact(Math.multiplyExact(8L, elements), Math.multiplyExact(4L, rows(in.get(0), b, in.get(0).last())));
        // at fp32 the normalized tensor is a new one (the fp32 input is the input, saved as such); else the upcast copy too
        return dtype.bits() == 32 ? extra : Math.addExact(extra, dtype.bytes(elements));
    }).onData((a, in, out, b, dtype) -> dtype.bytes(Math.multiplyExact(b, in.get(0).elements())));

    /** Max pooling: its input, and its int64 indices. */
    static final Autograd MAX_POOL = Autograd.of(INPUTS, (a, in, out, b, dtype) -> Math.multiplyExact(8L, Math.multiplyExact(b, out.elements())));

    /**
     * Dropout in training: a new output, and a bool mask of its size (CUDA's {@code native_dropout}), where {@code p > 0}; at {@code
     * p = 1} the zero it multiplies by ({@link #zeroScalar}).
     */
    static final Autograd DROPOUT = Autograd.of(NONE, (a, in, out, b, dtype) -> a.decimal("p") >= 1 ? zeroScalar(in, dtype)
                    : a.decimal("p") > 0 ? Math.multiplyExact(b, out.elements()) : 0)
            .writing(a -> a.decimal("p") > 0).refusing(new FloatNoiseOnIds("a mask scaled by 1 / (1 - p)"));

    /**
     * Alpha dropout in training ({@code alpha_dropout}, which has no fused kernel): a new output, and the noise it multiplies by, of
     * the input's size at the activation dtype, where {@code p > 0}; at {@code p = 1} the zero it multiplies by ({@link
     * #zeroScalar}). Measured with {@code saved_tensors_hooks} on PyTorch 1.13: between {@code Conv2d(3, 4, 1)} and {@code
     * Conv2d(4, 2, 1)} on 2 x 3 x 4 x 5, 2 x 4 x 4 x 5 values.
     */
    static final Autograd ALPHA_DROPOUT = Autograd.of(NONE, (a, in, out, b, dtype) -> a.decimal("p") >= 1 ? zeroScalar(in, dtype)
                    : a.decimal("p") > 0 ? dtype.bytes(Math.multiplyExact(b, out.elements())) : 0)
            .writing(a -> a.decimal("p") > 0).refusing(new FloatNoiseOnIds("a noise of floats"));

    /**
     * What a dropout saves in training at {@code p = 1}: PyTorch 1.13's {@code _dropout_impl} multiplies the input by a zero scalar
     * of its dtype ({@code at::zeros({}, input.options())}), on any device, and {@code mul} saves it: one value, 4 bytes at fp32
     * (measured with {@code saved_tensors_hooks}). On token ids nothing is recorded: they require no grad.
     */
    private static long zeroScalar(List<Shape> in, Dtype dtype) {
        return dtype.bytes(1);
    }

    /**
     * A dropout given token ids in training with {@code p} between 0 and 1: it multiplies them by {@code noise}, and PyTorch
     * refuses the result (at {@code p = 0} it returns them, at {@code p = 1} it multiplies them by a zero of their own dtype).
     */
    private record FloatNoiseOnIds(String noise) implements Autograd.Refusal {
        @Override
        public String why(Attrs a, List<Shape> in, long b) {
            return a.decimal("p") > 0 && a.decimal("p") < 1 && in.get(0).ids() ? "token ids, which it multiplies by " + noise + " in training; "
                    + "PyTorch refuses it (\"result type Float can't be cast to the desired output type Long\")" : null;
        }

        @Override
        public String fix(String path) {
            return "move " + path + " after the embedding, as models drop embeddings out, or give it p = 0: on token ids it runs at "
                    + "inference only, where it passes them through";
        }
    }

    /**
     * An activation that PyTorch's backward refuses in place with a negative {@code attribute}: {@code leaky_relu_} and
     * {@code elu_} (which {@code celu_} calls with its alpha) save their result, and {@code leaky_relu_backward} and
     * {@code elu_backward} check that the slope is not negative where they recover the gradient from it. Saves its input, which
     * in place is its result.
     *
     * @param attribute the slope's attribute ({@code negativeSlope}, {@code alpha})
     * @param message the start of PyTorch's message ({@code "In-place leakyReLu backward calculation is triggered with a negative slope"})
     */
    static Autograd negativeSlopeInPlace(String attribute, String message) {
        return Autograd.INPUTS.refusing(new Autograd.Refusal() {
            @Override
            public String why(Attrs a, List<Shape> in, long b) {
                double slope = a.decimal(attribute);
                return a.flag("inplace") && slope < 0 ? attribute + " = " + a.text(attribute) + " in place (inplace = true), a negative slope "
                        + "that it recovers the gradient from its result with; PyTorch's backward refuses it (\"" + message
                        + " which is not supported\")" : null;
            }

            @Override
            public boolean inBackward() {
                return true;
            }

            @Override
            public String fix(String path) {
                return "drop inplace = true on " + path + ", as PyTorch's message asks: the layer computes the same out of place";
            }
        });
    }

    /**
     * {@code F.pad}: its input in modes {@code reflect} and {@code replicate}, which run {@code reflection_pad*d} and
     * {@code replication_pad*d} as the modules do, whose backward reads it; nothing in modes {@code constant} and {@code circular}.
     */
    static final Autograd PAD = Autograd.INPUTS.copyingInputs((a, in, index, b) -> List.of("reflect", "replicate").contains(a.text("mode")) ? -1 : 0);

    /**
     * Channel-wise dropout in training ({@code feature_dropout}): a new output, and the noise it multiplies by, saved at the
     * activation dtype, one value for each of the first two dimensions of the input as PyTorch 1.13 runs it, where {@code p > 0}:
     * the batch times the first axis after it, or, where the input is not of {@code batchedRank} axes besides the batch (the
     * rank PyTorch takes as batched; 0 for any), the batch alone (PyTorch adds a dimension of 1 before it). A tensor without the
     * batch (a {@code @Parameter}) is of its own axes alone: its first two, or its first. Measured with {@code saved_tensors_hooks}:
     * {@code Dropout1d} on 2 x 3 x 7 saves 2 x 3 x 1, on 2 x 5 saves 1 x 2 x 1; {@code Dropout2d} on 2 x 3 x 4 x 5 saves 2 x 3 x 1 x 1;
     * {@code Dropout3d} on 2 x 3 x 4 x 5 saves 1 x 2 x 1 x 1 x 1. At {@code p = 1} the zero it multiplies by ({@link #zeroScalar}).
     * {@code FeatureAlphaDropout} ({@code feature_alpha_dropout}) saves as {@code Dropout2d}; both take the input as it is, and
     * PyTorch refuses one of fewer than two dimensions in training ({@link FeatureNoise}).
     */
    static Autograd featureDropout(int batchedRank) {
        return Autograd.of(NONE, (a, in, out, b, dtype) -> {
            if (a.decimal("p") >= 1) {
                return zeroScalar(in, dtype);
            }
            if (a.decimal("p") <= 0) {
                return 0;
            }
            Shape x = in.get(0);
            return dtype.bytes(leading(x, b, batchedRank == 0 || x.torchRank() == batchedRank + 1 ? 2 : 1));
        }).writing(a -> a.decimal("p") > 0).refusing(new FeatureNoise(batchedRank == 0));
    }

    /** The product of the first {@code count} dimensions of a tensor as PyTorch holds it ({@link Shape#torchRank}), of {@code batch} samples. */
    private static long leading(Shape x, long batch, int count) {
        long product = x.batched() ? batch : 1;
        for (int d = 0; d < Math.min(x.rank(), count - (x.batched() ? 1 : 0)); d++) {
            product = Math.multiplyExact(product, x.dim(d));
        }
        return product;
    }

    /**
     * What PyTorch refuses of a channel-wise dropout in training with {@code p} between 0 and 1: token ids, which it multiplies by a
     * noise of floats ({@link FloatNoiseOnIds}), and, where it takes the input as it is ({@code asItIs}: {@code F.dropout2d} and
     * {@code F.feature_alpha_dropout} add no dimension), an input of fewer than two dimensions, whose noise {@code make_feature_noise}
     * cannot shape.
     */
    private record FeatureNoise(boolean asItIs) implements Autograd.Refusal {
        private static final FloatNoiseOnIds IDS = new FloatNoiseOnIds("a noise of floats");

        @Override
        public String why(Attrs a, List<Shape> in, long b) {
            Shape x = in.get(0);
            if (asItIs && a.decimal("p") > 0 && a.decimal("p") < 1 && x.torchRank() < 2) {
                return "a tensor of " + x.torchRank() + " dimension" + (x.torchRank() == 1 ? "" : "s") + " (" + x.describe()
                        + (x.batched() ? " with the batch" : ", no batch") + "), whose channels it drops; PyTorch refuses it "
                        + "(\"Feature dropout requires at least 2 dimensions in the input\")";
            }
            return IDS.why(a, in, b);
        }

        @Override
        public String fix(String path) {
            return !asItIs ? IDS.fix(path) : "give " + path + " a float tensor of two dimensions or more (after the embedding, as models drop "
                    + "embeddings out), or p = 0; of a float tensor of one dimension, @Dropout or @AlphaDropout drops single values";
        }
    }

    /**
     * torchvision's stochastic depth: the noise it multiplies by, one value per sample in mode {@code row} (its shape {@code
     * [input.shape[0]] + [1] * (input.ndim - 1)}: of a tensor without the batch, its first axis), one for the whole batch in mode
     * {@code batch} (its shape {@code [1] * input.ndim}).
     */
    static final Autograd STOCHASTIC_DEPTH = Autograd.of(NONE, (a, in, out, b, dtype) -> a.decimal("p") > 0
                    ? dtype.bytes(a.text("mode").equals("batch") ? 1 : leading(in.get(0), b, 1)) : 0)
            .writing(a -> a.decimal("p") > 0);

    /**
     * {@code nn.MultiheadAttention} as PyTorch's {@code multi_head_attention_forward} runs it in
     * training: its inputs (where an input's steps-first view does not fold into rows without a copy, batch first above a batch
     * of 1, a contiguous copy of it per projection that reads it instead, {@link #projections}); the projected, scaled queries,
     * the keys and the values; the softmax's
     * probabilities, and with dropout their mask and the dropped probabilities; the heads' output
     * that goes into {@code out_proj}. With {@code addBiasKv} and {@code addZeroAttn} the keys and values it saves, and the
     * probabilities, have a row more each (the bias, the zeros). Self-attention's packed projection of one position at a batch of
     * 1 is contiguous already, so {@code _in_projection_packed}'s {@code contiguous()} copies nothing: the keys and values it saves
     * are views of the whole {@code 3·E} projection, whose query third they keep too (measured: 208 bytes at
     * {@code E = 8}, {@code L = 1}, a batch of 1: 200 but for the scaling's float64 scalar, left out as documented).
     */
    static final Autograd MULTIHEAD_ATTENTION = Autograd.of(INPUTS, (a, in, out, b, dtype) -> {
        Shape query = in.get(0);
        Shape key = in.size() > 1 ? in.get(1) : query;
        long embed = out.last();
        long lq = query.elements() / query.last();
        long lk = key.elements() / key.last() + (a.flag("addBiasKv") ? 1 : 0) + (a.flag("addZeroAttn") ? 1 : 0);
        long heads = a.number("numHeads");
        long probabilities = Math.multiplyExact(b, Math.multiplyExact(heads, Math.multiplyExact(lq, lk)));
        long projections = Math.multiplyExact(b, Math.multiplyExact(embed, Math.addExact(Math.multiplyExact(2, lq), Math.multiplyExact(2, lk))));
        long bytes = Math.addExact(dtype.bytes(projections), dtype.bytes(probabilities));
        if (a.decimal("dropout") > 0) {
            bytes = Math.addExact(bytes, Math.addExact(probabilities, dtype.bytes(probabilities)));
        }
        if (Attention.selfAttention(a, in) && key.last() == embed && b * lq == 1 && !a.flag("addBiasKv") && !a.flag("addZeroAttn")) {
            bytes = Math.addExact(bytes, dtype.bytes(embed));
        }
        return bytes;
    }).copyingInputs((a, in, index, batch) -> copiesInput(a, in.get(index), batch) ? projections(a, in, index) : -1);

    /**
     * How many of {@code nn.MultiheadAttention}'s input projections read its input {@code index} of {@code in}: where key and value
     * have the query's features ({@code _qkv_same_embed_dim}), one packed projection where query, key and value are one tensor, the
     * query's and one of key and value where those two are ({@code _in_projection_packed}); else one each ({@code _in_projection}).
     */
    private static int projections(Attrs a, List<Shape> in, int index) {
        if (in.size() == 1) {
            return index == 0 ? 1 : 0;
        }
        long embed = in.get(0).last();
        if (in.get(1).last() != embed || in.get(2).last() != embed) {
            return 1;
        }
        if (Attention.selfAttention(a, in)) {
            return index == 0 ? 1 : 0;
        }
        return a.sameInput(1, 2) && index == 2 ? 0 : 1;
    }

    /**
     * {@code F.scaled_dot_product_attention}: its inputs and, written out with {@code torch.matmul}
     * ({@code explicit}), the softmax's probabilities (in fp32 too where it runs in fp32 at half precision, {@code softmaxDtype}) and,
     * soft-capped ({@code softcap}), the tanh's result; fused (flash attention), its output and the
     * fp32 log-sum-exp of every query. Written out with fewer key/value heads than query heads, the
     * products take keys and values repeated to every query head, copies but for one key/value head at
     * a batch of 1 ({@link Decoding#repeatsByCopy}), and save those copies instead of the keys and
     * values they were given; counted as the copies less the
     * inputs (exact where the keys and values are two tensors that nothing else saves, as in Llama). A mask added to the scores
     * ({@code attn_mask}, the fourth input) is saved by the fused kernels (memory-efficient attention's backward takes its
     * {@code attn_bias}), not where the attention is written out, where its add's backward needs nothing.
     */
    static final Autograd SCALED_DOT_PRODUCT_ATTENTION = Autograd.of(INPUTS, (a, in, out, b, dtype) -> {
        Shape q = in.get(0);
        long heads = q.dim(0);
        long lq = q.dim(1);
        long lk = in.get(1).dim(1);
        if (a.flag("explicit")) {
            // the probabilities (in fp32 beside their copy at the activations' dtype, where the softmax runs in fp32), and the
            // soft-capping's tanh result (its backward reads it: 1 - tanh²)
            long elements = Decoding.scoreElements(b, q, in.get(1));
            long scores = dtype.bytes(elements);
            long bytes = Decoding.upcastsSoftmax(a, dtype) ? Math.addExact(scores, Dtype.FP32.bytes(elements)) : scores;
            bytes = Decoding.softcapped(a) ? Math.addExact(bytes, scores) : bytes;
            long kvHeads = in.get(1).dim(0);
            if (Decoding.repeatsByCopy(heads, kvHeads, b)) {
                long repeated = Math.multiplyExact(Math.multiplyExact(b, heads - kvHeads), Math.multiplyExact(lk, in.get(1).last() + in.get(2).last()));
                bytes = Math.addExact(bytes, dtype.bytes(repeated));
            }
            return bytes;
        }
        return Math.addExact(dtype.bytes(Math.multiplyExact(b, out.elements())), Math.multiplyExact(4L, Math.multiplyExact(b, Math.multiplyExact(heads, lq))));
    }).copyingInputs(new Autograd.Copies() {
        @Override
        public int of(Attrs a, List<Shape> in, int index, long b) {
            if (index == Decoding.MASK) {
                return a.flag("explicit") ? 0 : -1;
            }
            return elements(a, in, index, b) > 0 ? 1 : -1;
        }

        @Override
        public long elements(Attrs a, List<Shape> in, int index, long b) {
            return index < Decoding.MASK ? explicitCopies(a, in, b)[index] : -1;
        }
    });

    /**
     * The elements of the copies {@code torch.matmul} makes of the query, the keys and the values in attention written out
     * ({@code explicit}), which autograd saves in their places ({@link Strides#matmulCopies}): the query and the keys' transpose in
     * {@code Q·Kᵀ}, the values in {@code P·V} (the probabilities contiguous). A head transposed from a projection copies above a
     * batch of 1, whatever its storage holds besides (the values half of a fused projection). None where the attention is fused;
     * with fewer key/value heads than query heads, the query's only: the keys and values repeated to the query heads are new
     * contiguous tensors, whose copies {@link #SCALED_DOT_PRODUCT_ATTENTION} counts.
     */
    private static long[] explicitCopies(Attrs a, List<Shape> in, long b) {
        Shape q = in.get(0);
        Shape k = in.get(1);
        Shape v = in.get(2);
        if (!a.flag("explicit")) {
            return new long[] {0, 0, 0};
        }
        if (k.dim(0) != q.dim(0)) {
            Shape repeated = new Shape(List.of(q.dim(0), k.dim(1), k.last()), List.of("H", "S", "E"), false, 0, k.batched());
            return new long[] {Strides.matmulCopies(q, repeated, true, b)[0], 0, 0};
        }
        long[] scores = Strides.matmulCopies(q, k, true, b);
        Shape probabilities = new Shape(List.of(q.dim(0), q.dim(1), k.dim(1)), List.of("H", "L", "S"), false, 0, q.batched());
        return new long[] {scores[0], scores[1], Strides.matmulCopies(probabilities, v, false, b)[1]};
    }

    /**
     * A recurrent layer: its inputs, and per layer and direction what PyTorch's native implementation (aten's RNN.cpp, which a CPU
     * runs) keeps for backward, each storage once, per sample. An LSTM step keeps its hidden state in (h, P wide with a projection,
     * else H), its cell state in, the four gates (one storage of 4H: the activations run in place on its chunks), tanh of the new
     * cell state and, with a projection, the hidden state before it: 7H + P; a GRU step its hidden state in, its three hidden gates
     * (3H), the copy of the new gate's hidden part that the in-place product with the reset gate keeps, the new gate and the
     * difference of hidden state and new gate: 7H; an RNN step its output, which the next step reads as its hidden state: the
     * initial state and L outputs, (L + 1)·H. The first step's states are the initial ones: zeros the layer makes, or the inputs
     * given (counted as inputs). A stack keeps each later layer's input, the layer before's outputs (L · directions · (P or H)),
     * and with {@code dropout} between them the noise each was multiplied by, as large.
     * The input projections of all steps are computed at once (their products' input is the layer's input, once); where the
     * input's steps-first view does not fold into rows without a copy ({@link #copiesInput}: batch first above a batch of 1 and
     * one step, a permuted view fed sequence first above a batch of 1), each direction keeps a contiguous copy of it in its
     * place, another storage than the input (which a layer before may save too), so both directions keep one input's bytes
     * more. cuDNN keeps a reserve of its own size instead.
     */
    static Autograd recurrent(Recurrent.Cell cell) {
        return Autograd.of(INPUTS, (a, in, out, b, dtype) -> {
            Shape x = in.get(0);
            long steps = x.rank() >= 2 ? x.elements() / x.last() : 1;
            long layers = a.given("numLayers") ? a.number("numLayers") : 1;
            long directions = a.flags().getOrDefault("bidirectional", false) ? 2 : 1;
            long h = a.number("hiddenSize");
            long p = cell == Recurrent.Cell.LSTM && a.given("projSize") ? a.number("projSize") : 0;
            long perStep = switch (cell) {
                case LSTM -> 7 * h + p;
                case GRU -> 7 * h;
                case RNN -> h;
            };
            long cells = Math.multiplyExact(layers, directions);
            long kept = Math.multiplyExact(cells, Math.multiplyExact(steps, perStep));
            if (cell == Recurrent.Cell.RNN) {
                kept = Math.addExact(kept, Math.multiplyExact(cells, h));
            }
            // Initial states given are inputs; the step count above has them once already.
            if (in.size() > 1) {
                long states = cell == Recurrent.Cell.LSTM ? (p > 0 ? p : h) + h : h;
                kept = Math.subtractExact(kept, Math.multiplyExact(cells, states));
            }
            long stacked = Math.multiplyExact(layers - 1, Math.multiplyExact(steps, Math.multiplyExact(directions, p > 0 ? p : h)));
            // With dropout between the layers, each later layer's input is the dropped output, and the noise it was multiplied by
            // is saved too (at::dropout on a CPU: a mask at the activations' dtype).
            long masks = a.decimal("dropout") > 0 ? stacked : 0;
            return dtype.bytes(Math.multiplyExact(b, Math.addExact(Math.addExact(kept, stacked), masks)));
        }).copyingInputs((a, in, index, batch) -> index == 0 && copiesInput(a, in.get(0), batch)
                ? (a.flags().getOrDefault("bidirectional", false) ? 2 : 1) : -1);
    }

    /**
     * Whether a recurrent layer or an attention projects a contiguous copy of its input: where its steps-first view (L, N, F) does
     * not fold into (L·N, F) as a view, and a learned tensor spread over a batch above 1 read batch first. The strides are those at
     * {@code batch} (a training step whose batch is not the model's is analysed at its own where the model has views): a tensor laid
     * out steps first (a batch-first recurrent layer's output) folds, every other step of it does not.
     */
    private static boolean copiesInput(Attrs a, Shape x, long batch) {
        boolean batchFirst = a.flags().getOrDefault("batchFirst", false);
        if (!x.batched()) {
            // a learned tensor, expanded or repeated over the batch by the code that feeds it
            return batchFirst && batch > 1 && x.rank() == 2 && x.dim(0) > 1;
        }
        // the projection folds the steps-first view (L, N, F) into (L·N, F): a view where those two axes merge, else a copy
        long[] sizes = x.fullSizes(batch);
        long[] strides = x.strides(batch);
        if (sizes.length < 3) {
            return false;
        }
        // modelcost's tensor is (N, L, F) either way, its steps-first view that with the two swapped; fed sequence first, a dense one
        // is the (L, N, F) the code lays out
        if (!batchFirst && x.strides() == null) {
            return false;
        }
        return sizes[0] > 1 && sizes[1] > 1 && strides[1] != Math.multiplyExact(sizes[0], strides[0]);
    }

    /**
     * A recurrent cell, one step: its inputs and what the layer's step keeps beyond its states ({@link #recurrent}): an LSTMCell
     * the gates and tanh of the new cell state, 5H; a GRUCell 6H; an RNNCell its output (the storage it passes on, which a layer
     * after it that saves its input shares). Without states given, the cell makes zeros for them, one storage of H (an LSTMCell's
     * hidden and cell states share it).
     */
    static Autograd cell(Recurrent.Cell cell) {
        return Autograd.of(cell == Recurrent.Cell.RNN ? Autograd.Tensors.INPUTS_AND_OUTPUT : INPUTS, (a, in, out, b, dtype) -> {
            long h = a.number("hiddenSize");
            long kept = switch (cell) {
                case LSTM -> 5 * h;
                case GRU -> 6 * h;
                case RNN -> 0;
            };
            if (in.size() == 1) {
                kept += h;
            }
            return dtype.bytes(Math.multiplyExact(b, kept));
        });
    }

    /** The rows of a tensor whose last {@code normalized} elements are normalised together, every sample's. */
    private static long rows(Shape x, long batch, long normalized) {
        return Math.multiplyExact(batch, x.elements() / Math.max(1, normalized));
    }
}
