package dev.modelcost.processor.fuzz;

import dev.modelcost.processor.fuzz.ModelDraft.Field;
import dev.modelcost.processor.fuzz.ModelDraft.Line;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates random valid model specs together with their expected figures. The generator keeps
 * every shape valid by computing the shapes itself (with {@link Reference}'s PyTorch rules) before
 * it writes a layer, and adds each layer's costs to the expected totals as it goes.
 *
 * <p>What it draws: image ({@code C x H x W}), feature ({@code F}) and sequence ({@code L x D})
 * inputs, batch sizes, class constants; Conv2d (square or kh/kw kernels, per-axis stride, padding
 * and dilation, groups dividing both channel counts, depthwise, bias, checked {@code cin}, channel
 * counts through {@code divisible(..)}), BatchNorm2d (affine, tracked), all activations, Max/AvgPool2d
 * (ceil mode, padding within half the window, per-axis geometry, dilation), AdaptiveAvgPool2d,
 * Flatten with any valid dimensions, Linear on features and sequences, Dropout, Identity; and blocks:
 * a conv unit ({@code @Param} with defaults and {@code expr}, {@code @Repeat} with {@code first},
 * {@code @Block(indexed = true)}), a ResNet basic block (a {@code @When} shortcut as a layer or as a
 * nested block, {@code @From("input")}, {@code @Add}), an Inception-like block ({@code @Concat} of
 * three branches) and squeeze-and-excitation ({@code @Mul} with broadcasting); top-level branches
 * merged by {@code @Concat}, {@code @Add} (also broadcast) and {@code @Mul}; {@code @When} on layers
 * and blocks with conditions that are true or false; {@code @From} to any earlier field or the
 * input. A quarter of the integer and boolean attributes are written in {@code with} as random
 * expressions ({@link Exprs}) that evaluate to the chosen value.
 */
public final class ValidModelGenerator {
    private static final String[] ACTIVATIONS = {"ReLU", "ReLU6", "Sigmoid", "Tanh", "Hardswish", "Hardsigmoid", "SiLU", "GELU"};

    private final SplittableRandom r;
    private final ModelDraft d;
    private final Reference.Costs t;
    private final Map<String, Long> scope = new LinkedHashMap<>();
    private final Map<String, int[]> outputs = new LinkedHashMap<>();
    private final List<Template> templates = new ArrayList<>();
    private int[] cur;
    /** Whether a field so far runs whatever the conditions: one outside any {@code @When}. */
    private boolean ran;
    private String curName = "input";
    private int counter;

    private ValidModelGenerator(SplittableRandom r, String name) {
        this.r = r;
        this.d = new ModelDraft(name);
        int roll = r.nextInt(20);
        if (roll < 15) {
            int c = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 1 + r.nextInt(16);
            int h = 1 + r.nextInt(40);
            int w = r.nextBoolean() ? h : 1 + r.nextInt(40);
            d.input = new int[] {c, h, w};
        } else if (roll < 18) {
            d.input = new int[] {1 + r.nextInt(300)};
        } else {
            d.input = new int[] {1 + r.nextInt(16), 1 + r.nextInt(64)};
        }
        int batchRoll = r.nextInt(10);
        d.batch = batchRoll < 6 ? 1 : batchRoll < 7 ? 1 : 2 + r.nextInt(3);
        d.writeBatch = batchRoll == 6;
        d.indexed = r.nextInt(10) == 0;
        this.t = new Reference.Costs(d.batch);
        cur = d.input;
        outputs.put("input", cur);
        scope.put("in", (long) (cur.length == 3 ? cur[0] : cur[cur.length - 1]));
        if (cur.length == 3) {
            scope.put("h", (long) cur[1]);
            scope.put("w", (long) cur[2]);
        }
        int constants = r.nextInt(3);
        for (int i = 0; i < constants; i++) {
            long value = r.nextInt(17);
            boolean isLong = r.nextInt(4) == 0;
            d.constants.add("static final " + (isLong ? "long" : "int") + " K" + i + " = " + value + (isLong ? "L" : "") + ";");
            scope.put("K" + i, value);
        }
        if (r.nextInt(5) == 0) {
            d.constants.add("static final double RATIO = 0.25;");
        }
    }

    /** A random valid model named {@code name}, with {@link ModelDraft#expected} set. */
    public static ModelDraft generate(SplittableRandom r, String name) {
        ValidModelGenerator g = new ValidModelGenerator(r, name);
        int steps = 1 + r.nextInt(9);
        for (int i = 0; i < steps; i++) {
            if (g.cur.length == 3) {
                g.imageStep();
            } else {
                g.featureStep();
            }
        }
        if (!g.ran) {
            // every field so far under a @When: one that surely runs, as a network of no layers is refused (MC150)
            g.t.activation(g.cur);
            g.emit(g.name("act"), "@ReLU", "Layer", g.cur);
        }
        if (g.cur.length == 3 && r.nextBoolean()) {
            if (r.nextBoolean()) {
                g.adaptive(1, 1);
            }
            g.flatten(1, g.cur.length);
            g.linear();
        }
        g.t.output = g.cur;
        g.budget();
        g.d.expected = g.t;
        return g.d;
    }

    // ---------------------------------------------------------------- steps

    private void imageStep() {
        int roll = r.nextInt(100);
        if (roll < 26) {
            conv();
        } else if (roll < 34) {
            batchNorm();
        } else if (roll < 42) {
            activation();
        } else if (roll < 49) {
            pool(true);
        } else if (roll < 55) {
            pool(false);
        } else if (roll < 58) {
            int oh = 1 + r.nextInt(Math.min(cur[1] + 2, 12));
            adaptive(oh, r.nextBoolean() ? oh : 1 + r.nextInt(Math.min(cur[2] + 2, 12)));
        } else if (roll < 61) {
            if (r.nextInt(3) == 0) {
                split();
            } else {
                free();
            }
        } else if (roll < 81) {
            block();
        } else if (roll < 89) {
            branch();
        } else if (roll < 93) {
            when();
        } else if (roll < 96) {
            from();
        } else {
            int rank = cur.length;
            int s = 1 + r.nextInt(rank);
            flatten(s, s + r.nextInt(rank - s + 1));
        }
    }

    private void featureStep() {
        int roll = r.nextInt(100);
        if (roll < 40) {
            linear();
        } else if (roll < 55) {
            activation();
        } else if (roll < 60) {
            free();
        } else if (roll < 70) {
            String x = curName;
            int[] in = cur;
            boolean bias = r.nextBoolean();
            String a = name("res");
            emit(a, "@Linear(out = " + in[in.length - 1] + (bias ? "" : ", bias = false") + ")", "Layer", in);
            t.linear(in[in.length - 1], bias, in);
            String add = name("sum");
            emit(add, "@Add({\"" + x + "\", \"" + a + "\"})", "Layer", in);
            t.elementwise(2, in);
        } else if (roll < 80) {
            when();
        } else if (roll < 85) {
            from();
        } else if (roll < 90) {
            String x = curName;
            int[] in = cur;
            int a = 1 + r.nextInt(32);
            int b = in.length == 2 ? a : 1 + r.nextInt(32);
            int[] pa = in.clone();
            pa[pa.length - 1] = a;
            int[] pb = in.clone();
            pb[pb.length - 1] = b;
            String p = name("p");
            emit(p, "@Linear(out = " + a + ")", "Layer", pa);
            t.linear(in[in.length - 1], true, pa);
            String q = name("q");
            emit(q, "@From(\"" + x + "\") @Linear(out = " + b + ")", "Layer", pb);
            t.linear(in[in.length - 1], true, pb);
            int[] out = pa.clone();
            out[0] = pa[0] + pb[0];
            t.free();
            emit(name("cat"), "@Concat({\"" + p + "\", \"" + q + "\"})", "Layer", out);
        } else if (cur.length == 2) {
            flatten(1, 2);
        } else {
            linear();
        }
    }

    private String name(String prefix) {
        return prefix + counter++;
    }

    private void emit(String name, String annotations, String type, int[] out) {
        String prefix = annotations.trim();
        ran |= !prefix.contains("@When(");
        d.fields.add(new Field(name, (prefix.isEmpty() ? "" : prefix + " ") + type + " " + name + ";", out));
        outputs.put(name, out);
        cur = out;
        curName = name;
    }

    private void conv() {
        int c = cur[0];
        int h = cur[1];
        int w = cur[2];
        int groups = 1;
        int cout = 1;
        int kh = 1;
        int kw = 1;
        int sh = 1;
        int sw = 1;
        int ph = 0;
        int pw = 0;
        int dh = 1;
        int dw = 1;
        int oh = 0;
        int ow = 0;
        for (int attempt = 0; attempt < 30 && (oh < 1 || ow < 1); attempt++) {
            int g = r.nextInt(10);
            List<Integer> divisors = divisors(c);
            groups = g < 6 ? 1 : g < 9 ? divisors.get(r.nextInt(divisors.size())) : c;
            int multiple = 1 + r.nextInt(Math.max(1, 48 / groups));
            cout = groups * multiple > 96 ? groups : groups * multiple;
            if (r.nextInt(10) < 6) {
                kh = kw = new int[] {1, 1, 2, 3, 3, 3, 5, 7}[r.nextInt(8)];
            } else {
                kh = 1 + r.nextInt(7);
                kw = 1 + r.nextInt(7);
            }
            dh = dw = 1;
            if (r.nextInt(8) == 0) {
                dh = 2 + r.nextInt(2);
                dw = r.nextBoolean() ? dh : 1 + r.nextInt(3);
            }
            sh = stride();
            sw = r.nextInt(5) == 0 ? stride() : sh;
            ph = r.nextInt(kh + 3);
            pw = r.nextBoolean() ? ph : r.nextInt(kw + 3);
            oh = Reference.convOut(h, kh, sh, ph, dh);
            ow = Reference.convOut(w, kw, sw, pw, dw);
        }
        if (oh < 1 || ow < 1) {
            groups = 1;
            kh = kw = sh = sw = dh = dw = 1;
            ph = pw = 0;
            cout = 1 + r.nextInt(16);
            oh = h;
            ow = w;
        }
        boolean bias = r.nextInt(10) < 7;
        Ann a = new Ann("Conv2d");
        if (groups == 1 && r.nextInt(10) == 0) {
            long x = 1 + r.nextInt(64);
            int divisor = new int[] {2, 4, 8, 16}[r.nextInt(4)];
            boolean min = r.nextInt(3) == 0;
            long minValue = min ? 1 + r.nextInt(divisor * 2) : divisor;
            cout = (int) Reference.makeDivisible(x, divisor, minValue);
            a.with("cout", "divisible(" + Exprs.number(r, x, scope, 2) + ", " + divisor + (min ? ", " + minValue : "") + ")");
        } else {
            num(a, "cout", cout);
        }
        if (r.nextInt(10) < 3) {
            num(a, "cin", c);
        }
        axis(a, "k", "kh", "kw", kh, kw, -1);
        axis(a, "stride", "strideH", "strideW", sh, sw, 1);
        axis(a, "padding", "paddingH", "paddingW", ph, pw, 0);
        axis(a, "dilation", "dilationH", "dilationW", dh, dw, 1);
        if (groups != 1 || r.nextInt(10) == 0) {
            num(a, "groups", groups);
        }
        if (!bias || r.nextInt(10) == 0) {
            flag(a, "bias", bias);
        }
        int[] out = {cout, oh, ow};
        t.conv(c, groups, kh, kw, bias, out);
        emit(name("conv"), a.render(), "Layer", out);
    }

    private int stride() {
        int s = r.nextInt(10);
        return s < 6 ? 1 : s < 9 ? 2 : 3;
    }

    private static List<Integer> divisors(int n) {
        List<Integer> divisors = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            if (n % i == 0) {
                divisors.add(i);
            }
        }
        return divisors;
    }

    private void batchNorm() {
        Ann a = new Ann("BatchNorm2d");
        if (r.nextInt(10) < 3) {
            num(a, "features", cur[0]);
        }
        boolean affine = r.nextInt(5) != 0;
        // Without running statistics PyTorch needs more than one value per channel in the batch.
        boolean track = r.nextInt(5) != 0 || (long) d.batch * cur[1] * cur[2] <= 1;
        if (!affine || r.nextInt(10) == 0) {
            flag(a, "affine", affine);
        }
        if (!track || r.nextInt(10) == 0) {
            flag(a, "trackRunningStats", track);
        }
        t.batchNorm(affine, track, cur);
        emit(name("bn"), a.render(), "Layer", cur);
    }

    private void activation() {
        t.activation(cur);
        emit(name("act"), "@" + ACTIVATIONS[r.nextInt(ACTIVATIONS.length)], "Layer", cur);
    }

    private void free() {
        t.free();
        emit(name("id"), r.nextBoolean() ? "@Dropout" : "@Identity", "Layer", cur);
    }

    /** A channel split (x.chunk(n, dim=1)[i]) or a channel shuffle; neither is a module, both are free. */
    private void split() {
        List<Integer> divisors = divisors(cur[0]);
        int n = divisors.get(r.nextInt(divisors.size()));
        t.free();
        if (r.nextBoolean()) {
            int index = r.nextInt(n);
            int[] out = cur.clone();
            out[0] = cur[0] / n;
            Ann a = new Ann("Chunk");
            if (n != 2 || r.nextBoolean()) {
                num(a, "chunks", n);
            }
            if (index != 0 || r.nextBoolean()) {
                num(a, "index", index);
            }
            emit(name("chunk"), a.render(), "Layer", out);
        } else {
            emit(name("shuffle"), "@ChannelShuffle(" + n + ")", "Layer", cur);
        }
    }

    private void pool(boolean max) {
        int c = cur[0];
        int h = cur[1];
        int w = cur[2];
        for (int attempt = 0; attempt < 30; attempt++) {
            int kh;
            int kw;
            if (r.nextInt(10) < 7) {
                kh = kw = 1 + r.nextInt(5);
            } else {
                kh = 1 + r.nextInt(5);
                kw = 1 + r.nextInt(5);
            }
            boolean defaultStride = r.nextInt(5) < 2;
            int sh = defaultStride ? kh : 1 + r.nextInt(kh + 1);
            int sw = defaultStride ? kw : r.nextBoolean() && sh <= kw + 1 ? sh : 1 + r.nextInt(kw + 1);
            int ph = r.nextInt(kh / 2 + 1);
            int pw = r.nextBoolean() && ph <= kw / 2 ? ph : r.nextInt(kw / 2 + 1);
            int dilation = max && r.nextInt(8) == 0 ? 2 : 1;
            boolean ceil = r.nextInt(10) < 3;
            int oh = Reference.poolOut(h, kh, sh, ph, dilation, ceil);
            int ow = Reference.poolOut(w, kw, sw, pw, dilation, ceil);
            if (oh < 1 || ow < 1 || !Reference.poolPaddingAllowed(kh, ph) || !Reference.poolPaddingAllowed(kw, pw)) {
                continue;
            }
            Ann a = new Ann(max ? "MaxPool2d" : "AvgPool2d");
            axis(a, "k", "kh", "kw", kh, kw, -1);
            if (!(sh == kh && sw == kw) || r.nextInt(3) == 0) {
                axis(a, "stride", "strideH", "strideW", sh, sw, -1);
            }
            axis(a, "padding", "paddingH", "paddingW", ph, pw, 0);
            if (max && (dilation != 1 || r.nextInt(20) == 0)) {
                num(a, "dilation", dilation);
            }
            if (ceil || r.nextInt(10) == 0) {
                flag(a, "ceilMode", ceil);
            }
            if (!max && r.nextInt(10) == 0) {
                flag(a, "countIncludePad", r.nextBoolean());
            }
            int[] out = {c, oh, ow};
            if (max) {
                t.maxPool(kh, kw, out);
            } else {
                t.avgPool(kh, kw, out);
            }
            emit(name("pool"), a.render(), "Layer", out);
            return;
        }
        activation();
    }

    private void adaptive(int oh, int ow) {
        Ann a = new Ann("AdaptiveAvgPool2d");
        if (oh == ow && r.nextInt(3) != 0) {
            num(a, "value", oh);
        } else {
            num(a, "h", oh);
            num(a, "w", ow);
        }
        int[] out = {cur[0], oh, ow};
        t.adaptiveAvgPool(cur, oh, ow);
        emit(name("gap"), a.render(), "Layer", out);
    }

    /** Flattens dimensions {@code start..end} (1-based, the batch is 0). */
    private void flatten(int start, int end) {
        int rank = cur.length;
        int full = rank + 1;
        List<String> attrs = new ArrayList<>();
        if (start != 1 || r.nextInt(10) == 0) {
            attrs.add("startDim = " + (r.nextBoolean() ? start : start - full));
        }
        if (end != rank || r.nextInt(10) == 0) {
            attrs.add("endDim = " + (r.nextBoolean() ? end : end - full));
        }
        List<Integer> dims = new ArrayList<>();
        long merged = 1;
        for (int i = 0; i < rank; i++) {
            int dim = i + 1;
            if (dim < start || dim > end) {
                dims.add(cur[i]);
            } else {
                merged *= cur[i];
                if (dim == end) {
                    dims.add((int) merged);
                }
            }
        }
        int[] out = dims.stream().mapToInt(Integer::intValue).toArray();
        t.free();
        emit(name("flat"), "@Flatten" + (attrs.isEmpty() ? "" : "(" + String.join(", ", attrs) + ")"), "Layer", out);
    }

    private void linear() {
        int features = cur[cur.length - 1];
        int out = 1 + r.nextInt(64);
        boolean bias = r.nextInt(10) < 7;
        Ann a = new Ann("Linear");
        num(a, "out", out);
        if (r.nextInt(10) < 3) {
            num(a, "inFeatures", features);
        }
        if (!bias || r.nextInt(10) == 0) {
            flag(a, "bias", bias);
        }
        int[] shape = cur.clone();
        shape[shape.length - 1] = out;
        t.linear(features, bias, shape);
        emit(name("fc"), a.render(), "Layer", shape);
    }

    /** Two or three branches from the current output, merged. */
    private void branch() {
        String x = curName;
        int[] in = cur;
        int c = in[0];
        int h = in[1];
        int w = in[2];
        String from = "@From(\"" + x + "\") ";
        switch (r.nextInt(4)) {
            case 0: {
                int c1 = 1 + r.nextInt(16);
                int c2 = 1 + r.nextInt(16);
                String p = name("p");
                emit(p, "@Conv2d(cout = " + c1 + ", k = 1)", "Layer", new int[] {c1, h, w});
                t.conv(c, 1, 1, 1, true, cur);
                String q = name("q");
                emit(q, from + "@Conv2d(cout = " + c2 + ", k = 3, padding = 1)", "Layer", new int[] {c2, h, w});
                t.conv(c, 1, 3, 3, true, cur);
                boolean withInput = r.nextBoolean();
                t.free();
                emit(name("cat"), "@Concat({" + (withInput ? "\"" + x + "\", " : "") + "\"" + p + "\", \"" + q + "\"})", "Layer",
                        new int[] {c1 + c2 + (withInput ? c : 0), h, w});
                return;
            }
            case 1: {
                String p = name("p");
                emit(p, "@Conv2d(cout = " + c + ", k = 3, padding = 1, bias = false)", "Layer", in);
                t.conv(c, 1, 3, 3, false, in);
                if (r.nextBoolean()) {
                    String q = name("q");
                    emit(q, from + "@Conv2d(cout = " + c + ", k = 1)", "Layer", in);
                    t.conv(c, 1, 1, 1, true, in);
                    t.elementwise(3, in);
                    emit(name("sum"), "@Add({\"" + x + "\", \"" + p + "\", \"" + q + "\"})", "Layer", in);
                } else {
                    t.elementwise(2, in);
                    emit(name("sum"), "@Add({\"" + x + "\", \"" + p + "\"})", "Layer", in);
                }
                return;
            }
            case 2: {
                // broadcasting: C x H x W + C x 1 x 1
                String p = name("p");
                t.adaptiveAvgPool(in, 1, 1);
                emit(p, "@AdaptiveAvgPool2d(1)", "Layer", new int[] {c, 1, 1});
                t.elementwise(2, in);
                boolean swap = r.nextBoolean();
                emit(name("sum"), "@Add({\"" + (swap ? p : x) + "\", \"" + (swap ? x : p) + "\"})", "Layer", in);
                return;
            }
            default: {
                String p = name("p");
                t.activation(in);
                emit(p, "@Sigmoid", "Layer", in);
                t.elementwise(2, in);
                emit(name("prod"), "@Mul({\"" + x + "\", \"" + p + "\"})", "Layer", in);
            }
        }
    }

    /** A layer under a condition that may be true or false; when false it passes its input through. */
    private void when() {
        boolean holds = r.nextBoolean();
        String condition = "@When(\"" + Exprs.condition(r, holds, scope, 3) + "\") ";
        if (cur.length == 3 && r.nextBoolean()) {
            int cout = 1 + r.nextInt(16);
            int[] out = {cout, cur[1], cur[2]};
            if (holds) {
                t.conv(cur[0], 1, 1, 1, true, out);
            }
            emit(name("maybe"), condition + "@Conv2d(cout = " + cout + ", k = 1)", "Layer", holds ? out : cur);
        } else {
            if (holds) {
                t.activation(cur);
            }
            emit(name("maybe"), condition + "@" + ACTIVATIONS[r.nextInt(ACTIVATIONS.length)], "Layer", cur);
        }
    }

    /** A layer reading an earlier output (or the input) instead of the previous field. */
    private void from() {
        List<String> names = new ArrayList<>(outputs.keySet());
        String source = names.get(r.nextInt(names.size()));
        int[] in = outputs.get(source);
        t.activation(in);
        emit(name("from"), "@From(\"" + source + "\") @" + ACTIVATIONS[r.nextInt(ACTIVATIONS.length)], "Layer", in);
    }

    private void block() {
        Template template;
        if (templates.size() < 3 && (templates.isEmpty() || r.nextInt(3) == 0)) {
            int n = templates.size();
            switch (r.nextInt(5)) {
                case 0: template = new Unit("U" + n); break;
                case 1: template = new Residual("R" + n); break;
                case 2: template = new Inception("I" + n); break;
                case 3: template = new SqueezeExcite("E" + n); break; // not S: the invalid specs' valid siblings are S0, S1, ...
                default: template = new Stage("T" + n, new Unit("P" + n)); break; // not V: the models are V0, V1, ..., which a nested class may not share
            }
            templates.add(template);
            d.blocks.add(template.lines());
        } else {
            template = templates.get(r.nextInt(templates.size()));
        }
        template.use();
    }

    private void budget() {
        if (r.nextInt(4) != 0) {
            return;
        }
        for (String attribute : new String[] {"maxMacs", "maxFlops", "maxParams"}) {
            if (r.nextBoolean()) {
                long value = t.figure(attribute);
                long limit = r.nextInt(4) == 0 ? value : value + r.nextLong(value + 2);
                d.budget.add(attribute + " = " + Math.max(1, limit) + "L");
            }
        }
    }

    // ---------------------------------------------------------------- attributes

    /** An annotation under construction: literal attributes and those written in {@code with}. */
    static final class Ann {
        private final String name;
        private final List<String> literals = new ArrayList<>();
        private final List<String> with = new ArrayList<>();

        Ann(String name) {
            this.name = name;
        }

        Ann literal(String attribute, Object value) {
            literals.add(attribute + " = " + value);
            return this;
        }

        Ann with(String attribute, String expression) {
            with.add(attribute + " = " + expression);
            return this;
        }

        String render() {
            List<String> parts = new ArrayList<>(literals);
            if (!with.isEmpty()) {
                parts.add("with = \"" + String.join(", ", with) + "\"");
            }
            if (parts.isEmpty()) {
                return "@" + name;
            }
            if (parts.size() == 1 && parts.get(0).startsWith("value = ")) {
                return "@" + name + "(" + parts.get(0).substring("value = ".length()) + ")";
            }
            return "@" + name + "(" + String.join(", ", parts) + ")";
        }
    }

    private void num(Ann a, String attribute, long value) {
        if (r.nextInt(4) == 0) {
            a.with(attribute, Exprs.number(r, value, scope, 2));
        } else {
            a.literal(attribute, value);
        }
    }

    private void flag(Ann a, String attribute, boolean value) {
        if (r.nextInt(5) == 0) {
            a.with(attribute, Exprs.condition(r, value, scope, 2));
        } else {
            a.literal(attribute, value);
        }
    }

    /**
     * A per-axis attribute: {@code both} when the axes agree, else {@code h}/{@code w} or one
     * axis overriding {@code both}; omitted when both equal {@code fallback} (never when it is -1).
     */
    private void axis(Ann a, String both, String h, String w, int hv, int wv, int fallback) {
        if (hv == wv) {
            if (hv == fallback && r.nextInt(3) != 0) {
                return;
            }
            switch (r.nextInt(6)) {
                case 0:
                    num(a, h, hv);
                    num(a, w, wv);
                    return;
                case 1:
                    num(a, both, hv);
                    num(a, h, hv);
                    return;
                default:
                    num(a, both, hv);
                    return;
            }
        }
        switch (r.nextInt(4)) {
            case 0:
            case 1:
                num(a, h, hv);
                num(a, w, wv);
                return;
            case 2:
                num(a, both, wv);
                num(a, h, hv);
                return;
            default:
                num(a, both, hv);
                num(a, w, wv);
        }
    }

    // ---------------------------------------------------------------- blocks

    /** A block class of the model and what applying it costs. */
    private abstract class Template {
        final String name;

        Template(String name) {
            this.name = name;
        }

        abstract List<Line> lines();

        /** Emits one use of the block at the current position and adds its expected costs. */
        abstract void use();

        /** Renders @Args from "name = expression" items, as one string or an array. */
        String args(List<String> items) {
            if (items.isEmpty()) {
                return "";
            }
            if (items.size() > 1 && r.nextInt(3) == 0) {
                return "@Args({\"" + String.join("\", \"", items) + "\"}) ";
            }
            return "@Args(\"" + String.join(", ", items) + "\") ";
        }

        /** A top-level condition on the use, or "" (most uses have none); sets {@link #holds}. */
        String condition() {
            holds = true;
            if (r.nextInt(7) != 0) {
                return "";
            }
            holds = r.nextBoolean();
            return "@When(\"" + Exprs.condition(r, holds, scope, 2) + "\") ";
        }

        boolean holds;
    }

    /** conv (k x k, padding k / 2, stride s) → optional BN → activation; width = c or c * EXP. */
    private final class Unit extends Template {
        final int k = new int[] {1, 2, 3, 3, 4, 5}[r.nextInt(6)];
        final boolean bn = r.nextBoolean();
        final boolean bias = r.nextBoolean();
        final int expansion = r.nextInt(3) == 0 ? 1 + r.nextInt(3) : 0;
        final boolean indexed = r.nextInt(3) == 0;
        final String activation = ACTIVATIONS[r.nextInt(ACTIVATIONS.length)];

        Unit(String name) {
            super(name);
        }

        @Override
        List<Line> lines() {
            List<Line> lines = new ArrayList<>();
            lines.add(new Line(null, indexed ? "@Block(indexed = true)" : "@Block"));
            lines.add(new Line(null, "public static class " + name + " {"));
            if (expansion > 0) {
                lines.add(new Line(null, "    static final int EXP = " + expansion + ";"));
            }
            lines.add(new Line(null, "    @Param int c;"));
            lines.add(new Line(null, "    @Param(1) int s;"));
            if (expansion > 0) {
                lines.add(new Line(null, "    @Param(expr = \"c * EXP\") int width;"));
            }
            lines.add(new Line(null, "    @Conv2d(k = " + k + (bias ? "" : ", bias = false") + ", with = \"cout = "
                    + (expansion > 0 ? "width" : "c") + ", stride = s, padding = " + (r.nextBoolean() ? k + " / 2" : k / 2) + "\") Layer conv;"));
            if (bn) {
                lines.add(new Line(null, "    @BatchNorm2d Layer bn;"));
            }
            lines.add(new Line(null, "    @" + activation + " Layer act;"));
            lines.add(new Line(null, "}"));
            return lines;
        }

        int[] apply(int[] in, int c, int s) {
            int width = expansion > 0 ? c * expansion : c;
            int[] out = {width, Reference.convOut(in[1], k, s, k / 2, 1), Reference.convOut(in[2], k, s, k / 2, 1)};
            t.conv(in[0], 1, k, k, bias, out);
            if (bn) {
                t.batchNorm(true, true, out);
            }
            t.activation(out);
            return out;
        }

        @Override
        void use() {
            String when = condition();
            int c = 1 + r.nextInt(24);
            int s = r.nextInt(4) == 0 ? 2 : 1;
            List<String> items = new ArrayList<>();
            items.add("c = " + Exprs.number(r, c, scope, 2));
            if (s != 1 || r.nextInt(3) == 0) {
                items.add("s = " + Exprs.number(r, s, scope, 2));
            }
            String repeat = "";
            int count = 1;
            Integer firstC = null;
            Integer firstS = null;
            if (r.nextInt(3) == 0) {
                count = 1 + r.nextInt(4);
                List<String> first = new ArrayList<>();
                if (r.nextBoolean()) {
                    firstS = 1 + r.nextInt(3);
                    first.add("s = " + Exprs.number(r, firstS, scope, 1));
                }
                if (r.nextInt(4) == 0) {
                    firstC = 1 + r.nextInt(24);
                    first.add("c = " + Exprs.number(r, firstC, scope, 1));
                }
                repeat = first.isEmpty() && r.nextBoolean() ? "@Repeat(" + count + ") "
                        : "@Repeat(value = " + count + (first.isEmpty() ? "" : ", first = \"" + String.join(", ", first) + "\"") + ") ";
            }
            int[] shape = cur;
            if (holds) {
                for (int i = 0; i < count; i++) {
                    shape = apply(shape, i == 0 && firstC != null ? firstC : c, i == 0 && firstS != null ? firstS : s);
                }
            }
            emit(ValidModelGenerator.this.name("u"), when + args(items) + repeat.trim(), name, shape);
        }
    }

    /** ResNet's basic block: two 3x3 convs with BN, a 1x1 shortcut only where shapes change (@When), @Add. */
    private final class Residual extends Template {
        final boolean downBlock = r.nextBoolean();
        final boolean downIndexed = r.nextBoolean();

        Residual(String name) {
            super(name);
        }

        @Override
        List<Line> lines() {
            String down = "D" + name.substring(1);
            List<Line> lines = new ArrayList<>();
            lines.add(new Line(null, "@Block"));
            lines.add(new Line(null, "public static class " + name + " {"));
            lines.add(new Line(null, "    @Param int c;"));
            lines.add(new Line(null, "    @Param(1) int s;"));
            lines.add(new Line(null, "    @Conv2d(k = 3, padding = 1, bias = false, with = \"cout = c, stride = s\") Layer conv1;"));
            lines.add(new Line(null, "    @BatchNorm2d Layer bn1;"));
            lines.add(new Line(null, "    @ReLU Layer relu1;"));
            lines.add(new Line(null, "    @Conv2d(k = 3, padding = 1, bias = false, with = \"cout = c\") Layer conv2;"));
            lines.add(new Line(null, "    @BatchNorm2d Layer bn2;"));
            lines.add(new Line(null, downBlock
                    ? "    @From(\"input\") @When(\"s != 1 || in != c\") @Args(\"c = c, s = s\") " + down + " down;"
                    : "    @From(\"input\") @When(\"s != 1 || in != c\") @Conv2d(k = 1, bias = false, with = \"cout = c, stride = s\") Layer down;"));
            lines.add(new Line(null, "    @Add({\"bn2\", \"down\"}) Layer add;"));
            lines.add(new Line(null, "    @ReLU Layer relu2;"));
            lines.add(new Line(null, "}"));
            if (downBlock) {
                lines.add(new Line(null, ""));
                lines.add(new Line(null, downIndexed ? "@Block(indexed = true)" : "@Block"));
                lines.add(new Line(null, "public static class " + down + " {"));
                lines.add(new Line(null, "    @Param int c;"));
                lines.add(new Line(null, "    @Param int s;"));
                lines.add(new Line(null, "    @Conv2d(k = 1, bias = false, with = \"cout = c, stride = s\") Layer conv;"));
                lines.add(new Line(null, "    @BatchNorm2d Layer bn;"));
                lines.add(new Line(null, "}"));
            }
            return lines;
        }

        int[] apply(int[] in, int c, int s) {
            int[] mid = {c, Reference.convOut(in[1], 3, s, 1, 1), Reference.convOut(in[2], 3, s, 1, 1)};
            t.conv(in[0], 1, 3, 3, false, mid);
            t.batchNorm(true, true, mid);
            t.activation(mid);
            t.conv(c, 1, 3, 3, false, mid);
            t.batchNorm(true, true, mid);
            if (s != 1 || in[0] != c) {
                int[] shortcut = {c, Reference.convOut(in[1], 1, s, 0, 1), Reference.convOut(in[2], 1, s, 0, 1)};
                t.conv(in[0], 1, 1, 1, false, shortcut);
                if (downBlock) {
                    t.batchNorm(true, true, shortcut);
                }
            }
            t.elementwise(2, mid);
            t.activation(mid);
            return mid;
        }

        @Override
        void use() {
            String when = condition();
            int c = r.nextInt(3) == 0 ? cur[0] : 1 + r.nextInt(32);
            int s = r.nextInt(3) == 0 ? 2 : 1;
            List<String> items = new ArrayList<>();
            items.add("c = " + Exprs.number(r, c, scope, 2));
            if (s != 1 || r.nextBoolean()) {
                items.add("s = " + Exprs.number(r, s, scope, 2));
            }
            String repeat = "";
            int count = 1;
            boolean firstStride = false;
            if (r.nextInt(3) == 0) {
                count = 1 + r.nextInt(3);
                firstStride = r.nextBoolean();
                repeat = firstStride ? "@Repeat(value = " + count + ", first = \"s = 2\") " : "@Repeat(" + count + ") ";
            }
            int[] shape = cur;
            if (holds) {
                for (int i = 0; i < count; i++) {
                    shape = apply(shape, c, i == 0 && firstStride ? 2 : s);
                }
            }
            emit(ValidModelGenerator.this.name("res"), when + args(items) + repeat.trim(), name, shape);
        }
    }

    /** Three branches (1x1; 1x1 then 3x3; 3x3 max pool) concatenated. */
    private final class Inception extends Template {
        final boolean ceil = r.nextBoolean();
        final String[] order = shuffled(new String[] {"b1", "b2b", "b3"});

        Inception(String name) {
            super(name);
        }

        @Override
        List<Line> lines() {
            List<Line> lines = new ArrayList<>();
            lines.add(new Line(null, "@Block"));
            lines.add(new Line(null, "public static class " + name + " {"));
            lines.add(new Line(null, "    @Param int a;"));
            lines.add(new Line(null, "    @Param int b;"));
            lines.add(new Line(null, "    @Param(expr = \"max(b / 2, 1)\") int r;"));
            lines.add(new Line(null, "    @Conv2d(k = 1, with = \"cout = a\") Layer b1;"));
            lines.add(new Line(null, "    @From(\"input\") @Conv2d(k = 1, with = \"cout = r\") Layer b2a;"));
            lines.add(new Line(null, "    @ReLU Layer b2r;"));
            lines.add(new Line(null, "    @Conv2d(k = 3, padding = 1, with = \"cout = b\") Layer b2b;"));
            lines.add(new Line(null, "    @From(\"input\") @MaxPool2d(k = 3, stride = 1, padding = 1" + (ceil ? ", ceilMode = true" : "") + ") Layer b3;"));
            lines.add(new Line(null, "    @Concat({\"" + String.join("\", \"", order) + "\"}) Layer cat;"));
            lines.add(new Line(null, "}"));
            return lines;
        }

        @Override
        void use() {
            String when = condition();
            int a = 1 + r.nextInt(16);
            int b = 1 + r.nextInt(16);
            List<String> items = new ArrayList<>();
            items.add("a = " + Exprs.number(r, a, scope, 2));
            items.add("b = " + Exprs.number(r, b, scope, 2));
            int reduce = Math.max(b / 2, 1);
            if (r.nextInt(5) == 0) {
                reduce = 1 + r.nextInt(8);
                items.add("r = " + Exprs.number(r, reduce, scope, 1));
            }
            int[] in = cur;
            int[] out = in;
            if (holds) {
                int h = in[1];
                int w = in[2];
                t.conv(in[0], 1, 1, 1, true, new int[] {a, h, w});
                t.conv(in[0], 1, 1, 1, true, new int[] {reduce, h, w});
                t.activation(new int[] {reduce, h, w});
                t.conv(reduce, 1, 3, 3, true, new int[] {b, h, w});
                int[] pooled = {in[0], Reference.poolOut(h, 3, 1, 1, 1, ceil), Reference.poolOut(w, 3, 1, 1, 1, ceil)};
                t.maxPool(3, 3, pooled);
                t.free();
                out = new int[] {a + b + in[0], h, w};
            }
            emit(ValidModelGenerator.this.name("inc"), when + args(items).trim(), name, out);
        }
    }

    /** Squeeze-and-excitation: global pool, two 1x1 convs, a sigmoid gate multiplied into the input. */
    private final class SqueezeExcite extends Template {
        SqueezeExcite(String name) {
            super(name);
        }

        @Override
        List<Line> lines() {
            List<Line> lines = new ArrayList<>();
            lines.add(new Line(null, "@Block"));
            lines.add(new Line(null, "public static class " + name + " {"));
            lines.add(new Line(null, "    @Param(4) int red;"));
            lines.add(new Line(null, "    @AdaptiveAvgPool2d(1) Layer pool;"));
            lines.add(new Line(null, "    @Conv2d(k = 1, with = \"cout = max(in / red, 1)\") Layer fc1;"));
            lines.add(new Line(null, "    @ReLU Layer relu;"));
            lines.add(new Line(null, "    @Conv2d(k = 1, with = \"cout = in\") Layer fc2;"));
            lines.add(new Line(null, "    @Sigmoid Layer gate;"));
            lines.add(new Line(null, "    @Mul({\"input\", \"gate\"}) Layer scale;"));
            lines.add(new Line(null, "}"));
            return lines;
        }

        @Override
        void use() {
            String when = condition();
            int red = 4;
            List<String> items = new ArrayList<>();
            if (r.nextBoolean()) {
                red = 1 + r.nextInt(8);
                items.add("red = " + Exprs.number(r, red, scope, 2));
            }
            int[] in = cur;
            if (holds) {
                int c = in[0];
                int m = Math.max(c / red, 1);
                t.adaptiveAvgPool(in, 1, 1);
                t.conv(c, 1, 1, 1, true, new int[] {m, 1, 1});
                t.activation(new int[] {m, 1, 1});
                t.conv(m, 1, 1, 1, true, new int[] {c, 1, 1});
                t.activation(new int[] {c, 1, 1});
                t.elementwise(2, in);
            }
            emit(ValidModelGenerator.this.name("se"), (when + args(items)).trim(), name, in);
        }
    }

    /** A block of blocks: a strided unit, then the same unit repeated, each a use of a nested Unit block. */
    private final class Stage extends Template {
        final Unit unit;
        final int repeat = 1 + r.nextInt(3);

        Stage(String name, Unit unit) {
            super(name);
            this.unit = unit;
        }

        @Override
        List<Line> lines() {
            List<Line> lines = new ArrayList<>();
            lines.add(new Line(null, "@Block"));
            lines.add(new Line(null, "public static class " + name + " {"));
            lines.add(new Line(null, "    @Param int c;"));
            lines.add(new Line(null, "    @Param(2) int s;"));
            lines.add(new Line(null, "    @Args(\"c = c, s = s\") " + unit.name + " head;"));
            lines.add(new Line(null, "    @Args(\"c = c\") @Repeat(" + repeat + ") " + unit.name + " tail;"));
            lines.add(new Line(null, "}"));
            lines.add(new Line(null, ""));
            lines.addAll(unit.lines());
            return lines;
        }

        @Override
        void use() {
            String when = condition();
            int c = 1 + r.nextInt(16);
            int s = 1 + r.nextInt(2);
            List<String> items = new ArrayList<>();
            items.add("c = " + Exprs.number(r, c, scope, 2));
            if (s != 2 || r.nextBoolean()) {
                items.add("s = " + Exprs.number(r, s, scope, 2));
            }
            int[] shape = cur;
            if (holds) {
                shape = unit.apply(shape, c, s);
                for (int i = 0; i < repeat; i++) {
                    shape = unit.apply(shape, c, 1);
                }
            }
            emit(ValidModelGenerator.this.name("stage"), (when + args(items)).trim(), name, shape);
        }
    }

    private String[] shuffled(String[] items) {
        for (int i = items.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            String tmp = items[i];
            items[i] = items[j];
            items[j] = tmp;
        }
        return items;
    }
}
