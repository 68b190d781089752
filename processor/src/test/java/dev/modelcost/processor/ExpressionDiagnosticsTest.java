package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.expectInBlock;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The catalogue entries of expressions and attributes (MC201 to MC204, MC207 to MC209), wherever an
 * expression is written: {@code with}, {@code @When}, {@code @Param(expr)} and {@code @Args}. Each
 * points at the string that holds the expression.
 */
class ExpressionDiagnosticsTest {

    @Test
    void mc201MalformedWith() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Linear(with = "out = 3 +") Layer fc;
                }
                """;
        expectOnly(text, "[MC201] fc: cannot parse 'out = 3 +': the expression ends too early at position 10", "Layer fc;",
                columnAfter(text, "Layer fc;", "with = "));
    }

    @Test
    void mc201MalformedWhen() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @When("in >") @ReLU Layer relu;
                }
                """;
        expectOnly(text, "[MC201] relu @When: cannot parse 'in >': the expression ends too early", "Layer relu;",
                columnAfter(text, "Layer relu;", "@When("));
    }

    @Test
    void mc201MalformedParamDefault() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    Part part;

                    @Block
                    public static class Part {
                        @Param(expr = "in * (2") int wide;
                        @Linear(with = "out = wide") Layer fc;
                    }
                }
                """;
        expectOnly(text, "[MC201] @Param wide: cannot parse 'in * (2': expected ')' at position 8", "int wide;",
                columnAfter(text, "int wide;", "expr = "));
    }

    @Test
    void mc201UnknownFunction() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Linear(with = "out = mx(in, 4)") Layer fc;
                }
                """;
        expectOnly(text, "[MC201] fc: cannot parse 'out = mx(in, 4)': unknown function 'mx'; there are min, max, divisible, exact, ceil, floor, round, int and len",
                "Layer fc;", columnAfter(text, "Layer fc;", "with = "));
    }

    @Test
    void mc201APathWithARepetitionsNumberSaysHowToReadTheStep() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 32, 32})
                public class Net {
                    @Repeat(2) U u;
                    @Conv2d(k = 1, with = "cout = u.1.c.C") Layer head;

                    @Block
                    static class U {
                        @Conv2d(cout = 8, k = 3, padding = 1) Layer c;
                        @ReLU Layer r;
                    }
                }
                """;
        expectOnly(text, "[MC201] head: cannot parse 'cout = u.1.c.C': 'u.1.c.C' is not a name (an expression reads an earlier field's output "
                + "by its axis, u.C, not a step inside a block by its path: give that step a field of its own, @From(\"u.1.c\") @Functional "
                + "@Identity Layer tap, which takes no number in an indexed network, and read tap.C) at position 9", "Layer head;",
                columnAfter(text, "Layer head;", "with = "));
        // The way the message gives compiles: the tap reads the second repetition's convolution, 8 channels, so the head is a 1x1
        // Conv2d(8, 8): 8·8 + 8 = 72 parameters, after 3·8·9 + 8 = 224 and 8·8·9 + 8 = 584 in the repetitions.
        Compilation compilation = ModelSources.compiled(text.replace("@Conv2d(k = 1, with = \"cout = u.1.c.C\") Layer head;",
                "@From(\"u.1.c\") @Functional @Identity Layer tap;\n    @From(\"u\") @Conv2d(k = 1, with = \"cout = tap.C\") Layer head;"));
        assertEquals(224L + 584 + 72, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        // In an indexed network (nn.Sequential), the tap takes no number: the head is module 2, after the repetitions 0 and 1.
        Compilation indexed = ModelSources.compiled(text.replace("@Model(input = {3, 32, 32})", "@Model(input = {3, 32, 32}, indexed = true)")
                .replace("@Repeat(2) U u;", "@Repeat(value = 2, inline = true) U u;")
                .replace("@Conv2d(k = 1, with = \"cout = u.1.c.C\") Layer head;",
                        "@From(\"u.1.c\") @Functional @Identity Layer tap;\n    @From(\"u\") @Conv2d(k = 1, with = \"cout = tap.C\") Layer head;"));
        String generated = ModelSources.generated(indexed, "test.NetCost");
        assertTrue(generated.contains("+ \"2\\tConv2d\\t8x32x32\\t"), generated);
    }

    @Test
    void mc202UnknownNameWithSuggestion() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    static final int WIDTH = 8;
                    @Linear(with = "out = WIDHT * 2") Layer fc;
                }
                """;
        expectOnly(text, "[MC202] fc out: unknown name 'WIDHT' in 'out = WIDHT * 2'; did you mean 'WIDTH'?", "Layer fc;",
                columnAfter(text, "Layer fc;", "with = "));
    }

    @Test
    void mc202SaysHowToReadAnAxisOfTheInputThatNoSizeVaries() {
        // The axis's name alone is a size variable's: compiled with the sizes fixed (no @Model(sizes)), it is read through its input.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 32, 32})
                public class Net {
                    @Conv2d(cout = 8, k = 3) Layer conv;
                    @When("H > 320") @ReLU Layer relu;
                }
                """;
        expectOnly(text, "[MC202] relu @When: unknown name 'H' in 'H > 320': H is an axis of the model's input: read it as input.H (32 here), "
                + "or name it in @Model(sizes) to read it as H and vary it", "Layer relu;", columnAfter(text, "Layer relu;", "@When("));
    }

    @Test
    void mc202SaysThatAFieldReadIsComputedLater() {
        // An upsampling to the size of a field declared below it: PyTorch code would fail with a NameError; the message says why,
        // where before it offered the name of an earlier field that looks alike.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 32, 32})
                public class Net {
                    @Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer low;
                    @Upsample(with = "size = [high.H, high.W]") Layer up;
                    @From("input") @Conv2d(cout = 8, k = 1) Layer high;
                }
                """;
        expectOnly(text, "[MC202] up size: unknown name 'high.H' in 'size = [high.H, high.W]': high.H is a size of field high, which is not "
                + "computed before this step: an expression reads the sizes of the inputs and of earlier fields (x.H for the step's own input)",
                "Layer up;", columnAfter(text, "Layer up;", "with = "));
    }

    @Test
    void mc202SaysWhyAStaticFieldIsNoConstant() {
        // A static field that is not final, a double and one computed when the class loads: javac accepts each, and each is named.
        String what = "expressions read integer constants, static final int, long, short or byte fields";
        String[][] cases = {
            {"static int WIDTH = 8;", "WIDTH is a static field that is not final: " + what},
            {"static final double WIDTH = 8;", "WIDTH is a double constant: " + what + ", and a decimal written where an attribute takes one"},
            {"static final int WIDTH = Integer.parseInt(\"8\");", "WIDTH is no compile-time constant (its value is computed when the class "
                + "loads)"},
            {"static final String WIDTH = \"8\";", "WIDTH is a String constant: " + what},
            {"static final int[] WIDTH = {8};", "WIDTH is an array: " + what}};
        for (String[] each : cases) {
            String text = """
                    package test;

                    import dev.modelcost.*;

                    @Model(input = {10})
                    public class Net {
                        %s
                        @Linear(with = "out = WIDTH * 2") Layer fc;
                    }
                    """.formatted(each[0]);
            expectOnly(text, "[MC202] fc out: unknown name 'WIDTH' in 'out = WIDTH * 2': " + each[1], "Layer fc;",
                    columnAfter(text, "Layer fc;", "with = "));
        }
    }

    @Test
    void mc202SaysWhyAnInheritedOrQualifiedFieldIsNoConstant() {
        // A superclass's field and another class's, named by its class: javac accepts both, and each is named with why.
        String text = """
                package test;

                import dev.modelcost.*;

                class Base {
                    static int BW = 3;
                }

                class Other {
                    static final int Y = Integer.parseInt("16");
                }

                @Model(input = {10})
                public class Net extends Base {
                    @Linear(with = "out = BW") Layer fc;
                }
                """;
        expectOnly(text, "[MC202] fc out: unknown name 'BW' in 'out = BW': BW is a static field that is not final", "Layer fc;",
                columnAfter(text, "Layer fc;", "with = "));
        String qualified = text.replace("out = BW", "out = Other.Y");
        expectOnly(qualified, "[MC202] fc out: unknown name 'Other.Y' in 'out = Other.Y': Other.Y is no compile-time constant", "Layer fc;",
                columnAfter(qualified, "Layer fc;", "with = "));
    }

    @Test
    void mc202SaysAStaticallyImportedConstantIsWrittenQualified() {
        // javac resolves WIDTH through the static import; expressions follow only qualified names, and the message says so, by
        // the single import and by the import on demand alike, with the name that resolves from anywhere.
        JavaFileObject sizes = ModelSources.source("consts.Sizes", "package consts;\n\npublic final class Sizes {\n"
                + "    public static final int WIDTH = 6;\n    public static final double RATE = 0.5;\n}\n");
        String template = """
                package test;

                import dev.modelcost.*;
                %s

                @Model(input = {10})
                public class Net {
                    %s
                    @Linear(with = "out = %s") Layer fc;
                }
                """;
        for (String imported : List.of("import static consts.Sizes.WIDTH;", "import static consts.Sizes.*;")) {
            String text = template.formatted(imported, "static final int KEEP = WIDTH;", "WIDTH");
            JavaFileObject net = ModelSources.source("test.Net", text);
            ModelSources.assertOnlyError(ModelSources.compile(net, sizes), net, "[MC202] fc out: unknown name 'WIDTH' in 'out = WIDTH': WIDTH is a "
                    + "field of Sizes that a static import brings, which expressions do not follow: write it qualified, consts.Sizes.WIDTH",
                    "Layer fc;", columnAfter(text, "Layer fc;", "with = "));
            // Written so, beside the same import, it is read: Linear(10, 6) holds 66 parameters.
            Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", text.replace("out = WIDTH", "out = consts.Sizes.WIDTH")), sizes);
            assertThat(compilation).succeeded();
            assertEquals(66, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        }
        // A field expressions cannot read even written qualified: the message says why.
        String decimal = template.formatted("import static consts.Sizes.RATE;", "static final double KEEP = RATE;", "RATE");
        JavaFileObject net = ModelSources.source("test.Net", decimal);
        ModelSources.assertOnlyError(ModelSources.compile(net, sizes), net, "[MC202] fc out: unknown name 'RATE' in 'out = RATE': RATE is a field "
                + "of Sizes that a static import brings, which expressions do not follow: written qualified (consts.Sizes.RATE), it is a double "
                + "constant", "Layer fc;", columnAfter(decimal, "Layer fc;", "with = "));
        // An ordinary import on demand brings Sizes's member types, no field: nothing is said of a static import.
        String ordinary = template.formatted("import consts.Sizes.*;", "", "WIDTH");
        Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", ordinary), sizes);
        assertThat(compilation).hadErrorContaining("[MC202] fc out: unknown name 'WIDTH' in 'out = WIDTH'");
        assertTrue(compilation.errors().stream().noneMatch(e -> e.getMessage(null).contains("static import")));
    }

    @Test
    void mc202SaysAParameterIsDeclaredAfterTheDefaultThatReadsIt() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Net {
                    B b;

                    @Block
                    static class B {
                        @Param(expr = "width * 2") int hidden;
                        @Param(4) int width;
                        @Conv2d(k = 1, with = "cout = hidden") Layer c;
                    }
                }
                """;
        expectInBlock(text, "[MC202] b @Param hidden: unknown name 'width' in 'width * 2': width is a parameter declared after hidden: a default "
                + "reads the parameters declared before it (declare width first)", "int hidden;", columnAfter(text, "int hidden;", "expr = "), "B b;");
    }

    @Test
    void mc202SaysABlockDoesNotSeeTheModelsSizeVariables() {
        // H is the model's size variable: the block reads its own input's height, or H passed as an argument.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8}, sizes = {"H", "batch"})
                public class Net {
                    B b;

                    @Block
                    static class B {
                        @Conv2d(k = 1, with = "cout = H") Layer c;
                    }
                }
                """;
        expectInBlock(text, "[MC202] b.c cout: unknown name 'H' in 'cout = H': H is a size variable of model Net, which a block does not see: "
                + "read the size of what the block receives (input.H) or pass H to a @Param of the block with @Args", "Layer c;",
                columnAfter(text, "Layer c;", "with = "), "B b;");
        String batch = text.replace("cout = H", "cout = batch");
        expectInBlock(batch, "[MC202] b.c cout: unknown name 'batch' in 'cout = batch': batch is a size variable of model Net, which a block does "
                + "not see: pass batch to a @Param of the block with @Args", "Layer c;", columnAfter(batch, "Layer c;", "with = "), "B b;");
    }

    @Test
    void aModelClassAppliedAsABlockDoesNotSeeItsOwnSizeVariables() {
        // As a model, Net reads its L; applied as a block by Big, which declares no sizes, it does not, and the message says what to read.
        JavaFileObject net = ModelSources.source("test.Net", """
                package test;
                import dev.modelcost.*;
                @Model(input = {16, 8}, layout = "L,D", sizes = "L <= 4096")
                @Block
                public class Net {
                    @Linear(out = 8) Layer fc;
                    @When("L > 20") @Linear(out = 8) Layer fc2;
                }
                """);
        JavaFileObject big = ModelSources.source("test.Big", """
                package test;
                import dev.modelcost.*;
                @Model(input = {32, 8}, layout = "L,D")
                public class Big {
                    Net a;
                }
                """);
        assertThat(ModelSources.compile(net)).succeeded();
        Compilation compilation = ModelSources.compile(net, big);
        assertThat(compilation).hadErrorContaining("[MC202] a.fc2 @When: unknown name 'L' in 'L > 20': L is a size variable of Net as a model, which "
                + "Net applied as a block does not see: read the size of what the block receives (input.L) or pass L to a @Param of the block "
                + "with @Args").inFile(net).onLineContaining("Layer fc2;");
    }

    @Test
    void mc202ListsEachKnownNameOnce() {
        // The input's axes are known both as the model's input and as what the layer reads: each is listed once.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Net {
                    @Conv2d(k = 3, with = "cout = zzzzzz") Layer conv;
                }
                """;
        expectOnly(text, "[MC202] conv cout: unknown name 'zzzzzz' in 'cout = zzzzzz'; known: h, in, input.C, input.H, input.W, w, x.C, x.H, x.W",
                "Layer conv;", columnAfter(text, "Layer conv;", "with = "));
    }

    @Test
    void mc202InAFieldThatItsWhenLeavesOut() {
        // The field is never built at this depth, so nothing evaluates its width; the name is wrong at every depth all the same.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {16})
                public class Net {
                    static final int DEPTH = 2;
                    static final int WIDTH = 32;
                    @Linear(out = 32) Layer fc1;
                    @When("DEPTH > 4") @Linear(with = "out = WIDHT") Layer fc2;
                    @Linear(out = 10) Layer head;
                }
                """;
        expectOnly(text, "[MC202] fc2 out: unknown name 'WIDHT' in 'out = WIDHT'; did you mean 'WIDTH'? (in field fc2, which "
                + "@When(\"DEPTH > 4\") leaves out here; a name that means nothing is refused though its field is left out)", "Layer fc2;",
                columnAfter(text, "Layer fc2;", "with = "));
    }

    @Test
    void mc202InTheArgumentsOfABlockThatItsWhenLeavesOut() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {16})
                public class Net {
                    static final int EXTRA = 0;
                    @Linear(out = 32) Layer fc;
                    @When("EXTRA == 1") @Repeat(2) @Args("width = 2 * index + widht") Part part;
                    @Linear(out = 10) Layer head;

                    @Block
                    public static class Part {
                        @Param int width;
                        @Linear(with = "out = width") Layer fc;
                    }
                }
                """;
        expectOnly(text, "[MC202] part argument width: unknown name 'widht' in 'width = 2 * index + widht'", "Part part;",
                columnAfter(text, "Part part;", "@Args("));
    }

    @Test
    void mc202InABranchNotTaken() {
        // ?: takes the second branch, and && stops at its left: neither reads the misspelt name, which is refused all the same.
        String conditional = """
                package test;

                import dev.modelcost.*;

                @Model(input = {16})
                public class Net {
                    static final int WIDE = 0;
                    @Linear(with = "out = WIDE == 1 ? 2 * in + wdth : in") Layer fc;
                }
                """;
        expectOnly(conditional, "[MC202] fc out: unknown name 'wdth' in 'out = WIDE == 1 ? 2 * in + wdth : in'; known: WIDE, in, input.F, x.F (in a part of the "
                + "expression not evaluated here: a branch of ?: not taken, or the right of && or || where the left decides; a name that "
                + "means nothing is refused wherever it is written)", "Layer fc;", columnAfter(conditional, "Layer fc;", "with = "));
        String and = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 16, 16})
                public class Net {
                    static final int WIDE = 0;
                    @When("WIDE == 1 && input.Hh > 8") @ReLU Layer relu;
                }
                """;
        expectOnly(and, "[MC202] relu @When: unknown name 'input.Hh' in 'WIDE == 1 && input.Hh > 8'; did you mean 'input.H'?",
                "Layer relu;", columnAfter(and, "Layer relu;", "@When("));
    }

    @Test
    void aFieldLeftOutOrABranchNotTakenMayFailOtherwise() {
        // What a condition guards is not evaluated: a division by zero, an axis the input does not have (x is 1-D here, x.H an
        // image's), a block's own h, and index in a repetition's arguments. Only fc (16 * 8 + 8) and head (8 * 10 + 10) are built.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {16})
                public class Net {
                    static final int HEADS = 0;
                    @Linear(with = "out = HEADS > 0 ? in / HEADS : 8") Layer fc;
                    @When("HEADS > 0") @Linear(with = "out = in / HEADS") Layer split;
                    @When("HEADS > 0") @Linear(with = "out = x.H * x.W") Layer flat;
                    @When("HEADS > 0") @Repeat(2) @Args("width = in / HEADS + index") Part part;
                    @Args("width = 10") Part head;

                    @Block
                    public static class Part {
                        @Param int width;
                        @Linear(with = "out = in > 100 ? h * w : width") Layer fc;
                    }
                }
                """;
        Compilation compilation = ModelSources.compiled(text);
        assertThat(compilation).succeededWithoutWarnings();
        assertEquals(16 * 8 + 8 + 8 * 10 + 10, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
    }

    @Test
    void aModelThatIsABlockTooMayReadAxesItsOwnInputLacksWhereItIsLeftOut() {
        // As a model Head gets a vector, which has no H; applied as a block to a 3-channel image it convolves to input.H channels.
        JavaFileObject head = ModelSources.source("test.Head", """
                package test;

                import dev.modelcost.*;

                @Model(input = {16})
                @Block
                public class Head {
                    @When("in == 3") @Conv2d(k = 1, with = "cout = input.H") Layer conv;
                    @When("in == 3") @Flatten Layer flat;
                    @Linear(with = "out = in == 3 ? h * w : 10") Layer fc;
                }
                """);
        JavaFileObject uses = ModelSources.source("test.Uses", """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Uses {
                    Head head;
                }
                """);
        Compilation compilation = ModelSources.compile(head, uses);
        assertThat(compilation).succeededWithoutWarnings();
        // Head alone: Linear(16, 10). Applied: Conv2d(3, 8, 1) on 8 x 8, flattened to 512, then Linear(512, 64).
        assertEquals(16 * 10 + 10, ModelSources.constant(compilation, "test.HeadCost", "PARAMS"));
        assertEquals(3 * 8 + 8 + 512 * 64 + 64, ModelSources.constant(compilation, "test.UsesCost", "PARAMS"));
    }

    @Test
    void mc203ConditionThatIsANumber() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Args("size = 4") Part part;

                    @Block
                    public static class Part {
                        @Param int size;
                        @When("size + 1") @ReLU Layer relu;
                        @Linear(with = "out = size") Layer fc;
                    }
                }
                """;
        expectInBlock(text, "[MC203] part.relu @When: expected a condition but found the number 5 in 'size + 1'", "Layer relu;",
                columnAfter(text, "Layer relu;", "@When("), "Part part;");
    }

    @Test
    void mc203TextThatIsNoCondition() {
        String text = model("@Model(input = {8})", "@When(\"'a'\") @ReLU Layer relu;");
        expectOnly(text, "[MC203] relu @When: expected a condition but found the text 'a'", "Layer relu;", columnAfter(text, "Layer relu;", "@When("));
    }

    @Test
    void mc203NumberThatIsACondition() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Linear(with = "out = in > 4") Layer fc;
                }
                """;
        expectOnly(text, "[MC203] fc out: expected a number but found a condition in 'out = in > 4'", "Layer fc;",
                columnAfter(text, "Layer fc;", "with = "));
    }

    @Test
    void mc204DivisionByZeroInWith() {
        // in = 10, so in - 10 = 0.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Linear(with = "out = 100 / (in - 10)") Layer fc;
                }
                """;
        expectOnly(text, "[MC204] fc out: division by zero in 'out = 100 / (in - 10)' (100 / 0)", "Layer fc;",
                columnAfter(text, "Layer fc;", "with = "));
    }

    @Test
    void mc203ANegativeDivisorOfDivisible() {
        // torchvision's _make_divisible rounds to a multiple of a positive divisor; a negative one is no division by zero.
        String text = ModelSources.model("@Model(input = {16})", "@Linear(with = \"out = divisible(8, -8)\") Layer fc;");
        expectOnly(text, "[MC203] fc out: expected a positive divisor but found -8 in divisible(8, -8) in 'out = divisible(8, -8)'", "Layer fc;",
                columnAfter(text, "Layer fc;", "with = "));
    }

    @Test
    void mc204ModuloByZeroInAParamDefault() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Args("groups = 0") Part part;

                    @Block
                    public static class Part {
                        @Param int groups;
                        @Param(expr = "in % groups") int rest;
                        @Linear(with = "out = rest + 1") Layer fc;
                    }
                }
                """;
        expectInBlock(text, "[MC204] part @Param rest: division by zero in 'in % groups' (10 % 0)", "int rest;",
                columnAfter(text, "int rest;", "expr = "), "Part part;");
    }

    @Test
    void mc207AttributeTwiceInWith() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Linear(with = "out = 4, out = 5") Layer fc;
                }
                """;
        expectOnly(text, "[MC207] fc: 'out' is given twice", "Layer fc;", columnAfter(text, "Layer fc;", "with = "));
    }

    @Test
    void mc207ArgumentTwice() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Args({"size = 4", "size = 5"}) Part part;

                    @Block
                    public static class Part {
                        @Param int size;
                        @Linear(with = "out = size") Layer fc;
                    }
                }
                """;
        // on the string that gives it the second time
        expectOnly(text, "[MC207] part: 'size' is given twice", "Part part;", columnAfter(text, "Part part;", "\"size = 4\", "));
        // an unknown name and a syntax error, each on its own string
        String unknown = text.replace("\"size = 5\"", "\"sise = 5\"").replace("\"size = 4\"", "\"size = 4\", \"\"");
        expectOnly(unknown, "[MC205] part: block Part has no parameter 'sise'; did you mean 'size'?", "Part part;",
                columnAfter(unknown, "Part part;", "\"size = 4\", \"\", "));
        String broken = text.replace("\"size = 5\"", "\"size = \"");
        expectOnly(broken, "[MC201] part", "Part part;", columnAfter(broken, "Part part;", "\"size = 4\", "));
    }

    @Test
    void mc208UnknownAttributeWithSuggestion() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Net {
                    @Conv2d(k = 3, with = "cot = in * 2") Layer conv;
                }
                """;
        expectOnly(text, "[MC208] conv: @Conv2d has no attribute 'cot'; did you mean 'cout'?", "Layer conv;",
                columnAfter(text, "Layer conv;", "with = "));
    }

    @Test
    void mc209AttributeAsLiteralAndInWith() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Linear(out = 4, with = "out = in") Layer fc;
                }
                """;
        expectOnly(text, "[MC209] fc: 'out' is given both as a literal and in 'with' (fix: keep one of the two)", "Layer fc;",
                columnAfter(text, "Layer fc;", "with = "));
    }

    @Test
    void mc209ParamDefaultAsLiteralAndExpression() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    Part part;

                    @Block
                    public static class Part {
                        @Param(value = 4, expr = "in") int size;
                        @Linear(with = "out = size") Layer fc;
                    }
                }
                """;
        expectOnly(text, "[MC209] @Param size: 'value' is given both as a literal and in 'expr'", "int size;",
                columnAfter(text, "int size;", "expr = "));
    }

    @Test
    void anUnknownAxisOfAFieldAfterTheKnownNamesIsASentenceOfItsOwn() {
        // a.numel is no axis: the known names, then what a has, each apart
        String text = model("@Model(input = {4, 8, 8})", "@Conv2d(cout = 6, k = 3) Layer a;", "@Conv2d(k = 1, with = \"cout = a.numel\") Layer b;");
        expectOnly(text, "x.W; a has the axes C, H, W", "Layer b;", columnAfter(text, "Layer b;", "with = "));
    }

    @Test
    void anUnknownAxisOfTheInputListsEachAxisOnce() {
        // The model's input is "input" and "in" at once: its axes are listed once each.
        String text = model("@Model(input = {64, 128}, layout = \"L,D\")", "@Linear(with = \"out = input.E\") Layer fc;");
        expectOnly(text, "[MC202] fc out: unknown name 'input.E' in 'out = input.E'; did you mean 'input.D'? input has the axes L, D", "Layer fc;",
                columnAfter(text, "Layer fc;", "with = "));
    }

    @Test
    void anUnknownAxisListsTheTensorsAxesInTheirOrder() {
        // After Flatten(2) and Transpose(1, 2) a 64 x 8 x 6 map is 48 x 64: H*W first, then C.
        String text = model("@Model(input = {64, 8, 6})", "@Flatten(startDim = 2) Layer flat;", "@Transpose(dim0 = 1, dim1 = 2) Layer seq;",
                "@Linear(with = \"out = seq.X\") Layer fc;");
        expectOnly(text, "seq has the axes H*W, C", "Layer fc;", columnAfter(text, "Layer fc;", "with = "));
    }

    @Test
    void anUnknownAxisOfATensorListsItsAxes() {
        // A reshape without a layout keeps L (the same size after the same elements) and names its new axis by position: d2.
        String text = model("@Model(input = {64, 128}, layout = \"L,D\")", "@Reshape(shape = {64, 8, 16}) Layer heads;",
                "@Reshape(shape = {64, 128}) Layer back;", "@Linear(with = \"out = back.D\") Layer fc;");
        expectOnly(text, "[MC202] fc out: unknown name 'back.D' in 'out = back.D'; did you mean 'back.L'? back has the axes L, d2 (a reshape "
                + "without a layout names a new axis d and its position, the batch's being 0)", "Layer fc;", columnAfter(text, "Layer fc;", "with = "));
    }
}
