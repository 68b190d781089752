package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.columnOf;
import static dev.modelcost.processor.ModelSources.compile;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.model;
import static dev.modelcost.processor.ModelSources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.truth.Truth;
import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import dev.modelcost.processor.fuzz.ToolCompile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.ToolProvider;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/**
 * Unusual and hostile specs: each gets the right number, a catalogued error on its element, or a
 * build that succeeds — never a silent wrong figure, an internal error or a broken generated class.
 */
class HostileSpecsTest {

    @Test
    void aRecurrentStackOfTwoBillionLayersIsCountedAtOnce() {
        // RNN(8 -> 4) with 2^31 - 1 layers: the first holds 4·8 + 4·4 + 2·4 = 56 parameters, each later one 4·4 + 4·4 + 2·4 = 40.
        // Every figure follows from the first layer and one later one, not a loop over the layers.
        Compilation compilation = ModelSources.compiled(ModelSources.model("@Model(input = {5, 8})",
                "@RNN(hiddenSize = 4, numLayers = 2147483647) Layer rnn;"));
        assertEquals(56 + 40 * (2_147_483_647L - 1), ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        // MACs: 5 steps, per layer its weights (the biases are adds): 5 x (48 + 32 x (2^31 - 2))
        assertEquals(5 * (48 + 32 * (2_147_483_647L - 1)), ModelSources.constant(compilation, "test.NetCost", "MACS"));
    }

    @Test
    void mc121AModelThatExtendsALayeredClassIsRefusedNotTruncated() {
        JavaFileObject base = source("test.Base", """
                package test;

                import dev.modelcost.*;

                @Block
                public class Base {
                    @Conv2d(cout = 4, k = 3, padding = 1) Layer conv;
                    @ReLU Layer relu;
                }
                """);
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 4, 4})
                public class Wider extends Base {
                    @Flatten Layer flatten;
                    @Linear(out = 10) Layer fc;
                }
                """;
        JavaFileObject wider = source("test.Wider", text);
        ModelSources.assertOnlyError(compile(base, wider), wider,
                "[MC121] Wider extends Base, which declares layers (conv, relu); a model or block does not inherit them"
                        + " (fix: apply Base as a field instead: annotate it with @Block and declare a field of its type)",
                "public class Wider", columnOf(text, "public class Wider", "class"));
    }

    @Test
    void mc117AConstantNamedLikeAnInputDimension() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Net {
                    static final int h = 2;
                    @Conv2d(k = 1, with = "cout = h") Layer conv;
                }
                """;
        expectOnly(text, "[MC117] a constant may not be called 'h': the name stands for the height of the block input in expressions",
                "static final int h", columnOf(text, "static final int h", "h ="));
    }

    @Test
    void mc117ALayerNamedLikeAModelInput() {
        // the model's own @Input, not a block's
        String text = model("@Model(inputs = {@Input(name = \"a\", shape = {4}), @Input(name = \"r\", shape = {4})})", "@ReLU Layer r;",
                "@Add({\"r\", \"a\"}) Layer s;");
        expectOnly(text, "[MC117] a field may not be called 'r': the name stands for an input of the model (an @Input)", "Layer r;",
                columnOf(text, "Layer r;", "r;"));
    }

    @Test
    void mc117ALayerNamedLikeTheStepsOwnInput() {
        // x.D in a later expression is the step's own input, never a field named x: such a field would be read silently as another.
        expectOnly(model("@Model(input = {8, 16})", "@Linear(out = 4) Layer x;", "@Linear(with = \"out = x.D\") Layer z;"),
                "[MC117] a field may not be called 'x': the name stands for a step's own input in expressions", "Layer x;", 28);
    }

    @Test
    void aDollarInANameIsNoFormat() {
        // '$' is legal in a Java name and in a hardware profile's name: the generated class and its Javadoc take it as written.
        com.google.testing.compile.Compilation compilation = ModelSources.compiled(model("@Model(input = {16})\n@Roofline(hardware = \"my-npu\", "
                + "custom = @Hardware(id = \"my-npu\", name = \"NPU $1\", fp32 = 1, bandwidth = 10, source = \"data$heet\"))",
                "@Linear(out = 4) Layer fc$1;", "@Repeat(value = 2, prefix = \"p$1\") B b;", "@Block static class B { @Linear(out = 4) Layer fc; }"));
        String source = ModelSources.generated(compilation, "test.NetCost");
        org.junit.jupiter.api.Assertions.assertTrue(source.contains("fc$1\\tLinear") && source.contains("\\tp$1\\t") && source.contains("NPU $1"), source);
    }

    @Test
    void aPathReachesTheLastOfBillionsOfRepetitions() {
        // b.1073741822 is the last of 2^30 - 1 repetitions, folded into one run: it names a step (ten digits).
        com.google.testing.compile.Compilation compilation = ModelSources.compiled(model("@Model(input = {3, 8, 8})", "@Repeat(1073741823) B b;",
                "@From(\"b.1073741822\") @ReLU Layer relu;", "@Block static class B { @Conv2d(cout = 3, k = 1) Layer conv; }"));
        // each repetition: 3 x 8 x 8 outputs of 3 inputs each, 576 MACs
        assertEquals(576L * 1_073_741_823, ModelSources.constant(compilation, "test.NetCost", "MACS"));
    }

    @Test
    void mc428ARepeatOfMoreLayersThanAModelMayHaveIsRefusedOnItsCount() {
        // 2^31 - 1 repetitions of a two-layer block: 4,294,967,294 layers, more than LAYER_COUNT, an int, holds
        String text = model("@Model(input = {8, 4, 4})", "@Repeat(Integer.MAX_VALUE) B blocks;", "@ReLU Layer last;",
                "@Block public static class B { @ReLU Layer a; @ReLU Layer b; }");
        expectOnly(text, "[MC428] blocks: its 2,147,483,647 repetitions of B make 4,294,967,294 layers, more than the 2,147,483,647 a model may "
                + "have", "B blocks;", columnOf(text, "B blocks;", ".MAX_VALUE"));
        // two repetitions under the limit each, 2^30 and 2^30 of one layer, and one more layer: the model's count, on @Model
        String sum = model("@Model(input = {8, 4, 4})", "@Repeat(1073741824) B first;", "@Repeat(1073741824) B second;", "@ReLU Layer last;",
                "@Block public static class B { @ReLU Layer a; }");
        expectOnly(sum, "[MC428] Net: it has 2,147,483,649 layers, more than the 2,147,483,647 a model may have", "@Model", 1);
        // a billion repetitions of the same block hold two billion layers: counted
        ModelSources.compiled(model("@Model(input = {8, 4, 4})", "@Repeat(1000000000) B blocks;", "@Block public static class B { @ReLU Layer a; @ReLU Layer b; }"));
    }

    @Test
    void mc401APaddedCopyLongerThan32BitsIsRefusedOnItsPadding() {
        // replicate padding of 2^30 on each side of 8 positions: F.pad's copy would hold 2,147,483,656 positions, as an explicit
        // ReplicationPad1d's output would (PyTorch indexes tensors with 64 bits; the processor's sizes are 32-bit)
        String text = model("@Model(input = {3, 8}, layout = \"C,L\")",
                "@Conv1d(cout = 4, k = 3, dilation = 1073741824, padding = 1073741824, paddingMode = \"replicate\") Layer conv;");
        expectOnly(text, "[MC401] conv: the copy of its input this Conv1d pads in paddingMode replicate, 2,147,483,656 long on its L axis "
                + "(beyond 32 bits), is too large to count exactly", "Layer conv;", ModelSources.columnAfter(text, "Layer conv;", "padding = "));
    }

    @Test
    void aRepetitionNumberBeyondSixtyFourBitsNamesNoStep() {
        expectOnly(model("@Model(input = {3, 8, 8})", "@Repeat(3) B b;", "@From(\"b.99999999999999999999\") @ReLU Layer relu;",
                        "@Block static class B { @Conv2d(cout = 3, k = 1) Layer conv; }"),
                "[MC210] relu: 'b.99999999999999999999' names no earlier field or input; inside b are b.0..2", "Layer relu;", 11);
    }

    @Test
    void onlyAsciiDigitsAreDigits() {
        String text = model("@Model(input = {3, 8, 8})", "@Conv2d(k = 1, with = \"cout = \uff18\") Layer conv;");
        expectOnly(text, "[MC201] conv: cannot parse 'cout = \uff18': unexpected '\uff18'", "Layer conv;", columnAfter(text, "Layer conv;", "with = "));
    }

    @Test
    void mc310BatchNormWithoutRunningStatisticsOnOneValuePerChannel() {
        String text = model("@Model(input = {9, 1, 1})", "@BatchNorm2d(trackRunningStats = false) Layer bn;");
        expectOnly(text, "[MC310] bn: BatchNorm2d trackRunningStats = false must be true for a batch of one value per channel (1 x 1 x 1)",
                "Layer bn;", columnAfter(text, "Layer bn;", "trackRunningStats = "));
    }

    @Test
    void batchNormWithoutRunningStatisticsChargesItsStatistics() {
        JavaFileObject file = source("test.Net", model("@Model(input = {9, 1, 1}, batch = 2)", "@BatchNorm2d(trackRunningStats = false) Layer bn;"));
        Compilation compilation = compile(file);
        assertThat(compilation).succeeded();
        // 2 x 9 elements, 5 ops to normalise + 2 for the affine weight and bias each; no buffers.
        assertEquals(2 * 9 * 7, ModelSources.constant(compilation, "test.NetCost", "OTHER_OPS"));
        assertEquals(0, ModelSources.constant(compilation, "test.NetCost", "BUFFERS"));
        assertEquals(18, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
    }

    @Test
    void adaptivePoolingKeepsASizeNotGivenAsPyTorchsNone() {
        // nn.AdaptiveAvgPool2d((1, None)) on 4x6x10: 1x4x1x10; each of 4 x 10 cells averages a column of 6.
        JavaFileObject file = source("test.Net", model("@Model(input = {4, 6, 10})", "@AdaptiveAvgPool2d(h = 1) Layer pool;"));
        Compilation compilation = compile(file);
        assertThat(compilation).succeeded();
        assertThat(compilation).generatedSourceFile("test.NetCost").contentsAsUtf8String().contains("OUTPUT_SHAPE = \"1x4x1x10\";");
        assertEquals(4 * 10 * 6, ModelSources.constant(compilation, "test.NetCost", "OTHER_OPS"));
    }

    @Test
    void adaptivePoolingOfAHugeOutputIsAClosedFormNotALoop() {
        // 1 row into 1e9 cells reads it 1e9 times per axis: 1e18 reads in all, and the fp32 output is 4e18 bytes.
        JavaFileObject file = source("test.Net", model("@Model(input = {1, 1, 1})", "@AdaptiveAvgPool2d(1_000_000_000) Layer pool;"));
        Compilation compilation = compile(file);
        assertThat(compilation).succeeded();
        assertEquals(1_000_000_000_000_000_000L, ModelSources.constant(compilation, "test.NetCost", "OTHER_OPS"));
        assertEquals(4_000_000_000_000_000_000L + 4, ModelSources.constant(compilation, "test.NetCost", "BYTES_MOVED"));
        // At 2e9 cells a side the 4e18 reads still count, but the output alone is 1.6e19 bytes, beyond 64 bits.
        String huge = model("@Model(input = {1, 1, 1})", "@AdaptiveAvgPool2d(2_000_000_000) Layer pool;");
        expectOnly(huge, "[MC401] pool: the bytes this AdaptiveAvgPool2d moves is too large to count exactly", "Layer pool;",
                columnAfter(huge, "Layer pool;", "    "));
    }

    @Test
    void aModelThatIsAlsoABlockSeesItsOwnParameterDefaults() {
        JavaFileObject file = source("test.Net", model("@Model(input = {16}) @Block", "@Param(8) int width;", "@Linear(with = \"out = width\") Layer fc;"));
        Compilation compilation = compile(file);
        assertThat(compilation).succeeded();
        assertEquals(16 * 8 + 8, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
    }

    @Test
    void mc201ExpressionsNestedTooDeeply() {
        String parens = "(".repeat(1_000) + "1" + ")".repeat(1_000);
        String text = model("@Model(input = {3, 8, 8})", "@Conv2d(k = 1, with = \"cout = " + parens + "\") Layer conv;");
        expectOnly(text, "the expression nests more than 200 levels deep", "Layer conv;", columnAfter(text, "Layer conv;", "with = "));
        String minus = "-".repeat(3_000) + "4";
        String unary = model("@Model(input = {3, 8, 8})", "@Conv2d(k = 1, with = \"cout = " + minus + "\") Layer conv;");
        expectOnly(unary, "the expression nests more than 200 levels deep", "Layer conv;", columnAfter(unary, "Layer conv;", "with = "));
        String sum = "1" + "+1".repeat(3_999);
        String flat = model("@Model(input = {3, 8, 8})", "@Conv2d(k = 1, with = \"cout = " + sum + "\") Layer conv;");
        expectOnly(flat, "the expression is more than 1000 operations deep", "Layer conv;", columnAfter(flat, "Layer conv;", "with = "));
        // The message quotes 120 characters around where parsing stopped, not the 8,006 of the text, and says how to split it.
        String message = compile(source("test.Net", flat)).errors().get(0).getMessage(java.util.Locale.ROOT);
        assertTrue(message.length() < 500, message);
        assertTrue(message.contains("(8,006 characters; 1,951 to 2,070 quoted): the expression is more than 1000 operations deep at position 2011"),
                message);
        assertTrue(message.contains("(fix: split it: compute parts as @Param defaults"), message);
    }

    @Test
    void mc201QuotesAShortExpressionWholeWithTheSyntaxItTakes() {
        String text = model("@Model(input = {3, 8, 8})", "@Conv2d(k = 1, with = \"cout = 4 *\") Layer conv;");
        expectOnly(text, "[MC201] conv: cannot parse 'cout = 4 *': the expression ends too early at position 11 (fix: expressions use + - * / %",
                "Layer conv;", columnAfter(text, "Layer conv;", "with = "));
    }

    @Test
    void aLongFlatSumWithinTheLimitEvaluates() {
        String sum = "1" + "+1".repeat(899);
        JavaFileObject file = source("test.Net", model("@Model(input = {16})", "@Linear(with = \"out = " + sum + "\") Layer fc;"));
        Compilation compilation = compile(file);
        assertThat(compilation).succeeded();
        assertEquals(16 * 900 + 900, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
    }

    @Test
    void mc122BlocksNestedTooDeeplyGiveOneError() {
        StringBuilder text = new StringBuilder("package test;\n\nimport dev.modelcost.*;\n\n@Model(input = {4})\npublic class Net {\n    B0 b;\n");
        for (int i = 0; i < 150; i++) {
            text.append("    @Block public static class B").append(i).append(" { ")
                    .append(i < 149 ? "B" + (i + 1) + " inner; }" : "@ReLU Layer relu; }").append('\n');
        }
        text.append("}\n");
        Compilation compilation = compile(source("test.Net", text.toString()));
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[MC122] inner: blocks nest more than 100 deep here (B0 -> ... -> B99 -> B100)");
    }

    @Test
    void mc401ARepeatWhoseShapeKeepsChangingIsRefusedPromptly() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8})
                public class Net {
                    @Repeat(Integer.MAX_VALUE) Flip flips;

                    @Block
                    public static class Flip {
                        @Linear(with = "out = in == 8 ? 4 : 8") Layer fc;
                    }
                }
                """;
        expectOnly(text, "[MC422] flips: a @Repeat of 2,147,483,647 repetitions that do not fold into one is more than the 100,000 analysed",
                // javac points at a qualified name's dot
                "Flip flips;", columnOf(text, "Flip flips;", ".MAX_VALUE"));
    }

    @Test
    void aRepeatWhoseArgumentsReadIndexIsEvaluatedInTurnUpToTheBound() {
        // Arguments that read index are evaluated for each repetition: 8 at every one here, so they fold into one run after all, but
        // only after 2,147,483,647 evaluations and block applications (hours). Past 1,048,576 they are refused before the first, as
        // repetitions that do not fold.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8})
                public class Net {
                    @Args("wd = index * 0 + 8") @Repeat(2147483647) Blk b;

                    @Block
                    public static class Blk {
                        @Param int wd;
                        @Linear(with = "out = wd") Layer fc;
                    }
                }
                """;
        expectOnly(text, "[MC422] b: a @Repeat of 2,147,483,647 repetitions that do not fold into one, whose arguments read index, each evaluated "
                + "in turn, is more than the 1,048,576 analysed", "Blk b;", columnOf(text, "Blk b;", "@Repeat(") + "@Repeat(".length());
        // 1,048,576 are evaluated: one run of 1,048,576, 72 parameters each; one more is refused.
        assertEquals(72L * 1_048_576, ModelSources.constant(ModelSources.compiled(text.replace("2147483647", "1048576")), "test.NetCost", "PARAMS"));
        expectOnly(text.replace("2147483647", "1048577"), "[MC422] b: a @Repeat of 1,048,577 repetitions that do not fold into one, whose arguments "
                + "read index, each evaluated in turn, is more than the 1,048,576 analysed", "Blk b;", columnOf(text, "Blk b;", "@Repeat(")
                + "@Repeat(".length());
        // Nested: each of the 2 outer repetitions (other arguments, so their block is analysed anew) evaluates the 600,000 inner ones:
        // 2 + 2 x 600,000 in all, refused in the second.
        String nested = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8})
                public class Net {
                    @Args("u = 8 + index") @Repeat(2) Outer o;

                    @Block
                    public static class Outer {
                        @Param int u;
                        @Args("v = index * 0 + u") @Repeat(600000) Blk i;
                    }

                    @Block
                    public static class Blk {
                        @Param int v;
                        @Linear(with = "out = v") Layer fc;
                    }
                }
                """;
        Compilation twice = compile(source("test.Net", nested));
        assertThat(twice).failed();
        assertThat(twice).hadErrorContaining("[MC422] o.1.i: a @Repeat of 600,000 repetitions that do not fold into one, whose arguments read "
                + "index, each evaluated in turn (1,200,002 in all with those of the @Repeat fields around and before it), is more than the 1,048,576 analysed");
    }

    @Test
    void nestedRepetitionsThatDoNotFoldCountTogether() {
        // 1,000 repetitions of A (n alternating 3, 4), each holding 1,000 of C (k alternating 3, 4): no repetition folds into the one
        // before, so the reports would list 1,001,000, each alone within the 100,000 a @Repeat may hold. Counted together: every
        // A brings itself and its 1,000 C, 1,001 a repetition, and the 100th passes 100,000 (100 x 1,001 = 100,100).
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Net {
                    @Repeat(1000) @Args("n = index % 2 + 3") A a;

                    @Block
                    public static class A {
                        @Param int n;
                        @Repeat(1000) @Args("k = index % 2 + 3") C cc;
                        @Conv2d(k = 1, cout = 3) Layer c;
                    }

                    @Block
                    public static class C {
                        @Param int k;
                        @Conv2d(k = 1, with = "cout = k") Layer c;
                        @Conv2d(k = 1, cout = 3) Layer d;
                    }
                }
                """;
        expectOnly(text, "[MC422] a: a @Repeat of 1,000 repetitions that do not fold into one, nor the repetitions nested in them (100,100 in all "
                + "by repetition 99), is more than the 100,000 analysed", "A a;", columnOf(text, "A a;", "@Repeat(") + "@Repeat(".length());
        // 99 of them list 99,099: analysed.
        ModelSources.compiled(text.replace("@Repeat(1000) @Args(\"n", "@Repeat(99) @Args(\"n"));
    }

    @Test
    void aModelWithAVeryLongNameWritesReportsWithinFileSystemLimits() {
        String pkg = "a".repeat(30) + "." + "b".repeat(29);
        String outer = "Outer" + "X".repeat(195);
        JavaFileObject file = source(pkg + "." + outer, "package " + pkg + ";\n\nimport dev.modelcost.*;\n\npublic class " + outer + " {\n"
                + "    @Model(input = {4}) public static class Inner { @Linear(out = 2) Layer fc; }\n}\n");
        Compilation compilation = compile(file);
        assertThat(compilation).succeeded();
        assertThat(compilation).generatedSourceFile(pkg + "." + outer + "_InnerCost");
        boolean shortened = compilation.generatedFiles().stream()
                .filter(f -> f.getName().contains("META-INF/modelcost/"))
                .allMatch(f -> f.getName().substring(f.getName().lastIndexOf('/') + 1).length() <= 160);
        assertTrue(shortened, "report names within 160 characters");
    }

    @Test
    void aBlockWithAVeryLongNameRecordsItsUsersAndFieldsWithinFileSystemLimits() {
        // A block of 245 letters: its records of users and field order, named after it, would pass 255 bytes with the package and
        // the extension; they are shortened as the reports are, and nothing fails.
        String block = "B".repeat(245);
        JavaFileObject blockFile = source("test." + block, "package test;\n\nimport dev.modelcost.*;\n\n@Block public class " + block
                + " { @Linear(out = 2) Layer fc; }\n");
        JavaFileObject net = source("test.Net", model("@Model(input = {4})", block + " b;"));
        Compilation compilation = compile(blockFile, net);
        assertThat(compilation).succeededWithoutWarnings();
        List<String> records = compilation.generatedFiles().stream().map(f -> f.getName()).filter(n -> n.contains("META-INF/modelcost/")).toList();
        assertTrue(records.stream().anyMatch(n -> n.contains("/users/test.BBBB") && n.endsWith(".models")), records.toString());
        assertTrue(records.stream().allMatch(n -> n.substring(n.lastIndexOf('/') + 1).length() <= 160), records.toString());
        assertEquals(2L * 4 + 2, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
    }

    @Test
    void classesNamedLikeJavaLangTypesDoNotBreakTheGeneratedClass() {
        JavaFileObject model = source("test.Net", model("@Model(input = {16})", "@Linear(out = 4) Layer fc;"));
        JavaFileObject longClass = source("test.Long", "package test;\n\npublic class Long {}\n");
        JavaFileObject stringClass = source("test.String", "package test;\n\npublic class String {}\n");
        JavaFileObject listClass = source("test.List", "package test;\n\npublic class List {}\n");
        Compilation compilation = compile(model, longClass, stringClass, listClass);
        assertThat(compilation).succeeded();
        // The latency bound's Double, and the sizes' Integer and Math, with a model of sizes.
        JavaFileObject sized = source("test.Net", model("@Model(input = {16, 8}, layout = \"L,D\", sizes = \"L\")", "@Linear(out = 4) Layer fc;"));
        List<JavaFileObject> others = new java.util.ArrayList<>(List.of(sized, longClass, stringClass, listClass));
        for (String name : List.of("Double", "Integer", "Math", "Object", "Override")) {
            others.add(source("test." + name, "package test;\n\npublic class " + name + " {}\n"));
        }
        assertThat(compile(others.toArray(new JavaFileObject[0]))).succeeded();
    }

    @Test
    void classesNamedLikeThePackagesAndTypesTheGeneratedClassUsesDoNotBreakIt() {
        // A class named java, javax or dev hides those packages from a qualified name (java.util.List) in its package; the
        // generated class imports every type, which a class of the package cannot hide.
        JavaFileObject sized = source("test.Net", model("@Model(input = {16, 8}, layout = \"L,D\", sizes = \"L\")", "@Linear(out = 4) Layer fc;"));
        List<JavaFileObject> files = new java.util.ArrayList<>(List.of(sized));
        for (String name : List.of("java", "javax", "dev", "Generated", "LayerCost", "ClosedForm", "SizeDomain", "SizeProgram", "List", "Long")) {
            files.add(source("test." + name, "package test;\n\npublic class " + name + " {}\n"));
        }
        Compilation compilation = compile(files.toArray(new JavaFileObject[0]));
        assertThat(compilation).succeededWithoutWarnings();
        assertEquals(16L * 8 * 4, ModelSources.constant(compilation, "test.NetCost", "MACS"));
        // A model named Layer: its LayerCost names dev.modelcost.LayerCost in full, which a class named dev hides; refused, on the model.
        JavaFileObject layer = source("test.Layer", "package test;\n\nimport dev.modelcost.*;\n\n@Model(input = {16})\npublic class Layer {\n"
                + "    @Linear(out = 4) dev.modelcost.Layer fc;\n}\n");
        Compilation refused = compile(layer, source("test.dev", "package test;\n\npublic class dev {}\n"));
        assertThat(refused).hadErrorContaining("[MC105] cannot write test.LayerCost: it would name dev.modelcost.LayerCost in full, having that "
                + "simple name itself, and the class test.dev hides the package dev from it").inFile(layer).onLineContaining("@Model");
        // (javac refuses the model's own dev.modelcost.Layer as well: such a model cannot name its fields' type there either.)
        // The class dev compiled earlier, on the class path: the same.
        ToolCompile.Result dev = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("test.dev", "package test;\n\npublic class dev {}\n"),
                List.of(), true, new ModelCostProcessor());
        try {
            Truth.assertThat(dev.errors()).isEmpty();
            ToolCompile.Result fromClassPath = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("test.Layer", "package test;\n\n"
                    + "import dev.modelcost.*;\n\n@Model(input = {16})\npublic class Layer {\n    @Linear(out = 4) Layer fc;\n}\n"),
                    List.of(), List.of(dev.classOutput()), false, new ModelCostProcessor());
            Truth.assertThat(fromClassPath.errors().stream().map(e -> e.file() + ":" + e.line() + " " + e.message()).toList().toString()).contains(
                    "Layer.java:5 "
                    + "[MC105] cannot write test.LayerCost: it would name "
                    + "dev.modelcost.LayerCost in full, having that simple name itself, and the class test.dev hides the package dev from it");
            Truth.assertThat(fromClassPath.generated()).doesNotContainKey("test/LayerCost.java");
        } finally {
            ToolCompile.delete(dev.classOutput().getParent());
        }
        // Without the class dev it is written, and compiles.
        assertThat(compile(layer)).succeededWithoutWarnings();
    }

    @Test
    void sizesNamedLikeWhatTheGeneratedClassUsesAreRenamedApart() {
        // Every type the generated class imports, as a size: a parameter named List would obscure List.of(...) in at(...).
        String imports = ModelSources.generated(compile(source("test.Net", model("@Model(input = {16, 8}, layout = \"L,D\", sizes = \"L\")",
                "@Linear(out = 4) Layer fc;"))), "test.NetCost");
        List<String> names = new java.util.ArrayList<>(imports.lines().filter(line -> line.startsWith("import "))
                .map(line -> line.substring(line.lastIndexOf('.') + 1, line.length() - 1)).toList());
        assertTrue(names.containsAll(List.of("List", "ClosedForm", "Math")), names.toString());
        // And the names a record component may not take, and the record's own method.
        names.addAll(List.of("hashCode", "wait", "toString", "getClass", "arithmeticIntensity"));
        for (int from = 0; from < names.size(); from += 4) {
            List<String> four = names.subList(from, Math.min(from + 4, names.size()));
            assertTrue(at(four).contains("(int size_" + String.join(", int size_", four) + ")"), four.toString());
        }
        // A size named as another's renaming: renamed once more.
        assertTrue(at(List.of("piece", "size_piece")).contains("(int size_size_piece, int size_piece)"));
    }

    /** The signature of at(...) of a model whose input's axes are the sizes {@code names}, each of 3, which must compile. */
    private static String at(List<String> names) {
        String dims = String.join(", ", java.util.Collections.nCopies(names.size(), "3"));
        Compilation compilation = compile(source("test.Net", model("@Model(input = {" + dims + "}, layout = \"" + String.join(",", names)
                + "\", sizes = {\"" + String.join("\", \"", names) + "\"})", "@Linear(out = 2) Layer fc;")));
        assertThat(compilation).succeededWithoutWarnings();
        String text = ModelSources.generated(compilation, "test.NetCost").replaceAll("\\s+", " ");
        int at = text.indexOf("public static Figures at(int ");
        return text.substring(at, text.indexOf(')', at) + 1);
    }

    @Test
    void mc214ARepeatPrefixWithATab() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8})
                public class Net {
                    @Repeat(value = 2, prefix = "layer\\t") Unit units;

                    @Block
                    public static class Unit {
                        @ReLU Layer relu;
                    }
                }
                """;
        expectOnly(text, "[MC214] units: @Repeat prefix contains a dot, a control character (tab, line break), a line or paragraph separator "
                + "or a format character (a right-to-left override), which a module name shown in a path cannot",
                "Unit units;", columnAfter(text, "Unit units;", "prefix = "));
        // A line separator (U+2028) broke the generated class: JavaPoet writes a string constant's text line by line, and splits there.
        for (String prefix : new String[] {"x\\u2028y", "x\\u2029y", "x\\u0085y", "x\\u202Ey"}) {
            String other = text.replace("layer\\t", prefix);
            expectOnly(other, "[MC214] units: @Repeat prefix contains a dot, a control character", "Unit units;",
                    columnAfter(other, "Unit units;", "prefix = "));
        }
    }

    @Test
    void mc431FieldsThatApplyABlockEachMakeTooManyLayersToWalk() {
        // E0 applies E1 twice, E1 E2 twice, ...: 2^21 leaves, none in a run of one @Repeat. Each block is analysed once, but every
        // walk over the layers (the timeline, the table, the counters, the reports) visits each leaf: 12 KB of heap each, 24 GB in
        // all, where the analysis ran for minutes before it failed for memory (MC901).
        StringBuilder text = new StringBuilder("package test;\n\nimport dev.modelcost.*;\n\n@Model(input = {3, 8, 8})\npublic class Net {\n"
                + "    E0 d;\n");
        for (int i = 0; i < 21; i++) {
            text.append("    @Block static class E").append(i).append(" { E").append(i + 1).append(" a; E").append(i + 1).append(" b; }\n");
        }
        text.append("    @Block static class E21 { @Conv2d(k = 1, cout = 3) Layer r; }\n}\n");
        expectOnly(text.toString(), "[MC431] Net: its layers make more than 1,048,576 leaves that do not fold into runs of one @Repeat, too "
                + "many to walk one by one (fix: repetitions fold only within one @Repeat field", "@Model", 1);
    }

    @Test
    void mc902AModelThatTheHeapCannotHoldIsToldSoWithTheHeapsSize() throws Exception {
        // 2^14 leaves need some 200 MB; javac in a process of its own with a heap of 48 MB runs out. It was MC901, "please report it".
        Path dir = Files.createTempDirectory("modelcost-heap");
        StringBuilder text = new StringBuilder("package test;\n\nimport dev.modelcost.*;\n\n@Model(input = {3, 8, 8})\npublic class Net {\n"
                + "    E0 d;\n");
        for (int i = 0; i < 14; i++) {
            text.append("    @Block static class E").append(i).append(" { E").append(i + 1).append(" a; E").append(i + 1).append(" b; }\n");
        }
        text.append("    @Block static class E14 { @Conv2d(k = 1, cout = 3) Layer r; }\n}\n");
        Path file = Files.writeString(Files.createDirectories(dir.resolve("test")).resolve("Net.java"), text);
        String classPath = System.getProperty("java.class.path");
        Process javac = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "javac").toString(), "-J-Xmx48m", "-proc:only",
                "-cp", classPath, "-processorpath", classPath, "-d", dir.toString(), file.toString()).redirectErrorStream(true).start();
        String output = new String(javac.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        Truth.assertThat(javac.waitFor()).isEqualTo(1);
        Truth.assertThat(output).contains("[MC902] modelcost ran out of memory on test.Net, with a heap of ");
        Truth.assertThat(output).contains("Net.java:6: error: [MC902]");
        Truth.assertThat(output).contains("(fix: give the compiler a larger heap: javac -J-Xmx8g; Maven compiles in its own JVM, MAVEN_OPTS=-Xmx8g");
        Truth.assertThat(output).doesNotContain("MC901");
    }

    @Test
    void generatedCodeOfANestedModelPassesLintAndDoclintAsErrors() {
        JavaFileObject file = source("test.Outer", """
                package test;

                import dev.modelcost.*;

                /** A holder. */
                public class Outer {
                    /** Not instantiable. */
                    private Outer() {}

                    /** The model. */
                    @Model(input = {16})
                    public static class Inner {
                        /** Not instantiated. */
                        private Inner() {}

                        /** The classifier. */
                        @Linear(out = 4) Layer fc;
                        /** A block, so that its users are recorded too. */
                        Unit unit;
                    }

                    /** A block. */
                    @Block
                    public static class Unit {
                        /** Not instantiated. */
                        private Unit() {}

                        /** Its activation. */
                        @ReLU Layer relu;
                    }
                }
                """);
        Compilation compilation = Compiler.javac().withProcessors(new ModelCostProcessor())
                .withOptions("-Xlint:all", "-Xdoclint:all", "-Werror").compile(file);
        assertThat(compilation).succeeded();
        assertThat(compilation).generatedFile(StandardLocation.SOURCE_OUTPUT, "test", "Outer_InnerCost.java");
    }

    @Test
    void generatedJavadocEscapesWhatUsersWriteAndLinksOnlyWhatItCanReach() {
        // A private nested model (no link reaches it), a kind whose rule has markup, a profile whose name is markup and whose source
        // holds the Unicode escapes of a comment's end, and a model named Figures (not the generated record) with sizes.
        String kind = """
                package test;

                import dev.modelcost.LayerKind;
                import java.lang.annotation.*;

                /** A clamp. */
                @LayerKind(otherOps = "x.numel", otherOpsRule = "1 per element: x < 0 ? 0 : x & mask")
                @Retention(RetentionPolicy.CLASS)
                @Target(ElementType.FIELD)
                public @interface Clamp {}
                """;
        String outer = """
                package test;

                import dev.modelcost.*;

                /** A holder. */
                public class Outer {
                    private Outer() {}

                    @Model(input = {16})
                    @Roofline(hardware = "npu", custom = @Hardware(id = "npu", name = "<b>NPU</b>", fp32 = 8, bandwidth = 25,
                            source = "C:\\\\data\\\\sheet \\\\u002a\\\\u002f class Boom {"))
                    private static class Hidden {
                        private Hidden() {}

                        @Linear(out = 4) Layer fc;
                        @Clamp Layer clamp;
                    }
                }
                """;
        String figures = """
                package test;

                import dev.modelcost.*;

                /** A model named as the record of figures. */
                @Model(input = {16, 8}, layout = "L,D", sizes = "L")
                public class Figures {
                    private Figures() {}

                    /** Its layer. */
                    @Linear(out = 4) Layer fc;
                }
                """;
        Compilation compilation = Compiler.javac().withProcessors(new ModelCostProcessor()).withOptions("-Xlint:all,-processing", "-Xdoclint:all/protected",
                "-Werror").compile(source("test.Clamp", kind), source("test.Outer", outer), source("test.Figures", figures));
        assertThat(compilation).succeeded();
        String hidden = ModelSources.generated(compilation, "test.Outer_HiddenCost");
        assertTrue(hidden.contains("Shapes and costs of {@code test.Outer.Hidden}"), hidden);
        assertTrue(hidden.contains("x &lt; 0 ? 0 : x &amp; mask"), hidden);
        assertTrue(hidden.contains("&lt;b&gt;NPU&lt;/b&gt;"), hidden);
        assertTrue(hidden.contains("C:\\data\\sheet \\\\u002a"), hidden);
        assertTrue(ModelSources.generated(compilation, "test.FiguresCost").contains("The figures of {@link test.Figures} at the sizes"));
    }

    @Test
    void anErrorInsideABlockFromAClassFileGoesOnTheModelsFieldAndNamesTheModel() {
        String block = """
                package lib;

                import dev.modelcost.*;

                @Block
                public class Grouped {
                    @Conv2d(cout = 8, k = 1, groups = 4) Layer conv;
                }
                """;
        String model = """
                package test;

                import dev.modelcost.*;

                @Model(input = {6, 4, 4})
                public class Net {
                    @ReLU Layer relu;
                    lib.Grouped grouped;
                }
                """;
        ToolCompile.Result library = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("lib.Grouped", block), List.of("-proc:none"), true);
        try {
            ToolCompile.Result result = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("test.Net", model), List.of(),
                    List.of(library.classOutput()), false, new ModelCostProcessor());
            Truth.assertThat(result.errors().stream().map(d -> d.file() + ":" + d.line() + ": " + d.message()).toList()).containsExactly(
                    "Net.java:" + ModelSources.lineOf(model, "lib.Grouped grouped;") + ": [MC305] grouped.conv: Conv2d groups = 4 does not divide"
                            + " the input channels = 6 [in model test.Net, through its field grouped]");
            Truth.assertThat(result.generated()).isEmpty();
        } finally {
            ToolCompile.delete(library.classOutput().getParent());
        }
    }

    @Test
    void anErrorInsideASourceBlockGoesOnItsLineAndOnTheModelsFieldNamingTheModel() {
        JavaFileObject block = source("test.Grouped", """
                package test;

                import dev.modelcost.*;

                @Block
                public class Grouped {
                    @Conv2d(cout = 8, k = 1, groups = 4) Layer conv;
                }
                """);
        JavaFileObject model = source("test.Net", model("@Model(input = {6, 4, 4})", "Grouped grouped;"));
        Compilation compilation = compile(block, model);
        String message = "[MC305] grouped.conv: Conv2d groups = 4 does not divide the input channels = 6 [in model test.Net, through its field grouped]";
        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation).hadErrorContaining(message).inFile(block).onLineContaining("Layer conv;");
        assertThat(compilation).hadErrorContaining(message).inFile(model).onLineContaining("Grouped grouped;");
    }

    private static final String BUDGETED_MODEL = """
            package test;

            import dev.modelcost.*;

            @Model(input = {16})
            @Budget(maxParams = 1_000)
            public class Net {
                Unit unit;
            }
            """;

    private static String unit(int width) {
        return """
                package test;

                import dev.modelcost.*;

                @Block
                public class Unit {
                    @Linear(out = %d) Layer fc;
                }
                """.formatted(width);
    }

    @Test
    void aProblemInsideABlockFromAClassFileGoesOnTheFieldThatAppliesIt() {
        // A library's block, compiled without the processor, with a field that has no layer annotation; the model applies it.
        String library = """
                package lib;

                import dev.modelcost.*;

                @Block
                public class Unit {
                    @Param public int width;
                    @Linear(with = "out = width") Layer fc;
                    Layer stray;
                }
                """;
        ToolCompile.Result first = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("lib.Unit", library), List.of("-proc:none"), true);
        try {
            Truth.assertThat(first.errors()).isEmpty();
            String net = model("@Model(input = {4})", "@Args(\"width = 3\") lib.Unit unit;");
            ToolCompile.Result use = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("test.Net", net), List.of(),
                    List.of(first.classOutput()), false, new ModelCostProcessor());
            // Not a message without a place: on the model's field, naming the block.
            Truth.assertThat(use.errors().stream().map(d -> d.file() + ":" + d.line() + ": " + d.message()).toList()).containsExactly(
                    "Net.java:" + (net.lines().toList().indexOf(net.lines().filter(l -> l.contains("lib.Unit unit;")).findFirst().orElseThrow()) + 1)
                            + ": [MC109] field stray is a Layer without a layer annotation that this compilation can see: read from a class file, it may "
                            + "carry one whose class is not on the class path (a @LayerKind of another library) (fix: annotate it, e.g. @ReLU, or remove it)"
                            + " [in block lib.Unit, read from its class file, applied by field unit]");
        } finally {
            ToolCompile.delete(first.classOutput().getParent());
        }
    }

    @Test
    void aShapeErrorInABlockRecompiledWithoutItsModelsGoesOnTheAttributeAtFault() {
        // The first build compiles both; a later one only the block, now with a LayerNorm over 96 features where its input has 32.
        String model = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8, 16})
                public class Net {
                    Blk blk;
                }
                """;
        String block = """
                package test;

                import dev.modelcost.*;

                @Block
                public class Blk {
                    @Linear(out = 32) Layer fc;
                    @LayerNorm%s Layer norm;
                }
                """;
        ToolCompile.Result first = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("test.Net", model, "test.Blk", block.formatted("")),
                List.of(), true, new ModelCostProcessor());
        try {
            Truth.assertThat(first.errors()).isEmpty();
            String changed = block.formatted("(normalizedShape = 96)");
            ToolCompile.Result again = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("test.Blk", changed), List.of(),
                    List.of(first.classOutput()), false, new ModelCostProcessor());
            // On the block's line that holds the value at fault, as a build of both would report it, not on the block's class.
            Truth.assertThat(again.errors().stream().map(d -> d.file() + ":" + d.line()).toList())
                    .containsExactly("Blk.java:" + (changed.lines().toList().indexOf("    @LayerNorm(normalizedShape = 96) Layer norm;") + 1));
            Truth.assertThat(again.errors().get(0).message()).contains("[MC310] blk.norm: LayerNorm normalizedShape = [96] must be the input's last axes");
            Truth.assertThat(again.errors().get(0).message()).endsWith(
                    "[in model test.Net, not compiled with block Blk but analysed again with it, from the class file of an earlier build]");
        } finally {
            ToolCompile.delete(first.classOutput().getParent());
        }
    }

    @Test
    void anEarlierCostClassCompiledWithABlockAloneIsComparedAndMC159GoesOnTheBlock() {
        // A build with only the block changed (to 6 features) failed elsewhere after writing NetCost.java through the model analysed
        // again; Maven (useIncrementalCompilation=false) then compiles that file with the block. Where the block is as it was then,
        // the file is the class; where it changed again (7), MC159 names the file, on the block, with the model's context.
        String model = "package test;\nimport dev.modelcost.*;\n@Model(input = {10})\npublic class Net {\n    Blk blk;\n}\n";
        String block = "package test;\nimport dev.modelcost.*;\n@Block\npublic class Blk {\n    @Linear(out = %d) Layer fc;\n}\n";
        ToolCompile.Result first = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("test.Net", model, "test.Blk", block.formatted(5)),
                List.of(), true, new ModelCostProcessor());
        try {
            Truth.assertThat(first.errors()).isEmpty();
            ToolCompile.Result written = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("test.Blk", block.formatted(6)), List.of(),
                    List.of(first.classOutput()), false, new ModelCostProcessor());
            Truth.assertThat(written.errors()).isEmpty();
            String earlier = written.generated().get("test/NetCost.java");
            // 10 x 6 + 6
            Truth.assertThat(earlier).contains("PARAMS = 66L;");
            ToolCompile.Result same = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("test.Blk", block.formatted(6), "test.NetCost", earlier),
                    List.of(), List.of(first.classOutput()), false, new ModelCostProcessor());
            Truth.assertThat(same.errors()).isEmpty();
            ToolCompile.Result changed = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("test.Blk", block.formatted(7), "test.NetCost",
                    earlier), List.of(), List.of(first.classOutput()), false, new ModelCostProcessor());
            Truth.assertThat(changed.errors()).hasSize(1);
            Truth.assertThat(changed.errors().get(0).file()).isEqualTo("Blk.java");
            Truth.assertThat(changed.errors().get(0).message()).startsWith("[MC159] cannot write test.NetCost: javac is compiling ");
            Truth.assertThat(changed.errors().get(0).message()).endsWith(
                    "[in model test.Net, not compiled with block Blk but analysed again with it, from the class file of an earlier build]");
        } finally {
            ToolCompile.delete(first.classOutput().getParent());
        }
    }

    @Test
    void aBlockRecompiledWithoutItsModelsHasThemAnalysedAgain() {
        // The first build compiles both; a later one only the changed block, with the first build's output on the class path.
        ToolCompile.Result first = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("test.Net", BUDGETED_MODEL, "test.Unit", unit(8)),
                List.of(), true, new ModelCostProcessor());
        try {
            Truth.assertThat(first.errors()).isEmpty();
            Truth.assertThat(first.generated().get("test/NetCost.java")).contains("PARAMS = 136L;");
            Truth.assertThat(first.resources().keySet()).contains("META-INF/modelcost/users/test.Unit.models");

            ToolCompile.Result wider = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("test.Unit", unit(32)), List.of(),
                    List.of(first.classOutput()), false, new ModelCostProcessor());
            Truth.assertThat(wider.errors()).isEmpty();
            // Linear 16 -> 32: 16 * 32 + 32.
            Truth.assertThat(wider.generated().get("test/NetCost.java")).contains("PARAMS = 544L;");

            ToolCompile.Result over = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("test.Unit", unit(64)), List.of(),
                    List.of(first.classOutput()), false, new ModelCostProcessor());
            // Linear 16 -> 64: 1,088 parameters, over the model's 1,000: an error on the block that names the model, and no Cost class.
            Truth.assertThat(over.errors().stream().map(d -> d.file() + ":" + d.line() + ": " + d.message()).toList()).containsExactly(
                    "Unit.java:6: [MC402] PARAMS = 1,088 exceeds the budget maxParams = 1,000 by 8.8%; largest: unit.fc (Linear) 1,088 = 100.0%"
                            + " [in model test.Net, not compiled with block Unit but analysed again with it, from the class file of an earlier build]");
            Truth.assertThat(over.generated()).isEmpty();

            // The block compiled alone into the same output, which the class path leaves out (javac -d out without -cp out): the
            // record names the model, whose class is in the output but cannot be loaded. MC147 says so rather than leave its Cost
            // class stale unsaid.
            ToolCompile.Result alone = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("test.Unit", unit(32)),
                    List.of("-d", first.classOutput().toString()), List.of(), false, new ModelCostProcessor());
            Truth.assertThat(alone.errors()).isEmpty();
            Truth.assertThat(alone.diagnostics().stream().filter(d -> d.kind() == javax.tools.Diagnostic.Kind.WARNING)
                    .map(d -> d.file() + ":" + d.line() + ": " + d.message()).toList()).containsExactly("Unit.java:6: " + "[MC147] model test.Net, which "
                    + "an earlier build recorded as applying block test.Unit, is not on the class path: its Cost class and reports, left from that "
                    + "build, are not written again (fix: put the class output on the class path, as build tools do, or compile the model too)");
            // Once the model is deleted (its class too), its record says nothing more.
            java.nio.file.Files.delete(first.classOutput().resolve("test/Net.class"));
            ToolCompile.Result deleted = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("test.Unit", unit(32)),
                    List.of("-d", first.classOutput().toString()), List.of(), false, new ModelCostProcessor());
            Truth.assertThat(deleted.diagnostics()).isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            ToolCompile.delete(first.classOutput().getParent());
        }
    }

    @Test
    void aModelAnalysedAgainFromItsClassFileFindsTheClassesItsFileImports() {
        // Net imports a.Widths (10 classes) beside a test.Widths (1,000): Java takes the import. Its block recompiled alone has Net
        // analysed again from its class file, which keeps no imports: the record of them beside the class files keeps the figure.
        Map<String, String> first = Map.of(
                "a.Widths", "package a;\n\npublic final class Widths { public static final int CLASSES = 10; }\n",
                "test.Widths", "package test;\n\npublic final class Widths { public static final int CLASSES = 1000; }\n",
                "test.Unit", "package test;\n\nimport dev.modelcost.*;\n\n@Block\npublic class Unit { @ReLU Layer relu; }\n",
                "test.Net", "package test;\n\nimport a.Widths;\nimport dev.modelcost.*;\n\n@Model(input = {8})\npublic class Net {\n"
                        + "    Unit unit;\n    @Linear(with = \"out = Widths.CLASSES\") Layer fc;\n}\n");
        ToolCompile.Result full = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), first, List.of(), true, new ModelCostProcessor());
        try {
            Truth.assertThat(full.errors()).isEmpty();
            Truth.assertThat(full.generated().get("test/NetCost.java")).contains("OUTPUT_SHAPE = \"1x10\";");
            Truth.assertThat(full.resources().keySet()).contains("META-INF/modelcost/imports/test.Net.imports");
            ToolCompile.Result alone = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("test.Unit",
                    "package test;\n\nimport dev.modelcost.*;\n\n@Block\npublic class Unit { @GELU Layer act; }\n"), List.of(),
                    List.of(full.classOutput()), false, new ModelCostProcessor());
            Truth.assertThat(alone.errors()).isEmpty();
            // Linear(8, 10): 90 parameters, as the full build.
            Truth.assertThat(alone.generated().get("test/NetCost.java")).contains("OUTPUT_SHAPE = \"1x10\";");
            Truth.assertThat(alone.generated().get("test/NetCost.java")).contains("PARAMS = 90L;");
        } finally {
            ToolCompile.delete(full.classOutput().getParent());
        }
    }

    @Test
    void aBlockFromAJarFindsTheClassesItsFileImports() {
        // The block imports com.acme.consts.Sizes (WIDTH = 24); compiled into a jar, which javac's file manager lists only by its
        // package folders: the record of its imports in META-INF is read beside its class file. Conv2d(3, 24, k = 1) on 8 x 8: 96
        // parameters, 3 x 24 x 64 = 4,608 MACs.
        Map<String, String> library = Map.of(
                "com.acme.consts.Sizes", "package com.acme.consts;\n\npublic final class Sizes { public static final int WIDTH = 24; }\n",
                "com.acme.blocks.Wide", "package com.acme.blocks;\n\nimport com.acme.consts.Sizes;\nimport dev.modelcost.*;\n\n@Block\n"
                        + "public class Wide { @Conv2d(k = 1, with = \"cout = Sizes.WIDTH\") Layer conv; }\n");
        ToolCompile.Result built = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), library, List.of(), true, new ModelCostProcessor());
        try {
            Truth.assertThat(built.errors()).isEmpty();
            // Also in a folder whose name ends in '!', which a jar: URL cannot name.
            for (String at : List.of("library.jar", "libs!/library.jar")) {
                java.nio.file.Path jar = built.classOutput().getParent().resolve(at);
                java.nio.file.Files.createDirectories(jar.getParent());
                try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(java.nio.file.Files.newOutputStream(jar));
                        java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(built.classOutput())) {
                    for (java.nio.file.Path file : files.filter(java.nio.file.Files::isRegularFile).sorted().toList()) {
                        out.putNextEntry(new java.util.jar.JarEntry(built.classOutput().relativize(file).toString().replace('\\', '/')));
                        out.write(java.nio.file.Files.readAllBytes(file));
                        out.closeEntry();
                    }
                }
                ToolCompile.Result model = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), Map.of("test.Net", "package test;\n\n"
                        + "import com.acme.blocks.Wide;\nimport dev.modelcost.*;\n\n@Model(input = {3, 8, 8})\npublic class Net { Wide wide; }\n"),
                        List.of(), List.of(jar), false, new ModelCostProcessor());
                Truth.assertThat(model.errors()).isEmpty();
                Truth.assertThat(model.generated().get("test/NetCost.java")).contains("PARAMS = 96L;");
                Truth.assertThat(model.generated().get("test/NetCost.java")).contains("MACS = 4608L;");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            ToolCompile.delete(built.classOutput().getParent());
        }
    }

    @Test
    void sumsOfFiguresBeyond64BitsAreMc401OnTheModel() {
        // 2,147,483,647 x 1,073,741,824 parameters: 9.2e18 weight bytes at fp32 still fit, the inference memory that adds the activations not.
        String inference = model("@Model(input = {8}, tokens = true)", "@Embedding(numEmbeddings = 2147483647, embeddingDim = 1073741824) Layer e;");
        expectOnly(inference, "[MC401] test.Net: its inference memory (weights, buffers, activation peak and KV cache) is too large to count exactly",
                "@Model", columnOf(inference, "@Model", "@Model"));
        // A training step's weights, gradients and Adam's two moments: each 4.4e18 bytes, their sum beyond 64 bits.
        String training = model("@Model(input = {8}, tokens = true) @Training",
                "@Embedding(numEmbeddings = 2147483647, embeddingDim = 512000000) Layer e;");
        expectOnly(training, "[MC401] test.Net: its training step's TRAINING_MEMORY_BYTES is too large to count exactly",
                "@Training", columnOf(training, "@Training", "@Training"));
        // A step's FLOPs past 64 bits at a large batch: 3 x 2,000,000,000 forward FLOPs x 2,147,483,647, the caret on the batch.
        String batch = model("@Model(input = {1000000}) @Training(batch = 2147483647)", "@Linear(out = 1000) Layer fc;");
        expectOnly(batch, "[MC401] test.Net: its training step's TRAINING_FLOPS at a batch of 2,147,483,647 is too large to count exactly",
                "@Training", columnOf(batch, "@Training", "2147483647"));
        // At int4 the weights of 4.6e18 parameters are 2.3e18 bytes; the layer table's fp32 default for them would not fit, so it is written.
        Compilation int4 = compile(source("test.Net", model("@Model(input = {8}, tokens = true, dtype = \"int4\")",
                "@Embedding(numEmbeddings = 2147483647, embeddingDim = 2147483647) Layer e;")));
        assertThat(int4).succeeded();
        assertEquals(2147483647L * 2147483647L, ModelSources.constant(int4, "test.NetCost", "PARAMS"));
    }

    @Test
    void aModelWhoseAnnotationsReadAnotherModelsGeneratedConstantsIsReadInTheNextRound() {
        // A's Cost class is generated in the first round; B's budget and C's input read it, so they are read in the second.
        JavaFileObject a = source("test.A", "package test;\nimport dev.modelcost.*;\n@Model(input = {8})\npublic class A { @Linear(out = 4) Layer fc; }\n");
        JavaFileObject b = source("test.B", "package test;\nimport dev.modelcost.*;\n@Model(input = {8})\n@Budget(maxMacs = ACost.MACS)\n"
                + "public class B { @Linear(out = 8) Layer fc; }\n");
        JavaFileObject c = source("test.C", "package test;\nimport dev.modelcost.*;\n@Model(input = {ACost.LAYER_COUNT * 8})\n"
                + "public class C { @Linear(out = 4) Layer fc; }\n");
        Compilation compilation = compile(a, b, c);
        // B: 8 x 8 = 64 MACs over A's 8 x 4 = 32, not skipped in silence.
        assertThat(compilation).hadErrorContaining("[MC402] MACS = 64 exceeds the budget maxMacs = 32 by 100.0%").inFile(b).onLineContaining("@Budget");
        assertThat(compilation).hadErrorCount(1);
        // C: an input of 1 x 8 features, 8 x 4 MACs.
        Compilation withC = compile(a, c);
        assertThat(withC).succeeded();
        assertEquals(32, ModelSources.constant(withC, "test.CCost", "MACS"));
    }

    @Test
    void aLayerPathLongerThanAClassFilesStringConstantStillCompiles() throws Exception {
        // Three nested blocks under names of 22,000 characters: the one leaf's path is 66,007 characters, past the 65,534 that one
        // string constant holds (javac: "constant string too long"). PEAK_ACTIVATION_LAYER must still be that path, whole.
        String a = "a".repeat(22_000);
        String b = "b".repeat(22_000);
        String c = "c".repeat(22_000);
        String text = """
                package test;

                import dev.modelcost.*;

                @Block class Inner {
                    @Conv2d(cout = 8, k = 3, padding = 1) Layer conv;
                }

                @Block class Mid {
                    Inner %s;
                }

                @Block class Outer {
                    Mid %s;
                }

                @Model(input = {8, 16, 16})
                public class Net {
                    Outer %s;
                }
                """.formatted(c, b, a);
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).succeeded();
        String path = a + "." + b + "." + c + ".conv";
        Truth.assertThat(ModelSources.generated(compilation, "test.NetCost")).contains("PEAK_ACTIVATION_LAYER = String.join(");
        // The compilation's class output as a class loader: the class reads its layer table, this long a resource beside it.
        ClassLoader loader = ModelSources.classes(compilation);
        assertEquals(path, loader.loadClass("test.NetCost").getField("PEAK_ACTIVATION_LAYER").get(null));
    }
}
