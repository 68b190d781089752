package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * {@code @Repeat(shared = true)}: one module called again, as ALBERT shares its layers
 * ({@code for _ in range(3): x = self.layer(x)}). Its weights count once, its work per call.
 */
class SharedRepeatTest {

    private static String shared(String repeat, String input) {
        return """
                package test;

                import dev.modelcost.*;

                @Model(input = %s, layout = "L,D")
                public class Net {
                    %s SharedBlock layer;
                    @Linear(out = 10) Layer head;

                    @Block
                    static class SharedBlock {
                        @Linear(out = 64) Layer fc;
                        @LayerNorm(normalizedShape = 64) Layer norm;
                        @ReLU Layer act;
                    }
                }
                """.formatted(input, repeat);
    }

    /**
     * The block holds 64·64 + 64 + 2·64 = 4,288 parameters, the head 64·10 + 10 = 650: 4,938, once. MACs per call: 10·64·64 = 40,960;
     * three calls and the head's 10·64·10: 129,280. What each counter prints for the same PyTorch model (tools/pytorch/
     * shared-counter-costs.tsv, measure_counters.py's shared_layer_x3 on torch 1.13: thop 43c064a, nni 36ba04c, ptflops d612c75,
     * fvcore 3378afe, torchinfo 5c4164f and v1.8.0): each lists the parameters once and counts the work of every call.
     */
    @Test
    void aModuleCalledThreeTimesCountsItsWeightsOnceAndItsWorkThrice() {
        Compilation compilation = ModelSources.compiled(shared("@Repeat(value = 3, shared = true)", "{10, 64}"));
        assertEquals(4_938L, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(4L * 4_938, ModelSources.constant(compilation, "test.NetCost", "WEIGHT_BYTES"));
        assertEquals(3L * 40_960 + 6_400, ModelSources.constant(compilation, "test.NetCost", "MACS"));
        String[] counters = {"THOP_MACS", "THOP_PARAMS", "NNI_FLOPS", "NNI_PARAMS", "NNI_FULL_FLOPS", "NNI_FULL_PARAMS", "PTFLOPS_MACS",
            "PTFLOPS_PARAMS", "PTFLOPS_NOFUNC_MACS", "PTFLOPS_ATEN_MACS", "FVCORE_FLOPS", "TORCHINFO_MULT_ADDS", "TORCHINFO_PARAMS",
            "TORCHINFO_V180_MULT_ADDS"};
        long[] measured = {136_960, 4_938, 12_928, 4_810, 13_130, 4_810, 137_060, 4_938, 135_140, 131_300, 138_880, 131_684, 4_938, 13_514};
        for (int i = 0; i < counters.length; i++) {
            assertEquals(measured[i], ModelSources.constant(compilation, "test.NetCost", counters[i]), counters[i]);
        }
        // The layer table: the first call holds the parameters, the calls after it none.
        String generated = ModelSources.generated(compilation, "test.NetCost");
        assertTrue(generated.contains("\"layer.0.fc\\tLinear\\t10x64\\t40960\\t81920\\t4160\\t"), generated);
        assertTrue(generated.contains("+ \"fc\\tLinear\\t10x64\\t40960\\t81920\\t0\\t"), generated);
    }

    @Test
    void withoutSharingEachRepetitionHoldsItsOwnWeights() {
        Compilation compilation = ModelSources.compiled(shared("@Repeat(3)", "{10, 64}"));
        assertEquals(3L * 4_288 + 650, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(3L * 40_960 + 6_400, ModelSources.constant(compilation, "test.NetCost", "MACS"));
    }

    @Test
    void aSharedRepetitionWithOtherFirstArgumentsIsRefused() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10, 64}, layout = "L,D")
                public class Net {
                    @Repeat(value = 3, first = "width = 32", shared = true) Stage layer;

                    @Block
                    static class Stage {
                        @Param(64) int width;
                        @Linear(with = "out = width") Layer fc;
                    }
                }
                """;
        expectOnly(text, "[MC214] layer: @Repeat(shared = true) with first: a first repetition of other arguments is another module",
                "Stage layer;", ModelSources.columnAfter(text, "Stage layer;", "shared = "));
    }

    @Test
    void aSharedModuleGivenAnotherWidthIsRefused() {
        // The Linear infers in_features from its input: 64 at the first call, 32 after it, another weight.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10, 64}, layout = "L,D")
                public class Net {
                    @Repeat(value = 2, shared = true) Half layer;

                    @Block
                    static class Half {
                        @Linear(with = "out = in / 2") Layer fc;
                    }
                }
                """;
        expectOnly(text, "[MC214] layer: @Repeat(shared = true): repetition 1 has 528 parameters and 0 buffers, repetition 0 2,080 and 0",
                "Half layer;", ModelSources.columnAfter(text, "Half layer;", "shared = "));
    }

    @Test
    void aSharedModuleOfOtherShapesButAsManyParametersIsRefused() {
        // Linear(64 -> 32) then Linear(32 -> 64), both 2,048 weights without bias: PyTorch would refuse the second call.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10, 64}, layout = "L,D")
                public class Net {
                    @Repeat(value = 2, shared = true) Flip layer;

                    @Block
                    static class Flip {
                        @Linear(bias = false, with = "out = 96 - in") Layer fc;
                    }
                }
                """;
        expectOnly(text, "[MC214] layer: @Repeat(shared = true): repetition 1 has as many parameters as repetition 0 (2,048), in weights of "
                + "other shapes", "Flip layer;", ModelSources.columnAfter(text, "Flip layer;", "shared = "));
    }

    @Test
    void aSharedRepeatInsideASharedRepeatKeepsTheModulesParametersForTheCounters() {
        // One Linear(64, 64) called 2 x 2 times: 4,160 parameters once. torchinfo counts its weights per call, (4,160 - 64)·10
        // plus the bias 64·10: 41,600 a call, 166,400 for four; v1.8.0 the parameters per call, 4,160 · 4 = 16,640.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10, 64}, layout = "L,D")
                public class Net {
                    @Repeat(value = 2, shared = true) Outer layer;

                    @Block
                    static class Outer {
                        @Repeat(value = 2, shared = true) Inner inner;
                    }

                    @Block
                    static class Inner {
                        @Linear(out = 64) Layer fc;
                    }
                }
                """;
        Compilation compilation = ModelSources.compiled(text);
        assertEquals(4_160L, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(166_400L, ModelSources.constant(compilation, "test.NetCost", "TORCHINFO_MULT_ADDS"));
        assertEquals(16_640L, ModelSources.constant(compilation, "test.NetCost", "TORCHINFO_V180_MULT_ADDS"));
        assertEquals(4_160L, ModelSources.constant(compilation, "test.NetCost", "TORCHINFO_PARAMS"));
    }

    @Test
    void anExpertThatCallsAModuleThreeTimesReadsItsWeightsEachCall() {
        // Two experts, one picked a token; an expert calls one Linear(8, 8) without bias three times. 4 tokens: each call reads its
        // input and writes its output, 4 · 8 · 4 bytes each, 3 calls: 768; the weights, 256 bytes, are read each call, 3 times, by
        // the expert the tokens run through and by the other one they reach: 2 · 3 · 256 = 1,536.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {4, 8}, layout = "L,D")
                public class Net {
                    @Experts(count = 2, topK = 1) E experts;

                    @Block
                    static class E {
                        @Repeat(value = 3, shared = true) F f;
                    }

                    @Block
                    static class F {
                        @Linear(out = 8, bias = false) Layer fc;
                    }
                }
                """;
        Compilation compilation = ModelSources.compiled(text);
        assertEquals(768L + 1_536, ModelSources.constant(compilation, "test.NetCost", "BYTES_MOVED"));
        assertEquals(2L * 64, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
    }

    @Test
    void aSharedRepetitionWhoseArgumentsReadItsNumberIsRefused() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10, 64}, layout = "L,D")
                public class Net {
                    @Args("width = 64 + index") @Repeat(value = 2, shared = true) Stage layer;

                    @Block
                    static class Stage {
                        @Param(64) int width;
                        @Linear(with = "out = 64") Layer fc;
                    }
                }
                """;
        expectOnly(text, "[MC214] layer: @Repeat(shared = true) with arguments that read the repetition's number", "Stage layer;",
                ModelSources.columnAfter(text, "Stage layer;", "shared = "));
    }
}
