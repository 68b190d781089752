package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.compiled;
import static dev.modelcost.processor.ModelSources.constant;
import static dev.modelcost.processor.ModelSources.generated;
import static dev.modelcost.processor.ModelSources.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A tensor read or returned by a path from inside a block field ({@code backbone.c2}) is held from the layer that writes it, as the
 * module that returns it beside its output holds it (torchvision's {@code IntermediateLayerGetter}), not only from the field's end.
 *
 * <p>The peaks and parameter counts are PyTorch 1.13's, from {@code tools/pytorch/measure_inner_reads.py} (its output is
 * {@code tools/pytorch/inner-read-peaks.tsv}): one eval, no_grad forward of the same modules, fp32, batch 1, the live bytes at the
 * ops' boundaries under {@code measure_memory.py}'s dispatch mode, the input included.
 */
class InnerReadPeaksTest {

    /** {@code Backbone}: s1, then three convolutions, the third the widest. */
    private static final String BACKBONE = """
            @Block public static class Backbone {
                @Conv2d(cout = 32, k = 3, padding = 1) Layer s1;
                @Conv2d(cout = 8, k = 1) Layer s2;
                @Conv2d(cout = 256, k = 3, padding = 1) Layer s3;
                @Conv2d(cout = 4, k = 1) Layer s4;
            }""";

    /** {@code FpnRead}: an FPN's top-down step over a backbone's last map and, by its lateral, an earlier one. */
    private static final String[] FPN = {
        "FpnBackbone backbone;",
        "@Conv2d(cout = 32, k = 1) Layer top;",
        "@Upsample(scaleFactor = 2) Layer up;",
        "@From(\"backbone.c2\") @Conv2d(cout = 32, k = 1) Layer lateral;",
        "@Add({\"lateral\", \"up\"}) Layer sum;",
        """
        @Block public static class FpnBackbone {
                @Conv2d(cout = 16, k = 3, stride = 2, padding = 1) Layer c2;
                @Conv2d(cout = 256, k = 3, padding = 1) Layer c3;
                @Conv2d(cout = 32, k = 3, stride = 2, padding = 1) Layer c4;
            }"""};

    @Test
    void aTensorABlockReturnsBesidesItsOutputIsHeldFromItsLayer() {
        // ReturnedInside: PyTorch 1,224,704 bytes while s3 runs: the input (3x32x32x4 = 12,288), s1 (32x32x32x4 = 131,072) held for
        // the model's second output, s2 (8x32x32x4 = 32,768) and s3 (256x32x32x4 = 1,048,576).
        Compilation compilation = compiled(model("@Model(input = {3, 32, 32}, output = {\"head\", \"backbone.s1\"})",
                "Backbone backbone;", "@Conv2d(cout = 2, k = 1) Layer head;", BACKBONE));
        assertEquals(1_224_704L, constant(compilation, "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        assertEquals(20_886L, constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals("backbone.s3", peakLayer(compilation));
    }

    @Test
    void aBlockAppliedInPlaceHoldsItsOwnChildsOutput() {
        // The same tensors with the backbone's fields the model's own: s1 is a field of the model, held from its layer on.
        Compilation compilation = compiled(model("@Model(input = {3, 32, 32}, output = {\"head\", \"backbone.s1\"})",
                "@Args(value = \"\", inPlace = true) Backbone backbone;", "@Conv2d(cout = 2, k = 1) Layer head;", BACKBONE));
        assertEquals(1_224_704L, constant(compilation, "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        assertEquals("s3", peakLayer(compilation));
    }

    @Test
    void anFpnLateralHoldsTheEarlierMapWhileTheBackboneGoesOn() {
        // FpnRead: PyTorch 1,196,032 bytes while c4 runs: the input (3x64x64x4 = 49,152), c2 (16x32x32x4 = 65,536) held for the
        // lateral, c3 (256x32x32x4 = 1,048,576) and c4 (32x16x16x4 = 32,768). Counted from the backbone's end, c2 would be missing
        // there: 1,130,496.
        Compilation compilation = compiled(model("@Model(input = {3, 64, 64})", FPN));
        assertThat(compilation).hadWarningCount(0);
        assertEquals(1_196_032L, constant(compilation, "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        assertEquals(112_928L, constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals("backbone.c4", peakLayer(compilation));
    }

    @Test
    void aTensorInsideABlockInsideABlockAndAnInnerBlocksOutput() {
        // NestedRead: PyTorch 233,472 bytes while out runs: the input (3x32x32x4 = 12,288), a (16x32x32x4 = 65,536) held inside
        // stage1 and the backbone for head, b (16x16x16x4 = 16,384, stage1's output) held in the backbone past wide for mid, wide's
        // output (128x16x16x4 = 131,072) and out's (8x16x16x4 = 8,192).
        Compilation compilation = compiled(model("@Model(input = {3, 32, 32}, output = {\"tail\", \"head\", \"mid\"})",
                "NestedBackbone backbone;",
                "@Conv2d(cout = 4, k = 1) Layer tail;",
                "@From(\"backbone.stage1.a\") @Conv2d(cout = 4, k = 1) Layer head;",
                "@From(\"backbone.stage1\") @Conv2d(cout = 4, k = 1) Layer mid;",
                """
                @Block public static class NestedBackbone {
                        Stage stage1;
                        @Conv2d(cout = 128, k = 3, padding = 1) Layer wide;
                        @Conv2d(cout = 8, k = 1) Layer out;
                    }
                    @Block public static class Stage {
                        @Conv2d(cout = 16, k = 3, padding = 1) Layer a;
                        @Conv2d(cout = 16, k = 3, stride = 2, padding = 1) Layer b;
                    }"""));
        assertEquals(233_472L, constant(compilation, "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        assertEquals(22_532L, constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals("backbone.out", peakLayer(compilation));
    }

    @Test
    void theSizeProgramAndTheTimelineHoldItToo() {
        // The memory timeline's steps are what the closed forms are built of: with H and W free, the peak at 64x64 is the one above,
        // and at 96x96 (by the same tensors: c2 16x48x48, c3 256x48x48, c4 32x24x24, the input 3x96x96, fp32) 2,691,072.
        Compilation compilation = compiled(model("@Model(input = {3, 64, 64}, sizes = {\"H\", \"W\"})", FPN));
        assertThat(compilation).hadWarningCount(0);
        assertEquals(1_196_032L, constant(compilation, "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        long at96 = 4L * (3 * 96 * 96 + 16 * 48 * 48 + 256 * 48 * 48 + 32 * 24 * 24);
        assertEquals(2_691_072L, at96);
        String source = generated(compilation, "test.NetCost");
        assertTrue(source.contains("PEAK_ACTIVATION_BYTES_FORM"), source);
        Compilation at = compiled(model("@Model(input = {3, 96, 96})", FPN));
        assertEquals(at96, constant(at, "test.NetCost", "PEAK_ACTIVATION_BYTES"));
    }

    @Test
    void aRepetitionInsideARunIsHeldAlone() {
        // blk runs three identical repetitions of a 3x3 convolution, 8x16x16 in and out (8,192 bytes each, as the input); the model
        // also returns blk.0.conv, held from the first repetition on: while the third runs, the input, blk.0's output, blk.1's and
        // blk.2's, 32,768 (the 1x16x16 head's 1,024 comes after blk.1's output is gone).
        Compilation compilation = compiled(model("@Model(input = {8, 16, 16}, output = {\"head\", \"blk.0.conv\"})",
                "@Repeat(3) B blk;", "@Conv2d(cout = 1, k = 1) Layer head;",
                "@Block public static class B { @Conv2d(cout = 8, k = 3, padding = 1) Layer conv; }"));
        assertEquals(4L * 8 * 16 * 16 * 4, constant(compilation, "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        assertEquals("blk.2.conv", peakLayer(compilation));
    }

    @Test
    void tapsOnRepetitionsOfARun() {
        // RepetitionTaps: PyTorch 30,720 bytes while a later block's ReLU runs: the input (16x32x4 = 2,048), blocks.1's output
        // (2,048) and blocks.2's fc1 output (16x128x4 = 8,192) held for the taps, the block's input (2,048), its fc1's output and
        // the ReLU's (8,192 each). Six alike blocks are one run; the two tapped ones run alone.
        String[] fields = {
            "@Repeat(6) Mlp blocks;",
            "@Linear(out = 8) Layer head;",
            "@From(\"blocks.1\") @Linear(out = 8) Layer tap1;",
            "@From(\"blocks.2.fc1\") @Linear(out = 8) Layer tap2;",
            "@Block public static class Mlp { @Linear(out = 128) Layer fc1; @ReLU Layer act; @Linear(out = 32) Layer fc2; }"};
        Compilation compilation = compiled(model("@Model(input = {16, 32}, layout = \"L,D\", output = {\"head\", \"tap1\", \"tap2\"})",
                fields));
        assertThat(compilation).hadWarningCount(0);
        assertEquals(30_720L, constant(compilation, "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        assertEquals(51_672L, constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals("blocks.3.act", peakLayer(compilation));
        // The timeline's steps hold them too: with L free, at L = 40 the same tensors are 40/16 times as large.
        Compilation sized = compiled(model("@Model(input = {16, 32}, layout = \"L,D\", sizes = \"L\", output = {\"head\", \"tap1\", \"tap2\"})",
                fields));
        assertTrue(generated(sized, "test.NetCost").contains("PEAK_ACTIVATION_BYTES_FORM"));
        Compilation at40 = compiled(model("@Model(input = {40, 32}, layout = \"L,D\", output = {\"head\", \"tap1\", \"tap2\"})", fields));
        assertEquals(30_720L / 16 * 40, constant(at40, "test.NetCost", "PEAK_ACTIVATION_BYTES"));
    }

    private static String peakLayer(Compilation compilation) {
        Matcher matcher = Pattern.compile("PEAK_ACTIVATION_LAYER = \"([^\"]*)\";").matcher(generated(compilation, "test.NetCost"));
        assertTrue(matcher.find());
        return matcher.group(1);
    }
}
