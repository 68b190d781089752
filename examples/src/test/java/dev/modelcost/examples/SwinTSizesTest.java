package dev.modelcost.examples;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.modelcost.SizeProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Swin-T given sizes at 448 x 448, where torchvision shifts every odd block's windows, the last stage's 14 x 14 map included. Off its
 * lattice (multiples of 224 from 448) its size program follows the pads to a multiple of the window, the shift's roll and mask, whose
 * {@code @When} reads the block's input, the windows' count, a product of the padded map's rows and columns, and the patch merging of
 * odd maps: every figure equals the model compiled at those sizes. Where the last stage's map is one window high or wide, torchvision
 * may drop the shift there, and the program refuses, naming the test. Declared at its native 224 x 224, it gets the same forms and
 * program, established past that turn.
 */
class SwinTSizesTest {
    private static final String DECLARED = "@Model(input = {3, 224, 224})";

    @Test
    void swinTAnswersOffItsLatticeWhereItsShiftHoldsAsDeclared() throws IOException {
        String text = Files.readString(ExampleSources.SOURCES.resolve("SwinT.java"));
        assertTrue(text.contains(DECLARED), "SwinT's @Model");
        Compilation sized = ExampleSources.compile("SwinT", text.replace(DECLARED, "@Model(input = {3, 448, 448}, sizes = {\"H\", \"W\"})"));
        assertThat(sized).succeeded();
        SizeProgram program = ExampleSources.program(ExampleSources.generated(sized, "SwinTCost"), "SwinT", List.of("H", "W"));
        assertNotNull(program, "SwinT has no size program");
        for (long[] size : new long[][] {{449, 450}, {800, 1333}}) {
            Compilation fixed = ExampleSources.compile("SwinT", text.replace(DECLARED, "@Model(input = {3, " + size[0] + ", " + size[1] + "})"));
            assertThat(fixed).succeeded();
            String constants = ExampleSources.generated(fixed, "SwinTCost");
            long[] values = program.at(size);
            List<String> figures = program.figures();
            for (int f = 0; f < figures.size(); f++) {
                assertEquals(ExampleSources.constant(constants, figures.get(f)), values[f], figures.get(f) + " at " + Arrays.toString(size));
            }
            assertEquals(ExampleSources.output(constants).stream().map(Integer::longValue).toList(),
                    Arrays.stream(values, figures.size(), values.length).boxed().toList(), "output at " + Arrays.toString(size));
            assertNotEquals(0L, values[figures.indexOf("OTHER_OPS")]);
        }
        // 300 x 301: the last stage's map is 10 x 10 (the patches' 75 rows halved three times by the merging, which pads odd maps:
        // 75 -> 38 -> 19 -> 10): it answers. 225 x 500 gives it 7 rows (56 -> 28 -> 14 -> 7), one window: refused.
        program.at(300, 301);
        SizeProgram.StepsDiffer covered = assertThrows(SizeProgram.StepsDiffer.class, () -> program.at(225, 500));
        assertTrue(covered.getMessage().startsWith("SwinT at H = 225, W = 500: @When(\"shiftH + shiftW > 0\") of features.7.1.attn.roll reads "
                + "input.H = 7, "), covered.getMessage());

        // Declared at its native 224 x 224, the last stage's map is 7 x 7, one window, and the shift is off: no lattice through 224
        // holds on both sides of the turn, so the forms and the program are established past it, at 448 x 448. They answer as the
        // program declared at 448 does (checked against compiles above), and the declared sizes keep their own figures.
        Compilation native224 = ExampleSources.compile("SwinT", text.replace(DECLARED, "@Model(input = {3, 224, 224}, sizes = {\"H\", \"W\"})"));
        assertThat(native224).succeeded();
        String generated = ExampleSources.generated(native224, "SwinTCost");
        assertTrue(generated.contains("SizeDomain.of(\"SwinT\", \"H\", 224, 224, 448, "), "H's domain");
        assertTrue(generated.contains("the forms were established past it, at H = 448, W = 448"), "at's Javadoc");
        assertTrue(generated.contains("DECLARED_FIGURES = {" + ExampleSources.constant(generated, "MACS") + "L, "), "the declared MACs");
        SizeProgram past = ExampleSources.program(generated, "SwinT", List.of("H", "W"));
        assertNotNull(past, "SwinT at 224 has no size program");
        for (long[] size : new long[][] {{449, 450}, {800, 1333}, {300, 301}}) {
            assertEquals(Arrays.toString(program.at(size)), Arrays.toString(past.at(size)), "at " + Arrays.toString(size));
        }
        assertTrue(assertThrows(SizeProgram.StepsDiffer.class, () -> past.at(225, 500)).getMessage().contains("reads input.H = 7, and holds "
                + "as at H = 448, W = 448, where the program was established past a test that turns just above the declared sizes,"));
    }
}
