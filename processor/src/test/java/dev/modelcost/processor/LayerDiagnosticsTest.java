package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.columnOf;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The diagnostics of recurrent layers, 1-D and 3-D convolutions and pooling, transposed
 * convolutions, resizing, pixel shuffles and padding, each on its element and attribute.
 */
class LayerDiagnosticsTest {

    @Test
    void mc302ABatchOrGroupNormOfATensorWithoutTheBatchIsRefusedAsPyTorchRefusesIt() {
        // PyTorch 1.13, p a Parameter: nn.BatchNorm1d(4)(p of 4 x 8) raises "running_mean should contain 8 elements not 4" (it takes
        // the first axis as the batch), nn.BatchNorm2d(4)(p of 4 x 5 x 6) "expected 4D input (got 3D input)", nn.GroupNorm(2, 4)(p of
        // 4 x 8) "Expected weight to be a vector of size equal to the number of channels in input", in eval() and train() alike;
        // nn.InstanceNorm1d(4) and nn.LayerNorm take it as it is.
        String[][] cases = {
            {"{4, 8}", "@BatchNorm1d Layer n;", "BatchNorm1d", "4x8 (L,D)"},
            {"{4, 5, 6}", "@BatchNorm2d Layer n;", "BatchNorm2d", "4x5x6 (C,H,W)"},
            {"{4, 8}", "@GroupNorm(numGroups = 2) Layer n;", "GroupNorm", "4x8 (L,D)"},
        };
        for (String[] c : cases) {
            expectOnly(model("@Model(input = " + c[0] + ")", "@Parameter(shape = " + c[0] + ") Layer p;", c[1], "@Add({\"input\", \"n\"}) Layer s;"),
                    "[MC302] n: " + c[2] + " takes a channels-first (with the batch) input, but the previous layer (p) produces shape " + c[3]
                            + " without the batch (fix: PyTorch takes the first axis of a tensor without the batch as its batch, and refuses it;",
                    c[1].substring(0, c[1].indexOf(' ')), 5);
        }
        ModelSources.compiled(model("@Model(input = {4, 8}, layout = \"C,L\")", "@Parameter(shape = {4, 8}) Layer p;", "@InstanceNorm1d Layer n;",
                "@Add({\"input\", \"n\"}) Layer s;"));
    }

    @Test
    void mc302RecurrentLayerOnAnImage() {
        String text = model("@Model(input = {3, 32, 32})", "@LSTM(hiddenSize = 64) Layer lstm;");
        expectOnly(text, "[MC302] lstm: LSTM takes a sequence L,D (steps, features) input, but the model input produces shape 3x32x32 (C,H,W)"
                + " (fix: reshape or permute it to steps x features first, e.g. an image's rows as steps)", "Layer lstm;", columnOf(text, "Layer lstm;", "@LSTM"));
    }

    @Test
    void mc302CellOnASequence() {
        String text = model("@Model(input = {35, 16})", "@GRUCell(hiddenSize = 8) Layer cell;");
        expectOnly(text, "[MC302] cell: GRUCell takes one step of F features input, but the model input produces shape 35x16 (L,D)"
                + " (fix: a sequence goes to GRU, or select one step first)", "Layer cell;", columnOf(text, "Layer cell;", "@GRUCell"));
    }

    @Test
    void mc302Conv3dOnAnImage() {
        String text = model("@Model(input = {3, 32, 32})", "@Conv3d(cout = 8, k = 3) Layer conv;");
        expectOnly(text, "[MC302] conv: Conv3d takes a channels-first C,D,H,W input, but the model input produces shape 3x32x32 (C,H,W)"
                + " (fix: a layer of 2 spatial axes may be meant, or the channels axis is missing)", "Layer conv;", columnOf(text, "Layer conv;", "@Conv3d"));
    }

    @Test
    void mc302BilinearOnASequence() {
        String text = model("@Model(input = {4, 50}, layout = \"C,L\")", "@Upsample(scaleFactor = 2, mode = \"bilinear\") Layer up;");
        expectOnly(text, "[MC302] up: Upsample takes a channels-first C,H,W (mode bilinear) input, but the model input produces shape 4x50 (C,L)",
                "Layer up;", columnAfter(text, "Layer up;", "mode = "));
    }

    /** nn.MultiheadAttention on a query of 12 features, a key of 7 and a value of {@code valueFeatures}, with {@code attributes}. */
    private static String crossAttention(int valueFeatures, String attributes) {
        return model("@Model(inputs = {@Input(name = \"q\", shape = {5, 12}), @Input(name = \"k\", shape = {8, 7}), @Input(name = \"v\", shape = {8, "
                + valueFeatures + "})})", "@From({\"q\", \"k\", \"v\"}) @MultiheadAttention(numHeads = 3" + attributes + ") Layer attn;");
    }

    @Test
    void mc323KeyFeaturesOtherThanTheDefaultKdim() {
        // kdim defaults to embedDim (12, the query's features); the key has 7: the fix writes kdim, it cannot remove it.
        String text = crossAttention(9, "");
        expectOnly(text, "[MC323] attn: MultiheadAttention takes kdim = 12, its default (embedDim), but the model input k produces 7 key features"
                + " (fix: set kdim = 7)", "Layer attn;", columnOf(text, "Layer attn;", "@MultiheadAttention"));
    }

    @Test
    void mc323ValueFeaturesOtherThanTheDefaultVdim() {
        String text = crossAttention(9, ", kdim = 7");
        expectOnly(text, "[MC323] attn: MultiheadAttention takes vdim = 12, its default (embedDim), but the model input v produces 9 value features"
                + " (fix: set vdim = 9)", "Layer attn;", columnOf(text, "Layer attn;", "@MultiheadAttention"));
    }

    @Test
    void mc323WrittenKdimOtherThanTheKeyFeatures() {
        String text = crossAttention(12, ", kdim = 6");
        expectOnly(text, "[MC323] attn: MultiheadAttention takes kdim = 6, but the model input k produces 7 key features (fix: set kdim = 7)",
                "Layer attn;", columnAfter(text, "Layer attn;", "kdim = "));
    }

    @Test
    void mc104WrittenFeaturesBelowOne() {
        // A written size that is checked against the inferred one must first be a size: -1 is not "another channel count".
        String text = model("@Model(input = {6, 4, 4, 4})", "@InstanceNorm3d(features = -1) Layer norm;");
        expectOnly(text, "[MC104] norm: InstanceNorm3d features must be at least 1, but is -1", "Layer norm;", columnAfter(text, "Layer norm;", "features = "));
    }

    @Test
    void mc104NormalizedShapeOfZero() {
        String text = model("@Model(input = {5, 6}, layout = \"L,D\")", "@LayerNorm(normalizedShape = {0}) Layer norm;");
        expectOnly(text, "[MC104] norm: LayerNorm normalizedShape must be at least 1, but is 0", "Layer norm;",
                columnAfter(text, "Layer norm;", "normalizedShape = "));
    }

    @Test
    void mc310ProjectionNotBelowTheHiddenSize() {
        String text = model("@Model(input = {35, 16})", "@LSTM(hiddenSize = 64, projSize = 64) Layer lstm;");
        expectOnly(text, "[MC310] lstm: LSTM projSize = 64 must be below hiddenSize = 64, as PyTorch requires (\"proj_size has to be smaller than hidden_size\")",
                "Layer lstm;", columnAfter(text, "Layer lstm;", "projSize = "));
    }

    @Test
    void mc310StateOutputOfAGru() {
        String text = model("@Model(input = {35, 16})", "@GRU(hiddenSize = 64, output = \"c_n\") Layer gru;");
        expectOnly(text, "[MC310] gru: GRU output = 'c_n' must be one of [output, h_n]", "Layer gru;", columnAfter(text, "Layer gru;", "output = "));
    }

    @Test
    void mc310PReLUSlopesNeitherOneNorTheChannels() {
        String text = model("@Model(input = {16, 5, 5})", "@PReLU(numParameters = 4) Layer act;");
        expectOnly(text, "[MC310] act: PReLU numParameters = 4 must be 1 or the input's channels (16", "Layer act;", columnAfter(text, "Layer act;", "numParameters = "));
    }

    @Test
    void mc310TransposedConvolutionPaddedAway() {
        String text = model("@Model(input = {8, 2, 2})", "@ConvTranspose2d(cout = 4, k = 1, padding = 1) Layer up;");
        expectOnly(text, "[MC310] up: ConvTranspose2d padding = 1 must be small enough to leave an output on the height axis", "Layer up;",
                columnAfter(text, "Layer up;", "padding = "));
    }

    @Test
    void mc305GroupsNotDividingAConv1d() {
        String text = model("@Model(input = {6, 40}, layout = \"C,L\")", "@Conv1d(cout = 8, k = 3, groups = 4) Layer conv;");
        expectOnly(text, "[MC305] conv: Conv1d groups = 4 does not divide the input channels = 6", "Layer conv;", columnAfter(text, "Layer conv;", "groups = "));
    }

    @Test
    void mc305GroupsNotDividingATransposedConvolution() {
        String text = model("@Model(input = {8, 5, 5})", "@ConvTranspose2d(cout = 6, k = 2, stride = 2, groups = 4) Layer up;");
        expectOnly(text, "[MC305] up: ConvTranspose2d groups = 4 does not divide cout = 6", "Layer up;", columnAfter(text, "Layer up;", "groups = "));
    }

    @Test
    void mc305GroupNormGroupsNotDividing() {
        String text = model("@Model(input = {30, 8, 8})", "@GroupNorm(numGroups = 8) Layer gn;");
        expectOnly(text, "[MC305] gn: GroupNorm numGroups = 8 does not divide the input channels = 30", "Layer gn;", columnAfter(text, "Layer gn;", "numGroups = "));
    }

    @Test
    void mc305PixelShuffleFactorNotDividingTheChannels() {
        String text = model("@Model(input = {6, 8, 8})", "@PixelShuffle(upscaleFactor = 2) Layer ps;");
        expectOnly(text, "[MC305] ps: PixelShuffle upscaleFactor\u00b2 = 4 does not divide the channels = 6", "Layer ps;", columnAfter(text, "Layer ps;", "upscaleFactor = "));
    }

    @Test
    void mc306MaxPool1dPaddingBeyondHalfTheWindow() {
        String text = model("@Model(input = {4, 37}, layout = \"C,L\")", "@MaxPool1d(k = 3, padding = 2) Layer pool;");
        expectOnly(text, "[MC306] pool: MaxPool1d padding 2 exceeds half the window 3", "Layer pool;", columnAfter(text, "Layer pool;", "padding = "));
    }

    @Test
    void mc318OutputPaddingNotBelowStrideOrDilation() {
        String text = model("@Model(input = {8, 5, 5})", "@ConvTranspose2d(cout = 4, k = 3, stride = 2, outputPaddingH = 2) Layer up;");
        expectOnly(text, "[MC318] up: ConvTranspose2d outputPaddingH = 2 must be smaller than the stride (2) or the dilation (1)", "Layer up;",
                columnAfter(text, "Layer up;", "outputPaddingH = "));
    }

    @Test
    void mc319UpsampleWithBothSizeAndScale() {
        String text = model("@Model(input = {3, 8, 8})", "@Upsample(size = {16, 16}, scaleFactor = 2) Layer up;");
        expectOnly(text, "[MC319] up: Upsample takes size or scaleFactor, not both (fix: give one of them, as F.interpolate takes one)", "Layer up;",
                columnAfter(text, "Layer up;", "scaleFactor = "));
    }

    @Test
    void mc319UpsampleWithoutATarget() {
        String text = model("@Model(input = {3, 8, 8})", "@Upsample(mode = \"bilinear\") Layer up;");
        expectOnly(text, "[MC319] up: Upsample needs size or scaleFactor", "Layer up;", columnOf(text, "Layer up;", "@Upsample"));
    }

    @Test
    void mc319UpsampleSizeForTheWrongAxes() {
        String text = model("@Model(input = {3, 8, 8, 8})", "@Upsample(size = {16, 16}) Layer up;");
        expectOnly(text, "[MC319] up: Upsample size = [16, 16] has 2 sizes for 3 spatial axes of 3x8x8x8 (C,T,H,W)", "Layer up;", columnAfter(text, "Layer up;", "size = "));
    }

    @Test
    void mc319UpsampleScaleThatLeavesNothing() {
        String text = model("@Model(input = {3, 8, 3})", "@Upsample(scaleFactor = 0.25) Layer up;");
        expectOnly(text, "[MC319] up: Upsample scaleFactor = 0.25 leaves no output on axis W of size 3 (floor(3 x 0.25) = 0)", "Layer up;",
                columnAfter(text, "Layer up;", "scaleFactor = "));
    }

    @Test
    void mc310UpsampleScaleThatIsNotFinite() {
        String text = model("@Model(input = {3, 8, 3})", "@Upsample(scaleFactor = Double.POSITIVE_INFINITY) Layer up;");
        // javac places a qualified name's value at its dot.
        expectOnly(text, "[MC310] up: Upsample scaleFactor = Infinity must be positive and finite", "Layer up;",
                columnAfter(text, "Layer up;", "scaleFactor = Double"));
    }

    @Test
    void mc320ReflectionPaddingAsLargeAsTheAxis() {
        String text = model("@Model(input = {3, 5, 6})", "@ReflectionPad2d(padding = {1, 6, 0, 0}) Layer pad;");
        expectOnly(text, "[MC320] pad: ReflectionPad2d padding = 6 on the W axis of size 6 must be below the size, as PyTorch's reflection stays inside the axis", "Layer pad;",
                columnAfter(text, "Layer pad;", "padding = "));
    }

    @Test
    void mc320CroppingAwayAWholeAxis() {
        String text = model("@Model(input = {2, 10}, layout = \"C,L\")", "@Pad(pad = {-4, -6}) Layer crop;");
        expectOnly(text, "[MC320] crop: Pad pad = -10 on the L axis of size 10 (the crop of both sides) leaves no element", "Layer crop;", columnAfter(text, "Layer crop;", "pad = "));
    }

    @Test
    void mc321InitialStateOfTheWrongShape() {
        String text = model("@Model(inputs = {@Input(name = \"seq\", shape = {35, 16}), @Input(name = \"h0\", shape = {1, 32})})",
                "@From({\"seq\", \"h0\"}) @GRU(hiddenSize = 64, numLayers = 2) Layer gru;");
        expectOnly(text, "[MC321] gru: GRU initial state h_0 must be 2x64 (num_layers x directions, H_out), but the model input h0 produces 1x32 (L,D)", "Layer gru;",
                columnOf(text, "Layer gru;", "@GRU"));
    }

    @Test
    void mc321ACellsStateIsOneVectorASample() {
        String text = model("@Model(input = {8}, batch = 3)", "@LSTMCell(hiddenSize = 16) Layer c;",
                "@From({\"input\", \"c.h\", \"c.c\"}) @LSTMCell(hiddenSize = 15) Layer c2;");
        expectOnly(text, "[MC321] c2: LSTMCell initial state h must be 15 (hidden_size), but field c.h (c) produces 16 (F) (fix: give the states as "
                + "PyTorch shapes them without the batch: (hidden_size), one vector a sample)", "Layer c2;", columnOf(text, "Layer c2;", "@LSTMCell"));
    }

    @Test
    void mc320ACropBeyondTheAxisEvenWherePaddingWouldRefillIt() {
        // PyTorch crops first: F.pad(x, (-6, 2)) on a length of 5 is an IndexError, not a length of 1.
        String text = model("@Model(input = {3, 5}, layout = \"C,L\")", "@ConstantPad1d(padding = {-6, 2}) Layer crop;");
        expectOnly(text, "[MC320] crop: ConstantPad1d padding = -6 on the L axis of size 5 (the crop of both sides) removes more than the axis "
                + "holds", "Layer crop;", columnAfter(text, "Layer crop;", "padding = "));
    }

    @Test
    void aCropOfAWholeAxisThatPaddingRefillsIsTaken() {
        // PyTorch 1.13: F.pad(torch.ones(1, 1, 3, 1), (1, -1)) and (2, -1) give widths 1 and 2, in constant and replicate mode alike.
        for (String pad : List.of("@ZeroPad2d(padding = {1, -1, 0, 0})", "@ReplicationPad2d(padding = {2, -1, 0, 0})")) {
            Compilation compilation = ModelSources.compiled(model("@Model(input = {1, 3, 1})", pad + " Layer pad;"));
            assertTrue(ModelSources.generated(compilation, "test.NetCost").contains("OUTPUT_SHAPE = \"1x1x3x" + (pad.contains("{1") ? 1 : 2) + "\""),
                    pad);
        }
    }

    @Test
    void mc211AnLstmGivenHWithoutC() {
        String text = model("@Model(inputs = {@Input(name = \"seq\", shape = {35, 16}), @Input(name = \"h0\", shape = {1, 32})})",
                "@From({\"seq\", \"h0\"}) @LSTM(hiddenSize = 32) Layer lstm;");
        expectOnly(text, "[MC211] lstm: LSTM takes 1 or 3 inputs (the input, then h and c together), got 2", "Layer lstm;", columnOf(text, "Layer lstm;", "@LSTM"));
    }

    @Test
    void mc310AvgPool3dWindowDeeperThanTheClip() {
        String text = model("@Model(input = {2, 2, 8, 8})", "@AvgPool3d(k = 3, stride = 1, padding = 1) Layer pool;");
        expectOnly(text, "[MC310] pool: AvgPool3d k = 3 must be at most the input's depth (2)", "Layer pool;", columnAfter(text, "Layer pool;", "k = "));
    }

    @Test
    void mc302InstanceNormOfOnePosition() {
        String text = model("@Model(input = {3, 1, 1})", "@InstanceNorm2d Layer norm;");
        expectOnly(text, "[MC302] norm: InstanceNorm2d takes more than one spatial element per channel (its own statistics) input", "Layer norm;",
                columnOf(text, "Layer norm;", "@InstanceNorm2d"));
    }

    @Test
    void mc302GroupNormOfOneValuePerGroup() {
        String text = model("@Model(input = {4})", "@GroupNorm(numGroups = 4) Layer norm;");
        expectOnly(text, "[MC302] norm: GroupNorm takes more than one value per group in the batch input", "Layer norm;", columnOf(text, "Layer norm;", "@GroupNorm"));
    }

    @Test
    void mc310RecurrentDropoutOutsideZeroToOne() {
        String text = model("@Model(input = {35, 16})", "@GRU(hiddenSize = 8, numLayers = 2, dropout = 1.5) Layer gru;");
        expectOnly(text, "[MC310] gru: GRU dropout = 1.5 must be from 0 to 1", "Layer gru;", columnAfter(text, "Layer gru;", "dropout = "));
    }

    @Test
    void mc310HardtanhBoundsReversed() {
        String text = model("@Model(input = {8})", "@Hardtanh(minVal = 1, maxVal = -1) Layer act;");
        expectOnly(text, "[MC310] act: Hardtanh maxVal = -1.0 must be above minVal = 1.0", "Layer act;", columnAfter(text, "Layer act;", "maxVal = "));
    }

    @Test
    void mc310CeluAlphaOfZero() {
        // PyTorch 1.13: nn.CELU(0.0)(torch.randn(2, 3)) raises "ZeroDivisionError: alpha cannot be 0 for CELU"; any other alpha runs.
        String text = model("@Model(input = {8})", "@CELU(alpha = 0) Layer act;");
        expectOnly(text, "[MC310] act: CELU alpha = 0.0 must be other than 0, as CELU divides by it (exp(x / alpha)) and PyTorch refuses it "
                + "(\"alpha cannot be 0 for CELU\")", "Layer act;", columnAfter(text, "Layer act;", "alpha = "));
        ModelSources.compiled(text.replace("alpha = 0", "alpha = -0.5"));
    }

    @Test
    void mc310AlignCornersInNearestMode() {
        String text = model("@Model(input = {3, 8, 8})", "@Upsample(scaleFactor = 2, alignCorners = false) Layer up;");
        expectOnly(text, "[MC310] up: Upsample alignCorners = false must be left out in mode nearest", "Layer up;", columnAfter(text, "Layer up;", "alignCorners = "));
    }

    @Test
    void mc310AFillValueInReflectMode() {
        String text = model("@Model(input = {3, 8, 8})", "@Pad(pad = {1, 1, 1, 1}, mode = \"reflect\", value = 3) Layer pad;");
        expectOnly(text, "[MC310] pad: Pad value = 3.0 must be left out in mode reflect", "Layer pad;", columnAfter(text, "Layer pad;", "value = "));
    }

    @Test
    void mc310DropoutRateAboveOne() {
        String text = model("@Model(input = {8})", "@Dropout(p = 1.5) Layer drop;");
        expectOnly(text, "[MC310] drop: Dropout p = 1.5 must be from 0 to 1, as PyTorch requires (\"dropout probability has to be between 0 and 1\")",
                "Layer drop;", columnAfter(text, "Layer drop;", "p = "));
    }

    @Test
    void mc310StochasticDepthOfAnUnknownMode() {
        String text = model("@Model(input = {8})", "@StochasticDepth(p = 0.1, mode = \"col\") Layer sd;");
        expectOnly(text, "[MC310] sd: StochasticDepth mode = 'col' must be one of [batch, row]", "Layer sd;", columnAfter(text, "Layer sd;", "mode = "));
    }

    @Test
    void mc310AttentionDropoutBelowZero() {
        String text = model("@Model(input = {10, 64})", "@MultiheadAttention(numHeads = 4, dropout = -0.1) Layer attn;");
        expectOnly(text, "[MC310] attn: MultiheadAttention dropout = -0.1 must be from 0 to 1", "Layer attn;", columnAfter(text, "Layer attn;", "dropout = "));
    }

    @Test
    void mc302RecurrentLayerOnChannelsFirstAudio() {
        String text = model("@Model(input = {80, 400}, layout = \"C,L\")", "@Conv1d(cout = 64, k = 3, padding = 1) Layer conv;",
                "@LSTM(hiddenSize = 32) Layer lstm;");
        expectOnly(text, "[MC302] lstm: LSTM takes a sequence L,D (steps, features) input, but the previous layer (conv) produces shape 64x400 (C,L)"
                + " (fix: transpose it to steps x features first (@Transpose), as PyTorch code does with x.transpose(1, 2))", "Layer lstm;",
                columnOf(text, "Layer lstm;", "@LSTM"));
        String transposed = model("@Model(input = {80, 400}, layout = \"C,L\")", "@Conv1d(cout = 64, k = 3, padding = 1) Layer conv;",
                "@Transpose Layer steps;", "@LSTM(hiddenSize = 32) Layer lstm;");
        com.google.testing.compile.CompilationSubject.assertThat(ModelSources.compile(ModelSources.source("test.Net", transposed))).succeeded();
    }

    @Test
    void mc302RecurrentLayerOnASequenceTransposedForAConvolution() {
        // x (B, 50, 16) -> x.transpose(1, 2) -> Conv1d -> GRU(16, 8): PyTorch raises "input.size(-1) must be equal to input_size.
        // Expected 16, got 50": the map is D,L, its steps still last.
        String text = model("@Model(input = {50, 16}, layout = \"L,D\")", "@Transpose Layer t;", "@Conv1d(cout = 16, k = 3, padding = 1) Layer conv;",
                "@GRU(hiddenSize = 8, batchFirst = true) Layer gru;");
        expectOnly(text, "[MC302] gru: GRU takes a sequence L,D (steps, features) input, but the previous layer (conv) produces shape 16x50 (D,L)"
                + " (fix: transpose it to steps x features first (@Transpose), as PyTorch code does with x.transpose(1, 2))", "Layer gru;",
                columnOf(text, "Layer gru;", "@GRU"));
        String back = model("@Model(input = {50, 16}, layout = \"L,D\")", "@Transpose Layer t;", "@Conv1d(cout = 16, k = 3, padding = 1) Layer conv;",
                "@Transpose Layer steps;", "@GRU(hiddenSize = 8, batchFirst = true) Layer gru;");
        com.google.testing.compile.CompilationSubject.assertThat(ModelSources.compile(ModelSources.source("test.Net", back))).succeeded();
    }

    @Test
    void mc153AChannelsFirstLayerOnAModelInputOfDefaultLayout() {
        // PyTorch: nn.Conv1d(40, 64, 3, padding=1) on x of (1, 40, 200), then nn.GRU(200, 128, batch_first=True) runs, its 64 channels
        // read as 64 steps. The input, declared {40, 200} without a layout, is a sequence L,D: 40 steps of 200 features.
        String text = model("@Model(input = {40, 200})", "@Conv1d(cout = 64, k = 3, padding = 1) Layer conv;",
                "@GRU(hiddenSize = 128, batchFirst = true) Layer gru;");
        Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", text));
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation).hadWarningContaining("[MC153] Net: conv (Conv1d) takes the model input as channels first (40 channels of 200 "
                + "positions), but the input declares no layout, and a 2-D input is a sequence L,D by default (40 steps of 200 features): a recurrent "
                + "layer or attention after it would read its channels as steps, with no error, as PyTorch would (fix: declare the input's layout: "
                + "layout = \"C,L\" where its first axis holds channels").inFile(ModelSources.source("test.Net", text)).onLineContaining("@Model");
        // Declared either way, nothing is said: as C,L the GRU is refused (MC302), as L,D the steps are meant as channels.
        assertThat(ModelSources.compile(ModelSources.source("test.Net", text.replace("{40, 200})", "{40, 200}, layout = \"L,D\")")))).hadWarningCount(0);
        assertThat(ModelSources.compile(ModelSources.source("test.Net", text.replace("{40, 200})", "{40, 200}, layout = \"C,L\")")))).failed();
        // On the model's input, where the layout is missing, and suppressed there, as Java's own warnings are; a layer inside a block is
        // named by its path.
        assertThat(ModelSources.compile(ModelSources.source("test.Net", text.replace("@Model", "@SuppressWarnings(\"MC153\")\n@Model")))).hadWarningCount(0);
        String inBlock = model("@Model(input = {40, 200})", "Inner inner;", "@GRU(hiddenSize = 8, batchFirst = true) Layer gru;",
                "@Block static class Inner { @Conv1d(cout = 64, k = 3, padding = 1) Layer conv; }");
        assertThat(ModelSources.compile(ModelSources.source("test.Net", inBlock))).hadWarningContaining("[MC153] Net: inner.conv (Conv1d) takes the "
                + "model input as channels first");
        // Beside another warning on the same layer: MC142 for a weights dtype on an InstanceNorm1d without weights
        Compilation both = ModelSources.compile(ModelSources.source("test.Net", model("@Model(input = {40, 200})",
                "@Dtype(weights = \"int8\") @InstanceNorm1d Layer norm;")));
        assertThat(both).hadWarningContaining("[MC153] Net: norm (InstanceNorm1d)");
        assertThat(both).hadWarningContaining("[MC142]");
        // A batch norm per channel too; not after a transpose, nor on one feature vector (F).
        String norm = model("@Model(input = {40, 200})", "@BatchNorm1d Layer bn;");
        assertThat(ModelSources.compile(ModelSources.source("test.Net", norm))).hadWarningContaining("[MC153] Net: bn (BatchNorm1d) takes the model "
                + "input as channels first (40 channels of 200 positions)");
        assertThat(ModelSources.compile(ModelSources.source("test.Net", model("@Model(input = {40, 200})", "@Transpose Layer t;",
                "@Conv1d(cout = 64, k = 3) Layer conv;")))).hadWarningCount(0);
        assertThat(ModelSources.compile(ModelSources.source("test.Net", model("@Model(input = {40})", "@BatchNorm1d Layer bn;")))).hadWarningCount(0);
        // In a model of several inputs, the input is named, and an @Input that declares its layout is not.
        String two = model("@Model(inputs = {@Input(name = \"a\", shape = {40, 200}), @Input(name = \"b\", shape = {40, 200}, layout = \"C,L\")})",
                "@From(\"a\") @Conv1d(cout = 8, k = 3) Layer ca;", "@From(\"b\") @Conv1d(cout = 8, k = 3) Layer cb;",
                "@Concat(value = {\"ca\", \"cb\"}, dim = 1) Layer both;");
        Compilation twoInputs = ModelSources.compile(ModelSources.source("test.Net", two));
        assertThat(twoInputs).hadWarningCount(1);
        assertThat(twoInputs).hadWarningContaining("[MC153] Net: ca (Conv1d) takes the model input a as channels first").inFile(
                ModelSources.source("test.Net", two)).onLineContaining("@Model");
    }
}
