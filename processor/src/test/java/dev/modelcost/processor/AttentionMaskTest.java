package dev.modelcost.processor;

import static dev.modelcost.processor.ModelSources.compiled;
import static dev.modelcost.processor.ModelSources.constant;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * {@code @ScaledDotProductAttention} with a float mask added to its scores ({@code attn_mask}, a fourth input: T5's relative
 * position bias) and {@code scale = 1} (T5's unscaled scores): a T5 decoder's self-attention written out, as its code runs it,
 * that still decodes on a KV cache. Every expected number is derived by hand in the test.
 */
class AttentionMaskTest {

    /** A one-layer T5-style decoder on 10 tokens: width 16, 2 heads of 8, the head tied to the embedding; {@code %s} the attention's extras. */
    private static final String DECODER = """
            package test;

            import dev.modelcost.*;

            @Model(input = {10}, layout = "L", tokens = true)%s
            public class Net {
                @Embedding(numEmbeddings = 100, embeddingDim = 16)                Layer embed;
                @Linear(out = 16, bias = false)                                   Layer q;
                @From("embed") @Linear(out = 16, bias = false)                    Layer k;
                @From("embed") @Linear(out = 16, bias = false)                    Layer v;
                @From("q") @Reshape(shape = {10, 2, 8}, layout = "L,H,E")         Layer qs;
                @Permute(dims = {0, 2, 1, 3})                                     Layer qh;
                @From("k") @Reshape(shape = {10, 2, 8}, layout = "L,H,E")         Layer ks;
                @Permute(dims = {0, 2, 1, 3})                                     Layer kh;
                @From("v") @Reshape(shape = {10, 2, 8}, layout = "L,H,E")         Layer vs;
                @Permute(dims = {0, 2, 1, 3})                                     Layer vh;
                %s
                @From({%s}) @ScaledDotProductAttention(isCausal = true, explicit = true%s) Layer attn;
                @Permute(dims = {0, 2, 1, 3})                                     Layer merged;
                @Reshape(shape = {10, 16})                                        Layer flat;
                @Linear(out = 16, bias = false)                                   Layer o;
                @Linear(bias = false, tiedTo = "embed")                           Layer lm_head;
            }
            """;

    private static String decoder(String header, String mask, String reads, String extras) {
        return DECODER.formatted(header, mask, reads, extras);
    }

    private static final String BIAS = "@From(\"embed\") @RelativePositionBias(numHeads = 2, bidirectional = false) Layer bias;";

    @Test
    void aT5DecoderWithItsPositionBiasAddedToUnscaledScoresDecodesOnACache() {
        Compilation compilation = compiled(decoder("", BIAS, "\"qh\", \"kh\", \"vh\", \"bias\"", ", scale = 1"));
        // q, k, v and o: 4 · 10 · 16 · 16; the scores and the weighted values, every pair (dense): 2 heads · 10 · 10 · (8 + 8); the
        // tied head: 10 · 16 · 100
        assertEquals(4L * 10 * 16 * 16 + 2 * 10 * 10 * 16 + 10 * 16 * 100, constant(compilation, "test.NetCost", "MACS"));
        // softmax 5 a score, the causal mask 1, the bias's add 1, no scale: 7 · 2 heads · 100 scores
        assertEquals(7L * 2 * 100, constant(compilation, "test.NetCost", "OTHER_OPS"));
        // keys and values kept: 2 · 2 heads · 10 positions · 8, at fp16
        assertEquals(2L * 2 * 10 * 8, constant(compilation, "test.NetCost", "KV_CACHE"));
        assertEquals(2L * 2 * 10 * 8 * 2, constant(compilation, "test.NetCost", "KV_CACHE_BYTES"));
        // one step: q, k, v and o on the new position (4 · 16 · 16), its query on the 10 cached keys and values (2 · 10 · 16), the
        // head on it (16 · 100)
        assertEquals(4L * 16 * 16 + 2 * 10 * 16 + 16 * 100, constant(compilation, "test.NetCost", "DECODE_MACS"));
        // the embedding's 1,600, four 16 x 16 weights, the bias's 32 buckets x 2 heads
        assertEquals(1_600L + 4 * 256 + 32 * 2, constant(compilation, "test.NetCost", "PARAMS"));
    }

    @Test
    void aMaskThatHoldsNoDecodedPositionStillDecodesOnACache() {
        // A learned bias of 2 x 10 x 10, no position of it decoded: the step is the same as with no mask
        String mask = "@Parameter(shape = {2, 10, 10}, layout = \"H,L,S\") Layer bias;";
        Compilation masked = compiled(decoder("", mask, "\"qh\", \"kh\", \"vh\", \"bias\"", ""));
        assertEquals(4L * 16 * 16 + 2 * 10 * 16 + 16 * 100, constant(masked, "test.NetCost", "DECODE_MACS"));
        // scaled (the default), causal, masked: 5 + 1 + 1 + 1 a score, against 7 without the mask
        assertEquals(8L * 2 * 100, constant(masked, "test.NetCost", "OTHER_OPS"));
        assertEquals(7L * 2 * 100, constant(compiled(decoder("", mask, "\"qh\", \"kh\", \"vh\"", "")), "test.NetCost", "OTHER_OPS"));
    }

    @Test
    void aMaskOfQueriesByKeysIsEveryHeads() {
        // A mask of L x L (a learned one here), which PyTorch broadcasts over the batch and the heads: the same step and the same ops
        // as a 2 x 10 x 10 mask, 5 + 1 + 1 + 1 a score of 2 heads x 100 scores
        String mask = "@Parameter(shape = {10, 10}, layout = \"L,S\") Layer bias;";
        Compilation masked = compiled(decoder("", mask, "\"qh\", \"kh\", \"vh\", \"bias\"", ""));
        assertEquals(8L * 2 * 100, constant(masked, "test.NetCost", "OTHER_OPS"));
        assertEquals(4L * 16 * 16 + 2 * 10 * 16 + 16 * 100, constant(masked, "test.NetCost", "DECODE_MACS"));
        String text = decoder("", "@Parameter(shape = {10, 9}, layout = \"L,S\") Layer bias;", "\"qh\", \"kh\", \"vh\", \"bias\"", "");
        expectOnly(text, "[MC307] attn: ScaledDotProductAttention cannot combine field qh 2x10x8 and field kh 2x10x8 and field vh 2x10x8 "
                + "and field bias 10x9 (the mask added to the scores must be 2 x 10 x 10, query heads x queries x keys, or 10 x 10 for every "
                + "head, each axis of it that size or 1)", "Layer attn;", ModelSources.columnOf(text, "Layer attn;", "@ScaledDotProductAttention"));
        // a model input carries the batch: at a batch of 2, PyTorch aligns 2 x 10 x 10 with the heads and the queries
        text = "package test;\n\nimport dev.modelcost.*;\n\n"
                + "@Model(inputs = {@Input(name = \"q\", shape = {4, 10, 16}, layout = \"H,L,D\"), @Input(name = \"m\", shape = {10, 10}, layout = \"L,S\")}, batch = 2)\n"
                + "public class Net {\n"
                + "    @From({\"q\", \"q\", \"q\", \"m\"}) @ScaledDotProductAttention(explicit = true) Layer attn;\n"
                + "}\n";
        expectOnly(text, "[MC307] attn: ScaledDotProductAttention cannot combine the model input q 4x10x16 (given 3 times) and the model input m "
                + "10x10 (a mask of queries x keys that carries the batch is aligned by PyTorch with the heads, not the batch: give it an axis of 1 "
                + "for the heads (@Reshape to 1 x 10 x 10))", "Layer attn;", ModelSources.columnOf(text, "Layer attn;", "@ScaledDotProductAttention"));
        compiled(text.replace("batch = 2", "batch = 1"));
        // a mask of four axes is none PyTorch's scores take without the batch
        text = decoder("", "@Parameter(shape = {1, 2, 10, 10}, layout = \"N,H,L,S\") Layer bias;", "\"qh\", \"kh\", \"vh\", \"bias\"", "");
        expectOnly(text, "[MC302] attn: ScaledDotProductAttention takes an H,L,L or L,L mask added to the scores input, but field bias produces "
                + "shape 1x2x10x10", "Layer attn;", ModelSources.columnOf(text, "Layer attn;", "@ScaledDotProductAttention"));
    }

    @Test
    void writtenOutTheMasksAddSavesNothingWhileAFusedKernelKeepsTheMask() {
        // The position bias is an activation (it has weights): written out, scores + bias saves nothing for backward, so the
        // attention saves as much with it as without it (the bias computed but unread); F.scaled_dot_product_attention's
        // memory-efficient kernel keeps it (its backward takes attn_bias): 2 heads x 10 x 10 at fp32 more, 800 bytes.
        String with = "\"qh\", \"kh\", \"vh\", \"bias\"";
        String without = "\"qh\", \"kh\", \"vh\"";
        long written = constant(compiled(decoder("\n@Training", BIAS, with, ", scale = 1")), "test.NetCost", "SAVED_ACTIVATION_BYTES");
        long writtenUnread = constant(compiled(decoder("\n@Training", BIAS, without, ", scale = 1")), "test.NetCost", "SAVED_ACTIVATION_BYTES");
        assertEquals(writtenUnread, written);
        String fused = ", isCausal = false, scale = 1";
        long kept = constant(compiled(decoder("\n@Training", BIAS, with, fused).replace("isCausal = true, explicit = true, ", "")), "test.NetCost",
                "SAVED_ACTIVATION_BYTES");
        long keptUnread = constant(compiled(decoder("\n@Training", BIAS, without, fused).replace("isCausal = true, explicit = true, ", "")),
                "test.NetCost", "SAVED_ACTIVATION_BYTES");
        assertEquals(keptUnread + 2 * 10 * 10 * 4, kept);
    }

    @Test
    void mc310AMaskWithACausalFlagOnTheFusedFunction() {
        // PyTorch: "_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True"
        String text = decoder("", BIAS, "\"qh\", \"kh\", \"vh\", \"bias\"", "").replace("isCausal = true, explicit = true", "isCausal = true");
        expectOnly(text, "[MC310] attn: ScaledDotProductAttention isCausal = true must be false with a mask added to the scores, which "
                + "F.scaled_dot_product_attention refuses together (add the causal mask to it), or the attention written out (explicit = true), "
                + "as T5's code writes it", "Layer attn;", ModelSources.columnAfter(text, "Layer attn;", "isCausal = "));
    }

    @Test
    void mc307AMaskThatDoesNotBroadcastToTheScores() {
        String mask = "@Parameter(shape = {2, 10, 9}, layout = \"H,L,S\") Layer bias;";
        String text = decoder("", mask, "\"qh\", \"kh\", \"vh\", \"bias\"", "");
        expectOnly(text, "[MC307] attn: ScaledDotProductAttention cannot combine field qh 2x10x8 and field kh 2x10x8 and field vh 2x10x8 "
                + "and field bias 2x10x9 (the mask added to the scores must be 2 x 10 x 10, query heads x queries x keys, or 10 x 10 for every head, each axis of it that size or 1)", "Layer attn;",
                ModelSources.columnOf(text, "Layer attn;", "@ScaledDotProductAttention"));
    }

    @Test
    void mc307NamesAnInputGivenSeveralTimesOnce() {
        String text = "package test;\n\nimport dev.modelcost.*;\n\n"
                + "@Model(inputs = {@Input(name = \"q\", shape = {4, 10, 16}, layout = \"H,L,D\"), @Input(name = \"m\", shape = {3, 10, 10}, layout = \"H,L,S\")})\n"
                + "public class Net {\n"
                + "    @From({\"q\", \"q\", \"q\", \"m\"}) @ScaledDotProductAttention(explicit = true) Layer attn;\n"
                + "}\n";
        expectOnly(text, "[MC307] attn: ScaledDotProductAttention cannot combine the model input q 4x10x16 (given 3 times) and the model input m "
                + "3x10x10 (the mask added to the scores must be 4 x 10 x 10, query heads x queries x keys, or 10 x 10 for every head, each axis of it "
                + "that size or 1)",
                "Layer attn;", ModelSources.columnOf(text, "Layer attn;", "@ScaledDotProductAttention"));
    }
}
