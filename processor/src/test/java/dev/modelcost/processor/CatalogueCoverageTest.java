package dev.modelcost.processor;

import static com.google.common.truth.Truth.assertThat;

import dev.modelcost.processor.diag.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every catalogue entry has a compile test that expects its tag in an error, so a new entry
 * without one fails here. MC901, the processor's own failure, is unreachable from a source (see
 * {@link CostDiagnosticsTest}).
 */
class CatalogueCoverageTest {
    private static final Path TESTS = Path.of("src/test/java/dev/modelcost/processor");
    private static final Pattern EXPECTED_TAG = Pattern.compile("\"\\[(MC\\d{3})\\]");
    private static final Set<String> UNREACHABLE = Set.of("MC901");

    @Test
    void everyReachableEntryIsExpectedByATest() throws IOException {
        Set<String> expected = new TreeSet<>();
        try (Stream<Path> files = Files.list(TESTS)) {
            for (Path file : files.filter(f -> f.toString().endsWith("Test.java")).toList()) {
                Matcher matcher = EXPECTED_TAG.matcher(Files.readString(file));
                while (matcher.find()) {
                    expected.add(matcher.group(1));
                }
            }
        }
        Set<String> catalogue = new TreeSet<>();
        Arrays.stream(Diagnostic.values()).map(Diagnostic::tag).filter(tag -> !UNREACHABLE.contains(tag)).forEach(catalogue::add);
        assertThat(catalogue).isNotEmpty();
        assertThat(expected).containsAtLeastElementsIn(catalogue);
    }
}
