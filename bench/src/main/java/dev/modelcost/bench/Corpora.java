package dev.modelcost.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The synthetic corpora. Every one is valid (shapes infer, no budget), so each compiles without
 * errors with the processor and with {@code -proc:none}; none refers to a generated class.
 */
final class Corpora {
    private static final String IMPORTS = "import dev.modelcost.*;\n\n";

    private Corpora() {}

    /** The rows of a full run: a corpus and what runs as its processor. */
    static List<Bench.Case> full() {
        Corpus flat20k = flat(20_000);
        return withControls(mixed(500, 50),
                new Bench.Case(flat(1_000), Flavor.MODELCOST),
                new Bench.Case(flat(10_000), Flavor.MODELCOST),
                new Bench.Case(flat20k, Flavor.MODELCOST),
                new Bench.Case(flat20k, Flavor.CONTROL),
                new Bench.Case(blocks(10, 1_000), Flavor.MODELCOST),
                new Bench.Case(blocks(100, 1_000), Flavor.MODELCOST),
                new Bench.Case(repeat(1), Flavor.MODELCOST),
                new Bench.Case(repeat(10), Flavor.MODELCOST),
                new Bench.Case(repeat(1_000), Flavor.MODELCOST),
                new Bench.Case(repeat(100_000), Flavor.MODELCOST),
                new Bench.Case(nested(50), Flavor.MODELCOST));
    }

    /** The many-models corpus under every flavor (modelcost, without reports, the two controls), then {@code others}. */
    private static List<Bench.Case> withControls(Corpus mixed, Bench.Case... others) {
        List<Bench.Case> cases = new java.util.ArrayList<>();
        for (Flavor flavor : List.of(Flavor.MODELCOST, Flavor.NO_REPORTS, Flavor.CONTROL, Flavor.NOOP)) {
            cases.add(new Bench.Case(mixed, flavor));
        }
        cases.addAll(List.of(others));
        return List.copyOf(cases);
    }

    /** Tiny corpora for the CI smoke run: every generator, flavor and code path, in seconds. */
    static List<Bench.Case> smoke() {
        return withControls(mixed(5, 50),
                new Bench.Case(flat(200), Flavor.MODELCOST),
                new Bench.Case(blocks(3, 100), Flavor.MODELCOST),
                new Bench.Case(repeat(1), Flavor.MODELCOST),
                new Bench.Case(repeat(1_000), Flavor.MODELCOST),
                new Bench.Case(nested(50), Flavor.MODELCOST));
    }

    /**
     * {@code models} models of {@code layers} leaves each, one per file, like a real code base: 3x3 and
     * 1x1 convolutions (a quarter of the channel counts written as {@code with} expressions), batch
     * norms, ReLU/ReLU6, max and average pooling, then a classifier head of adaptive pooling,
     * flatten and two linear layers. Input sizes and widths vary from model to model.
     */
    static Corpus mixed(int models, int layers) {
        if (layers < 10) {
            throw new IllegalArgumentException("a mixed model needs at least 10 layers");
        }
        String pkg = "bench.mixed";
        return new Corpus("mixed-" + models + "x" + layers, models, (long) models * layers, models, false, root -> {
            Path dir = packageDir(root, pkg);
            for (int m = 0; m < models; m++) {
                String name = String.format("Mixed%04d", m);
                int size = new int[] {32, 48, 64}[m % 3];
                int base = 8 << (m % 3);
                List<String> body = new ArrayList<>();
                int pools = 0;
                for (int unit = 0; body.size() < layers - 5; unit++) {
                    int factor = 1 << Math.min(pools, 2);
                    if (unit % 2 == 1) {
                        body.add("@Conv2d(cout = " + base * factor + ", k = 1, bias = false)");
                    } else if (unit % 4 == 2) {
                        body.add("@Conv2d(k = 3, padding = 1, with = \"cout = WIDTH * " + factor + "\")");
                    } else {
                        body.add("@Conv2d(cout = " + base * factor + ", k = 3, padding = 1)");
                    }
                    body.add("@BatchNorm2d");
                    body.add(unit % 3 == 1 ? "@ReLU6" : "@ReLU");
                    if (unit % 3 == 2 && pools < 3) {
                        body.add(pools % 2 == 0 ? "@MaxPool2d(k = 2)" : "@AvgPool2d(k = 2)");
                        pools++;
                    }
                }
                List<String> all = new ArrayList<>(body.subList(0, layers - 5));
                all.addAll(List.of("@AdaptiveAvgPool2d(1)", "@Flatten", "@Linear(out = 128)", "@ReLU", "@Linear(out = 10)"));
                StringBuilder src = header(pkg).append("@Model(input = {3, ").append(size).append(", ").append(size).append("})\n")
                        .append("public class ").append(name).append(" {\n")
                        .append("    static final int WIDTH = ").append(base).append(";\n\n");
                fields(src, all);
                write(dir, name, src.append("}\n"));
            }
        });
    }

    /**
     * One model of {@code layers} leaves, all fields of a single class: a repeating 3x3 conv, batch norm, ReLU, 1x1 conv, all
     * shape-preserving on a 16x8x8 input.
     */
    static Corpus flat(int layers) {
        String pkg = "bench.flat";
        String name = "Flat" + count(layers);
        return new Corpus("flat-" + count(layers), 1, layers, 1, layers > 10_000, root -> {
            StringBuilder src = header(pkg).append("@Model(input = {16, 8, 8})\npublic class ").append(name).append(" {\n");
            fields(src, flatLayers(layers));
            write(packageDir(root, pkg), name, src.append("}\n"));
        });
    }

    /**
     * One model of {@code parts} distinct {@code @Block} classes of {@code perPart} leaves each, every
     * block applied once: nothing can be shared, so the processor analyses every leaf. This is how
     * the layer series reaches 100k leaves: javac itself is quadratic in the annotated fields of one
     * class (a 20k-field class takes it tens of seconds), and a class cannot hold more than 65,535 fields.
     */
    static Corpus blocks(int parts, int perPart) {
        String pkg = "bench.blocks" + parts;
        long layers = (long) parts * perPart;
        String model = "Blocks" + count(layers);
        return new Corpus("blocks-" + count(layers) + " (" + parts + " x " + count(perPart) + ")", 1, layers, parts + 1, layers > 10_000, root -> {
            Path dir = packageDir(root, pkg);
            StringBuilder src = header(pkg).append("@Model(input = {16, 8, 8})\npublic class ").append(model).append(" {\n");
            for (int p = 0; p < parts; p++) {
                String part = String.format("Part%03d", p);
                src.append("    ").append(part).append(" p").append(p).append(";\n");
                StringBuilder block = header(pkg).append("@Block\npublic class ").append(part).append(" {\n");
                fields(block, flatLayers(perPart));
                write(dir, part, block.append("}\n"));
            }
            write(dir, model, src.append("}\n"));
        });
    }

    /**
     * One model that applies a 7-leaf residual block {@code times} times with {@code @Repeat}: the
     * block's analysis can be shared by every repetition, so compile cost should not depend on
     * {@code times}.
     */
    static Corpus repeat(int times) {
        String pkg = "bench.repeat" + times;
        String model = "Repeat" + count(times);
        return new Corpus("repeat-" + count(times), 1, 1 + 7L * times + 3, 2, false, root -> {
            Path dir = packageDir(root, pkg);
            write(dir, "Unit", header(pkg).append("""
                    @Block
                    public class Unit {
                        @Param int planes;

                        @Conv2d(k = 3, padding = 1, bias = false, with = "cout = planes") Layer conv1;
                        @BatchNorm2d                                                     Layer bn1;
                        @ReLU                                                            Layer relu1;
                        @Conv2d(k = 3, padding = 1, bias = false, with = "cout = planes") Layer conv2;
                        @BatchNorm2d                                                     Layer bn2;
                        @Add({"bn2", "input"})                                           Layer add;
                        @ReLU                                                            Layer relu2;
                    }
                    """));
            write(dir, model, header(pkg).append("@Model(input = {3, 32, 32})\npublic class ").append(model).append(" {\n")
                    .append("    @Conv2d(cout = 32, k = 3, padding = 1)          Layer stem;\n")
                    .append("    @Args(\"planes = 32\") @Repeat(").append(times).append(") Unit blocks;\n")
                    .append("    @AdaptiveAvgPool2d(1)                           Layer pool;\n")
                    .append("    @Flatten                                        Layer flatten;\n")
                    .append("    @Linear(out = 10)                               Layer fc;\n}\n"));
        });
    }

    /**
     * One model whose body is {@code depth} distinct blocks, each applying the next inside a residual
     * (conv, batch norm, ReLU, the next level, an add with the level's input, ReLU), with the
     * channel count passed down as a {@code @Param} at every level.
     */
    static Corpus nested(int depth) {
        String pkg = "bench.nested" + depth;
        String model = "Nested" + depth;
        return new Corpus("nested-" + depth, 1, 4 + 5L * (depth - 1) + 3, depth + 1, false, root -> {
            Path dir = packageDir(root, pkg);
            for (int level = 0; level < depth; level++) {
                String name = String.format("Level%02d", level);
                StringBuilder src = header(pkg).append("@Block\npublic class ").append(name).append(" {\n")
                        .append("    @Param int c;\n\n")
                        .append("    @Conv2d(k = 3, padding = 1, bias = false, with = \"cout = c\") Layer conv;\n")
                        .append("    @BatchNorm2d Layer bn;\n")
                        .append("    @ReLU Layer relu;\n");
                if (level < depth - 1) {
                    src.append("    @Args(\"c = c\") ").append(String.format("Level%02d", level + 1)).append(" inner;\n")
                            .append("    @Add({\"inner\", \"input\"}) Layer add;\n")
                            .append("    @ReLU Layer out;\n");
                }
                write(dir, name, src.append("}\n"));
            }
            write(dir, model, header(pkg).append("@Model(input = {3, 32, 32})\npublic class ").append(model).append(" {\n")
                    .append("    @Conv2d(cout = 16, k = 3, padding = 1) Layer stem;\n")
                    .append("    @Args(\"c = 16\") Level00 body;\n")
                    .append("    @AdaptiveAvgPool2d(1) Layer pool;\n")
                    .append("    @Flatten Layer flatten;\n")
                    .append("    @Linear(out = 10) Layer fc;\n}\n"));
        });
    }

    private static List<String> flatLayers(int layers) {
        String[] cycle = {"@Conv2d(cout = 16, k = 3, padding = 1, bias = false)", "@BatchNorm2d", "@ReLU", "@Conv2d(cout = 16, k = 1)"};
        List<String> all = new ArrayList<>(layers);
        for (int i = 0; i < layers; i++) {
            all.add(cycle[i % cycle.length]);
        }
        return all;
    }

    private static void fields(StringBuilder src, List<String> annotations) {
        for (int i = 0; i < annotations.size(); i++) {
            src.append("    ").append(annotations.get(i)).append(" Layer f").append(i).append(";\n");
        }
    }

    private static StringBuilder header(String pkg) {
        return new StringBuilder("package ").append(pkg).append(";\n\n").append(IMPORTS);
    }

    private static Path packageDir(Path root, String pkg) throws IOException {
        return Files.createDirectories(root.resolve(pkg.replace('.', '/')));
    }

    private static void write(Path dir, String type, CharSequence src) throws IOException {
        Files.writeString(dir.resolve(type + ".java"), src, StandardCharsets.UTF_8);
    }

    /** 1000 as 1k, 100000 as 100k; other numbers as they are. */
    static String count(long n) {
        return n >= 1_000 && n % 1_000 == 0 ? n / 1_000 + "k" : Long.toString(n);
    }
}
