package dev.modelcost.processor.sizes;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.modelcost.SizeProgram;
import dev.modelcost.processor.analysis.Analyzer;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.counters.Readings;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.layers.OpRegistry;
import dev.modelcost.processor.memory.Liveness;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.SizeVariable;
import dev.modelcost.processor.spec.SpecReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import org.junit.jupiter.api.Test;

/**
 * The size program where its products are separated with fewer scattered sizes, or their rank found modulo a small prime, than
 * a compilation uses: the two paths by which it recovers, solving again with a size its checks compiled, and finding the rank
 * exactly where the rank modulo the prime was too low.
 */
class SeparationTest {
    /**
     * A video network that exists where the strided convolution's T, H and W are even, with three padded-copy convolutions: 62
     * products of sizes, 28 of them independent, the last separated from the others by about one in a thousand of the sizes
     * scattered around the declared ones ({@code OffLatticeTest} compares its program with the model compiled at five sizes).
     */
    private static final String VIDEO = "package test; import dev.modelcost.*; "
            + "@Model(input = {1, 12, 24, 12}, sizes = {\"T\", \"H\", \"W\", \"batch\"}) @Training(batch = 2) public class Net { "
            + "@Conv3d(cout = 12, k = 3, strideD = 2, strideH = 1, strideW = 2, padding = 1, paddingMode = \"circular\") Layer c1; "
            + "@AvgPool3d(k = 2) Layer dp2; @Conv3d(cout = 4, k = 4, padding = Conv3d.SAME, groups = 4, paddingMode = \"circular\") Layer mid3; "
            + "@Upsample(scaleFactor = 2.0) Layer up4; @Concat({\"up4\", \"c1\"}) Layer cat5; "
            + "@Conv3d(cout = 4, k = 1, padding = 4, paddingMode = \"reflect\") Layer c6; "
            + "@Conv3d(cout = 4, k = 4, strideW = 2, padding = 1, paddingH = 3, paddingW = 4, bias = false) Layer c7; }";

    /** A network of two sizes and the batch whose pooling is upsampled back and concatenated with its input, then pooled to 5 x 5. */
    private static final String POOLED = "package test; import dev.modelcost.*; "
            + "@Model(input = {1, 24, 24}, sizes = {\"H\", \"W\", \"batch\"}) public class Net { "
            + "@MaxPool2d(k = 2) Layer dp1; @Upsample(scaleFactor = 2.0) Layer up2; @Concat({\"up2\", \"input\"}) Layer cat3; "
            + "@Conv2d(cout = 4, kh = 2, kw = 3, padding = Conv2d.SAME) Layer c4; @AdaptiveAvgPool2d(5) Layer ap5; "
            + "@From(\"c4\") @AdaptiveMaxPool2d(5) Layer aq6; @Add({\"ap5\", \"aq6\"}) Layer add7; }";

    /** Establishes the closed forms of the one model it is given, as the processor does, its program separated by {@code separation}. */
    private static final class FormsOf extends AbstractProcessor {
        private final OffLattice.Separation separation;
        private SpecReader reader;
        private Analyzer analyzer;
        private SizeForms forms;

        FormsOf(OffLattice.Separation separation) {
            this.separation = separation;
        }

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return Set.of("dev.modelcost.Model");
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public synchronized void init(ProcessingEnvironment environment) {
            super.init(environment);
            reader = new SpecReader(environment, OpRegistry.builtIns(), FormsOf.class.getCanonicalName());
            analyzer = new Analyzer(reader::fromSource, reader::suppressed);
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            for (TypeElement annotation : annotations) {
                for (var element : round.getElementsAnnotatedWith(annotation)) {
                    List<Problem> problems = new ArrayList<>();
                    Optional<ModelSpec> spec = reader.readModel((TypeElement) element, problems);
                    assertTrue(problems.isEmpty() && spec.isPresent(), problems.toString());
                    ModelCosts costs = analyzer.analyze(spec.get());
                    forms = ClosedForms.of(costs, analyzer, Readings.of(costs), Liveness.of(costs), separation);
                }
            }
            return true;
        }
    }

    /** The size program of {@code source}'s model with its products separated by {@code separation}; asserts there is one. */
    private static SizeProgram program(String source, OffLattice.Separation separation) {
        FormsOf processor = new FormsOf(separation);
        Compilation compilation = Compiler.javac().withProcessors(processor).compile(JavaFileObjects.forSourceString("test.Net", source));
        assertThat(compilation).succeeded();
        SizeForms forms = processor.forms;
        assertNotNull(forms.program(), () -> "no program: " + forms.noProgram());
        return SizeProgram.parse("Net", forms.variables().stream().map(SizeVariable::name).toList(), forms.program());
    }

    @Test
    void aSizeTheChecksCompiledThatPartsATiedProductIsTakenIntoASolveAgain() {
        // With 512 sizes scattered around the declared ones, the product of H and c1's output sizes is never parted from the
        // combination of others it is tied to; the checks compile sizes that part it, and the program, solved again with them, holds.
        // With all 4,096 the solve separates it the first time: a program with one more independent product, where the tie is none.
        SizeProgram fewer = program(VIDEO, new OffLattice.Separation(512, ModularRank.PRIME));
        SizeProgram all = program(VIDEO, OffLattice.Separation.DEFAULT);
        // At T = 16, H = 16, W = 19 and a batch of 5 the program solved with the full draws answers (MACs by hand in OffLatticeTest);
        // the one solved again still has the tie that 512 draws left, and refuses the size rather than guess.
        assertEquals(29_783_040L, all.at(16, 16, 19, 5)[all.figures().indexOf("MACS")]);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> fewer.at(16, 16, 19, 5));
        assertTrue(refused.getMessage().startsWith("Net: its size program does not answer at T = 16, H = 16, W = 19, batch = 5, where the product of")
                && refused.getMessage().contains("c1 (Conv3d)'s output sizes differs from the combination of other products"), refused.getMessage());
        // Where its ties hold, below the forms' smallest T of 12 too (the size the checks compiled among them), it gives what the
        // program solved with every draw gives; without the solve again it had no program, or one from the forms' smallest sizes.
        for (long[] sizes : new long[][] {{11, 6, 11, 1}, {11, 20, 15, 1}, {15, 26, 12, 1}, {20, 18, 16, 4}, {12, 24, 12, 1}}) {
            assertTrue(fewer.determines(sizes), java.util.Arrays.toString(sizes));
            assertEquals(java.util.Arrays.toString(all.at(sizes)), java.util.Arrays.toString(fewer.at(sizes)), java.util.Arrays.toString(sizes));
        }
    }

    @Test
    void aRankModuloAPrimeThatTookAProductForACombinationOfOthersIsFoundAgainExactly() {
        // Modulo 2 and 7 the products' sizes tie columns that are independent over the integers: a tie then fails at a row seen,
        // and the rank is found again by exact elimination, which gives the program the prime 2^31 - 1 gives.
        SizeProgram exact = program(POOLED, OffLattice.Separation.DEFAULT);
        for (long prime : new long[] {2, 7}) {
            SizeProgram modular = program(POOLED, new OffLattice.Separation(OffLattice.Separation.DEFAULT.draws(), prime));
            for (long[] sizes : new long[][] {{20, 20, 2}, {10, 4, 5}, {50, 30, 2}, {22, 22, 2}, {6, 4, 3}, {24, 24, 1}}) {
                assertEquals(java.util.Arrays.toString(exact.at(sizes)), java.util.Arrays.toString(modular.at(sizes)), "modulo " + prime);
            }
        }
    }

    @Test
    void aSeparationTakesOneDrawOrMoreAndAPrimeThatALongMultipliesExactly() {
        assertThrows(IllegalArgumentException.class, () -> new OffLattice.Separation(0, ModularRank.PRIME));
        assertThrows(IllegalArgumentException.class, () -> new OffLattice.Separation(1, 1));
        assertThrows(IllegalArgumentException.class, () -> new OffLattice.Separation(1, ModularRank.PRIME + 2));
        assertThrows(IllegalArgumentException.class, () -> new ModularRank(2, 1));
    }
}
