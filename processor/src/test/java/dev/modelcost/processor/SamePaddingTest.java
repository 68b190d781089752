package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.compile;
import static dev.modelcost.processor.ModelSources.constant;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.model;
import static dev.modelcost.processor.ModelSources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * {@code padding = SAME}, PyTorch's {@code padding='same'}. PyTorch 1.13 gives: {@code nn.Conv2d(3, 8, 4, padding='same')} on
 * 1 x 3 x 11 x 13 an output of 1 x 8 x 11 x 13 and 392 parameters; {@code nn.Conv1d(4, 6, 5, dilation=2, padding='same')} on
 * 1 x 4 x 20 an output of 1 x 6 x 20 and 126 parameters; {@code nn.Conv2d(3, 8, 3, stride=2, padding='same')} raises
 * "padding='same' is not supported for strided convolutions"; {@code nn.ConvTranspose2d(..., padding='same')} fails in forward.
 */
class SamePaddingTest {

    @Test
    void theOutputIsAsLongAsTheInputWhateverTheKernel() {
        // An even kernel: 11 x 13 positions, each 3 x 4 x 4 = 48 MACs for each of 8 channels.
        Compilation even = compile(source("test.Net", model("@Model(input = {3, 11, 13})", "@Conv2d(cout = 8, k = 4, padding = Conv2d.SAME) Layer c;")));
        assertThat(even).succeeded();
        assertTrue(ModelSources.generated(even, "test.NetCost").contains("OUTPUT_SHAPE = \"1x8x11x13\""));
        assertEquals(392, constant(even, "test.NetCost", "PARAMS"));
        assertEquals(11L * 13 * 8 * 48, constant(even, "test.NetCost", "MACS"));
        // Dilated, 1-D: 20 positions of 4 x 5 MACs for each of 6 channels.
        Compilation dilated = compile(source("test.Net", model("@Model(input = {4, 20}, layout = \"C,L\")",
                "@Conv1d(cout = 6, k = 5, dilation = 2, padding = Conv1d.SAME) Layer c;")));
        assertThat(dilated).succeeded();
        assertEquals(126, constant(dilated, "test.NetCost", "PARAMS"));
        assertEquals(20L * 6 * 20, constant(dilated, "test.NetCost", "MACS"));
    }

    @Test
    void pyTorchsSpellingInAnExpressionIsSameAndValid() {
        // with = "padding = 'same'" is Conv2d.SAME: the same 1 x 8 x 11 x 13 output and 392 parameters as PyTorch's padding='same'.
        Compilation same = compile(source("test.Net", model("@Model(input = {3, 11, 13})", "@Conv2d(cout = 8, k = 4, with = \"padding = 'same'\") Layer c;")));
        assertThat(same).succeeded();
        assertTrue(ModelSources.generated(same, "test.NetCost").contains("OUTPUT_SHAPE = \"1x8x11x13\""));
        assertEquals(11L * 13 * 8 * 48, constant(same, "test.NetCost", "MACS"));
        // A String parameter passes it into a block; 'valid' pads nothing (stride 2 on 20 positions: 9).
        Compilation passed = compile(source("test.Net", model("@Model(input = {4, 20, 20})", "@Args(\"pad = 'valid'\") Part part;",
                "@Block static class Part { @Param String pad; @Conv2d(cout = 4, k = 3, stride = 2, with = \"padding = pad\") Layer c; }")));
        assertThat(passed).succeeded();
        assertTrue(ModelSources.generated(passed, "test.NetCost").contains("OUTPUT_SHAPE = \"1x4x9x9\""));
        // Any other text is refused, and a pooling refuses 'same' as it refuses Conv2d.SAME.
        String other = model("@Model(input = {3, 11, 13})", "@Conv2d(cout = 8, k = 4, with = \"padding = 'Same'\") Layer c;");
        expectOnly(other, "[MC203] c padding: padding takes a number, 'same' or 'valid', not 'Same' in 'padding = 'Same''", "Layer c;",
                columnAfter(other, "Layer c;", "with = "));
        String pool = model("@Model(input = {4, 20, 20})", "@MaxPool2d(k = 3, with = \"padding = 'same'\") Layer p;");
        expectOnly(pool, "[MC310] p: MaxPool2d padding = SAME must be a number of positions", "Layer p;", columnAfter(pool, "Layer p;", "with = "));
    }

    @Test
    void mc310SamePaddingWithAStride() {
        String text = model("@Model(input = {3, 11, 13})", "@Conv2d(cout = 8, k = 3, stride = 2, padding = Conv2d.SAME) Layer c;");
        expectOnly(text, "[MC310] c: Conv2d padding = SAME must be a number of positions with a stride of 2 on the H axis: PyTorch refuses "
                + "padding='same' for strided convolutions", "Layer c;", columnAfter(text, "Layer c;", "padding = Conv2d"));
    }

    @Test
    void mc104ANegativePaddingIsNoSame() {
        // PyTorch 1.13: nn.Conv1d(4, 4, 3, padding=-1) raises "negative padding is not supported"; so does a padding computed to -1.
        String text = model("@Model(input = {4, 20}, layout = \"C,L\")", "@Conv1d(cout = 4, k = 3, padding = -1) Layer c;");
        expectOnly(text, "[MC104] c: Conv1d padding must be at least 0, but is -1", "Layer c;", columnAfter(text, "Layer c;", "padding = "));
        String computed = model("@Model(input = {4, 20}, layout = \"C,L\")", "@Conv1d(cout = 4, k = 3, with = \"padding = 1 - 2\") Layer c;");
        expectOnly(computed, "[MC104] c: Conv1d padding must be at least 0, but is -1", "Layer c;", columnAfter(computed, "Layer c;", "with = "));
    }

    @Test
    void mc310SameWhereItMeansNothing() {
        String pool = model("@Model(input = {4, 20, 20})", "@MaxPool2d(k = 3, padding = Conv2d.SAME) Layer p;");
        expectOnly(pool, "[MC310] p: MaxPool2d padding = SAME must be a number of positions: SAME is a convolution's padding, on every axis at "
                + "once (padding = Conv2d.SAME)", "Layer p;", columnAfter(pool, "Layer p;", "padding = Conv2d"));
        String axis = model("@Model(input = {4, 20, 20})", "@Conv2d(cout = 4, k = 3, paddingH = Conv2d.SAME) Layer c;");
        expectOnly(axis, "[MC310] c: Conv2d paddingH = SAME must be a number of positions", "Layer c;", columnAfter(axis, "Layer c;", "paddingH = Conv2d"));
    }

    @Test
    void mc310SamePaddingOnATransposedConvolution() {
        String text = model("@Model(input = {3, 5, 5})", "@ConvTranspose2d(cout = 8, k = 3, padding = Conv2d.SAME) Layer c;");
        expectOnly(text, "[MC310] c: ConvTranspose2d padding = SAME must be a number of positions: PyTorch's transposed convolutions take no "
                + "padding='same'", "Layer c;", columnAfter(text, "Layer c;", "padding = Conv2d"));
    }

    @Test
    void validIsNoPaddingAndMeansNothingElsewhere() {
        // PyTorch's padding='valid' is padding=0: Conv2d(4, 4, 3, stride=2) on 20 x 20 gives 9 x 9, any stride allowed.
        ModelSources.compiled(model("@Model(input = {4, 20, 20}, output = \"c\")", "@Conv2d(cout = 4, k = 3, stride = 2, padding = Conv2d.VALID) Layer c;"));
        String pool = model("@Model(input = {4, 20, 20})", "@MaxPool2d(k = 3, padding = Conv2d.VALID) Layer p;");
        expectOnly(pool, "[MC310] p: MaxPool2d padding = VALID must be a number of positions: VALID is a convolution's padding, on every axis at "
                + "once (padding = Conv2d.VALID)", "Layer p;", columnAfter(pool, "Layer p;", "padding = Conv2d"));
        String axis = model("@Model(input = {4, 20, 20})", "@Conv2d(cout = 4, k = 3, padding = Conv2d.VALID, paddingH = 1) Layer c;");
        expectOnly(axis, "[MC310] c: Conv2d paddingH = 1 must be left out with padding = VALID, which pads no axis", "Layer c;",
                columnAfter(axis, "Layer c;", "paddingH = "));
        String transposed = model("@Model(input = {3, 5, 5})", "@ConvTranspose2d(cout = 8, k = 3, padding = Conv2d.VALID) Layer c;");
        expectOnly(transposed, "[MC310] c: ConvTranspose2d padding = VALID must be a number of positions: PyTorch's transposed convolutions take no "
                + "padding='valid'", "Layer c;", columnAfter(transposed, "Layer c;", "padding = Conv2d"));
    }
}
