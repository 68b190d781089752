package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import org.junit.jupiter.api.Test;

/**
 * A block is analysed once per distinct (arguments, input shape): repeating it 10,000 times takes
 * as many analyses as repeating it 10 times, and the totals are still exact.
 */
class MemoizedAnalysisTest {

    private static Compilation compile(int repeat, String first) {
        String source = """
                package test;

                import dev.modelcost.*;

                @Model(input = {16, 8, 8})
                public class Deep {
                    @Args("c = 16") @Repeat(value = %d, first = "%s") Unit units;

                    @Block
                    public static class Unit {
                        @Param int c;
                        @Param(1) int s;
                        @Conv2d(k = 3, padding = 1, bias = false, with = "cout = c, stride = s") Layer conv;
                        @ReLU Layer relu;
                    }
                }
                """.formatted(repeat, first);
        return javac().withProcessors(new ModelCostProcessor()).withOptions("-Amodelcost.stats=true")
                .compile(JavaFileObjects.forSourceString("test.Deep", source));
    }

    @Test
    void tenThousandRepetitionsTakeOneAnalysis() {
        // One unit on 16x8x8: conv K = 16 * 9 = 144, 16 * 64 = 1,024 outputs: 147,456 MACs,
        // 1,024 * (288 - 1) = 293,888 FLOPs, 16 * 144 = 2,304 params; ReLU 1,024 other ops.
        // 10,000 units: 1,474,560,000 MACs; 2,938,880,000 FLOPs; 23,040,000 params; 10,240,000 other ops.
        Compilation compilation = compile(10_000, "s = 1");
        assertThat(compilation).succeeded();
        assertThat(compilation).hadNoteContaining("[modelcost] test.Deep: 20,000 leaves, 1 block analyses");
        assertThat(compilation).generatedSourceFile("test.DeepCost").contentsAsUtf8String().contains("MACS = 1474560000L;");
        assertThat(compilation).generatedSourceFile("test.DeepCost").contentsAsUtf8String().contains("FLOPS = 2938880000L;");
        assertThat(compilation).generatedSourceFile("test.DeepCost").contentsAsUtf8String().contains("PARAMS = 23040000L;");
        assertThat(compilation).generatedSourceFile("test.DeepCost").contentsAsUtf8String().contains("OTHER_OPS = 10240000L;");
    }

    @Test
    void tenRepetitionsTakeTheSameSingleAnalysis() {
        Compilation compilation = compile(10, "s = 1");
        assertThat(compilation).succeeded();
        assertThat(compilation).hadNoteContaining("[modelcost] test.Deep: 20 leaves, 1 block analyses");
    }

    @Test
    void aStridedFirstRepetitionIsOneMoreDistinctAnalysis() {
        // The first unit strides 8x8 down to 4x4; the other 9,999 all see 16x4x4 with the same arguments.
        Compilation compilation = compile(10_000, "s = 2");
        assertThat(compilation).succeeded();
        assertThat(compilation).hadNoteContaining("[modelcost] test.Deep: 20,000 leaves, 2 block analyses");
        assertThat(compilation).generatedSourceFile("test.DeepCost").contentsAsUtf8String().contains("OUTPUT_SHAPE = \"1x16x4x4\";");
    }
}
