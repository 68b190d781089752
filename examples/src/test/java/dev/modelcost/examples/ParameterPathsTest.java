package dev.modelcost.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.modelcost.LayerCost;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example's leaves with parameters, in order, against PyTorch's modules: the same dotted
 * path and the same parameter count, row by row (the file names its source).
 */
class ParameterPathsTest {

    @TestFactory
    Stream<DynamicTest> everyParameterisedLeafHasPyTorchsPathAndCount() throws IOException {
        Map<String, List<String>> pytorch = pytorchRows();
        List<DynamicTest> tests = new ArrayList<>();
        for (ExampleModels.Entry model : ExampleModels.ALL) {
            List<String> expected = pytorch.get(model.name());
            if (expected == null) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(model.name(), () -> assertEquals(expected, ourRows(model))));
        }
        assertFalse(tests.isEmpty());
        return tests.stream();
    }

    /** "path params" of every leaf with parameters, read through the generated LAYERS list. */
    @SuppressWarnings("unchecked")
    private static List<String> ourRows(ExampleModels.Entry model) throws ReflectiveOperationException {
        List<LayerCost> layers = (List<LayerCost>) model.costClass().getField("LAYERS").get(null);
        return layers.stream().filter(l -> l.params() > 0).map(l -> l.path() + " " + l.params()).toList();
    }

    private static Map<String, List<String>> pytorchRows() throws IOException {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        try (InputStream in = ParameterPathsTest.class.getResourceAsStream("pytorch-parameter-paths.tsv")) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] cells = line.split("\t");
                rows.computeIfAbsent(cells[0], k -> new ArrayList<>()).add(cells[1] + " " + cells[2]);
            }
        }
        return rows;
    }
}
