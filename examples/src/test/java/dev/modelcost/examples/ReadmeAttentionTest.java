package dev.modelcost.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The attention block README's decoder section shows inline is the example's {@code LlamaAttention}, field for field (the
 * README's comments aside), so that what a reader copies is what the examples' build compiles and checks.
 */
class ReadmeAttentionTest {

    @Test
    void readmesAttentionBlockIsTheExamples() throws IOException {
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("```java\n@Block\npublic class LlamaAttention {");
        assertTrue(start >= 0, "README shows no LlamaAttention block");
        String block = readme.substring(start, readme.indexOf("```\n", start + 3));
        String source = Files.readString(Path.of("src/main/java/dev/modelcost/examples/LlamaAttention.java"), StandardCharsets.UTF_8);
        assertEquals(members(source), members(block));
    }

    /** The lines that declare a parameter or a field, without a trailing comment, in order. */
    private static List<String> members(String text) {
        return text.lines().map(line -> line.replaceAll("\\s+//.*$", "").strip())
                .filter(line -> line.startsWith("@") && !line.equals("@Block") || line.endsWith(";") && line.contains("Layer "))
                .toList();
    }
}
