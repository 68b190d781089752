package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Single layers of the recurrent, 1-D, 3-D, transposed, resampling, padding and normalisation
 * kinds against PyTorch: each case written in the DSL, compiled, and its output shape, parameters,
 * buffers, MACs and FLOPs compared with the numbers PyTorch gives.
 *
 * <p>Source of the numbers, copied here so the build needs no other file: {@code
 * tools/pytorch/layer-costs.tsv}, produced by {@code /usr/bin/python3 tools/pytorch/measure_layers.py
 * --out-dir tools/pytorch} (torch 1.13 from Debian; eval mode; MACs and FLOPs counted on the aten
 * operators that run: convolutions, mm/addmm; FLOPs = (2K − 1) per output of each product plus the
 * bias adds; transposed convolutions 2·MACs less the outputs that receive a product, plus the bias
 * adds). Its notes column holds each PyTorch constructor, repeated in the comment of each row here.
 * The padding rows from {@code pad_reflect_negative} on are output shapes PyTorch 1.13 gives for
 * the same call, e.g. {@code F.pad(torch.randn(1, 3, 5), (-1, 0), 'reflect').shape == (1, 3, 4)};
 * the last two read the batch as the channels of an unbatched input, as PyTorch does.
 */
class LayerCasesTest {

    /** case | @Model attributes | fields | output shape | params | buffers | MACs | FLOPs. */
    private static final String CASES = """
            conv1d_odd | input = {5, 101}, layout = "C,L" | @Conv1d(cout = 12, k = 7, stride = 3, padding = 2, dilation = 2) Layer c; | 1x12x31 | 432 | 0 | 13020 | 26040
            conv3d_odd | input = {3, 7, 15, 13}, layout = "C,D,H,W" | @Conv3d(cout = 8, kd = 3, kh = 5, kw = 3, strideH = 2, strideW = 2, paddingD = 1, paddingH = 2, paddingW = 1) Layer c; | 1x8x7x8x7 | 1088 | 0 | 423360 | 846720
            conv1d_groups_batch2 | input = {16, 50}, layout = "C,L", batch = 2 | @Conv1d(cout = 32, k = 5, padding = 2, groups = 4) Layer c; | 2x32x50 | 672 | 0 | 64000 | 128000
            conv3d_groups_nobias | input = {4, 9, 10, 11} | @Conv3d(cout = 8, k = 3, stride = 2, padding = 1, groups = 2, bias = false) Layer c; | 1x8x5x5x6 | 432 | 0 | 64800 | 128400
            convtranspose1d | input = {6, 11}, layout = "C,L" | @ConvTranspose1d(cout = 10, k = 3, stride = 2, padding = 1, outputPadding = 1, groups = 2, dilation = 2) Layer c; | 1x10x24 | 100 | 0 | 990 | 2100
            convtranspose2d | input = {6, 7, 9} | @ConvTranspose2d(cout = 10, k = 3, stride = 2, padding = 1, outputPadding = 1, groups = 2, dilation = 2) Layer c; | 1x10x16x20 | 280 | 0 | 17010 | 36420
            convtranspose3d | input = {6, 5, 7, 6} | @ConvTranspose3d(cout = 10, k = 3, stride = 2, padding = 1, outputPadding = 1, groups = 2, dilation = 2) Layer c; | 1x10x12x16x14 | 820 | 0 | 170100 | 363720
            convtranspose2d_k4s2_nobias | input = {8, 5, 7} | @ConvTranspose2d(cout = 6, k = 4, stride = 2, padding = 1, bias = false) Layer c; | 1x6x10x14 | 768 | 0 | 26880 | 52920
            convtranspose2d_k1s3_gaps | input = {4, 5, 5} | @ConvTranspose2d(cout = 4, k = 1, stride = 3) Layer c; | 1x4x13x13 | 20 | 0 | 400 | 1376
            convtranspose3d_outpad | input = {4, 3, 5, 6} | @ConvTranspose3d(cout = 6, kd = 2, kh = 3, kw = 3, strideH = 2, strideW = 2, paddingH = 1, paddingW = 1, outputPaddingH = 1, outputPaddingW = 1) Layer c; | 1x6x4x10x12 | 438 | 0 | 38880 | 77760
            whisper_tiny_stem | input = {80, 3000}, layout = "C,L" | @Conv1d(cout = 384, k = 3, padding = 1) Layer c1; @GELU Layer g; @Conv1d(cout = 384, k = 3, stride = 2, padding = 1) Layer c2; | 1x384x1500 | 535296 | 0 | 940032000 | 1880064000
            lstmcell | input = {32}, batch = 3 | @LSTMCell(hiddenSize = 64) Layer cell; | 3x64 | 25088 | 0 | 73728 | 147456
            grucell | input = {32}, batch = 3 | @GRUCell(hiddenSize = 64) Layer cell; | 3x64 | 18816 | 0 | 55296 | 110592
            rnncell_relu | input = {32}, batch = 3 | @RNNCell(hiddenSize = 64, nonlinearity = "relu") Layer cell; | 3x64 | 6272 | 0 | 18432 | 36864
            gru_nobias_L1_uni | input = {35, 256}, batch = 4 | @GRU(hiddenSize = 512, bias = false, batchFirst = true) Layer gru; | 4x35x512 | 1179648 | 0 | 165150720 | 329871360
            lstm_proj32_L3_bi | input = {9, 64}, batch = 2 | @LSTM(hiddenSize = 128, numLayers = 3, bidirectional = true, projSize = 32, batchFirst = true) Layer lstm; | 2x9x64 | 325632 | 0 | 5750784 | 11498112
            lstm_L2_bi | input = {35, 256}, batch = 4 | @LSTM(inputSize = 256, hiddenSize = 512, numLayers = 2, bidirectional = true) Layer lstm; | 4x35x1024 | 9453568 | 0 | 1321205760 | 2642411520
            rnn_L2_uni | input = {35, 256}, batch = 4 | @RNN(hiddenSize = 512, numLayers = 2) Layer rnn; | 4x35x512 | 919552 | 0 | 128450560 | 256901120
            maxpool1d | input = {4, 37}, layout = "C,L" | @MaxPool1d(k = 3, stride = 2, padding = 1) Layer p; | 1x4x19 | 0 | 0 | 0 | 0
            maxpool3d | input = {4, 9, 15, 13} | @MaxPool3d(kd = 2, kh = 3, kw = 3, stride = 2, paddingH = 1, paddingW = 1) Layer p; | 1x4x4x8x7 | 0 | 0 | 0 | 0
            maxpool2d_dilation_per_axis | input = {3, 16, 16} | @MaxPool2d(k = 3, dilationW = 2) Layer p; | 1x3x5x4 | 0 | 0 | 0 | 0
            maxpool3d_dilation_per_axis | input = {2, 5, 9, 8} | @MaxPool3d(k = 2, stride = 1, dilationH = 3, dilationW = 2) Layer p; | 1x2x4x6x6 | 0 | 0 | 0 | 0
            avgpool1d_ceil | input = {3, 50}, layout = "C,L" | @AvgPool1d(k = 4, stride = 3, padding = 2, ceilMode = true) Layer p; | 1x3x18 | 0 | 0 | 0 | 0
            avgpool3d | input = {2, 7, 9, 11} | @AvgPool3d(k = 3, stride = 2, padding = 1) Layer p; | 1x2x4x5x6 | 0 | 0 | 0 | 0
            adaptiveavgpool1d | input = {3, 50}, layout = "C,L" | @AdaptiveAvgPool1d(7) Layer p; | 1x3x7 | 0 | 0 | 0 | 0
            adaptiveavgpool3d_none | input = {2, 7, 9, 11} | @AdaptiveAvgPool3d(d = 2, w = 5) Layer p; | 1x2x2x9x5 | 0 | 0 | 0 | 0
            adaptivemaxpool1d | input = {3, 50}, layout = "C,L" | @AdaptiveMaxPool1d(6) Layer p; | 1x3x6 | 0 | 0 | 0 | 0
            adaptivemaxpool2d | input = {8, 23, 19} | @AdaptiveMaxPool2d(h = 5, w = 7) Layer p; | 1x8x5x7 | 0 | 0 | 0 | 0
            adaptivemaxpool3d | input = {2, 7, 9, 11} | @AdaptiveMaxPool3d(d = 3, h = 4, w = 5) Layer p; | 1x2x3x4x5 | 0 | 0 | 0 | 0
            batchnorm1d | input = {20, 9}, layout = "C,L", batch = 3 | @BatchNorm1d Layer bn; | 3x20x9 | 40 | 40 | 0 | 0
            batchnorm3d | input = {4, 3, 5, 6} | @BatchNorm3d Layer bn; | 1x4x3x5x6 | 8 | 8 | 0 | 0
            groupnorm | input = {64, 15, 17} | @GroupNorm(numGroups = 8) Layer gn; | 1x64x15x17 | 128 | 0 | 0 | 0
            instancenorm2d | input = {64, 15, 17} | @InstanceNorm2d Layer n; | 1x64x15x17 | 0 | 0 | 0 | 0
            instancenorm2d_affine_tracked | input = {64, 15, 17} | @InstanceNorm2d(affine = true, trackRunningStats = true) Layer n; | 1x64x15x17 | 128 | 128 | 0 | 0
            instancenorm1d_affine | input = {6, 40}, layout = "C,L" | @InstanceNorm1d(affine = true) Layer n; | 1x6x40 | 12 | 0 | 0 | 0
            instancenorm3d | input = {4, 3, 5, 6} | @InstanceNorm3d Layer n; | 1x4x3x5x6 | 0 | 0 | 0 | 0
            prelu | input = {16, 5, 5} | @PReLU(numParameters = 16) Layer a; | 1x16x5x5 | 16 | 0 | 0 | 0
            upsample_nearest | input = {3, 17, 23} | @Upsample(scaleFactor = 2) Layer up; | 1x3x34x46 | 0 | 0 | 0 | 0
            upsample_bilinear | input = {3, 17, 23} | @Upsample(scaleFactor = 2, mode = "bilinear") Layer up; | 1x3x34x46 | 0 | 0 | 0 | 0
            upsample_bicubic_size | input = {3, 7, 9} | @Upsample(size = {10, 30}, mode = "bicubic", alignCorners = true) Layer up; | 1x3x10x30 | 0 | 0 | 0 | 0
            upsample_nearest_x1p5 | input = {2, 7, 9} | @Upsample(scaleFactor = 1.5) Layer up; | 1x2x10x13 | 0 | 0 | 0 | 0
            upsample_trilinear | input = {2, 3, 4, 5} | @Upsample(scaleFactor = 2, mode = "trilinear") Layer up; | 1x2x6x8x10 | 0 | 0 | 0 | 0
            upsample_linear | input = {2, 11}, layout = "C,L" | @Upsample(scaleFactor = 3, mode = "linear") Layer up; | 1x2x33 | 0 | 0 | 0 | 0
            pixelshuffle | input = {12, 9, 11} | @PixelShuffle(upscaleFactor = 2) Layer ps; | 1x3x18x22 | 0 | 0 | 0 | 0
            pixelunshuffle | input = {2, 9, 12} | @PixelUnshuffle(downscaleFactor = 3) Layer ps; | 1x18x3x4 | 0 | 0 | 0 | 0
            reflectionpad2d | input = {3, 5, 6} | @ReflectionPad2d(padding = {1, 2, 3, 0}) Layer pad; | 1x3x8x9 | 0 | 0 | 0 | 0
            replicationpad3d | input = {2, 3, 4, 5} | @ReplicationPad3d(padding = 2) Layer pad; | 1x2x7x8x9 | 0 | 0 | 0 | 0
            constantpad1d_negative | input = {2, 10}, layout = "C,L" | @ConstantPad1d(padding = {3, -1}, value = 0.5) Layer pad; | 1x2x12 | 0 | 0 | 0 | 0
            zeropad2d | input = {3, 4, 4} | @ZeroPad2d(padding = {0, 1, 2, 3}) Layer pad; | 1x3x9x5 | 0 | 0 | 0 | 0
            pad_reflect_negative | input = {3, 5}, layout = "C,L" | @Pad(pad = {-1, 0}, mode = "reflect") Layer pad; | 1x3x4 | 0 | 0 | 0 | 0
            pad_reflect_crop_and_pad | input = {3, 5}, layout = "C,L" | @Pad(pad = {3, -4}, mode = "reflect") Layer pad; | 1x3x4 | 0 | 0 | 0 | 0
            pad_replicate_negative | input = {3, 5}, layout = "C,L" | @Pad(pad = {-1, 5}, mode = "replicate") Layer pad; | 1x3x9 | 0 | 0 | 0 | 0
            reflectionpad2d_negative | input = {3, 5, 6} | @ReflectionPad2d(padding = {-1, 2, -3, 0}) Layer pad; | 1x3x2x7 | 0 | 0 | 0 | 0
            reflectionpad2d_unbatched | input = {5, 6}, layout = "H,W", batch = 4 | @ReflectionPad2d(padding = 2) Layer pad; | 4x9x10 | 0 | 0 | 0 | 0
            pad_reflect_unbatched | input = {3, 5}, layout = "H,W", batch = 2 | @Pad(pad = {1, 1, 1, 1}, mode = "reflect") Layer pad; | 2x5x7 | 0 | 0 | 0 | 0
            """;

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesPyTorch() {
        return CASES.strip().lines().map(line -> {
            String[] cells = line.split("\\|");
            String name = cells[0].strip();
            return DynamicTest.dynamicTest(name, () -> {
                Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", """
                        package test;

                        import dev.modelcost.*;

                        @Model(%s)
                        public class Net {
                            %s
                        }
                        """.formatted(cells[1].strip(), cells[2].strip())));
                assertThat(compilation).succeeded();
                assertEquals(cells[3].strip(), outputShape(compilation), "output shape");
                String[] figures = {"PARAMS", "BUFFERS", "MACS", "FLOPS"};
                for (int i = 0; i < figures.length; i++) {
                    assertEquals(Long.parseLong(cells[4 + i].strip()), ModelSources.constant(compilation, "test.NetCost", figures[i]), figures[i]);
                }
            });
        });
    }

    /**
     * A transposed convolution by hand: ConvTranspose2d(6, 10, k=3, stride=2, padding=1,
     * output_padding=1, groups=2, dilation=2) on 1x6x7x9.
     */
    @Test
    void normsTakePyTorchsEpsAndMomentumAtNoCost() {
        // nn.BatchNorm2d(8, eps=1e-3, momentum=0.01), nn.GroupNorm(2, 8, eps=1e-6), nn.InstanceNorm2d(8, eps=1e-3, affine=True):
        // 2 x 8 parameters each (48), whatever eps and momentum say: every figure as at PyTorch's defaults.
        String fields = "@BatchNorm2d(%s) Layer bn; @GroupNorm(numGroups = 2%s) Layer gn; @InstanceNorm2d(affine = true%s) Layer in_;";
        Compilation tuned = ModelSources.compiled(ModelSources.model("@Model(input = {8, 6, 6})",
                fields.formatted("eps = 1e-3, momentum = 0.01", ", eps = 1e-6", ", eps = 1e-3, momentum = 0.2")));
        Compilation plain = ModelSources.compiled(ModelSources.model("@Model(input = {8, 6, 6})", fields.formatted("", "", "")));
        assertEquals(48L, ModelSources.constant(tuned, "test.NetCost", "PARAMS"));
        for (String figure : new String[] {"PARAMS", "BUFFERS", "FLOPS", "OTHER_OPS", "PEAK_ACTIVATION_BYTES"}) {
            assertEquals(ModelSources.constant(plain, "test.NetCost", figure), ModelSources.constant(tuned, "test.NetCost", figure), figure);
        }
    }

    @Test
    void transposedConvolutionByHand() {
        Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", """
                package test;

                import dev.modelcost.*;

                @Model(input = {6, 7, 9})
                public class Net {
                    @ConvTranspose2d(cout = 10, k = 3, stride = 2, padding = 1, outputPadding = 1, groups = 2, dilation = 2) Layer up;
                }
                """));
        assertThat(compilation).succeeded();
        // Output: (in - 1)*2 - 2*1 + 2*(3 - 1) + 1 + 1 = 2*in + 2: 16 x 20.
        assertEquals("1x10x16x20", outputShape(compilation));
        // Each of the 6*7*9 = 378 input elements meets cout/groups * k*k = 5 * 9 = 45 weights.
        assertEquals(378L * 45, ModelSources.constant(compilation, "test.NetCost", "MACS"));
        // Weight cin x cout/groups x k x k = 6 * 5 * 9 = 270, bias 10.
        assertEquals(280, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        // Taps land on 2i + 2t - 1 (i < in, t < 3): the odd rows 1..2*in+3 that fit. Height 16: rows
        // 1, 3, ..., 15 (8 of 16); width 20: 1, ..., 19 (10 of 20); so 10 channels * 8 * 10 = 800
        // outputs receive a product. FLOPs = 2 * MACs - 800 + the bias on all 10*16*20 = 3,200.
        assertEquals(2L * 378 * 45 - 800 + 3200, ModelSources.constant(compilation, "test.NetCost", "FLOPS"));
    }

    /**
     * A GRU of 3 and of a million bidirectional layers, by hand (PyTorch: {@code sum(p.numel() for p in
     * nn.GRU(4, 4, num_layers=3, bidirectional=True).parameters()) == 912}); the deep one is costed in
     * closed form, layer 0 and the identical layers after it, not layer by layer.
     */
    @Test
    void deepRecurrentStacksInClosedForm() {
        // Per step and direction: layer 0 reads 4 features, 3 gates x 4 hidden: 12 x (4 + 4) = 96 MACs,
        // 12 x (4 + 4 + 2 biases) = 120 parameters, FLOPs 12 x 7 + 12 x 7 + 24 bias adds = 192. Each later
        // layer reads 2 x 4 features: 12 x (8 + 4) = 144 MACs, 168 parameters, 12 x 15 + 12 x 7 + 24 = 288 FLOPs.
        long[][] expected = {
            {3, 2 * (120 + 2 * 168), 5L * 2 * (96 + 2 * 144), 5L * 2 * (192 + 2 * 288)},
            {1_000_000, 2 * (120 + 999_999L * 168), 5L * 2 * (96 + 999_999L * 144), 5L * 2 * (192 + 999_999L * 288)},
        };
        assertEquals(912, expected[0][1]);
        for (long[] row : expected) {
            Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", """
                    package test;

                    import dev.modelcost.*;

                    @Model(input = {5, 4})
                    public class Net {
                        @GRU(hiddenSize = 4, numLayers = %d, bidirectional = true) Layer gru;
                    }
                    """.formatted(row[0])));
            assertThat(compilation).succeeded();
            assertEquals(row[1], ModelSources.constant(compilation, "test.NetCost", "PARAMS"), "params of " + row[0]);
            assertEquals(row[2], ModelSources.constant(compilation, "test.NetCost", "MACS"), "MACs of " + row[0]);
            assertEquals(row[3], ModelSources.constant(compilation, "test.NetCost", "FLOPS"), "FLOPs of " + row[0]);
        }
    }

    private static String outputShape(Compilation compilation) {
        try {
            String source = compilation.generatedSourceFile("test.NetCost").orElseThrow().getCharContent(false).toString();
            Matcher matcher = Pattern.compile("OUTPUT_SHAPE = \"([0-9x]+)\"").matcher(source);
            if (!matcher.find()) {
                throw new AssertionError("no OUTPUT_SHAPE in " + source);
            }
            return matcher.group(1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
