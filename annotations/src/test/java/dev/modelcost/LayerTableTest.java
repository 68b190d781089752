package dev.modelcost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the folded per-layer table: runs, nested runs, a list that is never built, and malformed input. */
class LayerTableTest {
    private static final String H = LayerCost.TABLE_HEADER + "\n";

    private static List<LayerCost> read(String rows) throws IOException {
        return LayerCost.readTable(new StringReader(H + rows), "t.tsv");
    }

    private static List<String> paths(List<LayerCost> rows) {
        return rows.stream().map(LayerCost::path).toList();
    }

    @Test
    void plainRowsAreReadAsWritten() throws IOException {
        List<LayerCost> rows = read("conv\tConv2d\t4x8x8\t2304\t4608\t40\t0\t0\nfc\tLinear\t10\t2560\t5120\t2570\t0\t0\n");
        assertEquals(List.of(new LayerCost("conv", "Conv2d", List.of(4, 8, 8), 2304, 4608, 40, 0, 0),
                new LayerCost("fc", "Linear", List.of(10), 2560, 5120, 2570, 0, 0)), rows);
    }

    @Test
    void anOutputWithoutTheBatchKeepsPyTorchsLeadingOneAtEveryBatch() throws IOException {
        // Swin's relative position bias: gathered from a table of parameters, permuted and unsqueezed to (1, heads, 49, 49)
        // whatever the batch (torchvision 0.14, ShiftedWindowAttention.get_relative_position_bias); the scores it is added to
        // have the batch in front. Inside a run, each repetition's row keeps the mark.
        List<LayerCost> rows = read("""
                @repeat\tblocks\t\t0\t2
                bias\tWindowRelativePositionBias\t~3x49x49\t0\t0\t507\t0\t0
                scores\tMatMul\t64x3x49x49\t1\t2\t0\t0\t0
                @end
                """);
        LayerCost bias = rows.get(2);
        assertEquals("blocks.1.bias", bias.path());
        assertFalse(bias.batched());
        assertEquals(List.of(3, 49, 49), bias.outputShape());
        assertEquals("1x3x49x49", bias.outputShape(4));
        assertEquals("bias\tWindowRelativePositionBias\t~3x49x49\t0\t0\t507\t0\t0", rows.get(0).toTableRow().replace("blocks.0.", ""));
        assertTrue(rows.get(3).batched());
        assertEquals("4x64x3x49x49", rows.get(3).outputShape(4));
        assertEquals(rows.get(0), LayerCost.table(H + rows.get(0).toTableRow() + "\n", "row").get(0));
        assertThrows(IllegalStateException.class, () -> read("bias\tWindowRelativePositionBias\t~\t0\t0\t507\t0\t0\n"));
    }

    @Test
    void aRecurrentStateHasItsBatchSecond() throws IOException {
        // torch.nn.GRU(output = h_n): (num_layers * directions, N, H_out) whatever batch_first, here two layers of 6 at batch 3;
        // a LayerNorm over it keeps that layout.
        List<LayerCost> rows = read("enc\tGRU\t^2x6\t1\t2\t0\t0\t0\nln\tLayerNorm\t^2x6\t0\t0\t12\t0\t0\n");
        LayerCost enc = rows.get(0);
        assertTrue(enc.batchSecond());
        assertTrue(enc.batched());
        assertEquals(List.of(2, 6), enc.outputShape());
        assertEquals("2x3x6", enc.outputShape(3));
        assertEquals("2x3x6", rows.get(1).outputShape(3));
        assertEquals("enc\tGRU\t^2x6\t1\t2\t0\t0\t0", enc.toTableRow());
        assertEquals(enc, LayerCost.table(H + enc.toTableRow() + "\n", "row").get(0));
        assertFalse(read("fc\tLinear\t2x6\t1\t2\t0\t0\t0\n").get(0).batchSecond());
        assertEquals("3x2x6", read("fc\tLinear\t2x6\t1\t2\t0\t0\t0\n").get(0).outputShape(3));
        assertThrows(IllegalStateException.class, () -> read("enc\tGRU\t^\t1\t2\t0\t0\t0\n"));
        // The batch second needs the batch and an axis before it.
        assertThrows(IllegalArgumentException.class, () -> new LayerCost("enc", "GRU", List.of(2, 6), java.util.Map.of(), false, true));
        assertThrows(IllegalArgumentException.class, () -> new LayerCost("enc", "GRU", List.of(), java.util.Map.of(), true, true));
    }

    @Test
    void aRunStandsForEveryRepetitionUnderItsOwnName() throws IOException {
        // layer1.1 and layer1.2 (prefix empty, first 1, count 2), each a conv and a relu; then fc.
        List<LayerCost> rows = read("""
                layer1.0.conv\tConv2d\t4x8x8\t1\t2\t3\t0\t0
                @repeat\tlayer1\t\t1\t2
                conv\tConv2d\t4x8x8\t1\t2\t3\t0\t0
                relu\tReLU\t4x8x8\t0\t0\t0\t0\t256
                @end
                fc\tLinear\t10\t5\t10\t11\t0\t0
                """);
        assertEquals(List.of("layer1.0.conv", "layer1.1.conv", "layer1.1.relu", "layer1.2.conv", "layer1.2.relu", "fc"), paths(rows));
        assertEquals(256, rows.get(4).otherOps());
        assertEquals("ReLU", rows.get(4).kind());
    }

    @Test
    void runsNestAndTakeAPrefix() throws IOException {
        // DenseNet style: block.denselayer1 .. denselayer2, each with units 0..2 of one leaf.
        List<LayerCost> rows = read("""
                @repeat\tblock\tdenselayer\t1\t2
                @repeat\tunits\t\t0\t3
                conv\tConv2d\t4\t1\t1\t1\t0\t0
                @end
                norm\tBatchNorm2d\t4\t0\t0\t8\t8\t16
                @end
                """);
        assertEquals(List.of("block.denselayer1.units.0.conv", "block.denselayer1.units.1.conv", "block.denselayer1.units.2.conv",
                "block.denselayer1.norm", "block.denselayer2.units.0.conv", "block.denselayer2.units.1.conv",
                "block.denselayer2.units.2.conv", "block.denselayer2.norm"), paths(rows));
    }

    @Test
    void aRepeatedLeafTakesTheRepetitionsName() throws IOException {
        assertEquals(List.of("0", "1", "2"), paths(read("@repeat\t\t\t0\t3\n\tReLU\t4\t0\t0\t0\t0\t4\n@end\n")));
    }

    @Test
    void aBillionRowsAreListedWithoutBeingBuilt() throws IOException {
        List<LayerCost> rows = read("@repeat\ta\t\t0\t40000\n@repeat\tb\t\t0\t25000\nrelu\tReLU\t4\t0\t0\t0\t0\t4\n@end\n@end\n");
        assertEquals(1_000_000_000, rows.size());
        assertEquals("a.39999.b.24999.relu", rows.get(999_999_999).path());
        assertEquals("a.1.b.0.relu", rows.get(25_000).path());
        assertThrows(IndexOutOfBoundsException.class, () -> rows.get(1_000_000_000));
        assertThrows(UnsupportedOperationException.class, () -> rows.add(rows.get(0)));
    }

    @Test
    void moreRowsThanAListHoldsAreRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> read("@repeat\ta\t\t0\t100000\n@repeat\tb\t\t0\t100000\nrelu\tReLU\t4\t0\t0\t0\t0\t4\n@end\n@end\n"));
        assertTrue(e.getMessage().contains("more rows than a list can hold"), e.getMessage());
        String beyondLong = "@repeat\ta\t\t0\t2000000000\n".repeat(3) + "relu\tReLU\t4\t0\t0\t0\t0\t4\n" + "@end\n".repeat(3);
        e = assertThrows(IllegalStateException.class, () -> read(beyondLong));
        assertTrue(e.getMessage().contains("more rows than a list can hold"), e.getMessage());
    }

    @Test
    void malformedTablesAreRefusedWithTheirLine() {
        assertTrue(assertThrows(IllegalStateException.class, () -> read("@repeat\ta\t\t0\t2\nr\tReLU\t4\t0\t0\t0\t0\t4\n"))
                .getMessage().contains("has no @end"));
        assertTrue(assertThrows(IllegalStateException.class, () -> read("r\tReLU\t4\t0\t0\t0\t0\t4\n@end\n"))
                .getMessage().startsWith("t.tsv:3: malformed line: @end"));
        assertTrue(assertThrows(IllegalStateException.class, () -> read("@repeat\ta\t\tzero\t2\n@end\n"))
                .getMessage().startsWith("t.tsv:2: malformed line: @repeat"));
        assertTrue(assertThrows(IllegalStateException.class, () -> read("@repeat\ta\t\t0\t0\n@end\n"))
                .getMessage().startsWith("t.tsv:2: malformed line: @repeat"));
        assertTrue(assertThrows(IllegalStateException.class, () -> read("r\tReLU\tfour\t0\t0\t0\t0\t4\n"))
                .getMessage().startsWith("t.tsv:2: malformed row"));
        assertTrue(assertThrows(IllegalStateException.class, () -> LayerCost.readTable(new StringReader("path\n"), "t.tsv"))
                .getMessage().contains("does not start with the layer table header"));
    }

    @Test
    void aColumnNameThatIsNoneIsRefusedNotZero() {
        LayerCost row = LayerCost.table(LayerCost.TABLE_HEADER + "\nfc\tLinear\t1x10\t2560\t5120\t2570\t0\t0\n", "Net").get(0);
        // An absent column of the table gives its default, a misspelt one an exception.
        assertEquals(0, row.figure("kv_cache"));
        assertEquals(2570 * 4, row.figure("weight_bytes"));
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class, () -> row.figure("mac"));
        assertTrue(typo.getMessage().startsWith("no column 'mac' in a layer table; the columns are [macs, flops,"), typo.getMessage());
    }
}
