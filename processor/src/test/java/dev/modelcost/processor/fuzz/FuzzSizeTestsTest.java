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
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Property: a model whose {@code @When} and whose layer's attribute test its tensors' sizes of both variables H and W, by a random
 * expression ({@link #expression}, compared, joined by {@code &&} and {@code ||}), either is refused as a model whose sizes cannot vary (MC418, MC419) or gets an {@code at(H, W)} that
 * gives, at every size it answers, the figures of the model compiled at that size. The sizes asked include those on the lines
 * {@code H = W}, {@code H = 2W} and {@code H = 3W} beside the declared ones, where a test of two sizes may turn inside the box of
 * sizes around them. See docs/fuzzing.md for the knobs.
 */
class FuzzSizeTestsTest {
    /** Models per run unless {@code -Dmodelcost.fuzz.sizetests.cases} says otherwise. */
    private static final int DEFAULT_CASES = 16;
    /** Refusals a model may meet once its sizes vary. */
    private static final Set<String> SIZE_REFUSALS = Set.of("[MC418]", "[MC419]");
    private static final String CONV = "@Conv2d(cout = 4, k = 3, padding = 1)";

    /** One model at one size {@code at} answered, with its figures there. */
    private record Answer(String model, String fixedName, String fixedSource, int h, int w, Map<String, Object> figures) {}

    @Test
    void atGivesWhatTheModelCompiledAtThatSizeGivesOrRefuses() throws ReflectiveOperationException {
        int cases = Integer.getInteger("modelcost.fuzz.sizetests.cases", DEFAULT_CASES);
        Map<String, String[]> models = new LinkedHashMap<>();
        for (int index = 0; index < cases; index++) {
            SplittableRandom random = FuzzSettings.random("size-tests", index);
            int h = 8 + random.nextInt(57);
            int w = 8 + random.nextInt(57);
            String when = condition(random, 2);
            String stride = condition(random, 0);
            models.put("T" + index, new String[] {String.valueOf(h), String.valueOf(w), when, stride});
        }
        List<JavaFileObject> sized = new ArrayList<>();
        models.forEach((name, m) -> sized.add(file(name, source(name, Integer.parseInt(m[0]), Integer.parseInt(m[1]), m[2], m[3], true))));
        Compilation compilation = compile(sized);
        List<String> problems = new ArrayList<>();
        List<String> compiled = new ArrayList<>();
        for (String name : models.keySet()) {
            List<String> errors = errors(compilation, name);
            if (errors.isEmpty()) {
                compiled.add(name);
            } else if (!errors.stream().allMatch(e -> SIZE_REFUSALS.stream().anyMatch(e::startsWith))) {
                problems.add(name + " refused otherwise than as sizes: " + errors + "\n" + describe(models.get(name)));
            }
        }
        assertTrue(!compiled.isEmpty(), "no model compiled: nothing to check");
        if (compiled.size() < models.size()) {
            compilation = compile(sized.stream().filter(f -> compiled.stream().anyMatch(n -> f.getName().endsWith("/" + n + ".java"))).toList());
            assertTrue(compilation.status() == Compilation.Status.SUCCESS, "the models that compiled with others do not compile alone");
        }
        ClassLoader classes = ModelSources.classes(compilation);
        List<Answer> answers = new ArrayList<>();
        int refused = 0;
        for (String name : compiled) {
            String[] m = models.get(name);
            Method at = classes.loadClass("fuzz." + name + "Cost").getMethod("at", int.class, int.class);
            for (int[] size : sizes(FuzzSettings.random("size-tests-at", Integer.parseInt(name.substring(1))), Integer.parseInt(m[0]),
                    Integer.parseInt(m[1]))) {
                try {
                    Object figures = at.invoke(null, size[0], size[1]);
                    String fixed = name + "H" + size[0] + "W" + size[1];
                    answers.add(new Answer(name, fixed, source(fixed, size[0], size[1], m[2], m[3], false), size[0], size[1], components(figures)));
                } catch (InvocationTargetException e) {
                    if (!(e.getCause() instanceof IllegalArgumentException) && !(e.getCause() instanceof ArithmeticException)) {
                        problems.add(name + ": at(" + size[0] + ", " + size[1] + ") threw " + e.getCause() + "\n" + describe(m));
                    }
                    refused++;
                }
            }
        }
        String summary = models.size() + " models (" + (models.size() - compiled.size()) + " refused as sizes), " + answers.size()
                + " sizes answered, " + refused + " refused";
        System.out.println("FuzzSizeTestsTest: " + summary);
        // A run that answers nothing checks nothing: about a third of the models compile, and answer most sizes.
        assertTrue(!answers.isEmpty(), summary);
        List<JavaFileObject> fixedFiles = new ArrayList<>();
        for (Answer answer : answers) {
            fixedFiles.add(file(answer.fixedName(), answer.fixedSource()));
        }
        Compilation fixed = compile(fixedFiles);
        ClassLoader fixedClasses = ModelSources.classes(fixed);
        for (Answer answer : answers) {
            String where = answer.model() + ": at(" + answer.h() + ", " + answer.w() + ")";
            List<String> errors = errors(fixed, answer.fixedName());
            if (!errors.isEmpty()) {
                problems.add(where + " answered, but the model compiled at that size is refused: " + errors + "\n" + describe(models.get(answer.model())));
                continue;
            }
            if (fixed.status() != Compilation.Status.SUCCESS) {
                // javac writes no class where any file has errors: those are reported above
                continue;
            }
            Class<?> cost = fixedClasses.loadClass("fuzz." + answer.fixedName() + "Cost");
            for (Map.Entry<String, Object> figure : answer.figures().entrySet()) {
                String constant = figure.getKey().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
                Object expected = cost.getField(constant).get(null);
                if (!expected.equals(figure.getValue())) {
                    problems.add(where + " gives " + constant + " " + figure.getValue() + ", the model compiled there " + expected + "\n"
                            + describe(models.get(answer.model())));
                    break;
                }
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " problems; " + summary + "\n\n" + String.join("\n\n", problems));
        }
    }

    /** The model: a convolution, one that a @When keeps, and one whose stride a condition picks. */
    private static String source(String name, int h, int w, String when, String stride, boolean sized) {
        return "package fuzz;\n\nimport dev.modelcost.*;\n\n@Model(input = {3, " + h + ", " + w + "}" + (sized ? ", sizes = {\"H\", \"W\"}" : "")
                + ")\npublic class " + name + " {\n    " + CONV + " Layer a;\n    @When(\"" + when + "\") " + CONV + " Layer b;\n    "
                + CONV.replace(")", ", with = \"stride = " + stride + " ? 2 : 1\")") + " Layer c;\n}\n";
    }

    private static String describe(String[] model) {
        return "declared at " + model[0] + " x " + model[1] + ", @When(\"" + model[2] + "\"), stride = " + model[3] + " ? 2 : 1";
    }

    /** A random condition of x.H and x.W: a comparison of two expressions, or {@code depth} levels of them joined. */
    private static String condition(SplittableRandom random, int depth) {
        int pick = random.nextInt(10);
        if (depth > 0 && pick < 2) {
            return "(" + condition(random, depth - 1) + (pick == 0 ? " || " : " && ") + condition(random, depth - 1) + ")";
        }
        if (depth > 0 && pick == 2) {
            return "!(" + condition(random, depth - 1) + ")";
        }
        // orders mostly: an equality of two sizes is refused (it turns on a line), of one size and a number followed
        String[] orders = {"<", "<=", ">", ">=", "<", ">", "==", "!="};
        String order = orders[random.nextInt(orders.length)];
        String axis = random.nextBoolean() ? "x.H" : "x.W";
        int number = 1 + random.nextInt(80);
        switch (random.nextInt(10)) {
            case 0:
            case 1:
                // one size, as most models' tests are
                return expression(random, 1).replace("x.W", axis).replace("x.H", axis) + " " + order + " " + number;
            case 2:
                return "x.H + x.W " + order + " " + (2 * number);
            case 3:
                return "x.H * x.W " + order + " " + (number * number);
            case 4:
                return "x.H " + order + " " + (1 + random.nextInt(3)) + " * x.W" + (random.nextBoolean() ? "" : " - " + random.nextInt(9));
            case 5:
                return (random.nextBoolean() ? "max" : "min") + "(x.H, x.W) " + order + " " + number;
            default:
                return expression(random, 2) + " " + order + " " + expression(random, 2);
        }
    }

    /**
     * A random expression of x.H and x.W: sums, differences, products (now and then a square), remainders, quotients (by a number, a
     * negative number or a size), {@code max} and {@code min}, a conditional, a decimal factor and the channels {@code x.C}.
     */
    private static String expression(SplittableRandom random, int depth) {
        int pick = random.nextInt(depth == 0 ? 4 : 16);
        switch (pick) {
            case 0:
                return "x.H";
            case 1:
                return "x.W";
            case 2:
                return String.valueOf(1 + random.nextInt(80));
            case 3:
                return random.nextBoolean() ? "x.C" : "0.5";
            case 4:
                return (1 + random.nextInt(3)) + " * " + expression(random, depth - 1);
            case 5:
            case 6: {
                // now and then squared, which no box respects where it reads both sizes
                String e = "(" + expression(random, depth - 1) + (pick == 5 ? " - " : " + ") + expression(random, depth - 1) + ")";
                return random.nextInt(5) == 0 ? e + " * " + e : e;
            }
            case 7:
                return "(" + expression(random, depth - 1) + " * " + expression(random, depth - 1) + ")";
            case 8:
                return "(" + expression(random, depth - 1) + " % " + (random.nextBoolean() ? String.valueOf(2 + random.nextInt(7)) : "x.W") + ")";
            case 9:
                return "(" + expression(random, depth - 1) + " / " + (2 + random.nextInt(4)) + ")";
            case 10:
                return "(" + expression(random, depth - 1) + " / " + (random.nextBoolean() ? "(0 - x.W)" : "(x.H + " + random.nextInt(4) + ")") + ")";
            case 11:
            case 12:
                return (pick == 11 ? "max(" : "min(") + expression(random, depth - 1) + ", " + expression(random, depth - 1) + ")";
            case 13:
                return "(" + expression(random, depth - 1) + " > " + expression(random, depth - 1) + " ? " + expression(random, depth - 1) + " : "
                        + expression(random, depth - 1) + ")";
            default:
                return "(x.H - " + (1 + random.nextInt(3)) + " * x.W)";
        }
    }

    /**
     * Sizes around the declared ones; sizes on the lines {@code H = k·W} (k = 1, 2, 3) beside them, where a test of two sizes that
     * turns along such a line turns inside the box around the declared sizes; and random ones.
     */
    private static List<int[]> sizes(SplittableRandom random, int h, int w) {
        List<int[]> candidates = new ArrayList<>(List.of(new int[] {h + 1, w}, new int[] {h, w + 1}, new int[] {w, w}, new int[] {2 * w, w},
                new int[] {1 + random.nextInt(3 * h), 1 + random.nextInt(3 * w)}, new int[] {1 + random.nextInt(3 * h), 1 + random.nextInt(3 * w)}));
        for (int k = 1; k <= 3; k++) {
            int near = Math.max(1, w - 1 - random.nextInt(Math.max(1, w / 4)));
            int far = w + 1 + random.nextInt(Math.max(1, w / 4));
            candidates.add(new int[] {k * near, near});
            candidates.add(new int[] {k * far, far});
        }
        Set<List<Integer>> sizes = new LinkedHashSet<>();
        for (int[] size : candidates) {
            if (size[0] != h || size[1] != w) {
                sizes.add(List.of(size[0], size[1]));
            }
        }
        return sizes.stream().map(size -> new int[] {size.get(0), size.get(1)}).toList();
    }

    private static JavaFileObject file(String name, String source) {
        return JavaFileObjects.forSourceString("fuzz." + name, source);
    }

    private static Compilation compile(List<JavaFileObject> files) {
        return javac().withProcessors(new ModelCostProcessor()).withOptions("-Amodelcost.reports=false", "-Xmaxerrs", "100000").compile(files);
    }

    /** The errors of the compilation in the model's own file. */
    private static List<String> errors(Compilation compilation, String name) {
        return compilation.diagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .filter(d -> d.getSource() != null && d.getSource().getName().endsWith("/" + name + ".java"))
                .map(d -> d.getMessage(Locale.ROOT)).toList();
    }

    /** Every component of an {@code at(...)} record but the sizes, by name. */
    private static Map<String, Object> components(Object figures) throws ReflectiveOperationException {
        Map<String, Object> values = new LinkedHashMap<>();
        for (RecordComponent component : figures.getClass().getRecordComponents()) {
            if (component.getType() != int.class) {
                values.put(component.getName(), component.getAccessor().invoke(figures));
            }
        }
        return values;
    }
}
