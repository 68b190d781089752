package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.columnOf;
import static dev.modelcost.processor.ModelSources.compile;
import static dev.modelcost.processor.ModelSources.expectInBlock;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.model;
import static dev.modelcost.processor.ModelSources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Decoder LLMs: the three causal conventions, grouped-query attention, sliding windows, tied heads,
 * mixtures of experts and the KV cache, each against a hand derivation (the examples against
 * PyTorch at several sequence lengths are the examples module's {@code SequenceLengthTest}).
 */
class DecoderTest {

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
    void aLastTokenHeadDecodesOnceWhereTheWidthIsAsLongAsTheSequence() {
        // A causal attention over L = 8 positions of width 8, the last position selected (x[:, -1], a classifier or reward head),
        // a linear head. Decoding the last token: the attention's projections once (3·8·8 + 8·8 = 256), its query against the L
        // keys (8·L + 8·L), then the head on the one position (8·3 = 24): 408 at L = 8. The selection leaves no axis of the
        // positions, though its output's D is as long as L was (taken for them, the head's MACs were divided by 8: 392).
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8, 8}, layout = "L,D")
                public class Net {
                    @MultiheadAttention(numHeads = 2, isCausal = true) Layer attn;
                    @Select(dim = 1, index = -1) Layer last;
                    @Linear(out = 3) Layer head;
                }
                """;
        assertEquals(256L + 16 * 8 + 24, ModelSources.constant(compile(source("test.Net", text)), "test.NetCost", "DECODE_MACS"));
        // At L = 12, whose width differs, the same rule: 256 + 16·12 + 24.
        assertEquals(256L + 16 * 12 + 24, ModelSources.constant(compile(source("test.Net", text.replace("{8, 8}", "{12, 8}"))), "test.NetCost",
                "DECODE_MACS"));
    }

    @Test
    void latentAttentionCachesItsKeysAlone() {
        // DeepSeek-V3's multi-head latent attention with its projections absorbed, as FlashMLA runs it: 128 query heads of 576 on one
        // key/value head holding the 512-wide latent and the 64-wide rotary key; the values are the latent, the keys' first 512.
        // 16 tokens: the cache holds 16 · 576 = 9,216 elements a layer, as DeepSeek-V3's (512 + 64) a token and layer, not the
        // 16 · (576 + 512) of keys and values cached apart. The work is the same: 128 heads · 136 causal pairs · (576 + 512).
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "q", shape = {128, 16, 576}, layout = "H,L,D"),
                        @Input(name = "latent", shape = {1, 16, 576}, layout = "H,L,D")}, causal = "causal-exact")
                public class Net {
                    @From("latent") @Slice(dim = -1, start = 0, end = 512) Layer values;
                    @From({"q", "latent", "values"}) @ScaledDotProductAttention(isCausal = true, enableGqa = true%s) Layer attention;
                }
                """;
        Compilation latent = compile(source("test.Net", text.formatted(", valuesInKeys = true")));
        assertEquals(16L * 576, ModelSources.constant(latent, "test.NetCost", "KV_CACHE"));
        assertEquals(128L * 136 * (576 + 512), ModelSources.constant(latent, "test.NetCost", "MACS"));
        Compilation apart = compile(source("test.Net", text.formatted("")));
        assertEquals(16L * (576 + 512), ModelSources.constant(apart, "test.NetCost", "KV_CACHE"));
    }

    @Test
    void valuesWiderThanTheKeysCannotBeInThem() {
        // Values from outside the network, taken as written: the formula still refuses them wider than the keys they would be in.
        String text = attention("dense", 5, 5, ", valuesInKeys = true").replace("@From({\"q\", \"kv\", \"kv\"})", "@From({\"q\", \"kv\", \"wide\"})")
                .replace("layout = \"H,L,D\")}", "layout = \"H,L,D\"), @Input(name = \"wide\", shape = {1, 5, 8}, layout = \"H,L,D\")}");
        ModelSources.expectOnly(text, "[MC310] attention: ScaledDotProductAttention valuesInKeys = true must be false for values of 8 features on "
                + "keys of 4", "Layer attention;", ModelSources.columnAfter(text, "Layer attention;", "valuesInKeys = "));
    }

    @Test
    void theThreeCausalConventionsByHand() {
        // 2 query heads (1 key/value head, broadcast) of 4, 5 queries on 5 keys. Dense: 25 pairs per head.
        // Q.K^T + A.V = 2 heads x pairs x (4 + 4).
        assertEquals(2L * 25 * 8, ModelSources.constant(compile(source("test.Net", attention("dense", 5, 5, ""))), "test.NetCost", "MACS"));
        // Exact: 1 + 2 + 3 + 4 + 5 = 15 pairs.
        assertEquals(2L * 15 * 8, ModelSources.constant(compile(source("test.Net", attention("causal-exact", 5, 5, ""))), "test.NetCost", "MACS"));
        // Half: 25 / 2 = 12 pairs (rounded down).
        assertEquals(2L * 12 * 8, ModelSources.constant(compile(source("test.Net", attention("causal-half", 5, 5, ""))), "test.NetCost", "MACS"));
    }

    /** Self-attention of nn.MultiheadAttention with a causal mask on 6 tokens of 16 features, 4 heads of 4, under a convention. */
    private static String fusedCausal(String causal, int tokens) {
        return ModelSources.model("@Model(input = {%d, 16}, layout = \"L,D\", causal = \"%s\")".formatted(tokens, causal),
                "@MultiheadAttention(numHeads = 4, batchFirst = true, isCausal = true) Layer attn;");
    }

    @Test
    void multiheadAttentionCountsItsCausalProductsByTheModelsConvention() {
        // Q.K^T and A.V: 4 heads x pairs x head size 4, twice. The four projections, 4 x 6 x 16 x 16 = 6,144 MACs, stay.
        // Dense: 36 pairs. Exact: 1 + ... + 6 = 21. Half of 49 pairs on 7 tokens: 24.
        assertEquals(2L * 4 * 36 * 4, ModelSources.constant(compile(source("test.Net", fusedCausal("dense", 6))), "test.NetCost", "MATMUL_MACS"));
        Compilation exact = compile(source("test.Net", fusedCausal("causal-exact", 6)));
        assertEquals(2L * 4 * 21 * 4, ModelSources.constant(exact, "test.NetCost", "MATMUL_MACS"));
        assertEquals(4L * 6 * 16 * 16 + 2L * 4 * 21 * 4, ModelSources.constant(exact, "test.NetCost", "MACS"));
        // FLOPs: the projections' 2·16 per output (15 adds + 16 multiplies + a bias add), Q.K^T 2·4 − 1 per pair, A.V 2·21 − 6 per head and
        // feature (each query's row sums the keys it sees): 4 x 6 x 16 x 32 + 4 x 21 x 7 + 4 x 4 x 36.
        assertEquals(4L * 6 * 16 * 32 + 4L * 21 * 7 + 4L * 4 * 36, ModelSources.constant(exact, "test.NetCost", "FLOPS"));
        // Other ops: the query scaled (6 x 16), then softmax and the mask, 6 per pair counted.
        assertEquals(6L * 16 + 4L * 21 * 6, ModelSources.constant(exact, "test.NetCost", "OTHER_OPS"));
        assertEquals(2L * 4 * 24 * 4, ModelSources.constant(compile(source("test.Net", fusedCausal("causal-half", 7))), "test.NetCost", "MATMUL_MACS"));
        // Decoding the last token costs the same under every convention: its projections, 4 x 16 x 16, and its query on all 6 keys,
        // 2 x 4 heads x 6 x 4.
        assertEquals(4L * 16 * 16 + 2L * 4 * 6 * 4, ModelSources.constant(exact, "test.NetCost", "DECODE_MACS"));
        assertEquals(4L * 16 * 16 + 2L * 4 * 6 * 4, ModelSources.constant(compile(source("test.Net", fusedCausal("dense", 6))), "test.NetCost", "DECODE_MACS"));
        // One token under causal-half: 1 / 2 = 0 pairs, so no products and no sums, not a negative count: the projections' 4 x 16 x 32 FLOPs.
        assertEquals(4L * 16 * 32, ModelSources.constant(compile(source("test.Net", fusedCausal("causal-half", 1))), "test.NetCost", "FLOPS"));
    }

    @Test
    void mc310MultiheadAttentionWithMoreQueriesThanKeysUnderEveryConvention() {
        // as F.scaled_dot_product_attention is refused: the README's "more queries than keys under a causal mask" is an error
        for (String convention : new String[] {"dense", "causal-half", "causal-exact"}) {
            String text = ModelSources.model("@Model(inputs = {@Input(name = \"q\", shape = {7, 16}), @Input(name = \"kv\", shape = {5, 16})}, causal = \""
                    + convention + "\")", "@From({\"q\", \"kv\", \"kv\"}) @MultiheadAttention(numHeads = 4, batchFirst = true, isCausal = true) Layer attn;");
            expectOnly(text, "[MC310] attn: MultiheadAttention isCausal = true must be false for 7 queries on 5 keys: modelcost counts a causal "
                    + "mask aligned bottom-right, as a KV cache aligns it, and the first 2 queries would see no key (PyTorch 2's is_causal aligns it "
                    + "top-left, which is not counted)", "Layer attn;", ModelSources.columnAfter(text, "Layer attn;", "isCausal = "));
        }
    }

    @Test
    void aCausalCrossAttentionDecodesOneQueryOnTheMemoryUnderEveryConvention() {
        // 6 queries of 10 features (2 heads of 5) on 6 memory positions. By hand, a decoding step: the query's and the output's
        // projections, 2 x 10 x 10, and one query on the 6 cached keys, 2 x 2 heads x 6 x 5; the memory's keys and values are
        // projected once, not at every step (self-attention projects its new position's key and value too: 4 x 10 x 10 + 120).
        for (String convention : new String[] {"dense", "causal-half", "causal-exact"}) {
            Compilation cross = compile(source("test.Net", ModelSources.model("@Model(inputs = {@Input(name = \"q\", shape = {6, 10}), "
                    + "@Input(name = \"k\", shape = {6, 10})}, causal = \"" + convention + "\")",
                    "@From({\"q\", \"k\", \"k\"}) @MultiheadAttention(numHeads = 2, isCausal = true) Layer a;")));
            assertEquals(2L * 10 * 10 + 2L * 2 * 6 * 5, ModelSources.constant(cross, "test.NetCost", "DECODE_MACS"), convention);
            Compilation self = compile(source("test.Net", ModelSources.model("@Model(input = {6, 10}, layout = \"L,D\", causal = \"" + convention + "\")",
                    "@MultiheadAttention(numHeads = 2, isCausal = true) Layer a;")));
            assertEquals(4L * 10 * 10 + 2L * 2 * 6 * 5, ModelSources.constant(self, "test.NetCost", "DECODE_MACS"), convention);
            // Keys and values another tensor than the queries but of the same positions (a norm of the input): the new position's
            // key and value are projected at every step, as in self-attention (fvcore on one step written out with a KV cache
            // in PyTorch 1.13 counts the four projections too).
            Compilation normed = compile(source("test.Net", ModelSources.model("@Model(input = {6, 10}, layout = \"L,D\", causal = \"" + convention + "\")",
                    "@LayerNorm Layer kv;", "@From({\"input\", \"kv\", \"kv\"}) @MultiheadAttention(numHeads = 2, isCausal = true) Layer a;")));
            assertEquals(4L * 10 * 10 + 2L * 2 * 6 * 5, ModelSources.constant(normed, "test.NetCost", "DECODE_MACS"), convention);
        }
        // By hand, E = 64, batch 2, 16 positions: a causal self-attention's step, 2 x (4 x 64 x 64 + 2 x 16 x 64) = 36,864, whatever
        // the positions axis is named when keys and values are a norm of the input; an attention on 32 learned memory positions
        // (causal or not) projects the query and the output alone and reads the 32 cached keys, 2 x (2 x 64 x 64 + 2 x 32 x 64) = 24,576.
        Compilation normedT = compile(source("test.Net", ModelSources.model("@Model(input = {16, 64}, batch = 2, layout = \"T,D\")",
                "@LayerNorm Layer ln;", "@From({\"input\", \"ln\", \"ln\"}) @MultiheadAttention(numHeads = 4, isCausal = true) Layer attn;")));
        assertEquals(36_864L, ModelSources.constant(normedT, "test.NetCost", "DECODE_MACS"));
        // A GPT-like block on that input: its MLP on one position too, 2 x (18,432 + 64 x 256 + 256 x 64) = 102,400.
        Compilation gptT = compile(source("test.Net", ModelSources.model("@Model(input = {16, 64}, batch = 2, layout = \"T,D\")",
                "@LayerNorm Layer ln1;", "@MultiheadAttention(numHeads = 4, isCausal = true) Layer attn;", "@Add({\"input\", \"attn\"}) Layer r1;",
                "@LayerNorm Layer ln2;", "@Linear(out = 256) Layer fc1;", "@GELU Layer act;", "@Linear(out = 64) Layer fc2;",
                "@Add({\"r1\", \"fc2\"}) Layer r2;")));
        assertEquals(102_400L, ModelSources.constant(gptT, "test.NetCost", "DECODE_MACS"));
        Compilation memory = compile(source("test.Net", ModelSources.model("@Model(input = {16, 64}, batch = 2)",
                "@MultiheadAttention(numHeads = 4, isCausal = true) Layer self;", "@Parameter(shape = {32, 64}) Layer mem;",
                "@From({\"self\", \"mem\", \"mem\"}) @MultiheadAttention(numHeads = 4) Layer attn;")));
        assertEquals(36_864L + 24_576L, ModelSources.constant(memory, "test.NetCost", "DECODE_MACS"));
    }

    @Test
    void aKvCacheIsKeptOnlyByTheAttentionADecodingStepRuns() {
        // Heads already split (H,L,D), 2 heads of 8, keys and values of 8 features each: a layer caches 2 x L_k x (8 + 8) elements.
        // The encoder's self-attention over 10 source positions is run once, not per token: 2 x 10 x 16 = 320 not kept. The decoder's
        // causal self-attention over 4 target positions keeps 2 x 4 x 16 = 128, its cross-attention the 10 encoded positions, 320.
        String text = ModelSources.model("@Model(inputs = {@Input(name = \"src\", shape = {2, 10, 8}, layout = \"H,L,D\"), "
                + "@Input(name = \"tgt\", shape = {2, 4, 8}, layout = \"H,L,D\")})",
                "@From({\"src\", \"src\", \"src\"}) @ScaledDotProductAttention Layer encoder;",
                "@From({\"tgt\", \"tgt\", \"tgt\"}) @ScaledDotProductAttention(isCausal = true) Layer self_attn;",
                "@From({\"self_attn\", \"encoder\", \"encoder\"}) @ScaledDotProductAttention Layer cross_attn;");
        Compilation compilation = compile(source("test.Net", text));
        assertEquals(128L + 320, ModelSources.constant(compilation, "test.NetCost", "KV_CACHE"));
        assertEquals((128L + 320) * 2, ModelSources.constant(compilation, "test.NetCost", "KV_CACHE_BYTES"));
        // An encoder alone decodes nothing and keeps no cache, whichever way its attention is written.
        Compilation encoder = compile(source("test.Net", ModelSources.model("@Model(input = {2, 10, 8}, layout = \"H,L,D\")",
                "@From({\"input\", \"input\", \"input\"}) @ScaledDotProductAttention Layer attention;")));
        assertEquals(0L, ModelSources.constant(encoder, "test.NetCost", "KV_CACHE"));
        assertEquals(0L, ModelSources.constant(encoder, "test.NetCost", "KV_CACHE_BYTES"));
        assertEquals(0L, ModelSources.constant(encoder, "test.NetCost", "DECODE_MACS"));
        // Its layer table says the same: no layer keeps a cache (no kv_cache column) and each decodes nothing.
        String table = ModelSources.generated(encoder, "test.NetCost");
        assertFalse(table.contains("kv_cache"), table);
        assertTrue(table.contains("+ \"attention\\tScaledDotProductAttention\\t2x10x8\\t"), table);
        assertTrue(table.contains("path\\tkind\\toutput_shape\\tmacs\\tflops\\tparams\\tbuffers\\tother_ops\\tdecode_macs"), table);
    }

    @Test
    void multiheadAttentionCachesItsProjectedKeysAndValuesWhereADecodingStepRunsIt() {
        // A decoder of one input with nn.MultiheadAttention, batch 3, 6 tokens of 16 features: 2·16·6 per batch element, whatever the
        // heads (keys and values are projected to E = 16 features each); bias_k and bias_v are parameters, not cache.
        String decoder = ModelSources.model("@Model(input = {6, 16}, batch = 3, layout = \"L,D\")",
                "@MultiheadAttention(numHeads = 4, batchFirst = true, isCausal = true, addBiasKv = true) Layer attn;");
        assertEquals(3L * 2 * 16 * 6, ModelSources.constant(compile(source("test.Net", decoder)), "test.NetCost", "KV_CACHE"));
        // The same attention without the causal mask is an encoder's: it decodes nothing and keeps nothing.
        assertEquals(0L, ModelSources.constant(compile(source("test.Net", decoder.replace("isCausal = true", "isCausal = false"))), "test.NetCost",
                "KV_CACHE"));
    }

    @Test
    void aDecodingStepFollowsThePositionsThroughAReshapeThatRenamesTheirAxis() {
        // The token input's axis is T, and the heads' reshape calls it L, as the examples' blocks write it: the positions are still
        // those 100. One token: q 64 x 64, its query on 100 cached keys 2 x 4 heads x 16 x 100, o_proj 64 x 64, head 64 x 1,000.
        String text = ModelSources.model("@Model(input = {100}, layout = \"T\", tokens = true)",
                "@Embedding(numEmbeddings = 1000, embeddingDim = 64) Layer emb;",
                "@Linear(out = 64, bias = false) Layer q_proj;",
                "@Reshape(layout = \"L,H,D\", shape = {-1, 4, 16}) Layer q;",
                "@Transpose(dim0 = 1, dim1 = 2) Layer qh;",
                "@From({\"qh\", \"qh\", \"qh\"}) @ScaledDotProductAttention(isCausal = true) Layer attention;",
                "@Transpose(dim0 = 1, dim1 = 2) Layer merged;",
                "@Reshape(layout = \"L,D\", shape = {-1, 64}) Layer flat;",
                "@Linear(out = 64, bias = false) Layer o_proj;",
                "@Linear(out = 1000, bias = false) Layer head;");
        long expected = 64 * 64 + 2 * 4 * 16 * 100 + 64 * 64 + 64 * 1000;
        Compilation renamed = compile(source("test.Net", text));
        assertEquals(expected, ModelSources.constant(renamed, "test.NetCost", "DECODE_MACS"));
        // The rows say the same: the layers after the reshape decode one position too.
        assertEquals(expected, column(ModelSources.generated(renamed, "test.NetCost"), "decode_macs").values().stream().mapToLong(Long::longValue).sum());
        // The same with the reshapes naming it T.
        assertEquals(expected, ModelSources.constant(compile(source("test.Net", text.replace("\"L,H,D\"", "\"T,H,D\"").replace("\"L,D\"", "\"T,D\""))),
                "test.NetCost", "DECODE_MACS"));
    }

    @Test
    void anEncodersRowsKeepNoKvCacheAsTheTotalKeepsNone() {
        // nn.Transformer in small: the encoder's self-attention over the 16 source positions runs once; the decoder's self- and
        // cross-attention keep 2 x 8 x 64 and 2 x 16 x 64. The rows sum to the total.
        String text = ModelSources.model("@Model(inputs = {@Input(name = \"src\", shape = {16, 64}, layout = \"L,D\"), "
                + "@Input(name = \"tgt\", shape = {8, 64}, layout = \"L,D\")})",
                "@From(\"src\") @MultiheadAttention(numHeads = 4, batchFirst = true) Layer encoder;",
                "@From(\"tgt\") @MultiheadAttention(numHeads = 4, batchFirst = true, isCausal = true) Layer self_attn;",
                "@From({\"self_attn\", \"encoder\", \"encoder\"}) @MultiheadAttention(numHeads = 4, batchFirst = true) Layer cross_attn;");
        Compilation compilation = compile(source("test.Net", text));
        assertEquals(2L * 8 * 64 + 2L * 16 * 64, ModelSources.constant(compilation, "test.NetCost", "KV_CACHE"));
        java.util.Map<String, Long> rows = column(ModelSources.generated(compilation, "test.NetCost"), "kv_cache");
        assertEquals(java.util.Map.of("encoder", 0L, "self_attn", 2L * 8 * 64, "cross_attn", 2L * 16 * 64), rows);
        // And each row's decode_macs is what it adds to the step: the encoder nothing; the self-attention its four projections of one
        // token (4 x 64 x 64) and its query on 8 keys (2 x 8 x 64); the cross-attention its query and output projections (2 x 64 x 64)
        // and its query on the 16 cached keys of the memory (2 x 16 x 64). They sum to the total.
        long e = 64;
        assertEquals(java.util.Map.of("encoder", 0L, "self_attn", 4 * e * e + 2 * 8 * e, "cross_attn", 2 * e * e + 2 * 16 * e),
                column(ModelSources.generated(compilation, "test.NetCost"), "decode_macs"));
        assertEquals(4 * e * e + 2 * 8 * e + 2 * e * e + 2 * 16 * e, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"));
    }

    /** A column of a generated layer table, by path. */
    private static java.util.Map<String, Long> column(String generated, String name) {
        java.util.regex.Matcher table = java.util.regex.Pattern.compile("LayerCost\\.table\\(\"(.*?)\", \"NetCost\"\\)", java.util.regex.Pattern.DOTALL)
                .matcher(generated);
        assertTrue(table.find(), generated);
        String[] lines = table.group(1).replace("\"\n      + \"", "").split("\\\\n");
        java.util.List<String> header = java.util.List.of(lines[0].split("\\\\t"));
        java.util.Map<String, Long> rows = new java.util.HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split("\\\\t");
            rows.put(cells[0], Long.parseLong(cells[header.indexOf(name)]));
        }
        return rows;
    }

    @Test
    void mc310ATiedLayerWithADtypeOfItsOwn() {
        String text = ModelSources.model("@Model(input = {10}, layout = \"L\", tokens = true)",
                "@Embedding(numEmbeddings = 100, embeddingDim = 16) Layer wte;",
                "@Dtype(weights = \"int8\") @Linear(out = 100, bias = false, tiedTo = \"wte\") Layer head;");
        expectOnly(text, "[MC310] head: Linear tiedTo = 'wte' must be left out, or @Dtype(weights = \"int8\") left out: the shared weight is fp32, "
                + "as wte holds it", "Layer head;", columnAfter(text, "Layer head;", "tiedTo = "));
    }

    @Test
    void aTiedLayerTakesTheSizesItLeavesOutFromTheSharedWeight() {
        // A head tied to a 100 x 16 table is nn.Linear(16, 100): 10 · 16 · 100 MACs, no parameters of its own; T5's decoder embedding
        // tied to the encoder's, 100 x 16 too: the same 1,600 parameters, counted once.
        Compilation head = ModelSources.compiled(ModelSources.model("@Model(input = {10}, layout = \"L\", tokens = true)",
                "@Embedding(numEmbeddings = 100, embeddingDim = 16) Layer wte;", "@Linear(bias = false, tiedTo = \"wte\") Layer lm_head;"));
        assertEquals(10L * 16 * 100, ModelSources.constant(head, "test.NetCost", "MACS"));
        assertEquals(1_600L, ModelSources.constant(head, "test.NetCost", "PARAMS"));
        assertTrue(ModelSources.generated(head, "test.NetCost").contains("OUTPUT_SHAPE = \"1x10x100\""));
        Compilation shared = ModelSources.compiled("""
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "src", shape = {12}, tokens = true), @Input(name = "tgt", shape = {8}, tokens = true)})
                public class Net {
                    @From("src") @Embedding(numEmbeddings = 100, embeddingDim = 16) Layer shared;
                    @From("tgt") @Embedding(tiedTo = "shared") Layer embed_tokens;
                    @Concat(value = {"embed_tokens", "shared"}, dim = 1) Layer both;
                }
                """);
        assertEquals(1_600L, ModelSources.constant(shared, "test.NetCost", "PARAMS"));
        assertTrue(ModelSources.generated(shared, "test.NetCost").contains("OUTPUT_SHAPE = \"1x20x16\""));
        // A tie to no earlier layer is refused as such, not as a size left out.
        String unknown = ModelSources.model("@Model(input = {8})", "@Linear(out = 8) Layer a;", "@Linear(bias = false, tiedTo = \"wtf\") Layer b;");
        expectOnly(unknown, "[MC210] b: 'wtf' names no earlier field or input", "Layer b;", columnAfter(unknown, "Layer b;", "tiedTo = "));
    }

    @Test
    void mc310ATieToAnEarlierFieldThatHoldsNoWeight() {
        String text = ModelSources.model("@Model(input = {8})", "@Linear(out = 8) Layer a;", "@ReLU Layer act;",
                "@Linear(out = 8, bias = false, tiedTo = \"act\") Layer b;");
        expectOnly(text, "[MC310] b: Linear tiedTo = 'act' must be an earlier Embedding or Linear field: act holds no such weight to share",
                "Layer b;", columnAfter(text, "Layer b;", "tiedTo = "));
    }

    @Test
    void aModelWhosePositionsNoAxisNamesDecodesEachLayerWhole() {
        // An image cut into 16 patches, then causal attention over them: the input's first axis is its channels, not positions, so
        // no layer is divided by them; each decodes as its own figure says: the convolution and the head all of it, no axis being
        // named L, and the causal attention one query on its 16 keys (its figure under every convention).
        String text = ModelSources.model("@Model(input = {3, 32, 32})", "@Conv2d(cout = 64, k = 8, stride = 8) Layer patches;",
                "@Flatten(startDim = 2) Layer flat;", "@Permute(dims = {0, 2, 1}) Layer tokens;",
                "@MultiheadAttention(numHeads = 4, batchFirst = true, isCausal = true) Layer attn;", "@Linear(out = 256) Layer head;");
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).succeeded();
        // By hand, the attention (E 64, 4 heads of 16, 16 patches): 4 x 16 x 64 x 64 + 2 x 4 x 16 x 16 x 16 = 294,912 MACs; one
        // query: 4 x 64 x 64 + 2 x 4 x 16 x 16 = 18,432
        assertEquals(ModelSources.constant(compilation, "test.NetCost", "MACS") - 294_912 + 18_432, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"));
    }

    @Test
    void aModelThatSeesItsPositionsBothWaysDecodesNothing() {
        // A bidirectional LSTM encoder: no step of it runs on one new token. 0, as its KV cache.
        String both = ModelSources.model("@Model(input = {10, 8}, layout = \"L,D\")", "@LSTM(hiddenSize = 16, bidirectional = true) Layer rnn;");
        assertEquals(0L, ModelSources.constant(compile(source("test.Net", both)), "test.NetCost", "DECODE_MACS"));
        // One direction, a language model's: a step is one time step, 4 gates x 16 x (8 + 16) multiply-adds.
        String one = both.replace(", bidirectional = true", "");
        assertEquals(4L * 16 * (8 + 16), ModelSources.constant(compile(source("test.Net", one)), "test.NetCost", "DECODE_MACS"));
    }

    @Test
    void aBidirectionalLayerBeforeAOneWayOneMakesTheStepRerunWhatItChanges() {
        // Token ids, a bidirectional GRU, a GRU, a head, over 10 positions. A new token changes the backward direction's output at
        // every position, so the one-way GRU after it reruns all 10 steps; the forward direction's earlier states stand.
        String text = ModelSources.model("@Model(input = {10}, layout = \"L\", tokens = true)\n@Roofline(hardware = \"h100-sxm\")",
                "@Embedding(numEmbeddings = 300, embeddingDim = 64) Layer embed;", "@GRU(hiddenSize = 64, bidirectional = true) Layer bi;",
                "@GRU(hiddenSize = 64) Layer uni;", "@Linear(out = 300) Layer head;");
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).succeeded();
        // By hand, a GRU step is 3 gates x H x (in + H) multiply-adds (H = 64): the forward direction one step on the 64 embedding
        // features, 3 x 64 x 128 = 24,576; the backward one 10 steps, 245,760; the GRU after it 10 steps on the 128 features both
        // directions give, 10 x 3 x 64 x 192 = 368,640; the head one position, 64 x 300 = 19,200
        assertEquals(24_576L + 245_760 + 368_640 + 19_200, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"));
        assertEquals(0L, ModelSources.constant(compilation, "test.NetCost", "KV_CACHE"));
        // The step's bound on an H100 (3,350 GB/s; every layer memory-bound at fp32): the embedding reads one row and its id and
        // writes one position (256 + 8 + 256 B); the layers rerun read their weights and every position of their input and write
        // every position of their output and h_n, as their forward pass does: the bidirectional GRU 2 directions x (3 x 64 x 128
        // + 2 x 3 x 64) weights x 4 B = 199,680 B, 10 x 64 x 4 in, 10 x 128 x 4 out, 2 x 64 x 4 h_n; the GRU (3 x 64 x 192 + 384)
        // x 4 = 148,992 B, 10 x 128 x 4 in, 10 x 64 x 4 out, 64 x 4 h_n; the head its weights (64 x 300 + 300) x 4 and one position
        // in and out (256 + 1,200 B)
        long bytes = 520 + (199_680 + 2_560 + 5_120 + 512) + (148_992 + 5_120 + 2_560 + 256) + (78_000 + 256 + 1_200);
        assertEquals(bytes / 3350e9, ModelSources.doubleConstant(compilation, "test.NetCost", "DECODE_LATENCY_BOUND_SECONDS_H100_SXM"), 1e-20);
    }

    @Test
    void aBidirectionalLayerTheStepNeedsAtTheNewPositionAloneTakesOneStepEachWay() {
        // Token ids, an LSTM, a bidirectional LSTM, a head, over 10 positions: the head needs the new position alone, where the
        // backward direction starts from its zero state on that position, and the forward direction goes on from its last state.
        String text = ModelSources.model("@Model(input = {10}, layout = \"L\", tokens = true)",
                "@Embedding(numEmbeddings = 100, embeddingDim = 16) Layer embed;", "@LSTM(hiddenSize = 16) Layer uni;",
                "@LSTM(hiddenSize = 16, bidirectional = true) Layer bi;", "@Linear(out = 100) Layer head;");
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).succeeded();
        // By hand, an LSTM step is 4 gates x 16 x (16 + 16) = 2,048 multiply-adds: the LSTM one step, each direction one step, and the
        // head one position, 32 x 100 (PyTorch 1.13: nn.LSTM(16, 16, bidirectional=True) on x and on x[-1:] gives the same backward
        // half at the last position)
        assertEquals(2_048L + 2 * 2_048 + 3_200, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"));
        // With two layers the second's forward direction reads every position of the first's output, whose backward half changed
        // everywhere: the first layer's backward direction reruns its 10 steps (the forward one step), the second layer's forward
        // direction its 10 steps on 32 features, 4 x 16 x (32 + 16) = 3,072 each, its backward direction one step
        String two = text.replace("@LSTM(hiddenSize = 16, bidirectional = true)", "@LSTM(hiddenSize = 16, numLayers = 2, bidirectional = true)");
        assertEquals(2_048L + (2_048 + 10 * 2_048) + (10 * 3_072 + 3_072) + 3_200,
                ModelSources.constant(compile(source("test.Net", two)), "test.NetCost", "DECODE_MACS"));
    }

    @Test
    void whatReadsEveryPositionOfATensorThatChangesEverywhereMakesItRerunWhole() {
        // A causal MultiheadAttention(16, 2) on 10 positions of 16 features, then a bidirectional LSTM(8): an LSTM step of one
        // direction on 16 features is 4 x 8 x (16 + 8) = 768 multiply-adds, the attention's step 4 x 16 x 16 + 2 x 2 x 10 x 8 = 1,344.
        String header = "@Model(input = {10, 16}, layout = \"L,D\")";
        String attention = "@MultiheadAttention(numHeads = 2, isCausal = true) Layer att;";
        // The mean over the positions reads the backward direction at every position: it reruns its 10 steps, the forward one 1
        String mean = ModelSources.model(header, attention, "@LSTM(hiddenSize = 8, bidirectional = true) Layer bi;", "@Mean(dim = 1) Layer pool;",
                "@Linear(out = 5) Layer head;");
        assertEquals(1_344L + 11 * 768 + 16 * 5, ModelSources.constant(compile(source("test.Net", mean)), "test.NetCost", "DECODE_MACS"));
        // h_n holds the backward direction's state after every position (an LSTM(32) first: one step 4 x 32 x 48 = 6,144, and a
        // step of the bidirectional one on its 32 features 4 x 8 x 40 = 1,280)
        String state = ModelSources.model(header, "@LSTM(hiddenSize = 32) Layer dec;",
                "@LSTM(hiddenSize = 8, bidirectional = true, output = \"h_n\") Layer bi;", "@Linear(out = 5) Layer head;");
        assertEquals(6_144L + 11 * 1_280 + 2 * 8 * 5, ModelSources.constant(compile(source("test.Net", state)), "test.NetCost", "DECODE_MACS"));
        // An initial state made from the mean over the positions changes every step: the GRU it starts reruns its 10 steps, each
        // 3 x 8 x (16 + 8) = 576
        String initial = ModelSources.model(header, attention, "@From(\"att\") @Mean(dim = 1) Layer pooled;", "@Linear(out = 8) Layer proj;",
                "@Reshape(layout = \"N,H\", with = \"shape = [1, 8]\") Layer h0;", "@From({\"att\", \"h0\"}) @GRU(hiddenSize = 8) Layer uni;",
                "@Linear(out = 5) Layer head;");
        assertEquals(1_344L + 16 * 8 + 10 * 576 + 8 * 5, ModelSources.constant(compile(source("test.Net", initial)), "test.NetCost", "DECODE_MACS"));
    }

    @Test
    void aGateFromTheMeanOverThePositionsChangesWhatItMultipliesEverywhere() {
        // x * sigmoid(mean(x)) between two layers, over 4 positions of 4 features: the mean, and so every gated position, changes
        // with each new token, whether the mean keeps its axis (keepdim) or not.
        String header = "@Model(input = {4, 4}, layout = \"L,E\")";
        // Two causal MultiheadAttention(4, 1): by hand the first's step is 4 projections of the new position (4 x 16) and its
        // query on 4 keys (2 x 4 x 4), 96; the second's keys and values change everywhere, so it projects them at every position
        // (2 x 4 x 16) besides its query and output (2 x 16) and attends from the last query (32), 192, and keeps no cache; the
        // head one position, 16
        for (String mean : List.of("@Mean(dim = 1, keepdim = true) Layer pooled;", "@Mean(dim = 1) Layer mean; @Reshape(shape = {1, 4}) Layer pooled;")) {
            String text = ModelSources.model(header, "@MultiheadAttention(numHeads = 1, isCausal = true) Layer attn;", mean,
                    "@Sigmoid Layer g;", "@Mul({\"attn\", \"g\"}) Layer gated;", "@MultiheadAttention(numHeads = 1, isCausal = true) Layer attn2;",
                    "@Linear(out = 4, bias = false) Layer head;");
            Compilation compilation = compile(source("test.Net", text));
            assertThat(compilation).succeeded();
            assertEquals(96L + 192 + 16, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"), mean);
            // the first attention's keys and values alone: 2 x 4 x 4
            assertEquals(32L, ModelSources.constant(compilation, "test.NetCost", "KV_CACHE"), mean);
        }
        // Two GRU(4) around it: the first one step, 3 x 4 x (4 + 4) = 96; the second, its input changed everywhere, its 4 steps;
        // the head, 4 x 2
        String recurrent = ModelSources.model(header, "@GRU(hiddenSize = 4) Layer gru1;", "@Mean(dim = 1) Layer pooled;",
                "@Reshape(shape = {1, 4}) Layer p2;", "@Sigmoid Layer g;", "@Mul({\"gru1\", \"g\"}) Layer gated;", "@GRU(hiddenSize = 4) Layer gru2;",
                "@Linear(out = 2, bias = false) Layer head;");
        assertEquals(96L + 4 * 96 + 8, ModelSources.constant(compile(source("test.Net", recurrent)), "test.NetCost", "DECODE_MACS"));
    }

    @Test
    void aRecurrentLanguageModelsStepOnItsStateCostsTheSameAtAnyContext() {
        // LSTM(4) with a head on h_n: a step is one step whatever the context, so the bound at 4 and at 40 positions is the same
        // (a profile of a million FLOP/s and 10^18 bytes/s, so that the bound is the step's FLOPs and other ops)
        String text = ModelSources.model("@Model(input = {4, 4}, layout = \"L,E\")\n@Roofline(hardware = \"f\", custom = @Hardware(id = \"f\", name = \"F\", "
                + "fp32 = 1e-6, bandwidth = 1e9))", "@LSTM(hiddenSize = 4, output = \"h_n\") Layer lstm;", "@Linear(out = 2) Layer head;");
        double short_ = ModelSources.doubleConstant(compile(source("test.Net", text)), "test.NetCost", "DECODE_LATENCY_BOUND_SECONDS_F");
        double long_ = ModelSources.doubleConstant(compile(source("test.Net", text.replace("input = {4, 4}", "input = {40, 4}"))), "test.NetCost",
                "DECODE_LATENCY_BOUND_SECONDS_F");
        assertEquals(short_, long_, 1e-9 * short_);
        // and at one position, where the state (1 layer x 4) has the input's (1 position x 4) size
        double one = ModelSources.doubleConstant(compile(source("test.Net", text.replace("input = {4, 4}", "input = {1, 4}"))), "test.NetCost",
                "DECODE_LATENCY_BOUND_SECONDS_F");
        assertEquals(short_, one, 1e-9 * short_);
    }

    @Test
    void attentionWithoutACausalMaskBeforeACausalOneMakesTheStepRerunWhatItChanges() {
        // Token ids, a non-causal then a causal attention block (q, k, v and output projections around an SDPA of 2 heads of 16),
        // a head, over 16 positions. The new key changes every output of the first attention; the second's keys and values change
        // at every position, so it keeps no cache.
        String block = """
                package test;

                import dev.modelcost.*;

                @Block
                public class Attn {
                    @Param(expr = "false") boolean causal;
                    @Linear(out = 32, bias = false) Layer q_proj;
                    @From("input") @Linear(out = 32, bias = false) Layer k_proj;
                    @From("input") @Linear(out = 32, bias = false) Layer v_proj;
                    @From("q_proj") @Reshape(layout = "L,H,D", with = "shape = [input.L, 2, 16]") Layer q;
                    @Transpose(dim0 = 1, dim1 = 2) Layer q_heads;
                    @From("k_proj") @Reshape(layout = "L,H,D", with = "shape = [input.L, 2, 16]") Layer k;
                    @Transpose(dim0 = 1, dim1 = 2) Layer k_heads;
                    @From("v_proj") @Reshape(layout = "L,H,D", with = "shape = [input.L, 2, 16]") Layer v;
                    @Transpose(dim0 = 1, dim1 = 2) Layer v_heads;
                    @From({"q_heads", "k_heads", "v_heads"}) @ScaledDotProductAttention(with = "isCausal = causal") Layer attention;
                    @Transpose(dim0 = 1, dim1 = 2) Layer merged;
                    @Reshape(layout = "L,D", with = "shape = [input.L, 32]") Layer flat;
                    @Linear(out = 32, bias = false) Layer o_proj;
                }
                """;
        String text = ModelSources.model("@Model(input = {16}, layout = \"L\", tokens = true)",
                "@Embedding(numEmbeddings = 100, embeddingDim = 32) Layer embed;", "Attn both;", "@Args(\"causal = true\") Attn causal;",
                "@Linear(out = 100, bias = false) Layer head;");
        Compilation compilation = compile(source("test.Attn", block), source("test.Net", text));
        assertThat(compilation).succeeded();
        // By hand (a projection of one position is 32 x 32 = 1,024 MACs): the first block projects the new position's query, key and
        // value (3,072), reruns its attention for all 16 queries on the 16 keys (2 heads x 16 x 16 x (16 + 16) = 16,384) and its
        // output projection at every position, which the second block's keys and values need (16 x 1,024); the second projects
        // its keys and values at every position again (2 x 16,384), its query at the new one (1,024), attends from it to the 16
        // keys (2 x 16 x 32 = 1,024) and projects it out (1,024); the head one position, 32 x 100 = 3,200
        long expected = 3_072 + 16_384 + 16_384 + 32_768 + 1_024 + 1_024 + 1_024 + 3_200;
        assertEquals(expected, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"));
        // The first block's keys and values of earlier positions stand and are kept: 2 heads x 16 positions x (16 + 16)
        assertEquals(2L * 16 * 32, ModelSources.constant(compilation, "test.NetCost", "KV_CACHE"));
    }

    @Test
    void aMultiheadAttentionRerunProjectsEveryPositionAndACausalOneAfterItItsKeysAndValues() {
        // Token ids, MultiheadAttention without a mask, then a causal one, then a head, over 8 positions of 16 features, 2 heads.
        String text = ModelSources.model("@Model(input = {8}, layout = \"L\", tokens = true)",
                "@Embedding(numEmbeddings = 100, embeddingDim = 16) Layer embed;", "@MultiheadAttention(numHeads = 2) Layer both;",
                "@MultiheadAttention(numHeads = 2, isCausal = true) Layer causal;", "@Linear(out = 100) Layer head;");
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).succeeded();
        // By hand: the first module reruns whole, as the second needs its output at every position: 4 projections of 8 positions
        // (4 x 8 x 16 x 16 = 8,192) and 2 heads x 8 queries x 8 keys x 2 x 8 (2,048); the second projects its last query and its
        // output (2 x 256) and every position's key and value (2 x 8 x 256 = 4,096), and attends from that query to the 8 keys
        // (2 x 8 x 2 x 8 = 256); the head one position, 16 x 100
        assertEquals(8_192L + 2_048 + 512 + 4_096 + 256 + 1_600, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"));
        // Neither keeps a cache: the first, one call of the module rerun whole, projects its keys and values anew; the second's
        // change everywhere
        assertEquals(0L, ModelSources.constant(compilation, "test.NetCost", "KV_CACHE"));
    }

    @Test
    void attentionWrittenOutAfterAMixerReadsEveryKeyAndValueMadeAnew() {
        // Token ids, a causal MultiheadAttention, one without a mask, then attention written out with @MatMul (16 positions of 32
        // features, 4 heads), then a head. The keys and values the products read change at every position.
        String text = ModelSources.model("@Model(input = {16}, layout = \"L\", tokens = true)\n@Roofline(hardware = \"h100-sxm\")",
                "@Embedding(numEmbeddings = 100, embeddingDim = 32) Layer emb;", "@MultiheadAttention(numHeads = 4, isCausal = true) Layer c1;",
                "@MultiheadAttention(numHeads = 4) Layer mix;", "@Linear(out = 32) Layer q;", "@From(\"mix\") @Linear(out = 32) Layer k;",
                "@From(\"mix\") @Linear(out = 32) Layer v;", "@From({\"q\", \"k\"}) @MatMul(transposeB = true) Layer scores;",
                "@Softmax(dim = -1) Layer probs;", "@From({\"probs\", \"v\"}) @MatMul Layer ctx;", "@Linear(out = 100) Layer head;");
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).succeeded();
        // By hand: c1 on the new position, 4 projections of it (4 x 32 x 32) and its query on 16 keys (2 x 4 x 16 x 8), 5,120;
        // mix rerun whole, as k and v need every position: 4 x 16 x 32 x 32 + 2 x 4 x 16 x 16 x 8 = 81,920; q one position (1,024),
        // k and v every position (2 x 16,384); the last query's scores (32 x 16) and context (16 x 32); the head, 32 x 100
        assertEquals(5_120L + 81_920 + 1_024 + 32_768 + 512 + 512 + 3_200, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"));
        // c1 keeps its keys and values (2 x 16 x 32); mix, rerun whole, none
        assertEquals(2L * 16 * 32, ModelSources.constant(compilation, "test.NetCost", "KV_CACHE"));
    }

    @Test
    void anEncoderOnAnotherInputRunsOnceWhereAttentionIsWrittenOut() {
        // Whisper's attention as openai-whisper writes it, q @ k.T then @ v, on an encoder of 100 audio frames (Linear(16, 16)) and
        // 4 token ids. The audio does not change from one token to the next: a step runs the encoder no more. By hand, the new
        // token's query (16 x 16 = 256), its scores on the 100 frames (100 x 16 = 1,600) and its context (1,600), and the head
        // (16 x 10 = 160): 3,616, whatever the audio's axis is named (a T axis is no sequence axis and would run every layer whole).
        for (String audio : List.of("L,D", "T,D")) {
            String text = ModelSources.model("@Model(inputs = {@Input(name = \"audio\", shape = {100, 16}, layout = \"" + audio + "\"), "
                            + "@Input(name = \"tokens\", shape = {4}, tokens = true)})",
                    "@From(\"audio\") @Linear(out = 16) Layer enc;", "@From(\"tokens\") @Embedding(numEmbeddings = 10, embeddingDim = 16) Layer emb;",
                    "@Linear(out = 16) Layer q;", "@From({\"q\", \"enc\"}) @MatMul(transposeB = true) Layer scores;", "@Softmax Layer w;",
                    "@From({\"w\", \"enc\"}) @MatMul Layer ctx;", "@Linear(out = 10) Layer head;");
            Compilation compilation = compile(source("test.Net", text));
            assertThat(compilation).succeeded();
            assertEquals(256L + 1_600 + 1_600 + 160, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"), audio);
            // no attention layer keeps a cache: the products read the encoder's output, made once
            assertEquals(0L, ModelSources.constant(compilation, "test.NetCost", "KV_CACHE"), audio);
        }
    }

    @Test
    void aCaptionerWrittenOutDecodesItsTextWhateverItsImageEncoderAndItsAxesAre() {
        // A 3x8x8 image cut into 16 patches of 16 features (Conv2d(3, 16, 2, stride 2)), and 5 token ids; the text attends to the
        // image with @MatMul. By hand, a step: the new token's query (16 x 16 = 256), its scores on the 16 patches (256) and
        // its context (256), and the head (16 x 10 = 160): 928. The image's layers run once, not per token, whether its patches are
        // read as they are or after an attention without a mask over them (a ViT's), which mixes the patches, not the text.
        String image = "@From(\"image\") @Conv2d(cout = 16, k = 2, stride = 2) Layer patch;";
        String text = "@From(\"text\") @Embedding(numEmbeddings = 20, embeddingDim = 16) Layer emb;";
        String inputs = "@Model(inputs = {@Input(name = \"image\", shape = {3, 8, 8}), @Input(name = \"text\", shape = {5}, tokens = true)}%s)";
        for (String encoder : List.of("@Transpose Layer img;",
                "@Transpose Layer t;\n    @MultiheadAttention(embedDim = 16, numHeads = 2, batchFirst = true) Layer img;")) {
            Compilation compilation = compile(source("test.Net", model(inputs.formatted(""), image, "@Flatten(startDim = 2) Layer flat;",
                    encoder, text, "@Linear(out = 16) Layer q;", "@From({\"q\", \"img\"}) @MatMul(transposeB = true) Layer s;",
                    "@Softmax Layer w;", "@From({\"w\", \"img\"}) @MatMul Layer ctx;", "@Linear(out = 10) Layer head;")));
            assertThat(compilation).succeeded();
            assertEquals(256L + 256 + 256 + 160, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"), encoder);
        }
        // LLaVA's order: the image's patches (an axis P) before the text, one sequence of 21 positions, attention written out. The
        // concatenation holds the text's positions, on the patches' axis: the new position's query and key (2 x 256), its scores on
        // the 21 keys and its context (2 x 21 x 16), and the head: 1,344.
        Compilation prefix = compile(source("test.Net", model(inputs.formatted(""), image, "@Flatten(startDim = 2, layout = \"C,P\") Layer flat;",
                "@Transpose Layer img;", text, "@Concat(value = {\"img\", \"emb\"}, dim = 1) Layer seq;", "@Linear(out = 16) Layer q;",
                "@From(\"seq\") @Linear(out = 16) Layer k;", "@From({\"q\", \"k\"}) @MatMul(transposeB = true) Layer s;", "@Softmax Layer w;",
                "@From({\"w\", \"seq\"}) @MatMul Layer ctx;", "@Linear(out = 10) Layer head;")));
        assertThat(prefix).succeeded();
        assertEquals(256L + 256 + 21 * 16 + 21 * 16 + 160, ModelSources.constant(prefix, "test.NetCost", "DECODE_MACS"));
        // Two towers returned, the text's first: the model's output is the text's, and the step its tower's (q 256, scores and
        // context on 5 positions, 80 each, tproj 256); the image's first, whose output holds no sequence, every layer decodes as its
        // own figure says: the image's whole (its Conv2d 16 x 16 x 12 = 3,072, iproj 16 x 256 = 4,096), the text's on one position.
        String towers = model(inputs, image, "@Flatten(startDim = 2) Layer flat;", "@Transpose Layer img;", "@Linear(out = 16) Layer iproj;",
                text, "@Linear(out = 16) Layer q;", "@From({\"q\", \"emb\"}) @MatMul(transposeB = true) Layer s;", "@Softmax Layer w;",
                "@From({\"w\", \"emb\"}) @MatMul Layer ctx;", "@Linear(out = 16) Layer tproj;");
        Compilation textFirst = compile(source("test.Net", towers.formatted(", output = {\"tproj\", \"iproj\"}")));
        assertEquals(256L + 80 + 80 + 256, ModelSources.constant(textFirst, "test.NetCost", "DECODE_MACS"));
        Compilation imageFirst = compile(source("test.Net", towers.formatted(", output = {\"iproj\", \"tproj\"}")));
        assertEquals(3_072L + 4_096 + 256 + 80 + 80 + 256, ModelSources.constant(imageFirst, "test.NetCost", "DECODE_MACS"));
    }

    @Test
    void aBidirectionalLayerBeforeTheOnlyCausalAttentionStillHasADecodeBound() {
        // The causal attention's keys change at every position, so nothing keeps a cache; the model still decodes, and its step has
        // a bound a budget checks (MC410 here, not MC143's "bounds nothing").
        String text = ModelSources.model("@Model(input = {16}, layout = \"L\", tokens = true)\n@Roofline(hardware = \"h100-sxm\")\n"
                        + "@Budget(maxDecodeLatencySeconds = 1e-12, hardware = \"h100-sxm\")",
                "@Embedding(numEmbeddings = 100, embeddingDim = 32) Layer emb;", "@LSTM(hiddenSize = 16, bidirectional = true) Layer lstm;",
                "@MultiheadAttention(numHeads = 4, isCausal = true) Layer attn;", "@Linear(out = 100) Layer head;");
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).hadErrorContaining("[MC410] the roofline latency lower bound of one decoding step on h100-sxm");
    }

    @Test
    void aHeadOnTheLastPositionSelectedPredictsTheNextTokenAndHasADecodeBound() {
        // A causal MultiheadAttention(8, 1) on 4 token ids, then the head on x[:, -1] alone, as generation computes it.
        String text = ModelSources.model("@Model(input = {4}, layout = \"L\", tokens = true)\n@Roofline(hardware = \"h100-sxm\")",
                "@Embedding(numEmbeddings = 10, embeddingDim = 8) Layer emb;", "@MultiheadAttention(numHeads = 1, isCausal = true) Layer attn;",
                "@Select(dim = 1, index = -1) Layer last;", "@Linear(out = 10) Layer head;");
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).succeeded();
        // By hand, every layer memory-bound on an H100 (3,350 GB/s) at fp32, the cache at its default fp16: the embedding reads one
        // row and its id and writes one position (32 + 8 + 32 B); the attention its four projections' weights and biases (4 x 8 x 8
        // + 4 x 8) x 4 B = 1,152, the new position and its output (2 x 8 x 4 B), the 4 cached keys and values (4 x 16 x 2 B) and the
        // new row appended (16 x 2 B); the selection moves nothing; the head its weights (8 x 10 + 10) x 4 B and 8 features in,
        // 10 out
        long bytes = (32 + 8 + 32) + (1_152 + 64 + 128 + 32) + (360 + 32 + 40);
        assertEquals(bytes / 3350e9, ModelSources.doubleConstant(compilation, "test.NetCost", "DECODE_LATENCY_BOUND_SECONDS_H100_SXM"), 1e-20);
    }

    @Test
    void causalStacksOnDifferentInputsDecodeTheOneTheOutputHolds() {
        // A causal encoder of 8 source positions and a causal decoder of 6 target positions, then cross-attention from the
        // target: as streaming speech recognition runs them, the encoder runs once and the step decodes the target.
        String text = ModelSources.model("@Model(inputs = {@Input(name = \"src\", shape = {2, 8, 4}, layout = \"H,L,D\"), "
                        + "@Input(name = \"tgt\", shape = {2, 6, 4}, layout = \"H,L,D\")})\n@Roofline(hardware = \"h100-sxm\")",
                "@From({\"src\", \"src\", \"src\"}) @ScaledDotProductAttention(isCausal = true) Layer enc;",
                "@From({\"tgt\", \"tgt\", \"tgt\"}) @ScaledDotProductAttention(isCausal = true) Layer dec;",
                "@From({\"dec\", \"enc\", \"enc\"}) @ScaledDotProductAttention Layer cross;");
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).succeeded();
        // By hand: the decoder's new query on its 6 keys, 2 heads x 6 x (4 + 4) = 96, and the cross-attention's on the 8 encoder
        // positions, 2 x 8 x 8 = 128; their caches hold as many keys and values
        assertEquals(96L + 128, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"));
        assertEquals(96L + 128, ModelSources.constant(compilation, "test.NetCost", "KV_CACHE"));
        assertTrue(ModelSources.generated(compilation, "test.NetCost").contains("DECODE_LATENCY_BOUND_SECONDS_H100_SXM"));
    }

    @Test
    void causalExactIsBottomRightAlignedWhenKeysOutnumberQueries() {
        // 3 queries on 7 keys (4 cached): the queries see 5, 6 and 7 keys.
        assertEquals(2L * (5 + 6 + 7) * 8, ModelSources.constant(compile(source("test.Net", attention("causal-exact", 3, 7, ""))), "test.NetCost", "MACS"));
        // The KV cache holds the 7 keys and values of the 1 key/value head: 7 x (4 + 4) elements, 2 bytes each.
        assertEquals(7L * 8 * 2, ModelSources.constant(compile(source("test.Net", attention("causal-exact", 3, 7, ""))), "test.NetCost", "KV_CACHE_BYTES"));
    }

    @Test
    void aSlidingWindowCapsTheKeysEachQuerySeesUnderCausalExact() {
        // 6 queries on 6 keys with a window of 3: 1, 2, 3, 3, 3, 3 = 15 pairs; a decoding step sees 3 keys.
        Compilation windowed = compile(source("test.Net", attention("causal-exact", 6, 6, ", slidingWindow = 3")));
        assertEquals(2L * 15 * 8, ModelSources.constant(windowed, "test.NetCost", "MACS"));
        assertEquals(2L * 3 * 8, ModelSources.constant(windowed, "test.NetCost", "DECODE_MACS"));
        // The rolling cache keeps the window's 3 keys and values of the 1 key/value head.
        assertEquals(3L * 8, ModelSources.constant(windowed, "test.NetCost", "KV_CACHE"));
        // Dense counts the whole matrix, window or not: 36 pairs.
        Compilation dense = compile(source("test.Net", attention("dense", 6, 6, ", slidingWindow = 3")));
        assertEquals(2L * 36 * 8, ModelSources.constant(dense, "test.NetCost", "MACS"));
        // But a decoding step attends to what the rolling cache keeps under every convention: the window's 3 keys, as the KV cache says.
        assertEquals(2L * 3 * 8, ModelSources.constant(dense, "test.NetCost", "DECODE_MACS"));
        assertEquals(3L * 8, ModelSources.constant(dense, "test.NetCost", "KV_CACHE"));
    }

    @Test
    void anEncoderDecoderDecodesItsDecoderAloneOnCachedKeysAndValuesOfTheMemory() {
        // As nn.Transformer: the encoder reads the source, the decoder the target with causal self-attention, then cross-attention on the
        // encoder's output. A decoding step runs the decoder's layers on one target position; the encoder ran once, and the cross-attention's
        // keys and values of the memory are cached.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "src", shape = {16, 64}, layout = "L,D"), @Input(name = "tgt", shape = {8, 64}, layout = "L,D")})
                public class Net {
                    @From("src") @Linear(out = 64) Layer encoder;
                    @From("tgt") @MultiheadAttention(numHeads = 4, batchFirst = true, isCausal = true) Layer self_attn;
                    @From({"self_attn", "encoder", "encoder"}) @MultiheadAttention(numHeads = 4, batchFirst = true) Layer cross_attn;
                    @Linear(out = 128) Layer ffn;
                }
                """;
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).succeeded();
        long e = 64;
        // One target position: self-attention projects it (q, k, v and out: 4·E²) and scores it against the 8 cached keys (2·8·E);
        // cross-attention projects its query and output (2·E²) and scores it against the 16 cached keys of the memory (2·16·E); then
        // the feed-forward layer (E·128). The encoder's 16·E² and the memory's projections (2·16·E²) are not per token.
        assertEquals(4 * e * e + 2 * 8 * e + 2 * e * e + 2 * 16 * e + e * 128, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"));
        // What that step reads is cached: the self-attention's projected keys and values of the 8 target positions, 2·8·E, and the
        // cross-attention's of the 16 memory positions, 2·16·E; fp16, 2 bytes each.
        assertEquals(2 * 8 * e + 2 * 16 * e, ModelSources.constant(compilation, "test.NetCost", "KV_CACHE"));
        assertEquals((2 * 8 * e + 2 * 16 * e) * 2, ModelSources.constant(compilation, "test.NetCost", "KV_CACHE_BYTES"));
        // A target of one position decodes the same way, against 1 cached key of its own: the memory's projections are still not per token.
        Compilation first = compile(source("test.Net", text.replace("shape = {8, 64}", "shape = {1, 64}")));
        assertThat(first).succeeded();
        assertEquals(4 * e * e + 2 * e + 2 * e * e + 2 * 16 * e + e * 128, ModelSources.constant(first, "test.NetCost", "DECODE_MACS"));
    }

    @Test
    void aTargetOfTokenIdsDecodesAlongItsOwnAxis() {
        // Source and target are token ids on axes S and T: the decoded target's axis is T, not the model's L (the first input's axis).
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "src", shape = {10}, layout = "S", tokens = true), @Input(name = "tgt", shape = {6}, layout = "T", tokens = true)})
                public class Net {
                    @From("src") @Embedding(numEmbeddings = 100, embeddingDim = 32) Layer semb;
                    @Linear(out = 32) Layer enc;
                    @From("tgt") @Embedding(numEmbeddings = 100, embeddingDim = 32) Layer temb;
                    @MultiheadAttention(numHeads = 4, batchFirst = true, isCausal = true) Layer sa;
                    @From({"sa", "enc", "enc"}) @MultiheadAttention(numHeads = 4, batchFirst = true) Layer ca;
                    @Linear(out = 100) Layer head;
                }
                """;
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).succeeded();
        long e = 32;
        // Self-attention on one of 6 target positions (4·E² + 2·6·E), cross-attention on 10 cached memory positions (2·E² + 2·10·E), the
        // head (E·100); the source's embedding and linear layer ran once.
        assertEquals(4 * e * e + 2 * 6 * e + 2 * e * e + 2 * 10 * e + e * 100, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"));
        assertEquals(10_368L, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"));
    }

    @Test
    void crossAttentionBeforeTheCausalSelfAttentionDecodesTheTextAlone() {
        // Flamingo's order: the text's queries attend to image features first, then to each other causally. The causal queries'
        // positions are the text's (an attention's output holds its queries' positions), so the image's layers ran once.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "img", shape = {16, 64}, layout = "L,D"), @Input(name = "txt", shape = {8, 64}, layout = "L,D")})
                public class Net {
                    @From("img") @Linear(out = 64) Layer vision;
                    @From({"txt", "vision", "vision"}) @MultiheadAttention(numHeads = 4, batchFirst = true) Layer xattn;
                    @MultiheadAttention(numHeads = 4, batchFirst = true, isCausal = true) Layer self_attn;
                    @Linear(out = 128) Layer ffn;
                }
                """;
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).succeeded();
        long e = 64;
        // One text position: the cross-attention projects its query and output (2·E²) and scores it against the 16 cached image keys
        // (2·16·E); self-attention projects it (4·E²) and scores it against 8 cached keys (2·8·E); the feed-forward layer (E·128). The
        // vision layer (16·E²) and the image keys' and values' projections (2·16·E²) ran once.
        assertEquals(2 * e * e + 2 * 16 * e + 4 * e * e + 2 * 8 * e + e * 128, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"));
    }

    @Test
    void anImagePrefixConcatenatedBeforeTheTextDecodesTheTextAlone() {
        // LLaVA's order: projected image features, then the text's embeddings, concatenated along the positions, then causal
        // self-attention. A new token is the concatenation's last position, the text's; the projector ran once.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "img", shape = {16, 32}, layout = "P,F"), @Input(name = "txt", shape = {8}, layout = "T", tokens = true)})
                public class Net {
                    @From("img") @Linear(out = 64) Layer projector;
                    @From("txt") @Embedding(numEmbeddings = 100, embeddingDim = 64) Layer embed;
                    @Concat(value = {"projector", "embed"}, dim = 1) Layer prefixed;
                    @MultiheadAttention(numHeads = 4, batchFirst = true, isCausal = true) Layer self_attn;
                    @Linear(out = 100) Layer head;
                }
                """;
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).succeeded();
        long e = 64;
        // One position: self-attention projects it (4·E²) and scores it against the 24 cached keys (2·24·E), then the head (E·100).
        // The embedding and the concatenation have no MACs; the projector (16·32·E) is not per token.
        assertEquals(4 * e * e + 2 * 24 * e + e * 100, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"));
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
        assertEquals(100 * 16, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(10 * 16 * 100, ModelSources.constant(compilation, "test.NetCost", "MACS"));
        assertEquals(100 * 16, ModelSources.constant(compilation, "test.NetCost", "EMBEDDING_PARAMS"));
        // Decoding a token: the head on one position.
        assertEquals(16 * 100, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"));
    }

    @Test
    void anEmbeddingCalledAgainOnOtherIdsCountsItsTableOnce() {
        // T5's shared embedding: nn.Embedding(100, 16) embeds the 10 source ids and the 6 target ids. PyTorch's parameters: 100 x 16, once.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "src", shape = {10}, layout = "L", tokens = true),
                                 @Input(name = "tgt", shape = {6}, layout = "T", tokens = true)})
                public class Net {
                    @From("src") @Embedding(numEmbeddings = 100, embeddingDim = 16) Layer shared;
                    @From("tgt") @Embedding(numEmbeddings = 100, embeddingDim = 16, tiedTo = "shared") Layer target;
                }
                """;
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).succeeded();
        assertEquals(100 * 16, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(100 * 16, ModelSources.constant(compilation, "test.NetCost", "EMBEDDING_PARAMS"));
        assertEquals(0, ModelSources.constant(compilation, "test.NetCost", "NON_EMBEDDING_PARAMS"));
        assertEquals(100 * 16 * 4, ModelSources.constant(compilation, "test.NetCost", "WEIGHT_BYTES"));
        // Bytes moved, fp32: each reads its ids (int64) and writes its rows, and reads the rows it gathers, at most its table:
        // the source 10 x 8 + 10 x 16 x 4 + 10 x 16 x 4, the target 6 x 8 + 6 x 16 x 4 + 6 x 16 x 4 (the table's 6,400 is more).
        assertEquals(10 * 8 + 2 * 10 * 16 * 4 + 6 * 8 + 2 * 6 * 16 * 4, ModelSources.constant(compilation, "test.NetCost", "BYTES_MOVED"));
        // A table held at int8: the target reads its 6 rows of 16 at 1 byte each, as the source reads its 10 (fp32 activations).
        Compilation int8 = compile(source("test.Net", text.replace("@From(\"src\") @Embedding", "@From(\"src\") @Dtype(weights = \"int8\") @Embedding")));
        assertEquals(10 * 8 + 10 * 16 * 4 + 10 * 16 + 6 * 8 + 6 * 16 * 4 + 6 * 16, ModelSources.constant(int8, "test.NetCost", "BYTES_MOVED"));
        // A tie to a table of another shape is refused on tiedTo.
        String other = text.replace("numEmbeddings = 100, embeddingDim = 16, tiedTo", "numEmbeddings = 100, embeddingDim = 8, tiedTo");
        expectOnly(other, "[MC317] target: a weight of 100 x 8 cannot be tied to shared, whose table is 100 x 16", "Layer target;",
                columnAfter(other, "Layer target;", "tiedTo = "));
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
        assertEquals(32 + 4 * 256, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(32 + 2 * 256, ModelSources.constant(compilation, "test.NetCost", "ACTIVE_PARAMS"));
        // 4 tokens: router 4 x 32 = 128 MACs; each token through 2 experts of 256 MACs.
        assertEquals(128 + 4 * 2 * 256, ModelSources.constant(compilation, "test.NetCost", "MACS"));
    }

    /** A mixture whose expert count and top-k are a block's parameters, applied with 4 of 2 and 8 of 1. */
    private static String family(String experts) {
        return """
                package test;

                import dev.modelcost.*;

                @Model(input = {4, 8}, layout = "L,D")
                public class Net {
                    @Args("numExperts = 4, perToken = 2") Moe small;
                    @Args("numExperts = 8, perToken = 1") Moe wide;

                    @Block
                    public static class Moe {
                        @Param int numExperts;
                        @Param int perToken;
                        @Linear(bias = false, with = "out = numExperts") Layer gate;
                        @From("input") %s Expert experts;
                    }

                    @Block
                    public static class Expert {
                        @Linear(out = 16, bias = false) Layer up;
                        @Linear(out = 8, bias = false) Layer down;
                    }
                }
                """.formatted(experts);
    }

    @Test
    void expertsTakeTheirCountAndTopKFromParameters() {
        Compilation compilation = compile(source("test.Net", family("@Experts(with = \"count = numExperts, topK = perToken\")")));
        assertThat(compilation).succeeded();
        // An expert 8 x 16 + 16 x 8 = 256. small: router 8 x 4 and 4 experts; wide: router 8 x 8 and 8 experts.
        assertEquals(32 + 4 * 256 + 64 + 8 * 256, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(32 + 2 * 256 + 64 + 256, ModelSources.constant(compilation, "test.NetCost", "ACTIVE_PARAMS"));
        // 4 tokens: routers 4 x 32 and 4 x 64; each token through 2 experts, then through 1, of 256 MACs.
        assertEquals(128 + 4 * 2 * 256 + 256 + 4 * 256, ModelSources.constant(compilation, "test.NetCost", "MACS"));
    }

    @Test
    void expertsWithMustGiveBothAndOnlyThere() {
        String both = family("@Experts(count = 4, with = \"count = numExperts, topK = perToken\")");
        expectOnly(both, "[MC209] experts: 'count' is given both as a literal and in 'with'", "Expert experts;",
                columnAfter(both, "Expert experts;", "with = "));
        String half = family("@Experts(with = \"count = numExperts\")");
        expectOnly(half, "[MC310] experts: @Experts with = \"count = numExperts\" must be count and topK, each once", "Expert experts;",
                columnAfter(half, "Expert experts;", "with = "));
        // A literal count with only topK in with is not given twice: the two must be written the same way.
        String split = family("@Experts(count = 4, with = \"topK = perToken\")");
        expectOnly(split, "[MC310] experts: @Experts with = \"topK = perToken\" must be count and topK, each once (both here, or both as "
                + "literals without with)", "Expert experts;", columnAfter(split, "Expert experts;", "with = "));
        String over = family("@Experts(with = \"count = numExperts, topK = numExperts + 1\")");
        expectInBlock(over, "[MC123] small.experts: @Experts(topK = 5) must pick at least one of the count = 4 experts", "Expert experts;",
                columnAfter(over, "Expert experts;", "with = "), "Moe small;");
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
    void mc310ASlidingWindowOfZeroOrBelowButNone() {
        for (String window : new String[] {"0", "-5"}) {
            String text = attention("causal-exact", 5, 5, ", slidingWindow = " + window);
            expectOnly(text, "[MC310] attention: ScaledDotProductAttention slidingWindow = " + window + " must be at least 1 position, or -1 (the "
                    + "default) for no window", "Layer attention;", columnAfter(text, "Layer attention;", "slidingWindow = "));
        }
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
    void mc303ExpertsWithoutCountOrTopK() {
        // Both are required; left out, each is 0, which the message does not quote as if written.
        String text = model("@Model(input = {4, 8}, layout = \"L,D\")", "@Experts(count = 4) Expert experts;",
                "@Block public static class Expert { @Linear(out = 8, bias = false) Layer fc; }");
        expectOnly(text, "[MC303] experts: @Experts needs 'topK' (how many experts each token is routed to)", "Expert experts;",
                columnOf(text, "Expert experts;", "@Experts"));
        text = model("@Model(input = {4, 8}, layout = \"L,D\")", "@Experts(topK = 2) Expert experts;",
                "@Block public static class Expert { @Linear(out = 8, bias = false) Layer fc; }");
        expectOnly(text, "[MC303] experts: @Experts needs 'count' (how many experts)", "Expert experts;", columnOf(text, "Expert experts;", "@Experts"));
        text = model("@Model(input = {4, 8}, layout = \"L,D\")", "@Experts Expert experts;",
                "@Block public static class Expert { @Linear(out = 8, bias = false) Layer fc; }");
        expectOnly(text, "[MC303] experts: @Experts needs 'count' (how many experts) and 'topK' (how many each token is routed to), or both in "
                + "'with'", "Expert experts;", columnOf(text, "Expert experts;", "@Experts"));
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

    @Test
    void decodingFollowsTheTokenInputsAxisWhateverItsName() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8}, layout = "T", tokens = true)
                public class Net {
                    @Embedding(numEmbeddings = 100, embeddingDim = 16) Layer emb;
                    @Linear(out = 16, bias = false) Layer fc;
                }
                """;
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).succeeded();
        // One position of the Linear: 16 x 16.
        assertEquals(16 * 16, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"));
    }

    @Test
    void expertsUnderALongRepeatStillFold() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {4, 8}, layout = "L,D")
                public class Net {
                    @Experts(count = 4, topK = 2) @Repeat(200_000) Expert moe;

                    @Block
                    public static class Expert {
                        @Linear(out = 8, bias = false) Layer fc;
                    }
                }
                """;
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).succeeded();
        // Per repetition: 4 tokens x 64 MACs x 2 experts; 64 parameters x 4 experts, 2 active.
        assertEquals(200_000L * 4 * 64 * 2, ModelSources.constant(compilation, "test.NetCost", "MACS"));
        assertEquals(200_000L * 64 * 4, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(200_000L * 64 * 2, ModelSources.constant(compilation, "test.NetCost", "ACTIVE_PARAMS"));
    }

    @Test
    void mc210ALayerTiedToItself() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {16, 8})
                public class Net {
                    @Linear(out = 8, bias = false, tiedTo = "a") Layer a;
                }
                """;
        expectOnly(text, "[MC210] a: 'a' names no earlier field or input; this model or block has no earlier Embedding or Linear field of its own; "
                + "a tie cannot reach a layer inside a block field, applied in place or not (fix: name an earlier Embedding or Linear field of the same model or block)", "Layer a;",
                columnAfter(text, "Layer a;", "tiedTo = "));
    }

    @Test
    void mc210ATieIntoABlockFieldSaysItCannotReachThere() {
        String text = ModelSources.model("@Model(input = {16}, layout = \"L\", tokens = true)",
                "@Embedding(numEmbeddings = 100, embeddingDim = 8) Layer wte;", "Inner blk;",
                "@Linear(out = 100, bias = false, tiedTo = \"blk.e\") Layer head;")
                .replace("\n}\n", "\n\n    @Block\n    public static class Inner {\n        @Linear(out = 8) Layer e;\n    }\n}\n");
        expectOnly(text, "[MC210] head: 'blk.e' names no earlier field or input; known: wte; a tie cannot reach a layer inside a block field, applied in place or not",
                "Layer head;", columnAfter(text, "Layer head;", "tiedTo = "));
        // Applied in place (Hugging Face's model.embed_tokens), the block's fields are the model's own, but its weights are not tied from.
        String inPlace = ModelSources.model("@Model(input = {16}, layout = \"L\", tokens = true)", "@Args(value = \"\", inPlace = true) Body model;",
                "@Linear(out = 100, bias = false, tiedTo = \"embed_tokens\") Layer head;")
                .replace("\n}\n", "\n\n    @Block\n    public static class Body {\n        @Embedding(numEmbeddings = 100, embeddingDim = 8) Layer embed_tokens;\n    }\n}\n");
        expectOnly(inPlace, "[MC210] head: 'embed_tokens' names no earlier field or input; this model or block has no earlier Embedding or Linear "
                + "field of its own; a tie cannot reach a layer inside a block field, applied in place or not", "Layer head;",
                columnAfter(inPlace, "Layer head;", "tiedTo = "));
        // The other way: a head inside a block tied to the model's embedding, which the block does not see.
        String outward = ModelSources.model("@Model(input = {16}, layout = \"L\", tokens = true)",
                "@Embedding(numEmbeddings = 100, embeddingDim = 32) Layer wte;", "Head head;")
                .replace("\n}\n", "\n\n    @Block\n    public static class Head {\n        @Linear(out = 100, bias = false, tiedTo = \"wte\") Layer lm_head;\n    }\n}\n");
        ModelSources.expectInBlock(outward, "[MC210] head.lm_head: 'wte' names no earlier field or input; this model or block has no earlier Embedding "
                + "or Linear field of its own; a tie inside a block reaches the block's own earlier fields only, not those of the model that applies it",
                "Layer lm_head;", columnAfter(outward, "Layer lm_head;", "tiedTo = "), "Head head;");
    }

    @Test
    void mc310CausalAttentionWithMoreQueriesThanKeys() {
        String text = attention("causal-exact", 7, 3, "");
        expectOnly(text, "[MC310] attention: ScaledDotProductAttention isCausal = true must be false for 7 queries on 3 keys: modelcost counts a"
                + " causal mask aligned bottom-right, as a KV cache aligns it, and the first 4 queries would see no key", "Layer attention;", columnAfter(text, "Layer attention;", "isCausal = "));
    }

    @Test
    void mc310ASlidingWindowWithoutACausalMask() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "q", shape = {2, 5, 4}, layout = "H,L,D"), @Input(name = "kv", shape = {2, 5, 4}, layout = "H,L,D")})
                public class Net {
                    @From({"q", "kv", "kv"}) @ScaledDotProductAttention(slidingWindow = 2) Layer attention;
                }
                """;
        expectOnly(text, "[MC310] attention: ScaledDotProductAttention slidingWindow = 2 must be left out without isCausal", "Layer attention;",
                columnAfter(text, "Layer attention;", "slidingWindow = "));
    }

    @Test
    void mc310FewerKeyValueHeadsWithoutEnableGqa() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "q", shape = {4, 5, 4}, layout = "H,L,D"), @Input(name = "kv", shape = {2, 5, 4}, layout = "H,L,D")})
                public class Net {
                    @From({"q", "kv", "kv"}) @ScaledDotProductAttention Layer attention;
                }
                """;
        expectOnly(text, "[MC310] attention: ScaledDotProductAttention enableGqa = false must be true for 2 key/value heads under 4 query heads",
                "Layer attention;", columnOf(text, "Layer attention;", "@ScaledDotProductAttention"));
    }

    @Test
    void tokenIdsOfOneAxisAreASequenceNamedL() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8}, tokens = true)
                public class Net {
                    @Embedding(numEmbeddings = 100, embeddingDim = 16) Layer emb;
                    @Reshape(layout = "L,H,D", with = "shape = [input.L, 2, 8]") Layer heads;
                }
                """;
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).succeeded();
        assertThat(compilation).generatedSourceFile("test.NetCost").contentsAsUtf8String().contains("OUTPUT_SHAPE = \"1x8x2x8\";");
    }

    private static final String SEQ2SEQ = """
            package test;

            import dev.modelcost.*;

            @Model(inputs = {@Input(name = "src", shape = {20, 64}, layout = "L,D"), @Input(name = "tgt", shape = {12, 32}, layout = "L,D")})
            public class Net {
                %s
                @Linear(out = 1000) Layer fc;
            }
            """;

    @Test
    void aRecurrentSeq2SeqDecodesItsTargetAndRunsItsEncoderOnce() {
        // GRU(64, 128) encodes the 20 source steps once; GRU(32, 128), started from its h_n, decodes one target step: 3·128·(32 + 128)
        // = 61,440 MACs, the head 128·1,000. Not the encoder's step, 3·128·(64 + 128) = 73,728. Over the whole pass: 20 encoder
        // steps, 12 decoder steps, 12 rows of the head.
        Compilation compilation = compile(source("test.Net", SEQ2SEQ.formatted("""
                @From("src") @GRU(hiddenSize = 128) Layer enc;
                    @From({"tgt", "enc.h_n"}) @GRU(hiddenSize = 128) Layer dec;""")));
        assertThat(compilation).succeeded();
        assertEquals(20L * 73_728 + 12L * 61_440 + 12L * 128 * 1000, ModelSources.constant(compilation, "test.NetCost", "MACS"));
        assertEquals(61_440L + 128L * 1000, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"));
        assertEquals(0L, ModelSources.constant(compilation, "test.NetCost", "KV_CACHE"));
    }

    @Test
    void aRecurrentSeq2SeqsAttentionOnItsEncoderKeepsTheProjectedMemory() {
        // A bidirectional LSTM(64, 64) encoder (20 x 128 out), an LSTM(32, 128) decoder and nn.MultiheadAttention(128, 4) from the
        // decoder's outputs on the encoder's. A step: the decoder's 4·128·(32 + 128) = 81,920; the attention's one query, its
        // projection and the output's 2·128·128, against the 20 cached keys and values, 2·20·128; the head 128·1,000. The cache:
        // the attention's projected keys and values, 2·20·128.
        Compilation compilation = compile(source("test.Net", SEQ2SEQ.formatted("""
                @From("src") @LSTM(hiddenSize = 64, bidirectional = true) Layer enc;
                    @From("tgt") @LSTM(hiddenSize = 128) Layer dec;
                    @From({"dec", "enc", "enc"}) @MultiheadAttention(embedDim = 128, numHeads = 4) Layer attention;""")));
        assertThat(compilation).succeeded();
        assertEquals(81_920L + 2 * 128 * 128 + 2 * 20 * 128 + 128L * 1000, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"));
        assertEquals(2L * 20 * 128, ModelSources.constant(compilation, "test.NetCost", "KV_CACHE"));
    }

    @Test
    void twoSequencesMergedOnEveryPositionDecodeEveryLayer() {
        // The output holds both inputs' positions: no input is the encoder's, so each layer decodes one position, GRU(64, 128)'s
        // 73,728 and GRU(32, 128)'s 61,440 added, then the head's 128,000.
        Compilation compilation = compile(source("test.Net", SEQ2SEQ.replace("shape = {12, 32}", "shape = {20, 32}").formatted("""
                @From("src") @GRU(hiddenSize = 128) Layer a;
                    @From("tgt") @GRU(hiddenSize = 128) Layer b;
                    @Add({"a", "b"}) Layer sum;""")));
        assertThat(compilation).succeeded();
        assertEquals(73_728L + 61_440 + 128L * 1000, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"));
    }

    @Test
    void valuesInKeysIsRefusedWhereTheValuesAreTheirOwnProjection() {
        // Multi-query attention whose values have a Linear of their own: the cache holds them apart from the keys, so the flag that
        // caches the keys alone would halve it. Values a reshape and a transpose of a slice of the keys' source pass (the latent).
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {64, 128}, layout = "L,D")
                public class Net {
                    @Linear(out = 128, bias = false) Layer q;
                    @From("input") @Linear(out = 16, bias = false) Layer k;
                    %s Layer v;
                    @From("q") @Reshape(shape = {64, 8, 16}, layout = "L,H,E") Layer qh;
                    @Transpose(dim0 = 1, dim1 = 2) Layer qt;
                    @From("k") @Reshape(shape = {64, 1, 16}, layout = "L,H,E") Layer kh;
                    @Transpose(dim0 = 1, dim1 = 2) Layer kt;
                    @From("v") @Reshape(shape = {64, 1, %d}, layout = "L,H,E") Layer vh;
                    @Transpose(dim0 = 1, dim1 = 2) Layer vt;
                    @From({"qt", "kt", "vt"}) @ScaledDotProductAttention(isCausal = true, enableGqa = true, valuesInKeys = true) Layer attn;
                }
                """;
        expectOnly(text.formatted("@From(\"input\") @Linear(out = 16, bias = false)", 16), "[MC310] attn: ScaledDotProductAttention valuesInKeys = true must be "
                + "false where the values (vt) are not taken from the keys (kt): v computes them", "Layer attn;",
                ModelSources.columnAfter(text.formatted("@From(\"input\") @Linear(out = 16, bias = false)", 16), "Layer attn;", "valuesInKeys = "));
        Compilation latent = compile(source("test.Net", text.formatted("@From(\"k\") @Slice(dim = -1, start = 0, end = 8)", 8)));
        assertThat(latent).succeeded();
        // The keys alone: 64 positions of one head of 16.
        assertEquals(64L * 16, ModelSources.constant(latent, "test.NetCost", "KV_CACHE"));
    }

    @Test
    void twoImagesDecodeNothingOfTheirOwn() {
        // No recurrent layer and no sequence: each layer's own figure, the whole of it: Conv2d(6, 4, 1) on 8 x 8, 4·6·64 = 1,536.
        Compilation compilation = compile(source("test.Net", """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "left", shape = {3, 8, 8}), @Input(name = "right", shape = {3, 8, 8})})
                public class Net {
                    @Concat({"left", "right"}) Layer both;
                    @Conv2d(cout = 4, k = 1, bias = false) Layer conv;
                }
                """));
        assertThat(compilation).succeeded();
        assertEquals(1_536L, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"));
    }

    @Test
    void valuesInKeysIsRefusedWhereOnlyTheKeysSourceIsShared() {
        // Keys projected from the input, values a slice of the input: the values are no part of the keys.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {64, 16}, layout = "L,D")
                public class Net {
                    @Linear(out = 16, bias = false) Layer k;
                    @From("input") @Slice(dim = -1, start = 0, end = 8) Layer v;
                    @From("k") @Reshape(shape = {1, 64, 16}, layout = "H,L,E") Layer kh;
                    @From("v") @Reshape(shape = {1, 64, 8}, layout = "H,L,E") Layer vh;
                    @From({"kh", "kh", "vh"}) @ScaledDotProductAttention(isCausal = true, valuesInKeys = true) Layer attn;
                }
                """;
        expectOnly(text, "[MC310] attn: ScaledDotProductAttention valuesInKeys = true must be false where the values (vh) are not taken from the "
                + "keys (kh)", "Layer attn;", ModelSources.columnAfter(text, "Layer attn;", "valuesInKeys = "));
    }

    @Test
    void anImageAndATextClassifiedTogetherDecodeAsBefore() {
        // A CNN on the image, a GRU on the text whose last state joins it, a head of 7 classes: the output holds no positions, so no
        // input is the decoded one, whichever order the concatenation takes; each layer's own figure: the convolution's 4·3·64 =
        // 768, GRU(8, 16)'s step 3·16·(8 + 16) = 1,152, the head's 20·7 = 140.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "image", shape = {3, 8, 8}), @Input(name = "words", shape = {5, 8}, layout = "L,D")})
                public class Net {
                    @From("image") @Conv2d(cout = 4, k = 1, bias = false) Layer conv;
                    @AdaptiveAvgPool2d(1) Layer pool;
                    @Flatten Layer flat;
                    @From("words") @GRU(hiddenSize = 16) Layer gru;
                    @From("gru.h_n") @Select(dim = 1, index = -1) Layer last;
                    @Concat(value = {%s}, dim = 1) Layer both;
                    @Linear(out = 7, bias = false) Layer head;
                }
                """;
        for (String order : List.of("\"flat\", \"last\"", "\"last\", \"flat\"")) {
            Compilation compilation = compile(source("test.Net", text.formatted(order)));
            assertThat(compilation).succeeded();
            assertEquals(768L + 1_152 + 140, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"), order);
        }
    }

    @Test
    void valuesInKeysIsRefusedForTheSiblingSliceOfTheKeys() {
        // k = kv[..., :40], v = kv[..., 40:]: the values are beside the keys, not in them.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {16, 32}, layout = "L,D")
                public class Net {
                    @Linear(out = 72, bias = false) Layer kv;
                    @Slice(dim = -1, start = 0, end = 40) Layer k;
                    @From("kv") @Slice(dim = -1, start = 40, end = 72) Layer v;
                    @From("k") @Reshape(shape = {1, 16, 40}, layout = "H,L,E") Layer kh;
                    @From("v") @Reshape(shape = {1, 16, 32}, layout = "H,L,E") Layer vh;
                    @From({"kh", "kh", "vh"}) @ScaledDotProductAttention(isCausal = true, valuesInKeys = true) Layer attn;
                }
                """;
        expectOnly(text, "[MC310] attn: ScaledDotProductAttention valuesInKeys = true must be false where the values (vh) are not taken from the "
                + "keys (kh)", "Layer attn;", ModelSources.columnAfter(text, "Layer attn;", "valuesInKeys = "));
    }

    @Test
    void aConvolutionThatLeavesOnePositionIsNoReductionOfThem() {
        // Conv1d(16, 64, 8) on 8 positions gives one; a ninth token gives a second, the first unchanged: a window sliding along the
        // positions, not a mean over them. The causal attention after it caches its keys and values, 2 x 64 a position: 128 at one
        // position, 256 at two. One decoding step: the convolution at one position 64 x 16 x 8 = 8,192, the attention's projections
        // 4 x 64 x 64 = 16,384, its query against the cache 2 x 64 a key: 24,704 at one cached position, 24,832 at two.
        String text = ModelSources.model("@Model(input = {16, 8}, layout = \"C,L\")", "@Conv1d(cout = 64, k = 8) Layer conv;",
                "@Transpose(dim0 = 1, dim1 = 2) Layer seq;", "@MultiheadAttention(numHeads = 4, batchFirst = true, isCausal = true) Layer attn;");
        com.google.testing.compile.Compilation one = ModelSources.compiled(text);
        assertEquals(128L, ModelSources.constant(one, "test.NetCost", "KV_CACHE"));
        assertEquals(24_704L, ModelSources.constant(one, "test.NetCost", "DECODE_MACS"));
        com.google.testing.compile.Compilation two = ModelSources.compiled(text.replace("{16, 8}", "{16, 9}"));
        assertEquals(256L, ModelSources.constant(two, "test.NetCost", "KV_CACHE"));
        assertEquals(24_832L, ModelSources.constant(two, "test.NetCost", "DECODE_MACS"));
    }

    @Test
    void anAlibiBiasBuiltFromEveryPositionLeavesEveryLayersCacheInPlace() {
        // Bloom's ALiBi, declared as a kind that builds (heads, 1, L_k) slopes times key positions from the layer's input and added
        // to attention's scores. Its key axis is not the sequence's name, so it holds no followed positions and was taken as a
        // reduction of them, changing at every position: every layer after the first reran over all positions with no cache
        // (KV_CACHE_BYTES 512 of the 1,024 below). A step reads the bias's row for its new query.
        String alibi = """
                package test;

                import dev.modelcost.*;
                import java.lang.annotation.*;

                @LayerKind(output = "[heads, 1, x.L]", layout = "H,Q,K", otherOps = "heads * x.L")
                @Retention(RetentionPolicy.CLASS)
                @Target(ElementType.FIELD)
                public @interface Alibi { int heads() default 1; String with() default ""; }
                """;
        String net = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8}, layout = "L", tokens = true, dtype = "fp16")
                public class Net {
                    @Embedding(numEmbeddings = 100, embeddingDim = 16)                    Layer wte;
                    @Repeat(2) Layer2 h;
                    @Linear(out = 100, bias = false, tiedTo = "wte")                     Layer head;

                    @Block
                    public static class Layer2 {
                        @LayerNorm                                                         Layer ln1;
                        @Linear(out = 48)                                                  Layer qkv;
                        @Reshape(layout = "L,H,D", shape = {8, 2, 24})                     Layer heads;
                        @Transpose(dim0 = 1, dim1 = 2)                                     Layer t;
                        @Slice(dim = -1, start = 0, end = 8)                               Layer q;
                        @From("t") @Slice(dim = -1, start = 8, end = 16)                   Layer k;
                        @From("t") @Slice(dim = -1, start = 16, end = 24)                  Layer v;
                        @From("input") @Alibi(heads = 2)                                   Layer alibi;
                        @From({"q", "k", "v", "alibi"}) @ScaledDotProductAttention(isCausal = true, explicit = true) Layer attention;
                        @Transpose(dim0 = 1, dim1 = 2)                                     Layer merged;
                        @Reshape(layout = "L,D", shape = {8, 16})                          Layer flat;
                        @Linear(out = 16)                                                  Layer dense;
                        @Add({"input", "dense"})                                           Layer residual1;
                        @LayerNorm                                                         Layer ln2;
                        @Linear(out = 64)                                                  Layer up;
                        @GELU                                                              Layer act;
                        @Linear(out = 16)                                                  Layer down;
                        @Add({"residual1", "down"})                                        Layer residual2;
                    }
                }
                """;
        Compilation compilation = compile(source("test.Alibi", alibi), source("test.Net", net));
        assertThat(compilation).succeededWithoutWarnings();
        // Keys and values of both layers: 2 tensors x 2 layers x 2 heads x 8 features x 8 positions x 2 bytes.
        assertEquals(2L * 2 * 2 * 8 * 8 * 2, ModelSources.constant(compilation, "test.NetCost", "KV_CACHE_BYTES"));
        // One position through both layers: qkv 16·48, dense 16·16, the MLP 2·16·64, attention 2 heads x (8 keys + 8 values) x 8
        // features; then the tied head, 16·100.
        assertEquals(2L * (16 * 48 + 16 * 16 + 2 * 16 * 64 + 2 * (8 + 8) * 8) + 16 * 100,
                ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"));
    }
}
