package dev.modelcost.processor.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelcost.AdaptiveAvgPool2d;
import dev.modelcost.AvgPool2d;
import dev.modelcost.BatchNorm2d;
import dev.modelcost.ChannelShuffle;
import dev.modelcost.Chunk;
import dev.modelcost.Conv2d;
import dev.modelcost.Flatten;
import dev.modelcost.Linear;
import dev.modelcost.MaxPool2d;
import dev.modelcost.ReLU;
import dev.modelcost.processor.diag.Diagnostic;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every layer's output shape and costs against hand derivations. Each expectation is worked out in
 * the comment above it from PyTorch's formulas: {@code out = floor((in + 2p − d(k − 1) − 1) / s) + 1},
 * {@code K = C_in / groups · kh · kw}, {@code MACs = outputs · K}, {@code FLOPs = outputs · (2K − 1 + bias)}.
 */
class BuiltInOpsTest {

    @Test
    void convolutionWithPadding() {
        // 3x32x32, 16 filters of 3x3, padding 1: (32 + 2 - 2 - 1) / 1 + 1 = 32 -> 16x32x32 = 16,384 outputs.
        // K = 3 * 3 * 3 = 27; MACs = 16,384 * 27 = 442,368; FLOPs = 16,384 * (54 - 1 + 1) = 884,736;
        // params = 16 * 27 + 16 = 448.
        LayerResult r = apply(Conv2d.class, Shape.of(3, 32, 32), "cout", 16, "k", 3, "padding", 1);
        assertResult(r, Shape.of(16, 32, 32), 442_368, 884_736, 448, 0, 0);
    }

    @Test
    void convolutionWithStrideAsResNetsStem() {
        // 224 + 6 - 6 - 1 = 223; 223 / 2 = 111; + 1 = 112. K = 3 * 49 = 147; outputs = 64 * 112 * 112 = 802,816.
        // MACs = 802,816 * 147 = 118,013,952; no bias: FLOPs = 802,816 * 293 = 235,225,088; params = 64 * 147 = 9,408.
        LayerResult r = apply(Conv2d.class, Shape.of(3, 224, 224),
                "cout", 64, "k", 7, "stride", 2, "padding", 3, "bias", false);
        assertResult(r, Shape.of(64, 112, 112), 118_013_952, 235_225_088, 9_408, 0, 0);
    }

    @Test
    void convolutionWithDilation() {
        // dilation 2 spreads a 3x3 kernel over 5: (10 - 2*2 - 1) / 1 + 1 = 6 -> 1x6x6; K = 2 * 9 = 18;
        // MACs = 36 * 18 = 648; FLOPs = 36 * 36 = 1,296; params = 18 + 1 = 19.
        LayerResult r = apply(Conv2d.class, Shape.of(2, 10, 10), "cout", 1, "k", 3, "dilation", 2);
        assertResult(r, Shape.of(1, 6, 6), 648, 1_296, 19, 0, 0);
    }

    @Test
    void groupedConvolution() {
        // 8 -> 16 channels in 4 groups: each filter sees 8 / 4 = 2 channels; K = 2 * 9 = 18.
        // 5x5 with padding 1 stays 5x5: outputs = 16 * 25 = 400; MACs = 7,200; no bias: FLOPs = 400 * 35 = 14,000;
        // params = 16 * 18 = 288.
        LayerResult r = apply(Conv2d.class, Shape.of(8, 5, 5),
                "cout", 16, "k", 3, "padding", 1, "groups", 4, "bias", false);
        assertResult(r, Shape.of(16, 5, 5), 7_200, 14_000, 288, 0, 0);
    }

    @Test
    void depthwiseConvolution() {
        // groups = channels = 32, stride 2 on 32x16x16 with padding 1: (16 + 2 - 2 - 1) / 2 + 1 = 8.
        // K = 1 * 9 = 9; outputs = 32 * 64 = 2,048; MACs = 18,432; FLOPs = 2,048 * 18 = 36,864; params = 32 * 9 + 32 = 320.
        LayerResult r = apply(Conv2d.class, Shape.of(32, 16, 16),
                "cout", 32, "k", 3, "stride", 2, "padding", 1, "groups", 32);
        assertResult(r, Shape.of(32, 8, 8), 18_432, 36_864, 320, 0, 0);
    }

    @Test
    void nonSquareKernelStrideAndPadding() {
        // Inception-style 1x7 with padding (0, 3) and stride (2, 1) on 4x17x17:
        // H: (17 + 0 - 0 - 1) / 2 + 1 = 9; W: (17 + 6 - 6 - 1) / 1 + 1 = 17. K = 4 * 1 * 7 = 28.
        // outputs = 8 * 9 * 17 = 1,224; MACs = 34,272; FLOPs = 1,224 * 56 = 68,544; params = 8 * 28 + 8 = 232.
        LayerResult r = apply(Conv2d.class, Shape.of(4, 17, 17),
                "cout", 8, "kh", 1, "kw", 7, "paddingW", 3, "strideH", 2);
        assertResult(r, Shape.of(8, 9, 17), 34_272, 68_544, 232, 0, 0);
    }

    @Test
    void batchMultipliesWorkButNotParameters() {
        // Same layer as convolutionWithPadding at batch 4: MACs and FLOPs x4, params unchanged.
        LayerResult r = op(Conv2d.class).apply(attrs(Conv2d.class, "cout", 16, "k", 3, "padding", 1),
                Inputs.of(Shape.of(3, 32, 32), "the model input", 4));
        assertResult(r, Shape.of(16, 32, 32), 4 * 442_368L, 4 * 884_736L, 448, 0, 0);
    }

    @Test
    void convolutionChecksWrittenInputChannels() {
        LayerFailure failure = assertThrows(LayerFailure.class,
                () -> apply(Conv2d.class, Shape.of(128, 8, 8), "cout", 64, "cin", 64, "k", 3));
        assertEquals(Diagnostic.CHANNEL_MISMATCH, failure.diagnostic());
        assertEquals("cin", failure.attribute());
    }

    @Test
    void convolutionRejectsGroupsThatDoNotDivide() {
        LayerFailure failure = assertThrows(LayerFailure.class,
                () -> apply(Conv2d.class, Shape.of(6, 8, 8), "cout", 8, "k", 1, "groups", 4));
        assertEquals(Diagnostic.GROUPS_NOT_DIVIDING, failure.diagnostic());
    }

    @Test
    void convolutionRejectsAKernelLargerThanThePaddedInput() {
        // 5 + 2 * 0 = 5 < 7.
        LayerFailure failure = assertThrows(LayerFailure.class,
                () -> apply(Conv2d.class, Shape.of(1, 5, 5), "cout", 1, "k", 7));
        assertEquals(Diagnostic.EMPTY_OUTPUT, failure.diagnostic());
        assertEquals("k", failure.attribute());
    }

    @Test
    void linear() {
        // 400 -> 120: MACs = 120 * 400 = 48,000; FLOPs = 120 * (800 - 1 + 1) = 96,000; params = 48,000 + 120.
        LayerResult r = apply(Linear.class, Shape.of(400), "out", 120);
        assertResult(r, Shape.of(120), 48_000, 96_000, 48_120, 0, 0);
    }

    @Test
    void linearOnASequenceAppliesToTheLastDimension() {
        // 5 tokens of 16 -> 5 x 8: outputs = 40; MACs = 40 * 16 = 640; no bias: FLOPs = 40 * 31 = 1,240; params = 128.
        LayerResult r = apply(Linear.class, Shape.of(5, 16), "out", 8, "bias", false);
        assertResult(r, Shape.of(5, 8), 640, 1_240, 128, 0, 0);
    }

    @Test
    void linearOnAnImageSaysWhatFlattenWouldGive() {
        LayerFailure failure = assertThrows(LayerFailure.class,
                () -> apply(Linear.class, Shape.of(16, 8, 8), "out", 10));
        assertEquals(Diagnostic.INPUT_RANK_MISMATCH, failure.diagnostic());
        String message = Diagnostic.INPUT_RANK_MISMATCH.format(prepend("fc", failure.args()));
        assertTrue(message.contains("gives 1024 features"), message);
    }

    @Test
    void batchNorm() {
        // 4 channels of 2x2: params = 2 * 4 (scale, shift), buffers = 2 * 4 (mean, var), other ops = 2 * 16.
        LayerResult r = apply(BatchNorm2d.class, Shape.of(4, 2, 2));
        assertResult(r, Shape.of(4, 2, 2), 0, 0, 8, 8, 32);
        LayerResult plain = apply(BatchNorm2d.class, Shape.of(4, 2, 2), "affine", false);
        assertResult(plain, Shape.of(4, 2, 2), 0, 0, 0, 8, 32);
    }

    @Test
    void activationCountsOneOperationPerElement() {
        LayerResult r = apply(ReLU.class, Shape.of(3, 4, 5));
        assertResult(r, Shape.of(3, 4, 5), 0, 0, 0, 0, 60);
    }

    @Test
    void maxPoolFloorAndPadding() {
        // ResNet's stem pool: (112 + 2 - 2 - 1) / 2 + 1 = 56; 64 x 56 x 56 = 200,704 outputs, 8 comparisons each.
        LayerResult r = apply(MaxPool2d.class, Shape.of(64, 112, 112), "k", 3, "stride", 2, "padding", 1);
        assertResult(r, Shape.of(64, 56, 56), 0, 0, 0, 0, 200_704L * 8);
        // LeNet's pool: stride defaults to the window: 28 / 2 = 14.
        assertEquals(Shape.of(6, 14, 14), apply(MaxPool2d.class, Shape.of(6, 28, 28), "k", 2).output());
    }

    @Test
    void maxPoolCeilMode() {
        // GoogLeNet: 112, k 3, s 2, ceil: (112 - 3 + 1) / 2 + 1 = 56 (floor mode would give 55).
        assertEquals(Shape.of(1, 56, 56), apply(MaxPool2d.class, Shape.of(1, 112, 112),
                "k", 3, "stride", 2, "ceilMode", true).output());
        assertEquals(Shape.of(1, 55, 55), apply(MaxPool2d.class, Shape.of(1, 112, 112),
                "k", 3, "stride", 2).output());
        // A window may not start in the right padding: 5, k 2, s 2, p 1, ceil: (5 + 2 - 2 + 1) / 2 + 1 = 4,
        // but window 4 would start at (4 - 1) * 2 = 6 >= 5 + 1, so 3.
        assertEquals(Shape.of(1, 3, 3), apply(MaxPool2d.class, Shape.of(1, 5, 5),
                "k", 2, "stride", 2, "padding", 1, "ceilMode", true).output());
    }

    @Test
    void poolRejectsPaddingOverHalfTheWindow() {
        LayerFailure failure = assertThrows(LayerFailure.class,
                () -> apply(AvgPool2d.class, Shape.of(1, 8, 8), "k", 2, "padding", 2));
        assertEquals(Diagnostic.POOL_PADDING, failure.diagnostic());
    }

    @Test
    void averagePoolCountsTheWindowPerOutput() {
        // 3x3 windows, stride 1, padding 1 keep 8x8; 2 x 64 = 128 outputs, 9 operations each.
        LayerResult r = apply(AvgPool2d.class, Shape.of(2, 8, 8), "k", 3, "stride", 1, "padding", 1);
        assertResult(r, Shape.of(2, 8, 8), 0, 0, 0, 0, 128 * 9);
    }

    @Test
    void adaptiveAveragePoolFollowsPyTorchsWindows() {
        // 5 -> 3 cells: [floor(0*5/3), ceil(1*5/3)) = [0, 2), [1, 4), [3, 5): spans 2 + 3 + 2 = 7 per axis.
        // 4 channels: ops = 4 * 7 * 7 = 196.
        LayerResult r = apply(AdaptiveAvgPool2d.class, Shape.of(4, 5, 5), "value", 3);
        assertResult(r, Shape.of(4, 3, 3), 0, 0, 0, 0, 196);
        // AlexNet: 13 -> 6 cells: [0,3) [2,5) [4,7) [6,9) [8,11) [10,13): 3 each, 18 per axis.
        assertEquals(18, Pooling.adaptiveSpan(13, 6));
        // Global pooling reads every row once.
        assertEquals(7, Pooling.adaptiveSpan(7, 1));
        assertEquals(Shape.of(4, 2, 1), apply(AdaptiveAvgPool2d.class, Shape.of(4, 5, 5),
                "h", 2, "w", 1).output());
    }

    @Test
    void flatten() {
        assertEquals(Shape.of(400), apply(Flatten.class, Shape.of(16, 5, 5)).output());
        // startDim 2 (batch is 0) keeps the channels: 4 x (3 * 2).
        Shape flat = apply(Flatten.class, Shape.of(4, 3, 2), "startDim", 2).output();
        assertEquals(java.util.List.of(4, 6), flat.dims());
        assertEquals(java.util.List.of("C", "H*W"), flat.axes(), "a flatten joins the axis names");
        LayerFailure failure = assertThrows(LayerFailure.class,
                () -> apply(Flatten.class, Shape.of(4, 3, 2), "startDim", 0));
        assertEquals(Diagnostic.FLATTEN_DIMS, failure.diagnostic());
    }

    @Test
    void chunkFollowsPyTorchWhereTheAxisDoesNotDivide() {
        // torch.chunk: chunks of ceil(n / chunks), the last shorter. 3 channels in 2 chunks: 2 and 1.
        assertEquals(java.util.List.of(2, 4, 4), apply(Chunk.class, Shape.of(3, 4, 4), "index", 0).output().dims());
        assertEquals(java.util.List.of(1, 4, 4), apply(Chunk.class, Shape.of(3, 4, 4), "index", 1).output().dims());
        assertEquals(java.util.List.of(1, 4, 4), apply(Chunk.class, Shape.of(3, 4, 4), "index", -1).output().dims());
        // 10 along the last axis in 3 chunks: 4, 4, 2.
        assertEquals(java.util.List.of(4, 2), apply(Chunk.class, Shape.of(4, 10), "chunks", 3, "index", 2, "dim", -1).output().dims());
    }

    @Test
    void aReshapeToANewRankKeepsTheNamesOfTheSizesItKeepsSoThatLinearTakesIt() {
        // x.reshape(b, 6, 4, 4) then nn.Linear(4, 8): 6 * 4 * 8 = 192 outputs of K = 4.
        Shape reshaped = apply(dev.modelcost.Reshape.class, Shape.of(6, 16), "shape", new int[] {6, 4, 4}).output();
        // The leading 6 is kept, and keeps its name; the new axes are generic.
        assertEquals(java.util.List.of("L", "d2", "d3"), reshaped.axes());
        assertResult(apply(Linear.class, reshaped, "out", 8), Shape.of(java.util.List.of(6, 4, 8), reshaped.axes()), 768, 192 * 8, 40, 0, 0);
    }

    @Test
    void chunkAndShuffle() {
        // x.chunk(2, 1)[1]: a view of the second half of the channels, contiguous to PyTorch for one sample (strides kept, as a view's)
        Shape half = apply(Chunk.class, Shape.of(116, 28, 28), "index", 1).output();
        assertEquals(Shape.of(58, 28, 28).dims(), half.dims());
        assertEquals(java.util.List.of(116L * 784, 784L, 28L, 1L), half.strides());
        assertTrue(half.contiguous(1));
        assertFalse(half.contiguous(2));
        assertEquals(Diagnostic.CHUNK_INDEX, assertThrows(LayerFailure.class,
                () -> apply(Chunk.class, Shape.of(116, 28, 28), "index", 2)).diagnostic());
        assertEquals(Shape.of(116, 28, 28), apply(ChannelShuffle.class, Shape.of(116, 28, 28), "value", 2).output());
        assertEquals(Diagnostic.GROUPS_NOT_DIVIDING, assertThrows(LayerFailure.class,
                () -> apply(ChannelShuffle.class, Shape.of(115, 28, 28), "value", 2)).diagnostic());
    }

    @Test
    void mergesBroadcastAndConcatenate() {
        // Squeeze-and-excitation: 32x8x8 * 32x1x1 -> 32x8x8, one multiply per output: 2,048.
        LayerResult mul = merge(dev.modelcost.Mul.class, java.util.List.of(Shape.of(32, 8, 8), Shape.of(32, 1, 1)), java.util.List.of("x", "scale"), 1);
        assertResult(mul, Shape.of(32, 8, 8), 0, 0, 0, 0, 2_048);
        // Three-way residual sum: two adds per output.
        LayerResult add = merge(dev.modelcost.Add.class, java.util.List.of(Shape.of(4, 2, 2), Shape.of(4, 2, 2), Shape.of(4, 2, 2)),
                java.util.List.of("a", "b", "c"), 1);
        assertResult(add, Shape.of(4, 2, 2), 0, 0, 0, 0, 32);
        LayerResult cat = merge(dev.modelcost.Concat.class, java.util.List.of(Shape.of(64, 28, 28), Shape.of(128, 28, 28), Shape.of(32, 28, 28)),
                java.util.List.of("a", "b", "c"), 1);
        assertResult(cat, Shape.of(224, 28, 28), 0, 0, 0, 0, 0);
        assertEquals(Diagnostic.MERGE_SHAPES, assertThrows(LayerFailure.class, () -> merge(dev.modelcost.Add.class, 
                java.util.List.of(Shape.of(64, 28, 28), Shape.of(64, 14, 14)), java.util.List.of("a", "b"), 1)).diagnostic());
        assertEquals(Diagnostic.MERGE_SHAPES, assertThrows(LayerFailure.class, () -> merge(dev.modelcost.Concat.class, 
                java.util.List.of(Shape.of(64, 28, 28), Shape.of(64, 14, 14)), java.util.List.of("a", "b"), 1)).diagnostic());
    }

    @Test
    void countsBeyondLongOverflowInsteadOfWrapping() {
        // 2^31 - 1 channels squared already passes 2^62; times 4 outputs passes 2^63.
        assertThrows(ArithmeticException.class, () -> op(Linear.class).apply(attrs(Linear.class, "out", Integer.MAX_VALUE),
                Inputs.of(Shape.of(2, Integer.MAX_VALUE), "the model input", 4)));
    }

    // ---- helpers

    private static LayerResult apply(Class<? extends Annotation> annotation, Shape in, Object... given) {
        return op(annotation).apply(attrs(annotation, given), Inputs.of(in, "the model input", 1));
    }

    /** The built-in kind of an annotation. */
    static OpKind op(Class<? extends Annotation> annotation) {
        return OpRegistry.builtIns().forAnnotation(annotation.getCanonicalName());
    }

    /** A merge of the given inputs, named for messages. */
    private static LayerResult merge(Class<? extends Annotation> annotation, java.util.List<Shape> shapes, java.util.List<String> names, long batch,
            Object... given) {
        return op(annotation).apply(attrs(annotation, given), new Inputs(shapes, names, batch));
    }

    /** Attributes as the processor would build them: the annotation's defaults, overridden by {@code given}. */
    static Attrs attrs(Class<? extends Annotation> annotation, Object... given) {
        Map<String, Long> numbers = new HashMap<>();
        Map<String, Boolean> flags = new HashMap<>();
        Map<String, java.util.List<Long>> lists = new HashMap<>();
        Map<String, String> texts = new HashMap<>();
        for (Method method : annotation.getDeclaredMethods()) {
            Object value = method.getDefaultValue();
            if (value instanceof int[] items) {
                lists.put(method.getName(), java.util.Arrays.stream(items).mapToObj(Long::valueOf).toList());
            } else if (value instanceof String text) {
                texts.put(method.getName(), text);
            } else if (value instanceof Integer i) {
                numbers.put(method.getName(), i.longValue());
            } else if (value instanceof Boolean b) {
                flags.put(method.getName(), b);
            } else if (value == null && method.getReturnType() == int.class) {
                numbers.put(method.getName(), 0L);
            }
        }
        Set<String> written = new HashSet<>();
        for (int i = 0; i < given.length; i += 2) {
            String name = (String) given[i];
            written.add(name);
            if (given[i + 1] instanceof Boolean b) {
                flags.put(name, b);
            } else if (given[i + 1] instanceof int[] items) {
                lists.put(name, java.util.Arrays.stream(items).mapToObj(Long::valueOf).toList());
            } else if (given[i + 1] instanceof String text) {
                texts.put(name, text);
            } else {
                numbers.put(name, ((Number) given[i + 1]).longValue());
            }
        }
        return new Attrs(annotation.getSimpleName(), numbers, flags, lists, texts, written);
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static void assertResult(LayerResult r, Shape out, long macs, long flops, long params, long buffers, long other) {
        assertEquals(out, r.output(), "output shape");
        assertEquals(Costs.ZERO.with(Figure.MACS, macs).with(Figure.FLOPS, flops).with(Figure.PARAMS, params)
                .with(Figure.BUFFERS, buffers).with(Figure.OTHER_OPS, other), r.cost());
    }
}
