package dev.modelcost.processor;

import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.columnOf;
import static dev.modelcost.processor.ModelSources.compiled;
import static dev.modelcost.processor.ModelSources.expectInBlock;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.model;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The diagnostics of named inputs, layouts, token ids, reshapes, attention and matrix products, each on its element. */
class TransformerDiagnosticsTest {

    @Test
    void mc119InputNameGivenTwice() {
        String text = model("@Model(inputs = {@Input(name = \"src\", shape = {8, 16}), @Input(name = \"src\", shape = {4, 16})})",
                "@ReLU Layer relu;");
        expectOnly(text, "[MC119] input name 'src' is given twice", "@Model", columnAfter(text, "@Model", "@Input(name = \"src\", shape = {8, 16}), @Input(name = "));
    }

    @Test
    void mc119BlockInputReserved() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8, 16})
                public class Net {
                    Pair pair;

                    @Block(inputs = {"input", "h"})
                    public static class Pair {
                        @ReLU Layer relu;
                    }
                }
                """;
        expectOnly(text, "[MC119] input name 'h' is reserved: it stands for the height of the block input in expressions", "@Block",
                columnAfter(text, "@Block", "@Block(inputs = "));
    }

    @Test
    void mc120LayoutOfTheWrongLength() {
        String text = model("@Model(input = {3, 32, 32}, layout = \"C,H\")", "@ReLU Layer relu;");
        expectOnly(text, "[MC120] layout 'C,H' of input does not name 3 distinct axes: it names 2", "@Model", columnAfter(text, "@Model", "layout = "));
        String twice = model("@Model(input = {3, 32}, layout = \"L, L\")", "@ReLU Layer relu;");
        expectOnly(twice, "[MC120] layout 'L, L' of input does not name 2 distinct axes: 'L' is written twice", "@Model",
                columnAfter(twice, "@Model", "layout = "));
    }

    @Test
    void mc120ALayoutNameOutsideAscii() {
        String text = model("@Model(input = {3, 32}, layout = \"L,\u00c4\")", "@ReLU Layer relu;");
        expectOnly(text, "[MC120] layout 'L,\u00c4' of input does not name 2 distinct axes: '\u00c4' is no axis name (fix: write one name per dimension, separated by commas, "
                + "e.g. layout = \"L,D\"; a name is ASCII letters, digits and _, starting with a letter)", "@Model", columnAfter(text, "@Model", "layout = "));
    }

    @Test
    void mc302ConvOnAChannelsLastImageSaysSo() {
        String text = model("@Model(input = {3, 32, 32})", "@Permute(dims = {0, 2, 3, 1}) Layer last;", "@Conv2d(cout = 8, k = 3) Layer conv;");
        expectOnly(text, "[MC302] conv: Conv2d takes a C,H,W input, but the previous layer (last) produces shape 32x32x3 (H,W,C)"
                + " (fix: permute it to C,H,W first)", "Layer conv;", columnOf(text, "Layer conv;", "@Conv2d"));
    }

    @Test
    void mc302ConvAfterAReshapeWithoutALayoutSaysToGiveItOne() {
        // x.reshape(n, 24, 20, 22) runs in PyTorch, whose conv reads the dimensions by position; here the reshape names them d1, d2, d3.
        String text = model("@Model(input = {4, 6, 20, 22})", "@Reshape(shape = {24, 20, 22}) Layer to2d;", "@Conv2d(cout = 16, k = 3) Layer conv;");
        expectOnly(text, "[MC302] conv: Conv2d takes a C,H,W input, but the previous layer (to2d) produces shape 24x20x22 (d1,d2,d3) (fix: "
                + "where it is laid out channels first, give the reshape that made it the layout: layout = \"C,H,W\" beside its shape; else "
                + "permute it to C,H,W first)", "Layer conv;", columnOf(text, "Layer conv;", "@Conv2d"));
        compiled(text.replace("shape = {24, 20, 22}", "shape = {24, 20, 22}, layout = \"C,H,W\""));
    }

    @Test
    void mc302ConvOnAnImageWhoseAxesAreNamedInLowerCaseSaysToNameThem() {
        // The image is channels first already: no permutation gives C,H,W from c,h,w.
        String text = model("@Model(input = {3, 8, 8}, layout = \"c,h,w\")", "@Conv2d(cout = 8, k = 3) Layer conv;");
        expectOnly(text, "[MC302] conv: Conv2d takes a C,H,W input, but the model input produces shape 3x8x8 (c,h,w) (fix: where it is "
                + "laid out channels first, name its axes C,H,W (axis names are case-sensitive); else permute it to C,H,W first)", "Layer conv;",
                columnOf(text, "Layer conv;", "@Conv2d"));
    }

    @Test
    void mc302AttentionOnHeadsLaidOutAfterThePositionsSaysToTranspose() {
        // q.view(L, H, E) without q.transpose(1, 2): PyTorch would attend over the 8 heads as if they were positions.
        String text = model("@Model(input = {64}, tokens = true)", "@Embedding(numEmbeddings = 1000, embeddingDim = 128) Layer emb;",
                "@Reshape(shape = {64, 8, 16}, layout = \"L,H,E\") Layer heads;",
                "@From({\"heads\", \"heads\", \"heads\"}) @ScaledDotProductAttention(isCausal = true) Layer attn;");
        expectOnly(text, "[MC302] attn: ScaledDotProductAttention takes an H,L,E query input, but field heads produces shape 64x8x16 "
                + "(L,H,E) (fix: it attends over the second axis, H here: transpose the first two before it, as PyTorch's x.transpose(1, 2), "
                + "with @Transpose(dim0 = 1, dim1 = 2))", "Layer attn;", columnOf(text, "Layer attn;", "@ScaledDotProductAttention"));
    }

    @Test
    void mc302MatMulOnAPooledFeatureSaysHowToMultiplyAVector() {
        // CLIP's x[:, 0, :] @ proj: PyTorch's (N, 64) feature is one axis of 64 here, the batch left out.
        String text = model("@Model(input = {8, 64}, layout = \"L,D\")", "@Select(dim = 1, index = 0) Layer cls;",
                "@Parameter(shape = {64, 32}, layout = \"D,E\") Layer proj;", "@From({\"cls\", \"proj\"}) @MatMul Layer out;");
        expectOnly(text, "[MC302] out: MatMul takes matrices (2 or more axes) input, but field cls produces shape 64 (D) (fix: a vector has "
                + "one axis here, one a sample (shapes leave out the batch) or a @Parameter's: for x @ W with a weight W, write @Linear(bias = false) (its weight is W "
                + "transposed, the same parameters); else @Reshape the vector to [1, n] before the product and back after it)", "Layer out;",
                columnOf(text, "Layer out;", "@MatMul"));
        // the vector second: x @ v
        String second = model("@Model(input = {8, 64}, layout = \"L,D\")", "@Select(dim = 1, index = 0) Layer cls;",
                "@From({\"input\", \"cls\"}) @MatMul Layer out;");
        expectOnly(second, "[MC302] out: MatMul takes matrices (2 or more axes) input, but field cls produces shape 64 (D) (fix: a vector has "
                + "one axis here, one a sample (shapes leave out the batch) or a @Parameter's: for x @ W with a weight W, write @Linear(bias = false) (its weight is W "
                + "transposed, the same parameters); else @Reshape the vector to [n, 1] before the product and back after it)", "Layer out;",
                columnOf(second, "Layer out;", "@MatMul"));
    }

    @Test
    void mc305RotaryEmbeddingOnAnOddHeadDimension() {
        String text = model("@Model(input = {4, 16, 15}, layout = \"H,L,E\")", "@RotaryEmbedding Layer rope;");
        expectOnly(text, "[MC305] rope: RotaryEmbedding the pair size = 2 does not divide the head dimension = 15", "Layer rope;",
                columnOf(text, "Layer rope;", "@RotaryEmbedding"));
    }

    @Test
    void mc310RotaryEmbeddingWithABaseBelowOne() {
        String text = model("@Model(input = {4, 16, 64}, layout = \"H,L,E\")", "@RotaryEmbedding(theta = -1) Layer rope;");
        expectOnly(text, "[MC310] rope: RotaryEmbedding theta = -1.0 must be above 0", "Layer rope;", columnAfter(text, "Layer rope;", "theta = "));
    }

    @Test
    void mc310RotaryEmbeddingRotatingAnOddOrTooLargeShareOfTheHead() {
        String odd = model("@Model(input = {4, 16, 80}, layout = \"H,L,E\")", "@RotaryEmbedding(rotaryDim = 31) Layer rope;");
        expectOnly(odd, "[MC310] rope: RotaryEmbedding rotaryDim = 31 must be -1 (every feature), or an even number of features from 2 to the head "
                + "dimension, 80", "Layer rope;", columnAfter(odd, "Layer rope;", "rotaryDim = "));
        String wide = model("@Model(input = {4, 16, 80}, layout = \"H,L,E\")", "@RotaryEmbedding(rotaryDim = 96) Layer rope;");
        expectOnly(wide, "[MC310] rope: RotaryEmbedding rotaryDim = 96 must be -1 (every feature), or an even number of features from 2 to the "
                + "head dimension, 80", "Layer rope;", columnAfter(wide, "Layer rope;", "rotaryDim = "));
        // Phi-2's 32 of 80 features on an odd head dimension is fine: only the rotated features pair up
        org.junit.jupiter.api.Assertions.assertEquals(3L * 4 * 16 * 32, ModelSources.constant(ModelSources.compiled(
                model("@Model(input = {4, 16, 81}, layout = \"H,L,E\")", "@RotaryEmbedding(rotaryDim = 32) Layer rope;")), "test.NetCost", "OTHER_OPS"));
    }

    @Test
    void mc305HeadsNotDividingTheWidth() {
        String text = model("@Model(input = {10, 768})", "@MultiheadAttention(numHeads = 5) Layer attn;");
        expectOnly(text, "[MC305] attn: MultiheadAttention numHeads = 5 does not divide embedDim = 768", "Layer attn;",
                columnAfter(text, "Layer attn;", "numHeads = "));
    }

    @Test
    void mc211AttentionOfTwoInputs() {
        String text = model("@Model(input = {10, 64})", "@Linear(out = 64) Layer k;", "@From({\"input\", \"k\"}) @MultiheadAttention(numHeads = 4) Layer attn;");
        expectOnly(text, "[MC211] attn: MultiheadAttention takes 1 input (self-attention) or 3 inputs (query, key, value), got 2", "Layer attn;",
                columnOf(text, "Layer attn;", "@MultiheadAttention"));
    }

    @Test
    void mc211MatMulOfOneInput() {
        String text = model("@Model(input = {10, 64})", "@MatMul Layer product;");
        expectOnly(text, "[MC211] product: MatMul takes 2 inputs, got 1", "Layer product;", columnOf(text, "Layer product;", "@MatMul"));
    }

    @Test
    void mc210UnknownInputNameListsTheInputs() {
        String text = model("@Model(inputs = {@Input(name = \"src\", shape = {8, 16}), @Input(name = \"tgt\", shape = {4, 16})})",
                "@From(\"target\") @ReLU Layer relu;");
        expectOnly(text, "[MC210] relu: 'target' names no earlier field or input; known: src, tgt (fix: name a field declared above this one, or an input: \"src\", \"tgt\")",
                "Layer relu;", columnAfter(text, "Layer relu;", "@From("));
    }

    @Test
    void mc310ChoiceOutsideItsSet() {
        String text = model("@Model(input = {16})", "@GELU(approximate = \"fast\") Layer act;");
        expectOnly(text, "[MC310] act: GELU approximate = 'fast' must be one of [none, tanh]", "Layer act;", columnAfter(text, "Layer act;", "approximate = "));
    }

    @Test
    void mc310PaddingIndexOutsideTheVocabulary() {
        String text = model("@Model(input = {12}, layout = \"L\", tokens = true)", "@Embedding(numEmbeddings = 100, embeddingDim = 8, paddingIdx = 100) Layer emb;");
        expectOnly(text, "[MC310] emb: Embedding paddingIdx = 100 must be in [-100, 99] (or left out for None)", "Layer emb;",
                columnAfter(text, "Layer emb;", "paddingIdx = "));
    }

    @Test
    void mc311SoftmaxDimOutOfRange() {
        String text = model("@Model(input = {8, 16})", "@Softmax(dim = 3) Layer softmax;");
        expectOnly(text, "[MC311] softmax: Softmax dim = 3 does not fit an input of 3 dimensions (batch included) (fix: valid dimensions are 1 to 2 or -1 to -2)",
                "Layer softmax;", columnAfter(text, "Layer softmax;", "dim = "));
    }

    @Test
    void mc311ConcatAlongTheBatch() {
        String text = model("@Model(input = {8, 16})", "@Linear(out = 16) Layer fc;", "@Concat(value = {\"input\", \"fc\"}, dim = 0) Layer cat;");
        expectOnly(text, "[MC311] cat: Concat dim = 0 is the batch, which every operation keeps, of an input of 3 dimensions (batch included) (fix: name one of the other dimensions, 1 to 2 or -1 to -2)",
                "Layer cat;", columnAfter(text, "Layer cat;", "dim = "));
    }

    @Test
    void mc312ReshapeThatChangesTheElementCount() {
        String text = model("@Model(input = {8, 16})", "@Reshape(shape = {8, 4, 5}) Layer heads;");
        expectOnly(text, "[MC312] heads: Reshape cannot reshape 8x16 (128 elements) to [8, 4, 5] (fix: the sizes must multiply to 128)",
                "Layer heads;", columnAfter(text, "Layer heads;", "shape = "));
    }

    @Test
    void mc312ReshapeToTheBatchAlone() {
        // x.reshape(1) at batch 1 in PyTorch: a result with the batch axis alone, which the spec cannot hold; the fix names the
        // axis to keep, not a product the empty shape already has.
        String text = model("@Model(input = {1, 1, 1})", "@Reshape(shape = {}) Layer squeezed;");
        expectOnly(text, "[MC312] squeezed: Reshape cannot reshape 1x1x1 (1 elements) to [] (fix: a tensor of the batch axis alone is not "
                + "modelled; keep one axis besides it, shape = {1} (x.reshape(B, 1)))",
                "Layer squeezed;", columnAfter(text, "Layer squeezed;", "shape = "));
    }

    @Test
    void mc312ReshapeWithAnExpressionInsideABlock() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8, 16})
                public class Net {
                    @Args("heads = 3") Split split;

                    @Block
                    public static class Split {
                        @Param int heads;
                        @Reshape(with = "shape = [input.L, heads, input.D / heads]") Layer reshaped;
                    }
                }
                """;
        expectInBlock(text, "[MC312] split.reshaped: Reshape cannot reshape 8x16 (128 elements) to [8, 3, 5] (fix: the sizes must multiply to 128)",
                "Layer reshaped;", columnAfter(text, "Layer reshaped;", "with = "), "Split split;");
    }

    @Test
    void mc313PermutationThatIsNotOne() {
        String text = model("@Model(input = {3, 8, 8})", "@Permute(dims = {0, 2, 2, 1}) Layer last;");
        expectOnly(text, "[MC313] last: Permute dims = [0, 2, 2, 1] is not a permutation of the 4 dimensions (batch included) (fix: list each of 0 to 3 once)",
                "Layer last;", columnAfter(text, "Layer last;", "dims = "));
    }

    @Test
    void mc313PermutationToSequenceFirstAroundAnAttentionSaysToLeaveItOut() {
        // CLIP's x.permute(1, 0, 2) before a sequence-first nn.MultiheadAttention (batch_first = False), and back after it
        String text = model("@Model(input = {8, 32}, layout = \"L,D\")", "@Permute(dims = {1, 0, 2}) Layer nld_lnd;",
                "@MultiheadAttention(numHeads = 4) Layer attn;", "@Permute(dims = {1, 0, 2}) Layer lnd_nld;");
        expectOnly(text, "[MC313] nld_lnd: Permute dims = [1, 0, 2] moves the batch (dimension 0), which stays first here (fix: keep 0 first: "
                + "the batch is not permuted; where the code makes the tensor sequence-first for a layer of batch_first = False (CLIP's "
                + "x.permute(1, 0, 2) around nn.MultiheadAttention; an nn.LSTM's input), leave out this permute and the one back: shapes here "
                + "are batch-first always, and the layer's batchFirst = false counts the same)", "Layer nld_lnd;", columnAfter(text, "Layer nld_lnd;", "dims = "));
    }

    @Test
    void mc313PermutationToSequenceFirstOfATensorWithoutABatchKeepsTheSplittingHint() {
        // A parameter has no batch: the hint about layers of batch_first = False does not apply to it.
        String text = model("@Model(input = {8, 32}, layout = \"L,D\")", "@Parameter(shape = {4, 8}) Layer table;",
                "@Permute(dims = {1, 0, 2}) Layer swapped;");
        expectOnly(text, "[MC313] swapped: Permute dims = [1, 0, 2] moves the batch (dimension 0), which stays first here (fix: keep 0 first: "
                + "the batch is not permuted; to split the tensor along dimension 1 as timm's qkv.permute(2, 0, 3, 1, 4).unbind(0) does, take "
                + "each part with @Select(dim = 1, index = i) and permute what is left (the same views))",
                "Layer swapped;", columnAfter(text, "Layer swapped;", "dims = "));
    }

    @Test
    void mc311DimensionZeroOfAParameterWithoutABatchSaysItIsDimensionOneHere() {
        // Whisper's and GPT's self.pos[:L], dimension 0 of a 2-D nn.Parameter
        String text = model("@Model(input = {6}, tokens = true)", "@Embedding(numEmbeddings = 100, embeddingDim = 32) Layer emb;",
                "@Parameter(shape = {16, 32}, layout = \"L,D\") Layer pos;", "@Slice(dim = 0, start = 0, end = 6) Layer positions;",
                "@Add({\"emb\", \"positions\"}) Layer sum;");
        expectOnly(text, "[MC311] positions: Slice dim = 0 is the batch, which every operation keeps, of an input of 3 dimensions (batch "
                + "included) (fix: name one of the other dimensions, 1 to 2 or -1 to -2; this input has no batch (a @Parameter, a @Buffer, an "
                + "@Arange, or what is computed from them alone), yet its dimensions are counted here as every tensor's, from 1 after the "
                + "batch's 0: PyTorch's dimension 0 of it is dimension 1 here (pos[:L] of a parameter pos is dim = 1))", "Layer positions;", columnAfter(text, "Layer positions;", "dim = "));
    }

    @Test
    void mc310AParameterOfNoDimensionsIsWrittenWithOne() {
        // CLIP's self.logit_scale = nn.Parameter(torch.ones([]))
        String text = model("@Model(input = {8, 32}, layout = \"L,D\")", "@Linear(out = 4) Layer fc;", "@Parameter(shape = {}) Layer logitScale;",
                "@Mul({\"fc\", \"logitScale\"}) Layer scaled;");
        expectOnly(text, "[MC310] logitScale: Parameter shape = {} must be one size or more: a 0-dim tensor (torch.ones([])) is written "
                + "shape = {1} here, the same one element, which broadcasts alike", "Layer logitScale;",
                columnAfter(text, "Layer logitScale;", "shape = "));
    }

    @Test
    void mc313PermutationThatMovesTheBatch() {
        String text = model("@Model(input = {3, 8, 8})", "@Permute(dims = {1, 0, 2, 3}) Layer moved;");
        expectOnly(text, "[MC313] moved: Permute dims = [1, 0, 2, 3] moves the batch (dimension 0), which stays first here (fix: keep 0 first: "
                + "the batch is not permuted; to split the tensor along dimension 1 as timm's qkv.permute(2, 0, 3, 1, 4).unbind(0) does, take "
                + "each part with @Select(dim = 1, index = i) and permute what is left (the same views))",
                "Layer moved;", columnAfter(text, "Layer moved;", "dims = "));
    }

    @Test
    void mc314MatMulOfMismatchedInnerSizes() {
        String text = model("@Model(input = {8, 16})", "@Linear(out = 32) Layer k;", "@From({\"input\", \"k\"}) @MatMul Layer scores;");
        expectOnly(text, "[MC314] scores: MatMul cannot multiply the model input 8x16 by field k 8x32: inner sizes 16 and 8 differ",
                "Layer scores;", columnOf(text, "Layer scores;", "@MatMul"));
    }

    @Test
    void mc314AttentionOfAQueryAndKeyOfDifferentWidths() {
        String text = model("@Model(inputs = {@Input(name = \"q\", shape = {4, 10, 8}, layout = \"H,L,E\"), @Input(name = \"k\", shape = {4, 12, 7}, "
                + "layout = \"H,L,E\"), @Input(name = \"v\", shape = {4, 12, 6}, layout = \"H,L,E\")})",
                "@From({\"q\", \"k\", \"v\"}) @ScaledDotProductAttention Layer a;");
        expectOnly(text, "[MC314] a: ScaledDotProductAttention cannot multiply the model input q 4x10x8 by the model input k 4x12x7 transposed: inner "
                + "sizes 8 and 7 differ (fix: give the query and the key the same size on their last axis, E: the attention scores are q times k "
                + "transposed)", "Layer a;", columnOf(text, "Layer a;", "@ScaledDotProductAttention"));
    }

    @Test
    void mc124AnInputAsTheModelsOutput() {
        String text = model("@Model(input = {8, 16}, output = \"input\")", "@Linear(out = 32) Layer fc;");
        expectOnly(text, "[MC124] @Model(output = \"input\") is not one of the model's layers' results: it is one of the model's inputs, which a "
                + "model returns only through a layer", "@Model", columnAfter(text, "@Model", "output = "));
    }

    @Test
    void mc315LinearOnTokenIds() {
        String text = model("@Model(input = {128}, layout = \"L\", tokens = true)", "@Linear(out = 8) Layer fc;");
        expectOnly(text, "[MC315] fc: Linear takes values, but the model input produces 128 (L, token ids) (fix: feed token ids to an Embedding first)",
                "Layer fc;", columnOf(text, "Layer fc;", "@Linear"));
    }

    @Test
    void mc315EmbeddingOfValues() {
        String text = model("@Model(input = {16, 8})", "@Embedding(numEmbeddings = 10, embeddingDim = 4) Layer emb;");
        expectOnly(text, "[MC315] emb: Embedding takes token ids, but the model input produces 16x8 (L,D)", "Layer emb;", columnOf(text, "Layer emb;", "@Embedding"));
    }

    @Test
    void mc316SelectBeyondTheAxis() {
        String text = model("@Model(input = {197, 768})", "@Select(dim = 1, index = 197) Layer cls;");
        expectOnly(text, "[MC316] cls: Select index = 197 is out of range for an axis of size 197", "Layer cls;", columnAfter(text, "Layer cls;", "index = "));
    }

    @Test
    void mc316EmptySlice() {
        String text = model("@Model(input = {10, 4})", "@Slice(dim = 1, start = 8, end = 4) Layer part;");
        expectOnly(text, "[MC316] part: Slice slice = 8:4 is empty on an axis of size 10", "Layer part;", columnAfter(text, "Layer part;", "start = "));
    }

    @Test
    void mc310NormalizedShapeThatIsNotTheLastAxes() {
        String text = model("@Model(input = {10, 64})", "@LayerNorm(normalizedShape = {32}) Layer norm;");
        expectOnly(text, "[MC310] norm: LayerNorm normalizedShape = [32] must be the input's last axes, but the model input produces 10x64 (L,D)",
                "Layer norm;", columnAfter(text, "Layer norm;", "normalizedShape = "));
    }

    @Test
    void mc310PositionsBeyondTheEmbedding() {
        String text = model("@Model(input = {128}, layout = \"L\", tokens = true)", "@Arange Layer positions;",
                "@Embedding(numEmbeddings = 64, embeddingDim = 8) Layer wpe;");
        expectOnly(text, "[MC310] wpe: Embedding numEmbeddings = 64 must be at least 128, the ids the previous layer (positions) gives (up to 127)",
                "Layer wpe;", columnAfter(text, "Layer wpe;", "numEmbeddings = "));
    }

    @Test
    void mc310PositionsFromAnOffsetBeyondTheEmbedding() {
        // OPT's learned positions start at 2: 2,048 positions take rows 2 to 2,049 of its 2,050, and one more position is one too many.
        String text = model("@Model(input = {2049}, layout = \"L\", tokens = true)", "@Arange(start = 2) Layer positions;",
                "@Embedding(numEmbeddings = 2050, embeddingDim = 8) Layer wpe;");
        expectOnly(text, "[MC310] wpe: Embedding numEmbeddings = 2050 must be at least 2051, the ids the previous layer (positions) gives (up to 2050)",
                "Layer wpe;", columnAfter(text, "Layer wpe;", "numEmbeddings = "));
        ModelSources.compiled(text.replace("{2049}", "{2048}"));
    }

    @Test
    void mc310PositionsSlicedOrConcatenatedKeepTheirLargestId() {
        // torch.arange(2, 18)[4:8] is 6, 7, 8, 9: an Embedding of 10 rows takes them (PyTorch 1.13 runs it), one of 9 does not.
        String sliced = model("@Model(input = {16}, layout = \"L\", tokens = true)", "@Arange(start = 2) Layer positions;",
                "@Slice(start = 4, end = 8) Layer window;", "@Embedding(numEmbeddings = 10, embeddingDim = 8) Layer wpe;");
        ModelSources.compiled(sliced);
        String fewer = sliced.replace("numEmbeddings = 10", "numEmbeddings = 9");
        expectOnly(fewer, "[MC310] wpe: Embedding numEmbeddings = 9 must be at least 10, the ids the previous layer (window) gives (up to 9)",
                "Layer wpe;", columnAfter(fewer, "Layer wpe;", "numEmbeddings = "));
        // arange(16)[::4] is 0, 4, 8, 12: 13 rows; arange(16).chunk(2)[0] is 0 to 7: 8 rows.
        String strided = model("@Model(input = {16}, layout = \"L\", tokens = true)", "@Arange Layer positions;", "@Slice(step = 4) Layer every;",
                "@Embedding(numEmbeddings = 12, embeddingDim = 8) Layer wpe;");
        expectOnly(strided, "[MC310] wpe: Embedding numEmbeddings = 12 must be at least 13, the ids the previous layer (every) gives (up to 12)",
                "Layer wpe;", columnAfter(strided, "Layer wpe;", "numEmbeddings = "));
        ModelSources.compiled(strided.replace("numEmbeddings = 12", "numEmbeddings = 13"));
        String chunked = model("@Model(input = {16}, layout = \"L\", tokens = true)", "@Arange Layer positions;", "@Chunk(chunks = 2) Layer first;",
                "@Embedding(numEmbeddings = 8, embeddingDim = 8) Layer wpe;");
        ModelSources.compiled(chunked);
        expectOnly(chunked.replace("numEmbeddings = 8", "numEmbeddings = 7"), "[MC310] wpe: Embedding numEmbeddings = 7 must be at least 8, the ids the "
                + "previous layer (first) gives (up to 7)", "Layer wpe;", columnAfter(chunked, "Layer wpe;", "numEmbeddings = "));
        // torch.cat([arange(16), arange(16)]) reaches 15 (PyTorch: IndexError: index out of range in self for a table of 4 rows).
        String concatenated = model("@Model(input = {16}, layout = \"L\", tokens = true)", "@Arange Layer p1;", "@From(\"input\") @Arange Layer p2;",
                "@Concat(value = {\"p1\", \"p2\"}, dim = 1) Layer both;", "@Embedding(numEmbeddings = 4, embeddingDim = 8) Layer wpe;");
        expectOnly(concatenated, "[MC310] wpe: Embedding numEmbeddings = 4 must be at least 16, the ids the previous layer (both) gives (up to 15)",
                "Layer wpe;", columnAfter(concatenated, "Layer wpe;", "numEmbeddings = "));
    }

    @Test
    void anArangesStartFromABlocksParameter() {
        // OPT's offset of 2 passed down to a block: 2,048 positions need 2,050 rows.
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {2048}, layout = "L", tokens = true)
                public class Net {
                    @Args("offset = 2") Positions pos;

                    @Block
                    public static class Positions {
                        @Param int offset;
                        @Arange(with = "start = offset") Layer ids;
                        @Embedding(numEmbeddings = 2050, embeddingDim = 8) Layer wpe;
                    }
                }
                """;
        ModelSources.compiled(text);
        String fewer = text.replace("numEmbeddings = 2050", "numEmbeddings = 2049");
        expectInBlock(fewer, "[MC310] pos.wpe: Embedding numEmbeddings = 2049 must be at least 2050, the ids the previous layer (pos.ids) gives (up to 2049)",
                "Layer wpe;", columnAfter(fewer, "Layer wpe;", "numEmbeddings = "), "Positions pos;");
    }

    @Test
    void mc311SelectingOnePositionOfPositionsSaysToSliceIt() {
        String text = model("@Model(input = {16}, layout = \"L\", tokens = true)", "@Arange Layer pos;", "@Select(dim = 1, index = -1) Layer last;",
                "@Embedding(numEmbeddings = 16, embeddingDim = 8) Layer wpe;");
        expectOnly(text, "[MC311] last: Select dim = 1 does not fit an input of 2 dimensions (batch included) (fix: selecting from a tensor of one "
                + "axis and no batch (positions) would leave a single number, which no layer here takes; slice one position instead "
                + "(@Slice(start = -1)))", "Layer last;", columnAfter(text, "Layer last;", "dim = "));
        ModelSources.compiled(text.replace("@Select(dim = 1, index = -1)", "@Slice(start = -1)"));
    }

    @Test
    void mc310ANegativeArangeStart() {
        String text = model("@Model(input = {16}, layout = \"L\", tokens = true)", "@Arange(start = -1) Layer positions;",
                "@Embedding(numEmbeddings = 64, embeddingDim = 8) Layer wpe;");
        expectOnly(text, "[MC310] positions: Arange start = -1 must be at least 0", "Layer positions;", columnAfter(text, "Layer positions;", "start = "));
    }

    @Test
    void mc307AddOfActivationsOfDifferentRank() {
        String text = model("@Model(input = {3, 5}, batch = 2)", "@Select(dim = 1, index = 0) Layer row;", "@Add({\"input\", \"row\"}) Layer sum;");
        expectOnly(text, "[MC307] sum: Add cannot combine input 3x5 and row 5 (activations of different rank: PyTorch lines the batch of one up with an axis"
                + " of the other; reshape one so that both have the same axes)", "Layer sum;", columnAfter(text, "Layer sum;", "@Add("));
    }

    @Test
    void mc307MatMulOfActivationsOfDifferentRank() {
        String text = model("@Model(input = {2, 5, 8}, layout = \"H,L,D\")", "@Select(dim = 1, index = 0) Layer k;",
                "@From({\"input\", \"k\"}) @MatMul(transposeB = true) Layer scores;");
        expectOnly(text, "[MC307] scores: MatMul cannot combine the model input 2x5x8 and field k 5x8 (activations of different rank",
                "Layer scores;", columnOf(text, "Layer scores;", "@MatMul"));
    }

    @Test
    void aConcatOfIdsAndValuesIsValues() {
        // PyTorch 1.13: torch.cat([torch.randint(0, 100, (1, 16)), torch.randn(1, 16)], 1) promotes the ids, a float32 1 x 32 tensor,
        // which nn.Linear(32, 4) takes: 32 · 4 = 128 MACs (a Linear on the ids alone is MC315)
        String text = model("@Model(input = {16}, layout = \"L\", tokens = true)", "@Embedding(numEmbeddings = 10, embeddingDim = 1) Layer emb;",
                "@Reshape(shape = {16}) Layer flat;", "@Concat(value = {\"input\", \"flat\"}, dim = 1) Layer both;", "@Linear(out = 4) Layer head;");
        assertEquals(128L, ModelSources.constant(ModelSources.compiled(text), "test.NetCost", "MACS"));
    }

    @Test
    void mc310AReshapeLayoutThatRepeatsAnAxisName() {
        String text = model("@Model(input = {8, 16})", "@Reshape(shape = {8, 4, 4}, layout = \"L,A,A\") Layer heads;");
        expectOnly(text, "[MC310] heads: Reshape layout = 'L,A,A' must be 3 distinct axis names separated by commas: 'A' is written twice", "Layer heads;",
                columnAfter(text, "Layer heads;", "layout = "));
        String umlaut = model("@Model(input = {8, 16})", "@Reshape(shape = {8, 4, 4}, layout = \"L,L\u00e4nge,D\") Layer heads;");
        expectOnly(umlaut, "[MC310] heads: Reshape layout = 'L,L\u00e4nge,D' must be 3 distinct axis names separated by commas: 'L\u00e4nge' is no "
                + "axis name; an axis name is ASCII letters, digits and _, starting with a letter", "Layer heads;", columnAfter(umlaut, "Layer heads;", "layout = "));
    }
}
