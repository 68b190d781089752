package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.columnOf;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * {@code @Shared}: a field that calls an earlier field's module again on its own input, as a Siamese network runs one tower on
 * both inputs. The module's weights count once, each call's work with the shapes it sees.
 *
 * <p>The counters' figures are what each tool prints for the same PyTorch models (tools/pytorch/shared-counter-costs.tsv,
 * measure_counters.py's siamese_towers and shared_conv_two_scales on torch 1.13: thop 43c064a, nni 36ba04c, ptflops d612c75, fvcore
 * 3378afe, torchinfo 5c4164f and v1.8.0).
 */
class SharedCallTest {

    private static final String[] COUNTERS = {"THOP_MACS", "THOP_PARAMS", "NNI_FLOPS", "NNI_PARAMS", "NNI_FULL_FLOPS", "NNI_FULL_PARAMS",
        "PTFLOPS_MACS", "PTFLOPS_PARAMS", "PTFLOPS_NOFUNC_MACS", "PTFLOPS_ATEN_MACS", "FVCORE_FLOPS", "TORCHINFO_MULT_ADDS",
        "TORCHINFO_PARAMS", "TORCHINFO_V180_MULT_ADDS"};

    private static final String TOWERS = """
            package test;

            import dev.modelcost.*;

            @Model(inputs = {@Input(name = "a", shape = {10, 64}, layout = "L,D"), @Input(name = "b", shape = {10, 64}, layout = "L,D")})
            public class Net {
                @From("a")                 Tower tower;
                @From("b") @Shared("tower") Tower again;
                @Add({"tower", "again"})   Layer sum;
                @Linear(out = 10)          Layer head;

                @Block
                static class Tower {
                    @Linear(out = 64) Layer fc;
                    @LayerNorm(normalizedShape = 64) Layer norm;
                    @ReLU Layer act;
                }
            }
            """;

    /**
     * The tower holds 64·64 + 64 + 2·64 = 4,288 parameters, the head 64·10 + 10 = 650: 4,938, once. MACs: 10·64·64 = 40,960 a
     * call, two calls, and the head's 10·64·10 = 6,400: 88,320.
     */
    @Test
    void aTowerOnTwoInputsCountsItsWeightsOnceAndItsWorkTwice() {
        Compilation compilation = ModelSources.compiled(TOWERS);
        assertEquals(4_938L, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(4L * 4_938, ModelSources.constant(compilation, "test.NetCost", "WEIGHT_BYTES"));
        assertEquals(2L * 40_960 + 6_400, ModelSources.constant(compilation, "test.NetCost", "MACS"));
        long[] measured = {93_440, 4_938, 8_832, 4_810, 8_970, 4_810, 93_540, 4_938, 92_260, 89_700, 94_720, 89_956, 4_938, 9_226};
        for (int i = 0; i < COUNTERS.length; i++) {
            assertEquals(measured[i], ModelSources.constant(compilation, "test.NetCost", COUNTERS[i]), COUNTERS[i]);
        }
        // The layer table: the first call holds the parameters, the second none.
        String generated = ModelSources.generated(compilation, "test.NetCost");
        assertTrue(generated.contains("\"tower.fc\\tLinear\\t10x64\\t40960\\t81920\\t4160\\t"), generated);
        assertTrue(generated.contains("+ \"again.fc\\tLinear\\t10x64\\t40960\\t81920\\t0\\t"), generated);
    }

    /**
     * The README's Siamese network. The tower: Conv2d(3, 32, 3, stride 2, padding 1) on 64x64, 32·32·32·27 = 884,736 MACs and
     * 32·27 + 32 = 896 parameters; Linear(32, 128), 4,096 MACs and 4,224 parameters. The head: Linear(128, 1), 128 MACs and 129
     * parameters.
     */
    @Test
    void theReadmesSiameseNetwork() {
        Compilation compilation = ModelSources.compiled("""
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "left", shape = {3, 64, 64}), @Input(name = "right", shape = {3, 64, 64})})
                public class Net {
                    @From("left")                   Tower tower;
                    @From("right") @Shared("tower") Tower again;
                    @Add({"tower", "again"})        Layer sum;
                    @Linear(out = 1)                Layer head;

                    @Block
                    static class Tower {
                        @Conv2d(cout = 32, k = 3, stride = 2, padding = 1) Layer conv;
                        @ReLU                                               Layer relu;
                        @AdaptiveAvgPool2d(1)                               Layer pool;
                        @Flatten                                            Layer flatten;
                        @Linear(out = 128)                                  Layer fc;
                    }
                }
                """);
        assertEquals(896L + 4_224 + 129, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(2L * (884_736 + 4_096) + 128, ModelSources.constant(compilation, "test.NetCost", "MACS"));
        String generated = ModelSources.generated(compilation, "test.NetCost");
        assertTrue(generated.contains("+ \"again.conv\\tConv2d\\t32x32x32\\t884736\\t1769472\\t0\\t"), generated);
    }

    @Test
    void withoutSharingEachTowerHoldsItsOwnWeights() {
        Compilation compilation = ModelSources.compiled(TOWERS.replace("@Shared(\"tower\") ", ""));
        assertEquals(2L * 4_288 + 650, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(2L * 40_960 + 6_400, ModelSources.constant(compilation, "test.NetCost", "MACS"));
    }

    /**
     * One Conv2d(3, 16, 3, padding = 1) on a 32x32 image and on its 16x16 max-pooled half, each averaged to 1x1 by one
     * AdaptiveAvgPool2d called twice, summed, then Linear(16, 10). Parameters 3·16·9 + 16 = 448 and 16·10 + 10 = 170: 618. MACs:
     * 16·32·32·27 = 442,368 at the whole image, 16·16·16·27 = 110,592 at the half, 160 for the head: 553,120.
     */
    @Test
    void aLayerCalledAgainOnASmallerMapCostsWhatThatMapCosts() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 32, 32})
                public class Net {
                    @Conv2d(cout = 16, k = 3, padding = 1) Layer conv;
                    @AdaptiveAvgPool2d(1)                  Layer gap;
                    @From("input") @MaxPool2d(k = 2)       Layer pool;
                    @Shared("conv")                        Layer conv2;
                    @Shared("gap")                         Layer gap2;
                    @Add({"gap", "gap2"})                  Layer sum;
                    @Functional @Flatten                   Layer flatten;
                    @Linear(out = 10)                      Layer fc;
                }
                """;
        Compilation compilation = ModelSources.compiled(text);
        assertEquals(618L, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(442_368L + 110_592 + 160, ModelSources.constant(compilation, "test.NetCost", "MACS"));
        long[] measured = {573_632, 618, 553_120, 618, 594_122, 618, 620_714, 618, 597_162, 573_610, 573_600, 573_610, 618, 573_610};
        for (int i = 0; i < COUNTERS.length; i++) {
            assertEquals(measured[i], ModelSources.constant(compilation, "test.NetCost", COUNTERS[i]), COUNTERS[i]);
        }
    }

    /** Each counter's figure, in the order of {@link #COUNTERS}, as the measured file has it for {@code model}. */
    private static void assertCounters(String model, String text, long... measured) {
        Compilation compilation = ModelSources.compiled(text);
        for (int i = 0; i < COUNTERS.length; i++) {
            assertEquals(measured[i], ModelSources.constant(compilation, "test.NetCost", COUNTERS[i]), model + " " + COUNTERS[i]);
        }
    }

    /**
     * A module's weights do not depend on every axis of its input: one Embedding(100, 16) on 8 and 5 ids (the ids' length is their
     * last axis), one Conv1d(16, 16, 3) on sequences transposed to channels first (their last axis is the length), one LSTM called
     * again with its final state (three inputs, after one), one MultiheadAttention for self-attention and then for
     * cross-attention (three inputs, after one). Measured: shared_embedding_two_lengths, shared_conv1d_transposed,
     * shared_lstm_state and shared_attention_self_then_cross.
     */
    @Test
    void aModuleCalledOnInputsOfOtherLengthsLayoutsOrCountsIsOneModule() {
        assertCounters("shared_embedding_two_lengths", """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "src", shape = {8}, tokens = true), @Input(name = "tgt", shape = {5}, tokens = true)})
                public class Net {
                    @From("src") @Embedding(numEmbeddings = 100, embeddingDim = 16) Layer emb;
                    @From("tgt") @Shared("emb")                                    Layer again;
                    @Concat(value = {"emb", "again"}, dim = 1)                     Layer cat;
                    @LayerNorm                                                     Layer norm;
                    @Linear(out = 100)                                             Layer head;
                }
                """, 21_632, 1_732, 1_600, 1_700, 1_700, 1_700, 22_308, 3_332, 22_308, 22_100, 21_840, 25_332, 3_332, 4_932);
        assertCounters("shared_conv1d_transposed", """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "a", shape = {10, 16}, layout = "L,D"), @Input(name = "b", shape = {6, 16}, layout = "L,D")})
                public class Net {
                    @From("a") @Transpose(dim0 = 1, dim1 = 2)  Layer ta;
                    @Conv1d(cout = 16, k = 3, padding = 1)      Layer conv;
                    @From("b") @Transpose(dim0 = 1, dim1 = 2)  Layer tb;
                    @Shared("conv")                             Layer again;
                    @Concat(value = {"conv", "again"}, dim = 2) Layer cat;
                }
                """, 12_288, 784, 12_288, 784, 12_544, 784, 12_544, 784, 12_544, 12_544, 12_288, 12_544, 784, 12_544);
        assertCounters("shared_lstm_state", """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "a", shape = {9, 16}, layout = "L,D"), @Input(name = "b", shape = {5, 16}, layout = "L,D")})
                public class Net {
                    @From("a") @LSTM(hiddenSize = 24, batchFirst = true) Layer enc;
                    @From({"b", "enc.h_n", "enc.c_n"}) @Shared("enc")    Layer dec;
                    @Linear(out = 3)                                     Layer head;
                }
                """, 59_496, 4_107, 56_520, 4_107, 59_211, 4_107, 60_183, 4_107, 60_183, 56_823, 360, 56_823, 4_107, 56_523);
        assertCounters("shared_attention_self_then_cross", """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "q", shape = {10, 32}, layout = "L,D"), @Input(name = "m", shape = {7, 32}, layout = "L,D")})
                public class Net {
                    @From("q") @MultiheadAttention(numHeads = 4, batchFirst = true) Layer attn;
                    @From({"attn", "m", "m"}) @Shared("attn")                        Layer cross;
                    @Linear(out = 3)                                                 Layer head;
                }
                """, 960, 99, 96, 99, 99, 99, 102_894, 4_323, 91_334, 90_014, 87_616, 990, 4_323, 99);
    }

    @Test
    void aCallOfACallIsACallOfTheModule() {
        // Three calls of one Linear(8, 8): 72 parameters once, 3 · 8·8 MACs.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8})
                public class Net {
                    @Linear(out = 8) Layer fc;
                    @Shared("fc")    Layer second;
                    @Shared("second") Layer third;
                }
                """;
        Compilation compilation = ModelSources.compiled(text);
        assertEquals(72L, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(3L * 64, ModelSources.constant(compilation, "test.NetCost", "MACS"));
    }

    @Test
    void aSharedFieldInsideABlockCallsTheBlocksOwnModule() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8})
                public class Net {
                    @Repeat(2) Pair pair;

                    @Block
                    static class Pair {
                        @Linear(out = 8) Layer fc;
                        @ReLU            Layer act;
                        @Shared("fc")    Layer again;
                    }
                }
                """;
        Compilation compilation = ModelSources.compiled(text);
        assertEquals(2L * 72, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(4L * 64, ModelSources.constant(compilation, "test.NetCost", "MACS"));
    }

    private static final String LINEAR = """
            package test;

            import dev.modelcost.*;

            @Model(input = {8})
            public class Net {
                @Linear(out = 8) Layer fc;
                %s
            }
            """;

    @Test
    void aSharedFieldWithALayerOfItsOwnIsRefused() {
        String text = LINEAR.formatted("@Shared(\"fc\") @ReLU Layer again;");
        expectOnly(text, "[MC145] @Shared(\"fc\") on field again: it calls fc's module, whose layer, arguments and dtypes are fc's, so it "
                + "takes no @ReLU of its own (fix: remove @ReLU, or @Shared to make again a module of its own)", "Layer again;",
                columnOf(text, "Layer again;", "@ReLU"));
    }

    @Test
    void aSharedFieldWithADtypeOfItsOwnIsRefused() {
        String text = LINEAR.formatted("@Shared(\"fc\") @Dtype(weights = \"int8\") Layer again;");
        expectOnly(text, "[MC145] @Shared(\"fc\") on field again: it calls fc's module, whose layer, arguments and dtypes are fc's, so it "
                + "takes no @Dtype of its own", "Layer again;", columnOf(text, "Layer again;", "@Dtype"));
    }

    @Test
    void aSharedFieldNamingNoEarlierFieldIsRefused() {
        String text = LINEAR.formatted("@Shared(\"fx\") Layer again;");
        expectOnly(text, "[MC145] @Shared(\"fx\") on field again: names no field declared above this one; did you mean 'fc'? (fix: name a "
                + "layer or block field declared above again in Net)", "Layer again;", columnAfter(text, "Layer again;", "@Shared("));
    }

    @Test
    void aSharedFieldNamingALayerABlockBroughtInPlaceSaysSo() {
        // Applied in place, Body's fc is a field of no class the model declares: by its name or its path, @Shared says where it comes from.
        for (String target : new String[] {"fc", "body.fc"}) {
            String text = model("@Model(input = {16})", "@Args(value = \"n = 16\", inPlace = true) Body body;", "@Shared(\"" + target + "\") Layer fc2;",
                    "@Block static class Body { @Param(4) int n; @Linear(with = \"out = n\") Layer fc; @ReLU Layer act; }");
            expectOnly(text, "[MC145] @Shared(\"" + target + "\") on field fc2: " + target + " comes from block Body, applied in place above, and @Shared "
                    + "calls a field declared in Net itself (fix: declare the layer in Net, or apply the block as a field of its own (no inPlace) "
                    + "and share that)", "Layer fc2;", columnAfter(text, "Layer fc2;", "@Shared("));
        }
    }

    @Test
    void aSharedPathIntoABlockFieldSaysSharedCallsAFieldOfThisClass() {
        // b.c is a layer inside the block field b: @Shared calls a field of Net itself, and sharing b calls the whole block.
        String text = model("@Model(input = {16})", "Body b;", "@Shared(\"b.c\") Layer again;",
                "@Block static class Body { @Linear(out = 16) Layer c; }");
        expectOnly(text, "[MC145] @Shared(\"b.c\") on field again: is a path into a block, but @Shared calls a field of Net itself (sharing b "
                + "would call the whole block)", "Layer again;", columnAfter(text, "Layer again;", "@Shared("));
    }

    @Test
    void aSharedFieldNamingALaterFieldIsRefused() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8})
                public class Net {
                    @Shared("fc")    Layer early;
                    @Linear(out = 8) Layer fc;
                }
                """;
        expectOnly(text, "[MC145] @Shared(\"fc\") on field early: names no field declared above this one", "Layer early;",
                columnAfter(text, "Layer early;", "@Shared("));
    }

    @Test
    void aSharedFieldNamingItselfOrAnInputIsRefused() {
        String itself = LINEAR.formatted("@Shared(\"again\") Layer again;");
        expectOnly(itself, "[MC145] @Shared(\"again\") on field again: names the field itself", "Layer again;",
                columnAfter(itself, "Layer again;", "@Shared("));
        String input = LINEAR.formatted("@Shared(\"input\") Layer again;");
        expectOnly(input, "[MC145] @Shared(\"input\") on field again: names an input, which is a tensor, no module", "Layer again;",
                columnAfter(input, "Layer again;", "@Shared("));
    }

    @Test
    void aSharedFieldOfAnotherTypeIsRefused() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8})
                public class Net {
                    @Linear(out = 8) Layer fc;
                    @Shared("fc")    Pair again;

                    @Block
                    static class Pair {
                        @ReLU Layer act;
                    }
                }
                """;
        expectOnly(text, "[MC145] @Shared(\"fc\") on field again: it is declared as test.Net.Pair, but fc is a layer (fix: declare again "
                + "as Layer)", "Pair again;", columnAfter(text, "Pair again;", "@Shared("));
    }

    @Test
    void sharingABlockAppliedInPlaceIsRefused() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8})
                public class Net {
                    @Args(value = "", inPlace = true) Body body;
                    @Shared("body")                  Body again;

                    @Block
                    static class Body {
                        @Linear(out = 8) Layer fc;
                    }
                }
                """;
        expectOnly(text, "[MC145] @Shared(\"body\") on field again: block Body is applied in place there, so its layers are Net's own, no "
                + "one module to call again", "Body again;", columnAfter(text, "Body again;", "@Shared("));
    }

    @Test
    void aSharedModuleGivenOtherFeaturesIsRefused() {
        // The Linear infers in_features: 8 at fc's input, 16 at again's, another weight, as PyTorch refuses the call.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8})
                public class Net {
                    @Linear(out = 16) Layer fc;
                    @Shared("fc")     Layer again;
                }
                """;
        expectOnly(text, "[MC324] again: calls the module of fc again, but at this input Linear fc would hold 272 parameters, where fc's "
                + "call holds 144: one module has one set of weights (fix: feed it inputs of the features or channels its module's call reads, "
                + "or drop @Shared to make it a module of its own)", "Layer again;", columnAfter(text, "Layer again;", "@Shared("));
    }

    @Test
    void aSharedModuleWhoseWidthFollowsItsInputIsRefused() {
        // Linear(64 -> 32) without bias, then the same module on 32 features would be Linear(32 -> 64): 2,048 weights each, its out
        // features read from the input.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {64})
                public class Net {
                    @Linear(bias = false, with = "out = 96 - x.F") Layer fc;
                    @Shared("fc")                                  Layer again;
                }
                """;
        expectOnly(text, "[MC324] again: calls the module of fc again, but at this input Linear fc would have out = 64, where fc's call has "
                + "32: a module has the attributes it was built with", "Layer again;", columnAfter(text, "Layer again;", "@Shared("));
    }

    @Test
    void anAttributeThatWouldDifferAtTheSecondCallIsRefused() {
        // PyTorch builds the convolution once, with the stride its first input's 32 rows give (2): written from the step's input,
        // the second call, on 16 rows, would have stride 1, which no module has.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "a", shape = {4, 32, 32}), @Input(name = "b", shape = {4, 16, 16})})
                public class Net {
                    @From("a") @Conv2d(cout = 8, k = 3, padding = 1, with = "stride = x.H / 16") Layer conv;
                    @From("b") @Shared("conv")                                                    Layer again;
                }
                """;
        expectOnly(text, "[MC324] again: calls the module of conv again, but at this input Conv2d conv would have stride = 1, where conv's "
                + "call has 2: a module has the attributes it was built with (fix: write that attribute as a number, or as an expression "
                + "that does not read the input's sizes)", "Layer again;", columnAfter(text, "Layer again;", "@Shared("));
    }

    /** A model of two images, 4x32x32 and 4x16x16, that applies a block Stem of {@code fields} to each, the second call the first's module. */
    private static String stemOnTwoImages(String fields) {
        return """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "a", shape = {4, 32, 32}), @Input(name = "b", shape = {4, 16, 16})})
                public class Net {
                    @From("a")                 Stem stem;
                    @From("b") @Shared("stem") Stem again;

                    @Block
                    static class Stem {
                %s    }
                }
                """.formatted(fields.indent(8));
    }

    @Test
    void aBlockWhoseParameterWouldDifferAtTheSecondCallIsRefused() {
        String text = stemOnTwoImages("""
                @Param(expr = "h / 16") int s;
                @Conv2d(cout = 8, k = 3, padding = 1, with = "stride = s") Layer conv;
                """);
        expectOnly(text, "[MC324] again: calls the module of stem again, but at this input Conv2d stem.conv would have stride = 1, where "
                + "stem's call has 2", "Stem again;", columnAfter(text, "Stem again;", "@Shared("));
    }

    @Test
    void aSharedRepetitionWhoseAttributeWouldDifferIsRefused() {
        // Each repetition halves the map: built once at 32 rows, the pooling window is 4; at 8 rows it would be 1.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {4, 32, 32})
                public class Net {
                    @Repeat(value = 2, shared = true) Down down;

                    @Block
                    static class Down {
                        @MaxPool2d(with = "k = x.H / 8") Layer pool;
                    }
                }
                """;
        expectOnly(text, "[MC214] down: @Repeat(shared = true): in repetition 1, MaxPool2d down.1.pool would have k = 1, in repetition 0 4: one "
                + "module called again has the attributes it was built with", "Down down;", columnAfter(text, "Down down;", "shared = "));
    }

    @Test
    void sharingAFunctionOrOperatorIsRefused() {
        String sum = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8})
                public class Net {
                    @ReLU                    Layer act;
                    @Add({"input", "act"})   Layer sum;
                    @From("act") @Shared("sum") Layer again;
                }
                """;
        expectOnly(sum, "[MC145] @Shared(\"sum\") on field again: sum is an Add, a function or operator, no module to call again (fix: "
                + "write again as a step of its own: only a module is called again)", "Layer again;", columnAfter(sum, "Layer again;",
                "@Shared("));
        String functional = LINEAR.formatted("@Functional @ReLU Layer act;\n    @Shared(\"act\") Layer again;");
        expectOnly(functional, "[MC145] @Shared(\"act\") on field again: act is called as a function (@Functional), no module to call again",
                "Layer again;", columnAfter(functional, "Layer again;", "@Shared("));
    }

    @Test
    void aCallWithAnotherNumberOfInputsIsRefusedAsTheModuleWouldBe() {
        String linear = """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "a", shape = {8}), @Input(name = "b", shape = {8})})
                public class Net {
                    @From("a") @Linear(out = 8)         Layer fc;
                    @From({"a", "b"}) @Shared("fc")     Layer again;
                }
                """;
        expectOnly(linear, "[MC211] again: Linear takes 1 input, got 2", "Layer again;", columnAfter(linear, "Layer again;", "@From("));
        String block = """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "a", shape = {8}), @Input(name = "b", shape = {8})})
                public class Net {
                    @From({"a", "b"})          Fuse fuse;
                    @From("a") @Shared("fuse") Fuse again;

                    @Block(inputs = {"input", "memory"})
                    static class Fuse {
                        @Add({"input", "memory"}) Layer sum;
                    }
                }
                """;
        expectOnly(block, "[MC211] again: block Fuse takes 2 inputs (input, memory), got 1", "Fuse again;", columnAfter(block, "Fuse again;",
                "@From("));
    }

    @Test
    void aFunctionOrAViewInsideASharedBlockTakesItsOwnArgumentsAtEachCall() {
        // The tower splits its 64 features into 4 heads of 16 as x.view(L, 4, 16) does, at each call's own length (10, then 6):
        // the view's shape is an argument of the call, not of a module. Parameters once: 64·64 + 64 = 4,160; MACs 10·64·64 + 6·64·64.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "a", shape = {10, 64}, layout = "L,D"), @Input(name = "b", shape = {6, 64}, layout = "L,D")})
                public class Net {
                    @From("a")                  Tower tower;
                    @From("b") @Shared("tower") Tower again;

                    @Block
                    static class Tower {
                        @Linear(out = 64)                             Layer fc;
                        @Reshape(with = "shape = [x.L, 4, 16]")       Layer heads;
                    }
                }
                """;
        Compilation compilation = ModelSources.compiled(text);
        assertEquals(4_160L, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(16L * 64 * 64, ModelSources.constant(compilation, "test.NetCost", "MACS"));
    }

    @Test
    void aSharedBlockMaySkipAStepAtOneCallButNotRunWeightsItsModuleLacks() {
        // PyTorch's `if x.shape[-1] > 16: x = self.pool(x)`: at the 32-wide call the pooling runs, at the 16-wide call it does not;
        // it holds no weights, so one module. The convolution: 4·8·9 + 8 = 296 parameters once; MACs 8·32·32·36 + 8·16·16·36.
        String text = stemOnTwoImages("""
                @Conv2d(cout = 8, k = 3, padding = 1) Layer conv;
                @When("x.W > 16") @MaxPool2d(k = 2)   Layer pool;
                """);
        Compilation compilation = ModelSources.compiled(text);
        assertEquals(296L, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(8L * 32 * 32 * 36 + 8L * 16 * 16 * 36, ModelSources.constant(compilation, "test.NetCost", "MACS"));
        // A step with weights that the module's own call skipped would be weights the module was never counted with.
        String weighted = text.replace("@When(\"x.W > 16\") @MaxPool2d(k = 2)   Layer pool;", "@When(\"x.W < 32\") @Conv2d(cout = 8, k = 1) Layer pool;");
        expectOnly(weighted, "[MC324] again: calls the module of stem again, but at this input step stem.pool would run with weights stem's "
                + "call does not hold (fix: make the module's steps the same at both calls, or drop @Shared to make it a module of its own)",
                "Stem again;", columnAfter(weighted, "Stem again;", "@Shared("));
    }

    @Test
    void aDeclaredKindMustSeeTheSameInputShapes() {
        // A kind declared in the project sizes its weights by its own formula, here from both spatial axes: 8·32 and 16·16 are both
        // 256 parameters, yet other weights.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "a", shape = {1, 8, 32}), @Input(name = "b", shape = {1, 16, 16})})
                public class Net {
                    @From("a") @PerPixel              Layer scale;
                    @From("b") @Shared("scale")       Layer again;

                    @LayerKind(params = "x.H * x.W", macs = "x.C * x.H * x.W")
                    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.CLASS)
                    @java.lang.annotation.Target(java.lang.annotation.ElementType.FIELD)
                    @interface PerPixel {}
                }
                """;
        expectOnly(text, "[MC324] again: calls the module of scale again, but at this input PerPixel scale, a kind declared in the project "
                + "whose weights may follow any size of its input, would read 1x16x16 (C,H,W), where scale's call reads 1x8x32 (C,H,W) (fix: "
                + "feed it inputs of the shapes its module's call reads, or drop @Shared to make it a module of its own)", "Layer again;",
                columnAfter(text, "Layer again;", "@Shared("));
    }

    @Test
    void aSharedCallsWeightsCountOnceInMemoryAndTrainingAndItsKeysAndValuesPerCall() {
        // One causal MultiheadAttention(32, 4) called twice on a sequence of 10, once on the other's output: parameters
        // 4·32·32 + 4·32 = 4,224, once, as are their gradients (4 bytes each in fp32); the keys and values an incremental decoder
        // keeps per call, 2 · 2·32·10 = 1,280 elements.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10, 32}, layout = "L,D")
                @Training(batch = 1, optimizer = "SGD")
                public class Net {
                    @MultiheadAttention(numHeads = 4, batchFirst = true, isCausal = true) Layer attn;
                    @Shared("attn")                                                      Layer again;
                }
                """;
        Compilation compilation = ModelSources.compiled(text);
        assertEquals(4_224L, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(4L * 4_224, ModelSources.constant(compilation, "test.NetCost", "WEIGHT_BYTES"));
        assertEquals(4L * 4_224, ModelSources.constant(compilation, "test.NetCost", "GRADIENT_BYTES"));
        assertEquals(2L * 2 * 32 * 10, ModelSources.constant(compilation, "test.NetCost", "KV_CACHE"));
    }

    @Test
    void twoCausalCallsOnInputsConcatenatedAlongThePositionsDecodeTheLastInputs() {
        // One causal MultiheadAttention(32, 4) called on a sequence of 10 and on one of 6, the outputs concatenated along the
        // positions: the output holds the last input's positions, so the step decodes that call, the other running once.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "a", shape = {10, 32}, layout = "L,D"), @Input(name = "b", shape = {6, 32}, layout = "L,D")})
                public class Net {
                    @From("a") @MultiheadAttention(numHeads = 4, batchFirst = true, isCausal = true) Layer attn;
                    @From("b") @Shared("attn")                                                      Layer again;
                    @Concat(value = {"attn", "again"}, dim = 1)                                     Layer cat;
                }
                """;
        Compilation compilation = ModelSources.compiled(text);
        // By hand: the second call's keys and values, 2·32·6, and its step: 4 projections of the new position (4·32·32) and its
        // query on the 6 cached keys, 2·4 heads·6·8
        assertEquals(2L * 32 * 6, ModelSources.constant(compilation, "test.NetCost", "KV_CACHE"));
        assertEquals(4L * 32 * 32 + 2 * 4 * 6 * 8, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"));
    }

    @Test
    void aRepeatedBlockCalledAgainRunsEveryRepetitionAgainWithTheirWeightsOnce() {
        // Two Linear(8, 8) in sequence, 72 parameters each, called on two inputs: 144 parameters, 4 · 8·8 MACs.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "a", shape = {8}), @Input(name = "b", shape = {8})})
                public class Net {
                    @From("a") @Repeat(2)         Pair pair;
                    @From("b") @Shared("pair")    Pair again;
                    @Add({"pair", "again"})       Layer sum;

                    @Block
                    static class Pair {
                        @Linear(out = 8) Layer fc;
                    }
                }
                """;
        Compilation compilation = ModelSources.compiled(text);
        assertEquals(144L, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(4L * 64, ModelSources.constant(compilation, "test.NetCost", "MACS"));
    }

    @Test
    void aSharedFieldSwitchedOffByItsOwnWhenPassesItsInputOn() {
        // @When("in > 8") is false on 8 features: the second call does not run and passes on what it reads, fc's output.
        String text = LINEAR.formatted("@When(\"in > 8\") @Shared(\"fc\") Layer again;\n    @Add({\"fc\", \"again\"}) Layer sum;");
        Compilation compilation = ModelSources.compiled(text);
        assertEquals(72L, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(64L, ModelSources.constant(compilation, "test.NetCost", "MACS"));
    }

    @Test
    void inAnIndexedNetworkACallOfAModuleAgainTakesTheNextNumber() {
        // nn.Sequential(fc, act, fc): the module registered again under 2, its parameters under 0.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8}, indexed = true)
                public class Net {
                    @Linear(out = 8) Layer fc;
                    @ReLU            Layer act;
                    @Shared("fc")    Layer again;
                }
                """;
        String generated = ModelSources.generated(ModelSources.compiled(text), "test.NetCost");
        assertTrue(generated.contains("\"0\\tLinear\\t8\\t64\\t128\\t72\\t"), generated);
        assertTrue(generated.contains("+ \"2\\tLinear\\t8\\t64\\t128\\t0\\t"), generated);
    }

    @Test
    void callingAModuleThatIsAbsentIsRefused() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8})
                public class Net {
                    @When("in > 8") @Linear(out = 8) Layer fc;
                    @Shared("fc")                     Layer again;
                }
                """;
        expectOnly(text, "[MC324] again: calls the module of fc again, but fc is absent here (its @When is false), so there is no module "
                + "to call", "Layer again;", columnAfter(text, "Layer again;", "@Shared("));
    }

    @Test
    void inputsOfACallThatDoNotFitTheModuleAreReportedOnTheCallAlone() {
        // dec runs on its own inputs; dec2 calls it again with enc's final state, 4 x 8 (two layers, two directions, hidden 8),
        // where the GRU's h_0 is 1 x 10: the call's inputs are wrong, not dec, which no error names.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {20, 12}, layout = "L,D")
                public class Net {
                    @LSTM(hiddenSize = 8, bidirectional = true, numLayers = 2) Layer enc;
                    @GRU(hiddenSize = 10) Layer dec;
                    @From({"dec", "enc.h_n"}) @Shared("dec") Layer dec2;
                }
                """;
        JavaFileObject file = ModelSources.source("test.Net", text);
        Compilation compilation = ModelSources.compile(file);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[MC321] dec2: GRU initial state h_0 must be 1x10").inFile(file)
                .onLine(ModelSources.lineOf(text, "Layer dec2;")).atColumn(columnAfter(text, "Layer dec2;", "@Shared("));
    }

    @Test
    void anAttributeOfTheModuleThatDoesNotFitTheCallIsReportedOnBothFields() {
        // fc states in_features = 8; the second call feeds it 16 features.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8})
                public class Net {
                    @Linear(out = 16, inFeatures = 8) Layer fc;
                    @Shared("fc")                     Layer again;
                }
                """;
        JavaFileObject file = ModelSources.source("test.Net", text);
        Compilation compilation = ModelSources.compile(file);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation).hadErrorContaining("again: Linear").inFile(file).onLine(ModelSources.lineOf(text, "Layer fc;"));
        assertThat(compilation).hadErrorContaining("again: Linear").inFile(file).onLine(ModelSources.lineOf(text, "Layer again;"))
                .atColumn(columnAfter(text, "Layer again;", "@Shared("));
    }
}
