package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/** A {@code double} block parameter carries a width multiplier; channels are rounded from it as torchvision does. */
class DecimalParamsTest {

    private static String net(String args, String paramType) {
        return """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Net {
                    @Args("%s") Stem stem;

                    @Block
                    static class Stem {
                        @Param(expr = "1.0") %s widthMult;
                        @Param(1)            int depth;
                        @Conv2d(k = 1, bias = false, with = "cout = divisible(32 * widthMult, 8)") Layer conv;
                        @Conv2d(k = 1, bias = false, with = "cout = ceil(2 * widthMult) * depth")   Layer head;
                    }
                }
                """.formatted(args, paramType);
    }

    @Test
    void aWidthMultiplierRoundsChannelsAsMakeDivisible() {
        Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", net("widthMult = 1.4, depth = 3", "double")));
        assertThat(compilation).succeededWithoutWarnings();
        // torchvision: _make_divisible(32 * 1.4, 8) == 48 (44.8 + 4 -> 48); math.ceil(2 * 1.4) * 3 == 9.
        // MACs: 64 positions x (3 x 48 + 48 x 9).
        assertEquals(64L * (3 * 48 + 48 * 9), ModelSources.constant(compilation, "test.NetCost", "MACS"));
        Compilation defaults = ModelSources.compile(ModelSources.source("test.Net", net("depth = 1", "double")));
        // widthMult 1.0: 32 channels, then ceil(2.0) = 2.
        assertEquals(64L * (3 * 32 + 32 * 2), ModelSources.constant(defaults, "test.NetCost", "MACS"));
    }

    @Test
    void mc203AnIntParameterGivenADecimal() {
        String text = net("widthMult = 1.4", "int");
        expectOnly(text, "[MC203] stem argument widthMult: an int parameter takes an integer, not the decimal 1.4", "@Args",
                columnAfter(text, "@Args", "@Args("));
    }
}
