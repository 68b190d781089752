package dev.modelcost.processor.counters;

import java.util.Set;

/** Where a counter's figure differs from modelcost's MACs: a family of layer kinds, or bias. */
public enum Category {
    /** Convolutions. */
    CONVOLUTION("convolutions"),
    /** Transposed convolutions (counted over output positions by several tools). */
    TRANSPOSED_CONVOLUTION("transposed convolutions"),
    /** Linear layers (counted once per call, or per sample, by some tools). */
    LINEAR("linear layers"),
    /** Attention and matrix products of two activations. */
    ATTENTION("attention and matmul"),
    /** Recurrent layers and cells. */
    RECURRENT("recurrent layers"),
    /** BatchNorm. */
    BATCH_NORM("BatchNorm"),
    /** Other normalisations. */
    NORM("other norms"),
    /** Activations. */
    ACTIVATION("activations"),
    /** Softmax. */
    SOFTMAX("softmax"),
    /** Pooling. */
    POOLING("pooling"),
    /** Upsampling. */
    UPSAMPLING("upsampling"),
    /** Embedding tables. */
    EMBEDDING("embeddings"),
    /** The samples of a batch beyond the first, for a counter that counts one sample. */
    BATCH("batch (one sample counted)"),
    /** Bias additions of convolutions, linear, attention and recurrent layers. */
    BIAS("bias"),
    /** Everything else: merges, reshapes, padding, layer kinds declared in the project. */
    OTHER("other");

    private static final Set<String> ACTIVATIONS = Set.of("ReLU", "ReLU6", "Sigmoid", "Tanh", "Hardswish", "Hardsigmoid", "SiLU",
            "LeakyReLU", "PReLU", "ELU", "Softplus", "Mish", "Hardtanh", "GELU", "SELU", "CELU", "LogSigmoid", "GLU");

    private final String label;

    Category(String label) {
        this.label = label;
    }

    /** The category as a report names it. */
    public String label() {
        return label;
    }

    /** The category of a layer kind. */
    public static Category of(String kind) {
        if (Rules.convTranspose(kind)) {
            return TRANSPOSED_CONVOLUTION;
        }
        if (Rules.conv(kind)) {
            return CONVOLUTION;
        }
        if (Rules.batchNorm(kind)) {
            return BATCH_NORM;
        }
        if (kind.contains("Norm")) {
            return NORM;
        }
        if (kind.contains("Pool")) {
            return POOLING;
        }
        if (ACTIVATIONS.contains(kind)) {
            return ACTIVATION;
        }
        return switch (kind) {
            case "Linear" -> LINEAR;
            case "MultiheadAttention", "ScaledDotProductAttention", "MatMul" -> ATTENTION;
            case "LSTM", "GRU", "RNN", "LSTMCell", "GRUCell", "RNNCell" -> RECURRENT;
            case "Softmax", "LogSoftmax" -> SOFTMAX;
            case "Upsample" -> UPSAMPLING;
            case "Embedding", "RelativePositionBias" -> EMBEDDING;
            default -> OTHER;
        };
    }
}
