package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.closedForm;
import static dev.modelcost.processor.ModelSources.compile;
import static dev.modelcost.processor.ModelSources.compiled;
import static dev.modelcost.processor.ModelSources.constant;
import static dev.modelcost.processor.ModelSources.generated;
import static dev.modelcost.processor.ModelSources.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/**
 * A model that returns several tensors ({@code @Model(output = {"cls", "box"})}): each held until the model returns, listed in
 * {@code OUTPUT_NAMES} and {@code OUTPUTS} and the reports, none warned of as unread.
 *
 * <p>The peaks and parameter counts are PyTorch 1.13's, from {@code tools/pytorch/measure_multi_output.py} (its output is
 * {@code tools/pytorch/multi-output-peaks.tsv}): one eval, no_grad forward of the same modules, fp32, batch 1, the live bytes at
 * the ops' boundaries under {@code measure_memory.py}'s dispatch mode, the input included.
 */
class MultipleOutputsTest {

    /** {@code TwoHeads}: a box head written early, held while a wider branch computes the class scores; returns (cls, box). */
    private static final String[] TWO_HEADS = {
        "@Conv2d(cout = 16, k = 3, padding = 1) Layer conv;",
        "@ReLU Layer relu;",
        "@Conv2d(cout = 4, k = 1) Layer box;",
        "@Conv2d(cout = 64, k = 3, padding = 1) @From(\"relu\") Layer wide;",
        "@Conv2d(cout = 10, k = 1) Layer cls;"};

    /** {@code Pyramid}: a backbone returning its last three stages' maps, the widest last. */
    private static final String[] PYRAMID = {
        "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer stem;",
        "@ReLU(inplace = true) Layer relu;",
        "@Conv2d(cout = 32, k = 3, padding = 1) Layer layer2;",
        "@Conv2d(cout = 64, k = 3, stride = 2, padding = 1) Layer layer3;",
        "@Conv2d(cout = 256, k = 3, padding = 1) Layer layer4;"};

    @Test
    void aHeadWrittenEarlyIsHeldUntilTheModelReturns() {
        Compilation two = compiled(model("@Model(input = {3, 32, 32}, output = {\"cls\", \"box\"})", TWO_HEADS));
        assertThat(two).hadWarningCount(0);
        // PyTorch: 356,352 bytes while wide runs: the input (3x32x32x4 = 12,288), the ReLU's output (16x32x32x4 = 65,536), the box
        // head's (4x32x32x4 = 16,384) and wide's (64x32x32x4 = 262,144).
        assertEquals(356_352L, constant(two, "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        assertEquals(10_446L, constant(two, "test.NetCost", "PARAMS"));
        String source = generated(two, "test.NetCost");
        assertTrue(source.contains("OUTPUT_SHAPE = \"1x10x32x32\";"), source);
        assertTrue(source.contains("OUTPUT_NAMES = List.of(\"cls\", \"box\");"), source);
        assertTrue(source.contains("OUTPUTS = List.of(List.of(10, 32, 32), List.of(4, 32, 32));"), source);
        assertTrue(source.contains("outputs {@code cls 1x10x32x32, box 1x4x32x32}"), source);

        // The box head as a field nothing reads (its MC130 suppressed) is freed at once: 12,288 + 65,536 + 262,144 = 339,968.
        String[] unread = TWO_HEADS.clone();
        unread[2] = "@SuppressWarnings(\"MC130\") " + unread[2];
        Compilation one = compiled(model("@Model(input = {3, 32, 32}, output = \"cls\")", unread));
        assertEquals(339_968L, constant(one, "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        assertTrue(generated(one, "test.NetCost").contains("OUTPUT_NAMES = List.of(\"cls\");"));
    }

    @Test
    void aBackbonesFeatureMapsAreEachHeldWhileTheLaterStagesRun() {
        Compilation compilation = compiled(model("@Model(input = {3, 64, 64}, output = {\"layer4\", \"layer3\", \"layer2\"})", PYRAMID));
        assertThat(compilation).hadWarningCount(0);
        // PyTorch: 507,904 bytes while layer4 runs: the input (49,152), layer2's map (32x32x32x4 = 131,072), layer3's
        // (64x16x16x4 = 65,536) and layer4's (256x16x16x4 = 262,144).
        assertEquals(507_904L, constant(compilation, "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        assertEquals(168_768L, constant(compilation, "test.NetCost", "PARAMS"));
        assertTrue(generated(compilation, "test.NetCost").contains(
                "OUTPUTS = List.of(List.of(256, 16, 16), List.of(64, 16, 16), List.of(32, 32, 32));"));
        // The reports list every output; the graph names each one's tensor (the steps numbered from 0: layer2 is step 2).
        String json = report(compilation, "test.Net.json");
        assertTrue(json.contains("\"outputs\":[{\"name\":\"layer4\",\"shape\":[256,16,16]},{\"name\":\"layer3\",\"shape\":[64,16,16]},"
                + "{\"name\":\"layer2\",\"shape\":[32,32,32]}]"), json);
        assertTrue(json.contains("\"output\":4,\"outputs\":[4,3,2]}"), json);
        assertTrue(report(compilation, "test.Net.md").contains("outputs `layer4 1x256x16x16, layer3 1x64x16x16, layer2 1x32x32x32`"));
    }

    @Test
    void anotherResultOfALayerIsHeldToo() {
        // An LSTM encoder returning its projection and its final hidden state: out, (h_n, _) = lstm(x); return fc(out), h_n.
        // PyTorch: 34,048 bytes, parameters 25,738.
        Compilation compilation = compiled(model("@Model(input = {20, 32}, output = {\"fc\", \"lstm.h_n\"})",
                "@LSTM(hiddenSize = 64, batchFirst = true) Layer lstm;", "@Linear(out = 10) Layer fc;"));
        assertEquals(34_048L, constant(compilation, "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        assertEquals(25_738L, constant(compilation, "test.NetCost", "PARAMS"));
        assertTrue(generated(compilation, "test.NetCost").contains("OUTPUT_NAMES = List.of(\"fc\", \"lstm.h_n\");"));
    }

    @Test
    void aRecurrentStateIsPrintedWithItsBatchSecond() {
        // PyTorch's h_n and c_n are (num_layers * directions, N, H_out) whatever batch_first (torch.nn.LSTM's documentation): two
        // bidirectional layers at batch 3 give 4x3x64, and a LayerNorm over h_n keeps that layout.
        // h_n.sum(2), its hidden axis reduced, is (4, 3).
        Compilation compilation = compiled(model("@Model(input = {20, 32}, batch = 3, output = {\"fc\", \"lstm.h_n\", \"norm\", \"sum\"})",
                "@LSTM(hiddenSize = 64, numLayers = 2, bidirectional = true, batchFirst = true) Layer lstm;", "@Linear(out = 10) Layer fc;",
                "@From(\"lstm.c_n\") @LayerNorm(normalizedShape = {64}) Layer norm;", "@From(\"lstm.h_n\") @Sum(dim = {2}) Layer sum;"));
        String source = generated(compilation, "test.NetCost");
        assertTrue(source.contains("OUTPUT_SHAPE = \"3x20x10\";"), source);
        assertTrue(source.contains("outputs {@code fc 3x20x10, lstm.h_n 4x3x64, norm 4x3x64, sum 4x3}"), source);
        // The JSON report's shapes are without the batch; it says where the batch goes where it is not first.
        String json = report(compilation, "test.Net.json");
        assertTrue(json.contains("{\"name\":\"fc\",\"shape\":[20,10]}"), json);
        assertTrue(json.contains("{\"name\":\"lstm.h_n\",\"shape\":[4,64],\"batchSecond\":true}"), json);
        assertTrue(json.contains("{\"name\":\"sum\",\"shape\":[4],\"batchSecond\":true}"), json);
        // The layer table marks the norm's output so that LayerCost.outputShape puts the batch second too.
        assertTrue(source.contains("norm\\tLayerNorm\\t^4x64\\t"), source);
    }

    @Test
    void aStepInsideABlockFieldIsAnOutputByItsPath() {
        Compilation compilation = compiled(model("@Model(input = {3, 16, 16}, output = {\"head\", \"backbone.a\"})",
                "Stages backbone;", "@Conv2d(cout = 2, k = 1) Layer head;",
                "@Block public static class Stages {", "  @Conv2d(cout = 8, k = 3, padding = 1) Layer a;",
                "  @Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer b; }"));
        assertThat(compilation).hadWarningCount(0);
        assertTrue(generated(compilation, "test.NetCost").contains("OUTPUTS = List.of(List.of(2, 8, 8), List.of(8, 16, 16));"));
    }

    /** {@code test.Enc}: a model of its own that returns its middle field's output (and, with {@code %s}, more). */
    private static final String ENCODER = """
            package test;

            import dev.modelcost.*;

            @Model(input = {3, 16, 16}, output = %s)
            @Block
            public class Enc {
                @Conv2d(cout = 8, k = 3, padding = 1) Layer a;
                @Conv2d(cout = 16, k = 3, padding = 1) Layer mid;
                @Conv2d(cout = 4, k = 1) Layer tail;
            }
            """;

    private static final String OUTER = model("@Model(input = {3, 16, 16})", "Enc enc;", "@Conv2d(cout = 2, k = 1) Layer head;");

    @Test
    void aModelAppliedAsABlockReturnsWhatItsOutputNames() {
        // As its forward returns mid, the outer head reads 16 channels, not tail's 4: 16x16 positions x 2 x 16 MACs. The encoder's
        // own: a 16*16*8*27, mid 16*16*16*72, tail 16*16*4*16 (computed, its result dropped).
        Compilation compilation = compile(ModelSources.source("test.Enc", ENCODER.formatted("\"mid\"")),
                ModelSources.source("test.Net", OUTER));
        assertThat(compilation).succeeded();
        long encoder = 16L * 16 * (8 * 27 + 16 * 72 + 4 * 16);
        assertEquals(encoder + 16L * 16 * 2 * 16, constant(compilation, "test.NetCost", "MACS"));
        assertEquals(encoder, constant(compilation, "test.EncCost", "MACS"));
        // Peak: while mid runs, the input (3x16x16x4 = 3,072), a's output (8x16x16x4 = 8,192) and mid's (16x16x16x4 = 16,384);
        // while tail runs, a is gone: the input, mid's output (returned) and tail's (4,096), 23,552.
        assertEquals(3_072L + 8_192 + 16_384, constant(compilation, "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        // Several names: the block returns the first, and holds the others until it returns, as its tuple does: a (8x16x16x4 =
        // 8,192) is held while mid and tail run.
        Compilation two = compile(ModelSources.source("test.Enc", ENCODER.formatted("{\"mid\", \"a\"}")), ModelSources.source("test.Net", OUTER));
        assertThat(two).succeeded();
        assertEquals(encoder + 16L * 16 * 2 * 16, constant(two, "test.NetCost", "MACS"));
        assertEquals(3_072L + 8_192 + 16_384 + 4_096, constant(two, "test.NetCost", "PEAK_ACTIVATION_BYTES"));
    }

    @Test
    void aWrongNameOfAModelAppliedAsABlockIsAnErrorOnItsValue() {
        JavaFileObject encoder = ModelSources.source("test.Enc", ENCODER.formatted("\"nope\""));
        Compilation compilation = compile(encoder, ModelSources.source("test.Net", OUTER));
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[MC210] @Model(output): 'nope' names no earlier field or input").inFile(encoder)
                .onLineContaining("@Model");
    }

    @Test
    void aWrongResultOrPathOfAModelAppliedAsABlockIsAnErrorNotACrash() {
        String encoder = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8, 16}, layout = "L,D", output = {"%s"})
                @Block
                public class Enc {
                    @Linear(out = 16) Layer proj;
                    @LSTM(hiddenSize = 32, numLayers = 2, batchFirst = true) Layer enc;
                }
                """;
        String outer = model("@Model(input = {8, 16}, layout = \"L,D\")", "Enc e;", "@Linear(out = 10) Layer fc;");
        Compilation result = compile(ModelSources.source("test.Enc", encoder.formatted("enc.h_x")), ModelSources.source("test.Net", outer));
        assertThat(result).failed();
        assertThat(result).hadErrorContaining("[MC210] @Model(output): 'enc.h_x' names no earlier field or input; enc (LSTM) has no result "
                + "h_x, only output, h_n, c_n (fix: name one of its results) [in model test.Net, through its field e]");
        Compilation layer = compile(ModelSources.source("test.Enc", encoder.formatted("proj.x")), ModelSources.source("test.Net", outer));
        assertThat(layer).failed();
        assertThat(layer).hadErrorContaining("'proj.x' names no earlier field or input; proj is a layer, with no steps inside");
        // The class's own input, or a name given twice, refused for the model, is refused where it is applied too, on the applying
        // field: the outer model is not costed on a block that returned its input.
        Compilation input = compile(ModelSources.source("test.Enc", encoder.formatted("input")), ModelSources.source("test.Net", outer));
        assertThat(input).failed();
        assertThat(input).hadErrorContaining("[MC124] @Model(output = \"input\") is not one of the model's layers' results")
                .inFile(ModelSources.source("test.Net", outer)).onLineContaining("Enc e;");
        Compilation twice = compile(ModelSources.source("test.Enc", encoder.formatted("proj\", \"proj")), ModelSources.source("test.Net", outer));
        assertThat(twice).hadErrorContaining("[MC207] @Model(output): 'proj' is given twice");
        assertThat(twice).hadErrorContaining("[MC207] @Model(output): 'proj' is given twice").inFile(ModelSources.source("test.Net", outer))
                .onLineContaining("Enc e;");
        for (Compilation compilation : List.of(result, layer, input, twice)) {
            assertTrue(compilation.errors().stream().noneMatch(error -> error.getMessage(null).contains("MC901")), compilation.errors().toString());
        }
    }

    @Test
    void dimensionZeroOfARecurrentStateIsItsBatchHereAsEverywhere() {
        // h_n.mean(0) in PyTorch averages the layers; here h_n's dimensions count the batch first, as every tensor's.
        String text = model("@Model(input = {10, 8}, layout = \"L,D\", batch = 3)", "@RNN(hiddenSize = 6, numLayers = 2) Layer rnn;",
                "@From(\"rnn.h_n\") @Mean(dim = {0}) Layer mean;");
        ModelSources.expectOnly(text, "[MC311] mean: Mean dim = 0 is the batch, which every operation keeps, of an input of 3 dimensions "
                + "(batch included) (fix: name one of the other dimensions, 1 to 2 or -1 to -2; in a recurrent layer's state (h_n, c_n) the "
                + "batch is dimension 0 here as everywhere, so PyTorch's dimension 0 of h_n, its num_layers · directions, is dimension 1 "
                + "here (h_n.mean(0) is dim = 1; h_n.transpose(0, 1) is the tensor as written here, batch first))", "Layer mean;",
                ModelSources.columnAfter(text, "Layer mean;", "dim = "));
        Compilation fixed = compiled(text.replace("dim = {0}", "dim = {1}"));
        assertTrue(generated(fixed, "test.NetCost").contains("OUTPUT_SHAPE = \"3x6\";"));
    }

    @Test
    void anEmptyNameIsTheLastField() {
        // output = "" meant the last field before a model could name several, and still does.
        Compilation compilation = compiled(model("@Model(input = {3, 32, 32}, output = \"\")", TWO_HEADS));
        assertThat(compilation).hadWarningContaining("[MC130] Net: the output of field box is never read");
        assertTrue(generated(compilation, "test.NetCost").contains("OUTPUT_NAMES = List.of(\"cls\");"));
    }

    @Test
    void theHeldOutputsFollowTheSizes() {
        // With sizes, the peak's form holds the held maps: at 96 x 80 it equals the model compiled there.
        Compilation sized = compiled(model("@Model(input = {3, 64, 64}, output = {\"layer4\", \"layer3\", \"layer2\"}, sizes = {\"H\", \"W\"})",
                PYRAMID));
        Compilation there = compiled(model("@Model(input = {3, 96, 80}, output = {\"layer4\", \"layer3\", \"layer2\"})", PYRAMID));
        // by hand at 96 x 80: input 3x96x80x4 = 92,160; layer2 32x48x40x4 = 245,760; layer3 64x24x20x4 = 122,880; layer4
        // 256x24x20x4 = 491,520
        assertEquals(92_160L + 245_760 + 122_880 + 491_520, constant(there, "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        assertEquals(constant(there, "test.NetCost", "PEAK_ACTIVATION_BYTES"), closedForm(sized, "PEAK_ACTIVATION_BYTES", "H", "W").at(96, 80));
    }

    @Test
    void mc207ANameGivenTwice() {
        String text = model("@Model(input = {3, 32, 32}, output = {\"cls\", \"box\", \"cls\"})", TWO_HEADS);
        ModelSources.expectOnly(text, "[MC207] @Model(output): 'cls' is given twice", "@Model", ModelSources.columnOf(text, "@Model", "\"cls\"}") );
    }

    @Test
    void mc210ASecondNameThatIsNoField() {
        String text = model("@Model(input = {3, 32, 32}, output = {\"cls\", \"boxes\"})", TWO_HEADS);
        JavaFileObject file = ModelSources.source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[MC210] @Model(output): 'boxes' names no earlier field or input").inFile(file)
                .onLine(ModelSources.lineOf(file, "@Model")).atColumn(ModelSources.columnOf(text, "@Model", "\"boxes\""));
        assertThat(compilation).hadErrorContaining("did you mean 'box'");
    }

    @Test
    void everyWrongNameIsReportedOnItsValue() {
        String text = model("@Model(input = {3, 32, 32}, output = {\"cls\", \"boxes\", \"input\", \"cls\"})", TWO_HEADS);
        JavaFileObject file = ModelSources.source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorCount(3);
        long line = ModelSources.lineOf(file, "@Model");
        assertThat(compilation).hadErrorContaining("[MC210] @Model(output): 'boxes'").inFile(file).onLine(line)
                .atColumn(ModelSources.columnOf(text, "@Model", "\"boxes\""));
        assertThat(compilation).hadErrorContaining("[MC124] @Model(output = \"input\")").inFile(file).onLine(line)
                .atColumn(ModelSources.columnOf(text, "@Model", "\"input\""));
        assertThat(compilation).hadErrorContaining("[MC207] @Model(output): 'cls' is given twice").inFile(file).onLine(line)
                .atColumn(ModelSources.columnOf(text, "@Model", "\"cls\"}"));
    }

    @Test
    void mc124AnInputAmongTheOutputs() {
        String text = model("@Model(input = {3, 32, 32}, output = {\"cls\", \"input\"})", TWO_HEADS);
        ModelSources.expectOnly(text, "[MC124] @Model(output = \"input\") is not one of the model's layers' results",
                "@Model", ModelSources.columnOf(text, "@Model", "\"input\"}"));
    }

    @Test
    void aPathThatFailsInTheAnalysisIsReportedOnItsName() {
        String text = model("@Model(input = {3, 16, 16}, output = {\"head\", \"backbone.c\"})",
                "Stages backbone;", "@Conv2d(cout = 2, k = 1) Layer head;",
                "@Block public static class Stages {", "  @Conv2d(cout = 8, k = 3, padding = 1) Layer a;",
                "  @Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer b; }");
        JavaFileObject file = ModelSources.source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("backbone.c").inFile(file).onLineContaining("@Model");
    }

    /** A report the compilation wrote, as text. */
    private static String report(Compilation compilation, String name) {
        try {
            return compilation.generatedFile(StandardLocation.CLASS_OUTPUT, "META-INF/modelcost/" + name).orElseThrow()
                    .getCharContent(false).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
