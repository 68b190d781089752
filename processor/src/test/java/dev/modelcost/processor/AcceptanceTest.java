package dev.modelcost.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.assertOnlyError;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.compile;
import static dev.modelcost.processor.ModelSources.generated;
import static dev.modelcost.processor.ModelSources.generatedSources;
import static dev.modelcost.processor.ModelSources.lineOf;
import static dev.modelcost.processor.ModelSources.source;

import com.google.testing.compile.Compilation;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees: budgets that fail the build, shape checks, and the constants of a model that compiles. */
class AcceptanceTest {

    /** A small CNN whose figures are derived by hand in {@link #aSuccessfulCompileGeneratesTheHandComputedConstants}. */
    private static final String CNN = """
            package test;

            import dev.modelcost.*;

            @Model(input = {3, 32, 32})
            public class Net {
                @Conv2d(cout = 16, k = 3, padding = 1) Layer conv;
                @BatchNorm2d Layer bn;
                @ReLU Layer relu;
                @MaxPool2d(k = 2) Layer pool;
                @Flatten Layer flatten;
                @Linear(out = 10) Layer fc;
            }
            """;

    @Test
    void aModelOverItsBudgetFailsOnTheBudgetNamingFigureLimitAndOvershoot() {
        // Linear 100 -> 10, batch 1: 100 * 10 = 1,000 MACs. Over the budget of 900 by 100 / 900 = 11.1%.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {100})
                @Budget(maxMacs = 900)
                public class Net {
                    @Linear(out = 10) Layer fc;
                }
                """;
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertOnlyError(compilation, file, "[MC402] MACS = 1,000 exceeds the budget maxMacs = 900 by 11.1%",
                "@Budget(maxMacs = 900)", columnAfter(text, "@Budget", "maxMacs = "));
        assertThat(compilation).hadErrorContaining("largest: fc (Linear) 1,000 = 100.0%");
    }

    @Test
    void everyExceededBoundIsAnErrorAndABoundMetExactlyIsNot() {
        // Linear 100 -> 10 with bias: 1,000 MACs (= the bound, so fine); FLOPs 10 outputs * (2 * 100 - 1 + 1) = 2,000,
        // over 1,999 by 1 / 1,999 = 0.05% -> 0.1%; params 100 * 10 + 10 = 1,010, over 1,000 by 1.0%.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {100})
                @Budget(maxMacs = 1000,
                        maxFlops = 1999,
                        maxParams = 1000)
                public class Net {
                    @Linear(out = 10) Layer fc;
                }
                """;
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation).hadErrorContaining("[MC402] FLOPS = 2,000 exceeds the budget maxFlops = 1,999 by 0.1%")
                .inFile(file).onLine(lineOf(text, "maxFlops")).atColumn(columnAfter(text, "maxFlops", "maxFlops = "));
        assertThat(compilation).hadErrorContaining("[MC402] PARAMS = 1,010 exceeds the budget maxParams = 1,000 by 1.0%")
                .inFile(file).onLine(lineOf(text, "maxParams")).atColumn(columnAfter(text, "maxParams", "maxParams = "));
    }

    @Test
    void aModelWithinItsBudgetCompilesAndRecordsTheBound() {
        Compilation compilation = compile(source("test.Net", """
                package test;

                import dev.modelcost.*;

                @Model(input = {100})
                @Budget(maxMacs = 1000)
                public class Net {
                    @Linear(out = 10) Layer fc;
                }
                """));
        assertThat(compilation).succeeded();
        String cost = generated(compilation, "test.NetCost");
        assertThat(cost).contains("MACS = 1000L;");
        assertThat(cost).contains("MAX_MACS = 1000L;");
        assertThat(cost).contains("MAX_FLOPS = Long.MAX_VALUE;");
    }

    @Test
    void aConvWhoseWrittenCinDisagreesWithTheInferredChannelsFailsOnThatField() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 32, 32})
                public class Net {
                    @Conv2d(cout = 16, k = 3, padding = 1) Layer conv1;
                    @ReLU Layer relu;
                    @Conv2d(cout = 32, cin = 8, k = 3) Layer conv2;
                }
                """;
        JavaFileObject file = source("test.Net", text);
        assertOnlyError(compile(file), file,
                "[MC301] conv2: Conv2d expects cin = 8 but the previous layer (relu) produces 16 channels",
                "Layer conv2;", columnAfter(text, "Layer conv2;", "cin = "));
    }

    @Test
    void theGeneratedFiguresAreCompileTimeConstants() {
        // A case label and an annotation value both require constant expressions: javac rejects anything else.
        JavaFileObject use = source("test.Use", """
                package test;

                public class Use {
                    @interface Limit {
                        long value();
                        String shape();
                    }

                    @Limit(value = NetCost.MACS, shape = NetCost.OUTPUT_SHAPE)
                    static final long BOTH = NetCost.MACS + NetCost.PARAMS;

                    static String describe(int macs, String shape) {
                        switch (macs) {
                            case (int) NetCost.MACS:
                                return "exact";
                            default:
                                break;
                        }
                        switch (shape) {
                            case NetCost.OUTPUT_SHAPE:
                                return "the output";
                            default:
                                return "other";
                        }
                    }
                }
                """);
        Compilation compilation = compile(source("test.Net", CNN), use);
        assertThat(compilation).succeeded();
        assertThat(compilation).generatedSourceFile("test.NetCost").contentsAsUtf8String().contains("MACS = 483328L;");
    }

    @Test
    void aSuccessfulCompileGeneratesTheHandComputedConstants() {
        // conv 3 -> 16, k 3, padding 1 on 3x32x32: out 16x32x32 = 16,384 outputs, K = 3 * 3 * 3 = 27:
        //   MACs 16,384 * 27 = 442,368; FLOPs 16,384 * (2 * 27 - 1 + 1) = 884,736; params 16 * 27 + 16 = 448.
        // bn on 16x32x32: params 2 * 16 = 32, buffers 2 * 16 = 32, other ops 2 * 16,384 = 32,768.
        // relu: other ops 16,384. pool k 2 (stride 2): out 16x16x16 = 4,096, other ops 4,096 * (4 - 1) = 12,288.
        // flatten: 4,096 features. fc 4,096 -> 10: MACs 40,960; FLOPs 10 * (2 * 4,096) = 81,920; params 40,960 + 10 = 40,970.
        // Costs: MACs 483,328; FLOPs 966,656; params 41,450; buffers 32; other ops 61,440; 6 leaves.
        Compilation compilation = compile(source("test.Net", CNN));
        assertThat(compilation).succeeded();
        String cost = generated(compilation, "test.NetCost");
        assertThat(cost).contains("public final class NetCost");
        assertThat(cost).contains("INPUT_SHAPE = \"1x3x32x32\";");
        assertThat(cost).contains("OUTPUT_SHAPE = \"1x10\";");
        assertThat(cost).contains("MACS = 483328L;");
        assertThat(cost).contains("FLOPS = 966656L;");
        assertThat(cost).contains("PARAMS = 41450L;");
        assertThat(cost).contains("BUFFERS = 32L;");
        assertThat(cost).contains("OTHER_OPS = 61440L;");
        assertThat(cost).contains("LAYER_COUNT = 6;");
    }

    @Test
    void aModelWithAnErrorGeneratesNoCostClass(@TempDir Path dir) {
        String text = CNN.replace("@BatchNorm2d Layer bn;", "@BatchNorm2d(features = 3) Layer bn;");
        JavaFileObject file = source("test.Net", text);
        assertOnlyError(compile(file), file, "[MC301] bn: BatchNorm2d expects features = 3 but the previous layer (conv) produces 16 channels",
                "Layer bn;", columnAfter(text, "Layer bn;", "features = "));
        assertThat(generatedSources(dir, source("test.Net", text))).isEmpty();
        // The same compilation into directories does generate the class when the model is right.
        assertThat(generatedSources(dir.resolve("right"), source("test.Net", CNN))).containsExactly("test/NetCost.java");
    }

    @Test
    void anErrorInOneModelNeitherStopsAnotherNorRepeatsItself(@TempDir Path dir) {
        String bad = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Bad {
                    @Conv2d(cout = 8, cin = 4, k = 3) Layer conv;
                }
                """;
        String good = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Good {
                    @Conv2d(cout = 8, k = 3) Layer conv;
                }
                """;
        JavaFileObject badFile = source("test.Bad", bad);
        assertOnlyError(compile(badFile, source("test.Good", good)), badFile, "[MC301] conv: Conv2d expects cin = 4",
                "Layer conv;", columnAfter(bad, "Layer conv;", "cin = "));
        assertThat(generatedSources(dir, source("test.Bad", bad), source("test.Good", good))).containsExactly("test/GoodCost.java");
    }

    @Test
    void theSameMistakeInTwoModelsIsReportedInBoth() {
        String first = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class First {
                    @Conv2d(cout = 8, cin = 4, k = 3) Layer conv;
                }
                """;
        JavaFileObject firstFile = source("test.First", first);
        JavaFileObject secondFile = source("test.Second", first.replace("First", "Second"));
        Compilation compilation = compile(firstFile, secondFile);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(2);
        for (JavaFileObject file : List.of(firstFile, secondFile)) {
            assertThat(compilation).hadErrorContaining("[MC301] conv: Conv2d expects cin = 4").inFile(file)
                    .onLine(lineOf(first, "Layer conv;")).atColumn(columnAfter(first, "Layer conv;", "cin = "));
        }
    }
}
