package dev.modelcost.processor.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.palantir.javapoet.CodeBlock;
import org.junit.jupiter.api.Test;

/** The per-layer table's literal, written without JavaPoet, is the literal JavaPoet writes for the same text. */
class CostClassWriterTest {

    @Test
    void tableLiteralEqualsJavaPoetsOwn() {
        String[] values = {
            "path\tkind\toutput_shape\tmacs\nconv1\tConv2d\t64x112x112\t118013952\n",
            "quotes \" and 'apostrophes', a backslash \\ and $dollars$\n",
            "control \u0001 \u007f \r\f\b, unicode \u00e9\u4e2d \u2212 and no final break",
            "\n\nblank lines\n\n",
            "",
        };
        for (String value : values) {
            // CodeBlock.toString lays a literal out at indent level 0: its continuation lines start with the double indent.
            assertEquals(CodeBlock.of("$S", value).toString(), CostClassWriter.literal(value, "    + "), value);
        }
    }

    @Test
    void aPathInJavadocReadsAsWritten() {
        // {@code} shows its text literally, entities included: where it cannot hold the text (a comment end, an at sign, an
        // unbalanced brace), the text is HTML in <code>, whose entities the page decodes.
        assertEquals("{@code layer1.0.conv1}", Javadoc.code("layer1.0.conv1"));
        assertEquals("{@code x<b>&_*0.t}", Javadoc.code("x<b>&_*0.t"));
        assertEquals("<code>x&lt;b&gt;&amp;*&#47;y1.t</code>", Javadoc.code("x<b>&*/y1.t"));
        assertEquals("<code>a&#64;b</code>", Javadoc.code("a@b"));
        assertEquals("<code>{a</code>", Javadoc.code("{a"));
        assertEquals("{@code f({a})}", Javadoc.code("f({a})"));
    }

    @Test
    void theLayerTablesColumnsAreThoseTheRuntimeKnows() {
        // LayerCost.figure refuses a name outside its list: every column the processor writes must be on it, in the same order.
        assertEquals(java.util.Arrays.stream(dev.modelcost.processor.layers.Figure.values()).map(dev.modelcost.processor.layers.Figure::column).toList(),
                dev.modelcost.LayerCost.COLUMNS);
    }
}
