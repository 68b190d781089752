package dev.modelcost.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The roofline chart the README shows, {@code docs/roofline-resnet50.svg}, is the one the build
 * writes into ResNet-50's HTML report, with the SVG namespace a file on its own needs;
 * {@code -Dmodelcost.golden.update=true} rewrites it.
 */
class ReadmeChartTest {
    private static final Path CHART = Path.of("../docs/roofline-resnet50.svg");

    @Test
    void theReadmeChartIsTheReportsChart() throws IOException {
        String html = Files.readString(Path.of("target/classes/META-INF/modelcost/dev.modelcost.examples.ResNet50.html"), StandardCharsets.UTF_8);
        int start = html.indexOf("<svg font-family=", html.indexOf("Roofline latency lower bound"));
        String chart = "<svg xmlns=\"http://www.w3.org/2000/svg\" " + html.substring(start + "<svg ".length(), html.indexOf("</svg>", start) + "</svg>".length())
                + "\n";
        if (Boolean.getBoolean("modelcost.golden.update")) {
            Files.writeString(CHART, chart, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(CHART, StandardCharsets.UTF_8), chart);
    }
}
