package dev.modelcost.examples;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The generated {@code at(...)} of every example that declares sizes, against the same example
 * compiled at those sizes (its {@code @Model} rewritten to them, without {@code sizes}): every figure
 * of the record, and the output shape, equal the generated constants there. Sizes are chosen across
 * each example's domain, odd ones included where its lattice has them. Then PyTorch's figures at
 * other sizes, and the exceptions outside the domains.
 */
class SizeFunctionsTest {
    private static final Path SOURCES = ExampleSources.SOURCES;

    /** Each sized example, the axis of each variable in its {@code input} (-1 for the batch), and the sizes to compare at. */
    private record Sized(String model, List<String> variables, List<Integer> axes, List<int[]> sizes) {}

    private static final List<Sized> EXAMPLES = List.of(
            new Sized("LlamaTiny", List.of("L"), List.of(0), List.of(new int[] {1}, new int[] {17}, new int[] {64}, new int[] {255}, new int[] {1000})),
            new Sized("Gpt2Small", List.of("L"), List.of(0), List.of(new int[] {1}, new int[] {7}, new int[] {333}, new int[] {512}, new int[] {1023})),
            new Sized("BertBase", List.of("L", "batch"), List.of(0, -1),
                    List.of(new int[] {1, 1}, new int[] {1, 4}, new int[] {7, 3}, new int[] {64, 2}, new int[] {333, 1}, new int[] {512, 5})),
            new Sized("Llama3_8B", List.of("L"), List.of(0), List.of(new int[] {1}, new int[] {3}, new int[] {100}, new int[] {4095}, new int[] {8192})),
            new Sized("Mistral7B", List.of("L"), List.of(0),
                    List.of(new int[] {1}, new int[] {1000}, new int[] {4096}, new int[] {4097}, new int[] {9001}, new int[] {32768})),
            new Sized("ResNet50", List.of("H", "W"), List.of(1, 2),
                    List.of(new int[] {32, 32}, new int[] {64, 512}, new int[] {256, 96}, new int[] {512, 512}, new int[] {800, 1312},
                            // off the lattice: from the size program
                            new int[] {33, 39}, new int[] {299, 301}, new int[] {225, 224}, new int[] {97, 1001},
                            // below the lattice's smallest size, 32: from the size program too
                            new int[] {17, 31}, new int[] {1, 1})),
            new Sized("InceptionV3", List.of("H", "W"), List.of(1, 2),
                    List.of(new int[] {75, 75}, new int[] {107, 139}, new int[] {331, 299}, new int[] {299, 651}, new int[] {523, 75},
                            // off the lattice: from the size program
                            new int[] {76, 77}, new int[] {300, 301}, new int[] {640, 481})),
            new Sized("UNet", List.of("H", "W"), List.of(1, 2),
                    List.of(new int[] {16, 16}, new int[] {48, 80}, new int[] {272, 256}, new int[] {512, 128}, new int[] {1024, 16},
                            // off the lattice: from the size program, which evaluates the Up blocks' padding again at each size
                            new int[] {255, 257}, new int[] {17, 31}, new int[] {100, 333}, new int[] {481, 353})));

    @Test
    void everyExampleThatDeclaresSizesIsCompared() throws IOException {
        Set<String> declared = new java.util.TreeSet<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path file : files.toList()) {
                if (Pattern.compile("@Model\\([^\\n]*\\bsizes = ").matcher(Files.readString(file)).find()) {
                    declared.add(file.getFileName().toString().replace(".java", ""));
                }
            }
        }
        assertEquals(declared, new java.util.TreeSet<>(EXAMPLES.stream().map(Sized::model).toList()));
    }

    @TestFactory
    Stream<DynamicTest> theGeneratedFunctionsEqualTheModelCompiledAtThoseSizes() {
        return EXAMPLES.stream().flatMap(example -> example.sizes().stream().map(sizes -> DynamicTest.dynamicTest(
                example.model() + " at " + Arrays.toString(sizes), () -> compare(example, sizes))));
    }

    private static void compare(Sized example, int[] sizes) throws ReflectiveOperationException {
        Compilation compilation = compileAt(example, sizes);
        assertThat(compilation).succeeded();
        String generated = ExampleSources.generated(compilation, example.model() + "Cost");
        Object figures = at(example.model(), sizes);
        int compared = 0;
        for (RecordComponent component : figures.getClass().getRecordComponents()) {
            Object value = component.getAccessor().invoke(figures);
            if (example.variables().contains(component.getName())) {
                continue;
            }
            if (component.getName().equals("output")) {
                assertEquals(ExampleSources.output(generated), value, "output");
            } else {
                String constant = constantName(component.getName());
                assertEquals(ExampleSources.constant(generated, constant), value, constant);
            }
            compared++;
        }
        // Every figure of these examples has one: the forward pass's 14 counts, the activation peak, the inference memory and the output.
        assertTrue(compared >= 17, "only " + compared + " figures have closed forms");
        // The arithmetic intensity, from three of them, is the same double as the constant (compared bit for bit).
        double intensity = (Double) figures.getClass().getMethod("arithmeticIntensity").invoke(figures);
        assertEquals(ExampleSources.doubleConstant(generated, "ARITHMETIC_INTENSITY"), intensity, 0.0, "ARITHMETIC_INTENSITY");
    }

    /** The example's figures from its generated {@code at(...)}. */
    private static Object at(String model, int... sizes) throws ReflectiveOperationException {
        Class<?> cost = Class.forName("dev.modelcost.examples." + model + "Cost");
        Class<?>[] parameters = new Class<?>[sizes.length];
        Arrays.fill(parameters, int.class);
        Method at = cost.getMethod("at", parameters);
        try {
            return at.invoke(null, Arrays.stream(sizes).boxed().toArray());
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    private static long figure(String model, String component, int... sizes) throws ReflectiveOperationException {
        Object figures = at(model, sizes);
        return (Long) figures.getClass().getMethod(component).invoke(figures);
    }

    /** {@code otherOps} -> {@code OTHER_OPS}. */
    private static String constantName(String component) {
        return component.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /** The example compiled at {@code sizes}: its {@code @Model} gives them as its input and batch, and no sizes; no {@code @Budget}. */
    private static Compilation compileAt(Sized example, int[] sizes) {
        try {
            String source = Files.readString(SOURCES.resolve(example.model() + ".java"));
            Matcher model = Pattern.compile("@Model\\((.*)\\)").matcher(source);
            assertTrue(model.find(), example.model());
            String attributes = model.group(1).replaceAll(",\\s*sizes = (\\{[^}]*\\}|\"[^\"]*\")", "");
            Matcher input = Pattern.compile("input = \\{([^}]*)\\}").matcher(attributes);
            assertTrue(input.find(), example.model());
            List<String> dims = new ArrayList<>(Arrays.asList(input.group(1).split(",\\s*")));
            String batch = "";
            for (int i = 0; i < sizes.length; i++) {
                if (example.axes().get(i) < 0) {
                    batch = ", batch = " + sizes[i];
                } else {
                    dims.set(example.axes().get(i), Integer.toString(sizes[i]));
                }
            }
            String rewritten = "@Model(" + attributes.substring(0, input.start()) + "input = {" + String.join(", ", dims) + "}"
                    + attributes.substring(input.end()) + batch + ")";
            String text = source.substring(0, model.start()) + rewritten + source.substring(model.end());
            text = text.replaceAll("(?m)^@Budget\\(.*\\)\\n", "");
            return ExampleSources.compile(example.model(), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    @Test
    void resNet50AtOtherSizesEqualsPyTorch() throws ReflectiveOperationException {
        // tools/pytorch/sized-costs.tsv (torch 1.13, torchvision 0.14 forward hooks; its first line is the command):
        // resnet50 at 1x3x512x512 and 1x3x288x320: params 25,557,032, buffers 53,120, and these MACs and FLOPs.
        Map<int[], long[]> measured = new LinkedHashMap<>();
        measured.put(new int[] {512, 512}, new long[] {21_355_249_664L, 42_652_434_432L});
        measured.put(new int[] {288, 320}, new long[] {7_509_032_960L, 14_997_652_480L});
        for (Map.Entry<int[], long[]> size : measured.entrySet()) {
            assertEquals(size.getValue()[0], figure("ResNet50", "macs", size.getKey()));
            assertEquals(size.getValue()[1], figure("ResNet50", "flops", size.getKey()));
            assertEquals(25_557_032L, figure("ResNet50", "params", size.getKey()));
            assertEquals(53_120L, figure("ResNet50", "buffers", size.getKey()));
        }
    }

    @Test
    void resNet50sCounterFiguresAtOtherSizesEqualTheTools() throws ReflectiveOperationException {
        // tools/pytorch/sized-counter-costs.tsv (measure_counters.py with an input shape per model; thop 43c064a, nni 36ba04c,
        // ptflops d612c75, fvcore 3378afe, torchinfo 5c4164f and v1.8.0 on torch 1.13 / torchvision 0.14; its second line is the
        // command): resnet50 at 1x3x512x512 and 1x3x320x320, on the lattice 224 + 32k, and at 1x3x299x301, off it (the size program).
        String[] components = {"thopMacs", "thopParams", "nniFlops", "nniParams", "nniFullFlops", "nniFullParams", "ptflopsMacs", "ptflopsParams",
            "ptflopsNofuncMacs", "ptflopsAtenMacs", "fvcoreFlops", "torchinfoMultAdds", "torchinfoParams", "torchinfoV180MultAdds"};
        Map<int[], long[]> measured = new LinkedHashMap<>();
        measured.put(new int[] {512, 512}, new long[] {21_588_035_584L, 25_557_032L, 21_355_249_664L, 25_503_912L, 21_471_906_792L, 25_557_032L,
            21_581_218_792L, 25_557_032L, 21_526_299_624L, 21_355_250_664L, 21_471_903_744L, 21_355_303_784L, 25_557_032L, 21_355_303_784L});
        measured.put(new int[] {320, 320}, new long[] {8_434_075_648L, 25_557_032L, 8_343_142_400L, 25_503_912L, 8_388_713_448L, 25_557_032L,
            8_431_412_200L, 25_557_032L, 8_409_959_400L, 8_343_143_400L, 8_388_710_400L, 8_343_196_520L, 25_557_032L, 8_343_196_520L});
        measured.put(new int[] {299, 301}, new long[] {7_729_435_008L, 25_557_032L, 7_647_511_424L, 25_503_912L, 7_688_577_640L, 25_557_032L,
            7_726_991_976L, 25_557_032L, 7_707_681_384L, 7_647_512_424L, 7_688_574_592L, 7_647_565_544L, 25_557_032L, 7_647_565_544L});
        for (Map.Entry<int[], long[]> size : measured.entrySet()) {
            for (int i = 0; i < components.length; i++) {
                assertEquals(size.getValue()[i], figure("ResNet50", components[i], size.getKey()), components[i] + " at " + Arrays.toString(size.getKey()));
            }
        }
    }

    @Test
    void inceptionV3DownToItsSmallestInputEqualsPyTorch() throws ReflectiveOperationException {
        // tools/pytorch/sized-costs.tsv: inception_v3 (aux_logits=False) at 1x3x75x75, torchvision's smallest input, and 1x3x107x139.
        assertEquals(203_525_728L, figure("InceptionV3", "macs", 75, 75));
        assertEquals(406_664_064L, figure("InceptionV3", "flops", 75, 75));
        assertEquals(725_559_392L, figure("InceptionV3", "macs", 107, 139));
        assertEquals(1_449_876_352L, figure("InceptionV3", "flops", 107, 139));
        assertEquals(23_834_568L, figure("InceptionV3", "params", 107, 139));
    }

    @Test
    void decodersAtFourLengthsEqualPyTorch() throws ReflectiveOperationException {
        // tools/pytorch/decoder-costs.tsv and ../shared/reference/next-wave-seq.tsv (measure_decoders.py: every mm, addmm and bmm at
        // batch 1): llama_tiny and gpt2_small MACs at T = 64, 128, 256, 512.
        long[] lengths = {64, 128, 256, 512};
        long[] llama = {1_837_105_152L, 3_707_764_736L, 7_549_747_200L, 15_636_365_312L};
        long[] gpt2 = {7_981_547_520L, 16_114_089_984L, 32_832_159_744L, 68_080_238_592L};
        for (int i = 0; i < lengths.length; i++) {
            assertEquals(llama[i], figure("LlamaTiny", "macs", (int) lengths[i]));
            assertEquals(gpt2[i], figure("Gpt2Small", "macs", (int) lengths[i]));
        }
    }

    @Test
    void offTheLatticeResNet50AndInceptionV3At299x301EqualPyTorch() throws ReflectiveOperationException {
        // tools/pytorch/sized-costs.tsv (torch 1.13, torchvision 0.14 forward hooks; its first line is the command), at 1x3x299x301:
        // every floor of the strided convolutions and poolings is inexact there, off both lattices. at(299, 301) answers from each
        // model's size program, and the model compiled at that size gives the same figures.
        Map<String, long[]> measured = new LinkedHashMap<>();
        measured.put("ResNet50", new long[] {7_647_511_424L, 15_274_593_664L, 25_557_032L, 53_120L});
        measured.put("InceptionV3", new long[] {5_717_409_088L, 11_425_831_808L, 23_834_568L, 34_432L});
        String[] components = {"macs", "flops", "params", "buffers"};
        for (Map.Entry<String, long[]> model : measured.entrySet()) {
            for (int i = 0; i < components.length; i++) {
                assertEquals(model.getValue()[i], figure(model.getKey(), components[i], 299, 301), model.getKey() + " " + components[i]);
            }
            Object figures = at(model.getKey(), 299, 301);
            assertEquals(List.of(1000), figures.getClass().getMethod("output").invoke(figures), model.getKey());
            Sized example = EXAMPLES.stream().filter(e -> e.model().equals(model.getKey())).findFirst().orElseThrow();
            Compilation compilation = compileAt(example, new int[] {299, 301});
            assertThat(compilation).succeeded();
            String generated = ExampleSources.generated(compilation, model.getKey() + "Cost");
            assertTrue(generated.contains("INPUT_SHAPE = \"1x3x299x301\";"), model.getKey());
            for (int i = 0; i < components.length; i++) {
                assertEquals(model.getValue()[i], ExampleSources.constant(generated, constantName(components[i])), model.getKey() + " " + components[i]);
            }
        }
    }

    @Test
    void belowItsDomainTheProgramNamesTheLayerWhereTheNetworkEnds() {
        // Inception v3 does not exist below 75 rows: the stem's valid 3x3 convolutions and stride-2 poolings leave Mixed_7a's stride-2
        // 3x3 convolutions a single row at 74, off its lattice 299 + 32k and below it.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> at("InceptionV3", 74, 301));
        assertTrue(e.getMessage().startsWith("InceptionV3 does not exist at H = 74, W = 301: Mixed_7a."), e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> at("InceptionV3", 0, 301));
        assertEquals("InceptionV3: H = 0 is no size; sizes are at least 1", none.getMessage());
    }

    @Test
    void offTheLatticeTheUNetEqualsPyTorch() throws ReflectiveOperationException {
        // tools/pytorch/sized-layer-costs.tsv (measure_layers.py, torch 1.13 at the aten dispatch level; its first line is the command):
        // the UNet of modules.py at 1x3x255x257 and 1x3x481x353, off its lattice 256 + 16k. Each Up block pads (or crops) the upsampled map
        // to its skip connection's size by an attribute that reads both sizes; the size program evaluates it again at each size.
        Map<int[], long[]> measured = new LinkedHashMap<>();
        measured.put(new int[] {255, 257}, new long[] {47_287_482_560L, 94_543_213_184L});
        measured.put(new int[] {481, 353}, new long[] {124_316_735_296L, 248_550_804_864L});
        for (Map.Entry<int[], long[]> size : measured.entrySet()) {
            int[] at = size.getKey();
            assertEquals(size.getValue()[0], figure("UNet", "macs", at), Arrays.toString(at));
            assertEquals(size.getValue()[1], figure("UNet", "flops", at), Arrays.toString(at));
            assertEquals(31_037_698L, figure("UNet", "params", at));
            assertEquals(11_776L, figure("UNet", "buffers", at));
            Object figures = at("UNet", at);
            assertEquals(List.of(2, at[0], at[1]), figures.getClass().getMethod("output").invoke(figures));
        }
    }

    @Test
    void sizesBelowTheSmallestNetworkNameTheLayerThatFails() {
        // 43 lies on the lattice 299 + 32k, below its smallest size: the size program answers, and names the layer where the network ends.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> at("InceptionV3", 43, 299));
        assertTrue(e.getMessage().startsWith("InceptionV3 does not exist at H = 43, W = 299: Mixed_7a."), e.getMessage());
    }

    @Test
    void sizesAboveTheLargestNameWhatEndsThereAndAWindowStartsAPiece() throws ReflectiveOperationException {
        IllegalArgumentException positions = assertThrows(IllegalArgumentException.class, () -> at("BertBase", 513, 1));
        assertTrue(positions.getMessage().contains("L = 513 is above 512") && positions.getMessage().contains("embeddings.position_embeddings"),
                positions.getMessage());
        // Mistral's sliding window of 4,096 caps the KV cache: past it the forms change, and a second piece holds.
        assertEquals(figure("Mistral7B", "kvCacheBytes", 4096), figure("Mistral7B", "kvCacheBytes", 32768));
        assertTrue(figure("Mistral7B", "kvCacheBytes", 4095) < figure("Mistral7B", "kvCacheBytes", 4096));
        assertEquals(List.of(1L, 4097L), Mistral7BCost.PIECE_STARTS);
    }

    @Test
    void llama3KvCacheFitsItsBudgetAtEveryLengthUpTo8K() throws ReflectiveOperationException {
        // 2 (keys, values) x 8 heads x 128 x 32 layers x 2 bytes = 131,072 bytes a token: 2^30 at 8,192 tokens, the budget's bound.
        assertEquals(131_072L * 8192, figure("Llama3_8B", "kvCacheBytes", 8192));
        assertEquals(1L << 30, Llama3_8BCost.MAX_KV_CACHE_BYTES);
    }
}
