package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.compile;
import static dev.modelcost.processor.ModelSources.compiled;
import static dev.modelcost.processor.ModelSources.constant;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.model;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.modelcost.ClosedForm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * T5's relative position bias ({@code @RelativePositionBias}) against PyTorch 1.13 running Hugging
 * Face's {@code T5Attention.compute_bias} and {@code _relative_position_bucket} (transformers 4.x,
 * written out op for op), and against the real counters as {@code tools/pytorch/measure_counters.py}
 * loads them: thop 0.1.1, nni 3.0, ptflops 0.7.6, fvcore 0.1.6, torchinfo 5c4164f and v1.8.0. The
 * expected numbers are {@code tools/pytorch/relative-bias-costs.tsv}, which
 * {@code tools/pytorch/measure_relative_bias.py} wrote.
 */
class RelativePositionBiasTest {

    /**
     * T5's self-attention with the bias, no mask and no cache, its dropout and residual, on 2 x 10 x 64 (8 heads of 8); in
     * PyTorch {@code scores = torch.matmul(q, k.transpose(3, 2)); scores += position_bias; F.softmax(scores, dim=-1)}.
     */
    private static String attention(String bias) {
        return model("@Model(input = {10, 64}, layout = \"L,D\", batch = 2)",
                "@Linear(out = 64, bias = false)                       Layer q;",
                "@Reshape(shape = {10, 8, 8}, layout = \"L,H,D\")        Layer qr;",
                "@Transpose(dim0 = 1, dim1 = 2)                        Layer qh;",
                "@From(\"input\") @Linear(out = 64, bias = false)        Layer k;",
                "@Reshape(shape = {10, 8, 8}, layout = \"L,H,D\")        Layer kr;",
                "@Transpose(dim0 = 1, dim1 = 2)                        Layer kh;",
                "@From(\"input\") @Linear(out = 64, bias = false)        Layer v;",
                "@Reshape(shape = {10, 8, 8}, layout = \"L,H,D\")        Layer vr;",
                "@Transpose(dim0 = 1, dim1 = 2)                        Layer vh;",
                "@From({\"qh\", \"kh\"}) @MatMul(transposeB = true)        Layer scores;",
                bias,
                "@Add({\"scores\", \"relative_attention_bias\"})           Layer biased;",
                "@Functional @Softmax                                  Layer probs;",
                "@Dropout(p = 0.1)                                     Layer dropout;",
                "@From({\"dropout\", \"vh\"}) @MatMul                      Layer context;",
                "@Transpose(dim0 = 1, dim1 = 2)                        Layer merged;",
                "@Reshape(shape = {10, 64})                            Layer flat;",
                "@Linear(out = 64, bias = false)                       Layer o;",
                "@Dropout(p = 0.1)                                     Layer dropout2;",
                "@Add({\"input\", \"dropout2\"})                           Layer residual;");
    }

    /** Measured at batch 2, 10 tokens ({@code attention enc} and {@code attention dec}: the bucketing changes no count). */
    private static final Map<String, Long> MEASURED = Map.ofEntries(
            Map.entry("PARAMS", 16_640L), Map.entry("MACS", 353_280L), Map.entry("FLOPS", 698_560L), Map.entry("BUFFERS", 0L),
            Map.entry("THOP_MACS", 327_680L), Map.entry("THOP_PARAMS", 16_384L), Map.entry("NNI_FLOPS", 16_384L), Map.entry("NNI_PARAMS", 16_384L),
            Map.entry("NNI_FULL_FLOPS", 16_384L), Map.entry("NNI_FULL_PARAMS", 16_384L), Map.entry("PTFLOPS_MACS", 191_040L),
            Map.entry("PTFLOPS_PARAMS", 16_640L), Map.entry("PTFLOPS_NOFUNC_MACS", 163_840L), Map.entry("PTFLOPS_ATEN_MACS", 353_280L),
            Map.entry("FVCORE_FLOPS", 353_280L), Map.entry("TORCHINFO_MULT_ADDS", 330_240L), Map.entry("TORCHINFO_PARAMS", 16_640L),
            Map.entry("TORCHINFO_V180_MULT_ADDS", 35_328L));

    @Test
    void t5SelfAttentionMatchesPyTorchAndEveryCounter() {
        for (String direction : List.of("", ", bidirectional = false")) {
            Compilation compilation = compiled(attention("@From(\"input\") @RelativePositionBias(numHeads = 8" + direction + ") Layer relative_attention_bias;"));
            MEASURED.forEach((figure, value) -> assertEquals(value, constant(compilation, "test.NetCost", figure), figure + direction));
            // by hand: the table is 32 buckets x 8 heads, a position embedding
            assertEquals(256, constant(compilation, "test.NetCost", "EMBEDDING_PARAMS"));
        }
    }

    @Test
    void keysFromASecondInputGiveTheBiasTheirLength() {
        // A decoder's 10 queries on 7 encoder states, compute_bias(10, 7) (attention cross)
        String text = attention("@From({\"input\", \"enc\"}) @RelativePositionBias(numHeads = 8, bidirectional = false) Layer relative_attention_bias;")
                .replace("@Model(input = {10, 64}, layout = \"L,D\", batch = 2)", "@Model(inputs = {@Input(name = \"input\", shape = {10, 64}, layout = \"L,D\"), "
                        + "@Input(name = \"enc\", shape = {7, 64}, layout = \"L,D\")}, batch = 2)")
                .replace("@From(\"input\") @Linear(out = 64, bias = false)        Layer k;", "@From(\"enc\") @Linear(out = 64, bias = false) Layer k;")
                .replace("@From(\"input\") @Linear(out = 64, bias = false)        Layer v;", "@From(\"enc\") @Linear(out = 64, bias = false) Layer v;")
                .replace("@Reshape(shape = {10, 8, 8}, layout = \"L,H,D\")        Layer kr;", "@Reshape(shape = {7, 8, 8}, layout = \"L,H,D\") Layer kr;")
                .replace("@Reshape(shape = {10, 8, 8}, layout = \"L,H,D\")        Layer vr;", "@Reshape(shape = {7, 8, 8}, layout = \"L,H,D\") Layer vr;");
        Compilation compilation = compiled(text);
        Map<String, Long> measured = Map.ofEntries(Map.entry("PARAMS", 16_640L), Map.entry("MACS", 296_448L), Map.entry("FLOPS", 586_144L),
                Map.entry("MATMUL_MACS", 17_920L), Map.entry("THOP_MACS", 278_528L), Map.entry("THOP_PARAMS", 16_384L), Map.entry("NNI_FLOPS", 16_384L),
                Map.entry("NNI_FULL_FLOPS", 16_384L), Map.entry("PTFLOPS_MACS", 297_568L), Map.entry("PTFLOPS_PARAMS", 16_640L),
                Map.entry("PTFLOPS_NOFUNC_MACS", 278_528L), Map.entry("PTFLOPS_ATEN_MACS", 296_448L), Map.entry("FVCORE_FLOPS", 296_448L),
                Map.entry("TORCHINFO_MULT_ADDS", 281_088L), Map.entry("TORCHINFO_PARAMS", 16_640L), Map.entry("TORCHINFO_V180_MULT_ADDS", 35_328L));
        measured.forEach((figure, value) -> assertEquals(value, constant(compilation, "test.NetCost", figure), figure));
    }

    /** The bias alone on 40 positions of one feature-less head: its own memory decides the peak. */
    private static String alone(String attributes) {
        return model("@Model(input = {40, 4}, layout = \"L,D\")", "@RelativePositionBias(numHeads = 1" + attributes + ") Layer bias;");
    }

    @Test
    void theBucketingHoldsItsInt64TensorsAtThePeak() {
        // By hand, L = 40: the input 40·4·4 = 640 bytes, the aranges 8·(40 + 40) = 640, and L² = 1,600 pairs: six int64 tensors of
        // them and a boolean mask when bidirectional (49 bytes a pair), five looking back (41); the float output (1 x 40 x 40) is
        // allocated after. Measured (peak 1 40 enc, peak 1 40 dec): 79,680 and 66,880.
        assertEquals(640 + 640 + 49 * 1_600, constant(compiled(alone("")), "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        assertEquals(640 + 640 + 41 * 1_600, constant(compiled(alone(", bidirectional = false")), "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        // Eight heads: the output, 8·1,600·4 = 51,200 bytes, with the differences and buckets the lookup reads (16 a pair) and the
        // aranges: 640 + 51,200 + 640 + 25,600 = 78,080, below the bucketing's 640 + 640 + 78,400 = 79,680 (peak 8 40 enc), above
        // its 640 + 640 + 65,600 looking back (peak 8 40 dec).
        assertEquals(79_680, constant(compiled(alone("").replace("numHeads = 1", "numHeads = 8")), "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        assertEquals(78_080, constant(compiled(alone(", bidirectional = false").replace("numHeads = 1", "numHeads = 8")), "test.NetCost",
                "PEAK_ACTIVATION_BYTES"));
        // Sixty-four heads: the lookup's moment, 640 + 409,600 + 640 + 25,600 = 436,480 (peak 64 40 enc).
        assertEquals(436_480, constant(compiled(alone("").replace("numHeads = 1", "numHeads = 64")), "test.NetCost", "PEAK_ACTIVATION_BYTES"));
    }

    @Test
    void trainingSavesTheBuckets() {
        // Autograd saves the lookup's indices, 40 x 40 int64: 12,800 bytes besides the table (saved 40, at batch 3), once
        // whatever the batch
        for (int batch : new int[] {1, 3}) {
            Compilation compilation = compiled(alone("").replace("@Model(input = {40, 4}, layout = \"L,D\")",
                    "@Model(input = {40, 4}, layout = \"L,D\", batch = " + batch + ")\n@Training"));
            assertEquals(12_800, constant(compilation, "test.NetCost", "SAVED_ACTIVATION_BYTES"));
        }
    }

    @Test
    void theClosedFormOfThePeakIsQuadraticInTheLength() {
        Compilation compilation = compiled(alone("").replace("layout = \"L,D\"", "layout = \"L,D\", sizes = \"L\""));
        ClosedForm peak = ModelSources.closedForm(compilation, "PEAK_ACTIVATION_BYTES", "L");
        // By hand, as above: the input 16·L, the aranges 16·L, 49·L² of pairs
        for (long length : new long[] {1, 7, 40, 1000}) {
            assertEquals(32 * length + 49 * length * length, peak.at(length), "L = " + length);
        }
    }

    @Test
    void refusesWhatPyTorchCannotBucket() {
        // each on the attribute's value: Python's max_distance / max_exact divides by zero with no exact bucket; a maxDistance at
        // or below the exact buckets makes the far buckets NaN or negative, and the lookup raises an IndexError
        String three = alone(", numBuckets = 3");
        expectOnly(three, "[MC310] bias: RelativePositionBias numBuckets = 3 must be at least 4 when bidirectional", "@RelativePositionBias",
                columnAfter(three, "@RelativePositionBias", "numBuckets = "));
        String none = alone(", numBuckets = 0");
        expectOnly(none, "[MC310] bias: RelativePositionBias numBuckets = 0 must be at least 4 when bidirectional", "@RelativePositionBias",
                columnAfter(none, "@RelativePositionBias", "numBuckets = "));
        String one = alone(", numBuckets = 1, bidirectional = false");
        expectOnly(one, "numBuckets = 1 must be at least 2 (half of them exact)", "@RelativePositionBias", columnAfter(one, "@RelativePositionBias", "numBuckets = "));
        String near = alone(", maxDistance = 8");
        expectOnly(near, "[MC310] bias: RelativePositionBias maxDistance = 8 must be above 8, the count of exact buckets", "@RelativePositionBias",
                columnAfter(near, "@RelativePositionBias", "maxDistance = "));
        expectOnly(model("@Model(input = {10, 64}, layout = \"L,D\")", "@RelativePositionBias Layer bias;"), "[MC303] bias: RelativePositionBias needs 'numHeads'",
                "@RelativePositionBias", 5);
        expectOnly(model("@Model(input = {3, 8, 8})", "@RelativePositionBias(numHeads = 2) Layer bias;"),
                "[MC302] bias: RelativePositionBias takes a sequence (an axis named L) as input, but the model input produces shape 3x8x8", "@RelativePositionBias", 5);
    }

    @Test
    void takesAtMostTwoInputs() {
        Compilation compilation = compile(ModelSources.source("test.Net", model("@Model(input = {10, 64}, layout = \"L,D\")",
                "@Linear(out = 64) Layer a;", "@From({\"input\", \"a\", \"a\"}) @RelativePositionBias(numHeads = 2) Layer bias;")));
        assertThat(compilation).hadErrorContaining("[MC211]");
    }
}
