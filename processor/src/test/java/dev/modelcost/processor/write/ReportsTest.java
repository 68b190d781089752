package dev.modelcost.processor.write;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.modelcost.LayerCost;
import dev.modelcost.processor.ModelCostProcessor;
import dev.modelcost.processor.fuzz.CostFile;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/** The report files: JSON valid against its schema with hand-derived numbers, Markdown and HTML content, determinism. */
class ReportsTest {
    /**
     * conv: 1x8x8 -> 4x8x8 (3x3, padding 1): K = 9, 256 outputs: 2,304 MACs, 256 * 18 = 4,608 FLOPs, 4 * 9 + 4 = 40 params.
     * block "Stage" twice (relu 256 other ops each); flatten 256; fc 256 -> 10: 2,560 MACs, 10 * 512 = 5,120 FLOPs, 2,570 params.
     * Costs: 4,864 MACs; 9,728 FLOPs; 2,610 params; 512 other ops.
     * Bytes moved at fp32: conv reads 64 * 4 = 256 and its 160 weight bytes, writes 256 * 4 = 1,024 (1,440); each relu reads and
     * writes 1,024 (4,096 for both); flatten is a view (0); fc reads 1,024 and 2,570 * 4 = 10,280, writes 40 (11,344): 16,880.
     */
    private static final String NET = """
            package test;

            import dev.modelcost.*;

            @Model(input = {1, 8, 8})
            @Budget(maxMacs = 10_000)
            public class Net {
                @Conv2d(cout = 4, k = 3, padding = 1) Layer conv;
                @Repeat(2) Stage stage;
                @Flatten Layer flatten;
                @Linear(out = 10) Layer fc;

                @Block
                public static class Stage {
                    @ReLU Layer relu;
                }
            }
            """;

    private static Compilation compile() {
        return javac().withProcessors(new ModelCostProcessor()).compile(JavaFileObjects.forSourceString("test.Net", NET));
    }

    private static String resource(Compilation compilation, String name) throws IOException {
        return compilation.generatedFile(StandardLocation.CLASS_OUTPUT, "META-INF/modelcost/test.Net." + name)
                .orElseThrow(() -> new AssertionError("no " + name)).getCharContent(true).toString();
    }

    @Test
    void markdownShowsLayerPathsAsCode() throws IOException {
        // A path of a repetition's prefix that Markdown would read as markup (a tag, emphasis): shown literally, in a code span.
        Compilation compilation = javac().withProcessors(new ModelCostProcessor()).compile(JavaFileObjects.forSourceString("test.Net", """
                package test;

                import dev.modelcost.*;

                @Model(input = {8, 16}, layout = "L,D")
                public class Net {
                    @Repeat(value = 2, prefix = "x<b>_*") Unit units;
                    @Linear(out = 4) Layer _out;

                    @Block
                    static class Unit {
                        @Linear(out = 64) Layer lin;
                        @LayerNorm Layer norm;
                    }
                }
                """));
        assertThat(compilation).succeeded();
        String markdown = resource(compilation, "md");
        java.util.regex.Matcher peak = java.util.regex.Pattern.compile("\\| activation peak, while (\\S+) runs").matcher(markdown);
        assertTrue(peak.find() && peak.group(1).startsWith("`") && peak.group(1).endsWith("`"), markdown);
        java.util.regex.Matcher most = java.util.regex.Pattern.compile("- \\w+ differs most at (.*)").matcher(markdown);
        assertTrue(most.find(), markdown);
        assertTrue(most.group(1).startsWith("`units.x<b>_*0.norm` LayerNorm"), most.group(1));
    }

    @Test
    void markdownShowsNamesWrittenInTheModelAsWritten() throws IOException {
        // A hardware profile's name with a pipe, a line break, a tag, emphasis and a link: one cell of the table, shown literally; a
        // path's tag inside a code span stays as written there, and an underscore inside a word (PEAK_ACTIVATION_BYTES) as it is.
        Compilation compilation = javac().withProcessors(new ModelCostProcessor()).compile(JavaFileObjects.forSourceString("test.Net", """
                package test;

                import dev.modelcost.*;

                @Model(input = {8, 16}, layout = "L,D")
                @Roofline(hardware = "npu", custom = @Hardware(id = "npu", name = "a | b\\nc <b>x</b> *y* _z_ [e](f)", fp32 = 1, bandwidth = 10))
                public class Net {
                    @Repeat(value = 2, prefix = "x<b>_*") Unit units;

                    @Block
                    static class Unit {
                        @Linear(out = 64) Layer lin;
                    }
                }
                """));
        assertThat(compilation).succeeded();
        String markdown = resource(compilation, "md");
        assertTrue(markdown.contains("a \\| b c &lt;b&gt;x&lt;/b&gt; \\*y\\* \\_z\\_ \\[e\\](f)"), markdown);
        assertFalse(markdown.contains("<b>x</b>"), markdown);
        String table = markdown.lines().filter(line -> line.contains("a \\| b")).findFirst().orElseThrow();
        String heading = markdown.lines().filter(line -> line.startsWith("|---|---|---:|---:|---:|---:|")).findFirst().orElseThrow();
        assertEquals(heading.chars().filter(c -> c == '|').count(), table.replace("\\|", "").chars().filter(c -> c == '|').count(), table);
        assertTrue(markdown.contains("`units.x<b>_*0.lin`"), markdown);
        assertTrue(markdown.contains("| PEAK_ACTIVATION_BYTES |") || markdown.contains("(PEAK_ACTIVATION_BYTES)"), markdown);
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonReportListsEveryInput() throws IOException {
        // An encoder's token ids and a decoder's embedded queries: both inputs, in order, with their layouts; "input" is the first.
        Compilation compilation = javac().withProcessors(new ModelCostProcessor()).compile(JavaFileObjects.forSourceString("test.Net", """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "ids", shape = {12}, layout = "L", tokens = true), @Input(name = "queries", shape = {5, 16}, layout = "L,D")})
                public class Net {
                    @From("ids") @Embedding(numEmbeddings = 100, embeddingDim = 16) Layer embed;
                    @From({"queries", "embed", "embed"}) @MultiheadAttention(numHeads = 2, batchFirst = true) Layer attn;
                }
                """));
        assertThat(compilation).succeeded();
        Map<String, Object> schema = (Map<String, Object>) MiniJson.parse(Files.readString(Path.of("../docs/report.schema.json")));
        Map<String, Object> report = (Map<String, Object>) MiniJson.parse(resource(compilation, "json"));
        assertEquals(List.of(), MiniJson.validate(report, schema, schema, "$"));
        assertEquals(List.of(12L), report.get("input"));
        assertEquals(List.of(Map.of("name", "ids", "shape", List.of(12L), "layout", List.of("L"), "tokens", true),
                Map.of("name", "queries", "shape", List.of(5L, 16L), "layout", List.of("L", "D"), "tokens", false)), report.get("inputs"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonReportIsValidAgainstItsSchemaAndStatesTheHandDerivedFigures() throws IOException {
        Compilation compilation = compile();
        assertThat(compilation).succeeded();
        Map<String, Object> schema = (Map<String, Object>) MiniJson.parse(Files.readString(Path.of("../docs/report.schema.json")));
        Map<String, Object> report = (Map<String, Object>) MiniJson.parse(resource(compilation, "json"));
        assertEquals(List.of(), MiniJson.validate(report, schema, schema, "$"));

        // A CNN: every parameter active, no embeddings, no KV cache, and (no sequence axis) a decoding step is the whole network.
        assertEquals(Map.ofEntries(Map.entry("macs", 4_864L), Map.entry("flops", 9_728L), Map.entry("params", 2_610L), Map.entry("buffers", 0L),
                Map.entry("otherOps", 512L), Map.entry("activeParams", 2_610L), Map.entry("embeddingParams", 0L), Map.entry("nonEmbeddingParams", 2_610L), Map.entry("kvCache", 0L),
                Map.entry("kvCacheBytes", 0L), Map.entry("decodeMacs", 4_864L), Map.entry("matmulMacs", 0L),
                Map.entry("weightBytes", 4 * 2_610L), // fp32: 4 bytes a parameter
                Map.entry("bytesMoved", 1_440L + 4_096L + 0L + 11_344L)), report.get("totals"));
        assertEquals(List.of(10L), report.get("output"));
        assertEquals(List.of(Map.of("name", "input", "shape", List.of(1L, 8L, 8L), "layout", List.of("C", "H", "W"), "tokens", false)), report.get("inputs"));
        assertEquals(List.of(Map.of("figure", "MACS", "attribute", "maxMacs", "limit", 10_000L, "value", 4_864L)), report.get("budget"));
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) report.get("nodes");
        // The two repetitions of Stage are the same analysed block: one node with its count, then the first one's inside.
        assertEquals(List.of("conv", "stage", "stage.0", "stage.0.relu", "flatten", "fc"),
                nodes.stream().map(n -> n.get("path")).toList());
        assertEquals("Stage x2", nodes.get(1).get("kind"));
        assertEquals(Map.of("count", 2L, "prefix", "", "first", 0L), nodes.get(2).get("repeat"));
        assertEquals(256L, nodes.get(2).get("otherOps"), "one repetition's totals");
        assertEquals(3L, nodes.get(3).get("depth"));
        assertTrue(nodes.stream().filter(n -> n != nodes.get(2)).noneMatch(n -> n.containsKey("repeat")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void boundsOnMemoryAndLatencyAreReportedWithTheOthers() throws IOException {
        // A Linear 256 -> 256 on 1 x 256: 65,792 parameters, 263,168 bytes of fp32 weights.
        String net = """
                package test;

                import dev.modelcost.*;

                @Model(input = {256})
                @Budget(maxParams = 100_000, maxPeakActivationBytes = 4_096, maxInferenceMemoryBytes = 1_000_000, maxTrainingMemoryBytes = 10_000_000,
                        maxLatencySeconds = 0.001, hardware = "a100-sxm-80gb")
                @Training(batch = 1)
                public class Net {
                    @Linear(out = 256) Layer fc;
                }
                """;
        Compilation compilation = javac().withProcessors(new ModelCostProcessor()).withOptions("-Amodelcost.summary=true")
                .compile(JavaFileObjects.forSourceString("test.Net", net));
        assertThat(compilation).succeeded();
        Map<String, Object> schema = (Map<String, Object>) MiniJson.parse(Files.readString(Path.of("../docs/report.schema.json")));
        Map<String, Object> report = (Map<String, Object>) MiniJson.parse(resource(compilation, "json"));
        assertEquals(List.of(), MiniJson.validate(report, schema, schema, "$"));
        List<Map<String, Object>> budget = (List<Map<String, Object>>) report.get("budget");
        assertEquals(List.of("PARAMS", "PEAK_ACTIVATION_BYTES", "INFERENCE_MEMORY_BYTES", "TRAINING_MEMORY_BYTES", "LATENCY_SECONDS"),
                budget.stream().map(b -> b.get("figure")).toList());
        // The peak: the input and the output, 256 x 4 bytes each, while fc runs.
        assertEquals(Map.of("figure", "PEAK_ACTIVATION_BYTES", "attribute", "maxPeakActivationBytes", "limit", 4_096L, "value", 2_048L), budget.get(1));
        assertEquals("a100-sxm-80gb", budget.get(4).get("hardware"));
        assertEquals(0.001, budget.get(4).get("limit"));
        // The same bounds in the summary and in the memory table: 2,048 of 4,096.
        assertThat(compilation).hadNoteContaining("PEAK_ACTIVATION_BYTES 50.0% of budget");
        assertThat(compilation).hadNoteContaining("LATENCY_SECONDS on a100-sxm-80gb ");
        assertTrue(resource(compilation, "md").contains("(PEAK_ACTIVATION_BYTES), 50.0% of the budget 4,096 |"), resource(compilation, "md"));
    }

    @Test
    void schemaValidationRejectsAWrongReport() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> schema = (Map<String, Object>) MiniJson.parse(Files.readString(Path.of("../docs/report.schema.json")));
        Object broken = MiniJson.parse("{\"format\":\"modelcost-report\",\"version\":1,\"model\":\"x\",\"batch\":0}");
        List<String> problems = MiniJson.validate(broken, schema, schema, "$");
        assertTrue(problems.contains("$: missing nodes"), problems.toString());
        assertTrue(problems.contains("$.version: expected 3 but found 1"), problems.toString());
        assertTrue(problems.contains("$.batch: 0 is below 1"), problems.toString());
    }

    @Test
    void markdownAndHtmlShowTheTableAndTheChart() throws IOException {
        Compilation compilation = compile();
        String markdown = resource(compilation, "md");
        assertTrue(markdown.contains("| MACS | 4,864 | 48.6% of 10,000 |"), markdown);
        // fc: 2,560 of 4,864 MACs = 52.6%.
        assertTrue(markdown.contains("| `fc` | Linear | 1x10 | 2,570 | 2,560 | 0 | 52.6% |"), markdown);
        String html = resource(compilation, "html");
        assertTrue(html.startsWith("<!DOCTYPE html>"), html);
        assertTrue(html.contains("<svg"), "inline chart");
        assertTrue(html.contains("<title>macs 2,560 (52.6%)</title>"), html);
        assertTrue(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"),
                "self-contained: no scripts, no external resources");
    }

    @Test
    void theLiveChartMentionsAFoldedRunOnlyWhereThereIsOne() throws IOException {
        // Two repetitions are drawn one by one; twenty as the first and a second standing for the other nineteen.
        assertTrue(resource(compile(), "html").contains(">layers in execution order</text>"), resource(compile(), "html"));
        Compilation folded = javac().withProcessors(new ModelCostProcessor())
                .compile(JavaFileObjects.forSourceString("test.Net", NET.replace("@Repeat(2)", "@Repeat(20)")));
        assertTrue(resource(folded, "html").contains(">layers in execution order (a long run of repetitions: its first two)</text>"),
                resource(folded, "html"));
    }

    @Test
    void aProfileWhoseNameEndsInParenthesesTakesItsIdInsideThem() throws IOException {
        Compilation compilation = javac().withProcessors(new ModelCostProcessor()).compile(JavaFileObjects.forSourceString("test.Net",
                NET.replace("@Budget(maxMacs = 10_000)", "@Budget(maxMacs = 10_000)\n@Roofline(hardware = {\"jetson-agx-orin-64gb\", \"l4\"})")));
        String markdown = resource(compilation, "md");
        assertTrue(markdown.contains("| NVIDIA Jetson AGX Orin 64GB (GPU only; jetson-agx-orin-64gb) |"), markdown);
        assertTrue(markdown.contains("| NVIDIA L4 (l4) |"), markdown);
        assertFalse(markdown.contains(") ("), markdown);
        String cost = compilation.generatedSourceFile("test.NetCost").orElseThrow().getCharContent(true).toString();
        assertTrue(cost.contains("one forward pass on NVIDIA Jetson AGX Orin 64GB (GPU only; fp32 5.3 TFLOP/s"), cost);
    }

    @Test
    void sizesInPiecesShowEachFormOnceWhereThePiecesAgree() throws IOException {
        // A causal window of 32 over L positions, 2 heads of 16: the cache keeps 2·L·(16 + 16) elements up to 32 positions, 2,048
        // from there; the dense MACs, 2·L·L·(16 + 16), are one form on both pieces.
        Compilation compilation = javac().withProcessors(new ModelCostProcessor()).compile(JavaFileObjects.forSourceString("test.Net", """
                package test;

                import dev.modelcost.*;

                @Model(input = {2, 64, 16}, layout = "H,L,E", sizes = "L")
                public class Net {
                    @From({"input", "input", "input"}) @ScaledDotProductAttention(isCausal = true, slidingWindow = 32) Layer attn;
                }
                """));
        String markdown = resource(compilation, "md");
        assertTrue(markdown.contains("| MACS | `64·L²` |"), markdown);
        // The second piece runs to the end of the domain, where the attention's cost passes 64 bits.
        java.util.regex.Matcher end = java.util.regex.Pattern.compile("They hold for L from 1 to ([0-9,]+) ").matcher(markdown);
        assertTrue(end.find(), markdown);
        assertTrue(markdown.contains("| KV_CACHE | `64·L (L from 1 to 31); 2,048 (L from 32 to " + end.group(1) + ")` |"), markdown);
    }

    @Test
    void theLatencyBudgetAndARangeOfSizesAreReported() throws IOException {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {16, 32}, layout = "L,D"%s)
                @Budget(%s)
                @Roofline(hardware = "l4")
                public class Net {
                    @Linear(out = 64) Layer fc;
                }
                """;
        Compilation range = javac().withProcessors(new ModelCostProcessor()).compile(JavaFileObjects.forSourceString("test.Net",
                text.formatted(", sizes = \"L\"", "maxMacs = 2_048_000, over = \"L = 1..1000\"")));
        // Linear(32, 64) on 16 positions: 32,768 MACs, 1.6% of the bound at the declared size, and within it up to L = 1,000 (2,048,000).
        assertTrue(resource(range, "md").contains("| MACS | 32,768 | 1.6% of 2,048,000; within it at every size of L = 1..1000 |"), resource(range, "md"));
        Compilation latency = javac().withProcessors(new ModelCostProcessor()).compile(JavaFileObjects.forSourceString("test.Net",
                text.formatted("", "maxLatencySeconds = 1, hardware = \"l4\"")));
        assertTrue(resource(latency, "md").contains("% of the budget maxLatencySeconds = 1 s."), resource(latency, "md"));
        assertTrue(resource(latency, "html").contains("% of the budget maxLatencySeconds = 1 s."));
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachBoundOfRepeatedBudgetsIsReportedWithItsOwnRange() throws IOException {
        // Linear(32, 64) on 16 positions: 32,768 MACs; 2,112 parameters. The MACs hold over L = 1..1000, the parameters and the latency
        // bound over L = 1..8 (latency on a profile of 1 TFLOP/s and 1 GB/s, 8,448 + 384 x 16 = 14,592 ns at the declared size).
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {16, 32}, layout = "L,D", sizes = "L")
                @Budget(maxMacs = 2_048_000, over = "L = 1..1000")
                @Budget(maxParams = 10_000, maxLatencySeconds = 1e-3, over = "L = 1..8")
                @Roofline(hardware = "t", custom = @Hardware(id = "t", name = "T", fp32 = 1, bandwidth = 1, source = "round numbers"))
                public class Net {
                    @Linear(out = 64) Layer fc;
                }
                """;
        Compilation compilation = javac().withProcessors(new ModelCostProcessor()).compile(JavaFileObjects.forSourceString("test.Net", text));
        assertThat(compilation).succeeded();
        Map<String, Object> schema = (Map<String, Object>) MiniJson.parse(Files.readString(Path.of("../docs/report.schema.json")));
        Map<String, Object> report = (Map<String, Object>) MiniJson.parse(resource(compilation, "json"));
        assertEquals(List.of(), MiniJson.validate(report, schema, schema, "$"));
        List<Map<String, Object>> budget = (List<Map<String, Object>>) report.get("budget");
        assertEquals(List.of("MACS:L = 1..1000:32768", "PARAMS:L = 1..8:2112", "LATENCY_SECONDS:L = 1..8:1.4592E-5"),
                budget.stream().map(b -> b.get("figure") + ":" + b.get("over") + ":" + b.get("value")).toList());
        String md = resource(compilation, "md");
        assertTrue(md.contains("| MACS | 32,768 | 1.6% of 2,048,000; within it at every size of L = 1..1000 |"), md);
        assertTrue(md.contains("of 10,000; within it at every size of L = 1..8 |"), md);
        assertTrue(md.contains("% of the budget maxLatencySeconds = 1 ms; within it at every size of L = 1..8."), md);
    }

    @Test
    void aBudgetInACountersConventionIsShownAsThatCountersShare() throws IOException {
        // Linear 100 -> 10 and BatchNorm1d(10): MACs 1,000; thop 1,000 + 4 x 10 = 1,040, 80.0% of 1,300 (modelcost's would be 76.9%)
        String text = "package test;\n\nimport dev.modelcost.*;\n\n@Model(input = {100})\n@Budget(maxMacs = 1_300, counter = \"thop\")\n"
                + "public class Net {\n    @Linear(out = 10) Layer fc;\n    @BatchNorm1d Layer bn;\n}\n";
        Compilation compilation = javac().withProcessors(new ModelCostProcessor()).withOptions("-Amodelcost.summary=true")
                .compile(JavaFileObjects.forSourceString("test.Net", text));
        assertThat(compilation).hadNoteContaining("THOP_MACS 80.0% of budget");
        assertTrue(resource(compilation, "md").contains("| MACS | 1,000 | 80.0% of 1,300 in THOP_MACS |"), resource(compilation, "md"));
        assertTrue(resource(compilation, "html").contains("80.0% of 1,300 in THOP_MACS"));
        assertTrue(resource(compilation, "json").contains("\"counter\":\"thop\",\"value\":1040"), resource(compilation, "json"));
    }

    @Test
    void summaryOptionPrintsOneNotePerModel() {
        Compilation compilation = javac().withProcessors(new ModelCostProcessor()).withOptions("-Amodelcost.summary=true")
                .compile(JavaFileObjects.forSourceString("test.Net", NET));
        assertThat(compilation).hadNoteContaining(
                "[modelcost] Net: 1x1x8x8 -> 1x10, params 2,610, MACs 4,864, FLOPs 9,728, MACS 48.6% of budget");
    }

    @Test
    void reportsCanBeTurnedOffButTheLayerTableStays() {
        Compilation compilation = javac().withProcessors(new ModelCostProcessor()).withOptions("-Amodelcost.reports=false")
                .compile(JavaFileObjects.forSourceString("test.Net", NET));
        assertThat(compilation).succeeded();
        assertEquals(List.of(), reportFiles(compilation));
        // conv, stage.0.relu, stage.1.relu, flatten, fc: a small table, held by the class itself.
        assertEquals(5, CostFile.rows(CostFile.table(compilation, "test.Net")).size());
    }

    @Test
    void reportsCanBeChosenOneByOne() {
        Compilation compilation = javac().withProcessors(new ModelCostProcessor()).withOptions("-Amodelcost.reports=json, html")
                .compile(JavaFileObjects.forSourceString("test.Net", NET));
        assertThat(compilation).succeeded();
        assertEquals(List.of("META-INF/modelcost/test.Net.html", "META-INF/modelcost/test.Net.json"), reportFiles(compilation));
    }

    @Test
    void anUnknownOrEmptyReportsValueWarnsAndWritesThemAll() {
        // javac gives -Amodelcost.reports= as a null value: it warns as an unknown one does.
        for (String value : new String[] {"pdf", ""}) {
            Compilation compilation = javac().withProcessors(new ModelCostProcessor()).withOptions("-Amodelcost.reports=" + value)
                    .compile(JavaFileObjects.forSourceString("test.Net", NET));
            assertThat(compilation).succeeded();
            assertThat(compilation).hadWarningContaining((value.isEmpty() ? "-Amodelcost.reports without a value" : "-Amodelcost.reports=" + value)
                    + " is not all, none or a list of json, md and html; writing all reports");
            assertEquals(3, reportFiles(compilation).size(), value);
        }
    }

    @Test
    void optionsOutsideTheirValuesWarn() {
        Compilation compilation = javac().withProcessors(new ModelCostProcessor())
                .withOptions("-Amodelcost.summary=yes", "-Amodelcost.depth=-3", "-Amodelcost.stats=TRUE")
                .compile(JavaFileObjects.forSourceString("test.Net", NET));
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningContaining("-Amodelcost.summary=yes is not true or false; using false");
        assertThat(compilation).hadWarningContaining("-Amodelcost.depth=-3 is not a whole number from 1 to 2147483647; using 3");
        // Any case of true is true: the stats note is there.
        assertThat(compilation).hadNoteContaining("[modelcost] test.Net:");
        assertThat(javac().withProcessors(new ModelCostProcessor()).withOptions("-Amodelcost.depth=99999999999")
                .compile(JavaFileObjects.forSourceString("test.Net", NET))).hadWarningContaining("-Amodelcost.depth=99999999999 is not a whole number");
        // Digits of another script are no number here, as in expressions (Integer.parseInt would take them).
        assertThat(javac().withProcessors(new ModelCostProcessor()).withOptions("-Amodelcost.depth=\u0663")
                .compile(JavaFileObjects.forSourceString("test.Net", NET))).hadWarningContaining("is not a whole number from 1 to 2147483647; using 3");
        // The depth written alone, or with an empty value, warns as a bad one does.
        for (String option : new String[] {"-Amodelcost.depth", "-Amodelcost.depth="}) {
            assertThat(javac().withProcessors(new ModelCostProcessor()).withOptions(option).compile(JavaFileObjects.forSourceString("test.Net", NET)))
                    .hadWarningContaining("-Amodelcost.depth without a value is not a whole number from 1 to 2147483647; using 3");
        }
        // Written alone, a flag is on.
        assertThat(javac().withProcessors(new ModelCostProcessor()).withOptions("-Amodelcost.stats")
                .compile(JavaFileObjects.forSourceString("test.Net", NET))).hadNoteContaining("[modelcost] test.Net:");
    }

    /** The files under META-INF/modelcost/ but for the blocks' field orders, sorted. */
    private static List<String> reportFiles(Compilation compilation) {
        return compilation.generatedFiles().stream().map(f -> f.toUri().getPath())
                .filter(p -> p.contains("/META-INF/modelcost/") && !p.contains("/META-INF/modelcost/blocks/") && !p.contains("/META-INF/modelcost/users/"))
                .map(p -> p.substring(p.indexOf("META-INF/"))).sorted().toList();
    }

    @Test
    void tablesOfAHugeModelFoldRunsOfRepetitionsUntilTheyFit() throws IOException {
        // 3,000 repetitions of a one-leaf block: depth 3 would list 1 + 3,000 + 3,000 rows, over 1,000. The
        // repetitions are the same analysed block, so they fold into one row and the depth stays.
        String source = NET.replace("@Repeat(2) Stage stage;", "@Repeat(3000) Stage stage;");
        Compilation compilation = javac().withProcessors(new ModelCostProcessor()).compile(JavaFileObjects.forSourceString("test.Net", source));
        assertThat(compilation).succeeded();
        String markdown = resource(compilation, "md");
        assertTrue(markdown.contains("## Layers (to depth 3; identical repetitions in one row)"), markdown);
        assertEquals(5, markdown.lines().filter(line -> line.startsWith("| `")).count(), "conv, stage, its run, flatten, fc");
        // 3,000 ReLUs of 256 outputs: 768,000 other ops, no MACs or params.
        assertTrue(markdown.contains("| `stage.{0..2999}` | Stage x3000 | 1x4x8x8 | 0 | 0 | 0 | 0.0% |"), markdown);
        String html = resource(compilation, "html");
        long bars = html.lines().filter(line -> line.startsWith("<rect class=\"macs\" x=\"300\" y=\"") && !line.contains("y=\"6\"")).count();
        assertTrue(bars >= 1 && bars <= HtmlReport.CHART_MAX_ROWS, bars + " bars");
        // The layer table holds the run once, and LAYERS still lists every leaf: conv, 3,000 ReLUs, flatten, fc.
        String table = CostFile.table(compilation, "test.Net");
        assertEquals(7, table.lines().count(), table);
        List<LayerCost> layers = LayerCost.readTable(new StringReader(table), "test.Net");
        assertEquals(3_003, layers.size());
        assertEquals("stage.0.relu", layers.get(1).path());
        assertEquals("stage.2999.relu", layers.get(3_000).path());
        assertEquals("fc", layers.get(3_002).path());
        assertEquals(3_000 * 256L, layers.stream().filter(l -> l.kind().equals("ReLU")).mapToLong(LayerCost::otherOps).sum());
    }

    @Test
    void aModelWithMoreOwnFieldsThanATableHoldsListsThemAllAtDepthOne() throws IOException {
        // 2,000 ReLU fields: nothing to fold, and depth 1 is as shallow as a table goes.
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            fields.append("    @ReLU Layer r").append(i).append(";\n");
        }
        String source = """
                package test;

                import dev.modelcost.*;

                @Model(input = {4})
                public class Net {
                %s}
                """.formatted(fields);
        Compilation compilation = javac().withProcessors(new ModelCostProcessor()).compile(JavaFileObjects.forSourceString("test.Net", source));
        assertThat(compilation).succeeded();
        String markdown = resource(compilation, "md");
        assertTrue(markdown.contains("## Layers (to depth 1)\n"), markdown);
        assertEquals(2_000, markdown.lines().filter(line -> line.startsWith("| `")).count());
        // 2,000 rows of about 25 characters are more than the class holds: LAYERS reads them from a resource.
        assertTrue(reportFiles(compilation).contains("META-INF/modelcost/test.Net.layers.tsv"));
        List<LayerCost> layers = CostFile.rows(CostFile.table(compilation, "test.Net"));
        assertEquals(2_000, layers.size());
        assertEquals("r1999", layers.get(1_999).path());
    }

    @Test
    void compilingTwiceGivesByteIdenticalOutput() throws IOException {
        assertEquals(contents(compile()), contents(compile()));
    }

    private static Map<String, String> contents(Compilation compilation) throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (JavaFileObject file : compilation.generatedFiles()) {
            if (file.getKind() != JavaFileObject.Kind.CLASS) {
                files.put(file.toUri().toString(), new String(file.openInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        // The Cost class (holding its small layer table), the three reports, the field order of the block Stage and its users.
        assertEquals(6, files.size(), files.keySet().toString());
        return files;
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDecodersReportsShowItsDecodingStepNextToTheForwardPass() throws IOException {
        // nn.MultiheadAttention(8, 2 heads, causal) on 8 positions, then Linear(8 -> 16), on a profile of fp32 1 TFLOP/s and 1 GB/s.
        // One step (DecodeRooflineTest derives it): attention moves 1,504 bytes, the head 672, both memory-bound: 2.176 µs.
        String net = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8, 8}, layout = "L,E")
                @Roofline(hardware = "t", custom = @Hardware(id = "t", name = "T", fp32 = 1, bandwidth = 1, source = "round numbers"))
                public class Net {
                    @MultiheadAttention(embedDim = 8, numHeads = 2, isCausal = true) Layer attn;
                    @Linear(out = 16) Layer head;
                }
                """;
        Compilation compilation = javac().withProcessors(new ModelCostProcessor()).withOptions("-Amodelcost.summary=true")
                .compile(JavaFileObjects.forSourceString("test.Net", net));
        assertThat(compilation).succeeded();
        // The summary line gives the decoder's KV cache and one step's MACs: keys and values of 8 positions x 8 features, 2 x 64 fp16
        // elements = 256 bytes; the new token's q, k and v 3 x 8 x 8 = 192, its 2 heads' scores and sums over 8 keys 2 x 2 x 4 x 8
        // = 128, out_proj 64, head 8 x 16 = 128: 512.
        assertThat(compilation).hadNoteContaining(", KV cache 256 bytes, decode MACs 512");
        Map<String, Object> schema = (Map<String, Object>) MiniJson.parse(Files.readString(Path.of("../docs/report.schema.json")));
        Map<String, Object> report = (Map<String, Object>) MiniJson.parse(resource(compilation, "json"));
        assertEquals(List.of(), MiniJson.validate(report, schema, schema, "$"));
        List<Map<String, Object>> decode = (List<Map<String, Object>>) report.get("decodeRoofline");
        assertEquals(1, decode.size());
        assertEquals("t", decode.get(0).get("hardware"));
        assertEquals(2_176e-9, (Double) decode.get(0).get("seconds"), 1e-20);
        assertEquals(2L, decode.get(0).get("memoryLayers"));
        String md = resource(compilation, "md");
        assertTrue(md.contains("### One decoding step"), md);
        assertTrue(md.contains("| T (t) | fp32 1 TFLOP/s | 1 GB/s | 2.176 \u00b5s |"), md);
        assertTrue(resource(compilation, "html").contains("<h3>One decoding step</h3>"));
        // A model without a decoding step of its own (an image model, whose step would be its whole pass) has no such member.
        assertTrue(!((Map<String, Object>) MiniJson.parse(resource(compile(), "json"))).containsKey("decodeRoofline"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aLongRunFoldedIntoOneRowShowsItsPeakNotItsFirstRepetitions() throws IOException {
        // 17 linear layers of 4 features: while the first runs, the model's input (16 bytes), which is its input, and its output (16)
        // are alive, 32 bytes; while any later one runs, the model's input, its own input (the output before) and its output, 48.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {4})
                public class Net {
                    @Repeat(17) B h;

                    @Block
                    public static class B {
                        @Linear(out = 4) Layer fc;
                    }
                }
                """;
        Compilation compilation = javac().withProcessors(new ModelCostProcessor()).compile(JavaFileObjects.forSourceString("test.Net", text));
        assertThat(compilation).succeeded();
        String md = resource(compilation, "md");
        String row = md.lines().filter(line -> line.startsWith("| `h.{0..16}`")).findFirst().orElseThrow(() -> new AssertionError(md));
        assertTrue(row.endsWith("| 48 |"), row);
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) ((Map<String, Object>) MiniJson.parse(resource(compilation, "json"))).get("nodes");
        Map<String, Object> run = nodes.stream().filter(node -> node.get("path").equals("h.0")).findFirst().orElseThrow();
        Map<String, Object> inside = nodes.stream().filter(node -> node.get("path").equals("h.0.fc")).findFirst().orElseThrow();
        assertEquals(48L, ((Number) run.get("liveBytes")).longValue());
        assertEquals(48L, ((Number) inside.get("liveBytes")).longValue());
    }
}
