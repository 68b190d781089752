package dev.modelcost.processor.fuzz;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.modelcost.processor.ModelCostProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Property: for a random valid spec, the processor generates a Cost class whose output shape,
 * MACS, FLOPS, PARAMS, BUFFERS, OTHER_OPS and LAYER_COUNT equal the figures computed
 * independently from PyTorch's rules ({@link ValidModelGenerator}, {@link Reference}), and whose
 * per-layer table sums to the same totals, with a distinct path for every leaf. Specs are compiled with javac through compile-testing,
 * {@link FuzzSettings#batch()} per compilation; see {@link FuzzSettings} for the knobs and
 * docs/fuzzing.md for the commands.
 */
class FuzzValidSpecsTest {

    @TestFactory
    Stream<DynamicNode> validSpecsGetExactlyTheFiguresComputedFromFirstPrinciples() {
        // A lazy stream: JUnit generates and compiles one batch at a time.
        return FuzzBatches.batches().stream().<DynamicNode>map(batch -> {
            Map<Integer, ModelDraft> drafts = new LinkedHashMap<>();
            for (int index : batch) {
                drafts.put(index, ValidModelGenerator.generate(FuzzSettings.random("valid", index), "V" + index));
            }
            boolean reports = batch.get(0) % 4 == 0;
            FuzzBatches.Shared<Compilation> compilation = new FuzzBatches.Shared<>(() -> compile(drafts.values(), reports), drafts.size());
            List<DynamicTest> tests = new ArrayList<>();
            drafts.forEach((index, draft) -> tests.add(DynamicTest.dynamicTest("valid case " + index,
                    () -> check(index, draft, compilation.use()))));
            return DynamicContainer.dynamicContainer(
                    "valid cases " + batch.get(0) + ".." + batch.get(batch.size() - 1) + " (seed " + FuzzSettings.seed() + ")", tests);
        });
    }

    static Compilation compile(Iterable<ModelDraft> drafts, boolean reports) {
        List<JavaFileObject> files = new ArrayList<>();
        for (ModelDraft draft : drafts) {
            files.add(JavaFileObjects.forSourceString(draft.qualifiedName(), draft.render().source()));
        }
        return javac().withProcessors(new ModelCostProcessor())
                .withOptions("-Amodelcost.reports=" + reports)
                .compile(files);
    }

    private static void check(int index, ModelDraft draft, Compilation compilation) {
        String source = draft.render().source();
        String context = "\n" + FuzzSettings.reproduce(index) + "\n" + FuzzBatches.numbered(source);
        String file = "/" + draft.name + ".java";
        List<String> own = compilation.diagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR || d.getKind() == Diagnostic.Kind.WARNING)
                .filter(d -> d.getSource() != null && d.getSource().getName().endsWith(file))
                // Random wiring may leave a field unread: a warning (MC130) the spec deserves, not a rejection.
                .filter(d -> !d.getMessage(Locale.ROOT).startsWith("[MC130]"))
                .map(d -> d.getKind() + " line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                .toList();
        if (!own.isEmpty()) {
            fail("a valid spec was rejected:\n" + String.join("\n", own) + context);
        }
        if (compilation.status() != Compilation.Status.SUCCESS) {
            // Another spec of the batch failed, so compile-testing withholds the generated files: compile this one alone.
            compilation = compile(List.of(draft), true);
            if (compilation.status() != Compilation.Status.SUCCESS) {
                fail("a valid spec failed to compile on its own:\n"
                        + compilation.errors().stream().map(d -> d.getMessage(Locale.ROOT)).collect(Collectors.joining("\n")) + context);
            }
        }
        Optional<JavaFileObject> generated = compilation.generatedSourceFile(draft.qualifiedName() + "Cost");
        if (generated.isEmpty()) {
            fail("no " + draft.name + "Cost was generated" + context);
        }
        String cost = read(generated.get());
        assertEquals(CostFile.summary(draft.expected), CostFile.summary(cost), "generated constants" + context);
        assertEquals(draft.expected.batch, CostFile.number(cost, "BATCH"), "BATCH" + context);
        String table = CostFile.table(compilation, draft.qualifiedName());
        String totals = CostFile.summary(draft.expected);
        assertEquals(totals.substring(totals.indexOf(" macs=") + 1), CostFile.tableTotals(table), "per-layer table sums" + context);
        List<String> paths = CostFile.rows(table).stream().map(dev.modelcost.LayerCost::path).toList();
        assertEquals(paths.size(), new java.util.HashSet<>(paths).size(), "every leaf has its own path: " + paths + context);
    }

    static String read(JavaFileObject file) {
        try {
            return file.getCharContent(true).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
