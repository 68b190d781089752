package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.layers.LayerResult;
import dev.modelcost.processor.layers.OpKind;
import dev.modelcost.processor.layers.OpRegistry;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/**
 * Attention written with the fused {@code MultiheadAttention} and by hand (projections, matrix
 * products, softmax) costs the same; a new operation kind is one annotation and one registration.
 */
class AttentionTest {

    /** A post-norm encoder block (d 64, 4 heads, FFN 128) on 10 tokens, with attention as {@code attention} writes it. */
    private static JavaFileObject encoder(String name, String attention) {
        return JavaFileObjects.forSourceString("test." + name, """
                package test;

                import dev.modelcost.*;

                @Model(input = {10, 64}, layout = "L,D")
                public class %s {
                    %s
                    @Add({"input", "attn"})    Layer residual1;
                    @LayerNorm                 Layer norm1;
                    @Linear(out = 128)         Layer linear1;
                    @ReLU                      Layer act;
                    @Linear(out = 64)          Layer linear2;
                    @Add({"norm1", "linear2"}) Layer residual2;
                    @LayerNorm                 Layer norm2;
                }
                """.formatted(name, attention));
    }

    private static final String FUSED = "@MultiheadAttention(numHeads = 4) Layer attn;";

    /** What nn.MultiheadAttention computes, written out: the query scaled before Q·Kᵀ, as PyTorch scales it. */
    private static final String BY_HAND = """
            @Linear(out = 64)                                                          Layer q;
            @Scale                                                                     Layer qs;
            @Reshape(shape = {10, 4, 16}, layout = "L,H,D")                            Layer qr;
            @Permute(dims = {0, 2, 1, 3})                                              Layer qh;
            @From("input") @Linear(out = 64)                                           Layer k;
            @Reshape(shape = {10, 4, 16}, layout = "L,H,D")                            Layer kr;
            @Permute(dims = {0, 2, 1, 3})                                              Layer kh;
            @From("input") @Linear(out = 64)                                           Layer v;
            @Reshape(shape = {10, 4, 16}, layout = "L,H,D")                            Layer vr;
            @Permute(dims = {0, 2, 1, 3})                                              Layer vh;
            @From({"qh", "kh"}) @MatMul(transposeB = true)                             Layer scores;
            @Softmax                                                                   Layer probs;
            @From({"probs", "vh"}) @MatMul                                             Layer context;
            @Permute(dims = {0, 2, 1, 3})                                              Layer merged;
            @Reshape(shape = {10, 64})                                                 Layer flat;
            @Linear(out = 64)                                                          Layer attn;""";

    @Test
    void fusedAndHandWrittenAttentionCostTheSame() {
        Compilation compilation = ModelSources.compile(encoder("Fused", FUSED), encoder("ByHand", BY_HAND));
        assertThat(compilation).succeeded();
        for (Figure figure : Figure.values()) {
            // A decoding step: the fused attention without a causal mask is an encoder's, which decodes nothing; the one written out
            // with @MatMul has no mask to say so, and decodes as any layer (34,048: every layer on one of the 10 tokens).
            if (figure != Figure.BYTES_MOVED && figure != Figure.DECODE_MACS) {
                assertEquals(ModelSources.constant(compilation, "test.ByHandCost", figure.name()), ModelSources.constant(compilation, "test.FusedCost", figure.name()), figure.name());
            }
        }
        assertEquals(0, ModelSources.constant(compilation, "test.FusedCost", "DECODE_MACS"));
        assertEquals(340_480 / 10, ModelSources.constant(compilation, "test.ByHandCost", "DECODE_MACS"));
        // The fused module is one kernel: the projections' and heads' tensors in between are never written out.
        assertTrue(ModelSources.constant(compilation, "test.FusedCost", "BYTES_MOVED") < ModelSources.constant(compilation, "test.ByHandCost", "BYTES_MOVED"));
        // Hand derivation: projections 4 * 10 * 64 * 64 = 163,840; Q.K^T and A.V 2 * 4 * 10 * 10 * 16 = 12,800;
        // FFN 10 * 64 * 128 * 2 = 163,840.
        assertEquals(163_840 + 12_800 + 163_840, ModelSources.constant(compilation, "test.FusedCost", "MACS"));
        assertEquals(12_800, ModelSources.constant(compilation, "test.FusedCost", "MATMUL_MACS"));
        // Attention 4 * 64 * 64 + 4 * 64; two LayerNorms 2 * 128; FFN 64 * 128 + 128 + 128 * 64 + 64.
        assertEquals(16_640 + 256 + 16_576, ModelSources.constant(compilation, "test.FusedCost", "PARAMS"));
    }

    @Test
    void aNewKindIsOneAnnotationAndOneRegistration() {
        JavaFileObject annotation = JavaFileObjects.forSourceString("test.Swish", """
                package test;

                import java.lang.annotation.*;

                /** x * sigmoid(beta * x) with a learned beta per feature. */
                @Retention(RetentionPolicy.CLASS)
                @Target(ElementType.FIELD)
                public @interface Swish {
                    boolean learnBeta() default true;
                }
                """);
        JavaFileObject model = JavaFileObjects.forSourceString("test.Net", """
                package test;

                import dev.modelcost.*;

                @Model(input = {10, 32})
                public class Net {
                    @Linear(out = 16) Layer fc;
                    @Swish            Layer act;
                }
                """);
        // One registration: beta has one parameter per feature; 4 other ops per element (multiply, sigmoid, multiply).
        OpRegistry registry = OpRegistry.builtIns().with(new OpKind("test.Swish", "Swish", true, 1, 1, null, false,
                "4 per element", (attrs, in) -> new LayerResult(in.shape(),
                        Costs.otherOps(4 * in.batchElements(in.shape())).with(Figure.PARAMS, attrs.flag("learnBeta") ? in.shape().last() : 0))));
        Compilation compilation = Compiler.javac().withProcessors(new ModelCostProcessor(registry)).compile(annotation, model);
        assertThat(compilation).succeeded();
        // fc: 32 * 16 + 16 = 528 params; act: 16.
        assertEquals(528 + 16, ModelSources.constant(compilation, "test.NetCost", "PARAMS"));
        assertEquals(4 * 10 * 16, ModelSources.constant(compilation, "test.NetCost", "OTHER_OPS"));
        assertThat(compilation).generatedFile(StandardLocation.CLASS_OUTPUT, "", "META-INF/modelcost/test.Net.json")
                .contentsAsUtf8String().contains("\"kind\":\"Swish\"");
        assertThat(compilation).generatedSourceFile("test.NetCost").contentsAsUtf8String().contains("Swish: 4 per element");
    }

    @Test
    void withoutTheRegistrationTheAnnotatedFieldIsAnError() {
        JavaFileObject annotation = JavaFileObjects.forSourceString("test.Swish", """
                package test;

                public @interface Swish {}
                """);
        JavaFileObject model = JavaFileObjects.forSourceString("test.Net", """
                package test;

                import dev.modelcost.*;

                @Model(input = {10, 32})
                public class Net {
                    @Swish Layer act;
                }
                """);
        Compilation compilation = ModelSources.compile(annotation, model);
        assertThat(compilation).hadErrorContaining("[MC109] field act is a Layer without a layer annotation");
    }
}
