package dev.modelcost.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelcost.processor.ModelCostProcessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Property: random sequence models (token ids or L x D inputs, any batch) built from embeddings,
 * linear layers, norms, activations, fused and hand-written attention, causal grouped-query
 * attention and residual adds get the params, MACs, FLOPs, other ops and KV cache that this test
 * computes from PyTorch's definitions on its own, layer by layer, and the MACs of one decoding step
 * that the README's rules give, a layer without a causal mask rerunning what changes after it.
 */
class FuzzSequenceSpecsTest {
    private static final int CASES = 30;

    /** The expected figures, accumulated as the model is written. */
    private static final class Expected {
        long params;
        long macs;
        long flops;
        long otherOps;
        long kvCache;
        /** The KV cache of nn.MultiheadAttention layers, which a model without causal attention does not keep. */
        long attentionCache;
        boolean causal;
        /**
         * Whether a layer so far mixes the positions both ways (MultiheadAttention has no causal mask): a new position then changes
         * every position after it, so no attention after it keeps a cache of earlier keys and values.
         */
        boolean mixed;
        /** The first such layer's keys and values, kept where no attention after it needs its output at every position. */
        long mixerCache;
        int mixerAt;
        int lastAttention;
        /** Each field after f0, in order: its case, and for causal attention its key-value heads. */
        final List<int[]> steps = new ArrayList<>();

        void weighted(long outputs, long k, boolean bias, long parameters) {
            macs += outputs * k;
            flops += outputs * (2 * k - 1 + (bias ? 1 : 0));
            params += parameters;
        }
    }

    @TestFactory
    Stream<DynamicTest> randomSequenceModelsGetTheirFigures() {
        return IntStream.range(0, CASES).filter(i -> FuzzSettings.only() < 0 || FuzzSettings.only() == i)
                .mapToObj(i -> DynamicTest.dynamicTest("sequence case " + i + " (seed " + FuzzSettings.seed() + ")", () -> check(i)));
    }

    private static void check(int index) {
        SplittableRandom r = FuzzSettings.random("sequence", index);
        int batch = 1 + r.nextInt(3);
        int length = 1 + r.nextInt(12);
        int heads = 1 << r.nextInt(3);
        int width = heads * (2 + 2 * r.nextInt(4));
        Expected e = new Expected();
        List<String> fields = new ArrayList<>();
        String header;
        if (r.nextBoolean()) {
            int vocab = 10 + r.nextInt(90);
            header = "@Model(input = {" + length + "}, layout = \"L\", tokens = true, batch = " + batch + ")";
            fields.add("@Embedding(numEmbeddings = " + vocab + ", embeddingDim = " + width + ") Layer f0;");
            e.params += (long) vocab * width;
        } else {
            header = "@Model(input = {" + length + ", " + width + "}, layout = \"L,D\", batch = " + batch + ")";
            fields.add("@Identity Layer f0;");
        }
        long elements = (long) batch * length * width;
        String previous = "f0";
        int steps = 2 + r.nextInt(6);
        int lastKvHeads = 0;
        for (int i = 1; i <= steps; i++) {
            String f = "f" + i;
            int kind = r.nextInt(7);
            switch (kind) {
                case 0 -> {
                    boolean bias = r.nextBoolean();
                    fields.add("@Linear(out = " + width + ", bias = " + bias + ") Layer " + f + ";");
                    e.weighted(elements, width, bias, (long) width * width + (bias ? width : 0));
                }
                case 1 -> {
                    // nn.LayerNorm: weight and bias; 5 ops to normalise + 1 + 1.
                    fields.add("@LayerNorm Layer " + f + ";");
                    e.params += 2L * width;
                    e.otherOps += 7 * elements;
                }
                case 2 -> {
                    fields.add("@RMSNorm Layer " + f + ";");
                    e.params += width;
                    e.otherOps += 4 * elements;
                }
                case 3 -> {
                    fields.add(r.nextBoolean() ? "@GELU Layer " + f + ";" : "@SiLU Layer " + f + ";");
                    e.otherOps += elements;
                }
                case 4 -> {
                    // nn.MultiheadAttention(width, heads), self-attention: 4 projections, Q.K^T and A.V.
                    fields.add("@MultiheadAttention(numHeads = " + heads + ") Layer " + f + ";");
                    long tokens = (long) batch * length;
                    e.weighted(4 * tokens * width, width, true, 4L * width * width + 4L * width);
                    long scores = (long) batch * heads * length * length;
                    long d = width / heads;
                    e.macs += 2 * scores * d;
                    e.flops += scores * (2 * d - 1) + (long) batch * heads * length * d * (2L * length - 1);
                    e.otherOps += tokens * width + 5 * scores;
                    // Its projected keys and values, kept where the model decodes (it has a causal attention: case 5), no layer
                    // before it mixed the positions both ways, and no attention after it reads its output at every position (it
                    // then reruns whole, projecting them anew); it mixes the positions itself.
                    if (!e.mixed) {
                        e.mixerCache = 2 * tokens * width;
                        e.mixerAt = i;
                    }
                    e.mixed = true;
                    e.lastAttention = i;
                }
                case 5 -> {
                    // Causal grouped-query attention by hand: q from a Linear, k and v of kvHeads; dense convention.
                    int kvHeads = heads > 1 && r.nextBoolean() ? heads / 2 : heads;
                    lastKvHeads = kvHeads;
                    int d = width / heads;
                    fields.add("@Linear(out = " + width + ", bias = false) Layer " + f + "q;");
                    fields.add("@From(\"" + previous + "\") @Linear(out = " + kvHeads * d + ", bias = false) Layer " + f + "k;");
                    fields.add("@From(\"" + previous + "\") @Linear(out = " + kvHeads * d + ", bias = false) Layer " + f + "v;");
                    for (String t : List.of("q", "k", "v")) {
                        int h = t.equals("q") ? heads : kvHeads;
                        fields.add("@From(\"" + f + t + "\") @Reshape(shape = {" + length + ", " + h + ", " + d + "}, layout = \"L,H,D\") Layer " + f + t + "r;");
                        fields.add("@Transpose(dim0 = 1, dim1 = 2) Layer " + f + t + "h;");
                    }
                    fields.add("@From({\"" + f + "qh\", \"" + f + "kh\", \"" + f + "vh\"}) @ScaledDotProductAttention(isCausal = true, enableGqa = true) Layer " + f + "a;");
                    fields.add("@Transpose(dim0 = 1, dim1 = 2) Layer " + f + "m;");
                    fields.add("@Reshape(shape = {" + length + ", " + width + "}, layout = \"L,D\") Layer " + f + ";");
                    long tokens = (long) batch * length;
                    e.weighted(tokens * width, width, false, (long) width * width);
                    e.weighted(2 * tokens * kvHeads * d, width, false, 2L * width * kvHeads * d);
                    long scores = (long) batch * heads * length * length;
                    e.macs += 2 * scores * d;
                    e.flops += scores * (2L * d - 1) + (long) batch * heads * d * (2L * length * length - length);
                    e.otherOps += 7 * scores;
                    if (!e.mixed) {
                        e.kvCache += (long) batch * kvHeads * length * 2 * d;
                    }
                    e.causal = true;
                    e.lastAttention = i;
                }
                default -> {
                    fields.add("@Add({\"" + previous + "\", \"f0\"}) Layer " + f + ";");
                    e.otherOps += elements;
                }
            }
            previous = f;
            e.steps.add(new int[] {kind, lastKvHeads});
        }
        e.attentionCache = e.mixerAt > 0 && e.lastAttention == e.mixerAt ? e.mixerCache : 0;
        String source = "package seq" + index + ";\n\nimport dev.modelcost.*;\n\n" + header + "\npublic class Net {\n    "
                + String.join("\n    ", fields) + "\n}\n";
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("seq" + index + ".Net", source);
        ToolCompile.Result result = ToolCompile.run(ToolProvider.getSystemJavaCompiler(), sources, List.of("-Amodelcost.reports=none"), false,
                new ModelCostProcessor());
        assertTrue(result.errors().isEmpty(), source + "\n" + result.output());
        String cost = result.generated().get("seq" + index + "/NetCost.java");
        assertEquals(e.params, constant(cost, "PARAMS"), "PARAMS of\n" + source);
        assertEquals(e.macs, constant(cost, "MACS"), "MACS of\n" + source);
        assertEquals(e.flops, constant(cost, "FLOPS"), "FLOPS of\n" + source);
        assertEquals(e.otherOps, constant(cost, "OTHER_OPS"), "OTHER_OPS of\n" + source);
        assertEquals(e.causal ? e.kvCache + e.attentionCache : 0, constant(cost, "KV_CACHE"), "KV_CACHE of\n" + source);
        assertEquals(decodeMacs(e, batch, length, width, heads), constant(cost, "DECODE_MACS"), "DECODE_MACS of\n" + source);
    }

    /**
     * One decoding step's MACs by the README's rules. Without causal attention, a model with attention decodes nothing (an encoder)
     * and one without does each linear layer on one position. With it, a layer changes at the new position alone until the first
     * MultiheadAttention (no mask), after which every output changes at every position; a layer's output is needed at every
     * position where an attention comes after it (it reads every position of its input as keys and values), else at the new one.
     * Changed only at the new position, a layer runs there (attention: that query on the L cached keys); changed everywhere and
     * needed everywhere, it reruns whole; changed everywhere and needed at the new position, it runs there, attention from that
     * query on every key made anew (a MultiheadAttention's keys and values projected at every position).
     */
    private static long decodeMacs(Expected e, long b, long l, long width, int heads) {
        boolean attention = e.steps.stream().anyMatch(step -> step[0] == 4 || step[0] == 5);
        if (!e.causal) {
            return attention ? 0 : e.steps.stream().filter(step -> step[0] == 0).count() * b * width * width;
        }
        long d = width / heads;
        long total = 0;
        boolean mixed = false;
        for (int i = 0; i < e.steps.size(); i++) {
            int kind = e.steps.get(i)[0];
            boolean everywhere = mixed;
            boolean needed = false;
            for (int j = i + 1; j < e.steps.size(); j++) {
                needed |= e.steps.get(j)[0] == 4 || e.steps.get(j)[0] == 5;
            }
            long oneQuery = b * heads * l * 2 * d;
            switch (kind) {
                case 0 -> total += (everywhere && needed ? l : 1) * b * width * width;
                case 4 -> {
                    long whole = b * (4 * l * width * width + (long) heads * l * l * 2 * d);
                    if (needed) {
                        total += whole;
                    } else {
                        // its keys and values: the new position's projections on a cache, or every position's made anew
                        total += b * (2 * width * width + (everywhere ? 2 * l : 2) * width * width) + oneQuery;
                    }
                    mixed = true;
                }
                case 5 -> {
                    long kv = (long) e.steps.get(i)[1] * d;
                    long positions = everywhere ? l : 1;
                    total += (everywhere && needed ? l : 1) * b * width * width + 2 * positions * b * width * kv;
                    total += everywhere && needed ? b * heads * l * l * 2 * d : oneQuery;
                }
                default -> { }
            }
        }
        return total;
    }

    private static long constant(String source, String name) {
        Matcher matcher = Pattern.compile("\\b" + name + " = (\\d+)L;").matcher(source);
        assertTrue(matcher.find(), name);
        return Long.parseLong(matcher.group(1));
    }
}
