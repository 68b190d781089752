package dev.modelcost.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelcost.processor.ModelCostProcessor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The minimal reproductions of the processor bugs the fuzz tests found. An open bug's test is
 * disabled with the reason (remove the {@code @Disabled} once it is fixed), and the fuzz tests steer
 * clear of it unless {@code -Dmodelcost.fuzz.knownBugs=true}; a fixed bug's test stays as a
 * regression test. Beside each, a test of the closest case that always worked keeps the
 * reproduction honest.
 */
class FuzzFoundBugsTest {

    private static ToolCompile.Result javac(Map<String, String> sources) {
        return ToolCompile.run(ToolProvider.getSystemJavaCompiler(), sources, List.of(), false, new ModelCostProcessor());
    }

    private static List<String> errors(ToolCompile.Result result) {
        return result.diagnostics().stream().filter(d -> d.kind() == Diagnostic.Kind.ERROR)
                .map(d -> d.file() + ":" + d.line() + ": " + d.message().substring(0, d.message().indexOf(']') + 1)).toList();
    }

    // ------------------------------------------------------------------ a broken block

    private static final String USES_BROKEN_BLOCK = """
            package test;

            import dev.modelcost.*;

            @Model(input = {3, 8, 8})
            public class UsesBrokenBlock {
                @Conv2d(cout = 4, k = 3) Layer conv;
                Broken broken;
                @ReLU Layer relu;

                @Block
                public static class Broken {
                    @ReLU int notALayer;
                }
            }
            """;

    /**
     * Fixed: the MC108 inside Broken was reported, but UsesBrokenBlockCost was still written, with
     * LAYER_COUNT = 2 and the figures of conv and relu only (readBlock cached the failed block as
     * empty and the model's readBlockUse skipped the field without a problem of its own); the same
     * for MC106, MC112, MC113, MC117, MC201 in {@code @Param(expr)} and MC212 cycles.
     */
    @Test
    void aModelUsingABlockWithASpecErrorGetsNoCostClass() {
        ToolCompile.Result result = javac(Map.of("test.UsesBrokenBlock", USES_BROKEN_BLOCK));
        assertEquals(List.of("UsesBrokenBlock.java:13: [MC108]"), errors(result));
        assertEquals(List.of(), List.copyOf(result.generated().keySet()), result.generated().toString());
    }

    @Test
    void aModelUsingABlockWithAShapeErrorGetsNoCostClass() {
        ToolCompile.Result result = javac(Map.of("test.UsesBrokenBlock", USES_BROKEN_BLOCK
                .replace("@ReLU int notALayer;", "@Conv2d(cin = 5, cout = 4, k = 1) Layer conv;")));
        // on the block's layer and on the model's field that applies it
        assertEquals(List.of("UsesBrokenBlock.java:13: [MC301]", "UsesBrokenBlock.java:8: [MC301]"), errors(result));
        assertEquals(List.of(), List.copyOf(result.generated().keySet()));
    }

    // ------------------------------------------------------------------ equal messages in two models

    private static Map<String, String> twoModels(String layer) {
        Map<String, String> sources = new LinkedHashMap<>();
        for (String name : List.of("First", "Second")) {
            sources.put("test." + name, """
                    package test;

                    import dev.modelcost.*;

                    @Model(input = {3, 8, 8})
                    public class %s {
                        %s
                    }
                    """.formatted(name, layer));
        }
        return sources;
    }

    /**
     * Fixed: the Reporter de-duplicated on {@code element.toString() + message}, and a field's
     * {@code toString()} is its simple name, so the same mistake in two models (equal field names,
     * equal message) was reported once: Second.java got no error and no Cost class.
     */
    @Test
    void theSameMistakeInTwoModelsIsReportedInBoth() {
        ToolCompile.Result result = javac(twoModels("@Conv2d(cin = 4, cout = 8, k = 1) Layer conv;"));
        assertEquals(List.of("First.java:7: [MC301]", "Second.java:7: [MC301]"), errors(result));
    }

    @Test
    void differentlyNamedFieldsWithTheSameMistakeAreReportedInBoth() {
        Map<String, String> sources = twoModels("@Conv2d(cin = 4, cout = 8, k = 1) Layer conv;");
        sources.put("test.Second", sources.get("test.Second").replace("Layer conv;", "Layer conv2;"));
        assertEquals(List.of("First.java:7: [MC301]", "Second.java:7: [MC301]"), errors(javac(sources)));
    }

    // ------------------------------------------------------------------ dilated max pooling

    @Test
    /** nn.MaxPool2d(3, dilation=2, padding=2) raises: ATen's pool2d_shape_check allows padding up to half the kernel, whatever the dilation. */
    void dilatedMaxPoolPaddingIsLimitedToHalfTheKernelAsInPyTorch() {
        ToolCompile.Result result = javac(Map.of("test.Dilated", """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Dilated {
                    @MaxPool2d(k = 3, dilation = 2, padding = 2) Layer pool;
                }
                """));
        assertEquals(List.of("Dilated.java:7: [MC306]"), errors(result));
    }

    @Test
    void maxPoolPaddingOverHalfTheDilatedWindowIsAnError() {
        ToolCompile.Result result = javac(Map.of("test.Dilated", """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Dilated {
                    @MaxPool2d(k = 3, dilation = 2, padding = 3) Layer pool;
                }
                """));
        assertEquals(List.of("Dilated.java:7: [MC306]"), errors(result));
        assertTrue(result.generated().isEmpty());
    }

}
