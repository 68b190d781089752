package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.compile;
import static dev.modelcost.processor.ModelSources.constant;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.lineOf;
import static dev.modelcost.processor.ModelSources.model;
import static dev.modelcost.processor.ModelSources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Weight bytes at the model's dtype and a layer's {@code @Dtype}, derived by hand, and their diagnostics. */
class DtypeTest {
    /** Linear 1000 -> 300 (300,300 parameters) and Linear 300 -> 10 (3,010). */
    private static long weightBytes(String header, String first) {
        Compilation compilation = compile(source("test.Net", model(header, first + " @Linear(out = 300) Layer fc1;", "@Linear(out = 10) Layer fc2;")));
        assertThat(compilation).succeeded();
        return constant(compilation, "test.NetCost", "WEIGHT_BYTES");
    }

    @Test
    void parametersTakeTheModelsDtype() {
        assertEquals(4 * 303_310L, weightBytes("@Model(input = {1000})", ""));
        assertEquals(2 * 303_310L, weightBytes("@Model(input = {1000}, dtype = \"bf16\")", ""));
        assertEquals(303_310L, weightBytes("@Model(input = {1000}, dtype = \"int8\")", ""));
    }

    @Test
    void int4PacksTwoWeightsABytePlusAnFp16ScalePerStartedGroup() {
        // fc1: 300,300 / 2 = 150,150 bytes + 2 x ceil(300,300 / 128) = 2 x 2,347; fc2: 3,010 / 2 = 1,505 + 2 x ceil(3,010 / 128) = 2 x 24
        assertEquals(150_150 + 2 * 2_347 + 1_505 + 2 * 24, weightBytes("@Model(input = {1000}, dtype = \"int4\")", ""));
        // groups of 64: ceil(300,300 / 64) = 4,693, ceil(3,010 / 64) = 48
        assertEquals(150_150 + 2 * 4_693 + 1_505 + 2 * 48, weightBytes("@Model(input = {1000}, dtype = \"int4-g64\")", ""));
    }

    @Test
    void aLayersDtypeOverridesTheModels() {
        // fc1 in int8 (300,300 bytes), fc2 at the model's bf16 (6,020)
        assertEquals(300_300 + 6_020, weightBytes("@Model(input = {1000}, dtype = \"bf16\")", "@Dtype(weights = \"int8\")"));
    }

    @Test
    void aWeightBudgetFailsOnTheBoundWithTheLayersThatWeighMost() {
        String text = model("@Model(input = {1000}, dtype = \"fp16\")\n@Budget(maxWeightBytes = 600_000)", "@Linear(out = 300) Layer fc1;",
                "@Linear(out = 10) Layer fc2;");
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[MC402] WEIGHT_BYTES = 606,620 exceeds the budget maxWeightBytes = 600,000 by 1.1%; "
                + "largest: fc1 (Linear) 600,600 = 99.0%, fc2 (Linear) 6,020 = 1.0%").inFile(file).onLine(lineOf(file, "maxWeightBytes")).atColumn(26);
    }

    @Test
    void anUnknownModelDtypeIsRefusedOnTheAttribute() {
        expectOnly(model("@Model(input = {4}, dtype = \"fp64\")", "@Linear(out = 2) Layer fc;"),
                "[MC124] @Model(dtype = \"fp64\") is not one of [fp32, fp16, bf16, fp8, int8, int4", "dtype = ", 29);
    }

    @Test
    void pytorchsNamesOfDtypesGetModelcostsOwn() {
        // Hugging Face's config.json says "torch_dtype": "bfloat16"; PyTorch names fp16 float16 or half
        expectOnly(model("@Model(input = {4}, dtype = \"bfloat16\")", "@Linear(out = 2) Layer fc;"),
                "[MC124] @Model(dtype = \"bfloat16\") is not one of [fp32, fp16, bf16, fp8, int8, int4, int4-g<N> (N weights per fp16 scale, "
                + "1 to 999,999,999, no leading zero)]; did you mean 'bf16'? (PyTorch's bfloat16)", "dtype = ", 29);
        expectOnly(model("@Model(input = {4}, kvCacheDtype = \"torch.float16\")", "@Linear(out = 2) Layer fc;"),
                "[MC124] @Model(kvCacheDtype = \"torch.float16\") is not one of [fp32, fp16, bf16, fp8, int8]; did you mean 'fp16'? (PyTorch's "
                + "torch.float16)", "kvCacheDtype = ", 36);
        expectOnly(model("@Model(input = {4})", "@Dtype(activations = \"half\") @Linear(out = 2) Layer fc;"),
                "[MC128] @Dtype(activations = \"half\") on field fc is not a dtype modelcost knows; did you mean 'fp16'? (PyTorch's half)",
                "Layer fc;", 26);
    }

    @Test
    void anUnknownLayerDtypeIsRefusedOnTheAnnotationValue() {
        expectOnly(model("@Model(input = {4})", "@Dtype(weights = \"int3\") @Linear(out = 2) Layer fc;"),
                "[MC128] @Dtype(weights = \"int3\") on field fc is not a dtype modelcost knows", "Layer fc;", 22);
    }

    @Test
    void aDtypeOnABlockIsRefused() {
        String text = "package test;\n\nimport dev.modelcost.*;\n\n@Model(input = {4})\npublic class Net {\n"
                + "    @Dtype(weights = \"int8\") Head head;\n\n    @Block static class Head {\n        @Linear(out = 2) Layer fc;\n    }\n}\n";
        expectOnly(text, "[MC129] @Dtype on field head, which applies a block", "Head head;", 22);
    }

    @Test
    void aDtypeOnAParameterIsRefusedOnceAndSaysWhy() {
        // One error: the field that reads the refused one is not told it names no field.
        String text = "package test;\n\nimport dev.modelcost.*;\n\n@Model(input = {10, 16}, layout = \"L,D\")\npublic class Net {\n"
                + "    @Dtype(weights = \"bf16\") @Parameter(shape = {10, 16}, layout = \"L,D\") Layer p;\n"
                + "    @Add({\"input\", \"p\"}) Layer s;\n}\n";
        expectOnly(text, "[MC129] @Dtype on field p, which is a tensor the model holds (Parameter), at the model's dtypes", "Layer p;", 22);
    }

    @Test
    void weightBytesOfAHugeLayerAreCountedWithoutAnIntermediateOverflow() {
        // 600,000,000 x 600,000,000 = 3.6e17 parameters: 1.44e18 bytes at fp32 (4 x 3.6e17 fits, 32 bits x 3.6e17 would not)
        Compilation compilation = compile(source("test.Net", model("@Model(input = {600_000_000})", "@Linear(out = 600_000_000, bias = false) Layer fc;")));
        assertThat(compilation).succeeded();
        assertEquals(4 * 360_000_000_000_000_000L, constant(compilation, "test.NetCost", "WEIGHT_BYTES"));
    }
    @Test
    void mc142WeightsOnALayerWithoutParametersIsAWarning() {
        // ReLU holds no parameters, and BatchNorm2d(affine = false) only buffers, which are at the activations' dtype: the weights'
        // dtype changes no figure; the Linear's is the model's, so its weight bytes are 4 x (16 x 8 + 8).
        JavaFileObject file = source("test.Net", model("@Model(input = {4, 4, 4})",
                "@Conv2d(cout = 8, k = 3, padding = 1, bias = false) @Dtype(weights = \"int8\") Layer conv;",
                "@Dtype(weights = \"int8\") @ReLU Layer relu;",
                "@Dtype(weights = \"int4\", activations = \"fp16\") @BatchNorm2d(affine = false) Layer bn;",
                "@AdaptiveAvgPool2d(1) Layer pool;", "@Flatten Layer flat;", "@Linear(out = 16) Layer fc;"));
        Compilation compilation = compile(file);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(2);
        assertThat(compilation).hadWarningContaining("[MC142] Net: @Dtype(weights = \"int8\") on field relu, whose ReLU holds no parameters of its own")
                .inFile(file).onLineContaining("Layer relu;");
        assertThat(compilation).hadWarningContaining("[MC142] Net: @Dtype(weights = \"int4\") on field bn, whose BatchNorm2d holds no parameters")
                .inFile(file).onLineContaining("Layer bn;");
        // conv: 8 x 4 x 9 = 288 weights at int8; fc: 8 x 16 + 16 = 144 at fp32
        assertEquals(288 + 4 * 144, constant(compilation, "test.NetCost", "WEIGHT_BYTES"));
    }

    @Test
    void mc142AHeadTiedToAnEmbeddingReadsThatTablesDtype() {
        // Another dtype than the table's is MC310; the same one says nothing either.
        JavaFileObject file = source("test.Net", model("@Model(input = {10}, layout = \"L\", tokens = true)",
                "@Embedding(numEmbeddings = 100, embeddingDim = 16) Layer wte;",
                "@Dtype(weights = \"fp32\") @Linear(out = 100, bias = false, tiedTo = \"wte\") Layer head;"));
        Compilation compilation = compile(file);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningContaining("[MC142] Net: @Dtype(weights = \"fp32\") on field head, whose Linear reads the table of wte, "
                + "at that layer's dtype").inFile(file).onLineContaining("Layer head;");
        // the table once, at fp32: 100 x 16 x 4
        assertEquals(6_400, constant(compilation, "test.NetCost", "WEIGHT_BYTES"));
    }

    @Test
    void mc142NotWhereSomeCallOfTheBlockHoldsParameters() {
        // One block, applied with affine = true (16 parameters at int8) and affine = false: the dtype counts in the first call.
        JavaFileObject block = source("test.Norm", """
                package test;

                import dev.modelcost.*;

                @Block
                public class Norm {
                    @Param boolean affine;
                    @Dtype(weights = "int8") @BatchNorm2d(with = "affine = affine") Layer bn;
                }
                """);
        JavaFileObject net = source("test.Net", model("@Model(input = {8, 4, 4})", "@Args(\"affine = true\") Norm first;",
                "@Args(\"affine = false\") Norm second;"));
        Compilation compilation = compile(block, net);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(0);
        assertEquals(16, constant(compilation, "test.NetCost", "WEIGHT_BYTES"));
        // Applied without parameters only, it warns once, on the block's field.
        Compilation none = compile(block, source("test.Net", model("@Model(input = {8, 4, 4})", "@Args(\"affine = false\") Norm first;",
                "@Args(\"affine = false\") Norm second;")));
        assertThat(none).succeeded();
        assertThat(none).hadWarningCount(1);
        assertThat(none).hadWarningContaining("[MC142] Norm: @Dtype(weights = \"int8\") on field bn").inFile(block).onLineContaining("Layer bn;");
    }
}
