package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.expectInBlock;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Block parameters of every type: a {@code double} carries a width multiplier (channels rounded from
 * it as torchvision does), a {@code boolean} a flag for {@code @When} and boolean attributes.
 */
class ParamTypesTest {

    private static String net(String args, String paramType) {
        return """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Net {
                    @Args("%s") Stem stem;

                    @Block
                    static class Stem {
                        @Param(expr = "1.0") %s widthMult;
                        @Param(1)            int depth;
                        @Conv2d(k = 1, bias = false, with = "cout = divisible(32 * widthMult, 8)") Layer conv;
                        @Conv2d(k = 1, bias = false, with = "cout = ceil(2 * widthMult) * depth")   Layer head;
                    }
                }
                """.formatted(args, paramType);
    }

    @Test
    void aWidthMultiplierRoundsChannelsAsMakeDivisible() {
        Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", net("widthMult = 1.4, depth = 3", "double")));
        assertThat(compilation).succeededWithoutWarnings();
        // torchvision: _make_divisible(32 * 1.4, 8) == 48 (44.8 + 4 -> 48); math.ceil(2 * 1.4) * 3 == 9.
        // MACs: 64 positions x (3 x 48 + 48 x 9).
        assertEquals(64L * (3 * 48 + 48 * 9), ModelSources.constant(compilation, "test.NetCost", "MACS"));
        Compilation defaults = ModelSources.compile(ModelSources.source("test.Net", net("depth = 1", "double")));
        // widthMult 1.0: 32 channels, then ceil(2.0) = 2.
        assertEquals(64L * (3 * 32 + 32 * 2), ModelSources.constant(defaults, "test.NetCost", "MACS"));
    }

    @Test
    void mc203AnIntParameterGivenADecimal() {
        String text = net("widthMult = 1.4", "int");
        expectOnly(text, "[MC203] stem argument widthMult: an int parameter takes an integer, not the decimal 1.4", "@Args",
                columnAfter(text, "@Args", "@Args("));
    }

    @Test
    void mc203AnIntParameterGivenMoreThanAnInt() {
        // An argument past an int, and a default computed past one from an argument that fits: Java's int field holds neither.
        String block = "@Block public static class B { @Param int n; @Param(expr = \"n * 2\") int m; @Linear(with = \"out = m / 1000000\") Layer fc; }";
        String given = model("@Model(input = {8})", "@Args(\"n = 3000000000\") B b;", block);
        expectOnly(given, "[MC203] b argument n: an int parameter takes an integer from -2,147,483,648 to 2,147,483,647, as its field "
                + "declares it an int, not 3,000,000,000", "@Args", columnAfter(given, "@Args", "@Args("));
        String computed = model("@Model(input = {8})", "@Args(\"n = 2000000000\") B b;", block);
        Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", computed));
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[MC203] b @Param m: an int parameter takes an integer from -2,147,483,648 to "
                + "2,147,483,647, as its field declares it an int, not 4,000,000,000");
        // An item of an int[] alike.
        String list = model("@Model(input = {8})", "@Args(\"d = [3000000000]\") L l;",
                "@Block public static class L { @Param int[] d; @Linear(with = \"out = d[0] / 1000000000\") Layer fc; }");
        expectOnly(list, "[MC203] l argument d: an int[] parameter takes integers from -2,147,483,648 to 2,147,483,647, as its field "
                + "declares them ints, not 3,000,000,000", "@Args", columnAfter(list, "@Args", "@Args("));
        // At the largest int it is taken: 2,147,483,647 / 1,000,000 = 2,147 outputs, 8 x 2,147 + 2,147 parameters.
        assertEquals(9L * 2_147, ModelSources.constant(ModelSources.compile(ModelSources.source("test.Net",
                model("@Model(input = {8})", "@Args(\"n = 2147483647\") B b;", block.replace("n * 2", "n")))), "test.NetCost", "PARAMS"));
    }

    @Test
    void aBooleanParameterSwitchesStepsAndAttributes() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8, 4, 4})
                public class Net {
                    @Args("se = true")  Unit gated;
                    @Args("se = false") Unit plain;

                    @Block
                    static class Unit {
                        @Param(expr = "false") boolean se;
                        @Conv2d(k = 1, with = "cout = 8, bias = !se")       Layer conv;
                        @When("se") @AdaptiveAvgPool2d(1)                   Layer pool;
                        @When("se") @Conv2d(k = 1, with = "cout = 8")       Layer fc;
                        @When("se") @Sigmoid                                Layer gate;
                        @When("se") @Mul({"conv", "gate"})                  Layer scaled;
                    }
                }
                """;
        Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", text));
        assertThat(compilation).succeededWithoutWarnings();
        // gated: conv 16 x 8 x 8 = 1,024 MACs without bias, 64 params; fc 8 x 8 = 64 MACs, 72 params.
        // plain: conv 1,024 MACs with bias, 72 params.
        assertEquals(1_024 + 64 + 1_024, ModelSources.constant(compilation, "test.NetCost", "MACS"));
        assertEquals(64 + 72 + 72, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
    }

    @Test
    void mc203ABooleanParameterGivenANumber() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8, 4, 4})
                public class Net {
                    @Args("se = 1") Unit unit;

                    @Block
                    static class Unit {
                        @Param boolean se;
                        @When("se") @ReLU Layer relu;
                        @Conv2d(k = 1, cout = 4) Layer conv;
                    }
                }
                """;
        expectOnly(text, "[MC203] unit argument se: expected a condition but found the number 1", "@Args", columnAfter(text, "@Args", "@Args("));
    }

    @Test
    void repetitionsReadTheirIndex() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8, 16, 16})
                public class Net {
                    @Args("planes = 8 * (1 + index)") @Repeat(value = 3, prefix = "layer", start = 1) Stage stages;

                    @Block
                    static class Stage {
                        @Param int planes;
                        @Conv2d(k = 1, bias = false, with = "cout = planes") Layer conv;
                    }
                }
                """;
        Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", text));
        assertThat(compilation).succeededWithoutWarnings();
        // index 0, 1, 2: 8 -> 8, 8 -> 16, 16 -> 24 channels over 16 x 16 positions.
        assertEquals(256L * (8 * 8 + 8 * 16 + 16 * 24), ModelSources.constant(compilation, "test.NetCost", "MACS"));
        String cost = ModelSources.generated(compilation, "test.NetCost");
        assertTrue(cost.contains("+ \"stages.layer3.conv\\tConv2d\\t24x16x16"), cost);
    }

    @Test
    void aRepeatedBlocksArgumentsSeeTheFieldsInput() {
        // x is the field's input for every repetition: a pooling by 2 in each repetition halves the map, but n = x.H is 16 for all
        // three, so each 1 x 1 convolution gives 16 channels: 8 -> 16 over 8 x 8, then 16 -> 16 over 4 x 4 and 2 x 2.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8, 16, 16})
                public class Net {
                    @Args("n = x.H") @Repeat(3) Stage stages;

                    @Block
                    static class Stage {
                        @Param int n;
                        @MaxPool2d(k = 2) Layer pool;
                        @Conv2d(k = 1, bias = false, with = "cout = n") Layer conv;
                    }
                }
                """;
        Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", text));
        assertThat(compilation).succeededWithoutWarnings();
        assertEquals(64L * 8 * 16 + 16L * 16 * 16 + 4L * 16 * 16, ModelSources.constant(compilation, "test.NetCost", "MACS"));
    }

    @Test
    void mc203AListParameterGivenANumber() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8, 4, 4})
                public class Net {
                    @Args("depths = 3") Stages stages;

                    @Block
                    static class Stages {
                        @Param int[] depths;
                        @Args("c = 8") @Repeat(count = "depths[0]") Unit first;
                    }

                    @Block
                    static class Unit {
                        @Param int c;
                        @Conv2d(k = 1, with = "cout = c") Layer conv;
                    }
                }
                """;
        expectOnly(text, "[MC203] stages argument depths: an int[] parameter takes a list such as [3, 4, 6, 3], not 3", "@Args(\"depths",
                columnAfter(text, "@Args(\"depths", "@Args("));
    }

    @Test
    void expressionsReadConstantsOfOtherClassesByTheirNames() {
        JavaFileObject sizes = ModelSources.source("test.Sizes", """
                package test;

                public final class Sizes {
                    public static final int WIDTH = 4;

                    public static final class Inner {
                        public static final int DEPTH = 2;
                    }
                }
                """);
        JavaFileObject net = ModelSources.source("test.Net", """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Net {
                    static final int LOCAL = 6;

                    @Conv2d(k = 1, with = "cout = Sizes.WIDTH * Sizes.Inner.DEPTH") Layer a;
                    @Conv2d(k = 1, with = "cout = test.Sizes.WIDTH")                Layer b;
                    @Args("width = Sizes.WIDTH")                                    Part part;

                    @Block
                    static class Part {
                        @Param int width;
                        @Conv2d(k = 1, with = "cout = width + Net.LOCAL") Layer conv;
                    }
                }
                """);
        Compilation compilation = ModelSources.compile(sizes, net);
        assertThat(compilation).succeededWithoutWarnings();
        // a: 3 -> 8 channels, b: 8 -> 4, part.conv: 4 -> 4 + 6 = 10, over 64 positions.
        assertEquals(64L * (3 * 8 + 8 * 4 + 4 * 10), ModelSources.constant(compilation, "test.NetCost", "MACS"));
    }

    @Test
    void aClassNamedByAnImportIsFoundAsJavaFindsItBeforeOneOfTheSamePackage() {
        // Java takes the single-type import over a same-package class of that name (JLS 6.4.1), and a class imported on demand
        // after one of the same package: a.Widths, 10 classes, and the same package's Depths, 3, not b.Depths.
        JavaFileObject imported = ModelSources.source("a.Widths", "package a;\n\npublic final class Widths { public static final int CLASSES = 10; }\n");
        JavaFileObject sibling = ModelSources.source("test.Widths", "package test;\n\npublic final class Widths { public static final int CLASSES = 1000; }\n");
        JavaFileObject depths = ModelSources.source("test.Depths", "package test;\n\npublic final class Depths { public static final int D = 3; }\n");
        JavaFileObject other = ModelSources.source("b.Depths", "package b;\n\npublic final class Depths { public static final int D = 7; }\n");
        JavaFileObject gains = ModelSources.source("c.Gains", "package c;\n\npublic final class Gains { public static final int G = 5; }\n");
        JavaFileObject net = ModelSources.source("test.Net", """
                package test;

                import a.Widths;
                import b.*;
                import c.*;
                import dev.modelcost.*;

                @Model(input = {8})
                public class Net {
                    static final int JAVA_SEES = Widths.CLASSES + Depths.D + Gains.G;

                    @Linear(with = "out = Depths.D + Gains.G") Layer hidden;
                    @Linear(with = "out = Widths.CLASSES")     Layer fc;
                }
                """);
        Compilation compilation = ModelSources.compile(imported, sibling, depths, other, gains, net);
        assertThat(compilation).succeededWithoutWarnings();
        // 8 -> 3 + 5 = 8 -> 10, with biases.
        assertEquals(8 * 8 + 8 + 8 * 10 + 10, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
    }

    @Test
    void aMemberClassImportedStaticallyOrInheritedIsFoundBeforeOneOfTheSamePackage() {
        // import static a.Holder.Widths brings the member class (10 classes), and Base's member class Depths (3) is inherited: both
        // come before the same package's Widths (1,000) and Depths (7), as javac finds them.
        JavaFileObject holder = ModelSources.source("a.Holder",
                "package a;\n\npublic final class Holder { public static final class Widths { public static final int CLASSES = 10; } }\n");
        JavaFileObject sibling = ModelSources.source("test.Widths", "package test;\n\npublic final class Widths { public static final int CLASSES = 1000; }\n");
        JavaFileObject depths = ModelSources.source("test.Depths", "package test;\n\npublic final class Depths { public static final int D = 7; }\n");
        JavaFileObject base = ModelSources.source("b.Base",
                "package b;\n\npublic class Base { public static final class Depths { public static final int D = 3; } }\n");
        JavaFileObject net = ModelSources.source("test.Net", """
                package test;

                import static a.Holder.Widths;

                import dev.modelcost.*;

                @Model(input = {8})
                public class Net extends b.Base {
                    static final int JAVA_SEES = Widths.CLASSES + Depths.D;

                    @Linear(with = "out = Depths.D")       Layer hidden;
                    @Linear(with = "out = Widths.CLASSES") Layer fc;
                }
                """);
        Compilation compilation = ModelSources.compile(holder, sibling, depths, base, net);
        assertThat(compilation).succeededWithoutWarnings();
        // 8 -> 3 -> 10, with biases.
        assertEquals(8 * 3 + 3 + 3 * 10 + 10, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
    }

    @Test
    void inheritedConstantsAndJavaLangConstantsAreFoundAsJavaFindsThem() {
        JavaFileObject widths = ModelSources.source("test.Widths", """
                package test;

                public interface Widths {
                    int WIDE = 12;
                }
                """);
        JavaFileObject base = ModelSources.source("test.Base", """
                package test;

                public class Base implements Widths {
                    protected static final int NARROW = 5;
                }
                """);
        JavaFileObject net = ModelSources.source("test.Net", """
                package test;

                import dev.modelcost.*;

                @Model(input = {8})
                public class Net extends Base {
                    @Linear(with = "out = WIDE") Layer a;
                    @Linear(with = "out = NARROW") Layer b;
                    @Linear(with = "out = min(Integer.MAX_VALUE, 3) + Byte.MAX_VALUE - 127") Layer c;
                }
                """);
        Compilation compilation = ModelSources.compile(widths, base, net);
        assertThat(compilation).succeededWithoutWarnings();
        // 8 -> 12 -> 5 -> 3, with biases: 8·12 + 12 + 12·5 + 5 + 5·3 + 3.
        assertEquals(8 * 12 + 12 + 12 * 5 + 5 + 5 * 3 + 3, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
    }

    @Test
    void aNestedBlockSeesTheConstantsOfTheClassesAroundItAndAnAmbiguousNameIsNone() {
        JavaFileObject widths = ModelSources.source("test.Widths", "package test;\n\npublic interface Widths {\n    int HEADS = 4;\n    int WIDE = 99;\n}\n");
        JavaFileObject base = ModelSources.source("test.Base", "package test;\n\npublic class Base {\n    public static final int WIDE = 24;\n}\n");
        JavaFileObject net = ModelSources.source("test.Net", """
                package test;

                import dev.modelcost.*;

                @Model(input = {8})
                public class Net extends Base implements Widths {
                    static final int OUTER = 12;

                    Part part;

                    @Block
                    static class Part {
                        @Linear(with = "out = OUTER + HEADS") Layer fc;
                    }
                }
                """);
        Compilation compilation = ModelSources.compile(widths, base, net);
        assertThat(compilation).succeeded();
        // 8 -> 16: the enclosing class's own constant and the one it inherits, as Java resolves them from inside Part.
        assertEquals(8 * 16 + 16, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        // WIDE comes from Base and from Widths: javac calls it ambiguous, and so no value is taken for it.
        JavaFileObject ambiguous = ModelSources.source("test.Net", """
                package test;

                import dev.modelcost.*;

                @Model(input = {8})
                public class Net extends Base implements Widths {
                    @Linear(with = "out = WIDE") Layer fc;
                }
                """);
        assertThat(ModelSources.compile(widths, base, ambiguous)).hadErrorContaining("[MC202] fc out: unknown name 'WIDE'");
    }

    @Test
    void javaLangConstantsAreFoundFromTheUnnamedPackageToo() {
        Compilation compilation = ModelSources.compile(ModelSources.source("Net", """
                import dev.modelcost.*;

                @Model(input = {8})
                public class Net {
                    @Linear(with = "out = Integer.SIZE") Layer fc;
                }
                """));
        assertThat(compilation).succeeded();
        assertEquals(8 * 32 + 32, ModelSources.constant(compilation, "NetCost", "PARAMS"));
    }

    @Test
    void mc202AConstantThatNoClassHas() {
        String text = ModelSources.model("@Model(input = {3, 8, 8})", "@Conv2d(k = 1, with = \"cout = Sizes.NOPE\") Layer a;");
        expectOnly(text, "[MC202] a cout: unknown name 'Sizes.NOPE' in 'cout = Sizes.NOPE'; known: h, in, input.C, input.H, input.W, w, x.C, x.H, x.W; no class Sizes is found from here: name it with its "
                + "package (the.package.Sizes.NOPE)", "Layer a;", columnAfter(text, "Layer a;", "with = "));
    }

    @Test
    void mc202AnotherModelsCostClassOfTheSameCompilationSaysSo() {
        // ACost is written while this compilation runs: an expression cannot read it, named with its package or not.
        JavaFileObject a = ModelSources.source("test.A", ModelSources.model("@Model(input = {8})", "@Linear(out = 4) Layer fc;").replace("class Net", "class A"));
        for (String reference : new String[] {"ACost.LAYER_COUNT", "test.ACost.LAYER_COUNT"}) {
            JavaFileObject b = ModelSources.source("test.Net", ModelSources.model("@Model(input = {8})", "@Linear(with = \"out = " + reference + "\") Layer fc;"));
            Compilation compilation = ModelSources.compile(a, b);
            assertThat(compilation).hadErrorContaining("unknown name '" + reference + "'");
            assertThat(compilation).hadErrorContaining("if ACost is a model's Cost class generated in this same compilation, it cannot be read "
                    + "in an expression (compile that model first, or write the number)");
        }
    }

    @Test
    void mc202AFieldThatTheClassFoundHasNot() {
        // The class is found (its WIDTH is read elsewhere): the message says the field is missing from it, not the class.
        assertOnlyErrorReading("public static final int WIDTH = 32;", "Sizes.WIDHT",
                "Sizes.WIDHT is no field of test.Sizes; did you mean 'Sizes.WIDTH'?");
        // An instance field of that name: why it cannot be read, not a suggestion of another.
        assertOnlyErrorReading("public final int WIDTH = 32;", "Sizes.WIDTH", "Sizes.WIDTH is no static field: expressions read integer constants");
    }

    @Test
    void mc202AConstantJavaDoesNotLetTheModelRead() {
        // A private constant of another class, and one of package access in another package: Java refuses both reads.
        assertOnlyErrorReading("private static final int WIDTH = 32;", "Sizes.WIDTH",
                "Sizes.WIDTH is private in test.Sizes: Java lets no other class read it");
        JavaFileObject other = ModelSources.source("other.Sizes", "package other;\n\npublic class Sizes {\n    static final int WIDTH = 32;\n}\n");
        String text = ModelSources.model("@Model(input = {3, 8, 8})", "@Conv2d(k = 1, with = \"cout = other.Sizes.WIDTH\") Layer a;");
        JavaFileObject net = ModelSources.source("test.Net", text);
        ModelSources.assertOnlyError(ModelSources.compile(other, net), net, "[MC202] a cout: unknown name 'other.Sizes.WIDTH' in 'cout = "
                + "other.Sizes.WIDTH': other.Sizes.WIDTH has package access in other.Sizes: Java lets no class of another package read it",
                "Layer a;", columnAfter(text, "Layer a;", "with = "));
        // A public constant of a class of package access in another package, and a protected one read from outside its package.
        for (String[] hidden : new String[][] {{"class Hidden { public static final int W = 32; }", "other.Hidden.W",
                "other.Hidden.W is in other.Hidden, a class Java does not let test.Net reach"},
                {"public class Hidden { protected static final int W = 32; }", "other.Hidden.W",
                        "other.Hidden.W is protected in other.Hidden: Java lets only its package and subclasses read it"}}) {
            JavaFileObject holder = ModelSources.source("other.Hidden", "package other;\n\n" + hidden[0] + "\n");
            String reads = ModelSources.model("@Model(input = {3, 8, 8})", "@Conv2d(k = 1, with = \"cout = " + hidden[1] + "\") Layer a;");
            JavaFileObject reader = ModelSources.source("test.Net", reads);
            ModelSources.assertOnlyError(ModelSources.compile(holder, reader), reader, "[MC202] a cout: unknown name '" + hidden[1] + "' in 'cout = "
                    + hidden[1] + "': " + hidden[2], "Layer a;", columnAfter(reads, "Layer a;", "with = "));
        }
        // A private constant of a class nested in the model's own is read, as Java reads it there: 5 outputs of 3 x 1 x 1 and a bias.
        Compilation nested = ModelSources.compile(ModelSources.source("test.Net", ModelSources.model("@Model(input = {3, 8, 8})",
                "@Conv2d(k = 1, with = \"cout = Dims.W\") Layer a;", "static class Dims { private static final int W = 5; }")));
        assertThat(nested).succeeded();
        assertEquals(5L * 3 + 5, ModelSources.constant(nested, "test.NetCost", "PARAMS"));
    }

    /** Compiles a class {@code test.Sizes} holding {@code width} and a constant DEPTH, and a conv whose cout reads {@code name}: MC202 with {@code why}. */
    private static void assertOnlyErrorReading(String width, String name, String why) {
        JavaFileObject sizes = ModelSources.source("test.Sizes", "package test;\n\npublic class Sizes {\n    " + width + "\n"
                + "    public static final int DEPTH = 4;\n}\n");
        String text = ModelSources.model("@Model(input = {3, 8, 8})", "@Conv2d(k = 1, with = \"cout = " + name + "\") Layer a;");
        JavaFileObject net = ModelSources.source("test.Net", text);
        ModelSources.assertOnlyError(ModelSources.compile(sizes, net), net, "[MC202] a cout: unknown name '" + name + "' in 'cout = " + name + "': " + why,
                "Layer a;", columnAfter(text, "Layer a;", "with = "));
    }

    /** A convolution block given its norm and activation by name, as torchvision's {@code Conv2dNormActivation}. */
    private static String convNormActivation(String uses) {
        return """
                package test;

                import dev.modelcost.*;

                @Model(input = {8, 4, 4})
                public class Net {
                    %s

                    @Block(indexed = true)
                    static class ConvNormAct {
                        @Param(expr = "'BatchNorm2d'") String norm;
                        @Param String act;
                        @Conv2d(k = 1, cout = 8, bias = false) Layer conv;
                        @LayerOf("norm")                       Layer bn;
                        @LayerOf("act")                        Layer activation;
                    }
                }
                """.formatted(uses);
    }

    @Test
    void aBlockIsGivenItsActivationAndNormByName() {
        Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", convNormActivation("""
                @Args("act = 'SiLU'")                       ConvNormAct first;
                    @Args("act = 'Hardswish', norm = 'Identity'") ConvNormAct second;""")));
        assertThat(compilation).succeededWithoutWarnings();
        String cost = ModelSources.generated(compilation, "test.NetCost");
        // Each conv: 16 positions x 8 x 8 = 1,024 MACs, 64 params; BatchNorm2d's defaults: 16 params, 16 buffers.
        assertEquals(2 * 1_024, ModelSources.constant(compilation, "test.NetCost", "MACS"));
        assertEquals(2 * 64 + 16, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(16, ModelSources.constant(compilation, "test.NetCost", "BUFFERS"));
        // BatchNorm 2 per element, an activation 1: 128 x (2 + 1) + 128 x (0 + 1).
        assertEquals(128 * 3 + 128, ModelSources.constant(compilation, "test.NetCost", "OTHER_OPS"));
        assertTrue(cost.contains("+ \"first.2\\tSiLU\\t8x4x4"), cost);
        assertTrue(cost.contains("+ \"second.1\\tIdentity\\t8x4x4"), cost);
    }

    @Test
    void mc310ALayerOfThatNamesNoParameter() {
        // In a model, which has no parameters, or a block without one of that name: said, not an unknown name among the sizes.
        String text = ModelSources.model("@Model(input = {3, 16, 16})", "@LayerOf(\"nope\") Layer b;");
        expectOnly(text, "[MC310] b: @LayerOf value = \"nope\" must be a String parameter of the enclosing block that names the kind "
                + "(@Param String act; @LayerOf(\"act\")), and there is no parameter of that name here", "Layer b;", columnAfter(text, "Layer b;", "@LayerOf("));
    }

    @Test
    void mc310ALayerOfThatNamesAKindItself() {
        String text = ModelSources.model("@Model(input = {8})", "@LayerOf(\"ReLU\") Layer act;");
        expectOnly(text, "[MC310] act: @LayerOf value = \"ReLU\" must be a String parameter of the enclosing block that names the kind "
                + "(@Param String act; @LayerOf(\"act\")); for a ReLU always, annotate the field @ReLU", "Layer act;",
                columnAfter(text, "Layer act;", "@LayerOf("));
    }

    @Test
    void mc310ANameThatIsNoLayerKind() {
        String text = convNormActivation("@Args(\"act = 'Swish'\") ConvNormAct first;");
        expectInBlock(text, "[MC310] first.activation: @LayerOf act = 'Swish' must be the name of a layer kind of one input", "@LayerOf(\"act\")",
                columnAfter(text, "@LayerOf(\"act\")", "@LayerOf("), "ConvNormAct first;");
    }

    @Test
    void mc310AKindThatCannotBeALayerOfSaysWhy() {
        String text = convNormActivation("@Args(\"act = 'Add'\") ConvNormAct first;");
        expectInBlock(text, "[MC310] first.activation: @LayerOf act = 'Add' must be the name of a layer kind of one input that runs at its defaults; "
                + "Add merges the inputs it names (at least 2 inputs)", "@LayerOf(\"act\")", columnAfter(text, "@LayerOf(\"act\")", "@LayerOf("), "ConvNormAct first;");
    }

    @Test
    void mc310ANameTwoDeclaredKindsShare() {
        // Two @LayerKinds named Same (100 and 10,000 parameters on 100 channels), used by two other models: @LayerOf("Same") would
        // take whichever was read first. A name alone cannot say which, so it is refused; each kind used by its own annotation in a
        // model of its own compiles, as two models may each have a Mixer of their own (in one model, they are refused: below).
        JavaFileObject kinds = ModelSources.source("test.Kinds", """
                package test;

                import dev.modelcost.LayerKind;
                import java.lang.annotation.*;

                public class Kinds {
                    @LayerKind(name = "Same", params = "x.C")
                    @Retention(RetentionPolicy.CLASS) @Target(ElementType.FIELD)
                    public @interface K1 {}

                    @LayerKind(name = "Same", params = "100 * x.C")
                    @Retention(RetentionPolicy.CLASS) @Target(ElementType.FIELD)
                    public @interface K2 {}
                }
                """);
        String net = """
                package test;

                import dev.modelcost.*;

                @Model(input = {100, 4, 4})
                public class Net {
                    @Args("act = 'Same'") U u;

                    @Block
                    public static class U {
                        @Param String act;
                        @LayerOf("act") Layer l;
                    }
                }
                """;
        JavaFileObject model = ModelSources.source("test.Net", net);
        String user = """
                package test;

                import dev.modelcost.*;

                @Model(input = {100, 4, 4})
                public class %s {
                    @Kinds.%s Layer a;
                }
                """;
        JavaFileObject m1 = ModelSources.source("test.M1", user.formatted("M1", "K1"));
        JavaFileObject m2 = ModelSources.source("test.M2", user.formatted("M2", "K2"));
        Compilation compilation = ModelSources.compile(kinds, model, m1, m2);
        assertThat(compilation).hadErrorContaining("[MC310] u.l: @LayerOf act = 'Same' must be the name of a layer kind of one input that runs at "
                + "its defaults; test.Kinds.K1 and test.Kinds.K2 are both named Same, and a name alone cannot say which: give one a name of its own "
                + "with @LayerKind(name = ...)").inFile(model).onLineContaining("@LayerOf(\"act\")");
        Compilation apart = ModelSources.compile(kinds, m1, m2);
        assertThat(apart).succeeded();
        assertEquals(100L, ModelSources.constant(apart, "test.M1Cost", "PARAMS"));
        assertEquals(10_000L, ModelSources.constant(apart, "test.M2Cost", "PARAMS"));
    }

    @Test
    void mc203AKindGivenAsANumber() {
        String text = convNormActivation("@Args(\"act = 1\") ConvNormAct first;");
        expectOnly(text, "[MC203] first argument act: a String parameter takes a text such as 'SiLU', not 1", "@Args(\"act",
                columnAfter(text, "@Args(\"act", "@Args("));
    }

    @Test
    void reviewCases() {
        // Lists compare by their elements, as Python's: [3, 4] == [9, 9] is False.
        String lists = """
                package test;

                import dev.modelcost.*;

                @Model(input = {16, 8, 8})
                public class Net {
                    @Args("layers = [3, 4]") B b;

                    @Block
                    static class B {
                        @Param int[] layers;
                        @When("layers == [9, 9]") @Conv2d(k = 1, cout = 32) Layer c;
                        @When("layers == [3, 4]") @Conv2d(k = 1, cout = 8)  Layer d;
                    }
                }
                """;
        Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", lists));
        assertThat(compilation).succeededWithoutWarnings();
        assertEquals(64L * 16 * 8, ModelSources.constant(compilation, "test.NetCost", "MACS"));

        // Arguments that read index fold identical repetitions into a run: 100,001 of them compile.
        String many = """
                package test;

                import dev.modelcost.*;

                @Model(input = {16, 8, 8})
                public class Net {
                    @Args("s = index == 0 ? 1 : 1") @Repeat(count = "100001") B b;

                    @Block
                    static class B {
                        @Param int s;
                        @Conv2d(k = 1, cout = 16, with = "stride = s") Layer c;
                    }
                }
                """;
        Compilation folded = ModelSources.compile(ModelSources.source("test.Net", many));
        assertThat(folded).succeededWithoutWarnings();
        assertEquals(100_001L * 64 * 16 * 16, ModelSources.constant(folded, "test.NetCost", "MACS"));
    }

    @Test
    void mc126InPlaceInAnIndexedNetwork() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8}, indexed = true)
                public class Net {
                    @Args(value = "width = 4", inPlace = true) Body body;
                    @ReLU                                      Layer relu;

                    @Block
                    static class Body {
                        @Param int width;
                        @Conv2d(k = 3, padding = 1, with = "cout = width") Layer conv1;
                    }
                }
                """;
        expectOnly(text, "[MC126] body: @Args(inPlace = true) in Net, which numbers its children", "Body body;",
                columnAfter(text, "Body body;", "inPlace = "));
    }

    @Test
    void mc106LayerOfBesideALayerAnnotation() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8})
                public class Net {
                    @Args("act = 'ReLU'") B b;

                    @Block
                    static class B {
                        @Param String act;
                        @LayerOf("act") @Linear(out = 3) Layer a;
                    }
                }
                """;
        expectOnly(text, "[MC106] field a has more than one layer annotation (@LayerOf, @Linear)", "Layer a;", columnAfter(text, "Layer a;", "@LayerOf(\"act\") "));
    }

    @Test
    void mc211LayerOfGivenTwoInputs() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8})
                public class Net {
                    @Args("act = 'ReLU'") B b;

                    @Block
                    static class B {
                        @Param String act;
                        @Linear(out = 8) Layer c;
                        @Linear(out = 8) Layer d;
                        @From({"c", "d"}) @LayerOf("act") Layer a;
                    }
                }
                """;
        expectInBlock(text, "[MC211] b.a: ReLU takes 1 input, got 2", "Layer a;", columnAfter(text, "Layer a;", "@From("), "B b;");
    }

    @Test
    void mc117AConstantNamedIndex() {
        String text = ModelSources.model("@Model(input = {8})", "static final int index = 5;", "@Linear(out = 3) Layer a;");
        expectOnly(text, "[MC117] a constant may not be called 'index'", "static final int index", columnAfter(text, "static final int index", "static final int "));
    }

    @Test
    void mc310ADeclaredKindNameThatIsNoName() {
        JavaFileObject kind = ModelSources.source("test.Odd", """
                package test;

                import dev.modelcost.*;
                import java.lang.annotation.*;

                @LayerKind(name = "A B", otherOps = "x.numel")
                @Retention(RetentionPolicy.CLASS)
                @Target(ElementType.FIELD)
                public @interface Odd {}
                """);
        JavaFileObject model = ModelSources.source("test.Net", ModelSources.model("@Model(input = {8})", "@Odd Layer a;"));
        Compilation compilation = ModelSources.compile(kind, model);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[MC310] @LayerKind: Odd name = 'A B' must be a name such as PyTorch gives a module class")
                .inFile(kind).onLineContaining("@LayerKind(");
    }

    @Test
    void mc310ADeclaredKindNameWithADollarSignIsNoModuleClassName() {
        // Java takes '$' in a name, Python's class names do not: named so outright, or by the annotation's own name.
        for (String[] kind : new String[][] {{"Odd", "name = \"K$1\", ", "Odd name = 'K$1'"},
                {"K$1", "", "K$1 name = 'K$1' (the annotation's own name, where name is left out)"}}) {
            JavaFileObject declared = ModelSources.source("test." + kind[0], """
                    package test;

                    import dev.modelcost.*;
                    import java.lang.annotation.*;

                    @LayerKind(%sotherOps = "x.numel")
                    @Retention(RetentionPolicy.CLASS)
                    @Target(ElementType.FIELD)
                    public @interface %s {}
                    """.formatted(kind[1], kind[0]));
            JavaFileObject model = ModelSources.source("test.Net", ModelSources.model("@Model(input = {8})", "@" + kind[0] + " Layer a;"));
            Compilation compilation = ModelSources.compile(declared, model);
            assertThat(compilation).failed();
            assertThat(compilation).hadErrorContaining("[MC310] @LayerKind: " + kind[2] + " must be a name such as PyTorch gives a module class")
                    .inFile(declared).onLineContaining("@LayerKind(");
        }
    }

    @Test
    void mc310ADeclaredKindNamedAsABuiltInOne() {
        // Named Linear outright, or an annotation t.ReLU named by its simple name: counters would give the built-in's figures for it.
        for (String[] declaration : java.util.List.of(new String[] {"Foo", "@LayerKind(name = \"Linear\", macs = \"1\")", "Linear"},
                new String[] {"ReLU", "@LayerKind(otherOps = \"x.numel\")", "ReLU"})) {
            JavaFileObject kind = ModelSources.source("test." + declaration[0], """
                    package test;

                    import dev.modelcost.LayerKind;
                    import java.lang.annotation.*;

                    %s
                    @Retention(RetentionPolicy.CLASS)
                    @Target(ElementType.FIELD)
                    public @interface %s {}
                    """.formatted(declaration[1], declaration[0]));
            JavaFileObject model = ModelSources.source("test.Net", """
                    package test;

                    import dev.modelcost.Layer;
                    import dev.modelcost.Model;

                    @Model(input = {8})
                    public class Net {
                        @%s Layer a;
                    }
                    """.formatted(declaration[0]));
            Compilation compilation = ModelSources.compile(kind, model);
            assertThat(compilation).failed();
            assertThat(compilation).hadErrorContaining("[MC310] @LayerKind: " + declaration[0] + " name = '" + declaration[2]
                    + "' must be a name no built-in layer has (" + declaration[2] + " is one)").inFile(kind).onLineContaining("@LayerKind(");
        }
    }

    @Test
    void twoDeclaredKindsOfOneNameInOneModelAreRefused() {
        // K1 and K2 both name their kind Swish: alone in a model each is fine (A, B); together the tables could not tell them apart.
        String kind = """
                package test;

                import dev.modelcost.LayerKind;
                import java.lang.annotation.*;

                @LayerKind(name = "Swish", macs = "%s")
                @Retention(RetentionPolicy.CLASS)
                @Target(ElementType.FIELD)
                public @interface %s {}
                """;
        JavaFileObject k1 = ModelSources.source("test.K1", kind.formatted("x.numel", "K1"));
        JavaFileObject k2 = ModelSources.source("test.K2", kind.formatted("7 * x.numel", "K2"));
        String model = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8})
                public class %s {
                    %s
                }
                """;
        JavaFileObject a = ModelSources.source("test.A", model.formatted("A", "@K1 Layer s;"));
        JavaFileObject b = ModelSources.source("test.B", model.formatted("B", "@K2 Layer s;"));
        assertThat(ModelSources.compile(k1, k2, a, b)).succeeded();
        JavaFileObject both = ModelSources.source("test.C", model.formatted("C", "@K1 Layer s; B2 inner;\n    @Block static class B2 { @K2 Layer s2; }"));
        Compilation compilation = ModelSources.compile(k1, k2, both);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[MC310] s2: @LayerKind K2 name = 'Swish' must be a name no other layer kind of model C has "
                + "(test.K1, at field s of C, is named Swish too)").inFile(both).onLineContaining("@K2 Layer s2;");
    }
}
