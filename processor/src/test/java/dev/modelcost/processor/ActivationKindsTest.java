package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.compile;
import static dev.modelcost.processor.ModelSources.constant;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.model;
import static dev.modelcost.processor.ModelSources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * nn.SELU, nn.CELU, nn.LogSigmoid and nn.GLU. Shapes and parameter counts as PyTorch 1.13 gives them
 * ({@code nn.GLU()(torch.zeros(2, 10, 8)).shape == (2, 10, 4)}; {@code nn.GLU(dim=1)} on
 * {@code (2, 7, 8)} raises "Halving dimension must be even"; SELU, CELU and LogSigmoid keep the
 * shape and have no parameters); other ops by the counts their annotations state.
 */
class ActivationKindsTest {

    @Test
    void elementWiseActivationsKeepTheShapeAndCountOneOpAnElement() {
        for (String kind : new String[] {"@SELU", "@CELU(alpha = 0.5)", "@LogSigmoid", "@SELU(inplace = true)"}) {
            Compilation compilation = compile(source("test.Net", model("@Model(input = {10, 8}, layout = \"L,D\", batch = 3)", kind + " Layer act;")));
            assertThat(compilation).succeeded();
            assertEquals(0, constant(compilation, "test.NetCost", "PARAMS"), kind);
            assertEquals(3L * 10 * 8, constant(compilation, "test.NetCost", "OTHER_OPS"), kind);
            assertTrue(ModelSources.generated(compilation, "test.NetCost").contains("OUTPUT_SHAPE = \"3x10x8\""), kind);
        }
    }

    @Test
    void addingAConstantIsOneOpAnElementThatNoCounterLoses() {
        // DiT's modulate, x * (1 + scale) + shift, on 16 tokens of 8 with the scale and shift from two Linears of the tokens:
        // MACs 2 x 16 x 8 x 8 = 2,048; other ops 128 for 1 + scale, 128 for the product and 128 for the sum; no parameters of its own.
        // Peak (fp32, 512 bytes a tensor): while the product runs, the input, shift, 1 + scale and the product, 2,048 (scale, read
        // only by 1 + scale, is gone); while shift runs, the input, scale and shift, 1,536.
        Compilation compilation = compile(source("test.Net", model("@Model(input = {16, 8}, layout = \"L,D\")",
                "@Linear(out = 8) Layer scale;", "@From(\"input\") @Linear(out = 8) Layer shift;", "@From(\"scale\") @AddConstant(1) Layer onePlus;",
                "@Mul({\"input\", \"onePlus\"}) Layer scaled;", "@Add({\"scaled\", \"shift\"}) Layer modulated;")));
        assertThat(compilation).succeeded();
        assertEquals(2L * 16 * 8 * 8, constant(compilation, "test.NetCost", "MACS"));
        assertEquals(2L * (8 * 8 + 8), constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(3L * 16 * 8, constant(compilation, "test.NetCost", "OTHER_OPS"));
        assertEquals(4L * 512, constant(compilation, "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        // An operator, as x * c is: the counters' figures stay (thop counts the two Linears' MACs, 2,048).
        assertEquals(2L * 16 * 8 * 8, constant(compilation, "test.NetCost", "THOP_MACS"));
        assertTrue(!ModelSources.generated(compilation, "test.NetCost").contains("_UNAVAILABLE"));
    }

    @Test
    void anIntegralConstantKeepsTokenIdsIds() {
        // OPT's learned positions: arange(L) + 2 indexes a table of max_positions + 2 rows. Over 16 tokens the ids go up to 17, so a
        // table of 17 rows is refused and one of 18 takes them; the positions (int64, 8 bytes each, no batch axis) and their shifted
        // copy are 128 bytes each.
        String text = model("@Model(input = {16}, layout = \"L\", tokens = true)", "@Arange Layer positions;", "@AddConstant(2) Layer shifted;",
                "@Embedding(numEmbeddings = 17, embeddingDim = 8) Layer embed_positions;");
        expectOnly(text, "[MC310] embed_positions: Embedding numEmbeddings = 17 must be at least 18", "Layer embed_positions;",
                columnAfter(text, "Layer embed_positions;", "numEmbeddings = "));
        Compilation compilation = compile(source("test.Net", text.replace("numEmbeddings = 17", "numEmbeddings = 18")));
        assertThat(compilation).succeeded();
        assertEquals(18L * 8, constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(16L, constant(compilation, "test.NetCost", "OTHER_OPS"));
        // A constant that is no integer makes values, as PyTorch promotes ids + 0.5 to floats: an embedding of them is refused.
        String half = text.replace("@AddConstant(2)", "@AddConstant(0.5)").replace("numEmbeddings = 17", "numEmbeddings = 18");
        expectOnly(half, "[MC315] embed_positions: Embedding takes token ids", "Layer embed_positions;",
                ModelSources.columnOf(half, "Layer embed_positions;", "@Embedding"));
    }

    @Test
    void gluHalvesItsAxisAndGatesEveryOutput() {
        // (2, 10, 8) -> (2, 10, 4): a sigmoid and a product per output element, 2 x 2 x 10 x 4.
        Compilation compilation = compile(source("test.Net", model("@Model(input = {10, 8}, layout = \"L,D\", batch = 2)", "@GLU Layer glu;")));
        assertThat(compilation).succeeded();
        assertTrue(ModelSources.generated(compilation, "test.NetCost").contains("OUTPUT_SHAPE = \"2x10x4\""));
        assertEquals(2L * 2 * 10 * 4, constant(compilation, "test.NetCost", "OTHER_OPS"));
        assertEquals(0, constant(compilation, "test.NetCost", "PARAMS"));
    }

    @Test
    void mc310GluOnAnAxisOfOddSize() {
        String text = model("@Model(input = {7, 8}, layout = \"L,D\", batch = 2)", "@GLU(dim = 1) Layer glu;");
        expectOnly(text, "[MC310] glu: GLU dim = 1 must be an axis of even size, which GLU halves, not one of 7", "Layer glu;",
                columnAfter(text, "Layer glu;", "dim = "));
    }
}
