package dev.modelcost.examples;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.modelcost.processor.ModelCostProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The decoder examples compiled again at other sequence lengths give the MACs PyTorch measures at
 * those lengths ({@code tools/pytorch/decoder-costs.tsv}, from {@code measure_decoders.py}; every
 * mm, addmm, bmm at batch 1): the cost is the exact polynomial a·T + b·T² the spec implies.
 */
class SequenceLengthTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/modelcost/examples");

    /** The example's sources with its input length replaced, compiled with the processor. */
    private static Compilation compileAt(String model, int declared, int length, String... blocks) {
        List<JavaFileObject> files = new ArrayList<>();
        try {
            String source = Files.readString(SOURCES.resolve(model + ".java"));
            String input = "input = {" + declared + "}";
            assertTrue(source.contains(input), model + " declares " + input);
            files.add(JavaFileObjects.forSourceString("dev.modelcost.examples." + model, source.replace(input, "input = {" + length + "}")));
            for (String block : blocks) {
                files.add(JavaFileObjects.forSourceString("dev.modelcost.examples." + block, Files.readString(SOURCES.resolve(block + ".java"))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Compiler.javac().withProcessors(new ModelCostProcessor()).withOptions("-Amodelcost.reports=none").compile(files);
    }

    private static long constant(Compilation compilation, String model, String name) {
        try {
            String source = compilation.generatedSourceFile("dev.modelcost.examples." + model + "Cost").orElseThrow().getCharContent(false).toString();
            Matcher matcher = Pattern.compile("\\b" + name + " = (\\d+)L;").matcher(source);
            assertTrue(matcher.find(), name);
            return Long.parseLong(matcher.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @CsvSource({"64, 1837105152, 3670654976", "128, 3707764736, 7408156672", "256, 7549747200, 15083700224", "512, 15636365312, 31236947968"})
    void llamaTinyAtFourLengths(int length, long macs, long flops) {
        Compilation compilation = compileAt("LlamaTiny", 256, length, "LlamaDecoderLayer", "LlamaAttention", "SwiGLU");
        assertThat(compilation).succeeded();
        assertEquals(macs, constant(compilation, "LlamaTiny", "MACS"));
        assertEquals(flops, constant(compilation, "LlamaTiny", "FLOPS"));
        // 4 layers x 2 products x 8 heads x 64 = 4,096 T^2 of the MACs.
        assertEquals(4_096L * length * length, constant(compilation, "LlamaTiny", "MATMUL_MACS"));
    }

    @ParameterizedTest
    @CsvSource({"64, 7981547520, 15958698944", "128, 16114089984, 32218208128", "256, 32832159744, 65639657216",
            "512, 68080238592, 136092278272", "1024, 145824153600, 291436411904"})
    void gpt2SmallAtFiveLengths(int length, long macs, long flops) {
        Compilation compilation = compileAt("Gpt2Small", 1024, length, "Gpt2Block");
        assertThat(compilation).succeeded();
        assertEquals(macs, constant(compilation, "Gpt2Small", "MACS"));
        assertEquals(flops, constant(compilation, "Gpt2Small", "FLOPS"));
        // 123,532,032 T + 18,432 T^2: the quadratic part is the attention products, 12 layers x 2 x 12 heads x 64.
        assertEquals(18_432L * length * length, constant(compilation, "Gpt2Small", "MATMUL_MACS"));
        assertEquals(123_532_032L * length, macs - 18_432L * length * length);
    }
}
