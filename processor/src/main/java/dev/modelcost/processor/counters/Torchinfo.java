package dev.modelcost.processor.counters;

/**
 * torchinfo 1.8.0 ({@code TylerYep/torchinfo} at 5c4164f, and the v1.8.0 tag),
 * {@code summary(model, input_size).total_mult_adds} and {@code total_params}:
 * {@code torchinfo/layer_info.py: LayerInfo.calculate_macs} on every leaf module, from its
 * parameters and output size (a convolution's and, at 5c4164f, a Linear's: parameters × output
 * positions; any other layer's: parameters × batch), summed over leaf modules
 * ({@code model_statistics.py}). Functions, merges and modules with children count 0.
 */
final class Torchinfo implements Counter {
    private final boolean release;

    /** The repository's head (5c4164f), or the v1.8.0 release, whose Linear rule is parameters × batch. */
    Torchinfo(boolean release) {
        this.release = release;
    }

    @Override
    public String id() {
        return release ? "torchinfo_v180" : "torchinfo";
    }

    @Override
    public String tool() {
        return release ? "torchinfo 1.8.0 (TylerYep/torchinfo v1.8.0)" : "torchinfo 1.8.0 (TylerYep/torchinfo 5c4164f)";
    }

    @Override
    public String call() {
        return "summary(model, input_size).total_mult_adds";
    }

    @Override
    public String figure() {
        return "MULT_ADDS";
    }

    @Override
    public boolean reportsParams() {
        return !release;
    }

    @Override
    public Count insideFastPath(Leaf leaf) {
        return Rules.fused(leaf, "torchinfo", leaf.params()); // total_params reads the root module's parameters
    }

    @Override
    public Count count(Leaf leaf) {
        String kind = leaf.kind();
        long params = leaf.params();
        if (!leaf.module()) {
            // not a module: no row in the summary
            return Rules.notAModule(leaf, "torchinfo", params);
        }
        String fails = Rules.failsWithoutGradients(leaf); // it runs the model under torch.no_grad()
        if (fails != null) {
            return Count.fails("RuntimeError: Failed to run torchinfo, from " + fails);
        }
        if (kind.equals("MultiheadAttention")) {
            return Count.unseen(0, params, "nn.MultiheadAttention is no leaf (it holds out_proj), and out_proj is never called as a module");
        }
        if (leaf.declared()) {
            return Rules.noRule(leaf, "torchinfo");
        }
        if (Rules.recurrentLayer(kind)) {
            return Count.of(Rules.product(params, leaf.n(), leaf.steps()), params); // weight_ih_l0 ...: prod(output[:2]) * numel
        }
        if (Rules.recurrentCell(kind)) {
            return Count.of(Rules.product(params, leaf.n(), leaf.output().dim(0)), params); // prod(output[:2]) = N * H
        }
        // A weight or bias gets its rule by the module's class name (module._get_name()), a subclass's own (@Subclass): a Dense(nn.Linear)
        // holds neither "Conv" nor "Linear", a MyConv(nn.Linear) counts as a convolution.
        String className = leaf.subclass() != null ? leaf.subclass() : kind;
        long biases = !leaf.flag("bias", true) ? 0 : kind.equals("Linear") ? leaf.output().last() : kind.contains("Conv") ? leaf.cout() : 0;
        if (className.contains("Conv")) {
            // "Conv" in the class name: numel(weight) and numel(bias) times N times the output positions
            long each = Rules.product(batch(leaf), leaf.outPositions());
            return Count.withBias(Rules.product(params - biases, each), Rules.product(biases, each), params);
        }
        if (className.contains("Linear")) {
            // v1.8.0: numel(param) * output_size[0]; 5c4164f: numel(param) * prod(output_size[:-1])
            long each = release ? first(leaf) : Rules.product(batch(leaf), leaf.linearPositions());
            // the module's own parameters: a head tied to an embedding holds the shared weight
            return Count.withBias(Rules.product(leaf.moduleParams() - biases, each), Rules.product(biases, each), params);
        }
        // any other weight or bias (BatchNorm, norms, Embedding, PReLU): output_size[0] * numel, the batch; at every call, so an
        // embedding tied to another (the module called again) counts its table again
        // T5's relative position bias is an nn.Embedding on the L_q x L_k buckets: output_size[0] is L_q (measured, 5c4164f and v1.8.0)
        long first = kind.equals("RelativePositionBias") ? leaf.output().dim(1) : first(leaf);
        long numel = kind.equals("Embedding") && !leaf.call().attrs().textOr("tiedTo", "").isEmpty()
                ? Rules.product(leaf.number("numEmbeddings", 0), leaf.output().last()) : params;
        String why = className.equals(kind) ? "torchinfo counts " + kind + " as parameters × batch" : "torchinfo picks its rule by the class's "
                + "name, and " + className + " holds neither Conv nor Linear: parameters × batch";
        return leaf.macs() > 0 ? Count.unseen(Math.multiplyExact(numel, first), params, why) : Count.of(Math.multiplyExact(numel, first), params);
    }

    /**
     * The output's first dimension as torchinfo sees it: the batch, or 1 for a tensor without one, which PyTorch code holds with a
     * leading axis of 1 (Hugging Face's positions, {@code arange(L).unsqueeze(0)}; ViT's learned position embedding); measured
     * with torchinfo 5c4164f: an Embedding, LayerNorm and Linear on such positions count their weights once at any batch.
     */
    private static long batch(Leaf leaf) {
        return leaf.output().batched() ? leaf.n() : 1;
    }

    /**
     * {@code output_size[0]}: the {@link #batch}, but for a tensor a recurrent layer's state puts first ({@code h_n} and
     * {@code c_n} are {@code (num_layers · directions, N, H)} whatever {@code batch_first}; a norm or a linear layer on them keeps
     * that axis first), that axis.
     */
    private static long first(Leaf leaf) {
        dev.modelcost.processor.layers.Shape output = leaf.output();
        return output.batchSecond() && output.rank() > 1 ? output.dim(0) : batch(leaf);
    }
}
