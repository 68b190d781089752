package dev.modelcost.processor;

import static dev.modelcost.processor.ModelSources.compiled;
import static dev.modelcost.processor.ModelSources.constant;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * {@code @ScaledDotProductAttention(softcap)}: Gemma 2's attention logit soft-capping, {@code softcap · tanh(scores / softcap)}
 * before the mask and the softmax. The memory figures are PyTorch 1.13's, measured on Gemma 2's eager attention at fp32 by
 * {@code tools/pytorch/measure_softcap.py} ({@code tools/pytorch/softcap.tsv}), as written there and as Hugging Face writes it;
 * the ops are derived in the test.
 */
class SoftCappingTest {

    /**
     * Gemma 2's eager attention on its q, k and v: 8 query heads, {@code %1$d} key/value heads, 64 positions of 32, fp32, at batch
     * {@code %2$d}; {@code %3$s} the model's extras, {@code %4$s} the attention's.
     */
    private static final String ATTENTION = """
            package test;

            import dev.modelcost.*;

            @Model(inputs = {@Input(name = "q", shape = {8, 64, 32}, layout = "H,L,D"), @Input(name = "k", shape = {%1$d, 64, 32}, layout = "H,L,D"),
                    @Input(name = "v", shape = {%1$d, 64, 32}, layout = "H,L,D")}, batch = %2$d)%3$s
            public class Net {
                @From({"q", "k", "v"}) @ScaledDotProductAttention(isCausal = true, enableGqa = true, explicit = true%4$s) Layer attention;
            }
            """;

    private static Compilation attention(int kvHeads, String header, String extras) {
        return attention(kvHeads, 1, header, extras);
    }

    private static Compilation attention(int kvHeads, int batch, String header, String extras) {
        return compiled(ATTENTION.formatted(kvHeads, batch, header, extras));
    }

    /**
     * tools/pytorch/softcap.tsv (measure_softcap.py): batch, key/value heads, whether soft-capped, the bytes autograd saves with q,
     * k and v requiring grad, and the peak of live bytes as the script writes the chain (the scores referenced to the end: the
     * bound modelcost counts) and as Hugging Face writes it (the scores rebound to the probabilities).
     */
    private static final long[][] MEASURED = {
        {1, 8, 0, 327_688, 524_288, 458_752}, {1, 8, 1, 458_776, 524_288, 458_752},
        {1, 2, 0, 327_688, 557_056, 491_520}, {1, 2, 1, 458_776, 557_056, 491_520},
        {1, 1, 0, 213_000, 409_600, 344_064}, {1, 1, 1, 344_088, 409_600, 344_064},
        {2, 8, 0, 655_368, 1_048_576, 917_504}, {2, 8, 1, 917_528, 1_048_576, 917_504},
        {2, 2, 0, 655_368, 1_114_112, 983_040}, {2, 2, 1, 917_528, 1_114_112, 983_040},
        {2, 1, 0, 655_368, 950_272, 688_128}, {2, 1, 1, 917_528, 950_272, 688_128},
    };

    @Test
    void softCappingCountsItsDivideTanhAndMultiplyOnEveryScore() {
        // 8 heads · 64 · 64 scores (the dense convention counts every pair): the softmax's 5, the scale 1, the causal mask 1, and
        // the soft-capping's divide, tanh and multiply
        long scores = 8L * 64 * 64;
        assertEquals(7 * scores, constant(attention(2, "", ""), "test.NetCost", "OTHER_OPS"));
        Compilation capped = attention(2, "", ", softcap = 50.0");
        assertEquals(10 * scores, constant(capped, "test.NetCost", "OTHER_OPS"));
        // the products are the same: Q·Kᵀ and A·V, 8 · 64 · 64 · (32 + 32)
        assertEquals(scores * 64, constant(capped, "test.NetCost", "MACS"));
        assertEquals(constant(attention(2, "", ""), "test.NetCost", "FLOPS"), constant(capped, "test.NetCost", "FLOPS"));
    }

    @Test
    void writtenOutTrainingSavesTheTanhsResultBesideTheProbabilities() {
        // softcap.tsv, q, k and v requiring grad, less autograd's 8-byte scalars (the scale's, and soft-capped the divisor's and
        // the factor's): q, the keys and values as the products take them (repeated to 8 heads, copies but for one key/value head
        // at batch 1, a view of it), the probabilities and, soft-capped, the tanh's result
        for (long[] row : MEASURED) {
            boolean capped = row[2] == 1;
            Compilation compilation = attention((int) row[1], (int) row[0], "\n@Training(inputsRequireGrad = true)", capped ? ", softcap = 50.0" : "");
            assertEquals(row[3] - (capped ? 3 : 1) * 8, constant(compilation, "test.NetCost", "SAVED_ACTIVATION_BYTES"), java.util.Arrays.toString(row));
        }
    }

    @Test
    void softCappingHoldsNoMoreWhileItRunsThanTheScoresAndProbabilities() {
        // softcap.tsv, no_grad, q, k and v held by the caller: each step of the chain allocates its result while its input lives, two
        // score-sized tensors at once, soft-capped or not. At batch 1, 8 key/value heads: q, k, v, two scores and the output,
        // 524,288 bytes; 2 heads: q and the smaller k and v (98,304), the copies repeat_kv makes for 8 heads (131,072), two scores
        // and the output, 557,056; 1 head, repeated as a view: 409,600. Equal to the chain that keeps its scores to the end, above
        // Hugging Face's, which frees them before the last product. At batch 2 with one head torch.matmul copies the view for each
        // product in turn, freeing it after: the bound holds both copies with the scores, 1,081,344, above the measured 950,272.
        for (long[] row : MEASURED) {
            boolean capped = row[2] == 1;
            long peak = constant(attention((int) row[1], (int) row[0], "", capped ? ", softcap = 50.0" : ""), "test.NetCost", "PEAK_ACTIVATION_BYTES");
            long expected = row[0] == 2 && row[1] == 1 ? 1_081_344L : row[4];
            assertEquals(expected, peak, java.util.Arrays.toString(row));
            assertTrue(peak >= row[4] && row[4] >= row[5], java.util.Arrays.toString(row));
        }
    }

    @Test
    void aSoftmaxInFp32AtHalfPrecisionHoldsAndSavesItsFp32Tensors() {
        // softcap.tsv's bf16 rows, Hugging Face's softmax(scores, dtype=torch.float32).to(dtype): n scores, the probabilities saved in
        // fp32 (4n) beside their bf16 copy (2n); at batch 1 with 8 heads n = 32,768: 196,608 and q, k, v (98,304), 294,912 (294,920
        // less the scale's scalar); soft-capped the bf16 tanh result too, 360,448 (360,472 less three scalars). With 2 key/value
        // heads the copies repeated to 8 replace k and v, the same bytes; at batch 2 with one head, twice as many.
        String training = "\n@Training(inputsRequireGrad = true)";
        long[][] saved = {{1, 8, 0, 294_920}, {1, 8, 1, 360_472}, {1, 2, 0, 294_920}, {1, 2, 1, 360_472}, {2, 1, 0, 589_832}, {2, 1, 1, 720_920}};
        for (long[] row : saved) {
            boolean capped = row[2] == 1;
            String extras = ", softmaxDtype = \"fp32\"" + (capped ? ", softcap = 50.0" : "");
            Compilation compilation = compiled(ATTENTION.formatted(row[1], row[0], training, extras).replace("batch = ", "dtype = \"bf16\", batch = "));
            assertEquals(row[3] - (capped ? 3 : 1) * 8, constant(compilation, "test.NetCost", "SAVED_ACTIVATION_BYTES"), java.util.Arrays.toString(row));
            // without it the fp32 probabilities are left out: 4n less
            long n = row[0] * 8 * 64 * 64;
            Compilation bf16 = compiled(ATTENTION.formatted(row[1], row[0], training, capped ? ", softcap = 50.0" : "").replace("batch = ", "dtype = \"bf16\", batch = "));
            assertEquals(row[3] - (capped ? 3 : 1) * 8 - 4 * n, constant(bf16, "test.NetCost", "SAVED_ACTIVATION_BYTES"), java.util.Arrays.toString(row));
        }
        // No_grad: the softmax copies the bf16 scores to fp32 and computes in fp32, the three together (2n + 4n + 4n). At batch 1 with
        // 8 heads: q, k, v (98,304), the output (32,768) and 327,680: 458,752, above the 425,984 measured at the softmax, where the
        // output is not made yet; with 2 key/value heads q and the smaller k and v (49,152), their copies (65,536), the output and
        // 327,680: 475,136 against 442,368; at batch 2 with one head 81,920 + 131,072 + 65,536 + 655,360 = 933,888 against 737,280.
        long[][] peaks = {{1, 8, 458_752, 425_984}, {1, 2, 475_136, 442_368}, {2, 1, 933_888, 737_280}};
        for (long[] row : peaks) {
            Compilation compilation = compiled(ATTENTION.formatted(row[1], row[0], "", ", softmaxDtype = \"fp32\", softcap = 50.0")
                    .replace("batch = ", "dtype = \"bf16\", batch = "));
            assertEquals(row[2], constant(compilation, "test.NetCost", "PEAK_ACTIVATION_BYTES"), java.util.Arrays.toString(row));
            assertTrue(row[2] >= row[3]);
        }
        // at fp32 the softmax's dtype is the scores': nothing changes
        assertEquals(constant(attention(2, "", ""), "test.NetCost", "PEAK_ACTIVATION_BYTES"),
                constant(attention(2, "", ", softmaxDtype = \"fp32\""), "test.NetCost", "PEAK_ACTIVATION_BYTES"));
    }

    @Test
    void mc310ASoftmaxDtypeOnAFusedKernelOrNotFp32() {
        String fused = ATTENTION.formatted(2, 1, "", ", softmaxDtype = \"fp32\"").replace("explicit = true, ", "");
        expectOnly(fused, "[MC310] attention: ScaledDotProductAttention softmaxDtype = 'fp32' must be empty where the attention is fused "
                + "(explicit = false): the kernel keeps no probabilities", "Layer attention;", ModelSources.columnAfter(fused, "Layer attention;", "softmaxDtype = "));
        String half = ATTENTION.formatted(2, 1, "", ", softmaxDtype = \"fp16\"");
        expectOnly(half, "[MC310] attention: ScaledDotProductAttention softmaxDtype = 'fp16' must be 'fp32' (F.softmax(..., dtype=torch.float32)), "
                + "or empty (the default) for the activations' dtype", "Layer attention;", ModelSources.columnAfter(half, "Layer attention;", "softmaxDtype = "));
    }

    @Test
    void aDecodingStepSoftCapsTheScoresOfItsOneQuery() {
        // 2 query heads of 4 on 1 key/value head, 5 positions, a window of 3: the step's query scores the 3 keys the cache keeps, 6
        // scores of 2 x 4 - 1 = 42 FLOPs, 2 x 4 output features x (2 x 3 - 1) = 40; other ops a score: the softmax's 5, the scale 1
        // (no causal mask on the last query), and soft-capped the divide, tanh and multiply: 36 or 54. On a profile of 1 TFLOP/s at
        // fp32 and 1 PB/s (1,000,000 GB/s) the step is compute-bound: 118 or 136 ps.
        String model = ModelSources.model("@Model(inputs = {@Input(name = \"q\", shape = {2, 5, 4}, layout = \"H,L,D\"), "
                        + "@Input(name = \"kv\", shape = {1, 5, 4}, layout = \"H,L,D\")})\n"
                        + "@Roofline(hardware = \"t\", custom = @Hardware(id = \"t\", name = \"T\", fp32 = 1, bandwidth = 1000000, source = \"round numbers\"))",
                "@From({\"q\", \"kv\", \"kv\"}) @ScaledDotProductAttention(isCausal = true, enableGqa = true, slidingWindow = 3%s) Layer attention;");
        assertEquals(118e-12, ModelSources.doubleConstant(compiled(model.formatted("")), "test.NetCost", "DECODE_LATENCY_BOUND_SECONDS_T"), 1e-24);
        assertEquals(136e-12, ModelSources.doubleConstant(compiled(model.formatted(", softcap = 30.0")), "test.NetCost",
                "DECODE_LATENCY_BOUND_SECONDS_T"), 1e-24);
    }

    @Test
    void mc310ANegativeCap() {
        String text = ATTENTION.formatted(2, 1, "", ", softcap = -50.0");
        expectOnly(text, "[MC310] attention: ScaledDotProductAttention softcap = -50.0 must be a finite number above 0 (Gemma 2's 50.0), "
                + "or 0 (the default) for no soft-capping", "Layer attention;", ModelSources.columnAfter(text, "Layer attention;", "softcap = "));
    }
}
