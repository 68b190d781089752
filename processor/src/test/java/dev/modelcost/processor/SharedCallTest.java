package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.columnOf;
import static dev.modelcost.processor.ModelSources.expectOnly;
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
        expectOnly(text, "[MC324] again: calls the module of fc again, but at this input it would hold 272 parameters and 0 buffers, at "
                + "fc's 144 and 0: one module has one set of weights (fix: feed again an input of the features or channels fc reads, or "
                + "drop @Shared to make it a module of its own)", "Layer again;", columnAfter(text, "Layer again;", "@Shared("));
    }

    @Test
    void aSharedModuleOfAsManyParametersInOtherShapesIsRefused() {
        // Linear(64 -> 32) without bias, then the same module on 32 features would be Linear(32 -> 64): 2,048 weights each.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {64})
                public class Net {
                    @Linear(bias = false, with = "out = 96 - x.F") Layer fc;
                    @Shared("fc")                                  Layer again;
                }
                """;
        expectOnly(text, "[MC324] again: calls the module of fc again, but at this input its 2,048 parameters would have other shapes than "
                + "at fc's", "Layer again;", columnAfter(text, "Layer again;", "@Shared("));
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
