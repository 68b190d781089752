package dev.modelcost.processor.diag;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.modelcost.processor.ModelCostProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The diagnostics page, {@code docs/diagnostics.md}, against the catalogue: every entry is
 * documented, and every documented example gives its tag on the line it marks and the messages the
 * page quotes, word for word. An entry that no
 * single file can trigger (MC901, MC215) says so instead of giving an example.
 */
class DiagnosticsDocTest {
    private static final Path PAGE = Path.of("../docs/diagnostics.md");
    private static final Pattern SECTION = Pattern.compile("^## (MC\\d{3})\\n(.*?)(?=^## |\\z)", Pattern.MULTILINE | Pattern.DOTALL);
    private static final Pattern JAVA = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    /** The plain block after an example: the messages it gives, as the compiler prints them. */
    private static final Pattern OUTPUT = Pattern.compile("\\s*```\\n(.*?)```", Pattern.DOTALL);
    private static final String MARK = "// <- here";
    private static final Pattern NO_EXAMPLE = Pattern.compile("No (single-file )?example");

    private static Map<String, String> sections() throws IOException {
        Map<String, String> sections = new LinkedHashMap<>();
        Matcher matcher = SECTION.matcher(Files.readString(PAGE));
        while (matcher.find()) {
            sections.put(matcher.group(1), matcher.group(2));
        }
        return sections;
    }

    @Test
    void everyCatalogueEntryIsDocumented() throws IOException {
        List<String> missing = new ArrayList<>();
        Map<String, String> sections = sections();
        for (Diagnostic diagnostic : Diagnostic.values()) {
            if (!sections.containsKey(diagnostic.tag())) {
                missing.add(diagnostic.tag() + " " + diagnostic);
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void tagsAreUnique() {
        assertEquals(Diagnostic.values().length, Stream.of(Diagnostic.values()).map(Diagnostic::tag).distinct().count());
    }

    @TestFactory
    Stream<DynamicTest> everyExampleGivesItsTagOnTheMarkedLine() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        List<String> withoutExample = new ArrayList<>();
        for (Map.Entry<String, String> section : sections().entrySet()) {
            Matcher java = JAVA.matcher(section.getValue());
            if (!java.find()) {
                assertTrue(NO_EXAMPLE.matcher(section.getValue()).find(), section.getKey() + " has no example and does not say why");
                withoutExample.add(section.getKey());
                continue;
            }
            String tag = section.getKey();
            String source = "package test;\n\nimport dev.modelcost.*;\n\n" + java.group(1);
            Matcher output = OUTPUT.matcher(section.getValue());
            output.region(java.end(), section.getValue().length());
            List<String> messages = output.lookingAt() ? output.group(1).lines().filter(line -> line.startsWith("[MC")).toList() : List.of();
            tests.add(DynamicTest.dynamicTest(tag, () -> {
                assertTrue(source.contains(MARK), tag + " marks no line");
                JavaFileObject file = JavaFileObjects.forSourceString("test.Net", source);
                Compilation compilation = javac().withProcessors(new ModelCostProcessor()).compile(file);
                boolean warning = Stream.of(Diagnostic.values()).anyMatch(d -> d.tag().equals(tag) && d.kind() == javax.tools.Diagnostic.Kind.WARNING);
                if (warning) {
                    assertThat(compilation).succeeded();
                    assertThat(compilation).hadWarningContaining("[" + tag + "]").inFile(file).onLineContaining(MARK);
                } else {
                    assertThat(compilation).failed();
                    assertThat(compilation).hadErrorContaining("[" + tag + "]").inFile(file).onLineContaining(MARK);
                }
                // The messages the page quotes are the compiler's, word for word.
                assertTrue(!messages.isEmpty(), tag + " quotes no message");
                List<String> printed = compilation.diagnostics().stream().map(d -> d.getMessage(Locale.ROOT)).toList();
                for (String message : messages) {
                    assertTrue(printed.stream().anyMatch(m -> m.contains(message)), tag + ": the page quotes\n" + message + "\nbut the compiler printed\n"
                            + String.join("\n", printed));
                }
            }));
        }
        assertEquals(Diagnostic.values().length - withoutExample.size(), tests.size(), "one example per entry but those without: " + withoutExample);
        return tests.stream();
    }
}
