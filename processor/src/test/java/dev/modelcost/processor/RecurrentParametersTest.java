package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every recurrent leaf's parameter tensors, as the JSON report lists them, against PyTorch's
 * {@code named_parameters()}: the same names in the same order, the same shapes and sizes.
 *
 * <p>The PyTorch side is {@code recurrent-parameters.tsv} beside this class, a copy of
 * {@code tools/pytorch/recurrent-parameters.tsv} written by {@code /usr/bin/python3
 * tools/pytorch/measure_layers.py --out-dir tools/pytorch} (torch 1.13): one row per tensor of
 * each case's module, with the constructor in {@code layer-costs.tsv}.
 */
class RecurrentParametersTest {

    /** Each case as a model: the PyTorch constructor of layer-costs.tsv written in the DSL. */
    private static final Map<String, String> CASES = cases();

    private static Map<String, String> cases() {
        Map<String, String> cases = new LinkedHashMap<>();
        for (String kind : List.of("lstm", "gru", "rnn")) {
            for (int layers : new int[] {1, 2}) {
                for (boolean bi : new boolean[] {false, true}) {
                    cases.put(kind + "_L" + layers + "_" + (bi ? "bi" : "uni"), "@Model(input = {35, 256}, batch = 4) | @" + kind.toUpperCase()
                            + "(hiddenSize = 512, numLayers = " + layers + ", bidirectional = " + bi + ", batchFirst = true)");
                }
            }
        }
        cases.put("lstm_proj128_L1_uni", "@Model(input = {35, 256}, batch = 4) | @LSTM(hiddenSize = 512, projSize = 128)");
        cases.put("lstm_proj128_L2_bi", "@Model(input = {35, 256}, batch = 4) | @LSTM(hiddenSize = 512, numLayers = 2, bidirectional = true, projSize = 128)");
        cases.put("lstm_proj32_L3_bi", "@Model(input = {9, 64}, batch = 2) | @LSTM(hiddenSize = 128, numLayers = 3, bidirectional = true, projSize = 32)");
        cases.put("gru_nobias_L1_uni", "@Model(input = {35, 256}, batch = 4) | @GRU(hiddenSize = 512, bias = false)");
        cases.put("lstmcell", "@Model(input = {32}, batch = 3) | @LSTMCell(hiddenSize = 64)");
        cases.put("grucell", "@Model(input = {32}, batch = 3) | @GRUCell(hiddenSize = 64)");
        cases.put("rnncell_relu", "@Model(input = {32}, batch = 3) | @RNNCell(hiddenSize = 64, nonlinearity = \"relu\")");
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> everyRecurrentLeafHasPyTorchsParameters() throws IOException {
        Map<String, List<String>> pytorch = pytorch();
        assertEquals(CASES.keySet(), pytorch.keySet(), "the cases of the PyTorch file");
        return CASES.entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
            String[] spec = entry.getValue().split("\\|");
            Compilation compilation = ModelSources.compile(ModelSources.source("test.Net",
                    "package test;\n\nimport dev.modelcost.*;\n\n" + spec[0] + "\npublic class Net {\n    " + spec[1] + " Layer rec;\n}\n"));
            assertThat(compilation).succeeded();
            assertEquals(pytorch.get(entry.getKey()), ours(compilation));
        }));
    }

    /** "name shape numel" of each tensor in the leaf's {@code parameters} member of the JSON report. */
    private static List<String> ours(Compilation compilation) throws IOException {
        String json = compilation.generatedFile(StandardLocation.CLASS_OUTPUT, "META-INF/modelcost/test.Net.json").orElseThrow()
                .getCharContent(false).toString();
        Matcher member = Pattern.compile("\"parameters\":\\{([^}]*)\\}").matcher(json);
        assertTrue(member.find(), json);
        List<String> rows = new ArrayList<>();
        Matcher tensor = Pattern.compile("\"(\\w+)\":\\[([0-9,]+)\\]").matcher(member.group(1));
        while (tensor.find()) {
            long numel = 1;
            for (String dim : tensor.group(2).split(",")) {
                numel *= Long.parseLong(dim);
            }
            rows.add(tensor.group(1) + " " + tensor.group(2).replace(',', 'x') + " " + numel);
        }
        return rows;
    }

    private static Map<String, List<String>> pytorch() throws IOException {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        try (InputStream in = RecurrentParametersTest.class.getResourceAsStream("recurrent-parameters.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cells = line.split("\t");
                rows.computeIfAbsent(cells[0], k -> new ArrayList<>()).add(cells[1] + " " + cells[2] + " " + cells[3]);
            }
        }
        return rows;
    }
}
