package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A later step reads another result of one call of a recurrent layer ({@code "enc.h_n"}), as PyTorch
 * code unpacks {@code out, (h_n, c_n) = lstm(x)}: the layer is counted once.
 */
class LayerResultsTest {

    /**
     * An LSTM encoder whose final states start the decoder, as a seq2seq model writes it. Each LSTM(256, 512, num_layers=2):
     * layer 0 has 4·512·(256 + 512) weights and 2·4·512 biases, 1,576,960; layer 1 4·512·(512 + 512) + 4,096, 2,101,248; 3,678,208
     * in all, and 4·512·768 + 4·512·1,024 = 3,670,016 MACs a step, 128,450,560 over 35 steps. The head: 512·1,000 + 1,000
     * parameters, 35·512·1,000 MACs.
     */
    @Test
    void aDecoderStartsFromTheEncodersFinalStatesAndTheEncoderCountsOnce() {
        Compilation compilation = ModelSources.compiled(ModelSources.model("@Model(input = {35, 256}, layout = \"L,D\")",
                "@LSTM(hiddenSize = 512, numLayers = 2) Layer enc;",
                "@From({\"input\", \"enc.h_n\", \"enc.c_n\"}) @LSTM(hiddenSize = 512, numLayers = 2) Layer dec;",
                "@Linear(out = 1000) Layer fc;"));
        assertThat(compilation).succeeded();
        assertEquals(2 * 3_678_208L + 513_000L, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(2 * 128_450_560L + 35L * 512 * 1000, ModelSources.constant(compilation, "test.NetCost", "MACS"));
    }

    @Test
    void aClassifierReadsTheLastLayersFinalHiddenState() {
        // GRU(64, 128, num_layers=2): h_n is 2 x 128 (the batch left out); h_n[-1] is the last layer's. The GRU alone has
        // 3·128·(64 + 128) + 2·3·128 + 3·128·(128 + 128) + 2·3·128 = 173,568 parameters; the head 128·10 + 10.
        Compilation compilation = ModelSources.compiled(ModelSources.model("@Model(input = {20, 64}, layout = \"L,D\")",
                "@GRU(hiddenSize = 128, numLayers = 2) Layer gru;",
                "@From(\"gru.h_n\") @Select(dim = 1, index = -1) Layer last;",
                "@Linear(out = 10) Layer fc;"));
        assertThat(compilation).succeeded();
        assertEquals(173_568L + 1_290L, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        // 3·H·(input + H) MACs a step and layer, over 20 steps; the head reads one state of 128.
        assertEquals(20L * 3 * 128 * (64 + 128) + 20L * 3 * 128 * (128 + 128) + 128 * 10, ModelSources.constant(compilation, "test.NetCost", "MACS"));
    }

    @Test
    void anLstmCellsTwoStatesComeFromOneCall() {
        // LSTMCell(32, 64): 4·64·(32 + 64) + 2·4·64 = 25,088 parameters, counted once though c is read too.
        Compilation compilation = ModelSources.compiled(ModelSources.model("@Model(input = {32}, layout = \"D\")",
                "@LSTMCell(hiddenSize = 64) Layer cell;",
                "@From(\"cell.c\") @Linear(out = 8) Layer fromC;",
                "@From(\"cell\") @Linear(out = 8) Layer fromH;"));
        assertThat(compilation).succeeded();
        assertEquals(25_088L + 2 * (64 * 8 + 8), ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
    }

    @Test
    void aResultOfALayerInsideABlockIsReadByItsPath() {
        // Enc's LSTM(32, 16): 4·16·(32 + 16) + 2·4·16 = 3,200 parameters, read as enc.lstm.h_n (1 x 16) by the head, 16·4 + 4.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {20, 32}, layout = "L,D")
                public class Net {
                    Enc enc;
                    @From("enc.lstm.h_n") @Linear(out = 4) Layer head;

                    @Block
                    static class Enc {
                        @LSTM(hiddenSize = 16) Layer lstm;
                    }
                }
                """;
        Compilation compilation = ModelSources.compiled(text);
        assertEquals(3_200L + 68L, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(20L * 4 * 16 * (32 + 16) + 16 * 4, ModelSources.constant(compilation, "test.NetCost", "MACS"));
    }

    @Test
    void readingHnByOutputOrByPathCostsTheSame() {
        // _, (h, _) = lstm(x); fc(h), written both ways. LSTM(32, 64) over 20 steps: 4·64·96 = 24,576 MACs a step, one step for a
        // decoding step, and fc's 64·4. Bytes at fp32: the input 20·32·4 = 2,560, the weights (24,576 + 512)·4 = 100,352, and every
        // result written, whichever is passed on: the output 20·64·4 = 5,120, h_n and c_n 256 each; fc reads h_n (256), its weights
        // (64·4 + 4)·4 = 1,040 and writes 16.
        for (String fields : List.of("@LSTM(hiddenSize = 64, output = \"h_n\") Layer enc;\n    @Linear(out = 4) Layer fc;",
                "@LSTM(hiddenSize = 64) Layer enc;\n    @From(\"enc.h_n\") @Linear(out = 4) Layer fc;")) {
            Compilation compilation = ModelSources.compiled(ModelSources.model("@Model(input = {20, 32}, layout = \"L,D\")", fields));
            assertEquals(24_576L + 256, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"), fields);
            assertEquals(2_560L + 100_352 + 5_120 + 256 + 256 + 256 + 1_040 + 16, ModelSources.constant(compilation, "test.NetCost", "BYTES_MOVED"),
                    fields);
            // While the LSTM runs, as PyTorch's native implementation: the input, the zero h_0 and c_0 (256 each), the input projection of
            // every step (20·256·4 = 20,480), the 20 step outputs (5,120) and their stack, the output (5,120), and the last cell state (256).
            assertEquals(2_560L + 256 + 256 + 20_480 + 5_120 + 5_120 + 256, ModelSources.constant(compilation, "test.NetCost", "PEAK_ACTIVATION_BYTES"),
                    fields);
        }
    }

    @Test
    void aResultReadByPathIsFollowedAtEverySize() {
        // A CNN front end strided by 2 before the LSTM: sizes off the lattice come from the size program, which follows h_n too.
        String generated = ModelSources.generated(ModelSources.compiled(ModelSources.model("@Model(input = {8, 64}, layout = \"C,L\", sizes = \"L\")",
                "@Conv1d(cout = 16, k = 3, stride = 2, padding = 1) Layer conv;", "@Transpose(dim0 = 1, dim1 = 2) Layer t;",
                "@LSTM(hiddenSize = 32) Layer enc;", "@From(\"enc.h_n\") @Linear(out = 4) Layer fc;")), "test.NetCost");
        assertTrue(generated.contains("SizeProgram.parse(") && !generated.contains("are refused"), generated);
    }

    @Test
    void readingTheResultTheLayerPassesOnReadsTheLayer() {
        // "enc.output" is enc itself: the same tensor, not a second one. Both spellings have the same memory and the same cost.
        String byName = ModelSources.model("@Model(input = {20, 32}, layout = \"L,D\")", "@LSTM(hiddenSize = 64) Layer enc;",
                "@From(\"enc.output\") @Linear(out = 4) Layer a;", "@From(\"enc\") @Linear(out = 4) Layer b;", "@Add({\"a\", \"b\"}) Layer sum;");
        Compilation result = ModelSources.compiled(byName);
        Compilation layer = ModelSources.compiled(byName.replace("\"enc.output\"", "\"enc\""));
        for (String figure : List.of("PEAK_ACTIVATION_BYTES", "BYTES_MOVED", "MACS")) {
            assertEquals(ModelSources.constant(layer, "test.NetCost", figure), ModelSources.constant(result, "test.NetCost", figure), figure);
        }
        // 20 steps of 4·64·96 and two heads of 20·64·4.
        assertEquals(20L * 4 * 64 * 96 + 2L * 20 * 64 * 4, ModelSources.constant(result, "test.NetCost", "MACS"));
    }

    @Test
    void aResultTheLayerDoesNotGiveIsNamed() {
        expectOnly(ModelSources.model("@Model(input = {35, 256}, layout = \"L,D\")", "@GRU(hiddenSize = 512) Layer enc;",
                "@From(\"enc.c_n\") @Linear(out = 4) Layer fc;"),
                "[MC210] fc: 'enc.c_n' names no earlier field or input; did you mean 'enc.h_n'?", "@From", 11);
    }

    @Test
    void theModelsOutputMayBeAnotherResultOfALayer() {
        // PyTorch's encoder returning h_n: GRU(64, 128, num_layers=2) over 20 steps, h_n is 2 x 128 (the batch left out, printed
        // after the layers, as PyTorch's (num_layers, N, H_out) has it: 2x1x128); its MACs 20·3·128·(64 + 128) + 20·3·128·(128 + 128), the head's 20·128·10 counted all the same.
        Compilation compilation = ModelSources.compiled(ModelSources.model("@Model(input = {20, 64}, layout = \"L,D\", output = \"enc.h_n\")",
                "@GRU(hiddenSize = 128, numLayers = 2) Layer enc;", "@Linear(out = 10) Layer fc;"));
        assertTrue(ModelSources.generated(compilation, "test.NetCost").contains("OUTPUT_SHAPE = \"2x1x128\""), ModelSources.generated(compilation, "test.NetCost"));
        assertEquals(20L * 3 * 128 * (64 + 128) + 20L * 3 * 128 * (128 + 128) + 20L * 128 * 10, ModelSources.constant(compilation, "test.NetCost", "MACS"));
        // Inside a block field, by its path.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {20, 32}, layout = "L,D", output = "enc.lstm.c_n")
                public class Net {
                    Enc enc;

                    @Block
                    static class Enc {
                        @LSTM(hiddenSize = 16) Layer lstm;
                    }
                }
                """;
        assertTrue(ModelSources.generated(ModelSources.compiled(text), "test.NetCost").contains("OUTPUT_SHAPE = \"1x1x16\""));
    }

    @Test
    void theModelsOutputNamingNoStepInsideABlockIsRefusedOnTheAnnotation() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {4, 8, 8}, output = "layers.nope")
                public class Net {
                    @Repeat(3) Blk layers;

                    @Block
                    static class Blk {
                        @Conv2d(cout = 4, k = 3, padding = 1) Layer conv;
                    }
                }
                """;
        expectOnly(text, "[MC210] @Model(output): 'layers.nope' names no earlier field or input; inside layers are layers.0..2", "@Model",
                ModelSources.columnAfter(text, "@Model", "output = "));
    }

    @Test
    void theModelsOutputNamingAResultTheLayerDoesNotGiveIsRefused() {
        expectOnly(ModelSources.model("@Model(input = {20, 64}, layout = \"L,D\", output = \"enc.c_n\")", "@GRU(hiddenSize = 128) Layer enc;",
                "@Linear(out = 10) Layer fc;"),
                "[MC210] @Model(output): 'enc.c_n' names no earlier field or input; did you mean 'enc.h_n'?", "@Model", 51);
        // A layer of one result: said so, rather than listing the fields.
        expectOnly(ModelSources.model("@Model(input = {16, 8}, output = \"fc.h_n\")", "@Linear(out = 4) Layer fc;"),
                "[MC210] @Model(output): 'fc.h_n' names no earlier field or input; fc (Linear) has no result h_n, only its output", "@Model", 34);
    }
}
