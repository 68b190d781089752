package dev.modelcost.processor.layers;

import java.util.List;

/**
 * The counting conventions a model declares, which some formulas follow.
 *
 * @param causal how causal attention's products are counted: {@code dense} (the full score matrix,
 *     as PyTorch's FlopCounterMode, fvcore, DeepSpeed, LLM-Viewer and PaLM's MFU formula count
 *     it), {@code causal-exact} (only the query–key pairs the mask keeps, bottom-right aligned when
 *     keys outnumber queries, and capped by a sliding window) or {@code causal-half} (the dense
 *     count halved, as FlashAttention and Megatron report)
 * @param kvCacheBytes bytes per element of the KV cache
 * @param sequenceAxis the name of the sequence axis, along which a decoding step takes one
 *     position: the axis of a token-id input, else {@code L}
 * @param dtype the dtype of the model's parameters, unless a layer declares its own
 * @param activations the dtype of the model's activations, unless a layer declares its own
 */
public record Conventions(String causal, int kvCacheBytes, String sequenceAxis, Dtype dtype, Dtype activations) {
    /** The causal settings. */
    public static final List<String> CAUSAL = List.of("dense", "causal-exact", "causal-half");

    /** Dense attention, an fp16 cache, fp32 parameters and activations. */
    public static final Conventions DEFAULT = new Conventions("dense", 2, "L", Dtype.FP32, Dtype.FP32);

    /** Bytes per element of the cache dtypes a model may declare, or 0 for an unknown name. */
    public static int bytesOf(String dtype) {
        switch (dtype) {
            case "fp32": return 4;
            case "fp16":
            case "bf16": return 2;
            case "fp8":
            case "int8": return 1;
            default: return 0;
        }
    }
}
