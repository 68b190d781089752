package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.columnOf;
import static dev.modelcost.processor.ModelSources.compile;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Decoder LLMs: MACs against the sequence length, the three causal conventions, grouped-query
 * attention, sliding windows, tied heads, mixtures of experts and the KV cache, each against
 * PyTorch's measurement or a hand derivation.
 */
class DecoderTest {

    private static long constant(Compilation compilation, String name) {
        try {
            String source = compilation.generatedSourceFile("test.NetCost").orElseThrow().getCharContent(false).toString();
            Matcher matcher = Pattern.compile("\\b" + name + " = (\\d+)L;").matcher(source);
            assertTrue(matcher.find(), name);
            return Long.parseLong(matcher.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The LLAMA_TINY decoder of the reference modules, written out, on {@code length} tokens. */
    private static String llamaTiny(int length) {
        return """
                package test;

                import dev.modelcost.*;

                @Model(input = {%d}, layout = "L", tokens = true)
                public class Net {
                    @Embedding(numEmbeddings = 32000, embeddingDim = 512) Layer embed_tokens;
                    @Repeat(4) Decoder layers;
                    @RMSNorm Layer norm;
                    @Linear(out = 32000, bias = false) Layer lm_head;

                    @Block
                    public static class Decoder {
                        @RMSNorm Layer input_layernorm;
                        @Linear(out = 512, bias = false) Layer q_proj;
                        @From("input_layernorm") @Linear(out = 128, bias = false) Layer k_proj;
                        @From("input_layernorm") @Linear(out = 128, bias = false) Layer v_proj;
                        @From("q_proj") @Reshape(layout = "L,H,D", with = "shape = [input.L, 8, 64]") Layer q;
                        @Transpose(dim0 = 1, dim1 = 2) Layer qh;
                        @RotaryEmbedding Layer qr;
                        @From("k_proj") @Reshape(layout = "L,H,D", with = "shape = [input.L, 2, 64]") Layer k;
                        @Transpose(dim0 = 1, dim1 = 2) Layer kh;
                        @RotaryEmbedding Layer kr;
                        @From("v_proj") @Reshape(layout = "L,H,D", with = "shape = [input.L, 2, 64]") Layer v;
                        @Transpose(dim0 = 1, dim1 = 2) Layer vh;
                        @From({"qr", "kr", "vh"}) @ScaledDotProductAttention(isCausal = true, enableGqa = true) Layer attention;
                        @Transpose(dim0 = 1, dim1 = 2) Layer merged;
                        @Reshape(layout = "L,D", with = "shape = [input.L, 512]") Layer flat;
                        @Linear(out = 512, bias = false) Layer o_proj;
                        @Add({"input", "o_proj"}) Layer residual1;
                        @RMSNorm Layer post_attention_layernorm;
                        @Linear(out = 1536, bias = false) Layer gate_proj;
                        @SiLU Layer act;
                        @From("post_attention_layernorm") @Linear(out = 1536, bias = false) Layer up_proj;
                        @Mul({"act", "up_proj"}) Layer gated;
                        @Linear(out = 512, bias = false) Layer down_proj;
                        @Add({"residual1", "down_proj"}) Layer residual2;
                    }
                }
                """.formatted(length);
    }

    /** MACs of LLAMA_TINY measured with PyTorch 1.13 (reference next-wave-seq.tsv: every mm, addmm, bmm at batch 1). */
    @ParameterizedTest
    @CsvSource({"64, 1837105152", "128, 3707764736", "256, 7549747200", "512, 15636365312"})
    void llamaTinyMacsAtFourLengthsEqualPyTorch(int length, long macs) {
        Compilation compilation = compile(source("test.Net", llamaTiny(length)));
        assertThat(compilation).succeeded();
        assertEquals(macs, constant(compilation, "MACS"));
        assertEquals(44_831_232L, constant(compilation, "PARAMS"));
        // The polynomial: 4 layers x 2 products x 8 heads x 64 = 4,096 T^2, the rest linear in T.
        assertEquals(4_096L * length * length, constant(compilation, "MATMUL_MACS"));
        // KV cache: 4 layers x 2 x 2 heads x 64 x T, fp16.
        assertEquals(4L * 2 * 2 * 64 * length * 2, constant(compilation, "KV_CACHE_BYTES"));
    }

    /** GPT-2 small (tied head) of the reference modules, written out, on {@code length} tokens. */
    private static String gpt2(int length) {
        return """
                package test;

                import dev.modelcost.*;

                @Model(input = {%d}, layout = "L", tokens = true)
                public class Net {
                    @Embedding(numEmbeddings = 50257, embeddingDim = 768) Layer wte;
                    @From("input") @Arange Layer positions;
                    @Embedding(numEmbeddings = 1024, embeddingDim = 768) Layer wpe;
                    @Add({"wte", "wpe"}) Layer sum;
                    @Repeat(12) Block h;
                    @LayerNorm Layer ln_f;
                    @Linear(out = 50257, bias = false, tiedTo = "wte") Layer lm_head;

                    @dev.modelcost.Block
                    public static class Block {
                        @LayerNorm Layer ln_1;
                        @Linear(out = 2304) Layer c_attn;
                        @Chunk(chunks = 3, index = 0, dim = -1) Layer q;
                        @Reshape(layout = "L,H,D", with = "shape = [input.L, 12, 64]") Layer qs;
                        @Transpose(dim0 = 1, dim1 = 2) Layer qh;
                        @From("c_attn") @Chunk(chunks = 3, index = 1, dim = -1) Layer k;
                        @Reshape(layout = "L,H,D", with = "shape = [input.L, 12, 64]") Layer ks;
                        @Transpose(dim0 = 1, dim1 = 2) Layer kh;
                        @From("c_attn") @Chunk(chunks = 3, index = 2, dim = -1) Layer v;
                        @Reshape(layout = "L,H,D", with = "shape = [input.L, 12, 64]") Layer vs;
                        @Transpose(dim0 = 1, dim1 = 2) Layer vh;
                        @From({"qh", "kh", "vh"}) @ScaledDotProductAttention(isCausal = true) Layer attention;
                        @Transpose(dim0 = 1, dim1 = 2) Layer merged;
                        @Reshape(layout = "L,D", with = "shape = [input.L, 768]") Layer flat;
                        @Linear(out = 768) Layer c_proj;
                        @Add({"input", "c_proj"}) Layer residual1;
                        @LayerNorm Layer ln_2;
                        @Linear(out = 3072) Layer c_fc;
                        @GELU(approximate = "tanh") Layer act;
                        @Linear(out = 768) Layer mlp_proj;
                        @Add({"residual1", "mlp_proj"}) Layer residual2;
                    }
                }
                """.formatted(length);
    }

    /** MACs of GPT-2 small measured with PyTorch 1.13 (reference next-wave-seq.tsv): 123,532,032 T + 18,432 T^2, the head included. */
    @ParameterizedTest
    @CsvSource({"64, 7981547520", "128, 16114089984", "256, 32832159744", "512, 68080238592", "1024, 145824153600"})
    void gpt2MacsAtFiveLengthsEqualPyTorch(int length, long macs) {
        Compilation compilation = compile(source("test.Net", gpt2(length)));
        assertThat(compilation).succeeded();
        assertEquals(macs, constant(compilation, "MACS"));
        assertEquals(124_439_808L, constant(compilation, "PARAMS"));
        // 12 layers x 2 products x 12 heads x 64 = 18,432 T^2.
        assertEquals(18_432L * length * length, constant(compilation, "MATMUL_MACS"));
    }

    private static String attention(String causal, int queries, int keys, String extra) {
        return """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "q", shape = {2, %d, 4}, layout = "H,L,D"), @Input(name = "kv", shape = {1, %d, 4}, layout = "H,L,D")}, causal = "%s")
                public class Net {
                    @From({"q", "kv", "kv"}) @ScaledDotProductAttention(isCausal = true, enableGqa = true%s) Layer attention;
                }
                """.formatted(queries, keys, causal, extra);
    }

    @Test
    void theThreeCausalConventionsByHand() {
        // 2 query heads (1 key/value head, broadcast) of 4, 5 queries on 5 keys. Dense: 25 pairs per head.
        // Q.K^T + A.V = 2 heads x pairs x (4 + 4).
        assertEquals(2L * 25 * 8, constant(compile(source("test.Net", attention("dense", 5, 5, ""))), "MACS"));
        // Exact: 1 + 2 + 3 + 4 + 5 = 15 pairs.
        assertEquals(2L * 15 * 8, constant(compile(source("test.Net", attention("causal-exact", 5, 5, ""))), "MACS"));
        // Half: 25 / 2 = 12 pairs (rounded down).
        assertEquals(2L * 12 * 8, constant(compile(source("test.Net", attention("causal-half", 5, 5, ""))), "MACS"));
    }

    @Test
    void causalExactIsBottomRightAlignedWhenKeysOutnumberQueries() {
        // 3 queries on 7 keys (4 cached): the queries see 5, 6 and 7 keys.
        assertEquals(2L * (5 + 6 + 7) * 8, constant(compile(source("test.Net", attention("causal-exact", 3, 7, ""))), "MACS"));
        // The KV cache holds the 7 keys and values of the 1 key/value head: 7 x (4 + 4) elements, 2 bytes each.
        assertEquals(7L * 8 * 2, constant(compile(source("test.Net", attention("causal-exact", 3, 7, ""))), "KV_CACHE_BYTES"));
    }

    @Test
    void aSlidingWindowCapsTheKeysEachQuerySeesUnderCausalExact() {
        // 6 queries on 6 keys with a window of 3: 1, 2, 3, 3, 3, 3 = 15 pairs; a decoding step sees 3 keys.
        Compilation windowed = compile(source("test.Net", attention("causal-exact", 6, 6, ", slidingWindow = 3")));
        assertEquals(2L * 15 * 8, constant(windowed, "MACS"));
        assertEquals(2L * 3 * 8, constant(windowed, "DECODE_MACS"));
        // Dense counts the whole matrix, window or not: 36 pairs.
        assertEquals(2L * 36 * 8, constant(compile(source("test.Net", attention("dense", 6, 6, ", slidingWindow = 3"))), "MACS"));
    }

    @Test
    void aTiedHeadCountsItsWeightOnceAndItsMacs() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10}, layout = "L", tokens = true)
                public class Net {
                    @Embedding(numEmbeddings = 100, embeddingDim = 16) Layer wte;
                    @Linear(out = 100, bias = false, tiedTo = "wte") Layer lm_head;
                }
                """;
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).succeeded();
        assertEquals(100 * 16, constant(compilation, "PARAMS"));
        assertEquals(10 * 16 * 100, constant(compilation, "MACS"));
        assertEquals(100 * 16, constant(compilation, "EMBEDDING_PARAMS"));
        // Decoding a token: the head on one position.
        assertEquals(16 * 100, constant(compilation, "DECODE_MACS"));
    }

    @Test
    void expertsCountEveryParameterButTheTopKWork() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {4, 8}, layout = "L,D")
                public class Net {
                    @Linear(out = 4, bias = false) Layer gate;
                    @Softmax Layer routing;
                    @From("input") @Experts(count = 4, topK = 2) Expert experts;

                    @Block
                    public static class Expert {
                        @Linear(out = 16, bias = false) Layer up;
                        @Linear(out = 8, bias = false) Layer down;
                    }
                }
                """;
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).succeeded();
        // Router 8 x 4 = 32; an expert 8 x 16 + 16 x 8 = 256, four of them.
        assertEquals(32 + 4 * 256, constant(compilation, "PARAMS"));
        assertEquals(32 + 2 * 256, constant(compilation, "ACTIVE_PARAMS"));
        // 4 tokens: router 4 x 32 = 128 MACs; each token through 2 experts of 256 MACs.
        assertEquals(128 + 4 * 2 * 256, constant(compilation, "MACS"));
    }

    @Test
    void mc305KeyValueHeadsNotDividingQueryHeads() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "q", shape = {8, 5, 4}, layout = "H,L,D"), @Input(name = "kv", shape = {3, 5, 4}, layout = "H,L,D")})
                public class Net {
                    @From({"q", "kv", "kv"}) @ScaledDotProductAttention(enableGqa = true) Layer attention;
                }
                """;
        expectOnly(text, "[MC305] attention: ScaledDotProductAttention the key/value heads = 3 does not divide the query heads = 8",
                "Layer attention;", columnOf(text, "Layer attention;", "@ScaledDotProductAttention"));
    }

    @Test
    void mc104ASlidingWindowOfZero() {
        String text = attention("causal-exact", 5, 5, ", slidingWindow = 0");
        expectOnly(text, "[MC104] attention: ScaledDotProductAttention slidingWindow must be at least 1, but is 0", "Layer attention;",
                columnAfter(text, "Layer attention;", "slidingWindow = "));
    }

    @Test
    void mc123TopKAboveTheExpertCount() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {4, 8}, layout = "L,D")
                public class Net {
                    @Experts(count = 4, topK = 6) Expert experts;

                    @Block
                    public static class Expert {
                        @Linear(out = 8, bias = false) Layer fc;
                    }
                }
                """;
        expectOnly(text, "[MC123] experts: @Experts(topK = 6) must pick at least one of the count = 4 experts, and no more", "Expert experts;",
                columnAfter(text, "Expert experts;", "topK = "));
    }

    @Test
    void mc317TiedTensorsOfDifferentShapes() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10}, layout = "L", tokens = true)
                public class Net {
                    @Embedding(numEmbeddings = 100, embeddingDim = 16) Layer wte;
                    @Linear(out = 99, bias = false, tiedTo = "wte") Layer lm_head;
                }
                """;
        expectOnly(text, "[MC317] lm_head: a weight of 99 x 16 cannot be tied to wte, whose table is 100 x 16", "Layer lm_head;",
                columnAfter(text, "Layer lm_head;", "tiedTo = "));
    }

    @Test
    void mc203HeadsNotDividingTheWidthWithoutAHeadDimension() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10, 510})
                public class Net {
                    @Reshape(layout = "L,H,D", with = "shape = [input.L, 8, exact(input.D, 8)]") Layer heads;
                }
                """;
        expectOnly(text, "[MC203] heads shape: 8 does not divide 510 (exact)", "Layer heads;", columnAfter(text, "Layer heads;", "with = "));
    }

    @Test
    void mc124AnUnknownCausalConvention() {
        String text = attention("causal-quarter", 5, 5, "");
        expectOnly(text, "[MC124] @Model(causal = \"causal-quarter\") is not one of [dense, causal-exact, causal-half]", "@Model",
                columnAfter(text, "@Model", "causal = "));
    }
}
