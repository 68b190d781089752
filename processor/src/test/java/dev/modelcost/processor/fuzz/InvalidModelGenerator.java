package dev.modelcost.processor.fuzz;

import dev.modelcost.processor.fuzz.ModelDraft.Field;
import dev.modelcost.processor.fuzz.ModelDraft.Line;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random invalid specs: a valid spec from {@link ValidModelGenerator} with one mutation from a
 * catalogue of mistakes, each with the catalogue tags it must be reported with and the line(s) the
 * error must point at. A field that a mutation inserts reads the shape the generator computed for
 * its position, so a shape mistake (a wrong {@code cin}, a kernel larger than the padded input) is
 * built against the real shape there; everything before it stays valid, so the first analysis
 * error is the inserted one.
 */
final class InvalidModelGenerator {
    /**
     * One broken spec.
     *
     * @param draft the spec
     * @param mutation what was broken, for messages
     * @param tags the catalogue tags of which at least one error must carry one
     * @param lineTags the tagged lines (see {@link ModelDraft.Rendered}) that error must be on, any of them
     * @param knownBug null, or why this mutation is known to be handled wrongly
     */
    record Broken(ModelDraft draft, String mutation, Set<String> tags, List<String> lineTags, String knownBug) {
        Broken withMutation(String name) {
            return new Broken(draft, name, tags, lineTags, knownBug);
        }
    }

    /** What a mutation needs and does. */
    private interface Mutation {
        /** Applies the mutation, or returns null when it does not fit the shape at the position. */
        Broken apply(Ctx c);
    }

    /** The draft, the insertion position and the shape flowing into it. */
    private static final class Ctx {
        final SplittableRandom r;
        final ModelDraft d;
        int pos;
        final int[] s;
        final String prev;
        /**
         * Names of inserted fields: the same in every model, so that a compilation holds equal
         * messages on equally named fields of different models, all of which must be reported.
         */
        final String bad = "bad";
        final String xa = "xa";
        final String xb = "xb";
        int helpers;

        Ctx(SplittableRandom r, ModelDraft d, int pos) {
            this.r = r;
            this.d = d;
            this.pos = pos;
            this.s = d.shapeBefore(pos);
            this.prev = d.nameBefore(pos);
        }

        boolean image() {
            return s.length == 3;
        }

        int last() {
            return s[s.length - 1];
        }

        /** Inserts a field line at the position (and moves the position past it); returns its line tag. */
        String insert(String name, String text) {
            d.fields.add(pos++, new Field(name, text + " " + name + ";", null));
            return "field:" + name;
        }

        Broken broken(String mutation, Set<String> tags, String... lineTags) {
            return new Broken(d, mutation, tags, List.of(lineTags), null);
        }

        Broken bug(String bug, String mutation, Set<String> tags, String... lineTags) {
            return new Broken(d, mutation, tags, List.of(lineTags), bug);
        }

        /** Adds a block class; lines are "tag|text" or plain text; returns the class name. */
        String block(String... lines) {
            String name = "Mb" + helpers++;
            List<Line> out = new ArrayList<>();
            for (String line : lines) {
                String text = line.replace("$", name);
                int bar = text.indexOf('|');
                if (bar > 0 && !text.startsWith("@") && !text.startsWith(" ")) {
                    out.add(new Line("block:" + name + ":" + text.substring(0, bar), text.substring(bar + 1)));
                } else {
                    out.add(new Line(null, text));
                }
            }
            d.blocks.add(out);
            return name;
        }

        int pick(int... values) {
            return values[r.nextInt(values.length)];
        }

        String pick(String... values) {
            return values[r.nextInt(values.length)];
        }
    }

    private static final List<Mutation> CATALOGUE = List.of(
            // ---- shapes against the real input of the position (image)
            c -> !c.image() ? null : c.broken("conv cin mismatch", Set.of("MC301"), c.insert(c.bad, c.r.nextBoolean()
                    ? "@Conv2d(cin = " + (c.s[0] + 1 + c.r.nextInt(3)) + ", cout = 4, k = 1) Layer"
                    : "@Conv2d(cout = 4, k = 1, with = \"cin = in + " + (1 + c.r.nextInt(3)) + " - in + " + c.s[0] + "\") Layer")),
            c -> {
                if (!c.image()) {
                    return null;
                }
                int p = c.r.nextInt(3);
                String text = c.r.nextBoolean()
                        ? "@Conv2d(cout = 2, k = " + (c.s[1] + 2 * p + 1 + c.r.nextInt(3)) + ", padding = " + p + ") Layer"
                        : "@Conv2d(cout = 2, kh = 1, kw = " + (c.s[2] + 2 * p + 1 + c.r.nextInt(3)) + ", padding = " + p + ") Layer";
                return c.broken("conv kernel larger than the padded input", Set.of("MC304"), c.insert(c.bad, text));
            },
            c -> !c.image() ? null : c.broken("conv dilated kernel larger than the input", Set.of("MC304"),
                    c.insert(c.bad, "@Conv2d(cout = 2, k = 2, dilation = " + (Math.max(c.s[1], c.s[2]) + c.r.nextInt(3)) + ") Layer")),
            c -> {
                if (!c.image()) {
                    return null;
                }
                int groups = c.s[0] + 1 + c.r.nextInt(3);
                return c.broken("conv groups not dividing cin", Set.of("MC305"),
                        c.insert(c.bad, "@Conv2d(cout = " + groups * 2 + ", k = 1, groups = " + groups + ") Layer"));
            },
            c -> {
                if (!c.image() || c.s[0] < 2) {
                    return null;
                }
                int groups = c.s[0];
                for (int g = 2; g <= c.s[0]; g++) {
                    if (c.s[0] % g == 0 && c.r.nextBoolean()) {
                        groups = g;
                        break;
                    }
                }
                if (c.s[0] % groups != 0) {
                    return null;
                }
                return c.broken("conv groups not dividing cout", Set.of("MC305"),
                        c.insert(c.bad, "@Conv2d(cout = " + (groups + 1) + ", k = 1, groups = " + groups + ") Layer"));
            },
            c -> {
                if (!c.image()) {
                    return null;
                }
                String bad = c.pick("cout = 0, k = 1", "cout = -3, k = 1", "cout = 4, k = 0", "cout = 4, k = -1", "cout = 4, kh = 0, kw = 1",
                        "cout = 4, k = 1, stride = 0", "cout = 4, k = 1, strideW = -2", "cout = 4, k = 1, dilation = 0",
                        "cout = 4, k = 1, groups = 0", "cout = 4, k = 1, padding = -1", "cout = 4, k = 1, paddingH = -2",
                        "k = 1, with = \"cout = in - in\"", "cout = 4, k = 1, with = \"stride = 1 - 1\"");
                return c.broken("conv size not positive", Set.of("MC104"), c.insert(c.bad, "@Conv2d(" + bad + ") Layer"));
            },
            c -> !c.image() ? null : c.broken("batch norm features mismatch", Set.of("MC301"),
                    c.insert(c.bad, "@BatchNorm2d(features = " + (c.s[0] + 1 + c.r.nextInt(5)) + ") Layer")),
            c -> !c.image() ? null : c.broken("linear on an image", Set.of("MC302"),
                    c.insert(c.bad, "@Linear(out = " + (1 + c.r.nextInt(10)) + ") Layer")),
            c -> {
                if (!c.image()) {
                    return null;
                }
                boolean max = c.r.nextBoolean();
                int k = 1 + c.r.nextInt(5);
                int dilation = max && c.r.nextBoolean() ? 2 : 1;
                int span = dilation * (k - 1) + 1;
                int p = span / 2 + 1 + c.r.nextInt(2);
                return c.broken("pool padding over half the window", Set.of("MC306"), c.insert(c.bad, "@" + (max ? "MaxPool2d" : "AvgPool2d")
                        + "(k = " + k + ", padding = " + p + (dilation > 1 ? ", dilation = " + dilation : "") + ") Layer"));
            },
            c -> {
                if (!c.image()) {
                    return null;
                }
                return c.broken("pool window larger than the input", Set.of("MC304"), c.insert(c.bad, "@" + c.pick("MaxPool2d", "AvgPool2d")
                        + "(kh = " + (c.s[1] + 1 + c.r.nextInt(3)) + ", kw = 1) Layer"));
            },
            c -> !c.image() ? null : c.broken("pool size not positive", Set.of("MC104"), c.insert(c.bad, c.pick(
                    "@MaxPool2d(k = 0) Layer", "@AvgPool2d(k = 1, stride = 0) Layer", "@MaxPool2d(k = 1, dilation = 0) Layer",
                    "@AvgPool2d(k = 2, padding = -1) Layer", "@AdaptiveAvgPool2d(0) Layer", "@AdaptiveAvgPool2d(h = 2, w = -1) Layer"))),
            c -> {
                if (!c.image()) {
                    return null;
                }
                String op = c.pick("Add", "Mul");
                c.insert(c.xa, "@Conv2d(cout = 2, k = 1) Layer");
                c.insert(c.xb, "@From(\"" + c.prev + "\") @Conv2d(cout = 3, k = 1) Layer");
                return c.broken("@" + op + " of 2 and 3 channels", Set.of("MC307"), c.insert(c.bad, "@" + op + "({\"" + c.xa + "\", \"" + c.xb + "\"}) Layer"));
            },
            c -> {
                if (!c.image()) {
                    return null;
                }
                c.insert(c.xa, "@Conv2d(cout = 2, k = 1) Layer");
                c.insert(c.xb, "@From(\"" + c.prev + "\") @Conv2d(cout = 2, k = 1, padding = 1) Layer");
                return c.broken("@Concat of different heights", Set.of("MC307"), c.insert(c.bad, "@Concat({\"" + c.xa + "\", \"" + c.xb + "\"}) Layer"));
            },
            c -> !c.image() ? null : c.r.nextBoolean()
                    ? c.broken("chunk index out of range", Set.of("MC308"), c.insert(c.bad, "@Chunk(chunks = 1, index = 1) Layer"))
                    : c.broken("shuffle groups not dividing the channels", Set.of("MC305"),
                            c.insert(c.bad, "@ChannelShuffle(" + (c.s[0] + 1) + ") Layer")),
            c -> !c.image() ? null : c.broken("missing attribute", Set.of("MC303"),
                    c.insert(c.bad, c.pick("@Conv2d(k = 3) Layer", "@Conv2d(cout = 4) Layer", "@MaxPool2d Layer", "@AvgPool2d(stride = 1) Layer",
                            "@AdaptiveAvgPool2d Layer", "@Conv2d(cout = 4, kh = 3) Layer"))),
            // ---- shapes (features and sequences)
            c -> c.image() ? null : c.broken("linear inFeatures mismatch", Set.of("MC301"),
                    c.insert(c.bad, "@Linear(out = 3, inFeatures = " + (c.last() + 1 + c.r.nextInt(3)) + ") Layer")),
            c -> c.image() ? null : c.broken("image layer on features", Set.of("MC302"), c.insert(c.bad, c.pick(
                    "@Conv2d(cout = 2, k = 1) Layer", "@BatchNorm2d Layer", "@MaxPool2d(k = 1) Layer", "@AvgPool2d(k = 1) Layer",
                    "@AdaptiveAvgPool2d(1) Layer"))),
            c -> c.image() ? null : c.broken("linear size not positive", Set.of("MC104"),
                    c.insert(c.bad, c.pick("@Linear(out = 0) Layer", "@Linear(out = -4) Layer", "@Linear(with = \"out = in - in\") Layer"))),
            c -> {
                if (c.image()) {
                    return null;
                }
                c.insert(c.xa, "@Linear(out = 2) Layer");
                c.insert(c.xb, "@From(\"" + c.prev + "\") @Linear(out = 3) Layer");
                return c.broken("@Add of 2 and 3 features", Set.of("MC307"), c.insert(c.bad, "@Add({\"" + c.xa + "\", \"" + c.xb + "\"}) Layer"));
            },
            c -> c.image() ? null : c.broken("linear without out", Set.of("MC303"), c.insert(c.bad, "@Linear Layer")),
            // ---- expressions
            c -> c.broken("division by zero", Set.of("MC204"), c.insert(c.bad, c.image()
                    ? c.pick("@Conv2d(k = 1, with = \"cout = 8 / (in - in)\") Layer", "@Conv2d(k = 1, with = \"cout = 8 % (h - h)\") Layer",
                            "@When(\"in / (in - in) > 0\") @ReLU Layer", "@Conv2d(cout = 2, with = \"k = divisible(3, 0)\") Layer")
                    : c.pick("@Linear(with = \"out = 8 / (in - in)\") Layer", "@When(\"1 % 0 == 0\") @Tanh Layer"))),
            c -> c.broken("unknown name", Set.of("MC202"), c.insert(c.bad, c.image()
                    ? c.pick("@Conv2d(k = 1, with = \"cout = planes\") Layer", "@When(\"nosuch > 1\") @ReLU Layer",
                            "@Conv2d(k = 1, with = \"cout = RATIO\") Layer")
                    : c.pick("@Linear(with = \"out = hh\") Layer", "@When(\"stride != 1\") @ReLU Layer"))),
            c -> c.broken("expression of the wrong type", Set.of("MC203"), c.insert(c.bad, c.image()
                    ? c.pick("@Conv2d(k = 1, with = \"cout = 1 < 2\") Layer", "@When(\"in + 1\") @ReLU Layer",
                            "@Conv2d(cout = 2, k = 1, with = \"bias = 3\") Layer", "@When(\"in == true\") @ReLU Layer")
                    : c.pick("@Linear(with = \"out = !false\") Layer", "@When(\"7\") @ReLU Layer", "@Linear(out = 2, with = \"bias = in\") Layer"))),
            c -> c.broken("overflow", Set.of("MC401"), c.insert(c.bad, c.image()
                    ? c.pick("@Conv2d(k = 1, with = \"cout = 9223372036854775807 + 1\") Layer", "@Conv2d(k = 1, with = \"cout = 2147483648\") Layer",
                            "@When(\"9223372036854775807 * 2 > 0\") @ReLU Layer", "@Conv2d(k = 1, with = \"cout = -(0 - 9223372036854775807 - 1)\") Layer")
                    : c.pick("@Linear(with = \"out = 4611686018427387904 * 4\") Layer", "@Linear(with = \"out = 2147483647 + 1\") Layer"))),
            c -> c.broken("expression syntax", Set.of("MC201"), c.insert(c.bad, c.pick(
                    "@When(\"in >\") @ReLU Layer", "@When(\"foo(1) > 0\") @ReLU Layer", "@When(\"in > 1 1\") @ReLU Layer",
                    "@When(\"(in > 1\") @ReLU Layer", "@When(\"99999999999999999999 > 1\") @ReLU Layer", "@When(\"divisible(1) > 0\") @ReLU Layer",
                    "@When(\"\") @ReLU Layer", c.image() ? "@Conv2d(k = 1, with = \"cout = (3 +\") Layer" : "@Linear(with = \"out = 3 +\") Layer",
                    c.image() ? "@Conv2d(k = 1, with = \"cout 3\") Layer" : "@Linear(with = \"out = 2 bias = true\") Layer"))),
            c -> c.broken("attribute both literal and in with", Set.of("MC209"), c.insert(c.bad, c.image()
                    ? "@Conv2d(cout = 4, k = 1, with = \"cout = 4\") Layer" : "@Linear(out = 4, with = \"out = 4\") Layer")),
            c -> c.broken("unknown attribute in with", Set.of("MC208"), c.insert(c.bad, c.image()
                    ? "@Conv2d(k = 1, with = \"cot = 4\") Layer" : "@Linear(with = \"outFeatures = 4\") Layer")),
            c -> c.broken("attribute twice in with", Set.of("MC207"), c.insert(c.bad, c.image()
                    ? "@Conv2d(k = 1, with = \"cout = 4, cout = 5\") Layer" : "@Linear(with = \"out = 4, out = 4\") Layer")),
            c -> {
                int full = c.s.length + 1;
                // out of range: MC309; in range but starting after the end: MC310 on startDim
                return c.broken("flatten dimensions", Set.of("MC309", "MC310"), c.insert(c.bad, c.pick(
                        "@Flatten(startDim = 0) Layer", "@Flatten(endDim = " + (full + c.r.nextInt(3)) + ") Layer",
                        "@Flatten(startDim = " + (full - 1) + ", endDim = " + (full - 2) + ") Layer",
                        "@Flatten(startDim = " + (-full - 1) + ") Layer")));
            },
            // ---- fields and references
            c -> c.broken("two layer annotations", Set.of("MC106"), c.insert(c.bad, c.pick(
                    "@ReLU @Sigmoid Layer", "@Dropout @Identity Layer", c.image() ? "@Conv2d(cout = 1, k = 1) @ReLU Layer" : "@Linear(out = 1) @GELU Layer",
                    "@ReLU @Add({\"input\", \"" + c.prev + "\"}) Layer"))),
            c -> c.broken("@From names no field", Set.of("MC210"), c.insert(c.bad, c.pick(
                    "@From(\"nosuch\") @ReLU Layer", "@Add({\"" + c.prev + "\", \"nosuch\"}) Layer", "@From(\"" + c.bad + "\") @ReLU Layer"))),
            c -> {
                if (c.pos >= c.d.fields.size()) {
                    return null;
                }
                String later = c.d.fields.get(c.pos).name();
                return c.broken("@From names a later field", Set.of("MC210"), c.insert(c.bad, "@From(\"" + later + "\") @ReLU Layer"));
            },
            c -> c.broken("merge of fewer than two", Set.of("MC211"), c.insert(c.bad, c.pick(
                    "@Add({\"" + c.prev + "\"}) Layer", "@Concat({}) Layer", "@Mul(\"input\") Layer"))),
            c -> c.broken("@From on a merge", Set.of("MC116"), c.insert(c.bad, "@From(\"input\") @Add({\"input\", \"" + c.prev + "\"}) Layer")),
            c -> c.broken("Layer without annotation", Set.of("MC109"), c.insert(c.bad, "Layer")),
            c -> c.broken("instance field that is no layer", Set.of("MC110"), c.insert(c.bad, c.pick("int", "String", "java.util.List<String>", "long[]"))),
            c -> c.broken("static layer", Set.of("MC107"), c.insert(c.bad, c.pick("@ReLU static Layer", "static @Tanh Layer"))),
            c -> c.broken("layer annotation on a non-Layer field", Set.of("MC108"), c.insert(c.bad, c.pick("@ReLU int", "@Sigmoid String", "@Dropout Object"))),
            c -> c.broken("@Param in a model", Set.of("MC114"), c.insert(c.bad, c.pick("@Param int", "@Param(3) int"))),
            c -> c.broken("@Args or @Repeat on a layer", Set.of("MC115"), c.insert(c.bad, c.pick("@Args(\"c = 1\") @ReLU Layer", "@Repeat(2) @ReLU Layer"))),
            c -> c.broken("field named input", Set.of("MC117"), c.insert("input", "@ReLU Layer")),
            // ---- the model's annotations
            c -> {
                c.d.inputText = "{}";
                return c.broken("input without dimensions", Set.of("MC103"), "@Model");
            },
            c -> {
                int[] input = c.d.input.clone();
                input[c.r.nextInt(input.length)] = -c.r.nextInt(3);
                c.d.input = input;
                return c.broken("input dimension not positive", Set.of("MC104"), "@Model");
            },
            c -> {
                c.d.batchText = c.pick("0", "-1", "-64");
                return c.broken("batch not positive", Set.of("MC104"), "@Model");
            },
            c -> {
                c.d.budget.clear();
                c.d.budget.add(c.pick("maxMacs", "maxFlops", "maxParams") + " = " + c.pick("0L", "-1L", "-100L", "0"));
                return c.broken("budget not positive", Set.of("MC403"), "@Budget");
            },
            c -> {
                List<String> over = new ArrayList<>();
                for (String figure : new String[] {"maxMacs", "maxFlops", "maxParams"}) {
                    if (c.d.expected.figure(figure) >= 2) {
                        over.add(figure);
                    }
                }
                if (over.isEmpty()) {
                    return null;
                }
                String figure = over.get(c.r.nextInt(over.size()));
                long value = c.d.expected.figure(figure);
                c.d.budget.clear();
                c.d.budget.add(figure + " = " + (c.r.nextBoolean() ? value - 1 : 1 + c.r.nextLong(value - 1)) + "L");
                return c.broken("over budget", Set.of("MC402"), "@Budget");
            },
            c -> {
                c.d.fields.clear();
                return c.broken("model without layers", Set.of("MC112"), "@Model");
            },
            c -> {
                c.d.trailer.add("");
                c.d.trailer.add(c.pick("class " + c.d.name + "Cost {}", "interface " + c.d.name + "Cost {}"));
                return c.broken("a type of the Cost class's name exists", Set.of("MC105"), "@Model");
            },
            c -> {
                c.d.typeParameters = c.pick("<T>", "<T extends Number>", "<A, B>");
                return c.broken("generic model", Set.of("MC102"), "@Model");
            },
            c -> {
                c.d.declaration = c.pick("public interface " + c.d.name + " {}", "public enum " + c.d.name + " { A }",
                        "public record " + c.d.name + "(int a) {}", "public @interface " + c.d.name + " {}");
                return c.broken("@Model on something other than a class", Set.of("MC101"), "@Model");
            },
            // ---- block uses (a helper block per mutation)
            c -> {
                String b = c.block("@Block", "public static class $ {", "    @Param int c;", "    @ReLU Layer r;", "}");
                return c.broken("unknown @Args name", Set.of("MC205"), c.insert(c.bad, c.pick(
                        "@Args(\"c = 2, nope = 3\") " + b, "@Args(\"cc = 2\") " + b, "@Args(\"c = 2\") @Repeat(value = 2, first = \"nope = 1\") " + b)));
            },
            c -> {
                String b = c.block("@Block", "public static class $ {", "    @Param int c;", "    @Param(1) int s;", "    @ReLU Layer r;", "}");
                return c.broken("missing @Args", Set.of("MC206"), c.insert(c.bad, c.pick(
                        b, "@Args(\"s = 2\") " + b, "@Repeat(value = 2, first = \"c = 1\") " + b)));
            },
            c -> {
                String b = c.block("@Block", "public static class $ {", "    @Param int c;", "    @ReLU Layer r;", "}");
                return c.broken("argument twice", Set.of("MC207"), c.insert(c.bad, c.pick("@Args(\"c = 2, c = 3\") " + b, "@Args({\"c = 2\", \"c = 2\"}) " + b)));
            },
            c -> {
                String b = c.block("@Block", "public static class $ {", "    @Param int c;", "    @ReLU Layer r;", "}");
                return c.broken("@Args syntax", Set.of("MC201"), c.insert(c.bad, c.pick("@Args(\"c = \") " + b, "@Args(\"c 2\") " + b, "@Args(\"= 2\") " + b)));
            },
            c -> {
                String b = c.block("@Block", "public static class $ {", "    @Param int c;", "    @ReLU Layer r;", "}");
                return c.broken("@Repeat count not positive", Set.of("MC213"), c.insert(c.bad, "@Args(\"c = 2\") @Repeat(" + c.pick("0", "-1") + ") " + b));
            },
            c -> {
                String b = c.block("@Block", "public static class $ {", "    @Param int c;", "    @ReLU Layer r;", "}");
                return c.broken("unknown name in @Args", Set.of("MC202"), c.insert(c.bad, "@Args(\"c = nosuch\") " + b));
            },
            c -> {
                String b = c.image()
                        ? c.block("@Block", "public static class $ {", "    @Param int c;", "conv|    @Conv2d(k = 1, with = \"cout = c\") Layer conv;", "}")
                        : c.block("@Block", "public static class $ {", "    @Param int c;", "conv|    @Linear(with = \"out = c\") Layer conv;", "}");
                String use = c.insert(c.bad, "@Args(\"c = " + c.pick("0", "-2") + "\") " + b);
                return c.broken("block argument that makes a size 0", Set.of("MC104"), "block:" + b + ":conv", use);
            },
            c -> {
                if (!c.image()) {
                    return null;
                }
                String b = c.block("@Block", "public static class $ {", "conv|    @Conv2d(cout = 2, k = 1, with = \"cin = in + 1\") Layer conv;", "}");
                return c.broken("shape error inside a block", Set.of("MC301"), "block:" + b + ":conv", c.insert(c.bad, b));
            },
            c -> {
                String variant = c.pick("type", "cycle", "param-expr", "param-type", "param-reserved", "empty", "two");
                String b;
                Set<String> tags;
                switch (variant) {
                    case "type":
                        b = c.block("@Block", "public static class $ {", "bad|    @ReLU int y;", "    @ReLU Layer r;", "}");
                        tags = Set.of("MC108");
                        break;
                    case "cycle":
                        b = c.block("@Block", "public static class $ {", "    @ReLU Layer r;", "bad|    $ again;", "}");
                        tags = Set.of("MC212");
                        break;
                    case "param-expr":
                        b = c.block("@Block", "public static class $ {", "bad|    @Param(expr = \"2 *\") int c;", "    @ReLU Layer r;", "}");
                        tags = Set.of("MC201");
                        break;
                    case "param-type":
                        b = c.block("@Block", "public static class $ {", "bad|    @Param long c;", "    @ReLU Layer r;", "}");
                        tags = Set.of("MC113");
                        break;
                    case "param-reserved":
                        b = c.block("@Block", "public static class $ {", "bad|    @Param(1) int in;", "    @ReLU Layer r;", "}");
                        tags = Set.of("MC117");
                        break;
                    case "empty":
                        b = c.block("class|@Block", "public static class $ {", "    static final int NOTHING = 0;", "}");
                        tags = Set.of("MC112");
                        break;
                    default:
                        b = c.block("@Block", "public static class $ {", "bad|    @ReLU @Tanh Layer act;", "}");
                        tags = Set.of("MC106");
                }
                c.insert("use", b);
                return c.broken("spec error in a used block (" + variant + ")", tags,
                        variant.equals("empty") ? "block:" + b + ":class" : "block:" + b + ":bad");
            },
            c -> {
                if (!c.image()) {
                    return null;
                }
                return c.broken("dilated max pool padding over half the kernel", Set.of("MC306"),
                        c.insert(c.bad, "@MaxPool2d(k = 3, dilation = 2, padding = 2) Layer"));
            });

    private InvalidModelGenerator() {}

    /** How many mutations the catalogue has (known bugs included). */
    static int catalogueSize() {
        return CATALOGUE.size();
    }

    /** A random broken spec named {@code name}; known-bug mutations only when {@code knownBugs}. */
    static Broken generate(SplittableRandom r, String name, boolean knownBugs) {
        while (true) {
            ModelDraft d = ValidModelGenerator.generate(r, name);
            for (int attempt = 0; attempt < 20; attempt++) {
                int pos = r.nextInt(d.fields.size() + 1);
                Mutation mutation = CATALOGUE.get(r.nextInt(CATALOGUE.size()));
                ModelDraft copy = copy(d);
                Broken broken = mutation.apply(new Ctx(r, copy, pos));
                if (broken != null && (knownBugs || broken.knownBug() == null)) {
                    return broken.withMutation("#" + CATALOGUE.indexOf(mutation) + " " + broken.mutation());
                }
            }
        }
    }

    /** Applies catalogue entry {@code index} to a fresh valid spec (for tests of single mutations). */
    static Broken generate(SplittableRandom r, String name, int index) {
        while (true) {
            ModelDraft d = ValidModelGenerator.generate(r, name);
            Broken broken = CATALOGUE.get(index).apply(new Ctx(r, d, r.nextInt(d.fields.size() + 1)));
            if (broken != null) {
                return broken.withMutation("#" + index + " " + broken.mutation());
            }
        }
    }

    private static ModelDraft copy(ModelDraft d) {
        ModelDraft copy = new ModelDraft(d.name);
        copy.typeParameters = d.typeParameters;
        copy.declaration = d.declaration;
        copy.trailer.addAll(d.trailer);
        copy.input = d.input;
        copy.batch = d.batch;
        copy.writeBatch = d.writeBatch;
        copy.indexed = d.indexed;
        copy.budget.addAll(d.budget);
        copy.constants.addAll(d.constants);
        copy.fields.addAll(d.fields);
        copy.blocks.addAll(d.blocks);
        copy.expected = d.expected;
        return copy;
    }
}
