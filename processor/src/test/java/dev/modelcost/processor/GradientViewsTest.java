package dev.modelcost.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * An in-place layer on one of the views {@code chunk} returns, of a tensor that needs gradients: PyTorch refuses it with gradients
 * on, so ptflops (which catches the error and prints None) and fvcore (which raises it) give no figure, while thop, nni and
 * torchinfo, which run the model under {@code torch.no_grad()}, count it. Measured: tools/pytorch/gradient-view-costs.tsv
 * (measure_counters.py's inplace_relu_on_chunk, inplace_relu_on_slice and inplace_relu_on_input_chunk, torch 1.13; thop 43c064a,
 * nni 36ba04c, ptflops d612c75, fvcore 3378afe, torchinfo 5c4164f and v1.8.0).
 */
class GradientViewsTest {

    private static final String[] COUNTED = {"THOP_MACS", "THOP_PARAMS", "NNI_FLOPS", "NNI_PARAMS", "NNI_FULL_FLOPS", "NNI_FULL_PARAMS",
        "TORCHINFO_MULT_ADDS", "TORCHINFO_PARAMS", "TORCHINFO_V180_MULT_ADDS"};
    /** Every model here: 192, 72, 64, 72, 72, 72, 216, 72, 72. */
    private static final long[] COUNTED_VALUES = {192, 72, 64, 72, 72, 72, 216, 72, 72};
    private static final String[] WITH_GRADIENTS = {"PTFLOPS_MACS", "PTFLOPS_NOFUNC_MACS", "PTFLOPS_ATEN_MACS", "FVCORE_FLOPS"};
    /** inplace_relu_on_slice and inplace_relu_on_input_chunk: 240, 228, 216, 192. */
    private static final long[] WITH_GRADIENTS_VALUES = {240, 228, 216, 192};

    private static final String ON_OUTPUT = """
            package test;

            import dev.modelcost.*;

            @Model(input = {3, 8}, layout = "L,D")
            public class Net {
                @Linear(out = 8)                                    Layer fc;
                @Chunk(chunks = 2, dim = -1, index = 0)             Layer a;
                @From("fc") @Chunk(chunks = 2, dim = -1, index = 1) Layer b;
                @From("a") @ReLU(inplace = true)                    Layer relu;
                @Concat(value = {"relu", "b"}, dim = -1)            Layer cat;
            }
            """;

    private static void assertCounted(Compilation compilation) {
        for (int i = 0; i < COUNTED.length; i++) {
            assertEquals(COUNTED_VALUES[i], ModelSources.constant(compilation, "test.NetCost", COUNTED[i]), COUNTED[i]);
        }
    }

    @Test
    void anInPlaceLayerOnAChunkOfALayersOutputLeavesTheToolsThatRunWithGradientsWithoutAFigure() {
        Compilation compilation = ModelSources.compiled(ON_OUTPUT);
        assertCounted(compilation);
        String source = ModelSources.generated(compilation, "test.NetCost");
        for (String figure : WITH_GRADIENTS) {
            assertTrue(source.contains(figure + "_UNAVAILABLE = \""), figure);
            assertFalse(source.contains(" " + figure + " = "), figure);
        }
        assertTrue(source.contains("FVCORE_FLOPS_UNAVAILABLE = \"fvcore fails: RuntimeError: Output 0 of SplitBackward0 is a view and is "
                + "being modified inplace (PyTorch, with gradients on, refuses the in-place relu (ReLU) on one of the views chunk returns "
                + "of a tensor that needs gradients)\""), source);
        assertTrue(source.contains("PTFLOPS_ATEN_MACS_UNAVAILABLE = \"ptflops_aten fails: RuntimeError: "), source);
        assertTrue(source.contains("; ptflops catches it and prints None\""), source);
    }

    @Test
    void aSliceIsAViewOfOneOutputWhichMayBeModified() {
        Compilation compilation = ModelSources.compiled(ON_OUTPUT.replace("@Chunk(chunks = 2, dim = -1, index = 0)            ",
                "@Slice(dim = -1, start = 0, end = 4)               ").replace("@Chunk(chunks = 2, dim = -1, index = 1)",
                "@Slice(dim = -1, start = 4, end = 8)"));
        assertCounted(compilation);
        for (int i = 0; i < WITH_GRADIENTS.length; i++) {
            assertEquals(WITH_GRADIENTS_VALUES[i], ModelSources.constant(compilation, "test.NetCost", WITH_GRADIENTS[i]), WITH_GRADIENTS[i]);
        }
    }

    @Test
    void aChunkOfTheInputNeedsNoGradients() {
        Compilation compilation = ModelSources.compiled("""
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8}, layout = "L,D")
                public class Net {
                    @Chunk(chunks = 2, dim = -1, index = 0)                Layer a;
                    @From("input") @Chunk(chunks = 2, dim = -1, index = 1) Layer b;
                    @From("a") @ReLU(inplace = true)                       Layer relu;
                    @Concat(value = {"relu", "b"}, dim = -1)               Layer cat;
                    @Linear(out = 8)                                       Layer fc;
                }
                """);
        assertCounted(compilation);
        for (int i = 0; i < WITH_GRADIENTS.length; i++) {
            assertEquals(WITH_GRADIENTS_VALUES[i], ModelSources.constant(compilation, "test.NetCost", WITH_GRADIENTS[i]), WITH_GRADIENTS[i]);
        }
    }

    /** A block that chunks its input and modifies a chunk in place, then a Linear, repeated {@code times}. */
    private static String halves(int times) {
        return """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8}, layout = "L,D")
                public class Net {
                    @Repeat(%d) Half half;

                    @Block
                    static class Half {
                        @Chunk(chunks = 2, dim = -1, index = 0)                Layer a;
                        @From("input") @Chunk(chunks = 2, dim = -1, index = 1) Layer b;
                        @From("a") @ReLU(inplace = true)                       Layer relu;
                        @Concat(value = {"relu", "b"}, dim = -1)               Layer cat;
                        @Linear(out = 8)                                       Layer fc;
                    }
                }
                """.formatted(times);
    }

    @Test
    void theRefusalIsFollowedIntoBlocksThroughTheirInputsAndRepetitions() {
        // Harmless at the first repetition, which reads the model's input (fvcore counts the Linear's 3·8·8 = 192 MACs), refused at
        // the second, whose input the first one's Linear computed.
        Compilation once = ModelSources.compiled(halves(1));
        assertEquals(192L, ModelSources.constant(once, "test.NetCost", "FVCORE_FLOPS"));
        String twice = ModelSources.generated(ModelSources.compiled(halves(2)), "test.NetCost");
        assertTrue(twice.contains("refuses the in-place half.1.relu (ReLU) on one of the views chunk returns"), twice);
    }
}
