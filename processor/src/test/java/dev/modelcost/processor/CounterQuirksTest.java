package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.compile;
import static dev.modelcost.processor.ModelSources.constant;
import static dev.modelcost.processor.ModelSources.generated;
import static dev.modelcost.processor.ModelSources.model;
import static dev.modelcost.processor.ModelSources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * One tiny network per counter quirk, where the counters disagree, each figure derived by hand
 * from the tool's rule (the rule's source is named in docs/counters.md). Where a case is one of the
 * layer cases measured with the real tools in the design notes' counter conventions, the measured
 * value is the expected one and says so.
 */
class CounterQuirksTest {
    private static Compilation net(String header, String... fields) {
        Compilation compilation = compile(source("test.Net", model(header, fields)));
        assertThat(compilation).succeeded();
        return compilation;
    }

    private static long figure(Compilation compilation, String name) {
        return constant(compilation, "test.NetCost", name);
    }

    @Test
    void thopCountsFourOpsPerElementOfAnAffineBatchNormAndTwoWithout() {
        // 16 x 32 x 32 = 16,384 elements: count_normalization is 2 per element, x2 when affine (measured: 65,536)
        Compilation affine = net("@Model(input = {16, 32, 32})", "@Conv2d(cout = 16, k = 1, bias = false) Layer conv;", "@BatchNorm2d Layer bn;");
        assertEquals(16 * 16 * 32 * 32L + 4 * 16_384L, figure(affine, "THOP_MACS"));
        Compilation plain = net("@Model(input = {16, 32, 32})", "@Conv2d(cout = 16, k = 1, bias = false) Layer conv;",
                "@BatchNorm2d(affine = false) Layer bn;");
        assertEquals(16 * 16 * 32 * 32L + 2 * 16_384L, figure(plain, "THOP_MACS"));
        // ptflops: 2 per element when affine; fvcore: 2 (eval, affine); nni: 0 by default, 2 per element in full mode
        assertEquals(16 * 16 * 32 * 32L + 2 * 16_384L, figure(affine, "PTFLOPS_MACS"));
        assertEquals(16 * 16 * 32 * 32L + 2 * 16_384L, figure(affine, "FVCORE_FLOPS"));
        assertEquals(16 * 16 * 32 * 32L, figure(affine, "NNI_FLOPS"));
        assertEquals(16 * 16 * 32 * 32L + 2 * 16_384L, figure(affine, "NNI_FULL_FLOPS"));
    }

    @Test
    void aScaleFactorPerAxisResizesEachAxisAndPtflopsMultipliesItsFactorsCastToIntegers() {
        // nn.Upsample(scale_factor=(1, 2, 2), mode='trilinear') on 2 x 2 x 3 x 4 x 5 gives 2 x 2 x 3 x 8 x 10 and (1.5, 2, 0.5) nearest on
        // 2 x 2 x 5 x 7 x 9 gives 2 x 2 x 7 x 14 x 4 (PyTorch 1.13: floor(in · factor) per axis). ptflops' pytorch backend adds its
        // module hook, upsample_flops_counter_hook, on one sample's output, divided by the batch as every module's count (480 / 2 and
        // 784 / 2), and _interpolate_functional_flops_hook, not divided: for a tuple of one factor per spatial axis, the input's
        // elements times np.prod(scale_factor, dtype=np.int64), each factor cast to an integer first: 240 · 1 · 2 · 2 = 960, and
        // 1,260 · (1 · 2 · 0) = 0. Trilinear interpolation takes 15 other ops an output element: 15 · 960.
        Compilation trilinear = net("@Model(input = {2, 3, 4, 5}, batch = 2)", "@Upsample(scaleFactor = {1, 2, 2}, mode = \"trilinear\") Layer up;");
        assertTrue(generated(trilinear, "test.NetCost").contains("OUTPUT_SHAPE = \"2x2x3x8x10\""), generated(trilinear, "test.NetCost"));
        assertEquals(240L + 960L, figure(trilinear, "PTFLOPS_MACS"));
        assertEquals(240L, figure(trilinear, "PTFLOPS_NOFUNC_MACS"));
        assertEquals(15L * 960, figure(trilinear, "OTHER_OPS"));
        Compilation nearest = net("@Model(input = {2, 5, 7, 9}, batch = 2)", "@Upsample(scaleFactor = {1.5, 2, 0.5}) Layer up;");
        assertTrue(generated(nearest, "test.NetCost").contains("OUTPUT_SHAPE = \"2x2x7x14x4\""), generated(nearest, "test.NetCost"));
        assertEquals(392L, figure(nearest, "PTFLOPS_MACS"));
        ModelSources.expectOnly(model("@Model(input = {2, 5, 7, 9})", "@Upsample(scaleFactor = {1.5, 2}) Layer up;"),
                "[MC319] up: Upsample scaleFactor = [1.5, 2.0] has 2 factors for 3 spatial axes", "Layer up;", 29);
    }

    @Test
    void fvcoreDropsLayersWhoseResultsNeverReachTheOutput() {
        // Measured with fvcore 0.1.6 on PyTorch 1.13, FlopCountAnalysis(m.eval(), torch.randn(2, 4, 10)).total() (batch 2): its JIT
        // trace drops dead code. y = conv1(x); conv2(x); return y: 640, conv1's 8 x 4 x 10 x 2 alone. relu1(conv1(x)) returned,
        // lin2(relu2(conv2(x))) computed and dropped (conv2 of k = 3 to 6 channels, Linear(8, 5)): 640. A block applied twice that
        // computes b(x) and returns a(x), after a stem: 640 + 2 x 1,280 = 3,200. conv1 returned, lin(conv2(conv1)) dropped: 640.
        // A dropped conv2 whose output's size a live reshape reads (z.shape[1]) stays in the trace: 640 + 160 = 800. A block that
        // returns (res(k), k) with k = skip(a(x)), of which the model reads k alone (a WaveNet block's skip output): res is dropped,
        // stem 640 + a 1,280 + skip 960 + head 360 = 3,240 (b.res "never called during the trace"). The other counters run hooks on
        // every module and count everything. The same block applied in place (its fields the model's own), res reading a: 3,240 too
        // (res "never called"). A block applied in place whose last field is a block with a field of the name read: 3,240 (below).
        String header = "@Model(input = {4, 10}, layout = \"C,L\", batch = 2, output = \"%s\")";
        String[][] cases = {
            {"conv1", "640", "@Conv1d(cout = 8, k = 1) Layer conv1;", "@From(\"input\") @Conv1d(cout = 8, k = 1) Layer conv2;"},
            {"relu1", "640", "@Conv1d(cout = 8, k = 1) Layer conv1;", "@ReLU Layer relu1;", "@From(\"input\") @Conv1d(cout = 6, k = 3) Layer conv2;",
                "@ReLU Layer relu2;", "@Linear(out = 5) Layer lin2;"},
            {"l2", "3200", "@Conv1d(cout = 8, k = 1) Layer stem;", "Blk l1;", "Blk l2;", "@Block static class Blk { "
                + "@Conv1d(cout = 8, k = 1) Layer b; @From(\"input\") @Conv1d(cout = 8, k = 1) Layer a; }"},
            {"conv1", "640", "@Conv1d(cout = 8, k = 1) Layer conv1;", "@Conv1d(cout = 8, k = 1) Layer conv2;",
                "@Linear(out = 3) Layer lin;"},
            {"r", "800", "@Conv1d(cout = 2, k = 1) Layer conv2;", "@From(\"input\") @Conv1d(cout = 8, k = 1) Layer conv1;",
                "@Reshape(with = \"shape = [conv2.C, -1]\") Layer r;"},
            {"head", "3240", "@Conv1d(cout = 8, k = 1) Layer stem;", "Skips b;", "@From(\"b.skip\") @Conv1d(cout = 3, k = 1) Layer head;",
                "@Block static class Skips { @Conv1d(cout = 8, k = 1) Layer a; @Conv1d(cout = 6, k = 1) Layer skip; "
                + "@Conv1d(cout = 8, k = 1) Layer res; }"},
            {"head", "3240", "@Conv1d(cout = 8, k = 1) Layer stem;", "@Args(value = \"\", inPlace = true) Skips b;",
                "@From(\"b.skip\") @Conv1d(cout = 3, k = 1) Layer head;", "@Block static class Skips { @Conv1d(cout = 8, k = 1) Layer a; "
                + "@Conv1d(cout = 6, k = 1) Layer skip; @From(\"a\") @Conv1d(cout = 8, k = 1) Layer res; }"},
            // The same, the block ending in a block field out that has a field skip of its own: b.skip is the model's skip, not out.skip
            // (fvcore 0.1.6: 3,240, res and out "never called").
            {"head", "3240", "@Conv1d(cout = 8, k = 1) Layer stem;", "@Args(value = \"\", inPlace = true) Skips b;",
                "@From(\"b.skip\") @Conv1d(cout = 3, k = 1) Layer head;", "@Block static class Skips { @Conv1d(cout = 8, k = 1) Layer a; "
                + "@Conv1d(cout = 6, k = 1) Layer skip; @From(\"a\") @Conv1d(cout = 8, k = 1) Layer res; Out out; }",
                "@Block static class Out { @Conv1d(cout = 8, k = 1) Layer skip; }"},
            // The first case inside an indexed network (an nn.ModuleList of stem, b and head, whose b is module 1): fvcore 0.1.6
            // gives 3,240 too, seq.1.res "never called".
            {"seq", "3240", "Seq seq;", "@Block(indexed = true) static class Seq { @Conv1d(cout = 8, k = 1) Layer stem; Skips b; "
                + "@From(\"b.skip\") @Conv1d(cout = 3, k = 1) Layer head; }", "@Block static class Skips { @Conv1d(cout = 8, k = 1) Layer a; "
                + "@Conv1d(cout = 6, k = 1) Layer skip; @From(\"a\") @Conv1d(cout = 8, k = 1) Layer res; }"},
        };
        for (String[] c : cases) {
            String[] fields = java.util.Arrays.copyOfRange(c, 2, c.length);
            Compilation compilation = net(header.formatted(c[0]), fields);
            assertEquals(Long.parseLong(c[1]), figure(compilation, "FVCORE_FLOPS"), String.join(" ", fields));
        }
        // thop counts every module it hooks, the dropped conv2 included: 2 x 640.
        Compilation dead = net(header.formatted("conv1"), cases[0][2], cases[0][3]);
        assertEquals(1_280L, figure(dead, "THOP_MACS"));
        // A class-wide "all" silences the warning only: the unread conv2 is still dropped.
        assertEquals(640L, figure(net("@SuppressWarnings(\"all\")\n" + header.formatted("conv1"), cases[0][2], cases[0][3]), "FVCORE_FLOPS"));
        // A block applied in place or inline whose field suppresses MC130 is kept as a plain field is: its layers count.
        String body = "@Block static class Body { @Conv1d(cout = 8, k = 1) Layer c; }";
        assertEquals(640L, figure(net(header.formatted("conv1"), cases[0][2], "@From(\"input\") @Args(value = \"\", inPlace = true) Body body;", body),
                "FVCORE_FLOPS"));
        assertEquals(1_280L, figure(net(header.formatted("conv1"), cases[0][2], "@SuppressWarnings(\"MC130\") @From(\"input\") @Args(value = \"\", "
                + "inPlace = true) Body body;", body), "FVCORE_FLOPS"));
        // A field that suppresses MC130 stands for a second output of the model (BertModel's pooler_output), which the trace keeps.
        Compilation second = net(header.formatted("conv1"), cases[0][2], "@SuppressWarnings(\"MC130\") " + cases[0][3]);
        assertEquals(1_280L, figure(second, "FVCORE_FLOPS"));
    }

    @Test
    void fvcoreDropsWhatOneRepetitionOfARunLeavesUnread() {
        // Four WaveNet-like blocks in an nn.ModuleList, each returning (x + res(conv(x)), skip(conv(x))), the skips summed by path:
        // fvcore 0.1.6 on PyTorch 1.13 at 2 x 4 x 10 (tools/pytorch/measure_fvcore_unreached.py: RunSkips, RunSomeSkips,
        // RunOutputToo, RunFirstSkips, RunSecondSkip, RunSecondOutput, Convs). Per block conv 320, skip 480, res 320. Every skip
        // read: the last block's output is read by nothing, its res dropped, 4 x 1,120 - 320 = 4,160. The second's and fourth's
        // skips alone: the first's and third's skips dropped too, 3,200. The last output read as well: nothing dropped, 4,480.
        // Before, a path into a run kept every layer (4,480 for each).
        String block = "@Block static class WBlk { @Conv1d(cout = 4, k = 1) Layer conv; @Conv1d(cout = 6, k = 1) Layer skip; "
                + "@From(\"conv\") @Conv1d(cout = 4, k = 1) Layer res; @Add({\"input\", \"res\"}) Layer out; }";
        String header = "@Model(input = {4, 10}, layout = \"C,L\", batch = 2, output = \"%s\")";
        String[][] cases = {
            {"total", "4160", "@Add({\"blocks.0.skip\", \"blocks.1.skip\", \"blocks.2.skip\", \"blocks.3.skip\"}) Layer total;"},
            {"total", "3200", "@Add({\"blocks.1.skip\", \"blocks.3.skip\"}) Layer total;"},
            {"both", "4480", "@Add({\"blocks.0.skip\", \"blocks.1.skip\", \"blocks.2.skip\", \"blocks.3.skip\"}) Layer total;",
                "@From(\"blocks\") @Sum(dim = {1, 2}, keepdim = true) Layer last;", "@Add({\"total\", \"last\"}) Layer both;"},
            // Reads that stop before the last block: the blocks past the last one read never reach the output. The first two skips:
            // the first block whole and the second's conv and skip, 1,120 + 800 = 1,920; the second skip alone: 1,440; the first
            // skip and the second block's output: 1,120 + 640 = 1,760.
            {"total", "1920", "@Add({\"blocks.0.skip\", \"blocks.1.skip\"}) Layer total;"},
            {"total", "1440", "@From(\"blocks.1.skip\") @Identity Layer total;"},
            {"both", "1760", "@From(\"blocks.1\") @Sum(dim = {1, 2}, keepdim = true) Layer last;", "@Add({\"blocks.0.skip\", \"last\"}) Layer both;"},
        };
        for (String[] c : cases) {
            String[] fields = new String[c.length];
            fields[0] = "@Repeat(4) WBlk blocks;"; // its output unread but in the last case (MC130 warns), as the trace sees it
            System.arraycopy(c, 2, fields, 1, c.length - 2);
            fields[c.length - 1] = block;
            assertEquals(Long.parseLong(c[1]), figure(net(header.formatted(c[0]), fields), "FVCORE_FLOPS"), c[2]);
        }
        // Three convolutions in an nn.Sequential of which the first one's output is read, and a head: 320 + 480 (Convs).
        assertEquals(800L, figure(net(header.formatted("head"), "@Repeat(3) C1 convs;", "@From(\"convs.0\") @Conv1d(cout = 6, k = 1) Layer head;",
                "@Block static class C1 { @Conv1d(cout = 4, k = 1) Layer conv; }"), "FVCORE_FLOPS"));
    }

    @Test
    void fvcoreCountsABatchNormWithoutRunningStatisticsByTheTrainingRule() {
        // nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8, affine=a, track_running_stats=t)).eval() on 1x3x4x4, measured
        // with fvcore 0.1.6: 3,712 (a, t), 4,096 (a, not t), 3,584 (not a, t), 3,968 (neither). Without running statistics
        // F.batch_norm passes training=True, and batchnorm_flop_jit then counts norm_flop_counter's 5 (4 without affine) per
        // element; in eval it counts 2 (1): the conv's 16 · 8 · 27 = 3,456 plus 128 elements times that.
        String conv = "@Conv2d(cout = 8, k = 3, padding = 1) Layer conv;";
        Map<String, Long> measured = Map.of("", 3_712L, "trackRunningStats = false", 4_096L, "affine = false", 3_584L,
                "affine = false, trackRunningStats = false", 3_968L);
        for (Map.Entry<String, Long> bn : measured.entrySet()) {
            Compilation compilation = net("@Model(input = {3, 4, 4})", conv, "@BatchNorm2d(" + bn.getKey() + ") Layer bn;");
            assertEquals(bn.getValue(), figure(compilation, "FVCORE_FLOPS"), bn.getKey());
        }
        // thop counts both alike (count_normalization: 2 per element, x2 when affine)
        assertEquals(3_456L + 4 * 128, figure(net("@Model(input = {3, 4, 4})", conv, "@BatchNorm2d(trackRunningStats = false) Layer bn;"),
                "THOP_MACS"));
    }

    @Test
    void fvcoreSeesNoConvolutionWithSamePaddingAndBothProductsOfACell() {
        // Conv1d(16, 32, 5, padding='same') on 101 positions traces as aten::_convolution_mode (PyTorch 1.13), which fvcore does not
        // count; Conv1d(32, 8, 3) as aten::_convolution: 99 · 8 · 32 · 3 = 76,032. (Measured with fvcore 0.1.6, a Conv1d stack with
        // two 'same' layers and one plain: 22,032, the plain layer's MACs alone.)
        Compilation conv = net("@Model(input = {16, 101}, layout = \"C,L\")", "@Conv1d(cout = 32, k = 5, padding = Conv1d.SAME) Layer same;",
                "@Conv1d(cout = 8, k = 3) Layer plain;");
        assertEquals(99L * 8 * 32 * 3, figure(conv, "FVCORE_FLOPS"));
        assertEquals(101L * 32 * 16 * 5 + 99L * 8 * 32 * 3, figure(conv, "MACS"));
        // padding='valid' too: Conv2d(3, 8, 3, padding='valid') on 32 x 32, measured with fvcore 0.1.6, 0; with padding=0, 194,400 =
        // 30 · 30 · 8 · 27, its MACs, which the other tools count alike (ptflops' aten backend 201,600 with the bias, both ways).
        Compilation valid = net("@Model(input = {3, 32, 32})", "@Conv2d(cout = 8, k = 3, padding = Conv2d.VALID) Layer conv;");
        assertEquals(0L, figure(valid, "FVCORE_FLOPS"));
        assertEquals(30L * 30 * 8 * 27, figure(valid, "MACS"));
        assertEquals(30L * 30 * 8 * 27 + 30 * 30 * 8, figure(valid, "PTFLOPS_ATEN_MACS"));
        assertEquals(30L * 30 * 8 * 27, figure(net("@Model(input = {3, 32, 32})", "@Conv2d(cout = 8, k = 3) Layer conv;"), "FVCORE_FLOPS"));
        // LSTMCell(10, 20), batch 4: lstm_cell traces as aten::linear on the input and on the hidden state (zeros where none is
        // given), 4 · 4·20·(10 + 20) = 9,600, the cell's MACs; nn.LSTM traces as aten::lstm, which fvcore does not count. (Measured:
        // LSTMCell(12, 20), GRUCell(20, 7) and RNNCell(7, 5) at batch 4, 12,748, their MACs.)
        Compilation cell = net("@Model(input = {10}, batch = 4)", "@LSTMCell(hiddenSize = 20) Layer cell;");
        assertEquals(4L * 4 * 20 * (10 + 20), figure(cell, "FVCORE_FLOPS"));
        Compilation layer = net("@Model(input = {5, 10}, layout = \"L,D\", batch = 4)", "@LSTM(hiddenSize = 20) Layer lstm;");
        assertEquals(0L, figure(layer, "FVCORE_FLOPS"));
    }

    @Test
    void ptflopsTakesABatchOfOneForAModelOfSeveralInputs() {
        // Linear(8, 4) at batch 4: 4 · (8·4 + 4) = 144 in the module hook. One input, fed positionally: divided by the batch, 36.
        // Two inputs, fed as input_constructor's dict: batch_counter_hook finds no positional input and takes 1, 144. (Measured
        // with ptflops 0.7.6 on PyTorch 1.13: a GRU seq2seq of two inputs at batch 2, 1,237,764, twice its per-sample count.)
        Compilation one = net("@Model(input = {8}, batch = 4)", "@Linear(out = 4) Layer fc;");
        assertEquals(36L, figure(one, "PTFLOPS_MACS"));
        Compilation two = net("@Model(inputs = {@Input(name = \"a\", shape = {8}), @Input(name = \"b\", shape = {8})}, batch = 4)",
                "@From(\"a\") @Linear(out = 4) Layer fc;", "@From(\"b\") @Identity Layer other;");
        assertEquals(144L, figure(two, "PTFLOPS_MACS"));
        // nn.MultiheadAttention's hook counts the whole batch too: at batch 2, twice its figure at batch 1.
        String attention = "@From({\"a\", \"b\", \"b\"}) @MultiheadAttention(embedDim = 8, numHeads = 2) Layer attn;";
        String inputs = "@Model(inputs = {@Input(name = \"a\", shape = {5, 8}), @Input(name = \"b\", shape = {7, 8})}, batch = %d)";
        assertEquals(2 * figure(net(inputs.formatted(1), attention), "PTFLOPS_MACS"), figure(net(inputs.formatted(2), attention), "PTFLOPS_MACS"));
    }

    @Test
    void ptflopsCountsAReluModuleTwiceAndAFunctionalReluOnce() {
        // 64 x 56 x 56 = 200,704 elements: the module hook counts the output, the wrapped F.relu its input (measured: 401,408)
        Compilation module = net("@Model(input = {64, 56, 56})", "@Conv2d(cout = 64, k = 1, bias = false) Layer conv;", "@ReLU Layer relu;");
        long conv = 64 * 64 * 56 * 56L;
        assertEquals(conv + 2 * 200_704L, figure(module, "PTFLOPS_MACS"));
        assertEquals(conv + 200_704L, figure(module, "PTFLOPS_NOFUNC_MACS"));
        assertEquals(conv, figure(module, "PTFLOPS_ATEN_MACS"));
        assertEquals(conv, figure(module, "THOP_MACS"));
        Compilation function = net("@Model(input = {64, 56, 56})", "@Conv2d(cout = 64, k = 1, bias = false) Layer conv;",
                "@Functional @ReLU Layer relu;");
        assertEquals(conv + 200_704L, figure(function, "PTFLOPS_MACS"));
        assertEquals(conv, figure(function, "PTFLOPS_NOFUNC_MACS"));
    }

    @Test
    void aModulesWeightsGivenToFLinearAreSeenByTheToolsThatTraceAndByNoHook() {
        // torchvision's Swin attention: F.linear(x, self.qkv.weight, self.qkv.bias) on a 49 x 96 input, qkv = Linear(96, 288)
        // never called. Measured on swin_t (tools/pytorch/counter-costs.tsv, each difference derived in the examples'
        // CounterReadingsTest): thop, nni and torchinfo's operations miss the call, thop and nni its 27,936 parameters, ptflops 0.7.6
        // wraps no F.linear (patch_functional leaves it out) but totals every parameter, torchinfo too; fvcore traces aten::linear.
        String header = "@Model(input = {49, 96}, layout = \"L,D\")";
        Compilation function = net(header, "@Functional(moduleWeights = true) @Linear(out = 288) Layer qkv;");
        Compilation module = net(header, "@Linear(out = 288) Layer qkv;");
        long macs = 49L * 96 * 288;
        long params = 96L * 288 + 288;
        // modelcost's own figures are the module's
        for (String figure : java.util.List.of("MACS", "FLOPS", "PARAMS", "PEAK_ACTIVATION_BYTES", "BYTES_MOVED")) {
            assertEquals(figure(module, figure), figure(function, figure), figure);
        }
        assertEquals(params, figure(function, "PARAMS"));
        assertEquals(macs, figure(module, "THOP_MACS"));
        assertEquals(0, figure(function, "THOP_MACS"));
        assertEquals(0, figure(function, "THOP_PARAMS"));
        assertEquals(0, figure(function, "NNI_FLOPS"));
        assertEquals(0, figure(function, "NNI_PARAMS"));
        assertEquals(0, figure(function, "PTFLOPS_MACS"));
        assertEquals(0, figure(function, "PTFLOPS_NOFUNC_MACS"));
        assertEquals(params, figure(function, "PTFLOPS_PARAMS"));
        assertEquals(0, figure(function, "TORCHINFO_MULT_ADDS"));
        assertEquals(params, figure(function, "TORCHINFO_PARAMS"));
        assertEquals(macs, figure(function, "FVCORE_FLOPS"));
        assertEquals(figure(module, "PTFLOPS_ATEN_MACS"), figure(function, "PTFLOPS_ATEN_MACS"));
    }

    @Test
    void aModulesWeightsGivenToAFunctionPtflopsWrapsAreCountedByTheWrapper() {
        // ptflops 0.7.6's patch_functional wraps F.prelu (_numel_functional_flops_hook: its input's 8 x 8 x 8 = 512 elements), and
        // patch_tensor_ops torch.bmm inside F.multi_head_attention_forward: what the module's count_functional run adds to its hook
        String header = "@Model(input = {8, 10, 10})";
        Compilation prelu = net(header, "@Conv2d(k = 3, cout = 8) Layer conv;", "@Functional(moduleWeights = true) @PReLU(numParameters = 8) Layer act;");
        assertEquals(512, figure(prelu, "PTFLOPS_MACS") - figure(prelu, "PTFLOPS_NOFUNC_MACS"));
        String attention = "@Model(input = {49, 96}, layout = \"L,D\")";
        Compilation module = net(attention, "@MultiheadAttention(numHeads = 4, batchFirst = true) Layer a;");
        Compilation function = net(attention, "@Functional(moduleWeights = true) @MultiheadAttention(numHeads = 4, batchFirst = true) Layer a;");
        assertEquals(figure(module, "PTFLOPS_MACS") - figure(module, "PTFLOPS_NOFUNC_MACS"), figure(function, "PTFLOPS_MACS"));
        assertEquals(0, figure(function, "PTFLOPS_NOFUNC_MACS"));
        assertEquals(figure(module, "PTFLOPS_PARAMS"), figure(function, "PTFLOPS_PARAMS"));
    }

    @Test
    void aModuleWhoseWeightsAFunctionTakesKeepsItsNumberInAnIndexedBlock() {
        // nn.Sequential numbers its modules as registered, called or not: b is seq.1, c seq.2 (the ReLU function takes none)
        Compilation compilation = net("@Model(input = {8})", "Seq seq;", "", "@Block(indexed = true) public static class Seq {",
                "    @Linear(out = 16) Layer a;", "    @Functional(moduleWeights = true) @Linear(out = 16) Layer b;", "    @Functional @ReLU Layer r;",
                "    @Linear(out = 8) Layer c;", "}");
        String generated = ModelSources.generated(compilation, "test.NetCost");
        assertTrue(generated.contains("seq.1\\tLinear") && generated.contains("seq.2\\tLinear") && !generated.contains("seq.b\\t"), generated);
    }

    @Test
    void ptflopsDividesItsModuleSumByTheBatchOnceNotEachModule() {
        // nn.Sequential(nn.Upsample(size=5), nn.Upsample(size=3)) on 2 x 1 x 3, ptflops 0.7.6 (measured: 20, and 4 without
        // count_functional): upsample_flops_counter_hook counts output[0], one sample, 5 + 3 = 8; compute_average_flops_cost divides
        // the module sum by the batch once, 8 / 2 = 4 (each module alone would leave 2 + 1 = 3); the wrapped F.interpolate adds
        // each output's elements, 10 + 6, undivided
        Compilation compilation = net("@Model(input = {1, 3}, batch = 2)", "@Upsample(size = 5) Layer a;", "@Upsample(size = 3) Layer b;");
        assertEquals(4, figure(compilation, "PTFLOPS_NOFUNC_MACS"));
        assertEquals(4 + 16, figure(compilation, "PTFLOPS_MACS"));
        // an odd module sum leaves a fraction, which ptflops' integer total drops: 5 + 5 + 5 = 15, 7.5 -> 7, and with the wrapped
        // functions' 30, 37 (measured: 37 and 7)
        Compilation odd = net("@Model(input = {1, 3}, batch = 2)", "@Upsample(size = 5) Layer a;", "@Upsample(size = 5) Layer b;",
                "@Upsample(size = 5) Layer c;");
        assertEquals(7, figure(odd, "PTFLOPS_NOFUNC_MACS"));
        assertEquals(7 + 30, figure(odd, "PTFLOPS_MACS"));
    }

    @Test
    void ptflopsCountsTheInputOfAPoolTwiceAndThopNothing() {
        // MaxPool2d(2) on 16 x 32 x 32: pool_flops_counter_hook counts the 16,384 input elements, F.max_pool2d again (measured: 32,768)
        Compilation compilation = net("@Model(input = {16, 32, 32})", "@Conv2d(cout = 16, k = 1, bias = false) Layer conv;", "@MaxPool2d(k = 2) Layer pool;");
        long conv = 16 * 16 * 32 * 32L;
        assertEquals(conv + 32_768, figure(compilation, "PTFLOPS_MACS"));
        assertEquals(conv + 16_384, figure(compilation, "PTFLOPS_NOFUNC_MACS"));
        assertEquals(conv, figure(compilation, "THOP_MACS"));
        assertEquals(conv, figure(compilation, "FVCORE_FLOPS"));
    }

    @Test
    void nniIgnoresTheBatchAndCountsALinearOncePerCall() {
        // batch 4, 10 tokens of 64 features into 32: modelcost 4*10*64*32; nni in*out = 2,048 (+32 bias in full mode); thop in * y.numel()
        Compilation compilation = net("@Model(input = {10, 64}, layout = \"L,D\", batch = 4)", "@Linear(out = 32) Layer fc;");
        assertEquals(4 * 10 * 64 * 32L, figure(compilation, "MACS"));
        assertEquals(64 * 32L, figure(compilation, "NNI_FLOPS"));
        assertEquals(64 * 32L + 32, figure(compilation, "NNI_FULL_FLOPS"));
        assertEquals(64 * 4 * 10 * 32L, figure(compilation, "THOP_MACS"));
        // ptflops divides the module sum by the batch and counts the bias: (64*32 + 32) * 10 positions
        assertEquals((64 * 32L + 32) * 10, figure(compilation, "PTFLOPS_MACS"));
        // the difference from MACS splits into the three other samples (-3 x 20,480) and the one-position rule (2,048 - 20,480)
        String source = generated(compilation, "test.NetCost");
        assertTrue(source.contains("linear layers \u221218,432, batch (one sample counted) \u221261,440"), source);
    }

    @Test
    void torchinfoCountsParametersTimesOutputPositions() {
        // Conv2d 3 -> 8, k 3, padding 1 on 3 x 8 x 8 at batch 2: 224 parameters x 2 x 64 positions; MACs 2*8*64*27
        Compilation conv = net("@Model(input = {3, 8, 8}, batch = 2)", "@Conv2d(cout = 8, k = 3, padding = 1) Layer conv;");
        assertEquals(2 * 8 * 64 * 27L, figure(conv, "MACS"));
        assertEquals(224 * 2 * 64L, figure(conv, "TORCHINFO_MULT_ADDS"));
        // a BatchNorm is its 2C parameters times the batch
        Compilation bn = net("@Model(input = {3, 8, 8}, batch = 2)", "@Conv2d(cout = 8, k = 3, padding = 1) Layer conv;", "@BatchNorm2d Layer bn;");
        assertEquals(224 * 2 * 64L + 16 * 2, figure(bn, "TORCHINFO_MULT_ADDS"));
        // a Linear on 10 tokens: head counts parameters x positions, v1.8.0 parameters x batch
        Compilation linear = net("@Model(input = {10, 64}, layout = \"L,D\")", "@Linear(out = 32) Layer fc;");
        assertEquals((64 * 32L + 32) * 10, figure(linear, "TORCHINFO_MULT_ADDS"));
        assertEquals(64 * 32L + 32, figure(linear, "TORCHINFO_V180_MULT_ADDS"));
    }

    @Test
    void torchinfoCountsALayerOnARecurrentStateByItsFirstAxis() {
        // GRU(8, 6, batch_first=True) on 3 x 7 x 8, its h_n (1, 3, 6) into LayerNorm(6): torchinfo 5c4164f and v1.8.0 (measured:
        // 6,060 both) count the GRU's 288 parameters x N 3 x 7 steps = 6,048, and the norm's 12 x output_size[0], which is h_n's
        // num_layers · directions, 1, not the batch: 6,060.
        Compilation norm = net("@Model(input = {7, 8}, layout = \"L,F\", batch = 3)",
                "@GRU(hiddenSize = 6, batchFirst = true, output = \"h_n\") Layer enc;", "@LayerNorm(normalizedShape = {6}) Layer ln;");
        assertEquals(6_048L + 12, figure(norm, "TORCHINFO_MULT_ADDS"));
        assertEquals(6_048L + 12, figure(norm, "TORCHINFO_V180_MULT_ADDS"));
        // A 2-layer LSTM's h_n (2, 3, 6) into Linear(6, 5): v1.8.0 counts its 35 parameters x output_size[0] = 2, 70; 5c4164f
        // x prod(output_size[:-1]) = 2 x 3, 210. The LSTM: 4·6·(8 + 6) + 8·6 = 384 and 4·6·12 + 48 = 336, 720 x 3 x 7 = 15,120.
        Compilation head = net("@Model(input = {7, 8}, layout = \"L,F\", batch = 3)",
                "@LSTM(hiddenSize = 6, numLayers = 2, batchFirst = true, output = \"h_n\") Layer enc;", "@Linear(out = 5) Layer fc;");
        assertEquals(15_120L + 70, figure(head, "TORCHINFO_V180_MULT_ADDS"));
        assertEquals(15_120L + 210, figure(head, "TORCHINFO_MULT_ADDS"));
    }

    @Test
    void torchinfoCountsAnEmbeddingOfArangePositionsOnceAtAnyBatch() {
        // Measured with torchinfo 5c4164f on PyTorch 1.13: wte = Embedding(100, 8) on ids (3, 32), plus wpe = Embedding(64, 8) on
        // torch.arange(32).unsqueeze(0), summed: total_mult_adds 2,912 = wte's 800 weights x batch 3 + wpe's 512 x output_size[0] = 1.
        Compilation compilation = net("@Model(input = {32}, layout = \"L\", tokens = true, batch = 3)",
                "@Embedding(numEmbeddings = 100, embeddingDim = 8) Layer wte;", "@From(\"input\") @Arange Layer positions;",
                "@Embedding(numEmbeddings = 64, embeddingDim = 8) Layer wpe;", "@Add({\"wte\", \"wpe\"}) Layer sum;");
        assertEquals(2_912, figure(compilation, "TORCHINFO_MULT_ADDS"));
        // The positions' embedding normalized and projected before the add, at batch 4 over 16 ids (measured the same way: 30,272): the
        // token table's 3,200 weights x 4, and on the (1, 16, 32) positions the table's 512, the LayerNorm's 64 and the Linear's 1,056
        // x 16 positions, each once.
        Compilation downstream = net("@Model(input = {16}, layout = \"L\", tokens = true, batch = 4)",
                "@Embedding(numEmbeddings = 100, embeddingDim = 32) Layer tok;", "@From(\"input\") @Arange Layer pos;",
                "@Embedding(numEmbeddings = 16, embeddingDim = 32) Layer wpe;", "@LayerNorm Layer pln;", "@Linear(out = 32) Layer pproj;",
                "@Add({\"tok\", \"pproj\"}) Layer sum;");
        assertEquals(3_200 * 4 + 512 + 64 + 1_056 * 16, figure(downstream, "TORCHINFO_MULT_ADDS"));
    }

    @Test
    void ptflopsAtenBackendMissesABatchFirstAttentionsInputProjectionBiasAboveABatchOfOne() {
        // nn.MultiheadAttention(16, 2, batch_first=True) on (N, 10, 16), measured with ptflops d612c75 (backend='aten') on PyTorch 1.13:
        // 14,080 at N = 1, 27,200 at N = 2. MACs: projections 4 · 10 · 16 · 16 and products 2 · 10 · 10 · 16 a sample, 13,440; at N = 1
        // every bias is an addmm's, (3 + 1) · 10 · 16 = 640; at N = 2 the transposed inputs are no longer contiguous, and only the
        // output projection's 2 · 10 · 16 = 320 are counted.
        for (int batch : new int[] {1, 2}) {
            Compilation mha = net("@Model(input = {10, 16}, layout = \"L,D\", batch = " + batch + ")",
                    "@MultiheadAttention(numHeads = 2, batchFirst = true) Layer attn;");
            assertEquals(batch == 1 ? 14_080L : 27_200L, figure(mha, "PTFLOPS_ATEN_MACS"));
        }
    }

    @Test
    void ptflopsWrappedProductsSeeTheValuesAtEAndTheAppendedKeys() {
        // nn.MultiheadAttention(32, 4, batch_first=True) on (1, 12, 32), measured with ptflops d612c75 (backend='pytorch'), with and
        // without count_functional: plain 70,656 and 60,864; add_bias_kv or add_zero_attn 71,472 (13 keys), both 72,288 (14 keys), the
        // module hook unchanged; kdim = vdim = 24 from a Linear(32, 24), 62,784 and 52,992: the products inside see values projected to E.
        // The wrapped products: 4 heads · 12 queries · keys · (8 + 1 + 8).
        String plain = "@MultiheadAttention(numHeads = 4, batchFirst = true) Layer attn;";
        Map<String, long[]> measured = Map.of(plain, new long[] {70_656, 60_864},
                plain.replace("true)", "true, addBiasKv = true)"), new long[] {71_472, 60_864},
                plain.replace("true)", "true, addZeroAttn = true)"), new long[] {71_472, 60_864},
                plain.replace("true)", "true, addBiasKv = true, addZeroAttn = true)"), new long[] {72_288, 60_864},
                "@Linear(out = 24) Layer kv; @From({\"input\", \"kv\", \"kv\"}) @MultiheadAttention(numHeads = 4, batchFirst = true, kdim = 24, "
                        + "vdim = 24) Layer attn;", new long[] {62_784, 52_992});
        measured.forEach((fields, expected) -> {
            Compilation mha = net("@Model(input = {12, 32}, layout = \"L,D\")", fields);
            assertEquals(expected[0], figure(mha, "PTFLOPS_MACS"), fields);
            assertEquals(expected[1], figure(mha, "PTFLOPS_NOFUNC_MACS"), fields);
        });
        assertEquals(72_288L - 60_864, 4L * 12 * 14 * 17);
    }

    @Test
    void thopAndNniCountATransposedConvolutionOverItsOutputPositions() {
        // ConvTranspose2d 16 -> 8, k 4, stride 2, padding 1 on 16 x 14 x 14 -> 8 x 28 x 28; measured (convtranspose2d_k4s2p1): thop and nni 1,605,632
        Compilation compilation = net("@Model(input = {16, 14, 14})", "@ConvTranspose2d(cout = 8, k = 4, stride = 2, padding = 1) Layer up;");
        assertEquals(16 * 14 * 14 * 8 * 16L, figure(compilation, "MACS")); // every input element times C_out x k^2: 401,408
        assertEquals(8 * 28 * 28 * 16 * 16L, figure(compilation, "THOP_MACS"));
        assertEquals(1_605_632, figure(compilation, "NNI_FLOPS"));
        assertEquals(1_605_632 + 8 * 28 * 28, figure(compilation, "NNI_FULL_FLOPS"));
        // fvcore and ptflops count the input positions, as modelcost does; ptflops adds the bias over the output
        assertEquals(401_408, figure(compilation, "FVCORE_FLOPS"));
        assertEquals(401_408 + 8 * 28 * 28, figure(compilation, "PTFLOPS_MACS"));
    }

    @Test
    void adaptiveAveragePoolingDividesInFloatingPointForThopAndFloorsForNni() {
        // 8 x 10 x 10 -> 8 x 3 x 3 (measured adaptiveavgpool2d_3_from10): thop int(((10/3)^2 + 1) * 72) = 872, nni full (3*3 + 1) * 72 = 720
        Compilation compilation = net("@Model(input = {8, 10, 10})", "@Conv2d(cout = 8, k = 1, bias = false) Layer conv;",
                "@AdaptiveAvgPool2d(3) Layer pool;");
        long conv = 8 * 8 * 100L;
        assertEquals(conv + 872, figure(compilation, "THOP_MACS"));
        assertEquals(conv + 720, figure(compilation, "NNI_FULL_FLOPS"));
        assertEquals(conv + 800, figure(compilation, "FVCORE_FLOPS")); // aten::adaptive_avg_pool2d: 1 per input element
    }

    @Test
    void nniCountsParametersOfConvolutionsLinearAndRecurrentLayersOnlyAndBatchNormInFullMode() {
        Compilation compilation = net("@Model(input = {3, 8, 8})", "@Conv2d(cout = 8, k = 3, bias = false) Layer conv;", "@BatchNorm2d Layer bn;");
        assertEquals(8 * 27L, figure(compilation, "NNI_PARAMS"));
        assertEquals(8 * 27L + 16, figure(compilation, "NNI_FULL_PARAMS"));
        assertEquals(8 * 27L + 16, figure(compilation, "THOP_PARAMS"));
        assertEquals(8 * 27L + 16, figure(compilation, "PARAMS"));
    }

    @Test
    void nniNeverDoublesTheFirstLayerOfABidirectionalRecurrentLayer() {
        // LSTM(32, 64, num_layers=2, bidirectional) on 10 steps, measured (x_lstm_bidir_2layer): 1,244,160
        Compilation compilation = net("@Model(input = {10, 32}, layout = \"L,D\")",
                "@LSTM(hiddenSize = 64, numLayers = 2, bidirectional = true, batchFirst = true) Layer lstm;");
        assertEquals(1_244_160, figure(compilation, "NNI_FLOPS"));
        // thop: 2 * cell(32, 64) + 2 * cell(128, 64) per step, cell = 4 * ((I + H) * H + H + 2H) + 4H
        long first = 4 * ((32 + 64) * 64L + 64 + 128) + 4 * 64;
        long later = 4 * ((128 + 64) * 64L + 64 + 128) + 4 * 64;
        assertEquals(10 * (2 * first + 2 * later), figure(compilation, "THOP_MACS"));
    }

    @Test
    void aHeadTiedToAnEmbeddingHoldsTheSharedWeightForToolsThatReadModules() {
        // Embedding(100, 16) and a bias-free Linear(16 -> 100) sharing its weight, on 10 tokens. PyTorch's parameters() lists
        // the weight once (1,600); thop and nni sum per hooked module, and the Embedding has no rule there: the head's 1,600.
        Compilation compilation = net("@Model(input = {10}, layout = \"L\", tokens = true)",
                "@Embedding(numEmbeddings = 100, embeddingDim = 16) Layer wte;", "@Linear(out = 100, bias = false, tiedTo = \"wte\") Layer head;");
        assertEquals(1_600, figure(compilation, "PARAMS"));
        assertEquals(1_600, figure(compilation, "THOP_PARAMS"));
        assertEquals(1_600, figure(compilation, "NNI_PARAMS"));
        // torchinfo: the Embedding's table x N (1,600) and the head's own weight x 10 positions (16,000); its total_params once
        assertEquals(1_600 + 16_000, figure(compilation, "TORCHINFO_MULT_ADDS"));
        assertEquals(1_600, figure(compilation, "TORCHINFO_PARAMS"));
        assertEquals(1_600, figure(compilation, "PTFLOPS_PARAMS"));
    }

    @Test
    void aModelWithoutParametersMakesNniFailAndTheClassSaysSoInsteadOfANumber() {
        Compilation compilation = net("@Model(input = {4, 8, 8})", "@MaxPool2d(k = 2) Layer pool;");
        String source = generated(compilation, "test.NetCost");
        assertTrue(source.contains("NNI_FLOPS_UNAVAILABLE = \"nni fails: StopIteration"), source);
        assertTrue(!source.contains("NNI_FLOPS = "), source);
        // nni prints no parameter count either: the class says so under that constant's name too
        assertTrue(source.contains("NNI_PARAMS_UNAVAILABLE = \"nni fails: StopIteration"), source);
        assertTrue(!source.contains("NNI_PARAMS = "), source);
    }

    @Test
    void nniFullModeFailsOnABatchNormWithoutAffineParameters() {
        Compilation compilation = net("@Model(input = {3, 8, 8})", "@Conv2d(cout = 8, k = 3) Layer conv;", "@BatchNorm2d(affine = false) Layer bn;");
        String source = generated(compilation, "test.NetCost");
        assertTrue(source.contains("NNI_FULL_FLOPS_UNAVAILABLE = \"nni_full fails: AttributeError"), source);
        assertEquals(8 * 36 * 27L, figure(compilation, "NNI_FLOPS"));
    }

    @Test
    void nniFullModeFailsOnAnAdaptivePoolingThatKeepsAnAxis() {
        // nn.AdaptiveAvgPool2d((4, None)): _count_adap_avgpool builds torch.Tensor([(4, None)]), a TypeError; (4, 4) is counted:
        // (8 // 4) · (8 // 4) + 1 = 5 per output element, 3 · 16 · 5 = 240, after the 1 x 1 convolution's 3 · 3 · 64 + 3 · 64.
        String conv = "@Conv2d(cout = 3, k = 1) Layer conv;";
        Compilation keeps = net("@Model(input = {3, 8, 8})", conv, "@AdaptiveAvgPool2d(h = 4) Layer pool;");
        assertTrue(generated(keeps, "test.NetCost").contains("NNI_FULL_FLOPS_UNAVAILABLE = \"nni_full fails: TypeError"), generated(keeps, "test.NetCost"));
        Compilation both = net("@Model(input = {3, 8, 8})", conv, "@AdaptiveAvgPool2d(h = 4, w = 4) Layer pool;");
        assertEquals(3L * 3 * 64 + 3 * 64 + 240, figure(both, "NNI_FULL_FLOPS"));
    }

    @Test
    void countersThatSeeNothingOfAttentionSaySoWithTheMissedMacs() {
        Compilation compilation = net("@Model(input = {10, 64}, layout = \"L,D\")", "@MultiheadAttention(numHeads = 4, batchFirst = true) Layer attn;");
        long macs = figure(compilation, "MACS");
        assertTrue(macs > 0);
        assertEquals(0, figure(compilation, "THOP_MACS"));
        assertEquals(0, figure(compilation, "NNI_FLOPS"));
        assertEquals(0, figure(compilation, "TORCHINFO_MULT_ADDS"));
        String source = generated(compilation, "test.NetCost");
        assertTrue(source.contains(String.format(java.util.Locale.ROOT, "It does not see %,d MACs: thop has no rule for MultiheadAttention", macs)), source);
        // fvcore sees the projections (aten::linear) and both products (aten::bmm): all of modelcost's MACs
        assertEquals(macs, figure(compilation, "FVCORE_FLOPS"));
    }

    @Test
    void functionalCallsAreInvisibleToModuleHooks() {
        // F.adaptive_avg_pool2d on 8 x 4 x 4: thop and nni see nothing; ptflops' wrapped function and fvcore count the 128 inputs
        Compilation compilation = net("@Model(input = {8, 4, 4})", "@Conv2d(cout = 8, k = 1, bias = false) Layer conv;",
                "@Functional @AdaptiveAvgPool2d(1) Layer pool;");
        long conv = 8 * 8 * 16L;
        assertEquals(conv, figure(compilation, "THOP_MACS"));
        assertEquals(conv, figure(compilation, "NNI_FULL_FLOPS"));
        assertEquals(conv + 128, figure(compilation, "PTFLOPS_MACS"));
        assertEquals(conv + 128, figure(compilation, "FVCORE_FLOPS"));
        // x.mean([2, 3]) is neither a module nor a wrapped function, and aten::mean has no fvcore handle
        Compilation method = net("@Model(input = {8, 4, 4})", "@Conv2d(cout = 8, k = 1, bias = false) Layer conv;",
                "@Functional(method = true) @AdaptiveAvgPool2d(1) Layer pool;");
        assertEquals(conv, figure(method, "PTFLOPS_MACS"));
        assertEquals(conv, figure(method, "FVCORE_FLOPS"));
    }

    @Test
    void aFastPathBlockIsInvisibleToTheCountersThatRunWithoutGradients() {
        // nn.TransformerEncoderLayer(512, 8, 2048, batch_first=True) on 1x32x512, measured (tools/pytorch/counter-costs.tsv):
        // thop, nni and torchinfo 0 (fused kernel); fvcore 101,875,712 = every projection and product, no bias
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {32, 512}, layout = "L,D")
                @FastPath
                public class Net {
                    @MultiheadAttention(numHeads = 8, batchFirst = true) Layer self_attn;
                    @Add({"input", "self_attn"})                         Layer residual1;
                    @LayerNorm                                           Layer norm1;
                    @Linear(out = 2048)                                  Layer linear1;
                    @Functional(method = true) @ReLU                     Layer activation;
                    @Linear(out = 512)                                   Layer linear2;
                    @Add({"norm1", "linear2"})                           Layer residual2;
                    @LayerNorm                                           Layer norm2;
                }
                """;
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).succeeded();
        assertEquals(0, figure(compilation, "THOP_MACS"));
        assertEquals(0, figure(compilation, "THOP_PARAMS"));
        assertEquals(0, figure(compilation, "NNI_FLOPS"));
        assertEquals(0, figure(compilation, "TORCHINFO_MULT_ADDS"));
        assertEquals(3_152_384, figure(compilation, "TORCHINFO_PARAMS"));
        assertEquals(101_875_712, figure(compilation, "FVCORE_FLOPS"));
        // ptflops (measured 101,916,672 without wrapped functions): the modules' hooks, attention's included
        assertEquals(101_916_672, figure(compilation, "PTFLOPS_NOFUNC_MACS"));
        assertTrue(generated(compilation, "test.NetCost").contains("as one fused kernel (its fast path) that no hook sees"));
    }

    @Test
    void aFastPathBlockPyTorchDoesNotFuseIsCountedModuleByModule() {
        // nn.TransformerEncoder(nn.TransformerEncoderLayer(24, 4, 40, 0.1, activation=F.silu, batch_first=True), 2,
        // enable_nested_tensor=False) on 2 x 10 x 24: PyTorch 1.13 leaves the fast path (activation_relu_or_gelu is 0), and the tools
        // printed thop 84,480 MACs and 4,160 parameters, nni 3,840 FLOPs, nni's full mode 3,968, torchinfo 79,744 and its v1.8.0
        // 8,320.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10, 24}, layout = "L,D", batch = 2)
                public class Net {
                    Enc encoder;

                    @Block
                    public static class Enc {
                        @Repeat(2) EncLayer layers;
                    }

                    @Block
                    @FastPath
                    public static class EncLayer {
                        @MultiheadAttention(numHeads = 4, batchFirst = true, dropout = 0.1) Layer self_attn;
                        @Dropout(p = 0.1)                                    Layer dropout1;
                        @Add({"input", "dropout1"})                          Layer residual1;
                        @LayerNorm                                           Layer norm1;
                        @Linear(out = 40)                                    Layer linear1;
                        @Functional(method = true) @SiLU                     Layer activation;
                        @Dropout(p = 0.1)                                    Layer dropout;
                        @Linear(with = "out = in")                           Layer linear2;
                        @Dropout(p = 0.1)                                    Layer dropout2;
                        @Add({"norm1", "dropout2"})                          Layer residual2;
                        @LayerNorm                                           Layer norm2;
                    }
                }
                """;
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningContaining("[MC149] EncLayer: @FastPath, but PyTorch 1.13 does not take the fast path (activation is SiLU: the "
                + "fused layer runs its modules (attention, linear layers, LayerNorm, dropout) and a ReLU or GELU activation only)").inFile(file).onLineContaining("@FastPath");
        assertEquals(84_480, figure(compilation, "THOP_MACS"));
        assertEquals(4_160, figure(compilation, "THOP_PARAMS"));
        assertEquals(3_840, figure(compilation, "NNI_FLOPS"));
        assertEquals(3_968, figure(compilation, "NNI_FULL_FLOPS"));
        assertEquals(79_744, figure(compilation, "TORCHINFO_MULT_ADDS"));
        assertEquals(8_320, figure(compilation, "TORCHINFO_V180_MULT_ADDS"));
        // Norms of different eps leave the fast path too (norm1.eps != norm2.eps): the counters see the modules as without @FastPath.
        String relu = text.replace("@Functional(method = true) @SiLU", "@Functional(method = true) @ReLU");
        String eps = relu.replace("@LayerNorm                                           Layer norm2;", "@LayerNorm(eps = 1e-6) Layer norm2;");
        Compilation apart = compile(source("test.Net", eps));
        assertThat(apart).hadWarningContaining("(norm1 and norm2 have different eps (0.00001 and 0.000001))");
        assertHookedAsUnmarked(apart, compile(source("test.Net", eps.replace("@FastPath", ""))));
        // A module whose weights the code passes to a function is no nn.TransformerEncoderLayer's, which calls its modules.
        String functional = relu.replace("@Linear(out = 40)                                    Layer linear1;",
                "@Functional(moduleWeights = true) @Linear(out = 40) Layer linear1;");
        Compilation given = compile(source("test.Net", functional));
        assertThat(given).hadWarningContaining("(linear1 passes its module's weights to a function (@Functional(moduleWeights = true)), where "
                + "nn.TransformerEncoderLayer calls its modules)");
        assertHookedAsUnmarked(given, compile(source("test.Net", functional.replace("@FastPath", ""))));
        // A network without an attention is no nn.TransformerEncoderLayer: nn.Sequential(Linear(16, 16), ReLU(), Linear(16, 4)) on
        // 1 x 16, thop printed 320 MACs and 340 parameters, nni 320 FLOPs, torchinfo 340 mult-adds.
        Compilation mlp = compile(source("test.Net", model("@Model(input = {16})\n@FastPath", "@Linear(out = 16) Layer fc;", "@ReLU Layer r;",
                "@Linear(out = 4) Layer fc2;")));
        assertThat(mlp).hadWarningContaining("(it holds no MultiheadAttention");
        assertEquals(320, figure(mlp, "THOP_MACS"));
        assertEquals(340, figure(mlp, "THOP_PARAMS"));
        assertEquals(320, figure(mlp, "NNI_FLOPS"));
        assertEquals(340, figure(mlp, "TORCHINFO_MULT_ADDS"));
        // The same inside a block of the layer, and a norm PyTorch's layer does not hold.
        Compilation nested = compile(source("test.Net", model("@Model(input = {10, 24}, layout = \"L,D\")\n@FastPath", "Ffn ffn;",
                "@Block static class Ffn { @MultiheadAttention(numHeads = 4, batchFirst = true) Layer self_attn; @Linear(out = 40) Layer linear1; "
                + "@SiLU Layer activation; @Linear(out = 24) Layer linear2; }")));
        assertThat(nested).hadWarningContaining("(ffn.activation is SiLU: ");
        assertTrue(figure(nested, "THOP_MACS") > 0);
        // An attention and one linear layer, no norm and no activation, stand for another module than nn.TransformerEncoderLayer: its
        // modules run one by one, and the counters hook them as without @FastPath.
        String part = model("@Model(input = {32, 64}, layout = \"L,D\")\n@FastPath", "@MultiheadAttention(numHeads = 4, batchFirst = true) Layer self_attn;",
                "@Linear(out = 64) Layer linear1;");
        Compilation partial = compile(source("test.Net", part));
        assertThat(partial).hadWarningContaining("(it holds 1 linear layer, 0 LayerNorms and no activation, where nn.TransformerEncoderLayer has a "
                + "MultiheadAttention, two linear layers, two LayerNorms and a ReLU or GELU)");
        assertHookedAsUnmarked(partial, compile(source("test.Net", part.replace("\n@FastPath", ""))));
        assertThat(compile(source("test.Net", relu.replace("@LayerNorm                                           Layer norm1;",
                "@RMSNorm Layer norm1;")))).hadWarningContaining("(norm1 is RMSNorm: ");
        // A function calling F.gelu(x, approximate="tanh") as the activation is not F.gelu itself: nn.TransformerEncoderLayer(64, 4,
        // 128, 0.1, batch_first=True, activation=lambda x: F.gelu(x, approximate="tanh")) on 2 x 16 x 64, thop printed 540,672.
        Compilation tanh = compile(source("test.Net", model("@Model(input = {16, 64}, batch = 2)\n@FastPath",
                "@MultiheadAttention(numHeads = 4, batchFirst = true, dropout = 0.1) Layer self_attn;", "@Dropout(p = 0.1) Layer dropout1;",
                "@Add({\"input\", \"dropout1\"}) Layer residual1;", "@LayerNorm Layer norm1;", "@Linear(out = 128) Layer linear1;",
                "@Functional @GELU(approximate = \"tanh\") Layer activation;", "@Dropout(p = 0.1) Layer dropout;",
                "@Linear(with = \"out = in\") Layer linear2;", "@Dropout(p = 0.1) Layer dropout2;", "@Add({\"norm1\", \"dropout2\"}) Layer residual2;",
                "@LayerNorm Layer norm2;")));
        assertThat(tanh).hadWarningContaining("(activation is F.gelu with approximate = \"tanh\"");
        assertEquals(540_672, figure(tanh, "THOP_MACS"));
        // With a ReLU and one eps PyTorch fuses the layer: the hooks see none of it.
        Compilation fused = compile(source("test.Net", relu));
        assertThat(fused).hadWarningCount(0);
        assertEquals(0, figure(fused, "THOP_MACS"));
    }

    @Test
    void ptflopsAtenBackendCountsALinearsBiasOnlyWherePyTorchRunsOneAddmm() {
        // 10 tokens of 64 into 32 (a 3-d input with the batch): one addmm, 10 x 32 bias additions counted
        Compilation tokens = net("@Model(input = {10, 64}, layout = \"L,D\")", "@Linear(out = 32) Layer fc;");
        assertEquals(10 * 64 * 32L + 10 * 32, figure(tokens, "PTFLOPS_ATEN_MACS"));
        // a 4-d input (ConvNeXt's channels-last Linear, measured there): matmul and an add, which is not counted
        Compilation pixels = net("@Model(input = {4, 4, 64}, layout = \"H,W,C\")", "@Linear(out = 32) Layer fc;");
        assertEquals(16 * 64 * 32L, figure(pixels, "PTFLOPS_ATEN_MACS"));
    }

    @Test
    void attentionWrittenOutWithTorchMatmulIsSeenByTheToolsThatWrapOrTraceIt() {
        // 8 query heads on 2 key/value heads (repeated to 8 by the code), 6 queries, 6 keys, head size 4, causal:
        // both torch.matmul calls over every head and key, 8 x 6 x 6 x (4 + 4) = 2,304, whatever the mask hides
        String net = """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "q", shape = {8, 6, 4}, layout = "H,L,D"), @Input(name = "kv", shape = {2, 6, 4}, layout = "H,L,D")},
                        causal = "%s")
                public class Net {
                    @From({"q", "kv", "kv"}) @ScaledDotProductAttention(isCausal = true, enableGqa = true, explicit = %s) Layer attention;
                }
                """;
        Compilation explicit = compile(source("test.Net", net.formatted("causal-exact", "true")));
        assertThat(explicit).succeeded();
        assertEquals(2_304, figure(explicit, "PTFLOPS_MACS"));
        assertEquals(2_304, figure(explicit, "PTFLOPS_ATEN_MACS"));
        assertEquals(2_304, figure(explicit, "FVCORE_FLOPS"));
        assertEquals(0, figure(explicit, "PTFLOPS_NOFUNC_MACS"));
        assertEquals(0, figure(explicit, "THOP_MACS"));
        assertTrue(figure(explicit, "MACS") < 2_304, "modelcost counts the causal pairs only under causal-exact");
        // F.scaled_dot_product_attention: no tool of these versions counts it
        Compilation call = compile(source("test.Net", net.formatted("causal-exact", "false")));
        assertEquals(0, figure(call, "PTFLOPS_MACS"));
        assertEquals(0, figure(call, "FVCORE_FLOPS"));
    }

    @Test
    void aCounterFigureBeyond64BitsIsUnavailableWhileModelcostsFiguresStand() {
        // bicubic upsampling to 316,227,766^2 ~ 1.0e17 elements: modelcost's 31 other ops each fit (3.1e18), thop's 259 do not
        Compilation compilation = net("@Model(input = {1, 4, 4})", "@Upsample(size = {316_227_766, 316_227_766}, mode = \"bicubic\") Layer up;");
        String source = generated(compilation, "test.NetCost");
        assertTrue(source.contains("THOP_MACS_UNAVAILABLE = \"not reproduced: the counter's figure is beyond 64-bit integers\""), source);
        assertTrue(source.contains("THOP_PARAMS_UNAVAILABLE = \"given only beside THOP_MACS, which is not reproduced: the counter's figure is beyond 64-bit "
                + "integers\""), source);
        assertEquals(31 * 316_227_766L * 316_227_766L, figure(compilation, "OTHER_OPS"));
    }

    @Test
    void aPerSampleCounterMissesOneSamplesMacsAndShowsTheOthersAsTheBatch() {
        // MultiheadAttention at batch 2: nni counts one sample and sees none of it; the note gives one sample's MACs
        Compilation compilation = net("@Model(input = {10, 64}, layout = \"L,D\", batch = 2)", "@MultiheadAttention(numHeads = 4, batchFirst = true) Layer attn;");
        long macs = figure(compilation, "MACS");
        String source = generated(compilation, "test.NetCost");
        assertTrue(source.contains(String.format(java.util.Locale.ROOT, "It does not see %,d MACs: nni has no rule for MultiheadAttention", macs / 2)), source);
        assertTrue(source.contains(String.format(java.util.Locale.ROOT, "batch (one sample counted) \u2212%,d", macs / 2)), source);
    }

    @Test
    void ptflopsAtenBackendCountsARecurrentLayersAddmmBiases() {
        // LSTM(32, 64, num_layers=2) on 10 steps at batch 3: MACs 4·64·(32+64)·30 + 4·64·(64+64)·30 = 1,720,320; each addmm adds
        // 4·64 biases per step and sample (7,680): the hidden product's in every layer, the input product's where its input is
        // contiguous. The real aten backend printed 1,751,040 seq-first (4 units) and 1,743,360 batch-first (3: the first layer's
        // input is transposed), 75,264 for LSTMCell(32, 64) at batch 3 (73,728 + 2 · 768).
        Compilation seqFirst = net("@Model(input = {10, 32}, layout = \"L,D\", batch = 3)", "@LSTM(hiddenSize = 64, numLayers = 2) Layer lstm;");
        assertEquals(1_720_320, figure(seqFirst, "MACS"));
        assertEquals(1_720_320 + 4 * 7_680, figure(seqFirst, "PTFLOPS_ATEN_MACS"));
        Compilation batchFirst = net("@Model(input = {10, 32}, layout = \"L,D\", batch = 3)",
                "@LSTM(hiddenSize = 64, numLayers = 2, batchFirst = true) Layer lstm;");
        assertEquals(1_743_360, figure(batchFirst, "PTFLOPS_ATEN_MACS"));
        // At batch 1 the transposed input is contiguous, and its addmm adds the bias: LSTM(256, 512, batch_first=True) on 1x35x256,
        // MACs 4·512·(256+512)·35 = 55,050,240, plus 2 · 4·512 biases a step; the real aten backend printed 55,193,600 (as for
        // the seq-first layer), and 110,243,840 at batch 2 (the input product's biases left out: 2 · 55,050,240 + 2·35·2,048);
        // tools/pytorch/ptflops-recurrent.tsv, from measure_ptflops_recurrent.py
        assertEquals(55_193_600, figure(net("@Model(input = {35, 256}, layout = \"L,D\")", "@LSTM(hiddenSize = 512, batchFirst = true) Layer lstm;"),
                "PTFLOPS_ATEN_MACS"));
        assertEquals(110_243_840, figure(net("@Model(input = {35, 256}, layout = \"L,D\", batch = 2)",
                "@LSTM(hiddenSize = 512, batchFirst = true) Layer lstm;"), "PTFLOPS_ATEN_MACS"));
        // Two bidirectional layers of LSTM(64, 32) on 1x10x64: 501,760 printed
        assertEquals(501_760, figure(net("@Model(input = {10, 64}, layout = \"L,D\")",
                "@LSTM(hiddenSize = 32, numLayers = 2, bidirectional = true, batchFirst = true) Layer lstm;"), "PTFLOPS_ATEN_MACS"));
        Compilation cell = net("@Model(input = {32}, batch = 3)", "@LSTMCell(hiddenSize = 64) Layer cell;");
        assertEquals(75_264, figure(cell, "PTFLOPS_ATEN_MACS"));
    }

    @Test
    void toolsThatFindARuleByExactTypeCountNothingForASubclass() {
        // torchvision 0.14's Conv3DSimple(nn.Conv3d) (r3d_18's residual convolutions): 8 x 3x3x3 over 3 channels, padding 1, no bias,
        // on 1x3x4x8x8. MACs 8 x 4 x 8 x 8 x 81 = 165,888, parameters 648. Measured: thop 0 MACs and 0 parameters, nni 0 and 0,
        // ptflops' pytorch backend 0 (648 parameters: it sums every parameter), its aten backend, fvcore and torchinfo 165,888.
        Compilation compilation = net("@Model(input = {3, 4, 8, 8})", "@Subclass(\"Conv3DSimple\") @Conv3d(cout = 8, k = 3, padding = 1, bias = false) Layer conv;");
        assertEquals(165_888, figure(compilation, "MACS"));
        for (String zero : new String[] {"THOP_MACS", "THOP_PARAMS", "NNI_FLOPS", "NNI_PARAMS", "NNI_FULL_FLOPS", "NNI_FULL_PARAMS", "PTFLOPS_MACS",
                "PTFLOPS_NOFUNC_MACS"}) {
            assertEquals(0, figure(compilation, zero), zero);
        }
        assertEquals(648, figure(compilation, "PTFLOPS_PARAMS"));
        for (String seen : new String[] {"PTFLOPS_ATEN_MACS", "FVCORE_FLOPS", "TORCHINFO_MULT_ADDS"}) {
            assertEquals(165_888, figure(compilation, seen), seen);
        }
        assertTrue(generated(compilation, "test.NetCost").contains("thop finds a module's rule by its exact type, and has none for Conv3DSimple, "
                + "a subclass of Conv3d"));
    }

    @Test
    void torchinfoPicksItsRuleByTheSubclasssName() {
        // torchinfo's LayerInfo.calculate_macs (layer_info.py, 5c4164f and v1.8.0): a weight or bias times prod(output_size[:1] +
        // output_size[2:]) where "Conv" is in the class's name, prod(output_size[:-1]) where "Linear" is (output_size[0] in v1.8.0),
        // else output_size[0]. nn.Linear(12, 8) on (2, 5, 12), 104 parameters: as Linear 104 x 2 x 5 = 1,040 (v1.8.0 104 x 2 = 208);
        // as class Dense(nn.Linear) 104 x 2 = 208 in both; as class MyConv(nn.Linear) 104 x prod([2] + [8]) = 1,664 in both.
        String linear = "@Linear(out = 8) Layer fc;";
        Compilation base = net("@Model(input = {5, 12}, batch = 2)", linear);
        assertEquals(1_040, figure(base, "TORCHINFO_MULT_ADDS"));
        assertEquals(208, figure(base, "TORCHINFO_V180_MULT_ADDS"));
        Compilation dense = net("@Model(input = {5, 12}, batch = 2)", "@Subclass(\"Dense\") " + linear);
        assertEquals(208, figure(dense, "TORCHINFO_MULT_ADDS"));
        assertEquals(208, figure(dense, "TORCHINFO_V180_MULT_ADDS"));
        Compilation conv = net("@Model(input = {5, 12}, batch = 2)", "@Subclass(\"MyConv\") " + linear);
        assertEquals(1_664, figure(conv, "TORCHINFO_MULT_ADDS"));
        assertEquals(1_664, figure(conv, "TORCHINFO_V180_MULT_ADDS"));
        // timm's Conv2dSame(nn.Conv2d) is counted as the convolution it is: 4 x 3 x 3 x 3 + 4 = 112 parameters x 2 x 6 x 6 = 8,064
        String conv2d = "@Conv2d(cout = 4, k = 3) Layer conv;";
        assertEquals(8_064, figure(net("@Model(input = {3, 8, 8}, batch = 2)", "@Subclass(\"Conv2dSame\") " + conv2d), "TORCHINFO_MULT_ADDS"));
        assertEquals(8_064, figure(net("@Model(input = {3, 8, 8}, batch = 2)", conv2d), "TORCHINFO_MULT_ADDS"));
    }

    @Test
    void ptflopsCountsTorchMatmulButNotTheAtOperator() {
        // ptflops 0.7.6 (pytorch backend, count_functional=True) on Linear(32, 32) then q times its transpose, x of 1 x 16 x 32: 25,088
        // written torch.matmul(q, q.transpose(-2, -1)) (the linear layer's 16,384 and its 512 bias adds, the product's 8,192), 16,896
        // written q @ q.transpose(-2, -1), which it does not wrap. modelcost's own MACs are the same either way.
        String header = "@Model(input = {16, 32}, layout = \"L,D\")";
        String fields = "@Linear(out = 32) Layer q; @From({\"q\", \"q\"}) @MatMul(transposeB = true%s) Layer scores;";
        Compilation matmul = net(header, fields.formatted(""));
        Compilation operator = net(header, fields.formatted(", operator = true"));
        assertEquals(25_088, figure(matmul, "PTFLOPS_MACS"));
        assertEquals(16_896, figure(operator, "PTFLOPS_MACS"));
        assertEquals(figure(matmul, "MACS"), figure(operator, "MACS"));
    }

    @Test
    void theToolsThatRunWithoutGradientsFailOnABiaslessFastPathAttention() {
        // nn.MultiheadAttention(32, 4, bias=False, batch_first=True)(x, x, x) on torch.randn(1, 10, 32): under torch.no_grad()
        // PyTorch 1.13 raises "TypeError: _native_multi_head_attention(): argument 'qkv_bias' (position 7) must be Tensor, not
        // NoneType"; thop, nni and torchinfo run the model so and fail. ptflops and fvcore run it with gradients, off the fast path.
        String attention = "@MultiheadAttention(numHeads = 4, bias = false, batchFirst = true) Layer attn;";
        String source = generated(net("@Model(input = {10, 32}, layout = \"L,D\")", attention), "test.NetCost");
        for (String constant : new String[] {"THOP_MACS", "NNI_FLOPS", "NNI_FULL_FLOPS", "TORCHINFO_MULT_ADDS", "TORCHINFO_V180_MULT_ADDS"}) {
            assertTrue(source.contains(constant + "_UNAVAILABLE = \""), constant);
        }
        assertTrue(source.contains("argument 'qkv_bias' (position 7) must be Tensor, not NoneType"), source);
        assertTrue(!source.contains("PTFLOPS_MACS_UNAVAILABLE") && !source.contains("FVCORE_FLOPS_UNAVAILABLE"), source);
        // With a bias, or off the fast path (an odd number of heads), every tool runs.
        assertTrue(!generated(net("@Model(input = {10, 32}, layout = \"L,D\")", attention.replace("bias = false, ", "")), "test.NetCost")
                .contains("_UNAVAILABLE = \""));
        assertTrue(!generated(net("@Model(input = {10, 33}, layout = \"L,D\")", attention.replace("numHeads = 4", "numHeads = 3")), "test.NetCost")
                .contains("_UNAVAILABLE = \""));
    }

    @Test
    void torchinfoCountsATiedEmbeddingsTableAtEveryCall() {
        // nn.Embedding(50, 16) called on 6 source ids and again on 4 target ids (T5's shared): torchinfo 5c4164f and v1.8.0 both print
        // 1,600 mult-adds, the table's 800 weights at each call (batch 1), and 800 parameters.
        Compilation compilation = net("@Model(inputs = {@Input(name = \"src\", shape = {6}, tokens = true), "
                + "@Input(name = \"tgt\", shape = {4}, tokens = true)})",
                "@From(\"src\") @Embedding(numEmbeddings = 50, embeddingDim = 16) Layer shared;",
                "@From(\"tgt\") @Embedding(numEmbeddings = 50, embeddingDim = 16, tiedTo = \"shared\") Layer again;",
                "@Concat(value = {\"shared\", \"again\"}, dim = 1) Layer cat;");
        assertEquals(1_600, figure(compilation, "TORCHINFO_MULT_ADDS"));
        assertEquals(1_600, figure(compilation, "TORCHINFO_V180_MULT_ADDS"));
        assertEquals(800, figure(compilation, "TORCHINFO_PARAMS"));
    }

    @Test
    void aTransposedInputOfOnePositionIsContiguous() {
        // (2, 1, E).transpose(0, 1) is contiguous: a batch-first layer on one position runs its input product as addmm, bias
        // included, at any batch. Measured with ptflops' aten backend on PyTorch 1.13: nn.MultiheadAttention(16, 2,
        // batch_first=True) on torch.randn(2, 1, 16), 2,240 (MACs 2 x (4 x 256 + 2 x 16) = 2,112, biases 2 x (3 + 1) x 16 = 128);
        // nn.GRU(8, 16, batch_first=True) then nn.Linear(16, 4) on torch.randn(2, 1, 8), 2,632 (MACs 2 x (3 x 16 x 24 + 64) = 2,432,
        // biases 2 x 2 x 48 = 192, and the Linear's 2 x 4 = 8).
        assertEquals(2_240, figure(net("@Model(input = {1, 16}, layout = \"L,D\", batch = 2)",
                "@MultiheadAttention(numHeads = 2, batchFirst = true) Layer attn;"), "PTFLOPS_ATEN_MACS"));
        assertEquals(2_632, figure(net("@Model(input = {1, 8}, batch = 2)", "@GRU(hiddenSize = 16, batchFirst = true) Layer gru;",
                "@Linear(out = 4) Layer fc;"), "PTFLOPS_ATEN_MACS"));
    }

    @Test
    void learnedQueriesFedToABatchFirstAttentionAreNoContiguousProjection() {
        // DETR's object queries: a learned (10, 32) tensor expanded (or repeated) over a batch of 2 as the query of
        // nn.MultiheadAttention(32, 4, batch_first=True) on Linear(32, 32) of 30 positions. ptflops 0.7.6's aten backend printed
        // 266,240 either way: the transposed query is not contiguous, so its projection runs as matmul and an add (its 640 bias
        // additions not counted); the memory's projections and the linear layer count theirs.
        Compilation compilation = net("@Model(input = {30, 32}, batch = 2)", "@Linear(out = 32) Layer mem;",
                "@Parameter(shape = {10, 32}, layout = \"L,D\") Layer queries;",
                "@From({\"queries\", \"mem\", \"mem\"}) @MultiheadAttention(numHeads = 4, batchFirst = true) Layer attn;");
        assertEquals(266_240, figure(compilation, "PTFLOPS_ATEN_MACS"));
    }

    @Test
    void aMaskedAttentionsScoresRunAsBaddbmmWhichNeitherFvcoreNorTheAtenBackendCounts() {
        // nn.MultiheadAttention(64, 4, batch_first=True) with a causal attn_mask on 10 tokens: MACs 163,840 (projections)
        // + 6,400 (Q·Kᵀ) + 6,400 (A·V); fvcore printed 170,240 (no Q·Kᵀ), the aten backend 172,800 (no Q·Kᵀ, 40 · 64 biases)
        Compilation compilation = net("@Model(input = {10, 64}, layout = \"L,D\")",
                "@MultiheadAttention(numHeads = 4, batchFirst = true, isCausal = true) Layer attn;");
        assertEquals(176_640, figure(compilation, "MACS"));
        assertEquals(170_240, figure(compilation, "FVCORE_FLOPS"));
        assertEquals(172_800, figure(compilation, "PTFLOPS_ATEN_MACS"));
        // The kernels run dense whatever @Model(causal) counts: nn.MultiheadAttention(24, 3, batch_first=True) with a triu(-inf)
        // attn_mask on 7 tokens, then nn.Linear(24, 5). fvcore printed 18,144 (projections 16,128, A·V 1,176, the head 840) and the
        // aten backend 18,851 (28 x 24 projection biases and the head's 35 more), while modelcost's own MACs follow the convention.
        for (String causal : new String[] {"dense", "causal-exact", "causal-half"}) {
            Compilation masked = net("@Model(input = {7, 24}, layout = \"L,D\", causal = \"" + causal + "\")",
                    "@MultiheadAttention(numHeads = 3, batchFirst = true, isCausal = true) Layer attn;", "@Linear(out = 5) Layer head;");
            assertEquals(18_144, figure(masked, "FVCORE_FLOPS"), causal);
            assertEquals(18_851, figure(masked, "PTFLOPS_ATEN_MACS"), causal);
        }
    }

    /** The counters that hook modules (thop, nni, torchinfo) see a @FastPath network PyTorch does not fuse as the same unmarked. */
    private static void assertHookedAsUnmarked(Compilation marked, Compilation unmarked) {
        for (String counter : new String[] {"THOP_MACS", "NNI_FLOPS", "TORCHINFO_MULT_ADDS"}) {
            assertTrue(figure(marked, counter) > 0, counter);
            assertEquals(figure(unmarked, counter), figure(marked, counter), counter);
        }
    }
}
