package dev.modelcost.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
import org.junit.jupiter.api.Test;

/**
 * ResNet-18's leaves, path by path, against PyTorch's {@code named_parameters()}.
 *
 * <p>The expected list is {@code resnet18-parameters.tsv}, written once by
 * {@code /usr/bin/python3 tools/pytorch/measure.py --out-dir tools/pytorch} (torch 1.13,
 * torchvision 0.14) and copied into this test's resources.
 */
class ResNet18ParametersTest {

    @Test
    void everyLeafWithParametersHasPyTorchsPathAndCount() throws IOException {
        assertEquals(pytorchModules(), ourModules());
    }

    @Test
    void pathsFollowPyTorchNamesForShortcutsAndRepetitions() {
        List<String> paths = ResNet18Cost.LAYERS.stream().map(LayerCost::path).toList();
        assertEquals(true, paths.contains("layer2.0.downsample.0"), paths.toString());
        assertEquals(true, paths.contains("layer2.0.downsample.1"), paths.toString());
        assertEquals(false, paths.contains("layer1.0.downsample.0"), "layer1 keeps its shape: no projection");
        assertEquals(true, paths.contains("layer4.1.conv2"), paths.toString());
    }

    /** Module path to parameter count, in order, from our generated per-layer list. */
    private static Map<String, Long> ourModules() {
        Map<String, Long> modules = new LinkedHashMap<>();
        for (LayerCost layer : ResNet18Cost.LAYERS) {
            if (layer.params() > 0) {
                modules.put(layer.path(), layer.params());
            }
        }
        return modules;
    }

    /** Module path to parameter count, in order, summing {@code weight} and {@code bias} of each module. */
    private static Map<String, Long> pytorchModules() throws IOException {
        Map<String, Long> modules = new LinkedHashMap<>();
        try (InputStream in = ResNet18ParametersTest.class.getResourceAsStream("resnet18-parameters.tsv")) {
            assertNotNull(in, "resnet18-parameters.tsv");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>(reader.lines().toList());
            for (String line : lines) {
                if (line.startsWith("#") || line.startsWith("name\t") || line.isBlank()) {
                    continue;
                }
                String[] cells = line.split("\t");
                String module = cells[0].substring(0, cells[0].lastIndexOf('.'));
                modules.merge(module, Long.parseLong(cells[1]), Long::sum);
            }
        }
        return modules;
    }
}
