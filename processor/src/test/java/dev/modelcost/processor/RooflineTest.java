package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.compile;
import static dev.modelcost.processor.ModelSources.compiled;
import static dev.modelcost.processor.ModelSources.constant;
import static dev.modelcost.processor.ModelSources.doubleConstant;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.model;
import static dev.modelcost.processor.ModelSources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Bytes moved, activation dtypes and the roofline latency bound, derived by hand from the vendors'
 * published figures, and the diagnostics of {@code @Roofline}, {@code @Hardware} and the latency budget.
 */
class RooflineTest {
    // NVIDIA's H100 SXM page: FP32 67 TFLOPS, BF16 Tensor Core 1,979 TFLOPS with sparsity (989.5 dense), 3.35 TB/s.
    private static final double H100_FP32 = 67e12;
    private static final double H100_BF16 = 989.5e12;
    private static final double H100_BANDWIDTH = 3350e9;
    // NVIDIA's L4 datasheet: FP32 30.3 TFLOPS, FP16 Tensor Core 242 TFLOPS with sparsity (121 dense), 300 GB/s.
    private static final double L4_FP32 = 30.3e12;
    private static final double L4_FP16 = 121e12;
    private static final double L4_BANDWIDTH = 300e9;

    /**
     * fc1 Linear 1024 -> 4096: FLOPs 2 x 1024 x 4096 (bias included) = 8,388,608; bytes: reads 1024 x 4 and
     * (1024 x 4096 + 4096) x 4 weight bytes, writes 4096 x 4: 16,814,080.
     * relu: 4,096 other ops; reads and writes 4096 x 4: 32,768.
     * fc2 Linear 4096 -> 1000: FLOPs 2 x 4096 x 1000 = 8,192,000; bytes 16,384 + (4096 x 1000 + 1000) x 4 + 4,000 = 16,408,384.
     */
    private static final String MLP = model("@Model(input = {1024})\n@Roofline(hardware = {\"h100-sxm\", \"l4\"})",
            "@Linear(out = 4096) Layer fc1;", "@ReLU Layer relu;", "@Linear(out = 1000) Layer fc2;");

    private static double bound(Compilation compilation, String profile) {
        return doubleConstant(compilation, "test.NetCost", "LATENCY_BOUND_SECONDS_" + profile);
    }

    /** Expects {@code message} as the only error, on the line containing {@code line}, at the value written after {@code before} (column 1 when empty). */
    private static void expectAt(String text, String message, String line, String before) {
        expectOnly(text, message, line, before.isEmpty() ? 1 : columnAfter(text, line, before));
    }

    private static void assertClose(double expected, double actual) {
        assertEquals(expected, actual, Math.abs(expected) * 1e-12);
    }

    @Test
    void aMatrixVectorNetworkIsMemoryBoundOnEveryLayer() {
        Compilation compilation = compiled(MLP);
        assertEquals(16_814_080L + 32_768L + 16_408_384L, constant(compilation, "test.NetCost", "BYTES_MOVED"));
        // Every layer: bytes / bandwidth exceeds FLOPs / peak, so the bound is all bytes at the bandwidth.
        assertClose((16_814_080 + 32_768 + 16_408_384) / H100_BANDWIDTH, bound(compilation, "H100_SXM"));
        assertClose((16_814_080 + 32_768 + 16_408_384) / L4_BANDWIDTH, bound(compilation, "L4"));
        assertClose((8_388_608.0 + 4_096 + 8_192_000) / (16_814_080 + 32_768 + 16_408_384),
                doubleConstant(compilation, "test.NetCost", "ARITHMETIC_INTENSITY"));
    }

    @Test
    void anExpandedOperandIsReadAsItsStorage() {
        // Batch 3 of 4 x 8 x 8 fp32. c: Conv2d(4, 1, 1) reads 3,072 bytes and 20 of weights, writes 768 (3,860); c2: Conv2d(4, 6, 1)
        // reads 3,072 and 120, writes 4,608 (7,800); the sum reads c2 (4,608) and c, 768 bytes, whether broadcast by the add itself or
        // expanded to 6 channels first (a stride-0 view, which the kernel reads through its strides as it reads a broadcast operand),
        // and writes 4,608 (9,984): 21,644 either way.
        String expanded = model("@Model(input = {4, 8, 8}, batch = 3)", "@Conv2d(cout = 1, k = 1) Layer c;", "@Expand(sizes = {6, -1, -1}) Layer e;",
                "@From(\"input\") @Conv2d(cout = 6, k = 1) Layer c2;", "@Add({\"e\", \"c2\"}) Layer add;");
        assertEquals(21_644L, constant(compiled(expanded), "test.NetCost", "BYTES_MOVED"));
        assertEquals(21_644L, constant(compiled(expanded.replace("@Add({\"e\", \"c2\"})", "@Add({\"c\", \"c2\"})")), "test.NetCost", "BYTES_MOVED"));
    }

    /**
     * Conv2d 64 -> 64, 3x3, padding 1 on 64x56x56: 200,704 outputs, K = 576, FLOPs 2K per output (K multiplies, K - 1 adds and
     * the bias): 231,211,008; bytes at fp32: reads 200,704 x 4 = 802,816 and (36,864 + 64) x 4 = 147,712 weight bytes, writes
     * 802,816: 1,753,344.
     */
    private static String conv(String model) {
        return model(model + "\n@Roofline(hardware = {\"h100-sxm\", \"l4\"})", "@Conv2d(cout = 64, k = 3, padding = 1) Layer conv;");
    }

    @Test
    void theReportGivesEveryLayersBoundAndWhatLimitsIt() throws java.io.IOException {
        Compilation compilation = compiled(MLP);
        String json = compilation.generatedFile(javax.tools.StandardLocation.CLASS_OUTPUT, "META-INF/modelcost/test.Net.json").orElseThrow()
                .getCharContent(true).toString();
        // fc1 on the H100: 16,814,080 bytes at 3.35 TB/s, memory-bound; its node says so
        java.util.regex.Matcher fc1 = java.util.regex.Pattern.compile("\"path\":\"fc1\".*?\"latencyBounds\":\\{\"h100-sxm\":([-0-9.E+]+),"
                + "\"l4\":([-0-9.E+]+)\\},\"limits\":\\{\"h100-sxm\":\"memory\",\"l4\":\"memory\"\\}").matcher(json);
        org.junit.jupiter.api.Assertions.assertTrue(fc1.find(), json);
        assertClose(16_814_080 / H100_BANDWIDTH, Double.parseDouble(fc1.group(1)));
        assertClose(16_814_080 / L4_BANDWIDTH, Double.parseDouble(fc1.group(2)));
    }

    @Test
    void anFp32ConvolutionRunsAtTf32AsCudnnAllowsByDefault() {
        Compilation fp32 = compiled(conv("@Model(input = {64, 56, 56})"));
        assertEquals(1_753_344L, constant(fp32, "test.NetCost", "BYTES_MOVED"));
        // 231,211,008 / 1,753,344 = 131.9 FLOPs a byte, below the TF32 ridges of 494.5e12 / 3.35e12 = 147.6 (H100) and
        // 60e12 / 300e9 = 200 (L4): memory-bound on both.
        assertClose(1_753_344 / H100_BANDWIDTH, bound(fp32, "H100_SXM"));
        assertClose(1_753_344 / L4_BANDWIDTH, bound(fp32, "L4"));
        // With cudnn's TF32 off, at the fp32 rates: beyond the ridges of 20 and 101, compute-bound.
        Compilation strict = compiled(conv("@Model(input = {64, 56, 56})").replace("\"l4\"})", "\"l4\"}, cudnnAllowTf32 = false)"));
        assertClose(231_211_008 / H100_FP32, bound(strict, "H100_SXM"));
        assertClose(231_211_008 / L4_FP32, bound(strict, "L4"));
    }

    @Test
    void bf16HalvesTheBytesAndTakesTheBf16Rate() {
        // 876,672 bytes at 263.7 FLOPs a byte, below the H100's bf16 ridge of 989.5e12 / 3.35e12 = 295.4: memory-bound there.
        Compilation bf16 = compiled(conv("@Model(input = {64, 56, 56}, dtype = \"bf16\")").replace("\"l4\"", "\"h200\""));
        assertEquals(1_753_344L / 2, constant(bf16, "test.NetCost", "BYTES_MOVED"));
        assertClose(876_672 / H100_BANDWIDTH, bound(bf16, "H100_SXM"));
        // The H200 has the H100's rates and 4.8 TB/s: compute-bound there (ridge 206).
        assertClose(231_211_008 / H100_BF16, bound(bf16, "H200"));
    }

    @Test
    void activationsFollowTheModelOrTheLayer() {
        // fp16 activations with fp32 weights: 401,408 + 147,712 + 401,408 bytes; on the L4 at its fp16 rate.
        Compilation mixed = compiled(conv("@Model(input = {64, 56, 56}, activations = \"fp16\")"));
        assertEquals(401_408L + 147_712L + 401_408L, constant(mixed, "test.NetCost", "BYTES_MOVED"));
        assertClose(Math.max(231_211_008 / L4_FP16, 950_528 / L4_BANDWIDTH), bound(mixed, "L4"));
        // int4 weights run with fp16 activations: (36,864 / 2 + 2 x ceil(36,928 / 128) = 18,432 + 578 bytes of weights... per tensor of 36,928).
        Compilation int4 = compiled(conv("@Model(input = {64, 56, 56}, dtype = \"int4\")"));
        assertEquals(401_408L + (36_928 / 2 + 2 * 289) + 401_408L, constant(int4, "test.NetCost", "BYTES_MOVED"));
        // A layer's own activation dtype: the relu in fp32 reads and writes 4 bytes an element, the rest of the model 2.
        Compilation layer = compiled(model("@Model(input = {1000}, dtype = \"fp16\")", "@Linear(out = 100) Layer fc;",
                "@Dtype(activations = \"fp32\") @ReLU Layer relu;"));
        assertEquals((1_000 + 100) * 2 + 100_100 * 2 + 100 * 4 * 2, constant(layer, "test.NetCost", "BYTES_MOVED"));
    }

    @Test
    void matmulTf32AndEfficiencyChangeTheRate() {
        // Linear 4096 -> 4096 at batch 512: 2 x 4,096 x 4,096 x 512 = 17,179,869,184 FLOPs; bytes: reads 512 x 4,096 x 4 and
        // (4,096 x 4,096 + 4,096) x 4, writes 512 x 4,096 x 4: 83,902,464.
        String linear = model("@Model(input = {4096}, batch = 512)\n@Roofline(hardware = \"h100-sxm\")", "@Linear(out = 4096) Layer fc;");
        assertClose(17_179_869_184.0 / H100_FP32, bound(compiled(linear), "H100_SXM"));
        // H100 TF32 Tensor Core 989 TFLOPS with sparsity, 494.5 dense; at 50% of peak rate and bandwidth the bound doubles.
        Compilation tf32 = compiled(linear.replace("\"h100-sxm\")", "\"h100-sxm\", matmulAllowTf32 = true, efficiency = 0.5)"));
        assertClose(Math.max(17_179_869_184.0 / (494.5e12 * 0.5), 83_902_464 / (H100_BANDWIDTH * 0.5)), bound(tf32, "H100_SXM"));
    }

    @Test
    void tf32IsAModeOfProductsNotOfPoolingAndCudnnRunsRecurrentLayersOnNvidiaOnly() {
        // AvgPool2d(31, stride 1, padding 15) on 64 x 128 x 128: 64·128²·961 = 1,007,681,536 other ops, no MACs; bytes 2 x 4,194,304.
        // TF32 is a mode of the tensor cores' products: matmulAllowTf32 leaves the pooling at fp32, compute-bound on the H100.
        String pool = model("@Model(input = {64, 128, 128})\n@Roofline(hardware = \"h100-sxm\", matmulAllowTf32 = true)",
                "@AvgPool2d(k = 31, stride = 1, padding = 15) Layer pool;");
        assertClose(1_007_681_536 / H100_FP32, bound(compiled(pool), "H100_SXM"));
        // An LSTM (256 -> 512) on 35 steps at batch 4: PyTorch runs it through cuDNN, whose TF32 switch is on by default
        // (aten/src/ATen/native/cudnn/RNN.cpp takes allowTF32CuDNN for the RNN descriptor's math type). Its FLOPs and bytes are the
        // model's own figures (tested elsewhere); the rate is what differs: TF32 on the H100 (memory-bound there), fp32 on the
        // MI300X (ROCm's MIOpen, which PyTorch gives no TF32 switch), and fp32 with cudnnAllowTf32 = false.
        String lstm = "@Model(input = {35, 256}, layout = \"L,D\", batch = 4)\n@Roofline(hardware = {\"h100-sxm\", \"mi300x\"}%s)";
        Compilation tf32 = compiled(model(lstm.formatted(""), "@LSTM(hiddenSize = 512, batchFirst = true) Layer lstm;"));
        long flops = constant(tf32, "test.NetCost", "FLOPS") + constant(tf32, "test.NetCost", "OTHER_OPS");
        long bytes = constant(tf32, "test.NetCost", "BYTES_MOVED");
        // MI300X data sheet: FP32 matrix 163.4 TFLOPS, 5.3 TB/s
        assertClose(Math.max(flops / 494.5e12, bytes / H100_BANDWIDTH), bound(tf32, "H100_SXM"));
        assertClose(Math.max(flops / 163.4e12, bytes / 5300e9), bound(tf32, "MI300X"));
        Compilation strict = compiled(model(lstm.formatted(", cudnnAllowTf32 = false"), "@LSTM(hiddenSize = 512, batchFirst = true) Layer lstm;"));
        assertClose(Math.max(flops / H100_FP32, bytes / H100_BANDWIDTH), bound(strict, "H100_SXM"));
        // An fp32 convolution on the MI300X stays at fp32 too: Conv2d(256, 256, 3, padding 1) on 56 x 56, no bias: 256·256·9·3,136 =
        // 1,849,688,064 MACs, 2 x that less the 256·3,136 first products = 3,698,573,312 FLOPs, compute-bound at 163.4 TFLOP/s.
        Compilation conv = compiled(model("@Model(input = {256, 56, 56})\n@Roofline(hardware = \"mi300x\")",
                "@Conv2d(cout = 256, k = 3, padding = 1, bias = false) Layer conv;"));
        assertEquals(3_698_573_312L, constant(conv, "test.NetCost", "FLOPS"));
        assertClose(3_698_573_312L / 163.4e12, bound(conv, "MI300X"));
        // and so does a Linear under matmulAllowTf32: PyTorch builds cuBLAS's TF32 math mode for CUDA only. Linear 4096 -> 4096 at
        // batch 512, 17,179,869,184 FLOPs (as in matmulTf32AndEfficiencyChangeTheRate), compute-bound at 163.4 TFLOP/s.
        Compilation linear = compiled(model("@Model(input = {4096}, batch = 512)\n@Roofline(hardware = \"mi300x\", matmulAllowTf32 = true)",
                "@Linear(out = 4096) Layer fc;"));
        assertClose(17_179_869_184.0 / 163.4e12, bound(linear, "MI300X"));
        // A declared profile is driven through NVIDIA's libraries unless it says otherwise: the convolution above on one of
        // 100 TFLOP/s fp32 and 400 TF32, 1,000 GB/s. Bytes: input and output 256·56·56·4 = 3,211,264 each, weights 256·256·9·4 =
        // 2,359,296: 8,781,824, 8.78 µs; compute 9.25 µs at TF32, 36.99 µs at fp32 with cuda = false.
        String gpu = "@Model(input = {256, 56, 56})\n@Roofline(hardware = \"g\", custom = @Hardware(id = \"g\", fp32 = 100, tf32 = 400, "
                + "bandwidth = 1000%s))";
        String field = "@Conv2d(cout = 256, k = 3, padding = 1, bias = false) Layer conv;";
        assertEquals(8_781_824L, constant(compiled(model(gpu.formatted(""), field)), "test.NetCost", "BYTES_MOVED"));
        assertClose(Math.max(3_698_573_312L / 400e12, 8_781_824 / 1000e9), bound(compiled(model(gpu.formatted(""), field)), "G"));
        assertClose(3_698_573_312L / 100e12, bound(compiled(model(gpu.formatted(", cuda = false"), field)), "G"));
    }

    @Test
    void aMultiheadAttentionReadsATensorItProjectsInOneProductOnce() {
        // fp16, 8 queries and a memory of 16, D = 64, 4 heads. Weights: in_proj 3·64·64 + 192 and out_proj 64·64 + 64, 16,640
        // parameters, 33,280 bytes. mha(q, q, q): PyTorch's _in_projection_packed sees q is k is v and projects once, reading q
        // (1,024 bytes) once, and writes 1,024: 35,328, as written with one input. mha(a1, m, m): k is v, one product for both, the
        // memory (2,048) read once beside the query (1,024): 37,376.
        String header = "@Model(inputs = {@Input(name = \"q\", shape = {8, 64}, layout = \"L,D\"), @Input(name = \"m\", shape = {16, 64}, "
                + "layout = \"L,D\")}, dtype = \"fp16\")";
        Compilation three = compiled(model(header, "@From({\"q\", \"q\", \"q\"}) @MultiheadAttention(numHeads = 4, batchFirst = true) Layer a1;",
                "@From({\"a1\", \"m\", \"m\"}) @MultiheadAttention(numHeads = 4, batchFirst = true) Layer a2;"));
        assertEquals(35_328L + 37_376L, constant(three, "test.NetCost", "BYTES_MOVED"));
        Compilation one = compiled(model(header, "@From(\"q\") @MultiheadAttention(numHeads = 4, batchFirst = true) Layer a1;",
                "@From({\"a1\", \"m\", \"m\"}) @MultiheadAttention(numHeads = 4, batchFirst = true) Layer a2;"));
        assertEquals(35_328L + 37_376L, constant(one, "test.NetCost", "BYTES_MOVED"));
        // With kdim = vdim = 32 PyTorch projects each input apart (_in_projection: two F.linear on the memory): weights 64·64 +
        // 2·64·32 + 192 + 64·64 + 64 = 12,544 parameters, 25,088 bytes; the query 1,024, the memory 16·32·2 = 1,024 twice, the
        // output 1,024: 29,184.
        Compilation apart = compiled(model("@Model(inputs = {@Input(name = \"q\", shape = {8, 64}, layout = \"L,D\"), @Input(name = \"m\", "
                + "shape = {16, 32}, layout = \"L,D\")}, dtype = \"fp16\")",
                "@From({\"q\", \"m\", \"m\"}) @MultiheadAttention(numHeads = 4, kdim = 32, vdim = 32, batchFirst = true) Layer a;"));
        assertEquals(29_184L, constant(apart, "test.NetCost", "BYTES_MOVED"));
    }

    @Test
    void embeddingsGatherRowsTiedHeadsReadTheTableAndViewsMoveNothing() {
        // Embedding 50,000 x 64 on 16 ids: reads 16 x 8 id bytes and 16 x 64 x 4 table bytes, writes 16 x 64 x 4;
        // the tied head reads the 16 x 64 activations and the whole 3,200,000-element table, writes 16 x 50,000.
        // The reshape in between is a view.
        Compilation compilation = compiled(model("@Model(input = {16}, tokens = true)", "@Embedding(numEmbeddings = 50_000, embeddingDim = 64) Layer wte;",
                "@Reshape(shape = {16, 64}) Layer view;", "@Linear(out = 50_000, bias = false, tiedTo = \"wte\") Layer head;"));
        long embedding = 16 * 8 + 16 * 64 * 4 + 16 * 64 * 4;
        long head = 16 * 64 * 4 + 3_200_000L * 4 + 16 * 50_000 * 4;
        assertEquals(embedding + head, constant(compilation, "test.NetCost", "BYTES_MOVED"));
    }

    @Test
    void arangeReadsOnlyItsInputsLength() {
        // torch.arange(ids.shape[-1]) over 32 ids reads no data and writes 32 int64 positions, 256 bytes. The position embedding
        // 64 x 16 reads the 32 positions (256 bytes) and 32 rows of its table at fp32 (2,048), and writes 32 x 16 at fp32 (2,048).
        Compilation compilation = compiled(model("@Model(input = {32}, layout = \"L\", tokens = true)", "@Arange Layer positions;",
                "@Embedding(numEmbeddings = 64, embeddingDim = 16) Layer wpe;"));
        assertEquals(32 * 8 + (32 * 8 + 32 * 16 * 4 + 32 * 16 * 4), constant(compilation, "test.NetCost", "BYTES_MOVED"));
    }

    @Test
    void positionsFromAnArangeHaveNoBatch() {
        // Hugging Face's GPT-2 at batch 4 over 32 ids: position_ids = arange(32).unsqueeze(0) is (1, 32), wpe's output (1, 32, 16), and
        // the add broadcasts it. wte reads 4 x 32 ids (1,024 bytes) and its whole 64 x 16 fp32 table (4,096; fewer than the 8,192 of
        // the rows its output holds), writes 4 x 32 x 16 x 4 = 8,192; the arange writes 256; wpe reads the 256 and 32 rows (2,048),
        // writes 2,048; the add reads 8,192 + 2,048 and writes 8,192.
        Compilation compilation = compiled(model("@Model(input = {32}, layout = \"L\", tokens = true, batch = 4)",
                "@Embedding(numEmbeddings = 64, embeddingDim = 16) Layer wte;", "@From(\"input\") @Arange Layer positions;",
                "@Embedding(numEmbeddings = 64, embeddingDim = 16) Layer wpe;", "@Add({\"wte\", \"wpe\"}) Layer sum;"));
        long wte = 1_024 + 4_096 + 8_192;
        long wpe = 256 + 2_048 + 2_048;
        assertEquals(wte + 256 + wpe + 8_192 + 2_048 + 8_192, constant(compilation, "test.NetCost", "BYTES_MOVED"));
    }

    @Test
    void aCustomProfileIsUsedLikeABuiltInOne() {
        // 8 TOPS int8, 25 GB/s: the int8 Linear 1000 -> 1000 reads 1,000 + 1,001,000 and writes 1,000 bytes, 2,000,000 ops.
        Compilation compilation = compiled(model("@Model(input = {1000}, dtype = \"int8\")\n@Roofline(hardware = \"edge-npu\", custom = "
                + "@Hardware(id = \"edge-npu\", name = \"Edge NPU\", int8 = 8, bandwidth = 25))", "@Linear(out = 1000) Layer fc;"));
        assertClose(Math.max(2_000_000 / 8e12, 1_003_000 / 25e9), bound(compilation, "EDGE_NPU"));
    }

    @Test
    void aLatencyBudgetFailsWithTheLayersThatBoundItMost() {
        // conv at fp32 on the L4, TF32 for cudnn: 1,753,344 bytes at 300 GB/s = 5.844 µs, over 5 µs by 16.9%.
        String text = conv("@Model(input = {64, 56, 56})\n@Budget(maxLatencySeconds = 5e-6, hardware = \"l4\")");
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[MC410] the roofline latency lower bound on l4, 5.844 \u00b5s, exceeds the budget "
                + "maxLatencySeconds = 5 \u00b5s by 16.9%: even an eager, unfused execution at the peaks (ideal) is too slow; largest: conv (Conv2d, memory-bound) "
                + "5.844 \u00b5s = 100.0%").inFile(file).onLineContaining("maxLatencySeconds");
        // At half the peaks the bound doubles, 11.69 µs, and the message says at what it is.
        String half = model("@Model(input = {64, 56, 56})\n@Budget(maxLatencySeconds = 5e-6, hardware = \"l4\")\n@Roofline(hardware = \"l4\", "
                + "efficiency = 0.5)", "@Conv2d(cout = 64, k = 3, padding = 1) Layer conv;");
        assertThat(compile(source("test.Net", half))).hadErrorContaining("[MC410] the roofline latency lower bound on l4, 11.69 \u00b5s, exceeds "
                + "the budget maxLatencySeconds = 5 \u00b5s by 133.8%: even an eager, unfused execution at 50.0% of the peaks is too slow");
        // Without hardware, the first @Roofline profile: 523.4 ns on the H100 fits.
        assertThat(compile(source("test.Net", conv("@Model(input = {64, 56, 56})\n@Budget(maxLatencySeconds = 5e-6)")))).succeeded();
        // hardware = "" written out is the same default (it was MC132, an unknown profile "").
        assertThat(compile(source("test.Net", conv("@Model(input = {64, 56, 56})\n@Budget(maxLatencySeconds = 5e-6, hardware = \"\")"))))
                .succeededWithoutWarnings();
    }

    @Test
    void latencyBudgetsOnTwoProfilesAreEachChecked() {
        // The conv above: 523.4 ns on the H100 (the first @Roofline profile), 5.844 µs on the L4. A team shipping to both bounds each.
        String both = conv("@Model(input = {64, 56, 56})\n@Budget(maxLatencySeconds = 1e-6)\n"
                + "@Budget(maxLatencySeconds = 5e-6, hardware = \"l4\")");
        JavaFileObject file = source("test.Net", both);
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[MC410] the roofline latency lower bound on l4, 5.844 \u00b5s, exceeds the budget "
                + "maxLatencySeconds = 5 \u00b5s by 16.9%").inFile(file).onLineContaining("hardware = \"l4\")");
        // The H100's bound broken instead: the error is on the first budget.
        String h100 = both.replace("maxLatencySeconds = 1e-6", "maxLatencySeconds = 5e-7").replace("maxLatencySeconds = 5e-6", "maxLatencySeconds = 6e-6");
        file = source("test.Net", h100);
        compilation = compile(file);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[MC410] the roofline latency lower bound on h100-sxm, 523.4 ns, exceeds the budget "
                + "maxLatencySeconds = 500 ns").inFile(file).onLineContaining("5e-7");
        // Both held: MAX_LATENCY_SECONDS is the first, and its Javadoc names both.
        compilation = compiled(both.replace("maxLatencySeconds = 5e-6", "maxLatencySeconds = 6e-6"));
        assertEquals(1e-6, ModelSources.doubleConstant(compilation, "test.NetCost", "MAX_LATENCY_SECONDS"));
        org.junit.jupiter.api.Assertions.assertTrue(ModelSources.generated(compilation, "test.NetCost").contains("The first of 2 bounds, each on "
                + "its profile and each checked: 1 \u00b5s on {@code h100-sxm}, 6 \u00b5s on {@code l4}."));
        // The Markdown report says each bound against its budget: 523.4 ns of 1 µs on the H100, 5.844 µs of 6 µs on the L4.
        String report = ModelSources.content(compilation.generatedFile(javax.tools.StandardLocation.CLASS_OUTPUT, "META-INF/modelcost/test.Net.md")
                .orElseThrow());
        org.junit.jupiter.api.Assertions.assertTrue(report.contains("The bound on h100-sxm, 523.4 ns, is 52.3% of the budget maxLatencySeconds = 1 "
                + "\u00b5s. The bound on l4, 5.844 \u00b5s, is 97.4% of the budget maxLatencySeconds = 6 \u00b5s."), report);
    }

    @Test
    void aLatencyBudgetCountsTheRepetitionsOfARunItNames() {
        // Three repetitions of Linear 1000 -> 1000 at fp32: each reads 4,000 + 4,004,000 and writes 4,000 bytes, 13.37 µs at the L4's
        // 300 GB/s; the run's row is all three, 40.12 µs, and says so.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {1000})
                @Budget(maxLatencySeconds = 1e-6, hardware = "l4")
                public class Net {
                    @Repeat(3) Lin layers;

                    @Block
                    public static class Lin {
                        @Linear(out = 1000) Layer fc;
                    }
                }
                """;
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorContaining("largest: layers.0.fc (\u00d73, Linear, memory-bound) 40.12 \u00b5s = 100.0%").inFile(file)
                .onLineContaining("maxLatencySeconds");
    }

    @Test
    void aBytesMovedBudgetIsAFigureBudget() {
        expectAt(model("@Model(input = {1000})\n@Budget(maxBytesMoved = 400_000)", "@Linear(out = 100) Layer fc;"),
                "[MC402] BYTES_MOVED = 404,800 exceeds the budget maxBytesMoved = 400,000", "maxBytesMoved", "maxBytesMoved = ");
    }

    @Test
    void mc131ADtypeThatGivesNothing() {
        expectAt(model("@Model(input = {64})", "@Dtype @Linear(out = 10) Layer fc;"),
                "[MC131] @Dtype on field fc gives neither weights nor activations", "Layer fc;", "    ");
    }

    @Test
    void mc128AnActivationDtypeOfFourBits() {
        expectAt(model("@Model(input = {64})", "@Dtype(activations = \"int4\") @Linear(out = 10) Layer fc;"),
                "[MC128] @Dtype(activations = \"int4\") on field fc is not a dtype modelcost knows", "Layer fc;", "activations = ");
        expectAt(model("@Model(input = {64}, activations = \"int4\")", "@Linear(out = 10) Layer fc;"),
                "[MC124] @Model(activations = \"int4\") is not one of [fp32, fp16, bf16, fp8, int8]", "activations", "activations = ");
    }

    @Test
    void mc132AnUnknownProfileSuggestsItsFamily() {
        expectAt(model("@Model(input = {64})\n@Roofline(hardware = \"h100\")", "@Linear(out = 10) Layer fc;"),
                "[MC132] @Roofline(hardware = \"h100\") is not a hardware profile modelcost knows; did you mean 'h100-sxm'?", "@Roofline", "hardware = ");
        expectAt(model("@Model(input = {64})\n@Budget(maxLatencySeconds = 1, hardware = \"a100\")", "@Linear(out = 10) Layer fc;"),
                "[MC132] @Budget(hardware = \"a100\") is not a hardware profile modelcost knows; did you mean 'a100-sxm-80gb'?", "@Budget", "hardware = ");
    }

    @Test
    void mc133CustomProfilesThatCannotBeUsed() {
        expectAt(model("@Model(input = {64})\n@Roofline(hardware = \"npu\", custom = @Hardware(id = \"npu\", bandwidth = 0, int8 = 8))",
                "@Linear(out = 10) Layer fc;"), "[MC133] @Roofline(custom) profile 'npu' has bandwidth = 0 GB/s", "@Roofline", "bandwidth = ");
        expectAt(model("@Model(input = {64})\n@Roofline(hardware = \"l4\", custom = @Hardware(id = \"l4\", bandwidth = 10, int8 = 8))",
                "@Linear(out = 10) Layer fc;"), "[MC133] @Roofline(custom) profile 'l4' has the id of a built-in profile", "@Roofline", "id = ");
        expectAt(model("@Model(input = {64})\n@Roofline(hardware = \"npu\", custom = @Hardware(id = \"npu\", bandwidth = 10))",
                "@Linear(out = 10) Layer fc;"), "[MC133] @Roofline(custom) profile 'npu' gives no peak rate", "@Roofline", "custom = ");
        expectAt(model("@Model(input = {64})\n@Roofline(hardware = \"My NPU\", custom = @Hardware(id = \"My NPU\", bandwidth = 10, fp16 = 1))",
                "@Linear(out = 10) Layer fc;"), "[MC133] @Roofline(custom) profile 'My NPU' is not an id", "@Roofline", "id = ");
    }

    @Test
    void mc134RooflineSettings() {
        expectAt(model("@Model(input = {64})\n@Roofline(hardware = \"l4\", efficiency = 0)", "@Linear(out = 10) Layer fc;"),
                "[MC134] @Roofline(efficiency = 0) must be from 0.001 to 1", "@Roofline", "efficiency = ");
        // just outside the range, the value as written: not rounded onto the range's end
        expectAt(model("@Model(input = {64})\n@Roofline(hardware = \"l4\", efficiency = 1.0000001)", "@Linear(out = 10) Layer fc;"),
                "[MC134] @Roofline(efficiency = 1.0000001) must be from 0.001 to 1", "@Roofline", "efficiency = ");
        expectAt(model("@Model(input = {64})\n@Roofline(hardware = \"l4\", efficiency = 0.00099999)", "@Linear(out = 10) Layer fc;"),
                "[MC134] @Roofline(efficiency = 0.00099999) must be from 0.001 to 1", "@Roofline", "efficiency = ");
        expectAt(model("@Model(input = {64})\n@Budget(maxLatencySeconds = 1000000001, hardware = \"l4\")", "@Linear(out = 10) Layer fc;"),
                "[MC412] @Budget(maxLatencySeconds = 1000000001) must be a number of seconds from 1e-12 to 1e9", "@Budget", "maxLatencySeconds = ");
        expectAt(model("@Model(input = {64})\n@Roofline(hardware = {})", "@Linear(out = 10) Layer fc;"),
                "[MC134] @Roofline(hardware = {}) names no profile", "@Roofline", "hardware = ");
    }

    @Test
    void valuesOutOfRangeAreRefusedNotComputed() {
        String linear = "@Linear(out = 10) Layer fc;";
        expectAt(model("@Model(input = {64})\n@Roofline(hardware = \"l4\", efficiency = 4.9e-324)", linear),
                "[MC134] @Roofline(efficiency = 4.9E-324) must be from 0.001 to 1", "@Roofline", "efficiency = ");
        expectAt(model("@Model(input = {64})\n@Roofline(hardware = {\"l4\", \"h200\", \"l4\"})", linear),
                "[MC134] @Roofline(hardware = {..., \"l4\"}) names l4 twice", "@Roofline", "\"h200\", ");
        expectAt(model("@Model(input = {64})\n@Roofline(hardware = \"npu\", custom = @Hardware(id = \"npu\", bandwidth = 10, fp32 = 1e300))", linear),
                "[MC133] @Roofline(custom) profile 'npu' has fp32 = 1E+300 TFLOP/s", "@Roofline", "fp32 = ");
        expectAt(model("@Model(input = {64})\n@Budget(maxLatencySeconds = 1e-300, hardware = \"l4\")", linear),
                "[MC412] @Budget(maxLatencySeconds = 1E-300) must be a number of seconds from 1e-12 to 1e9", "@Budget", "maxLatencySeconds = ");
        expectAt(model("@Model(input = {64})\n@Roofline(hardware = \"\")", linear),
                "[MC132] @Roofline(hardware = \"\") is not a hardware profile modelcost knows (fix: name one of a100-sxm-80gb", "@Roofline", "hardware = ");
    }

    @Test
    void aDtypeOnAViewIsRefused() {
        expectAt(model("@Model(input = {4, 4})", "@Dtype(activations = \"fp16\") @Flatten Layer flatten;"),
                "[MC129] @Dtype on field flatten, which is a view (Flatten), which computes and stores nothing", "Layer flatten;", "activations = ");
    }

    @Test
    void aTiedHeadReadsTheTableAtItsHoldersDtype() {
        // An int8 table of 1,000 x 32 read by the head whole: 32,000 bytes, not 4 x 32,000 at the model's fp32.
        Compilation compilation = compiled(model("@Model(input = {8}, tokens = true)",
                "@Dtype(weights = \"int8\") @Embedding(numEmbeddings = 1000, embeddingDim = 32) Layer wte;",
                "@Linear(out = 1000, bias = false, tiedTo = \"wte\") Layer head;"));
        // wte: 8 ids x 8 bytes, 8 x 32 int8 rows, 8 x 32 x 4 written; head: 8 x 32 x 4 read, 32,000 table bytes, 8 x 1,000 x 4 written.
        assertEquals(64 + 256 + 1_024 + 1_024 + 32_000 + 32_000, constant(compilation, "test.NetCost", "BYTES_MOVED"));
    }

    @Test
    void mc417AModelThatDoesNotFitItsProfilesMemoryIsAWarning() {
        // Linear 100,000 -> 100,000: 10,000,100,000 parameters, 40,000,400,000 bytes in fp32, over the L4's 24 GB, under the H200's 141.
        String text = model("@Model(input = {100000})\n@Roofline(hardware = {\"h200\", \"l4\"})", "@Linear(out = 100000) Layer fc;");
        javax.tools.JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation).hadWarningContaining("[MC417] Net needs 40,001,200,000 bytes for inference (weights 40,000,400,000, "
                + "activations at their peak 800,000, KV cache 0), more than the 23,034 MiB nvidia-smi reports of l4").inFile(file).onLineContaining("@Roofline");
    }

    @Test
    void mc417ReadsTheMemoryNvidiaSmiReportsWhereKnown() {
        // nvidia-smi reports 81,559 MiB on an H100 SXM5 80GB, 85,520,809,984 bytes (modal-labs/modal-client pull request 2797), more than
        // its 80 GB as 10^9 bytes and less than 80 GiB.
        // A bf16 Linear of 200,000 -> 205,000 without bias: 41,000,000,000 parameters, 82,000,000,000 bytes, and its input and output,
        // 2 x (200,000 + 205,000) = 810,000: above 80 x 10^9 bytes, within 81,559 MiB, no warning. To 215,000 features: 86,000,000,000
        // bytes of weights, over.
        String fits = model("@Model(input = {200000}, dtype = \"bf16\")\n@Roofline(hardware = \"h100-sxm\")", "@Linear(out = 205000, bias = false) Layer fc;");
        Compilation within = compile(source("test.Net", fits));
        assertThat(within).succeeded();
        assertThat(within).hadWarningCount(0);
        assertEquals(82_000_810_000L, constant(within, "test.NetCost", "INFERENCE_MEMORY_BYTES"));
        Compilation over = compile(source("test.Net", fits.replace("205000", "215000")));
        assertThat(over).hadWarningContaining("[MC417] Net needs 86,000,830,000 bytes for inference (weights 86,000,000,000, activations at their "
                + "peak 830,000, KV cache 0), more than the 81,559 MiB nvidia-smi reports of h100-sxm");
        // A profile without a reported total: its GB as 10^9 bytes (the H200's 141 GB). 200,000 x 352,500 bf16 weights, 141,000,000,000
        // bytes, and 2 x (200,000 + 352,500) = 1,105,000 of input and output.
        Compilation h200 = compile(source("test.Net", fits.replace("h100-sxm", "h200").replace("205000", "352500")));
        assertThat(h200).hadWarningContaining("[MC417] Net needs 141,001,105,000 bytes for inference (weights 141,000,000,000, activations at "
                + "their peak 1,105,000, KV cache 0), more than the 141 GB of h200");
    }

    @Test
    void mc135RooflineOffAModel() {
        expectAt("package test;\n\nimport dev.modelcost.*;\n\n@Roofline(hardware = \"l4\")\npublic class Net {}\n",
                "[MC135] @Roofline on Net, which is not a @Model", "@Roofline", "");
    }

    @Test
    void mc409AProfileWithoutTheRateOfTheLayersDtype() {
        expectAt(model("@Model(input = {64}, dtype = \"bf16\")\n@Roofline(hardware = {\"l4\", \"apple-a17-pro\"})", "@Linear(out = 10) Layer fc;"),
                "[MC409] fc: Linear computes in bf16, but profile apple-a17-pro lists no bf16 rate", "@Roofline", "\"l4\", ");
        // TF32 serves the products alone: an fp32 ReLU needs the fp32 rate a profile of TF32 only lacks, matmulAllowTf32 or not
        expectAt(model("@Model(input = {64})\n@Roofline(hardware = \"t\", matmulAllowTf32 = true, custom = @Hardware(id = \"t\", tf32 = 1, "
                + "bandwidth = 1))", "@Linear(out = 10) Layer fc;", "@ReLU Layer relu;"),
                "[MC409] relu: ReLU computes in fp32, but profile t lists no fp32 rate (fix: give @Hardware(id = \"t\") a rate for fp32 (its tf32 rate "
                + "serves only the products PyTorch runs at TF32), or choose another profile)", "@Roofline", "hardware = ");
        // a declared profile of fp16 besides: the activations it has a rate for, tf32 being none
        expectAt(model("@Model(input = {64})\n@Roofline(hardware = \"t\", custom = @Hardware(id = \"t\", tf32 = 1, fp16 = 2, bandwidth = 1))",
                "@Linear(out = 10) Layer fc;"), "[MC409] fc: Linear computes in fp32, but profile t lists no fp32 rate (fix: declare activations the "
                + "profile has a rate for (fp16) with @Model(activations) or @Dtype(activations), give @Hardware(id = \"t\") a rate for fp32 (its tf32 "
                + "rate serves only the products PyTorch runs at TF32), or choose another profile)", "@Roofline", "hardware = ");
    }

    @Test
    void mc411ToMc413LatencyBudgetsThatCannotBeChecked() {
        expectAt(model("@Model(input = {64})\n@Budget(maxLatencySeconds = 0.001)", "@Linear(out = 10) Layer fc;"),
                "[MC411] @Budget(maxLatencySeconds = 0.001) names no hardware, and the model has no @Roofline", "@Budget", "maxLatencySeconds = ");
        expectAt(model("@Model(input = {64})\n@Budget(maxLatencySeconds = 0, hardware = \"l4\")", "@Linear(out = 10) Layer fc;"),
                "[MC412] @Budget(maxLatencySeconds = 0) must be a number of seconds from 1e-12 to 1e9", "@Budget", "maxLatencySeconds = ");
        expectAt(model("@Model(input = {64})\n@Budget(maxMacs = 1000, hardware = \"l4\")", "@Linear(out = 10) Layer fc;"),
                "[MC413] @Budget(hardware = \"l4\") bounds nothing", "@Budget", "hardware = ");
        // The default written out is no bound, as Long.MAX_VALUE is for the counts; minus infinity is no number of seconds.
        Compilation unbounded = compiled(model("@Model(input = {64})\n@Roofline(hardware = \"l4\")\n@Budget(maxMacs = Long.MAX_VALUE, "
                + "maxLatencySeconds = Double.POSITIVE_INFINITY, maxDecodeLatencySeconds = Double.POSITIVE_INFINITY)", "@Linear(out = 10) Layer fc;"));
        assertThat(unbounded).succeededWithoutWarnings();
        assertThat(unbounded).generatedSourceFile("test.NetCost").contentsAsUtf8String().contains("MAX_LATENCY_SECONDS = Double.POSITIVE_INFINITY;");
        expectAt(model("@Model(input = {64})\n@Budget(maxLatencySeconds = Double.NEGATIVE_INFINITY, hardware = \"l4\")", "@Linear(out = 10) Layer fc;"),
                "[MC412] @Budget(maxLatencySeconds = -Infinity) must be a number of seconds from 1e-12 to 1e9", "@Budget", "maxLatencySeconds = Double");
    }
}
