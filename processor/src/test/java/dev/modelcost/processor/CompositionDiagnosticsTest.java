package dev.modelcost.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.assertOnlyError;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.columnOf;
import static dev.modelcost.processor.ModelSources.compile;
import static dev.modelcost.processor.ModelSources.expectInBlock;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.generatedSources;
import static dev.modelcost.processor.ModelSources.lineOf;
import static dev.modelcost.processor.ModelSources.source;

import com.google.testing.compile.Compilation;
import dev.modelcost.processor.fuzz.ToolCompile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalogue entries of putting a network together: block arguments (MC205, MC206), references
 * and merges (MC210, MC211, MC307), cycles (MC212) and repetition (MC213), a block whose field
 * order is unknown (MC215), and how an error inside a block reaches the models that use it.
 */
class CompositionDiagnosticsTest {

    /** A model using a bottleneck-like block; tests replace the {@code @Args} line. */
    private static final String STAGE = """
            package test;

            import dev.modelcost.*;

            @Model(input = {16, 8, 8})
            public class Net {
                @Args("planes = 8, stride = 2") Unit unit;

                @Block
                public static class Unit {
                    @Param int planes;
                    @Param(1) int stride;
                    @Conv2d(k = 3, padding = 1, with = "cout = planes, stride = stride") Layer conv;
                    @ReLU Layer relu;
                }
            }
            """;

    @Test
    void theStageCompiles() {
        // The control: conv 16 -> 8, k 3, stride 2, padding 1 on 8x8: (8 + 2 - 3) / 2 + 1 = 4, so 8x4x4.
        Compilation compilation = compile(source("test.Net", STAGE));
        assertThat(compilation).succeeded();
        assertThat(compilation).generatedSourceFile("test.NetCost").contentsAsUtf8String().contains("OUTPUT_SHAPE = \"1x8x4x4\";");
    }

    @Test
    void mc205UnknownArgumentWithSuggestion() {
        String text = STAGE.replace("@Args(\"planes = 8, stride = 2\")", "@Args(\"planes = 8, strid = 2\")");
        expectOnly(text, "[MC205] unit: block Unit has no parameter 'strid'; did you mean 'stride'?", "Unit unit;",
                columnAfter(text, "Unit unit;", "@Args("));
    }

    @Test
    void mc205UnknownArgumentInRepeatFirst() {
        String text = STAGE.replace("@Args(\"planes = 8, stride = 2\")", "@Args(\"planes = 8\") @Repeat(value = 2, first = \"stirde = 2\")");
        expectOnly(text, "[MC205] unit: block Unit has no parameter 'stirde'; did you mean 'stride'?", "Unit unit;",
                columnAfter(text, "Unit unit;", "first = "));
    }

    @Test
    void mc206MissingArgument() {
        String text = STAGE.replace("@Args(\"planes = 8, stride = 2\")", "@Args(\"stride = 2\")");
        expectOnly(text, "[MC206] unit: block Unit needs parameter 'planes', which has no default (fix: pass it, e.g. @Args(\"planes = ...\"))",
                "Unit unit;", columnAfter(text, "Unit unit;", "@Args("));
    }

    @Test
    void mc206MissingArgumentsAltogether() {
        String text = STAGE.replace("@Args(\"planes = 8, stride = 2\") Unit unit;", "Unit unit;");
        expectOnly(text, "[MC206] unit: block Unit needs parameter 'planes', which has no default", "Unit unit;",
                columnOf(text, "Unit unit;", "unit;"));
    }

    @Test
    void mc201MalformedArgument() {
        String text = STAGE.replace("@Args(\"planes = 8, stride = 2\")", "@Args(\"planes = (8, stride = 2\")");
        expectOnly(text, "[MC201] unit: cannot parse 'planes = (8, stride = 2': expected ')'", "Unit unit;",
                columnAfter(text, "Unit unit;", "@Args("));
    }

    @Test
    void mc204DivisionByZeroInAnArgument() {
        // in = 16, so in / 32 = 0 and the divisor is zero.
        String text = STAGE.replace("@Args(\"planes = 8, stride = 2\")", "@Args(\"planes = 8, stride = 2 / (in / 32)\")");
        expectOnly(text, "[MC204] unit argument stride: division by zero in 'stride = 2 / (in / 32)' (2 / 0)", "Unit unit;",
                columnAfter(text, "Unit unit;", "@Args("));
    }

    @Test
    void mc210FromAnUnknownField() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Linear(out = 10) Layer fc1;
                    @From("fc") @Linear(out = 5) Layer fc2;
                }
                """;
        expectOnly(text, "[MC210] fc2: 'fc' names no earlier field or input; did you mean 'fc1'? (fix: name a field declared above this one, or an input: \"input\")", "Layer fc2;",
                columnAfter(text, "Layer fc2;", "@From("));
    }

    @Test
    void mc210AddOfALaterField() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Linear(out = 10) Layer a;
                    @Add({"a", "b"}) Layer sum;
                    @Linear(out = 10) Layer b;
                }
                """;
        expectOnly(text, "[MC210] sum: 'b' names no earlier field", "Layer sum;", columnAfter(text, "Layer sum;", "@Add("));
    }

    @Test
    void mc211MergeOfOneInput() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Linear(out = 10) Layer a;
                    @Add({"a"}) Layer sum;
                }
                """;
        expectOnly(text, "[MC211] sum: Add takes at least 2 inputs, got 1", "Layer sum;", columnAfter(text, "Layer sum;", "@Add("));
        // torch.cat of an empty list fails; of one tensor it copies it (DenseNet's first layer of a block): one input is a Concat
        String none = text.replace("@Add({\"a\"}) Layer sum;", "@Concat({}) Layer sum;");
        expectOnly(none, "[MC211] sum: Concat takes at least 1 input, got 0", "Layer sum;", columnAfter(none, "Layer sum;", "@Concat("));
    }

    @Test
    void mc307AddOfMismatchedShapesNamesBoth() {
        // The shortcut is the 16x8x8 input; the branch is 32x8x8: channels neither equal nor 1.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {16, 8, 8})
                public class Net {
                    @Conv2d(cout = 32, k = 3, padding = 1) Layer conv;
                    @Add({"input", "conv"}) Layer sum;
                }
                """;
        expectOnly(text, "[MC307] sum: Add cannot combine input 16x8x8 and conv 32x8x8 (each dimension must be equal or 1)",
                "Layer sum;", columnAfter(text, "Layer sum;", "@Add("));
    }

    @Test
    void mc307ConcatOfMismatchedSizes() {
        // A 3x3 conv without padding gives 8x6x6; the input is 16x8x8: channels may differ, height and width may not.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {16, 8, 8})
                public class Net {
                    @Conv2d(cout = 8, k = 3) Layer conv;
                    @Concat({"input", "conv"}) Layer cat;
                }
                """;
        expectOnly(text, "[MC307] cat: Concat cannot combine input 16x8x8 and conv 8x6x6 (all dimensions but dim 1 must agree)",
                "Layer cat;", columnAfter(text, "Layer cat;", "@Concat("));
    }

    @Test
    void mc307ConcatOfAnAxisOfOneSaysToExpandIt() {
        // DeepSeek-V2's key: torch.cat((k_nope, k_pe.expand(-1, heads, -1, -1)), dim=-1), here with the expand left out
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {4, 8, 16}, layout = "H,L,E")
                public class Net {
                    @Parameter(shape = {1, 8, 8}, layout = "H,L,E") Layer pe;
                    @Concat(value = {"input", "pe"}, dim = 3) Layer key;
                }
                """;
        expectOnly(text, "[MC307] key: Concat cannot combine input 4x8x16 and pe 1x8x8 (all dimensions but dim 3 must agree; torch.cat broadcasts "
                + "no axis of 1: expand it first with @Expand)", "Layer key;", columnAfter(text, "Layer key;", "value = "));
    }

    @Test
    void mc307MulInsideABlockNamesTheBlockPath() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {16, 8, 8})
                public class Net {
                    Gate gate;

                    @Block
                    public static class Gate {
                        @AdaptiveAvgPool2d(1) Layer squeeze;
                        @Conv2d(cout = 4, k = 1) Layer reduce;
                        @Mul({"input", "reduce"}) Layer scale;
                    }
                }
                """;
        expectInBlock(text, "[MC307] gate.scale: Mul cannot combine input 16x8x8 and reduce 4x1x1", "Layer scale;",
                columnAfter(text, "Layer scale;", "@Mul("), "Gate gate;");
    }

    @Test
    void mc212BlockThatContainsItself() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    Loop loop;

                    @Block
                    public static class Loop {
                        @ReLU Layer relu;
                        Loop again;
                    }
                }
                """;
        expectOnly(text, "[MC212] block Loop contains itself: Loop -> Loop", "Loop again;", columnOf(text, "Loop again;", "again"));
    }

    @Test
    void mc212BlockThatContainsItselfThroughAnother() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    Outer outer;

                    @Block
                    public static class Outer {
                        @ReLU Layer relu;
                        Inner inner;
                    }

                    @Block
                    public static class Inner {
                        @Tanh Layer tanh;
                        Outer outer;
                    }
                }
                """;
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        // Blocks are read in name order, so the cycle is found from Inner: Inner -> Outer -> Inner, on Outer's field.
        assertThat(compilation).hadErrorContaining("[MC212] block Inner contains itself: Inner -> Outer -> Inner").inFile(file)
                .onLine(lineOf(text, "Inner inner;")).atColumn(columnOf(text, "Inner inner;", "inner;"));
    }

    @Test
    void mc213RepeatedNoTimes() {
        String text = STAGE.replace("@Args(\"planes = 8, stride = 2\")", "@Args(\"planes = 8\") @Repeat(0)");
        expectOnly(text, "[MC213] unit: @Repeat count must be from 1 to 2,147,483,647, but is 0", "Unit unit;", columnAfter(text, "Unit unit;", "@Repeat("));
    }

    @Test
    void mc303ARepeatOfNoCount() {
        String text = STAGE.replace("@Args(\"planes = 8, stride = 2\")", "@Args(\"planes = 8\") @Repeat");
        expectOnly(text, "[MC303] unit: @Repeat needs 'value' (how many times) or 'count' (an expression of the times)", "Unit unit;",
                columnOf(text, "Unit unit;", "@Repeat"));
    }

    @Test
    void mc213ACountExpressionOfNoTimes() {
        String text = STAGE.replace("@Args(\"planes = 8, stride = 2\")", "@Args(\"planes = 8\") @Repeat(count = \"ceil(0.4 * 2) - 1\")");
        expectOnly(text, "[MC213] unit: @Repeat count must be from 1 to 2,147,483,647, but is 0", "Unit unit;", columnAfter(text, "Unit unit;", "count = "));
    }

    @Test
    void mc213ACountExpressionBeyondAnInt() {
        String text = STAGE.replace("@Args(\"planes = 8, stride = 2\")", "@Args(\"planes = 8\") @Repeat(count = \"2147483647 * 2\")");
        expectOnly(text, "[MC213] unit: @Repeat count must be from 1 to 2,147,483,647, but is 4,294,967,294", "Unit unit;",
                columnAfter(text, "Unit unit;", "count = "));
    }

    @Test
    void mc209ARepeatCountGivenTwice() {
        String text = STAGE.replace("@Args(\"planes = 8, stride = 2\")", "@Args(\"planes = 8\") @Repeat(value = 2, count = \"2\")");
        expectOnly(text, "[MC209] unit: 'value' is given both as a literal and in 'count'", "Unit unit;", columnAfter(text, "Unit unit;", "count = "));
    }

    @Test
    void aBlockAppliedInPlaceGivesItsFieldsThePathsOfTheNetwork() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Net {
                    @Args(value = "width = 4", inPlace = true) Body body;
                    @Conv2d(cout = 2, k = 1) Layer head;

                    @Block
                    static class Body {
                        @Param int width;
                        @Conv2d(k = 3, padding = 1, with = "cout = width") Layer conv1;
                        @ReLU Layer relu;
                    }
                }
                """;
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).succeededWithoutWarnings();
        String cost = ModelSources.generated(compilation, "test.NetCost");
        assertThat(cost).contains("\"conv1\\tConv2d\\t4x8x8");
        assertThat(cost).contains("+ \"relu\\tReLU\\t4x8x8");
        assertThat(cost).contains("+ \"head\\tConv2d\\t2x8x8");
    }

    @Test
    void mc125AFieldAppliedInPlaceUnderANameTheNetworkHas() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Net {
                    @Args(value = "width = 4", inPlace = true) Body body;
                    @Conv2d(cout = 2, k = 1) Layer relu;

                    @Block
                    static class Body {
                        @Param int width;
                        @Conv2d(k = 3, padding = 1, with = "cout = width") Layer conv1;
                        @ReLU Layer relu;
                    }
                }
                """;
        expectOnly(text, "[MC125] body: block Body, applied in place, brings a field named 'relu', a name this network already has", "Body body;",
                columnAfter(text, "Body body;", "inPlace = "));
    }

    @Test
    void mc214InPlaceAndRepeated() {
        String text = STAGE.replace("@Args(\"planes = 8, stride = 2\")", "@Args(value = \"planes = 8\", inPlace = true) @Repeat(2)");
        expectOnly(text, "[MC214] unit: @Repeat and @Args(inPlace = true) do not go together", "Unit unit;", columnAfter(text, "Unit unit;", "inPlace = "));
        // With @Experts the message names @Experts, which the field has, not @Repeat.
        String experts = STAGE.replace("@Args(\"planes = 8, stride = 2\")", "@Args(value = \"planes = 8\", inPlace = true) @Experts(count = 4, topK = 2)");
        expectOnly(experts, "[MC214] unit: @Experts and @Args(inPlace = true) do not go together: a block applied in place is applied once, as "
                + "written (fix: drop inPlace, or @Experts)", "Unit unit;", columnAfter(experts, "Unit unit;", "inPlace = "));
    }

    @Test
    void mc104RepetitionsNumberedFromBelowZero() {
        String text = STAGE.replace("@Args(\"planes = 8, stride = 2\")", "@Args(\"planes = 8\") @Repeat(value = 2, start = -1)");
        expectOnly(text, "[MC104] unit: @Repeat start must be at least 0, but is -1", "Unit unit;", columnAfter(text, "Unit unit;", "start = "));
    }

    @Test
    void mc401RepetitionNumbersBeyondInt() {
        String text = STAGE.replace("@Args(\"planes = 8, stride = 2\")", "@Args(\"planes = 8\") @Repeat(value = 2, start = Integer.MAX_VALUE)");
        // javac places a qualified constant at its dot.
        expectOnly(text, "[MC401] unit: the last repetition's number, 2147483647 + 1, is too large to count exactly", "Unit unit;",
                columnAfter(text, "Unit unit;", "start = Integer"));
    }

    @Test
    void mc214InlineRepetitionsInAContainerWithoutNumbers() {
        String text = STAGE.replace("@Args(\"planes = 8, stride = 2\")", "@Args(\"planes = 8\") @Repeat(value = 2, inline = true)");
        expectOnly(text, "[MC214] unit: @Repeat(inline = true) needs an indexed container, and Net is not", "Unit unit;",
                columnAfter(text, "Unit unit;", "inline = "));
    }

    @Test
    void mc214InlineRepetitionsRunInALoop() {
        String text = STAGE.replace("@Model(input = {16, 8, 8})", "@Model(input = {16, 8, 8}, indexed = true)")
                .replace("@Args(\"planes = 8, stride = 2\")", "@Args(\"planes = 8\") @Repeat(value = 2, inline = true, loop = true)");
        expectOnly(text, "[MC214] unit: @Repeat(loop = true) with inline: inline repetitions are the container's own children", "Unit unit;",
                columnAfter(text, "Unit unit;", "loop = "));
    }

    @Test
    void mc214InlineRepetitionsWithTheirOwnNames() {
        String text = STAGE.replace("@Model(input = {16, 8, 8})", "@Model(input = {16, 8, 8}, indexed = true)")
                .replace("@Args(\"planes = 8, stride = 2\")", "@Args(\"planes = 8\") @Repeat(value = 2, inline = true, prefix = \"u\")");
        expectOnly(text, "[MC214] unit: @Repeat(inline = true) takes the container's numbers, so it cannot have a prefix or start",
                "Unit unit;", columnAfter(text, "Unit unit;", "prefix = "));
    }

    @Test
    void mc215BlockFromAClassFileWithoutARecordOfItsFieldOrderUnderEcj() {
        // The block is compiled without the processor, so no record of its field order lies beside its class file; ECJ,
        // unlike javac, gives a class file's fields sorted by name. Each model using it gets the error on its own field.
        String block = """
                package lib;

                import dev.modelcost.*;

                @Block
                public class Unit {
                    @ReLU Layer relu;
                    @Flatten Layer flatten;
                }
                """;
        String first = """
                package test;

                import dev.modelcost.*;

                @Model(input = {4, 2, 2})
                public class First {
                    lib.Unit unit;
                }
                """;
        String second = first.replace("First", "Second").replace("lib.Unit unit;", "@ReLU Layer relu;\n    lib.Unit unit;");
        ToolCompile.Result library = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("lib.Unit", block), List.of("-proc:none"), true);
        try {
            ToolCompile.Result ecj = ToolCompile.run(new EclipseCompiler(), Map.of("test.First", first, "test.Second", second), List.of("-proc:only"),
                    List.of(library.classOutput()), false, new ModelCostProcessor());
            String message = "[MC215] unit: the declaration order of block Unit's fields is unknown: the block comes from a class file,"
                    + " whose fields this compiler (ECJ) gives sorted by name, and no META-INF/modelcost/blocks/lib.Unit.fields is on the class path";
            assertThat(ecj.errors().stream().map(d -> d.file() + ":" + d.line() + ": " + d.message().substring(0, message.length())).toList())
                    .containsExactly("First.java:" + lineOf(first, "lib.Unit unit;") + ": " + message,
                            "Second.java:" + lineOf(second, "lib.Unit unit;") + ": " + message);
            assertThat(ecj.generated()).isEmpty();
            // javac keeps the class file's order: the same compilation succeeds.
            ToolCompile.Result javac = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("test.First", first, "test.Second", second),
                    List.of("-proc:only"), List.of(library.classOutput()), false, new ModelCostProcessor());
            assertThat(javac.errors()).isEmpty();
            assertThat(javac.generated().keySet()).containsExactly("test/FirstCost.java", "test/SecondCost.java");
        } finally {
            ToolCompile.delete(library.classOutput().getParent());
        }
    }

    @Test
    void aBlockFromAClassFileKeepsItsFieldsSuppressions() {
        // Java keeps @SuppressWarnings in source only. A field of a block that suppresses MC130 stands for an output the PyTorch code
        // uses (fvcore's trace keeps its layer) and is silent; read from its class file the block lost both: fvcore's figure changed
        // and the warning came back with no place to silence it. By hand: a, 16·8 = 128 MACs; side, on a's 8 features, 8·4 = 32;
        // fvcore counts both Linears, 160, with the side layer kept, 128 without it.
        String side = "package lib;\n\nimport dev.modelcost.*;\n\n@Block\npublic class Side {\n    @Linear(out = 8) Layer a;\n"
                + "    @SuppressWarnings(\"MC130\") @Linear(out = 4) Layer side;\n    @From(\"a\") @ReLU Layer r;\n}\n";
        String model = "package test;\n\nimport dev.modelcost.*;\n\n@Model(input = {16})\npublic class Net {\n    lib.Side s;\n}\n";
        javax.tools.JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ToolCompile.Result together = ToolCompile.run(javac, Map.of("lib.Side", side, "test.Net", model), List.of("-proc:only"), false,
                new ModelCostProcessor());
        ToolCompile.Result lib = ToolCompile.run(javac, Map.of("lib.Side", side), List.of(), true, new ModelCostProcessor());
        try {
            ToolCompile.Result apart = ToolCompile.run(javac, Map.of("test.Net", model), List.of("-proc:only"), List.of(lib.classOutput()), false,
                    new ModelCostProcessor());
            for (ToolCompile.Result result : List.of(together, apart)) {
                assertThat(result.diagnostics().stream().filter(d -> d.message().contains("MC130")).toList()).isEmpty();
                assertThat(result.generated().get("test/NetCost.java")).contains("FVCORE_FLOPS = 160L;");
            }
        } finally {
            ToolCompile.delete(lib.classOutput().getParent());
        }
    }

    @Test
    void mc146ABlockFromAClassFileNamingAClassMissingFromTheClassPath() {
        // lib.Res holds a block of another library, ext.Inner, which the model's compilation does not have (a dependency the
        // library does not pass on). javac reports nothing for a type a class file names: without MC146 the model was skipped
        // with no Cost class and no word.
        String inner = "package ext;\n\nimport dev.modelcost.*;\n\n@Block\npublic class Inner { @ReLU Layer relu; }\n";
        String res = "package lib;\n\nimport dev.modelcost.*;\n\n@Block\npublic class Res { @Linear(out = 4) Layer fc; ext.Inner inner; }\n";
        String model = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8})
                public class Net {
                    lib.Res block;
                }
                """;
        javax.tools.JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ToolCompile.Result ext = ToolCompile.run(javac, Map.of("ext.Inner", inner), List.of(), true, new ModelCostProcessor());
        ToolCompile.Result lib = ToolCompile.run(javac, Map.of("lib.Res", res), List.of(), List.of(ext.classOutput()), true, new ModelCostProcessor());
        try {
            ToolCompile.Result without = ToolCompile.run(javac, Map.of("test.Net", model), List.of("-proc:only"), List.of(lib.classOutput()), false,
                    new ModelCostProcessor());
            String message = "[MC146] field inner of lib.Res, read from its class file, names the type ext.Inner, which is not on the class path";
            assertThat(without.errors().stream().map(d -> d.file() + ":" + d.line() + ": " + d.message().substring(0, Math.min(message.length(),
                    d.message().length()))).toList()).containsExactly("Net.java:" + lineOf(model, "lib.Res block;") + ": " + message);
            assertThat(without.generated()).isEmpty();
            // With the other library on the class path, the model is costed: Linear(8, 4), 36 parameters.
            ToolCompile.Result with = ToolCompile.run(javac, Map.of("test.Net", model), List.of("-proc:only"),
                    List.of(lib.classOutput(), ext.classOutput()), false, new ModelCostProcessor());
            assertThat(with.errors()).isEmpty();
            assertThat(with.generated().get("test/NetCost.java")).contains("PARAMS = 36L;");
            // A field whose annotation's class is missing is shown without it: MC109 says what may have happened.
            ToolCompile.Result tagged = ToolCompile.run(javac, Map.of("lib.Tagged", "package lib;\n\nimport dev.modelcost.*;\n\n@Block\npublic class Tagged "
                    + "{ @ext.Kind Layer act; }\n", "ext.Kind", "package ext;\n\npublic @interface Kind {}\n"), List.of("-proc:none"), true);
            try {
                ToolCompile.Result missing = ToolCompile.run(javac, Map.of("test.Net", model.replace("lib.Res", "lib.Tagged")), List.of("-proc:only"),
                        List.of(tagged.classOutput()), false, new ModelCostProcessor());
                assertThat(missing.errors().stream().map(ToolCompile.Diag::message).toList()).containsExactly("[MC109] field act is a Layer without "
                        + "a layer annotation that this compilation can see: read from a class file, it may carry one whose class is not on the "
                        + "class path (a @LayerKind of another library) (fix: annotate it, e.g. @ReLU, or remove it) [in block lib.Tagged, read from "
                        + "its class file, applied by field block]");
            } finally {
                ToolCompile.delete(tagged.classOutput().getParent());
            }
        } finally {
            ToolCompile.delete(lib.classOutput().getParent());
            ToolCompile.delete(ext.classOutput().getParent());
        }
    }

    @Test
    void mc105ALibrarysClassOfTheCostClassesNameIsNotHidden() {
        // A library on the class path has its own test.NetCost: the generated class would hide it from the rest of the compilation.
        ToolCompile.Result lib = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("test.NetCost",
                "package test;\n\npublic class NetCost { public static int version() { return 2; } }\n"), List.of("-proc:none"), true);
        try {
            String model = "package test;\n\nimport dev.modelcost.*;\n\n@Model(input = {4})\npublic class Net { @ReLU Layer relu; }\n";
            ToolCompile.Result use = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("test.Net", model), List.of("-proc:only"),
                    List.of(lib.classOutput()), false, new ModelCostProcessor());
            assertThat(use.errors().stream().map(d -> d.line() + ": " + d.message()).toList()).containsExactly(lineOf(model, "@Model") + ": "
                    + "[MC105] cannot write test.NetCost: a class of that name is on the class path, which the generated one would hide (fix: rename "
                    + "the existing type or the model)");
            assertThat(use.generated()).isEmpty();
        } finally {
            ToolCompile.delete(lib.classOutput().getParent());
        }
    }

    @Test
    void aShapeErrorInsideABlockNamesThePathOfTheRepetition() {
        // Repetition 0 strides 8x8 down to 4x4 with 8 channels; repetition 1 then meets cin = 16 against 8 channels.
        String text = STAGE.replace("@Args(\"planes = 8, stride = 2\")", "@Args(\"planes = 8\") @Repeat(value = 2, first = \"stride = 2\")")
                .replace("@Conv2d(k = 3,", "@Conv2d(cin = 16, k = 3,");
        expectInBlock(text, "[MC301] unit.1.conv: Conv2d expects cin = 16 but the previous layer (unit.0.relu) produces 8 channels",
                "Layer conv;", columnAfter(text, "Layer conv;", "cin = "), "Unit unit;");
    }

    @Test
    void aModelUsingABrokenBlockGetsNoCostClassAndNoSecondError(@TempDir Path dir) {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Net {
                    @Conv2d(cout = 4, k = 3) Layer conv;
                    Broken broken;
                    @ReLU Layer relu;

                    @Block
                    public static class Broken {
                        @ReLU int notALayer;
                    }
                }
                """;
        expectOnly(text, "[MC108] field notALayer has @ReLU but is declared as int", "int notALayer;",
                columnOf(text, "int notALayer;", "@ReLU"));
        assertThat(generatedSources(dir, source("test.Net", text))).isEmpty();
    }

    @Test
    void aBlockInACycleFailsEveryModelThatUsesItWithOneError(@TempDir Path dir) {
        String loop = """
                package test;

                import dev.modelcost.*;

                @Block
                public class Loop {
                    @ReLU Layer relu;
                    Loop again;
                }
                """;
        String first = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class First {
                    @Linear(out = 4) Layer fc;
                    Loop loop;
                }
                """;
        String second = first.replace("First", "Second");
        JavaFileObject loopFile = source("test.Loop", loop);
        assertOnlyError(compile(loopFile, source("test.First", first), source("test.Second", second)), loopFile,
                "[MC212] block Loop contains itself: Loop -> Loop", "Loop again;", columnOf(loop, "Loop again;", "again"));
        assertThat(generatedSources(dir, source("test.Loop", loop), source("test.First", first), source("test.Second", second)))
                .isEmpty();
    }

    @Test
    void mc210AFieldOfABlockAppliedInPlaceIsReadByItsPath() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10, 8}, output = "last")
                public class Net {
                    @Args(value = "", inPlace = true) Body body;
                    @From("last") @Linear(out = 2) Layer after;

                    @Block
                    public static class Body {
                        @Linear(out = 8) Layer last;
                    }
                }
                """;
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).hadErrorContaining("[MC210] after: 'last' names no earlier field or input; a field of block Body, applied in place "
                + "as body, is read by its path here: 'body.last' (fix: name a field declared above this one, or an input: \"input\")")
                .inFile(compilation.sourceFiles().get(0)).onLineContaining("Layer after;");
        Compilation output = compile(source("test.Net", text.replace("@From(\"last\") ", "")));
        assertThat(output).hadErrorContaining("[MC210] @Model(output): 'last' names no earlier field or input; a field of block Body, applied "
                + "in place as body, is read by its path here: 'body.last'").inFile(output.sourceFiles().get(0)).onLineContaining("@Model");
        assertThat(compile(source("test.Net", text.replace("\"last\"", "\"body.last\"")))).succeeded();
    }
}
