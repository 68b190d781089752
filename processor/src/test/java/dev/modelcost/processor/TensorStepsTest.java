package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.compile;
import static dev.modelcost.processor.ModelSources.constant;
import static dev.modelcost.processor.ModelSources.model;
import static dev.modelcost.processor.ModelSources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/** Tensors a module holds and reads as steps: an {@code nn.Parameter} and a buffer, by hand. */
class TensorStepsTest {

    /** The PyTorch tutorials' PositionalEncoding: a 50 x 16 table, sliced to the 10 positions and added, held as {@code kind}. */
    private static Compilation positionalEncoding(String kind) {
        Compilation compilation = compile(source("test.Net", model("@Model(input = {10, 16}, layout = \"L,D\")",
                "@" + kind + "(shape = {50, 16}, layout = \"L,D\") Layer pe;", "@Slice(dim = 1, end = 10) Layer pe_l;",
                "@Add({\"input\", \"pe_l\"}) Layer sum;")));
        assertThat(compilation).succeeded();
        return compilation;
    }

    @Test
    void aRegisteredBufferCountsAsBuffersAndAParameterAsParameters() {
        // register_buffer("pe", torch.zeros(50, 16)): module.buffers() lists 800 elements, module.parameters() none.
        Compilation buffer = positionalEncoding("Buffer");
        assertEquals(0, constant(buffer, "test.NetCost", "PARAMS"));
        assertEquals(50 * 16, constant(buffer, "test.NetCost", "BUFFERS"));
        assertEquals(0, constant(buffer, "test.NetCost", "WEIGHT_BYTES"));
        // Inference memory: the buffer at the activation dtype (fp32), 800 x 4, besides the activation peak.
        assertEquals(50 * 16 * 4, constant(buffer, "test.NetCost", "INFERENCE_MEMORY_BYTES") - constant(buffer, "test.NetCost", "PEAK_ACTIVATION_BYTES"));
        // The add: 10 x 16 other ops, either way.
        assertEquals(10 * 16, constant(buffer, "test.NetCost", "OTHER_OPS"));
        // An nn.Parameter of the same shape: 800 parameters, 3,200 bytes of weights.
        Compilation parameter = positionalEncoding("Parameter");
        assertEquals(50 * 16, constant(parameter, "test.NetCost", "PARAMS"));
        assertEquals(0, constant(parameter, "test.NetCost", "BUFFERS"));
        assertEquals(50 * 16 * 4, constant(parameter, "test.NetCost", "WEIGHT_BYTES"));
        assertEquals(10 * 16, constant(parameter, "test.NetCost", "OTHER_OPS"));
    }

    @Test
    void aLayerOnABufferAloneRunsOnceWhateverTheBatch() {
        // self.lin(self.pe) on a (10, 16) buffer: one (10, 16) output, 10 x 16 x 16 MACs, then added to the (3, 10, 16) input.
        Compilation compilation = compile(source("test.Net", model("@Model(input = {10, 16}, layout = \"L,D\", batch = 3)",
                "@Buffer(shape = {10, 16}, layout = \"L,D\") Layer pe;", "@Linear(out = 16, bias = false) Layer lin;",
                "@Add({\"input\", \"lin\"}) Layer sum;")));
        assertThat(compilation).succeeded();
        assertEquals(10 * 16 * 16, constant(compilation, "test.NetCost", "MACS"));
        assertEquals(3 * 10 * 16, constant(compilation, "test.NetCost", "OTHER_OPS"));
    }
}
