package dev.modelcost.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelcost.processor.ModelCostProcessor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Property: random combinations of hostile ingredients — deep and long expressions, inheritance,
 * names that shadow {@code java.lang} or the packages {@code java}, {@code javax} and {@code dev}, odd {@code @Repeat} prefixes, huge repeat counts, blocks
 * from class files — give either a Cost class with the expected figure, or only the catalogued
 * errors each ingredient predicts, and then no Cost class; never an internal error (MC901) or an
 * exception.
 */
class FuzzHostileSpecsTest {
    private static final Pattern TAG = Pattern.compile("^\\[(MC\\d{3})\\] ");
    private static final int CASES = 24;

    /**
     * What one ingredient adds: fields of the model, other sources, the error it must give (or
     * null), whether that error is found while analysing (only when reading found none, and only
     * the first in field order), the sources of a jar it needs, and the parameters it adds.
     */
    private record Ingredient(String name, List<String> fields, Map<String, String> extraSources, String tag, boolean analysis,
            Map<String, String> jar, long params) {}

    @TestFactory
    Stream<DynamicTest> hostileCombinationsGiveCataloguedErrorsOrExactFigures() {
        return IntStream.range(0, CASES).filter(i -> FuzzSettings.only() < 0 || FuzzSettings.only() == i)
                .mapToObj(i -> DynamicTest.dynamicTest("hostile case " + i + " (seed " + FuzzSettings.seed() + ")", () -> check(i)));
    }

    private static void check(int index) {
        SplittableRandom r = FuzzSettings.random("hostile", index);
        String pkg = "h" + index;
        List<Ingredient> ingredients = new ArrayList<>();
        int count = 1 + r.nextInt(3);
        for (int i = 0; i < count; i++) {
            ingredients.add(ingredient(r, pkg, i));
        }
        StringBuilder model = new StringBuilder("package " + pkg + ";\n\nimport dev.modelcost.*;\n\n@Model(input = {16})\npublic class Net");
        boolean inherits = ingredients.stream().anyMatch(g -> g.name().equals("inheritance"));
        model.append(inherits ? " extends Base {\n" : " {\n");
        Map<String, String> sources = new LinkedHashMap<>();
        Map<String, String> jar = new LinkedHashMap<>();
        Set<String> expected = new TreeSet<>();
        String analysisTag = null;
        // The model's own figure: a first Linear of 16 -> 4 that every case has, so that a valid case checks a number.
        model.append("    @Linear(out = 4) Layer first;\n");
        for (Ingredient g : ingredients) {
            g.fields().forEach(f -> model.append("    ").append(f).append('\n'));
            sources.putAll(g.extraSources());
            jar.putAll(g.jar());
            if (g.tag() != null && !g.analysis()) {
                expected.add(g.tag());
            } else if (g.tag() != null && analysisTag == null) {
                analysisTag = g.tag();
            }
        }
        model.append("}\n");
        if (expected.isEmpty() && analysisTag != null) {
            expected.add(analysisTag);
        }
        sources.put(pkg + ".Net", model.toString());
        Path library = null;
        try {
            List<Path> classPath = List.of();
            if (!jar.isEmpty()) {
                ToolCompile.Result compiled = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), jar, List.of("-proc:none"), true);
                assertTrue(compiled.success(), compiled.output());
                library = compiled.classOutput();
                classPath = List.of(library);
            }
            ToolCompile.Result result = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), sources, List.of(), classPath, false,
                    new ModelCostProcessor());
            String described = ingredients.stream().map(Ingredient::name).toList() + "\n" + model + "\n" + result.output();
            Set<String> tags = new TreeSet<>();
            for (ToolCompile.Diag error : result.errors()) {
                assertFalse(error.message().contains("Exception") || error.message().contains("\tat "), "an exception: " + described);
                Matcher tag = TAG.matcher(error.message());
                assertTrue(tag.find(), "an error that is not catalogued: " + error.message() + "\n" + described);
                tags.add(tag.group(1));
            }
            assertFalse(tags.contains("MC901"), "an internal error: " + described);
            assertEquals(expected, tags, "the errors of " + described);
            boolean costClass = result.generated().containsKey(pkg + "/NetCost.java");
            assertEquals(expected.isEmpty(), costClass, "a Cost class exactly when the model is valid: " + described);
            if (costClass) {
                assertTrue(result.generated().get(pkg + "/NetCost.java").contains(" PARAMS = " + params(ingredients) + "L;"), described);
            }
        } finally {
            if (library != null) {
                ToolCompile.delete(library.getParent());
            }
        }
    }

    /** The parameters of a valid model: the first Linear (16 -> 4: 68), plus each ingredient's. */
    private static long params(List<Ingredient> ingredients) {
        return 68 + ingredients.stream().mapToLong(Ingredient::params).sum();
    }

    private static Ingredient ingredient(SplittableRandom r, String pkg, int i) {
        String f = "f" + i;
        switch (r.nextInt(7)) {
            case 0: {
                // Parentheses or an even number of minus signs around 4: the expression nests 1 + (their count) levels, 200 at most.
                int d = new int[] {3, 60, 150, 198, 199, 200, 600}[r.nextInt(7)];
                boolean parens = r.nextBoolean();
                int signs = d + d % 2;
                String expr = parens ? "(".repeat(d) + "4" + ")".repeat(d) : "-".repeat(signs) + "4";
                boolean valid = 1 + (parens ? d : signs) <= 200;
                // Linear 4 -> 4 keeps the width: 16 + 4 parameters.
                return new Ingredient("nesting " + (parens ? d + " parentheses" : signs + " minus signs"),
                        List.of("@Linear(with = \"out = " + expr + "\") Layer " + f + ";"), Map.of(), valid ? null : "MC201", false, Map.of(), 20);
            }
            case 1: {
                // A flat sum of n ones is n - 1 operations deep, 1,000 at most; Linear 4 -> n, then n -> 4.
                int n = new int[] {2, 400, 1001, 1002, 2500}[r.nextInt(5)];
                boolean valid = n - 1 <= 1000;
                return new Ingredient("a sum of " + n + " ones", List.of("@Linear(with = \"out = 1" + "+1".repeat(n - 1) + "\") Layer " + f + ";",
                        "@Linear(out = 4) Layer " + f + "b;"), Map.of(), valid ? null : "MC201", false, Map.of(), 4L * n + n + n * 4L + 4);
            }
            case 2:
                return new Ingredient("inheritance", List.of(), Map.of(pkg + ".Base", "package " + pkg + ";\n\nimport dev.modelcost.*;\n\n"
                        + "@Block\npublic class Base {\n    @ReLU Layer baseRelu;\n}\n"), "MC121", false, Map.of(), 0);
            case 3: {
                // java.lang's and java.util's types, and the roots of the packages the generated class names
                String shadow = new String[] {"Long", "String", "Integer", "List", "java", "javax", "dev"}[r.nextInt(7)];
                return new Ingredient("a class named " + shadow, List.of("@ReLU Layer " + f + ";"),
                        Map.of(pkg + "." + shadow, "package " + pkg + ";\n\npublic class " + shadow + " {}\n"), null, false, Map.of(), 0);
            }
            case 4: {
                String prefix = new String[] {"layer", "layer\\t", "a.b", "x\\n"}[r.nextInt(4)];
                String unit = "U" + i;
                return new Ingredient("repeat prefix " + prefix, List.of("@Repeat(value = 2, prefix = \"" + prefix + "\") " + unit + " " + f + ";",
                        "@Block public static class " + unit + " { @ReLU Layer relu; }"), Map.of(), prefix.equals("layer") ? null : "MC214", false,
                        Map.of(), 0);
            }
            case 5: {
                boolean keeps = r.nextBoolean();
                String unit = "R" + i;
                String body = keeps ? "@ReLU Layer relu;" : "@Linear(with = \"out = in == 4 ? 2 : 4\") Layer fc;";
                // A folding run stays within the 2^31 - 1 leaves LAYERS can list even three times over; a shape-changing one is refused.
                // (Integer.MAX_VALUE as a literal: another ingredient may declare a class named Integer, or java, in the model's package)
                String count = keeps ? "536_870_911" : "2_147_483_647";
                return new Ingredient("repeat of " + count + ", " + (keeps ? "folding" : "shape-changing"),
                        List.of("@Repeat(" + count + ") " + unit + " " + f + ";", "@Block public static class " + unit + " { " + body + " }"),
                        Map.of(), keeps ? null : "MC422", true, Map.of(), 0);
            }
            default: {
                boolean valid = r.nextBoolean();
                String block = "J" + i;
                // 4 features into a Linear of 4 -> 8 (40 parameters, then 8 -> 4: 36), or a Reshape of 4 elements to 3 (refused).
                String layer = valid ? "@Linear(out = 8) Layer fc;" : "@Reshape(shape = {3}) Layer bad;";
                return new Ingredient("a block from a class file" + (valid ? "" : " with a bad reshape"),
                        List.of("lib" + pkg + "." + block + " " + f + ";", "@Linear(out = 4) Layer " + f + "b;"), Map.of(), valid ? null : "MC312", true,
                        Map.of("lib" + pkg + "." + block, "package lib" + pkg + ";\n\nimport dev.modelcost.*;\n\n@Block\npublic class " + block
                                + " {\n    " + layer + "\n}\n"), valid ? 76 : 0);
            }
        }
    }
}
