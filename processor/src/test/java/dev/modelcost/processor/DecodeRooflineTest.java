package dev.modelcost.processor;

import static dev.modelcost.processor.ModelSources.compiled;
import static dev.modelcost.processor.ModelSources.doubleConstant;
import static dev.modelcost.processor.ModelSources.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/**
 * The roofline bound of one decoding step, each against a hand derivation: which layers a step runs, what attention reads from
 * its KV cache, and what every other layer does on one position.
 */
class DecodeRooflineTest {
    /** A profile of round numbers: fp32 at 1 TFLOP/s, 1 GB/s, so a memory-bound layer takes its bytes in nanoseconds. */
    private static final String PROFILE = "@Roofline(hardware = \"t\", custom = @Hardware(id = \"t\", name = \"T\", fp32 = 1, bandwidth = 1, "
            + "source = \"round numbers\"))";
    private static final double RATE = 1e12;
    private static final double BANDWIDTH = 1e9;

    private static double decodeBound(Compilation compilation) {
        return doubleConstant(compilation, "test.NetCost", "DECODE_LATENCY_BOUND_SECONDS_T");
    }

    private static String generated(Compilation compilation) {
        JavaFileObject file = compilation.generatedFile(StandardLocation.SOURCE_OUTPUT, "test", "NetCost.java").orElseThrow();
        try {
            return file.getCharContent(true).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertClose(double expected, double actual) {
        assertEquals(expected, actual, Math.abs(expected) * 1e-12);
    }

    @Test
    void causalSelfAttentionReadsItsWholeCacheAndProjectsOnePosition() {
        // 8 positions of 8 features, fp32, batch 1; nn.MultiheadAttention(8, 2 heads of 4, bias), then Linear(8 -> 16).
        // One step, attention: the four projections of one position, 8 outputs x (2 x 8 - 1 + 1) = 128 FLOPs each, 512; one query a
        // head on the 8 cached keys: 16 scores x (2 x 4 - 1) = 112, and 8 output features x (2 x 8 - 1) = 120; other ops: the
        // query's scaling 8 and softmax 5 x 16 = 80. 832 in all. Bytes: 288 parameters x 4 = 1,152; the input and the output at
        // one position, 2 x 8 x 4 = 64; the cache read, 2 x 8 x 8 elements at fp16 = 256; the new position's key and value
        // appended, 2 x 8 x 2 = 32. 1,504 bytes.
        // The head on one position: 16 x 16 = 256 FLOPs; (128 + 16) x 4 = 576 weight bytes, 32 read, 64 written: 672 bytes.
        // Both memory-bound on this profile: (1,504 + 672) ns.
        Compilation compilation = compiled(model("@Model(input = {8, 8}, layout = \"L,E\")\n" + PROFILE,
                "@MultiheadAttention(embedDim = 8, numHeads = 2, isCausal = true) Layer attn;",
                "@Linear(out = 16) Layer head;"));
        assertClose((1_504 + 672) / BANDWIDTH, decodeBound(compilation));
        assertTrue(832 / RATE < 1_504 / BANDWIDTH);
    }

    @Test
    void anOperandWithoutThePositionsIsReadWholeAtEveryStep() {
        // seq: 8 positions of 8 features, gate: 1 x 8, one row for every position, fp32, batch 1; the causal attention as in
        // causalSelfAttentionReadsItsWholeCacheAndProjectsOnePosition (1,504 bytes), then seq * gate broadcast over the positions. The
        // product at one position reads the attention's new row, 8 x 4 = 32 bytes, the whole gate, 32, and writes a row, 32: 96
        // bytes (dividing its pass's 256 + 32 + 256 = 544 bytes by the 8 positions would give 68). 8 FLOPs: memory-bound.
        Compilation compilation = compiled(model("@Model(inputs = {@Input(name = \"seq\", shape = {8, 8}, layout = \"L,E\"), "
                + "@Input(name = \"gate\", shape = {1, 8}, layout = \"L,E\")})\n" + PROFILE,
                "@MultiheadAttention(embedDim = 8, numHeads = 2, isCausal = true) Layer attn;",
                "@Mul({\"attn\", \"gate\"}) Layer gated;"));
        assertClose((1_504 + 96) / BANDWIDTH, decodeBound(compilation));
    }

    @Test
    void aRecurrentStepReadsAndWritesItsWholeStates() {
        // nn.LSTM(8, 4) on 8 positions, fp32, batch 1, then Linear(4 -> 2). One step of the LSTM: its 4 x 4 x (8 + 4) + 2 x 4 x 4 =
        // 224 weights, 896 bytes; the input and the output at one position, 32 + 16; the last step's h and c read and the new h_n and
        // c_n written, 4 x 16: 1,008 bytes. The head: 40 weight bytes, 16 read, 8 written: 64. Memory-bound: (1,008 + 64) ns.
        Compilation compilation = compiled(model("@Model(input = {8, 8}, layout = \"L,E\")\n" + PROFILE, "@LSTM(hiddenSize = 4) Layer lstm;",
                "@Linear(out = 2) Layer head;"));
        assertClose((1_008 + 64) / BANDWIDTH, decodeBound(compilation));
        // A GRU(8, 4), its h_n alone: 3 x 4 x (8 + 4) + 2 x 3 x 4 = 168 weights, 672 bytes; 32 + 16 at one position; h read and
        // h_n written, 2 x 16: 752 bytes, and the head's 64.
        Compilation gru = compiled(model("@Model(input = {8, 8}, layout = \"L,E\")\n" + PROFILE, "@GRU(hiddenSize = 4) Layer gru;",
                "@Linear(out = 2) Layer head;"));
        assertClose((752 + 64) / BANDWIDTH, decodeBound(gru));
        // The LSTM given its initial states (h_0 and c_0 as inputs): the step reads them in the last step's place, 1,008 again; on a
        // sequence of one position, the same.
        Compilation given = compiled(model("@Model(inputs = {@Input(name = \"seq\", shape = {8, 8}, layout = \"L,E\"), "
                + "@Input(name = \"hx\", shape = {1, 4}), @Input(name = \"cx\", shape = {1, 4})})\n" + PROFILE,
                "@From({\"seq\", \"hx\", \"cx\"}) @LSTM(hiddenSize = 4) Layer lstm;", "@Linear(out = 2) Layer head;"));
        assertClose((1_008 + 64) / BANDWIDTH, decodeBound(given));
        Compilation one = compiled(model("@Model(input = {1, 8}, layout = \"L,E\")\n" + PROFILE, "@LSTM(hiddenSize = 4) Layer lstm;",
                "@Linear(out = 2) Layer head;"));
        assertClose((1_008 + 64) / BANDWIDTH, decodeBound(one));
    }

    @Test
    void anEncoderDecoderStepRunsTheDecoderAlone() {
        // An encoder Linear on 6 source positions (run once, not per token), a causal self-attention on 4 target positions and a
        // cross-attention on the encoder's output, then a head. Self-attention as above on 4 cached keys: 512 projection FLOPs, 8
        // scores x 7 + 8 x 7 + 8 + 5 x 8 = 160 more; bytes 1,152 + 64 + 2 x 8 x 4 x 2 (cache) + 32 (appended) = 1,376.
        // Cross-attention projects the query and the output only (the memory's keys and values are cached): 256 FLOPs, and
        // 12 scores x 7 + 8 x 11 + 8 + 5 x 12 = 240 more; bytes: the weights of those two projections, 2 x (64 + 8) x 4 = 576, the
        // query and output rows 64, the memory's cache 2 x 8 x 6 x 2 = 192: 832.
        // The head on one of its 4 positions: 672 bytes, as above. All memory-bound: (1,376 + 832 + 672) ns.
        Compilation compilation = compiled(model("@Model(inputs = {@Input(name = \"src\", shape = {6, 8}, layout = \"S,E\"), "
                        + "@Input(name = \"tgt\", shape = {4, 8}, layout = \"L,E\")})\n" + PROFILE,
                "@From(\"src\") @Linear(out = 8) Layer enc;",
                "@From(\"tgt\") @MultiheadAttention(embedDim = 8, numHeads = 2, isCausal = true) Layer self_attn;",
                "@From({\"self_attn\", \"enc\", \"enc\"}) @MultiheadAttention(embedDim = 8, numHeads = 2) Layer cross_attn;",
                "@Linear(out = 16) Layer head;"));
        assertClose((1_376 + 832 + 672) / BANDWIDTH, decodeBound(compilation));
    }

    @Test
    void aSlidingWindowReadsOnlyTheKeysItKeeps() {
        // scaled_dot_product_attention, 2 query heads of 4 on 1 key/value head, 5 positions, a window of 3: the step's query reads
        // the 3 keys and values the cache keeps. 6 scores: 6 x (2 x 4 - 1) = 42 FLOPs, 2 x 4 output features x (2 x 3 - 1) = 40,
        // 6 other ops a score, 36: 118. Bytes: the query and the output at one position, 2 heads x (4 + 4) x 4 = 64; the cache,
        // 3 x (4 + 4) at fp16 = 48: 112. Memory-bound: 112 ns.
        Compilation compilation = compiled(model("@Model(inputs = {@Input(name = \"q\", shape = {2, 5, 4}, layout = \"H,L,D\"), "
                        + "@Input(name = \"kv\", shape = {1, 5, 4}, layout = \"H,L,D\")})\n" + PROFILE,
                "@From({\"q\", \"kv\", \"kv\"}) @ScaledDotProductAttention(isCausal = true, enableGqa = true, slidingWindow = 3) Layer attention;"));
        assertClose(112 / BANDWIDTH, decodeBound(compilation));
    }

    @Test
    void aLargeBatchMakesTheProjectionsComputeBound() {
        // The first model at batch 4096: the head does 4,096 x 256 = 1,048,576 FLOPs (1.049 µs at 1 TFLOP/s) and moves 576 +
        // 4,096 x 96 = 393,792 bytes (393.8 µs at 1 GB/s) - still memory-bound here; with a bandwidth of 1,000 GB/s it moves them in
        // 393.8 ns and is compute-bound at 1.049 µs.
        String fast = PROFILE.replace("bandwidth = 1,", "bandwidth = 1000,");
        Compilation compilation = compiled(model("@Model(input = {8, 8}, layout = \"L,E\", batch = 4096)\n" + fast,
                "@Linear(out = 16) Layer head;", "@MultiheadAttention(embedDim = 16, numHeads = 2, isCausal = true) Layer attn;"));
        // Attention of 16 features, 2 heads of 8, on one position of each of 4,096 sequences: projections 4 x 4,096 x 16 x 32 =
        // 8,388,608 FLOPs; 4,096 x 16 scores x 15 = 983,040; 4,096 x 16 x 15 = 983,040; other ops 4,096 x (16 + 80) = 393,216:
        // 10,747,904 FLOPs, 10.75 µs. Bytes: (4 x 256 + 4 x 16) x 4 = 4,352 of weights; 4,096 x 32 x 4 = 524,288 in and out;
        // cache 4,096 x 2 x 16 x 8 x 2 = 2,097,152; appended 4,096 x 2 x 16 x 2 = 262,144: 2,887,936 bytes, 2.888 µs. Compute-bound.
        assertClose(1_048_576 / RATE + 10_747_904 / RATE, decodeBound(compilation));
    }

    @Test
    void aMixtureOfExpertsReadsTheExpertsOneTokenReaches() {
        // A causal nn.MultiheadAttention(16, 2 heads) on 8 positions, then 4 experts (Linear 16 -> 32, ReLU, Linear 32 -> 16;
        // 1,072 parameters, 4,288 bytes at fp32), top 2. Attention's step: weights 4 x (256 + 16) x 4 = 4,352 bytes, its input
        // and output rows 2 x 16 x 4 = 128, the cache 2 x 16 x 8 at fp16 = 512, the appended row 2 x 16 x 2 = 64: 5,056.
        // The experts' forward pass reaches all 4 (8 tokens x 2) and moves 4 x 4,288 + 2 x 5,120 (one expert's activations over the
        // 8 tokens: 512 + 1,024 read and written by fc1, 2 x 1,024 by the ReLU, 1,024 + 512 by fc2) = 27,392 bytes. One step's
        // token reaches 2 experts: 2 x 4,288 + 2 x 5,120 / 8 = 9,856 bytes. Both memory-bound: (5,056 + 9,856) ns.
        Compilation compilation = compiled(model("@Model(input = {8, 16}, layout = \"L,E\")\n" + PROFILE,
                "@MultiheadAttention(embedDim = 16, numHeads = 2, isCausal = true) Layer attn;",
                "@Experts(count = 4, topK = 2) Expert experts;",
                "@Block public static class Expert { @Linear(out = 32) Layer fc1; @ReLU Layer act; @Linear(out = 16) Layer fc2; }"));
        // The forward pass: attention reads its weights, 4,352, and its input and writes its output, 2 x 8 x 16 x 4 = 1,024.
        assertEquals(4_352L + 1_024 + 27_392, ModelSources.constant(compilation, "test.NetCost", "BYTES_MOVED"));
        assertClose((5_056 + 9_856) / BANDWIDTH, decodeBound(compilation));
    }

    @Test
    void anAttentionInsideAMixtureOfExpertsReadsTheExpertsCache() {
        // A causal nn.MultiheadAttention(16, 2 heads) on 8 positions, then 4 experts of the same attention, top 2. The attention's step
        // is 5,056 bytes (above). The experts keep keys and values for the 2 a token picks, 2 x 2 x 8 x 16 = 512 elements, 1,024
        // bytes at fp16, besides the attention's own 2 x 8 x 16 = 256, 512 bytes: KV_CACHE_BYTES 1,536. The experts' step: the weights
        // of the 2 experts one token reaches, 2 x 4 x (256 + 16) x 4 = 8,704 bytes; their forward pass's activations, 16 token rows
        // read and written at 16 x 4 bytes, 2,048, over 8 positions, 256; and the cache they keep, 1,024. Memory-bound:
        // (5,056 + 8,704 + 256 + 1,024) ns.
        Compilation compilation = compiled(model("@Model(input = {8, 16}, layout = \"L,E\")\n" + PROFILE,
                "@MultiheadAttention(embedDim = 16, numHeads = 2, isCausal = true) Layer attn;",
                "@Experts(count = 4, topK = 2) Expert experts;",
                "@Block public static class Expert { @MultiheadAttention(embedDim = 16, numHeads = 2, isCausal = true) Layer attn; }"));
        assertEquals(1_536L, ModelSources.constant(compilation, "test.NetCost", "KV_CACHE_BYTES"));
        assertClose((5_056 + 8_704 + 256 + 1_024) / BANDWIDTH, decodeBound(compilation));
    }

    @Test
    void aSelfAttentionOnAnotherTensorOfTheSamePositionsProjectsTheNewKey() {
        // Pre-norm query, raw keys and values: @From({"norm", "input", "input"}). All three hold the decoded positions, so the step
        // projects the new position's key and value and appends them, as in the first test (832 FLOPs), and reads the key and
        // value row besides the query's: 1,152 + 64 + 32 + 256 + 32 = 1,536 bytes. The LayerNorm on one position: 16 parameters
        // x 4 = 64, its input and output rows 64: 128. (1,536 + 128) ns.
        Compilation compilation = compiled(model("@Model(input = {8, 8}, layout = \"L,E\")\n" + PROFILE,
                "@LayerNorm Layer norm;",
                "@From({\"norm\", \"input\", \"input\"}) @MultiheadAttention(embedDim = 8, numHeads = 2, isCausal = true) Layer attn;"));
        assertClose((1_536 + 128) / BANDWIDTH, decodeBound(compilation));
    }

    @Test
    void thePositionsAreOnTheInputsOwnAxis() {
        // The first model with its positions on an axis named T: the head still runs on one of them.
        Compilation compilation = compiled(model("@Model(input = {8, 8}, layout = \"T,E\")\n" + PROFILE,
                "@MultiheadAttention(embedDim = 8, numHeads = 2, isCausal = true) Layer attn;",
                "@Linear(out = 16) Layer head;"));
        assertClose((1_504 + 672) / BANDWIDTH, decodeBound(compilation));
    }

    @Test
    void twoCausalStacksOnTwoInputsHaveNoStepToBound() {
        // Which input a step decodes is not known: no bound, rather than every layer of both once a token.
        Compilation compilation = compiled(model("@Model(inputs = {@Input(name = \"a\", shape = {4, 8}, layout = \"L,E\"), "
                        + "@Input(name = \"b\", shape = {4, 8}, layout = \"L,E\")})\n" + PROFILE,
                "@From(\"a\") @MultiheadAttention(embedDim = 8, numHeads = 2, isCausal = true) Layer xa;",
                "@From(\"b\") @MultiheadAttention(embedDim = 8, numHeads = 2, isCausal = true) Layer ya;",
                "@Add({\"xa\", \"ya\"}) Layer sum;"));
        assertFalse(generated(compilation).contains("DECODE_LATENCY_BOUND"));
    }

    @Test
    void aBudgetOnTheDecodingStepFailsOnItsAttribute() {
        // The first model's step takes 2.176 µs on the profile: a bound of 2 µs fails on maxDecodeLatencySeconds, 3 µs passes.
        String model = model("@Model(input = {8, 8}, layout = \"L,E\")\n" + PROFILE + "\n@Budget(maxDecodeLatencySeconds = %s, hardware = \"t\")",
                "@MultiheadAttention(embedDim = 8, numHeads = 2, isCausal = true) Layer attn;", "@Linear(out = 16) Layer head;");
        ModelSources.expectOnly(model.formatted("2e-6"), "[MC410] the roofline latency lower bound of one decoding step on t, 2.176 \u00b5s, exceeds the "
                + "budget maxDecodeLatencySeconds = 2 \u00b5s by 8.8%", "@Budget", ModelSources.columnAfter(model.formatted("2e-6"), "@Budget", "maxDecodeLatencySeconds = "));
        assertEquals(3e-6, doubleConstant(compiled(model.formatted("3e-6")), "test.NetCost", "MAX_DECODE_LATENCY_SECONDS"));
        // On a model that generates nothing it bounds nothing: a warning, and the model compiles.
        Compilation encoder = compiled(model("@Model(input = {8, 8}, layout = \"L,E\")\n" + PROFILE + "\n@Budget(maxDecodeLatencySeconds = 1e-6)",
                "@MultiheadAttention(embedDim = 8, numHeads = 2) Layer attn;"));
        com.google.testing.compile.CompilationSubject.assertThat(encoder).hadWarningContaining("[MC143] Net: @Budget(maxDecodeLatencySeconds) bounds "
                + "the latency bound of one decoding step, which is 0 for this model (it generates nothing");
    }

    @Test
    void aModelThatDecodesNothingHasNoDecodingBound() {
        // An image model's decoding step would be its whole forward pass, an encoder's nothing: neither gets the constant.
        Compilation cnn = compiled(model("@Model(input = {3, 8, 8})\n" + PROFILE, "@Conv2d(cout = 4, k = 3) Layer conv;"));
        assertFalse(generated(cnn).contains("DECODE_LATENCY_BOUND"));
        Compilation encoder = compiled(model("@Model(input = {8, 8}, layout = \"L,E\")\n" + PROFILE,
                "@MultiheadAttention(embedDim = 8, numHeads = 2) Layer attn;"));
        assertFalse(generated(encoder).contains("DECODE_LATENCY_BOUND"));
        assertTrue(generated(encoder).contains("LATENCY_BOUND_SECONDS_T"));
        // Position-wise layers alone, or attention written out with @MatMul (no mask, no cache), generate nothing either, and
        // neither does a recurrent classifier on the mean of its outputs, which holds no positions (a head on the last position
        // alone predicts the next token: see the next test).
        Compilation mlp = compiled(model("@Model(input = {8, 8}, layout = \"L,E\")\n" + PROFILE, "@Linear(out = 16) Layer fc;"));
        assertFalse(generated(mlp).contains("DECODE_LATENCY_BOUND"));
        Compilation classifier = compiled(model("@Model(input = {8, 8}, layout = \"L,E\")\n" + PROFILE, "@LSTM(hiddenSize = 8) Layer lstm;",
                "@Mean(dim = 1) Layer pooled;", "@Linear(out = 2) Layer fc;"));
        assertFalse(generated(classifier).contains("DECODE_LATENCY_BOUND"));
    }

    @Test
    void aRecurrentModelWithAHeadOnItsLastPositionOrItsStateHasADecodingBound() {
        // A recurrent language model computing the next token from the last position alone, selected or as h_n.
        for (String last : List.of("@Select(dim = 1, index = -1) Layer last;", "@Select(dim = 1, index = 7) Layer last;")) {
            Compilation lm = compiled(model("@Model(input = {8, 8}, layout = \"L,E\")\n" + PROFILE, "@LSTM(hiddenSize = 8) Layer lstm;", last,
                    "@Linear(out = 2) Layer fc;"));
            assertTrue(generated(lm).contains("DECODE_LATENCY_BOUND_SECONDS_T"), last);
        }
        Compilation state = compiled(model("@Model(input = {8, 8}, layout = \"L,E\")\n" + PROFILE, "@LSTM(hiddenSize = 8, output = \"h_n\") Layer lstm;",
                "@Linear(out = 2) Layer fc;"));
        assertTrue(generated(state).contains("DECODE_LATENCY_BOUND_SECONDS_T"));
        // A position other than the last is no next-token head
        Compilation first = compiled(model("@Model(input = {8, 8}, layout = \"L,E\")\n" + PROFILE, "@LSTM(hiddenSize = 8) Layer lstm;",
                "@Select(dim = 1, index = 0) Layer first;", "@Linear(out = 2) Layer fc;"));
        assertFalse(generated(first).contains("DECODE_LATENCY_BOUND"));
    }
}
