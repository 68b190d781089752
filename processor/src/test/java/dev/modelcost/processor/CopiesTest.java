package dev.modelcost.processor;

import static dev.modelcost.processor.ModelSources.compiled;
import static dev.modelcost.processor.ModelSources.constant;
import static dev.modelcost.processor.ModelSources.model;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The copies PyTorch makes of a tensor that is not contiguous, in the memory figures: a reshape or flatten that cannot be a view
 * writes a new tensor; {@code nn.Linear} and {@code torch.matmul} fold an operand whose leading axes do not step through memory as
 * one into a copy, held while they run and saved for backward in its place; a transposed input of three axes goes to {@code bmm}
 * as it is. The expected figures were measured with PyTorch 1.13 on CPU, float32, every Linear without a bias, by
 * {@code tools/pytorch/measure_copies.py} ({@code tools/pytorch/copy-costs.tsv}, the models in its docstring): the inference peak
 * at the ops' boundaries with the model input, and the saved bytes without the parameters and the model input, to which the input's
 * bytes are added where a layer saves it, as {@code SAVED_ACTIVATION_BYTES} counts it.
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
    @CsvSource({"1, 64128, 64000, 64", "2, 128256, 128000, 128"})
    void aReshapeOfAnExpandedTensorIsACopyOfItsWholeSize(long batch, long peak, long saved, long inputSaved) {
        // M5: the reshape writes 1000 x 16 floats a sample from 16
        assertMemory(compile("{1, 16}, layout = \"L,D\"", batch, "@Linear(out = 16, bias = false) Layer lin0;",
                "@Expand(sizes = {1000, -1}) Layer v;", "@Reshape(shape = {16000}) Layer r;", "@Linear(out = 4, bias = false) Layer lin1;"),
                peak, saved, inputSaved);
    }
}
