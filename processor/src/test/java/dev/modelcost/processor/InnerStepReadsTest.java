package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * A step reads a step inside an earlier block field by its path ({@code "backbone.1"}), as a head
 * reads two maps of one backbone (torchvision's {@code IntermediateLayerGetter}).
 */
class InnerStepReadsTest {

    private static final String FEATURES = """
                @Block(indexed = true)
                static class Features {
                    @Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer c0;
                    @Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer c1;
                    @Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer c2;
                }
            """;

    private static String model(String... fields) {
        return "package test;\n\nimport dev.modelcost.*;\n\n@Model(input = {3, 64, 64})\npublic class Net {\n    Features backbone;\n    "
                + String.join("\n    ", fields) + "\n" + FEATURES + "}\n";
    }

    @Test
    void aHeadReadsAnInnerMapAndTheOutput() {
        Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", model(
                "@From(\"backbone.1\") @Conv2d(cout = 5, k = 1) Layer low;",
                "@From(\"backbone\") @Upsample(mode = \"bilinear\", with = \"size = [low.H, low.W]\") Layer up;",
                "@From(\"up\") @Conv2d(cout = 5, k = 1) Layer high;",
                "@Add({\"low\", \"high\"}) Layer sum;")));
        assertThat(compilation).succeeded();
        // backbone: 3x64x64 -> 8x32x32 -> 4x16x16 -> 4x8x8. low reads 4x16x16: 16*16*5*4 MACs;
        // up resizes the 4x8x8 output to 16x16; high: 16*16*5*4 MACs.
        long backbone = 32 * 32 * 8 * 27 + 16 * 16 * 4 * 72 + 8 * 8 * 4 * 36;
        assertEquals(backbone + 2 * (16 * 16 * 5 * 4), ModelSources.constant(compilation, "test.NetCost", "MACS"));
    }

    @Test
    void blockArgumentsAndConditionsReadEarlierFields() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 64, 64})
                public class Net {
                    @Conv2d(cout = 6, k = 1) Layer low;
                    @Args("width = low.C * 2") Head head;
                    @When("low.H > 100") @Conv2d(cout = 7, k = 1) Layer never;

                    @Block
                    static class Head {
                        @Param int width;
                        @Conv2d(k = 1, with = "cout = width") Layer conv;
                    }
                }
                """;
        Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", text));
        assertThat(compilation).succeeded();
        // low: 64*64*6*3; head.conv: 64*64*12*6; never is absent (64 <= 100).
        assertEquals(64 * 64 * 6 * 3 + 64 * 64 * 12 * 6, ModelSources.constant(compilation, "test.NetCost", "MACS"));
    }

    @Test
    void mc210AStepTheBlockDoesNotHave() {
        String text = model("@From(\"backbone.3\") @Conv2d(cout = 5, k = 1) Layer low;");
        expectOnly(text, "[MC210] low: 'backbone.3' names no earlier field or input; inside backbone are backbone.0, backbone.1, backbone.2",
                "Layer low;", columnAfter(text, "Layer low;", "@From("));
    }

    @Test
    void mc210ARepetitionsNumberAsPyTorchWritesIt() {
        // PyTorch names a repetition blk.1; there is no module blk.01.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8, 16, 16})
                public class Net {
                    @Repeat(3) B blk;
                    @From("blk.01.conv") @Conv2d(cout = 4, k = 1) Layer h;

                    @Block
                    static class B {
                        @Conv2d(cout = 8, k = 3, padding = 1) Layer conv;
                    }
                }
                """;
        expectOnly(text, "[MC210] h: 'blk.01.conv' names no earlier field or input; inside blk are blk.0..2", "Layer h;",
                columnAfter(text, "Layer h;", "@From("));
        // The canonical number reads it: h's input is blk.1.conv's 8 x 16 x 16, 8 * 4 MACs a position besides the blocks' own.
        Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", text.replace("blk.01.conv", "blk.1.conv")));
        assertThat(compilation).succeeded();
        assertEquals(3L * 16 * 16 * 8 * 8 * 9 + 16 * 16 * 8 * 4, ModelSources.constant(compilation, "test.NetCost", "MACS"));
    }

    @Test
    void mc210AStepLeftOutByItsWhenSaysSo() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8, 16, 16})
                public class Net {
                    @Args("c = 8") @Repeat(3) B blk;
                    @From("blk.1.gone") @Conv2d(cout = 4, k = 1) Layer h;

                    @Block
                    static class B {
                        @Param int c;
                        @Conv2d(k = 3, padding = 1, with = "cout = c") Layer conv;
                        @When("c > 100") @ReLU Layer gone;
                    }
                }
                """;
        expectOnly(text, "[MC210] h: 'blk.1.gone' names no earlier field or input; blk.1.gone is left out here: its @When(\"c > 100\") is false",
                "Layer h;", columnAfter(text, "Layer h;", "@From("));
    }

    @Test
    void mc210APathIntoALayer() {
        String text = model("@ReLU Layer act;", "@From(\"act.0\") @Conv2d(cout = 5, k = 1) Layer low;");
        expectOnly(text, "[MC210] low: 'act.0' names no earlier field or input", "Layer low;", columnAfter(text, "Layer low;", "@From("));
    }

    @Test
    void mc210APathIntoAMixtureOfExperts() {
        String text = ModelSources.model("@Model(input = {16, 64})", "@Experts(count = 4, topK = 2) Expert moe;", "@From(\"moe.fc\") @GELU Layer g;",
                "@Block static class Expert { @Linear(out = 64) Layer fc; }");
        expectOnly(text, "[MC210] g: 'moe.fc' names no earlier field or input; moe is a mixture of experts, whose experts' steps each see a "
                + "share of the tokens and are not read by path", "Layer g;", columnAfter(text, "Layer g;", "@From("));
    }

    @Test
    void aPathPastTheLastRepetitionIsAnErrorWithNoUnreadWarningBesideIt() {
        // layers.5 does not exist (two repetitions): MC210 says so; the field's output is not called unread (MC130) for a path that
        // reads nothing, as it is not for layers.1.q, the last repetition's output.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10, 64}, layout = "L,D")
                public class Net {
                    @Repeat(2) A layers;
                    @From("layers.5.q") @ReLU Layer r;

                    @Block
                    static class A {
                        @Linear(out = 64) Layer q;
                    }
                }
                """;
        Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", text));
        assertThat(compilation).hadErrorContaining("[MC210] r: 'layers.5.q' names no earlier field or input; inside layers are layers.0..1");
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadWarningCount(0);
    }

    @Test
    void aPathToNoStepInsideABlockIsAnErrorWithNoUnreadWarningBesideIt() {
        // a.nothing, a.r.x (past a layer) and the same inside a repetition name nothing: MC210, and a's output is not called unread.
        for (String path : new String[] {"a.nothing", "a.r.x", "a.0.nothing", "a.1.r.x"}) {
            String text = """
                    package test;

                    import dev.modelcost.*;

                    @Model(input = {3, 8, 8})
                    public class Net {
                        %s Bk a;
                        @From("%s") @ReLU Layer z;

                        @Block
                        static class Bk {
                            @ReLU Layer r;
                        }
                    }
                    """.formatted(path.matches("a\\.\\d.*") ? "@Repeat(2)" : "", path);
            Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", text));
            assertThat(compilation).hadErrorContaining("[MC210] z: '" + path + "' names no earlier field or input");
            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation).hadWarningCount(0);
        }
    }

    @Test
    void aPathToAnotherResultOfALayerInsideABlockLeavesTheBlocksOutputUnread() {
        // enc.lstm.h_n is read (the analysis resolves it), and enc's output, fc's, is computed for nothing: MC130 says so.
        String text = ModelSources.model("@Model(input = {20, 32}, layout = \"L,D\")", "Enc enc;", "@From(\"enc.lstm.h_n\") @Linear(out = 4) Layer head;",
                "@Block static class Enc { @LSTM(hiddenSize = 16) Layer lstm; @Linear(out = 8) Layer fc; }");
        Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", text));
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningContaining("[MC130] Net: the output of field enc is never read");
    }
}
