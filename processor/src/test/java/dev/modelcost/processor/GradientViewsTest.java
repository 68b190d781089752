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
        assertTrue(source.contains("FVCORE_FLOPS_UNAVAILABLE = \"fvcore fails: RuntimeError: PyTorch, with gradients on, refuses the "
                + "in-place relu (ReLU) on one of the views chunk returns, where the result needs gradients (\\\"... is a view and is being "
                + "modified inplace. This view is the output of a function that returns multiple views\\\")\""), source);
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

    /** Every counter's constant, in the measured file's column order. */
    private static final String[] ALL = {"THOP_MACS", "THOP_PARAMS", "NNI_FLOPS", "NNI_PARAMS", "NNI_FULL_FLOPS", "NNI_FULL_PARAMS",
        "PTFLOPS_MACS", "PTFLOPS_PARAMS", "PTFLOPS_NOFUNC_MACS", "PTFLOPS_ATEN_MACS", "FVCORE_FLOPS", "TORCHINFO_MULT_ADDS",
        "TORCHINFO_PARAMS", "TORCHINFO_V180_MULT_ADDS"};

    /** Compiles a model of input 3x8 with {@code fields} and checks every counter against the measured row (-1: the tool fails). */
    private static void assertMeasured(String model, String fields, long... row) {
        Compilation compilation = ModelSources.compiled("""
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8}, layout = "L,D")
                public class Net {
                %s}
                """.formatted(fields.indent(4)));
        String source = ModelSources.generated(compilation, "test.NetCost");
        for (int i = 0; i < ALL.length; i++) {
            if (row[i] < 0) {
                assertTrue(source.contains(ALL[i] + "_UNAVAILABLE = \"") || ALL[i].equals("PTFLOPS_PARAMS") && !source.contains(" PTFLOPS_PARAMS = "),
                        model + " " + ALL[i]);
            } else {
                assertEquals(row[i], ModelSources.constant(compilation, "test.NetCost", ALL[i]), model + " " + ALL[i]);
            }
        }
    }

    @Test
    void aReshapeOfAChunkThatCopiesIsNoView() {
        // 3x4 of a row of 8 to 12 copies: the in-place ReLU modifies the copy.
        assertMeasured("inplace_reshape_of_chunk", """
                @Linear(out = 8)                        Layer fc;
                @Chunk(chunks = 2, dim = -1, index = 0) Layer a;
                @Reshape(shape = {12})                  Layer r;
                @ReLU(inplace = true)                   Layer act;
                @Linear(out = 4)                        Layer out;
                """, 240, 124, 112, 124, 124, 124, 292, 124, 280, 268, 240, 268, 124, 124);
    }

    @Test
    void aDropoutModifiesNothingAtInference() {
        assertMeasured("inplace_dropout_on_chunk", """
                @Linear(out = 8)                                    Layer fc;
                @Chunk(chunks = 2, dim = -1, index = 0)             Layer a;
                @From("fc") @Chunk(chunks = 2, dim = -1, index = 1) Layer b;
                @From("a") @Dropout(inplace = true)                 Layer drop;
                @Concat(value = {"drop", "b"}, dim = -1)            Layer cat;
                """, 192, 72, 64, 72, 72, 72, 216, 72, 216, 216, 192, 216, 72, 72);
    }

    @Test
    void aChunkOfTheInputMayNotTakeAParameterInPlace() {
        // The chunk needs no gradients, but the result of adding the parameter into it would.
        assertMeasured("inplace_parameter_added_into_input_chunk", """
                @Parameter(shape = {3, 4}, layout = "L,D")             Layer p;
                @From("input") @Chunk(chunks = 2, dim = -1, index = 0) Layer a;
                @From("input") @Chunk(chunks = 2, dim = -1, index = 1) Layer b;
                @Add(value = {"a", "p"}, inplace = true)               Layer s;
                @Concat(value = {"s", "b"}, dim = -1)                  Layer cat;
                @Linear(out = 8)                                       Layer fc;
                """, 192, 72, 64, 72, 72, 72, -1, -1, -1, -1, -1, 216, 84, 72);
    }

    @Test
    void aParameterMayNotBeModifiedInPlace() {
        assertMeasured("inplace_relu_on_parameter", """
                @Parameter(shape = {3, 8}, layout = "L,D") Layer p;
                @ReLU(inplace = true)                      Layer act;
                @Add({"input", "act"})                     Layer s;
                @Linear(out = 8)                           Layer fc;
                """, 192, 72, 64, 72, 72, 72, -1, -1, -1, -1, -1, 216, 96, 72);
    }

    @Test
    void anInputModifiedInPlaceNeedsGradientsForItsLaterReaders() {
        // The parameter added into the input in place: a chunk of the input taken after it is one of a tensor that needs gradients.
        assertMeasured("inplace_relu_on_chunk_of_modified_input", """
                @Parameter(shape = {3, 8}, layout = "L,D")             Layer p;
                @Add(value = {"input", "p"}, inplace = true)           Layer s;
                @From("input") @Chunk(chunks = 2, dim = -1, index = 0) Layer a;
                @ReLU(inplace = true)                                  Layer act;
                @From("input") @Chunk(chunks = 2, dim = -1, index = 1) Layer b;
                @Concat(value = {"act", "b", "s"}, dim = -1)           Layer cat;
                @Linear(out = 8)                                       Layer fc;
                """, 384, 136, 128, 136, 136, 136, -1, -1, -1, -1, -1, 408, 160, 136);
    }

    @Test
    void aChunkReadAfterItsStorageWasModifiedInPlaceIsRefused() {
        // The chunk is taken, the Linear's output modified in place, then the chunk read by the concatenation.
        assertMeasured("inplace_relu_on_base_of_read_chunk", """
                @Linear(out = 8)                        Layer fc;
                @Chunk(chunks = 2, dim = -1, index = 0) Layer a;
                @From("fc") @ReLU(inplace = true)       Layer act;
                @Concat(value = {"act", "a"}, dim = -1) Layer cat;
                """, 192, 72, 64, 72, 72, 72, -1, -1, -1, -1, -1, 216, 72, 72);
    }

    /** A model that reads blk.fc, the Linear of a block applied by {@code use}, chunks it and modifies the chunk in place. */
    private static String chunkOfBlocksLinear(String use) {
        return """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8}, layout = "L,D")
                public class Net {
                    %s
                    @From("blk.fc") @Chunk(chunks = 2, dim = -1, index = 0) Layer c;
                    @ReLU(inplace = true)                                   Layer act;
                    @Concat(value = {"act", "blk"}, dim = -1)               Layer cat;

                    @Block
                    static class Inner {
                        @Linear(out = 8)                                       Layer fc;
                        @From("input") @Chunk(chunks = 2, dim = -1, index = 0) Layer a;
                    }
                }
                """.formatted(use);
    }

    @Test
    void aTensorReadFromInsideABlockIsThatTensor() {
        // The block returns a chunk of its input and holds a Linear; the model chunks the Linear's output, read by its path, and
        // modifies that chunk in place: a chunk of a tensor that needs gradients, whatever the block returns.
        String source = ModelSources.generated(ModelSources.compiled(chunkOfBlocksLinear("Inner blk;")), "test.NetCost");
        assertTrue(source.contains("FVCORE_FLOPS_UNAVAILABLE = \"fvcore fails: RuntimeError: PyTorch, with gradients on, refuses"), source);
    }

    @Test
    void aTensorReadFromABlockAppliedInPlaceOrARunInlinedIsThatTensor() {
        // blk.fc of a block applied in place is the network's own fc: a chunk of it modified in place is refused.
        String inPlace = ModelSources.generated(ModelSources.compiled(chunkOfBlocksLinear("@Args(value = {}, inPlace = true) Inner blk;")),
                "test.NetCost");
        assertTrue(inPlace.contains("FVCORE_FLOPS_UNAVAILABLE = \"fvcore fails: RuntimeError: PyTorch, with gradients on, refuses the "
                + "in-place act (ReLU) on one of the views chunk returns"), inPlace);
        // units.0.a of an inlined run is the first repetition's chunk of the model's input: modified in place, it needs no
        // gradients, and fvcore counts the three Linear(8, 8): 3 · 3·8·8 = 576.
        Compilation inline = ModelSources.compiled("""
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8}, layout = "L,D", indexed = true)
                public class Net {
                    @Repeat(value = 3, inline = true)                           Unit units;
                    @From("units.0.a") @Chunk(chunks = 2, dim = -1, index = 0) Layer c;
                    @ReLU(inplace = true)                                       Layer act;
                    @Concat(value = {"act", "units"}, dim = -1)                 Layer cat;

                    @Block
                    static class Unit {
                        @From("input") @Chunk(chunks = 2, dim = -1, index = 0) Layer a;
                        @From("input") @Linear(out = 8)                        Layer fc;
                    }
                }
                """);
        assertEquals(576L, ModelSources.constant(inline, "test.NetCost", "FVCORE_FLOPS"));
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
