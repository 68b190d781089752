package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.columnOf;
import static dev.modelcost.processor.ModelSources.compiled;
import static dev.modelcost.processor.ModelSources.constant;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import dev.modelcost.ClosedForm;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code @Mean}, {@code @Sum} and {@code @Amax}: shapes, element-wise costs, what autograd saves and the activation peak, against
 * hand derivations and PyTorch 1.13, and their diagnostics.
 */
class ReductionsTest {
    private static String figure(Compilation compilation, String name) {
        Matcher matcher = Pattern.compile(" " + name + " = \"?([^\";]*)\"?L?;").matcher(ModelSources.generated(compilation, "test.NetCost"));
        assertTrue(matcher.find(), name);
        return matcher.group(1).replaceAll("L$", "");
    }

    @Test
    void aMeanOverTheTokensAsAViTPoolsThem() {
        // nn.Linear(8, 32), x.mean(dim=1), nn.Linear(32, 5) on 2 x 16 x 8, measured with PyTorch 1.13 (saved_tensors_hooks, each
        // storage once, and tools/pytorch/measure_memory.layer_peaks): output 2 x 5, 453 parameters; MeanBackward1 saves its input,
        // the 2 x 16 x 32 fp32 output of fc (4,096 bytes), and the head its 2 x 32 input (256), besides the model's input that fc saves
        // (1,024): 5,376 bytes; activation peak 5,376 bytes (fc's output and the mean's while the mean runs, with the input).
        Compilation compilation = compiled(model("@Model(input = {16, 8}, layout = \"L,D\", batch = 2) @Training(optimizer = \"SGD\")",
                "@Linear(out = 32) Layer fc;", "@Mean(dim = 1) Layer pool;", "@Linear(out = 5) Layer head;"));
        assertEquals("2x5", figure(compilation, "OUTPUT_SHAPE"));
        assertEquals(453L, constant(compilation, "test.NetCost", "PARAMS"));
        // MACs only the linear layers': 2·16·8·32 + 2·32·5; the mean 1 per input element (15 additions and a division per output)
        assertEquals(2L * 16 * 8 * 32 + 2 * 32 * 5, constant(compilation, "test.NetCost", "MACS"));
        assertEquals(2L * 16 * 32, constant(compilation, "test.NetCost", "OTHER_OPS"));
        assertEquals(5_376L, constant(compilation, "test.NetCost", "SAVED_ACTIVATION_BYTES"));
        assertEquals(5_376L, constant(compilation, "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        // No counter sees it: thop and fvcore count the linear layers' MACs alone
        assertEquals(2L * 16 * 8 * 32 + 2 * 32 * 5, constant(compilation, "test.NetCost", "THOP_MACS"));
        assertEquals(2L * 16 * 8 * 32 + 2 * 32 * 5, constant(compilation, "test.NetCost", "FVCORE_FLOPS"));
    }

    @Test
    void aMaximumOverThePointsAsPointNetAndASumKeepingItsAxis() {
        // c = Conv1d(3, 64, 1)(x); p = torch.amax(relu(c), dim=2); fc(p) (unread); c.sum(dim=-1, keepdim=True) returned, on
        // 2 x 3 x 100, measured with PyTorch 1.13: output 2 x 64 x 1; AmaxBackward0 saves its input (the ReLU's output, which the
        // ReLU saves too: 51,200 bytes once) and its 2 x 64 result (512, which fc saves too), SumBackward1 nothing; with the model's
        // input the convolution saves (2,400): 54,112 bytes. Activation peak 105,312 bytes.
        Compilation compilation = compiled(model("@Model(input = {3, 100}, layout = \"C,L\", batch = 2) @Training(optimizer = \"SGD\")",
                "@Conv1d(cout = 64, k = 1) Layer c1;", "@ReLU Layer r;", "@Amax(dim = 2) Layer pool;",
                "@SuppressWarnings(\"MC130\") @Linear(out = 40) Layer fc;", "@From(\"c1\") @Sum(dim = -1, keepdim = true) Layer s;"));
        assertEquals("2x64x1", figure(compilation, "OUTPUT_SHAPE"));
        // ReLU 12,800; the maximum 99 comparisons for each of 128 outputs; the sum 99 additions for each
        assertEquals(12_800L + 2 * 128 * 99, constant(compilation, "test.NetCost", "OTHER_OPS"));
        assertEquals(54_112L, constant(compilation, "test.NetCost", "SAVED_ACTIVATION_BYTES"));
        assertEquals(105_312L, constant(compilation, "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        // fvcore: the convolution and the linear layer (a second output) alone, 2·100·64·3 + 2·64·40
        assertEquals(2L * 100 * 64 * 3 + 2 * 64 * 40, constant(compilation, "test.NetCost", "FVCORE_FLOPS"));
    }

    @Test
    void aMeanOverBothAxesOfAMapAndTheFormsAtOtherSizes() {
        // x.mean([2, 3]) on C,H,W: C per sample, the H·W it reads one op each; with H and W as sizes, OTHER_OPS(H, W) = 8·H·W + 8·H·W
        // (the ReLU and the mean), exactly, at odd sizes too.
        Compilation compilation = compiled(model("@Model(input = {3, 32, 32}, sizes = {\"H\", \"W\"})", "@Conv2d(cout = 8, k = 3, padding = 1) Layer conv;",
                "@ReLU Layer relu;", "@Mean(dim = {2, 3}) Layer pool;", "@Linear(out = 10) Layer fc;"));
        assertEquals("1x10", figure(compilation, "OUTPUT_SHAPE"));
        assertEquals(2L * 8 * 32 * 32, constant(compilation, "test.NetCost", "OTHER_OPS"));
        ClosedForm form = ModelSources.closedForm(compilation, "OTHER_OPS", "H", "W");
        assertEquals(2L * 8 * 97 * 131, form.at(97, 131));
        // keepdim keeps the axes at 1: 8 x 1 x 1 flattened to 8 features
        Compilation kept = compiled(model("@Model(input = {3, 32, 32})", "@Conv2d(cout = 8, k = 3, padding = 1) Layer conv;",
                "@Mean(dim = {-1, -2}, keepdim = true) Layer pool;", "@Flatten Layer flat;", "@Linear(out = 10) Layer fc;"));
        assertEquals(8L * 10 + 10, constant(kept, "test.NetCost", "PARAMS") - (8L * 27 + 8));
    }

    @Test
    void aMeanOverThePositionsEndsThemForADecodingStepEvenWhereTheNextAxisIsAsLong() {
        // A causal attention over L = 8 positions of width 8, their mean, a linear head. Decoding the last token: the attention's
        // projections once (3·8·8 + 8·8 = 256) and its query against the L keys (8·L for the scores, 8·L for the values), then the
        // head whole on the pooled vector (8·3 = 24): 280 + 16·L, 408 at L = 8. The mean leaves no axis of the positions, though
        // its output's D is as long as L was.
        Compilation compilation = compiled(model("@Model(input = {8, 8}, layout = \"L,D\", sizes = \"L\")",
                "@MultiheadAttention(numHeads = 2, isCausal = true) Layer attn;", "@Mean(dim = 1) Layer pool;", "@Linear(out = 3) Layer head;"));
        assertEquals(280L + 16 * 8, constant(compilation, "test.NetCost", "DECODE_MACS"));
        assertEquals(280L + 16 * 12, ModelSources.closedForm(compilation, "DECODE_MACS", "L").at(12));
    }

    @Test
    void mc303AReductionWithoutItsAxes() {
        String text = model("@Model(input = {16, 8}, layout = \"L,D\")", "@Mean Layer pool;");
        expectOnly(text, "[MC303] pool: Mean needs dim, the axes to reduce (torch.mean over every axis would reduce the batch too, which every "
                + "operation keeps here)", "Layer pool;", columnOf(text, "@Mean Layer pool;", "@Mean"));
    }

    @Test
    void mc303AReductionChosenByLayerOfSaysToWriteItAsAField() {
        // @LayerOf runs a kind with its annotation's defaults: a reduction's dim is empty there, and cannot be given.
        JavaFileObject file = ModelSources.source("test.Net", model("@Model(input = {3, 16, 16})", "@Args(\"pool = 'Mean'\") Head head;",
                "@Block public static class Head { @Param String pool; @Conv2d(cout = 4, k = 3) Layer conv; @LayerOf(\"pool\") Layer p; }"));
        Compilation compilation = ModelSources.compile(file);
        assertThat(compilation).hadErrorContaining("[MC303] head.p: Mean needs dim, the axes to reduce (torch.mean over every axis would "
                + "reduce the batch too, which every operation keeps here); @LayerOf runs a kind with its annotation's defaults: write this "
                + "kind as a field with its attributes").inFile(file).onLineContaining("@LayerOf");
    }

    @Test
    void mc311AReductionOverTheBatchOrPastTheLastAxis() {
        String batch = model("@Model(input = {16, 8}, layout = \"L,D\")", "@Sum(dim = {1, 0}) Layer pool;");
        expectOnly(batch, "[MC311] pool: Sum dim = 0 is the batch, which every operation keeps, of an input of 3 dimensions (batch included) "
                + "(fix: name one of the other dimensions, 1 to 2 or -1 to -2)", "Layer pool;", columnAfter(batch, "Layer pool;", "dim = "));
        String past = model("@Model(input = {16, 8}, layout = \"L,D\")", "@Amax(dim = 3) Layer pool;");
        expectOnly(past, "[MC311] pool: Amax dim = 3 does not fit an input of 3 dimensions (batch included) (fix: valid dimensions are 1 to 2 "
                + "or -1 to -2)", "Layer pool;", columnAfter(past, "Layer pool;", "dim = "));
    }

    @Test
    void mc310AnAxisTwiceOrEveryAxis() {
        String twice = model("@Model(input = {4, 16, 8}, layout = \"C,L,D\")", "@Mean(dim = {2, -2}) Layer pool;");
        expectOnly(twice, "[MC310] pool: Mean dim = [2, -2] must be a list of distinct dimensions: dimension 2 appears twice, which PyTorch refuses",
                "Layer pool;", columnAfter(twice, "Layer pool;", "dim = "));
        String every = model("@Model(input = {16, 8}, layout = \"L,D\")", "@Mean(dim = {1, 2}) Layer pool;");
        expectOnly(every, "[MC310] pool: Mean dim = [1, 2] must be a list that leaves an axis besides the batch (reducing every one would leave a "
                + "number per sample, which no layer here takes): keep them (keepdim = true) or reduce fewer", "Layer pool;", columnAfter(every, "Layer pool;", "dim = "));
        // keepdim keeps them: 1 x 1 per sample
        assertThat(compiled(model("@Model(input = {16, 8}, layout = \"L,D\")", "@Mean(dim = {1, 2}, keepdim = true) Layer pool;"))).succeeded();
    }
}
