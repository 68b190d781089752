package dev.modelcost.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.columnOf;
import static dev.modelcost.processor.ModelSources.compile;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.lineOf;
import static dev.modelcost.processor.ModelSources.source;

import com.google.testing.compile.Compilation;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The catalogue entries of costs and budgets (MC401 to MC403; MC402 is also in
 * {@link AcceptanceTest}), and the processor's own failure, MC901.
 *
 * <p>MC901 has no test: it is unreachable from a source. The two ways a source used to reach it
 * (an annotation value javac could not resolve, and two models whose cost classes share a name)
 * now give javac's own error and MC105; the tests below keep them from coming back.
 */
class CostDiagnosticsTest {

    @Test
    void mc401CostBeyondLong() {
        // 1,000,000 x 2,000,000,000 outputs of K = 2,000,000,000: 4 * 10^24 MACs.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {1000000, 2000000000})
                public class Net {
                    @Linear(out = 2000000000) Layer fc;
                }
                """;
        expectOnly(text, "[MC401] fc: the cost of this Linear (a count beyond 64 bits) is too large to count exactly", "Layer fc;", columnOf(text, "Layer fc;", "@Linear"));
    }

    @Test
    void mc401TotalBeyondLongNamesTheFigureAndBothParts() {
        // a: K = 65,536 over 2^30 x 49,152 outputs, 2K FLOPs each with the bias: 2^17 * 2^30 * 49,152 = 6,917,529,027,641,081,856.
        // b: K = 49,152 over 2^30 x 32,768 outputs: 2 * 49,152 * 2^45 = 3,458,764,513,820,540,928. Each fits a long, their sum
        // does not (2^63 = 9,223,372,036,854,775,808); their MACs, half as many, still do.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {1073741824, 65536}, layout = "L,D")
                public class Net {
                    @Linear(out = 49152) Layer a;
                    @Linear(out = 32768) Layer b;
                }
                """;
        expectOnly(text, "[MC401] b: FLOPS of the model with this field's share added (6,917,529,027,641,081,856 before it, 3,458,764,513,820,540,928 "
                + "here) is too large to count exactly", "Layer b;", columnOf(text, "Layer b;", "b;"));
    }

    @Test
    void mc401RepetitionsBeyondLongNameTheFigure() {
        // Each repetition: K = 65,536 over 2^29 x 65,536 outputs, 2K FLOPs each with the bias: 2^17 * 2^45 = 2^62 =
        // 4,611,686,018,427,387,904; two are 2^63, one past a long.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {536870912, 65536}, layout = "L,D")
                public class Net {
                    @Repeat(2) B blk;

                    @Block
                    static class B {
                        @Linear(out = 65536) Layer fc;
                    }
                }
                """;
        expectOnly(text, "[MC401] blk: FLOPS of its repetitions with repetition 1 added (4,611,686,018,427,387,904 before it, "
                + "4,611,686,018,427,387,904 here) is too large to count exactly", "B blk;", columnOf(text, "B blk;", "blk;"));
    }

    @Test
    void mc401ExpressionBeyondLong() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Linear(with = "out = 9223372036854775807 + 1") Layer fc;
                }
                """;
        expectOnly(text, "[MC401] fc out: 'out = 9223372036854775807 + 1' (9223372036854775807 + 1) is too large to count exactly",
                "Layer fc;", columnAfter(text, "Layer fc;", "with = "));
    }

    @Test
    void mc401OutputSizeBeyondInt() {
        // Padding 2,000,000,000 on both sides of 8 rows: 4,000,000,008 rows out, more than a dimension can hold.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Net {
                    @Conv2d(cout = 1, k = 1, padding = 2000000000) Layer conv;
                }
                """;
        expectOnly(text, "[MC401] conv: the output of this Conv2d, 4,000,000,008 long on an axis (beyond 32 bits), is too large to count exactly", "Layer conv;",
                columnOf(text, "Layer conv;", "@Conv2d"));
        // An upsampling says the same: 2 x 1,073,741,824 positions.
        String upsampled = text.replace("@Model(input = {3, 8, 8})", "@Model(input = {1, 1073741824}, layout = \"C,L\")")
                .replace("@Conv2d(cout = 1, k = 1, padding = 2000000000) Layer conv;", "@Upsample(scaleFactor = 2.0) Layer up;");
        expectOnly(upsampled, "[MC401] up: the output of this Upsample, 2,147,483,648 long on an axis (beyond 32 bits), is too large to count exactly",
                "Layer up;", columnOf(upsampled, "Layer up;", "@Upsample"));
        // Beyond a long, the length PyTorch's double product gives (32 x 1e300), not a saturated 2^63 - 1.
        String huge = text.replace("@Model(input = {3, 8, 8})", "@Model(input = {1, 32}, layout = \"C,L\")")
                .replace("@Conv2d(cout = 1, k = 1, padding = 2000000000) Layer conv;", "@Upsample(scaleFactor = 1e300) Layer up;");
        expectOnly(huge, "[MC401] up: the output of this Upsample, about 3.200e+301 long on an axis (beyond 32 bits), is too large to count exactly",
                "Layer up;", columnOf(huge, "Layer up;", "@Upsample"));
    }

    @Test
    void mc402BudgetOnAShareOfTheLargestLayers() {
        // conv 3 -> 8, k 3 on 3x8x8: 8x6x6 = 288 outputs, K = 27: 7,776 MACs. fc 288 -> 10: 2,880 MACs.
        // Total 10,656 over 10,000 by 6.6%; conv has 7,776 / 10,656 = 73.0%, fc 27.0%.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                @Budget(maxMacs = 10_000)
                public class Net {
                    @Conv2d(cout = 8, k = 3) Layer conv;
                    @Flatten Layer flatten;
                    @Linear(out = 10) Layer fc;
                }
                """;
        expectOnly(text, "[MC402] MACS = 10,656 exceeds the budget maxMacs = 10,000 by 6.6%; largest: conv (Conv2d) 7,776 = 73.0%,"
                + " fc (Linear) 2,880 = 27.0%", "@Budget", columnAfter(text, "@Budget", "maxMacs = "));
    }

    @Test
    void mc402OverByLessThanATenthOfAPercentSaysSo() {
        // 10,656 MACs (as above) against 10,655: over by 0.009 %, which rounds to 0.0 and is said as less than 0.1.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                @Budget(maxMacs = 10_655)
                public class Net {
                    @Conv2d(cout = 8, k = 3) Layer conv;
                    @Flatten Layer flatten;
                    @Linear(out = 10) Layer fc;
                }
                """;
        expectOnly(text, "[MC402] MACS = 10,656 exceeds the budget maxMacs = 10,655 by less than 0.1%; largest:", "@Budget",
                columnAfter(text, "@Budget", "maxMacs = "));
    }

    @Test
    void mc403BudgetThatIsNotPositive() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                @Budget(maxParams = 0)
                public class Net {
                    @Linear(out = 5) Layer fc;
                }
                """;
        expectOnly(text, "[MC403] @Budget(maxParams = 0) must be positive", "@Budget", columnAfter(text, "@Budget", "maxParams = "));
    }

    @Test
    void valuesOfEveryTypeAndConstantsFromOtherClassesAreRead() {
        // The control for the unresolved constants below: a double, booleans, longs, strings and arrays, literal or
        // named through constants. Linear 10 -> 4 twice: 40 + 40 = 80 MACs; params 44 + 40 = 84.
        JavaFileObject sizes = source("test.Sizes", """
                package test;

                public final class Sizes {
                    public static final int WIDTH = 4;
                    public static final String WHEN = "in > 1";
                    public static final String ARGS = "size = WIDTH";
                    public static final long BUDGET = 1_000L;
                }
                """);
        Compilation compilation = compile(sizes, source("test.Net", """
                package test;

                import dev.modelcost.*;

                @Model(input = {Sizes.WIDTH + 6}, batch = 1, indexed = false)
                @Budget(maxMacs = Sizes.BUDGET, maxParams = 100L)
                public class Net {
                    static final int WIDTH = Sizes.WIDTH;
                    @Linear(out = Sizes.WIDTH, bias = true) Layer fc;
                    @Dropout(p = 0.2) Layer drop;
                    @When(Sizes.WHEN) @From("input") @Args(Sizes.ARGS) Part part;
                    @Add({"drop", "part"}) Layer sum;

                    @Block(indexed = true)
                    public static class Part {
                        @Param int size;
                        @Linear(with = "out = size", bias = false) Layer fc;
                    }
                }
                """));
        assertThat(compilation).succeededWithoutWarnings();
        String cost = ModelSources.generated(compilation, "test.NetCost");
        assertThat(cost).contains("MACS = 80L;");
        assertThat(cost).contains("PARAMS = 84L;");
        assertThat(cost).contains("OUTPUT_SHAPE = \"1x4\";");
    }

    /** Annotation values that name a constant javac cannot find: javac reports them, and the processor adds nothing. */
    @ParameterizedTest
    @ValueSource(strings = {
        "@Model(input = {MISSING}) public class Net { @Linear(out = 5) Layer fc; }",
        "@Model(input = {10}, batch = MISSING) public class Net { @Linear(out = 5) Layer fc; }",
        "@Model(input = {10}) @Budget(maxMacs = MISSING) public class Net { @Linear(out = 5) Layer fc; }",
        "@Model(input = {10}) public class Net { @Linear(out = MISSING) Layer fc; }",
        "@Model(input = {10}) public class Net { @Linear(out = 5) Layer fc; @From(MISSING) @ReLU Layer relu; }",
        "@Model(input = {10}) public class Net { @Linear(out = 5) Layer fc; @When(MISSING) @ReLU Layer relu; }",
        "@Model(input = {10}) public class Net { @Linear(out = 5) Layer fc; @Add({MISSING, \"fc\"}) Layer sum; }",
        "@Model(input = {10}) public class Net { @Linear(out = MISSING) Layer fc; @Add({\"input\", \"fc\"}) Layer sum; }",
        "@Model(input = {10}) public class Net { @Repeat(MISSING) Part part; @Block static class Part { @ReLU Layer relu; } }",
        "@Model(input = {10}) public class Net { @Args(MISSING) Part part; @Block static class Part { @ReLU Layer relu; } }",
        "@Model(input = {10}) public class Net { Part part; @Block static class Part { @Param(MISSING) int p; @ReLU Layer relu; } }",
        "@Model(input = {10}) public class Net { Part part; @Block(indexed = MISSING) static class Part { @ReLU Layer relu; } }",
    })
    void anUnresolvedConstantGivesOnlyJavacsError(String declaration) {
        String text = "package test;\n\nimport dev.modelcost.*;\n\n" + declaration + "\n";
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("cannot find symbol").inFile(file).onLine(lineOf(text, "MISSING"))
                .atColumn(columnOf(text, "MISSING", "MISSING"));
        for (Diagnostic<? extends JavaFileObject> diagnostic : compilation.diagnostics()) {
            assertThat(diagnostic.getMessage(null)).doesNotContain("[MC");
        }
    }

    /** A misspelt annotation or attribute: javac reports it after the processor has run, which adds nothing of its own. */
    @ParameterizedTest
    @ValueSource(strings = {
        "@Model(input = {3, 8, 8}) public class Net { @Conv2d(MISSPELT = 6, k = 3) Layer c; }",
        "@Model(input = {3, 8, 8}) public class Net { @MISSPELT(cout = 6, k = 3) Layer c; }",
        "@Model(input = {3, 8, 8}) public class Net { Part part; @Block static class Part { @Conv2d(k = 1, MISSPELT = 4) Layer pre; } }",
        // a later field that reads the field javac refuses: nothing of that field's own
        "@Model(input = {16}) public class Net { @Linear(out = 16) Layer fc; @Dropout(MISSPELT = \"p = 0.1\") Layer drop; "
                + "@Add({\"fc\", \"drop\"}) Layer sum; }",
        "@Model(input = {16}) public class Net { @Linear(MISSPELT = 16) Layer fc; @From(\"fc\") @ReLU Layer act; }",
    })
    void aMisspeltAnnotationOrAttributeGivesOnlyJavacsError(String declaration) {
        assertMisspeltGivesOnlyJavacsError(declaration);
    }

    /**
     * An annotation of the model class that javac cannot resolve (a {@code @Budget} or {@code @Training} not imported): javac's error
     * alone, and nothing written, as the annotation's checks and figures would be missing from it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"@Budget(maxMacs = 1_000)", "@Training(batch = 4)", "@Roofline(hardware = \"h100-sxm\")", "@FastPath"})
    void anUnresolvedAnnotationOfTheModelWritesNothing(String annotation, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        String text = "package test;\n\nimport dev.modelcost.Layer;\nimport dev.modelcost.Linear;\nimport dev.modelcost.Model;\n\n"
                + "@Model(input = {8})\n" + annotation + "\npublic class Net { @Linear(out = 4) Layer fc; }\n";
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("cannot find symbol").inFile(file).onLine(lineOf(text, annotation));
        assertThat(ModelSources.generatedSources(dir, source("test.Net", text))).isEmpty();
        try (java.util.stream.Stream<java.nio.file.Path> classes = java.nio.file.Files.walk(dir.resolve("classes"))) {
            assertThat(classes.filter(java.nio.file.Files::isRegularFile).toList()).isEmpty();
        }
        // Imported, the same model is costed and its class written.
        String imported = text.replace("import dev.modelcost.Layer;", "import dev.modelcost.*;");
        assertThat(ModelSources.generatedSources(dir.resolve("imported"), source("test.Net", imported))).containsExactly("test/NetCost.java");
    }

    @Test
    void mc152FastPathOffAModelOrBlock() {
        String text = "package test;\n\nimport dev.modelcost.*;\n\n@FastPath\npublic class Net { int width; }\n";
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[MC152] @FastPath on Net, which is neither a @Model nor a @Block").inFile(file)
                .onLine(lineOf(text, "@FastPath")).atColumn(1);
        // On a block it is read (the block stands for the fused module).
        assertThat(compile(source("test.Net", text.replace("@FastPath\npublic class Net { int width; }",
                "@Model(input = {4, 8}, layout = \"L,D\")\npublic class Net { Enc enc; @Block @FastPath static class Enc { @ReLU Layer relu; } }"))))
                .hadErrorCount(0);
    }

    @Test
    void annotationsOfTheFieldsTypeAndRepeatedOnesAreNoMisspelling() {
        // A type-use annotation (as the Checker Framework's @NonNull) sits on the field's type, repetitions in their container, and
        // another annotation of a DSL annotation's simple name has attributes of its own: none is taken for an annotation javac will
        // reject, so the model is costed: Linear(8, 4), 36 parameters.
        String text = """
                package test;

                import dev.modelcost.*;
                import java.lang.annotation.*;

                @Model(input = {8})
                public class Net {
                    @Target(ElementType.TYPE_USE) @interface NonNull {}
                    @Repeatable(Notes.class) @interface Note { String value(); }
                    @interface Notes { Note[] value(); }

                    @interface Linear { String units(); }

                    @Linear(units = "x") @dev.modelcost.Linear(out = 4) @NonNull Layer fc;
                    @Note("a") @Note("b") @ReLU Layer act;
                }
                """;
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).succeeded();
        org.junit.jupiter.api.Assertions.assertEquals(36L, dev.modelcost.processor.ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
    }

    private static void assertMisspeltGivesOnlyJavacsError(String declaration) {
        String text = "package test;\n\nimport dev.modelcost.*;\n\n" + declaration + "\n";
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("cannot find symbol").inFile(file).onLine(lineOf(text, "MISSPELT"));
        for (Diagnostic<? extends JavaFileObject> diagnostic : compilation.diagnostics()) {
            assertThat(diagnostic.getMessage(null)).doesNotContain("[MC");
        }
    }

    @Test
    void mc143ABoundOnAFigureTheModelDoesNotHaveWarns() {
        String text = ModelSources.model("@Model(input = {3, 8, 8})\n@Budget(maxKvCacheBytes = 1000, maxMacs = 100_000)", "@Conv2d(cout = 4, k = 3) Layer conv;");
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation).hadWarningContaining("[MC143] Net: @Budget(maxKvCacheBytes) bounds KV_CACHE_BYTES, which is 0 for this model "
                + "(no attention a decoding step runs keeps keys and values): the bound checks nothing").inFile(file)
                .onLine(lineOf(file, "@Budget")).atColumn(columnAfter(text, "@Budget", "maxKvCacheBytes = "));
        // A bound meant so says so on the class.
        Compilation meant = compile(source("test.Net", text.replace("public class Net", "@SuppressWarnings(\"MC143\") public class Net")));
        assertThat(meant).succeeded();
        assertThat(meant).hadWarningCount(0);
    }

    @Test
    void mc143WarnsOnAModelWithSizesWhereTheFigureIsZeroAtEverySizeTheBudgetChecks() {
        // At the declared sizes alone (no over), as a model without sizes.
        String declared = ModelSources.model("@Model(input = {3, 32, 32}, sizes = \"H\")\n@Budget(maxKvCacheBytes = 10)",
                "@Conv2d(cout = 4, k = 3) Layer conv;", "@MaxPool2d(k = 2) Layer pool;");
        JavaFileObject file = source("test.Net", declared);
        Compilation compilation = compile(file);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningContaining("[MC143] Net: @Budget(maxKvCacheBytes) bounds KV_CACHE_BYTES, which is 0 for this model (at its "
                + "declared sizes, the only ones a budget without over checks; no attention a decoding step runs keeps keys and values)")
                .inFile(file).onLine(lineOf(file, "@Budget")).atColumn(columnAfter(declared, "@Budget", "maxKvCacheBytes = "));
        // Over a range of sizes, where its form is 0 too.
        String ranged = declared.replace("maxKvCacheBytes = 10)", "maxKvCacheBytes = 10, over = \"H = 32..64 step 2\")");
        JavaFileObject over = source("test.Net", ranged);
        Compilation overRange = compile(over);
        assertThat(overRange).succeeded();
        assertThat(overRange).hadWarningContaining("[MC143] Net: @Budget(maxKvCacheBytes) bounds KV_CACHE_BYTES, which is 0 for this model")
                .inFile(over).onLine(lineOf(over, "@Budget")).atColumn(columnAfter(ranged, "@Budget", "maxKvCacheBytes = "));
    }

    @Test
    void mc143StaysQuietWhereTheFigureIsZeroAtTheDeclaredSizeButNotOverTheRange() {
        // Attention from L = 33 on: its KV cache, 2 (keys and values) · 8 features · L positions · 2 bytes (fp16), passes 1,000 bytes
        // from L = 32 on, so first where the layer runs, at L = 33: 1,056 bytes. The bound checks the range, which MC143 must not deny.
        String text = ModelSources.model("@Model(input = {16, 8}, layout = \"L,E\", sizes = \"L\")\n@Budget(maxKvCacheBytes = 1000, over = \"L = 8..64\")",
                "@When(\"L > 32\") @MultiheadAttention(numHeads = 2, isCausal = true) Layer attn;", "@Linear(out = 4) Layer head;");
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).failed();
        assertThat(compilation).hadWarningCount(0);
        assertThat(compilation).hadErrorContaining("[MC420] KV_CACHE_BYTES = 1,056 at L = 33 exceeds the budget maxKvCacheBytes = 1,000")
                .inFile(file).onLine(lineOf(file, "@Budget"));
    }
}
