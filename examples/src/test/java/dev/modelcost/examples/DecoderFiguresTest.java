package dev.modelcost.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelcost.LayerCost;
import org.junit.jupiter.api.Test;

/**
 * The decoder figures beyond params and MACs: active parameters of the mixtures of experts (as the
 * reference modules define them: everything but the experts the router does not pick), the KV
 * cache, Kaplan's embedding parameters and a decoding step, each by hand from the configuration.
 */
class DecoderFiguresTest {

    @Test
    void theTransformersDecodingStepRunsItsDecoderAlone() {
        // nn.Transformer (d_model 512, 8 heads, feed-forward 2,048): a step decodes one of the 24 target positions through the 6 decoder
        // layers. Self-attention projects it (q, k, v, out: 4 x 512^2) and scores it against the 24 cached keys (2 x 24 x 512);
        // cross-attention projects its query and output (2 x 512^2) and scores it against the 32 cached keys and values of the memory
        // (2 x 32 x 512); the feed-forward layers take 2 x 512 x 2,048. The encoder ran once on the source, not per token.
        long perLayer = 4L * 512 * 512 + 2 * 24 * 512 + 2L * 512 * 512 + 2 * 32 * 512 + 2L * 512 * 2048;
        assertEquals(6 * perLayer, TransformerCost.DECODE_MACS);
        assertEquals(22_364_160L, TransformerCost.DECODE_MACS);
        // What that step reads is cached: in each of the 6 decoder layers, the self-attention's projected keys and values of the 24
        // target positions (2 x 24 x 512) and the cross-attention's of the 32 memory positions (2 x 32 x 512); the encoder's are not kept.
        assertEquals(6L * (2 * 24 * 512 + 2 * 32 * 512), TransformerCost.KV_CACHE);
        assertEquals(344_064L * 2, TransformerCost.KV_CACHE_BYTES);
        // An encoder alone keeps none, and one with nn.MultiheadAttention decodes nothing (BERT's attention, written out with @MatMul,
        // has no mask to say so).
        assertEquals(0L, TransformerEncoderLayerCost.KV_CACHE);
        assertEquals(0L, ViTB16Cost.KV_CACHE);
        assertEquals(0L, ViTB16Cost.DECODE_MACS);
        assertEquals(0L, TransformerEncoderLayerCost.DECODE_MACS);
    }

    @Test
    void mixtralActiveParamsCountTwoOfEightExperts() {
        // MixtralTiny: each of 2 layers has 8 experts of 3 x 256 x 512 = 393,216; 6 of them idle per token.
        assertEquals(23_008_512L - 2L * 6 * 393_216, MixtralTinyCost.ACTIVE_PARAMS);
        assertEquals(18_289_920L, MixtralTinyCost.ACTIVE_PARAMS);
        // Mixtral 8x7B: 32 layers, 6 idle experts of 3 x 4096 x 14336 each.
        assertEquals(46_702_792_704L - 32L * 6 * 3 * 4096 * 14336, Mixtral8x7BCost.ACTIVE_PARAMS);
        assertEquals(12_879_925_248L, Mixtral8x7BCost.ACTIVE_PARAMS);
        // A dense model uses all of its parameters.
        assertEquals(Llama3_8BCost.PARAMS, Llama3_8BCost.ACTIVE_PARAMS);
    }

    @Test
    void kvCacheIsTwoTimesLayersKvHeadsHeadDimLengthAtFp16() {
        // Llama 3 8B: 2 x 32 layers x 8 KV heads x 128 x 2 bytes = 131,072 bytes a token, 2,048 tokens.
        assertEquals(131_072L * 2048, Llama3_8BCost.KV_CACHE_BYTES);
        assertEquals(Llama3_8BCost.KV_CACHE * 2, Llama3_8BCost.KV_CACHE_BYTES);
        // GPT-2 small: 2 x 12 x 12 heads x 64 x 2 bytes = 36,864 a token.
        assertEquals(36_864L * 1024, Gpt2SmallCost.KV_CACHE_BYTES);
    }

    @Test
    void embeddingParamsAreKaplansDifference() {
        // GPT-2: token table 50,257 x 768 and positions 1,024 x 768; the tied head adds none.
        assertEquals(50_257L * 768 + 1_024L * 768, Gpt2SmallCost.EMBEDDING_PARAMS);
        // Kaplan's N = 2 d L (2 d_attn + d_ff) = 84,934,656 counts weight matrices only; PyTorch's count adds each layer's
        // biases (2,304 + 768 + 3,072 + 768) and two LayerNorms (4 x 768), and the final LayerNorm.
        assertEquals(84_934_656L + 12 * (2_304 + 768 + 3_072 + 768 + 4 * 768) + 2 * 768, Gpt2SmallCost.NON_EMBEDDING_PARAMS);
    }

    @Test
    void decodingOneTokenIsEveryLayerOnceAndAttentionOverTheCache() {
        // Llama 3 8B: the linear MACs per token (prefill linear MACs / 2,048) plus 32 layers x 32 heads x 2,048 keys x (128 + 128).
        long linearPerToken = (16_469_052_096_512L - 1_099_511_627_776L) / 2048;
        assertEquals(linearPerToken + 32L * 32 * 2048 * 256, Llama3_8BCost.DECODE_MACS);
    }

    @Test
    void theExpertsAreOneLeafWithPyTorchsPath() {
        LayerCost experts = MixtralTinyCost.LAYERS.stream().filter(l -> l.path().equals("layers.0.mlp.experts")).findFirst().orElseThrow();
        assertEquals(8L * 393_216, experts.params());
        // 256 tokens, 2 experts each, 393,216 MACs a token per expert.
        assertEquals(256L * 2 * 393_216, experts.macs());
    }

    @Test
    void weightsInBfloat16AreTwoBytesAParameter() {
        // Llama-3-8B's 8,030,261,248 parameters (as PyTorch counts them) in bf16: 16,060,522,496 bytes, the 16.06 GB of its checkpoint
        assertEquals(2 * 8_030_261_248L, Llama3_8BCost.WEIGHT_BYTES);
        // Mixtral-8x7B: every expert's weights are stored, whichever two a token uses
        assertEquals(2 * 46_702_792_704L, Mixtral8x7BCost.WEIGHT_BYTES);
        // GPT-2 small keeps fp32: its tied head adds no bytes
        assertEquals(4 * 124_439_808L, Gpt2SmallCost.WEIGHT_BYTES);
    }

    @Test
    void llama3DecodesAtTheSpeedItsWeightsAndCacheLoad() {
        // One decoding step of Llama-3-8B in bf16 at 2,048 tokens reads every weight once but the embedding table, of which it
        // gathers one row: 2 x (8,030,261,248 - 128,256 x 4,096) + 2 x 4,096 bytes; and the whole KV cache, 131,072 bytes a token.
        // Its activations at one position are small: about 213,000 elements a decoder layer (projections' inputs and outputs,
        // norms, residual adds, the SwiGLU's 14,336-wide intermediates), 32 layers and the head's 132,352, under 20 MB at 2 bytes.
        // At batch 1 every layer is memory-bound on both profiles (an H100's bf16 peak over its bandwidth is 295 FLOPs a byte), so
        // the bound lies between these bytes and 20 MB more, at the bandwidth: 4.56 ms a token on the H100, 51 ms on the L4.
        long loaded = 2 * (8_030_261_248L - 128_256L * 4096) + 2 * 4096 + 131_072L * 2048;
        long activations = 20_000_000;
        double h100 = 3350e9;
        double l4 = 300e9;
        assertBetween(loaded / h100, (loaded + activations) / h100, Llama3_8BCost.DECODE_LATENCY_BOUND_SECONDS_H100_SXM);
        assertBetween(loaded / l4, (loaded + activations) / l4, Llama3_8BCost.DECODE_LATENCY_BOUND_SECONDS_L4);
        // The forward pass over all 2,048 tokens (a prefill) reads the weights once for all of them: per token, it is under a
        // hundredth of a decoding step.
        assertTrue(Llama3_8BCost.LATENCY_BOUND_SECONDS_H100_SXM / 2048 < Llama3_8BCost.DECODE_LATENCY_BOUND_SECONDS_H100_SXM / 100);
    }

    private static void assertBetween(double low, double high, double actual) {
        assertTrue(low <= actual && actual <= high, actual + " not in [" + low + ", " + high + "]");
    }
}
