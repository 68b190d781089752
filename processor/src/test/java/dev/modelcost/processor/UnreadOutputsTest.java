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
    void mc130TheLastFieldWhenTheOutputIsAnother() {
        // @Model(output = "a"): b is neither read nor the output, though it is the last field (BERT's pooler, left unread where the
        // encoder's output is the model's)
        JavaFileObject file = ModelSources.source("test.Net", model("@Model(input = {4, 8, 8}, output = \"a\")",
                "@Conv2d(cout = 4, k = 1) Layer a;", "@Conv2d(cout = 4, k = 1) Layer b;"));
        Compilation compilation = compile(file);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation).hadWarningContaining("[MC130] Net: the output of field b is never read").inFile(file).onLineContaining("Layer b;");
        // without @Model(output), the last field is the output, and b reads a
        Compilation last = compile(ModelSources.source("test.Net", ModelSources.content(file).replace(", output = \"a\"", "")));
        assertThat(last).succeeded();
        assertThat(last).hadWarningCount(0);
    }

    @Test
    void aModelClassAppliedAsABlockReturnsEveryOutputItNames() {
        // Net returns (a, b) as a model and a as a block, holding b too: neither is unread where Big applies it; a field that is
        // neither (c) is warned of once, as when Net is compiled alone.
        JavaFileObject net = ModelSources.source("test.Net", """
                package test;
                import dev.modelcost.*;
                @Model(input = {16, 8}, layout = "L,D", output = {"a", "b"})
                @Block
                public class Net {
                    @Linear(out = 4) Layer a;
                    @From("input") @Linear(out = 6) Layer b;
                    @From("input") @Linear(out = 2) Layer c;
                }
                """);
        JavaFileObject big = ModelSources.source("test.Big", """
                package test;
                import dev.modelcost.*;
                @Model(input = {16, 8}, layout = "L,D")
                public class Big {
                    Net n;
                    @Linear(out = 3) Layer head;
                }
                """);
        Compilation compilation = ModelSources.compile(net, big);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation).hadWarningContaining("[MC130] Net: the output of field c is never read").inFile(net).onLineContaining("Layer c;");
    }

    @Test
    void aMergeUnderWhenPassesOnTheFieldBeforeIt() {
        // torchvision's RegNet block: the shortcut's sum where the shape changes, the identity's sum where it does not. Where sum2 is
        // absent it passes on sum1's output (the step before it), which the activation reads: sum1 is read, and nothing is warned.
        JavaFileObject file = ModelSources.source("test.Net", model("@Model(input = {8, 16, 16})",
                "@Args(\"stride = 2, wd = 16\") Res a;", "@Args(\"stride = 1, wd = 16\") Res b;",
                "@Block public static class Res { @Param int stride; @Param int wd;",
                "  @From(\"input\") @When(\"stride != 1 || in != wd\") @Conv2d(k = 1, with = \"cout = wd, stride = stride\") Layer proj;",
                "  @From(\"input\") @Conv2d(k = 3, padding = 1, with = \"cout = wd, stride = stride\") Layer f;",
                "  @When(\"stride != 1 || in != wd\") @Add({\"proj\", \"f\"}) Layer sum1;",
                "  @When(\"stride == 1 && in == wd\") @Add({\"input\", \"f\"}) Layer sum2;",
                "  @ReLU Layer activation; }"));
        Compilation compilation = compile(file);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(0);
        // Where sum2 always runs, sum1 is read by nothing.
        Compilation always = compile(ModelSources.source("test.Net", model("@Model(input = {8, 16, 16})",
                "@From(\"input\") @Conv2d(cout = 8, k = 1) Layer proj;", "@From(\"input\") @Conv2d(cout = 8, k = 3, padding = 1) Layer f;",
                "@Add({\"proj\", \"f\"}) Layer sum1;", "@Add({\"input\", \"f\"}) Layer sum2;", "@ReLU Layer activation;")));
        assertThat(always).hadWarningContaining("[MC130] Net: the output of field sum1 is never read");
    }

    @Test
    void aPathIntoAnIndexedBlockNamesItsStepsByNumber() {
        // torchvision's ASPP reads its branches as convs.0, convs.1, ..., as nn.ModuleList numbers them: a function (F.relu) takes
        // no number, so convs.0 is a and convs.2 is c, the block's output; b, number 1, alone is never read.
        String[] fields = {"Branches convs;", "@Concat({\"convs.0\", \"convs.2\"}) Layer cat;",
            "@Block(indexed = true) public static class Branches {", "  @From(\"input\") @Conv2d(cout = 4, k = 1) Layer a;",
            "  @From(\"input\") @Functional @ReLU Layer r;", "  @Conv2d(cout = 4, k = 1) Layer b;",
            "  @From(\"input\") @Conv2d(cout = 4, k = 1) Layer c; }"};
        JavaFileObject file = ModelSources.source("test.Net", model("@Model(input = {8, 16, 16})", fields));
        Compilation compilation = compile(file);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation).hadWarningContaining("[MC130] Branches: the output of field b is never read").inFile(file)
                .onLineContaining("Layer b;");
        // Where a step under @When comes first, which steps the numbers name is known only to the analysis: nothing is warned.
        Compilation conditional = compile(ModelSources.source("test.Net", ModelSources.content(file).replace("@From(\"input\") @Conv2d(cout = 4, k = 1) Layer a;",
                "@From(\"input\") @When(\"in > 1\") @Conv2d(cout = 4, k = 1) Layer a;")));
        assertThat(conditional).succeeded();
        assertThat(conditional).hadWarningCount(0);
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
    void warningsAreSuppressedAsJavasOwnOnTheElementOrAroundIt() {
        // On the class, @SuppressWarnings("MC130") covers its fields, as javac's lint names do; "all" and "modelcost" cover every warning.
        String unread = model("@Model(input = {16, 8, 8})", "@Conv2d(cout = 16, k = 3, padding = 1) Layer conv;", "@Sigmoid Layer gate;",
                "@From(\"conv\") @ReLU Layer r;");
        assertThat(compile(ModelSources.source("test.Net", unread))).hadWarningCount(1);
        for (String suppress : java.util.List.of("\"MC130\"", "\"all\"", "\"modelcost\"", "{\"unchecked\", \"MC130\"}")) {
            Compilation compilation = compile(ModelSources.source("test.Net", unread.replace("public class Net", "@SuppressWarnings(" + suppress
                    + ")\npublic class Net")));
            assertThat(compilation).succeeded();
            assertThat(compilation).hadWarningCount(0);
        }
        // Another tag does not, and on a block's class it covers the block's fields wherever the block is applied.
        assertThat(compile(ModelSources.source("test.Net", unread.replace("public class Net", "@SuppressWarnings(\"MC141\")\npublic class Net"))))
                .hadWarningCount(1);
        Compilation block = compile(ModelSources.source("test.Net", """
                package test;

                import dev.modelcost.*;

                @Model(input = {16, 8, 8})
                public class Net {
                    Gated g;

                    @Block
                    @SuppressWarnings("MC130")
                    public static class Gated {
                        @Conv2d(cout = 16, k = 3, padding = 1) Layer conv;
                        @Sigmoid Layer gate;
                        @From("conv") @ReLU Layer r;
                    }
                }
                """));
        assertThat(block).succeeded();
        assertThat(block).hadWarningCount(0);
        // MC142 on the field it names.
        Compilation dtype = compile(ModelSources.source("test.Net", model("@Model(input = {16})",
                "@Linear(out = 8) Layer fc;", "@Dtype(weights = \"int8\") @SuppressWarnings(\"MC142\") @ReLU Layer r;")));
        assertThat(dtype).succeeded();
        assertThat(dtype).hadWarningCount(0);
    }

    @Test
    void aBlocksStepReadByItsPathIsReadAndTheBlocksOwnOutputIsNot() {
        // WaveNet's skips: the model reads each block's skip convolution by its path. Those are read; l0's output is read by l1, but
        // l1's by nothing.
        JavaFileObject file = ModelSources.source("test.Net", """
                package test;

                import dev.modelcost.*;

                @Model(input = {8, 100}, layout = "C,L")
                public class Net {
                    L l0;
                    L l1;
                    @Add({"l0.skip", "l1.skip"}) Layer skips;

                    @Block
                    static class L {
                        @Conv1d(cout = 8, k = 1) Layer main;
                        @Conv1d(cout = 16, k = 1) Layer skip;
                        @From("main") @ReLU Layer out;
                    }
                }
                """);
        Compilation compilation = compile(file);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation).hadWarningContaining("[MC130] Net: the output of field l1 is never read").inFile(file).onLineContaining("L l1;");
        // Not "remove the field": its skip is read by its path, and the fix says so.
        assertThat(compilation).hadWarningContaining("and it is not the output; only steps inside it are read, by their paths (l1.skip) (fix: "
                + "read its output where it belongs, or, where it is meant to go unread (a WaveNet stack's last residual, whose skips are read), say "
                + "so with @SuppressWarnings(\"MC130\") on the field; removing the field would remove the steps read inside it)").inFile(file)
                .onLineContaining("L l1;");
        // Through a repetition's index too; a step no path reads is still found.
        Compilation repeated = compile(ModelSources.source("test.Net", ModelSources.content(file).replace("    L l0;\n    L l1;\n", "    @Repeat(2) L l;\n")
                .replace("{\"l0.skip\", \"l1.skip\"}", "{\"l.0.skip\", \"l.1.skip\"}").replace("@Add(", "@SuppressWarnings(\"MC130\") @Add(")
                .replace("Layer skips;", "Layer skips; @From(\"l\") @ReLU Layer last;")));
        assertThat(repeated).succeeded();
        assertThat(repeated).hadWarningCount(0);
    }

    @Test
    void aPathToABlocksLastStepAtEveryLevelOrToItsLastRepetitionReadsTheBlock() {
        String nested = """
                package test;

                import dev.modelcost.*;

                @Model(input = {16})
                public class Net {
                    Outer o;
                    @From("input") @Linear(out = 8) Layer side;
                    @Add({"o.inner.fc", "side"}) Layer sum;

                    @Block
                    public static class Outer {
                        @Linear(out = 16) Layer pre;
                        Inner inner;
                    }

                    @Block
                    public static class Inner {
                        @ReLU Layer act;
                        @Linear(out = 8) Layer fc;
                    }
                }
                """;
        assertThat(compile(ModelSources.source("test.Net", nested))).hadWarningCount(0);
        // o.inner.act is inside: o's output is unread.
        Compilation inside = compile(ModelSources.source("test.Net", nested.replace("\"o.inner.fc\"", "\"o.inner.act\"").replace("@Linear(out = 8) Layer side",
                "@Linear(out = 16) Layer side")));
        assertThat(inside).succeeded();
        assertThat(inside).hadWarningContaining("[MC130] Net: the output of field o is never read");
        String repeated = model("@Model(input = {16})", "@Repeat(3) Blk layers;", "@From(\"input\") @Linear(out = 16) Layer side;",
                "@Add({\"layers.2\", \"side\"}) Layer sum;") .replace("}\n", "\n    @Block public static class Blk { @Linear(out = 16) Layer fc; @ReLU Layer act; }\n}\n");
        assertThat(compile(ModelSources.source("test.Net", repeated))).hadWarningCount(0);
        Compilation earlier = compile(ModelSources.source("test.Net", repeated.replace("\"layers.2\"", "\"layers.1\"")));
        assertThat(earlier).succeeded();
        assertThat(earlier).hadWarningContaining("[MC130] Net: the output of field layers is never read");
        // A count written as a number in an expression is known too.
        Compilation counted = compile(ModelSources.source("test.Net", repeated.replace("\"layers.2\"", "\"layers.0\"").replace("@Repeat(3)",
                "@Repeat(count = \"3\")")));
        assertThat(counted).succeeded();
        assertThat(counted).hadWarningContaining("[MC130] Net: the output of field layers is never read");
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
                    @Add({"up", "branch.relu"}) Layer sum;
                    @SuppressWarnings("MC130") @ReLU Layer extra;  // after the output, read by nothing: meant here

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
        // Reading a step before the block's last one leaves the block's output unread.
        Compilation inner = compile(ModelSources.source("test.Net", ModelSources.content(compilation.sourceFiles().get(0))
                .replace("\"branch.relu\"", "\"branch.conv\"")));
        assertThat(inner).succeeded();
        assertThat(inner).hadWarningCount(1);
        assertThat(inner).hadWarningContaining("[MC130] Net: the output of field branch is never read");
    }
}
