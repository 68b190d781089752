package dev.modelcost.processor.analysis;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.modelcost.processor.ModelCostProcessor;
import dev.modelcost.LayerCost;
import java.io.IOException;
import java.io.StringReader;
import java.util.Arrays;
import java.util.List;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/** How repetitions are named: 0, 1, ... by default; a prefix and start (DenseNet); the container's own numbers (a flat Sequential). */
class RepeatNamingTest {

    private static List<String> paths(String model) throws IOException {
        String source = """
                package test;

                import dev.modelcost.*;

                %s
                public class Net {
                    %s

                    @Block
                    public static class Unit {
                        @Conv2d(cout = 4, k = 1) Layer conv;
                    }
                }
                """.formatted(model.lines().findFirst().orElseThrow(), model.lines().skip(1).reduce("", (a, b) -> a + b + "\n"));
        Compilation compilation = javac().withProcessors(new ModelCostProcessor()).withOptions("-Amodelcost.reports=false")
                .compile(JavaFileObjects.forSourceString("test.Net", source));
        assertThat(compilation).succeeded();
        String table = dev.modelcost.processor.fuzz.CostFile.table(compilation, "test.Net");
        return LayerCost.readTable(new StringReader(table), "test.Net").stream().map(LayerCost::path).toList();
    }

    @Test
    void repetitionsAreNumberedFromZero() throws IOException {
        assertEquals(List.of("units.0.conv", "units.1.conv"), paths("""
                @Model(input = {4, 2, 2})
                @Repeat(2) Unit units;"""));
    }

    @Test
    void aPrefixAndStartNameThemAsDenseNetDoes() throws IOException {
        assertEquals(List.of("block.denselayer1.conv", "block.denselayer2.conv", "block.denselayer3.conv"), paths("""
                @Model(input = {4, 2, 2})
                @Repeat(value = 3, prefix = "denselayer", start = 1) Unit block;"""));
    }

    @Test
    void inlineRepetitionsTakeTheContainersNextNumbers() throws IOException {
        // A flat Sequential: the stem is 0, the three repetitions 1 to 3, the head 4.
        assertEquals(List.of("0", "1.conv", "2.conv", "3.conv", "4"), paths("""
                @Model(input = {4, 2, 2}, indexed = true)
                @Conv2d(cout = 4, k = 1) Layer stem;
                    @Repeat(value = 3, inline = true) Unit units;
                    @Conv2d(cout = 8, k = 1) Layer head;"""));
    }
}
