package dev.modelcost.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The generated class and the three reports of three examples (a CNN of repeated blocks, a decoder
 * with a tied head, a UNet of transposed convolutions), byte for byte against golden files kept in
 * {@code src/test/resources/dev/modelcost/examples/golden}. A change to what the processor writes
 * shows here as a diff to review; after reviewing it, {@code mvn verify -Dmodelcost.golden.update=true}
 * writes the new files into the source tree.
 */
class GoldenFilesTest {
    private static final List<String> MODELS = List.of("ResNet50", "Gpt2Small", "UNet");
    private static final Path GOLDEN = Path.of("src/test/resources/dev/modelcost/examples/golden");

    @TestFactory
    Stream<DynamicTest> generatedFilesEqualTheGoldenOnes() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String model : MODELS) {
            tests.add(file(model + "Cost.java", Path.of("target/generated-sources/annotations/dev/modelcost/examples", model + "Cost.java")));
            for (String report : List.of("json", "md", "html")) {
                String name = "dev.modelcost.examples." + model + "." + report;
                tests.add(file(model + "." + report, Path.of("target/classes/META-INF/modelcost", name)));
            }
        }
        return tests.stream();
    }

    private static DynamicTest file(String golden, Path generated) {
        return DynamicTest.dynamicTest(golden, () -> {
            assertTrue(Files.exists(generated), "the build wrote no " + generated);
            String actual = Files.readString(generated, StandardCharsets.UTF_8);
            if (Boolean.getBoolean("modelcost.golden.update")) {
                Files.writeString(GOLDEN.resolve(golden + ".txt"), actual, StandardCharsets.UTF_8);
                return;
            }
            try (InputStream in = GoldenFilesTest.class.getResourceAsStream("golden/" + golden + ".txt")) {
                assertTrue(in != null, "no golden file for " + golden);
                assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual, golden + " differs from its golden file");
            }
        });
    }
}
