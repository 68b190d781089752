package dev.modelcost.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.modelcost.processor.ModelCostProcessor;
import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.fuzz.InvalidModelGenerator.Broken;
import dev.modelcost.processor.fuzz.ToolCompile.Diag;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Property: a random invalid spec (a valid one with one mistake from
 * {@link InvalidModelGenerator}'s catalogue) fails the compilation with catalogued errors only: at
 * least one carries an expected tag on the expected line, none is an internal error (MC901) or
 * shows an exception or a stack trace, and no Cost class is written for it, while a valid sibling
 * in the same compilation still gets its Cost class with the right figures.
 *
 * <p>The specs are compiled with javac through plain {@code javax.tools} ({@link ToolCompile}),
 * because compile-testing refuses to list the generated files of a failed compilation, and that
 * the broken model got none is the point.
 */
class FuzzInvalidSpecsTest {
    private static final Set<String> CATALOGUE = Arrays.stream(Diagnostic.values()).map(Diagnostic::tag).collect(Collectors.toSet());
    private static final Pattern TAG = Pattern.compile("^\\[(MC\\d{3})\\] ");

    @TestFactory
    Stream<DynamicNode> invalidSpecsFailWithCataloguedErrorsAndNoCostClass() {
        boolean knownBugs = FuzzSettings.knownBugs();
        // A lazy stream: JUnit generates and compiles one batch at a time.
        return FuzzBatches.batches().stream().<DynamicNode>map(batch -> {
            Map<Integer, Broken> broken = new LinkedHashMap<>();
            for (int index : batch) {
                broken.put(index, InvalidModelGenerator.generate(FuzzSettings.random("invalid", index), "X" + index, knownBugs));
            }
            ModelDraft sibling = ValidModelGenerator.generate(FuzzSettings.random("sibling", batch.get(0)), "S" + batch.get(0));
            FuzzBatches.Shared<ToolCompile.Result> result = new FuzzBatches.Shared<>(() -> compile(broken.values(), sibling), broken.size() + 1);
            List<DynamicTest> tests = new ArrayList<>();
            tests.add(DynamicTest.dynamicTest("valid sibling S" + batch.get(0), () -> checkSibling(sibling, result.use())));
            broken.forEach((index, b) -> tests.add(DynamicTest.dynamicTest("invalid case " + index + ": " + b.mutation(),
                    () -> check(index, b, result.use()))));
            return DynamicContainer.dynamicContainer(
                    "invalid cases " + batch.get(0) + ".." + batch.get(batch.size() - 1) + " (seed " + FuzzSettings.seed() + ")", tests);
        });
    }

    /** The generator reaches every entry of its catalogue (cheap: generation only, no compilation). */
    @org.junit.jupiter.api.Test
    void everyMutationOfTheCatalogueIsGenerated() {
        Set<String> seen = new java.util.TreeSet<>();
        for (int i = 0; i < 3000; i++) {
            Broken b = InvalidModelGenerator.generate(FuzzSettings.random("coverage", i), "C" + i, true);
            seen.add(b.mutation().substring(0, b.mutation().indexOf(' ')));
        }
        Set<String> all = new java.util.TreeSet<>();
        for (int i = 0; i < InvalidModelGenerator.catalogueSize(); i++) {
            all.add("#" + i);
        }
        assertEquals(all, seen);
    }

    static ToolCompile.Result compile(Iterable<Broken> broken, ModelDraft sibling) {
        Map<String, String> sources = new LinkedHashMap<>();
        for (Broken b : broken) {
            sources.put(b.draft().qualifiedName(), b.draft().render().source());
        }
        sources.put(sibling.qualifiedName(), sibling.render().source());
        ToolCompile.Result result = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), sources, List.of("-Amodelcost.reports=false"),
                false, new ModelCostProcessor());
        for (Diag d : result.diagnostics()) {
            if (d.file().isEmpty() && d.kind() == javax.tools.Diagnostic.Kind.ERROR) {
                fail("an error outside every spec: " + d);
            }
            assertClean(d, "");
        }
        return result;
    }

    private static void assertClean(Diag d, String context) {
        assertTrue(!d.message().contains("Exception") && !d.message().contains("\tat ") && !d.message().contains("[MC901]"),
                "a diagnostic shows an internal failure: " + d + context);
    }

    private static void checkSibling(ModelDraft sibling, ToolCompile.Result result) {
        String context = "\n" + FuzzBatches.numbered(sibling.render().source());
        List<Diag> own = result.errors().stream().filter(d -> d.file().equals(sibling.name + ".java")).toList();
        assertEquals(List.of(), own, "the valid sibling got errors" + context);
        String cost = result.generated().get(ModelDraft.PACKAGE + "/" + sibling.name + "Cost.java");
        assertTrue(cost != null, "the valid sibling got no Cost class next to the broken specs; generated: "
                + result.generated().keySet() + context);
        assertEquals(CostFile.summary(sibling.expected), CostFile.summary(cost), "the valid sibling's figures" + context);
    }

    private static void check(int index, Broken b, ToolCompile.Result result) {
        ModelDraft.Rendered rendered = b.draft().render();
        String context = "\nmutation: " + b.mutation() + "\n" + FuzzSettings.reproduce(index) + "\n" + FuzzBatches.numbered(rendered.source());
        List<Diag> errors = result.errors().stream().filter(d -> d.file().equals(b.draft().name + ".java")).toList();
        String listed = "\nerrors:\n" + errors.stream().map(Diag::toString).collect(Collectors.joining("\n"));
        if (errors.isEmpty()) {
            fail("a broken spec compiled without errors" + context);
        }
        for (Diag d : errors) {
            Matcher tag = TAG.matcher(d.message());
            assertTrue(tag.find() && CATALOGUE.contains(tag.group(1)), "an error without a catalogue tag: " + d + listed + context);
            assertClean(d, listed + context);
        }
        Set<Long> lines = b.lineTags().stream().map(t -> (long) rendered.line(t)).collect(Collectors.toSet());
        boolean expected = errors.stream().anyMatch(d -> lines.contains(d.line()) && b.tags().stream().anyMatch(t -> d.message().startsWith("[" + t + "]")));
        assertTrue(expected, "expected an error tagged " + b.tags() + " on line " + lines + listed + context);
        String cost = ModelDraft.PACKAGE + "/" + b.draft().name + "Cost.java";
        assertTrue(!result.generated().containsKey(cost), "a Cost class was generated for a broken spec:\n"
                + result.generated().get(cost) + listed + context);
    }
}
