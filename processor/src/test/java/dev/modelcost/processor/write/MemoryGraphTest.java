package dev.modelcost.processor.write;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.modelcost.processor.ModelCostProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.StandardLocation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An independent simulation of live memory over the JSON report's flat graph: no blocks, no
 * memo, only paths. A tensor dies after its last reader, or, where the reader runs inside a block
 * that does not contain the tensor's writer, after the outermost such block (its caller holds the
 * block's inputs); the model's inputs and output live throughout. Its peak must be the report's.
 */
class MemoryGraphTest {
    private static final String HEADER = "package test;\n\nimport dev.modelcost.*;\n\n";

    @SuppressWarnings("unchecked")
    @ParameterizedTest
    @ValueSource(strings = {
        // torchvision's BasicBlock three times, the first projecting, in a stage
        "@Model(input = {16, 32, 32}) public class Net {"
                + " @Conv2d(cout = 32, k = 3, padding = 1) Layer stem; @BatchNorm2d Layer bn; @ReLU(inplace = true) Layer relu;"
                + " @MaxPool2d(k = 2) Layer pool;"
                + " @Repeat(value = 3, first = \"stride = 2\") @Args(\"cout = 64\") Basic layer1;"
                + " @AdaptiveAvgPool2d(1) Layer avg; @Flatten Layer flatten; @Linear(out = 10) Layer fc;"
                + " @Block static class Basic { @Param int cout; @Param(1) int stride;"
                + "  @Conv2d(k = 3, padding = 1, bias = false, with = \"cout = cout, stride = stride\") Layer conv1; @BatchNorm2d Layer bn1;"
                + "  @ReLU(inplace = true) Layer relu1; @Conv2d(k = 3, padding = 1, bias = false, with = \"cout = cout\") Layer conv2;"
                + "  @BatchNorm2d Layer bn2; @From(\"input\") @When(\"stride != 1 || in != cout\") @Conv2d(k = 1, with = \"cout = cout, stride = stride\") Layer down;"
                + "  @Add(value = {\"bn2\", \"down\"}, inplace = true) Layer add; @ReLU(inplace = true) Layer relu; } }",
        // an Inception block beside a plain layer
        "@Model(input = {16, 8, 8}) public class Net { @Conv2d(cout = 16, k = 1) Layer pre; Inception block; @ReLU Layer post;"
                + " @Block static class Inception { @Conv2d(cout = 8, k = 1) Layer b1; @From(\"input\") @Conv2d(cout = 4, k = 1) Layer b2a;"
                + "  @Conv2d(cout = 8, k = 3, padding = 1) Layer b2b; @From(\"input\") @MaxPool2d(k = 3, stride = 1, padding = 1) Layer b3a;"
                + "  @Conv2d(cout = 8, k = 1) Layer b3b; @Concat({\"b1\", \"b2b\", \"b3b\"}) Layer cat; } }",
        // a decoder block of attention and an MLP, repeated twenty times (a long run)
        "@Model(input = {64, 128}, layout = \"L,D\") public class Net { @Repeat(20) Block1 layers; @LayerNorm Layer norm;"
                + " @Block static class Block1 { @LayerNorm Layer ln1; @MultiheadAttention(numHeads = 4, batchFirst = true) Layer attn;"
                + "  @Add({\"input\", \"attn\"}) Layer res1; @LayerNorm Layer ln2; @Linear(out = 512) Layer up; @GELU Layer act;"
                + "  @Linear(out = 128) Layer down; @Dropout(p = 0.1) Layer drop; @Add({\"res1\", \"drop\"}) Layer res2; } }",
        // two pre-norm encoder layers PyTorch runs fused, whose residual additions write into the branch's result, not the input
        "@Model(input = {16, 256}, layout = \"L,D\") public class Net { Enc l0; Enc l1;"
                + " @Block @FastPath static class Enc { @LayerNorm Layer norm1; @MultiheadAttention(numHeads = 8, batchFirst = true) Layer attn;"
                + "  @Add({\"input\", \"attn\"}) Layer res1; @LayerNorm Layer norm2; @Linear(out = 1024) Layer up; @ReLU Layer act;"
                + "  @Linear(out = 256) Layer down; @Add({\"res1\", \"down\"}) Layer res2; } }"})
    void theReportsPeakIsTheSimulatedOne(String model) throws IOException {
        Compilation compilation = javac().withProcessors(new ModelCostProcessor()).compile(JavaFileObjects.forSourceString("test.Net", HEADER + model));
        assertThat(compilation).succeeded();
        String text = compilation.generatedFile(StandardLocation.CLASS_OUTPUT, "META-INF/modelcost/test.Net.json").orElseThrow()
                .getCharContent(true).toString();
        Map<String, Object> report = (Map<String, Object>) MiniJson.parse(text);
        Map<String, Object> schema = (Map<String, Object>) MiniJson.parse(Files.readString(Path.of("../docs/report.schema.json")));
        assertEquals(List.of(), MiniJson.validate(report, schema, schema, "$"));
        Map<String, Object> graph = (Map<String, Object>) report.get("graph");
        Map<String, Object> memory = (Map<String, Object>) report.get("memory");
        long[] simulated = simulate(graph);
        assertEquals(((Number) memory.get("peakActivationBytes")).longValue(), simulated[0]);
        List<Map<String, Object>> steps = (List<Map<String, Object>>) graph.get("steps");
        assertEquals(memory.get("peakLayer"), steps.get((int) simulated[1]).get("path"));
    }

    /** The peak and the step it is first reached at. */
    @SuppressWarnings("unchecked")
    private static long[] simulate(Map<String, Object> graph) {
        List<Object> inputs = (List<Object>) graph.get("inputs");
        List<Map<String, Object>> steps = (List<Map<String, Object>>) graph.get("steps");
        int n = steps.size();
        // a tensor id to its storage: a model input (-1 - k), or the step that allocated it
        Map<Long, Long> storage = new HashMap<>();
        Map<Long, Long> bytes = new HashMap<>();
        Map<Long, String> writer = new HashMap<>();
        Map<Long, Integer> born = new HashMap<>();
        Map<Long, Integer> dies = new HashMap<>();
        for (int k = 0; k < inputs.size(); k++) {
            long id = -1 - k;
            storage.put(id, id);
            bytes.put(id, ((Number) inputs.get(k)).longValue());
            born.put(id, -1);
            dies.put(id, n);
        }
        for (int i = 0; i < n; i++) {
            Map<String, Object> step = steps.get(i);
            List<Object> reads = (List<Object>) step.get("reads");
            String path = (String) step.get("path");
            for (Object read : reads) {
                long s = storage.get(((Number) read).longValue());
                dies.merge(s, lastStep(steps, i, path, writer.get(s)), Math::max);
            }
            int alias = ((Number) step.get("alias")).intValue();
            if (alias >= 0) {
                storage.put((long) i, storage.get(((Number) reads.get(alias)).longValue()));
            } else {
                storage.put((long) i, (long) i);
                bytes.put((long) i, ((Number) step.get("bytes")).longValue());
                writer.put((long) i, path);
                born.put((long) i, i);
                dies.merge((long) i, i, Math::max);
            }
        }
        dies.put(storage.get(((Number) graph.get("output")).longValue()), n);
        long peak = -1;
        long at = -1;
        for (int i = 0; i < n; i++) {
            long live = ((Number) steps.get(i).get("scratch")).longValue();
            for (Map.Entry<Long, Long> entry : bytes.entrySet()) {
                if (born.get(entry.getKey()) <= i && dies.get(entry.getKey()) >= i) {
                    live += entry.getValue();
                }
            }
            if (live > peak) {
                peak = live;
                at = i;
            }
        }
        return new long[] {peak, at};
    }

    /**
     * The last step that holds a tensor read at step {@code reader}: the end of the outermost block
     * (a prefix of the reader's path) that does not contain the writer, or the reader itself.
     */
    private static int lastStep(List<Map<String, Object>> steps, int reader, String path, String writer) {
        List<String> blocks = new ArrayList<>();
        String[] parts = path.split("\\.");
        StringBuilder prefix = new StringBuilder();
        for (int p = 0; p < parts.length - 1; p++) {
            prefix.append(p == 0 ? "" : ".").append(parts[p]);
            blocks.add(prefix.toString());
        }
        for (String block : blocks) {
            if (writer == null || !writer.startsWith(block + ".")) {
                int last = reader;
                while (last + 1 < steps.size() && ((String) steps.get(last + 1).get("path")).startsWith(block + ".")) {
                    last++;
                }
                return writer == null ? steps.size() : last;
            }
        }
        return reader;
    }
}
