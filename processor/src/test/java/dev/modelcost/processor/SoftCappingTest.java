package dev.modelcost.processor;

import static dev.modelcost.processor.ModelSources.compiled;
import static dev.modelcost.processor.ModelSources.constant;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * {@code @ScaledDotProductAttention(softcap)}: Gemma 2's attention logit soft-capping, {@code softcap · tanh(scores / softcap)}
 * before the mask and the softmax. The memory figures are PyTorch 1.13's, measured on Gemma 2's eager attention by
 * {@code tools/pytorch/measure_softcap.py} ({@code tools/pytorch/softcap.tsv}); the ops are derived in the test.
 */
class SoftCappingTest {

    /** Gemma 2's eager attention on its q, k and v: 8 query heads, {@code %d} key/value heads, 64 positions of 32, fp32; {@code %s} its extras. */
    private static final String ATTENTION = """
            package test;

            import dev.modelcost.*;

            @Model(inputs = {@Input(name = "q", shape = {8, 64, 32}, layout = "H,L,D"), @Input(name = "k", shape = {%1$d, 64, 32}, layout = "H,L,D"),
                    @Input(name = "v", shape = {%1$d, 64, 32}, layout = "H,L,D")})%2$s
            public class Net {
                @From({"q", "k", "v"}) @ScaledDotProductAttention(isCausal = true, enableGqa = true, explicit = true%3$s) Layer attention;
            }
            """;

    private static Compilation attention(int kvHeads, String header, String extras) {
        return compiled(ATTENTION.formatted(kvHeads, header, extras));
    }

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
        // softcap.tsv, q, k and v requiring grad: 327,688 bytes without soft-capping, 458,776 with it, each less autograd's 8-byte
        // scalars (the scale's, and the soft-capping's divisor and factor): q (65,536), the keys and values repeated to 8 heads
        // (2 · 65,536; 2 · 16,384 given), the probabilities (131,072) and, soft-capped, the tanh's result (131,072)
        for (int kvHeads : new int[] {8, 2}) {
            String training = "\n@Training(inputsRequireGrad = true)";
            assertEquals(327_688L - 8, constant(attention(kvHeads, training, ""), "test.NetCost", "SAVED_ACTIVATION_BYTES"));
            assertEquals(458_776L - 3 * 8, constant(attention(kvHeads, training, ", softcap = 50.0"), "test.NetCost", "SAVED_ACTIVATION_BYTES"));
        }
    }

    @Test
    void softCappingHoldsNoMoreWhileItRunsThanTheScoresAndProbabilities() {
        // softcap.tsv, no_grad, q, k and v held by the caller: each step of the chain allocates its result while its input lives, two
        // score-sized tensors at once, soft-capped or not. 8 key/value heads: q, k, v, two scores and the output, 524,288 bytes. 2
        // heads: q and the smaller k and v (98,304), the copies repeat_kv makes for 8 heads (131,072), two scores and the output,
        // 557,056.
        assertEquals(524_288L, constant(attention(8, "", ""), "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        assertEquals(524_288L, constant(attention(8, "", ", softcap = 50.0"), "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        assertEquals(557_056L, constant(attention(2, "", ""), "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        assertEquals(557_056L, constant(attention(2, "", ", softcap = 50.0"), "test.NetCost", "PEAK_ACTIVATION_BYTES"));
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
        String text = ATTENTION.formatted(2, "", ", softcap = -50.0");
        expectOnly(text, "[MC310] attention: ScaledDotProductAttention softcap = -50.0 must be a finite number above 0 (Gemma 2's 50.0), "
                + "or 0 (the default) for no soft-capping", "Layer attention;", ModelSources.columnAfter(text, "Layer attention;", "softcap = "));
    }
}
