package dev.modelcost.processor.ecj;

import static com.google.common.truth.Truth.assertThat;

import dev.modelcost.processor.ModelCostProcessor;
import dev.modelcost.processor.fuzz.ToolCompile;
import java.util.List;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.ToolProvider;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;
import org.junit.jupiter.api.Test;

/** Specs that the Eclipse compiler treats otherwise than javac: a model whose sources have errors gets no Cost class under either. */
class EcjHostileSpecsTest {

    private static List<String> errors(ToolCompile.Result result) {
        return result.diagnostics().stream().filter(d -> d.kind() == Diagnostic.Kind.ERROR)
                .map(d -> d.file() + ":" + d.line() + ": " + d.message()).toList();
    }

    private static List<String> options(javax.tools.JavaCompiler compiler) {
        return compiler instanceof EclipseCompiler ? List.of("-17") : List.of();
    }

    private static final String USES_BLOCK = """
            package test;

            import dev.modelcost.*;

            @Model(input = {4})
            public class Net {
                @ReLU Layer relu;
                Unit unit;
            }
            """;

    @Test
    void aModelWhoseBlockHasASyntaxErrorGetsNoCostClass() {
        String broken = """
                package test;

                import dev.modelcost.*;

                @Block
                public class Unit {
                    @Linear(out = 4) Layer fc
                    @ReLU Layer relu;
                }
                """;
        for (javax.tools.JavaCompiler compiler : List.of(new EclipseCompiler(), ToolProvider.getSystemJavaCompiler())) {
            ToolCompile.Result result = ToolCompile.run(compiler, Map.of("test.Net", USES_BLOCK, "test.Unit", broken), options(compiler), false,
                    new ModelCostProcessor());
            assertThat(errors(result)).isNotEmpty();
            assertThat(result.generated().keySet()).doesNotContain("test/NetCost.java");
        }
    }

    @Test
    void aModelWithALayerAnnotationOnAMethodGetsNoCostClass() {
        String model = """
                package test;

                import dev.modelcost.*;

                @Model(input = {4})
                public class Net {
                    @ReLU Layer relu;
                    @Linear(out = 2) void fc() {}
                }
                """;
        for (javax.tools.JavaCompiler compiler : List.of(new EclipseCompiler(), ToolProvider.getSystemJavaCompiler())) {
            ToolCompile.Result result = ToolCompile.run(compiler, Map.of("test.Net", model), options(compiler), false, new ModelCostProcessor());
            assertThat(errors(result)).isNotEmpty();
            assertThat(result.generated().keySet()).doesNotContain("test/NetCost.java");
        }
    }

    @Test
    void aBlockFoundThroughTheSourcePathIsAppliedInDeclarationOrder() throws Exception {
        String block = """
                package test;

                import dev.modelcost.*;

                @Block
                public class Unit {
                    @Linear(out = 8) Layer second;
                    @Linear(out = 2) Layer first;
                }
                """;
        java.nio.file.Path sources = java.nio.file.Files.createTempDirectory("modelcost-sourcepath");
        try {
            java.nio.file.Path file = sources.resolve("test/Unit.java");
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.writeString(file, block);
            for (javax.tools.JavaCompiler compiler : List.of(new EclipseCompiler(), ToolProvider.getSystemJavaCompiler())) {
                List<String> options = new java.util.ArrayList<>(options(compiler));
                options.addAll(List.of("-sourcepath", sources.toString()));
                ToolCompile.Result result = ToolCompile.run(compiler, Map.of("test.Net", USES_BLOCK), options, false, new ModelCostProcessor());
                assertThat(errors(result)).isEmpty();
                // In declaration order 4 -> 8 -> 2: 40 + 18 parameters (sorted by name, 4 -> 2 -> 8, it would be 10 + 24).
                assertThat(result.generated().get("test/NetCost.java")).contains("PARAMS = 58L;");
            }
        } finally {
            ToolCompile.delete(sources);
        }
    }

    @Test
    void mc101OnARecordHasALocationUnderEcj() {
        String model = """
                package test;

                import dev.modelcost.*;

                @Model(input = {4})
                public record Net(int width) {}
                """;
        ToolCompile.Result result = ToolCompile.run(new EclipseCompiler(), Map.of("test.Net", model), List.of("-17"), false, new ModelCostProcessor());
        // ECJ places no message on a record or its annotation; on the record's field it does, on the same line.
        assertThat(errors(result)).containsExactly("Net.java:6: [MC101] @Model must be on a plain class, but Net is a record (fix: move it to a class)");
    }
}
