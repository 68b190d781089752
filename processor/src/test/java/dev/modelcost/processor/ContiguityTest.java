package dev.modelcost.processor;

import static dev.modelcost.processor.ModelSources.compiled;
import static dev.modelcost.processor.ModelSources.constant;
import static dev.modelcost.processor.ModelSources.model;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Views that are not contiguous (a transpose, a slice, a chunk, a batch-first recurrent layer's or attention's output) change the
 * kernel PyTorch 1.13 runs, and so what ptflops' aten backend counts: a Linear or a recurrent input projection on a contiguous
 * 3-d tensor is one {@code addmm}, its bias counted; on any other, {@code matmul} and an add, which is not. The expected numbers
 * are {@code tools/pytorch/contiguity-costs.tsv}, which {@code tools/pytorch/measure_contiguity.py} wrote with ptflops 0.7.6
 * at batches 1, 2 and 3.
 */
class ContiguityTest {

    /** Each case: the model's header (its input, with {@code %d} for the batch) and fields, and ptflops' aten MACs at batch 1, 2, 3. */
    private static final Map<String, Object[]> CASES = new LinkedHashMap<>();

    static {
        String sequence = "@Model(input = {8, 8}, layout = \"L,D\", batch = %d)";
        CASES.put("gru_gru", new Object[] {"@Model(input = {3, 4}, layout = \"L,D\", batch = %d)",
            new String[] {"@GRU(hiddenSize = 5, batchFirst = true) Layer g1;", "@GRU(hiddenSize = 6, batchFirst = true) Layer g2;"},
            new long[] {1_197, 2_304, 3_456}});
        CASES.put("conv_lstm", new Object[] {"@Model(input = {4, 9}, layout = \"C,L\", batch = %d)",
            new String[] {"@Conv1d(cout = 8, k = 3, padding = 1) Layer conv;", "@Transpose(dim0 = 1, dim1 = 2) Layer seqfirst;",
                "@LSTM(hiddenSize = 5) Layer lstm;"},
            new long[] {3_456, 6_912, 10_368}});
        CASES.put("slice_last_linear", new Object[] {sequence, new String[] {"@Slice(dim = 1, start = -1) Layer s;", "@Linear(out = 4) Layer fc;"},
            new long[] {36, 64, 96}});
        CASES.put("slice_linear", new Object[] {sequence, new String[] {"@Slice(dim = 1, start = 1, end = 8) Layer s;", "@Linear(out = 4) Layer fc;"},
            new long[] {252, 448, 672}});
        CASES.put("chunk_linear", new Object[] {sequence, new String[] {"@Chunk(chunks = 2, index = 0, dim = 2) Layer c;", "@Linear(out = 4) Layer fc;"},
            new long[] {128, 256, 384}});
        CASES.put("transpose_linear", new Object[] {sequence, new String[] {"@Transpose(dim0 = 1, dim1 = 2) Layer t;", "@Linear(out = 4) Layer fc;"},
            new long[] {256, 512, 768}});
        CASES.put("transpose_reshape_linear", new Object[] {sequence,
            new String[] {"@Transpose(dim0 = 1, dim1 = 2) Layer t;", "@Reshape(shape = {4, 16}) Layer r;", "@Linear(out = 4) Layer fc;"},
            new long[] {272, 544, 816}});
        // after a transpose, an activation keeps the layout, a norm or a softmax writes a contiguous tensor; after a slice along the
        // sequence or a chunk of the features, an activation writes a contiguous one
        CASES.put("transpose_relu_linear", new Object[] {sequence,
            new String[] {"@Transpose(dim0 = 1, dim1 = 2) Layer t;", "@ReLU Layer act;", "@Linear(out = 4) Layer fc;"}, new long[] {256, 512, 768}});
        CASES.put("transpose_gelu_linear", new Object[] {sequence,
            new String[] {"@Transpose(dim0 = 1, dim1 = 2) Layer t;", "@GELU Layer act;", "@Linear(out = 4) Layer fc;"}, new long[] {256, 512, 768}});
        CASES.put("transpose_layernorm_linear", new Object[] {sequence,
            new String[] {"@Transpose(dim0 = 1, dim1 = 2) Layer t;", "@LayerNorm Layer norm;", "@Linear(out = 4) Layer fc;"}, new long[] {288, 576, 864}});
        CASES.put("transpose_softmax_linear", new Object[] {sequence,
            new String[] {"@Transpose(dim0 = 1, dim1 = 2) Layer t;", "@Softmax Layer p;", "@Linear(out = 4) Layer fc;"}, new long[] {288, 576, 864}});
        CASES.put("slice_relu_linear", new Object[] {sequence,
            new String[] {"@Slice(dim = 1, start = 1, end = 8) Layer s;", "@ReLU Layer act;", "@Linear(out = 4) Layer fc;"}, new long[] {252, 504, 756}});
        CASES.put("chunk_relu_linear", new Object[] {sequence,
            new String[] {"@Chunk(chunks = 2, index = 0, dim = 2) Layer c;", "@ReLU Layer act;", "@Linear(out = 4) Layer fc;"}, new long[] {160, 320, 480}});
        // PReLU and LogSigmoid write contiguous tensors whatever their input; an in-place activation writes into its input
        CASES.put("transpose_prelu_linear", new Object[] {sequence,
            new String[] {"@Transpose(dim0 = 1, dim1 = 2) Layer t;", "@PReLU Layer act;", "@Linear(out = 4) Layer fc;"}, new long[] {288, 576, 864}});
        CASES.put("transpose_logsigmoid_linear", new Object[] {sequence,
            new String[] {"@Transpose(dim0 = 1, dim1 = 2) Layer t;", "@LogSigmoid Layer act;", "@Linear(out = 4) Layer fc;"}, new long[] {288, 576, 864}});
        CASES.put("chunk_inplace_relu_linear", new Object[] {sequence,
            new String[] {"@Chunk(chunks = 2, index = 0, dim = 2) Layer c;", "@ReLU(inplace = true) Layer act;", "@Linear(out = 4) Layer fc;"},
            new long[] {128, 256, 384}});
        // a sum is laid out as its first operand
        String recurrent = "@Model(input = {5, 8}, layout = \"L,D\", batch = %d)";
        CASES.put("lstm_add_linear", new Object[] {recurrent, new String[] {"@LSTM(hiddenSize = 8, batchFirst = true) Layer lstm;",
            "@Add({\"lstm\", \"input\"}) Layer sum;", "@Linear(out = 3) Layer fc;"}, new long[] {3_015, 5_680, 8_520}});
        CASES.put("add_lstm_linear", new Object[] {recurrent, new String[] {"@LSTM(hiddenSize = 8, batchFirst = true) Layer lstm;",
            "@Add({\"input\", \"lstm\"}) Layer sum;", "@Linear(out = 3) Layer fc;"}, new long[] {3_015, 5_710, 8_565}});
        // a sequence-first LSTM fed a batch-first one's output: its code transposes it to (L, N, F), contiguous again
        CASES.put("lstm_seqfirst_lstm", new Object[] {"@Model(input = {5, 6}, layout = \"L,D\", batch = %d)",
            new String[] {"@LSTM(hiddenSize = 8, batchFirst = true) Layer a;", "@LSTM(hiddenSize = 4) Layer b;"}, new long[] {3_680, 7_040, 10_560}});
        CASES.put("lstm_linear", new Object[] {"@Model(input = {5, 6}, layout = \"L,D\", batch = %d)",
            new String[] {"@LSTM(hiddenSize = 8, batchFirst = true) Layer lstm;", "@Linear(out = 3) Layer fc;"},
            new long[] {2_695, 5_040, 7_560}});
        CASES.put("lstm_attention", new Object[] {"@Model(input = {5, 6}, layout = \"L,D\", batch = %d)",
            new String[] {"@LSTM(hiddenSize = 8, batchFirst = true) Layer lstm;", "@MultiheadAttention(numHeads = 2, batchFirst = true) Layer attn;"},
            new long[] {4_400, 8_480, 12_720}});
        CASES.put("attention_lstm", new Object[] {"@Model(input = {5, 8}, layout = \"L,D\", batch = %d)",
            new String[] {"@MultiheadAttention(numHeads = 2, batchFirst = true) Layer attn;", "@LSTM(hiddenSize = 4, batchFirst = true) Layer lstm;"},
            new long[] {2_960, 5_680, 8_520}});
    }

    @Test
    void ptflopsAtenCountsABiasOnlyWhereTheTensorItProjectsIsContiguous() {
        CASES.forEach((name, c) -> {
            long[] measured = (long[]) c[2];
            for (int batch = 1; batch <= 3; batch++) {
                String text = model(((String) c[0]).formatted(batch), (String[]) c[1]);
                assertEquals(measured[batch - 1], constant(compiled(text), "test.NetCost", "PTFLOPS_ATEN_MACS"), name + " at batch " + batch);
            }
        });
    }
}
