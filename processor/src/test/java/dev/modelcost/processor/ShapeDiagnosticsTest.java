package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.columnOf;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.compile;
import static dev.modelcost.processor.ModelSources.model;
import static dev.modelcost.processor.ModelSources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The catalogue entries of shape inference, MC301 to MC309 (merges, MC307, are in
 * {@link CompositionDiagnosticsTest}): on the attribute at fault where the user wrote one, else on
 * the layer annotation.
 */
class ShapeDiagnosticsTest {

    /** A model on a 3x8x8 image whose only field is {@code field}. */
    private static String image(String field) {
        return """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Net {
                    %s
                }
                """.formatted(field);
    }

    @Test
    void mc301LinearInFeaturesDisagreeWithTheFlattenedInput() {
        // Flatten of 3x8x8 gives 192 features.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Net {
                    @Flatten Layer flatten;
                    @Linear(inFeatures = 100, out = 10) Layer fc;
                }
                """;
        expectOnly(text, "[MC301] fc: Linear expects inFeatures = 100 but the previous layer (flatten) produces 192 features"
                + " (fix: remove inFeatures to infer it, or fix the layer before)", "Layer fc;", columnAfter(text, "Layer fc;", "inFeatures = "));
    }

    @Test
    void mc301WrittenInWithPointsAtWith() {
        String text = image("@Conv2d(k = 1, with = \"cout = 8, cin = in + 1\") Layer conv;");
        expectOnly(text, "[MC301] conv: Conv2d expects cin = 4 but the model input produces 3 channels", "Layer conv;",
                columnAfter(text, "Layer conv;", "with = "));
    }

    @Test
    void mc302LinearOnAnImage() {
        String text = image("@Linear(out = 10) Layer fc;");
        expectOnly(text, "[MC302] fc: Linear takes an F, L,D or channels-last input, but the model input produces shape 3x8x8 (C,H,W)"
                + " (fix: add @Flatten before it, which gives 192 features, or permute the channels last)", "Layer fc;", columnOf(text, "Layer fc;", "@Linear"));
    }

    @Test
    void mc302ConvOnFeatures() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {64})
                public class Net {
                    @Conv2d(cout = 8, k = 3) Layer conv;
                }
                """;
        expectOnly(text, "[MC302] conv: Conv2d takes a C,H,W input, but the model input produces shape 64 (F)", "Layer conv;",
                columnOf(text, "Layer conv;", "@Conv2d"));
    }

    @Test
    void mc303LinearWithoutOut() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {64})
                public class Net {
                    @Linear Layer fc;
                }
                """;
        expectOnly(text, "[MC303] fc: Linear needs 'out'", "Layer fc;", columnOf(text, "Layer fc;", "@Linear"));
    }

    @Test
    void mc303ConvWithoutKernel() {
        String text = image("@Conv2d(cout = 8) Layer conv;");
        expectOnly(text, "[MC303] conv: Conv2d needs 'k', or 'kh' and its partner", "Layer conv;", columnOf(text, "Layer conv;", "@Conv2d"));
    }

    @Test
    void mc304KernelLargerThanThePaddedInput() {
        // 8 + 2 * 0 = 8 rows cannot hold a 9-row window.
        String text = image("@Conv2d(cout = 8, k = 9) Layer conv;");
        expectOnly(text, "[MC304] conv: Conv2d window 9 does not fit the padded input 8 on the height axis",
                "Layer conv;", columnAfter(text, "Layer conv;", "k = "));
    }

    @Test
    void mc304PointsAtTheDilationWhereTheKernelAloneWouldFit() {
        // {field, message, the text the caret follows}: a dilated window spans d * (k - 1) + 1 positions of the 8 of each axis.
        String[][] cases = {
            // kw = 3 at dilation 4 spans 9 columns; the height (kh = 1) fits, and so would kw = 3 undilated.
            {"@Conv2d(cout = 8, kh = 1, kw = 3, dilation = 4) Layer conv;", "[MC304] conv: Conv2d window 9 (a kernel of 3 at dilation 4) "
                + "does not fit the padded input 8 on the width axis", "dilation = "},
            // k = 9 at dilation 2 spans 17 rows; 9 rows alone already exceed 8: the kernel is at fault.
            {"@Conv2d(cout = 8, k = 9, dilation = 2) Layer conv;", "[MC304] conv: Conv2d window 17 (a kernel of 9 at dilation 2) "
                + "does not fit the padded input 8 on the height axis", "k = "},
            // MaxPool2d(3, dilation=4) spans 9 (PyTorch: "Output size is too small").
            {"@MaxPool2d(k = 3, dilation = 4) Layer conv;", "[MC304] conv: MaxPool2d window 9 (a kernel of 3 at dilation 4) "
                + "does not fit the padded input 8 on the height axis", "dilation = "},
            // In ceil mode a window may reach stride - 1 past the input: MaxPool2d(10, ceil_mode=True) gives 1 x 1 on 8 x 8, as PyTorch
            // does ((8 - 9 - 1 + 9) // 10 + 1 = 1), so the dilation (span 19) is at fault; the message says how far the window may reach.
            {"@MaxPool2d(k = 10, dilation = 2, ceilMode = true) Layer conv;", "[MC304] conv: MaxPool2d window 19 (a kernel of 10 at "
                + "dilation 2) does not fit the padded input 8 on the height axis, even with the 9 positions past its end that ceil mode "
                + "lets the last window take (fix: ", "dilation = "}};
        for (String[] each : cases) {
            String text = image(each[0]);
            expectOnly(text, each[1], "Layer conv;", columnAfter(text, "Layer conv;", each[2]));
        }
    }

    @Test
    void mc162AnInstanceNormWithoutWeightsOrStatisticsIgnoresItsFeatures() {
        // PyTorch 1.13: nn.InstanceNorm1d(4)(torch.randn(2, 6, 5)) runs, shape (2, 6, 5); with affine=True it raises "weight should
        // contain 12 elements not 8", with track_running_stats=True "running_mean should contain 12 elements not 8".
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {6, 5}, layout = "C,L", batch = 2)
                public class Net {
                    @InstanceNorm1d(features = 4) Layer norm;
                }
                """;
        javax.tools.JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningContaining("[MC162] norm: InstanceNorm1d features = 4, but its input has 6 channels: PyTorch ignores "
                + "features where affine and trackRunningStats are false, and normalises the channels it is given (fix: write features = 6, "
                + "or leave it out)").inFile(file).onLineContaining("features = 4");
        // The figures of the channels given: 5 ops an element (mean, variance, normalise) over 2 x 6 x 5, no parameters or buffers.
        assertEquals(300, ModelSources.constant(compilation, "test.NetCost", "OTHER_OPS"));
        assertEquals(0, ModelSources.constant(compilation, "test.NetCost", "PARAMS") + ModelSources.constant(compilation, "test.NetCost", "BUFFERS"));
        for (String held : List.of("affine = true", "trackRunningStats = true")) {
            String refused = text.replace("features = 4", "features = 4, " + held);
            expectOnly(refused, "[MC301] norm: InstanceNorm1d expects features = 4 but the model input produces 6 channels", "Layer norm;", columnAfter(refused, "Layer norm;", "features = "));
        }
        // Right for its own call, called again on 4 channels (@Shared): one warning, on features, with both counts.
        String shared = text.replace("@InstanceNorm1d(features = 4) Layer norm;", "@InstanceNorm1d(features = 6) Layer norm; "
                + "@Conv1d(cout = 4, k = 1) Layer c; @Shared(\"norm\") Layer again;");
        javax.tools.JavaFileObject twice = source("test.Net", shared);
        Compilation called = compile(twice);
        assertThat(called).succeeded();
        assertThat(called).hadWarningCount(1);
        assertThat(called).hadWarningContaining("[MC162] norm: InstanceNorm1d features = 6, but its input has 4 and 6 channels in its calls")
                .inFile(twice).onLineContaining("features = 6");
        assertThat(compile(twice)).hadWarningContaining("(fix: leave features out: no one value fits every call)");
        // A model that stops at an error after the norm is warned of it too, in its own compilation.
        javax.tools.JavaFileObject failing = source("test.Net", text.replace("Layer norm;", "Layer norm; @Linear(inFeatures = 7, out = 2) Layer fc;"));
        Compilation stopped = compile(failing);
        assertThat(stopped).hadErrorCount(1);
        assertThat(stopped).hadErrorContaining("[MC301] fc: Linear");
        assertThat(stopped).hadWarningContaining("[MC162] norm: InstanceNorm1d features = 4").inFile(failing).onLineContaining("features = 4");
    }

    @Test
    void mc162BatchNormWithoutStateRunsOnTheChannelsItIsGiven() {
        // PyTorch 1.13: nn.BatchNorm1d(5, affine=False, track_running_stats=False)(torch.randn(2, 6, 9)) runs in train and eval mode,
        // shape (2, 6, 9): it holds nothing per channel (BatchNorm3d alike); with affine=True it raises "weight should contain 6
        // elements not 5", with running statistics "running_mean should contain 6 elements not 5".
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {6, 9}, layout = "C,L", batch = 2)
                public class Net {
                    @BatchNorm1d(features = 5, affine = false, trackRunningStats = false) Layer bn;
                }
                """;
        javax.tools.JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningContaining("[MC162] bn: BatchNorm1d features = 5, but its input has 6 channels: PyTorch ignores "
                + "features where affine and trackRunningStats are false").inFile(file).onLineContaining("features = 5");
        // The batch's own statistics over the channels given: 5 ops an element over 2 x 6 x 9, no parameters or buffers.
        assertEquals(540, ModelSources.constant(compilation, "test.NetCost", "OTHER_OPS"));
        assertEquals(0, ModelSources.constant(compilation, "test.NetCost", "PARAMS") + ModelSources.constant(compilation, "test.NetCost", "BUFFERS"));
        String refused = text.replace("affine = false", "affine = true");
        expectOnly(refused, "[MC301] bn: BatchNorm1d expects features = 5 but the model input produces 6 channels", "Layer bn;",
                columnAfter(refused, "Layer bn;", "features = "));
        // A 3-D one alike, its channels first of C x D x H x W.
        String volume = text.replace("input = {6, 9}, layout = \"C,L\"", "input = {4, 3, 5, 5}").replace("BatchNorm1d(features = 5", "BatchNorm3d(features = 8");
        javax.tools.JavaFileObject cube = source("test.Net", volume);
        Compilation three = compile(cube);
        assertThat(three).succeeded();
        assertThat(three).hadWarningContaining("[MC162] bn: BatchNorm3d features = 8, but its input has 4 channels").inFile(cube)
                .onLineContaining("features = 8");
        assertEquals(5L * 2 * 4 * 3 * 5 * 5, ModelSources.constant(three, "test.NetCost", "OTHER_OPS"));
    }

    @Test
    void mc305GroupsNotDividingTheInputChannels() {
        String text = image("@Conv2d(cout = 8, k = 1, groups = 2) Layer conv;");
        expectOnly(text, "[MC305] conv: Conv2d groups = 2 does not divide the input channels = 3", "Layer conv;",
                columnAfter(text, "Layer conv;", "groups = "));
    }

    @Test
    void mc305GroupsNotDividingCout() {
        String text = image("@Conv2d(cout = 5, k = 1, groups = 3) Layer conv;");
        expectOnly(text, "[MC305] conv: Conv2d groups = 3 does not divide cout = 5", "Layer conv;",
                columnAfter(text, "Layer conv;", "groups = "));
    }

    @Test
    void mc308ChunkIndexBeyondTheChunksPyTorchMakes() {
        // 6 channels in chunks of ceil(6 / 4) = 2: PyTorch makes 3 chunks, not 4.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {6, 8, 8})
                public class Net {
                    @Chunk(chunks = 4, index = 3) Layer part;
                }
                """;
        expectOnly(text, "[MC308] part: index 3 is out of range for 3 chunks", "Layer part;", columnAfter(text, "Layer part;", "index = "));
    }

    @Test
    void mc305ChannelShuffleGroups() {
        String text = image("@ChannelShuffle(2) Layer shuffle;");
        expectOnly(text, "[MC305] shuffle: ChannelShuffle groups = 2 does not divide the input channels = 3", "Layer shuffle;",
                columnAfter(text, "Layer shuffle;", "@ChannelShuffle("));
    }

    @Test
    void mc306PoolPaddingOverHalfTheWindow() {
        String text = image("@MaxPool2d(k = 2, padding = 2) Layer pool;");
        expectOnly(text, "[MC306] pool: MaxPool2d padding 2 exceeds half the window 2", "Layer pool;",
                columnAfter(text, "Layer pool;", "padding = "));
    }

    @Test
    void mc306DilationDoesNotWidenTheAllowedPadding() {
        // PyTorch (ATen pool2d_shape_check) allows padding up to k / 2 = 1 here, not half the dilated window 5.
        String text = image("@MaxPool2d(k = 3, dilation = 2, padding = 2) Layer pool;");
        expectOnly(text, "[MC306] pool: MaxPool2d padding 2 exceeds half the window 3", "Layer pool;",
                columnAfter(text, "Layer pool;", "padding = "));
    }

    @Test
    void mc306AvgPoolPaddingOnOneAxis() {
        String text = image("@AvgPool2d(k = 3, paddingW = 2) Layer pool;");
        expectOnly(text, "[MC306] pool: AvgPool2d padding 2 exceeds half the window 3", "Layer pool;",
                columnAfter(text, "Layer pool;", "paddingW = "));
    }

    @Test
    void mc308ChunkIndexOutOfRange() {
        String text = image("@Chunk(chunks = 3, index = 3) Layer third;");
        expectOnly(text, "[MC308] third: index 3 is out of range for 3 chunks", "Layer third;", columnAfter(text, "Layer third;", "index = "));
    }

    @Test
    void mc309FlattenFromTheBatch() {
        String text = image("@Flatten(startDim = 0) Layer flatten;");
        expectOnly(text, "[MC309] flatten: Flatten(startDim = 0, endDim = -1) does not fit an input of 4 dimensions (batch included)",
                "Layer flatten;", columnAfter(text, "Layer flatten;", "startDim = "));
    }

    @Test
    void mc309FlattenPastTheLastDimension() {
        String text = image("@Flatten(endDim = 4) Layer flatten;");
        expectOnly(text, "[MC309] flatten: Flatten(startDim = 1, endDim = 4) does not fit an input of 4 dimensions", "Layer flatten;",
                columnAfter(text, "Layer flatten;", "endDim = "));
    }

    @Test
    void mc309FlattenDimensionsPastEitherEnd() {
        // PyTorch 1.13: nn.Flatten(3, -1) and nn.Flatten(1, -4) on a 1 x 4 x 6 tensor, "Dimension out of range (expected to be in range of
        // [-3, 2], but got 3)" (and -4): each dimension out of range, not a start after the end
        String start = model("@Model(input = {4, 6}, layout = \"L,D\")", "@Flatten(startDim = 3) Layer flatten;");
        expectOnly(start, "[MC309] flatten: Flatten(startDim = 3, endDim = -1) does not fit an input of 3 dimensions (batch included)",
                "Layer flatten;", columnAfter(start, "Layer flatten;", "startDim = "));
        String end = model("@Model(input = {4, 6}, layout = \"L,D\")", "@Flatten(endDim = -4) Layer flatten;");
        expectOnly(end, "[MC309] flatten: Flatten(startDim = 1, endDim = -4) does not fit an input of 3 dimensions (batch included)",
                "Layer flatten;", columnAfter(end, "Layer flatten;", "endDim = "));
    }

    @Test
    void aFlattenedAxisIsReadByTheNameItsLayoutGives() {
        // ViT's patch embedding: conv_proj to 8 x 4 x 4, x.flatten(2).transpose(1, 2) to 16 tokens of 8; a position embedding sized
        // by the tokens (shape = [tokens.L, tokens.D]) adds 16 * 8 buffer elements, and a Linear to as many features as tokens reads
        // x.L = 16: 16 * 8 * 16 MACs.
        String named = model("@Model(input = {3, 16, 16})", "@Conv2d(cout = 8, k = 4, stride = 4) Layer conv_proj;",
                "@Flatten(startDim = 2, layout = \"D,L\") Layer flat;", "@Transpose(dim0 = 1, dim1 = 2) Layer tokens;",
                "@Buffer(with = \"shape = [tokens.L, tokens.D]\") Layer pos;", "@Add({\"tokens\", \"pos\"}) Layer embedded;",
                "@Linear(with = \"out = x.L\") Layer fc;");
        Compilation compilation = compile(source("test.Net", named));
        assertThat(compilation).succeeded();
        assertEquals(16L * 8, ModelSources.constant(compilation, "test.NetCost", "BUFFERS"));
        assertEquals(4L * 4 * 8 * 48 + 16 * 8 * 16, ModelSources.constant(compilation, "test.NetCost", "MACS"));
        // Without the layout the axis is H*W, which no expression reads: the message says how to name it.
        String unnamed = named.replace(", layout = \"D,L\"", "");
        expectOnly(unnamed, "tokens has the axes H*W, C (a flattened axis, named by the axes it joins, is no name an expression reads: give the "
                + "flatten a layout, @Flatten(startDim = 2, layout = \"D,L\"), or reshape with one)", "Layer pos;",
                columnAfter(unnamed, "Layer pos;", "with = "));
        // A layout of another number of axes than the result has is refused on it.
        String wrong = named.replace("layout = \"D,L\"", "layout = \"D,H,W\"");
        expectOnly(wrong, "[MC310] flat: Flatten layout = 'D,H,W' must be 2 distinct axis names separated by commas", "Layer flat;",
                columnAfter(wrong, "Layer flat;", "layout = "));
    }

    @Test
    void mc120TheStateAxisIsNoNameALayoutWrites() {
        // The first axis of h_n and c_n, which PyTorch puts before the batch, is named layers: a written one would print as one.
        String text = model("@Model(input = {4, 16}, layout = \"layers,D\", batch = 2)", "@Linear(out = 8) Layer fc;");
        expectOnly(text, "[MC120] layout 'layers,D' of input does not name 2 distinct axes: 'layers' names a recurrent layer's state axis "
                + "(num_layers · directions), which PyTorch puts before the batch", "@Model", columnAfter(text, "@Model", "layout = "));
    }

    @Test
    void flattenThatStartsAfterItEndsIsRefusedOnStartDim() {
        // nn.Flatten(2, 1) on a 3-d input: "flatten() has invalid args: start_dim cannot come after end_dim" (PyTorch 1.13).
        String text = model("@Model(input = {10, 32}, layout = \"L,D\")", "@Flatten(startDim = 2, endDim = 1) Layer flatten;");
        expectOnly(text, "[MC310] flatten: Flatten startDim = 2 must be at or before endDim = 1 (dimension 1 of 3, batch included)", "Layer flatten;",
                columnAfter(text, "Layer flatten;", "startDim = "));
    }
}
