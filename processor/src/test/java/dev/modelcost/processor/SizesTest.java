package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.closedForm;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.compile;
import static dev.modelcost.processor.ModelSources.compiled;
import static dev.modelcost.processor.ModelSources.constant;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.model;
import static dev.modelcost.processor.ModelSources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import dev.modelcost.ClosedForm;
import java.math.BigInteger;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Sizes as variables: closed forms derived by hand for small networks, the lattice and the domain
 * the processor finds, ranges of {@code @Budget(over)}, and every diagnostic of sizes.
 */
class SizesTest {
    /** A report of {@code test.Net}: its JSON, Markdown or HTML text. */
    private static String report(Compilation compilation, String extension) {
        return ModelSources.content(compilation.generatedFile(javax.tools.StandardLocation.CLASS_OUTPUT, "META-INF/modelcost/test.Net." + extension)
                .orElseThrow());
    }

    private static String generated(Compilation compilation) {
        return ModelSources.generated(compilation, "test.NetCost");
    }

    /** Asserts where each piece of forms starts, as the generated {@code PIECE_STARTS} lists them ({@code "1L, 5000L"}). */
    private static void assertPieceStarts(Compilation compilation, String starts) {
        assertTrue(generated(compilation).contains("PIECE_STARTS = List.of(" + starts + ");"), generated(compilation));
    }

    /**
     * Why a lattice of period 2 through {@code fallback} was not halved, as a domain's argument ending with its comma: a layer's size
     * along the variable grows by 1 a step of 2 (a stride of 2), which a lattice of period 1 would make half a position.
     */
    private static String oddStep(String name, int fallback) {
        return "\"a layer's size along " + name + " grows by an odd number a step of the lattice " + fallback + " + 2\u00b7k, so that on a lattice "
                + "of half its period it would not grow by a whole number\", ";
    }

    /** The arguments of {@code SizeDomain.of} for the {@code index}-th variable: model, name, default, period, min, ..., max. */
    private static String domain(Compilation compilation, int index) {
        Matcher matcher = Pattern.compile("SizeDomain\\.of\\((.*?\")\\)(?=, SizeDomain\\.of|\\);)").matcher(generated(compilation));
        for (int i = 0; i <= index; i++) {
            assertTrue(matcher.find(), "no domain " + index);
        }
        return matcher.group(1);
    }

    @Test
    void aRangeBelowWhereAFormChangesNamesTheSizeTheFigureAndTheTest() {
        // extra runs below L = 30 only: 256·L MACs more there. Declared at 60, the forms hold from 30 up; at 29 the MACs are 2 x 256 x 29.
        String text = model("@Model(input = {60, 16}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxMacs = 1_000_000_000L, over = \"L = 1..100\")",
                "@Linear(out = 16) Layer fc;", "@When(\"input.L < 30\") @Linear(out = 16) Layer extra;", "@SuppressWarnings(\"MC130\") @Identity Layer id;");
        expectOnly(text, "[MC140] @Budget(over = \"L = 1..100\") takes L where the closed forms do not hold: they hold for L from 30 to "
                + "2,147,483,647 (default 60); below 30, at L = 29 the closed form of MACS changes form: it is 14,848 at L = 29, not the 7,424 of "
                + "the polynomial that holds on the sizes next to it (@When(\"input.L < 30\") of extra compares L with 30): compile the model at "
                + "such a size (fix: keep the range in it)", "@Budget", columnAfter(text, "@Budget", "over = "));
    }

    @Test
    void aRangePastWhereACountersFigureFitsNamesThatFigure() {
        // MultiheadAttention(1024, 8 heads) on L positions, batch 1. ptflops' multihead_attention_counter_hook: 4·L·E² + 5·L·E + L²·(2E + h),
        // and the wrapped torch.bmm and softmax L²·(2E + h) again: 4,199,424·L + 4,112·L², which passes 2^63 - 1 first of every figure
        // above L = 47,360,210 (4,112·47,360,211² + 4,199,424·47,360,211 > 2^63 - 1). The message names the constant that ends the range.
        expectOnly(model("@Model(input = {1024, 1024}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxKvCacheBytes = 1_000_000_000_000L, "
                + "over = \"L = 1..2147483647\")", "@MultiheadAttention(numHeads = 8, batchFirst = true) Layer a;"),
                "[MC140] @Budget(over = \"L = 1..2147483647\") takes L where the closed forms do not hold: they hold for L from 1 to 47,360,210 "
                + "(default 1,024); above 47,360,210, at L = 47360211: [MC401] test.Net: PTFLOPS_MACS, which a class compiled at that size gives as PTFLOPS_MACS_UNAVAILABLE, is too large to "
                + "count exactly", "@Budget",
                columnAfter(model("@Model(input = {1024, 1024}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxKvCacheBytes = 1_000_000_000_000L, "
                + "over = \"L = 1..2147483647\")", "@MultiheadAttention(numHeads = 8, batchFirst = true) Layer a;"), "@Budget", "over = "));
    }

    @Test
    void aBoundBrokenBeforeTheRangeLeavesTheDomainNamesItsFirstBreakingSize() {
        // The same attention: MACS(L) = 4·E²·L + 2·E·L² = 4,194,304·L + 2,048·L² (projections; scores and weighted values). It first
        // passes 10^18 at L = 22,096,063 (1,000,000,005,810,161,664; at 22,096,062 it is 999,999,915,300,495,360), inside the domain,
        // which ends at 47,360,210: that size is the range's first to break the bound, whatever lies past the domain.
        String text = model("@Model(input = {1024, 1024}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxMacs = 1_000_000_000_000_000_000L, "
                + "over = \"L = 1..2147483647\")", "@MultiheadAttention(numHeads = 8, batchFirst = true) Layer a;");
        expectOnly(text, "[MC420] MACS = 1,000,000,005,810,161,664 at L = 22096063 exceeds the budget maxMacs = 1,000,000,000,000,000,000 by less "
                + "than 0.1%, the first size of over = \"L = 1..2147483647\" that breaks it", "@Budget", columnAfter(text, "@Budget", "maxMacs = "));
    }

    @Test
    void twoSwitchesWhoseRangesOverlapBelowTheDefaultEndTheForms() {
        // Both batch norms run for 16 <= L <= 23 (45 parameters: the convolution's 25 and 10 each), one of them below and above
        // (35), so the samples and the ends of the range all see 35. The forms are checked next to 15 and 24 too: they hold from 24.
        String fields = "@Conv1d(cout = 5, k = 1) Layer conv; @When(\"L > 15\") @BatchNorm1d Layer longer; @When(\"L < 24\") @BatchNorm1d Layer shorter;";
        Compilation compilation = compiled(model("@Model(input = {4, 25}, layout = \"C,L\", sizes = \"L\")", fields));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"L\", 25, 1, 24, \"L = 23: the closed form of PARAMS changes form: it is 45 at L = 23"),
                domain(compilation, 0));
        assertEquals(45L, constant(compiled(model("@Model(input = {4, 20}, layout = \"C,L\")",
                fields.replace("\"L > 15\"", "\"input.L > 15\"").replace("\"L < 24\"", "\"input.L < 24\""))), "test.NetCost", "PARAMS"));
        // The same band written on expressions of the size: each comparison is evaluated at every size to find where it turns.
        Compilation shifted = compiled(model("@Model(input = {4, 25}, layout = \"C,L\", sizes = \"L\")", fields.replace("\"L > 15\"", "\"input.L - 1 > 14\"")
                .replace("\"L < 24\"", "\"2 * L < 48\"")));
        assertTrue(domain(shifted, 0).startsWith("\"Net\", \"L\", 25, 1, 24, "), domain(shifted, 0));
        // A budget over the band is then outside the forms' range (MC140), not passed by forms that do not hold there.
        expectOnly(model("@Model(input = {4, 25}, layout = \"C,L\", sizes = \"L\")\n@Budget(maxParams = 40, over = \"L = 1..100\")", fields),
                "[MC140] @Budget(over = \"L = 1..100\") takes L where the closed forms do not hold: they hold for L from 24 to 2,147,483,647 "
                + "(default 25); below 24, L = 23: the closed form of PARAMS changes form", "over = ", 32);
    }

    @Test
    void aBandBetweenSizesOfTheLatticeIsChecked() {
        // A stride-2 convolution puts the sizes on 60 + 2k; the batch norm runs for 17 <= L <= 23, whose ends (16 | 17, 23 | 24)
        // fall between sizes of the lattice: the lattice sizes on both sides of each are checked, 18 and 22 inside the band (48
        // parameters: the convolution's 3 x 4 x 3 + 4 and the norm's 8; 40 outside), so the forms hold from 24.
        String fields = "@Conv1d(cout = 4, k = 3, stride = 2, padding = 1) Layer c0; @When(\"L > 16 && L < 24\") @BatchNorm1d Layer b1;";
        Compilation compilation = compiled(model("@Model(input = {3, 60}, layout = \"C,L\", sizes = \"L\")", fields));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"L\", 60, 2, 24, \"L = 22: the closed form of PARAMS changes form: it is 48"),
                domain(compilation, 0));
        assertEquals(48L, constant(compiled(model("@Model(input = {3, 20}, layout = \"C,L\")", fields.replace("\"L > 16 && L < 24\"",
                "\"input.L > 16 && input.L < 24\""))), "test.NetCost", "PARAMS"));
    }

    @Test
    void aBandOnASizeTheLayersDeriveIsChecked() {
        // The stride-2 convolution gives x.L = floor((L - 1) / 2) + 1 positions, so both batch norms run for 16 <= x.L <= 23, that
        // is 31 <= L <= 46: 56 parameters (the convolution's 3 x 4 x 3 + 4 and the norms' 8 each), 48 below and above. The tests read
        // no size variable; what the samples read of x.L (50, 51, 52, ... a step of the lattice 100 + 2k) places their turns.
        String fields = "@Conv1d(cout = 4, k = 3, stride = 2, padding = 1) Layer c0; @When(\"x.L > 15\") @BatchNorm1d Layer b1; "
                + "@When(\"x.L < 24\") @BatchNorm1d Layer b2;";
        Compilation compilation = compiled(model("@Model(input = {3, 100}, layout = \"C,L\", sizes = \"L\")", fields));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"L\", 100, 2, 48, \"L = 46: the closed form of PARAMS changes form: it is 56 at "
                + "L = 46"), domain(compilation, 0));
        assertEquals(56L, constant(compiled(model("@Model(input = {3, 40}, layout = \"C,L\")", fields)), "test.NetCost", "PARAMS"));
        // The same band above the default (301 <= x.L <= 399, so 601 <= L <= 798) ends the range at 600.
        Compilation above = compiled(model("@Model(input = {3, 100}, layout = \"C,L\", sizes = \"L\")", fields.replace("x.L > 15", "x.L > 300")
                .replace("x.L < 24", "x.L < 400")));
        assertTrue(domain(above, 0).contains(", 600, \"L = 602: "), domain(above, 0));
        // And a band inside an attribute: the second convolution's cout is 5 for 21 <= x.L <= 24, that is 41 <= L <= 48, where its
        // MACs are 5 x 4 x x.L, not 2 x 4 x x.L: the range starts at 50.
        Compilation attribute = compiled(model("@Model(input = {3, 100}, layout = \"C,L\", sizes = \"L\")",
                "@Conv1d(cout = 4, k = 3, stride = 2, padding = 1) Layer c0;", "@Conv1d(k = 1, with = \"cout = x.L > 20 && x.L < 25 ? 5 : 2\") Layer c1;"));
        assertTrue(domain(attribute, 0).startsWith("\"Net\", \"L\", 100, 2, 50, \"L = 48: the closed form of MACS changes form"), domain(attribute, 0));
    }

    @Test
    void aTestOfATensorsSizeEndsThatSizesRangeNotTheBatchs() {
        // Inside a block, the pad to a multiple of 5 reads the remainder of its input's length, a tensor's axis that may reach past
        // 65,536 where the forms are followed (5 * 3,000 * 5 * 5): L's range ends there. No tensor's axis holds the batch, so the
        // batch's range does not.
        String[] fields = {"Padded padded;", "@Conv1d(cout = 4, k = 5, stride = 5) Layer windows;",
                "@Block public static class Padded { @Pad(with = \"pad = [0, (5 - input.L % 5) % 5]\") Layer pad; }"};
        Compilation compilation = compiled(model("@Model(input = {4, 3000}, layout = \"C,L\", sizes = {\"L\", \"batch\"})", fields));
        assertTrue(domain(compilation, 0).contains("(5 - input.L % 5) % 5]\\\" of padded.pad is followed up to 65,536 only"),
                domain(compilation, 0));
        assertTrue(domain(compilation, 1).startsWith("\"Net\", \"batch\", 1, 1, 1, \"\", 2147483647, "), domain(compilation, 1));
    }

    @Test
    void aBandPastTheSizesEveryTestIsFollowedToEndsTheRangeThere() {
        // L / 100000 == 1 switches sw on for 100,000 <= L <= 199,999: 16 x 16 more MACs a position (and 272 parameters). Tests
        // other than a size against a number are evaluated at every size up to 65,536 only, and the checks past the last number
        // (200,000) see sw off, as below: the range ends at 65,536 rather than give the band the forms of sw off.
        String fields = "@Linear(out = 16) Layer proj; @When(\"L / 100000 == 1\") @Linear(out = 16) Layer sw; @Linear(out = 4) Layer head;";
        Compilation compilation = compiled(model("@Model(input = {40, 16}, layout = \"L,D\", sizes = \"L\")", fields));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"L\", 40, 1, 1, \"\", 65536, "), domain(compilation, 0));
        assertTrue(generated(compilation).contains("65536, \"@When(\\\"L / 100000 == 1\\\") of sw is followed up to 65,536 only"),
                generated(compilation));
        // What the forms would have said inside the band: 16·16 + 16·4 MACs a position against 16·16·2 + 16·4 there.
        assertEquals(150_000L * (16 * 16 * 2 + 16 * 4), constant(compiled(model("@Model(input = {150000, 16}, layout = \"L,D\")",
                fields.replace("L / 100000", "input.L / 100000"))),
                "test.NetCost", "MACS"));
        // Two comparisons of a size with numbers written as arithmetic, and a block's test of a parameter given a size, alike.
        Compilation both = compiled(model("@Model(input = {40, 16}, layout = \"L,D\", sizes = \"L\")",
                fields.replace("L / 100000 == 1", "L - 100000 >= 0 && L - 200000 < 0")));
        assertTrue(generated(both).contains(", 65536, \"@When(\\\"L - 100000 >= 0 && L - 200000 < 0\\\") of sw"), generated(both));
        Compilation block = compiled(model("@Model(input = {40, 16}, layout = \"L,D\", sizes = \"L\")", "@Linear(out = 16) Layer proj;",
                "@Args(\"n = L / 100000\") Band band;", "@Linear(out = 4) Layer head;",
                "@Block static class Band { @Param int n; @When(\"n == 1\") @Linear(out = 16) Layer sw; @Identity Layer id; }"));
        assertTrue(generated(block).contains(", 65536, \"@When(\\\"n == 1\\\") of "), generated(block));
        // A budget over the band is outside the range (MC140), not passed by the forms of sw off.
        expectOnly(model("@Model(input = {40, 16}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxMacs = 40_000_000, over = \"L = 1..300000\")", fields),
                "[MC140] @Budget(over = \"L = 1..300000\") takes L where the closed forms do not hold: they hold for L from 1 to 65,536", "@Budget", 38);
        // A product of two size terms turns twice: (L - 150000) * (200000 - L) > 0 is a band from 150,001 to 199,999.
        Compilation product = compiled(model("@Model(input = {40, 16}, layout = \"L,D\", sizes = \"L\")",
                fields.replace("L / 100000 == 1", "(L - 150000) * (200000 - L) > 0")));
        assertTrue(domain(product, 0).startsWith("\"Net\", \"L\", 40, 1, 1, \"\", 65536, "), domain(product, 0));
        // Tests of a tensor's axis (x.L) are bounded by the largest number of a layer (100,000 outputs here), not by where they turn:
        // they do not cut the range. x.L > 4 and x.L < 8 switch a layer on for 5 <= L <= 7, below the declared 16: the forms hold from 8.
        Compilation axes = compiled(model("@Model(input = {16, 16}, layout = \"L,D\", sizes = \"L\")", "@Linear(out = 100000) Layer wide;",
                "@When(\"x.L > 4\") @Linear(out = 16) Layer a;", "@When(\"x.L < 8\") @Linear(out = 16) Layer b;", "@Linear(out = 4) Layer head;"));
        assertTrue(domain(axes, 0).contains(", 2147483647, ") || !domain(axes, 0).contains(", 65536, "), domain(axes, 0));
        // One such comparison turns once: the checks past it find where, and the range is not cut at 65,536. L - 1 > 70000 switches sw
        // on from 70,002.
        Compilation once = compiled(model("@Model(input = {40, 16}, layout = \"L,D\", sizes = \"L\")", fields.replace("L / 100000 == 1", "L - 1 > 70000")));
        assertTrue(domain(once, 0).contains(", 70001, \"L = 70002: ") || generated(once).contains("70002L"), generated(once));
    }

    @Test
    void aConcatenationOfTwoVariableLengthsIsCheckedTogetherAndLeavesEachItsRange() {
        // c1 holds p.L + q.L positions and nothing reads it (extra passes q on while absent); q.L's forms change at 21, where extra
        // turns on. The sum ends the network where it passes 2,147,483,647: at(...) refuses those sizes as the processor does, naming
        // c1, so that q.L keeps its 20 and p.L its 2,147,483,639 (at the default q.L = 8) instead of a box shrunk to keep the corner out.
        Compilation compilation = compiled("package test;\n\nimport dev.modelcost.*;\n\n@Model(inputs = {@Input(name = \"p\", shape = {32, 8}, "
                + "layout = \"L,D\"), @Input(name = \"q\", shape = {8, 8}, layout = \"L,D\")}, sizes = {\"p.L\", \"q.L\"})\n@SuppressWarnings(\"MC130\")\n"
                + "public class Net {\n    @Concat(value = {\"p\", \"q\"}, dim = 1) Layer c1;\n"
                + "    @When(\"q.L > 20\") @From(\"q\") @Linear(out = 4) Layer extra;\n}\n");
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"p.L\", 32, 1, 1, \"\", 2147483639, "), domain(compilation, 0));
        assertTrue(domain(compilation, 1).startsWith("\"Net\", \"q.L\", 8, 1, 1, \"\", 20, \"at p.L = 32, q.L = 21: "), domain(compilation, 1));
        Matcher matcher = Pattern.compile("JOINT_AXES = List\\.of\\(ClosedForm\\.parse\\(\"c1\", SIZE_VARIABLES, \"([^\"]+)\"\\)\\);")
                .matcher(generated(compilation));
        assertTrue(matcher.find(), generated(compilation));
        List<ClosedForm> axes = List.of(ClosedForm.parse("c1", List.of("p.L", "q.L"), matcher.group(1)));
        dev.modelcost.SizeDomain.checkAxes("Net", axes, List.of("L"), 2_147_483_627L, 20);
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> dev.modelcost.SizeDomain.checkAxes("Net", axes, List.of("L"),
                2_147_483_628L, 20));
        assertTrue(e.getMessage().startsWith("Net at p.L = 2147483628, q.L = 20: c1 gives 2,147,483,648 positions on its L axis"), e.getMessage());
    }

    private static final String FLATTENED_THEN_POOLED = model("@Model(input = {3, 24, 20}, sizes = {\"H\", \"W\"})%s",
            "@Flatten(startDim = 2) Layer fl;", "@Transpose Layer t;", "@Linear(out = 4) Layer lin;", "@Transpose Layer t2;",
            "@AdaptiveAvgPool1d(1) Layer pool;");

    @Test
    void aFlattenedAxisOfBothSizesIsCheckedTogetherAndLeavesEachItsRange() {
        // Flatten(startDim = 2) holds H·W positions on one axis, then pooled away: the network ends where H·W > 2,147,483,647. Alone,
        // H reaches floor(2,147,483,647 / 20) = 107,374,182 at the default W = 20, and W floor(2,147,483,647 / 24) = 89,478,485 at
        // H = 24. Together at(...) refuses where the axis passes 32 bits, as the processor does (MC401 at 46,341 x 46,341), naming it.
        Compilation compilation = compiled(FLATTENED_THEN_POOLED.formatted(""));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"H\", 24, 1, 1, \"\", 107374182, \"at H = 107374183, W = 20: the output of layer fl"),
                domain(compilation, 0));
        assertTrue(domain(compilation, 1).startsWith("\"Net\", \"W\", 20, 1, 1, \"\", 89478485, \"at H = 24, W = 89478486: the output of layer fl"),
                domain(compilation, 1));
        Matcher matcher = Pattern.compile("JOINT_AXES = List\\.of\\(ClosedForm\\.parse\\(\"fl\", SIZE_VARIABLES, \"([^\"]+)\"\\)\\);")
                .matcher(generated(compilation));
        assertTrue(matcher.find(), generated(compilation));
        List<ClosedForm> axes = List.of(ClosedForm.parse("fl", List.of("H", "W"), matcher.group(1)));
        assertEquals(BigInteger.valueOf(46_340L * 46_340), axes.get(0).exact(46_340, 46_340));
        dev.modelcost.SizeDomain.checkAxes("Net", axes, List.of("H*W"), 46_340, 46_340);
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> dev.modelcost.SizeDomain.checkAxes("Net", axes, List.of("H*W"), 46_341, 46_341));
        assertEquals("Net at H = 46341, W = 46341: fl gives 2,147,488,281 positions on its H*W axis, above 2,147,483,647, the largest dimension "
                + "the processor takes (it refuses the model at these sizes)", e.getMessage());
        assertTrue(generated(compilation).contains("SizeDomain.checkAxes(\"Net\", JOINT_AXES, JOINT_AXIS_NAMES, H, W);"), generated(compilation));
        // The linear layer's MACs, H·W positions of 3 inputs and 4 outputs, at one size alone past the other's reach together.
        assertEquals(1_000_000L * 20 * 12, closedForm(compilation, "MACS", "H", "W").at(1_000_000, 20));
    }

    @Test
    void aFlattenedAxisOfBothSizesLeavesEachItsRangeFromLargeDefaults() {
        // At 224 x 224 the box's upper corners pass H·W = 2^31 - 1 where the checks reach: the corners refused alike by the joint
        // axis keep each size's own range, floor(2,147,483,647 / 224) = 9,586,980, rather than shrinking the box.
        Compilation compilation = compiled(model("@Model(input = {3, 224, 224}, sizes = {\"H\", \"W\"})", "@Flatten(startDim = 2) Layer fl;",
                "@Transpose Layer t;", "@Linear(out = 4) Layer lin;", "@Transpose Layer t2;", "@AdaptiveAvgPool1d(1) Layer pool;"));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"H\", 224, 1, 1, \"\", 9586980, "), domain(compilation, 0));
        assertTrue(domain(compilation, 1).startsWith("\"Net\", \"W\", 224, 1, 1, \"\", 9586980, "), domain(compilation, 1));
    }

    @Test
    void aRangeOfBothSizesNamesTheFirstAxisToPass32BitsWhicheverLayerHoldsIt() {
        // a holds H·W positions and b, after an upsampling by 2, 4·H·W: b passes 2,147,483,647 first, at H = W = 23,171
        // (4 x 23,171² = 2,147,580,964; 4 x 23,170² = 2,147,395,600), though a is the earlier layer (it would pass at 46,341).
        String net = model("@Model(input = {1, 8, 8}, sizes = {\"H\", \"W\"})\n@Budget(maxMacs = Long.MAX_VALUE, over = \"H = W = 8..100000\")",
                "@Flatten(startDim = 2) Layer a;", "@AdaptiveAvgPool1d(1) Layer pa;", "@From(\"input\") @Upsample(scaleFactor = 2.0) Layer up;",
                "@Flatten(startDim = 2) Layer b;", "@AdaptiveAvgPool1d(1) Layer pb;", "@Add({\"pa\", \"pb\"}) Layer sum;");
        expectOnly(net, "[MC140] @Budget(over = \"H = W = 8..100000\") takes H = 23171, W = 23171, where the network does not exist: b gives "
                + "2,147,580,964 positions on its H*W axis", "@Budget", 42);
    }

    @Test
    void anAxisOfASizesProductWithItselfEndsTheRangeWhereItPasses32Bits() {
        // x·xᵀ is L x L, reshaped to one axis of L² positions: from L = 46,341 (46,341² = 2,147,488,281) the model is MC401, so
        // the range ends at 46,340, though the axis grows by more than a constant a step.
        Compilation compilation = compiled(model("@Model(input = {64, 16}, layout = \"L,D\", sizes = \"L\")", "@Transpose Layer tr;",
                "@From({\"input\", \"tr\"}) @MatMul Layer m;", "@Reshape(shape = {1, -1}) Layer r;", "@AdaptiveAvgPool1d(1) Layer pool;"));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"L\", 64, 1, 1, \"\", 46340, \"at L = 46341: [MC401] r: the output of this Reshape, "
                + "2,147,488,281 long on an axis"), domain(compilation, 0));
    }

    @Test
    void anAxisOfAReshapeThatHoldsBothSizesEndsEachRangeWhateverItsName() {
        // reshape(3, -1) of 3 x H x W holds H·W positions on its new axis d2 (H where W = 1): as for the flattened axis, H ends at
        // floor(2,147,483,647 / 20) = 107,374,182 at the default W = 20, not at 2,147,483,647 where the model does not compile.
        Compilation compilation = compiled(model("@Model(input = {3, 24, 20}, sizes = {\"H\", \"W\"})", "@Reshape(shape = {3, -1}) Layer r;",
                "@Transpose Layer t;", "@Linear(out = 4) Layer lin;", "@Transpose Layer t2;", "@AdaptiveAvgPool1d(1) Layer pool;"));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"H\", 24, 1, 1, \"\", 107374182, \"at H = 107374183, W = 20: the output of layer r "
                + "would hold 2,147,483,660 positions on axis d2"), domain(compilation, 0));
        assertTrue(generated(compilation).contains("JOINT_AXES = List.of(ClosedForm.parse(\"r\", SIZE_VARIABLES, \"(1*H*W) / 1\"));"),
                generated(compilation));
        assertTrue(generated(compilation).contains("JOINT_AXIS_NAMES = List.of(\"d2\");"), generated(compilation));
    }

    @Test
    void aFlattenedOutputNamedForNoSizeEndsTheRangeAndARangeBudgetPastIt() {
        // conv (stride 2) then pool 2: 8 x H/4 x W/4 flattened to F = 2·H·8 at W = 32 on the lattice 32 + 4k, which passes
        // 2,147,483,647 from H = 134,217,728 (MC401 there): the range ends at 134,217,724, and a budget's range past it is MC140,
        // not a bound checked where the model does not compile. Off the lattice, 134,217,725 and 726 give the same maps (F =
        // 8·33,554,431·8), which the size program answers; 727 passes it.
        String net = model("@Model(input = {3, 32, 32}, sizes = \"H\")\n@Budget(maxMacs = 232_000_000_000L, over = \"H = 32..200000000 step 4\")",
                "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer conv;", "@ReLU Layer relu;", "@MaxPool2d(k = 2) Layer pool;", "@Flatten Layer flat;");
        expectOnly(net, "[MC140] @Budget(over = \"H = 32..200000000 step 4\") takes H where the closed forms do not hold: they hold for H = 32 + 4\u00b7k "
                + "from 4 to 134,217,724, off it to 134,217,726 (default 32); above 134,217,724, at H = 134217728: the output of layer flat would hold "
                + "2,147,483,648 positions on "
                + "axis F", "@Budget", 44);
    }

    @Test
    void aRangeOfTwoSizesPastOnesDomainSaysTheReasonWasFoundAtTheOthersDefaults() {
        // A slice to 40 - H of a 40 x 40 buffer is empty from H = 40: H's domain ends at 39, found with W at its default 16. A range of
        // squares past it names that reason, whose sizes (W = 16) are none of the range's, and says where they come from.
        String net = model("@Model(input = {2, 16, 16}, sizes = {\"H\", \"W\"})\n@Budget(maxMacs = 1L << 40, over = \"H = W = 30..45\")",
                "@Conv2d(cout = 4, k = 3, padding = 1) Layer conv;", "@Buffer(shape = {8, 40, 40}) Layer table;",
                "@Slice(dim = 2, start = 0, with = \"end = 40 - H\") Layer cut;", "@Conv2d(cout = 64, k = 3, padding = 1) Layer big;",
                "@Flatten @From(\"conv\") Layer f1;", "@Flatten @From(\"big\") Layer f2;", "@Concat(value = {\"f1\", \"f2\"}, dim = 1) Layer out;");
        expectOnly(net, "[MC140] @Budget(over = \"H = W = 30..45\") takes H where the closed forms do not hold: they hold for H from 1 to 39 "
                + "(default 16); above 39, with the other sizes at their defaults, at H = 40, W = 16: [MC316] cut: Slice", "@Budget",
                columnAfter(net, "@Budget", "over = "));
    }

    @Test
    void theRangeEndsWhereAFigurePasses64BitsAndARangeBudgetPastItIsRefused() {
        // Linear(1,024 -> 2^30) at each of L positions: FLOPS = L x 2^30 outputs x 2 x 1,024 (with the bias add) = L x 2^41, which
        // passes 2^63 - 1 from L = 2^22 = 4,194,304 (the processor's MC401 there): the range ends at 4,194,303, though every
        // axis fits 32 bits far beyond it. A budget's range past it is MC140, not a bound checked where the model does not compile.
        String net = model("@Model(input = {64, 1024}, layout = \"L,D\", sizes = \"L\")%s", "@Linear(out = 1073741824) Layer fc;");
        Compilation compilation = compiled(net.formatted(""));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"L\", 64, 1, 1, \"\", 4194303, \"at L = 4194304: [MC401]"), domain(compilation, 0));
        expectOnly(net.formatted("\n@Budget(maxMacs = Long.MAX_VALUE, over = \"L = 1..5000000\")"), "[MC140] @Budget(over = \"L = 1..5000000\") takes L "
                + "where the closed forms do not hold: they hold for L from 1 to 4,194,303 (default 64); above 4,194,303, at L = 4194304: [MC401]",
                "@Budget", 42);
    }

    @Test
    void aRangeOfTwoSizesEndsWhereAFigurePasses64BitsTogether() {
        // A 1 x 1 convolution from 1,024 to 2^30 channels: FLOPS = H·W x 2^41, past 2^63 - 1 from H·W = 2^22. Alone, H reaches
        // 2^22 / 8 - 1 = 524,287 at W = 8; together, H = W = 2,048 is the first size of the range where FLOPS = 2^63.
        expectOnly(model("@Model(input = {1024, 8, 8}, sizes = {\"H\", \"W\"})\n@Budget(maxMacs = Long.MAX_VALUE, over = \"H = W = 8..4096 step 8\")",
                "@Conv2d(cout = 1073741824, k = 1) Layer conv;"), "[MC140] @Budget(over = \"H = W = 8..4096 step 8\") takes H = 2048, W = 2048, where FLOPS "
                + "would be 9,223,372,036,854,775,808, beyond 64 bits", "@Budget", 42);
    }

    @Test
    void aRangeOfOneSizeKeepsTheOtherAtItsDefaultButARangeOfBothEndsWhereTheirAxisPasses32Bits() {
        // At W = 20, H·W stays within 32 bits up to H = 107,374,182: the range of H alone holds. Both to 1,000,000 take 46,341 x
        // 46,341 = 2,147,488,281 positions on fl's axis, the first sizes of the range past 2,147,483,647.
        compiled(FLATTENED_THEN_POOLED.formatted("\n@Budget(maxMacs = 1_000_000_000_000L, over = \"H = 24..1000000\")"));
        expectOnly(FLATTENED_THEN_POOLED.formatted("\n@Budget(maxMacs = 1_000_000_000_000L, over = \"H = W = 24..1000000\")"),
                "[MC140] @Budget(over = \"H = W = 24..1000000\") takes H = 46341, W = 46341, where the network does not exist: fl gives "
                + "2,147,488,281 positions on its H*W axis, above 2,147,483,647", "@Budget", 46);
    }

    @Test
    void anAttributeThatRisesAndFallsBackEndsTheFormsWhereItRises() {
        // out = max(1, min(L - 5000, 6000 - L)) is 1 up to L = 5001 (a tie of the max there), 2 at 5002 and back to 1 from 5999: the
        // far checks and the samples all see 1. The max's and the min's choices are followed: the forms end at 5001, the MACs at
        // 5002 being 5,002 x 16 x 2.
        Compilation compilation = compiled(model("@Model(input = {100, 16}, layout = \"L,D\", sizes = \"L\")",
                "@Linear(with = \"out = max(1, min(L - 5000, 6000 - L))\") Layer fc;"));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"L\", 100, 1, 1, \"\", 5001, \"L = 5002: the closed form of MACS changes form: it is "
                + "160,064 at L = 5002"), domain(compilation, 0));
    }

    @Test
    void aLatticeSampledDownFromTheDefaultIsCheckedAboveIt() {
        // x.L = floor((L - 3) / 2) + 1 - 2 reaches f3, so on the lattice 146 + 8k it is 70 + 4k, and the norm is off where
        // 70 + 4k = 1 (mod 7): k = 2 (L = 162), 9, ... Sampled up from 146, k = 2 breaks the fit, so the lattice is sampled down
        // (k = -4 to 0); the sizes above the default are then no samples, and k = 2 is checked: 18 parameters there (the
        // convolutions' 1 x 2 x 3 + 2 and 2 x 2 x 2 + 2), 22 with the norm's 4.
        Compilation compilation = compiled(model("@Model(input = {1, 146}, layout = \"C,L\", sizes = \"L\")",
                "@Conv1d(cout = 2, k = 3, stride = 2) Layer c0;", "@Conv1d(cout = 2, k = 2, dilation = 2) Layer f2;",
                "@When(\"(x.L % 7) != 1\") @BatchNorm1d Layer f3;", "@AvgPool1d(k = 4) Layer f4;"));
        assertTrue(domain(compilation, 0).contains(", 154, \"L = 162: the closed form of PARAMS changes form: it is 18 at L = 162, not the 22"),
                domain(compilation, 0));
    }

    @Test
    void aTestInsideABlockSharedAcrossSizesIsFollowed() {
        // The pooling gives x.L = floor(L / 3), the same at L = 279, 280 and 281: the block's analysis at one of them serves the
        // others, and its test is followed at every sample all the same. cout is 5 for 101 <= x.L <= 109 (L = 303 to 329 on the
        // lattice 276 + 3k): 10 parameters there (1 x 5 + 5) and 5 x 101 MACs at L = 303, 4 and 2 x 101 with cout 2; the range ends
        // at 300.
        String fields = "@AvgPool1d(k = 3) Layer p; B b; @Block static class B { @Conv1d(k = 1, with = \"cout = x.L > 100 && x.L < 110 ? 5 : 2\") "
                + "Layer c; }";
        Compilation compilation = compiled(model("@Model(input = {1, 276}, layout = \"C,L\", sizes = \"L\")", fields));
        assertTrue(domain(compilation, 0).contains(", 300, \"L = 303: the closed form of MACS changes form: it is 505 at L = 303"),
                domain(compilation, 0));
        assertEquals(10L, constant(compiled(model("@Model(input = {1, 303}, layout = \"C,L\")", fields)), "test.NetCost", "PARAMS"));
    }

    @Test
    void theRangeEndsWhereALayersSizeWouldPassTheLargestSize() {
        // The upsampling doubles L: from L = 2^30 its output would hold 2^31 positions, more than a size holds, and the model
        // does not compile there (MC401), so the range ends at 2^30 - 1 although every figure is a polynomial beyond it.
        Compilation compilation = compiled(model("@Model(input = {1, 100}, layout = \"C,L\", sizes = \"L\")",
                "@Upsample(scaleFactor = 2.0) Layer u;", "@AvgPool1d(k = 2) Layer p;"));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"L\", 100, 1, 1, \"\", 1073741823, \"at L = 1073741824: the output of layer u "
                + "would hold 2,147,483,648 positions on axis L, more than a size holds (2,147,483,647)\""), domain(compilation, 0));
        // The same in a further piece of forms: from L = 170 the pooling is off, and the second upsampling gives
        // 4 x (floor((L - 3) / 2) + 1) positions, 2,147,483,652 at L = 1,073,741,828 (on the lattice 140 + 6k); with the pooling, as
        // at the default's samples, it would stay below 2^31 - 1.
        Compilation piece = compiled(model("@Model(input = {4, 140}, layout = \"C,L\", sizes = \"L\")",
                "@Conv1d(cout = 7, k = 3, stride = 2) Layer c0;", "@Upsample(scaleFactor = 2.0) Layer f1;",
                "@When(\"x.L < 167\") @MaxPool1d(k = 4, stride = 3) Layer f2;", "@Upsample(scaleFactor = 2.0) Layer f4;", "@AvgPool1d(k = 2) Layer f5;"));
        assertPieceStarts(piece, "8L, 170L");
        assertTrue(domain(piece, 0).contains(", 1073741822, \"at L = 1073741828: the output of layer f4 would hold 2,147,483,652 positions"),
                domain(piece, 0));
    }

    @Test
    void aTestThatTurnsEveryFewSizesEndsTheRangeAtTheChecksLimit() {
        // L % 4 != 2 turns at every other size; each size next to a turn is checked by compiling the model there, up to 64 each
        // way from 78 (every size: the turns' neighbours overlap), so the range ends at the 65th: from 14 to 146 (the samples 79 to 82 are not checked again), with the reason.
        Compilation compilation = compiled(model("@Model(input = {2, 78}, layout = \"C,L\", sizes = \"L\")",
                "@Conv1d(cout = 3, k = 3, with = \"stride = L % 4 != 2 ? 1 : 1\") Layer f;"));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"L\", 78, 1, 14, \"L = 13: a test of the sizes turns next to it, and more than 64 "
                + "sizes next to such turns lie between it and the declared size, more than are checked, so compile the model at such a size"),
                domain(compilation, 0));
        assertTrue(domain(compilation, 0).contains(", 146, \"L = 147: a test of the sizes turns next to it"), domain(compilation, 0));
    }

    @Test
    void aReshapesItemsThatKeepOneValueAreNotComparedWithTheLength() {
        // D = 9,699,690 = 2 x 3 x 5 x 7 x 11 x 13 x 17 x 19. Each pair of layers splits D into a divisor a below 100 and D / a beside
        // the length, then joins it back: 33 divisors. The items a and D / a keep one value at every L, as a number given alone does,
        // so nothing in the model compares L with them, and no size next to a, 2a or a / 2 needs a check: the range runs from 1 and
        // to the largest size. Read as values that may turn with L, their neighbours below 100 were more than the 64 checked, and the
        // range ended at 26 ("a test of the sizes turns next to it").
        long d = 2L * 3 * 5 * 7 * 11 * 13 * 17 * 19;
        List<String> fields = new java.util.ArrayList<>();
        for (long a = 2; a < 100; a++) {
            if (d % a == 0) {
                fields.add("@Reshape(layout = \"L,A,B\", with = \"shape = [input.L, " + a + ", " + d / a + "]\") Layer s" + a + ";");
                fields.add("@Reshape(layout = \"L,D\", with = \"shape = [input.L, " + d + "]\") Layer m" + a + ";");
            }
        }
        assertEquals(66, fields.size());
        Compilation compilation = compiled(model("@Model(input = {100, " + d + "}, layout = \"L,D\", sizes = \"L\")", fields.toArray(String[]::new)));
        assertEquals("\"Net\", \"L\", 100, 1, 1, \"\", 2147483647, \"\"", domain(compilation, 0));
        // The same lists given to a block by @Args, whose reshape's shape is the parameter: its items are followed through the
        // argument, and the range runs from 1 again (above, it ends where the reshapes stop being run by their rules).
        List<String> uses = new java.util.ArrayList<>();
        for (long a = 2; a < 100; a++) {
            if (d % a == 0) {
                uses.add("@Args(\"s = [input.L, " + a + ", " + d / a + "]\") Split s" + a + ";");
            }
        }
        uses.add("@Block static class Split { @Param int[] s; @Reshape(layout = \"L,A,B\", with = \"shape = s\") Layer r; "
                + "@Reshape(layout = \"L,D\", with = \"shape = [x.L, " + d + "]\") Layer m; }");
        Compilation given = compiled(model("@Model(input = {100, " + d + "}, layout = \"L,D\", sizes = \"L\")", uses.toArray(String[]::new)));
        assertTrue(domain(given, 0).startsWith("\"Net\", \"L\", 100, 1, 1, \"\", "), domain(given, 0));
    }

    @Test
    void anEqualityOnASizeTheLayersDeriveIsChecked() {
        // x.L == 30 holds for L = 59 and 60 only (x.L = floor((L - 1) / 2) + 1): on the lattice 100 + 2k, at 60 alone, where the
        // norm's 8 parameters join the convolution's 40. The samples and the ends of the range all see 40; the range starts at 62.
        // (Off the lattice the size program answers where x.L is 31 or more, where the test holds as declared: no finer lattice is sought.)
        String fields = "@Conv1d(cout = 4, k = 3, stride = 2, padding = 1) Layer c0; @When(\"x.L == 30\") @BatchNorm1d Layer b1;";
        Compilation compilation = compiled(model("@Model(input = {3, 100}, layout = \"C,L\", sizes = \"L\")", fields));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"L\", 100, 2, 62, \"L = 60: the closed form of PARAMS changes form: it is 48 at "
                + "L = 60"), domain(compilation, 0));
        assertEquals(48L, constant(compiled(model("@Model(input = {3, 60}, layout = \"C,L\")", fields)), "test.NetCost", "PARAMS"));
    }

    @Test
    void aBandOnAParameterGivenASizeIsChecked() {
        // n = L / 2 floors, so it follows no line on the lattice of period 1; it is followed through the argument that gives it.
        // Both norms run for 16 <= n <= 23, that is 32 <= L <= 47: 32 parameters (the convolution's 3 x 4 + 4 and 8 each), 24 outside.
        String fields = "@Conv1d(cout = 4, k = 1) Layer c0; @Args(\"n = L / 2\") Gate g; @Block static class Gate { @Param int n; "
                + "@When(\"n > 15\") @BatchNorm1d Layer b1; @When(\"n < 24\") @BatchNorm1d Layer b2; }";
        Compilation compilation = compiled(model("@Model(input = {3, 100}, layout = \"C,L\", sizes = \"L\")", fields));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"L\", 100, 1, 48, \"L = 47: the closed form of PARAMS changes form: it is 32 at "
                + "L = 47"), domain(compilation, 0));
        assertEquals(32L, constant(compiled(model("@Model(input = {3, 47}, layout = \"C,L\")", fields.replace("L / 2", "input.L / 2"))),
                "test.NetCost", "PARAMS"));
        // n = L / 64 is 1 at every sample (L = 101 to 104), but the argument that gives it turns the band on at n = 3, L = 192.
        Compilation far = compiled(model("@Model(input = {3, 100}, layout = \"C,L\", sizes = \"L\")", fields.replace("L / 2", "L / 64")
                .replace("n > 15", "n > 2").replace("n < 24", "n < 4")));
        assertTrue(domain(far, 0).startsWith("\"Net\", \"L\", 100, 1, 1, \"\", 191, \"L = 192: the closed form of PARAMS changes form: it is 32 at "
                + "L = 192"), domain(far, 0));
    }

    @Test
    void aBandInsideAFurtherPieceEndsTheDomainThere() {
        // cout turns at 27 (a piece of forms below it), and the batch norms overlap on 9..13 inside that lower piece: the piece's
        // forms are checked at the compared sizes too, and it holds down to 14; below, the piece would give 8 parameters where the
        // network has 12 (the convolution's 2 x 1 + 2 and two norms' 4).
        Compilation compilation = compiled(model("@Model(input = {1, 30}, layout = \"C,L\", sizes = \"L\")",
                "@Conv1d(k = 1, with = \"cout = L > 26 ? 3 : 2\") Layer a;", "@When(\"L > 8\") @BatchNorm1d Layer b;",
                "@When(\"L < 14\") @BatchNorm1d Layer c;"));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"L\", 30, 1, 14, \"L = 13: the closed form of PARAMS changes form: it is 12 at "
                + "L = 13, not the 8"), domain(compilation, 0));
        assertPieceStarts(compilation, "14L, 27L");
        // From 27, cout 3: the convolution's 3 + 3 and the norm's 6.
        assertEquals(List.of("PARAMS(L) = 8", "PARAMS(L) = 12"), pieces(compilation, "PARAMS"));
    }

    @Test
    void aSwitchBelowTheDefaultThatAFewSizesHideIsChecked() {
        // Halving the length below 5 changes the network there, but at L = 2, the lattice's smallest size, the strided convolution
        // gives 2 positions either way: L = 4 (next to the 5 compared with) shows it, 48 MACs (2 x 4 x 4 + 2 x 2 x 4) where the forms
        // of the longer network give 72.
        Compilation compilation = compiled(model("@Model(input = {4, 36}, layout = \"C,L\", sizes = \"L\")",
                "@When(\"L < 5\") @Upsample(scaleFactor = 0.5) Layer down;", "@Conv1d(cout = 4, k = 1, stride = 2, padding = 1) Layer conv;",
                "@Conv1d(cout = 2, k = 1) Layer last;"));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"L\", 36, 2, 6, "), domain(compilation, 0));
        assertEquals(72L, closedForm(compilation, "MACS", "L").at(4));
        assertEquals(48L, constant(compiled(model("@Model(input = {4, 4}, layout = \"C,L\")", "@When(\"input.L < 5\") @Upsample(scaleFactor = 0.5) Layer down;",
                "@Conv1d(cout = 4, k = 1, stride = 2, padding = 1) Layer conv;", "@Conv1d(cout = 2, k = 1) Layer last;")), "test.NetCost", "MACS"));
    }

    @Test
    void aCounterThatFailsAtSomeSizesHasNoForm() {
        // Below L = 6 the only layer with parameters is switched off, and nni fails on a model without parameters (StopIteration):
        // its figures exist at some sizes only, and have no form; the others hold from 6.
        Compilation compilation = compiled(model("@Model(input = {8, 16}, sizes = \"L\")", "@When(\"L > 5\") @Linear(out = 4) Layer fc;",
                "@ReLU Layer relu;"));
        assertTrue(generated(compilation).contains("WITHOUT_CLOSED_FORM = List.of(\"NNI_FLOPS\", \"NNI_PARAMS\", \"NNI_FULL_FLOPS\", "
                + "\"NNI_FULL_PARAMS\");"), generated(compilation));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"L\", 8, 1, 6, "), domain(compilation, 0));
    }

    @Test
    void sizesAtWhichNoLayerRunsAreOutsideTheDomain() {
        // Below L = 6 the model's only layer is left out: a compile there is MC150, so the forms start at 6 and say why.
        Compilation compilation = compiled(model("@Model(input = {8, 16}, sizes = \"L\")", "@When(\"L > 5\") @Linear(out = 4) Layer fc;"));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"L\", 8, 1, 6, \"the network does not exist at the next size down, L = 5: "
                + "[MC150] Net runs no layers: every layer is left out by a @When that is false (fc: @When(\\\"L > 5\\\""),
                domain(compilation, 0));
    }

    @Test
    void aThresholdWrittenInAnExpressionIsCheckedPast() {
        // The padding starts at 1,500 columns, far beyond 16 times the default of 64 where the checks used to end: the checks now reach
        // past twice the largest number an expression that reads a size is written with, and the forms end where the padding starts.
        Compilation compilation = compiled(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})",
                "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer down;",
                "@Pad(with = \"pad = [0, max(0, input.W - 1500), 0, max(0, input.H - 1500)]\") Layer p;",
                "@Conv2d(cout = 4, k = 3, padding = 1) Layer head;"));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"H\", 64, 2, " + oddStep("H", 64) + "2, \"\", 1500, \"at H = 1502, W = 64: the closed form of MACS changes form"),
                domain(compilation, 0));
        assertTrue(domain(compilation, 1).startsWith("\"Net\", \"W\", 64, 2, " + oddStep("W", 64) + "2, \"\", 1500, "), domain(compilation, 1));
    }

    @Test
    void aThresholdNamedByAConstantIsCheckedPast() {
        // Linear(16 -> L / BIG + 1) on L tokens with BIG = 5,000: L x 16 x (floor(L / 5,000) + 1) MACs, so 16 L up to 4,999, 32 L from
        // 5,000, 48 L from 10,000, 64 L from 15,000. The checks reach past 2 x 5,000 x 2 (the constant and the 1 it is added to) and
        // find every piece; a fifth piece is refused.
        Compilation compilation = compiled(model("@Model(input = {64, 16}, layout = \"L,D\", sizes = \"L\")",
                "static final int BIG = 5000;", "@Linear(with = \"out = L / BIG + 1\") Layer a;"));
        assertPieceStarts(compilation, "1L, 5000L, 10000L, 15000L");
        assertEquals(List.of("MACS(L) = 16\u00b7L", "MACS(L) = 32\u00b7L", "MACS(L) = 48\u00b7L", "MACS(L) = 64\u00b7L"), pieces(compilation, "MACS"));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"L\", 64, 1, 1, \"\", 19999, \"at L = 20000: the closed form of MACS changes form"),
                domain(compilation, 0));
    }

    @Test
    void aThresholdPassedAsAnArgumentOrMadeOfSeveralNumbersIsCheckedPast() {
        // A block's parameter given 5,000 by @Args, and five divisions by 7 (floor(L / 7^5) changes first at 16,807): the forms of
        // 16 L + 16 L (two Linear(16 -> 1) layers) end where the first threshold is, L = 4,999, with the change named.
        Compilation compilation = compiled(model("@Model(input = {64, 16}, layout = \"L,D\", sizes = \"L\")",
                "@Args(\"chunk = 5000\") Chunked b;",
                "@Linear(with = \"out = L / 7 / 7 / 7 / 7 / 7 + 1\") Layer c;",
                "@Block static class Chunked { @Param int chunk; @Linear(with = \"out = input.L / chunk + 1\") Layer a; @Linear(out = 16) Layer back; }"));
        List<String> macs = pieces(compilation, "MACS");
        // Linear(16 -> 1) then Linear(1 -> 16) in the block, then Linear(16 -> 1): 16 L + 16 L + 16 L up to 4,999.
        assertEquals("MACS(L) = 48\u00b7L", macs.get(0));
        assertPieceStarts(compilation, "1L, 5000L, 10000L, 15000L");
        // From 15,000 to 16,806: out = 4 in the block, 16 x 4 + 4 x 16 = 128 MACs a token, and the last layer still 16.
        assertEquals("MACS(L) = 144\u00b7L", macs.get(3));
        assertTrue(domain(compilation, 0).contains("\", 16806, \"at L = 16807: the closed form of MACS changes form"), domain(compilation, 0));
    }

    @Test
    void aTestOfASizeTheLayersDeriveThatMayTurnPastTheFollowedSizesEndsTheRangeThere() {
        // Big's MACs are x.numel (8·L) but twice that at exactly L = 70,000: the linear layer's 64·L plus 8·L give the form 72·L,
        // which at 70,000 would say 5,040,000 where the model costs 64·70,000 + 16·70,000 = 5,600,000. The test reads a size the
        // layers derive (x.L), evaluated at every size up to 65,536 only: the range ends there.
        Compilation equality = compiled(declaredAfterLinear("", "x.L == 70000 ? 2 * x.numel : x.numel"));
        assertTrue(domain(equality, 0).startsWith("\"Net\", \"L\", 16, 1, 1, \"\", 65536, \"the test at big @LayerKind macs, of a size the layers "
                + "derive, is followed up to 65,536 only"), domain(equality, 0));
        assertEquals(5_600_000L, constant(compiled(declaredAfterLinear("", "x.L == 70000 ? 2 * x.numel : x.numel")
                .replace("input = {16, 8}, layout = \"L,D\", sizes = \"L\"", "input = {70000, 8}, layout = \"L,D\"")), "test.NetCost", "MACS"));
        // A band (on for 100,001 to 100,009) and a remainder by a number past 65,536 alike.
        for (String macs : List.of("x.L > 100000 && x.L < 100010 ? 7 * x.numel : x.numel", "x.L % 100003 == 5 ? 7 * x.numel : x.numel")) {
            assertTrue(domain(compiled(declaredAfterLinear("", macs)), 0).contains(", 65536, \"the test at big @LayerKind macs"), macs);
        }
        // A block's @When of its input's length, which is the model's L.
        Compilation block = compiled(model("@Model(input = {64, 8}, layout = \"L,D\", sizes = \"L\")", "@Linear(out = 8) Layer a;", "B b;",
                "@Block static class B { @When(\"input.L == 70000\") @Linear(out = 8) Layer k; @Linear(out = 8) Layer z; }"));
        assertTrue(domain(block, 0).contains(", 65536, \"the test at b.k @When, of a size the layers derive"), domain(block, 0));
        // Where the test turns by 65,536, the analyses saw it: at L = 70 the range ends before it, not at 65,536; and a comparison for
        // order past it turns once, which the checks past its number find: a piece from 70,001, 64·L + 16·L.
        assertTrue(domain(compiled(declaredAfterLinear("", "x.L == 70 ? 2 * x.numel : x.numel")), 0).startsWith("\"Net\", \"L\", 16, 1, 1, \"\", 69, "));
        Compilation order = compiled(declaredAfterLinear("", "x.L > 70000 ? 2 * x.numel : x.numel"));
        assertPieceStarts(order, "1L, 70001L");
        assertEquals(List.of("MACS(L) = 72\u00b7L", "MACS(L) = 80\u00b7L"), pieces(order, "MACS"));
        // The same through a block's parameter given the length, as an item of a list: k runs from L = 101 (64·L more MACs), once.
        Compilation given = compiled(model("@Model(input = {64, 8}, layout = \"L,D\", sizes = \"L\")", "@Linear(out = 8) Layer a;",
                "@Args(\"d = [x.L, 4]\") B b;", "@Block static class B { @Param int[] d; @When(\"d[0] > 100\") @Linear(out = 8) Layer k; "
                        + "@Linear(out = 8) Layer z; }"));
        assertPieceStarts(given, "1L, 101L");
        assertEquals(List.of("MACS(L) = 128\u00b7L", "MACS(L) = 192\u00b7L"), pieces(given, "MACS"));
        assertTrue(!domain(given, 0).contains(", 65536, "), domain(given, 0));
    }

    @Test
    void testsOfDerivedSizesAreFollowedWhereTheyCanBeAndCutOrRefusedWhereNot() {
        String l16 = "@Model(input = {16, 8}, layout = \"L,D\", sizes = \"L\")";
        String l64 = "@Model(input = {64, 8}, layout = \"L,D\", sizes = \"L\")";
        // One comparison of a derived size and one of the variable, each turning once past 65,536, make a band together (k on for
        // 100,001 to 100,010): the range ends at 65,536, naming both.
        Compilation band = compiled(model(l16, "@Linear(out = 8) Layer fc;", "@When(\"x.L > 100000 && L / 3 < 33337\") @Linear(out = 8) Layer k;",
                "@Linear(out = 8) Layer z;"));
        assertTrue(generated(band).contains(", 65536, \"@When(\\\"x.L > 100000 && L / 3 < 33337\\\") of k together with the test at k @When"),
                generated(band));
        // A slice's end clamps s.L at 100,000: near the declared size s.L - a.L is 0, far up it is not, so the samples' lines do not
        // hold there and the equality is followed nowhere past 65,536.
        Compilation clamped = compiled(model(l64, "@Linear(out = 8) Layer a;", "@Slice(dim = 1, end = 100000) Layer s;",
                "@From(\"a\") @When(\"s.L - a.L == -5\") @Linear(out = 8) Layer k;", "@From(\"a\") @Linear(out = 8) Layer z;"));
        assertTrue(domain(clamped, 0).contains(", 65536, \"the test at k @When"), domain(clamped, 0));
        // What no line gives (x.numel of an L x L product is L²): the test is followed nowhere past 65,536 (70,000² is 4,900,000,000).
        Compilation square = compiled(model(l64, "@Linear(out = 8) Layer a;", "@From({\"a\", \"a\"}) @MatMul(transposeB = true) Layer m;", "@Sq Layer sq;",
                "@LayerKind(macs = \"x.numel == 4900000000 ? 1000 : 0\") @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.CLASS) "
                        + "@java.lang.annotation.Target(java.lang.annotation.ElementType.FIELD) public @interface Sq {}"));
        assertTrue(domain(square, 0).contains(", 65536, \"the test at sq @LayerKind macs"), domain(square, 0));
        // Two sizes that grow alike (b.L == a.L always holds), and the model's own input.L for order: nothing to cut.
        Compilation alike = compiled(model(l64, "@Linear(out = 8) Layer a;", "@Linear(out = 8) Layer b;", "@When(\"b.L == a.L\") @Linear(out = 8) Layer k;"));
        assertTrue(domain(alike, 0).contains(", 2147483647, "), domain(alike, 0));
        Compilation order = compiled(model(l64, "@Linear(out = 8) Layer a;", "@When(\"input.L / 4 > 10\") @Linear(out = 8) Layer k;"));
        assertTrue(domain(order, 0).contains(", 2147483647, "), domain(order, 0));
        // Two floor divisions of a derived size, no comparison: out is 8 at L = 70,000 and its multiples (one step of the first, none
        // yet of the second), 4 elsewhere. Each steps once past 65,536, the two together a band: the range ends there.
        Compilation steps = compiled(model(l64, "@Linear(out = 8) Layer fc;", "@Linear(with = \"out = 4 + 4 * (x.L / 70000 - x.L / 70001)\") Layer g;"));
        assertTrue(domain(steps, 0).contains(", 65536, \"the test at g out"), domain(steps, 0));
        // The same below 65,536: out is 8 at multiples of 7,000 only, so 8·8·7,000 + 8·8·7,000 = 896,000 MACs at 7,000, where the
        // form of out = 4, 64·L + 32·L, says 672,000. The attribute's value stops growing evenly there, which the analyses see: the
        // range ends at 6,999.
        Compilation cancel = compiled(model(l64, "@Linear(out = 8) Layer fc;", "@Linear(with = \"out = 4 + 4 * (x.L / 7000 - x.L / 7001)\") Layer g;"));
        assertTrue(domain(cancel, 0).startsWith("\"Net\", \"L\", 64, 1, 1, \"\", 6999, \"L = 7000: the closed form of MACS changes form: it is "
                + "896,000 at L = 7000, not the 672,000"), domain(cancel, 0));
        // A block's parameter given the length, compared once past 65,536, is counted once (its text reads n, which the arguments
        // give a size): a piece from 70,001, and the range goes on (64·L + 64·L more MACs there).
        Compilation given = compiled(model(l64, "@Linear(out = 8) Layer fc;", "@Args(\"n = x.L\") B b;",
                "@Block static class B { @Param int n; @When(\"n > 70000\") @Linear(out = 8) Layer e; @Linear(out = 8) Layer z; }"));
        assertPieceStarts(given, "1L, 70001L");
        assertEquals(List.of("MACS(L) = 128\u00b7L", "MACS(L) = 192\u00b7L"), pieces(given, "MACS"));
        // A remainder of a derived size inside arithmetic, no comparison: 8·L more MACs at every L = 999 mod 1,000 (79,920 at 999, where
        // 72·999 = 71,928 elsewhere's form would say). It wraps at 1,000, which the analyses see: the range ends before 999.
        Compilation wraps = compiled(declaredAfterLinear("", "x.numel * (1 + x.L % 1000 / 999)"));
        assertTrue(domain(wraps, 0).startsWith("\"Net\", \"L\", 16, 1, 1, \"\", 998, "), domain(wraps, 0));
        // Declared past 65,536, a test of a derived size is followed nowhere near the declared size: no forms (MC419), rather than
        // at(70000) giving 72·70,000 where the model costs 80·70,000.
        String declaredFar = declaredAfterLinear("", "x.L == 70000 ? 2 * x.numel : x.numel").replace("input = {16, 8}", "input = {100000, 8}");
        expectOnly(declaredFar, "[MC419] the costs have no closed form in L with the test at big @LayerKind macs, of a size the layers derive: "
                + "it is evaluated at every size up to 65,536 only", "@Model", ModelSources.columnOf(declaredFar, "@Model", "\"L\")"));
    }

    /** A model of Linear(8 -> 8) on L positions, then a kind declared with {@code @LayerKind} whose MACs are {@code macs}. */
    private static String declaredAfterLinear(String header, String macs) {
        return model("@Model(input = {16, 8}, layout = \"L,D\", sizes = \"L\")" + header, "@Linear(out = 8) Layer fc;", "@Big Layer big;",
                "@LayerKind(macs = \"" + macs + "\") @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.CLASS) "
                        + "@java.lang.annotation.Target(java.lang.annotation.ElementType.FIELD) public @interface Big {}");
    }

    @Test
    void aThresholdWrittenInADeclaredKindsFormulaIsCheckedPast() {
        // The linear layer's 64 MACs a position, and the declared kind's L up to 5,000 positions, 1,000·L from 5,001: 65·L, then
        // 1,064·L. The number is in the formula's text, not an attribute: the checks reach past it all the same.
        Compilation compilation = compiled(declaredAfterLinear("", "x.L > 5000 ? 1000 * x.L : x.L"));
        assertPieceStarts(compilation, "1L, 5001L");
        assertEquals(List.of("MACS(L) = 65\u00b7L", "MACS(L) = 1,064\u00b7L"), pieces(compilation, "MACS"));
        // A budget over a range fails at the first size past it: 1,064 x 5,001 = 5,321,064.
        String budgeted = declaredAfterLinear("\n@Budget(maxMacs = 1_000_000, over = \"L = 1..10000\")", "x.L > 5000 ? 1000 * x.L : x.L");
        expectOnly(budgeted, "[MC420] MACS = 5,321,064 at L = 5001 exceeds the budget maxMacs = 1,000,000", "@Budget(",
                ModelSources.columnOf(budgeted, "@Budget(", "1_000_000"));
        // A floor division by a number of the formula: 64·L + 5·floor(L / 7,000), a piece every 7,000 positions, four at most.
        Compilation divided = compiled(declaredAfterLinear("", "x.L / 7000 * 5"));
        assertPieceStarts(divided, "1L, 7000L, 14000L, 21000L");
        assertEquals(List.of("MACS(L) = 64\u00b7L", "MACS(L) = 5 + 64\u00b7L", "MACS(L) = 10 + 64\u00b7L", "MACS(L) = 15 + 64\u00b7L"),
                pieces(divided, "MACS"));
        assertTrue(domain(divided, 0).contains("\", 27999, \"at L = 28000: the closed form of MACS changes form"), domain(divided, 0));
        // A test for equality in the formula changes the MACs at single sizes (1,000 more at every multiple of 1,000): the range
        // ends before the first, where the analyses see it turn.
        Compilation pointwise = compiled(declaredAfterLinear("", "x.L % 1000 == 0 ? 1000 : 0"));
        assertTrue(domain(pointwise, 0).startsWith("\"Net\", \"L\", 16, 1, 1, \"\", 999, \"L = 1000: the closed form of MACS changes form"),
                domain(pointwise, 0));
    }

    @Test
    void aDeclaredKindsAttributesAreTheCallsNotTheNetworks() {
        // Big's n is given the length (with = "n = input.L"): its formula's threshold at 100,000 is one of the length, checked past.
        // Cls has an attribute named L, as the size is: its test L == 1 is the attribute's, no test of the size at single sizes.
        // MACs: the Linear's 64·L, n = L for Big (1,000·L past 100,000), and 8·L for Cls (x.numel, L == 1): 73·L, then 1,072·L.
        String kinds = "@LayerKind(macs = \"n > 100000 ? 1000 * n : n\") @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.CLASS) "
                + "public @interface Big { int n() default 1; String with() default \"\"; }";
        String cls = "@LayerKind(macs = \"L == 1 ? x.numel : 2 * x.numel\") @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.CLASS) "
                + "public @interface Cls { int L() default 1; }";
        Compilation compilation = compiled(model("@Model(input = {64, 8}, layout = \"L,D\", sizes = \"L\")", "@Linear(out = 8) Layer fc;",
                "@Big(with = \"n = input.L\") Layer big;", "@Cls Layer c;", kinds, cls));
        assertPieceStarts(compilation, "1L, 100001L");
        assertEquals(List.of("MACS(L) = 73\u00b7L", "MACS(L) = 1,072\u00b7L"), pieces(compilation, "MACS"));
    }

    @Test
    void aGroupWiseQuantizedDtypesScalesAreCheckedPast() {
        // Linear(F -> 1) without a bias at int4 in groups of 1,024: F/2 bytes of packed weights (F even; the lattice has period 2)
        // and 2 bytes of fp16 scale per started group, 2·ceil(F / 1,024). The scales step at F = 1,025, 2,049, 3,073, 4,097: on the
        // lattice, pieces from 1,026, 2,050 and 3,074, and a fifth at 4,098 is refused. The checks reach past the group as past a
        // number a layer is given; they stopped at 1,990 and claimed F / 2 + 4 up to 2,147,483,646.
        String text = model("@Model(input = {64}, sizes = \"F\", dtype = \"int4-g1024\")", "@Linear(out = 1, bias = false) Layer head;");
        Compilation compilation = compiled(text);
        assertPieceStarts(compilation, "2L, 1026L, 2050L, 3074L");
        assertTrue(domain(compilation, 0).contains("\", 4096, \"at F = 4098: the closed form of WEIGHT_BYTES changes form"), domain(compilation, 0));
        // A budget over a range fails where the third group starts: 2,050 / 2 + 2 x 3 = 1,031 bytes.
        String budgeted = text.replace("dtype = \"int4-g1024\")", "dtype = \"int4-g1024\")\n@Budget(maxWeightBytes = 1030, over = \"F = 64..2050 step 2\")");
        expectOnly(budgeted, "[MC420] WEIGHT_BYTES = 1,031 at F = 2050 exceeds the budget maxWeightBytes = 1,030", "@Budget(",
                ModelSources.columnOf(budgeted, "@Budget(", "1030"));
    }

    @Test
    void aMixtureOfExpertsCountIsCheckedPast() {
        // Linear(4 -> 4) and 20,000 experts of Linear(4 -> 4), top 1: 16 + 16 MACs a token, 32·L. The bytes moved read the weights of
        // min(20,000, L) experts, which stop growing at L = 20,000, far past the 16 x 64 the checks reached without the count:
        // BYTES_MOVED's one form (the experts' weights growing with L) was given up to 2^31. Its form now fails the checks past
        // 20,000 and, an optional figure, it has none; the MACs keep theirs.
        Compilation compilation = compiled(model("@Model(input = {64, 4}, layout = \"L,D\", sizes = \"L\")", "@Linear(out = 4) Layer a;",
                "@Experts(count = 20000, topK = 1) E e;", "@Block public static class E { @Linear(out = 4, bias = false) Layer f; }"));
        assertTrue(generated(compilation).contains("WITHOUT_CLOSED_FORM = List.of(\"BYTES_MOVED\");"), generated(compilation));
        // The reason names a size past 20,000 where the polynomial (an expert's 16 fp32 weights, 64 bytes, a token) says 64 bytes
        // for every token past 20,000 more than the model reads.
        Matcher why = Pattern.compile("\\{@code BYTES_MOVED\\} changes form: it is ([0-9,]+) at L = ([0-9]+), not the ([0-9,]+) of the polynomial")
                .matcher(generated(compilation));
        assertTrue(why.find(), generated(compilation));
        long at = Long.parseLong(why.group(2));
        assertTrue(at > 20_000, why.group());
        assertEquals(64 * (at - 20_000), Long.parseLong(why.group(3).replace(",", "")) - Long.parseLong(why.group(1).replace(",", "")));
        assertEquals(32L * 30_000, closedForm(compilation, "MACS", "L").at(30_000));
    }

    @Test
    void aThresholdOfAnotherClassOrAChainOfParametersOrAShrunkAxisIsCheckedPast() {
        // K.BIG = 5,000, read by its class's name: Linear(32 -> L / 5,000 + 1) turns every 5,000 tokens.
        Compilation qualified = compiled(model("@Model(input = {64, 32}, layout = \"L,D\", sizes = \"L\")",
                "static class K { static final int BIG = 5000; }", "@Linear(with = \"out = L / K.BIG + 1\") Layer grow;"));
        assertPieceStarts(qualified, "1L, 5000L, 10000L, 15000L");
        // n = L / 100 passed to a block that divides it by 100 again: floor(L / 10,000) + 1 outputs, turning every 10,000 tokens.
        Compilation chained = compiled(model("@Model(input = {64, 32}, layout = \"L,D\", sizes = \"L\")", "@Args(\"n = L / 100\") B b;",
                "@Block static class B { @Param int n; @Linear(with = \"out = n / 100 + 1\") Layer grow; }"));
        assertPieceStarts(chained, "1L, 10000L, 20000L, 30000L");
        // A reshape to rows of 2,048 leaves L / 64 rows: x.L / 1,000 turns every 64,000 tokens, on the lattice of 64.
        Compilation shrunk = compiled(model("@Model(input = {64, 32}, layout = \"L,D\", sizes = \"L\")",
                "@Reshape(layout = \"L,D\", shape = {-1, 2048}) Layer r;", "@Linear(with = \"out = x.L / 1000 + 1\") Layer grow;"));
        assertPieceStarts(shrunk, "64L, 64000L, 128000L, 192000L");
    }

    @Test
    void aBlocksConstantOfASizesNameOrADivisibleThresholdHidesNoThreshold() {
        // A block's own constant L = 8 leaves the model's L a size: L / 5,000 + 1 outputs still turn every 5,000 tokens. So does
        // divisible(5000, 8), which is 5,000.
        Compilation shadowed = compiled(model("@Model(input = {64, 32}, layout = \"L,D\", sizes = \"L\")",
                "@Block static class B { static final int L = 8; @Linear(out = L) Layer fc; }", "B b;", "@Linear(with = \"out = L / 5000 + 1\") Layer a;"));
        assertPieceStarts(shadowed, "1L, 5000L, 10000L, 15000L");
        Compilation rounded = compiled(model("@Model(input = {64, 32}, layout = \"L,D\", sizes = \"L\")",
                "@Linear(with = \"out = L / divisible(5000, 8) + 1\") Layer a;"));
        assertPieceStarts(rounded, "1L, 5000L, 10000L, 15000L");
    }

    @Test
    void aDecimalThatScalesNoSizeIsNoReasonToRefuse() {
        // 80 x 0.1 is 8.000000000000002 in doubles, int() of it 8 at every size: the size only chooses between two numbers.
        Compilation compilation = compiled(model("@Model(input = {64, 32}, layout = \"L,D\", sizes = \"L\")",
                "@Linear(with = \"out = L > 512 ? int(80 * 0.1) : 8\") Layer a;"));
        assertEquals("MACS(L) = 256\u00b7L", closedForm(compilation, "MACS", "L").toString());
    }

    @Test
    void aTestThatTurnsAmongTheSampledSizesIsNamed() {
        // Declared at L = 2, the forms are sampled at L = 2..6 (no size below 1 to go down to); b runs from L = 5, so MACS is
        // 256·L up to 4 and 256·L + 64·L from 5 (b: 8 into 8): no polynomial through the samples, and the @When that makes it so is named.
        String text = model("@Model(input = {2, 32}, layout = \"L,D\", sizes = \"L\")", "@Linear(out = 8) Layer a;",
                "@When(\"L > 4\") @Linear(out = 8) Layer b;");
        // Bounded at 4, the sizes past the turn are none the variable takes: MC419 names the test.
        String bounded = text.replace("sizes = \"L\"", "sizes = \"L <= 4\"");
        expectOnly(bounded, "[MC419] the costs have no closed form in L on any lattice 2 + p\u00b7k tried: MACS is no polynomial of degree 3 or less in L "
                + "on the integers; @When(\"L > 4\") of b compares L with 4, within the 5 sizes either side of the declared L = 2 that the forms are "
                + "sampled at", "@Model", columnAfter(bounded, "@Model", "sizes = "));
        // Unbounded, the turn lies among the samples up from 2: the forms are established past it, 320·L from 5; at 2, a alone, 512.
        Compilation past = compiled(text);
        assertEquals("MACS(L) = 320\u00b7L", closedForm(past, "MACS", "L").toString());
        assertTrue(domain(past, 0).startsWith("\"Net\", \"L\", 2, 1, 5, "), domain(past, 0));
        assertEquals(512L, constant(past, "test.NetCost", "MACS"));
        // Declared far from it, the forms hold from L = 5: 320·L.
        Compilation far = compiled(text.replace("input = {2, 32}", "input = {64, 32}"));
        assertEquals("MACS(L) = 320\u00b7L", closedForm(far, "MACS", "L").toString());
    }

    @Test
    void aLatticeOnWhichEveryLayersSizesAreAffineIsTheOneNamed() throws ReflectiveOperationException {
        // A pad to a multiple of 3 (a window's, as Swin's F.pad) is affine on lattices of 3·k only; on 6 + 3·k, b runs from L = 10
        // on, between the samples 9 and 12, so MACS changes form among them. Bounded below the sample past the turn, the refusal names
        // that lattice, not the pad on another one.
        String text = model("@Model(input = {6, 8}, layout = \"L,D\", sizes = \"L <= 11\")",
                "@Pad(with = \"pad = [0, 0, 0, (3 - input.L % 3) % 3]\") Layer pad;", "@Linear(out = 8) Layer a;",
                "@When(\"L > 9\") @Linear(out = 8) Layer b;");
        expectOnly(text, "[MC419] the costs have no closed form in L on any lattice 6 + p\u00b7k tried: MACS is no polynomial of degree 3 or less in L "
                + "on the lattice 6 + 3\u00b7k", "@Model", columnAfter(text, "@Model", "sizes = "));
        // Unbounded, the forms are established past that turn, at 12: a and b on the padded length, 128·L on the lattice.
        Compilation afterTurn = compiled(text.replace("sizes = \"L <= 11\"", "sizes = \"L\""));
        assertTrue(domain(afterTurn, 0).startsWith("\"Net\", \"L\", 6, 3, 12, "), domain(afterTurn, 0));
        assertEquals("MACS(L) = 128\u00b7L", closedForm(afterTurn, "MACS", "L").toString());
        // Where b runs from L = 7, just above the declared 6, the forms are established past that turn, at 9, where a and b run on the
        // padded length: 2 · 64 · 9 = 1,152 MACs there, 128·L on the lattice; at 6 a alone, 384; off the lattice the size program pads
        // (L = 10: 12 positions, 1,536).
        Compilation past = compiled(text.replace("sizes = \"L <= 11\"", "sizes = \"L\"").replace("L > 9", "L > 6"));
        assertEquals("MACS(L) = 128\u00b7L", closedForm(past, "MACS", "L").toString());
        assertEquals(384L, constant(past, "test.NetCost", "MACS"));
        assertTrue(domain(past, 0).startsWith("\"Net\", \"L\", 6, 3, 9, "), domain(past, 0));
        assertTrue(ModelSources.classes(past).loadClass("test.NetCost").getMethod("at", int.class).invoke(null, 10).toString()
                .contains("macs=1536,"));
    }

    @Test
    void aDecimalInexactInDoublesIsRefused() {
        // 1.1 has no exact double: int(L * 1.1 / 1.1) is L - 1 at L = 15, 30, 60, ..., which no polynomial follows.
        expectOnly(model("@Model(input = {64, 32}, layout = \"L,D\", sizes = \"L\")", "@Linear(with = \"out = int(L * 1.1 / 1.1)\") Layer grow;"),
                "[MC419] the costs have no closed form in L with the decimal 1.1 in \"out = int(L * 1.1 / 1.1)\" of grow: a size times it is computed "
                        + "in double precision", "@Model", 50);
    }

    @Test
    void aRemainderByALargeNumberEndsTheRangeWhereItTurns() {
        // The extra layer runs at H = 61, 122, ...: between the consecutive sizes sampled from 32 and the few checked above them, so
        // forms fitted there would be wrong at every multiple of 61. The test is evaluated at every size up to 65,536: the range ends
        // at 60: at H = 61 (W = 32) the extra convolution's 8 x 8 x 9 MACs a position join the first's 8 x 3 x 9, (576 + 216) x 61 x 32.
        Compilation compilation = compiled(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\"})",
                "@Conv2d(cout = 8, k = 3, padding = 1) Layer conv;", "@When(\"H % 61 == 0\") @Conv2d(cout = 8, k = 3, padding = 1) Layer extra;"));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"H\", 32, 1, 1, \"\", 60, \"H = 61, W = 32: the closed form of MACS changes form: "
                + "it is 1,545,984 at H = 61, W = 32, not the 421,632"), domain(compilation, 0));
        // Past 65,536, where tests are not evaluated at every size, such a remainder is refused.
        expectOnly(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\"})", "@Conv2d(cout = 8, k = 3, padding = 1) Layer conv;",
                "@When(\"H % 70001 == 0\") @Conv2d(cout = 8, k = 3, padding = 1) Layer extra;"),
                "[MC419] the costs have no closed form in H with a remainder by 70001 (%) in @When(\"H % 70001 == 0\") of extra: it changes at "
                + "single sizes", "@Model", 38);
    }

    @Test
    void aSizeTestedForEqualityEndsTheRangeThere() {
        // out is 16 at L = 100 alone: the range ends at 99, where the MACs are 100 x 32 x 16 rather than the forms' 100 x 32 x 8.
        Compilation compilation = compiled(model("@Model(input = {64, 32}, layout = \"L,D\", sizes = \"L\")",
                "@Linear(with = \"out = L == 100 ? 16 : 8\") Layer fc;"));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"L\", 64, 1, 1, \"\", 99, \"L = 100: the closed form of MACS changes form: it is "
                + "51,200 at L = 100, not the 25,600"), domain(compilation, 0));
        expectOnly(model("@Model(input = {64, 32}, layout = \"L,D\", sizes = \"L\")", "@Linear(with = \"out = L == 100000 ? 16 : 8\") Layer fc;"),
                "[MC419] the costs have no closed form in L with a test for equality (==) with 100000 in \"out = L == 100000 ? 16 : 8\" of fc",
                "@Model", 50);
        // The model input's axis is the size itself: the same test written on input.L (or a remainder, or its negation), where before
        // it went unseen and at(100000) gave the figures without the layer it switches on.
        for (String test : List.of("input.L == 100000", "input.L != 100000", "input.L % 70001 == 0")) {
            String op = test.contains("%") ? "a remainder by 70001 (%)" : "a test for equality (" + (test.contains("!=") ? "!=" : "==") + ") with 100000";
            expectOnly(model("@Model(input = {64, 32}, layout = \"L,D\", sizes = \"L\")", "@Linear(out = 8) Layer fc;",
                    "@When(\"" + test + "\") @Linear(out = 8) Layer extra;"),
                    "[MC419] the costs have no closed form in L with " + op + " in @When(\"" + test + "\") of extra", "@Model", 50);
        }
    }

    @Test
    void testsThatTheLatticeAvoidsAreFollowed() {
        // A stride of 32: the lattice 64 + 32·k, on which H % 32 == 0 always holds and H never equals 100 (it is 4 off the lattice).
        Compilation compilation = compiled(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})",
                "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer conv;", "@Conv2d(cout = 4, k = 16, stride = 16) Layer patches;",
                "@When(\"H % 32 == 0 && W != 100\") @Conv2d(cout = 4, k = 1) Layer extra;"));
        // conv: H/2 · W/2 positions of 4·3·9 MACs, 27·H·W; patches: H/32 · W/32 of 4·4·256, 4·H·W; extra the same positions, 16
        // MACs, H·W/64: 1,985/64·H·W in all.
        assertEquals("MACS(H, W) = 1,985/64\u00b7H\u00b7W", closedForm(compilation, "MACS", "H", "W").toString());
    }

    @Test
    void aRemainderByTwoIsFollowed() {
        // An extra Linear(16 -> 16) on even lengths only. The declared length is odd: the samples at 15, 16, 17, ... tell the change,
        // and the lattice of odd lengths is taken, on which the model is Linear(32 -> 16) alone, 512 MACs a position.
        Compilation compilation = compiled(model("@Model(input = {15, 32}, layout = \"L,D\", sizes = \"L\")", "@Linear(out = 16) Layer fc;",
                "@When(\"L % 2 == 0\") @Linear(out = 16) Layer extra;"));
        assertEquals("MACS(L) = 512·L", closedForm(compilation, "MACS", "L").toString());
    }

    @Test
    void aLinearLayerIsLinearInTheSequenceLength() {
        // Linear(32 -> 64) on L tokens: L x 64 outputs of 32 MACs each; 2 x 32 - 1 FLOPs and a bias add each.
        Compilation compilation = compiled(model("@Model(input = {16, 32}, layout = \"L,D\", sizes = \"L\")", "@Linear(out = 64) Layer fc;"));
        ClosedForm macs = closedForm(compilation, "MACS", "L");
        assertEquals("MACS(L) = 2,048\u00b7L", macs.toString());
        assertEquals("FLOPS(L) = 4,096\u00b7L", closedForm(compilation, "FLOPS", "L").toString());
        assertEquals("PARAMS(L) = 2,112", closedForm(compilation, "PARAMS", "L").toString());
        assertEquals("OUTPUT_0(L) = L", closedForm(compilation, "OUTPUT_0", "L").toString());
        assertEquals(2_048L * 1_000_003, macs.at(1_000_003));
        assertEquals(2_048L * 16, constant(compilation, "test.NetCost", "MACS"));
        assertEquals("\"Net\", \"L\", 16, 1, 1, \"\", 2147483647, \"\"", domain(compilation, 0));
    }

    @Test
    void selfAttentionIsQuadraticInTheSequenceLength() {
        // nn.MultiheadAttention(8, 1, batch_first=True) on L x 8: the in-projection 3 x L x 8 x 8 = 192 L, the out-projection
        // 64 L, Q.K^T and A.V 8 L^2 each.
        Compilation compilation = compiled(model("@Model(input = {10, 8}, layout = \"L,D\", sizes = \"L\")",
                "@MultiheadAttention(numHeads = 1, batchFirst = true) Layer attention;"));
        assertEquals("MACS(L) = 256\u00b7L + 16\u00b7L\u00b2", closedForm(compilation, "MACS", "L").toString());
        assertEquals("MATMUL_MACS(L) = 16\u00b7L\u00b2", closedForm(compilation, "MATMUL_MACS", "L").toString());
    }

    @Test
    void theBatchIsAVariableToo() {
        Compilation compilation = compiled(model("@Model(input = {16, 32}, layout = \"L,D\", sizes = {\"L\", \"batch\"})",
                "@Linear(out = 64) Layer fc;"));
        assertEquals("MACS(L, batch) = 2,048\u00b7L\u00b7batch", closedForm(compilation, "MACS", "L", "batch").toString());
        assertEquals("PARAMS(L, batch) = 2,112", closedForm(compilation, "PARAMS", "L", "batch").toString());
    }

    @Test
    void expressionsReadTheVariablesByName() {
        // Linear(8 -> 2L) without bias on L tokens: L x 2L outputs of 8 MACs, 8 x 2L weights.
        Compilation compilation = compiled(model("@Model(input = {16, 8}, layout = \"L,D\", sizes = \"L\")",
                "@Linear(bias = false, with = \"out = 2 * L\") Layer fc;"));
        assertEquals("MACS(L) = 16\u00b7L\u00b2", closedForm(compilation, "MACS", "L").toString());
        assertEquals("PARAMS(L) = 16\u00b7L", closedForm(compilation, "PARAMS", "L").toString());
        assertEquals(16L * 16 * 16, constant(compilation, "test.NetCost", "MACS"));
    }

    @Test
    void aVariableMayNotTakeAConstantsName() {
        expectOnly(model("@Model(input = {16, 8}, layout = \"L,D\", sizes = \"L\")", "static final int L = 4;", "@Linear(out = 4) Layer fc;"),
                "[MC139] @Model(sizes) names \"L\", which the model already declares as a constant or parameter", "@Model", 49);
    }

    @Test
    void aStridedConvolutionHoldsOnTheLatticeOfItsStride() {
        // Conv2d(3 -> 8, 3x3, stride 2, padding 1): an output of floor((H - 1) / 2) + 1 rows, H / 2 for even H. So on the even sizes
        // MACs = 8 x 27 x H/2 x W/2 = 54 H W, and an odd size would leave the lattice. The smallest even size, 2, gives one row.
        Compilation compilation = compiled(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\"})",
                "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1, bias = false) Layer conv;"));
        assertEquals("MACS(H, W) = 54\u00b7H\u00b7W", closedForm(compilation, "MACS", "H", "W").toString());
        assertEquals("OUTPUT_1(H, W) = 1/2\u00b7H", closedForm(compilation, "OUTPUT_1", "H", "W").toString());
        assertEquals("\"Net\", \"H\", 32, 2, 2, \"\", 2147483646, \"\"", domain(compilation, 0));
    }

    @Test
    void aTensorInsideALayerEndsTheDomainWhereItPasses32Bits() {
        // A depthwise Conv1d with an even window of 32 and padding = SAME pads 15 positions on the left and 16 on the right: PyTorch
        // pads a copy of the input by one position on the right and convolves it with padding 15. The copy holds L + 1 positions,
        // 2,147,483,648 at L = 2,147,483,647, past 32 bits, where the processor refuses the model (MC401): no output reaches
        // there, so the domain ends at 2,147,483,646, the size before.
        String conv = "@Conv1d(cout = 48, k = 32, padding = Conv1d.SAME, groups = 48) Layer dw;";
        String why = ", 2147483646, \"at L = 2147483647%s: [MC401] dw: the copy of its input this Conv1d pads for padding = SAME, "
                + "2,147,483,648 long on its L axis (beyond 32 bits)";
        Compilation alone = compiled(model("@Model(input = {48, 20}, layout = \"C,L\", sizes = \"L\")", conv));
        assertTrue(domain(alone, 0).startsWith("\"Net\", \"L\", 20, 1, 1, \"\"" + why.formatted("")), domain(alone, 0));
        // With the batch too, the box's corner at the largest L and a batch of 1 fails alike: the domain ends at the same size, the
        // last step along the line from the defaults that holds, not one of a coarser grid.
        Compilation withBatch = compiled(model("@Model(input = {48, 20}, layout = \"C,L\", sizes = {\"L\", \"batch\"})", conv));
        assertTrue(domain(withBatch, 0).startsWith("\"Net\", \"L\", 20, 1, 1, \"\"" + why.formatted(", batch = 1 together")),
                domain(withBatch, 0));
    }

    @Test
    void theDomainStartsWhereTheNetworkExists() {
        // Two valid 5x5 convolutions: 32 -> 28 -> 24 rows; a 9-row input is the smallest that leaves one.
        Compilation compilation = compiled(model("@Model(input = {1, 32, 32}, sizes = \"H\")",
                "@Conv2d(cout = 4, k = 5, bias = false) Layer conv1;", "@Conv2d(cout = 4, k = 5, bias = false) Layer conv2;"));
        // MACs: 4 x 25 x (H - 4) x 28 + 4 x 100 x (H - 8) x 24 = 2,800 (H - 4) + 9,600 (H - 8).
        assertEquals("MACS(H) = \u221288,000 + 12,400\u00b7H", closedForm(compilation, "MACS", "H").toString());
        String domain = domain(compilation, 0);
        assertTrue(domain.startsWith("\"Net\", \"H\", 32, 1, 9, \"the network does not exist at the next size down, H = 8: [MC304] conv2: Conv2d window 5"), domain);
    }

    @Test
    void theDomainEndsWherePositionsRunOut() {
        // A table of 64 positions: the network exists up to 64 tokens, and the samples go down from the default.
        Compilation compilation = compiled(model("@Model(input = {64}, layout = \"L\", tokens = true, sizes = \"L\")",
                "@Arange Layer positions;", "@Embedding(numEmbeddings = 64, embeddingDim = 16) Layer wpe;", "@Linear(out = 4) Layer fc;"));
        assertEquals("MACS(L) = 64\u00b7L", closedForm(compilation, "MACS", "L").toString());
        String domain = domain(compilation, 0);
        assertTrue(domain.startsWith("\"Net\", \"L\", 64, 1, 1, \"\", 64, \"at L = 65: [MC310] wpe: Embedding numEmbeddings = 64"), domain);
    }

    @Test
    void positionsFromAnOffsetEndTheDomainSoonerByIt() {
        // Ids from 2 (OPT's offset) in a table of 64 rows: 62 positions at most.
        Compilation compilation = compiled(model("@Model(input = {32}, layout = \"L\", tokens = true, sizes = \"L\")",
                "@Arange(start = 2) Layer positions;", "@Embedding(numEmbeddings = 64, embeddingDim = 16) Layer wpe;", "@Linear(out = 4) Layer fc;"));
        String domain = domain(compilation, 0);
        assertTrue(domain.startsWith("\"Net\", \"L\", 32, 1, 1, \"\", 62, \"at L = 63: [MC310] wpe: Embedding numEmbeddings = 64"), domain);
    }

    /** Two heads of 8 attending over L positions through a causal sliding window of 32, counted exactly. */
    private static final String WINDOW = model("@Model(input = {2, 16, 8}, layout = \"H,L,D\", sizes = \"L\", causal = \"causal-exact\")",
            "@From({\"input\", \"input\", \"input\"}) @ScaledDotProductAttention(isCausal = true, slidingWindow = 32) Layer attention;");

    /** The forms of every piece of one figure, as the generated class lists them in {@code <FIGURE>_FORMS}. */
    private static List<String> pieces(Compilation compilation, String figure) {
        return pieceForms(compilation, figure).stream().map(ClosedForm::toString).toList();
    }

    /** The forms of every piece of one figure of a model of {@code L}, as the generated class lists them. */
    private static List<ClosedForm> pieceForms(Compilation compilation, String figure) {
        Matcher list = Pattern.compile(figure + "_FORMS = List\\.of\\((.*)\\);").matcher(generated(compilation));
        assertTrue(list.find(), figure);
        List<ClosedForm> forms = new java.util.ArrayList<>();
        Matcher form = Pattern.compile("\"(\\([^\"]*)\"\\)").matcher(list.group(1));
        while (form.find()) {
            forms.add(ClosedForm.parse(figure, List.of("L"), form.group(1)));
        }
        return forms;
    }

    @Test
    void aSlidingWindowStartsASecondPiece() {
        // Up to the window, query i sees i + 1 keys: L(L + 1)/2 pairs a head, 2 heads x 2 products x 8 = 32 MACs a pair, so 16 L + 16 L^2.
        // Past it, 32·33/2 + 32 (L - 32) = 32 L - 496 pairs: 1,024 L - 15,872 MACs. The KV cache keeps 2 x 16 values a position, of at
        // most 32 positions.
        Compilation compilation = compiled(WINDOW);
        assertTrue(generated(compilation).contains("PIECE_STARTS = List.of(1L, 33L);"));
        assertEquals(List.of("MACS(L) = 16\u00b7L + 16\u00b7L\u00b2", "MACS(L) = \u221215,872 + 1,024\u00b7L"), pieces(compilation, "MACS"));
        assertEquals(List.of("KV_CACHE(L) = 32\u00b7L", "KV_CACHE(L) = 1,024"), pieces(compilation, "KV_CACHE"));
        assertEquals(16L * 16 + 16L * 16 * 16, constant(compilation, "test.NetCost", "MACS"));
    }

    @Test
    void aPieceBelowTheDeclaredSizeWhereItSitsAtTheWindow() {
        // Declared at the window, 32: the samples from 32 up see a capped cache and a linear cost, and the sizes below get a piece of
        // their own, as for a shorter declared length: the same two forms. Both give 16,896 at 32, which starts the declared size's piece.
        Compilation compilation = compiled(WINDOW.replace("{2, 16, 8}", "{2, 32, 8}"));
        assertTrue(generated(compilation).contains("PIECE_STARTS = List.of(1L, 32L);"), generated(compilation));
        assertEquals(List.of("MACS(L) = 16\u00b7L + 16\u00b7L\u00b2", "MACS(L) = \u221215,872 + 1,024\u00b7L"), pieces(compilation, "MACS"));
        assertEquals(List.of("KV_CACHE(L) = 32\u00b7L", "KV_CACHE(L) = 1,024"), pieces(compilation, "KV_CACHE"));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"L\", 32, 1, 1, \"\","), domain(compilation, 0));
        assertEquals(16L * 32 + 16L * 32 * 32, constant(compilation, "test.NetCost", "MACS"));
    }

    @Test
    void aPieceBelowTheWindowWhereTheHeadsMergedBackAreAViewAtOnePosition() {
        // Declared at 64 over a window of 32, the heads merged back after the attention: .transpose(1, 2).reshape(L, 16) copies its
        // 64·L bytes at every L but 1, where the transposed tensor is contiguous and the reshape a view. The peak is the input, the
        // attention's output and that copy, 192·L, but at L = 1 the input and the output alone, 128: the piece below the window
        // holds from 2, and L = 1 takes a piece of its own, where the sizes below the window had none.
        String text = WINDOW.replace("{2, 16, 8}", "{2, 64, 8}").replace("Layer attention;", "Layer attention; "
                + "@Transpose(dim0 = 1, dim1 = 2) Layer merged; @Reshape(layout = \"L,D\", with = \"shape = [input.L, 16]\") Layer flat;");
        Compilation compilation = compiled(text);
        assertPieceStarts(compilation, "1L, 2L, 32L");
        assertEquals(List.of("PEAK_ACTIVATION_BYTES(L) = 128", "PEAK_ACTIVATION_BYTES(L) = 192\u00b7L", "PEAK_ACTIVATION_BYTES(L) = 192\u00b7L"),
                pieces(compilation, "PEAK_ACTIVATION_BYTES"));
        // Every piece gives what the model compiled at that length gives.
        List<Long> starts = List.of(1L, 2L, 32L);
        for (int length : new int[] {1, 2, 3, 17, 31, 32, 33, 100}) {
            Compilation fixed = compiled(text.replace("{2, 64, 8}", "{2, " + length + ", 8}"));
            int piece = (int) starts.stream().filter(start -> start <= length).count() - 1;
            for (String figure : List.of("MACS", "FLOPS", "OTHER_OPS", "KV_CACHE", "PEAK_ACTIVATION_BYTES", "INFERENCE_MEMORY_BYTES")) {
                long expected = constant(fixed, "test.NetCost", figure);
                assertEquals(expected, pieceForms(compilation, figure).get(piece).at(length), figure + " at L = " + length);
            }
        }
    }

    @Test
    void aDeclaredSizeJustUnderTheWindowSamplesDownward() {
        // Declared at 30: five sizes up cross the window at 33, five down (25 to 29) do not; the pieces are those of every other default.
        Compilation compilation = compiled(WINDOW.replace("{2, 16, 8}", "{2, 30, 8}"));
        assertTrue(generated(compilation).contains("PIECE_STARTS = List.of(1L, 33L);"), generated(compilation));
        assertEquals(List.of("MACS(L) = 16\u00b7L + 16\u00b7L\u00b2", "MACS(L) = \u221215,872 + 1,024\u00b7L"), pieces(compilation, "MACS"));
    }

    @Test
    void aDeclaredSizeTooCloseToOneForFiveSizesDownSamplesFromOne() {
        // Declared at 5 under a window of 7: five sizes up (5 to 9) cross it, and 1 to 5 are the five below. Up to the window, 16 L + 16 L^2
        // as above; past it, 7·8/2 + 7 (L - 7) = 7 L - 21 pairs, 32 MACs each: 224 L - 672. Both give 896 at 7.
        Compilation compilation = compiled(WINDOW.replace("{2, 16, 8}", "{2, 5, 8}").replace("slidingWindow = 32", "slidingWindow = 7"));
        assertTrue(generated(compilation).contains("PIECE_STARTS = List.of(1L, 8L);"), generated(compilation));
        assertEquals(List.of("MACS(L) = 16\u00b7L + 16\u00b7L\u00b2", "MACS(L) = \u2212672 + 224\u00b7L"), pieces(compilation, "MACS"));
    }

    @Test
    void aRangeBudgetCrossesPieces() {
        // 1,024 L - 15,872 exceeds 40,000 first at L = 55; up to the window the MACs stay below 16,896.
        expectOnly(WINDOW.replace("@Model(", "@Budget(maxMacs = 40_000, over = \"L = 1..100\")\n@Model("),
                "[MC420] MACS = 40,448 at L = 55 exceeds the budget maxMacs = 40,000 by 1.1%", "@Budget", 19);
    }

    @Test
    void aRangeBudgetNamesTheFirstSizeThatBreaksIt() {
        // 2,048 L MACs exceed 2,048,000 first at L = 1,001.
        expectOnly(model("@Model(input = {16, 32}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxMacs = 2_048_000, over = \"L = 1..4096\")",
                "@Linear(out = 64) Layer fc;"),
                "[MC420] MACS = 2,050,048 at L = 1001 exceeds the budget maxMacs = 2,048,000 by 0.1%, the first size of over = \"L = 1..4096\" that breaks it",
                "@Budget", 19);
    }

    @Test
    void aBoundBrokenAtTheDeclaredSizesIsToldThereOnly() {
        // Linear(32, 64): 2,112 parameters at every L, over 2,000 at the declared L = 16 already: MC402 there, not MC420 at L = 1 too.
        expectOnly(model("@Model(input = {16, 32}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxParams = 2_000, over = \"L = 1..4096\")",
                "@Linear(out = 64) Layer fc;"), "[MC402] PARAMS = 2,112 exceeds the budget maxParams = 2,000 by 5.6%", "@Budget", 21);
        // Another bound broken over the range only is still told with it.
        Compilation broken = ModelSources.compile(ModelSources.source("test.Net", model("@Model(input = {16, 32}, layout = \"L,D\", sizes = \"L\")\n"
                + "@Budget(maxParams = 2_000, maxMacs = 2_048_000, over = \"L = 1..4096\")", "@Linear(out = 64) Layer fc;")));
        assertThat(broken).hadErrorCount(2);
        assertThat(broken).hadErrorContaining("[MC402] PARAMS = 2,112");
        assertThat(broken).hadErrorContaining("[MC420] MACS = 2,050,048 at L = 1001");
    }

    /** A stride-2 Conv1d(4, 8, k = 3) over L: floor((L - 3) / 2) + 1 outputs of 4 · 3 MACs per channel, 96 each; forms on even L. */
    private static final String STRIDED = model("@Model(input = {4, 100}, layout = \"C,L\", sizes = \"L\")\n@Budget(maxMacs = 4_800, over = \"%s\")",
            "@Conv1d(cout = 8, k = 3, stride = 2, bias = false) Layer down;");

    @Test
    void aRangeOffTheLatticeIsCheckedSizeBySizeFromTheSizeProgram() {
        // 96 · (floor((L - 3) / 2) + 1) passes 4,800 first where the outputs reach 51: L - 3 >= 100, L = 103 (odd, off the lattice of
        // even sizes); at 102, 50 outputs, 4,800 exactly.
        expectOnly(STRIDED.formatted("L = 3..500"),
                "[MC420] MACS = 4,896 at L = 103 exceeds the budget maxMacs = 4,800 by 2.0%, the first size of over = \"L = 3..500\" that breaks it",
                "@Budget", 19);
        // From L = 1, where the convolution has no output: the range takes a size where the network does not exist.
        expectOnly(STRIDED.formatted("L = 1..500"), "[MC140] @Budget(over = \"L = 1..500\") takes L = 1, where Net does not exist at L = 1: down "
                + "(Conv1d) gets 1 position on its L axis, where it takes 3 or more", "@Budget", 33);
        // Off the lattice, the sizes are checked one by one, at most 100,000 of them.
        expectOnly(STRIDED.formatted("L = 3..200002"), "[MC140] @Budget(over = \"L = 3..200002\") takes sizes off the closed forms' lattices, "
                + "where the size program answers one size at a time, and its 200,000 sizes are too many to check so", "@Budget", 33);
        // On the lattice (even sizes, a step of 2) the forms settle it as before.
        expectOnly(STRIDED.formatted("L = 4..500 step 2"),
                "[MC420] MACS = 4,896 at L = 104 exceeds the budget maxMacs = 4,800 by 2.0%", "@Budget", 19);
        // A skip concatenated with its pooled and upsampled self exists at even lengths only: 16·L MACs pass 300 at L = 20, but the
        // range also takes L = 21, where the network does not exist, and that alone is the error, as on the lattice.
        expectOnly(model("@Model(input = {4, 16}, layout = \"C,L\", sizes = \"L\")\n@Budget(maxMacs = 300, over = \"L = 20..50\")",
                "@Conv1d(cout = 4, k = 1, bias = false) Layer a;", "@MaxPool1d(k = 2) Layer p;", "@Upsample(scaleFactor = 2) Layer u;",
                "@Concat({\"a\", \"u\"}) Layer cat;"), "[MC140] @Budget(over = \"L = 20..50\") takes L = 21, where Net does not exist at L = 21: "
                + "cat (Concat) merges inputs of 21 and 20 positions on its L axis", "@Budget", 31);
    }

    @Test
    void aRangeBudgetBrokenNear64BitsGivesItsTruePercentage() {
        // 16 L^2 MACs first exceed 2^61 - 1 at L = 379,625,063 (sqrt((2^61 - 1) / 16) = 379,625,062.49...): by a hair, not "over
        // 100%", within the range where the model exists: its FLOPS, 31 L^2 (2 x 16 - 1 per output), pass 2^63 - 1 only from
        // L = 545,461,393.
        expectOnly(model("@Model(input = {8, 16}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxMacs = 2_305_843_009_213_693_951L, over = \"L = 1..500000000\")",
                        "@Transpose Layer tr;", "@From({\"input\", \"tr\"}) @MatMul Layer m;"),
                "[MC420] MACS = 2,305,843,015,324,063,504 at L = 379625063 exceeds the budget maxMacs = 2,305,843,009,213,693,951 by less than 0.1%",
                "@Budget", 19);
        // Past the model's end, the range is refused for it: no bound is checked where the model does not compile.
        expectOnly(model("@Model(input = {8, 16}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxMacs = Long.MAX_VALUE - 1, over = \"L = 1..2147483647\")",
                        "@Transpose Layer tr;", "@From({\"input\", \"tr\"}) @MatMul Layer m;"),
                "[MC140] @Budget(over = \"L = 1..2147483647\") takes L where the closed forms do not hold: they hold for L from 1 to 545,461,392",
                "@Budget", 46);
    }

    @Test
    void aRangeBudgetThatHoldsCompiles() {
        compiled(model("@Model(input = {16, 32}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxMacs = 2_048_000, over = \"L = 1..1000\")",
                "@Linear(out = 64) Layer fc;"));
    }

    @Test
    void aSquareRangeStepsOnTheLattice() {
        // 54 H W exceeds 54 x 96 x 96 = 497,664 first at H = W = 128 in steps of 32.
        expectOnly(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\"})\n@Budget(maxMacs = 497_664, over = \"H = W = 32..256 step 32\")",
                "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1, bias = false) Layer conv;"),
                "[MC420] MACS = 884,736 at H = 128, W = 128 exceeds the budget maxMacs = 497,664", "@Budget", 19);
    }

    @Test
    void aGridOfRangesVariesTheLastFastest() {
        // 54 H W > 100,000 first at H = 32 with W = 64 (110,592): H runs over 32, 64; W over 32, 64 for each.
        expectOnly(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\"})\n@Budget(maxMacs = 100_000, over = \"H = 32..64 step 32, W = 32..64 step 32\")",
                "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1, bias = false) Layer conv;"),
                "[MC420] MACS = 110,592 at H = 32, W = 64 exceeds the budget maxMacs = 100,000", "@Budget", 19);
    }

    @Test
    void trainingFollowsAVariableBatch() {
        // @Training without a batch trains at the model's: 3 x the forward FLOPs, at every batch. Linear(32 -> 8): 8 outputs of
        // 2 x 32 FLOPs (bias included) a sample.
        Compilation compilation = compiled(model("@Model(input = {32}, batch = 4, sizes = \"batch\")\n@Training(optimizer = \"SGD\")",
                "@Linear(out = 8) Layer fc;"));
        assertEquals("TRAINING_FLOPS(batch) = 1,536\u00b7batch", closedForm(compilation, "TRAINING_FLOPS", "batch").toString());
    }

    @Test
    void aFlattenedAxisStillSetsTheLattice() {
        // The pooling sees H x 5 flattened positions: to take in its windows of 7, H steps by 7.
        Compilation compilation = compiled(model("@Model(input = {3, 64, 5}, sizes = \"H\")", "@Conv2d(cout = 4, k = 1) Layer conv;",
                "@Flatten(startDim = 2) Layer flat;", "@AdaptiveAvgPool1d(7) Layer pool;"));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"H\", 64, 7,"), domain(compilation, 0));
    }

    /** An MLP's wide output, then attention-like scores of L x L: the peak moves from one to the other as L grows. */
    private static final String[] MLP_THEN_SCORES = {"@Linear(out = 1024, bias = false) Layer up;", "@Linear(out = 8, bias = false) Layer down;",
        "@From({\"down\", \"down\"}) @MatMul(transposeB = true) Layer scores;"};

    @Test
    void aSliceOfAFixedPartKeepsEverySize() {
        // The first 4 positions, whatever L: no windows that repeat, so every L from 4 up.
        Compilation compilation = compiled(model("@Model(input = {16, 8}, layout = \"L,D\", sizes = \"L\")",
                "@Slice(dim = 1, start = 0, end = 4) Layer head;", "@Linear(out = 8) Layer fc;"));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"L\", 16, 1, 4,"), domain(compilation, 0));
    }

    @Test
    void aResamplingToASizeKeepsEverySize() {
        // Any H and W resample to 8 x 8, whose costs follow the output alone: every size from 1 up.
        Compilation compilation = compiled(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\"})",
                "@Upsample(size = 8, mode = \"bilinear\") Layer resize;", "@Conv2d(cout = 4, k = 3) Layer conv;"));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"H\", 32, 1, 1,"), domain(compilation, 0));
        ClosedForm bytes = closedForm(compilation, "BYTES_MOVED", "H", "W");
        // The resampling reads 3·H·W floats; everything after it is fixed: one more row of W = 5 reads 3 x 5 x 4 bytes more.
        assertEquals(60, bytes.at(33, 5) - bytes.at(32, 5));
        assertEquals(bytes.at(17, 1) + 3L * 4 * (299 * 301 - 17), bytes.at(299, 301));
    }

    @Test
    void theActivationPeakIsTheLargestOfItsStepsForms() {
        // By hand, float32, batch 1, the input (8·L·4 = 32·L bytes) held throughout:
        //   up:     input + up's output (1024·L·4)                        = 4,128·L
        //   down:   input + up's output + down's output (8·L·4)           = 4,160·L
        //   scores: input + down's output + the scores (L·L·4)            = 64·L + 4·L²
        // The MLP's step is the peak up to L = 1,024, the scores' beyond; weights (8·1024 + 1024·8)·4 = 65,536 bytes.
        Compilation compilation = compiled(model("@Model(input = {16, 8}, layout = \"L,D\", sizes = \"L\")", MLP_THEN_SCORES));
        ClosedForm peak = closedForm(compilation, "PEAK_ACTIVATION_BYTES", "L");
        assertEquals("PEAK_ACTIVATION_BYTES(L) = max(4,160\u00b7L, 64\u00b7L + 4\u00b7L\u00b2)", peak.toString());
        assertEquals(2, peak.parts().size());
        assertEquals(4160L * 1024, peak.at(1024));
        assertEquals(64L * 1025 + 4L * 1025 * 1025, peak.at(1025));
        ClosedForm inference = closedForm(compilation, "INFERENCE_MEMORY_BYTES", "L");
        assertEquals(65_536L + 64L * 4096 + 4L * 4096 * 4096, inference.at(4096));
        assertEquals(65_536L + 4160L * 16, inference.at(16));
        assertTrue(generated(compilation).contains("WITHOUT_CLOSED_FORM = List.of()"), generated(compilation));
        // The model compiled past the switch has that peak.
        Compilation at2048 = compiled(model("@Model(input = {2048, 8}, layout = \"L,D\")", MLP_THEN_SCORES));
        assertEquals(peak.at(2048), constant(at2048, "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        // The reports show the maximum as it is.
        String json = report(compilation, "json");
        assertTrue(json.contains("\"PEAK_ACTIVATION_BYTES\":\"max((4160*L) / 1, (64*L + 4*L^2) / 1)\""), json);
        String markdown = report(compilation, "md");
        assertTrue(markdown.contains("| PEAK_ACTIVATION_BYTES | `max(4,160\u00b7L, 64\u00b7L + 4\u00b7L\u00b2)` |"), markdown);
        assertTrue(markdown.contains("(a maximum over the layers, such as the activation peak, as the largest of several)"), markdown);
    }

    @Test
    void aMixtureOfExpertsGivesTheStepsOfItsExpert() {
        // Inside the expert, the L x L scores with a D x D product are the largest step for small and large L, the MLP's 55- and
        // 45-wide outputs for L from 30 to 70: the expert's peak is a maximum, so each of its steps is a part of the model's.
        String text = model("@Model(input = {8, 45}, layout = \"L,D\", sizes = \"L\")", "@Experts(count = 2, topK = 1) E experts;",
                "", "@Block public static class E {", "    @Transpose Layer t;",
                "    @From({\"input\", \"input\"}) @MatMul(transposeB = true) Layer s;", "    @From({\"t\", \"input\"}) @MatMul Layer g;",
                "    @From(\"g\") @Linear(out = 1) Layer gr;", "    @From(\"s\") @Linear(out = 1) Layer sr;",
                "    @From(\"input\") @Linear(out = 55) Layer up;", "    @Linear(out = 45) Layer down;", "}");
        ClosedForm peak = closedForm(compiled(text), "PEAK_ACTIVATION_BYTES", "L");
        for (int l : new int[] {20, 30, 50, 70, 90}) {
            Compilation at = compiled(text.replace("input = {8, 45}, layout = \"L,D\", sizes = \"L\"", "input = {" + l + ", 45}, layout = \"L,D\""));
            assertEquals(constant(at, "test.NetCost", "PEAK_ACTIVATION_BYTES"), peak.at(l), "L = " + l);
        }
    }

    @Test
    void aStepMayGrowWithASizeNoOtherFigureDoes() {
        // Only the first position is used, but the input (L x 8 float32 = 32·L bytes) is held throughout; the linear layer's
        // output is 16 x 4 = 64 bytes. Every other figure is constant in L.
        Compilation compilation = compiled(model("@Model(input = {16, 8}, layout = \"L,D\", sizes = \"L\")",
                "@Select(dim = 1, index = 0) Layer first;", "@Linear(out = 16) Layer fc;"));
        assertEquals("PEAK_ACTIVATION_BYTES(L) = 64 + 32\u00b7L", closedForm(compilation, "PEAK_ACTIVATION_BYTES", "L").toString());
    }

    @Test
    void runsFoldForThePeaksForm() {
        // 16 x 16 x 16 repetitions of two layers list 8,192 steps in the report's timeline; every later repetition runs on the
        // same live bytes as the second, so the forms take two of each run.
        String text = model("@Model(input = {16, 8}, layout = \"L,D\", sizes = \"L\")", "@Repeat(16) A a;", "",
                "@Block public static class A { @Repeat(16) B b; }", "@Block public static class B { @Repeat(16) C c; }",
                "@Block public static class C { @Linear(out = 8) Layer fc; @ReLU Layer act; }");
        Compilation compilation = compiled(text);
        assertTrue(generated(compilation).contains("WITHOUT_CLOSED_FORM = List.of()"), generated(compilation));
        ClosedForm peak = closedForm(compilation, "PEAK_ACTIVATION_BYTES", "L");
        for (int l : new int[] {1, 300}) {
            Compilation at = compiled(text.replace("input = {16, 8}, layout = \"L,D\", sizes = \"L\"", "input = {" + l + ", 8}, layout = \"L,D\""));
            assertEquals(constant(at, "test.NetCost", "PEAK_ACTIVATION_BYTES"), peak.at(l), "L = " + l);
        }
    }

    @Test
    void aTimelineWhoseStepsFollowTheSizesGivesThePeakNoForm() {
        // One repetition per position: the timeline has a second repetition, standing for the later ones, from L = 2 on.
        Compilation compilation = compiled(model("@Model(input = {8, 8}, layout = \"L,D\", sizes = \"L\")",
                "@Repeat(count = \"input.L\") Sub sub;", "", "@Block public static class Sub {", "    @Linear(out = 8) Layer l1;",
                "    @ReLU Layer act;", "    @Add({\"input\", \"act\"}) Layer sum;", "}"));
        assertTrue(generated(compilation).contains("WITHOUT_CLOSED_FORM = List.of(\"PEAK_ACTIVATION_BYTES\", \"INFERENCE_MEMORY_BYTES\")"),
                generated(compilation));
        assertTrue(generated(compilation).contains("which has 3 steps at L = 1, not the 6 at the declared sizes (a repetition, or a &#64;When, that follows the sizes)"), generated(compilation));
    }

    /** Two heads of 4 split from a bias-free projection, their scores by matmul: PyTorch copies the heads unless L or batch is 1. */
    private static final String HEADS = model("@Model(input = {4, 8}, layout = \"L,D\", sizes = {\"L\", \"batch\"})",
            "@Linear(out = 8, bias = false) Layer query;", "@Reshape(layout = \"L,H,D\", with = \"shape = [input.L, 2, 4]\") Layer q;",
            "@Transpose(dim0 = 1, dim1 = 2) Layer qh;", "@From({\"qh\", \"qh\"}) @MatMul(transposeB = true) Layer scores;");

    @Test
    void aStepThatCopiesNothingWhereASizeIsOneTakesTheSmallestOfItsForms() {
        // matmul reshapes q.transpose(1, 2), batch x 2 x L x 4 with strides (8·L, 4, 8, 1), to (2·batch) x L x 4: a view only where
        // batch or L is 1, a copy of 32·L·batch bytes (and one of the transposed operand) elsewhere. The step of the scores holds
        // the input, the projection, the scores (32·L·batch + 32·L·batch + 8·L²·batch bytes) and, off L = 1 and batch = 1, the two
        // copies, 64·L·batch more: no one polynomial, so the peak is the largest of steps one of which is the smallest of three.
        Compilation compilation = compiled(HEADS);
        assertTrue(generated(compilation).contains("WITHOUT_CLOSED_FORM = List.of()"), generated(compilation));
        ClosedForm peak = closedForm(compilation, "PEAK_ACTIVATION_BYTES", "L", "batch");
        assertTrue(peak.text().contains("min("), peak.toString());
        ClosedForm memory = closedForm(compilation, "INFERENCE_MEMORY_BYTES", "L", "batch");
        for (int[] at : new int[][] {{1, 1}, {1, 5}, {7, 1}, {2, 2}, {5, 3}, {33, 2}, {3, 17}}) {
            Compilation there = compiled(HEADS.replace("input = {4, 8}, layout = \"L,D\", sizes = {\"L\", \"batch\"}",
                    "input = {" + at[0] + ", 8}, layout = \"L,D\", batch = " + at[1]));
            long expected = constant(there, "test.NetCost", "PEAK_ACTIVATION_BYTES");
            assertEquals(expected, peak.at(at[0], at[1]), "L = " + at[0] + ", batch = " + at[1]);
            assertEquals(constant(there, "test.NetCost", "INFERENCE_MEMORY_BYTES"), memory.at(at[0], at[1]), "L = " + at[0] + ", batch = " + at[1]);
            long base = 64L * at[0] * at[1] + 8L * at[0] * at[0] * at[1];
            assertEquals(at[0] == 1 || at[1] == 1 ? base : base + 64L * at[0] * at[1], expected, "L = " + at[0] + ", batch = " + at[1]);
        }
        assertTrue(generated(compilation).contains("where a step's live bytes take another form at a size's smallest"), generated(compilation));
        assertTrue(report(compilation, "md").contains("the smallest of the step's form and forms that are the step's live bytes where they fall"), report(compilation, "md"));
        // A budget over the batch at L = 4: 384 bytes at a batch of 1 (no copy), 1,280 at 2, where it breaks 500; the step's form off
        // the faces alone would break it at 1 already (640).
        String budgeted = HEADS.replace("@Model(", "@Budget(maxPeakActivationBytes = 500, over = \"batch = 1..8\")\n@Model(");
        expectOnly(budgeted, "[MC420] PEAK_ACTIVATION_BYTES = 1,280 at L = 4, batch = 2 exceeds the budget maxPeakActivationBytes = 500 by 156.0%",
                "@Budget", 34);
    }

    /**
     * Patches of 2x2 as in a DiT, put back into a sequence through a transpose and scored as two heads: {@code L = H·W/4} tokens
     * on a lattice of period 2 in each size, whose smallest, 2, is one patch.
     */
    private static final String PATCHES = model("@Model(input = {4, 8, 8}, batch = 2, sizes = {\"H\", \"W\"})",
            "@Conv2d(cout = 8, k = 2, stride = 2, bias = false) Layer patch;", "@Transpose(dim0 = 2, dim1 = 3) Layer t;",
            "@Flatten(startDim = 2, layout = \"C,L\") Layer flat;", "@Transpose(dim0 = 1, dim1 = 2) Layer tokens;",
            "@Linear(out = 8, bias = false) Layer q;",
            "@Reshape(layout = \"L,H,D\", with = \"shape = [input.H / 2 * (input.W / 2) * input.C / input.C, 2, 4]\") Layer split;",
            "@Transpose(dim0 = 1, dim1 = 2) Layer heads;", "@From({\"heads\", \"heads\"}) @MatMul(transposeB = true) Layer scores;");

    @Test
    void stepsOfAnotherFormAtTheSmallestSizesOfLatticesOfPeriodTwoTakeTheirOwnForms() {
        // Batch 2, float32, A = H/2 and B = W/2 patches, L = A·B. The input lives throughout, 32·H·W bytes; the patches 16·H·W.
        // flat reshapes the transposed patches (2, 8, B, A): a copy of 16·H·W bytes unless A or B is 1. q's Linear folds tokens
        // (2, L, 8), strides (8L, 1, L): a copy of 16·H·W unless L is 1, then its output 16·H·W. scores' matmul folds the heads
        // (2, 2, L, 4), strides (8L, 4, 8, 1), into 4 x L x 4: two copies of 16·H·W unless L is 1, then L² scores a head, H²·W²
        // bytes. Steps: flat 48·H·W (+ 16·H·W copied); q the input, flat's storage (the patches' where flat is a view), q's copy
        // and q; scores the input, q, the copies and the scores. The sizes have no program (split divides by a size, input.C), so
        // the forms answer the lattices alone: the step of scores takes another form where H = W = 2 only, where faces meet.
        Compilation sized = compiled(PATCHES);
        assertTrue(generated(sized).contains("WITHOUT_CLOSED_FORM = List.of()"), generated(sized));
        ClosedForm peak = closedForm(sized, "PEAK_ACTIVATION_BYTES", "H", "W");
        assertTrue(peak.text().contains("min("), peak.toString());
        ClosedForm memory = closedForm(sized, "INFERENCE_MEMORY_BYTES", "H", "W");
        for (int[] at : new int[][] {{2, 2}, {2, 4}, {4, 2}, {2, 10}, {12, 2}, {4, 4}, {6, 10}, {20, 14}}) {
            long hw = (long) at[0] * at[1];
            boolean onePatchWide = at[0] == 2 || at[1] == 2;
            boolean oneToken = at[0] == 2 && at[1] == 2;
            long flat = 48 * hw + (onePatchWide ? 0 : 16 * hw);
            long q = 32 * hw + 16 * hw + (oneToken ? 0 : 16 * hw) + 16 * hw;
            long scores = 32 * hw + 16 * hw + (oneToken ? 0 : 32 * hw) + hw * hw;
            long expected = Math.max(flat, Math.max(q, scores));
            assertEquals(expected, peak.at(at[0], at[1]), java.util.Arrays.toString(at));
            // the weights besides: the conv's 8·4·2·2 and the Linear's 8·8 parameters, 4 bytes each
            assertEquals(expected + 4 * (128 + 64), memory.at(at[0], at[1]), java.util.Arrays.toString(at));
            Compilation fixed = compiled(PATCHES.replace("input = {4, 8, 8}, batch = 2, sizes = {\"H\", \"W\"}",
                    "input = {4, " + at[0] + ", " + at[1] + "}, batch = 2"));
            assertEquals(expected, constant(fixed, "test.NetCost", "PEAK_ACTIVATION_BYTES"), java.util.Arrays.toString(at));
        }
    }

    @Test
    void stepsThatCopyNothingWhereASizeIsOneHoldWithThreeVariables() {
        // Each input's heads, their scores: copies off src.L = 1 and batch = 1 for one step, off tgt.L = 1 and batch = 1 for the
        // other. The sizes have no bound but 32 bits, so the far corners of the faces do not exist together: checked where they do.
        String fields = "@From(\"tgt\") @Linear(out = 8, bias = false) Layer query; @Reshape(layout = \"L,H,D\", with = \"shape = [tgt.L, 2, 4]\") Layer q; "
                + "@Transpose(dim0 = 1, dim1 = 2) Layer qh; @From(\"src\") @Linear(out = 8, bias = false) Layer key; "
                + "@Reshape(layout = \"L,H,D\", with = \"shape = [src.L, 2, 4]\") Layer k; @Transpose(dim0 = 1, dim1 = 2) Layer kh; "
                + "@From({\"kh\", \"kh\"}) @MatMul(transposeB = true) Layer scores; @From({\"qh\", \"qh\"}) @MatMul(transposeB = true) Layer scores2;";
        String header = "@Model(inputs = {@Input(name = \"src\", shape = {%d, 8}, layout = \"L,D\"), @Input(name = \"tgt\", shape = {%d, 8}, layout = \"L,D\")}%s)";
        Compilation sized = compiled(model(header.formatted(6, 5, ", sizes = {\"src.L\", \"tgt.L\", \"batch\"}"), fields));
        assertTrue(generated(sized).contains("WITHOUT_CLOSED_FORM = List.of()"), generated(sized));
        ClosedForm peak = closedForm(sized, "PEAK_ACTIVATION_BYTES", "src.L", "tgt.L", "batch");
        for (int[] at : new int[][] {{1, 1, 1}, {1, 3, 2}, {9, 1, 5}, {2, 40, 1}, {9, 40, 2}, {1, 1, 7}}) {
            Compilation fixed = compiled(model(header.formatted(at[0], at[1], ", batch = " + at[2]), fields));
            assertEquals(constant(fixed, "test.NetCost", "PEAK_ACTIVATION_BYTES"), peak.at(at[0], at[1], at[2]), java.util.Arrays.toString(at));
        }
    }

    /** Token ids through an embedding of 100 rows of 8, then a linear layer: the embedding reads at most its table. */
    private static final String GATHERING = model("@Model(input = {16}, layout = \"L\", tokens = true, sizes = \"L\")",
            "@Embedding(numEmbeddings = 100, embeddingDim = 8) Layer emb;", "@Linear(out = 4) Layer fc;");

    @Test
    void aLatticeOfEvenLengthsUnderCausalHalfSaysWhyNoFinerOneHolds() {
        // Half of a causal attention's L·L pairs, rounded down, is L²/2 at even L and (L² − 1)/2 at odd L: no polynomial on every
        // length, one on the even ones. No size program solves that floor, so at(7) refuses L = 7 and says why the lattice is even.
        Compilation compilation = compiled(model("@Model(input = {16}, layout = \"L\", tokens = true, sizes = \"L\", causal = \"causal-half\")",
                "@Embedding(numEmbeddings = 100, embeddingDim = 8) Layer emb;", "@MultiheadAttention(embedDim = 8, numHeads = 2, isCausal = true) Layer attn;"));
        String domain = domain(compilation, 0);
        assertTrue(domain.startsWith("\"Net\", \"L\", 16, 2, \"MACS is no polynomial of degree 3 or less in L on the integers; @Model(causal = "
                + "\\\"causal-half\\\") counts half of each causal attention's query-key pairs, rounded down, which alternates with the lengths' "
                + "parity\", 2, "), domain);
        // at(...)'s Javadoc and the reports say it too, beside why no size program answers.
        // (At L = 1: the projections' 3 * 64 + 64 MACs, and half of the one query-key pair, rounded down, none.)
        assertTrue(generated(compilation).contains("Sizes off those lattices are refused: the model gives MACS = 256 at L = 1, a size the program was checked at, not the "),
                generated(compilation));
        assertTrue(generated(compilation).contains("No finer lattice of L holds: MACS is no polynomial of degree 3 or less in L on the integers; "),
                generated(compilation));
        assertTrue(report(compilation, "md").contains(". No finer lattice of L holds: MACS is no polynomial"), report(compilation, "md"));
        // The same model counted causal-exact, L·(L + 1)/2 pairs, is a polynomial on every length: nothing to say.
        Compilation exact = compiled(model("@Model(input = {16}, layout = \"L\", tokens = true, sizes = \"L\", causal = \"causal-exact\")",
                "@Embedding(numEmbeddings = 100, embeddingDim = 8) Layer emb;", "@MultiheadAttention(embedDim = 8, numHeads = 2, isCausal = true) Layer attn;"));
        assertTrue(domain(exact, 0).startsWith("\"Net\", \"L\", 16, 1, 1, "), domain(exact, 0));
    }

    @Test
    void whyNoFinerLatticeHoldsNamesWhatTheTrialsFound() {
        // Padded to an even length (the ids' L % 2 positions), under causal-half but with no causal attention: the pad's sizes are why,
        // and causal-half is not named. (The pad's division by a size, x.D, leaves the model without a size program, which would answer
        // odd lengths.)
        Compilation padded = compiled(model("@Model(input = {16}, layout = \"L\", tokens = true, sizes = \"L\", causal = \"causal-half\")",
                "@Embedding(numEmbeddings = 100, embeddingDim = 8) Layer emb;", "@Pad(with = \"pad = [0, 0, 0, input.L % 2 * x.D / x.D]\") Layer pad;",
                "@MultiheadAttention(embedDim = 8, numHeads = 2, batchFirst = true) Layer attn;", "@ReLU Layer relu;"));
        assertTrue(domain(padded, 0).startsWith("\"Net\", \"L\", 16, 2, \"the sizes of layer pad on axis L are not affine on the integers"),
                domain(padded, 0));
        assertFalse(domain(padded, 0).contains("causal-half"), domain(padded, 0));
        // A stride of 2 whose map a reshape doubles in height and halves in width: the program cannot follow it, and the lattice of
        // period 2 was not halved, the convolution's output growing by 1 a step of 2.
        Compilation strided = compiled(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})",
                "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer conv;", "@Flatten(startDim = 2, layout = \"D,L\") Layer flat;",
                "@Reshape(layout = \"C,H,W\", with = \"shape = [8, conv.H * 2, conv.W / 2]\") Layer img;"));
        assertTrue(domain(strided, 0).startsWith("\"Net\", \"H\", 64, 2, \"a layer's size along H grows by an odd number a step of the lattice "
                + "64 + 2\u00b7k, so that on a lattice of half its period it would not grow by a whole number\", "), domain(strided, 0));
    }

    @Test
    void theBytesMovedOfAnEmbeddingAreTheSmallerOfItsTableAndItsReads() {
        // By hand, float32, batch 1: the embedding reads L ids of 8 bytes, min(100·8·4 = 3,200, L·8·4) bytes of weights and writes
        // 32·L; the linear layer reads 32·L, its (8·4 + 4)·4 = 144 bytes of weights and writes 16·L: 88·L + 144 + min(3,200, 32·L).
        Compilation compilation = compiled(GATHERING);
        ClosedForm bytes = closedForm(compilation, "BYTES_MOVED", "L");
        assertEquals("BYTES_MOVED(L) = min(144 + 120\u00b7L, 3,344 + 88\u00b7L)", bytes.toString());
        assertTrue(bytes.isMinimum());
        assertEquals(144 + 120L * 100, bytes.at(100));
        assertEquals(3344 + 88L * 101, bytes.at(101));
        assertTrue(generated(compilation).contains("WITHOUT_CLOSED_FORM = List.of()"), generated(compilation));
    }

    @Test
    void anEmbeddingInsideAMixtureOfExpertsGivesTheBytesMovedNoForm() {
        // Each expert reads at most its 1,000-row table, at token counts the forms do not follow: no form, rather than the rows
        // read alone, which is wrong above 1,000 positions.
        Compilation compilation = compiled(model("@Model(input = {16}, layout = \"L\", tokens = true, sizes = \"L\")",
                "@Experts(count = 2, topK = 2) E experts;", "@Linear(out = 4) Layer fc;", "",
                "@Block public static class E { @Embedding(numEmbeddings = 1000, embeddingDim = 8) Layer e; }"));
        assertTrue(generated(compilation).contains("WITHOUT_CLOSED_FORM = List.of(\"BYTES_MOVED\")"), generated(compilation));
        assertTrue(generated(compilation).contains("inside a mixture of experts, whose share of the tokens the closed forms do not follow"),
                generated(compilation));
    }

    @Test
    void aTableInsideAMixtureOfExpertsBoundsTheDomain() {
        // Positions 0 to L - 1 into a table of 400 rows inside each expert: the network ends at L = 400, which the checks must reach.
        Compilation compilation = compiled(model("@Model(input = {16}, layout = \"L\", tokens = true, sizes = \"L\")",
                "@Experts(count = 2, topK = 2) E experts;", "@Linear(out = 4) Layer fc;", "",
                "@Block public static class E { @Arange Layer pos; @Embedding(numEmbeddings = 400, embeddingDim = 8) Layer e; }"));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"L\", 16, 1, 1, \"\", 400, \"at L = 401: [MC310] experts.e:"), domain(compilation, 0));
    }

    @Test
    void tooManyGatheringLayersGiveTheBytesMovedNoForm() {
        // Seven embeddings of the same ids: 2^7 choices of table or rows read, more than are combined.
        Compilation compilation = compiled(model("@Model(input = {16}, layout = \"L\", tokens = true, sizes = \"L\")",
                "@From(\"input\") @Embedding(numEmbeddings = 91, embeddingDim = 8) Layer e1;",
                "@From(\"input\") @Embedding(numEmbeddings = 92, embeddingDim = 8) Layer e2;",
                "@From(\"input\") @Embedding(numEmbeddings = 93, embeddingDim = 8) Layer e3;",
                "@From(\"input\") @Embedding(numEmbeddings = 94, embeddingDim = 8) Layer e4;",
                "@From(\"input\") @Embedding(numEmbeddings = 95, embeddingDim = 8) Layer e5;",
                "@From(\"input\") @Embedding(numEmbeddings = 96, embeddingDim = 8) Layer e6;",
                "@From(\"input\") @Embedding(numEmbeddings = 97, embeddingDim = 8) Layer e7;",
                "@Add({\"e1\", \"e2\"}) Layer s2;",
                "@Add({\"s2\", \"e3\"}) Layer s3;",
                "@Add({\"s3\", \"e4\"}) Layer s4;",
                "@Add({\"s4\", \"e5\"}) Layer s5;",
                "@Add({\"s5\", \"e6\"}) Layer s6;",
                "@Add({\"s6\", \"e7\"}) Layer s7;"));
        assertTrue(generated(compilation).contains("WITHOUT_CLOSED_FORM = List.of(\"BYTES_MOVED\")"), generated(compilation));
        assertTrue(generated(compilation).contains("for each of 7 layers that gather weights by token ids, too many to combine (at most 6)"),
                generated(compilation));
    }

    @Test
    void aRangeBudgetOnAMinimumBreaksWhereEveryPartDoes() {
        // 144 + 120·L exceeds 20,000 from L = 166 on, 3,344 + 88·L from L = 190 on (20,064): the smaller of the two from 190.
        expectOnly(GATHERING.replace("@Model(", "@Budget(maxBytesMoved = 20_000, over = \"L = 1..1000\")\n@Model("),
                "[MC420] BYTES_MOVED = 20,064 at L = 190 exceeds the budget maxBytesMoved = 20,000 by 0.3%", "@Budget", 25);
    }

    @Test
    void aRangeBudgetOnTheActivationPeakTakesItsFirstBreakingPart() {
        // 4,160·L exceeds 8,000,000 first at L = 1,924, but 64·L + 4·L² already at L = 1,407 (8,008,644; 7,997,328 at 1,406).
        expectOnly(model("@Model(input = {16, 8}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxPeakActivationBytes = 8_000_000, over = \"L = 1..4096\")",
                MLP_THEN_SCORES), "[MC420] PEAK_ACTIVATION_BYTES = 8,008,644 at L = 1407 exceeds the budget maxPeakActivationBytes = 8,000,000 by 0.1%",
                "@Budget", 34);
    }

    @Test
    void atMostFourSizesVary() {
        expectOnly(model("@Model(inputs = {@Input(name = \"a\", shape = {4, 8}, layout = \"L,D\"), @Input(name = \"b\", shape = {4, 8}, layout = \"L,D\"), "
                + "@Input(name = \"c\", shape = {4, 8}, layout = \"L,D\")}, sizes = {\"a.L\", \"b.L\", \"c.L\", \"a.D\", \"batch\"})",
                "@Concat(value = {\"a\", \"b\", \"c\"}, dim = 1) Layer all;"), "[MC139] @Model(sizes) names \"a.L, b.L, c.L, a.D, batch\", 5 sizes, more than the 4 a model may vary",
                "@Model", 183);
        // A name given twice among them is said too.
        expectOnly(model("@Model(input = {3, 16, 16}, sizes = {\"H\", \"W\", \"C\", \"batch\", \"H\"})", "@Conv2d(cout = 8, k = 3) Layer c;"),
                "[MC139] @Model(sizes) names \"H, W, C, batch, H\", 5 sizes (H more than once: 4 distinct), more than the 4 a model may vary "
                        + "(fix: vary at most 4 of them, each once)",
                "@Model", 37);
    }

    @Test
    void anUnknownSizeIsRefused() {
        expectOnly(model("@Model(input = {3, 32, 32}, sizes = \"X\")", "@Conv2d(cout = 8, k = 3) Layer conv;"),
                "[MC139] @Model(sizes) names \"X\", which is neither an axis of the input nor the batch", "@Model", 37);
        // several names in one string: the array form, not the nearest axis
        expectOnly(model("@Model(input = {56, 56, 96}, layout = \"H,W,C\", sizes = \"H,W\")", "@LayerNorm Layer norm;"),
                "[MC139] @Model(sizes) names \"H,W\", which is several names in one; write one name an element, sizes = {\"H\", \"W\"}", "@Model", 56);
        // the axis in lower case
        expectOnly(model("@Model(input = {16, 8}, layout = \"L,D\", sizes = \"l\")", "@Linear(out = 4) Layer fc;"),
                "[MC139] @Model(sizes) names \"l\", which is neither an axis of the input nor the batch; did you mean 'L'? (fix: name an axis of the "
                + "input's layout or the batch: L, D, batch)", "@Model", 49);
        // an axis two inputs have, without the input: which one varies is not the reader's to guess
        expectOnly(model("@Model(inputs = {@Input(name = \"a\", shape = {1, 8, 8}, layout = \"C,H,W\"), @Input(name = \"b\", shape = {1, 8, 8}, "
                + "layout = \"C,H,W\")}, sizes = \"H\")", "@From(\"a\") @Conv2d(cout = 2, k = 3) Layer p;", "@From(\"b\") @Conv2d(cout = 2, k = 3) Layer q;",
                "@Add({\"p\", \"q\"}) Layer sum;"), "[MC139] @Model(sizes) names \"H\", an axis of a model of 2 inputs without the input it belongs to "
                + "(fix: name it with its input: a.H or b.H)", "@Model", 141);
        // token ids declared without tokens = true: one axis of values, F, where the sequence's L was meant
        String ids = model("@Model(input = {128}, sizes = \"L\")", "@Embedding(numEmbeddings = 100, embeddingDim = 8) Layer embed;");
        expectOnly(ids, "[MC139] @Model(sizes) names \"L\", which is neither an axis of the input nor the batch; an input of one axis is a feature "
                + "vector F unless it declares tokens = true (token ids, whose axis is L) or a layout (fix: name an axis of the input's layout or "
                + "the batch: F, batch, or declare the input's tokens = true where it holds token ids)", "@Model", ModelSources.columnOf(ids, "@Model", "\"L\")"));
        compiled(ids.replace("sizes = \"L\"", "tokens = true, sizes = \"L\""));
    }

    @Test
    void theBatchNamedWhereTheLayoutHasAnAxisOfThatNameIsRefused() {
        String text = model("@Model(input = {16, 8}, layout = \"batch,D\", sizes = \"batch\")", "@Linear(out = 4) Layer fc;");
        expectOnly(text, "[MC139] @Model(sizes) names \"batch\", which is both the batch and an axis of the input's layout (fix: rename the "
                + "layout's axis batch first (B, say))", "@Model", ModelSources.columnOf(text, "@Model", "\"batch\")"));
    }

    @Test
    void aSizeNamedTwiceIsRefused() {
        expectOnly(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"H\"})", "@Conv2d(cout = 8, k = 3) Layer conv;"),
                "[MC139] @Model(sizes) names \"H\", a second time", "@Model", 43);
    }

    @Test
    void aLayerASizeSwitchesThatChangesTheOutputsRankNextToTheDeclaredSizeIsRefused() {
        // Declared at batch = 1, a flatten switched on from batch = 2 leaves a 16-element output where the declared one is 4 x 4: no
        // lattice through 1 keeps the output's two dimensions. Refused on the size, with why; it used to fail inside the processor.
        expectOnly(model("@Model(input = {4, 4}, sizes = {\"batch\"})", "@ReLU Layer r;", "@When(\"batch > 1\") @Flatten Layer f;"),
                "[MC418] the size batch cannot vary: the network has the declared size's figures at no other size of batch tried; at batch = 2: "
                + "its output has 1 dimension there, where at the declared sizes it has 2", "@Model", 33);
        // The other way: a flatten switched off from batch = 2 gives the output a dimension more there.
        expectOnly(model("@Model(input = {4, 4}, sizes = {\"batch\"})", "@ReLU Layer r;", "@When(\"batch == 1\") @Flatten Layer f;"),
                "at batch = 2: its output has 2 dimensions there, where at the declared sizes it has 1", "@Model", 33);
        // A mean over L switched off at the declared L = 16 alone, on neither side of it: the same.
        expectOnly(model("@Model(input = {16, 8}, sizes = {\"L\"})", "@ReLU Layer r;", "@When(\"L != 16\") @Mean(dim = {1}) Layer m;"),
                "at L = 17: its output has 1 dimension there, where at the declared sizes it has 2", "@Model", 34);
        // Where the shape stays, the costs change form at 16: MC419 names the test.
        expectOnly(model("@Model(input = {16, 8}, sizes = {\"L\"})", "@ReLU Layer r;", "@When(\"L != 16\") @Linear(out = 3) Layer m;"),
                "; @When(\"L != 16\") of m compares L with 16, within the 5 sizes either side of the declared L = 16", "@Model", 34);
    }

    @Test
    void aSizeThatCannotVaryIsRefused() {
        // A linear layer of 192 inputs takes only 3 x 8 x 8.
        expectOnly(model("@Model(input = {3, 8, 8}, sizes = \"H\")", "@Flatten Layer flat;", "@Linear(inFeatures = 192, out = 10) Layer fc;"),
                "[MC418] the size H cannot vary: the network exists at no other size of H tried; at H = 9: [MC301] fc:", "@Model", 35);
        // At a total stride of 8 the same linear layer takes the 8 sizes that floor to an 8 x 8 map, H = 57 to 64: more than the 5
        // samples, on which the first convolution's floors are no polynomial. The lattice 64 + 8·k of the network's stride is the one
        // that says why: MC418 there, not MC419 on the floors of the first layer.
        expectOnly(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", "@Conv2d(k = 3, stride = 2, padding = 1, cout = 16) Layer s1;",
                "@Conv2d(k = 3, stride = 2, padding = 1, cout = 32) Layer s2;", "@Conv2d(k = 3, stride = 2, padding = 1, cout = 64) Layer s3;",
                "@Flatten Layer flat;", "@Linear(out = 10, inFeatures = 4096) Layer fc;"),
                "[MC418] the size H cannot vary: the network is missing among the 5 sizes of H sampled up and down from the declared one on the lattice "
                + "64 + 8\u00b7k of its stride (the shorter "
                + "lattices tried floor a layer's sizes); at H = 72, W = 64: [MC301] fc: Linear expects inFeatures = 4096 but the previous layer (flat) produces 4608 "
                + "features (fix: remove H from @Model(sizes), or make the layer that breaks follow the size (an adaptive pooling before a linear "
                + "layer, an expression that reads input.H))", "@Model", 38);
        // A network that exists in bands of sizes (91 to 108, 127 to 144, 199 to 216, ...: a chunk of a third merged with a map
        // strided by 12) is missing at L = 160, the next size on the lattice of its stride, and exists again at L = 352, further
        // along it: the message says where it is missing, not that it exists nowhere else on the lattice.
        String[] bands = {"@Conv1d(cout = 4, k = 3, stride = 6, padding = 1) Layer conv;", "@Chunk(chunks = 3, index = 1, dim = 2) Layer part;",
                "@Conv1d(cout = 4, k = 3, stride = 2, padding = 1) Layer down;", "@ConvTranspose1d(cout = 4, k = 2, stride = 2) Layer up;",
                "@Add({\"up\", \"part\"}) Layer sum;", "@Conv1d(cout = 4, k = 3, stride = 3) Layer c2;",
                "@Conv1d(cout = 4, k = 3, stride = 2, padding = 1) Layer down2;", "@ConvTranspose1d(cout = 4, k = 2, stride = 2) Layer up2;",
                "@Add({\"up2\", \"c2\"}) Layer sum2;"};
        String banded = model("@Model(input = {2, 96}, layout = \"C,L\", sizes = {\"L\"})", bands);
        expectOnly(banded,
                "[MC418] the size L cannot vary: the network is missing among the 5 sizes of L sampled up and down from the declared one on the "
                + "lattice 96 + 64\u00b7k of its stride (the shorter lattices tried floor a layer's sizes); at L = 160: [MC307] sum: Add cannot "
                + "combine up 4x10 and part 4x9", "@Model", columnAfter(banded, "@Model", "sizes = {"));
        compiled(model("@Model(input = {2, 352}, layout = \"C,L\")", bands));
        // A cost that floors a quotient by the height (out.numel / x.H): the forms interpolated near the declared size hold at H = 16
        // alone, which is no variable; said, with the sizes on either side. By hand at H = 15, W = 16: floor(8·5·16 / 15) = 42 MACs for
        // the crop and 4·8·5·16 = 2,560 for the convolution, 2,602.
        String single = model("@Model(input = {8, 16, 16}, sizes = {\"H\", \"W\"})", "@Crop Layer crop;", "@Conv2d(cout = 4, k = 1) Layer c2;",
                "@LayerKind(output = \"[x.C, x.H - 10, x.W]\", macs = \"out.numel / x.H\") @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.CLASS) "
                        + "@java.lang.annotation.Target(java.lang.annotation.ElementType.FIELD) public @interface Crop {}");
        expectOnly(single, "[MC418] the size H cannot vary: the closed forms hold at the declared H = 16 alone: below it, at H = 15, W = 16 the "
                + "closed form of MACS changes form: it is 2,602 at H = 15, W = 16", "@Model", 38);
        // The batch is read as batch in expressions, not input.batch (MC202): the fix says so. A cost of 2^63 - 1 at batch 1 passes 64
        // bits at batch 2.
        String batch = model("@Model(input = {8, 16, 16}, sizes = {\"H\", \"batch\"})", "@Conv2d(cout = 4, k = 1) Layer conv;", "@K Layer k;",
                "@LayerKind(otherOps = \"9223372036854775807\") @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.CLASS) "
                        + "@java.lang.annotation.Target(java.lang.annotation.ElementType.FIELD) public @interface K {}");
        expectOnly(batch, "[MC418] the size batch cannot vary", "@Model", 43);
        assertThat(compile(source("test.Net", batch))).hadErrorContaining("an expression that reads batch)");
        // Declared at an odd H, a network of even sizes exists by chance: a's H is floor((H - 1) / 2) + 1, b's floor((H - 2) / 2) + 1,
        // 2 and 1 at H = 3, which the add broadcasts; at H = 5, 3 and 2 it cannot. At H = 4 and 2 both are equal: said, and H = 4 offered.
        // Declared there: a's 8 x H/2 x 16 outputs of K = 27 and b's of K = 12, 64·H outputs each: 1,728·H + 768·H MACs.
        String odd = model("@Model(input = {3, 3, 32}, sizes = \"H\")", "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1) Layer a;",
                "@From(\"input\") @Conv2d(cout = 8, k = 2, stride = 2) Layer b;", "@Add({\"a\", \"b\"}) Layer sum;");
        Compilation refused = ModelSources.compile(ModelSources.source("test.Net", odd));
        com.google.testing.compile.CompilationSubject.assertThat(refused).hadErrorContaining("[MC418] the size H cannot vary");
        com.google.testing.compile.CompilationSubject.assertThat(refused).hadErrorContaining("; it exists at H = 4 and 2, though on no lattice tried "
                + "through the declared 3: declare H = 4 instead");
        assertEquals("MACS(H) = 2,496\u00b7H", closedForm(compiled(odd.replace("{3, 3, 32}", "{3, 4, 32}")), "MACS", "H").toString());
        // A table of 4 positions: the network exists at L = 1 to 4, fewer than the 5 sizes in a row the forms need from any of them;
        // of 5, it exists at 1 to 5, and from L = 5 (down) or 1 (up) the forms are sampled.
        String table = model("@Model(input = {3}, layout = \"L\", tokens = true, sizes = \"L\")", "@Embedding(numEmbeddings = 100, embeddingDim = 8) Layer wte;",
                "@From(\"input\") @Arange Layer pos;", "@Embedding(numEmbeddings = 4, embeddingDim = 8) Layer wpe;", "@Add({\"wte\", \"wpe\"}) Layer sum;");
        expectOnly(table, "[MC418] the size L cannot vary: no lattice of L through the declared 3 keeps the network; at L = 5: [MC310] wpe: "
                + "Embedding numEmbeddings = 4 must be at least 5", "@Model", ModelSources.columnAfter(table, "@Model", "sizes = "));
        com.google.testing.compile.CompilationSubject.assertThat(ModelSources.compile(ModelSources.source("test.Net", table))).hadErrorContaining(
                "; it exists at L = 1 to 4 around the declared 3, fewer than the 5 sizes in a row (from the declared one, up or down) that the forms are sampled at");
        String five = table.replace("numEmbeddings = 4,", "numEmbeddings = 5,");
        com.google.testing.compile.CompilationSubject.assertThat(ModelSources.compile(ModelSources.source("test.Net", five))).hadErrorContaining(
                "; it exists at L = 1 to 5 around the declared 3: declare L = 5 instead, from which 5 sizes in a row exist");
        compiled(five.replace("input = {3}", "input = {5}"));
    }

    @Test
    void sizesThatExistAloneButNotTogetherTakeALatticeOfTwiceThePeriod() {
        // A reshape to rows of 8 needs 4·h·w divisible by 8 (h, w after the valid 3x3 convolution of stride 2, (x - 3) / 2 + 1): with
        // the other size at 66 (32 positions, even) every h will do, but at H = W = 68 both are 33 and 4 x 33 x 33 = 4,356 is not. On
        // H's lattice of twice the stride, 66 + 4·k, h is even and every W of its own lattice fits: the forms hold there, each equal
        // to the model compiled at such sizes, and the Javadoc says why no finer lattice of H holds.
        String fields = "@Conv2d(cout = 4, k = 3, stride = 2) Layer c; @Reshape(shape = {-1, 8}) Layer r; @Linear(out = 3) Layer fc;";
        Compilation compilation = compiled(model("@Model(input = {4, 66, 66}, sizes = {\"H\", \"W\"})", fields));
        String generated = ModelSources.generated(compilation, "test.NetCost");
        assertTrue(generated.contains("SizeDomain.of(\"Net\", \"H\", 66, 4, \"the network does not exist at H = 68, W = 68 together: [MC312] r: "
                + "Reshape cannot reshape 4x33x33 (4356 elements) to [-1, 8]\""), generated);
        ClosedForm macs = closedForm(compilation, "MACS", "H", "W");
        for (int[] sizes : new int[][] {{70, 68}, {74, 66}, {62, 100}, {130, 72}}) {
            Compilation fixed = compiled(model("@Model(input = {4, " + sizes[0] + ", " + sizes[1] + "})", fields));
            assertEquals(constant(fixed, "test.NetCost", "MACS"), macs.at(sizes[0], sizes[1]), sizes[0] + " x " + sizes[1]);
        }
        // By hand at 70 x 68: c gives 34 x 33 positions of 4 channels, 4·3·3 MACs each; r 4·34·33 / 8 = 561 rows, fc 8·3 MACs each.
        assertEquals(34L * 33 * 4 * 36 + 561 * 24, macs.at(70, 68));
    }

    @Test
    void sizesThatExistAloneButNotTogetherOnAnyLatticeTriedAreRefused() {
        // One channel: h·w must be divisible by 8, which even h and w (both lattices of twice the stride) do not make: 34 x 34.
        expectOnly(model("@Model(input = {4, 66, 66}, sizes = {\"H\", \"W\"})", "@Conv2d(cout = 1, k = 3, stride = 2) Layer c;",
                "@Reshape(shape = {-1, 8}) Layer r;", "@Linear(out = 3) Layer fc;"),
                "[MC418] the size H together with W cannot vary: the network exists at each size alone on its lattice but not at H = 68, W = 68: "
                        + "[MC312] r: Reshape cannot reshape 1x33x33 (1089 elements) to [-1, 8]; nor with H on the lattice 66 + 4\u00b7k and W on "
                        + "the lattice 66 + 4\u00b7k, at H = 70, W = 70: [MC312] r: Reshape cannot reshape 1x34x34 (1156 elements) to [-1, 8]", "@Model", 38);
    }

    @Test
    void aScaleFactorInexactInDoublesIsRefused() {
        // 85 x 1.4 is 118.99999999999999 in doubles, so PyTorch's floor gives 118 where the exact 7 x 85 / 5 is 119: no lattice foresees it.
        expectOnly(model("@Model(input = {4, 50, 50}, sizes = {\"H\", \"W\"})", "@Upsample(scaleFactor = 1.4) Layer up;", "@Conv2d(cout = 4, k = 1) Layer c;"),
                "[MC419] the costs have no closed form in H with up's scaleFactor = 1.4: PyTorch computes its output size, floor(x * 1.4), in double "
                        + "precision", "@Model", 38);
        // 1.5 is exact: 3·x / 2 rounded down, on the lattice of even sizes, and off it from the size program.
        Compilation exact = compiled(model("@Model(input = {4, 50, 50}, sizes = {\"H\", \"W\"})", "@Upsample(scaleFactor = 1.5) Layer up;",
                "@Conv2d(cout = 4, k = 1) Layer c;"));
        assertEquals("MACS(H, W) = 36\u00b7H\u00b7W", closedForm(exact, "MACS", "H", "W").toString());
        assertTrue(generated(exact).contains("OFF_LATTICE.at(H, W)"));
        // One factor per axis: 0.7 of W refuses H alone where it scales H, and scales a fixed W (floor(8 x 0.7) = 5) otherwise.
        String perAxis = "@Upsample(scaleFactor = {%s}) Layer up; @Conv2d(cout = 4, k = 1) Layer c;";
        expectOnly(model("@Model(input = {2, 8, 8}, sizes = \"H\")", perAxis.formatted("0.7, 2")),
                "[MC419] the costs have no closed form in H with up's scaleFactor = [0.7, 2.0]'s 0.7 (axis H): PyTorch computes its output size, "
                        + "floor(x * 0.7)", "@Model", 35);
        Compilation fixedW = compiled(model("@Model(input = {2, 8, 8}, sizes = \"H\")", perAxis.formatted("2, 0.7")));
        // conv 1x1 of 2 channels to 4 on 2H x 5 positions: 4 · 2 · 10H = 80·H MACs
        assertEquals("MACS(H) = 80\u00b7H", closedForm(fixedW, "MACS", "H").toString());
    }

    @Test
    void aDecimalScaleWhoseDoubleLiesAboveItFloorsExactly() {
        // The double nearest 1.1 lies above 11/10, so x · 1.1 in doubles never rounds below a whole 11·x/10 (85 · 1.1 is
        // 93.50000000000001, floor 93 = floor(935/10)): floor(x · 1.1) is floor(11·x / 10) at every size, 11·x / 10 on the lattice
        // of multiples of 10 (its denominator), the size program off it. A conv 1x1 of 4 channels to 4: 16 · floor(1.1·H) ·
        // floor(1.1·W) MACs, 16 · 121/100 · H · W on the lattice.
        String spec = model("@Model(input = {4, 50, 50}, sizes = {\"H\", \"W\"})", "@Upsample(scaleFactor = 1.1) Layer up;",
                "@Conv2d(cout = 4, k = 1) Layer c;");
        Compilation sized = compiled(spec);
        assertEquals("MACS(H, W) = 484/25\u00b7H\u00b7W", closedForm(sized, "MACS", "H", "W").toString());
        // from 10 up to where up's 1.1·H passes 2^31 - 1: floor((2^31 - 1) / 1.1) = 1,952,257,860, a multiple of 10
        assertTrue(domain(sized, 0).startsWith("\"Net\", \"H\", 50, 10, 10, \"\", 1952257860, "), domain(sized, 0));
        java.util.regex.Matcher program = java.util.regex.Pattern.compile("SizeProgram.parse\\(\"Net\", SIZE_VARIABLES, ((?:\"(?:[^\"\\\\]|\\\\.)*\"\\s*\\+?\\s*)+)\\)")
                .matcher(generated(sized));
        assertTrue(program.find(), generated(sized));
        String text = java.util.regex.Pattern.compile("\"\\s*\\+\\s*\"").matcher(program.group(1).strip()).replaceAll("");
        text = text.substring(1, text.length() - 1).replace("\\t", "\t").replace("\\n", "\n");
        dev.modelcost.SizeProgram off = dev.modelcost.SizeProgram.parse("Net", List.of("H", "W"), text);
        for (int[] size : new int[][] {{53, 47}, {85, 1}, {1, 9}, {999, 1001}}) {
            long expected = 16L * (11L * size[0] / 10) * (11L * size[1] / 10);
            assertEquals(expected, off.at(size[0], size[1])[off.figures().indexOf("MACS")], java.util.Arrays.toString(size));
            Compilation fixed = compiled(model("@Model(input = {4, %d, %d})".formatted(size[0], size[1]), "@Upsample(scaleFactor = 1.1) Layer up;",
                    "@Conv2d(cout = 4, k = 1) Layer c;"));
            assertEquals(expected, ModelSources.constant(fixed, "test.NetCost", "MACS"), java.util.Arrays.toString(size));
        }
        // 0.7's double lies below 7/10 by 6.3·10^-17 of it, more than 2^-54: 90 · 0.7 is 62.99999999999999, floor 62, not 63. Refused.
        expectOnly(model("@Model(input = {4, 50, 50}, sizes = {\"H\", \"W\"})", "@Upsample(scaleFactor = 0.7) Layer up;", "@Conv2d(cout = 4, k = 1) Layer c;"),
                "[MC419] the costs have no closed form in H with up's scaleFactor = 0.7", "@Model", 38);
        // 0.3's lies below 3/10 by 3.7·10^-17 of it, less than 2^-54 (5.6·10^-17): x · 0.3 rounds back to every whole 3·x / 10
        // (10 · 0.3 is 3.0), so floor(x · 0.3) is floor(3·x / 10): forms on the lattice of multiples of 10, 16 · (3/10)² · H · W MACs.
        Compilation point3 = compiled(model("@Model(input = {4, 50, 50}, sizes = {\"H\", \"W\"})", "@Upsample(scaleFactor = 0.3) Layer up;",
                "@Conv2d(cout = 4, k = 1) Layer c;"));
        assertEquals("MACS(H, W) = 36/25\u00b7H\u00b7W", closedForm(point3, "MACS", "H", "W").toString());
    }

    @Test
    void costsThatAreNoPolynomialOnAnyLatticeAreRefused() {
        // A width of 4,096 / L (rounded down) makes the MACs L x 8 x floor(4096 / L): no polynomial on any lattice.
        expectOnly(model("@Model(input = {16, 8}, layout = \"L,D\", sizes = \"L\")", "@Linear(bias = false, with = \"out = 4096 / L\") Layer fc;"),
                "[MC419] the costs have no closed form in L on any lattice 16 + p\u00b7k tried", "@Model", 49);
    }

    @Test
    void aLayerWhoseSizesChangeFormAmongTheSamplesUpFromTheDeclaredSizeGetsFormsPastThatTurn() throws ReflectiveOperationException {
        // From L = 15 a pooling to 5 positions runs before the last convolution, which sees 1 position below: 1, 1, 1, 5, 5 at the
        // samples L = 12 to 16 (no lattice through 12 holds; MC419 named them before). The forms are established past the turn, at
        // 15: the convolution Conv1d(4 -> 2, k = 1) on 5 positions, 40 MACs; at the declared 12 on 1 position, 8; 13 and 14 refused.
        Compilation compilation = compiled(model("@Model(input = {4, 12}, layout = \"C,L\", sizes = \"L\")", "@AdaptiveAvgPool1d(1) Layer pool;",
                "@When(\"input.L >= 15\") @AdaptiveAvgPool1d(5) Layer wide;", "@Conv1d(cout = 2, k = 1) Layer last;"));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"L\", 12, 1, 15, "), domain(compilation, 0));
        assertEquals(8L, constant(compilation, "test.NetCost", "MACS"));
        java.lang.reflect.Method at = ModelSources.classes(compilation).loadClass("test.NetCost").getMethod("at", int.class);
        assertTrue(at.invoke(null, 15).toString().contains("macs=40,"));
        assertTrue(at.invoke(null, 1000).toString().contains("macs=40,"));
        assertThrows(java.lang.reflect.InvocationTargetException.class, () -> at.invoke(null, 14));
    }

    @Test
    void anAdaptivePoolingTooFineForTheDefaultGetsALatticeOfItsOwn() {
        // Pooling 16 positions to 11: the windows repeat every 11 positions of the input, so the lattice steps by 11 (the stride
        // guessed from the output, 2, times 11 is tried first, then halved); PyTorch pools 5 positions to 11 as well, by repeating.
        Compilation compilation = compiled(model("@Model(input = {4, 16}, layout = \"C,L\", sizes = \"L\")", "@AdaptiveAvgPool1d(11) Layer pool;"));
        String domain = domain(compilation, 0);
        assertTrue(domain.startsWith("\"Net\", \"L\", 16, 11, 5,"), domain);
    }

    @Test
    void anAdaptivePoolingRepeatsOnTheLatticeOfItsOutputs() {
        // Adaptive average pooling to 3: PyTorch's windows [floor(i L / 3), ceil((i + 1) L / 3)) sum to L + 2 wherever 3 divides L
        // (three windows of L/3, no overlap... and with 16 = 1 mod 3: windows of 6, 7, 6 over 16 positions, 19 = L + 3), so the
        // period is 3, and the lattice 16 + 3k holds: the other ops, one add a window element and a divide an output, per channel.
        Compilation compilation = compiled(model("@Model(input = {4, 16}, layout = \"C,L\", sizes = \"L\")", "@AdaptiveAvgPool1d(3) Layer pool;"));
        String domain = domain(compilation, 0);
        assertTrue(domain.startsWith("\"Net\", \"L\", 16, 3, 1,"), domain);
    }

    @Test
    void aRangeWithoutSizesIsRefused() {
        expectOnly(model("@Model(input = {16, 32}, layout = \"L,D\")\n@Budget(maxMacs = 2_048_000, over = \"L = 1..4096\")",
                "@Linear(out = 64) Layer fc;"), "[MC140] @Budget(over = \"L = 1..4096\") ranges over sizes, but the model declares none", "@Budget", 37);
    }

    @Test
    void anEmptyRangeWrittenOutIsTheDefault() {
        // over = "" is the annotation's default: the budget holds at the model's own sizes (MACs 16 · 32 · 64 = 32,768), with or
        // without sizes declared
        compiled(model("@Model(input = {16, 32}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxMacs = 32_768, over = \"\")", "@Linear(out = 64) Layer fc;"));
        compiled(model("@Model(input = {16, 32}, layout = \"L,D\")\n@Budget(maxMacs = 32_768, over = \"\")", "@Linear(out = 64) Layer fc;"));
        expectOnly(model("@Model(input = {16, 32}, layout = \"L,D\")\n@Budget(maxMacs = 32_767, over = \"\")", "@Linear(out = 64) Layer fc;"),
                "[MC402] MACS = 32,768 exceeds the budget maxMacs = 32,767", "@Budget", 19);
    }

    @Test
    void aRangeThatDoesNotParseIsRefused() {
        expectOnly(model("@Model(input = {16, 32}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxMacs = 2_048_000, over = \"L from 1 to 4096\")",
                "@Linear(out = 64) Layer fc;"), "[MC140] @Budget(over = \"L from 1 to 4096\") is not a list of ranges", "@Budget", 37);
        // digits are grouped as Java groups them, underscores between digits only: 1..4_096 reads, 1..4_096_ does not
        compiled(model("@Model(input = {16, 32}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxMacs = 8_388_608, over = \"L = 1..4__096\")",
                "@Linear(out = 64) Layer fc;"));
        expectOnly(model("@Model(input = {16, 32}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxMacs = 8_388_608, over = \"L = 1..4_096_\")",
                "@Linear(out = 64) Layer fc;"), "[MC140] @Budget(over = \"L = 1..4_096_\") is not a list of ranges", "@Budget", 37);
    }

    @Test
    void aRangeOutOfBoundsSaysWhichBound() {
        String[][] cases = {
            {"L = 1..4096 step -1", "which steps by -1"},
            {"L = 1..4096 step 0", "which steps by 0"},
            {"L = 0..4096", "which starts at 0, below 1"},
            {"L = -8..4096", "which starts at -8, below 1"},
            {"L = 4096..1", "which ends at 1, before it starts"},
            {"L = 1..2147483648", "which ends past 2,147,483,647"},
        };
        for (String[] c : cases) {
            expectOnly(model("@Model(input = {16, 32}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxMacs = 2_048_000, over = \"" + c[0] + "\")",
                    "@Linear(out = 64) Layer fc;"), "[MC140] @Budget(over = \"" + c[0] + "\") has the range " + c[0] + ", " + c[1], "@Budget", 37);
        }
    }

    @Test
    void aRangeMayGroupItsDigitsWithUnderscores() {
        // 64 MACs a position (16 x 4): 65,280 at L = 1,020 and 65,920 at L = 1,030, the first size of 1,000 to 2,000 in steps of 10
        // over the bound of 65,535.
        expectOnly(model("@Model(input = {16, 16}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxMacs = 65_535, over = \"L = 1_000..2_000 step 1_0\")",
                "@Linear(out = 4) Layer fc;"), "[MC420] MACS = 65,920 at L = 1030 exceeds the budget maxMacs = 65,535", "@Budget", 19);
    }

    @Test
    void aSharedModuleAtOtherSizesSaysTheNetworkExistsAtNoOtherSize() {
        // One tower on two images, a Linear after a Flatten: a's size alone may not change without its weights' shape, which the
        // second call must share (MC324). Three poolings by 2 leave the flattened size as it is from a.H = 40 to 44 (conv 38 to 42,
        // pooled 19 to 21, ..., 4), where the first pooling's windows are no affine rule (the lattice of period 1 fails so); on the
        // lattice of the poolings, 40 + 8k, the network exists at no other size: MC418 says so on that lattice, the shorter ones floored.
        String text = model("@Model(inputs = {@Input(name = \"a\", shape = {1, 40, 40}, layout = \"C,H,W\"), @Input(name = \"b\", shape = {1, 40, 40}, "
                + "layout = \"C,H,W\")}, sizes = {\"a.H\"})", "@From(\"a\") Tower tower;", "@From(\"b\") @Shared(\"tower\") Tower again;",
                "@Concat({\"tower\", \"again\"}) Layer both;", "@Block static class Tower { @Conv2d(cout = 2, k = 3) Layer c1; @MaxPool2d(k = 2) Layer p1; "
                + "@Conv2d(cout = 2, k = 2) Layer c2; @MaxPool2d(k = 2) Layer p2; @Conv2d(cout = 2, k = 2) Layer c3; @MaxPool2d(k = 2) Layer p3; "
                + "@Flatten Layer flat; @Linear(out = 4) Layer fc; }");
        Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", text));
        assertThat(compilation).hadErrorContaining("[MC418] the size a.H cannot vary: the network is missing among the 5 sizes of a.H sampled up and down from the "
                + "declared one on the lattice "
                + "40 + 8\u00b7k of its stride (the shorter lattices tried floor a layer's sizes); at a.H = 48");
        assertThat(compilation).hadErrorContaining(": [MC324] again: calls the module of tower again");
    }

    @Test
    void aSizeNamedAsAReservedNameIsRefused() {
        // Without sizes, in is the input's last dimension in expressions (32 here); a variable named in would take its place.
        expectOnly(model("@Model(input = {16, 32}, layout = \"in,D\", sizes = \"in\")", "@Linear(with = \"out = in\") Layer fc;"),
                "[MC139] @Model(sizes) names \"in\", which is reserved: it stands for the channels (or features) of the block input in expressions "
                + "(fix: rename the axis in the layout (IN, say) and name that)", "@Model", 51);
    }

    @Test
    void aRangeOfAnUnknownVariableIsRefused() {
        expectOnly(model("@Model(input = {16, 32}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxMacs = 2_048_000, over = \"D = 1..4096\")",
                "@Linear(out = 64) Layer fc;"), "[MC140] @Budget(over = \"D = 1..4096\") names D, which is not a size variable", "@Budget", 37);
    }

    @Test
    void aRangeOffTheLatticeIsAnsweredByTheSizeProgram() {
        // Conv2d(3, 8, k = 3, stride 2, padding 1): floor((H - 1) / 2) + 1 rows, forms on even H. At W = 32 (16 columns), 8 · 27 · 16 =
        // 3,456 MACs a row: 497,664 holds up to 144 rows, which H = 33..255 never reaches; 345,600 up to 100, passed first at H = 225
        // (113 rows: 390,528), the first of 33, 65, ... with more than 100.
        String conv = "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1, bias = false) Layer conv;";
        compiled(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\"})\n@Budget(maxMacs = 497_664, over = \"H = 33..255 step 32\")", conv));
        expectOnly(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\"})\n@Budget(maxMacs = 345_600, over = \"H = 33..255 step 32\")", conv),
                "[MC420] MACS = 390,528 at H = 225, W = 32 exceeds the budget maxMacs = 345,600", "@Budget", 19);
        // Square: 216 · r² MACs for r = floor((s - 1) / 2) + 1 rows and columns, above 497,664 from r = 49, s = 97.
        expectOnly(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\"})\n@Budget(maxMacs = 497_664, over = \"H = W = 33..255 step 32\")", conv),
                "[MC420] MACS = 518,616 at H = 97, W = 97 exceeds the budget maxMacs = 497,664", "@Budget", 19);
    }

    @Test
    void aRangePastTheLargestSizeIsRefused() {
        // A table of 64 positions: no network beyond 64 tokens, so no bound can be checked there; the error says why the range ends.
        expectOnly(model("@Model(input = {64}, layout = \"L\", tokens = true, sizes = \"L\")\n@Budget(maxMacs = 1_000_000, over = \"L = 1..4096\")",
                "@Arange Layer positions;", "@Embedding(numEmbeddings = 64, embeddingDim = 16) Layer wpe;", "@Linear(out = 4) Layer fc;"),
                "[MC140] @Budget(over = \"L = 1..4096\") takes L where the closed forms do not hold: they hold for L from 1 to 64 (default 64); "
                + "above 64, at L = 65: [MC310] wpe: Embedding numEmbeddings = 64 must be at least 65", "@Budget", 37);
    }

    @Test
    void aRangeThatBoundsNothingIsRefused() {
        expectOnly(model("@Model(input = {16, 32}, layout = \"L,D\", sizes = \"L\")\n@Budget(over = \"L = 1..4096\")", "@Linear(out = 64) Layer fc;"),
                "[MC140] @Budget(over = \"L = 1..4096\") bounds nothing", "@Budget", 16);
    }

    @Test
    void aSingleSizeNeedsNoStepOnTheLattice() {
        compiled(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\"})\n@Budget(maxMacs = 10_000_000, over = \"H = 32..64 step 32, W = 96\")",
                "@Conv2d(cout = 8, k = 3, stride = 2, padding = 1, bias = false) Layer conv;"));
    }

    @Test
    void aLimitOnTheProductOfTwoSizesShrinksTheirBox() {
        // Patches of 16 x 16 and a table of 1,024 positions: (H / 16) (W / 16) <= 1,024. Each size alone may reach 1,168 with the
        // other at 224 (73 x 14 patches), but together they may not: the box shrinks to 512 x 512, whose 32 x 32 patches fill the table.
        Compilation compilation = compiled(model("@Model(input = {3, 224, 224}, sizes = {\"H\", \"W\"})",
                "@Conv2d(cout = 8, k = 16, stride = 16) Layer patch;", "@Flatten(startDim = 2) Layer flatten;",
                "@Permute(dims = {0, 2, 1}) Layer tokens;", "@Arange Layer positions;",
                "@Embedding(numEmbeddings = 1024, embeddingDim = 8) Layer pos;", "@Add({\"tokens\", \"pos\"}) Layer sum;"));
        // A size program answers off the lattice of period 16 (the positions' table read as the smaller of its rows and itself), in the
        // same box.
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"H\", 224, 16, 16, \"\", 512, \"at H = 528, W = 528 together: [MC310] pos:"),
                domain(compilation, 0));
        assertTrue(domain(compilation, 1).startsWith("\"Net\", \"W\", 224, 16, 16, \"\", 512,"), domain(compilation, 1));
    }

    @Test
    void windowsOfFiveAfterAStrideOfEightSetTheLatticeToForty() {
        // Patches of 8 x 8 cut into windows of 5 x 5 patches: the network exists where H and W are 40·k to 40·k + 7, which no shape
        // rule follows (the reshape takes some sizes only); the reshape's sizes, taken every 5 of a size that grows by 1 every 8,
        // give the lattice 160 + 40·k, tried first, rather than one of period 1 that ends at 167.
        String[] fields = {"@Conv2d(cout = 4, k = 8, stride = 8) Layer patch;", "@Permute(dims = {0, 2, 3, 1}) Layer nhwc;",
                "@Reshape(layout = \"A,P,B,Q,C\", with = \"shape = [nhwc.H / 5, 5, nhwc.W / 5, 5, 4]\") Layer part;",
                "@Permute(dims = {0, 1, 3, 2, 4, 5}) Layer perm;", "@Reshape(layout = \"N,L,C\", shape = {-1, 25, 4}) Layer windows;",
                "@From({\"windows\", \"windows\"}) @MatMul(transposeB = true) Layer scores;"};
        Compilation compilation = compiled(model("@Model(input = {3, 160, 160}, sizes = {\"H\", \"W\"})", fields));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"H\", 160, 40, 40, \"\", "), domain(compilation, 0));
        assertTrue(domain(compilation, 1).startsWith("\"Net\", \"W\", 160, 40, 40, \"\", "), domain(compilation, 1));
        // By hand at 200 x 240: 25 x 30 patches of 3 * 64 MACs for 4 channels (576,000), then 5 x 6 windows of 25 x 25 scores over 4
        // features (75,000).
        assertEquals(651_000L, closedForm(compilation, "MACS", "H", "W").at(200, 240));
        assertEquals(651_000L, constant(compiled(model("@Model(input = {3, 200, 240})", fields)), "test.NetCost", "MACS"));
    }

    @Test
    void anAdaptivePoolingSetsTheLatticeToItsOutputs() {
        // Pooling to 7 positions repeats every 7 positions of its input: 64 + 7k, though every length has a network.
        Compilation compilation = compiled(model("@Model(input = {4, 64}, layout = \"C,L\", sizes = \"L\")", "@Conv1d(cout = 4, k = 1) Layer conv;",
                "@AdaptiveAvgPool1d(7) Layer pool;"));
        assertTrue(domain(compilation, 0).startsWith("\"Net\", \"L\", 64, 7, 1,"), domain(compilation, 0));
    }

    @Test
    void aCounterBoundHoldsOverARangeOnThatCountersFigure() {
        // thop counts the Linear as in_features per output element, 32 * 64 = 2,048 a position, and nn.Softmax over 64 features as
        // 3 * 64 - 1 = 191 a row (calculate_softmax: 64 exp, 63 adds, 64 divides): 2,239 * L. At L = 4 that is 8,956, within 11,000;
        // at L = 5, 11,195, over it, though modelcost's own MACs there (2,048 * 5 = 10,240) are not.
        expectOnly(model("@Model(input = {4, 32}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxMacs = 11_000, counter = \"thop\", over = \"L = 1..8\")",
                "@Linear(out = 64) Layer fc;", "@Softmax(dim = -1) Layer softmax;"),
                "[MC420] THOP_MACS = 11,195 at L = 5 exceeds the budget maxMacs = 11,000 by 1.8%, the first size of over = \"L = 1..8\" that breaks it",
                "@Budget", 19);
    }

    @Test
    void aFormThatChangesAtOneSmallSizeEndsTheRangeAboveIt() {
        // ConvTranspose1d(k = 3, stride 2, dilation 3, padding 3) reaches every output position but at an input of 2, where it reaches
        // 2 of 3; the strided convolution before it gives 2 at L = 8 to 11. By hand at L = 8: c0 gives 2 positions (96 MACs, 192 FLOPs),
        // t 3 (8·18 = 144 MACs, 2·144 - 6·2 + 6·3 = 294 FLOPs), c 3 (72 MACs, 144 FLOPs): 630 FLOPs, where the form that holds at
        // L = 4 and from 12 up gives 624. The range starts at 12, and below it at(...) refuses, on the lattice and off it.
        String text = model("@Model(input = {4, 40}, layout = \"C,L\", sizes = {\"L\"})", "@Conv1d(cout = 4, k = 3, stride = 4) Layer c0;",
                "@ConvTranspose1d(cout = 6, k = 3, stride = 2, dilation = 3, padding = 3) Layer t;", "@Conv1d(cout = 4, k = 1) Layer c;");
        String generated = generated(compiled(text));
        assertTrue(generated.contains("SizeDomain.of(\"Net\", \"L\", 40, 4, 12, \"at L = 8 the closed form of FLOPS changes form: it is 630 at L = 8"),
                generated);
        // Below 12 the size program answers nothing either, and says why: the form's change first.
        assertTrue(generated.contains("from\\t0\\t12\\tat L = 8 the closed form of FLOPS changes form"), generated);
    }

    @Test
    void aDeclaredLargestSizeEndsTheDomainThere() {
        // A causal attention and a head, declared at 16 positions and bounded at 4,096 (a context window): the domain ends there, though
        // the network goes on, and a range past it is refused with the bound as the reason.
        String[] fields = {"@MultiheadAttention(numHeads = 4, isCausal = true) Layer att;", "@Linear(out = 64) Layer fc;"};
        Compilation compilation = compiled(model("@Model(input = {16, 32}, layout = \"L,D\", sizes = \"L <= 4096\")", fields));
        assertEquals("\"Net\", \"L\", 16, 1, 1, \"\", 4096, \"declared in @Model(sizes) as L <= 4096\"", domain(compilation, 0));
        String over = model("@Model(input = {16, 32}, layout = \"L,D\", sizes = \"L <= 4096\")\n@Budget(maxMacs = 1L << 40, over = \"L = 1..5000\")",
                fields);
        expectOnly(over, "[MC140] @Budget(over = \"L = 1..5000\") takes L where the closed forms do not hold: they hold for L from 1 to 4,096 "
                + "(default 16); above 4,096, declared in @Model(sizes) as L <= 4096", "@Budget", columnAfter(over, "@Budget", "over = "));
        // On an image's lattice (one convolution of stride 2: 32 + 2·k), a bound off it ends the domain at the last size on it, and says
        // so; the batch takes a bound too.
        compilation = compiled(model("@Model(input = {3, 32, 32}, sizes = {\"H <= 101\", \"W\", \"batch <= 8\"})",
                "@Conv2d(cout = 4, k = 3, stride = 2, padding = 1) Layer conv;"));
        assertTrue(domain(compilation, 0).endsWith(", 100, \"declared in @Model(sizes) as H <= 101, whose last size on the lattice is 100\""),
                domain(compilation, 0));
        assertTrue(domain(compilation, 1).endsWith(", 2147483646, \"\""), domain(compilation, 1));
        assertTrue(domain(compilation, 2).endsWith(", 8, \"declared in @Model(sizes) as batch <= 8\""), domain(compilation, 2));
    }

    @Test
    void mc156ABoundOnASizeThatIsNoLargestSize() {
        String[][] cases = {
            {"L <= 8", "the largest size 8 is below the declared 16"},
            {"L <= 8k", "'8k' is no whole number"},
            {"L <= 8_192_", "'8_192_' is no whole number"},
            {"L <= -1", "the largest size -1 is below the declared 16"},
            {"L <= _8192", "'_8192' is no whole number"},
            {"L <= \u0663\u0663", "'\u0663\u0663' is no whole number"},
            {"L <= 3_000_000_000", "the largest size 3,000,000,000 is above 2,147,483,647, the most a size holds"},
            {"L <= 9223372036854775808", "the largest size 9,223,372,036,854,775,808 is above 2,147,483,647, the most a size holds"},
            {"L < 4096", "a size is bounded by its largest value alone, as name <= number (fix: write it as L <= 8192"},
            {"16 <= L", "a size is bounded by its largest value alone, as name <= number (fix: write it as L <= 8192"},
            {"16 < L", "a size is bounded by its largest value alone, as name <= number (fix: write it as L <= 8192"},
        };
        for (String[] c : cases) {
            String text = model("@Model(input = {16, 32}, layout = \"L,D\", sizes = {\"" + c[0] + "\"})", "@Linear(out = 64) Layer fc;");
            expectOnly(text, "[MC156] @Model(sizes) bounds a size with \"" + c[0] + "\", but " + c[1], "@Model", columnAfter(text, "@Model", "sizes = {"));
        }
        // The batch is declared in batch, not in input.
        String batch = model("@Model(input = {16, 32}, layout = \"L,D\", batch = 4, sizes = {\"batch <= 3\"})", "@Linear(out = 64) Layer fc;");
        expectOnly(batch, "[MC156] @Model(sizes) bounds a size with \"batch <= 3\", but the largest size 3 is below the declared 4 (fix: bound the "
                + "size from the declared one up to 2,147,483,647, or declare a smaller size in batch)", "@Model", columnAfter(batch, "@Model", "sizes = {"));
        // An unknown name with a bound is told as an unknown name.
        String text = model("@Model(input = {16, 32}, layout = \"L,D\", sizes = {\"Q <= 5\"})", "@Linear(out = 64) Layer fc;");
        expectOnly(text, "[MC139] @Model(sizes) names \"Q\", which is neither an axis of the input nor the batch", "@Model",
                columnAfter(text, "@Model", "sizes = {"));
    }

    @Test
    void mc157ARangeWhoseStepsPassOverItsEndWarns() {
        // 1, 513, ..., 7,681: 16 sizes, and 8,192 (written last) is not among them. The sizes reached are checked: MACs 2,048·L break
        // 4,000,000 first at L = 1,953, between 1,537 and 2,049, so 2,049 is the first size of the range that breaks it.
        String text = model("@Model(input = {16, 32}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxMacs = 4_000_000, over = \"L = 1..8192 step 512\")",
                "@Linear(out = 64) Layer fc;");
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).hadWarningContaining("[MC157] @Budget(over = \"L = 1..8192 step 512\"): the range L = 1..8192 step 512 ends at 7,681, "
                + "not at 8,192, which its steps pass over (it checks 16 sizes) (fix: start it where its steps reach the end, L = 512..8192 step 512")
                .inFile(file).onLineContaining("@Budget");
        assertThat(compilation).hadErrorContaining("[MC420] MACS = 4,196,352 at L = 2049 exceeds the budget maxMacs = 4,000,000");
        // A step past the whole span checks the first size alone, and says so; where the steps reach the end, nothing is said.
        compilation = compile(source("test.Net", model("@Model(input = {16, 32}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxMacs = 1L << 40, "
                + "over = \"L = 1..10 step 2000000000\")", "@Linear(out = 64) Layer fc;")));
        assertThat(compilation).hadWarningContaining("ends at 1, not at 10, which its steps pass over (it checks one size) (fix: start it where its "
                + "steps reach the end, L = 10, or");
        compilation = compile(source("test.Net", model("@Model(input = {16, 32}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxMacs = 1L << 40, "
                + "over = \"L = 512..8192 step 512\")", "@Linear(out = 64) Layer fc;")));
        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void repeatedBudgetsHoldTheirBoundsEachOverItsOwnRange() {
        // Linear(32 -> 64): 2,048·L MACs, 2,112 parameters. maxMacs = 4,000,000 holds up to L = 1,953; over "L = 1..1000" it holds, and
        // the other budget's range, up to 8,192, is not its own.
        compiled(model("@Model(input = {4, 32}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxMacs = 4_000_000, over = \"L = 1..1000\")\n"
                + "@Budget(maxParams = 10_000, over = \"L = 1..8192\")", "@Linear(out = 64) Layer fc;"));
        // Each budget's break is told on its own attribute: MACs first at L = 1,954 (4,001,792) in the first; in the second, the
        // latency (as in aLatencyBoundIsCheckedOverARangeByCompilingEachSize) at L = 5.
        String text = model("@Model(input = {4, 32}, layout = \"L,D\", sizes = \"L\")\n@Roofline(hardware = \"t\", custom = @Hardware(id = \"t\", "
                + "name = \"T\", fp32 = 1, bandwidth = 1, source = \"round numbers\"))\n@Budget(maxMacs = 4_000_000, over = \"L = 1..8192\")\n"
                + "@Budget(maxLatencySeconds = 10e-6, over = \"L = 1..8\")", "@Linear(out = 64) Layer fc;");
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation).hadErrorContaining("[MC420] MACS = 4,001,792 at L = 1954 exceeds the budget maxMacs = 4,000,000").inFile(file)
                .onLine(ModelSources.lineOf(file, "@Budget(maxMacs")).atColumn(columnAfter(text, "@Budget(maxMacs", "maxMacs = "));
        assertThat(compilation).hadErrorContaining("[MC430] the roofline latency lower bound on t at L = 5, 10.37 \u00b5s").inFile(file)
                .onLine(ModelSources.lineOf(file, "@Budget(maxLatency")).atColumn(columnAfter(text, "@Budget(maxLatency", "maxLatencySeconds = "));
        // A latency bound on each of two profiles, each over its range: t2 is t at twice the bandwidth, where the bound holds to L = 8;
        // on t it breaks at L = 5, on the budget that names t.
        String two = model("@Model(input = {4, 32}, layout = \"L,D\", sizes = \"L\")\n@Roofline(hardware = {\"t2\", \"t\"}, custom = {"
                + "@Hardware(id = \"t\", name = \"T\", fp32 = 1, bandwidth = 1, source = \"round numbers\"), @Hardware(id = \"t2\", name = "
                + "\"T2\", fp32 = 1, bandwidth = 2, source = \"round numbers\")})\n@Budget(maxLatencySeconds = 10e-6, over = \"L = 1..8\")\n"
                + "@Budget(maxLatencySeconds = 10e-6, hardware = \"t\", over = \"L = 1..8\")", "@Linear(out = 64) Layer fc;");
        expectOnly(two, "[MC430] the roofline latency lower bound on t at L = 5, 10.37 \u00b5s, exceeds the budget maxLatencySeconds = 10 \u00b5s",
                "hardware = \"t\", over", columnAfter(two, "hardware = \"t\", over", "maxLatencySeconds = "));
        // Both broken, each over its range at its own first size: t2 moves (384·L + 8,448) bytes at 2 GB/s, 5.376 µs at L = 6, over
        // 5.3 µs. Without a range of its own, t2's bound holds at the declared L = 4 (4.992 µs) and is not told over t's range.
        String both = two.replace("@Budget(maxLatencySeconds = 10e-6, over = \"L = 1..8\")", "@Budget(maxLatencySeconds = 5.3e-6, over = \"L = 1..8\")");
        JavaFileObject bothFile = source("test.Net", both);
        Compilation broken = compile(bothFile);
        assertThat(broken).hadErrorCount(2);
        assertThat(broken).hadErrorContaining("[MC430] the roofline latency lower bound on t at L = 5, 10.37 \u00b5s").inFile(bothFile)
                .onLineContaining("hardware = \"t\", over");
        assertThat(broken).hadErrorContaining("[MC430] the roofline latency lower bound on t2 at L = 6, 5.376 \u00b5s, exceeds the budget "
                + "maxLatencySeconds = 5.3 \u00b5s by 1.4%").inFile(bothFile).onLineContaining("5.3e-6");
        String own = both.replace("@Budget(maxLatencySeconds = 5.3e-6, over = \"L = 1..8\")", "@Budget(maxLatencySeconds = 5.3e-6)");
        expectOnly(own, "[MC430] the roofline latency lower bound on t at L = 5, 10.37 \u00b5s", "hardware = \"t\", over",
                columnAfter(own, "hardware = \"t\", over", "maxLatencySeconds = "));
        // The container written out reads the same.
        text = model("@Model(input = {4, 32}, layout = \"L,D\", sizes = \"L\")\n@Budgets({@Budget(maxParams = 10_000), @Budget(maxMacs = 4_000_000, "
                + "over = \"L = 1..8192\")})", "@Linear(out = 64) Layer fc;");
        expectOnly(text, "[MC420] MACS = 4,001,792 at L = 1954", "@Budgets", columnAfter(text, "@Budgets", "maxMacs = "));
    }

    @Test
    void mc158ABoundGivenInTwoBudgets() {
        String text = model("@Model(input = {4, 32}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxMacs = 4_000_000, over = \"L = 1..8192\")\n"
                + "@Budget(maxParams = 10_000, maxMacs = 5_000_000, over = \"L = 1..8\")", "@Linear(out = 64) Layer fc;");
        expectOnly(text, "[MC158] @Budget(maxMacs) is given in the first @Budget and again in the second: each bound is given once, in the "
                + "@Budget whose range it holds over (fix: keep maxMacs in one @Budget", "maxParams", columnAfter(text, "maxParams", "maxMacs = "));
        // A latency bound is one a profile: two budgets on two profiles are two bounds (RooflineTest), on one profile, named or the
        // first by default, one bound given twice.
        text = model("@Model(input = {4, 32}, layout = \"L,D\")\n@Roofline(hardware = {\"h100-sxm\", \"l4\"})\n"
                + "@Budget(maxLatencySeconds = 0.01)\n@Budget(hardware = \"h100-sxm\", maxLatencySeconds = 0.02)", "@Linear(out = 64) Layer fc;");
        expectOnly(text, "[MC158] @Budget(maxLatencySeconds) is given in the first @Budget and again in the second, both on h100-sxm: each "
                + "bound is given once", "hardware = \"h100-sxm\", max", columnAfter(text, "hardware = \"h100-sxm\", max", "maxLatencySeconds = "));
        assertThat(compiled(text.replace("hardware = \"h100-sxm\", max", "hardware = \"l4\", max"))).succeededWithoutWarnings();
        // maxMacs and maxParams are stated in one convention (BUDGET_COUNTER), however the budgets split them: two counters, or a counter
        // and none.
        text = model("@Model(input = {4, 32}, layout = \"L,D\")\n@Budget(maxMacs = 4_000_000, counter = \"thop\")\n@Budget(maxParams = 10_000, "
                + "counter = \"fvcore\")", "@Linear(out = 64) Layer fc;");
        expectOnly(text, "[MC158] @Budget(maxParams) is stated in fvcore's convention in the second @Budget, but maxMacs in thop's convention in "
                + "the first: the two are stated in one convention (BUDGET_COUNTER)", "fvcore", columnAfter(text, "fvcore", "maxParams = "));
        text = model("@Model(input = {4, 32}, layout = \"L,D\")\n@Budget(maxParams = 10_000, counter = \"ptflops\")\n@Budget(maxMacs = 33_000)",
                "@Linear(out = 64) Layer fc;");
        expectOnly(text, "[MC158] @Budget(maxParams) is stated in ptflops's convention in the first @Budget, but maxMacs as modelcost's own figure "
                + "in the second", "ptflops", columnAfter(text, "ptflops", "maxParams = "));
        // A default written out bounds nothing, and is no second bound: MAX_MACS is the bound in force, whichever budget comes first.
        Compilation compilation = compiled(model("@Model(input = {4, 32}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxMacs = Long.MAX_VALUE, "
                + "maxLatencySeconds = Double.POSITIVE_INFINITY, maxParams = 10_000, over = \"L = 1..8\")\n@Budget(maxMacs = 4_000_000)",
                "@Linear(out = 64) Layer fc;"));
        assertEquals(4_000_000L, constant(compilation, "test.NetCost", "MAX_MACS"));
    }

    @Test
    void repeatedBudgetsAreEachPlacedAndToldApart() {
        // One @Budget written alone beside the container written out: the container's bound is told inside it.
        String text = model("@Model(input = {4, 32}, layout = \"L,D\")\n@Budget(maxWeightBytes = 1L << 40)\n@Budgets({@Budget(maxMacs = 1000), "
                + "@Budget(maxParams = 1L << 40)})", "@Linear(out = 64) Layer fc;");
        expectOnly(text, "[MC402] MACS = 8,192 exceeds the budget maxMacs = 1,000", "@Budgets", columnAfter(text, "@Budgets", "maxMacs = "));
        // The same problem on two budgets is told on each.
        text = model("@Model(input = {4, 32}, layout = \"L,D\")\n@Budget()\n@Budget()", "@Linear(out = 64) Layer fc;");
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation).hadErrorContaining("[MC427] @Budget bounds nothing").inFile(file).onLine(6);
        assertThat(compilation).hadErrorContaining("[MC427] @Budget bounds nothing").inFile(file).onLine(7);
        // An empty container bounds nothing either.
        text = model("@Model(input = {4, 32}, layout = \"L,D\")\n@Budgets({})", "@Linear(out = 64) Layer fc;");
        expectOnly(text, "[MC427] @Budget bounds nothing", "@Budgets", 1);
        // Off a model, on the first of them; once where one is written beside the container.
        text = "package test;\n\nimport dev.modelcost.*;\n\n@Budget(maxMacs = 1)\n@Budget(maxParams = 1)\npublic class Net {\n}\n";
        expectOnly(text, "[MC118] @Budget on Net, which is not a @Model", "@Budget(maxMacs", 1);
        text = "package test;\n\nimport dev.modelcost.*;\n\n@Budget(maxMacs = 1)\n@Budgets({@Budget(maxParams = 1)})\npublic class Net {\n}\n";
        expectOnly(text, "[MC118] @Budget on Net, which is not a @Model", "@Budget(maxMacs", 1);
    }

    @Test
    void noClosedFormNamesATestThatTurnsBetweenTheSamples() {
        // The reshape needs L a multiple of 16, so the lattice starts at the declared 16 with no room below; the block's P, L / 16, is 1
        // there and 2 from L = 32, where wide turns on a Linear: no polynomial through L = 16, 32, ... holds, and the message says why.
        String text = model("@Model(input = {4, 16}, layout = \"C,L\", sizes = \"L\")", "@Reshape(shape = {4, -1, 16}, layout = \"C,P,Q\") Layer r;",
                "B b;", "@Block public static class B { @Param(expr = \"input.P > 1 ? 7 : 7\") int same; @Param(expr = \"input.P > 1000 ? (input.P > 1 ? 3 "
                + ": 5) : 4\") int untaken; @Param(expr = \"input.P > 1 ? 1 : 0\") int wide; @When(\"wide == 1\") @Linear(out = 16) Layer extra; "
                + "@Identity Layer id; }");
        // same and untaken compare P too, but their values do not change: wide, which switches extra on, is named.
        expectOnly(text, "; the test at b @Param wide turns between L = 16 and L = 32, among the sizes the forms are sampled at (declared at "
                + "L = 32 or past it, the samples may all lie on one side of it) (fix: remove L",
                "@Model", columnAfter(text, "@Model", "sizes = "));
    }

    @Test
    void aTestThatTurnsJustAboveTheDeclaredSizeMovesTheFormsPastTheLastTurnAmongTheSamples() throws ReflectiveOperationException {
        // Repetition index i turns its extra layer on from L + i > 18: the tests turn at L = 19, 18, 17 and 16, the last three among
        // the samples from the declared 16 (17, 18, 19, ...). No lattice through 16 holds, so the forms are established at 19, past
        // the last turn, and hold from there; at(16) gives the declared size's own figures.
        String fields = "@Repeat(4) @Args(\"lim = L + index\") Part p; @Block public static class Part { @Param int lim;"
                + " @Linear(out = 8) Layer fc; @When(\"lim > 18\") @Linear(out = 8) Layer extra; }";
        Compilation compilation = compiled(model("@Model(input = {16, 8}, layout = \"L,D\", sizes = \"L\")", fields));
        String generated = ModelSources.generated(compilation, "test.NetCost");
        assertTrue(generated.contains("SizeDomain.of(\"Net\", \"L\", 16, 1, 19, "), generated);
        assertTrue(generated.contains("(the test at p.2.extra &#64;When turns between L = 16 and L = 17), so that no polynomial holds on both "
                + "sides of it: the forms were established past it, at L = 19"), generated);
        java.lang.reflect.Method at = ModelSources.classes(compilation).loadClass("test.NetCost").getMethod("at", int.class);
        // By hand: each Linear(8 -> 8) takes 64 MACs a position. At 16 one repetition (lim = 19) adds its extra layer: 5 layers on
        // 16 positions, 5,120; from 19 every one does: 8 · 19 · 64 = 9,728 at 19, 8 · 100 · 64 at 100.
        assertTrue(at.invoke(null, 16).toString().contains("macs=5120,"));
        assertEquals(5_120L, constant(compilation, "test.NetCost", "MACS"));
        assertTrue(at.invoke(null, 19).toString().contains("macs=9728,"));
        assertTrue(at.invoke(null, 100).toString().contains("macs=51200,"));
        java.lang.reflect.InvocationTargetException between = assertThrows(java.lang.reflect.InvocationTargetException.class,
                () -> at.invoke(null, 17));
        assertTrue(between.getCause().getMessage().startsWith("Net: L = 17 is below 19, the smallest size at which the closed forms hold"),
                between.getCause().getMessage());
        // Bounded at 18, the size past the last turn is none the variable takes: no forms, and no advice.
        String bounded = model("@Model(input = {16, 8}, layout = \"L,D\", sizes = \"L <= 18\")", fields);
        Compilation refused = compile(source("test.Net", bounded));
        assertThat(refused).hadErrorContaining("turns between L = 16 and L = 17, among the sizes the "
                + "forms are sampled at (fix: remove L");
        // Where the lattice past the turn misses the declared size (a pool on from 9 positions after a stride of 2, declared at 16: the
        // forms hold on 18 + 4k), the declared size stays the default, off that lattice, and its figures are its own. By hand: the
        // stride-2 convolution 96 MACs a position, the head 16; at 16, 8 positions and no pool (896); at 17, 9 positions pooled to 4,
        // 864 + 64 (928), which the program gives.
        Compilation off = compiled(model("@Model(input = {4, 16}, layout = \"C,L\", sizes = \"L\")", "@Conv1d(cout = 8, k = 3, stride = 2, padding = 1) Layer conv;",
                "@When(\"x.L > 8\") @MaxPool1d(k = 2) Layer pool;", "@Conv1d(cout = 2, k = 1) Layer head;"));
        assertTrue(ModelSources.generated(off, "test.NetCost").contains("SizeDomain.of(\"Net\", \"L\", 16, 4, 18, "));
        java.lang.reflect.Method offAt = ModelSources.classes(off).loadClass("test.NetCost").getMethod("at", int.class);
        assertTrue(offAt.invoke(null, 16).toString().contains("macs=896,"));
        assertTrue(offAt.invoke(null, 17).toString().contains("macs=928,"));
    }

    @Test
    void aComparisonWithANumberJustAboveTheDeclaredSizeMovesTheFormsPastIt() throws ReflectiveOperationException {
        // Declared at L = 100, b runs while L < 101 and c while L > 97: the samples up from 100 see b turn off at 101, those down from
        // it c at 97, so no lattice through 100 holds (MC419, naming b's test, before). The forms are established past b's turn, at 101,
        // where a and c run: Linear(8 -> 8) takes 64 MACs a position, 128·L. At 100 all three run: 3 · 64 · 100 = 19,200, the
        // declared size's own figures.
        Compilation compilation = compiled(model("@Model(input = {100, 8}, layout = \"L,D\", sizes = \"L\")", "@Linear(out = 8) Layer a;",
                "@When(\"L < 101\") @Linear(out = 8) Layer b;", "@When(\"L > 97\") @Linear(out = 8) Layer c;"));
        assertEquals("MACS(L) = 128\u00b7L", closedForm(compilation, "MACS", "L").toString());
        assertEquals(19_200L, constant(compilation, "test.NetCost", "MACS"));
        java.lang.reflect.Method at = ModelSources.classes(compilation).loadClass("test.NetCost").getMethod("at", int.class);
        assertTrue(at.invoke(null, 100).toString().contains("macs=19200,"));
        assertTrue(at.invoke(null, 101).toString().contains("macs=12928,"));
        assertTrue(at.invoke(null, 4096).toString().contains("macs=524288,"));
        // Below the declared size b runs again, which the forms past the turn do not count: refused.
        java.lang.reflect.InvocationTargetException below = assertThrows(java.lang.reflect.InvocationTargetException.class,
                () -> at.invoke(null, 99));
        assertTrue(below.getCause().getMessage().startsWith("Net: L = 99 is below 101, the smallest size at which the closed forms hold"),
                below.getCause().getMessage());
        // b on while L < 103: the turn is the third step up, past two samples on the declared side; the forms hold from 103, and
        // 101 and 102, where b still runs, are refused. At 103, 128 · 103 = 13,184.
        Compilation third = compiled(model("@Model(input = {100, 8}, layout = \"L,D\", sizes = \"L\")", "@Linear(out = 8) Layer a;",
                "@When(\"L < 103\") @Linear(out = 8) Layer b;", "@When(\"L > 97\") @Linear(out = 8) Layer c;"));
        java.lang.reflect.Method atThird = ModelSources.classes(third).loadClass("test.NetCost").getMethod("at", int.class);
        assertTrue(atThird.invoke(null, 100).toString().contains("macs=19200,"));
        assertTrue(atThird.invoke(null, 103).toString().contains("macs=13184,"));
        java.lang.reflect.InvocationTargetException between = assertThrows(java.lang.reflect.InvocationTargetException.class,
                () -> atThird.invoke(null, 102));
        assertTrue(between.getCause().getMessage().startsWith("Net: L = 102 is below 103, the smallest size at which the closed forms hold"),
                between.getCause().getMessage());
    }

    @Test
    void aBlockRepeatedAHundredMillionTimesWithTwoSizesIsFolded() {
        // Whether a test reads the sizes is asked of each distinct node, not of every repetition: before, the model's forward pass was
        // laid out step by step for it, which ran out of memory or time with two size variables. A ReLU is 1 op an element: OTHER_OPS is
        // 10^8 · 3 · H · W.
        Compilation compilation = compiled(model("@Model(input = {3, 16, 16}, sizes = {\"H\", \"W\"})", "@Repeat(100000000) U u;",
                "@Block static class U { @ReLU Layer r; }"));
        assertEquals(100_000_000L * 3 * 16 * 16, constant(compilation, "test.NetCost", "OTHER_OPS"));
        assertEquals(100_000_000L * 3 * 32 * 48, closedForm(compilation, "OTHER_OPS", "H", "W").at(32, 48));
    }

    @Test
    void aLatencyBoundIsCheckedOverARangeByCompilingEachSize() {
        // A profile of 1 TFLOP/s and 1 GB/s, fp32. Linear(32 -> 64) on L positions: 8,448 weight bytes, 128·L read and 256·L written,
        // memory-bound (4,096·L FLOPs take 4.1·L ns against 8,448 + 384·L ns). 10 µs holds at L = 4 (9,984 ns) and breaks first at
        // L = 5: 10,368 ns, 3.7% over.
        String profile = "@Roofline(hardware = \"t\", custom = @Hardware(id = \"t\", name = \"T\", fp32 = 1, bandwidth = 1, source = \"round numbers\"))";
        expectOnly(model("@Model(input = {4, 32}, layout = \"L,D\", sizes = \"L\")\n" + profile + "\n@Budget(maxLatencySeconds = 10e-6, over = "
                + "\"L = 1..8\")", "@Linear(out = 64) Layer fc;"), "[MC430] the roofline latency lower bound on t at L = 5, 10.37 \u00b5s, exceeds the "
                + "budget maxLatencySeconds = 10 \u00b5s by 3.7%, the first size of over = \"L = 1..8\" that breaks it; largest there: fc (Linear, "
                + "memory-bound) 10.37 \u00b5s = 100.0%", "@Budget", 29);
        // Up to L = 4 it holds.
        compiled(model("@Model(input = {4, 32}, layout = \"L,D\", sizes = \"L\")\n" + profile + "\n@Budget(maxLatencySeconds = 10e-6, over = "
                + "\"L = 1..4\")", "@Linear(out = 64) Layer fc;"));
        // One decoding step of nn.MultiheadAttention(8, 2 heads, causal) and Linear(8 -> 16) with L keys cached (DecodeRooflineTest
        // derives it at L = 8): the attention moves 1,152 weight bytes, 64 of the new position's input and output, the cache of L
        // positions, 32·L bytes in fp16, and 32 appended; the head 672: 1,920 + 32·L ns, memory-bound. 2.2 µs breaks first at
        // L = 9, 2,208 ns.
        expectOnly(model("@Model(input = {8, 8}, layout = \"L,E\", sizes = \"L\")\n" + profile + "\n@Budget(maxDecodeLatencySeconds = 2.2e-6, "
                + "over = \"L = 2..16\")", "@MultiheadAttention(embedDim = 8, numHeads = 2, isCausal = true) Layer attn;", "@Linear(out = 16) Layer head;"),
                "[MC430] the roofline latency lower bound of one decoding step on t at L = 9, 2.208 \u00b5s, exceeds the budget "
                + "maxDecodeLatencySeconds = 2.2 \u00b5s by 0.4%, the first size of over = \"L = 2..16\" that breaks it", "@Budget", 35);
        // A bound broken at the declared size is told there alone (MC410), not again at the range's first size that breaks it.
        expectOnly(model("@Model(input = {16, 32}, layout = \"L,D\", sizes = \"L\")\n" + profile + "\n@Budget(maxLatencySeconds = 10e-6, over = "
                + "\"L = 1..8\")", "@Linear(out = 64) Layer fc;"), "[MC410] the roofline latency lower bound on t, 14.59 \u00b5s", "@Budget", 29);
        // More sizes than are compiled one by one: refused, naming how many, with the range stepped to at most 512 sizes.
        expectOnly(model("@Model(input = {16, 32}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxLatencySeconds = 1, hardware = \"l4\", over = "
                + "\"L = 1..513\")", "@Linear(out = 64) Layer fc;"), "[MC421] @Budget(maxLatencySeconds) cannot be checked over \"L = 1..513\": the "
                + "latency bound, a sum of maxima over layers, has no closed form, and the model is compiled at each size of the range for it, up "
                + "to 512 sizes; this range has 513 (fix: give ranges of at most 512 sizes in all, with a larger step (L = 1..513 step 2))", "@Budget", 29);
        // A range that takes a size where the network does not exist is refused once (MC140), not again by the latency's compiles.
        String img = model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\"})\n@Budget(maxLatencySeconds = 1, hardware = \"l4\", over = \"H = 1..20\")",
                "@Conv2d(k = 7, cout = 8, stride = 2) Layer c1;", "@Conv2d(k = 3, cout = 8, stride = 2, padding = 1) Layer c2;", "@Flatten Layer f;",
                "@Linear(out = 10) Layer fc;");
        expectOnly(img, "[MC140] @Budget(over = \"H = 1..20\") takes H = 1, W = 32, where Net does not exist at H = 1, W = 32: c1 (Conv2d)", "@Budget",
                columnAfter(img, "@Budget", "over = "));
    }

    @Test
    void aFigureOfDegreeFourIsRefusedForItsDegreeAloneNotForALongLatticeWhoseFarSampleOverflows() {
        // out = L^4: MACs = 8·L^5 is of degree 5 on every lattice, more than the 3 the samples check. On the lattice 16 + 52·k the
        // fifth sample, L = 224, makes out = 2,517,630,976, beyond an int: the network is there, its width too large, which is no
        // reason to give beside the degree.
        String text = model("@Model(input = {16, 8}, layout = \"L,D\", sizes = \"L\")", "@Linear(with = \"out = L * L * L * L\") Layer fc;");
        expectOnly(text, "[MC419] the costs have no closed form in L on any lattice 16 + p\u00b7k tried: MACS is no polynomial of degree 3 or less "
                + "in L on the integers (fix: remove L from @Model(sizes)", "@Model", columnAfter(text, "@Model(", "sizes = "));
    }

    @Test
    void aPeakWhoseTimelineGrowsAStepPastATestNamesTheFirstSizeThatHasIt() {
        // fc2 runs from L = 21 on: the memory timeline has one step at the declared 16 and two from 21, where the forms change. The
        // peak has no form over the range, and the reason names 21, the nearest size analysed that has two steps, not a later one.
        String text = model("@Model(input = {16, 8}, layout = \"L,D\", sizes = \"L\")\n@Budget(maxPeakActivationBytes = 100_000, over = \"L = 1..64 step 3\")",
                "@Linear(out = 8) Layer fc;", "@When(\"L > 20\") @Linear(out = 8) Layer fc2;");
        expectOnly(text, "[MC421] @Budget(maxPeakActivationBytes) cannot be checked over \"L = 1..64 step 3\": PEAK_ACTIVATION_BYTES has no closed "
                + "form: PEAK_ACTIVATION_BYTES is a maximum over the steps of the memory timeline, which has 2 steps at L = 21, not the 1 at the "
                + "declared sizes", "@Budget", columnAfter(text, "@Budget(", "maxPeakActivationBytes = "));
    }

    @Test
    void aCounterWhoseRuleIsNoCombinationOffTheLatticeHasNoForm() {
        // nni's full mode and thop count adaptive average pooling by its windows' mean size in floating point ((H' / 3) * (W' / 3) + 1 per
        // output element in thop), a fraction where the map is no multiple of 3. Their forms are dropped (the program gives every figure at
        // every size), with why.
        String text = model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})\n@Budget(maxMacs = 1_000_000, counter = \"nni_full\", over = \"H = 64..124 step 6\")",
                "@Conv2d(cout = 4, k = 3, stride = 2) Layer conv;", "@AdaptiveAvgPool2d(3) Layer pool;", "@Flatten Layer flat;", "@Linear(out = 5) Layer fc;");
        expectOnly(text, "[MC421] @Budget(maxMacs) cannot be checked over \"H = 64..124 step 6\": NNI_FULL_FLOPS has no closed form: NNI_FULL_FLOPS "
                + "follows its tool's rule, which is no linear combination of the products of the tensors' sizes off the lattice", "@Budget", 19);
        String generated = ModelSources.generated(compiled(text.replace(", counter = \"nni_full\", over = \"H = 64..124 step 6\"", "")), "test.NetCost");
        assertTrue(generated.contains("WITHOUT_CLOSED_FORM = List.of(\"THOP_MACS\", \"NNI_FULL_FLOPS\")"), generated);
        assertTrue(generated.contains("NNI_FLOPS_FORM = ") && !generated.contains("NNI_FULL_FLOPS_FORM") && !generated.contains("THOP_MACS_FORM"),
                generated);
    }

    @Test
    void aCounterThatTruncatesAFloatingPointCountHasNoForm() {
        // thop counts AdaptiveAvgPool2d(3) as int((H / 3 · W / 3 + 1) · 72) in double precision: at 15 x 16 that is int(1991.99...) = 1991,
        // one less than the exact 1,992, and at sizes that are multiples of 3 exact. No form can follow it, so none is given, with why.
        String generated = ModelSources.generated(compiled(model("@Model(input = {8, 48, 48}, sizes = {\"H\", \"W\"})",
                "@AdaptiveAvgPool2d(3) Layer p;", "@Flatten Layer f;", "@Linear(out = 10) Layer fc;")), "test.NetCost");
        assertTrue(generated.contains("WITHOUT_CLOSED_FORM = List.of(\"THOP_MACS\""), generated);
        assertTrue(generated.contains("<li>{@code THOP_MACS} is what thop 0.1.1 (Lyken17/pytorch-OpCounter 43c064a) computes in floating point and "
                + "truncates: count_adap_avgpool computes int((in / out + 1) \u00b7 out_numel) in double precision (p, AdaptiveAvgPool2d)"), generated);
        assertTrue(!generated.contains("long thopMacs"), generated);
    }

    @Test
    void aLayerWhosePeakIsTheLargestOfSeveralMomentsKeepsItsPeaksForm() {
        // A bidirectional two-layer LSTM and an attention off its fast path hold the largest of several moments while they run, which
        // one depending on L: each moment is a step of the timeline of its own, so the peak is a maximum of polynomials, equal to the
        // model compiled at every length (the smallest included, where another moment is the largest).
        for (String[] spec : new String[][] {
                {"@Model(input = {10, 16}, layout = \"L,D\", batch = 3, sizes = \"L\")",
                        "@LSTM(hiddenSize = 32, numLayers = 2, bidirectional = true, batchFirst = true) Layer rnn; @Linear(out = 4) Layer fc;"},
                {"@Model(input = {16, 64}, layout = \"L,D\", batch = 4, sizes = \"L\")",
                        "@MultiheadAttention(numHeads = 4, batchFirst = true, isCausal = true) Layer attn; @Linear(out = 8) Layer fc;"}}) {
            Compilation compilation = compiled(model(spec[0], spec[1]));
            ClosedForm peak = closedForm(compilation, "PEAK_ACTIVATION_BYTES", "L");
            ClosedForm inference = closedForm(compilation, "INFERENCE_MEMORY_BYTES", "L");
            for (int length : new int[] {1, 2, 3, 7, 25}) {
                Compilation fixed = compiled(model(spec[0].replace(", sizes = \"L\"", "").replaceFirst("input = \\{\\d+", "input = {" + length), spec[1]));
                assertEquals(constant(fixed, "test.NetCost", "PEAK_ACTIVATION_BYTES"), peak.at(length), spec[1] + " at " + length);
                assertEquals(constant(fixed, "test.NetCost", "INFERENCE_MEMORY_BYTES"), inference.at(length), spec[1] + " at " + length);
            }
        }
    }

    @Test
    void aBatchFirstRecurrentLayersCopyAndProjectionAreMomentsOfTheirOwn() {
        // Above a batch of 1 a batch-first LSTM copies its input (L·N·D) and projects it as mm and an add (two L·N·4H): which of the
        // two moments is larger depends on D against 4H, so each is a step of its own, and the peak keeps a form in L and D.
        // (A Linear on the LSTM's transposed output would fold it into a copy above one step, as PyTorch's matmul does: a step of
        // another form at L = 1, which a model of two variables cannot give a piece of its own; a tanh reads it as it is.)
        String header = "@Model(input = {16, 32}, layout = \"L,D\", batch = 3, sizes = {\"L\", \"D\"})";
        String fields = "@LSTM(hiddenSize = 4, batchFirst = true) Layer rnn; @Tanh Layer act;";
        Compilation compilation = compiled(model(header, fields));
        // Every figure has a form but ptflops' aten backend's: at L = 1 the transposed input is contiguous, and the input product's
        // addmm adds its bias (4 x 4 a sample, 48 at batch 3), so the figure changes form below the sizes sampled.
        assertTrue(generated(compilation).contains("WITHOUT_CLOSED_FORM = List.of(\"PTFLOPS_ATEN_MACS\");"), generated(compilation));
        ClosedForm peak = closedForm(compilation, "PEAK_ACTIVATION_BYTES", "L", "D");
        for (int[] sizes : new int[][] {{1, 1}, {5, 16}, {17, 17}, {100, 64}}) {
            Compilation fixed = compiled(model("@Model(input = {" + sizes[0] + ", " + sizes[1] + "}, layout = \"L,D\", batch = 3)", fields));
            assertEquals(constant(fixed, "test.NetCost", "PEAK_ACTIVATION_BYTES"), peak.at(sizes[0], sizes[1]), java.util.Arrays.toString(sizes));
        }
    }

    @Test
    void repetitionsOfABatchFirstAttentionAreAlikeAtEveryLengthAndKeepThePeaksForm() {
        // A batch-first attention's output is a transposed view, contiguous to PyTorch at one position only; the next repetition
        // reads it, so the first differs from the others (ptflops' aten backend counts their projections' bias, not the first's).
        // Which repetitions are alike must not change with the length, or the memory timeline would, and the peak lose its form.
        String fields = "@Repeat(3) Blk b; @Linear(out = 4) Layer fc; @Block public static class Blk { "
                + "@MultiheadAttention(numHeads = 2, batchFirst = true) Layer a; }";
        Compilation compilation = compiled(model("@Model(input = {16, 8}, layout = \"L,D\", batch = 2, sizes = \"L\")", fields));
        assertTrue(generated(compilation).contains("WITHOUT_CLOSED_FORM = List.of(\"PTFLOPS_ATEN_MACS\");"), generated(compilation));
        ClosedForm peak = closedForm(compilation, "PEAK_ACTIVATION_BYTES", "L");
        for (int length : new int[] {1, 2, 5, 40}) {
            Compilation fixed = compiled(model("@Model(input = {" + length + ", 8}, layout = \"L,D\", batch = 2)", fields));
            assertEquals(constant(fixed, "test.NetCost", "PEAK_ACTIVATION_BYTES"), peak.at(length), "L = " + length);
        }
        // and with the batch a size too: at one step of one sample the transposed view is as dense as a contiguous tensor (a tanh
        // after the attention: the Linear folds the transposed view into a copy above one step of one sample, below)
        String tanh = fields.replace("@Linear(out = 4) Layer fc;", "@Tanh Layer act;");
        Compilation both = compiled(model("@Model(input = {16, 8}, layout = \"L,D\", batch = 2, sizes = {\"L\", \"batch\"})", tanh));
        assertTrue(generated(both).contains("WITHOUT_CLOSED_FORM = List.of(\"PTFLOPS_ATEN_MACS\");"), generated(both));
        ClosedForm joint = closedForm(both, "PEAK_ACTIVATION_BYTES", "L", "batch");
        Compilation one = compiled(model("@Model(input = {1, 8}, layout = \"L,D\", batch = 1)", tanh));
        assertEquals(constant(one, "test.NetCost", "PEAK_ACTIVATION_BYTES"), joint.at(1, 1));
    }

    @Test
    void aCopyThatOneStepSparesGivesThatSizeItsOwnPeakOrTheSmallestOfFormsInSeveralVariables() {
        // A Linear on a batch-first attention's output (a transposed view) folds it into a copy of L·N·E above one step of one sample,
        // as PyTorch 1.13's matmul does, and reads it as it is at L = 1: the Linear's step has another form there alone.
        String fields = "@MultiheadAttention(numHeads = 2, batchFirst = true) Layer a; @Linear(out = 64) Layer fc;";
        // Where that step is the peak at L = 1, that size takes a piece of its own: 640 bytes there, and no copy's 64 more.
        Compilation alone = compiled(model("@Model(input = {16, 8}, layout = \"L,D\", batch = 2, sizes = \"L\")", fields));
        assertPieceStarts(alone, "1L, 2L");
        assertTrue(generated(alone).contains("PEAK_ACTIVATION_BYTES_FORMS = List.of(ClosedForm.parse(\"PEAK_ACTIVATION_BYTES\", SIZE_VARIABLES, "
                + "\"(640) / 1\"), "), generated(alone));
        assertEquals(640L, constant(compiled(model("@Model(input = {1, 8}, layout = \"L,D\", batch = 2)", fields)), "test.NetCost",
                "PEAK_ACTIVATION_BYTES"));
        ClosedForm above = closedForm(alone, "PEAK_ACTIVATION_BYTES", "L");
        for (int length : new int[] {2, 3, 9}) {
            Compilation fixed = compiled(model("@Model(input = {" + length + ", 8}, layout = \"L,D\", batch = 2)", fields));
            assertEquals(constant(fixed, "test.NetCost", "PEAK_ACTIVATION_BYTES"), above.at(length), "L = " + length);
        }
        // Declared at L = 1 the samples start there; the forms above are interpolated from L = 2, the same pieces.
        Compilation atOne = compiled(model("@Model(input = {1, 8}, layout = \"L,D\", batch = 2, sizes = \"L\")", fields));
        assertPieceStarts(atOne, "1L, 2L");
        Matcher forms = Pattern.compile("PEAK_ACTIVATION_BYTES_FORMS = List\\.of\\((.*)\\);").matcher(generated(alone));
        assertTrue(forms.find(), generated(alone));
        assertTrue(generated(atOne).contains("PEAK_ACTIVATION_BYTES_FORMS = List.of(" + forms.group(1) + ");"), generated(atOne));
        // Where a later layer holds more at every length, the peak keeps one form, checked at L = 1 directly.
        String wide = fields + " @Linear(out = 4096) Layer head;";
        Compilation one = compiled(model("@Model(input = {16, 8}, layout = \"L,D\", batch = 2, sizes = \"L\")", wide));
        assertTrue(!generated(one).contains("PIECE_STARTS"), generated(one));
        ClosedForm peak = closedForm(one, "PEAK_ACTIVATION_BYTES", "L");
        ClosedForm inference = closedForm(one, "INFERENCE_MEMORY_BYTES", "L");
        for (int length : new int[] {1, 2, 3, 9}) {
            Compilation fixed = compiled(model("@Model(input = {" + length + ", 8}, layout = \"L,D\", batch = 2)", wide));
            assertEquals(constant(fixed, "test.NetCost", "PEAK_ACTIVATION_BYTES"), peak.at(length), "L = " + length);
            assertEquals(constant(fixed, "test.NetCost", "INFERENCE_MEMORY_BYTES"), inference.at(length), "L = " + length);
        }
        // With L and the batch, the step changes form at L = 1 and at a batch of 1: the smallest of its form and one per such size.
        Compilation both = compiled(model("@Model(input = {16, 8}, layout = \"L,D\", batch = 2, sizes = {\"L\", \"batch\"})", fields));
        String generated = generated(both);
        assertTrue(generated.contains("WITHOUT_CLOSED_FORM = List.of(\"PTFLOPS_ATEN_MACS\");"), generated);
        ClosedForm peakOfBoth = closedForm(both, "PEAK_ACTIVATION_BYTES", "L", "batch");
        ClosedForm inferenceOfBoth = closedForm(both, "INFERENCE_MEMORY_BYTES", "L", "batch");
        assertTrue(peakOfBoth.text().contains("min("), peakOfBoth.toString());
        for (int[] at : new int[][] {{1, 1}, {1, 2}, {1, 7}, {2, 1}, {9, 1}, {2, 2}, {3, 5}, {16, 2}}) {
            Compilation fixed = compiled(model("@Model(input = {" + at[0] + ", 8}, layout = \"L,D\", batch = " + at[1] + ")", fields));
            assertEquals(constant(fixed, "test.NetCost", "PEAK_ACTIVATION_BYTES"), peakOfBoth.at(at[0], at[1]), "L = " + at[0] + ", batch = " + at[1]);
            assertEquals(constant(fixed, "test.NetCost", "INFERENCE_MEMORY_BYTES"), inferenceOfBoth.at(at[0], at[1]), "L = " + at[0] + ", batch = " + at[1]);
        }
    }

    @Test
    void aTrainingFigureThatChangesFormAtOnePositionAloneTakesAPieceThere() {
        // The Linear on a batch-first attention's output saves its copy above one position, and at L = 1 the output itself, which the
        // LayerNorm saves too: SAVED_ACTIVATION_BYTES (and the training memory) take another form at L = 1 alone, a piece of its own,
        // each piece equal to the model compiled there.
        String header = "@Model(input = {%d, 8}, layout = \"L,D\", batch = 2%s)\n@Training";
        String fields = "@MultiheadAttention(numHeads = 2, batchFirst = true) Layer a; @Linear(out = 8) Layer fc; @From(\"a\") @LayerNorm Layer ln; "
                + "@Add({\"fc\", \"ln\"}) Layer s;";
        Compilation sized = compiled(model(header.formatted(16, ", sizes = \"L\""), fields));
        // (ptflops' aten backend counts the Linear's bias at one position only, where its input is contiguous: a counter's figure that
        // changes there stays without a form)
        assertTrue(generated(sized).contains("WITHOUT_CLOSED_FORM = List.of(\"PTFLOPS_ATEN_MACS\");"), generated(sized));
        assertPieceStarts(sized, "1L, 2L");
        for (String figure : List.of("SAVED_ACTIVATION_BYTES", "TRAINING_MEMORY_BYTES")) {
            Matcher forms = Pattern.compile(figure + "_FORMS = List\\.of\\(ClosedForm\\.parse\\(\"" + figure + "\", SIZE_VARIABLES, \"([^\"]+)\"\\), "
                    + "ClosedForm\\.parse\\(\"" + figure + "\", SIZE_VARIABLES, \"([^\"]+)\"\\)\\);").matcher(generated(sized));
            assertTrue(forms.find(), generated(sized));
            for (int length : new int[] {1, 2, 3, 7}) {
                ClosedForm piece = ClosedForm.parse(figure, List.of("L"), forms.group(length == 1 ? 1 : 2));
                assertEquals(constant(compiled(model(header.formatted(length, ""), fields)), "test.NetCost", figure), piece.at(length),
                        figure + " at L = " + length);
            }
        }
    }

    @Test
    void theRangeEndsWhereAVaryingLengthPassesAFixedOne() {
        // Causal attention of tgt.L queries on a fixed memory of 100 keys exists up to 100 queries (more would see no key, MC310).
        // 100 is no layer's attribute: the search for the largest size looks as far as any tensor's size, not only the attributes'.
        Compilation compilation = compiled("""
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "tgt", shape = {4, 8}, layout = "L,D"), @Input(name = "mem", shape = {100, 8}, layout = "L,D")},
                        sizes = "tgt.L")
                public class Net {
                    @From({"tgt", "mem", "mem"}) @MultiheadAttention(numHeads = 2, batchFirst = true, isCausal = true) Layer attn;
                }
                """);
        assertTrue(domain(compilation, 0).contains("\"tgt.L\", 4, 1, 1, \"\", 100, \"at tgt.L = 101: [MC310] attn: MultiheadAttention isCausal = true "
                + "must be false for 101 queries on 100 keys"), domain(compilation, 0));
    }

    @Test
    void mc418SaysTheSamplesNeedRoomOnOneSideOfTheDeclaredSize() {
        // 4 queries on 6 keys: the network exists for 1 to 6 queries, too few either side of 4 for five samples
        String text = ModelSources.model("@Model(inputs = {@Input(name = \"tgt\", shape = {4, 8}, layout = \"L,D\"), "
                + "@Input(name = \"mem\", shape = {6, 8}, layout = \"L,D\")}, sizes = \"tgt.L\")",
                "@From({\"tgt\", \"mem\", \"mem\"}) @MultiheadAttention(numHeads = 2, batchFirst = true, isCausal = true) Layer attn;");
        Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", text));
        com.google.testing.compile.CompilationSubject.assertThat(compilation).hadErrorContaining("[MC418] the size tgt.L cannot vary");
        com.google.testing.compile.CompilationSubject.assertThat(compilation).hadErrorContaining("the forms are sampled at 5 sizes from the "
                + "declared one, up or down, so a network that exists only a few sizes either side of it needs a declared size with room on one side");
        // declared at 2, the samples 2 to 6 fit
        compiled(text.replace("shape = {4, 8}", "shape = {2, 8}"));
    }

    /**
     * Compiles {@code text} and asserts that its only error is {@code message} on the line that holds {@code at}, met at another size than
     * the declared ones; gives that error's column.
     */
    private static long onlyErrorAtOtherSizes(String text, String message, String at) {
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining(message).inFile(file).onLineContaining(at);
        assertThat(compilation).hadErrorContaining(", one of the sizes the closed forms are checked at, not at the declared sizes)");
        return compilation.errors().get(0).getColumnNumber();
    }

    @Test
    void aNameNoAttributeHasInALayerKeptOnlyAtOtherSizesIsAnErrorAtTheDeclaredSizes() {
        // At the declared H = 64 the @When keeps no c2, so its expression is not evaluated; 'widht' names nothing whatever the size,
        // and names are checked where nothing evaluates them: an error on the attribute that holds the expression, found without
        // analysing another size, not the end of H's range.
        String text = model("@Model(input = {3, 64, 64}, sizes = \"H\")", "@Conv2d(cout = 8, k = 3, padding = 1) Layer c1;",
                "@When(\"input.H > 100\") @Conv2d(k = 3, padding = 1, with = \"cout = widht\") Layer c2;", "@ReLU Layer r;");
        assertEquals(columnAfter(text, "Layer c2", "with = "), onlyErrorAtTheDeclaredSizes(text, "[MC202] c2 cout: unknown name 'widht' in "
                + "'cout = widht'", "widht", " (in field c2, which @When(\"input.H > 100\") leaves out here;"));
    }

    /** Names that mean nothing whatever the sizes, in a layer that a @When keeps above H = 100 only (the model is declared at 64). */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> unknownNamesAtAnySize() {
        return java.util.stream.Stream.of(
                // The part before the dot names no tensor: no size makes c9 a field.
                org.junit.jupiter.params.provider.Arguments.of("@When(\"input.H > 100\") @Conv2d(k = 1, with = \"cout = c9.C\") Layer d;",
                        "[MC202] d cout: unknown name 'c9.C' in 'cout = c9.C'; did you mean 'c.C'?", "\"cout = c9.C\"",
                        " (in field d, which @When"),
                // A model's input keeps its axes at every size.
                org.junit.jupiter.params.provider.Arguments.of("@When(\"input.H > 100\") @Conv2d(k = 1, with = \"cout = input.Hh\") Layer d;",
                        "[MC202] d cout: unknown name 'input.Hh'", "\"cout = input.Hh\"", " (in field d, which @When"),
                // A field read before it is computed, whatever the sizes, on the right of an && that its left decides here.
                org.junit.jupiter.params.provider.Arguments.of("@When(\"input.H > 100 && e.C > 3\") @ReLU Layer d; @ReLU Layer e;",
                        "[MC202] d @When: unknown name 'e.C' in 'input.H > 100 && e.C > 3': e.C is a size of field e, which is not computed "
                        + "before this step", "\"input.H > 100 && e.C", " (in a part of the expression not evaluated here"));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{1}")
    @org.junit.jupiter.params.provider.MethodSource("unknownNamesAtAnySize")
    void anUnknownNameInALayerKeptOnlyAtOtherSizesIsAnErrorAtTheDeclaredSizes(String line, String message, String at, String context) {
        String text = model("@Model(input = {8, 64, 64}, sizes = {\"H\", \"W\"})", "@Conv2d(cout = 8, k = 3, padding = 1) Layer c;", line);
        assertEquals(line.indexOf(at) + 5L, onlyErrorAtTheDeclaredSizes(text, message, "Layer d;", context));
    }

    /**
     * Compiles {@code text} and asserts that its only error is {@code message} on the line that holds {@code at}, met at the declared
     * sizes in what they do not evaluate, as {@code context} says; gives that error's column.
     */
    private static long onlyErrorAtTheDeclaredSizes(String text, String message, String at, String context) {
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining(message).inFile(file).onLineContaining(at);
        assertThat(compilation).hadErrorContaining(context);
        assertFalse(compilation.errors().get(0).getMessage(java.util.Locale.ROOT).contains("met at"));
        return compilation.errors().get(0).getColumnNumber();
    }

    @Test
    void aModeNoLayerHasInALayerKeptOnlyAtOtherSizesIsAnError() {
        // An Upsample mode is written as text, the same at every size: a typo in a layer kept above H = 100 only is an error.
        String text = model("@Model(input = {3, 64, 64}, sizes = \"H\")", "@Conv2d(cout = 8, k = 3, padding = 1) Layer c1;",
                "@When(\"input.H > 100\") @Upsample(scaleFactor = 2, mode = \"bilinaer\") Layer up;", "@ReLU Layer r;");
        assertEquals(columnAfter(text, "Layer up", "mode = "), onlyErrorAtOtherSizes(text, "[MC310] up: Upsample mode = 'bilinaer' must be "
                + "one of [nearest, nearest-exact, linear, bilinear, bicubic, trilinear] (met at H = ", "bilinaer"));
        // Met first where the checks go far, it is told at the first size the @When keeps the layer at.
        assertThat(compile(source("test.Net", text))).hadErrorContaining("(met at H = 101, one of the sizes");
    }

    /**
     * Mistakes that are so whatever the sizes, in a layer that a @When keeps above H = 100 only (the model is declared at 64): each
     * line, the error's start, and the text on that line the error's column points at.
     */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> mistakesAtAnySize() {
        return java.util.stream.Stream.of(
                // A number written that no layer takes.
                org.junit.jupiter.params.provider.Arguments.of("@When(\"input.H > 100\") @Conv2d(cout = -8, k = 1) Layer d;",
                        "[MC104] d: Conv2d cout must be at least 1, but is -8", "-8"),
                // An attribute left out.
                org.junit.jupiter.params.provider.Arguments.of("@When(\"input.H > 100\") @Conv2d(k = 1) Layer d;",
                        "[MC303] d: Conv2d needs 'cout'", "@Conv2d"),
                org.junit.jupiter.params.provider.Arguments.of("@When(\"input.H > 100\") @Dropout(p = 1.5) Layer d;",
                        "[MC310] d: Dropout p = 1.5 must be from 0 to 1", "1.5"),
                org.junit.jupiter.params.provider.Arguments.of("@When(\"input.H > 100\") @Upsample(size = {64, 64}, scaleFactor = 2) Layer d;",
                        "[MC319] d: Upsample takes size or scaleFactor, not both", "2) Layer"),
                org.junit.jupiter.params.provider.Arguments.of("@When(\"input.H > 100\") @Flatten(layout = \"F,F\") Layer d;",
                        "[MC310] d: Flatten layout = 'F,F' must be one axis name: 'F' is written twice", "\"F,F\""),
                org.junit.jupiter.params.provider.Arguments.of("@When(\"input.H > 100\") @Upsample(scaleFactor = 2, alignCorners = true) Layer d;",
                        "[MC310] d: Upsample alignCorners = true must be left out in mode nearest", "true"),
                org.junit.jupiter.params.provider.Arguments.of("@When(\"input.H > 100\") @Upsample(scaleFactor = -2) Layer d;",
                        "[MC310] d: Upsample scaleFactor = -2.0 must be positive and finite", "-2"));
    }

    /** The same mistakes in attention over 2 heads of L positions, L a variable declared at 64. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> attentionMistakesAtAnySize() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("scale = -1.0 / 0", "scale", "[MC310] d: ScaledDotProductAttention scale"),
                org.junit.jupiter.params.provider.Arguments.of("softcap = -5", "softcap", "[MC310] d: ScaledDotProductAttention softcap = -5.0 must be a finite number above 0"),
                org.junit.jupiter.params.provider.Arguments.of("softmaxDtype = \"fp33\"", "softmaxDtype",
                        "[MC310] d: ScaledDotProductAttention softmaxDtype = 'fp33' must be 'fp32'"));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{1}")
    @org.junit.jupiter.params.provider.MethodSource("mistakesAtAnySize")
    void aMistakeInALayerKeptOnlyAtOtherSizesIsAnErrorOnItsAttribute(String line, String message, String at) {
        String text = model("@Model(input = {8, 64, 64}, sizes = {\"H\", \"W\"})", "@Conv2d(cout = 8, k = 3, padding = 1) Layer c;", line);
        assertEquals(line.indexOf(at) + 5L, onlyErrorAtOtherSizes(text, message, "Layer d;"));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("attentionMistakesAtAnySize")
    void anAttentionMistakeInALayerKeptOnlyAtOtherSizesIsAnErrorOnItsAttribute(String attribute, String name, String message) {
        String text = model("@Model(input = {2, 64, 16}, layout = \"H,L,E\", sizes = \"L\")", "@ReLU Layer q;",
                "@When(\"input.L > 100\") @From({\"q\", \"q\", \"q\"}) @ScaledDotProductAttention(" + attribute + ") Layer d;");
        onlyErrorAtOtherSizes(text, message, "Layer d;");
    }

    @Test
    void aKindALayerOfPicksAtOtherSizesOnlyIsAnErrorAtTheFieldAndInTheBlock() {
        // The block's @LayerOf runs GELUU above L = 100 only: no such kind, whatever the size. Reported as at the declared sizes: on
        // the block's field and on the use that passes the name.
        String text = model("@Model(input = {64, 32}, layout = \"L,D\", sizes = \"L\")", "@Linear(out = 32) Layer q;",
                "@Args(\"act = input.L > 100 ? 'GELUU' : 'ReLU'\") Act a;",
                "@Block static class Act { @Param String act; @LayerOf(\"act\") Layer f; }");
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorCount(2);
        String message = "[MC310] a.f: @LayerOf act = 'GELUU' must be the name of a layer kind of one input that runs at its defaults";
        assertThat(compilation).hadErrorContaining(message).inFile(file).onLineContaining("@LayerOf");
        assertThat(compilation).hadErrorContaining(message).inFile(file).onLineContaining("Act a;");
        assertThat(compilation).hadErrorContaining(", one of the sizes the closed forms are checked at, not at the declared sizes)");
    }

    @Test
    void aSizeDependentValueInALayerKeptOnlyAtOtherSizesEndsTheRange() {
        // cout = H - 101 is 0 at H = 101, the first size that keeps d: the network does not exist there, which ends H's range at 100.
        String text = model("@Model(input = {8, 64, 64}, sizes = {\"H\", \"W\"})", "@Conv2d(cout = 8, k = 3, padding = 1) Layer c;",
                "@When(\"input.H > 100\") @Conv2d(k = 1, with = \"cout = input.H - 101\") Layer d;");
        String domain = domain(compiled(text), 0);
        assertTrue(domain.contains("100, \"at H = 101, W = 64: [MC104] d: Conv2d cout must be at least 1, but is 0"), domain);
    }

    @Test
    void anAxisThatALayerKeptOnlyAtOtherSizesRemovesEndsTheRange() {
        // Above H = 100 the flatten makes f's output C,L, so f.H is no name there: the network does not exist at 101, which ends H's
        // range at 100, and is no error. The same for a block that reads h, its C,H,W input's height, where that input is C,L.
        String flat = "@When(\"input.H > 100\") @Flatten(startDim = 2, layout = \"C,L\") Layer f;";
        String field = model("@Model(input = {3, 64, 64}, sizes = \"H\")", "@Conv2d(cout = 8, k = 3, padding = 1) Layer c1;", flat,
                "@When(\"f.H > 0\") @ReLU Layer r;");
        String domain = domain(compiled(field), 0);
        assertTrue(domain.endsWith("100, \"at H = 101: [MC202] r @When: unknown name 'f.H' in 'f.H > 0'; did you mean 'f.C'? f has the axes C, "
                + "L\""), domain);
        String block = model("@Model(input = {3, 64, 64}, sizes = \"H\")", "@Conv2d(cout = 8, k = 3, padding = 1) Layer c1;", flat,
                "Head head;", "@Block static class Head { @When(\"h > 4\") @Conv2d(cout = 8, k = 1) Layer p; @ReLU Layer r; }");
        domain = domain(compiled(block), 0);
        assertTrue(domain.contains("100, \"at H = 101: [MC202] head.p @When: unknown name 'h' in 'h > 4'"), domain);
    }
}
