package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Layer kinds a user declares with {@code @LayerKind} in the same compilation: their costs in every
 * figure and the Javadoc, and their mistakes as precise errors.
 */
class DeclaredKindsTest {

    /** A Swish with one learned beta per channel, as a user's annotation. */
    private static final JavaFileObject SWISH = ModelSources.source("test.LearnedSwish", """
            package test;

            import dev.modelcost.*;
            import java.lang.annotation.*;

            @LayerKind(params = "x.C", otherOps = "4 * x.numel", otherOpsRule = "4 per element: beta * x, the sigmoid, its product by x, the reciprocal")
            @Retention(RetentionPolicy.CLASS)
            @Target(ElementType.FIELD)
            public @interface LearnedSwish {}
            """);

    /** A kind with an attribute, an output shape and MACs per output element. */
    private static JavaFileObject expand(String macs) {
        return widen("[x.C * factor, x.H, x.W]", "params = \"x.C * factor + (bias ? x.C * factor : 0)\",", macs);
    }

    /** {@code @Widen} with the output, the other costs ({@code params = "...",} or empty) and the MACs given. */
    private static JavaFileObject widen(String output, String costs, String macs) {
        return ModelSources.source("test.Widen", """
                package test;

                import dev.modelcost.*;
                import java.lang.annotation.*;

                @LayerKind(output = "%s", %s
                           macs = "%s")
                @Retention(RetentionPolicy.CLASS)
                @Target(ElementType.FIELD)
                public @interface Widen {
                    int factor() default 2;
                    boolean bias() default false;
                    String with() default "";
                }
                """.formatted(output, costs, macs));
    }

    @Test
    void aDeclaredKindCostsInEveryFigureAndIsDocumented() throws Exception {
        JavaFileObject model = ModelSources.source("test.Net", ModelSources.model("@Model(input = {8, 4, 4}, batch = 2)",
                "@Conv2d(cout = 16, k = 3, padding = 1) Layer conv;",
                "@LearnedSwish Layer act;",
                "@Widen(factor = 3, bias = true) Layer wide;"));
        Compilation compilation = ModelSources.compile(SWISH, expand("out.numel"), model);
        assertThat(compilation).succeededWithoutWarnings();
        // conv: 2 samples x 16x4x4 outputs x 8*9 = 36,864 MACs, 16*72 + 16 = 1,168 params.
        // act: 16 params (one beta per channel); 4 other ops x 256 elements x 2 samples = 2,048.
        // wide: 48x4x4 = 768 MACs per sample, 1,536 for 2; params 16*3 + 16*3 (bias) = 96.
        assertEquals(36_864 + 1_536, ModelSources.constant(compilation, "test.NetCost", "MACS"));
        assertEquals(1_168 + 16 + 96, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(2_048, ModelSources.constant(compilation, "test.NetCost", "OTHER_OPS"));
        // FLOPs: the conv's 2K - 1 + 1 (bias) = 144 per output, 2 x 256 outputs; twice the declared MACs where no flops are declared.
        assertEquals(2 * 256 * 144 + 2 * 1_536, ModelSources.constant(compilation, "test.NetCost", "FLOPS"));
        String source = ModelSources.generated(compilation, "test.NetCost");
        assertTrue(source.contains("OUTPUT_SHAPE = \"2x48x4x4\""), source);
        assertTrue(source.contains("<li>LearnedSwish: 4 per element: beta * x, the sigmoid, its product by x, the reciprocal</li>"), source);
    }

    @Test
    void aLayerOfNamesADeclaredKindAModelAnalysedLaterUses() {
        // test.A names LearnedSwish through @LayerOf; only test.B's field uses the kind, and A is analysed first.
        JavaFileObject a = ModelSources.source("test.A", """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class A {
                    @Args("act = 'LearnedSwish'") Unit unit;

                    @Block
                    public static class Unit {
                        @Param String act;
                        @LayerOf("act") Layer activation;
                    }
                }
                """);
        JavaFileObject b = ModelSources.source("test.B", ModelSources.model("@Model(input = {3, 8, 8})", "@LearnedSwish Layer act;").replace("class Net", "class B"));
        Compilation compilation = ModelSources.compile(SWISH, a, b);
        assertThat(compilation).succeededWithoutWarnings();
        // 4 other ops on each of the 3 x 8 x 8 elements, 3 parameters (one beta per channel)
        assertEquals(4L * 3 * 8 * 8, ModelSources.constant(compilation, "test.ACost", "OTHER_OPS"));
        assertEquals(3L, ModelSources.constant(compilation, "test.ACost", "PARAMS"));
    }

    @Test
    void aDeclaredKindOnATensorWithoutABatchRunsOnceWhateverTheBatch() {
        // One other op per element: on a 4-element parameter at batch 2, 4 (PyTorch runs the op once on the parameter), as the
        // built-in @Scale beside it counts; on the 8-element input, 8 per sample, 16.
        JavaFileObject touch = ModelSources.source("test.Touch", """
                package test;
                import dev.modelcost.LayerKind;
                import java.lang.annotation.*;
                @LayerKind(module = false, otherOps = "x.numel", otherOpsRule = "1 per element")
                @Retention(RetentionPolicy.CLASS) @Target(ElementType.FIELD)
                public @interface Touch {}
                """);
        JavaFileObject model = ModelSources.source("test.Net", ModelSources.model("@Model(input = {8}, batch = 2)",
                "@Parameter(shape = {4}) Layer p;", "@Touch Layer touched;", "@Scale(factor = 2) Layer scaled;",
                "@From(\"input\") @Touch Layer perSample;"));
        Compilation compilation = ModelSources.compile(touch, model);
        assertThat(compilation).succeeded();
        assertEquals(4 + 4 + 16, ModelSources.constant(compilation, "test.NetCost", "OTHER_OPS"));
    }

    @Test
    void mc202AnUnknownNameInADeclaredFormulaIsAnErrorOnTheField() {
        JavaFileObject model = ModelSources.source("test.Net", ModelSources.model("@Model(input = {8, 4, 4})", "@Widen Layer wide;"));
        Compilation compilation = ModelSources.compile(expand("out.numel * factr"), model);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[MC202] wide: unknown name 'factr' in 'out.numel * factr' (the macs of @LayerKind Widen); did you mean 'factor'?")
                .inFile(model).onLineContaining("Layer wide;");
    }

    @Test
    void mc202AnUnknownNameInADeclaredFormulasBranchNotTakenIsAnErrorToo() {
        // factor is 2 here, so the first branch is never taken; 'factr' names no attribute whatever the input. An axis the input
        // lacks (x.D) may be another input's, and is left alone.
        JavaFileObject model = ModelSources.source("test.Net", ModelSources.model("@Model(input = {8, 4, 4})", "@Widen Layer wide;"));
        Compilation compilation = ModelSources.compile(expand("factor > 100 ? out.numel * factr : out.numel * factor"), model);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[MC202] wide: unknown name 'factr' in 'factor > 100 ? out.numel * factr : out.numel * "
                + "factor' (the macs of @LayerKind Widen); did you mean 'factor'?").inFile(model).onLineContaining("Layer wide;");
        assertThat(ModelSources.compile(expand("factor > 100 ? out.numel * x.D : out.numel * factor"), model)).succeeded();
    }

    @Test
    void mc202ADecimalOrListAttributeCannotBeReadAndTheMessageSaysSo() {
        JavaFileObject kind = ModelSources.source("test.Scaled", """
                package test;

                import dev.modelcost.*;
                import java.lang.annotation.*;

                @LayerKind(macs = "x.numel * scale")
                @Retention(RetentionPolicy.CLASS)
                @Target(ElementType.FIELD)
                public @interface Scaled {
                    double scale() default 1.5;
                    int[] dims() default {};
                }
                """);
        JavaFileObject model = ModelSources.source("test.Net", ModelSources.model("@Model(input = {8, 4, 4})", "@Scaled Layer s;"));
        Compilation compilation = ModelSources.compile(kind, model);
        assertThat(compilation).hadErrorContaining("[MC202] s: unknown name 'scale' in 'x.numel * scale' (the macs of @LayerKind Scaled): scale is an "
                + "attribute of a type an expression cannot read: only int, long and boolean ones are").inFile(model).onLineContaining("Layer s;");
    }

    @Test
    void mc310AnIntAttributeGivenMoreThanAnIntHolds() {
        // Java refuses f = 3000000000 for an int; through with it is an expression, which counts in longs: refused the same, not
        // taken as 3,000,000,000 MACs.
        JavaFileObject kind = ModelSources.source("test.Wide", """
                package test;

                import dev.modelcost.*;
                import java.lang.annotation.*;

                @LayerKind(macs = "f")
                @Retention(RetentionPolicy.CLASS)
                @Target(ElementType.FIELD)
                public @interface Wide {
                    int f() default 3;
                    long g() default 0;
                    String with() default "";
                }
                """);
        String text = ModelSources.model("@Model(input = {8, 4, 4})", "@Wide(with = \"f = 3000000000\") Layer w;");
        JavaFileObject model = ModelSources.source("test.Net", text);
        ModelSources.assertOnlyError(ModelSources.compile(kind, model), model,
                "[MC310] w: Wide f = 3000000000 must be from -2,147,483,648 to 2,147,483,647, as its annotation declares it an int", "Layer w;",
                ModelSources.columnAfter(text, "Layer w;", "with = "));
        // A long attribute takes it.
        Compilation compilation = ModelSources.compile(kind, ModelSources.source("test.Net", ModelSources.model("@Model(input = {8, 4, 4})",
                "@LayerKind(macs = \"g\") @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.CLASS) public @interface G { long g() default 0; String with() default \"\"; }",
                "@G(with = \"g = 3000000000\") Layer w;")));
        assertThat(compilation).succeeded();
        assertEquals(3_000_000_000L, ModelSources.constant(compilation, "test.NetCost", "MACS"));
    }

    @Test
    void mc310PointsAtTheWrittenValueAFormulaRefuses() {
        // output = [x.C * factor, x.H, x.W]: factor = 0 gives no channels, and factor is the value the field writes; an output that
        // is refused whatever the field writes (a negative cost of the defaults) is told on the field.
        String text = ModelSources.model("@Model(input = {8, 4, 4})", "@Widen(factor = 0) Layer wide;");
        JavaFileObject model = ModelSources.source("test.Net", text);
        ModelSources.assertOnlyError(ModelSources.compile(expand("out.numel"), model), model,
                "[MC310] wide: Widen output = [0, 4, 4] must be at least 1 on every axis", "Layer wide;",
                ModelSources.columnAfter(text, "Layer wide;", "factor = "));
        // Where the formula reads two attributes the field writes, which one is wrong the value does not say: the field.
        String both = ModelSources.model("@Model(input = {8, 4, 4})", "@Widen(factor = 0, bias = true) Layer wide;");
        JavaFileObject two = ModelSources.source("test.Net", both);
        ModelSources.assertOnlyError(ModelSources.compile(widen("[bias ? x.C * factor : x.C * factor, x.H, x.W]", "", "out.numel"), two), two,
                "[MC310] wide: Widen output = [0, 4, 4] must be at least 1 on every axis", "Layer wide;", ModelSources.columnOf(both, "Layer wide;", "@Widen"));
        String negative = ModelSources.model("@Model(input = {8, 4, 4})", "@Widen Layer wide;");
        JavaFileObject unwritten = ModelSources.source("test.Net", negative);
        ModelSources.assertOnlyError(ModelSources.compile(expand("0 - out.numel"), unwritten), unwritten,
                "[MC310] wide: Widen macs = -256 must be at least 0", "Layer wide;", ModelSources.columnOf(negative, "Layer wide;", "@Widen"));
    }

    @Test
    void mc204ADivisionByAnAttributeOfZero() {
        JavaFileObject model = ModelSources.source("test.Net", ModelSources.model("@Model(input = {8, 4, 4})",
                "@Widen(with = \"factor = x.H / 8\") Layer wide;"));
        Compilation compilation = ModelSources.compile(expand("out.numel / factor"), model);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[MC310] wide: Widen output = [0, 4, 4] must be at least 1 on every axis")
                .inFile(model).onLineContaining("Layer wide;");
        JavaFileObject divided = ModelSources.source("test.Net", ModelSources.model("@Model(input = {8, 4, 4})",
                "@Widen(factor = 1, with = \"bias = x.H > 8\") Layer wide;", "@Widen(factor = 1) Layer more;"));
        Compilation second = ModelSources.compile(expand("out.numel / (factor - 1)"), divided);
        assertThat(second).hadErrorContaining("[MC204] wide: division by zero in 'out.numel / (factor - 1)'").inFile(divided).onLineContaining("Layer wide;");
    }

    @Test
    void mc201AFormulaThatCannotParseIsAnErrorOnTheDeclaration() {
        JavaFileObject kind = expand("out.numel * (factor");
        JavaFileObject model = ModelSources.source("test.Net", ModelSources.model("@Model(input = {8, 4, 4})", "@Widen Layer wide;"));
        Compilation compilation = ModelSources.compile(kind, model);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[MC201] @LayerKind Widen macs: cannot parse 'out.numel * (factor'").inFile(kind).onLineContaining("macs =");
    }

    /** A kind {@code @K} with the members {@code members} and the given costs, as a user's annotation. */
    private static JavaFileObject kind(String costs, String members) {
        return ModelSources.source("test.K", """
                package test;

                import dev.modelcost.*;
                import java.lang.annotation.*;

                @LayerKind(%s)
                @Retention(RetentionPolicy.CLASS)
                @Target(ElementType.FIELD)
                public @interface K {
                    %s
                }
                """.formatted(costs, members));
    }

    @Test
    void aKindsWithThatIsNoStringIsAnErrorOnItsDeclaration() {
        // It used to fail inside the processor (a ClassCastException, MC901) where a field wrote with = 3.
        for (String with : new String[] {"int with() default 0;", "String[] with() default {};"}) {
            JavaFileObject k = kind("otherOps = \"x.numel\"", with);
            Compilation compilation = ModelSources.compile(k, ModelSources.source("test.Net",
                    ModelSources.model("@Model(input = {8, 8, 8})", with.startsWith("int") ? "@K(with = 3) Layer k;" : "@K(with = {\"o = 2\"}) Layer k;")));
            assertThat(compilation).hadErrorContaining("[MC310] @LayerKind: K with = of type " + (with.startsWith("int") ? "int" : "java.lang.String[]")
                    + " must be a String (String with() default \"\")").inFile(k).onLineContaining("with()");
            assertThat(compilation).hadErrorCount(1);
        }
    }

    @Test
    void mc310ANameWithACharacterJavaIgnoresInAnIdentifierIsNoClassName() {
        // NUL, NEL and a right-to-left override pass SourceVersion.isIdentifier (Java ignores them in identifiers); they reached the
        // JSON report and the generated Javadoc as they were.
        for (String name : new String[] {"x\\u0000y", "x\\u0085y", "x\\u202Ey"}) {
            JavaFileObject k = kind("otherOps = \"x.numel\", name = \"" + name + "\"", "");
            Compilation compilation = ModelSources.compile(k, ModelSources.source("test.Net", ModelSources.model("@Model(input = {8, 8, 8})", "@K Layer k;")));
            assertThat(compilation).hadErrorContaining("[MC310] @LayerKind: K name = 'x").inFile(k).onLineContaining("@LayerKind(");
            assertThat(compilation).hadErrorContaining("must be a name such as PyTorch gives a module class (letters, digits, _)");
            assertThat(compilation).hadErrorCount(1);
        }
    }

    @Test
    void aShortByteCharOrEnumAttributeIsToldAsOfATypeExpressionsDoNotTake() {
        // Such an attribute is there, written as a literal only: with may not set it, and a formula may not read it (it was "@K has no
        // attribute 's'; there are none" and a bare unknown name).
        for (String type : new String[] {"short", "byte", "char", "java.util.concurrent.TimeUnit"}) {
            String member = type + " s() default " + (type.equals("char") ? "'a'" : type.startsWith("java") ? "java.util.concurrent.TimeUnit.SECONDS" : "3")
                    + "; String with() default \"\";";
            Compilation set = ModelSources.compile(kind("otherOps = \"x.numel\"", member),
                    ModelSources.source("test.Net", ModelSources.model("@Model(input = {8, 8, 8})", "@K(with = \"s = 5\") Layer k;")));
            assertThat(set).hadErrorContaining("[MC208] k: @K has no attribute 's' that takes an expression; write it as a literal");
            Compilation read = ModelSources.compile(kind("macs = \"s * 2\"", member),
                    ModelSources.source("test.Net", ModelSources.model("@Model(input = {8, 8, 8})", "@K Layer k;")));
            assertThat(read).hadErrorContaining("unknown name 's' in 's * 2' (the macs of @LayerKind K): s is an attribute of a type an "
                    + "expression cannot read: only int, long and boolean ones are");
        }
    }

    @Test
    void aDeclaredKindDecodesAtOnePosition() {
        // A decoder of one causal attention (4 heads of 16 on 32 tokens) and a kind of 100 MACs whatever its input: a decoding step runs
        // each layer once on the new position, so the kind counts 100, not 100 / 32 rounded down (3) as a division by the length did.
        // By hand: q, k and v projections 3 x 64 x 64 = 12,288; the attention 4 heads x 32 keys x 16 x 2 = 4,096; the kind 100.
        JavaFileObject k = kind("macs = \"100\"", "");
        Compilation compilation = ModelSources.compile(k, ModelSources.source("test.Net", ModelSources.model(
                "@Model(input = {32}, layout = \"L\", tokens = true)", "@Embedding(numEmbeddings = 100, embeddingDim = 64) Layer embed;",
                "@Linear(out = 64, bias = false) Layer q_proj;", "@From(\"embed\") @Linear(out = 64, bias = false) Layer k_proj;",
                "@From(\"embed\") @Linear(out = 64, bias = false) Layer v_proj;",
                "@From(\"q_proj\") @Reshape(layout = \"L,H,D\", shape = {32, 4, 16}) Layer q;", "@Transpose(dim0 = 1, dim1 = 2) Layer qh;",
                "@From(\"k_proj\") @Reshape(layout = \"L,H,D\", shape = {32, 4, 16}) Layer kk;", "@Transpose(dim0 = 1, dim1 = 2) Layer kh;",
                "@From(\"v_proj\") @Reshape(layout = \"L,H,D\", shape = {32, 4, 16}) Layer v;", "@Transpose(dim0 = 1, dim1 = 2) Layer vh;",
                "@From({\"qh\", \"kh\", \"vh\"}) @ScaledDotProductAttention(isCausal = true) Layer attn;",
                "@Transpose(dim0 = 1, dim1 = 2) Layer merged;", "@Reshape(layout = \"L,D\", shape = {32, 64}) Layer flat;", "@K Layer kc;")));
        assertEquals(12_288 + 4_096 + 100, ModelSources.constant(compilation, "test.NetCost", "DECODE_MACS"));
    }
}
