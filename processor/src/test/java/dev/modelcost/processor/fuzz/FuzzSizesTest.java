package dev.modelcost.processor.fuzz;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.modelcost.processor.ModelCostProcessor;
import dev.modelcost.processor.ModelSources;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Property: a random valid image spec given {@code sizes = {"H", "W"}} gets an {@code at(H, W)} that, at other sizes, gives
 * every figure of its record exactly as the same spec compiled with its input fixed at those sizes gives its constants, or
 * refuses the size; it never answers a size at which the fixed spec does not compile. The specs are {@link ValidModelGenerator}'s
 * (convolutions of any geometry, pooling with ceil mode and padding, adaptive pooling, branches, blocks with expressions that
 * read {@code h} and {@code w}), without their budgets. The sized specs of a batch share one compilation, and the fixed specs at
 * every size that {@code at} answered another; see docs/fuzzing.md for the knobs.
 */
class FuzzSizesTest {
    /** Sized specs per run unless {@code -Dmodelcost.fuzz.sizes.cases} says otherwise. */
    private static final int DEFAULT_CASES = 16;
    /** Other sizes tried per spec. */
    private static final int SIZES_PER_SPEC = 8;
    /** Refusals a valid spec may meet once its sizes vary: a size that cannot vary, costs with no closed form. */
    private static final Set<String> SIZE_REFUSALS = Set.of("[MC418]", "[MC419]");

    /** One spec at one size {@code at} answered: its figures there, to compare with the spec compiled at that size. */
    private record Answer(int index, ModelDraft fixed, int h, int w, Map<String, Object> figures) {}

    @TestFactory
    Stream<DynamicNode> atGivesWhatTheSpecCompiledAtThatSizeGives() {
        int only = FuzzSettings.only();
        List<Integer> cases = only >= 0 ? List.of(only)
                : IntStream.range(0, Integer.getInteger("modelcost.fuzz.sizes.cases", DEFAULT_CASES)).boxed().toList();
        Map<Integer, ModelDraft> drafts = new LinkedHashMap<>();
        for (int index : cases) {
            drafts.put(index, imageDraft(index));
        }
        Map<String, List<String>> refusedSized = new LinkedHashMap<>();
        Compilation sized = compile(drafts.values(), refusedSized);
        List<Answer> answers = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int refusedModels = 0;
        int refusedSizes = 0;
        ClassLoader classes = ModelSources.classes(sized);
        for (Map.Entry<Integer, ModelDraft> entry : drafts.entrySet()) {
            int index = entry.getKey();
            ModelDraft draft = entry.getValue();
            List<String> errors = refusedSized.getOrDefault(draft.name, List.of());
            if (!errors.isEmpty()) {
                if (errors.stream().allMatch(e -> SIZE_REFUSALS.stream().anyMatch(e::startsWith))) {
                    refusedModels++;
                } else {
                    problems.add("a valid spec was rejected once its sizes vary:\n" + String.join("\n", errors) + context(index, draft));
                }
                continue;
            }
            Method at;
            try {
                at = classes.loadClass(draft.qualifiedName() + "Cost").getMethod("at", int.class, int.class);
            } catch (ReflectiveOperationException e) {
                problems.add("no at(int, int): " + e + context(index, draft));
                continue;
            }
            for (int[] size : sizes(FuzzSettings.random("sizes-at", index), draft.input[1], draft.input[2])) {
                Object figures;
                try {
                    figures = at.invoke(null, size[0], size[1]);
                } catch (InvocationTargetException e) {
                    if (!(e.getCause() instanceof IllegalArgumentException) && !(e.getCause() instanceof ArithmeticException)) {
                        problems.add("at(" + size[0] + ", " + size[1] + ") threw " + e.getCause() + context(index, draft));
                    } else if (e.getCause().getMessage() == null || e.getCause().getMessage().isBlank()) {
                        problems.add("at(" + size[0] + ", " + size[1] + ") refused without a reason" + context(index, draft));
                    }
                    refusedSizes++;
                    continue;
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
                ModelDraft fixed = draft.withInput(draft.name + "H" + size[0] + "W" + size[1], new int[] {draft.input[0], size[0], size[1]});
                answers.add(new Answer(index, fixed, size[0], size[1], components(figures)));
            }
        }
        List<DynamicNode> tests = new ArrayList<>();
        String summary = drafts.size() + " sized specs (" + refusedModels + " refused as sizes), " + answers.size() + " sizes answered, "
                + refusedSizes + " refused";
        System.out.println("FuzzSizesTest: " + summary);
        int compiledSized = drafts.size() - refusedModels;
        tests.add(DynamicTest.dynamicTest("every sized spec compiles and at() answers or refuses with a reason: " + summary, () -> {
            if (!problems.isEmpty()) {
                fail(String.join("\n\n", problems));
            }
            // A run that answers nothing checks nothing: about half the specs' sizes vary (a random network often exists a few sizes
            // around the declared ones only, MC418), and those answer most sizes tried.
            assertTrue(4 * compiledSized >= drafts.size() && answers.size() >= compiledSized, summary);
        }));
        if (answers.isEmpty()) {
            return tests.stream();
        }
        Map<String, List<String>> refusedFixed = new LinkedHashMap<>();
        Compilation fixed = compile(answers.stream().map(Answer::fixed).toList(), refusedFixed);
        ClassLoader fixedClasses = ModelSources.classes(fixed);
        for (Answer answer : answers) {
            tests.add(DynamicTest.dynamicTest("case " + answer.index() + " at " + answer.h() + " x " + answer.w(),
                    () -> compare(answer, refusedFixed.getOrDefault(answer.fixed().name, List.of()), fixedClasses)));
        }
        return tests.stream();
    }

    /** The first image spec of case {@code index}'s random stream, its budget dropped and its H and W made sizes. */
    private static ModelDraft imageDraft(int index) {
        SplittableRandom random = FuzzSettings.random("sizes", index);
        for (int draw = 0; ; draw++) {
            ModelDraft draft = ValidModelGenerator.generate(random, "S" + index + (draw == 0 ? "" : "d" + draw));
            if (draft.input.length == 3) {
                draft.budget.clear();
                draft.sizes = "{\"H\", \"W\"}";
                return draft;
            }
        }
    }

    /**
     * Sizes around the declared {@code h} and {@code w}: one more and one less on each axis, odd and even steps, doubles and
     * halves, 1 × 1, and random sizes up to three times the declared ones.
     */
    private static List<int[]> sizes(SplittableRandom random, int h, int w) {
        List<int[]> candidates = new ArrayList<>(List.of(new int[] {h + 1, w}, new int[] {h, w + 1}, new int[] {Math.max(1, h - 1), w},
                new int[] {h + 2, w + 3}, new int[] {2 * h + 1, w}, new int[] {Math.max(1, h / 2), Math.max(1, w / 2)}, new int[] {1, 1},
                new int[] {3 * h + 2, 2 * w + 1}));
        for (int i = 0; i < SIZES_PER_SPEC; i++) {
            candidates.add(new int[] {1 + random.nextInt(3 * h + 8), 1 + random.nextInt(3 * w + 8)});
        }
        Set<List<Integer>> seen = new LinkedHashSet<>();
        seen.add(List.of(h, w));
        List<int[]> chosen = new ArrayList<>();
        // The fixed sizes first, then random ones, SIZES_PER_SPEC of them in all
        for (int[] size : candidates) {
            if (chosen.size() < SIZES_PER_SPEC && seen.add(List.of(size[0], size[1]))) {
                chosen.add(size);
            }
        }
        return chosen;
    }

    /** Every component of an {@code at(...)} record but the sizes, by name, and the arithmetic intensity. */
    private static Map<String, Object> components(Object figures) {
        Map<String, Object> values = new LinkedHashMap<>();
        try {
            for (RecordComponent component : figures.getClass().getRecordComponents()) {
                if (component.getType() != int.class) {
                    values.put(component.getName(), component.getAccessor().invoke(figures));
                }
            }
            values.put("arithmeticIntensity", figures.getClass().getMethod("arithmeticIntensity").invoke(figures));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        return values;
    }

    /** The figures {@code at} answered against the constants of the spec compiled at that size. */
    private static void compare(Answer answer, List<String> errors, ClassLoader classes) throws ReflectiveOperationException {
        String where = "at(" + answer.h() + ", " + answer.w() + ")";
        if (!errors.isEmpty()) {
            fail(where + " answered, but the spec compiled at that size is refused:\n" + String.join("\n", errors)
                    + context(answer.index(), answer.fixed()));
        }
        Class<?> cost = classes.loadClass(answer.fixed().qualifiedName() + "Cost");
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, Object> figure : answer.figures().entrySet()) {
            // output is OUTPUT, the shape without the batch
            String constant = figure.getKey().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
            Object expected = cost.getField(constant).get(null);
            if (!expected.equals(figure.getValue())) {
                differences.add(constant + " " + figure.getValue() + ", compiled " + expected);
            }
        }
        if (!differences.isEmpty()) {
            fail(where + " differs from the spec compiled at that size: " + String.join("; ", differences) + context(answer.index(), answer.fixed()));
        }
    }

    /**
     * The drafts compiled together, with each refused draft's errors in {@code refused}: javac writes no class file where a
     * compilation has errors, so the drafts that compiled are compiled again without the others.
     */
    private static Compilation compile(java.util.Collection<ModelDraft> drafts, Map<String, List<String>> refused) {
        Compilation compilation = compileAll(drafts);
        for (ModelDraft draft : drafts) {
            List<String> errors = errors(compilation, draft.name);
            if (!errors.isEmpty()) {
                refused.put(draft.name, errors);
            }
        }
        if (refused.isEmpty()) {
            return compilation;
        }
        Compilation again = compileAll(drafts.stream().filter(d -> !refused.containsKey(d.name)).toList());
        if (again.status() != Compilation.Status.SUCCESS) {
            fail("the specs that compiled with others do not compile alone: " + again.diagnostics());
        }
        return again;
    }

    private static Compilation compileAll(java.util.Collection<ModelDraft> drafts) {
        List<JavaFileObject> files = new ArrayList<>();
        for (ModelDraft draft : drafts) {
            files.add(JavaFileObjects.forSourceString(draft.qualifiedName(), draft.render().source()));
        }
        return javac().withProcessors(new ModelCostProcessor()).withOptions("-Amodelcost.reports=false", "-Xmaxerrs", "100000", "-Xmaxwarns", "100000").compile(files);
    }

    /** The errors of the compilation in the spec's own file. */
    private static List<String> errors(Compilation compilation, String name) {
        return compilation.diagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .filter(d -> d.getSource() != null && d.getSource().getName().endsWith("/" + name + ".java"))
                .map(d -> d.getMessage(Locale.ROOT)).toList();
    }

    private static String context(int index, ModelDraft draft) {
        return "\nreproduce with -Dtest=FuzzSizesTest -Dmodelcost.fuzz.seed=" + FuzzSettings.seed() + " -Dmodelcost.fuzz.only=" + index + "\n"
                + FuzzBatches.numbered(draft.render().source());
    }
}
