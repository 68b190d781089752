package dev.modelcost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading and running size programs: shape rules, merges, figures and their maxima, and what is refused. */
class SizeProgramTest {
    private static final List<String> HW = List.of("H", "W");

    /**
     * A 3x3 convolution of stride 2 and padding 1 on H and W (PyTorch: floor((x + 2 - 3) / 2) + 1, so
     * 1 for x = 1 and 2, then one more every 2), 64 output channels, flattened to a vector: its MACs are
     * 64·3·3·3 per output position, and the flatten's length 64·h·w.
     */
    private static final String CONV = String.join("\n",
            "dim\tmap\t0\t1\t2\t1\t1,1\tconv (Conv2d)\tH",
            "dim\tmap\t1\t1\t2\t1\t1,1\tconv (Conv2d)\tW",
            "dim\tmul\t64\t2,3",
            "basis\t",
            "basis\t2,3",
            "output\t#4",
            "figure\tMACS\t1\t0,1728",
            "figure\tPARAMS\t1\t1792,0",
            "figure\tPEAK\t1\t0,256",
            "figure\tPEAK\t2\t100000,0");

    @Test
    void aProgramFollowsTheFloorsOfItsShapeRules() {
        SizeProgram program = SizeProgram.parse("Net", HW, CONV);
        assertEquals(List.of("MACS", "PARAMS", "PEAK"), program.figures());
        // 299 x 301: 150 x 151 output positions (floor(298 / 2) + 1 = 150, floor(300 / 2) + 1 = 151).
        long[] at = program.at(299, 301);
        assertEquals(1728L * 150 * 151, at[0]);
        assertEquals(1792L, at[1]);
        assertEquals(256L * 150 * 151, at[2]);
        assertEquals(64L * 150 * 151, at[3]);
        // 1 x 2: one position each way; the peak's second part, 100,000 / 2, is the larger there.
        assertArrayEquals(new long[] {1728, 1792, 50_000, 64}, program.at(1, 2));
        assertArrayEquals(new BigInteger[] {BigInteger.ONE, BigInteger.valueOf(150 * 151)}, program.monomials(299, 301));
    }

    @Test
    void aProgramAnswersBetweenItsFromAndToSizesOnly() {
        SizeProgram program = SizeProgram.parse("Net", HW, CONV + "\nfrom\t0\t10\ta turn below\nto\t0\t97\ta value of H turns at 98");
        // By hand at 97 x 301: floor(96 / 2) + 1 = 49 and 151 positions.
        assertEquals(1728L * 49 * 151, program.at(97, 301)[0]);
        IllegalArgumentException above = assertThrows(IllegalArgumentException.class, () -> program.at(98, 301));
        assertEquals("Net: H = 98 is above 97, the largest size its size program answers (a value of H turns at 98)", above.getMessage());
        IllegalArgumentException below = assertThrows(IllegalArgumentException.class, () -> program.at(9, 301));
        assertEquals("Net: H = 9 is below 10, the smallest size its size program answers (a turn below)", below.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SizeProgram.parse("Net", HW, CONV + "\nto\t2\t97\tno such variable"));
    }

    @Test
    void aFigureMarkedSmallestTakesTheLeastOfItsParts() {
        // An embedding of 10 rows of 8 fp32 features reads its L rows (32 bytes each) or at most its table (320 bytes), beside 100 bytes
        // and 4 per position of everything else: BYTES = 100 + 4·L + min(32·L, 320), its parts written in either order.
        for (String order : List.of("figure\tBYTES\t1\t100,36\nfigure\tBYTES\t1\t420,4\nsmallest\tBYTES",
                "smallest\tBYTES\nfigure\tBYTES\t1\t420,4\nfigure\tBYTES\t1\t100,36")) {
            SizeProgram program = SizeProgram.parse("Net", List.of("L"), "basis\t\nbasis\t0\n" + order);
            assertEquals(100L + 4 * 6 + 32 * 6, program.at(6)[0]);
            assertEquals(100L + 4 * 10 + 320, program.at(10)[0]);
            assertEquals(100L + 4 * 25 + 320, program.at(25)[0]);
        }
        // Without the mark, the parts make a maximum.
        assertEquals(100L + 4 * 25 + 32 * 25, SizeProgram.parse("Net", List.of("L"), "basis\t\nbasis\t0\nfigure\tBYTES\t1\t100,36\n"
                + "figure\tBYTES\t1\t420,4").at(25)[0]);
    }

    @Test
    void aLayerWithoutOutputAndAMismatchedMergeNameTheLayer() {
        // A 5-wide valid convolution needs 5 positions; an addition of its output and a 1x1 stride-2 branch must match.
        String text = String.join("\n",
                "dim\tmap\t0\t5\t1\t1\t1\tblock.conv (Conv2d)\tH",
                "dim\tmap\t0\t1\t2\t1\t1,1\tblock.down (Conv2d)\tH",
                "equal\t1\t2\tblock.add (Add)\tH",
                "basis\t1",
                "figure\tOTHER_OPS\t1\t3");
        SizeProgram program = SizeProgram.parse("Net", List.of("H"), text);
        // At 8 both give 4 positions (8 - 5 + 1 and floor(7 / 2) + 1); at 7 they give 3 and 4.
        assertEquals(3L * 4, program.at(8)[0]);
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> program.at(4));
        assertEquals("Net does not exist at H = 4: block.conv (Conv2d) gets 4 positions on its H axis, where it takes 5 or more",
                small.getMessage());
        IllegalArgumentException apart = assertThrows(IllegalArgumentException.class, () -> program.at(7));
        assertEquals("Net does not exist at H = 7: block.add (Add) merges inputs of 3 and 4 positions on its H axis", apart.getMessage());
        assertThrows(IllegalArgumentException.class, () -> program.at(0));
        assertThrows(IllegalArgumentException.class, () -> program.at(7, 7));
    }

    @Test
    void sizesWhereAWhenMayNotHoldAsDeclaredAreRefused() {
        // CONV's output rows (dimension 2) read by a @When that holds as declared from 8 to 40 rows, its columns (3) from 8 up: at
        // 15 x 15 the convolution gives 8 x 8 (floor(14 / 2) + 1); at 79 x 1999, 40 x 1000; at 13 x 99, 7 rows; at 81 x 99, 41; at
        // 39 x 13, 20 rows and 7 columns.
        SizeProgram program = SizeProgram.parse("Net", HW, CONV + "\nwhen\t2\t8\t40\t@When(\"x.H > 7\") of b.roll\tx.H"
                + "\nwhen\t3\t8\t0\t@When(\"x.H > 7\") of b.roll\tx.W");
        assertEquals(1728L * 8 * 8, program.at(15, 15)[0]);
        assertEquals(1728L * 40 * 1000, program.at(79, 1999)[0]);
        SizeProgram.StepsDiffer below = assertThrows(SizeProgram.StepsDiffer.class, () -> program.at(13, 99));
        assertEquals("Net at H = 13, W = 99: @When(\"x.H > 7\") of b.roll reads x.H = 7, and holds as at the declared sizes only where it is "
                + "from 8 to 40, so that the network may take other steps here than its size program follows; compile the model at these "
                + "sizes", below.getMessage());
        SizeProgram.StepsDiffer above = assertThrows(SizeProgram.StepsDiffer.class, () -> program.at(81, 99));
        assertTrue(above.getMessage().contains("reads x.H = 41,"), above.getMessage());
        SizeProgram.StepsDiffer columns = assertThrows(SizeProgram.StepsDiffer.class, () -> program.at(39, 13));
        assertTrue(columns.getMessage().contains("reads x.W = 7, and holds as at the declared sizes only where it is from 8 up"),
                columns.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SizeProgram.parse("Net", HW, CONV + "\nwhen\t9\t8\t0\tw\tx.H"));
        // checkTests refuses the same, and nothing else: 1 x 1 gives 1 row, below the box.
        program.checkTests(15, 15);
        assertThrows(SizeProgram.StepsDiffer.class, () -> program.checkTests(13, 99));
        assertThrows(SizeProgram.StepsDiffer.class, () -> program.checkTests(1, 1));
        // Followed up to 40 only, its numbers bounding no turn there: said so.
        SizeProgram followed = SizeProgram.parse("Net", HW, CONV + "\nwhen\t2\t1\t40\t@When(\"x.H != 99\") of b.roll\tx.H\tfollowed");
        assertTrue(assertThrows(SizeProgram.StepsDiffer.class, () -> followed.at(81, 99)).getMessage().contains(
                "reads x.H = 41, and holds as at the declared sizes where it is from 1 to 40, as far as it was followed,"));
    }

    @Test
    void aProgramEstablishedAtOtherSizesSaysSoWhereATestRefuses() {
        // Established at 64 x 64 past a test that turns just above the declared sizes: the boxes hold around those sizes.
        SizeProgram program = SizeProgram.parse("Net", HW, CONV + "\nwhen\t2\t8\t0\t@When(\"x.H > 7\") of b.roll\tx.H\nestablished\t64,64");
        assertEquals(1728L * 8 * 8, program.at(15, 15)[0]);
        assertEquals("Net at H = 13, W = 99: @When(\"x.H > 7\") of b.roll reads x.H = 7, and holds as at H = 64, W = 64, where the program "
                + "was established past a test that turns just above the declared sizes, only where it is from 8 up, so that the network may "
                + "take other steps here than its size program follows; compile the model at these sizes",
                assertThrows(SizeProgram.StepsDiffer.class, () -> program.at(13, 99)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> SizeProgram.parse("Net", HW, CONV + "\nestablished\t64"));
    }

    @Test
    void aNormGivenOneValuePerChannelInTrainingIsRefused() {
        // CONV, then a batch norm in training at a batch of 1: it takes at least 2 values per channel, 1 · h · w of them. At 1 x 2 and
        // 2 x 2 the convolution gives 1 x 1 (floor((x - 1) / 2) + 1 = 1): refused; at 3 x 2 it gives 2 x 1, which trains.
        SizeProgram program = SizeProgram.parse("Net", HW, CONV + "\nleast\t1\t2,3\t2\tbn (BatchNorm2d)\tvalue per channel\ttraining");
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> program.at(2, 2));
        assertEquals("Net cannot train at H = 2, W = 2: bn (BatchNorm2d) has 1 value per channel in training, fewer than the 2 PyTorch takes",
                one.getMessage());
        assertThrows(IllegalArgumentException.class, () -> program.at(1, 2));
        assertEquals(1728L * 2, program.at(3, 2)[0]);
        // Where a later layer has no output, the network does not exist, which is said first: a 5-wide valid convolution of the
        // batch norm's 1 x 1 map at 2 x 2.
        SizeProgram later = SizeProgram.parse("Net", HW, String.join("\n",
                "dim\tmap\t0\t1\t2\t1\t1,1\tconv (Conv2d)\tH",
                "dim\tmap\t1\t1\t2\t1\t1,1\tconv (Conv2d)\tW",
                "least\t1\t2,3\t2\tbn (BatchNorm2d)\tvalue per channel\ttraining",
                "dim\tmap\t2\t5\t1\t1\t1\tconv2 (Conv2d)\tH",
                "basis\t",
                "figure\tPARAMS\t1\t1792"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> later.at(2, 2));
        assertEquals("Net does not exist at H = 2, W = 2: conv2 (Conv2d) gets 1 position on its H axis, where it takes 5 or more", none.getMessage());
        assertEquals(1792L, later.at(9, 2)[0]);
        // Not marked as training: an instance norm without running statistics, refused at inference too, where the network does not
        // exist.
        SizeProgram eval = SizeProgram.parse("Net", HW, CONV + "\nleast\t1\t2,3\t2\tin (InstanceNorm2d)\tspatial element per channel");
        assertEquals("Net does not exist at H = 1, W = 2: in (InstanceNorm2d) has 1 spatial element per channel, fewer than the 2 PyTorch "
                + "takes", assertThrows(IllegalArgumentException.class, () -> eval.at(1, 2)).getMessage());
        // A batch of 2 reaches the 2 alone, at 1 x 1 too.
        SizeProgram two = SizeProgram.parse("Net", HW, CONV + "\nleast\t2\t2,3\t2\tbn (BatchNorm2d)\tvalue per channel\ttraining");
        assertEquals(1728L, two.at(1, 1)[0]);
    }

    @Test
    void aFigureBeyond64BitsOrNoIntegerIsRefused() {
        SizeProgram program = SizeProgram.parse("Net", List.of("L"), "basis\t0\nfigure\tBIG\t1\t9223372036854775807");
        assertEquals(Long.MAX_VALUE, program.at(1)[0]);
        assertThrows(ArithmeticException.class, () -> program.at(2));
        SizeProgram half = SizeProgram.parse("Net", List.of("L"), "basis\t0\nfigure\tHALF\t2\t1");
        assertEquals(2L, half.at(4)[0]);
        assertThrows(ArithmeticException.class, () -> half.at(3));
    }

    @Test
    void aSizeWhereATieDoesNotHoldIsRefused() {
        // A rule that gives L at odd L and L + 1 at even L (offsets 1 and 3 from 1, every 2 sizes 2 more), whose product the figures
        // were solved without: tied to L, which holds at odd L only.
        SizeProgram program = SizeProgram.parse("Net", List.of("L"), String.join("\n", "dim\tmap\t0\t1\t2\t2\t1,3\tpad (ConstantPad1d)\tL",
                "basis\t0", "basis\t1", "tie\t1\t1,-1", "figure\tMACS\t1\t3,0"));
        assertEquals(15L, program.at(5)[0]);
        assertEquals(3L, program.at(1)[0]);
        assertTrue(program.determines(5));
        assertFalse(program.determines(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> program.at(4));
        assertEquals("Net: its size program does not answer at L = 4, where the product of pad (ConstantPad1d)'s output sizes differs from the "
                + "combination of other products it equals at every size the processor tried, and the figures were solved without it; compile "
                + "the model at these sizes", e.getMessage());
    }

    @Test
    void aMalformedProgramIsRefused() {
        for (String text : List.of("dim\tmap\t5\t1\t1\t1\t1\tx\tH", "basis\t0\nfigure\tX\t1\t1,2", "figure\tX\t0\t", "dim\tmap\t0\t1\t2\t1\t1\tx\tH",
                "nothing\t1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SizeProgram.parse("Net", List.of("L"), text), text);
            assertTrue(e.getMessage().startsWith("Net: not a size program: "), e.getMessage());
        }
        // a tie or a figure with a coefficient per monomial but one, also where a monomial follows it; a tie of a monomial not there
        for (String[] text : new String[][] {{"basis\t0\ntie\t0\t1,2", "tie of 2 coefficients for 1 monomials"},
                {"basis\t0\ntie\t0\t1\nbasis\t", "tie of 1 coefficients for 2 monomials"}, {"basis\t0\ntie\t1\t1", "tie of monomial 1 of 1"},
                {"basis\t0\nfigure\tX\t1\t1\nbasis\t", "X: 1 coefficients for 2 monomials"},
                {"basis\t0\nfigure\tX\t1\t1\nsmallest\tY", "smallest of Y, which has no parts"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SizeProgram.parse("Net", List.of("L"), text[0]), text[0]);
            assertEquals("Net: not a size program: " + text[1], e.getMessage());
        }
    }

    @Test
    void aDimensionAbove32BitsIsRefusedAsTheProcessorRefusesIt() {
        // A tensor of 1,000·L positions, the output: fine at L = 2,147,483, refused one size up.
        SizeProgram program = SizeProgram.parse("Net", List.of("L"), String.join("\n", "dim\tmul\t1000\t0", "basis\t", "output\t#1",
                "figure\tMACS\t1\t5"));
        assertEquals(2_147_483_000L, program.at(2_147_483)[1]);
        assertEquals("Net at L = 2147484: a tensor would have 2,147,484,000 positions on an axis, above 2,147,483,647, the largest dimension the "
                + "processor takes (it refuses the model at these sizes)", assertThrows(ArithmeticException.class, () -> program.at(2_147_484)).getMessage());
    }
}
