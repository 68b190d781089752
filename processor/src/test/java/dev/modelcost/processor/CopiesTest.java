package dev.modelcost.processor;

import static dev.modelcost.processor.ModelSources.compiled;
import static dev.modelcost.processor.ModelSources.constant;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The copies PyTorch makes of a tensor that is not contiguous, in the memory figures: a reshape or flatten that cannot be a view
 * writes a new tensor; {@code nn.Linear} and {@code torch.matmul} fold an operand whose leading axes do not step through memory as
 * one into a copy, held while they run and saved for backward in its place; a transposed input of three axes goes to {@code bmm}
 * as it is. The expected figures were measured with PyTorch 1.13 on CPU, float32, every Linear without a bias, by
 * {@code tools/pytorch/measure_copies.py} ({@code tools/pytorch/copy-costs.tsv}, the models in its docstring): the inference peak
 * at the ops' boundaries with the model input, and the saved bytes without the parameters and the model input, to which the input's
 * bytes are added where a layer saves it, as {@code SAVED_ACTIVATION_BYTES} counts it. A convolution in a padding mode other than
 * zeros ({@code padding_mode}) pads a copy of its input with {@code F.pad} first (models P1 to P4 there).
 */
class CopiesTest {

    private static final String TRAINING = "@Training(batch = %d, optimizer = \"SGD\")";

    private static Compilation compile(String input, long batch, String... fields) {
        return compiled(model("@Model(input = " + input + ", batch = " + batch + ")\n" + TRAINING.formatted(batch), fields));
    }

    private static void assertMemory(Compilation compilation, long peak, long saved, long inputSaved) {
        assertEquals(peak, constant(compilation, "test.NetCost", "PEAK_ACTIVATION_BYTES"), "PEAK_ACTIVATION_BYTES");
        assertEquals(saved + inputSaved, constant(compilation, "test.NetCost", "SAVED_ACTIVATION_BYTES"), "SAVED_ACTIVATION_BYTES");
    }

    @ParameterizedTest(name = "batch {0}")
    @CsvSource({"1, 1536, 512, 512", "2, 3072, 1024, 1024"})
    void aFlattenOfATransposeCopies(long batch, long peak, long saved, long inputSaved) {
        // M1: the copy is flatten's output, saved by the Linear after it; the transposed Linear output lives while it is copied
        assertMemory(compile("{8, 16}, layout = \"L,D\"", batch, "@Linear(out = 16, bias = false) Layer lin0;",
                "@Transpose(dim0 = 1, dim1 = 2) Layer t;", "@Flatten Layer f;", "@Linear(out = 10, bias = false) Layer lin1;"), peak, saved, inputSaved);
    }

    @ParameterizedTest(name = "batch {0}")
    @CsvSource({"1, 128128, 64, 64", "2, 384256, 128000, 128"})
    void aLinearOnAnExpandedInputFoldsItIntoACopy(long batch, long peak, long saved, long inputSaved) {
        // M2: at batch 2, 2 x 1000 x 16 floats copied (128,000 bytes) beside the 2 x 1 x 16 they view and the 256,000-byte output,
        // and saved in the input's place; at batch 1 the rows fold as a view (mm copies inside itself: a workspace)
        assertMemory(compile("{1, 16}, layout = \"L,D\"", batch, "@Linear(out = 16, bias = false) Layer lin0;",
                "@Expand(sizes = {1000, -1}) Layer v;", "@Linear(out = 32, bias = false) Layer lin1;"), peak, saved, inputSaved);
    }

    @ParameterizedTest(name = "batch {0}")
    @CsvSource({"1, 3072, 1920, 768", "2, 6144, 3840, 1536"})
    void aLinearOnATransposedInputOfThreeAxesCopiesNothing(long batch, long peak, long saved, long inputSaved) {
        // M3: a convolution's output transposed to positions first; PyTorch's matmul sends it to bmm as it is
        assertMemory(compile("{16, 12}, layout = \"C,L\"", batch, "@Conv1d(cout = 16, k = 3, padding = 1, bias = false) Layer conv;",
                "@Transpose(dim0 = 1, dim1 = 2) Layer t;", "@Linear(out = 24, bias = false) Layer lin;", "@ReLU Layer relu;"), peak, saved, inputSaved);
    }

    @ParameterizedTest(name = "batch {0}")
    @CsvSource({"1, 6720, 6720, 1280", "2, 18560, 13440, 2560"})
    void attentionWrittenOutCopiesItsTransposedHeadsAboveABatchOfOne(long batch, long peak, long saved, long inputSaved) {
        // M4: at batch 2 matmul copies q and the keys (2,560 bytes each) beside the three projections and the 3,200-byte scores at the
        // peak, and saves the copies of q, the keys and the values; the heads merged back are a copy at both batches
        assertMemory(compile("{10, 32}, layout = \"L,D\"", batch, "@Linear(out = 32, bias = false) Layer query;",
                "@From(\"input\") @Linear(out = 32, bias = false) Layer key;", "@From(\"input\") @Linear(out = 32, bias = false) Layer value;",
                "@From(\"query\") @Reshape(shape = {10, 4, 8}, layout = \"L,H,D\") Layer q;", "@Transpose(dim0 = 1, dim1 = 2) Layer qh;",
                "@From(\"key\") @Reshape(shape = {10, 4, 8}, layout = \"L,H,D\") Layer k;", "@Transpose(dim0 = 1, dim1 = 2) Layer kh;",
                "@From(\"value\") @Reshape(shape = {10, 4, 8}, layout = \"L,H,D\") Layer v;", "@Transpose(dim0 = 1, dim1 = 2) Layer vh;",
                "@From({\"qh\", \"kh\"}) @MatMul(transposeB = true) Layer scores;", "@Functional(method = true) @Softmax(dim = -1) Layer probs;",
                "@From({\"probs\", \"vh\"}) @MatMul Layer context;", "@Transpose(dim0 = 1, dim1 = 2) Layer merged;",
                "@Reshape(shape = {10, 32}) Layer o;", "@Linear(out = 32, bias = false) Layer out;"), peak, saved, inputSaved);
    }

    @ParameterizedTest(name = "batch {0}")
    @CsvSource({"1, 4480, 3200, 1280", "2, 14080, 8320, 2560"})
    void oneKeyHeadForFourQueryHeadsIsExpandedToThemInACopy(long batch, long peak, long saved, long inputSaved) {
        // M6: matmul expands the 1 x 10 x 8 keys to the four heads and reshapes them, a copy four times their size (2,560 bytes at
        // batch 2, saved in their place), with the transposed queries' copy above a batch of 1
        assertMemory(compile("{10, 32}, layout = \"L,D\"", batch, "@Linear(out = 32, bias = false) Layer query;",
                "@From(\"input\") @Linear(out = 8, bias = false) Layer key;",
                "@From(\"query\") @Reshape(shape = {10, 4, 8}, layout = \"L,H,D\") Layer q;", "@Transpose(dim0 = 1, dim1 = 2) Layer qh;",
                "@From(\"key\") @Reshape(shape = {1, 10, 8}, layout = \"H,L,D\") Layer k;",
                "@From({\"qh\", \"k\"}) @MatMul(transposeB = true) Layer scores;", "@Functional(method = true) @Softmax(dim = -1) Layer probs;"),
                peak, saved, inputSaved);
    }

    @ParameterizedTest(name = "batch {0}")
    @CsvSource({"1, 408, 0, 168", "2, 1152, 336, 0"})
    void aLearnedMatrixTimesTheInputFoldsItsTransposeAndCopiesTheProductBack(long batch, long peak, long saved, long inputSaved) {
        // M7: w (5 x 7) @ x (B x 7 x 6): matmul folds x's transpose, a copy above a batch of 1 (saved in x's place), and copies the
        // 5 x 6 product of each sample back contiguous, the product held beside its copy: at batch 2, x (336 bytes), its copy (336)
        // and the product twice (240 each)
        assertMemory(compile("{7, 6}, layout = \"L,D\"", batch, "@Parameter(shape = {5, 7}) Layer w;", "@From({\"w\", \"input\"}) @MatMul Layer p;"),
                peak, saved, inputSaved);
    }

    @ParameterizedTest(name = "batch {0}")
    @CsvSource({"1, 64128, 64000, 64", "2, 128256, 128000, 128"})
    void aReshapeOfAnExpandedTensorIsACopyOfItsWholeSize(long batch, long peak, long saved, long inputSaved) {
        // M5: the reshape writes 1000 x 16 floats a sample from 16
        assertMemory(compile("{1, 16}, layout = \"L,D\"", batch, "@Linear(out = 16, bias = false) Layer lin0;",
                "@Expand(sizes = {1000, -1}) Layer v;", "@Reshape(shape = {16000}) Layer r;", "@Linear(out = 4, bias = false) Layer lin1;"),
                peak, saved, inputSaved);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"reflect, 1280", "replicate, 1280", "circular, 896"})
    void aConvolutionInAnotherPaddingModeHoldsAndSavesItsPaddedCopy(String mode, long saved) {
        // P1 to P3 at batch 2: conv1 holds the 2 x 4 x 16 copy (512 bytes) beside its input and its 2 x 8 x 14 output (896) and
        // the model's input (384): 2,176; it saves the copy, and a reflection or a replication the input too (384 more); conv0 saves
        // the model's input. The MACs are those of zero padding: 2 · 4 · 12 · 4 + 2 · 8 · 14 · 12.
        Compilation compilation = compile("{4, 12}, layout = \"C,L\"", 2, "@Conv1d(cout = 4, k = 1, bias = false) Layer conv0;",
                "@Conv1d(cout = 8, k = 3, padding = 2, paddingMode = \"" + mode + "\", bias = false) Layer conv1;");
        assertEquals(2_176L, constant(compilation, "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        assertEquals(saved, constant(compilation, "test.NetCost", "SAVED_ACTIVATION_BYTES"));
        assertEquals(3_072L, constant(compilation, "test.NetCost", "MACS"));
    }

    @Test
    void samePaddingInReflectModePadsOneBeforeAndTwoAfterAnEvenKernel() {
        // P4 at batch 2: a 4 x 4 kernel pads 1 + 2 positions on each axis, a 2 x 4 x 9 x 8 copy (2,304 bytes): peak 960 · 3 + 2,304,
        // saved the copy and conv1's input (960) besides the model's input (960)
        assertMemory(compile("{4, 6, 5}", 2, "@Conv2d(cout = 4, k = 1, bias = false) Layer conv0;",
                "@Conv2d(cout = 4, k = 4, padding = Conv2d.SAME, paddingMode = \"reflect\", bias = false) Layer conv1;"), 5_184, 3_264, 960);
    }

    @Test
    void samePaddingOfAnEvenKernelPadsACopyByThePositionTheSidesDifferBy() {
        // P5 at batch 2, zero padding: a 2 x 4 x 7 x 6 copy (1,344 bytes), held and saved in conv1's input's place
        assertMemory(compile("{4, 6, 5}", 2, "@Conv2d(cout = 4, k = 1, bias = false) Layer conv0;",
                "@Conv2d(cout = 4, k = 4, padding = Conv2d.SAME, bias = false) Layer conv1;"), 4_224, 1_344, 960);
    }

    @Test
    void aReflectionAsLongAsTheAxisOrACircularPaddingLongerIsRefused() {
        // PyTorch: "Padding size should be less than the corresponding input dimension" and "Padding value causes wrapping around more
        // than once"
        String header = "@Model(input = {4, 3}, layout = \"C,L\")";
        expectOnly(model(header, "@Conv1d(cout = 4, k = 3, padding = 3, paddingMode = \"reflect\") Layer conv;"),
                "[MC320] conv: Conv1d padding = 3 on the L axis of size 3 must be below the size in paddingMode reflect", "Layer conv;", 40);
        expectOnly(model(header, "@Conv1d(cout = 4, k = 3, padding = 4, paddingMode = \"circular\") Layer conv;"),
                "[MC320] conv: Conv1d padding = 4 on the L axis of size 3 must be at most the size in paddingMode circular", "Layer conv;", 40);
        compiled(model(header, "@Conv1d(cout = 4, k = 3, padding = 3, paddingMode = \"circular\") Layer conv;"));
        // padding = SAME with an even kernel pads one after: on one position a reflection cannot (PyTorch: "padding (0, 1)")
        expectOnly(model("@Model(input = {4, 1}, layout = \"C,L\")", "@Conv1d(cout = 4, k = 2, padding = Conv1d.SAME, paddingMode = \"reflect\") Layer conv;"),
                "[MC320] conv: Conv1d padding = SAME's side = 1 on the L axis of size 1 must be below the size in paddingMode reflect", "Layer conv;", 46);
        expectOnly(model(header, "@Conv1d(cout = 4, k = 3, paddingMode = \"mirror\") Layer conv;"),
                "paddingMode = 'mirror'", "Layer conv;", 44);
    }

    @Test
    void aRollWritesANewTensorAndSavesNothing() {
        // S1 at batch 2: Swin's shifted windows, torch.roll(shifts=(-2, -2), dims=(1, 2)) of a 2 x 6 x 6 x 8 Linear output (2,304 bytes):
        // the input, the Linear's output and the roll's at the peak, 6,912 bytes (the axis rolled first is an intermediate made and freed
        // inside the op); saved the roll's output for the Linear after it, besides the model's input
        assertMemory(compile("{6, 6, 8}, layout = \"H,W,C\"", 2, "@Linear(out = 8, bias = false) Layer before;",
                "@Roll(shifts = {-2, -2}, dims = {1, 2}) Layer shifted;", "@Linear(out = 4, bias = false) Layer after;"), 6_912, 2_304, 2_304);
        // S2 at batch 2: a flattened roll of a permuted convolution output; the copy that flattens it is made inside the op
        assertMemory(compile("{8, 6, 6}", 2, "@Conv2d(cout = 8, k = 1, bias = false) Layer before;", "@Permute(dims = {0, 2, 3, 1}) Layer last;",
                "@Roll(shifts = 5) Layer shifted;", "@Linear(out = 4, bias = false) Layer after;"), 6_912, 2_304, 2_304);
    }

    @Test
    void aRollsShiftsAndDimsMustAlign() {
        // PyTorch: "shifts and dimensions must align. shifts: 1, dims:2"; torch.roll(x, (1, 2)) without dims: "shifts and dimensions must
        // align"; an axis past the tensor's: "Dimension out of range"
        String header = "@Model(input = {6, 6, 8}, layout = \"H,W,C\")";
        expectOnly(model(header, "@Roll(shifts = -2, dims = {1, 2}) Layer shifted;"),
                "[MC310] shifted: Roll dims = [1, 2] must be one axis per shift, 1 as shifts = [-2] has, as PyTorch's roll aligns them",
                "Layer shifted;", 31);
        expectOnly(model(header, "@Roll(shifts = {1, 2}) Layer shifted;"),
                "[MC310] shifted: Roll shifts = [1, 2] must be one shift where dims is empty", "Layer shifted;", 20);
        expectOnly(model(header, "@Roll(shifts = {1}, dims = {4}) Layer shifted;"),
                "[MC311] shifted: Roll dims = 4 does not fit an input of 4 dimensions (batch included)", "Layer shifted;", 32);
    }

    @Test
    void swinsWindowBiasHoldsItsLookupWhileItCopiesItAndSavesNoActivation() {
        // W1 at batch 2: two heads of a 4 x 4 window, scores 2 x 2 x 16 x 16 (4,096 bytes), torchvision's relative position bias a
        // 2 x 16 x 16 contiguous copy of the 256 looked-up pairs (2,048 bytes, the lookup held beside it while it runs); the peak at
        // the add, the input, the scores, the bias and the sum: 1,024 + 4,096 + 2,048 + 4,096. Saved: matmul's copies of q and k
        // (1,024 bytes each) and softmax's output, besides the input; the index the lookup saves is a buffer
        Compilation compilation = compile("{16, 8}, layout = \"L,D\"", 2, "@Linear(out = 8, bias = false) Layer query;",
                "@From(\"input\") @Linear(out = 8, bias = false) Layer key;",
                "@From(\"query\") @Reshape(shape = {16, 2, 4}, layout = \"L,H,D\") Layer q;", "@Transpose(dim0 = 1, dim1 = 2) Layer qh;",
                "@From(\"key\") @Reshape(shape = {16, 2, 4}, layout = \"L,H,D\") Layer k;", "@Transpose(dim0 = 1, dim1 = 2) Layer kh;",
                "@From({\"qh\", \"kh\"}) @MatMul(transposeB = true) Layer scores;",
                "@WindowRelativePositionBias(window = 4, numHeads = 2) Layer bias;", "@Add({\"scores\", \"bias\"}) Layer biased;",
                "@Functional(method = true) @Softmax(dim = -1) Layer probs;");
        assertMemory(compilation, 11_264, 6_144, 1_024);
        // the table (2·4 - 1)² x 2 = 98 parameters beside the two 8 x 8 projections (PyTorch: 904 bytes of parameters); the int64 index
        // is no buffer here, as BatchNorm's num_batches_tracked is not
        assertEquals(128 + 98, constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(0, constant(compilation, "test.NetCost", "BUFFERS"));
        // a rectangular window: (2·2 - 1)·(2·7 - 1) = 39 offsets by 3 heads; output 3 x 14 x 14
        Compilation rectangle = compiled(model("@Model(input = {14, 8}, layout = \"L,D\")",
                "@WindowRelativePositionBias(window = {2, 7}, numHeads = 3) Layer bias;"));
        assertEquals(117, constant(rectangle, "test.NetCost", "PARAMS"));
        // the bias has no batch axis: as the model's output at a batch of 2 it is printed with PyTorch's leading 1 (unsqueeze(0))
        Compilation alone = compiled(model("@Model(input = {12, 8}, layout = \"L,D\", batch = 2)", "@Linear(out = 8) Layer lin;",
                "@WindowRelativePositionBias(window = {3, 4}, numHeads = 3) Layer bias;"));
        assertTrue(ModelSources.generated(alone, "test.NetCost").contains("OUTPUT_SHAPE = \"1x3x12x12\";"), ModelSources.generated(alone, "test.NetCost"));
    }

    @Test
    void aWindowBiasNeedsOneOrTwoWindowSizesAndItsHeads() {
        String header = "@Model(input = {16, 8}, layout = \"L,D\")";
        expectOnly(model(header, "@WindowRelativePositionBias(numHeads = 2) Layer bias;"),
                "[MC303] bias: WindowRelativePositionBias needs 'window'", "Layer bias;", 5);
        expectOnly(model(header, "@WindowRelativePositionBias(window = {2, 2, 2}, numHeads = 2) Layer bias;"),
                "[MC310] bias: WindowRelativePositionBias window = [2, 2, 2] must be one size (a square window) or two, {Wh, Ww}", "Layer bias;", 42);
        expectOnly(model(header, "@WindowRelativePositionBias(window = 4) Layer bias;"),
                "[MC303] bias: WindowRelativePositionBias needs 'numHeads'", "Layer bias;", 5);
        expectOnly(model(header, "@WindowRelativePositionBias(window = 0, numHeads = 2) Layer bias;"),
                "[MC104] bias: WindowRelativePositionBias window", "Layer bias;", 42);
    }
}
