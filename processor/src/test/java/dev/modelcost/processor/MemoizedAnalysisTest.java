package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.modelcost.LayerCost;
import java.io.StringReader;
import java.util.List;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/**
 * A block is analysed once per distinct (arguments, input shape): repeating it 10,000 times takes
 * as many analyses as repeating it 10 times, and the totals are still exact.
 */
class MemoizedAnalysisTest {

    private static Compilation compile(int repeat, String first) {
        String source = """
                package test;

                import dev.modelcost.*;

                @Model(input = {16, 8, 8})
                public class Deep {
                    @Args("c = 16") @Repeat(value = %d, first = "%s") Unit units;

                    @Block
                    public static class Unit {
                        @Param int c;
                        @Param(1) int s;
                        @Conv2d(k = 3, padding = 1, bias = false, with = "cout = c, stride = s") Layer conv;
                        @ReLU Layer relu;
                    }
                }
                """.formatted(repeat, first);
        return javac().withProcessors(new ModelCostProcessor()).withOptions("-Amodelcost.stats=true")
                .compile(JavaFileObjects.forSourceString("test.Deep", source));
    }

    @Test
    void tenThousandRepetitionsTakeOneAnalysis() {
        // One unit on 16x8x8: conv K = 16 * 9 = 144, 16 * 64 = 1,024 outputs: 147,456 MACs,
        // 1,024 * (288 - 1) = 293,888 FLOPs, 16 * 144 = 2,304 params; ReLU 1,024 other ops.
        // 10,000 units: 1,474,560,000 MACs; 2,938,880,000 FLOPs; 23,040,000 params; 10,240,000 other ops.
        Compilation compilation = compile(10_000, "s = 1");
        assertThat(compilation).succeeded();
        assertThat(compilation).hadNoteContaining("[modelcost] test.Deep: 20,000 leaves, 1 block analyses");
        assertThat(compilation).generatedSourceFile("test.DeepCost").contentsAsUtf8String().contains("MACS = 1474560000L;");
        assertThat(compilation).generatedSourceFile("test.DeepCost").contentsAsUtf8String().contains("FLOPS = 2938880000L;");
        assertThat(compilation).generatedSourceFile("test.DeepCost").contentsAsUtf8String().contains("PARAMS = 23040000L;");
        assertThat(compilation).generatedSourceFile("test.DeepCost").contentsAsUtf8String().contains("OTHER_OPS = 10240000L;");
    }

    @Test
    void theStatsNoteOfAModelWithSizesSaysWhatItsClosedFormsTook() {
        // The closed forms compile the model again at other sizes: at least the 4 samples of a lattice beside the declared size.
        Compilation compilation = javac().withProcessors(new ModelCostProcessor()).withOptions("-Amodelcost.stats=true")
                .compile(JavaFileObjects.forSourceString("test.Net", """
                        package test;
                        import dev.modelcost.*;
                        @Model(input = {16, 8}, layout = "L,D", sizes = "L")
                        public class Net {
                            @Linear(out = 4) Layer fc;
                        }
                        """));
        assertThat(compilation).succeeded();
        String note = compilation.notes().stream().map(d -> d.getMessage(java.util.Locale.ROOT)).filter(m -> m.startsWith("[modelcost]"))
                .findFirst().orElseThrow();
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\\[modelcost\\] test\\.Net: 1 leaves, 0 block analyses, ([\\d.]+) ms; "
                + "closed forms ([\\d.]+) ms of it, with (\\d+) analyses at other sizes \\(([\\d.]+) ms, their counters and memory included\\)")
                .matcher(note);
        org.junit.jupiter.api.Assertions.assertTrue(matcher.matches(), note);
        org.junit.jupiter.api.Assertions.assertTrue(Double.parseDouble(matcher.group(2)) <= Double.parseDouble(matcher.group(1)), note);
        org.junit.jupiter.api.Assertions.assertTrue(Integer.parseInt(matcher.group(3)) >= 4, note);
        // The analyses are part of the closed forms' time, and take some of it.
        org.junit.jupiter.api.Assertions.assertTrue(Double.parseDouble(matcher.group(4)) <= Double.parseDouble(matcher.group(2)), note);
        org.junit.jupiter.api.Assertions.assertTrue(Double.parseDouble(matcher.group(4)) > 0, note);
        // Without sizes, the note says nothing of them.
        Compilation fixed = javac().withProcessors(new ModelCostProcessor()).withOptions("-Amodelcost.stats=true")
                .compile(JavaFileObjects.forSourceString("test.Net", """
                        package test;
                        import dev.modelcost.*;
                        @Model(input = {16, 8}, layout = "L,D")
                        public class Net {
                            @Linear(out = 4) Layer fc;
                        }
                        """));
        assertThat(fixed).hadNoteContaining("[modelcost] test.Net: 1 leaves, 0 block analyses, ");
        org.junit.jupiter.api.Assertions.assertTrue(fixed.notes().stream().noneMatch(d -> d.getMessage(java.util.Locale.ROOT).contains("closed forms")));
    }

    @Test
    void tenRepetitionsTakeTheSameSingleAnalysis() {
        Compilation compilation = compile(10, "s = 1");
        assertThat(compilation).succeeded();
        assertThat(compilation).hadNoteContaining("[modelcost] test.Deep: 20 leaves, 1 block analyses");
    }

    @Test
    void aStridedFirstRepetitionIsOneMoreDistinctAnalysis() {
        // The first unit strides 8x8 down to 4x4; the other 9,999 all see 16x4x4 with the same arguments.
        Compilation compilation = compile(10_000, "s = 2");
        assertThat(compilation).succeeded();
        assertThat(compilation).hadNoteContaining("[modelcost] test.Deep: 20,000 leaves, 2 block analyses");
        assertThat(compilation).generatedSourceFile("test.DeepCost").contentsAsUtf8String().contains("OUTPUT_SHAPE = \"1x16x4x4\";");
    }

    private static Compilation nested(int outer, int inner) {
        String source = """
                package test;

                import dev.modelcost.*;

                @Model(input = {4, 2, 2})
                public class Nest {
                    @Repeat(%d) Stage stages;

                    @Block
                    public static class Stage {
                        @Repeat(%d) Unit units;
                    }

                    @Block
                    public static class Unit {
                        @Conv2d(cout = 4, k = 1) Layer conv;
                        @ReLU Layer relu;
                    }
                }
                """.formatted(outer, inner);
        return javac().withProcessors(new ModelCostProcessor()).withOptions("-Amodelcost.stats=true")
                .compile(JavaFileObjects.forSourceString("test.Nest", source));
    }

    @Test
    void nestedRunsOfAMillionUnitsStayFoldedInEveryOutput() throws java.io.IOException {
        // One unit on 4x2x2: conv 1x1 4->4, K = 4, 16 outputs: 64 MACs, 16 * 8 = 128 FLOPs, 20 params; ReLU 16 other ops.
        // 1,000 stages of 1,000 units: 64,000,000 MACs; 128,000,000 FLOPs; 20,000,000 params; 16,000,000 other ops.
        Compilation compilation = nested(1_000, 1_000);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadNoteContaining("[modelcost] test.Nest: 2,000,000 leaves, 2 block analyses");
        String cost = ModelSources.generated(compilation, "test.NestCost");
        for (String constant : List.of("MACS = 64000000L;", "FLOPS = 128000000L;", "PARAMS = 20000000L;", "OTHER_OPS = 16000000L;",
                "LAYER_COUNT = 2000000;")) {
            org.junit.jupiter.api.Assertions.assertTrue(cost.contains(constant), constant);
        }
        // The layer table holds the two runs once each; read back, it lists every leaf under its own name.
        String table = dev.modelcost.processor.fuzz.CostFile.table(compilation, "test.Nest");
        org.junit.jupiter.api.Assertions.assertEquals(7, table.lines().count(), table);
        List<LayerCost> layers = LayerCost.readTable(new StringReader(table), "test.Nest");
        org.junit.jupiter.api.Assertions.assertEquals(2_000_000, layers.size());
        org.junit.jupiter.api.Assertions.assertEquals("stages.999.units.999.relu", layers.get(1_999_999).path());
        org.junit.jupiter.api.Assertions.assertEquals("stages.500.units.0.conv", layers.get(1_000_000).path());
        // The JSON report: the model's two fields... one stage run, its block, one unit run and the unit's two leaves.
        String json = compilation.generatedFile(StandardLocation.CLASS_OUTPUT, "META-INF/modelcost/test.Nest.json")
                .orElseThrow().getCharContent(true).toString();
        org.junit.jupiter.api.Assertions.assertEquals(2, json.split("\"repeat\"", -1).length - 1, json);
        org.junit.jupiter.api.Assertions.assertTrue(json.length() < 10_000, json.length() + " characters");
    }

    @Test
    void moreLeavesThanLayersCanListIsAnError() {
        // 50,000 x 50,000 units of two leaves: 5,000,000,000 leaves, over 2^31 - 1, which the stages' @Repeat passes alone.
        Compilation compilation = nested(50_000, 50_000);
        assertThat(compilation).hadErrorContaining("[MC428] stages: its 50,000 repetitions of Stage make 5,000,000,000 layers, more than the "
                + "2,147,483,647 a model may have").inFile(compilation.sourceFiles().get(0)).onLineContaining("Stage stages;");
        assertThat(compilation).hadErrorCount(1);
    }
}
