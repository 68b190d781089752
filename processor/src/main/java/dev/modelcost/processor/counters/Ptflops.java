package dev.modelcost.processor.counters;

import static dev.modelcost.processor.counters.Rules.gates;
import static dev.modelcost.processor.counters.Rules.hiddenSize;
import static dev.modelcost.processor.counters.Rules.inputSize;

import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.layers.Strides;
import java.util.Set;

/**
 * ptflops 0.7.6 ({@code sovrasov/flops-counter.pytorch} at d612c75),
 * {@code get_model_complexity_info(model, input_res)}: the pytorch backend with and without
 * {@code count_functional}, and the aten backend.
 *
 * <p>pytorch backend: module hooks of {@code ptflops/pytorch_ops.py: MODULES_MAPPING} (exact
 * types), their sum divided by the batch ({@code pytorch_engine.py: compute_average_flops_cost}),
 * plus, with {@code count_functional}, the functions {@code pytorch_engine.py: patch_functional}
 * wraps ({@code F.relu}, the pools, {@code F.softmax}, {@code F.interpolate}, ...) and the tensor
 * ops {@code patch_tensor_ops} wraps ({@code torch.bmm}, ...), counted undivided. A module whose
 * forward calls a wrapped function is counted twice (maintainers' issue #139). Parameters: every
 * trainable one. aten backend ({@code ptflops/aten_ops.py: ATEN_OPS_MAPPING}): convolutions and
 * matrix products only, with their bias.
 */
final class Ptflops implements Counter {
    /** Which engine and setting. */
    enum Backend {
        /** {@code backend='pytorch'}, {@code count_functional=True} (the default). */
        PYTORCH,
        /** {@code backend='pytorch'}, {@code backend_specific_config={'count_functional': False}}. */
        NO_FUNCTIONAL,
        /** {@code backend='aten'}. */
        ATEN
    }

    /** Modules whose forward calls a function that count_functional wraps (PyTorch 1.13's nn modules). */
    private static final Set<String> CALLS_WRAPPED = Set.of("ReLU", "ELU", "PReLU", "GELU", "SiLU", "Softmax");
    /** Modules with an activation hook: relu_flops_counter_hook, output elements. */
    private static final Set<String> ACTIVATION_HOOK = Set.of("ReLU", "PReLU", "ELU", "LeakyReLU", "ReLU6", "GELU");
    /** Functions count_functional wraps that a layer kind may be called as ({@code F.relu6} included). */
    private static final Set<String> WRAPPED_FUNCTIONS = Set.of("ReLU", "ReLU6", "ELU", "PReLU", "GELU", "SiLU", "Softmax");

    /** The case where the real tool prints no figure for attention, which a spec cannot tell from the positional call. */
    static final String KEYWORD_CALL = "ptflops prints no figure (None) where nn.MultiheadAttention is called with keyword arguments, "
            + "as torchvision's ViT calls it; this is the figure of a positional call";

    /** The case where the real tool sees no product, which a spec cannot tell from a call of torch.matmul. */
    static final String MATMUL_CALL = "ptflops wraps torch.matmul and Tensor.matmul, not the @ operator; this is the figure of torch.matmul "
            + "(a product written with @ is @MatMul(operator = true))";

    private final Backend backend;

    Ptflops(Backend backend) {
        this.backend = backend;
    }

    @Override
    public boolean runsWithGradients() {
        return true;
    }

    /** ptflops catches what the model raises, prints it, and returns None. */
    @Override
    public String failsWith(String raised) {
        return raised + "; ptflops catches it and prints None";
    }

    @Override
    public String id() {
        return switch (backend) {
            case PYTORCH -> "ptflops";
            case NO_FUNCTIONAL -> "ptflops_nofunc";
            case ATEN -> "ptflops_aten";
        };
    }

    @Override
    public String tool() {
        return "ptflops 0.7.6 (sovrasov/flops-counter.pytorch d612c75)";
    }

    @Override
    public String call() {
        return switch (backend) {
            case PYTORCH -> "get_model_complexity_info(model, input_res, backend='pytorch')";
            case NO_FUNCTIONAL -> "get_model_complexity_info(model, input_res, backend='pytorch', backend_specific_config={'count_functional': False})";
            case ATEN -> "get_model_complexity_info(model, input_res, backend='aten')";
        };
    }

    @Override
    public String figure() {
        return "MACS";
    }

    @Override
    public boolean reportsParams() {
        return backend == Backend.PYTORCH;
    }

    @Override
    public Count count(Leaf leaf) {
        return backend == Backend.ATEN ? aten(leaf) : pytorch(leaf);
    }

    private Count pytorch(Leaf leaf) {
        String kind = leaf.kind();
        long params = leaf.params();
        boolean functional = backend == Backend.PYTORCH;
        if (kind.equals("MultiheadAttention") && leaf.module()) {
            return attention(leaf, functional, true);
        }
        if (kind.equals("MultiheadAttention") && leaf.moduleWeights()) {
            // F.multi_head_attention_forward given the module's weights: no hook, the wrapped torch.bmm and F.softmax inside it counted
            return unhooked(leaf, attention(leaf, functional, false).value(), params);
        }
        long products = Rules.explicitAttention(leaf);
        if (products >= 0) {
            // torch.matmul twice, wrapped; torch.softmax and the mask's masked_fill or + are not
            return functional ? Count.of(products, params) : Count.unseen(0, params, "ptflops without count_functional wraps no torch.matmul");
        }
        if (kind.equals("MatMul") && functional) {
            // patch_tensor_ops wraps torch.matmul and Tensor.matmul: _matmul_tensor_flops_hook, prod(a.shape) * b.shape[-1]; not the @ operator
            return leaf.flag("operator", false) ? Count.unseen(0, params, "ptflops does not wrap the @ operator the code writes")
                    : Count.unseen(leaf.macs(), params, MATMUL_CALL);
        }
        long module = leaf.module() && leaf.subclass() == null ? moduleHook(leaf) : -1; // MODULES_MAPPING[type(m)]
        // A wrapped function, called directly (@Functional) or by a module's forward, is counted once more, undivided.
        boolean callsWrapped = leaf.module() ? CALLS_WRAPPED.contains(kind) || isPool(kind) || kind.equals("Upsample") : leaf.function();
        long wrapped = functional && callsWrapped ? wrappedFunction(leaf) : 0;
        if (module < 0 && leaf.moduleWeights()) {
            // a function given a module's weights: no hook fires; patch_functional wraps F.prelu, say, but not F.linear nor F.conv
            return unhooked(leaf, wrapped, params);
        }
        if (module < 0) {
            Count none = leaf.module() && leaf.subclass() != null ? Rules.subclass(leaf, "ptflops", 0) : Rules.noRule(leaf, "ptflops");
            return none.unknown() != null ? none : new Count(wrapped, 0, params, none.unseen(), null, null);
        }
        long divisor = divisor(leaf);
        long bias = biasAdds(leaf) / divisor;
        long perSample = module / divisor - bias;
        // compute_average_flops_cost divides the sum over every module once: what a module's quotient leaves (an Upsample counts
        // one sample) is carried to that sum
        Count count = Count.withBias(Math.addExact(perSample, wrapped), bias, params).leaving(module % divisor, divisor);
        return wrapped != 0 && scaledByAFraction(leaf)
                ? count.inexact("_interpolate_functional_flops_hook computes int(input_numel · scale_factor ** dims) in double precision") : count;
    }

    /**
     * Whether an Upsample's output is its input's size times one scale factor that is no integer (its products then truncate in
     * double precision); factors per axis are each truncated to an integer first, which is exact.
     */
    private static boolean scaledByAFraction(Leaf leaf) {
        if (!leaf.kind().equals("Upsample") || !leaf.call().attrs().given("scaleFactor")) {
            return false;
        }
        java.util.List<Double> scales = leaf.call().attrs().decimals("scaleFactor");
        return scales.size() == 1 && scales.get(0) != Math.rint(scales.get(0));
    }

    /**
     * What compute_average_flops_cost divides the module sum by: the batch, which batch_counter_hook reads from the model's first
     * positional input; 1 for a model of several inputs, called with keyword arguments (input_constructor's dict).
     */
    private static long divisor(Leaf leaf) {
        return leaf.modelInputs() > 1 ? 1 : leaf.n();
    }

    /** The bias additions both backends add to a convolution's or Linear's count: one per output element, batch included. */
    private static long biasAdds(Leaf leaf) {
        String kind = leaf.kind();
        boolean weighted = Rules.conv(kind) || Rules.convTranspose(kind) || kind.equals("Linear");
        return weighted && leaf.flag("bias", true) ? leaf.outNumel() : 0;
    }

    /** A module hook's count for the whole batch, or -1 where ptflops has no hook for the kind. */
    private static long moduleHook(Leaf leaf) {
        String kind = leaf.kind();
        if (Rules.conv(kind) || Rules.convTranspose(kind) || kind.equals("Linear")) {
            // conv_flops_counter_hook (transposed: over input positions, as modelcost) and linear_flops_counter_hook, bias over the output
            return Math.addExact(leaf.macs(), biasAdds(leaf));
        }
        if (Rules.batchNorm(kind) || Rules.instanceNorm(kind) || kind.equals("GroupNorm")) {
            return Math.multiplyExact(leaf.inNumel(), leaf.flag("affine", Rules.batchNorm(kind) || kind.equals("GroupNorm")) ? 2 : 1);
        }
        if (kind.equals("LayerNorm")) {
            return leaf.inNumel(); // bn_flops_counter_hook reads module.affine, which LayerNorm does not have
        }
        if (ACTIVATION_HOOK.contains(kind)) {
            return leaf.outNumel();
        }
        if (isPool(kind)) {
            return leaf.inNumel(); // pool_flops_counter_hook: input elements
        }
        if (kind.equals("Upsample")) {
            return leaf.sampleOut(); // upsample_flops_counter_hook counts output[0], one sample
        }
        if (Rules.recurrentLayer(kind) || Rules.recurrentCell(kind)) {
            return recurrent(leaf);
        }
        return -1;
    }

    private static boolean isPool(String kind) {
        return kind.contains("Pool");
    }

    /**
     * A layer whose module the code never calls, passing its weights to a function ({@code @Functional(moduleWeights = true)}): no
     * hook fires, and what ptflops wraps inside the function ({@code counted}) is all it sees of the work.
     */
    private static Count unhooked(Leaf leaf, long counted, long params) {
        return leaf.macs() > counted ? Count.unseen(counted, params, "ptflops hooks " + leaf.kind() + " modules, and the code passes the module's "
                + "weights to a function (@Functional(moduleWeights = true)) inside which ptflops wraps " + (counted == 0 ? "nothing" : "only part of the work"))
                : Count.of(counted, params);
    }

    /** What a wrapped function of torch.nn.functional counts: input elements, or for F.interpolate the output size. */
    private static long wrappedFunction(Leaf leaf) {
        String kind = leaf.kind();
        if (kind.equals("Upsample")) {
            // _interpolate_functional_flops_hook: size given -> prod(size) * N * C; else input elements * scale ** spatial dims, or
            // times the product of a tuple's factors, each cast to int64
            if (!leaf.call().attrs().given("scaleFactor")) {
                return leaf.outNumel();
            }
            java.util.List<Double> scales = leaf.call().attrs().decimals("scaleFactor");
            if (scales.size() > 1) {
                // a tuple of one factor per spatial axis: int(np.prod(scale_factor, dtype=np.int64)), each factor truncated
                long product = 1;
                for (double scale : scales) {
                    product = Math.multiplyExact(product, (long) scale);
                }
                return Math.multiplyExact(leaf.inNumel(), product);
            }
            return (long) (leaf.inNumel() * Math.pow(scales.get(0), leaf.x().rank() - 1));
        }
        return WRAPPED_FUNCTIONS.contains(kind) || isPool(kind) ? leaf.inNumel() : 0;
    }

    /** The bias additions of nn.MultiheadAttention's projections: q, k, v over their tokens and the output projection over the queries, batch included. */
    private static long attentionBiasAdds(Leaf leaf) {
        var inputs = leaf.call().inputs();
        long q = leaf.x().dim(0);
        long k = inputs.size() > 1 ? inputs.get(1).dim(0) : q;
        long v = inputs.size() > 2 ? inputs.get(2).dim(0) : k;
        // A batch-first call transposes its inputs (x.transpose(1, 0)): where the tensor a projection reads is not contiguous (a
        // batch above 1 on more than one position, or a view), PyTorch 1.13 runs it as matmul and an add, which is not counted; the
        // output projection's input is made contiguous first.
        long projected = 0;
        long[] lengths = {q, k, v};
        boolean batchFirst = leaf.flag("batchFirst", false);
        for (int i = 0; i < 3; i++) {
            Shape input = inputs.get(Math.min(i, inputs.size() - 1));
            // a learned tensor (no batch) is expanded or repeated over the batch by the code that feeds it: batch first, above a
            // batch of 1, its transpose is not contiguous either way
            boolean spread = !input.batched() && batchFirst && leaf.n() > 1;
            projected += !spread && Strides.projectsContiguous(input, batchFirst, leaf.n()) ? lengths[i] : 0;
        }
        return Rules.product(leaf.n(), projected + q, leaf.x().last());
    }

    /**
     * The bias additions the aten backend sees of a recurrent layer or cell (measured on PyTorch 1.13's CPU path): per step,
     * direction and batch element, G·H for the hidden product's addmm, and G·H more for the input product's where its input
     * is contiguous: every later layer's; the first's where the tensor it projects, its input transposed to steps first by a
     * batch-first layer, is contiguous ({@link Strides#projectsContiguous}), else it runs as matmul and an uncounted add (a
     * batch-first layer fed a batch above 1 of more than one step, or a sequence-first one fed a permuted view).
     */
    private static long recurrentBiasAdds(Leaf leaf) {
        if (!leaf.flag("bias", true)) {
            return 0;
        }
        long unit = Rules.product(gates(leaf.kind()), hiddenSize(leaf), leaf.n(), leaf.steps());
        if (Rules.recurrentCell(leaf.kind())) {
            return Rules.product(unit, 2);
        }
        long directions = leaf.flag("bidirectional", false) ? 2 : 1;
        long layers = leaf.number("numLayers", 1);
        return Rules.product(unit, directions, 2 * layers - (Strides.projectsContiguous(leaf.x(), leaf.flag("batchFirst", false), leaf.n()) ? 0 : 1));
    }

    /**
     * multihead_attention_counter_hook where the module is called ({@code hooked}), and with count_functional the wrapped torch.bmm and
     * F.softmax inside F.multi_head_attention_forward.
     */
    private static Count attention(Leaf leaf, boolean functional, boolean hooked) {
        long n = leaf.n();
        long q = leaf.x().dim(0);
        long e = leaf.x().last();
        var inputs = leaf.call().inputs();
        long k = inputs.size() > 1 ? inputs.get(1).dim(0) : q;
        long kdim = inputs.size() > 1 ? inputs.get(1).last() : e;
        long v = inputs.size() > 2 ? inputs.get(2).dim(0) : k;
        long vdim = inputs.size() > 2 ? inputs.get(2).last() : kdim;
        long heads = leaf.number("numHeads", 1);
        boolean bias = leaf.flag("bias", true);
        long hook = sum(Rules.product(q, e), Rules.product(q, e, e), Rules.product(k, kdim, kdim), Rules.product(v, vdim, vdim),
                bias ? Rules.product(q + k + v, e) : 0, Rules.product(heads, q, k, e / heads + 1 + vdim / heads), Rules.product(q, vdim, vdim + 1));
        hook = hooked ? Math.multiplyExact(hook, n) / divisor(leaf) : 0; // the hook counts the whole batch
        // Inside F.multi_head_attention_forward the products see the values projected to E (whatever vdim) and the keys with bias_k
        // and a zero key appended where addBiasKv and addZeroAttn say so.
        long keys = k + (leaf.flag("addBiasKv", false) ? 1 : 0) + (leaf.flag("addZeroAttn", false) ? 1 : 0);
        long wrapped = functional ? Rules.product(n, heads, q, keys, e / heads + 1 + e / heads) : 0;
        if (functional && leaf.flag("isCausal", false)) {
            // the mask's add: torch.baddbmm(attn_mask, q, kᵀ) counts its input, the (1, L_q, L_k) mask, once
            wrapped = Math.addExact(wrapped, Rules.product(q, keys));
        }
        return new Count(Math.addExact(hook, wrapped), 0, leaf.params(), KEYWORD_CALL, null, null);
    }

    /** rnn_flops_counter_hook / rnn_cell_flops_counter_hook: per layer numel(W_ih) + numel(W_hh) + gate extras + biases, times batch and steps, x2 bidirectional. */
    private static long recurrent(Leaf leaf) {
        String kind = leaf.kind();
        long g = gates(kind);
        long hidden = hiddenSize(leaf);
        long extra = g == 4 ? 10 * hidden : g == 3 ? 7 * hidden : hidden;
        long biases = leaf.flag("bias", true) ? 2 * g * hidden : 0;
        if (Rules.recurrentCell(kind)) {
            long one = sum(Rules.product(g, hidden, inputSize(leaf)), Rules.product(g, hidden, hidden), extra, biases);
            return Math.multiplyExact(one, leaf.n());
        }
        long projected = leaf.number("projSize", hidden);
        long directions = leaf.flag("bidirectional", false) ? 2 : 1;
        // the first layer reads the input; every later one the directions' projected outputs, and counts the same
        long first = sum(Rules.product(g, hidden, inputSize(leaf)), Rules.product(g, hidden, projected), extra, biases);
        long later = sum(Rules.product(g, hidden, projected * directions), Rules.product(g, hidden, projected), extra, biases);
        long total = Math.addExact(first, Rules.product(leaf.number("numLayers", 1) - 1, later));
        return Rules.product(total, leaf.n(), leaf.steps(), directions);
    }

    /** aten_ops.py: conv_flop (bias over the output) and the matrix products (addmm with its bias). */
    private static Count aten(Leaf leaf) {
        String kind = leaf.kind();
        long params = leaf.params();
        if (kind.equals("Linear") && (leaf.x().rank() > 2 || leaf.x().rank() == 2 && !leaf.x().contiguous(leaf.n()))) {
            // PyTorch 1.13 runs a Linear on a 4-d or larger input, or on a 3-d one that is not contiguous (a transposed, sliced or
            // chunked view), as matmul and an add: the add is not counted
            return Count.of(leaf.macs(), params);
        }
        if (Rules.conv(kind) || Rules.convTranspose(kind) || kind.equals("Linear")) {
            // a Linear on a 2-d or (contiguous) 3-d input runs as one addmm, its bias included
            return Count.withBias(leaf.macs(), biasAdds(leaf), params);
        }
        if (kind.equals("MatMul")) {
            return Count.of(leaf.macs(), params); // matmul dispatches as mm or bmm
        }
        long products = Rules.explicitAttention(leaf);
        if (products >= 0) {
            return Count.of(products, params); // both torch.matmul calls as bmm
        }
        if (kind.equals("MultiheadAttention")) {
            // the projections as addmm with their biases, Q·Kᵀ and A·V as bmm; a masked Q·Kᵀ runs as baddbmm, which is not counted
            long bias = leaf.flag("bias", true) ? attentionBiasAdds(leaf) : 0;
            return Count.withBias(Rules.multiheadMacs(leaf, !leaf.flag("isCausal", false)), bias, params);
        }
        if (Rules.recurrentLayer(kind) || Rules.recurrentCell(kind)) {
            return Count.withBias(leaf.macs(), recurrentBiasAdds(leaf), params);
        }
        return leaf.macs() > 0 ? Count.unseen(0, params, "the aten backend counts convolutions and mm/bmm/addmm only") : Count.of(0, params);
    }

    private static long sum(long... terms) {
        long sum = 0;
        for (long term : terms) {
            sum = Math.addExact(sum, term);
        }
        return sum;
    }
}
