package dev.modelcost.processor.layers;

/**
 * The cost figures every layer, block and model carries, in the order the generated class, the
 * layer table and the reports list them. A new figure is one constant here; every writer iterates
 * over {@link #values()}.
 */
public enum Figure {
    /** Multiply-accumulates of every weighted layer and every product of two activations. */
    MACS("macs", "MACs", "Multiply-accumulates: K per output element of every convolution, linear layer and matrix product "
            + "(attention's Q\u00b7K\u1d40 and A\u00b7V included), K being the length of the reduced dimension."),
    /** K multiplications, K − 1 additions and a bias addition per output element of the same layers. */
    FLOPS("flops", "FLOPs", "Floating-point operations of the layers {@code MACS} counts: 2K \u2212 1 per output element, "
            + "+1 where a bias is added."),
    /** Learnable parameters. */
    PARAMS("params", "params", "Learnable parameters, as PyTorch's {@code sum(p.numel() for p in model.parameters())}."),
    /** Non-learnable state. */
    BUFFERS("buffers", "buffers", "Non-learnable state (BatchNorm running mean and variance, a {@code @Buffer}'s elements), as PyTorch's buffers."),
    /** Element-wise work outside {@code FLOPS}. */
    OTHER_OPS("otherOps", "other ops", "Element-wise work of every other layer (norms, activations, softmax, pooling, "
            + "merges), by the per-element formula of each layer kind."),
    /** Parameters a token uses: all but the experts its router does not pick. */
    ACTIVE_PARAMS("activeParams", "active params", "Parameters one token uses: {@code PARAMS} less the experts of each mixture of "
            + "experts that its router does not pick (attention, the picked experts, the router, norms, embeddings and the head are all counted)."),
    /** Parameters of embedding tables. */
    EMBEDDING_PARAMS("embeddingParams", "embedding params", "Parameters of {@code Embedding} tables; {@code PARAMS} less these is Kaplan's "
            + "non-embedding N."),
    /** Parameters outside embedding tables. */
    NON_EMBEDDING_PARAMS("nonEmbeddingParams", "non-embedding params", "{@code PARAMS} less {@code EMBEDDING_PARAMS}: Kaplan's N, "
            + "biases and norms included."),
    /** Keys and values a decoder keeps per step. */
    KV_CACHE("kvCache", "KV cache", "Elements of the KV cache at the model's sequence length and batch: the keys and values every "
            + "attention layer that a decoding step runs keeps, 2 \u00b7 kv_heads \u00b7 head_dim \u00b7 length \u00b7 batch per "
            + "{@code ScaledDotProductAttention}, 2 \u00b7 embed_dim \u00b7 key length \u00b7 batch per {@code MultiheadAttention} "
            + "(none in an encoder-decoder's encoder, nor in a model without causal attention unless a recurrent seq2seq's decoder "
            + "attends to its encoder's outputs)."),
    /** Bytes of the KV cache. */
    KV_CACHE_BYTES("kvCacheBytes", "KV cache bytes", "{@code KV_CACHE} in bytes, at the model's {@code kvCacheDtype} (fp16 unless declared)."),
    /** MACs of one decoding step. */
    DECODE_MACS("decodeMacs", "decode MACs", "MACs of decoding the last of the model's tokens from a KV cache: every layer once "
            + "on that position of the sequence axis, and its query against every cached key (itself included). In a model of several "
            + "inputs (an encoder-decoder), the layers whose inputs hold the positions every causal attention's queries hold (an "
            + "attention's output holds its queries', a concatenation along the positions its last input's), a cross-attention for one "
            + "more query on the memory's cached keys and values; without causal attention, with a recurrent layer of one direction, the "
            + "layers whose inputs hold the positions of the sequence inputs the output holds (a recurrent seq2seq's decoder, not its encoder). None in a model that decodes nothing: without causal attention, "
            + "with attention or a bidirectional recurrent layer and no recurrent layer of one direction (an encoder)."),
    /** The part of {@code MACS} that multiplies two activations. */
    MATMUL_MACS("matmulMacs", "matmul MACs", "The part of {@link #MACS} in products of two activations rather than of "
            + "an activation and a weight: attention's Q\u00b7K\u1d40 (b\u00b7H\u00b7L_q\u00b7L_k\u00b7d_k) and "
            + "A\u00b7V (b\u00b7H\u00b7L_q\u00b7L_k\u00b7d_v), and every {@code MatMul}."),
    /** Bytes of the parameters at their dtype. */
    WEIGHT_BYTES("weightBytes", "weight bytes", "Bytes of the parameters at the model's {@code dtype} (fp32 unless declared) or a layer's "
            + "{@code @Dtype}: 4, 2 or 1 a parameter, or for int4 half a byte and a 2-byte scale per started group, each layer's parameters "
            + "one tensor."),
    /** Bytes a forward pass moves between DRAM and the cores, layer by layer, for the roofline. */
    BYTES_MOVED("bytesMoved", "bytes moved", "Bytes the roofline moves between memory and the cores in one forward pass, each layer a "
            + "kernel of its own: its weights and buffers once, at their dtypes, and every input it reads and the output it writes (a "
            + "recurrent layer's output, h_n and c_n), at its activation dtype (token ids 8 bytes); an {@code Embedding} reads only the rows it gathers, a tied head the whole shared table, "
            + "a mixture of experts every expert its tokens reach; reshapes, slices and dropout move nothing. Fusion, caches and "
            + "intermediates inside a layer (attention's scores) are not counted: a lower bound on an unfused execution.");

    private final String key;
    private final String label;
    private final String description;

    Figure(String key, String label, String description) {
        this.key = key;
        this.label = label;
        this.description = description;
    }

    /** The figure's key in JSON reports, e.g. {@code otherOps}. */
    public String key() {
        return key;
    }

    /** The figure as a column heading, e.g. {@code other ops}. */
    public String label() {
        return label;
    }

    /** What the figure counts, as Javadoc text. */
    public String description() {
        return description;
    }

    /** The column name in a layer table, e.g. {@code other_ops}. */
    public String column() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
