package dev.modelcost.processor;

import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.columnOf;
import static dev.modelcost.processor.ModelSources.compiled;
import static dev.modelcost.processor.ModelSources.constant;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code @Expand}, {@code x.expand(batch, *sizes)}: a broadcast view that costs nothing. The expected figures were measured with
 * PyTorch 1.13 on the same modules at batch 2 ({@code x.expand(-1, 4, -1)} and so on): the output's shape and parameter count from
 * the module, thop 0.1.1's {@code profile}, ptflops 0.7.6's {@code get_model_complexity_info} with the pytorch backend
 * ({@code count_functional}, its per-sample figure) and the aten one, and torchinfo 1.8.0's {@code summary(...).total_mult_adds}.
 */
class ExpandTest {

    private static Compilation compile(String header, String... fields) {
        return compiled(model(header, fields));
    }

    private static void assertFigures(Compilation compilation, Map<String, Long> expected) {
        expected.forEach((figure, value) -> assertEquals(value, constant(compilation, "test.NetCost", figure), figure));
    }

    @Test
    void anAxisOfOneBroadcastToFourFeedsALinearOnFourPositions() {
        // nn.Linear(8, 4) on x.expand(-1, 4, -1), x of 2 x 1 x 8: 2 · 4 · 8 · 4 MACs; ptflops' pytorch backend counts a sample
        // and the bias (4 · 8 · 4 + 4 · 4 = 144); torchinfo the weight times the output's rows plus the bias per row (288).
        Compilation compilation = compile("@Model(input = {1, 8}, layout = \"L,D\", batch = 2)", "@Expand(sizes = {4, -1}) Layer e;",
                "@Linear(out = 4) Layer fc;");
        assertTrue(ModelSources.generated(compilation, "test.NetCost").contains("OUTPUT_SHAPE = \"2x4x4\""));
        assertFigures(compilation, Map.of("MACS", 256L, "PARAMS", 36L, "THOP_MACS", 256L, "PTFLOPS_MACS", 144L, "PTFLOPS_ATEN_MACS", 256L,
                "TORCHINFO_MULT_ADDS", 288L));
    }

    @Test
    void aReshapeOfAnExpandedTensorCopiesItAndALinearOnItRunsAsOneAddmm() {
        // x.expand(-1, 4, -1).reshape(2, 32), then nn.Linear(32, 4): the copy is contiguous, so ptflops' aten backend counts
        // addmm's bias too (256 + 2 · 4)
        Compilation compilation = compile("@Model(input = {1, 8}, layout = \"L,D\", batch = 2)", "@Expand(sizes = {4, -1}) Layer e;",
                "@Reshape(shape = {32}) Layer r;", "@Linear(out = 4) Layer fc;");
        assertTrue(ModelSources.generated(compilation, "test.NetCost").contains("OUTPUT_SHAPE = \"2x4\""));
        assertFigures(compilation, Map.of("MACS", 256L, "PARAMS", 132L, "THOP_MACS", 256L, "PTFLOPS_MACS", 132L, "PTFLOPS_ATEN_MACS", 264L,
                "TORCHINFO_MULT_ADDS", 264L));
    }

    @Test
    void aParameterExpandedOverThePositionsIsAddedToEach() {
        // q = nn.Linear(8, 8)(x), x of 2 x 6 x 8; q + tok.expand(6, -1), tok an nn.Parameter of 1 x 8; nn.Linear(8, 4) on the sum:
        // 2 · 6 · (64 + 32) MACs, the add one op per element of the 2 x 6 x 8 sum
        Compilation compilation = compile("@Model(input = {6, 8}, layout = \"L,D\", batch = 2)", "@Linear(out = 8) Layer q;",
                "@Parameter(shape = {1, 8}, layout = \"L,D\") Layer tok;", "@Expand(sizes = {6, -1}) Layer te;", "@Add({\"q\", \"te\"}) Layer sum;",
                "@Linear(out = 4) Layer fc;");
        assertFigures(compilation, Map.of("MACS", 1_152L, "OTHER_OPS", 96L, "PARAMS", 116L, "THOP_MACS", 1_152L, "PTFLOPS_MACS", 648L,
                "PTFLOPS_ATEN_MACS", 1_296L, "TORCHINFO_MULT_ADDS", 1_296L));
    }

    @Test
    void sizesFromAnExpressionAndMinusOneKeepAnAxis() {
        // a key head broadcast over the heads, as DeepSeek-V2's k_pe.expand(-1, heads, -1, -1): 1 x 8 x 8 to 4 x 8 x 8
        Compilation compilation = compile("@Model(input = {1, 8, 8}, layout = \"H,L,E\")", "static final int HEADS = 4;",
                "@Expand(with = \"sizes = [HEADS, -1, input.E]\") Layer e;");
        assertTrue(ModelSources.generated(compilation, "test.NetCost").contains("OUTPUT_SHAPE = \"1x4x8x8\""));
    }

    @Test
    void mc310AnExpandThatPyTorchRefuses() {
        // PyTorch: "The expanded size of the tensor (4) must match the existing size (2) at non-singleton dimension 1"
        String longer = model("@Model(input = {2, 8}, layout = \"L,D\")", "@Expand(sizes = {4, -1}) Layer e;");
        expectOnly(longer, "[MC310] e: Expand sizes = [4, -1] must be the input's size or -1 on axis L, which holds 2: only an axis of size 1 is "
                + "expanded, as PyTorch's expand refuses any other", "Layer e;", columnAfter(longer, "Layer e;", "sizes = "));
        String rank = model("@Model(input = {2, 8}, layout = \"L,D\")", "@Expand(sizes = {-1, 8, 3}) Layer e;");
        expectOnly(rank, "[MC310] e: Expand sizes = [-1, 8, 3] must be one size per axis of the input 2x8, 2 (the batch not among them; -1 keeps "
                + "an axis)", "Layer e;", columnAfter(rank, "Layer e;", "sizes = "));
        String empty = model("@Model(input = {1, 8}, layout = \"L,D\")", "@Expand(sizes = {0, -1}) Layer e;");
        expectOnly(empty, "[MC310] e: Expand sizes = [0, -1] must be -1 (kept) or at least 1 each, not 0", "Layer e;",
                columnAfter(empty, "Layer e;", "sizes = "));
    }

    @Test
    void mc401AnExpandBeyond64BitsOfElements() {
        // PyTorch: torch.zeros(1, 1, 1, 1).expand(1, 2**31 - 1, 2**31 - 1, 2**31 - 1) raises "numel: integer multiplication
        // overflow": a view of about 9.9·10^27 elements is refused on its own line, not where a later layer's cost overflows
        String text = model("@Model(input = {1, 1, 1}, layout = \"A,B,C\")", "@Expand(sizes = {2147483647, 2147483647, 2147483647}) Layer e;",
                "@Sum(dim = 1) Layer s;");
        expectOnly(text, "[MC401] e: the output of this Expand, of more than 9,223,372,036,854,775,807 elements, is too large to count exactly",
                "Layer e;", columnOf(text, "Layer e;", "@Expand"));
    }

    @Test
    void mc310AnInPlaceLayerOnAnExpandedTensor() {
        // PyTorch: "unsupported operation: more than one element of the written-to tensor refers to a single memory location"
        String text = model("@Model(input = {1, 8}, layout = \"L,D\", batch = 4)", "@Expand(sizes = {1000, -1}) Layer e;",
                "@ReLU(inplace = true) Layer act;");
        expectOnly(text, "[MC310] act: ReLU inplace = true must be false: its input is a broadcast view (an expand) whose elements share memory, "
                + "which PyTorch refuses to write", "Layer act;", columnAfter(text, "Layer act;", "inplace = "));
        // an axis of 1 kept as it is shares nothing: written in place as PyTorch writes it
        assertEquals(8L * 4, constant(compile("@Model(input = {1, 8}, layout = \"L,D\", batch = 4)", "@Expand(sizes = {1, -1}) Layer e;",
                "@ReLU(inplace = true) Layer act;"), "test.NetCost", "OTHER_OPS"));
    }
}
