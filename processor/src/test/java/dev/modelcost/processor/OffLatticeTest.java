package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.compiled;
import static dev.modelcost.processor.ModelSources.constant;
import static dev.modelcost.processor.ModelSources.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.modelcost.SizeProgram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Sizes off the closed forms' lattice: the size program of a model with strided layers gives, at
 * every size tried, every figure of the model compiled at that size; where the sizes cannot be
 * followed, the generated class says why and refuses such sizes.
 */
class OffLatticeTest {
    private static final List<String> HW = List.of("H", "W");

    /** The generated class's size program, or null where it has none. */
    private static SizeProgram program(Compilation compilation, List<String> variables) {
        String generated = ModelSources.generated(compilation, "test.NetCost");
        int start = generated.indexOf("SizeProgram.parse(");
        if (start < 0) {
            return null;
        }
        int from = generated.indexOf("SIZE_VARIABLES, ", start) + "SIZE_VARIABLES, ".length();
        StringBuilder text = new StringBuilder();
        Matcher literal = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(generated.substring(from, generated.indexOf(");\n", from)));
        while (literal.find()) {
            // the string literal as Java reads it: \t, \n, \" and \\ escaped
            String body = literal.group(1);
            for (int k = 0; k < body.length(); k++) {
                char c = body.charAt(k);
                if (c == '\\' && k + 1 < body.length()) {
                    char escaped = body.charAt(++k);
                    text.append(escaped == 't' ? '\t' : escaped == 'n' ? '\n' : escaped);
                } else {
                    text.append(c);
                }
            }
        }
        return SizeProgram.parse("Net", variables, text.toString());
    }

    /** The size program of a model with sizes H and W, asserted to exist (else the reason it has none fails the test). */
    private static SizeProgram followed(String text) {
        Compilation compilation = compiled(text);
        SizeProgram program = program(compilation, HW);
        assertTrue(program != null, refusal(compilation));
        return program;
    }

    /** Why the generated class refuses sizes off its lattices, or null. */
    private static String refusal(Compilation compilation) {
        Matcher why = Pattern.compile("Sizes off those lattices are refused: the model ([^\\n]*)\\.\\n")
                .matcher(ModelSources.generated(compilation, "test.NetCost"));
        // As the Javadoc shows it: the text is HTML there.
        return why.find() ? why.group(1).replace("&#64;", "@").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") : null;
    }

    /**
     * Every figure of the program at {@code sizes} equals the model compiled with {@code input} at those sizes (and the model's other
     * {@code annotations}); returns the MACs.
     */
    private static long compareAt(SizeProgram program, String annotations, String fields, int[] sizes) {
        Compilation fixed = ModelSources.compile(ModelSources.source("test.Net",
                model("@Model(input = {3, " + sizes[0] + ", " + sizes[1] + "}) " + annotations, fields)));
        if (fixed.status() != Compilation.Status.SUCCESS) {
            // The network does not exist there: the program refuses the size too, naming a layer.
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> program.at(sizes[0], sizes[1]), Arrays.toString(sizes));
            assertTrue(e.getMessage().startsWith("Net does not exist at H = " + sizes[0] + ", W = " + sizes[1] + ": "), e.getMessage());
            return -1;
        }
        long[] values = program.at(sizes[0], sizes[1]);
        assertFigures(program, values, fixed, " at " + Arrays.toString(sizes));
        List<String> figures = program.figures();
        Matcher output = Pattern.compile("\\bOUTPUT = List\\.of\\(([^)]*)\\);").matcher(ModelSources.generated(fixed, "test.NetCost"));
        assertTrue(output.find());
        assertEquals(Arrays.stream(output.group(1).split(",\\s*")).map(Long::valueOf).toList(),
                Arrays.stream(values, figures.size(), values.length).boxed().toList(), "output at " + Arrays.toString(sizes));
        return values[figures.indexOf("MACS")];
    }

    /** Each of the program's figures in {@code values} (at {@code where}, for the messages) equals the model compiled there, {@code fixed}. */
    private static void assertFigures(SizeProgram program, long[] values, Compilation fixed, String where) {
        for (int f = 0; f < program.figures().size(); f++) {
            assertEquals(constant(fixed, "test.NetCost", program.figures().get(f)), values[f], program.figures().get(f) + where);
        }
    }

    /**
     * The program of the model of {@code fields} with an input of {@code channels} by {@code declared}, whose sizes are the input's
     * axes {@code variables} and the batch last (with the model's other {@code annotations}), asserted to exist and to give every
     * figure of the model compiled at each of {@code points} (the axes' sizes, then the batch).
     */
    private static SizeProgram comparedWithTheBatch(int channels, String declared, List<String> variables, String annotations, String fields,
            int[][] points) {
        Compilation compilation = compiled(model("@Model(input = {" + channels + ", " + declared + "}, sizes = {\"" + String.join("\", \"", variables)
                + "\"}) " + annotations, fields));
        SizeProgram program = program(compilation, variables);
        assertTrue(program != null, refusal(compilation));
        for (int[] point : points) {
            int axes = point.length - 1;
            String input = Arrays.stream(point, 0, axes).mapToObj(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
            Compilation fixed = compiled(model("@Model(input = {" + channels + ", " + input + "}, batch = " + point[axes] + ") " + annotations, fields));
            long[] values = program.at(Arrays.stream(point).asLongStream().toArray());
            assertFigures(program, values, fixed, " at " + Arrays.toString(point));
        }
        return program;
    }

    /** Every figure of the program at {@code length} equals the model of {@code channels} by {@code length} ("C,L") compiled there. */
    private static void compareAtLength(SizeProgram program, int channels, String fields, int length) {
        Compilation fixed = compiled(model("@Model(input = {" + channels + ", " + length + "}, layout = \"C,L\")", fields));
        long[] values = program.at(length);
        assertFigures(program, values, fixed, " at L = " + length);
    }

    /**
     * Strides on both axes, a 3x3 max pool in ceil mode, a padded average pool, a transposed
     * convolution with output padding, nearest upsampling by 2, a stride of 3 on W only, then a
     * training step: every rule of PyTorch's floors and ceilings on its own lattice.
     */
    private static final String STRIDED = String.join(" ",
            "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer down;",
            "@BatchNorm2d Layer bn; @ReLU Layer relu;",
            "@MaxPool2d(k = 3, stride = 2, ceilMode = true) Layer pool;",
            "@AvgPool2d(k = 2, stride = 2, padding = 1) Layer avg;",
            "@ConvTranspose2d(cout = 4, k = 3, stride = 2, padding = 1, outputPadding = 1) Layer up;",
            "@Upsample(scaleFactor = 2) Layer resize;",
            "@Conv2d(cout = 2, k = 1, strideW = 3) Layer head;");

    @Test
    void betweenTheLatticesLastSizeAndTheNextTheSizesWhereTheNetworkExistsAreAnswered() throws ReflectiveOperationException {
        // A Whisper-like front: a stride of 4, then a table of 100 positions added to the frames. Declared at L = 1 the lattice is
        // 1 + 4·k, whose last size with 100 frames is 397 (401 has 101); 398 to 400 have 100 frames too, and compile. Each: a
        // Conv1d of 8 to 16 channels, k = 3, then a Linear of 16 to 4, at 100 positions: 100·(16·8·3 + 16·4) = 44,800 MACs.
        String fields = "@Conv1d(cout = 16, k = 3, stride = 4, padding = 1) Layer conv; @Permute(dims = {0, 2, 1}) Layer frames; "
                + "@Buffer(shape = {100, 16}, layout = \"L,C\") Layer table; @Slice(dim = 1, with = \"end = frames.L\") Layer pe; "
                + "@Add({\"frames\", \"pe\"}) Layer sum; @Linear(out = 4) Layer head;";
        for (int declared : new int[] {1, 400}) {
            Compilation sized = compiled(model("@Model(input = {8, " + declared + "}, layout = \"C,L\", sizes = \"L\")", fields));
            java.lang.reflect.Method at = ModelSources.classes(sized).loadClass("test.NetCost").getMethod("at", int.class);
            for (int size : new int[] {397, 398, 399, 400}) {
                Object figures = at.invoke(null, size);
                assertEquals(44_800L, figures.getClass().getMethod("macs").invoke(figures), declared + ": at(" + size + ")");
            }
            for (int size : new int[] {401, 402}) {
                Throwable refused = assertThrows(java.lang.reflect.InvocationTargetException.class, () -> at.invoke(null, size)).getCause();
                assertTrue(refused instanceof IllegalArgumentException && refused.getMessage().contains("is above 400")
                        && refused.getMessage().contains("(at L = 401: [MC307] sum:"), declared + ": " + refused);
            }
        }
        // Declared at its top, 3,000 after a stride of 2 with a table of 1,500: 3,001, off the lattice, is the first size that fails, and
        // the message names it, not the lattice's next.
        String whisper = fields.replace("k = 3, stride = 4", "k = 3, stride = 2").replace("{100, 16}", "{1500, 16}");
        java.lang.reflect.Method at = ModelSources.classes(compiled(model("@Model(input = {8, 3000}, layout = \"C,L\", sizes = \"L\")", whisper)))
                .loadClass("test.NetCost").getMethod("at", int.class);
        Throwable refused = assertThrows(java.lang.reflect.InvocationTargetException.class, () -> at.invoke(null, 3001)).getCause();
        assertTrue(refused.getMessage().contains("L = 3001 is above 3000") && refused.getMessage().contains("(at L = 3001: [MC307] sum:"),
                refused.getMessage());
        // A select whose index is 20 at L = 398 alone, past the 16 features: the sizes off the lattice end at 397 there, and a
        // budget's range past it names 398, the first size out, not the lattice's next (401).
        String select = fields.replace("Layer head;", "Layer head; @Select(dim = 2, with = \"index = 20 * (input.L / 398 - input.L / 399)\") Layer se;");
        Compilation over = ModelSources.compile(ModelSources.source("test.Net", model("@Model(input = {8, 1}, layout = \"C,L\", sizes = \"L\")\n"
                + "@Budget(maxMacs = 1_000_000, over = \"L = 390..400\")", select.replace("@Linear(out = 4) Layer head; ", ""))));
        assertThat(over).hadErrorContaining("[MC140] @Budget(over = \"L = 390..400\") takes L where the closed forms do not hold: they hold for "
                + "L = 1 + 4\u00b7k from 1 to 397 (default 1); above 397, at L = 398: [MC316] se:");
    }

    @Test
    void aPeakOfAnotherFormAtTheSmallestSizesIsLeftOutOfTheProgramWhichAnswersTheRest() {
        // Patches of 2x2 put back through a transpose: flat reshapes (1, 8, W/2, H/2) with strides (2·H·W, H·W/4, 1, H/2), a copy
        // unless H/2 or W/2 is 1, where the step's live bytes take another form. The lattices have period 2 and the program follows
        // the sizes off them, but it solves each step as one combination of products of sizes: the peak has no form, saying why,
        // and every other figure is answered off the lattices as the model compiled there gives it.
        String fields = "@Conv2d(cout = 8, k = 2, stride = 2, bias = false) Layer patch; @Transpose(dim0 = 2, dim1 = 3) Layer t; "
                + "@Flatten(startDim = 2) Layer flat;";
        Compilation compilation = compiled(model("@Model(input = {3, 8, 8}, sizes = {\"H\", \"W\"})", fields));
        String generated = ModelSources.generated(compilation, "test.NetCost");
        assertTrue(generated.contains("WITHOUT_CLOSED_FORM = List.of(\"PEAK_ACTIVATION_BYTES\", \"INFERENCE_MEMORY_BYTES\")"), generated);
        assertTrue(generated.contains("{@code PEAK_ACTIVATION_BYTES} is a maximum over the steps of the memory timeline, some of whose live bytes "
                + "take another form at a size's smallest"), generated);
        SizeProgram program = program(compilation, HW);
        assertTrue(program != null, refusal(compilation));
        assertFalse(program.figures().contains("PEAK_ACTIVATION_BYTES"), program.figures().toString());
        for (int[] sizes : new int[][] {{9, 11}, {2, 8}, {3, 3}, {16, 2}, {5, 14}}) {
            // 8 outputs of 3·2·2 MACs at each of floor(H/2)·floor(W/2) positions
            assertEquals(96L * (sizes[0] / 2) * (sizes[1] / 2), compareAt(program, "", fields, sizes), Arrays.toString(sizes));
        }
    }

    @Test
    void tokensReshapedBackToTheirMapFollowTheMapsSizes() {
        // SegFormer's x.transpose(1, 2).reshape(B, C, H, W): a strided map's tokens, flattened, put back by the map's own sizes (or by
        // its width and -1). The tokens' axis is the product of the map's H and W, so the reshape takes it with them, not alone: the
        // program follows the sizes off the lattice of period 2, at odd sizes and at 1 x 1 too.
        for (String back : new String[] {"shape = [8, conv.H, conv.W]", "shape = [8, -1, conv.W]"}) {
            String fields = "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer conv; @Flatten(startDim = 2, layout = \"D,L\") Layer flat; "
                    + "@Reshape(layout = \"C,H,W\", with = \"" + back + "\") Layer img; @Conv2d(cout = 8, k = 3, padding = 1) Layer conv2;";
            SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
            for (int[] sizes : new int[][] {{63, 65}, {33, 7}, {1, 1}, {3, 3}, {2049, 2047}}) {
                // By hand: (floor((H - 1) / 2) + 1)·(floor((W - 1) / 2) + 1) positions, each 8·3·9 MACs in conv and 8·8·9 in conv2.
                long positions = (long) ((sizes[0] - 1) / 2 + 1) * ((sizes[1] - 1) / 2 + 1);
                assertEquals(792 * positions, compareAt(program, "", fields, sizes), back + " at " + Arrays.toString(sizes));
            }
        }
    }

    @Test
    void tokensReshapedBackByTheInputsSizesFollowTheirPatches() {
        // Twins' PatchEmbed returns H // 4 and W // 4 of the input, which its position convolution reshapes the tokens by: the tokens
        // are the product of the patch grid's sizes, each a map of an input size, so the reshape takes them with the input's sizes.
        for (String back : new String[] {"shape = [8, H / 4, W / 4]", "shape = [8, input.H / 4, input.W / 4]"}) {
            String fields = "@Conv2d(cout = 8, k = 4, stride = 4) Layer patch; @Flatten(startDim = 2, layout = \"D,L\") Layer flat; "
                    + "@Reshape(layout = \"C,H,W\", with = \"" + back + "\") Layer img; @Conv2d(cout = 8, k = 3, padding = 1, groups = 8) Layer peg; "
                    + "@Add({\"peg\", \"img\"}) Layer sum;";
            SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
            for (int[] sizes : new int[][] {{63, 65}, {17, 9}, {4, 4}, {101, 7}, {3, 4}}) {
                // By hand: floor(H/4)·floor(W/4) patches, each 8·3·16 MACs in patch and 8·9 in the depthwise peg; none below 4. A model
                // of fixed sizes has no size variable H to read: input.H is compared with the model compiled there, H with the hand count.
                long patches = (long) (sizes[0] / 4) * (sizes[1] / 4);
                if (back.contains("input.")) {
                    assertEquals(patches == 0 ? -1 : 456 * patches, compareAt(program, "", fields, sizes), back + " at " + Arrays.toString(sizes));
                } else if (patches == 0) {
                    assertThrows(IllegalArgumentException.class, () -> program.at(sizes[0], sizes[1]), Arrays.toString(sizes));
                } else {
                    assertEquals(456 * patches, program.at(sizes[0], sizes[1])[program.figures().indexOf("MACS")], back + " at " + Arrays.toString(sizes));
                }
            }
        }
    }

    @Test
    void tokensWhoseClassTokenIsSplitOffAgainFollowTheirMap() {
        // CvT's last stage: a class token concatenated before the map's tokens (1 + H'·W'), split off again (a slice from 1) before
        // the rest goes back to the map. The slice's length is the tokens' own, H'·W', so the reshape takes it with the map's sizes.
        String fields = "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer conv; @Flatten(startDim = 2, layout = \"D,L\") Layer flat; "
                + "@Transpose Layer tok; @Parameter(shape = {1, 8}, layout = \"L,D\") Layer cls; @Concat(value = {\"cls\", \"tok\"}, dim = 1) Layer withCls; "
                + "@Slice(dim = 1, start = 1) Layer rest; @Transpose Layer t; @Reshape(layout = \"C,H,W\", with = \"shape = [8, conv.H, conv.W]\") Layer img; "
                + "@Conv2d(cout = 8, k = 3, padding = 1) Layer conv2;";
        SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{63, 65}, {17, 2}, {1, 1}, {129, 63}}) {
            // By hand: 8·3·9 + 8·8·9 = 792 MACs at each of ceil(H/2)·ceil(W/2) positions.
            long positions = (long) ((sizes[0] + 1) / 2) * ((sizes[1] + 1) / 2);
            assertEquals(792 * positions, compareAt(program, "", fields, sizes), Arrays.toString(sizes));
        }
    }

    @Test
    void anAxisFlattenedFromChannelsAndOneSizeIsReshapedBack() {
        // The channels flattened with the height (8·H' rows of W' each): that axis is the height times 8, a product with a fixed
        // size, which the reshape back to [8, H', W'] takes with the height. By hand: 792 MACs at each of ceil(H/2)·ceil(W/2) positions.
        String fields = "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer conv; @Flatten(startDim = 1, endDim = 2, layout = \"C,L\") Layer flat; "
                + "@Reshape(layout = \"C,H,W\", with = \"shape = [8, conv.H, conv.W]\") Layer img; @Conv2d(cout = 8, k = 3, padding = 1) Layer conv2;";
        SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{63, 65}, {33, 7}, {1, 1}, {129, 63}}) {
            long positions = (long) ((sizes[0] + 1) / 2) * ((sizes[1] + 1) / 2);
            assertEquals(792 * positions, compareAt(program, "", fields, sizes), Arrays.toString(sizes));
        }
    }

    @Test
    void tokensReshapedBackByTheInputsSizesThroughTwoStridedLayers() {
        // Two patch convolutions of stride 2 make floor(floor(H/2)/2) = floor(H/4) rows, which input.H / 4 reads: each factor of the
        // tokens is two maps away from the input's size. By hand: 8·3·4 MACs at floor(H/2)·floor(W/2) positions in stem1, then
        // 8·8·4 + 8·8·9 = 832 at floor(H/4)·floor(W/4) in stem2 and conv2.
        String fields = "@Conv2d(cout = 8, k = 2, stride = 2) Layer stem1; @Conv2d(cout = 8, k = 2, stride = 2) Layer stem2; "
                + "@Flatten(startDim = 2, layout = \"D,L\") Layer flat; @Reshape(layout = \"C,H,W\", with = \"shape = [8, input.H / 4, input.W / 4]\") Layer img; "
                + "@Conv2d(cout = 8, k = 3, padding = 1) Layer conv2;";
        SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{63, 65}, {17, 9}, {4, 4}, {101, 7}, {3, 4}}) {
            long quarter = (long) (sizes[0] / 4) * (sizes[1] / 4);
            long macs = quarter == 0 ? -1 : 96L * (sizes[0] / 2) * (sizes[1] / 2) + 832 * quarter;
            assertEquals(macs, compareAt(program, "", fields, sizes), Arrays.toString(sizes));
        }
    }

    @Test
    void aReshapeThatTakesSomeSizesOfItsFactorsOnlySaysSo() {
        // [8, conv.H * 2, conv.W / 2] needs an even width: with the tokens following the map's sizes, the reshape still refuses an odd
        // one, which is why no program follows (not the tokens varying alone).
        Compilation compilation = compiled(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})",
                "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer conv; @Flatten(startDim = 2, layout = \"D,L\") Layer flat; "
                        + "@Reshape(layout = \"C,H,W\", with = \"shape = [8, conv.H * 2, conv.W / 2]\") Layer img;"));
        assertEquals("has sizes that no program follows through its layers: img (Reshape) takes some sizes only: not 33, next to the 32 it is given",
                refusal(compilation));
    }

    @Test
    void tokensReshapedBackByTwoMapsFollowTheSizesThatMustStayEqual() {
        // The tokens of conv (ceil(H/2) x ceil(W/2)) put back as convb's height (floor(H/2)) by conv's width: the reshape takes the
        // two heights only together, which merges them, while the tokens follow conv's height and width. Even heights only.
        String fields = "@Conv2d(cout = 8, k = 2, stride = 2) Layer convb; @From(\"input\") @Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer conv; "
                + "@Flatten(startDim = 2, layout = \"D,L\") Layer flat; @Reshape(layout = \"C,H,W\", with = \"shape = [8, convb.H, conv.W]\") Layer img; "
                + "@Conv2d(cout = 8, k = 3, padding = 1) Layer conv2;";
        SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{62, 65}, {66, 66}, {4, 3}, {2, 2}, {63, 65}}) {
            // By hand, at even H: 8·3·4 MACs at (H/2)·floor(W/2) positions in convb, 8·3·9 and 8·8·9 at (H/2)·ceil(W/2) in conv and conv2.
            long h = sizes[0] / 2;
            long macs = sizes[0] % 2 == 1 ? -1 : 96 * h * (sizes[1] / 2) + 792 * h * ((sizes[1] + 1) / 2);
            assertEquals(macs, compareAt(program, "", fields, sizes), Arrays.toString(sizes));
        }
    }

    @Test
    void tokensALayerTakesBesideTheirMapsSizesStayASizeOfTheirOwn() {
        // An attention over the tokens whose heads read the map's channels: it takes the tokens' length alone, so the program follows
        // it as a size of its own, whose square the scores cost. By hand, P = ceil(H/2)·ceil(W/2) tokens: the convolution's 8·3·9·P,
        // the projections' 3·64·P and 64·P, and the scores and their product with the values, 2·8·P².
        String fields = "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer conv; @Flatten(startDim = 2, layout = \"D,L\") Layer flat; "
                + "@Permute(dims = {0, 2, 1}) Layer tok; @MultiheadAttention(embedDim = 8, batchFirst = true, with = \"numHeads = conv.C / 4\") Layer attn;";
        SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{63, 65}, {31, 31}, {1, 1}, {17, 2}}) {
            long tokens = (long) ((sizes[0] + 1) / 2) * ((sizes[1] + 1) / 2);
            assertEquals(472 * tokens + 16 * tokens * tokens, compareAt(program, "", fields, sizes), Arrays.toString(sizes));
        }
    }

    @Test
    void tokensFlattenedInTwoStepsAreReshapedBackByTheirThreeFactors() {
        // T·(H·W): the second flatten's axis is a product of a product, expanded to the three sizes the reshape reads.
        Compilation compilation = compiled(model("@Model(input = {3, 16, 32, 32}, sizes = {\"T\", \"H\", \"W\"})",
                "@Conv3d(cout = 4, k = 3, stride = 2, padding = 1) Layer conv; @Flatten(startDim = 3, layout = \"C,T,L\") Layer f1; "
                        + "@Flatten(startDim = 2, layout = \"D,L\") Layer f2; @Reshape(layout = \"C,T,H,W\", with = \"shape = [4, conv.T, conv.H, conv.W]\") Layer img; "
                        + "@Conv3d(cout = 4, k = 3, padding = 1) Layer conv2;"));
        SizeProgram program = program(compilation, List.of("T", "H", "W"));
        assertTrue(program != null, refusal(compilation));
        for (int[] sizes : new int[][] {{15, 31, 33}, {9, 7, 5}, {1, 1, 1}, {5, 2, 17}}) {
            // By hand: 4·3·27 + 4·4·27 = 756 MACs at each of ceil(T/2)·ceil(H/2)·ceil(W/2) positions.
            long positions = (long) ((sizes[0] + 1) / 2) * ((sizes[1] + 1) / 2) * ((sizes[2] + 1) / 2);
            assertEquals(756 * positions, program.at(sizes[0], sizes[1], sizes[2])[program.figures().indexOf("MACS")], Arrays.toString(sizes));
        }
    }

    @Test
    void everyFigureOffTheLatticeEqualsTheModelCompiledThere() {
        Compilation compilation = compiled(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"}) @Training(batch = 4)", STRIDED));
        SizeProgram program = program(compilation, HW);
        assertTrue(program != null, refusal(compilation));
        assertTrue(program.figures().containsAll(List.of("MACS", "PEAK_ACTIVATION_BYTES", "INFERENCE_MEMORY_BYTES", "TRAINING_MEMORY_BYTES")),
                program.figures().toString());
        for (int[] sizes : new int[][] {{65, 64}, {67, 93}, {17, 100}, {1, 1}, {5, 5}, {5, 3}, {5, 2}, {301, 299}, {129, 1023}}) {
            compareAt(program, "@Training(batch = 4)", STRIDED, sizes);
        }
        // By hand at 5 x 5: the convolution gives floor((5 + 2 - 3) / 2) + 1 = 3, the max pool ceil((3 - 3) / 2) + 1 = 1, the average pool
        // floor((1 + 2 - 2) / 2) + 1 = 1, the transposed convolution (1 - 1)·2 - 2 + 3 + 1 = 2, the upsampling 4, and the head keeps
        // H = 4 and gives W = floor((4 - 1) / 3) + 1 = 2.
        long[] at = program.at(5, 5);
        assertEquals(List.of(2L, 4L, 2L), Arrays.stream(at, program.figures().size(), at.length).boxed().toList());
        // At 5 x 2 the width is 1 after the convolution: the max pool's window of 3 does not fit, even in ceil mode (at 2 it does: the
        // window may run past the input's end but must start inside it).
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> program.at(5, 2));
        assertTrue(e.getMessage().contains("pool (MaxPool2d) gets 1 position on its W axis, where it takes 2 or more"), e.getMessage());
    }

    @Test
    void aPaddedPoolInCeilModeIsFollowedOffItsLattice() {
        // The size program is checked at the largest sizes too, where ceil mode's last window is kept or dropped by comparing with
        // the input and its padding, past an int at W = 2,147,483,647: the program holds, and answers between the lattice's sizes.
        String fields = "@Conv2d(cout = 8, k = 3, padding = 1) Layer c; @MaxPool2d(k = 3, stride = 2, padding = 1, ceilMode = true) Layer mp;";
        SizeProgram program = followed(model("@Model(input = {3, 37, 41}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{8, 9}, {9, 8}, {10, 10}, {63, 65}, {2, 20}, {1, 1}}) {
            compareAt(program, "", fields, sizes);
        }
        // By hand at 8 x 9, as PyTorch 1.13 gives (F.max_pool2d(torch.empty(1, 8, 8, 9), 3, 2, 1, ceil_mode=True).shape, [1, 8, 5, 5]):
        // H = ceil((8 + 2 - 3) / 2) + 1 = 5, its last window starting at padded position 8, before 8 + 1; W = ceil((9 + 2 - 3) / 2) + 1
        // = 5. The convolution keeps 8 x 9: 8 * 3 * 9 MACs at each of its 72 positions.
        long[] at = program.at(8, 9);
        assertEquals(List.of(8L, 5L, 5L), Arrays.stream(at, program.figures().size(), at.length).boxed().toList());
        assertEquals(8 * 3 * 9 * 72, at[program.figures().indexOf("MACS")]);
    }

    @Test
    void aPartOfThePeakThatNoCombinationGivesCostsTheProgramThoughTheMaximumHidesIt() {
        // The reflect-padded convolution's live bytes hold its padded copy, 2 * 4 * (H + 6) * (W + 6) bytes, whose H and W alone are
        // no product of a followed tensor's sizes; its part of the peak was solved to fit the sizes it was solved on, and the
        // peak, a maximum, hid it at the sizes checked. At H = 20, W = 32 that part was no integer, so at(...) threw. Each part is
        // now checked: the program is refused, or gives the model's numbers.
        String fields = "@Conv2d(cout = 4, k = 4, dilation = 2, padding = Conv2d.SAME, paddingMode = \"reflect\") Layer c1; "
                + "@AvgPool2d(k = 3, stride = 2, padding = 1, ceilMode = true, countIncludePad = false) Layer p1; "
                + "@ConvTranspose2d(cout = 3, k = 3, stride = 3, padding = 1, outputPadding = 2, dilation = 2) Layer ct; "
                + "@AdaptiveAvgPool2d(h = 5, w = 7) Layer ap;";
        String text = "package test; import dev.modelcost.*; @Model(input = {2, 32, 32}, sizes = {\"H\", \"W\"}) public class Net { "
                + fields + " }";
        Compilation compilation = compiled(text);
        SizeProgram program = program(compilation, HW);
        if (program == null) {
            // refused for the peak, whose part the maximum hid
            assertTrue(refusal(compilation).contains("PEAK_ACTIVATION_BYTES"), refusal(compilation));
            return;
        }
        for (int[] sizes : new int[][] {{20, 32}, {21, 32}, {40, 40}, {13, 4}, {23, 32}}) {
            Compilation fixed = compiled(text.replace("input = {2, 32, 32}, sizes = {\"H\", \"W\"}", "input = {2, " + sizes[0] + ", "
                    + sizes[1] + "}"));
            long[] values = program.at(sizes[0], sizes[1]);
            assertFigures(program, values, fixed, " at " + Arrays.toString(sizes));
        }
    }

    @Test
    void convolutionsThatPadACopyOfTheirInputAreFollowedOffTheLattice() {
        // A reflection by 3, a replication by 1 and an even kernel's SAME (PyTorch pads a copy by the one position its sides differ by)
        // each hold a padded copy of their input while they run: 4 * C * (H + 6) * (W + 6) bytes for the first, whose H and W alone
        // are lower terms of the copy, no product of a tensor's sizes. With them among the program's products, every figure off the
        // lattice is the model's compiled there, odd sizes and the smallest a reflection by 3 takes (4) included.
        String fields = "@Conv2d(cout = 4, k = 7, padding = 3, paddingMode = \"reflect\") Layer c1; "
                + "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer c2; "
                + "@Conv2d(cout = 8, k = 3, padding = 1, paddingMode = \"replicate\") Layer c3; "
                + "@Conv2d(cout = 4, k = 4, padding = Conv2d.SAME) Layer c4;";
        SizeProgram program = followed(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{33, 47}, {20, 31}, {4, 5}, {7, 64}, {101, 9}}) {
            compareAt(program, "", fields, sizes);
        }
        // By hand at 33 x 47, in float32: the peak is c1's step, the model's input (3 * 33 * 47 = 4,653 elements), its reflected
        // copy (3 * 39 * 53 = 6,201) and its output (4 * 33 * 47 = 6,204). Later steps hold less: c3's, the input, c2's output
        // (8 * 17 * 24 = 3,264) twice and its copy (8 * 19 * 26 = 3,952), 15,133 elements; c4's, the input, c3's output, its
        // copy, padded by the 1 position its sides differ by (8 * 18 * 25 = 3,600), and its output (4 * 17 * 24 = 1,632), 13,149.
        long[] at = program.at(33, 47);
        assertEquals(4L * (4_653 + 6_201 + 6_204), at[program.figures().indexOf("PEAK_ACTIVATION_BYTES")]);
    }

    @Test
    void productsThatSizesNearTheDeclaredOnesTieTogetherAreSeparatedBySizesScatteredAround() {
        // The concatenation with an upsampled pooling makes the network exist at even H and W only, where the sizes near the declared
        // ones vary the batch beside H and W as declared, or with them by one offset: the batch times the replicated copy's lower
        // terms looked like a combination of other products, and the program gave 10,680 MACs at H = 16, W = 6 and a batch of 2,
        // right at a batch of 1 only. Sizes scattered around the declared ones, each variable on its own, separate them.
        String fields = "@MaxPool2d(k = 2) Layer down; @Upsample(scaleFactor = 2.0) Layer up; @Concat({\"up\", \"input\"}) Layer cat; "
                + "@Conv2d(cout = 4, k = 5, stride = 2, paddingW = 1) Layer a; "
                + "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1, paddingMode = \"replicate\") Layer b;";
        SizeProgram program = comparedWithTheBatch(2, "16, 40", List.of("H", "W", "batch"), "", fields,
                new int[][] {{16, 6, 2}, {22, 40, 3}, {16, 6, 1}, {30, 18, 5}, {8, 12, 2}});
        // By hand at H = 16, W = 6, batch 2: the concatenation holds 4 channels of 16 x 6; a gives floor((16 - 5) / 2) + 1 = 6 rows and
        // floor((6 + 2 - 5) / 2) + 1 = 2 columns, 4 * 25 MACs at each of 4 * 6 * 2 outputs; b, on the replicated copy of a's 6 x 2,
        // gives 3 x 1, 4 * 9 MACs at each of 4 * 3 * 1; times the batch of 2.
        assertEquals(2L * (100 * 48 + 36 * 12), program.at(16, 6, 2)[program.figures().indexOf("MACS")]);
    }

    @Test
    void productsThatFewSizesSeparateInThreeDimensionsWithTheBatchAreSeparated() {
        // A video network that exists where the strided convolution's T, H and W are even (its pooling upsampled back is concatenated
        // with it), with three padded-copy convolutions: 62 products of sizes, of which 28 independent, the last separated from the
        // others by about one in a thousand of the sizes scattered around the declared ones, so that thousands are drawn; without
        // it, T = 16, H = 16, W = 19 with a batch of 5 would be refused where the model compiles.
        String fields = "@Conv3d(cout = 12, k = 3, strideD = 2, strideH = 1, strideW = 2, padding = 1, paddingMode = \"circular\") Layer c1; "
                + "@AvgPool3d(k = 2) Layer dp2; @Conv3d(cout = 4, k = 4, padding = Conv3d.SAME, groups = 4, paddingMode = \"circular\") Layer mid3; "
                + "@Upsample(scaleFactor = 2.0) Layer up4; @Concat({\"up4\", \"c1\"}) Layer cat5; "
                + "@Conv3d(cout = 4, k = 1, padding = 4, paddingMode = \"reflect\") Layer c6; "
                + "@Conv3d(cout = 4, k = 4, strideW = 2, padding = 1, paddingH = 3, paddingW = 4, bias = false) Layer c7;";
        SizeProgram program = comparedWithTheBatch(1, "12, 24, 12", List.of("T", "H", "W", "batch"), "@Training(batch = 2)", fields,
                new int[][] {{16, 16, 19, 5}, {12, 22, 15, 3}, {11, 24, 11, 2}, {15, 26, 12, 1}, {20, 18, 16, 4}});
        // By hand at T = 16, H = 16, W = 19, a batch of 5, per sample: c1 gives 12 x 8 x 16 x 10 (T and W halved by floor((n + 2 - 3) / 2)
        // + 1), 27 MACs each; the pooling 12 x 4 x 8 x 5, mid3 4 of those positions at 3 * 64 MACs each; upsampled to 4 x 8 x 16 x 10 and
        // concatenated with c1, 16 channels; c6 pads by 4: 4 x 16 x 24 x 18 at 16 MACs each; c7 gives 15 x 27 x 12 positions (W by
        // floor((18 + 8 - 4) / 2) + 1), 4 channels at 4 * 64 MACs each.
        long perSample = 12L * 8 * 16 * 10 * 27 + 4L * 4 * 8 * 5 * 192 + 4L * 16 * 24 * 18 * 16 + 4L * 15 * 27 * 12 * 256;
        assertEquals(5 * perSample, program.at(16, 16, 19, 5)[program.figures().indexOf("MACS")]);
    }

    @Test
    void aBatchTimesAnAdaptivePoolingsWindowsIsSeparatedFromTheWindowsAlone() {
        // Pooling n positions to 5 sums windows of n + 4 positions, n where 5 divides n. The batch times both poolings' window sums
        // was solved as a combination of other products, right at a batch of 1 and wherever the sizes scattered around the
        // declared ones took H and W; those sizes stepped each variable by a step of its own modulo one length, which kept them on
        // one line there and never took H and W together where the windows divide. At H = W = 20 and a batch of 2 the program gave
        // 6,360 OTHER_OPS, where the model gives 7,000.
        String fields = "@MaxPool2d(k = 2) Layer dp1; @Upsample(scaleFactor = 2.0) Layer up2; @Concat({\"up2\", \"input\"}) Layer cat3; "
                + "@Conv2d(cout = 4, kh = 2, kw = 3, padding = Conv2d.SAME) Layer c4; @AdaptiveAvgPool2d(5) Layer ap5; "
                + "@From(\"c4\") @AdaptiveMaxPool2d(5) Layer aq6; @Add({\"ap5\", \"aq6\"}) Layer add7;";
        comparedWithTheBatch(1, "24, 24", List.of("H", "W", "batch"), "", fields, new int[][] {{20, 20, 2}, {10, 4, 5}, {50, 30, 2}, {22, 22, 2}, {6, 4, 3}});
    }

    @Test
    void aTransposedConvolutionsReachedPositionsAreFollowedInThreeDimensions() {
        // A transposed convolution's FLOPs subtract the output positions a product reaches, one axis's count times the others', each
        // the output's size less the output padding: (T' - 1)(H' - 1)(W' - 1), whose lower products the program needs besides T'H'W'.
        // Without them it solved FLOPS on too few products and gave a fraction or a wrong count off the lattice.
        String fields = "@Conv3d(cout = 8, k = 3, stride = 2, padding = 1) Layer c1; @ConvTranspose3d(cout = 4, k = 3, stride = 2, outputPadding = 1) "
                + "Layer t; @AdaptiveAvgPool3d(d = 1, h = 3, w = 2) Layer aap; @Flatten Layer f; @Linear(out = 5) Layer fc;";
        Compilation compilation = compiled(model("@Model(input = {3, 16, 20, 18}, sizes = {\"T\", \"H\", \"W\"})", fields));
        SizeProgram program = program(compilation, List.of("T", "H", "W"));
        assertTrue(program != null, refusal(compilation));
        // By hand at T, H, W = 10, 16, 43: c1 gives 8 x 5 x 8 x 22 (7,040 positions), 7,040 * 81 = 570,240 MACs, FLOPs twice that
        // (its bias adds make up for the first products); t gives 4 x 12 x 18 x 46, 7,040 * 4 * 27 = 760,320 MACs, FLOPs 2 * 760,320
        // less the 4 * 11 * 17 * 45 = 33,660 positions reached plus 39,744 bias adds, 1,526,724; the pooling none; fc 120 MACs, 240
        // FLOPs. MACs 1,330,680, FLOPs 2,667,444.
        long[] values = program.at(10, 16, 43);
        assertEquals(1_330_680L, values[program.figures().indexOf("MACS")]);
        assertEquals(2_667_444L, values[program.figures().indexOf("FLOPS")]);
        // And every figure at one step off the declared sizes, as the model compiled there gives it.
        Compilation fixed = compiled(model("@Model(input = {3, 16, 21, 18})", fields));
        long[] near = program.at(16, 21, 18);
        assertFigures(program, near, fixed, "");
    }

    @Test
    void crossAttentionToAStridedStreamFollowsTheProductOfTheTwoLengths() {
        // Queries of length b.L attend to keys and values a strided convolution makes of a.L, ceil(a.L / 2) positions: the scores and
        // their weighted sum grow with b.L · ceil(a.L / 2), the product of two sizes no one tensor holds. Without that product among the
        // program's, every odd a.L was refused (the program gave MACS = -1312 where the model gives 1,440).
        String header = "@Model(inputs = {@Input(name = \"a\", shape = {8, 40}, layout = \"C,L\"), @Input(name = \"b\", shape = {6, 16}, "
                + "layout = \"L,D\")}, sizes = {\"a.L\", \"b.L\"})";
        String[] fields = {"@From(\"a\") @Conv1d(cout = 16, k = 3, stride = 2, padding = 1) Layer conv;", "@Permute(dims = {0, 2, 1}) Layer seq;",
                "@From({\"b\", \"seq\", \"seq\"}) @MultiheadAttention(numHeads = 2, batchFirst = true) Layer attn;"};
        Compilation compilation = compiled(model(header, fields));
        SizeProgram program = program(compilation, List.of("a.L", "b.L"));
        assertTrue(program != null, refusal(compilation));
        // By hand at a.L = 41, b.L = 5: the convolution gives 21 positions, 16 * 21 * 8 * 3 = 8,064 MACs; the attention projects 5
        // queries and 21 keys and values of 16 features (16 * 16 MACs each: 1,280 + 5,376 + 5,376), scores 5 * 21 pairs over 16 features
        // (1,680), weighs the values the same (1,680) and projects the 5 outputs (1,280): 24,736 in all.
        assertEquals(24_736L, program.at(41, 5)[program.figures().indexOf("MACS")]);
        for (int[] sizes : new int[][] {{41, 5}, {7, 5}, {1, 1}, {13, 9}, {40, 3}}) {
            String at = "@Model(inputs = {@Input(name = \"a\", shape = {8, " + sizes[0] + "}, layout = \"C,L\"), @Input(name = \"b\", shape = {"
                    + sizes[1] + ", 16}, layout = \"L,D\")})";
            assertFigures(program, program.at(sizes[0], sizes[1]), compiled(model(at, fields)), " at " + Arrays.toString(sizes));
        }
    }

    @Test
    void attentionOverKeysPooledFromItsQueriesWithTheFeaturesASizeFollowsTheProductOfThree() {
        // Queries of L positions and C features attend to keys and values of floor(L / 2) positions pooled from them: the scores and
        // their weighted sum grow with C·L·floor(L / 2), a product of three sizes that neither the queries nor the keys hold alone.
        String fields = "@AvgPool1d(k = 2, stride = 2) Layer pool; @Permute(dims = {0, 2, 1}) Layer kt; "
                + "@Reshape(with = \"shape = [1, kt.L, kt.C]\", layout = \"H,L,E\") Layer k; @From(\"input\") @Permute(dims = {0, 2, 1}) Layer qt; "
                + "@Reshape(with = \"shape = [1, qt.L, qt.C]\", layout = \"H,L,E\") Layer q; @From({\"q\", \"k\", \"k\"}) @ScaledDotProductAttention Layer attn;";
        Compilation compilation = compiled(model("@Model(input = {8, 40}, layout = \"C,L\", sizes = {\"C\", \"L\"})", fields));
        SizeProgram program = program(compilation, List.of("C", "L"));
        assertTrue(program != null, refusal(compilation));
        // By hand at C = 8, L = 41: 41 queries by 20 keys of 8 features, scored and weighed: 2 * 41 * 20 * 8 MACs.
        assertEquals(2L * 41 * 20 * 8, program.at(8, 41)[program.figures().indexOf("MACS")]);
        for (int[] sizes : new int[][] {{8, 41}, {5, 7}, {3, 3}, {16, 81}, {9, 40}}) {
            Compilation fixed = compiled(model("@Model(input = {" + sizes[0] + ", " + sizes[1] + "}, layout = \"C,L\")", fields));
            assertFigures(program, program.at(sizes[0], sizes[1]), fixed, " at " + Arrays.toString(sizes));
        }
    }

    @Test
    void tokensPaddedToAnEvenLengthAnswerOddLengthsBesideTheirEmbedding() {
        // The ids' L % 2 positions pad the embedded tokens to an even length before an attention: the lattice is even, and the size
        // program, with the bytes moved beside the embedding a minimum, answers the odd lengths.
        String fields = "@Embedding(numEmbeddings = 100, embeddingDim = 8) Layer emb; @Pad(with = \"pad = [0, 0, 0, input.L % 2]\") Layer pad; "
                + "@MultiheadAttention(embedDim = 8, numHeads = 2, batchFirst = true) Layer attn;";
        Compilation compilation = compiled(model("@Model(input = {16}, layout = \"L\", tokens = true, sizes = \"L\")", fields));
        SizeProgram program = program(compilation, List.of("L"));
        assertTrue(program != null, refusal(compilation));
        for (int length : new int[] {1, 7, 9, 33, 101, 150}) {
            Compilation fixed = compiled(model("@Model(input = {" + length + "}, layout = \"L\", tokens = true)", fields));
            assertFigures(program, program.at(length), fixed, " at L = " + length);
        }
    }

    @Test
    void theBytesMovedBesideAnEmbeddingAreTheSmallerOfItsTableAndItsRowsOffTheLattice() {
        // A Whisper-like pair of streams: a strided convolution over mel.L, an embedding of tokens.L that reads its rows or at most its
        // whole table (10 rows of 8 fp32 features, 320 bytes), whichever is less. The bytes moved are that minimum plus the rest: the
        // program had none, and every odd mel.L was refused; its parts are now solved and the minimum taken, on both sides of
        // tokens.L = 10, where the rows read pass the table.
        String header = "@Model(inputs = {@Input(name = \"mel\", shape = {4, 20}, layout = \"C,L\"), @Input(name = \"tokens\", shape = {6}, "
                + "tokens = true)}, sizes = {\"mel.L\", \"tokens.L\"})";
        String[] fields = {"@From(\"mel\") @Conv1d(cout = 8, k = 3, stride = 2, padding = 1) Layer conv;", "@Permute(dims = {0, 2, 1}) Layer seq;",
                "@From(\"tokens\") @Embedding(numEmbeddings = 10, embeddingDim = 8) Layer emb;",
                "@From({\"emb\", \"seq\", \"seq\"}) @MultiheadAttention(numHeads = 2, batchFirst = true) Layer attn;"};
        Compilation compilation = compiled(model(header, fields));
        SizeProgram program = program(compilation, List.of("mel.L", "tokens.L"));
        assertTrue(program != null, refusal(compilation));
        assertTrue(program.figures().contains("BYTES_MOVED"), program.figures().toString());
        for (int[] sizes : new int[][] {{21, 6}, {7, 3}, {21, 12}, {13, 15}, {1, 1}, {20, 10}, {35, 11}}) {
            String at = "@Model(inputs = {@Input(name = \"mel\", shape = {4, " + sizes[0] + "}, layout = \"C,L\"), @Input(name = \"tokens\", shape = {"
                    + sizes[1] + "}, tokens = true)})";
            assertFigures(program, program.at(sizes[0], sizes[1]), compiled(model(at, fields)), " at " + Arrays.toString(sizes));
        }
    }

    @Test
    void aTableOfPositionsReadByPatchesIsFollowedOffTheLatticeOfTheirStride() {
        // Patches of 16 x 16 read rows of a table of 1,024 positions, one per patch: the rows read, (H / 16)·(W / 16) of 32 bytes,
        // stay below the table's 32,768 bytes within the box (up to 32 x 32 patches), and are a part of the bytes moved.
        String[] fields = {"@Conv2d(cout = 8, k = 16, stride = 16) Layer patch;", "@Flatten(startDim = 2) Layer flatten;",
                "@Permute(dims = {0, 2, 1}) Layer tokens;", "@Arange Layer positions;", "@Embedding(numEmbeddings = 1024, embeddingDim = 8) Layer pos;",
                "@Add({\"tokens\", \"pos\"}) Layer sum;"};
        Compilation compilation = compiled(model("@Model(input = {3, 224, 224}, sizes = {\"H\", \"W\"})", fields));
        SizeProgram program = program(compilation, List.of("H", "W"));
        assertTrue(program != null, refusal(compilation));
        for (int[] sizes : new int[][] {{230, 300}, {17, 40}, {500, 33}, {511, 511}}) {
            assertTrue(compareAt(program, "", String.join(" ", fields), sizes) > 0, Arrays.toString(sizes));
        }
    }

    /**
     * A small Whisper-like encoder-decoder, as {@code tools/pytorch/measure_whisper_sizes.py} builds it from openai/whisper's
     * model.py: a stride-2 convolution halves the audio frames, rounded up, before a sliced table of 1,500 positions; the decoder's
     * tokens attend to their own prefix and to the frames, and read an embedding tied to the logits.
     */
    private static final String WHISPER = """
            package test;

            import dev.modelcost.*;

            @Model(inputs = {@Input(name = "mel", shape = {16, 40}, layout = "C,L"),
                             @Input(name = "tokens", shape = {6}, tokens = true)}, sizes = {"mel.L", "tokens.L"})
            public class Net {
                @From("mel")                 AudioEncoder encoder;
                @From({"tokens", "encoder"}) TextDecoder decoder;

                @Block
                public static class AudioEncoder {
                    @Conv1d(cout = 32, k = 3, padding = 1)             Layer conv1;
                    @Functional @GELU                                  Layer gelu1;
                    @Conv1d(cout = 32, k = 3, stride = 2, padding = 1) Layer conv2;
                    @Functional @GELU                                  Layer gelu2;
                    @Functional(method = true) @Permute(dims = {0, 2, 1}) Layer permuted;
                    @Buffer(shape = {1500, 32}, layout = "L,D")        Layer positional_embedding;
                    @Slice(dim = 1, start = 0, with = "end = permuted.L") Layer pe;
                    @Add({"permuted", "pe"})         Layer pos;
                    @From({"pos", "pos"}) @Repeat(2) @Args("heads = 4, causal = false, cross = false") ResBlock blocks;
                    @LayerNorm                                         Layer ln_post;
                }

                @Block(inputs = {"input", "xa"})
                public static class TextDecoder {
                    @Embedding(numEmbeddings = 100, embeddingDim = 32)  Layer token_embedding;
                    @Parameter(shape = {16, 32}, layout = "L,D")        Layer positional_embedding;
                    @Slice(dim = 1, start = 0, with = "end = input.L")                 Layer pos_slice;
                    @Add({"token_embedding", "pos_slice"})              Layer embedded;
                    @From({"embedded", "xa"}) @Repeat(2) @Args("heads = 4, causal = true, cross = true") ResBlock blocks;
                    @LayerNorm                                          Layer ln;
                    @Linear(tiedTo = "token_embedding", bias = false)   Layer logits;
                }

                /** ResidualAttentionBlock. */
                @Block(inputs = {"input", "xa"})
                public static class ResBlock {
                    @Param int heads;
                    @Param boolean causal;
                    @Param boolean cross;

                    @From("input") @LayerNorm                                  Layer attn_ln;
                    @From({"attn_ln", "attn_ln"}) @Args("heads = heads, causal = causal") Attention attn;
                    @Add({"input", "attn"})                                    Layer r1;
                    @When("cross") @LayerNorm                                  Layer cross_attn_ln;
                    @When("cross") @From({"cross_attn_ln", "xa"}) @Args("heads = heads, causal = false") Attention cross_attn;
                    @When("cross") @Add({"r1", "cross_attn"})                  Layer r2;
                    @LayerNorm                                                 Layer mlp_ln;
                    @Linear(with = "out = 4 * in")                             Layer mlp_0;
                    @GELU                                                      Layer mlp_1;
                    @Linear(with = "out = in")                                 Layer mlp_2;
                    @Add({"r2", "mlp_2"})                                      Layer r3;
                }

                /** MultiHeadAttention: query, key (no bias), value, out; q and k each scaled by d_head^-0.25. */
                @Block(inputs = {"input", "kv"})
                public static class Attention {
                    @Param int heads;
                    @Param boolean causal;
                    @Param(expr = "exact(in, heads)") int hd;

                    @From("input") @Linear(with = "out = in")             Layer query;
                    @From("kv") @Linear(bias = false, with = "out = in")  Layer key;
                    @From("kv") @Linear(with = "out = in")                Layer value;
                    @From("query") @Reshape(layout = "L,H,D", with = "shape = [input.L, heads, hd]") Layer q4;
                    @Functional(method = true) @Permute(dims = {0, 2, 1, 3}) Layer qh;
                    @Scale(factor = 0.5946035575013605)                   Layer qs;
                    @From("key") @Reshape(layout = "L,H,D", with = "shape = [kv.L, heads, hd]") Layer k4;
                    @Functional(method = true) @Permute(dims = {0, 2, 1, 3}) Layer kh;
                    @Scale(factor = 0.5946035575013605)                   Layer ks;
                    @From("value") @Reshape(layout = "L,H,D", with = "shape = [kv.L, heads, hd]") Layer v4;
                    @Functional(method = true) @Permute(dims = {0, 2, 1, 3}) Layer vh;
                    @From({"qs", "ks", "vh"}) @ScaledDotProductAttention(explicit = true, scale = 1, with = "isCausal = causal") Layer wv;
                    @Functional(method = true) @Permute(dims = {0, 2, 1, 3}) Layer merged;
                    @Reshape(layout = "L,D", with = "shape = [input.L, in]") Layer flat;
                    @Linear(with = "out = in")                            Layer out;
                }
            }
            """;

    @Test
    void aWhisperLikeModelAnswersEveryAudioLengthAsPyTorchMeasuresIt() {
        // tools/pytorch/whisper-sizes.tsv (torch 1.13): mel length, token length, params, MACs, FLOPs, other ops, output rows. Odd mel
        // lengths lie off the lattice of period 2: the cross-attention's tokens times frames, and the bytes moved beside the
        // embedding, the smaller of its rows and its table, are the program's; 3,001 frames pass the table, which PyTorch refuses too.
        long[][] measured = {{1, 1, 67_712, 65_536, 130_564, 4_160, 1}, {2, 1, 67_712, 67_072, 133_636, 4_192, 1},
                {7, 6, 67_712, 338_688, 674_248, 24_032, 6}, {39, 3, 67_712, 850_432, 1_692_396, 62_000, 3},
                {40, 6, 67_712, 958_720, 1_907_400, 72_448, 6}, {41, 16, 67_712, 1_371_776, 2_726_584, 117_480, 16},
                {100, 2, 67_712, 2_137_856, 4_244_696, 199_872, 2}, {2_999, 5, 67_712, 341_345_024, 664_340_388, 93_048_368, 5},
                {3_000, 5, 67_712, 341_346_560, 664_343_460, 93_048_400, 5}};
        Compilation compilation = compiled(WHISPER);
        SizeProgram program = program(compilation, List.of("mel.L", "tokens.L"));
        assertTrue(program != null, refusal(compilation));
        List<String> figures = program.figures();
        assertTrue(figures.contains("BYTES_MOVED"), figures.toString());
        for (long[] row : measured) {
            long[] values = program.at(row[0], row[1]);
            String at = " at " + row[0] + ", " + row[1];
            assertEquals(row[2], values[figures.indexOf("PARAMS")], "PARAMS" + at);
            assertEquals(row[3], values[figures.indexOf("MACS")], "MACS" + at);
            assertEquals(row[4], values[figures.indexOf("FLOPS")], "FLOPS" + at);
            assertEquals(row[5], values[figures.indexOf("OTHER_OPS")], "OTHER_OPS" + at);
            assertEquals(List.of(row[6], 100L), Arrays.stream(values, figures.size(), values.length).boxed().toList(), "output" + at);
        }
        assertThrows(IllegalArgumentException.class, () -> program.at(3_001, 5));
        // The bytes moved at an odd length, as the model compiled there gives them.
        String at41 = WHISPER.replace("shape = {16, 40}", "shape = {16, 41}").replace("shape = {6}, tokens", "shape = {16}, tokens")
                .replace(", sizes = {\"mel.L\", \"tokens.L\"}", "");
        assertFigures(program, program.at(41, 16), compiled(at41), " at 41, 16");
    }

    @Test
    void aProgramThatFailsAtTheSmallestSizesOnlyHoldsAboveThemAndRefusesBelow() {
        // ConvTranspose1d(k = 4, stride 3, dilation 2) reaches all but 2 of its 3L + 4 output positions from an input of 2 on, but all but
        // 3 at an input of 1: its FLOPs there are no combination of the products the program solves on the lattice 50 + 2k.
        String fields = "@ConvTranspose1d(cout = 8, k = 4, stride = 3, dilation = 2) Layer t; @Conv1d(cout = 4, k = 3, stride = 2, padding = 1) Layer c;";
        Compilation compilation = compiled(model("@Model(input = {4, 50}, layout = \"C,L\", sizes = {\"L\"})", fields));
        SizeProgram program = program(compilation, List.of("L"));
        assertTrue(program != null, refusal(compilation));
        // By hand at L = 3 (off the lattice): t gives 13 positions, 12 inputs times 32 = 384 MACs, its taps reach 11 (1 and 11 not), so
        // 2·384 - 8·11 + 8·13 = 784 FLOPs; c gives 7 positions, 7·4·24 = 672 MACs, 1,344 FLOPs. MACs 1,056, FLOPs 2,128.
        long[] at3 = program.at(3);
        assertEquals(1_056L, at3[program.figures().indexOf("MACS")]);
        assertEquals(2_128L, at3[program.figures().indexOf("FLOPS")]);
        // At L = 1 the model gives 1,048 FLOPs (t reaches 4 of 7 positions: 256 - 32 + 56; c 768), which the program would not: refused.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> program.at(1));
        assertTrue(e.getMessage().startsWith("Net: L = 1 is below 2, the smallest size its size program answers (the size program does not hold "
                + "below it: the model gives FLOPS = 1048 at L = 1"),
                e.getMessage());
    }

    @Test
    void aProgramThatFailsAtOneVariablesSmallestSizeRefusesBelowItForThatVariableOnly() {
        // The transposed convolution above on H only (a kernel of 4 by 1), then a 3x3 convolution of stride 2 on both axes: the program
        // fails at H = 1 as above, at every W, and holds at W = 1. Both lattices step by 2 from 50, so both variables' forms start at 2.
        String fields = "@ConvTranspose2d(cout = 8, kh = 4, kw = 1, strideH = 3, dilationH = 2) Layer t; "
                + "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer c;";
        SizeProgram program = followed(model("@Model(input = {3, 50, 50}, sizes = {\"H\", \"W\"})", fields));
        // W = 1, below W's forms, is answered, and equals the model compiled there.
        for (int[] sizes : new int[][] {{10, 1}, {3, 1}, {2, 1}, {7, 3}}) {
            assertTrue(compareAt(program, "", fields, sizes) > 0, Arrays.toString(sizes));
        }
        // H = 1 is refused, with the reason.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> program.at(1, 10));
        assertTrue(e.getMessage().startsWith("Net: H = 1 is below 2, the smallest size its size program answers (the size program does not "
                + "hold below it: the model gives FLOPS = "), e.getMessage());
    }

    @Test
    void aBatchNormThatCannotTrainAtSomeSizesIsRefusedThereAlone() {
        // Trained at a batch of 1, a BatchNorm2d after a convolution of stride 2 (floor((x - 1) / 2) + 1 positions) is given one
        // value per channel where both H and W are 1 or 2, and PyTorch refuses it there ("Expected more than 1 value per channel
        // when training"). The size program checks the batch norm's 1 · h · w at every size: it refuses those sizes and no others,
        // 3 x 1 or 1 x 9 included, each compared with the model compiled there.
        String fields = "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer c1; @BatchNorm2d Layer bn; @ReLU Layer r; "
                + "@AdaptiveAvgPool2d(1) Layer p; @Flatten Layer f; @Linear(out = 10) Layer fc;";
        SizeProgram program = followed(model("@Model(input = {3, 16, 16}, sizes = {\"H\", \"W\"}) @Training", fields));
        for (int[] sizes : new int[][] {{5, 3}, {3, 1}, {1, 9}, {2, 3}}) {
            compareAt(program, "@Training", fields, sizes);
        }
        for (int[] sizes : new int[][] {{1, 1}, {2, 2}, {1, 2}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> program.at(sizes[0], sizes[1]));
            assertEquals("Net cannot train at H = " + sizes[0] + ", W = " + sizes[1] + ": bn (BatchNorm2d) has 1 value per channel (the batch "
                    + "times its positions) in training, fewer than the 2 PyTorch takes", e.getMessage());
            Compilation refused = ModelSources.compile(ModelSources.source("test.Net",
                    model("@Model(input = {3, " + sizes[0] + ", " + sizes[1] + "}) @Training", fields)));
            assertEquals(Compilation.Status.FAILURE, refused.status(), Arrays.toString(sizes));
            com.google.testing.compile.CompilationSubject.assertThat(refused).hadErrorContaining("[MC424] bn: in training the BatchNorm2d is "
                    + "given one value per channel (1 x 1 x 1)");
        }
    }

    @Test
    void aBatchNormThatCannotTrainWhereBothSizesAreTinyCutsNoOtherSizeOnALatticeOfPeriodOne() {
        // A 3x3 convolution without stride (x - 2 positions) then a BatchNorm2d trained at a batch of 1: every size is on the lattice
        // of period 1, but at H = W = 3 the norm is given one value per channel, so the forms' box of sizes starts at 4 for both. A
        // size program answers below it, each size compared with the model compiled there: 3 x 224 has 222 values per channel.
        String fields = "@Conv2d(cout = 8, k = 3) Layer c1; @BatchNorm2d Layer bn; @ReLU Layer r; @AdaptiveAvgPool2d(1) Layer p; "
                + "@Flatten Layer f; @Linear(out = 10) Layer fc;";
        SizeProgram program = followed(model("@Model(input = {3, 16, 16}, sizes = {\"H\", \"W\"}) @Training(batch = 1)", fields));
        for (int[] sizes : new int[][] {{3, 224}, {224, 3}, {3, 4}, {5, 3}}) {
            compareAt(program, "@Training(batch = 1)", fields, sizes);
        }
        // By hand at 3 x 224: c1's 1 x 222 positions of 8 channels, 3·3·3 MACs each, and fc's 8·10.
        assertEquals(222L * 8 * 27 + 80, program.at(3, 224)[program.figures().indexOf("MACS")]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> program.at(3, 3));
        assertEquals("Net cannot train at H = 3, W = 3: bn (BatchNorm2d) has 1 value per channel (the batch times its positions) in training, "
                + "fewer than the 2 PyTorch takes", e.getMessage());
        // A length and the batch: an untracked batch norm on the input refuses L = 1 at the declared batch of 1, so the forms start at
        // L = 2; at a batch of 2 one position gives it two values per channel, and the program answers there.
        // By hand at a batch of 2: bn's one position, then c1's 8·4 MACs.
        assertOnePositionAnsweredAtABatchOfTwoOnly("@BatchNorm1d(trackRunningStats = false) Layer bn; @Conv1d(cout = 4, k = 1) Layer c1;", 1,
                2L * 8 * 4);
    }

    @Test
    void aProgramBelowTheFormsOfALatticeOfPeriodOneCostsNoFigureItsForm() {
        // As above, but a Linear on the transposed length: at one position ptflops' aten count takes another form (the transposed
        // view is contiguous there), which a program below the forms would have to leave out of at(...). The forms keep every
        // figure instead, from L = 2, and L = 1 is refused at every batch, as before the program.
        String line = "@BatchNorm1d(trackRunningStats = false) Layer bn; @Transpose(dim0 = 1, dim1 = 2) Layer seq; @Linear(out = 6) Layer fc;";
        Compilation compilation = compiled(model("@Model(input = {8, 16}, layout = \"C,L\", sizes = {\"L\", \"batch\"})", line));
        assertNull(program(compilation, List.of("L", "batch")));
        String generated = ModelSources.generated(compilation, "test.NetCost");
        assertTrue(generated.contains("WITHOUT_CLOSED_FORM = List.of()"), generated);
        assertTrue(generated.contains("SizeDomain.of(\"Net\", \"L\", 16, 1, 2, "), generated);
    }

    /**
     * A model of {@code fields} on 8 channels by a length, {@code sizes = {"L", "batch"}}, whose untracked batch norm {@code bn} gets
     * one position at L = {@code length}: its program gives {@code macs} there at a batch of 2, as the model compiled there does,
     * and refuses a batch of 1, naming the norm.
     */
    private static void assertOnePositionAnsweredAtABatchOfTwoOnly(String fields, int length, long macs) {
        SizeProgram program = program(compiled(model("@Model(input = {8, 32}, layout = \"C,L\", sizes = {\"L\", \"batch\"})", fields)),
                List.of("L", "batch"));
        assertEquals(macs, program.at(length, 2)[program.figures().indexOf("MACS")]);
        assertEquals(macs, constant(compiled(model("@Model(input = {8, " + length + "}, layout = \"C,L\", batch = 2)", fields)), "test.NetCost",
                "MACS"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> program.at(length, 1));
        assertEquals("Net does not exist at L = " + length + ", batch = 1: bn (BatchNorm1d) has 1 value per channel (the batch times its "
                + "positions), fewer than the 2 PyTorch takes", e.getMessage());
    }

    @Test
    void aNormWithoutRunningStatisticsGivenOneValueIsRefusedThereAlone() {
        // Two convolutions of stride 2 (floor((x - 1) / 2) + 1 positions each), then an InstanceNorm2d without running statistics
        // (PyTorch's default), which normalises each sample's channels with their own statistics and refuses one spatial element
        // ("Expected more than 1 spatial element"): where both H and W are at most 4, at inference. The size program checks its
        // h · w: 1 x 100 and 100 x 1 answer as compiled there, 4 x 4 is refused naming the norm, as the processor refuses it.
        String fields = "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer c1; @Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer c2; "
                + "@InstanceNorm2d Layer in2; @ReLU Layer r;";
        SizeProgram program = followed(model("@Model(input = {3, 16, 16}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{1, 100}, {100, 1}, {5, 5}, {3, 8}}) {
            compareAt(program, "", fields, sizes);
        }
        for (int[] sizes : new int[][] {{4, 4}, {1, 1}}) {
            // compareAt asserts that the model fails to compile there and that the program refuses, saying the network does not exist.
            compareAt(program, "", fields, sizes);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> program.at(sizes[0], sizes[1])).getMessage()
                    .endsWith(": in2 (InstanceNorm2d) has 1 spatial element per channel, fewer than the 2 PyTorch takes"));
        }
    }

    @Test
    void aReflectPaddedConvolutionRefusesAnInputNoLongerThanItsPaddingAsTheSmallestItTakes() {
        // MaxPool1d(3, stride 2, ceil_mode) gives floor((L - 2) / 2) + 1 positions at L = 3..4, 1; a reflect padding of 1 needs
        // more positions than that (PyTorch: "Padding size should be less than the corresponding input dimension"), where a zero
        // padding of 1 would give an output from 1. The refusal gives the smallest input the layer takes, 2, not a window's need.
        String fields = "@MaxPool1d(k = 3, stride = 2, ceilMode = true) Layer mp; @Conv1d(cout = 8, k = 3, padding = 1, paddingMode = \"reflect\") Layer refl;";
        Compilation compilation = compiled(model("@Model(input = {6, 8}, layout = \"C,L\", sizes = {\"L\"})", fields));
        SizeProgram program = program(compilation, List.of("L"));
        assertTrue(program != null, refusal(compilation));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> program.at(3));
        assertEquals("Net does not exist at L = 3: refl (Conv1d) gets 1 position on its L axis, where it takes 2 or more", e.getMessage());
        // At L = 5: 2 positions after the pool, 2 out of the reflect-padded convolution: 8 x 6 x 3 MACs each.
        assertEquals(2L * 8 * 6 * 3, program.at(5)[program.figures().indexOf("MACS")]);
    }

    @Test
    void aLayerThatExistsAtSomeSmallSizesOnlyLeavesTheModelWithoutAProgramAndSaysWhere() {
        // padding = (4 - L % 4) % 4 / 2 on a kernel and stride of 4: at L = 2 a padding of 1 makes 4 positions, one output; at L = 3 no
        // padding leaves 3, none. Where the network exists is no range of sizes, which a program cannot follow.
        Compilation compilation = compiled(model("@Model(input = {4, 64}, layout = \"C,L\", sizes = \"L\")",
                "@Conv1d(cout = 8, k = 4, stride = 4, with = \"padding = (4 - x.L % 4) % 4 / 2\") Layer c1; @ReLU Layer act;"));
        assertNull(program(compilation, List.of("L")));
        assertTrue(refusal(compilation).contains("c1 (Conv1d) has no output at an input of 3 positions but has one at 2: where the network "
                + "exists is no range of sizes that a program follows"), refusal(compilation));
    }

    @Test
    void aStackOfStridesGetsTheLatticeItsShapeRulesCompose() {
        // A wav2vec-style stack of 1-D convolutions of strides 5, 2, 2 and 2 over 16,000 samples: every length grows by a constant every 40
        // samples and on no shorter lattice. Five consecutive samples of a shorter one lie within one step of every floor and look like a
        // polynomial, so the lattice is the one the shape rules compose, and it goes on to the largest int.
        String fields = "@Conv1d(cout = 64, k = 10, stride = 5) Layer c0; @GELU Layer a0; @Conv1d(cout = 64, k = 3, stride = 2) Layer c1;"
                + " @Conv1d(cout = 64, k = 3, stride = 2) Layer c2; @Conv1d(cout = 64, k = 2, stride = 2) Layer c3;";
        Compilation compilation = compiled(model("@Model(input = {1, 16000}, layout = \"C,L\", sizes = {\"L\"})", fields));
        String generated = ModelSources.generated(compilation, "test.NetCost");
        Matcher domain = Pattern.compile("SizeDomain\\.of\\(\"Net\", \"L\", 16000, (\\d+), (\\d+), \"[^\"]*\", (\\d+),").matcher(generated);
        assertTrue(domain.find(), generated);
        assertEquals(List.of("40", "80", "2147483640"), List.of(domain.group(1), domain.group(2), domain.group(3)));
        SizeProgram program = program(compilation, List.of("L"));
        assertTrue(program != null, refusal(compilation));
        // By hand at 32,000 (on the lattice) and 16,001 (off it): floor((L - 10) / 5) + 1 positions, then floor((x - 3) / 2) + 1 twice and
        // floor((x - 2) / 2) + 1: 6,399, 3,199, 1,599, 799 and 3,199, 1,599, 799, 399; 640 MACs a position, 12,288 twice, then 8,192.
        assertEquals(6_399L * 640 + 3_199L * 12_288 + 1_599L * 12_288 + 799L * 8_192, program.at(32_000)[program.figures().indexOf("MACS")]);
        assertEquals(3_199L * 640 + 1_599L * 12_288 + 799L * 12_288 + 399L * 8_192, program.at(16_001)[program.figures().indexOf("MACS")]);
        // Below the lattice's smallest size, 80, from the program too: 60 gives 11, 5, 2 and 1 positions; at 50 the last convolution gets 1.
        assertEquals(11L * 640 + 5L * 12_288 + 2L * 12_288 + 1L * 8_192, program.at(60)[program.figures().indexOf("MACS")]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> program.at(50));
        assertEquals("Net does not exist at L = 50: c3 (Conv1d) gets 1 position on its L axis, where it takes 2 or more",
                e.getMessage());
        for (int length : new int[] {16_001, 16_019, 16_020, 99, 32_003, 60, 61, 79}) {
            Compilation fixed = ModelSources.compile(ModelSources.source("test.Net",
                    model("@Model(input = {1, " + length + "}, layout = \"C,L\")", fields)));
            long[] values = program.at(length);
            assertFigures(program, values, fixed, " at " + length);
        }
    }

    @Test
    void aDeclaredSizeTooSmallToShowAStrideGetsTheLatticeItsShapeRulesCompose() throws ReflectiveOperationException {
        // Declared at L = 1 (or 3) under a stride of 8 (16, 32), every layer's output keeps its sizes from the declared length to the
        // next: no stride shows, and on the lattice of period 1 the figures step a piece each stride, so the range ended after four
        // pieces (at 32). On the stride the shape rules compose every length grows evenly, and every length is answered as compiled.
        // By hand for the first: floor((L - 1) / 8) + 1 positions of 4 x 4 MACs, then a linear layer of 4 x that many inputs per channel.
        String[][] cases = {
            {"{4, 1}", "@Conv1d(cout = 4, k = 1, stride = 8) Layer c; @Linear(out = 4) Layer l;", "33,34,40,65,1000,1025"},
            {"{4, 1}", "@Conv1d(cout = 4, k = 1, stride = 8) Layer c; @ReLU Layer r;", "33,34,64,1000"},
            {"{4, 1}", "@Conv1d(cout = 4, k = 1, stride = 32) Layer c; @Linear(out = 4) Layer l;", "33,1000,1025"},
            {"{4, 3}", "@Conv1d(cout = 4, k = 5, padding = 2, stride = 16) Layer c; @Flatten Layer f; @Linear(out = 4) Layer l;", "100,1000"},
        };
        for (String[] c : cases) {
            Compilation sized = compiled(model("@Model(input = " + c[0] + ", layout = \"C,L\", sizes = \"L\")", c[1]));
            java.lang.reflect.Method at = ModelSources.classes(sized).loadClass("test.NetCost").getMethod("at", int.class);
            for (String length : c[2].split(",")) {
                Object figures = at.invoke(null, Integer.parseInt(length));
                Compilation fixed = compiled(model("@Model(input = {4, " + length + "}, layout = \"C,L\")", c[1]));
                assertEquals(constant(fixed, "test.NetCost", "MACS"), figures.getClass().getMethod("macs").invoke(figures), c[1] + " at " + length);
            }
        }
        Object figures = ModelSources.classes(compiled(model("@Model(input = {4, 1}, layout = \"C,L\", sizes = \"L\")", cases[0][1])))
                .loadClass("test.NetCost").getMethod("at", int.class).invoke(null, 1000);
        long positions = (1000 - 1) / 8 + 1;
        assertEquals(positions * 16 + 4 * positions * 4, figures.getClass().getMethod("macs").invoke(figures));
    }

    @Test
    void aSmallDeclaredSizeBesideABranchOfFullResolutionGetsTheLatticeItsShapeRulesCompose() throws ReflectiveOperationException {
        // Declared at L = 1 (H = W = 2), a branch of stride 8 (16) keeps one position for 8 (16) sizes while a branch of stride 1 grows
        // every step: the lattice of period 1 holds, a piece each stride, and ended after four pieces (at 32; 16 in 2-D). One branch's
        // output does not grow evenly over the period the shape rules compose, so that period is taken, and every size is answered as
        // compiled.
        String[][] cases = {
            {"{4, 1}", "C,L", "@Conv1d(cout = 4, k = 1, stride = 8) Layer b; @Flatten Layer fb; @Linear(out = 4) Layer lb;"
                + " @From(\"input\") @Conv1d(cout = 4, k = 1) Layer a; @Flatten Layer fa; @Linear(out = 4) Layer la; @Add({\"la\", \"lb\"}) Layer s;",
                "2;9;33;34;40;65;100;333;1001"},
            {"{4, 2, 2}", "C,H,W", "@Conv2d(cout = 4, k = 1, stride = 16) Layer b; @Flatten Layer fb; @Linear(out = 4) Layer lb;"
                + " @From(\"input\") @Conv2d(cout = 4, k = 1) Layer a; @Flatten Layer fa; @Linear(out = 4) Layer la; @Add({\"la\", \"lb\"}) Layer s;",
                "17,17;18,18;31,33;33,33;65,67;100,37"},
        };
        for (String[] c : cases) {
            boolean flat = c[1].equals("C,L");
            Compilation sized = compiled(model("@Model(input = " + c[0] + ", layout = \"" + c[1] + "\", sizes = " + (flat ? "\"L\"" : "{\"H\", \"W\"}") + ")", c[2]));
            Class<?> cost = ModelSources.classes(sized).loadClass("test.NetCost");
            java.lang.reflect.Method at = flat ? cost.getMethod("at", int.class) : cost.getMethod("at", int.class, int.class);
            for (String size : c[3].split(";")) {
                Object[] values = java.util.Arrays.stream(size.split(",")).map(Integer::valueOf).toArray();
                Object figures = at.invoke(null, values);
                Compilation fixed = compiled(model("@Model(input = {4, " + size + "}, layout = \"" + c[1] + "\")", c[2]));
                assertEquals(constant(fixed, "test.NetCost", "MACS"), figures.getClass().getMethod("macs").invoke(figures), c[2] + " at " + size);
            }
        }
        // By hand at L = 100: the strided branch gets floor((100 - 1) / 8) + 1 = 13 positions of 4 x 4 MACs, then 4 x 13 inputs to 4
        // outputs; the other 100 positions of 16 MACs, then 400 inputs to 4 outputs.
        Object figures = ModelSources.classes(compiled(model("@Model(input = {4, 1}, layout = \"C,L\", sizes = \"L\")", cases[0][2])))
                .loadClass("test.NetCost").getMethod("at", int.class).invoke(null, 100);
        assertEquals(13L * 16 + 52L * 4 + 100L * 16 + 400L * 4, figures.getClass().getMethod("macs").invoke(figures));
    }

    @Test
    void aNetworkThatDoesNotExistOffTheLatticeNamesTheLayer() {
        String fields = "@Conv2d(cout = 8, k = 5) Layer valid; @MaxPool2d(k = 2) Layer pool;";
        SizeProgram program = program(compiled(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields)), HW);
        assertTrue(program != null);
        compareAt(program, "", fields, new int[] {7, 9});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> program.at(4, 65));
        assertEquals("Net does not exist at H = 4, W = 65: valid (Conv2d) gets 4 positions on its H axis, where it takes 5 or more",
                e.getMessage());
    }

    @Test
    void twoBranchesThatMustMatchAreCheckedOffTheLattice() {
        // A 3x3 convolution of stride 2 (padding 1) and a 2x2 one of stride 2 (no padding) agree on even sizes only: floor((x - 1) / 2) + 1
        // against floor(x / 2). The addition needs both; the compiled model fails at odd sizes, and so does the program.
        String fields = "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer a; @From(\"input\") @Conv2d(cout = 4, k = 2, stride = 2) Layer b;"
                + " @Add({\"a\", \"b\"}) Layer sum;";
        SizeProgram program = program(compiled(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields)), HW);
        assertTrue(program != null);
        compareAt(program, "", fields, new int[] {66, 70});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> program.at(65, 64));
        assertEquals("Net does not exist at H = 65, W = 64: sum (Add) merges inputs of 33 and 32 positions on its H axis", e.getMessage());
    }

    @Test
    void aBroadcastIsRefusedAsSuch() {
        // At W = 3 the 3x3 convolution of stride 2 (padding 1) gives 2 positions and the 2x2 one 1: the addition broadcasts, which the
        // model compiled there takes; the program says it does not follow it, and claims no absence.
        String fields = "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer a; @From(\"input\") @Conv2d(cout = 4, k = 2, stride = 2) Layer b;"
                + " @Add({\"a\", \"b\"}) Layer sum;";
        SizeProgram program = program(compiled(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields)), HW);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> program.at(6, 3));
        assertEquals("Net at H = 6, W = 3: sum (Add) merges inputs of 2 and 1 positions on its W axis by broadcasting, which the size program "
                + "does not follow; compile the model at these sizes, which also tells whether the network exists there", e.getMessage());
        assertTrue(ModelSources.compile(ModelSources.source("test.Net", model("@Model(input = {3, 6, 3})", fields))).status()
                == Compilation.Status.SUCCESS);
    }

    @Test
    void aConcatenationOfOneAgainstMoreIsNoBroadcast() {
        // The same two convolutions joined along the channels: torch.cat broadcasts nothing, so at W = 3 (2 against 1) the network
        // does not exist, as the model compiled there says (MC307).
        String fields = "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer a; @From(\"input\") @Conv2d(cout = 4, k = 2, stride = 2) Layer b;"
                + " @Concat({\"a\", \"b\"}) Layer cat;";
        SizeProgram program = program(compiled(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields)), HW);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> program.at(6, 3));
        assertEquals("Net does not exist at H = 6, W = 3: cat (Concat) merges inputs of 2 and 1 positions on its W axis", e.getMessage());
        assertTrue(ModelSources.compile(ModelSources.source("test.Net", model("@Model(input = {3, 6, 3})", fields))).status()
                == Compilation.Status.FAILURE);
    }

    @Test
    void aLayerThatTakesSomeSizesOnlyLeavesNoProgram() {
        Compilation compilation = compiled(model("@Model(input = {4, 64, 64}, sizes = {\"H\", \"W\"})",
                "@PixelUnshuffle(downscaleFactor = 2) Layer unshuffle; @Conv2d(cout = 4, k = 1) Layer c;"));
        assertNull(program(compilation, HW));
        assertEquals("has sizes that no program follows through its layers: unshuffle (PixelUnshuffle) takes some sizes only: not 65, next to the 64 it "
                + "is given", refusal(compilation));
    }

    @Test
    void weightsThatGrowWithASizeAsNoProductDoesLeaveNoProgramAndTheRefusalGivesTheirForm() {
        // C is the convolution's input channels: its weights are 8·C·3·3 and 8 biases, the head's 8·10 and 10, 72·C + 98 in all; a
        // program combines products of tensors' sizes (C·H and C·H·batch for the input, its W fixed), none of which is C alone.
        Compilation compilation = compiled(model("@Model(input = {16, 32, 32}, sizes = {\"C\", \"H\", \"batch\"})",
                "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer c1; @ReLU Layer r; @AdaptiveAvgPool2d(1) Layer p; @Flatten Layer f; "
                + "@Linear(out = 10) Layer fc;"));
        assertNull(program(compilation, List.of("C", "H", "batch")));
        assertEquals("compiles at C = 1, H = 1, batch = 1, where its figures are no linear combination of the products of its tensors' sizes "
                + "(PARAMS of Net at C = 1, H = 1, batch = 1 is not an integer); its weights grow with C: PARAMS(C, H, batch) = 98 + 72·C on the "
                + "lattice", refusal(compilation));
    }

    @Test
    void anAttributeThatReadsATensorsSizeIsEvaluatedAgainAtEachSize() {
        // The padding evens out an odd height: input.H % 2 is evaluated again wherever the rules run the layer, a rule of period 2.
        String fields = "@Pad(with = \"pad = [0, 0, 0, input.H % 2]\") Layer even; @MaxPool2d(k = 2) Layer pool; @Conv2d(cout = 4, k = 3) Layer conv;";
        SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{65, 64}, {67, 93}, {7, 9}, {201, 130}, {3, 4}}) {
            compareAt(program, "", fields, sizes);
        }
        // By hand at 65 x 64: the padding gives 66 rows, the pool 33 x 32, the convolution 31 x 30; a program that kept the declared
        // padding of 0 would pool 65 rows to 32 and give 30.
        long[] at = program.at(65, 64);
        assertEquals(List.of(4L, 31L, 30L), Arrays.stream(at, program.figures().size(), at.length).boxed().toList());
    }

    @Test
    void aResamplingToTheInputsSizeAndAPaddingToASkipConnectionAreFollowed() {
        // As FCN's head, bilinear upsampling back to the input's size (size = [input.H, input.W]) after strided layers; as UNet's decoder, a
        // transposed convolution padded (or cropped) by the difference to the skip connection's size, then the concatenation.
        String fields = String.join(" ",
                "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer down;",
                "@ConvTranspose2d(cout = 8, k = 2, stride = 2) Layer up;",
                "@Pad(with = \"pad = [(input.W - up.W) / 2, input.W - up.W - (input.W - up.W) / 2, (input.H - up.H) / 2, input.H - up.H - (input.H - up.H) / 2]\") Layer pad;",
                "@Concat({\"input\", \"pad\"}) Layer cat;",
                "@Conv2d(cout = 4, k = 3, stride = 4) Layer head;",
                "@Functional @Upsample(mode = \"bilinear\", with = \"size = [input.H, input.W]\") Layer resize;");
        SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{65, 64}, {67, 93}, {9, 8}, {201, 130}, {33, 35}}) {
            compareAt(program, "", fields, sizes);
        }
        // By hand at 65 x 93: the transposed convolution gives 66 x 94, cropped by one to the input's 65 x 93; the head gives
        // floor((65 - 3) / 4) + 1 = 16 x 23, resampled to the input's size.
        long[] at = program.at(65, 93);
        assertEquals(List.of(4L, 65L, 93L), Arrays.stream(at, program.figures().size(), at.length).boxed().toList());
    }

    @Test
    void inIsFollowedWhereItIsASize() {
        // After the channels are selected away, a block's first input is H x W, and its in is the width (the last axis): the padding
        // evens it out at every width. By hand at 64 x 65: the stride-2 convolution gives 32 x 33, the padding 32 x 34.
        String fields = "@Conv2d(cout = 2, k = 3, stride = 2, padding = 1) Layer conv; @Select Layer first; Evens block; @ReLU Layer act;"
                + " @Block static class Evens { @Pad(with = \"pad = [0, in % 2]\") Layer even; }";
        SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{64, 65}, {67, 93}, {7, 9}, {130, 201}}) {
            compareAt(program, "", fields, sizes);
        }
        long[] at = program.at(64, 65);
        assertEquals(List.of(32L, 34L), Arrays.stream(at, program.figures().size(), at.length).boxed().toList());
    }

    @Test
    void anAttributeThatComparesSizesIsFollowedUpToWhereItTurns() {
        // The padding evens out odd widths above 200 only: its condition holds as declared for widths up to 200, which the program
        // answers, and refuses above, where it may turn.
        String fields = "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer down;"
                + " @Pad(with = \"pad = [0, input.W % 2 == 1 && input.W > 200 ? 1 : 0, 0, 0]\") Layer p; @Conv2d(cout = 4, k = 3, padding = 1) Layer head;";
        SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{65, 199}, {7, 200}, {3, 1}}) {
            compareAt(program, "", fields, sizes);
        }
        SizeProgram.StepsDiffer past = assertThrows(SizeProgram.StepsDiffer.class, () -> program.at(64, 201));
        assertTrue(past.getMessage().startsWith("Net at H = 64, W = 201: a condition of \"pad = [0, input.W % 2 == 1 && input.W > 200 ? 1 : 0, 0, 0]\" "
                + "of p reads input.W = 201, and holds as at the declared sizes only where it is from 1 to 200,"), past.getMessage());
    }

    @Test
    void anAttributeThatTakesTheLeastOfSizesLeavesNoProgram() {
        // min can change at sizes no check reaches: refused, not followed from the few sizes the rules run the layer at.
        Compilation compilation = compiled(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})",
                "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer down;",
                "@Pad(with = \"pad = [0, min(input.W, 300) / 300, 0, 0]\") Layer p;", "@Conv2d(cout = 4, k = 3, padding = 1) Layer head;"));
        assertNull(program(compilation, HW));
        assertEquals("has sizes that no program follows through its layers: p (Pad) reads tensors' sizes through min "
                + "(\"pad = [0, min(input.W, 300) / 300, 0, 0]\"), which can change at sizes no check reaches", refusal(compilation));
    }

    @Test
    void anExactDivisionByANumberIsFollowed() {
        // exact(x.C, 4) is x.C / 4 where 4 divides it, as a floor division by a number is followed. By hand at 33 x 32: the stride-2
        // convolution gives floor((33 + 2 - 3) / 2) + 1 = 17 x 16 positions of 16·3·9 MACs each, 117,504 in all.
        String fields = "@Conv2d(cout = 16, k = 3, stride = 2, padding = 1) Layer conv;"
                + " @Reshape(layout = \"G,C,H,W\", with = \"shape = [exact(x.C, 4), 4, x.H, x.W]\") Layer split; @Mean(dim = 1) Layer avg;";
        SizeProgram program = followed(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{33, 32}, {31, 17}, {7, 9}, {65, 64}}) {
            compareAt(program, "", fields, sizes);
        }
        assertEquals(117_504L, program.at(33, 32)[program.figures().indexOf("MACS")]);
    }

    @Test
    void anExactDivisionOfAVaryingSizeIsRefusedWhereItFails() {
        // exact(x.H, 2) exists at even heights only: the layer's own rule finds that it takes some sizes only, and the refusal says so.
        Compilation compilation = compiled(model("@Model(input = {16, 32, 32}, sizes = {\"H\", \"W\"})",
                "@Conv2d(cout = 16, k = 3, padding = 1) Layer conv;",
                "@Reshape(layout = \"C,G,H,W\", with = \"shape = [x.C, 2, exact(x.H, 2), x.W]\") Layer split;", "@Mean(dim = 1) Layer avg;"));
        assertNull(program(compilation, HW));
        assertEquals("has sizes that no program follows through its layers: split (Reshape) takes some sizes only: not 33, next to the 32 it is given",
                refusal(compilation));
        // exact(x.H, 16): the next size it takes is 16 away, which the rule looks for too, so the refusal says the same.
        Compilation sixteen = compiled(model("@Model(input = {16, 32, 32}, sizes = {\"H\", \"W\"})",
                "@Conv2d(cout = 16, k = 3, padding = 1) Layer conv;",
                "@Reshape(layout = \"C,G,H,W\", with = \"shape = [x.C, 16, exact(x.H, 16), x.W]\") Layer split;", "@Mean(dim = 1) Layer avg;"));
        assertEquals("has sizes that no program follows through its layers: split (Reshape) takes some sizes only: not 33, next to the 32 it is given",
                refusal(sixteen));
    }

    @Test
    void anExactDivisionByASizeIsRefused() {
        // 64 / (x.W + 64) divides by an axis that varies: refused, though it is 0 at every size here.
        Compilation compilation = compiled(model("@Model(input = {4, 32, 32}, sizes = {\"H\", \"W\"})",
                "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer conv;",
                "@Pad(with = \"pad = [0, 64 / (x.W + 64), 0, 0]\") Layer p;"));
        assertNull(program(compilation, HW));
        assertEquals("has sizes that no program follows through its layers: p (Pad) reads tensors' sizes through a division by a size "
                + "(\"pad = [0, 64 / (x.W + 64), 0, 0]\"), which can change at sizes no check reaches", refusal(compilation));
    }

    @Test
    void anAttributeThatReadsOnlyAxesOfFixedSizeIsFollowedWhateverItsForm() {
        // A squeeze-and-excitation block's channels, max(1, x.C / 4) as torchvision computes them, read the channel axis alone, which
        // no size variable moves: the value is 8 at every size, so the program follows the layer. By hand at 65 x 63: the stem gives
        // floor((65 + 2 - 3) / 2) + 1 = 33 by floor((63 + 2 - 3) / 2) + 1 = 32 positions of 32·3·9 MACs each (912,384), the
        // squeeze 32·8 and the excitation 8·32 MACs (512).
        String se = "@Conv2d(cout = 32, k = 3, stride = 2, padding = 1) Layer stem; @AdaptiveAvgPool2d(1) Layer sq;"
                + " @Conv2d(k = 1, with = \"cout = max(1, x.C / 4)\") Layer se1; @SiLU Layer act; @Conv2d(k = 1, cout = 32) Layer se2;"
                + " @Sigmoid Layer gate; @Mul({\"stem\", \"gate\"}) Layer scaled;";
        SizeProgram squeeze = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", se));
        for (int[] sizes : new int[][] {{65, 63}, {3, 3}, {1, 1}}) {
            compareAt(squeeze, "", se, sizes);
        }
        assertEquals(912_384L + 512L, squeeze.at(65, 63)[squeeze.figures().indexOf("MACS")]);
        // exact(64, x.C) divides by the channels, 4 at every size: a pad of 16 columns. By hand at 33 x 17: 17 x 9 positions of
        // 4·3·9 MACs (16,524), then 17 x 25 of 2·4 (3,400).
        String pad = "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer conv; @Pad(with = \"pad = [0, exact(64, x.C), 0, 0]\") Layer p;"
                + " @Conv2d(cout = 2, k = 1) Layer head;";
        SizeProgram padded = followed(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\"})", pad));
        for (int[] sizes : new int[][] {{33, 17}, {1, 2}}) {
            compareAt(padded, "", pad, sizes);
        }
        assertEquals(16_524L + 3_400L, padded.at(33, 17)[padded.figures().indexOf("MACS")]);
    }

    @Test
    void anAttributeThatMultipliesTwoSizesIsFollowed() {
        // shape = [C, H·W] after a stride: the flattened size is the product of the two maps, which the reshape's rule multiplies. By
        // hand at 17 x 16: 9 x 8 positions, 4 channels · 27 MACs each (7,776), then 72 tokens of 4 · 6 (1,728).
        String fields = "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer conv; @Reshape(with = \"shape = [x.C, x.H * x.W]\", layout = \"C,L\") Layer r;"
                + " @Transpose Layer t; @Linear(out = 6) Layer fc;";
        SizeProgram program = followed(model("@Model(input = {3, 16, 16}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{17, 16}, {33, 9}, {5, 64}, {1, 1}}) {
            compareAt(program, "", fields, sizes);
        }
        assertEquals(7_776L + 1_728L, program.at(17, 16)[program.figures().indexOf("MACS")]);
    }

    @Test
    void aPaddingByAnotherSizeEndsWhereItWouldLeaveNoPosition() {
        // p pads the input's width by a.W - 10, a.W = floor((W - 1) / 2) + 1: W + a.W - 10 columns, none where that is below 1 (W = 5 gives
        // 5 + 3 - 10 = -2), which the program says naming the layer, as the compiled model fails there.
        String fields = "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer a; @From(\"input\") @Pad(with = \"pad = [0, a.W - 10, 0, 0]\") Layer p;"
                + " @Conv2d(cout = 2, k = 1) Layer head;";
        SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{65, 65}, {9, 7}, {9, 5}, {7, 3}}) {
            compareAt(program, "", fields, sizes);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> program.at(9, 5));
        assertEquals("Net does not exist at H = 9, W = 5: p (Pad) gives -2 positions on its W axis", e.getMessage());
    }

    @Test
    void aSizeBoundedByAnotherOfTheSameSourceIsFollowedFromThatSource() {
        // Reflection padding must stay below the size it pads: a.W - 1 < down.W, where down takes ceil(W / 2) and a floor(W / 2). One more
        // column of a alone is refused, one fewer taken: a bound, not the equality of two merged branches; both follow W, at which the
        // bound always holds, so the pad is followed from W. By hand at 7 x 9: down is 4 x 5, a 3 x 4, and the pad adds 3 columns to 4 x 8.
        String fields = "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer down; @From(\"input\") @MaxPool2d(k = 2) Layer a; "
                + "@From(\"down\") @Pad(mode = \"reflect\", with = \"pad = [0, a.W - 1, 0, 0]\") Layer p;";
        SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{7, 9}, {65, 64}, {64, 65}, {2, 3}, {101, 33}, {1, 1}}) {
            compareAt(program, "", fields, sizes);
        }
        long[] at = program.at(7, 9);
        assertEquals(List.of(4L, 4L, 8L), Arrays.stream(at, program.figures().size(), at.length).boxed().toList());
        // The bound between two sizes of different variables (half the height padded onto the width) is no rule of either: no program,
        // the first size the program's checks compile where the bound breaks named.
        Compilation compilation = compiled(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})",
                "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer down;", "@From(\"input\") @MaxPool2d(k = 2) Layer a;",
                "@From(\"down\") @Pad(mode = \"reflect\", with = \"pad = [0, a.H - 1, 0, 0]\") Layer p;"));
        assertNull(program(compilation, HW));
        assertTrue(refusal(compilation).startsWith("fails to compile at H = 63, W = 55, where its shape rules say it exists: [MC320] p: Pad pad = 30"),
                refusal(compilation));
    }

    @Test
    void windowsOfAPaddedMapAreFollowedFromTheMapBeforeThePad() {
        // Patches of 8, padded to a multiple of 5 and cut into windows of 5 x 5 patches, attention in each window, merged back and
        // cropped (SAM's windowed blocks): the reshape into windows takes only multiples of 5, which the pad always gives, so the
        // windows follow the patches' sizes through the pad. By hand at 81 x 121: 10 x 15 patches (81 and 121 floor to them), padded
        // to 10 x 15 (no pad): 2 x 3 windows of 25 patches; at 88 x 128: 11 x 16 patches, padded to 15 x 20, 3 x 4 windows.
        String fields = String.join(" ", "@Conv2d(cout = 4, k = 8, stride = 8) Layer patch;", "@Permute(dims = {0, 2, 3, 1}) Layer nhwc;",
                "@Pad(with = \"pad = [0, 0, 0, (5 - nhwc.W % 5) % 5, 0, (5 - nhwc.H % 5) % 5]\") Layer pad;",
                "@Reshape(layout = \"A,P,B,Q,C\", with = \"shape = [pad.H / 5, 5, pad.W / 5, 5, 4]\") Layer part;",
                "@Permute(dims = {0, 1, 3, 2, 4, 5}) Layer perm;", "@Reshape(layout = \"N,L,C\", shape = {-1, 25, 4}) Layer windows;",
                "@From({\"windows\", \"windows\"}) @MatMul(transposeB = true) Layer scores;", "@Softmax Layer probs;",
                "@From({\"probs\", \"windows\"}) @MatMul Layer mixed;",
                "@Reshape(layout = \"A,B,P,Q,C\", with = \"shape = [pad.H / 5, pad.W / 5, 5, 5, 4]\") Layer unpart;",
                "@Permute(dims = {0, 1, 3, 2, 4, 5}) Layer unperm;", "@Reshape(layout = \"H,W,C\", with = \"shape = [pad.H, pad.W, 4]\") Layer merged;",
                "@Slice(dim = 1, start = 0, with = \"end = nhwc.H\") Layer cropH;", "@Slice(dim = 2, start = 0, with = \"end = nhwc.W\") Layer cropW;",
                "@Add({\"nhwc\", \"cropW\"}) Layer residual;");
        SizeProgram program = followed(model("@Model(input = {3, 80, 120}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{81, 121}, {88, 128}, {84, 84}, {9, 17}, {47, 9}, {200, 333}, {7, 8}}) {
            compareAt(program, "", fields, sizes);
        }
        // MACs by hand at 88 x 128: the patches 11·16 positions of 4 channels at 3·64 MACs each (135,168); per window of 25 x 25 scores
        // over 4 features, twice (scores, then mixed): 12 windows · 2 · 2,500 (60,000).
        assertEquals(195_168L, program.at(88, 128)[program.figures().indexOf("MACS")]);
        // The same reshape without the pad takes one height in 40 of the image: no program, and its reason names it.
        Compilation unpadded = compiled(model("@Model(input = {3, 80, 120}, sizes = {\"H\", \"W\"})",
                fields.replace("@Pad(with = \"pad = [0, 0, 0, (5 - nhwc.W % 5) % 5, 0, (5 - nhwc.H % 5) % 5]\") Layer pad;",
                        "@Permute(dims = {0, 1, 2, 3}) Layer pad;")));
        assertNull(program(unpadded, HW));
        assertTrue(refusal(unpadded).startsWith("has sizes that no program follows through its layers: part (Reshape) takes some sizes only"),
                refusal(unpadded));
    }

    @Test
    void patchesOfAMapInterpolatedToEvenSizesAreFollowed() {
        // MobileViT's block: the map interpolated to the next even sizes, unfolded into 2 x 2 patches, a transformer's MLP over them,
        // folded back and interpolated to the map's sizes again. The unfold takes even sizes only, which the interpolation always gives.
        String fields = String.join(" ", "@Conv2d(cout = 16, k = 3, stride = 2, padding = 1) Layer stem;",
                "@Conv2d(cout = 16, k = 3, padding = 1) Layer local;", "@Conv2d(cout = 24, k = 1, bias = false) Layer projIn;",
                "@Upsample(mode = \"bilinear\", with = \"size = [(projIn.H + 1) / 2 * 2, (projIn.W + 1) / 2 * 2]\") Layer resized;",
                "@Reshape(layout = \"C,A,P,B,Q\", with = \"shape = [24, resized.H / 2, 2, resized.W / 2, 2]\") Layer split;",
                "@Permute(dims = {0, 3, 5, 2, 4, 1}) Layer patchesFirst;", "@Reshape(layout = \"P,N,C\", shape = {4, -1, 24}) Layer patches;",
                "@LayerNorm Layer norm;", "@Linear(out = 48) Layer fc1;", "@SiLU Layer act;", "@Linear(out = 24) Layer fc2;",
                "@Add({\"patches\", \"fc2\"}) Layer res;",
                "@Reshape(layout = \"P,Q,A,B,C\", with = \"shape = [2, 2, resized.H / 2, resized.W / 2, 24]\") Layer unpatch;",
                "@Permute(dims = {0, 5, 3, 1, 4, 2}) Layer channelsFirst;",
                "@Reshape(layout = \"C,H,W\", with = \"shape = [24, resized.H, resized.W]\") Layer folded;",
                "@Upsample(mode = \"bilinear\", with = \"size = [projIn.H, projIn.W]\") Layer restored;", "@Conv2d(cout = 16, k = 1) Layer projOut;",
                "@Concat({\"local\", \"projOut\"}) Layer fuseIn;", "@Conv2d(cout = 16, k = 3, padding = 1) Layer fuse;");
        SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{65, 64}, {63, 71}, {9, 9}, {100, 37}, {3, 5}, {1, 1}}) {
            compareAt(program, "", fields, sizes);
        }
        // MACs by hand at 65 x 64: a 33 x 32 map (1,056 positions); the stem 1,056·16·27 (456,192), local 1,056·16·144 (2,433,024),
        // projIn 1,056·24·16 (405,504); interpolated to 34 x 32, 4 x 272 patches: fc1 and fc2 1,088·24·48 each (1,253,376); projOut
        // 1,056·16·24 (405,504); fuse 1,056·16·288 (4,866,048); interpolations count no MACs.
        assertEquals(11_073_024L, program.at(65, 64)[program.figures().indexOf("MACS")]);
    }

    @Test
    void aSwinLikeNetworkWithPaddedWindowsAndOddPatchMergingAnswersAtEverySize() {
        // Swin's stages without the shift: windows of 7 after a pad to a multiple of 7, cropped back; between stages, a patch merging
        // that pads odd maps to even ones and takes every other row and column. Before, only sizes on the lattice of 7 · 2 · 4 answered.
        String block = " @Block static class Win { @Param int c; @LayerNorm Layer norm;"
                + " @Pad(with = \"pad = [0, 0, 0, (7 - input.W % 7) % 7, 0, (7 - input.H % 7) % 7]\") Layer pad;"
                + " @Reshape(layout = \"A,P,B,Q,C\", with = \"shape = [pad.H / 7, 7, pad.W / 7, 7, c]\") Layer part;"
                + " @Permute(dims = {0, 1, 3, 2, 4, 5}) Layer perm; @Reshape(layout = \"N,L,C\", with = \"shape = [-1, 49, c]\") Layer windows;"
                + " @From({\"windows\", \"windows\"}) @MatMul(transposeB = true) Layer scores; @Softmax Layer probs;"
                + " @From({\"probs\", \"windows\"}) @MatMul Layer mixed; @Linear(with = \"out = c\") Layer proj;"
                + " @Reshape(layout = \"A,B,P,Q,C\", with = \"shape = [pad.H / 7, pad.W / 7, 7, 7, c]\") Layer unpart;"
                + " @Permute(dims = {0, 1, 3, 2, 4, 5}) Layer unperm; @Reshape(layout = \"H,W,C\", with = \"shape = [pad.H, pad.W, c]\") Layer merged;"
                + " @Slice(dim = 1, start = 0, with = \"end = input.H\") Layer cropH; @Slice(dim = 2, start = 0, with = \"end = input.W\") Layer cropW;"
                + " @Add({\"input\", \"cropW\"}) Layer residual; }"
                + " @Block static class Merge { @Pad(with = \"pad = [0, 0, 0, input.W % 2, 0, input.H % 2]\") Layer pad;"
                + " @Slice(dim = 1, start = 0, step = 2) Layer rows0; @Slice(dim = 2, start = 0, step = 2) Layer x0;"
                + " @From(\"pad\") @Slice(dim = 1, start = 1, step = 2) Layer rows1; @Slice(dim = 2, start = 0, step = 2) Layer x1;"
                + " @From(\"rows0\") @Slice(dim = 2, start = 1, step = 2) Layer x2; @From(\"rows1\") @Slice(dim = 2, start = 1, step = 2) Layer x3;"
                + " @Concat(value = {\"x0\", \"x1\", \"x2\", \"x3\"}, dim = -1) Layer cat; @Linear(bias = false, with = \"out = 2 * input.C\") Layer reduction; }";
        String fields = "@Conv2d(cout = 8, k = 4, stride = 4) Layer patch; @Permute(dims = {0, 2, 3, 1}) Layer nhwc;"
                + " @Args(\"c = 8\") Win stage1; Merge merge; @Args(\"c = 16\") Win stage2;" + block;
        SizeProgram program = followed(model("@Model(input = {3, 224, 224}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{225, 224}, {57, 29}, {100, 37}, {29, 31}, {4, 4}, {3, 8}}) {
            compareAt(program, "", fields, sizes);
        }
    }

    @Test
    void aPadOnOneAxisBesideAnotherSizeVariableItselfIsFollowed() {
        // Rows of the map cut into windows of 12 after a pad of W alone, H read as it is (a size variable itself, no map): W's family
        // is followed from W, H's stays H. By hand at 13 x 23: 23 pads to 24, 13 x 2 windows of 12 x 12 scores over 12 channels.
        String fields = String.join(" ", "@Conv2d(cout = 12, k = 3, padding = 1) Layer stem;", "@Permute(dims = {0, 2, 3, 1}) Layer nhwc;",
                "@Pad(with = \"pad = [0, 0, 0, (12 - nhwc.W % 12) % 12]\") Layer pad;",
                "@Reshape(layout = \"H,B,Q,C\", with = \"shape = [pad.H, pad.W / 12, 12, 12]\") Layer part;",
                "@Reshape(layout = \"N,L,C\", shape = {-1, 12, 12}) Layer windows;", "@From({\"windows\", \"windows\"}) @MatMul(transposeB = true) Layer scores;",
                "@Reshape(layout = \"H,W,C\", with = \"shape = [pad.H, pad.W, 12]\") Layer merged;", "@Slice(dim = 2, with = \"end = nhwc.W\") Layer cropW;",
                "@Add({\"nhwc\", \"cropW\"}) Layer residual;");
        SizeProgram program = followed(model("@Model(input = {3, 48, 48}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{2, 3}, {13, 23}, {97, 113}}) {
            compareAt(program, "", fields, sizes);
        }
        // MACs by hand at 13 x 23: the stem 13·23 positions · 12 channels · 27 (96,876); the scores 26 windows · 12 · 12 · 12 (44,928).
        assertEquals(141_804L, program.at(13, 23)[program.figures().indexOf("MACS")]);
    }

    @Test
    void aUNetWhoseInputIsPaddedToAMultipleOfEightAnswersAtEverySize() {
        // Image restoration's UNet: the input reflection-padded to a multiple of 8, three strided convolutions down and three
        // transposed ones up with skips, cropped back to the input's size and added to it.
        String fields = String.join(" ", "@Pad(mode = \"reflect\", with = \"pad = [0, (8 - input.W % 8) % 8, 0, (8 - input.H % 8) % 8]\") Layer padded;",
                "@Conv2d(cout = 8, k = 3, padding = 1) Layer e0;", "@Conv2d(cout = 16, k = 3, stride = 2, padding = 1) Layer e1;",
                "@Conv2d(cout = 32, k = 3, stride = 2, padding = 1) Layer e2;", "@Conv2d(cout = 64, k = 3, stride = 2, padding = 1) Layer e3;",
                "@ConvTranspose2d(cout = 32, k = 2, stride = 2) Layer u2;", "@Concat({\"u2\", \"e2\"}) Layer c2;",
                "@ConvTranspose2d(cout = 16, k = 2, stride = 2) Layer u1;", "@Concat({\"u1\", \"e1\"}) Layer c1;",
                "@ConvTranspose2d(cout = 8, k = 2, stride = 2) Layer u0;", "@Concat({\"u0\", \"e0\"}) Layer c0;",
                "@Conv2d(cout = 3, k = 3, padding = 1) Layer out;", "@Slice(dim = 2, start = 0, with = \"end = input.H\") Layer cropH;",
                "@Slice(dim = 3, start = 0, with = \"end = input.W\") Layer cropW;", "@Add({\"input\", \"cropW\"}) Layer residual;");
        SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{65, 64}, {63, 71}, {9, 9}, {5, 5}, {2, 3}, {481, 641}}) {
            compareAt(program, "", fields, sizes);
        }
    }

    @Test
    void aLayerThatTakesSomeSizesOnlyOfWhatAPadGivesIsRefusedOffItsLattice() {
        // A pad to a multiple of 5 and windows of 10: the windows take one padded size in two, so the sizes are followed from no
        // source; the reason is the reshape's. Eight pads in a row between a bound and its source: no program, and no crash.
        Compilation windows = compiled(model("@Model(input = {3, 160, 160}, sizes = {\"H\", \"W\"})",
                "@Conv2d(cout = 4, k = 8, stride = 8) Layer patch;", "@Permute(dims = {0, 2, 3, 1}) Layer nhwc;",
                "@Pad(with = \"pad = [0, 0, 0, (5 - nhwc.W % 5) % 5, 0, (5 - nhwc.H % 5) % 5]\") Layer pad;",
                "@Reshape(layout = \"A,P,B,Q,C\", with = \"shape = [pad.H / 10, 10, pad.W / 10, 10, 4]\") Layer part;"));
        assertNull(program(windows, HW));
        assertTrue(refusal(windows).startsWith("has sizes that no program follows through its layers: part (Reshape) takes some sizes only"),
                refusal(windows));
        List<String> deep = new ArrayList<>(List.of("@MaxPool2d(k = 2) Layer xx;", "@MaxPool2d(k = 2) Layer a;", "@From(\"xx\") @Pad(pad = {0, 5, 0, 0}) Layer b1;"));
        for (int i = 2; i <= 8; i++) {
            deep.add("@Pad(pad = {0, 5, 0, 0}) Layer b" + i + ";");
        }
        deep.add("@From(\"a\") @Pad(mode = \"reflect\", with = \"pad = [0, b8.W - 57, 0, 0]\") Layer p;");
        Compilation bound = compiled(model("@Model(input = {4, 8, 64}, sizes = {\"W\"})", deep.toArray(String[]::new)));
        assertTrue(refusal(bound).startsWith("has sizes that no program follows through its layers: p (Pad) takes a size only up to a bound"),
                refusal(bound));
    }

    /**
     * A sequence of 32 features padded to chunks of {@code chunk} positions, attention in each chunk, merged and cropped back
     * (chunked local attention), then a head of 10.
     */
    private static String chunkedAttention(int chunk) {
        return String.join(" ", "@Linear(out = 32) Layer proj;",
                "@Pad(with = \"pad = [0, 0, 0, (" + chunk + " - proj.L % " + chunk + ") % " + chunk + "]\") Layer pad;",
                "@Reshape(layout = \"N,C,D\", with = \"shape = [pad.L / " + chunk + ", " + chunk + ", 32]\") Layer chunks;",
                "@From({\"chunks\", \"chunks\"}) @MatMul(transposeB = true) Layer scores;", "@Softmax Layer probs;",
                "@From({\"probs\", \"chunks\"}) @MatMul Layer mixed;", "@Reshape(layout = \"L,D\", with = \"shape = [pad.L, 32]\") Layer merged;",
                "@Slice(dim = 1, start = 0, with = \"end = proj.L\") Layer crop;", "@Add({\"proj\", \"crop\"}) Layer res;", "@Linear(out = 10) Layer head;");
    }

    /** The program of {@link #chunkedAttention} declared at {@code declared}, its figures equal to fixed compiles at {@code lengths}. */
    private static SizeProgram chunkedProgram(int chunk, int declared, int... lengths) {
        String fields = chunkedAttention(chunk);
        Compilation compilation = compiled(model("@Model(input = {" + declared + ", 32}, layout = \"L,D\", sizes = \"L\")", fields));
        SizeProgram program = program(compilation, List.of("L"));
        assertTrue(program != null, refusal(compilation));
        for (int length : lengths) {
            Compilation fixed = compiled(model("@Model(input = {" + length + ", 32}, layout = \"L,D\")", fields));
            assertFigures(program, program.at(length), fixed, " at L = " + length);
        }
        return program;
    }

    @Test
    void chunksOfAPaddedSequenceAreFollowedAtEveryLength() {
        // The pad keeps its size for 64 lengths, which a scan that stops early would take for a constant. Every length from 1 has a
        // network; the lattice is the chunk's, 128 + 64·k, and the program answers between. By hand at L = 65: two chunks; MACs
        // 65·32·32 (the projection) + 2 chunks · 2 · 64·64·32 (scores and mix) + 65·32·10 (the head) = 66,560 + 524,288 + 20,800.
        SizeProgram program = chunkedProgram(64, 128, 1, 63, 64, 65, 100, 1000);
        assertEquals(611_648L, program.at(65)[program.figures().indexOf("MACS")]);
        String generated = ModelSources.generated(compiled(model("@Model(input = {128, 32}, layout = \"L,D\", sizes = \"L\")",
                chunkedAttention(64))), "test.NetCost");
        assertTrue(generated.contains("SizeDomain.of(\"Net\", \"L\", 128, 64, "), generated);
    }

    @Test
    void chunksOfMoreThanSixtyFourPositionsAreFollowedAtEveryLength() {
        // Chunks of 100: the pad's rule repeats every 100 lengths, longer than the first scans see; scans of more lengths find it. By
        // hand at L = 101: the projection 101·32·32 (103,424), 2 chunks · 2 · 100·100·32 (1,280,000), the head 101·32·10 (32,320).
        SizeProgram program = chunkedProgram(100, 200, 1, 99, 101, 1000);
        assertEquals(1_415_744L, program.at(101)[program.figures().indexOf("MACS")]);
    }

    @Test
    void anAttributeThatReadsASizeByItsNameIsFollowedAsThatAxis() {
        // h is the first input's height, in the model and inside a block; H is the size variable, the model input's height. Each is read
        // again as that tensor's axis wherever the rules run the layer. By hand at 65 x 64: the model pads to 66 rows, the pool gives
        // 33 x 32, the block pads 33 to 34 rows, and the convolution gives 32 x 30.
        String block = " Evens block; @Block static class Evens { @Pad(with = \"pad = [0, 0, 0, h % 2]\") Layer even; @Conv2d(cout = 4, k = 3) Layer conv; }";
        String fields = "@Pad(with = \"pad = [0, 0, 0, h % 2]\") Layer even; @MaxPool2d(k = 2) Layer pool;" + block;
        SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{65, 64}, {67, 93}, {7, 9}, {130, 201}}) {
            compareAt(program, "", fields, sizes);
        }
        long[] at = program.at(65, 64);
        assertEquals(List.of(4L, 32L, 30L), Arrays.stream(at, program.figures().size(), at.length).boxed().toList());
        // The size variable by its name (only a model that declares it can read it): the same program's figures everywhere.
        SizeProgram byName = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})",
                "@Pad(with = \"pad = [0, 0, 0, H % 2]\") Layer even; @MaxPool2d(k = 2) Layer pool;" + block));
        for (int[] sizes : new int[][] {{65, 64}, {67, 93}, {7, 9}, {130, 201}}) {
            assertEquals(Arrays.toString(program.at(sizes[0], sizes[1])), Arrays.toString(byName.at(sizes[0], sizes[1])), Arrays.toString(sizes));
        }
    }

    @Test
    void repetitionsThatFoldAtSomeSizesOnlyLeaveNoProgramAndSaySo() {
        // Each repetition evens out an odd width: at 64 all four keep their shape and fold into one run, at 65 the first pads to 66 and
        // only the other three fold, so the memory timeline has another number of steps than at the declared sizes.
        Compilation compilation = compiled(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})",
                "@Conv2d(cout = 8, k = 3, padding = 1) Layer stem; @Repeat(4) Keep blocks;",
                "@Block static class Keep { @Pad(with = \"pad = [0, input.W % 2, 0, 0]\") Layer even; @Conv2d(cout = 8, k = 1) Layer c; }"));
        assertNull(program(compilation, HW));
        assertTrue(refusal(compilation).matches("has another memory timeline at H = \\d+, W = \\d+ than at the declared sizes \\(\\d+ steps, not "
                + "\\d+\\): repetitions that keep their shape fold into one run at some sizes and not at others"), refusal(compilation));
    }

    @Test
    void adaptivePoolingsWindowSumsAreNoTensorSizeAndMayPassTheLargestDimension() {
        // x[..., ::2] then AdaptiveAvgPool2d((4, 6)): the sums of its windows, a cost rule of the program, pass 2^31 at the largest W
        // (about 96 times half of it, with the channels), where no tensor does: the program holds all the same.
        String fields = "@Conv2d(cout = 4, k = 1) Layer pre; @Slice(dim = 3, start = 0, step = 2) Layer s; @AdaptiveAvgPool2d(h = 4, w = 6) Layer op;"
                + " @Conv2d(cout = 4, k = 1) Layer post;";
        SizeProgram program = followed(model("@Model(input = {3, 24, 30}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{41, 53}, {7, 9}, {101, 37}, {13, 8}, {99, 131}}) {
            compareAt(program, "", fields, sizes);
        }
        // By hand at H = 7, W = 9: pre is 3·4 MACs at each of 63 positions; post 4·4 at each of the 24 pooled ones.
        assertEquals(63L * 12 + 24L * 16, program.at(7, 9)[program.figures().indexOf("MACS")]);
    }

    @Test
    void aWhenThatReadsTheSizesIsFollowedWhereItHoldsAsDeclared() {
        // The extra layer exists below H = 7 only, where the program, declared at 64 without it, refuses the sizes and says why; from
        // 7 up it answers as the model compiled there.
        String fields = "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer a; @When(\"input.H < 7\") @Conv2d(cout = 4, k = 3, padding = 1) Layer extra;"
                + " @Conv2d(cout = 4, k = 1) Layer c;";
        SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{7, 9}, {65, 3}, {8, 1}}) {
            compareAt(program, "", fields, sizes);
        }
        assertEquals("Net at H = 6, W = 64: @When(\"input.H < 7\") of extra reads input.H = 6, and holds as at the declared sizes only where it "
                + "is from 7 up, so that the network may take other steps here than its size program follows; compile the model at these "
                + "sizes", assertThrows(SizeProgram.StepsDiffer.class, () -> program.at(6, 64)).getMessage());
    }

    @Test
    void adaptivePoolingsWindowsAreARuleOfTheirOwn() {
        // Adaptive pooling to 3 x 3 averages windows whose sizes follow floor and ceil of the input's thirds: its element-wise work is
        // no multiple of a tensor's size, but the sum of its windows' heights repeats every 3 rows, a dimension of its own.
        String fields = "@Conv2d(cout = 4, k = 3, stride = 2) Layer conv; @AdaptiveAvgPool2d(3) Layer pool; @Flatten Layer flat; @Linear(out = 5) Layer fc;";
        SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{65, 64}, {67, 93}, {9, 8}, {7, 11}, {201, 130}}) {
            compareAt(program, "", fields, sizes);
        }
        // One row and 4 columns: the cost is the input's height times the sum of the column windows; 7 x 9 windows: periods 7 and 9.
        for (String pools : List.of("@AdaptiveAvgPool2d(h = 1, w = 4) Layer pool;", "@AdaptiveAvgPool2d(h = 7, w = 9) Layer pool;",
                "@AdaptiveMaxPool2d(6) Layer six; @From(\"conv\") @AdaptiveAvgPool2d(h = 1, w = 4) Layer pool;")) {
            String two = "@Conv2d(cout = 4, k = 3, stride = 2) Layer conv; " + pools;
            Compilation other = compiled(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", two));
            SizeProgram each = program(other, HW);
            assertTrue(each != null, pools + ": " + refusal(other));
            for (int[] sizes : new int[][] {{65, 64}, {22, 22}, {21, 22}, {99, 37}}) {
                compareAt(each, "", two, sizes);
            }
        }
    }

    @Test
    void anAdaptivePoolingWhoseWindowsRepeatAfterMoreThan32PositionsLeavesNoProgram() {
        // Pooling n positions to m sums windows of n + m - gcd(n mod m, m) positions: a rule of period m. To 50, beside a pooling to 10
        // of the same input, the period-10 rule stood in for it at every size the program was solved and checked at, and missed it where
        // 25 or 50 divides n: at L = 148 (n = floor((148 + 4 - 5) / 3) + 1 = 50) the program gave 1,440 OTHER_OPS, where the model gives
        // 800 (the pooling to 10 sums 10 windows of 5 over 16 channels; the one to 50 takes windows of 1, no comparison). No rule
        // of a period up to 32 follows it, so the model has no program and says why.
        String text = "package test; import dev.modelcost.*; @Model(input = {2, 500}, layout = \"C,L\", sizes = \"L\") public class Net { "
                + "@Conv1d(cout = 16, k = 5, stride = 3, padding = 2) Layer c2; @AdaptiveAvgPool1d(10) Layer a10; "
                + "@From(\"c2\") @AdaptiveMaxPool1d(50) Layer a50; @Concat(value = {\"a10\", \"a50\"}, dim = 2) Layer cat; }";
        Compilation compilation = compiled(text);
        assertNull(program(compilation, List.of("L")));
        assertTrue(refusal(compilation).contains("a50 (AdaptiveMaxPool1d) has costs that follow L by no rule that repeats within 32 positions"),
                refusal(compilation));
        assertEquals(800, constant(compiled(text.replace("input = {2, 500}, layout = \"C,L\", sizes = \"L\"", "input = {2, 148}, layout = \"C,L\"")),
                "test.NetCost", "OTHER_OPS"));
    }

    @Test
    void aStepOfAnotherFormAtSomeSizesLeavesTheMaximaOutOfTheProgramOfOneVariable() {
        // Conformer-style subsampling: two strided convolutions, then the time axis moved before the channels and flattened with the
        // features, then linear layers on its tokens. Where the convolutions leave one row (H = 7 to 10), the permuted map is contiguous and the flatten a view, elsewhere
        // a copy: that step's live bytes are no combination of products of sizes. The program leaves the peak and the inference
        // memory out, as it does where the sizes are several, and answers every other figure off the lattice (period 4), naming the
        // layer of the step in the reason.
        String fields = "@Conv2d(cout = 4, k = 3, stride = 2) Layer c1; @ReLU Layer r1; @Conv2d(cout = 4, k = 3, stride = 2) Layer c2; @ReLU Layer r2; "
                + "@Permute(dims = {0, 2, 1, 3}) Layer perm; @Flatten(startDim = 2, layout = \"L,D\") Layer flat; @Linear(out = 12) Layer lin; "
                + "@Linear(out = 5) Layer ctc;";
        Compilation compilation = compiled(model("@Model(input = {1, 100, 20}, sizes = \"H\")", fields));
        SizeProgram program = program(compilation, List.of("H"));
        assertTrue(program != null, refusal(compilation));
        assertFalse(program.figures().contains("PEAK_ACTIVATION_BYTES"), program.figures().toString());
        assertTrue(program.figures().contains("MACS"), program.figures().toString());
        String generated = ModelSources.generated(compilation, "test.NetCost");
        assertTrue(generated.contains("WITHOUT_CLOSED_FORM = List.of(\"PEAK_ACTIVATION_BYTES\", \"INFERENCE_MEMORY_BYTES\")"));
        assertTrue(generated.contains("while its step 5 (flat) runs at H = 8"), generated);
        for (int h : new int[] {9, 10, 13, 99, 101, 7, 402}) {
            Compilation fixed = compiled(model("@Model(input = {1, " + h + ", 20})", fields));
            long[] values = program.at(h);
            assertFigures(program, values, fixed, " at H = " + h);
        }
        // Where a @Budget(over) bounds the peak, whose forms it would lose, the model keeps them and refuses sizes off the lattice.
        Compilation bounded = compiled(model("@Model(input = {1, 100, 20}, sizes = \"H\") "
                + "@Budget(maxPeakActivationBytes = 1_000_000_000, over = \"H = 100..400 step 4\")", fields));
        assertNull(program(bounded, List.of("H")));
        assertTrue(refusal(bounded).contains("while its step 5 (flat) runs at H = 8"), refusal(bounded));
        assertFalse(ModelSources.generated(bounded, "test.NetCost").contains("WITHOUT_CLOSED_FORM = List.of(\"PEAK_ACTIVATION_BYTES\""));
        // By hand at H = 9: the convolutions give floor((9 - 3) / 2) + 1 = 4 rows, then 1, and widths of 9, then 4. The first costs
        // 1 * 9 MACs at each of its 4 * 4 * 9 outputs, the second 4 * 9 at each of its 4 * 1 * 4; the flatten leaves one token of 16
        // features, which the linear layers take to 12, then 5.
        long[] at = program.at(9);
        assertEquals(9 * 4 * 4 * 9 + 36 * 4 * 1 * 4 + 16 * 12 + 12 * 5, at[program.figures().indexOf("MACS")]);
    }

    @Test
    void nnisFlooredWindowOfAnAdaptivePoolingLeavesTheProgramWhateverTheChecksFind() {
        // nni's full mode counts an adaptive average pooling as (prod(in // out) + 1) · out_numel: off the lattice the quotient floors,
        // no sum of products of sizes. With these strides the program's checks happened to agree with a wrong combination (at 100 x 100
        // it gave 1,590,719 for the compiled 1,590,647), so the figure is left out by its rule, before any check.
        String fields = String.join(" ", "@Conv2d(cout = 16, k = 5, stride = 3, padding = 1) Layer stem;",
                "@AvgPool2d(k = 3, stride = 2, padding = 1, countIncludePad = false, ceilMode = true) Layer pool1;",
                "@Conv2d(cout = 24, kh = 3, kw = 5, strideH = 2, strideW = 3, paddingH = 2, paddingW = 1, dilationH = 2) Layer conv2;",
                "@AvgPool2d(k = 2, stride = 2, countIncludePad = true, ceilMode = true) Layer pool2;",
                "@MaxPool2d(k = 3, stride = 3, padding = 1, ceilMode = true) Layer pool3;",
                "@AdaptiveAvgPool2d(h = 3, w = 2) Layer gap; @Flatten Layer flat; @Linear(out = 7) Layer fc;");
        Compilation compilation = compiled(model("@Model(input = {3, 224, 224}, sizes = {\"H\", \"W\"})", fields));
        SizeProgram program = program(compilation, HW);
        assertTrue(program != null, refusal(compilation));
        assertFalse(program.figures().contains("NNI_FULL_FLOPS"), program.figures().toString());
        String generated = ModelSources.generated(compilation, "test.NetCost");
        assertTrue(generated.contains("{@code NNI_FULL_FLOPS} follows its tool's rule, which is no linear combination of the products of the "
                + "tensors' sizes off the lattice: the model floors a quotient of sizes: _count_adap_avgpool floors in_size // out_size "
                + "(gap, AdaptiveAvgPool2d)"), generated);
        for (int[] sizes : new int[][] {{100, 100}, {97, 103}}) {
            compareAt(program, "", fields, sizes);
        }
    }

    @Test
    void attentionOverAnImagesPatchesGrowsWithTheSquareOfTheirNumber() {
        // Attention over the patches of an image: its MACs grow with the square of the number of tokens, h·w, which is no tensor's size;
        // the rules find the square by running the layer alone, and it becomes a product of its own.
        String fields = "@Conv2d(cout = 8, k = 2, stride = 2) Layer proj; @Flatten(startDim = 2) Layer flatten; @Permute(dims = {0, 2, 1}) Layer tokens;"
                + " @MultiheadAttention(numHeads = 2, batchFirst = true) Layer attn;";
        SizeProgram program = followed(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\"})", fields));
        long[] macs = new long[2];
        int i = 0;
        for (int[] sizes : new int[][] {{33, 32}, {9, 16}, {3, 5}, {65, 31}}) {
            long value = compareAt(program, "", fields, sizes);
            if (sizes[0] == 33 || sizes[0] == 9) {
                macs[i++] = value;
            }
        }
        // By hand: 33 x 32 gives 16 x 16 = 256 tokens of 8 features, 9 x 16 gives 4 x 8 = 32. The projection takes 8·12 MACs a token;
        // attention's in and out projections 4·8·8 a token, its scores and weighted sum 2·8 a pair of tokens.
        assertEquals(256 * (8 * 12 + 4 * 8 * 8) + 2L * 8 * 256 * 256, macs[0]);
        assertEquals(32 * (8 * 12 + 4 * 8 * 8) + 2L * 8 * 32 * 32, macs[1]);
    }

    @Test
    void aClassTokenBesideAnImagesPatchesKeepsThePatchesPeriod() {
        // ViT-L/14's layout: 14 x 14 patches plus a class token, L = h·w + 1. The tokens' count is no power of two of strides: its
        // period is the patch's, 14 (a period of 16 agrees with the patches' floor only from 224 to 320).
        String fields = "@Conv2d(cout = 48, k = 14, stride = 14) Layer conv_proj; @Flatten(startDim = 2) Layer flatten; @Permute(dims = {0, 2, 1}) "
                + "Layer permute; @Parameter(shape = {1, 48}, layout = \"L,D\") Layer class_token; @Concat(value = {\"class_token\", \"permute\"}, dim = 1) "
                + "Layer tokens; @MultiheadAttention(numHeads = 4, batchFirst = true) Layer attn; @Select(dim = 1, index = 0) Layer cls; "
                + "@Linear(out = 10) Layer head;";
        Compilation compilation = compiled(model("@Model(input = {3, 224, 224}, sizes = {\"H\", \"W\"})", fields));
        String generated = ModelSources.generated(compilation, "test.NetCost");
        // The flattened patches, 16 x H / 14 at W = 224, would pass 2^31 - 1 from H = 14 x 2^27; the attention's counts pass 64 bits
        // well before (its L^2 scores): the range ends on the lattice below both, where a count does, as the processor's MC401.
        java.util.regex.Matcher end = java.util.regex.Pattern.compile("SizeDomain\\.of\\(\"Net\", \"H\", 224, 14, 14, \"\", (\\d+), \"at H = (\\d+), "
                + "W = 224: \\[MC401\\]").matcher(generated);
        assertTrue(end.find(), generated);
        long last = Long.parseLong(end.group(1));
        assertTrue(last < 1_879_048_178L && (last - 224) % 14 == 0 && Long.parseLong(end.group(2)) == last + 14, end.group());
        SizeProgram program = program(compilation, HW);
        assertTrue(program != null, refusal(compilation));
        long[] macs = new long[1];
        for (int[] sizes : new int[][] {{336, 224}, {448, 448}, {28, 700}, {229, 231}}) {
            long value = compareAt(program, "", fields, sizes);
            if (sizes[0] == 336) {
                macs[0] = value;
            }
        }
        // By hand at 336 x 224: 24 x 16 = 384 patches and the class token, 385 tokens of 48. The projection takes 3·14·14 = 588 MACs a
        // feature of a patch; attention's in and out projections 4·48·48 a token, its scores and weighted sum 2·48 a pair; the head 48·10.
        assertEquals(384L * 48 * 588 + 385L * 4 * 48 * 48 + 2L * 48 * 385 * 385 + 48 * 10, macs[0]);
    }

    @Test
    void costsThatAreNoLinearCombinationOfTensorSizesLeaveNoProgram() {
        // Adaptive pooling to 37 x 37 averages windows whose heights repeat every 37 rows, beyond the longest period a cost's rule is
        // followed for (32): its element-wise work is no combination of the products the program knows.
        Compilation compilation = compiled(model("@Model(input = {3, 128, 128}, sizes = {\"H\", \"W\"})",
                "@Conv2d(cout = 4, k = 3, stride = 2) Layer conv; @AdaptiveAvgPool2d(37) Layer pool;"));
        assertNull(program(compilation, HW));
        assertTrue(refusal(compilation).contains("not the") && refusal(compilation).contains("linear combination"), refusal(compilation));
    }

    @Test
    void aBatchThatVariesBesideHAndWIsFollowedOffTheLattice() {
        // The batch is no tensor's axis: every product of sizes a figure takes (a tensor's elements) is taken times the batch too, and
        // weights are not. Off the lattice 32 + 4·k, at odd sizes and several batches, every figure equals the model compiled there,
        // the training step's at the model's batch included. An untracked batch norm counts its values over the batch (batch · h · w,
        // PyTorch's "Expected more than 1 value per channel"): one value is refused at a batch of 1 and answered at 2.
        String fields = "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer c1; @BatchNorm2d(trackRunningStats = false) Layer bn; "
                + "@ReLU Layer r; @Conv2d(cout = 16, k = 3, stride = 2, padding = 1) Layer c2; @AdaptiveAvgPool2d(1) Layer p; @Flatten Layer f; "
                + "@Linear(out = 10) Layer fc;";
        List<String> variables = List.of("H", "W", "batch");
        Compilation compilation = compiled(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\", \"batch\"}) @Training", fields));
        SizeProgram program = program(compilation, variables);
        assertTrue(program != null, refusal(compilation));
        for (int[] sizes : new int[][] {{33, 31, 3}, {7, 9, 2}, {65, 32, 5}, {1, 1, 2}, {2, 3, 1}, {101, 1, 4}}) {
            Compilation fixed = ModelSources.compile(ModelSources.source("test.Net", model("@Model(input = {3, " + sizes[0] + ", " + sizes[1]
                    + "}, batch = " + sizes[2] + ") @Training", fields)));
            assertEquals(Compilation.Status.SUCCESS, fixed.status(), Arrays.toString(sizes));
            long[] values = program.at(sizes[0], sizes[1], sizes[2]);
            assertFigures(program, values, fixed, " at " + Arrays.toString(sizes));
        }
        // By hand at H = 33, W = 31 and a batch of 3: c1 gives floor((33 + 2 - 3) / 2) + 1 = 17 by floor((31 + 2 - 3) / 2) + 1 = 16
        // positions of 8 channels, 3·3·3 MACs each; c2 9 by 8 of 16 channels, 8·3·3 each; fc 16·10.
        assertEquals(3L * (17 * 16 * 8 * 27 + 9 * 8 * 16 * 72 + 160), program.at(33, 31, 3)[program.figures().indexOf("MACS")]);
        for (int[] sizes : new int[][] {{1, 1, 1}, {2, 2, 1}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> program.at(sizes[0], sizes[1], sizes[2]));
            assertEquals("Net does not exist at H = " + sizes[0] + ", W = " + sizes[1] + ", batch = 1: bn (BatchNorm2d) has 1 value per channel "
                    + "(the batch times its positions), fewer than the 2 PyTorch takes", e.getMessage());
            assertEquals(Compilation.Status.FAILURE, ModelSources.compile(ModelSources.source("test.Net", model("@Model(input = {3, " + sizes[0]
                    + ", " + sizes[1] + "}, batch = 1) @Training", fields))).status(), Arrays.toString(sizes));
        }
        // at(...) answers off the lattice from the program.
        assertFalse(ModelSources.generated(compilation, "test.NetCost").contains("Sizes off those lattices are refused"));
    }

    @Test
    void aTrainingBatchOfItsOwnIsNamedWhereItRefusesANorm() {
        // The model's batch varies, the training step's is 1: a batch norm given 1 x 1 maps cannot train at any batch of the model,
        // and the message names the batch that gives it one value per channel. A norm without running statistics at inference
        // counts over the model's batch, so at a batch of 1 a 1-D map of one position is refused and at 2 answered.
        String fields = "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer c1; @BatchNorm2d Layer bn;";
        SizeProgram program = program(compiled(model("@Model(input = {3, 32, 32}, batch = 4, sizes = {\"H\", \"W\", \"batch\"}) "
                + "@Training(batch = 1)", fields)), List.of("H", "W", "batch"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> program.at(1, 1, 4));
        assertEquals("Net cannot train at H = 1, W = 1, batch = 4: bn (BatchNorm2d) has 1 value per channel (the training step's batch of 1 "
                + "times its positions) in training, fewer than the 2 PyTorch takes", e.getMessage());
        assertEquals(Compilation.Status.FAILURE, ModelSources.compile(ModelSources.source("test.Net",
                model("@Model(input = {3, 1, 1}, batch = 4) @Training(batch = 1)", fields))).status());
        // By hand at L = 3, a batch of 2: c1 gives 1 position of 8 channels, 8·3 MACs each, per sample.
        assertOnePositionAnsweredAtABatchOfTwoOnly("@Conv1d(cout = 8, k = 3, stride = 2) Layer c1; @BatchNorm1d(trackRunningStats = false) Layer bn;",
                3, 2L * 8 * 24);
    }

    @Test
    void anOutputSizeThatAddsARemainderOfAnotherTensorsSizeIsFollowed() {
        // A U-Net step that fits odd maps: the transposed convolution's output padding is 1 - H % 2 of the block's input, so its
        // output (ceil(H / 2) - 1)·2 - 2 + 3 + 1 - H % 2 is H again at every H. Its output size adds a map of its own input and a
        // remainder of another tensor's size; off the lattice 64 + 2k the program follows both (it refused every odd size before).
        String fields = "@Conv2d(cout = 8, k = 3, padding = 1) Layer c0; @Conv2d(cout = 16, k = 3, stride = 2, padding = 1) Layer down; "
                + "@ConvTranspose2d(cout = 8, k = 3, stride = 2, padding = 1, with = \"outputPaddingH = 1 - input.H % 2, "
                + "outputPaddingW = 1 - input.W % 2\") Layer up; @Concat({\"c0\", \"up\"}) Layer cat;";
        SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        // By hand at 65 x 64: c0 8·27·65·64 = 898,560 MACs; down 33 x 32, 16·72·1,056 = 1,216,512; up reads 16·33·32 positions times
        // 8·9, 1,216,512; the concat none: 3,331,584, and the output 16 x 65 x 64.
        long[] at = program.at(65, 64);
        assertEquals(3_331_584L, at[program.figures().indexOf("MACS")]);
        assertEquals(List.of(16L, 65L, 64L), Arrays.stream(at, program.figures().size(), at.length).boxed().toList());
        for (int[] sizes : new int[][] {{65, 64}, {64, 65}, {3, 3}, {9, 10}, {101, 101}, {31, 47}, {2, 2}}) {
            compareAt(program, "", fields, sizes);
        }
        // (H + W) % 2 is no sum of a rule of H and one of W: refused where the shape rules are learned, saying so
        Compilation joint = compiled(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields.replace("1 - input.W % 2",
                "1 - (input.H + input.W) % 2").replace(" @Concat({\"c0\", \"up\"}) Layer cat;", "")));
        assertEquals(null, program(joint, HW));
        assertTrue(refusal(joint).contains("up (ConvTranspose2d) has an output size that is neither a product nor a sum of its input sizes"),
                refusal(joint));
    }

    @Test
    void sevenStridedLayersGetAProgramFromSizesAcrossTheirPeriod() {
        // wav2vec 2.0's feature encoder shape: Conv1d(k = 10, stride = 5), four of (3, 2), two of (2, 2); the last length steps once
        // every 320 samples, so sizes within 53 of the declared 16,000 cannot tell it from the others. By hand, PyTorch's rule
        // out = (in - k) / stride + 1 (floor) layer after layer, and MACs 8·1·10 per position of the first layer's output, 8·8·3 of
        // the next four's and 8·8·2 of the last two's.
        String text = model("@Model(input = {1, 16000}, layout = \"C,L\", sizes = \"L\")",
                "@Conv1d(cout = 8, k = 10, stride = 5, bias = false) Layer c0;",
                "@Conv1d(cout = 8, k = 3, stride = 2, bias = false) Layer c1;", "@Conv1d(cout = 8, k = 3, stride = 2, bias = false) Layer c2;",
                "@Conv1d(cout = 8, k = 3, stride = 2, bias = false) Layer c3;", "@Conv1d(cout = 8, k = 3, stride = 2, bias = false) Layer c4;",
                "@Conv1d(cout = 8, k = 2, stride = 2, bias = false) Layer c5;", "@Conv1d(cout = 8, k = 2, stride = 2, bias = false) Layer c6;");
        Compilation compilation = compiled(text);
        SizeProgram program = program(compilation, List.of("L"));
        assertTrue(program != null, refusal(compilation));
        int macs = program.figures().indexOf("MACS");
        for (int length : new int[] {400, 401, 1000, 9999, 16001, 16333, 20000}) {
            long[] lengths = new long[7];
            lengths[0] = (length - 10) / 5 + 1;
            for (int i = 1; i < 7; i++) {
                int k = i < 5 ? 3 : 2;
                lengths[i] = (lengths[i - 1] - k) / 2 + 1;
            }
            long expected = 80 * lengths[0] + 192 * (lengths[1] + lengths[2] + lengths[3] + lengths[4]) + 128 * (lengths[5] + lengths[6]);
            long[] values = program.at(length);
            assertEquals(expected, values[macs], "MACS at L = " + length);
            assertEquals(List.of(8L, lengths[6]), Arrays.stream(values, program.figures().size(), values.length).boxed().toList(), "output at " + length);
        }
    }

    @Test
    void aFigureThatFloorsAQuotientLeavesTheProgramForTheOthers() {
        // A 1-D U-Net whose up-sampling adds back the position the pooling dropped (outputPadding = r1.L % 2) exists at every
        // length; its DECODE_MACS (each layer's MACs over its length, rounded down) is no combination of the products of sizes, so it
        // has no form, and the program answers every other figure off the lattice of 2. MACs at L = 63, by hand: e1 8 · 63 · 2 · 3
        // = 3,024; e2 on 31 positions 16 · 31 · 8 · 3 = 11,904; up 16 · 31 · 8 · 2 = 7,936; d1 on the 16 channels of the
        // concatenation 8 · 63 · 16 · 3 = 24,192; head 63 · 8 = 504: 47,560.
        String fields = String.join(" ", "@Conv1d(cout = 8, k = 3, padding = 1) Layer e1; @ReLU Layer r1; @MaxPool1d(k = 2) Layer p1;",
                "@Conv1d(cout = 16, k = 3, padding = 1) Layer e2; @ReLU Layer r2;",
                "@ConvTranspose1d(cout = 8, k = 2, stride = 2, with = \"outputPadding = r1.L % 2\") Layer up;",
                "@Concat({\"up\", \"r1\"}) Layer cat; @Conv1d(cout = 8, k = 3, padding = 1) Layer d1; @ReLU Layer r3;",
                "@Conv1d(cout = 1, k = 1) Layer head;");
        Compilation compilation = compiled(model("@Model(input = {2, 64}, layout = \"C,L\", sizes = \"L\")", fields));
        String generated = ModelSources.generated(compilation, "test.NetCost");
        assertTrue(generated.contains("WITHOUT_CLOSED_FORM = List.of(\"DECODE_MACS\");"), generated);
        assertTrue(generated.contains("{@code DECODE_MACS} is each layer's MACs over its length rounded down, which is no linear combination"),
                generated);
        SizeProgram program = program(compilation, List.of("L"));
        assertTrue(program != null, refusal(compilation));
        assertFalse(program.figures().contains("DECODE_MACS"));
        for (int length : new int[] {63, 17, 5}) {
            compareAtLength(program, 2, fields, length);
        }
        assertEquals(47_560L, program.at(63)[program.figures().indexOf("MACS")]);
    }

    @Test
    void aNetworkThatExistsOffItsLatticeInNarrowBandsIsSolvedFromThem() {
        // An FPN-like neck: five stride-2 convolutions, then three merges of an upsampled map with the strided path's. The merges fit
        // only where every ceil(H / 2^i) is twice the next: H from 29 to 32 of every 32, so sizes off the lattice that differ between H
        // and W by a few positions never exist; the program is solved from sizes off it alone and together.
        String fields = String.join(" ", "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer stem;",
                "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer pool;", "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer c3;",
                "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer c4;", "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer c5;",
                "@Upsample(scaleFactor = 2) Layer up5; @Add({\"c4\", \"up5\"}) Layer p4; @Upsample(scaleFactor = 2) Layer up4;",
                "@Add({\"c3\", \"up4\"}) Layer p3; @Upsample(scaleFactor = 2) Layer up3; @Add({\"pool\", \"up3\"}) Layer p2;");
        SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        // By hand at 29 x 29: 15 x 15, 8 x 8, 4 x 4, 2 x 2 and 1 x 1 positions, 108 MACs each in the stem and 144 in the others:
        // 24,300 + 9,216 + 2,304 + 576 + 144 = 36,540.
        assertEquals(36_540L, compareAt(program, "", fields, new int[] {29, 29}));
        for (int[] sizes : new int[][] {{29, 31}, {31, 31}, {32, 29}, {61, 64}, {63, 63}, {33, 64}, {94, 125}}) {
            compareAt(program, "", fields, sizes);
        }
    }

    @Test
    void aSliceOfAPositionTableIsFollowedUpToTheTablesLength() {
        // The PyTorch tutorials' PositionalEncoding after a strided stem, x + pe[:, :x.size(1)]: the slice keeps min(p.L, 100) rows of
        // the table, so its rule changes at p.L = 100, where L = 200 ends the network (at L = 201, p.L = 101 meets 100 rows). Learned
        // up to the sizes the layers take in that range, the rules give every length below it, odd ones included (the lattice is 64 + 2k).
        String fields = String.join(" ", "@Conv1d(cout = 16, k = 3, padding = 1) Layer conv1; @GELU Layer g1;",
                "@Conv1d(cout = 16, k = 3, stride = 2, padding = 1) Layer conv2; @GELU Layer g2; @Permute(dims = {0, 2, 1}) Layer p;",
                "@Buffer(shape = {100, 16}, layout = \"L,D\") Layer pos; @Slice(dim = 1, with = \"end = p.L\") Layer posl;",
                "@Add({\"p\", \"posl\"}) Layer sum; @LayerNorm Layer ln; @MultiheadAttention(embedDim = 16, numHeads = 2) Layer attn;",
                "@Linear(out = 16) Layer fc;");
        Compilation compilation = compiled(model("@Model(input = {80, 64}, layout = \"C,L\", sizes = \"L\")", fields));
        SizeProgram program = program(compilation, List.of("L"));
        assertTrue(program != null, refusal(compilation));
        for (int length : new int[] {65, 63, 1, 2, 3, 199, 200}) {
            compareAtLength(program, 80, fields, length);
        }
        // By hand at L = 199: conv1 16·80·3 = 3,840 MACs a position, 764,160; conv2 on ceil(199 / 2) = 100 positions 16·16·3 = 768
        // each, 76,800; attention's in and out projections 100·(16·48 + 16·16) = 102,400 and its scores and weighted sum
        // 2·100·100·16 = 320,000; fc 100·256 = 25,600: 1,288,960.
        assertEquals(1_288_960L, program.at(199)[program.figures().indexOf("MACS")]);
        // Past the table the network ends: the domain's largest size is 200, on the lattice and off it, and the model compiled at 201
        // fails, which the domain says for the sizes off the lattice.
        assertTrue(ModelSources.generated(compilation, "test.NetCost").contains("SizeDomain.of(\"Net\", \"L\", 64, 2, \"\", 2, \"\", 200, "),
                ModelSources.generated(compilation, "test.NetCost"));
        assertTrue(ModelSources.generated(compilation, "test.NetCost").contains(", 200, \"at L = 201: [MC307] sum:"),
                ModelSources.generated(compilation, "test.NetCost"));
        assertEquals(Compilation.Status.FAILURE,
                ModelSources.compile(ModelSources.source("test.Net", model("@Model(input = {80, 201}, layout = \"C,L\")", fields))).status());
    }

    @Test
    void aPathIntoABlockOfAnIndexedModelOrAppliedInPlaceIsFollowed() {
        // The program finds a tensor read from inside a block field by its path as the children name it: an indexed model numbers
        // the field (body.stem is child 0's stem), and a block applied in place leaves it out (body.a is the child a). Both had
        // no program ("not a layer's output"), though the tensor is one.
        String body = " @Block public static class Cb { @Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer conv; @ReLU Layer relu; }"
                + " @Block public static class Body { @Conv2d(cout = 8, k = 3, padding = 1) Layer stem; Cb a; @Repeat(2) Cb b;"
                + " @Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer c; }";
        String indexed = "Body body; @From(\"body.stem\") @Conv2d(cout = 4, k = 1) Layer head;" + body;
        SizeProgram numbered = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"}, indexed = true)", indexed));
        String inPlace = "@Args(value = \"\", inPlace = true) Body body; @From(\"body.a\") @Conv2d(cout = 4, k = 1) Layer head;" + body;
        SizeProgram spliced = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", inPlace));
        for (int[] sizes : new int[][] {{65, 33}, {37, 50}, {9, 5}}) {
            compareAt(numbered, "", indexed, sizes);
            compareAt(spliced, "", inPlace, sizes);
        }
        // by hand at 65 x 33: stem 8·65·33·27 = 463,320; a 8·33·17·72 = 323,136; b 8·17·9·72 = 88,128 and 8·9·5·72 = 25,920;
        // c 8·5·3·72 = 8,640; head, on stem's 8 channels, 4·65·33·8 = 68,640: 977,784 MACs
        assertEquals(977_784L, numbered.at(65, 33)[numbered.figures().indexOf("MACS")]);
    }

    @Test
    void aViewAtOnePositionDoesNotEnterTheProgramOfTheSizesAbove() {
        // Whisper's encoder in small: a stride-2 convolution to ceil(L / 2) positions, then attention written out whose heads merge
        // back by a flatten, a view at one position and a copy at more. The sizes the program is solved on once took L = 2 (one
        // position), and its peak was a combination wrong at every odd L near the bottom (311,072 bytes at L = 3, where the model
        // holds 864); the sizes just above the smallest are checked, and the program solved again where they differ.
        String fields = String.join(" ",
                "@Conv1d(cout = 16, k = 3, stride = 2, padding = 1) Layer conv2;",
                "@Functional(method = true) @Permute(dims = {0, 2, 1}) Layer perm;",
                "@LayerNorm Layer ln; Attn attn; @Add({\"attn\", \"perm\"}) Layer add1;",
                "@Block public static class Attn {",
                "  @Linear(with = \"out = in\") Layer query;",
                "  @From(\"input\") @Linear(bias = false, with = \"out = in\") Layer key;",
                "  @From(\"input\") @Linear(with = \"out = in\") Layer value;",
                "  @From(\"query\") @Reshape(layout = \"L,H,E\", with = \"shape = [input.L, 2, in / 2]\") Layer qv;",
                "  @Functional(method = true) @Permute(dims = {0, 2, 1, 3}) Layer qp;",
                "  @Scale(factor = 0.5) Layer qs;",
                "  @From(\"key\") @Reshape(layout = \"L,H,E\", with = \"shape = [input.L, 2, in / 2]\") Layer kv;",
                "  @Functional(method = true) @Permute(dims = {0, 2, 3, 1}) Layer kp;",
                "  @Scale(factor = 0.5) Layer ks;",
                "  @From(\"value\") @Reshape(layout = \"L,H,E\", with = \"shape = [input.L, 2, in / 2]\") Layer vv;",
                "  @Functional(method = true) @Permute(dims = {0, 2, 1, 3}) Layer vp;",
                "  @From({\"qs\", \"ks\"}) @MatMul(operator = true) Layer qk;",
                "  @Functional @Softmax(dim = -1) Layer w;",
                "  @From({\"w\", \"vp\"}) @MatMul(operator = true) Layer wv;",
                "  @Functional(method = true) @Permute(dims = {0, 2, 1, 3}) Layer op;",
                "  @Functional(method = true) @Flatten(startDim = 2) Layer merged;",
                "  @Linear(with = \"out = in\") Layer out; }");
        Compilation compilation = compiled(model("@Model(input = {8, 600}, layout = \"C,L\", sizes = \"L\")", fields));
        SizeProgram program = program(compilation, List.of("L"));
        assertTrue(program != null, refusal(compilation));
        for (int length : new int[] {2, 3, 5, 11, 101}) {
            compareAtLength(program, 8, fields, length);
        }
        // by hand at L = 3 (2 positions after the convolution), while qs runs: the input 8x3x4 = 96 bytes, the convolution's output
        // 16x2x4 = 128 (perm is its view, which add1 reads), the outputs of query (qp its view), key and value, 128 each, qs's
        // output (128), and the LayerNorm's output (128), which key and value read: 864
        assertEquals(864L, program.at(3)[program.figures().indexOf("PEAK_ACTIVATION_BYTES")]);
    }

    /** The head of two models below: a stride-2 convolution upsampled by 4, 4·floor(L / 2) positions, whose length a slice starts at. */
    private static final String REST = String.join(" ", "@Permute(dims = {0, 2, 1}) Layer t; @Conv1d(cout = 4, k = 2, stride = 2) Layer down;",
            "@Upsample(scaleFactor = 4) Layer up; @Permute(dims = {0, 2, 1}) Layer u;",
            "@Buffer(shape = {121, 4}, layout = \"L,D\") Layer pos; @Slice(dim = 1, with = \"start = u.L\") Layer rest;");

    @Test
    void aSizeAtWhichALayerGivesNoPositionIsOneWhereTheNetworkDoesNotExist() {
        // cat holds 3·L + 121 - 4·floor(L / 2) positions, L + 121 at even L and L + 123 at odd: tail starts at that many of 182 rows,
        // none left at L = 59 (182), where the compiled model fails (MC316); the program says the network does not exist there
        String fields = REST + " @Concat(value = {\"input\", \"input\", \"input\", \"rest\"}, dim = 1) Layer cat;"
                + " @Buffer(shape = {182, 4}, layout = \"L,D\") Layer pos2; @Slice(dim = 1, with = \"start = cat.L\") Layer tail; @Linear(out = 4) Layer fc;";
        Compilation compilation = compiled(model("@Model(input = {32, 4}, layout = \"L,D\", sizes = \"L\")", fields));
        SizeProgram program = program(compilation, List.of("L"));
        assertTrue(program != null, refusal(compilation));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> program.at(59));
        assertEquals("Net does not exist at L = 59: tail (Slice) gives 0 positions on its L axis", e.getMessage());
        assertEquals(Compilation.Status.FAILURE,
                ModelSources.compile(ModelSources.source("test.Net", model("@Model(input = {59, 4}, layout = \"L,D\")", fields))).status());
    }

    @Test
    void aDimensionPastTheSizesItsRulesWereLearnedUpToIsRefused() {
        // c2 holds 2·L + 121 - 4·floor(L / 2) positions: 121 at every even L, where the forms hold (the lattice 32 + 2k, up to L = 60,
        // where the clamp's min(cat.L, 181) turns), 123 at odd L. The layers after it learn their rules up to the 121 it takes there,
        // so the program refuses odd lengths; as the checks compile the model at one (L = 11), it has no program: a refusal, where the
        // rules learned up to 121 would have given the clamp 182 rows at L = 59 (PyTorch's 181)
        String fields = REST + " @Concat(value = {\"input\", \"rest\"}, dim = 1) Layer c1; @Concat(value = {\"input\", \"c1\"}, dim = 1) Layer c2;"
                + " @Concat(value = {\"input\", \"c2\"}, dim = 1) Layer cat;"
                + " @Buffer(shape = {181, 4}, layout = \"L,D\") Layer pos2; @Slice(dim = 1, with = \"end = cat.L\") Layer clamp; @Linear(out = 4) Layer fc;";
        Compilation compilation = compiled(model("@Model(input = {32, 4}, layout = \"L,D\", sizes = \"L\")", fields));
        assertNull(program(compilation, List.of("L")));
        assertTrue(refusal(compilation).contains("more than the 121 its shape rules were followed up to"), refusal(compilation));
    }

    /**
     * Swin's windowed attention as torchvision writes it: the pad to a multiple of the window and the shift given by parameters'
     * defaults that read the block's input, the shift's roll and mask under a {@code @When} that reads them (no shift where one window
     * covers the map), the roll's shifts a condition on the sizes, and the windows' count a product of the padded map's rows and
     * columns divided by the window. The {@code @Scale} stands for the mask, added where the shift is.
     */
    private static final String SHIFTED = " @Block static class Win { @Param int c; @Param int shift;"
            + " @Param(expr = \"(7 - input.H % 7) % 7\") int padB; @Param(expr = \"(7 - input.W % 7) % 7\") int padR;"
            + " @Param(expr = \"7 >= input.H + padB ? 0 : shift\") int shiftH; @Param(expr = \"7 >= input.W + padR ? 0 : shift\") int shiftW;"
            + " @LayerNorm Layer norm; @Pad(with = \"pad = [0, 0, 0, padR, 0, padB]\") Layer pad;"
            + " @When(\"shiftH + shiftW > 0\") @Roll(dims = {1, 2}, with = \"shifts = [-shiftH, -shiftW]\") Layer roll;"
            + " @Reshape(layout = \"A,P,B,Q,C\", with = \"shape = [pad.H / 7, 7, pad.W / 7, 7, c]\") Layer part;"
            + " @Permute(dims = {0, 1, 3, 2, 4, 5}) Layer perm;"
            + " @Reshape(layout = \"N,L,C\", with = \"shape = [(pad.H / 7) * (pad.W / 7), 49, c]\") Layer windows;"
            + " @From({\"windows\", \"windows\"}) @MatMul(transposeB = true) Layer scores;"
            + " @When(\"shiftH + shiftW > 0\") @Scale(factor = 0.5) Layer masked; @Softmax Layer probs;"
            + " @From({\"probs\", \"windows\"}) @MatMul Layer mixed; @Linear(with = \"out = c\") Layer proj;"
            + " @Reshape(layout = \"A,B,P,Q,C\", with = \"shape = [pad.H / 7, pad.W / 7, 7, 7, c]\") Layer unpart;"
            + " @Permute(dims = {0, 1, 3, 2, 4, 5}) Layer unperm; @Reshape(layout = \"H,W,C\", with = \"shape = [pad.H, pad.W, c]\") Layer merged;"
            + " @When(\"shiftH + shiftW > 0\") @Roll(dims = {1, 2}, with = \"shifts = [shiftH, shiftW]\") Layer unroll;"
            + " @Slice(dim = 1, start = 0, with = \"end = input.H\") Layer cropH; @Slice(dim = 2, start = 0, with = \"end = input.W\") Layer cropW;"
            + " @Add({\"input\", \"cropW\"}) Layer residual; }";

    @Test
    void aShiftedWindowBlockIsFollowedWhereItsShiftHoldsAsDeclared() {
        // A patch embedding of 4, then a block without the shift and one with it, declared at 112 x 112 (a map of 28 x 28: shifted).
        // The program answers wherever the map the shifted block gets has 8 rows and 8 columns or more, and refuses the sizes where one
        // window may cover it, where the shift may drop (the model compiled there takes other steps), saying so.
        String fields = "@Conv2d(cout = 8, k = 4, stride = 4) Layer patch; @Permute(dims = {0, 2, 3, 1}) Layer nhwc;"
                + " @Args(\"c = 8, shift = 0\") Win block0; @Args(\"c = 8, shift = 3\") Win block1;" + SHIFTED;
        SizeProgram program = followed(model("@Model(input = {3, 112, 112}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{113, 150}, {64, 33}, {449, 97}, {35, 37}, {32, 1001}}) {
            compareAt(program, "", fields, sizes);
        }
        // MACs by hand at 64 x 33: the patch embedding 16 x 8 positions · 8 channels · 48 (49,152); each block pads 16 x 8 to 21 x 14,
        // 3 · 2 = 6 windows of 49 tokens: its scores and mixing 2 · 6 · 49 · 49 · 8 (230,496), its projection 294 · 8 · 8 (18,816).
        assertEquals(49_152L + 2 * (230_496L + 18_816L), program.at(64, 33)[program.figures().indexOf("MACS")]);
        // At 29 x 29 the map is 7 x 7, one window: the model compiled there has no shift, which the program does not follow.
        assertEquals(Compilation.Status.SUCCESS, ModelSources.compile(ModelSources.source("test.Net",
                model("@Model(input = {3, 29, 29})", fields))).status());
        SizeProgram.StepsDiffer covered = assertThrows(SizeProgram.StepsDiffer.class, () -> program.at(29, 29));
        assertEquals("Net at H = 29, W = 29: @When(\"shiftH + shiftW > 0\") of block1.roll reads input.H = 7, and holds as at the declared "
                + "sizes only where it is from 8 up, so that the network may take other steps here than its size program follows; compile the "
                + "model at these sizes", covered.getMessage());
        assertThrows(SizeProgram.StepsDiffer.class, () -> program.at(400, 31));
    }

    @Test
    void aWhenFalseAsDeclaredIsFollowedUpToWhereItTurns() {
        // A pool taken only past 20 rows: declared at 32 x 32 (16 rows after the stride), the program answers up to 20 rows (H = 40)
        // and refuses more, where the model compiled has the pool.
        String fields = "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer conv; @When(\"x.H > 20\") @MaxPool2d(k = 2, stride = 2) Layer pool;"
                + " @Conv2d(cout = 2, k = 1) Layer head;";
        SizeProgram program = followed(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{33, 17}, {40, 77}, {3, 5}, {39, 1}}) {
            compareAt(program, "", fields, sizes);
        }
        // MACs by hand at 33 x 17: 17 x 9 positions · 4 · 27, then 2 · 4 per position: 16,524 + 1,224.
        assertEquals(17L * 9 * 4 * 27 + 17L * 9 * 2 * 4, program.at(33, 17)[program.figures().indexOf("MACS")]);
        SizeProgram.StepsDiffer past = assertThrows(SizeProgram.StepsDiffer.class, () -> program.at(41, 9));
        assertTrue(past.getMessage().startsWith("Net at H = 41, W = 9: @When(\"x.H > 20\") of pool reads x.H = 21, and holds as at the "
                + "declared sizes only where it is from 1 to 20,"), past.getMessage());
    }

    @Test
    void anAttributeWhoseConditionChangesTheShapeIsFollowedWhereItHolds() {
        // A stride of 2 where the map has more than 32 rows, else 1: declared at 128 (64 rows), the layer's rules are learned where
        // the condition holds as declared, and the program refuses 32 rows or fewer. By hand at 67 x 9: the stem gives 34 x 5, the
        // strided convolution 17 x 3, the head 17 x 3: 170 · 108 + 51 · 144 + 51 · 8 MACs.
        String fields = "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer stem;"
                + " @Conv2d(cout = 4, k = 3, padding = 1, with = \"stride = x.H > 32 ? 2 : 1\") Layer down; @Conv2d(cout = 2, k = 1) Layer head;";
        SizeProgram program = followed(model("@Model(input = {3, 128, 128}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{129, 77}, {67, 9}, {65, 200}, {1001, 3}}) {
            compareAt(program, "", fields, sizes);
        }
        assertEquals(170L * 108 + 51L * 144 + 51L * 8, program.at(67, 9)[program.figures().indexOf("MACS")]);
        assertTrue(assertThrows(SizeProgram.StepsDiffer.class, () -> program.at(63, 5)).getMessage().startsWith("Net at H = 63, W = 5: a "
                + "condition of \"stride = x.H > 32 ? 2 : 1\" of down reads x.H = 32, and holds as at the declared sizes only where it is "
                + "from 33 up,"));
    }

    @Test
    void aWhenThatTurnsAtOneFarSizeIsFollowedUpToIt() {
        // x.W != 2500 turns at x.W = 2,500 alone (W = 4,999 or 5,000), far above the declared 32 (x.W = 16): its numbers bound its
        // turns at 2,500, so the test is run up to there and the program refuses from there on.
        String fields = "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer conv; @When(\"x.W != 2500\") @ReLU Layer relu;";
        SizeProgram program = followed(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\"})", fields));
        compareAt(program, "", fields, new int[] {9, 4997});
        assertTrue(assertThrows(SizeProgram.StepsDiffer.class, () -> program.at(9, 4999)).getMessage().contains(
                "reads x.W = 2,500, and holds as at the declared sizes only where it is from 1 to 2,499,"));
    }

    @Test
    void aWhenWhoseNumbersBoundNoTurnIsFollowedUpTo65536() {
        // x.H · x.H never equals 5, but a product of a size with itself bounds no turn: the test is run at every size up to 65,536
        // and the program refuses larger ones, saying how far the test was followed.
        String fields = "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer conv; @When(\"x.H * x.H != 5\") @ReLU Layer relu;";
        SizeProgram program = followed(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\"})", fields));
        compareAt(program, "", fields, new int[] {33, 7});
        assertTrue(assertThrows(SizeProgram.StepsDiffer.class, () -> program.at(131_073, 8)).getMessage().contains(
                "reads x.H = 65,537, and holds as at the declared sizes where it is from 1 to 65,536, as far as it was followed,"));
    }

    @Test
    void aWindowPadGivenByParameterDefaultsIsFollowed() {
        // The pad of a window partition given by @Param defaults that read the block's input, as torchvision's Swin and SAM write it:
        // the attributes that read the parameters follow the sizes their defaults read. Before, the defaults' reads refused the program.
        String fields = "@Conv2d(cout = 8, k = 4, stride = 4) Layer patch; @Permute(dims = {0, 2, 3, 1}) Layer nhwc; @Args(\"c = 8, shift = 0\") Win block;"
                + SHIFTED;
        SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{65, 63}, {4, 4}, {29, 113}, {7, 9}}) {
            compareAt(program, "", fields, sizes);
        }
    }

    @Test
    void anEqualityOfTwoSizesThatTurnsBesideTheDeclaredOnesIsRefusedAsSuch() {
        // H == W holds at the declared 64 x 64 and at no size one step from it; H - W != 16 turns at the declared 64 x 48. Past each
        // turn the test turns again a step on, so the forms are not sought past it: MC419 at once, naming the test.
        String[][] cases = {
            {"@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", "@When(\"H == W\")", "H", "H and W", "W"},
            {"@Model(input = {3, 64, 48}, sizes = {\"H\", \"W\"})", "@When(\"H - W != 16\")", "H", "H and W", "W"},
            // the batch is no tensor's axis, which the shape rules' tests see: L == batch changed no form, and at(5, 5) left c2 out
            {"@Model(input = {64, 64}, layout = \"L,D\", sizes = {\"L\", \"batch\"})", "@When(\"L == batch\")", "L", "L and batch", "batch"},
            {"@Model(input = {64, 64}, layout = \"L,D\", sizes = {\"L\", \"batch\"})", "@When(\"L + batch != 20\")", "L", "L and batch", "batch"},
        };
        for (String[] c : cases) {
            String layers = c[0].contains("L,D") ? "@Linear(out = 8) Layer c1; " + c[1] + " @Linear(out = 8) Layer c2;"
                    : "@Conv2d(cout = 8, k = 3, padding = 1) Layer c1; " + c[1] + " @Conv2d(cout = 8, k = 3, padding = 1) Layer c2;";
            String text = model(c[0], layers);
            ModelSources.expectOnly(text, "[MC419] the costs have no closed form in " + c[2] + " with " + c[1] + " of c2: it compares sizes "
                    + "that follow " + c[3] + " together, so that it can change along a line of sizes that passes between every size the forms "
                    + "are sampled and checked at (fix: remove " + c[4] + " from @Model(sizes);", "@Model",
                    ModelSources.columnOf(text, "@Model", "\"" + c[2] + "\""));
        }
        // A size given a block's parameter through @Args is no tensor's axis either: x.W - b != 0 with b = H left c2 in at(50, 50).
        String block = "@Block public static class B { @Param int b; %s @Conv2d(cout = 8, k = 3, padding = 1) Layer c2; @ReLU Layer r; }";
        String text = model("@Model(input = {3, 64, 48}, sizes = {\"H\", \"W\"})", "@Conv2d(cout = 8, k = 3, padding = 1) Layer c1;",
                "@Args(\"b = H\") B blk;", block.formatted("@When(\"x.W - b != 0\")"));
        ModelSources.expectOnly(text, "[MC419] the costs have no closed form in H with @When(\"x.W - b != 0\") of blk.c2: it compares sizes "
                + "that follow H and W together, so that it can change along a line of sizes that passes between every size the forms are "
                + "sampled and checked at (fix: remove W from @Model(sizes);", "@Model", ModelSources.columnOf(text, "@Model", "\"H\""));
        // So is an equality with the batch in @Args, in a @Repeat count or in first, and one through a parameter's default.
        String seq = "@Model(input = {64, 16}, layout = \"L,D\", sizes = {\"L\", \"batch\"})";
        String wide = "@Block public static class B { @Param int k; @Linear(with = \"out = 8 * k\") Layer fc; }";
        String[][] hidden = {
            {"@Args(\"k = L == batch ? 4 : 1\") B blk;", "@Args(\"k = L == batch ? 4 : 1\") of blk"},
            {"@Args(\"k = 1\") @Repeat(count = \"L == batch ? 3 : 1\") B blk;", "@Repeat(count = \"L == batch ? 3 : 1\") of blk"},
            {"@Args(\"k = 1\") @Repeat(value = 2, first = \"k = L == batch ? 4 : 1\") B blk;", "@Repeat(first = \"k = L == batch ? 4 : 1\") of blk"},
        };
        for (String[] c : hidden) {
            text = model(seq, "@Linear(out = 8) Layer c1;", c[0], wide);
            ModelSources.expectOnly(text, "[MC419] the costs have no closed form in L with " + c[1] + ": it compares sizes that follow L and "
                    + "batch together", "@Model", ModelSources.columnOf(text, "@Model", "\"L\""));
        }
        text = model("@Model(input = {3, 64, 48}, sizes = {\"H\", \"W\"})", "@Conv2d(cout = 8, k = 3, padding = 1) Layer c1;",
                "@Args(\"b = H\") B blk;", "@Block public static class B { @Param int b; @Param(expr = \"b + 0\") int c; @When(\"x.W - c != 0\") "
                + "@Conv2d(cout = 8, k = 3, padding = 1) Layer c2; @ReLU Layer r; }");
        ModelSources.expectOnly(text, "[MC419] the costs have no closed form in H with @When(\"x.W - c != 0\") of blk.c2: it compares sizes "
                + "that follow H and W together", "@Model", ModelSources.columnOf(text, "@Model", "\"H\""));
        // A model without a size program (an @Args reads a size) still has its tests of tensors' sizes taken apart: x.H != x.W + 4
        // is the error it is in a model with one, where at(30, 26) counted b, which the model compiled there leaves out.
        text = model("@Model(input = {3, 32, 24}, sizes = {\"H\", \"W\"})", "@Args(\"p = W\") B1 blk;",
                "@When(\"x.H != x.W + 4\") @Conv2d(cout = 8, k = 3, padding = 1) Layer b;",
                "@Block static class B1 { @Param int p; @Conv2d(cout = 8, k = 3, padding = 1) Layer c; }");
        ModelSources.expectOnly(text, "[MC419] the costs have no closed form in H with @When(\"x.H != x.W + 4\") of b: it compares sizes "
                + "that follow H and W together", "@Model", ModelSources.columnOf(text, "@Model", "\"H\""));
        // A parameter given a size of the same variable as the size it is compared with turns at single sizes, which the forms
        // follow: b = x.H, compared with the block's x.H, compiles; so does a heads axis that is no size variable.
        compiled(model("@Model(input = {3, 64, 48}, sizes = {\"H\", \"W\"})", "@Conv2d(cout = 8, k = 3, padding = 1) Layer c1;",
                "@Args(\"b = c1.H\") B blk;", "@Block public static class B { @Param int b; @When(\"x.H - b != 1\") "
                + "@Conv2d(cout = 8, k = 3, padding = 1) Layer c2; @ReLU Layer r; }"));
        compiled(model(seq, "@Linear(out = 32) Layer q; @Reshape(layout = \"L,H,D\", with = \"shape = [x.L, 4, 8]\") Layer heads;",
                "@Args(\"n = heads.H\") N blk;", "@Block public static class N { @Param int n; @When(\"x.H == n\") @ReLU Layer r; }"));
        // An order of the batch and a size (batch > L) turns across a region, which the boxes keep to: the model compiles.
        compiled(model("@Model(input = {64, 64}, layout = \"L,D\", sizes = {\"L\", \"batch\"})",
                "@Linear(out = 8) Layer c1; @When(\"batch < L\") @Linear(out = 8) Layer c2;"));
    }

    @Test
    void aTestOfSeveralSizesThatCanTurnInsideABoxOfThemIsRefused() {
        // Each holds as at the declared sizes at every corner and along every edge of a box around them, and turns inside it: on the
        // line H = 2W, on an island around 50 x 30, at a multiple of W. at(...) answered there with the other branch's figures:
        // at(70, 35) of the first gave 3,880,800 FLOPs with b, where the model compiled at 70 x 35 leaves b out (1,058,400).
        String image = "@Model(input = {3, 64, 40}, sizes = {\"H\", \"W\"})";
        String seq = "@Model(input = {64, 16}, layout = \"L,D\", batch = 2, sizes = {\"L\", \"batch\"})";
        String conv = "@Conv2d(cout = 8, k = 3, padding = 1)";
        String block = "@Block public static class B { @Param int b; %s " + conv + " Layer c; @ReLU Layer r; }";
        String repeated = "@Block public static class R { " + conv + " Layer c; }";
        String difference = "by a comparison whose sides' difference does not move one way as each size grows, so that it can change inside a "
                + "box of sizes whose corners and edges the forms are checked at (fix: remove ";
        String opposite = "by comparisons joined by && or || that move opposite ways as one size grows (as x.H <= x.W && x.H >= x.W, which "
                + "holds on a line), so that it can change inside a box of sizes whose corners and edges the forms are checked at (fix: remove ";
        String[][] cases = {
            // header, fields, where the message says the test is, the variables, how it compares them
            {image, "@When(\"(x.H - 2 * x.W) * (x.H - 2 * x.W) > 0\") " + conv + " Layer b;", "@When(\"(x.H - 2 * x.W) * (x.H - 2 * x.W) > 0\") of b",
                "H and W", difference},
            {image, "@When(\"(x.H - 50) * (x.H - 50) + (x.W - 30) * (x.W - 30) > 25\") " + conv + " Layer b;",
                "@When(\"(x.H - 50) * (x.H - 50) + (x.W - 30) * (x.W - 30) > 25\") of b", "H and W", difference},
            {image, "@When(\"x.H % x.W > 0\") " + conv + " Layer b;", "@When(\"x.H % x.W > 0\") of b", "H and W", difference},
            {image, "@When(\"max(x.H, 2 * x.W) > min(x.H, 2 * x.W)\") " + conv + " Layer b;", "@When(\"max(x.H, 2 * x.W) > min(x.H, 2 * x.W)\") of b",
                "H and W", difference},
            {image, "@When(\"max(x.H - 2 * x.W, 2 * x.W - x.H) > 0\") " + conv + " Layer b;", "@When(\"max(x.H - 2 * x.W, 2 * x.W - x.H) > 0\") of b",
                "H and W", difference},
            {image, conv.replace(")", ", with = \"stride = (x.H - 2 * x.W) * (x.H - 2 * x.W) > 0 ? 1 : 2\")") + " Layer b;",
                "a condition of \"stride = (x.H - 2 * x.W) * (x.H - 2 * x.W) > 0 ? 1 : 2\" of b", "H and W", difference},
            {image, "@Repeat(count = \"(H - 2 * W) * (H - 2 * W) > 0 ? 2 : 1\") R b; " + repeated,
                "@Repeat(count = \"(H - 2 * W) * (H - 2 * W) > 0 ? 2 : 1\") of b", "H and W", difference},
            {image, "@Args(\"b = 2 * W\") B blk; " + block.formatted("@When(\"(input.H - b) * (input.H - b) > 0\")"),
                "@When(\"(input.H - b) * (input.H - b) > 0\") of blk.c", "H and W", difference},
            {image, "B blk; " + block.replace("@Param int b;", "@Param(expr = \"2 * input.W\") int b;").formatted("@When(\"(input.H - b) * (input.H - b) > 0\")"),
                "@When(\"(input.H - b) * (input.H - b) > 0\") of blk.c", "H and W", difference},
            {seq, "@Linear(out = 8) Layer a; @When(\"(x.L - 8 * batch) * (x.L - 8 * batch) > 0\") @Linear(out = 8) Layer b;",
                "@When(\"(x.L - 8 * batch) * (x.L - 8 * batch) > 0\") of b", "L and batch", difference},
            // an equality written as two orders, each of which alone the box respects
            {image, "@When(\"x.H <= x.W && x.H >= x.W\") " + conv + " Layer b;", "@When(\"x.H <= x.W && x.H >= x.W\") of b", "H and W", opposite},
            {seq, "@Linear(out = 8) Layer a; @When(\"L <= batch && L >= batch\") @Linear(out = 8) Layer b;", "@When(\"L <= batch && L >= batch\") of b",
                "L and batch", opposite},
        };
        for (String[] c : cases) {
            String text = model(c[0], (c[0].equals(image) ? conv + " Layer a; " : "") + c[1]);
            String first = c[3].substring(0, c[3].indexOf(' '));
            String removed = c[3].substring(c[3].lastIndexOf(' ') + 1);
            ModelSources.expectOnly(text, "[MC419] the costs have no closed form in " + first + " with " + c[2] + ": it compares sizes that follow "
                    + c[3] + " together, " + c[4] + removed + " from @Model(sizes);", "@Model", ModelSources.columnOf(text, "@Model", "\"" + first + "\""));
        }
        // Each compiled and at(...) answered with another branch's figures: a choice by a comparison of H + W between values that read
        // them (an island of H + W from 51 to 100), a quotient by a negative size (moves up with it), a quotient by the channels
        // (a number at least 1, not 1 itself), a parameter given by first alone (the other repetitions take its default), a
        // count that is 2 on the line H = W alone, an axis that a pad which falls with W makes fall, and an axis of H·W a reshape
        // names L (at(2, 100) of the last gave 43,200 MACs, the model compiled there 56,000); and an axis that a transposed
        // convolution's padding makes fall, which the table of attributes took for one that grows.
        String[][] more = {
            {"@When(\"(x.H + x.W > 100 ? 0 : x.H + x.W) > 50\") " + conv + " Layer b;", "@When(\"(x.H + x.W > 100 ? 0 : x.H + x.W) > 50\") of b",
                "by a choice, by a comparison of several sizes, between values that read sizes"},
            {"@When(\"x.H - x.W + 10000 / (0 - x.W) > -150\") " + conv + " Layer b;", "@When(\"x.H - x.W + 10000 / (0 - x.W) > -150\") of b",
                "by a comparison whose sides' difference"},
            {"@When(\"(100 / x.C - 50) * x.H * x.H + x.H * x.W > 10000\") " + conv + " Layer b;",
                "@When(\"(100 / x.C - 50) * x.H * x.H + x.H * x.W > 10000\") of b", "by a comparison whose sides' difference"},
            {"@Repeat(count = \"3\", first = \"b = 1\") B blk; " + block.replace("@Param int b;",
                "@Param(expr = \"(input.H - 2 * input.W) * (input.H - 2 * input.W) > 0 ? 1 : 0\") int b;").formatted("@When(\"b > 0\")"),
                "@Param b = \"(input.H - 2 * input.W) * (input.H - 2 * input.W) > 0 ? 1 : 0\" of test.Net.B", "by a comparison whose sides' difference"},
            {"@Repeat(count = \"1 + 1 / ((input.H - input.W) * (input.H - input.W) + 1)\") R b; " + repeated,
                "@Repeat(count = \"1 + 1 / ((input.H - input.W) * (input.H - input.W) + 1)\") of b", "by a quotient of sizes"},
            {"@Pad(with = \"pad = [0, 4 - 10 * ((x.W - 1) / 10), 0, 0]\") Layer p; @When(\"p.H + p.W > 78\") @From(\"a\") " + conv.replace("k = 3", "k = 1")
                + " Layer b;", "@When(\"p.H + p.W > 78\") of b", "by a comparison whose sides' difference"},
            {"@Reshape(layout = \"C,L\", with = \"shape = [x.C, x.H * x.W]\") Layer r; @When(\"r.L - a.H * a.H > 150\") @From(\"a\") "
                + conv.replace("k = 3", "k = 1") + " Layer b;", "@When(\"r.L - a.H * a.H > 150\") of b", "by a comparison whose sides' difference"},
            // a repetition's test reads the tensor the pad of the repetition before made fall
            {"@Repeat(count = \"2\") Rp rp; @Block public static class Rp { @When(\"x.H + x.W > 70\") " + conv + " Layer b; "
                + "@Pad(with = \"pad = [0, 4 - 10 * ((x.W - 1) / 10), 0, 0]\") Layer p; }", "@When(\"x.H + x.W > 70\") of rp.b",
                "by a comparison whose sides' difference"},
            // a transposed convolution's output falls with its padding, which grows with W here: t.H is H - W + 2 for an even W
            {"@ConvTranspose2d(cout = 4, k = 3, with = \"padding = x.W / 2\") Layer t; @When(\"t.H * t.W > 100\") " + conv.replace("k = 3", "k = 1")
                + " Layer b;", "@When(\"t.H * t.W > 100\") of b", "by a comparison whose sides' difference"},
        };
        for (String[] c : more) {
            String text = model(image, conv + " Layer a; " + c[0]);
            ModelSources.expectOnly(text, "[MC419] the costs have no closed form in H with " + c[1] + ": it compares sizes that follow H and W together, "
                    + c[2], "@Model", ModelSources.columnOf(text, "@Model", "\"H\""));
        }
        // A reshape whose layout names an axis after the other variable (r.H holds W), so that the test is a disk of H and W around
        // 50 x 30 (at(50, 30) gave 36,000 MACs, the model compiled there 132,000); and a size variable named as a fixed axis (C),
        // which was read as no size (at(20, 20) gave 179,200 MACs, compiled 128,000).
        String swapped = model(image, conv.replace("k = 3", "k = 1") + " Layer a;", "@Reshape(layout = \"C,H,W\", with = \"shape = [x.C, x.W, x.H]\") Layer r;",
                "@From(\"a\") @When(\"100 * x.H - r.W * r.W + 60 * r.H - x.W * x.W > 3300\") " + conv.replace("k = 3", "k = 1") + " Layer b;");
        ModelSources.expectOnly(swapped, "[MC419] the costs have no closed form in H with @When(\"100 * x.H - r.W * r.W + 60 * r.H - x.W * x.W > 3300\") "
                + "of b: it compares sizes that follow H and W together, by a comparison whose sides' difference", "@Model",
                ModelSources.columnOf(swapped, "@Model", "\"H\""));
        String channels = model("@Model(input = {3, 64, 40}, sizes = {\"C\", \"H\"})", conv.replace("k = 3", "k = 1") + " Layer a;",
                "@When(\"(input.C - x.H) * (input.C - x.H) > 4\") " + conv.replace("k = 3", "k = 1") + " Layer b;");
        ModelSources.expectOnly(channels, "[MC419] the costs have no closed form in C with @When(\"(input.C - x.H) * (input.C - x.H) > 4\") of b: it "
                + "compares sizes that follow C and H together, by a comparison whose sides' difference", "@Model",
                ModelSources.columnOf(channels, "@Model", "\"C\""));
        // The bare in of a block whose input has lost its channels (a @Select of C leaves H,W) is its last axis, W: a test of in and
        // x.H near the line H = W was read as one of H alone (at(45, 45) gave 64,800 MACs, the model compiled there 48,600). Where in is
        // the channels it reads no size, and a rounding of it beside a test of H + W compiles.
        String lastAxis = model(image, conv.replace("k = 3", "k = 1") + " Layer a; @Select(dim = 1, index = 0) Layer s; Blk blk;",
                "@Block public static class Blk { @When(\"(in - x.H) * (in - x.H) > 4\") @Linear(out = 8) Layer b; }");
        ModelSources.expectOnly(lastAxis, "[MC419] the costs have no closed form in H with @When(\"(in - x.H) * (in - x.H) > 4\") of blk.b: it "
                + "compares sizes that follow H and W together, by a comparison whose sides' difference", "@Model",
                ModelSources.columnOf(lastAxis, "@Model", "\"H\""));
        compiled(model(image, conv + " Layer a; Blk blk;", "@Block public static class Blk { @Conv2d(k = 1, with = \"cout = divisible(in * 6, 8)\") "
                + "Layer e; @When(\"x.H + x.W > 70\") @ReLU Layer r; @Conv2d(k = 1, with = \"cout = in > 50 ? 16 : 8\") Layer p; }"));
        // A layer's attribute of two sizes that moves both ways with one is 0 along the line H = W, where the network does not exist
        // (Linear out must be at least 1): at(50, 50) answered with b's costs left out (497,664 MACs). One that moves one way with each
        // ends the range at an end or a corner, which the searches find.
        String head = conv + " Layer a; @AdaptiveAvgPool2d(1) Layer p; @Flatten Layer f; ";
        for (String value : List.of("(input.H - input.W) * (input.H - input.W)", "-(2 - input.H * input.W) * (input.H - input.W) * (input.H - input.W)",
                "max(input.H - input.W, input.W - input.H)")) {
            String text = model(image, head + "@Linear(with = \"out = " + value + "\") Layer b;");
            ModelSources.expectOnly(text, "[MC419] the costs have no closed form in H with \"out = " + value + "\" of b: its value, a value of "
                    + "several sizes, does not move one way as each grows, so that it can fall to what the layer does not take (an output of 0 "
                    + "features) on a line or an island of sizes inside a box whose corners and edges the forms are checked at, where the network "
                    + "does not exist (fix: remove H and W from @Model(sizes);", "@Model", ModelSources.columnOf(text, "@Model", "\"H\""));
        }
        // An attribute that takes 0 (a slice's start, an index, a padding) of a product of two sizes that moves both ways with it: 10 on
        // the curve H·W = 3,000 alone, which neither size followed with the other at its declared 64 reaches, where the slice makes the
        // map 10 positions narrower (at(100, 30) answered 487,040 MACs, the model compiled there 330,240; at(60, 50) 487,040 and
        // 400,640), through a flattened axis that holds H·W too. A product of parts of one size each is followed instead (above).
        for (String[] c : new String[][] {
            {"@Slice(dim = 3, with = \"start = 10 * (input.H * input.W / 3000) * (3000 / (input.H * input.W))\") Layer s;", "start = 10 * (input.H * "
                + "input.W / 3000) * (3000 / (input.H * input.W))", "s"},
            {"@Flatten(startDim = 2, layout = \"C,L\") Layer fl; @Pad(with = \"pad = [0, 10 * (x.L / 3000) * (3000 / x.L)]\") Layer p;",
                "pad = [0, 10 * (x.L / 3000) * (3000 / x.L)]", "p"},
        }) {
            String text = model(image, conv + " Layer a; " + c[0]);
            ModelSources.expectOnly(text, "[MC419] the costs have no closed form in H with \"" + c[1] + "\" of " + c[2] + ": its value, a value of "
                    + "several sizes, moves both ways with a measure of them together (a product, as a flattened axis holds it), so that it can "
                    + "take another value on a line or an island of sizes that no size followed alone reaches", "@Model",
                    ModelSources.columnOf(text, "@Model", "\"H\""));
        }
        compiled(model(image, conv + " Layer a; @Slice(dim = 3, with = \"start = 10 * (input.H / 100) * (100 / input.H) * (input.W / 30) * (30 / "
                + "input.W)\") Layer s;"));
        // written with terms that cancel, or as a product of factors at least 1 from the smallest sizes where the network exists (3)
        compiled(model(image, head + "@Linear(with = \"out = input.H * input.W - 100\") Layer b;"));
        compiled(model(image, head + "@Linear(with = \"out = -(input.W - 26) + (input.W - 20) + 0 * input.H\") Layer b;"));
        compiled(model(image, conv.replace("padding = 1", "padding = 0") + " Layer a; @Reshape(layout = \"C,L\", with = \"shape = [8, (input.H - 2) * "
                + "(input.W - 2)]\") Layer r;"));
        // through a block's parameter, whose default reads the sizes
        String param = model(image, conv + " Layer a; Blk blk;", "@Block public static class Blk { "
                + "@Param(expr = \"(input.H - input.W) * (input.H - input.W)\") int n; @Conv2d(k = 1, with = \"cout = n\") Layer b; }");
        ModelSources.expectOnly(param, "[MC419] the costs have no closed form in H with @Param n = \"(input.H - input.W) * (input.H - input.W)\" of "
                + "test.Net.Blk: its value, a value of several sizes,", "@Model", ModelSources.columnOf(param, "@Model", "\"H\""));
        // A @LayerKind formula, which the shape rules do not read: an equality of two sizes is refused there too (at(50, 50) gave the
        // formula's other branch).
        String kind = "@LayerKind(macs = \"x.W == x.H ? 1000 * x.numel : x.numel\") @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.CLASS) "
                + "public @interface Gate { String with() default \"\"; }";
        String text = model(image, kind, conv + " Layer a;", "@Gate Layer g;");
        ModelSources.expectOnly(text, "[MC419] the costs have no closed form in H with @LayerKind(macs = \"x.W == x.H ? 1000 * x.numel : x.numel\") of "
                + "Gate at g: it compares sizes that follow H and W together, so that it can change along a line of sizes", "@Model",
                ModelSources.columnOf(text, "@Model", "\"H\""));
    }

    @Test
    void aTestOfSeveralSizesThatMovesOneWayWithEachIsAnsweredAsCompiled() throws ReflectiveOperationException {
        // A sum, a product and a maximum of H and W compared with a number move one way as each grows: where the box's corners keep
        // such a test's value, every size inside it does, and at(...) is the model compiled there.
        String conv = "@Conv2d(cout = 8, k = 3, padding = 1)";
        String fields = conv + " Layer c1; @When(\"x.H + x.W > 70\") " + conv + " Layer c2; @When(\"x.H * x.W < 5_000_000\") " + conv + " Layer c3; "
                + conv.replace(")", ", with = \"stride = max(x.H, x.W) > 60 ? 1 : 2\")") + " Layer c4;";
        Compilation sized = compiled(model("@Model(input = {3, 64, 40}, sizes = {\"H\", \"W\"})", fields));
        java.lang.reflect.Method at = ModelSources.classes(sized).loadClass("test.NetCost").getMethod("at", int.class, int.class);
        for (int[] size : new int[][] {{64, 40}, {62, 9}, {100, 9}, {63, 10}, {1000, 1000}, {2000, 2224}, {2247, 9}}) {
            Object figures = at.invoke(null, size[0], size[1]);
            Compilation fixed = compiled(model("@Model(input = {3, " + size[0] + ", " + size[1] + "})", fields));
            for (String figure : List.of("macs", "flops", "params", "peakActivationBytes")) {
                String constant = figure.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
                assertEquals(constant(fixed, "test.NetCost", constant), figures.getClass().getMethod(figure).invoke(figures),
                        figure + " at " + Arrays.toString(size));
            }
        }
    }

    @Test
    void aValueOfOneSizeThatFallsAndRisesAgainEndsTheRangeWhereTheLayerGetsNothing() throws ReflectiveOperationException {
        // Each is 0 at H = 50 (and 150) alone, where the network does not exist; the forms are polynomials through it, so at(50)
        // answered with the layer left out (393,984 MACs for the first). The value is followed along the lattice, and the forms are
        // checked next to where it turns: the range ends above 50, and every size in it is the model compiled there.
        String head = "@Conv2d(cout = 8, k = 3) Layer a; @AdaptiveAvgPool2d(1) Layer p; @Flatten Layer f; ";
        String[][] cases = {
            // fields, sizes where the network does not exist, sizes inside the range; the declared H where it is not 64
            {head + "@Linear(with = \"out = (input.H - 50) * (input.H - 50)\") Layer b;", "50", "51,70"},
            // below 1 from 50 to 60: the range ends at the band's edge, not beside the turn inside it (at 57)
            {head + "@Linear(with = \"out = (input.H - 50) * (input.H - 60)\") Layer b;", "60,57", "61,70"},
            // a pad that crops the whole axis at H = 48 and 49 alone
            {"@Conv2d(cout = 8, k = 3, padding = 1) Layer a; @Pad(with = \"pad = [0, 20 * (input.H - 48) * (input.H - 49) - 40]\") Layer p; "
                + "@Slice(dim = 3, start = 0, end = 1) Layer s;", "48", "47,20", "20"},
            // 0 at 65,600 and 65,601, past the sizes a value is followed at: the range ends there
            {head + "@Linear(with = \"out = (input.H - 65600) * (input.H - 65601)\") Layer b;", "65600", "65536,60000", "65000"},
            // a division by zero at H = 50 alone, where the compile refuses the expression
            {head + "@Linear(with = \"out = 4 + 0 * (input.H / (input.H - 50))\") Layer b;", "50", "51,70"},
            // 8 at 65,537 alone, past the sizes a value is followed at, and 4 at both sides: moving both ways, it ends the range there
            {head + "@Linear(with = \"out = 4 + 4 * (input.H / 65537) - 4 * (input.H / 65538)\") Layer b;", "65537", "65536,60000", "65000"},
            {head + "@Linear(with = \"out = (input.H - 50) * (input.H - 50) / 2\") Layer b;", "50", "52,70"},
            {head + "@Linear(with = \"out = (input.H % 100 - 50) * (input.H % 100 - 50)\") Layer b;", "150", "99,149"},
            {head + "@Linear(with = \"out = max(input.H, 0) > 0 ? (input.H - 50) * (input.H - 50) : 1\") Layer b;", "50", "51,70"},
            {head + "@Linear(out = 16) Layer l0; @Args(\"o = 16\") @Repeat(count = \"(input.H - 50) * (input.H - 50)\") B r; "
                + "@Block public static class B { @Param(16) int o; @Linear(with = \"out = o\") Layer l; @ReLU Layer q; }", "50", "51,52"},
            // given to a block's parameter: followed where it is given
            {"@Conv2d(cout = 8, k = 3) Layer a; @Args(\"n = (x.H - 48) * (x.H - 48)\") Blk blk; @Block public static class Blk { @Param int n; "
                + "@Conv2d(k = 1, with = \"cout = n\") Layer b; }", "50", "51,64"},
        };
        // two values that each only grow, which a layer compares: topK is above count from L = 195 to 205 (at(200) answered)
        String experts = model("@Model(input = {64, 8}, layout = \"L,D\", sizes = \"L\")", "@Args(\"n = x.L * x.L * x.L + 3990000, k = 300 * x.L * x.L\") "
                + "Moe m; @Block public static class Moe { @Param int n; @Param int k; @Linear(bias = false, out = 8) Layer gate; @From(\"input\") "
                + "@Experts(with = \"count = n, topK = k\") Expert experts; } @Block public static class Expert { @Linear(out = 16, bias = false) "
                + "Layer up; @Linear(out = 8, bias = false) Layer down; }");
        java.lang.reflect.Method atL = ModelSources.classes(compiled(experts)).loadClass("test.NetCost").getMethod("at", int.class);
        for (int size : new int[] {195, 200, 205}) {
            assertTrue(assertThrows(java.lang.reflect.InvocationTargetException.class, () -> atL.invoke(null, size)).getCause()
                    instanceof IllegalArgumentException, "at(" + size + ")");
        }
        // the same values written in the experts' own attributes
        String direct = experts.replace("@Experts(with = \"count = n, topK = k\")", "@Experts(with = \"count = x.L * x.L * x.L + 3990000, topK = 300 * x.L * x.L\")")
                .replace("@Args(\"n = x.L * x.L * x.L + 3990000, k = 300 * x.L * x.L\") ", "").replace("@Param int n; @Param int k; ", "");
        java.lang.reflect.Method atDirect = ModelSources.classes(compiled(direct)).loadClass("test.NetCost").getMethod("at", int.class);
        assertTrue(assertThrows(java.lang.reflect.InvocationTargetException.class, () -> atDirect.invoke(null, 200)).getCause()
                instanceof IllegalArgumentException, "at(200)");
        Object figures194 = atL.invoke(null, 194);
        assertEquals(constant(compiled(experts.replace("input = {64, 8}, layout = \"L,D\", sizes = \"L\"", "input = {194, 8}, layout = \"L,D\"")),
                "test.NetCost", "MACS"), figures194.getClass().getMethod("macs").invoke(figures194));
        // a value against what a layer compares it with, from L = 100 to 102 (at 101 alone for the pooling), though each only grows
        // (at(...) answered there): the slice's start passes the length of its axis, 2·L² (an empty slice); a select's index the same,
        // and a negative one minus it; a crop leaves (L - 101)² - 1 positions of it; the slice's start given through a block's
        // parameter, by an argument and by a default; an embedding's negative paddingIdx passes minus its table; a max pooling's
        // padding passes half its window; the batch's own value passes 0
        String up = "@Linear(with = \"out = 2 * x.L * x.L\") Layer up; ";
        String lengths = "@Model(input = {64, 16}, layout = \"L,D\", sizes = \"L\")";
        String slice = "@Block public static class B { @Param int s; @Slice(dim = 2, with = \"start = s\") Layer cut; @ReLU Layer r; }";
        String[][] compared = {
            {lengths, up + "@Slice(dim = 2, with = \"start = x.L * x.L + 202 * x.L - 10200\") Layer s;"},
            {lengths, up + "@Select(dim = 2, with = \"index = x.L * x.L + 202 * x.L - 10200\") Layer s;"},
            {lengths, up + "@Select(dim = 2, with = \"index = 10199 - x.L * x.L - 202 * x.L\") Layer s;"},
            {lengths, up + "@Pad(with = \"pad = [0, 10199 - x.L * x.L - 202 * x.L]\") Layer s;"},
            {lengths, up + "@Args(\"s = input.L * input.L + 202 * input.L - 10200\") B b; " + slice},
            {lengths, up + "B b; " + slice.replace("@Param int s;", "@Param(expr = \"input.L * input.L + 202 * input.L - 10200\") int s;")},
            {"@Model(input = {64}, layout = \"L\", tokens = true, sizes = \"L\")", "@Embedding(embeddingDim = 4, with = \"numEmbeddings = "
                + "2 * input.L * input.L + 1000, paddingIdx = 9199 - input.L * input.L - 202 * input.L\") Layer emb;"},
            {"@Model(input = {64, 1}, layout = \"L,D\", sizes = \"L\")", "@Linear(with = \"out = 2 * input.L * input.L + 596 * input.L + 20401\") "
                + "Layer up; @Transpose(dim0 = 1, dim1 = 2) Layer t1; @Linear(out = 1) Layer down; @Transpose(dim0 = 1, dim1 = 2) Layer t2; "
                + "@MaxPool1d(stride = 1, with = \"k = 2 * input.L * input.L + 1, padding = 202 * input.L - 10200\") Layer pool;", "101"},
            {"@Model(input = {4, 8}, layout = \"L,D\", batch = 64, sizes = \"batch\")", "@Linear(with = \"out = (batch - 101) * (batch - 101)\") Layer b;",
                "101"},
            // declared at 30, where the slice's end is past its axis (clamped) up to L = 50: its output's size there is L² + 10
            {"@Model(input = {30, 16}, layout = \"L,D\", sizes = \"L\")", up + "@Slice(dim = 2, with = \"start = -(x.L * x.L + 10), "
                + "end = 2 * x.L * x.L - 202 * x.L + 10190\") Layer s;"},
            // the positions an arange gives reach the rows of the embedding after it
            {lengths, "@Linear(with = \"out = 20000 - 98 * x.L\") Layer up; @Arange(dim = 2, with = \"start = 300 * x.L - x.L * x.L\") Layer ids; "
                + "@Embedding(numEmbeddings = 30199, embeddingDim = 4) Layer emb;"},
        };
        for (String[] c : compared) {
            String fields = c[1] + " @Linear(out = 4) Layer l;";
            java.lang.reflect.Method atL2 = ModelSources.classes(compiled(model(c[0], fields))).loadClass("test.NetCost").getMethod("at", int.class);
            for (String hole : (c.length > 2 ? c[2] : "100,101,102").split(",")) {
                assertTrue(assertThrows(java.lang.reflect.InvocationTargetException.class, () -> atL2.invoke(null, Integer.parseInt(hole))).getCause()
                        instanceof IllegalArgumentException, c[1] + " at(" + hole + ")");
            }
            for (int size : new int[] {99, 70}) {
                Object figures = atL2.invoke(null, size);
                // the batch fixed is no name a layer reads: its value written in
                boolean batch = c[0].contains("sizes = \"batch\"");
                String fixed = batch ? c[0].replace("batch = 64, sizes = \"batch\"", "batch = " + size)
                        : c[0].replaceFirst("\\{\\d+", "{" + size).replace(", sizes = \"L\"", "");
                assertEquals(constant(compiled(model(fixed, batch ? fields.replace("(batch - ", "(" + size + " - ") : fields)), "test.NetCost", "MACS"),
                        figures.getClass().getMethod("macs").invoke(figures), c[1] + " at(" + size + ")");
            }
        }
        // off the lattice: after a stride of 2 the forms hold on the even sizes, and the slice is empty at L = 101 alone (16 of 16
        // positions), where a size program answered: the start is followed at every size, and the program checked there
        String odd = "@Conv1d(cout = 16, k = 1, stride = 2) Layer conv; @Slice(dim = 1, with = \"start = 15 + input.L / 101 - input.L / 102\") Layer s; "
                + "@Linear(out = 4) Layer l;";
        java.lang.reflect.Method atOdd = ModelSources.classes(compiled(model("@Model(input = {16, 64}, layout = \"C,L\", sizes = \"L\")", odd)))
                .loadClass("test.NetCost").getMethod("at", int.class);
        assertTrue(assertThrows(java.lang.reflect.InvocationTargetException.class, () -> atOdd.invoke(null, 101)).getCause()
                instanceof IllegalArgumentException, "at(101)");
        Object at100 = atOdd.invoke(null, 100);
        assertEquals(constant(compiled(model("@Model(input = {16, 100}, layout = \"C,L\")", odd)), "test.NetCost", "MACS"),
                at100.getClass().getMethod("macs").invoke(at100), "at(100)");
        for (String[] c : cases) {
            Compilation sized = compiled(model("@Model(input = {3, " + (c.length > 3 ? c[3] : "64") + ", 40}, sizes = \"H\")", c[0]));
            java.lang.reflect.Method at = ModelSources.classes(sized).loadClass("test.NetCost").getMethod("at", int.class);
            for (String hole : c[1].split(",")) {
                java.lang.reflect.InvocationTargetException refused = assertThrows(java.lang.reflect.InvocationTargetException.class,
                        () -> at.invoke(null, Integer.parseInt(hole)), c[0] + " at " + hole);
                assertTrue(refused.getCause() instanceof IllegalArgumentException, c[0] + ": " + refused.getCause());
            }
            for (String size : c[2].split(",")) {
                Object figures = at.invoke(null, Integer.parseInt(size));
                Compilation fixed = compiled(model("@Model(input = {3, " + size + ", 40})", c[0]));
                assertEquals(constant(fixed, "test.NetCost", "MACS"), figures.getClass().getMethod("macs").invoke(figures), c[0] + " at " + size);
            }
        }
    }

    @Test
    void aSummandThatPassesOneBesideAnotherSizesSummandEndsNoRange() throws ReflectiveOperationException {
        // A slice's start of H / 100 + ... + H / 500 + W / 30 is 2 at the declared sizes and grows along H from H = 100 on. Its summand
        // H / 100 passes 1 at H = 100 where the whole does not pass 1, but a sum shows every turn of its summands: no other size hides
        // it, so no sizes are checked together there, and H's range runs to 99, where the costs change form (the slice starts one
        // column later), not to 98, where the sizes checked together ran out.
        String fields = "@Conv2d(cout = 4, k = 1) Layer c0; @Slice(dim = 3, with = \"start = input.H / 100 + input.H / 200 + input.H / 300"
                + " + input.H / 400 + input.H / 500 + input.W / 30\") Layer s; @Conv2d(cout = 4, k = 3) Layer conv; @Flatten Layer f;"
                + " @Linear(out = 4) Layer l;";
        Class<?> cost = ModelSources.classes(compiled(model("@Model(input = {4, 64, 64}, sizes = {\"H\", \"W\"})", fields))).loadClass("test.NetCost");
        java.lang.reflect.Method at = cost.getMethod("at", int.class, int.class);
        for (int[] size : new int[][] {{99, 64}, {98, 64}, {90, 70}}) {
            Object figures = at.invoke(null, size[0], size[1]);
            Compilation fixed = compiled(model("@Model(input = {4, " + size[0] + ", " + size[1] + "})", fields));
            assertEquals(constant(fixed, "test.NetCost", "MACS"), figures.getClass().getMethod("macs").invoke(figures), Arrays.toString(size));
        }
        java.lang.reflect.InvocationTargetException e = assertThrows(java.lang.reflect.InvocationTargetException.class, () -> at.invoke(null, 100, 64));
        assertTrue(e.getCause().getMessage().contains("H = 100 is above 99") && e.getCause().getMessage().contains("MACS changes form"),
                e.getCause().getMessage());
    }

    @Test
    void offAnotherSizesLatticeTheProgramAnswersOnlyBetweenTheTurnsOfAValue() throws ReflectiveOperationException {
        // The size program follows the tensors' sizes with each value as it is at the declared sizes. A slice's start of
        // (H / 100 + W / 30) / 2 is 1 at H = 64 for W from 30 to 119, but at H = 100 it is 2 from W = 90, where H's part, masked by W's at
        // the declared W, turns: off W's lattice (4 + 60·k) the program answered H = 100, W = 90 with a start of 1 (1,508,160 MACs; the
        // model compiled there has 1,492,480). It now answers off the lattice only below the sizes next to H's masked turn.
        String[][] cases = {
            {"@Conv2d(cout = 4, k = 1) Layer c0; @Slice(dim = 3, with = \"start = (input.H / 100 + input.W / 30) / 2\") Layer s; "
                + "@Conv2d(cout = 4, k = 3) Layer conv; @Flatten Layer f; @Linear(out = 4) Layer l;", "100,90;101,90;150,95;100,59", "64,90;97,90;64,64;100,64"},
        };
        for (String[] c : cases) {
            Class<?> cost = ModelSources.classes(compiled(model("@Model(input = {4, 64, 64}, sizes = {\"H\", \"W\"})", c[0]))).loadClass("test.NetCost");
            java.lang.reflect.Method at = cost.getMethod("at", int.class, int.class);
            for (String hole : c[1].split(";")) {
                String[] hw = hole.split(",");
                java.lang.reflect.InvocationTargetException refused = assertThrows(java.lang.reflect.InvocationTargetException.class,
                        () -> at.invoke(null, Integer.parseInt(hw[0]), Integer.parseInt(hw[1])), c[0] + " at " + hole);
                assertTrue(refused.getCause() instanceof IllegalArgumentException, c[0] + ": " + refused.getCause());
            }
            for (String size : c[2].split(";")) {
                String[] hw = size.split(",");
                Object figures = at.invoke(null, Integer.parseInt(hw[0]), Integer.parseInt(hw[1]));
                Compilation fixed = compiled(model("@Model(input = {4, " + size + "})", c[0]));
                assertEquals(constant(fixed, "test.NetCost", "MACS"), figures.getClass().getMethod("macs").invoke(figures), c[0] + " at " + size);
            }
        }
        {
            Class<?> cost = ModelSources.classes(compiled(model("@Model(input = {4, 64, 64}, sizes = {\"H\", \"W\"})", cases[0][0])))
                    .loadClass("test.NetCost");
            java.lang.reflect.InvocationTargetException e = assertThrows(java.lang.reflect.InvocationTargetException.class,
                    () -> cost.getMethod("at", int.class, int.class).invoke(null, 100, 90));
            assertTrue(e.getCause().getMessage().startsWith("Net: H = 100 is above 97, the largest size its size program answers (a part of a "
                    + "value that reads H turns next to H = 98 beside one that reads another size"), e.getCause().getMessage());
        }
    }

    @Test
    void aSelectOnAnAxisThatDipsOffTheLatticeIsRefusedWhereTheAxisIsBelowItsIndex() throws ReflectiveOperationException {
        // After a 2 x 2 convolution of stride 2, W's axis is W / 2, then padded by 100 - 2·(W % 50) (input.W is the model's): 78 at
        // W = 148, 104 at W = 64, but 26 at W = 49 and 51 at W = 99, off W's lattice (14 + 50·k). A select of index 60 (or -61) on it needs 61 positions, which
        // no output's rule holds, as the select drops that axis: the program answered at(64, 49) with 49,664 MACs where the model does
        // not compile (MC316). Answered: at W = 148 the convolution's 32 x 74 x 4 x 4 x 4 = 151,552 MACs and the linear's 128 x 4 =
        // 512: 152,064.
        for (String index : List.of("index = 60", "index = -61")) {
            String fields = "@Conv2d(cout = 4, k = 2, stride = 2) Layer conv; @Pad(with = \"pad = [0, 100 - 2 * (input.W % 50)]\") Layer p; "
                    + "@Select(dim = 3, " + index + ") Layer s; @Flatten Layer f; @Linear(out = 4) Layer l;";
            Class<?> cost = ModelSources.classes(compiled(model("@Model(input = {4, 64, 64}, sizes = {\"H\", \"W\"})", fields))).loadClass("test.NetCost");
            java.lang.reflect.Method at = cost.getMethod("at", int.class, int.class);
            assertRefusedAsCompiled(at, fields, new int[][] {{64, 49}, {64, 48}, {64, 99}, {100, 49}}, index);
            java.lang.reflect.InvocationTargetException e = assertThrows(java.lang.reflect.InvocationTargetException.class, () -> at.invoke(null, 64, 49));
            assertEquals("Net does not exist at H = 64, W = 49: s (Select) has 26 positions on its W axis, fewer than the 61 PyTorch takes",
                    e.getCause().getMessage());
            Object figures = at.invoke(null, 64, 148);
            assertEquals(32L * 74 * 4 * 4 * 4 + 128 * 4, figures.getClass().getMethod("macs").invoke(figures), index);
            assertAnsweredAsCompiled(at, fields, new int[][] {{64, 65}, {64, 149}, {100, 148}}, index);
        }
        // Along one variable the select's bound lets the program answer below the lattice's smallest size (64 on 100 + 2k, 62 giving
        // the select 30 positions): at L = 63 the convolution gives 31 positions, 31 x 4 x 8 x 3 = 2,976 MACs, and the linear 16.
        String fields = "@Conv1d(cout = 4, k = 3, stride = 2) Layer conv; @Select(dim = 2, index = 30) Layer s; @Linear(out = 4) Layer l;";
        Class<?> cost = ModelSources.classes(compiled(model("@Model(input = {8, 100}, layout = \"C,L\", sizes = \"L\")", fields))).loadClass("test.NetCost");
        Object figures = cost.getMethod("at", int.class).invoke(null, 63);
        assertEquals(31L * 4 * 8 * 3 + 16, figures.getClass().getMethod("macs").invoke(figures));
        java.lang.reflect.InvocationTargetException e = assertThrows(java.lang.reflect.InvocationTargetException.class,
                () -> cost.getMethod("at", int.class).invoke(null, 62));
        assertEquals("Net does not exist at L = 62: s (Select) has 30 positions on its L axis, fewer than the 31 PyTorch takes", e.getCause().getMessage());
    }

    @Test
    void aSelectWhoseIndexReadsItsOwnAxisIsBoundedOnThatAxisAndRefusedWhereItSkipsSizes() throws ReflectiveOperationException {
        // The W axis as in the test above (W / 2 padded by 100 - 2·(W % 50): 26 at W = 49, 28 at 48, 104 at 64), selected at an index
        // that reads it: x.W / 2 + 20 fits where ceil(x.W / 2) > 20, from 41 positions on; -x.W / 2 - 21, from the end, where
        // floor(x.W / 2) >= 21 (the division rounds -x.W / 2 down, to -ceil(x.W / 2)), from 42 positions on. A program without
        // that bound answers at(64, 49) and at(64, 48) with 49,664 MACs where the model does not compile (MC316). Answered: at
        // W = 65 the convolution's 32 x 32 x 4 x 4 x 4 = 65,536 MACs and the linear's 128 x 4 = 512.
        String head = "@Conv2d(cout = 4, k = 2, stride = 2) Layer conv; @Pad(with = \"pad = [0, 100 - 2 * (input.W % 50)]\") Layer p; ";
        String tail = " @Flatten Layer f; @Linear(out = 4) Layer l;";
        for (String[] bounded : new String[][] {{"index = x.W / 2 + 20", "41"}, {"index = -x.W / 2 - 21", "42"}}) {
            String index = bounded[0];
            String fields = head + "@Select(dim = 3, with = \"" + index + "\") Layer s;" + tail;
            Class<?> cost = ModelSources.classes(compiled(model("@Model(input = {4, 64, 64}, sizes = {\"H\", \"W\"})", fields))).loadClass("test.NetCost");
            java.lang.reflect.Method at = cost.getMethod("at", int.class, int.class);
            assertRefusedAsCompiled(at, fields, new int[][] {{64, 49}, {64, 48}, {100, 49}}, index);
            java.lang.reflect.InvocationTargetException e = assertThrows(java.lang.reflect.InvocationTargetException.class, () -> at.invoke(null, 64, 49));
            assertEquals("Net does not exist at H = 64, W = 49: s (Select) has 26 positions on its W axis, fewer than the " + bounded[1]
                    + " PyTorch takes", e.getCause().getMessage(), index);
            Object figures = at.invoke(null, 64, 65);
            assertEquals(32L * 32 * 4 * 4 * 4 + 128 * 4, figures.getClass().getMethod("macs").invoke(figures), index);
            assertAnsweredAsCompiled(at, fields, new int[][] {{64, 99}, {64, 149}, {100, 51}}, index);
        }
        // An index of (x.W % 7) · 10 fits at 7 positions (0), not at 8 (10), and again at 14: the select takes some sizes only of the axis,
        // which no bound says. A program would answer at(64, 49) (index 50 on 26 positions), at(64, 45) (40 on 32) and at(64, 39)
        // (60 on 41); it is refused, and those sizes with it.
        String fields = head + "@Select(dim = 3, with = \"index = (x.W % 7) * 10\") Layer s;" + tail;
        Compilation compilation = compiled(model("@Model(input = {4, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        assertTrue(ModelSources.generated(compilation, "test.NetCost").contains("s (Select) takes some sizes only of the W axis it drops, where an attribute"
                + " reads it: 7 but not 8"), "no program, and why");
        java.lang.reflect.Method at = ModelSources.classes(compilation).loadClass("test.NetCost").getMethod("at", int.class, int.class);
        assertRefusedAsCompiled(at, fields, new int[][] {{64, 49}, {64, 45}, {64, 39}}, "(x.W % 7) * 10");
    }

    @Test
    void aSelectWhoseIndexReadsAnotherSizeRefusesTheProgramWhereTheIndexBoundsItsAxis() throws ReflectiveOperationException {
        // A 1-D input of 8 x L: a convolution of kernel 2 and stride 2 (L / 2), padded by 100 - 2·(L % 50) where L is the model
        // input's, then a select at input.L / 4 + 20, an index read from the input's length, not from the axis it indexes. At the
        // declared L = 200 the axis has 200 positions and the index is 70, so the select takes its axis from 71 positions on, a
        // bound that moves with L, which no check of one size holds. At L = 49 the axis has 24 + 2 = 26 positions and the index is
        // 32; at L = 48, 24 + 4 = 28 and 32: the model does not compile (MC316), and a program without the bound answers both.
        // Answered on the lattice: at L = 200 the convolution's 100 x 4 x 8 x 2 = 6,400 MACs and the linear's 16.
        String fields = "@Conv1d(cout = 4, k = 2, stride = 2) Layer conv; @Pad(with = \"pad = [0, 100 - 2 * (input.L % 50)]\") Layer p; "
                + "@Select(dim = 2, with = \"index = input.L / 4 + 20\") Layer s; @Linear(out = 4) Layer l;";
        Compilation compilation = compiled(model("@Model(input = {8, 200}, layout = \"C,L\", sizes = \"L\")", fields));
        assertTrue(ModelSources.generated(compilation, "test.NetCost").contains("s (Select) takes its L axis, which it drops, only from a size"
                + " on that an attribute reading another size sets"), "no program, and why");
        java.lang.reflect.Method at = ModelSources.classes(compilation).loadClass("test.NetCost").getMethod("at", int.class);
        for (int length : new int[] {49, 48}) {
            refusedAsCompiledAlongL(at, fields, length);
        }
        Object figures = at.invoke(null, 200);
        assertEquals(100L * 4 * 8 * 2 + 16, figures.getClass().getMethod("macs").invoke(figures));
    }

    @Test
    void aSelectWhoseIndexSkipsSizesOfItsOwnAxisEndsTheRangeBeforeTheFirstSizeItSkips() throws ReflectiveOperationException {
        // A 1-D input of 8 x L: a 1 x 1 convolution keeps L, a pad of 100 - 2·(L % 50) makes the axis x = L + 100 - 2·(L % 50), a
        // select on it at x / 2 + 1000·(x / 61) - 1000·(x / 62): 1,000 past x / 2, out of range, where x lies in [61k, 62k - 1].
        // From L = 157 to 199, x = 400 - L (243 down to 201); from 200 to 249, 500 - L (300 to 251); from 250 to 290, 600 - L (350 to
        // 310): no x of [183, 185], [244, 247] or [305, 309]. At L = 156, x = 244 and the index 122 + 4,000 - 3,000 = 1,122; at L =
        // 291, x = 309 and the index 154 + 5,000 - 4,000 = 1,154. The lattice is every L, and no check of the range need fall on
        // those few sizes: the closed forms answered at(154) to at(156) and at(291) to at(295) where the model does not compile.
        // Answered: the convolution's 4 x 8 x L MACs and the linear's 4 x 4.
        String fields = "@Conv1d(cout = 4, k = 1) Layer conv; @Pad(with = \"pad = [0, 100 - 2 * (input.L % 50)]\") Layer p; "
                + "@Select(dim = 2, with = \"index = x.L / 2 + 1000 * (x.L / 61) - 1000 * (x.L / 62)\") Layer s; @Linear(out = 4) Layer l;";
        java.lang.reflect.Method at = atAlongL(200, fields);
        // Refused, each side saying why at the first size it skips.
        String below = "at L = 156: [MC316] s: Select index = 1122 is out of range for an axis of size 244";
        String above = "at L = 291: [MC316] s: Select index = 1154 is out of range for an axis of size 309";
        for (Object[] refused : new Object[][] {{156, below}, {155, below}, {291, above}, {295, above}}) {
            String why = refusedAsCompiledAlongL(at, fields, (Integer) refused[0]);
            assertTrue(why.contains((String) refused[1]), "L = " + refused[0] + ": " + why);
        }
        for (int length : new int[] {157, 199, 200, 249, 250, 290}) {
            Object figures = at.invoke(null, length);
            assertEquals(4L * 8 * length + 4 * 4, figures.getClass().getMethod("macs").invoke(figures), "L = " + length);
        }
    }

    @Test
    void aSelectBehindAStridedConvolutionWhoseIndexSkipsOneSizeFarBelowRefusesItThere() throws ReflectiveOperationException {
        // A 1-D input of 8 x L: a convolution of kernel 2 and stride 2 gives floor((L - 2) / 2) + 1 = floor(L / 2) positions, a
        // select on them at x / 2 + 1000·(x / 501) - 1000·(x / 502): 1,000 past x / 2, out of range, at x = 501 alone below 1,000
        // positions, L = 1,002 and 1,003. The shape rules follow the select through the convolution's source, the model's L, where
        // the call cannot be made at L = 1 (no position): the sizes past it are scanned all the same. A program that took the select
        // to take every size answered at(1002) and at(1003) with 64·501 + 16 = 32,080 MACs, where the model does not compile.
        // Answered at the declared L = 2000: the convolution's 4 x 8 x 2 x 1,000 MACs and the linear's 4 x 4.
        String fields = "@Conv1d(cout = 4, k = 2, stride = 2) Layer conv; "
                + "@Select(dim = 2, with = \"index = x.L / 2 + 1000 * (x.L / 501) - 1000 * (x.L / 502)\") Layer s; @Linear(out = 4) Layer l;";
        java.lang.reflect.Method at = atAlongL(2000, fields);
        for (int length : new int[] {1002, 1003}) {
            refusedAsCompiledAlongL(at, fields, length);
        }
        Object figures = at.invoke(null, 2000);
        assertEquals(4L * 8 * 2 * 1000 + 4 * 4, figures.getClass().getMethod("macs").invoke(figures));
    }

    /** {@code NetCost.at(L)} of an 8-channel sequence's {@code fields}, compiled with {@code sizes = "L"} at {@code declared}. */
    private static java.lang.reflect.Method atAlongL(int declared, String fields) throws ReflectiveOperationException {
        Class<?> cost = ModelSources.classes(compiled(model("@Model(input = {8, " + declared + "}, layout = \"C,L\", sizes = \"L\")", fields)))
                .loadClass("test.NetCost");
        return cost.getMethod("at", int.class);
    }

    /**
     * {@code at(L)} of an 8-channel sequence's {@code fields} refuses {@code length}, where the model does not compile either; gives
     * the refusal's message.
     */
    private static String refusedAsCompiledAlongL(java.lang.reflect.Method at, String fields, int length) {
        java.lang.reflect.InvocationTargetException e = assertThrows(java.lang.reflect.InvocationTargetException.class,
                () -> at.invoke(null, length), "L = " + length);
        assertTrue(e.getCause() instanceof IllegalArgumentException, "L = " + length + ": " + e.getCause());
        assertFalse(ModelSources.compile(ModelSources.source("test.Net", model("@Model(input = {8, " + length + "}, layout = \"C,L\")", fields)))
                .errors().isEmpty(), "compiles at L = " + length);
        return e.getCause().getMessage();
    }

    /** {@code at(H, W)} of a 4-channel image's {@code fields} refuses each of {@code sizes}, where the model does not compile. */
    private static void assertRefusedAsCompiled(java.lang.reflect.Method at, String fields, int[][] sizes, String what) {
        for (int[] size : sizes) {
            java.lang.reflect.InvocationTargetException refused = assertThrows(java.lang.reflect.InvocationTargetException.class,
                    () -> at.invoke(null, size[0], size[1]), what + " at " + size[0] + ", " + size[1]);
            assertTrue(refused.getCause() instanceof IllegalArgumentException, what + ": " + refused.getCause());
            assertFalse(ModelSources.compile(ModelSources.source("test.Net", model("@Model(input = {4, " + size[0] + ", " + size[1] + "})", fields)))
                    .errors().isEmpty(), what + " compiles at " + size[0] + ", " + size[1]);
        }
    }

    /** {@code at(H, W)} of a 4-channel image's {@code fields} answers each of {@code sizes} with the MACs of the model compiled there. */
    private static void assertAnsweredAsCompiled(java.lang.reflect.Method at, String fields, int[][] sizes, String what)
            throws ReflectiveOperationException {
        for (int[] size : sizes) {
            Object answered = at.invoke(null, size[0], size[1]);
            Compilation fixed = compiled(model("@Model(input = {4, " + size[0] + ", " + size[1] + "})", fields));
            assertEquals(constant(fixed, "test.NetCost", "MACS"), answered.getClass().getMethod("macs").invoke(answered),
                    what + " at " + size[0] + ", " + size[1]);
        }
    }

    @Test
    void aValueOfOneSizeOnTheAxisOfAnotherIsCheckedWithTheOtherAtTheEndsOfItsRangeAndWhereItTurns() throws ReflectiveOperationException {
        // A select's index reads H and indexes another axis. Followed along H with W at its declared 64, it fits; at another W it
        // does not, where at(H, W) answered. Each case: the fields (the image C,H,W 4 x 64 x 64 unless the fields start with the
        // input in braces, then its layout), sizes (H, W) refused, sizes answered as compiled there.
        String conv = "@Conv2d(cout = 4, k = 1) Layer conv; ";
        String tail = " @Flatten Layer f; @Linear(out = 4) Layer l;";
        String spike = "@Select(dim = 3, with = \"index = 60 * (input.H / 100) - 60 * (input.H / 101)\") Layer s;";
        String[][] cases = {
            // 60 at H = 100 alone, on the W axis: W = 1, the end of W's range, fails
            {conv + spike + tail, "100,40;100,64", "99,40;70,1"},
            // smooth: 60 at H = 100, 30 at 99 and 101, above 0 from 93 to 107
            {conv + "@Select(dim = 3, with = \"index = 60 / (1 + (input.H - 100) * (input.H - 100))\") Layer s;" + tail, "100,40;99,20;93,1",
                "92,20;80,3"},
            // below the declared size: above 0 from 23 to 37
            {conv + "@Select(dim = 3, with = \"index = 60 / (1 + (input.H - 30) * (input.H - 30))\") Layer s;" + tail, "30,40;37,1", "38,1;50,7"},
            // a W axis padded to 100 - 2·(W % 50) more: 99 at W = 1 and at W = 50, 51 at W = 49, where the index does not fit; the pad
            // leaves its line at every W below 50, more turns than are checked together, so W's range ends at 48 (an over-refusal)
            {conv + "@Pad(with = \"pad = [0, 100 - 2 * (input.W % 50)]\") Layer p; " + spike + tail, "100,49;100,50;64,40", "99,49;64,48"},
            // the last axis (W - 50)² + 1 features, 1 at W = 50 and large at both ends of W's range
            // (a parabola leaves its line at every W: past the turns checked together W's range ends, at 61, an over-refusal)
            {"{64, 64, 4} H,W,C @Linear(with = \"out = (input.W - 50) * (input.W - 50) + 1\") Layer a; " + spike + tail, "100,50;100,51;99,50",
                "99,61;64,64"},
            // a chunk count and index that read H, 60 and 40 at H = 100 alone, on an axis of W + 59: PyTorch's chunks,
            // ceil(n / ceil(n / 60)), are 60 at W = 1 and from W = 61, but from 31 to 40 for W from 2 to 21, where index 40 does not
            // fit; W's own values turn nowhere, the chunk's rule does at H = 100, run along W there
            {conv + "@Pad(pad = {0, 59}) Layer p; @Chunk(dim = 3, with = \"chunks = 1 + 59 * (input.H / 100) - 59 * (input.H / 101), index = 40 * "
                + "(input.H / 100) - 40 * (input.H / 101)\") Layer c; @From(\"p\")" + tail, "100,2;100,21", "99,2;99,21;64,21"},
            // declared between two turns of one value, 63 at H = 100 and again at 200 and 201: the turn below fails with W = 1 and
            // ends the range there; the turns above repeat its values and are checked all the same, ending it at 199
            {"{128, 64, 4} H,W,C @Linear(out = 4) Layer a; @Select(dim = 2, with = \"index = 63 * (input.H / 100 - input.H / 101)\") Layer s;"
                + tail, "100,2;200,40;201,2;300,10", "101,2;150,2;199,40"},
            // one value, 250, at H = 302 and at 201 on an axis of H·W: W = 1 fits the first, not the second, though the values repeat
            {"{350, 64, 4} H,W,C @Linear(out = 4) Layer a; @Flatten(startDim = 1, endDim = 2) Layer hw; @Select(dim = 1, with = \"index = 250 * "
                + "(input.H / 100 - input.H / 101)\") Layer s;" + tail, "201,1;200,1;100,1", "302,1;350,1"},
            // below the turn that ends H's range the size program, which follows the padded W + H axis but not the index, answers nothing
            {"{250, 64, 4} H,W,C @Linear(out = 4) Layer a; @Pad(with = \"pad = [0, 0, 0, input.H]\") Layer p; @Select(dim = 2, with = \"index = "
                + "250 * (input.H / 200 - input.H / 201)\") Layer s;" + tail, "200,1;150,1", "201,1;250,1"},
            // an index of both sizes, 30 at H = 100 and W = 30 (and at 200 and 60, ...), 0 along each size at the other's declared 64:
            // the factor of H turns at 100 where the index does not, so W is followed there; its own factor turns at every multiple of
            // 30 or 31, more than are followed, so W's range ends at 59 below and 87 above, and H's, checked with W next to those, at 97
            // (over-refusals)
            {conv + "@Select(dim = 3, with = \"index = 30 * (input.H / 100 - input.H / 101) * (input.W / 30 - input.W / 31)\") Layer s;" + tail,
                "100,30;100,64;64,58;64,88;98,64", "97,59;1,87;64,64"},
            // the same on the channels (9 of 4) and as a crop of 200 positions of W, after a convolution of stride 2 (index 15 at H = 100
            // and 101 with W = 30 and 31)
            {conv + "@Select(dim = 1, with = \"index = 9 * (input.H / 100 - input.H / 101) * (input.W / 30 - input.W / 31)\") Layer s;" + tail,
                "100,30", "97,60;64,64"},
            {conv + "@Pad(with = \"pad = [0, -200 * (input.H / 100 - input.H / 101) * (input.W / 30 - input.W / 31), 0, 0]\") Layer p;" + tail,
                "100,30", "97,60;64,64"},
            {"@Conv2d(cout = 4, k = 2, stride = 2) Layer conv; @Select(dim = 3, with = \"index = 15 * (input.H / 50 - input.H / 51) * (input.W / 15 "
                + "- input.W / 16)\") Layer s;" + tail, "100,30;101,31;96,64", "94,64;64,64"},
            // values that only both sizes together turn, and change a tensor's size there without ending the network: a slice's start,
            // a pad and a padding of 10 at H = 100 and W = 30 alone ((x / 100) * (100 / x) is 1 at 100 alone), where the forms found
            // with either size at its default do not hold; checked there, H's range ends at 99
            {conv + "@Slice(dim = 3, with = \"start = 10 * (input.H / 100) * (100 / input.H) * (input.W / 30) * (30 / input.W)\") Layer c; "
                + "@Conv2d(cout = 4, k = 3) Layer k;" + tail, "100,30;100,31", "99,30;64,30;64,64"},
            {conv + "@Pad(with = \"pad = [0, 10 * (input.H / 100) * (100 / input.H) * (input.W / 30) * (30 / input.W), 0, 0]\") Layer p; "
                + "@Conv2d(cout = 4, k = 3) Layer k;" + tail, "100,30", "99,30;64,64"},
            {conv + "@Conv2d(cout = 4, k = 3, with = \"padding = 5 * (input.H / 100) * (100 / input.H) * (input.W / 30) * (30 / input.W)\") Layer k;"
                + tail, "100,30", "99,30;64,64"},
        };
        for (String[] c : cases) {
            boolean image = !c[0].startsWith("{");
            String input = image ? "{4, 64, 64}" : c[0].substring(0, c[0].indexOf('}') + 1);
            String layout = image ? "C,H,W" : c[0].substring(c[0].indexOf('}') + 2, c[0].indexOf(' ', c[0].indexOf('}') + 2));
            String fields = image ? c[0] : c[0].substring(c[0].indexOf(layout) + layout.length() + 1);
            Compilation sized = compiled(model("@Model(input = " + input + ", layout = \"" + layout + "\", sizes = {\"H\", \"W\"})", fields));
            java.lang.reflect.Method at = ModelSources.classes(sized).loadClass("test.NetCost").getMethod("at", int.class, int.class);
            for (String hole : c[1].split(";")) {
                String[] hw = hole.split(",");
                java.lang.reflect.InvocationTargetException refused = assertThrows(java.lang.reflect.InvocationTargetException.class,
                        () -> at.invoke(null, Integer.parseInt(hw[0]), Integer.parseInt(hw[1])), fields + " at " + hole);
                assertTrue(refused.getCause() instanceof IllegalArgumentException, fields + ": " + refused.getCause());
            }
            for (String size : c[2].split(";")) {
                String[] hw = size.split(",");
                Object figures = at.invoke(null, Integer.parseInt(hw[0]), Integer.parseInt(hw[1]));
                String fixed = image ? "{4, " + size + "}" : "{" + size + ", 4}";
                Compilation compiled = compiled(model("@Model(input = " + fixed + ", layout = \"" + layout + "\")", fields));
                assertEquals(constant(compiled, "test.NetCost", "MACS"), figures.getClass().getMethod("macs").invoke(figures), fields + " at " + size);
            }
        }
        // the batch's own value on an axis of L that falls to 1 at L = 50: the batch's range ends below 100 where L is 50
        String batch = "@Linear(with = \"out = (input.L - 50) * (input.L - 50) + 1\") Layer a; @Select(dim = 2, with = \"index = 60 * (batch / 100) "
                + "- 60 * (batch / 101)\") Layer s; @Linear(out = 4) Layer l;";
        Compilation sized = compiled(model("@Model(input = {64, 8}, layout = \"L,D\", batch = 8, sizes = {\"L\", \"batch\"})", batch));
        java.lang.reflect.Method at = ModelSources.classes(sized).loadClass("test.NetCost").getMethod("at", int.class, int.class);
        for (int[] refused : new int[][] {{50, 100}, {49, 100}}) {
            assertTrue(assertThrows(java.lang.reflect.InvocationTargetException.class, () -> at.invoke(null, refused[0], refused[1])).getCause()
                    instanceof IllegalArgumentException, Arrays.toString(refused));
        }
    }

    @Test
    void severalValuesOfALayerThatDecideTogetherWhetherItExistsAreRunByItsRule() throws ReflectiveOperationException {
        // k = L + 2 at dilation L spans L² + L + 1 positions, the padded input L + 2·padding; with these paddings the window passes
        // the padded input by (L - 100)² - 3 or (L - 30)² - 3, from 99 to 101 or from 29 to 31, and no value or pair of them turns
        // there. The stride, larger than any of them, keeps the output at 1 position. Sizes refused, sizes answered as compiled.
        String[][] cases = {
            {"input.L * input.L - 100 * input.L + 4999", "99,100,101,120", "98,90,70"},
            {"input.L * input.L - 30 * input.L + 449", "29,30,31,28", "32,40,70"},
        };
        for (String[] c : cases) {
            String fields = "@Conv1d(cout = 4, with = \"k = input.L + 2, dilation = input.L, padding = " + c[0] + ", stride = 2 * input.L * input.L "
                    + "+ 1000\") Layer conv; @Linear(out = 4) Layer l;";
            Compilation sized = compiled(model("@Model(input = {4, 64}, layout = \"C,L\", sizes = \"L\")", fields));
            java.lang.reflect.Method at = ModelSources.classes(sized).loadClass("test.NetCost").getMethod("at", int.class);
            for (String hole : c[1].split(",")) {
                assertTrue(assertThrows(java.lang.reflect.InvocationTargetException.class, () -> at.invoke(null, Integer.parseInt(hole))).getCause()
                        instanceof IllegalArgumentException, c[0] + " at(" + hole + ")");
            }
            for (String size : c[2].split(",")) {
                Object figures = at.invoke(null, Integer.parseInt(size));
                Compilation fixed = compiled(model("@Model(input = {4, " + size + "}, layout = \"C,L\")", fields));
                assertEquals(constant(fixed, "test.NetCost", "MACS"), figures.getClass().getMethod("macs").invoke(figures), c[0] + " at " + size);
            }
        }
        // one value alone that reads the size, not a line, against an input that grows by 300 a size: at dilation 3 the window
        // passes the padded input by 3·(L - 100)² - 2 at L = 100 alone, and no pair of the values turns there (a convolution's and a
        // max pooling's rule alike)
        String kernel = "k = 100 * input.L + 100 - (input.L - 100) * (input.L - 100)";
        for (String layer : new String[] {"@Conv1d(cout = 4, dilation = 3, stride = 1_000_000_000, with = \"" + kernel + "\") Layer w;",
            "@MaxPool1d(dilation = 3, stride = 1_000_000_000, with = \"" + kernel + "\") Layer w;"}) {
            String fields = "@Linear(with = \"out = 300 * input.L + 296\") Layer lin; " + layer + " @Linear(out = 4) Layer l;";
            Compilation sized = compiled(model("@Model(input = {4, 64}, layout = \"C,L\", sizes = \"L\")", fields));
            java.lang.reflect.Method at = ModelSources.classes(sized).loadClass("test.NetCost").getMethod("at", int.class);
            assertTrue(assertThrows(java.lang.reflect.InvocationTargetException.class, () -> at.invoke(null, 100)).getCause()
                    instanceof IllegalArgumentException, layer);
            Object figures = at.invoke(null, 99);
            assertEquals(constant(compiled(model("@Model(input = {4, 99}, layout = \"C,L\")", fields)), "test.NetCost", "MACS"),
                    figures.getClass().getMethod("macs").invoke(figures), layer);
        }
        // 20 such layers, each 2 positions shorter than the one before, so no two alike: each is run at 131,072 / 20 = 6,553 sizes
        // at most, up to 63 of them below the declared 64, and the range ends above where the runs stop, from 64 + 6,553 - 63 = 6,554
        // to 64 + 6,553 = 6,617
        String repeated = "@Repeat(20) B b; @Linear(out = 4) Layer l; @Block public static class B { @Conv1d(cout = 4, with = \"k = 3, "
                + "dilation = input.L, padding = input.L - 1\") Layer c; }";
        Compilation sized = compiled(model("@Model(input = {4, 64}, layout = \"C,L\", sizes = \"L\")", repeated));
        String generated = ModelSources.generated(sized, "test.NetCost");
        java.util.regex.Matcher end = java.util.regex.Pattern.compile("(\\d+), \"L = (\\d+): a layer that uses values that read the size is run "
                + "by its rule at 131,072 sizes").matcher(generated);
        assertTrue(end.find(), generated);
        int largest = Integer.parseInt(end.group(1));
        assertTrue(largest >= 6554 && largest <= 6617 && Integer.parseInt(end.group(2)) == largest + 1, generated);
        java.lang.reflect.Method at = ModelSources.classes(sized).loadClass("test.NetCost").getMethod("at", int.class);
        assertTrue(assertThrows(java.lang.reflect.InvocationTargetException.class, () -> at.invoke(null, largest + 1)).getCause()
                instanceof IllegalArgumentException);
        Object figures = at.invoke(null, 100);
        assertEquals(constant(compiled(model("@Model(input = {4, 100}, layout = \"C,L\")", repeated)), "test.NetCost", "MACS"),
                figures.getClass().getMethod("macs").invoke(figures));
    }

    @Test
    void aTestOfSeveralSizesBeforeALayerThatMakesAnAxisFallIsAnsweredAsCompiled() throws ReflectiveOperationException {
        // The pad to a multiple of 7 (Swin's) moves either way with W and H, so a test of x.H + x.W after it is refused; before it, the
        // test reads the tensors the first convolution made, which grow with each size, and the box respects it.
        String fields = "@Conv2d(cout = 8, k = 3, padding = 1) Layer a; @When(\"x.H + x.W > 70\") @Conv2d(cout = 8, k = 3, padding = 1) Layer b; "
                + "@Pad(with = \"pad = [0, (7 - x.W % 7) % 7, 0, (7 - x.H % 7) % 7]\") Layer p; @Conv2d(cout = 8, k = 7, stride = 7) Layer c;";
        Compilation sized = compiled(model("@Model(input = {3, 64, 40}, sizes = {\"H\", \"W\"})", fields));
        java.lang.reflect.Method at = ModelSources.classes(sized).loadClass("test.NetCost").getMethod("at", int.class, int.class);
        for (int[] size : new int[][] {{72, 46}, {112, 28}, {104, 52}}) {
            Object figures = at.invoke(null, size[0], size[1]);
            Compilation fixed = compiled(model("@Model(input = {3, " + size[0] + ", " + size[1] + "})", fields));
            assertEquals(constant(fixed, "test.NetCost", "MACS"), figures.getClass().getMethod("macs").invoke(figures), "MACs at " + Arrays.toString(size));
        }
    }

    @Test
    void aWhenThatReadsTheBatchOrComparesTwoSizesIsRefused() {
        Compilation batch = compiled(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\", \"batch\"})",
                "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer d; @When(\"batch > 0\") @ReLU Layer relu;"));
        assertNull(program(batch, List.of("H", "W", "batch")));
        assertTrue(refusal(batch).startsWith("reads the sizes in an expression, @When(\"batch > 0\") of relu (the batch, no tensor's axis), which can "
                + "change a block or a step with them"), refusal(batch));
        // x.H - x.W != 16 turns on a line of sizes, which no box around the declared ones keeps clear of, and which passes between the
        // sizes the closed forms of H and W are checked at: an error. x.H - input.H, two sizes of H alone, leaves no program.
        String line = model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\"})", "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer d;",
                "@When(\"x.H - x.W != 16\") @ReLU Layer relu;");
        ModelSources.expectOnly(line, "[MC419] the costs have no closed form in H with @When(\"x.H - x.W != 16\") of relu: it compares sizes that "
                + "follow H and W together, so that it can change along a line of sizes that passes between every size the forms are sampled "
                + "and checked at", "@Model", ModelSources.columnOf(line, "@Model", "\"H\""));
        assertTrue(ModelSources.compile(ModelSources.source("test.Net", line)).errors().get(0).getMessage(java.util.Locale.ROOT)
                .contains("(fix: remove W from @Model(sizes);"));
        // x.L != 64 equates one size, but the tokens of a map of T, H and W: it turns on a surface of them, as x.H - x.W does on a line.
        String tokens = model("@Model(input = {2, 8, 16, 16}, sizes = {\"T\", \"H\", \"W\"})", "@Conv3d(cout = 4, k = 3, stride = 2, padding = 1) Layer c;",
                "@Reshape(layout = \"C,L\", with = \"shape = [x.C, x.T * x.H * x.W]\") Layer flat; @Transpose(dim0 = 1, dim1 = 2) Layer tok;",
                "@When(\"x.L != 64\") @Linear(out = 4) Layer extra;");
        ModelSources.expectOnly(tokens, "[MC419] the costs have no closed form in T with @When(\"x.L != 64\") of extra: it compares sizes that "
                + "follow T and H and W together", "@Model", ModelSources.columnOf(tokens, "@Model", "\"T\""));
        // x.H * x.W > 100 is an order, which turns across a region whose edge the forms' checks meet: no program, but forms.
        Compilation order = compiled(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\"})",
                "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer d;", "@When(\"x.H * x.W > 100\") @ReLU Layer relu;"));
        assertNull(program(order, HW));
        assertTrue(refusal(order).endsWith("of relu compares several sizes together, which can turn at sizes no box around the declared "
                + "ones keeps"), refusal(order));
        Compilation oneVariable = compiled(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\"})",
                "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer d;", "@When(\"x.H * 2 - input.H != 40\") @ReLU Layer relu;"));
        assertNull(program(oneVariable, HW));
        assertEquals("has sizes that no program follows through its layers: @When(\"x.H * 2 - input.H != 40\") of relu compares several sizes "
                + "together, which can turn at sizes no box around the declared ones keeps", refusal(oneVariable));
    }

    @Test
    void aParameterGivenByDefaultIsFollowedOnlyWhereItIsAnIntOfAUseThatTakesTheDefault() {
        // One use passes padB, the other takes its default on the same input: their analyses are not shared, so the second follows
        // the default's pad.
        String fields = "@Args(\"padB = 0\") B b1; @From(\"input\") B b2; @Conv2d(cout = 4, k = 1) Layer head;"
                + " @Block public static class B { @Param(expr = \"(8 - input.H % 8) % 8\") int padB; @Pad(with = \"pad = [0, 0, 0, padB]\") Layer pad;"
                + " @Conv2d(cout = 8, k = 3, padding = 1) Layer c; }";
        SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{33, 32}, {37, 40}, {88, 41}}) {
            compareAt(program, "", fields, sizes);
        }
        // A decimal default converts its value, which written out in an attribute it would not: no program, saying so.
        Compilation decimal = compiled(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", "B b; @Conv2d(cout = 4, k = 1) Layer head;",
                "@Block public static class B { @Param(expr = \"input.H\") double hd;",
                "@Pad(with = \"pad = [0, 0, 0, int(ceil(hd / 8)) * 8 - input.H]\") Layer pad; @Conv2d(cout = 8, k = 3, padding = 1) Layer c; }"));
        assertNull(program(decimal, HW));
        assertTrue(refusal(decimal).startsWith("reads the sizes in an expression, @Param hd = \"input.H\" of"), refusal(decimal));
    }

    @Test
    void aStepWhoseLiveBytesTakeAnotherFormWherePadsAre0LeavesNoProgram() {
        // Windows of 7 and of 5, each padded to and cropped back, declared at 140 x 140 (a map of 35 x 35, both pads 0): where a pad is
        // 0 its crop is a contiguous view, which the Linear after it reads as it is; elsewhere a view that Linear copies. The sizes
        // the program is solved at hold both forms, and the solve gives a step a negative multiple of a tensor's size (at 336 x 224
        // the peak came out 1,857,024 where the model compiled there holds 2,132,736): no program, saying why.
        String fields = "@Conv2d(cout = 16, k = 4, stride = 4) Layer patch; @Permute(dims = {0, 2, 3, 1}) Layer nhwc;"
                + " @Args(\"window = 7\") Win b7; @Args(\"window = 5\") Win b5;"
                + " @Block public static class Win { @Param int window;"
                + " @Pad(with = \"pad = [0, 0, 0, (window - input.W % window) % window, 0, (window - input.H % window) % window]\") Layer pad;"
                + " @Reshape(layout = \"A,P,B,Q,C\", with = \"shape = [pad.H / window, window, pad.W / window, window, in]\") Layer part;"
                + " @Permute(dims = {0, 1, 3, 2, 4, 5}) Layer perm; @Reshape(layout = \"N,L,C\", with = \"shape = [-1, window * window, in]\") Layer windows;"
                + " @Reshape(layout = \"A,B,P,Q,C\", with = \"shape = [pad.H / window, pad.W / window, window, window, in]\") Layer unpart;"
                + " @Permute(dims = {0, 1, 3, 2, 4, 5}) Layer unperm; @Reshape(layout = \"H,W,C\", with = \"shape = [pad.H, pad.W, in]\") Layer map;"
                + " @Slice(dim = 1, with = \"end = input.H\") Layer crop_h; @Slice(dim = 2, with = \"end = input.W\") Layer crop_w;"
                + " @Linear(with = \"out = in\") Layer back; @Add({\"input\", \"back\"}) Layer res; }";
        Compilation compilation = compiled(model("@Model(input = {3, 140, 140}, sizes = {\"H\", \"W\"})", fields));
        assertNull(program(compilation, HW));
        assertTrue(refusal(compilation).contains("runs with a negative multiple of a tensor's size, which no step holds: they take another form at "
                + "some of the sizes solved at"), refusal(compilation));
    }

    @Test
    void aConditionThatFailsInABranchNotTakenLeavesTheFixedModelAlone() {
        // exact(input.H, 3) fails at 32, inside the branch input.H % 3 == 0 does not take: the model compiles, as PyTorch runs it.
        Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", model("@Model(input = {8, 32, 32})",
                "@Pad(with = \"pad = [0, 0, 0, input.H % 3 == 0 ? (exact(input.H, 3) > 10 ? 1 : 0) : 0]\") Layer pad;",
                "@Conv2d(cout = 4, k = 1) Layer head;")));
        assertEquals(Compilation.Status.SUCCESS, compilation.status(), compilation.diagnostics().toString());
    }

    @Test
    void aWhenThatTurnsAtOnePointOfTwoSizesKeepsBothBelowIt() {
        // x.H != 40 || x.W != 40 fails at 40 x 40 alone: each comparison keeps its value below 40, so the program answers there and
        // refuses 40 rows or 40 columns, where the model compiled at 79 x 79 (40 x 40) takes other steps.
        String fields = "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer d; @When(\"x.H != 40 || x.W != 40\") @MaxPool2d(k = 2) Layer pool;"
                + " @Conv2d(cout = 2, k = 1) Layer head;";
        SizeProgram program = followed(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        for (int[] sizes : new int[][] {{77, 77}, {65, 3}, {9, 41}}) {
            compareAt(program, "", fields, sizes);
        }
        assertThrows(SizeProgram.StepsDiffer.class, () -> program.at(79, 79));
        assertThrows(SizeProgram.StepsDiffer.class, () -> program.at(79, 3));
        // On the lattice of 16 the closed forms answer, and the generated at(...) keeps them to where every test holds as declared
        // too: 80 x 80 (40 x 40, where the pool is absent) is refused, 48 x 48 answered.
        Compilation compilation = compiled(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", fields));
        java.lang.reflect.Method at;
        try {
            at = ModelSources.classes(compilation).loadClass("test.NetCost").getMethod("at", int.class, int.class);
            at.invoke(null, 48, 48);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        java.lang.reflect.InvocationTargetException refused = assertThrows(java.lang.reflect.InvocationTargetException.class,
                () -> at.invoke(null, 80, 80));
        assertTrue(refused.getCause() instanceof SizeProgram.StepsDiffer, String.valueOf(refused.getCause()));
    }

    @Test
    void declaredJustBelowAShiftTheFormsAreEstablishedPastItAndTheDeclaredSizesKeepTheirFigures() {
        // The shifted-window block declared at 28 x 28, a map of 7 x 7: one window covers it, so the shift is off; from 32 x 32 (8 x 8)
        // it is on. No lattice through 28 holds on both sides, so the forms and the program are established at 56 x 56, past the turn
        // of both sizes, and at(28, 28) gives the declared sizes' own figures.
        String fields = "@Conv2d(cout = 8, k = 4, stride = 4) Layer patch; @Permute(dims = {0, 2, 3, 1}) Layer nhwc;"
                + " @Args(\"c = 8, shift = 0\") Win block0; @Args(\"c = 8, shift = 3\") Win block1;" + SHIFTED;
        Compilation compilation = compiled(model("@Model(input = {3, 28, 28}, sizes = {\"H\", \"W\"})", fields));
        assertEquals(Compilation.Status.SUCCESS, compilation.status(), compilation.diagnostics().toString());
        String generated = ModelSources.generated(compilation, "test.NetCost");
        assertTrue(generated.contains("SizeDomain.of(\"Net\", \"H\", 28, 28, 56, "), generated);
        assertTrue(generated.contains("the forms were established past it, at H = 56, W = 56, and hold from there"), generated);
        SizeProgram program = program(compilation, HW);
        assertTrue(program != null, refusal(compilation));
        for (int[] sizes : new int[][] {{56, 56}, {57, 61}, {33, 40}, {100, 57}}) {
            compareAt(program, "", fields, sizes);
        }
        java.lang.reflect.Method at;
        Object declared;
        try {
            at = ModelSources.classes(compilation).loadClass("test.NetCost").getMethod("at", int.class, int.class);
            declared = at.invoke(null, 28, 28);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        // MACs by hand at 28 x 28: the patch embedding 7 x 7 positions · 8 channels · 48 (18,816); each block one window of 49 tokens,
        // its scores and mixing 2 · 49 · 49 · 8 (38,416) and its projection 49 · 8 · 8 (3,136): 101,920, the declared constant.
        assertTrue(declared.toString().contains("macs=101920,"), declared.toString());
        assertEquals(101_920L, constant(compilation, "test.NetCost", "MACS"));
        // At 56 x 28 the shift along W is off, as at the declared sizes, and on at the sizes the program was established at: refused.
        java.lang.reflect.InvocationTargetException refused = assertThrows(java.lang.reflect.InvocationTargetException.class,
                () -> at.invoke(null, 56, 28));
        assertTrue(refused.getCause() instanceof SizeProgram.StepsDiffer, String.valueOf(refused.getCause()));
        assertTrue(refused.getCause().getMessage().contains("reads input.W = 7, and holds as at H = 56, W = 56, where the program was "
                + "established past a test that turns just above the declared sizes, only where it is from 8 up"), refused.getCause().getMessage());
        // A range that leaves W at its declared 28 is refused (MC140), naming the turn.
        javax.tools.JavaFileObject rangedFile = ModelSources.source("test.Net", model("@Model(input = {3, 28, 28}, sizes = {\"H\", \"W\"})"
                + " @Budget(maxMacs = 100000000, over = \"H = 56..112 step 28\")", fields));
        Compilation ranged = ModelSources.compile(rangedFile);
        com.google.testing.compile.CompilationSubject.assertThat(ranged).hadErrorContaining("[MC140] @Budget(over = \"H = 56..112 step 28\") "
                + "leaves W at its declared 28, where the closed forms do not hold: they were established past a test that turns just above "
                + "the declared sizes (the test at block1 @Param shiftH turns between H = 28 and H = 56").inFile(rangedFile).onLineContaining("@Budget");
    }

    @Test
    void aRangeThroughDeclaredSizesBelowATurnTakesTheirOwnFigures() {
        // An extra layer from 5 rows of c on (H = 20, after a stride of 4), declared at 16 (4 rows): established at 20 x 16. A range
        // from the declared sizes takes their own figures there, then the program's: MACs by hand at 16 x 16, c 16 positions · 4 · 48
        // (3,072) and the head 16 · 8 (128), 3,200 within 4,000; at 20 x 16, c 20 · 4 · 48 (3,840), the extra 20 · 4 · 36 (2,880) and
        // the head 20 · 8 (160), 6,880: the first size that breaks it.
        String fields = "@Conv2d(cout = 4, k = 4, stride = 4) Layer c; @When(\"c.H > 4\") @Conv2d(cout = 4, k = 3, padding = 1) Layer extra;"
                + " @Conv2d(cout = 2, k = 1) Layer head;";
        javax.tools.JavaFileObject broken = ModelSources.source("test.Net", model("@Model(input = {3, 16, 16}, sizes = {\"H\", \"W\"})"
                + " @Budget(maxMacs = 4000, over = \"H = 16..24 step 4, W = 16\")", fields));
        com.google.testing.compile.CompilationSubject.assertThat(ModelSources.compile(broken)).hadErrorContaining("[MC420] MACS = 6,880 at "
                + "H = 20, W = 16 exceeds the budget maxMacs = 4,000 by 72.0%, the first size of over").inFile(broken).onLineContaining("@Budget");
        // 17 x 16 has 4 rows too, the extra layer absent: not what the program follows, and the range says so.
        javax.tools.JavaFileObject between = ModelSources.source("test.Net", model("@Model(input = {3, 16, 16}, sizes = {\"H\", \"W\"})"
                + " @Budget(maxMacs = 4000, over = \"H = 16..17, W = 16\")", fields));
        com.google.testing.compile.CompilationSubject.assertThat(ModelSources.compile(between)).hadErrorContaining("[MC140] @Budget(over = "
                + "\"H = 16..17, W = 16\") takes H = 17, W = 16, where Net at H = 17, W = 16: @When(\"c.H > 4\") of extra reads c.H = 4, and holds "
                + "as at H = 20, W = 16, where the program was established past a test that turns just above the declared sizes, only where it "
                + "is from 5 up").inFile(between).onLineContaining("@Budget");
    }
}
