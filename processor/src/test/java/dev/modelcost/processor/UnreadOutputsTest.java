package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.model;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** A field whose output nothing reads is a warning on it (MC130); the model is still costed. */
class UnreadOutputsTest {

    private static Compilation compile(JavaFileObject file) {
        return ModelSources.compile(file);
    }

    @Test
    void mc130ASqueezeAndExcitationGateSkippedByTheWrongName() {
        JavaFileObject file = ModelSources.source("test.Net", model("@Model(input = {16, 8, 8})",
                "@Conv2d(cout = 16, k = 3, padding = 1) Layer conv;",
                "@AdaptiveAvgPool2d(1) Layer pool;",
                "@Conv2d(cout = 16, k = 1) Layer fc;",
                "@Sigmoid Layer gate;",
                "@Mul({\"conv\", \"conv\"}) Layer scaled;"));
        Compilation compilation = compile(file);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation).hadWarningContaining("[MC130] Net: the output of field gate is never read").inFile(file).onLineContaining("Layer gate;");
        assertThat(compilation).generatedSourceFile("test.NetCost");
    }

    @Test
    void mc141ASecondInputFedToNothing() {
        // A cross-attention meant to read the encoder's memory reads the decoder's input twice: the memory input is never read.
        JavaFileObject file = ModelSources.source("test.Net", """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "tgt", shape = {8, 16}, layout = "L,E"), @Input(name = "memory", shape = {12, 16}, layout = "L,E")})
                public class Net {
                    @From({"tgt", "tgt", "tgt"}) @MultiheadAttention(embedDim = 16, numHeads = 2) Layer cross;
                }
                """);
        Compilation compilation = compile(file);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation).hadWarningContaining("[MC141] Net: its input memory is never read").inFile(file).onLineContaining("public class Net");
        // The class says it is meant.
        Compilation meant = compile(ModelSources.source("test.Net", ModelSources.content(file).replace("public class Net",
                "@SuppressWarnings(\"MC141\")\npublic class Net")));
        assertThat(meant).succeeded();
        assertThat(meant).hadWarningCount(0);
    }

    @Test
    void aFieldSaysItsOutputIsMeantToGoUnread() {
        Compilation compilation = compile(ModelSources.source("test.Net", model("@Model(input = {16})",
                "@SuppressWarnings(\"MC130\") @Linear(out = 8) Layer router;",
                "@From(\"input\") @Linear(out = 4) Layer head;")));
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(0);
    }

    @Test
    void shortcutsOutputsAndAxesReadCountAsReads() {
        Compilation compilation = compile(ModelSources.source("test.Net", """
                package test;

                import dev.modelcost.*;

                @Model(input = {8, 16, 16}, output = "sum")
                public class Net {
                    @Conv2d(cout = 8, k = 3, padding = 1) Layer a;
                    @Conv2d(cout = 4, k = 1) Layer sized;
                    @From("a") @Upsample(with = "size = [sized.H, sized.W]") Layer up;
                    @From("input") @Args("width = 8") Branch branch;
                    @Add({"up", "branch.conv"}) Layer sum;
                    @ReLU Layer extra;

                    @Block
                    static class Branch {
                        @Param int width;
                        @Conv2d(k = 3, padding = 1, with = "cout = width") Layer conv;
                        @ReLU Layer relu;
                    }
                }
                """));
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(0);
    }
}
