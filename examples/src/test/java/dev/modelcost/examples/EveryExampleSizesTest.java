package dev.modelcost.examples;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.modelcost.ClosedForm;
import dev.modelcost.SizeProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example that does not declare sizes, given them here: its image axes (H and W, and T for
 * video), its sequence length, both inputs' lengths of the encoder-decoder, and the batch where the example sets one or
 * nothing else varies (the Siamese network's two images, whose one tower fixes their sizes together; Swin-T's image, see
 * {@link #BATCH_ONLY}). Each file is compiled once so, and then at five other sizes of each model's
 * domain, odd ones included where its lattice has them (the smallest size, the next, and three
 * above the default); every closed form the first compilation wrote equals, at those sizes, the
 * constant the second wrote. Where the model has a size program (its lattices leave sizes out), two sizes off the lattices
 * are compiled too, and every figure of the program equals the constant written there; the two
 * segmentation models' programs also equal PyTorch's figures at two sizes off their lattices.
 */
class EveryExampleSizesTest {
    private static final Path SOURCES = ExampleSources.SOURCES;
    private static final Pattern MODEL = Pattern.compile("(?m)^(\\s*)@Model\\((.*)\\)([ \\t]*//[^\\n]*)?$");

    /**
     * PyTorch's figures off the lattices, per file: H, W, then MACs, FLOPs, parameters, buffers and the output's channels. From
     * tools/pytorch/sized-layer-costs.tsv (measure_layers.py, torch 1.13 and torchvision 0.14 at the aten dispatch level; its first
     * line is the command): torchvision's segmentation models at 1x3x255x257 and 1x3x481x353, both resampled to the input's size.
     */
    private static final Map<String, long[][]> PYTORCH = Map.of(
            "FcnResNet50", new long[][] {
                {255, 257, 35_653_656_576L, 71_272_968_192L, 32_957_013L, 54_144L, 21},
                {481, 353, 92_665_788_096L, 185_242_384_320L, 32_957_013L, 54_144L, 21}},
            "LRASPPMobileNetV3Large", new long[][] {
                {255, 257, 521_153_024L, 1_035_143_552L, 3_221_538L, 24_656L, 21},
                {481, 353, 1_360_233_104L, 2_701_826_936L, 3_221_538L, 24_656L, 21}});

    /**
     * Examples whose image cannot vary from its declared size in one piece of forms, so only their batch varies here. Swin-T: its
     * windows tile every stage's map only where H and W are multiples of 224 (a 7x7 window on maps of H/4 to H/32), and there
     * torchvision shifts the last stage's blocks from 448 on but not at 224, where one window covers the map: the forms change at
     * the declared size itself (MC419), and a model of several variables has one piece of forms. Declared at 448, its image
     * varies ({@link SwinTSizesTest}).
     */
    private static final java.util.Set<String> BATCH_ONLY = java.util.Set.of("SwinT");

    /** One @Model of a file: where it is, its variables and the dimension each one is. */
    private record Declared(String costClass, List<String> variables, List<int[]> dims) {}

    @TestFactory
    Stream<DynamicTest> everyClosedFormEqualsTheModelCompiledAtOtherSizes() throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> paths = Files.list(SOURCES)) {
            for (Path path : paths.sorted().toList()) {
                String text = Files.readString(path);
                Matcher model = MODEL.matcher(text);
                if (model.find() && !model.group(2).contains("sizes =")) {
                    files.add(path.getFileName().toString().replace(".java", ""));
                }
            }
        }
        assertTrue(files.size() >= 25, files.toString());
        return files.stream().map(file -> DynamicTest.dynamicTest(file, () -> compare(file)));
    }

    private static void compare(String file) throws IOException {
        String text = Files.readString(SOURCES.resolve(file + ".java"));
        List<Declared> models = new ArrayList<>();
        StringBuilder sized = new StringBuilder();
        Matcher model = MODEL.matcher(text);
        int last = 0;
        while (model.find()) {
            Declared declared = declare(file, text, model);
            models.add(declared);
            sized.append(text, last, model.start()).append(model.group(1)).append("@Model(").append(model.group(2)).append(", sizes = {")
                    .append(String.join(", ", declared.variables().stream().map(v -> "\"" + v + "\"").toList())).append("})");
            last = model.end();
        }
        sized.append(text.substring(last));
        Compilation withSizes = ExampleSources.compile(file, withoutBudgets(sized.toString()));
        assertThat(withSizes).succeeded();
        // Per model: its domains, then five sizes in them.
        Map<Declared, List<long[]>> sizes = new LinkedHashMap<>();
        Map<Declared, String> generated = new LinkedHashMap<>();
        for (Declared declared : models) {
            String source = ExampleSources.generated(withSizes, declared.costClass());
            generated.put(declared, source);
            sizes.put(declared, chosen(source, declared));
        }
        // Per model with a size program (sizes off its lattices): two sizes off them where the network exists.
        Map<Declared, SizeProgram> programs = new LinkedHashMap<>();
        for (Declared declared : models) {
            SizeProgram program = program(generated.get(declared), declared);
            if (PYTORCH.containsKey(file)) {
                assertTrue(program != null, file + " has no size program");
                equalsPyTorch(program, PYTORCH.get(file), declared);
            }
            if (program != null) {
                programs.put(declared, program);
                sizes.get(declared).addAll(offLattice(generated.get(declared), declared, program));
            } else {
                sizes.get(declared).add(sizes.get(declared).get(0));
                sizes.get(declared).add(sizes.get(declared).get(0));
            }
        }
        for (int run = 0; run < 7; run++) {
            StringBuilder fixed = new StringBuilder();
            Matcher again = MODEL.matcher(text);
            last = 0;
            int index = 0;
            while (again.find()) {
                Declared declared = models.get(index++);
                fixed.append(text, last, again.start()).append(again.group(1)).append("@Model(")
                        .append(at(again.group(2), declared, sizes.get(declared).get(run))).append(")");
                last = again.end();
            }
            fixed.append(text.substring(last));
            Compilation compiled = ExampleSources.compile(file, withoutBudgets(fixed.toString()));
            assertThat(compiled).succeeded();
            for (Declared declared : models) {
                long[] point = sizes.get(declared).get(run);
                String constants = ExampleSources.generated(compiled, declared.costClass());
                if (run >= 5) {
                    if (programs.containsKey(declared)) {
                        compareProgram(programs.get(declared), point, constants, declared);
                    }
                    continue;
                }
                int compared = 0;
                for (Map.Entry<String, String> form : forms(generated.get(declared)).entrySet()) {
                    ClosedForm closed = ClosedForm.parse(form.getKey(), declared.variables(), form.getValue());
                    long expected = form.getKey().startsWith("OUTPUT_")
                            ? (long) ExampleSources.output(constants).get(Integer.parseInt(form.getKey().substring("OUTPUT_".length())))
                            : ExampleSources.constant(constants, form.getKey());
                    assertEquals(expected, closed.at(point), declared.costClass() + " " + form.getKey() + " at " + Arrays.toString(point));
                    compared++;
                }
                assertTrue(compared >= 14, declared.costClass() + ": " + compared + " forms");
            }
        }
    }

    /** The program's MACs, FLOPs, parameters, buffers and output at each measured size equal PyTorch's. */
    private static void equalsPyTorch(SizeProgram program, long[][] measured, Declared declared) {
        List<String> figures = program.figures();
        for (long[] row : measured) {
            long[] values = program.at(row[0], row[1]);
            String at = declared.costClass() + " at " + row[0] + " x " + row[1] + ": ";
            assertEquals(row[2], values[figures.indexOf("MACS")], at + "MACS");
            assertEquals(row[3], values[figures.indexOf("FLOPS")], at + "FLOPS");
            assertEquals(row[4], values[figures.indexOf("PARAMS")], at + "PARAMS");
            assertEquals(row[5], values[figures.indexOf("BUFFERS")], at + "BUFFERS");
            assertEquals(List.of(row[6], row[0], row[1]), Arrays.stream(values, figures.size(), values.length).boxed().toList(), at + "output");
        }
    }

    /** Every figure of the size program at {@code point} equals the constant of the model compiled there, and so does the output. */
    private static void compareProgram(SizeProgram program, long[] point, String constants, Declared declared) {
        long[] values = program.at(point);
        List<String> figures = program.figures();
        for (int f = 0; f < figures.size(); f++) {
            assertEquals(ExampleSources.constant(constants, figures.get(f)), values[f],
                    declared.costClass() + " " + figures.get(f) + " off the lattice at " + Arrays.toString(point));
        }
        List<Long> output = ExampleSources.output(constants).stream().map(Integer::longValue).toList();
        assertEquals(output, Arrays.stream(values, figures.size(), values.length).boxed().toList(), declared.costClass() + " output");
        assertTrue(figures.size() >= 16, declared.costClass() + ": " + figures.size() + " figures in its program");
    }

    /** The generated class's size program, or null where it has none. */
    private static SizeProgram program(String generated, Declared declared) {
        return ExampleSources.program(generated, declared.costClass(), declared.variables());
    }

    /** Two sizes off the model's lattices where its program says the network exists: near the default and further out. */
    private static List<long[]> offLattice(String generated, Declared declared, SizeProgram program) {
        Matcher domain = Pattern.compile("SizeDomain\\.of\\(\"[^\"]*\", \"([^\"]*)\", (\\d+), (\\d+),").matcher(generated);
        long[] fallback = new long[declared.variables().size()];
        long[] period = new long[fallback.length];
        for (int v = 0; v < fallback.length; v++) {
            assertTrue(domain.find(), declared.costClass());
            fallback[v] = Long.parseLong(domain.group(2));
            period[v] = Long.parseLong(domain.group(3));
        }
        List<long[]> points = new ArrayList<>();
        for (long offset : new long[] {1, 3, 7, 13, 29, 61, -1, -3, -7, -13}) {
            long[] point = new long[fallback.length];
            for (int v = 0; v < point.length; v++) {
                point[v] = period[v] > 1 ? Math.max(1, fallback[v] + offset * (points.isEmpty() ? 1 : v + 2)) : fallback[v];
            }
            try {
                program.at(point);
            } catch (IllegalArgumentException doesNotExist) {
                continue;
            }
            points.add(point);
            if (points.size() == 2) {
                return points;
            }
        }
        throw new AssertionError(declared.costClass() + ": no size off its lattice where its program says the network exists");
    }

    /** The variables of one @Model: image axes, the sequence length, each input's length, and the batch where it sets one. */
    private static Declared declare(String file, String text, Matcher model) {
        String attributes = model.group(2);
        Matcher type = Pattern.compile("class (\\w+)").matcher(text.substring(model.end()));
        assertTrue(type.find(), file);
        String costClass = type.group(1).equals(file) ? file + "Cost" : file + "_" + type.group(1) + "Cost";
        List<String> variables = new ArrayList<>();
        List<int[]> dims = new ArrayList<>();
        Matcher inputs = Pattern.compile("@Input\\(name = \"(\\w+)\", shape = \\{([^}]*)\\}, layout = \"([^\"]*)\"").matcher(attributes);
        boolean several = false;
        while (inputs.find()) {
            several = true;
            // Each input's length; images of a Siamese network keep their sizes, as one tower's weights must fit both.
            List<String> axes = List.of(inputs.group(3).split(","));
            if (axes.contains("L")) {
                variables.add(inputs.group(1) + ".L");
                dims.add(new int[] {inputs.start(2), axes.indexOf("L")});
            }
        }
        if (!several && !BATCH_ONLY.contains(file)) {
            Matcher input = Pattern.compile("input = \\{([^}]*)\\}").matcher(attributes);
            assertTrue(input.find(), file);
            int rank = input.group(1).split(",").length;
            Matcher layout = Pattern.compile("layout = \"([^\"]*)\"").matcher(attributes);
            List<String> axes = layout.find() ? List.of(layout.group(1).split(","))
                    : rank == 1 ? List.of("L") : rank == 2 ? List.of("L", "D") : rank == 3 ? List.of("C", "H", "W") : List.of("C", "T", "H", "W");
            String[] values = input.group(1).split(",\\s*");
            for (String axis : List.of("T", "H", "W", "L")) {
                int at = axes.indexOf(axis);
                // A generator's 1 x 1 latent has no size to vary.
                if (at >= 0 && !values[at].trim().equals("1")) {
                    variables.add(axis);
                    dims.add(new int[] {input.start(1), at});
                }
            }
        }
        if (attributes.contains("batch =") || variables.isEmpty()) {
            variables.add("batch");
            dims.add(new int[] {-1, -1});
        }
        return new Declared(costClass, variables, dims);
    }

    /** The @Model's attributes with each variable at its value of {@code point}. */
    private static String at(String attributes, Declared declared, long[] point) {
        // Each dimension list, by where it starts, with its new values; then rewritten from the last to the first, so offsets hold.
        Map<Integer, List<String>> lists = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
        String batch = null;
        for (int v = 0; v < point.length; v++) {
            int start = declared.dims().get(v)[0];
            if (start < 0) {
                batch = Long.toString(point[v]);
                continue;
            }
            lists.computeIfAbsent(start, s -> new ArrayList<>(Arrays.asList(attributes.substring(s, attributes.indexOf('}', s)).split(",\\s*"))))
                    .set(declared.dims().get(v)[1], Long.toString(point[v]));
        }
        String result = attributes;
        for (Map.Entry<Integer, List<String>> list : lists.entrySet()) {
            result = result.substring(0, list.getKey()) + String.join(", ", list.getValue()) + result.substring(attributes.indexOf('}', list.getKey()));
        }
        if (batch != null) {
            result = result.contains("batch =") ? result.replaceFirst("batch = \\d+", "batch = " + batch) : result + ", batch = " + batch;
        }
        return result;
    }

    /** Five sizes of the model's domain, each variable on its lattice: the smallest, the next, and three above the default. */
    private static List<long[]> chosen(String generated, Declared declared) {
        Matcher domain = Pattern.compile("SizeDomain\\.of\\(\"[^\"]*\", \"([^\"]*)\", (\\d+), (\\d+), (\\d+), \"(?:[^\"\\\\]|\\\\.)*\", (\\d+),")
                .matcher(generated);
        List<long[]> columns = new ArrayList<>();
        for (String variable : declared.variables()) {
            assertTrue(domain.find(), declared.costClass() + " " + variable);
            assertEquals(variable, domain.group(1));
            long fallback = Long.parseLong(domain.group(2));
            long period = Long.parseLong(domain.group(3));
            long min = Long.parseLong(domain.group(4));
            long max = Long.parseLong(domain.group(5));
            long[] picks = variable.equals("batch") ? new long[] {1, 2, 3, 5, 8}
                    : new long[] {min, min + period, fallback + period, fallback + 3 * period, fallback + 5 * period};
            for (int j = 0; j < picks.length; j++) {
                picks[j] = Math.min(max, Math.max(min, picks[j]));
            }
            columns.add(picks);
        }
        List<long[]> points = new ArrayList<>();
        for (int j = 0; j < 5; j++) {
            long[] point = new long[declared.variables().size()];
            for (int v = 0; v < point.length; v++) {
                point[v] = columns.get(v)[j];
            }
            points.add(point);
        }
        return points;
    }

    /** The source without its {@code @Budget} lines: a budget bounds the declared sizes, and other sizes may exceed it. */
    private static String withoutBudgets(String text) {
        return text.replaceAll("(?m)^\\s*@Budget\\(.*\\)[ \\t]*(//[^\\n]*)?\\n", "");
    }

    private static Map<String, String> forms(String generated) {
        Map<String, String> forms = new LinkedHashMap<>();
        Matcher matcher = Pattern.compile("(\\w+)_FORM = ClosedForm\\.parse\\(\"\\w+\", SIZE_VARIABLES, \"([^\"]+)\"\\);")
                .matcher(generated);
        while (matcher.find()) {
            forms.put(matcher.group(1), matcher.group(2));
        }
        return forms;
    }
}
