package dev.modelcost.processor.fuzz;

import dev.modelcost.LayerCost;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the constants of a generated {@code <Model>Cost} source, and the per-layer table beside it. */
public final class CostFile {
    private CostFile() {}

    public static long number(String source, String constant) {
        Matcher m = Pattern.compile("\\b" + constant + " = (-?\\d+)L?;").matcher(source);
        if (!m.find()) {
            throw new AssertionError("no constant " + constant + " in\n" + source);
        }
        return Long.parseLong(m.group(1));
    }

    public static String string(String source, String constant) {
        Matcher m = Pattern.compile("\\b" + constant + " = \"([^\"]*)\";").matcher(source);
        if (!m.find()) {
            throw new AssertionError("no constant " + constant + " in\n" + source);
        }
        return m.group(1);
    }

    /** The figures a test compares, as one line so that a mismatch shows every figure at once. */
    public static String summary(String source) {
        return "output=" + string(source, "OUTPUT_SHAPE")
                + " macs=" + number(source, "MACS")
                + " flops=" + number(source, "FLOPS")
                + " params=" + number(source, "PARAMS")
                + " buffers=" + number(source, "BUFFERS")
                + " otherOps=" + number(source, "OTHER_OPS")
                + " layers=" + number(source, "LAYER_COUNT");
    }

    /** The same line for expected totals. */
    public static String summary(Reference.Costs t) {
        return "output=" + t.batch + "x" + Reference.shape(t.output)
                + " macs=" + t.macs
                + " flops=" + t.flops
                + " params=" + t.params
                + " buffers=" + t.buffers
                + " otherOps=" + t.otherOps
                + " layers=" + t.leaves;
    }

    /**
     * The per-layer table summed up, in the same form as {@link #summary(String)} without the
     * output: the table must agree with the constants.
     */
    public static String tableTotals(String tsv) {
        long[] sums = new long[5];
        List<LayerCost> rows = rows(tsv);
        for (LayerCost row : rows) {
            sums[0] += row.macs();
            sums[1] += row.flops();
            sums[2] += row.params();
            sums[3] += row.buffers();
            sums[4] += row.otherOps();
        }
        return "macs=" + sums[0] + " flops=" + sums[1] + " params=" + sums[2] + " buffers=" + sums[3]
                + " otherOps=" + sums[4] + " layers=" + rows.size();
    }

    /** The rows of a per-layer table, read as the generated class reads them. */
    public static List<LayerCost> rows(String tsv) {
        try {
            return LayerCost.readTable(new java.io.StringReader(tsv), "layer table");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The per-layer table of a generated class: the text its {@code LayerCost.table("...", ...)}
     * holds, or, for a large table, the resource its {@code LayerCost.load(..., "...")} names, read
     * with {@code resources}.
     */
    public static String table(String source, java.util.function.Function<String, String> resources) {
        int inline = source.indexOf("LayerCost.table(");
        if (inline >= 0) {
            return literals(source, inline + "LayerCost.table(".length());
        }
        Matcher m = Pattern.compile("LayerCost\\.load\\(\\w+\\.class, \"([^\"]+)\"\\)").matcher(source);
        if (!m.find()) {
            throw new AssertionError("LAYERS reads no table in\n" + source);
        }
        String text = resources.apply(m.group(1));
        if (text == null) {
            throw new AssertionError("no resource " + m.group(1));
        }
        return text;
    }

    /** The value of the string literals joined by {@code +} from {@code at}, up to the next comma. */
    private static String literals(String source, int at) {
        StringBuilder value = new StringBuilder();
        int i = at;
        while (true) {
            while (Character.isWhitespace(source.charAt(i))) {
                i++;
            }
            if (source.charAt(i) != '"') {
                throw new AssertionError("not a string literal at " + source.substring(i, Math.min(source.length(), i + 40)));
            }
            for (i++; source.charAt(i) != '"'; i++) {
                char c = source.charAt(i);
                if (c != '\\') {
                    value.append(c);
                    continue;
                }
                char e = source.charAt(++i);
                switch (e) {
                    case 't' -> value.append('\t');
                    case 'n' -> value.append('\n');
                    case 'r' -> value.append('\r');
                    case 'b' -> value.append('\b');
                    case 'f' -> value.append('\f');
                    case 'u' -> {
                        value.append((char) Integer.parseInt(source.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> value.append(e);
                }
            }
            i++;
            while (Character.isWhitespace(source.charAt(i))) {
                i++;
            }
            if (source.charAt(i) != '+') {
                return value.toString();
            }
            i++;
        }
    }

    /** The per-layer table of {@code model}'s generated class in a compile-testing compilation. */
    public static String table(com.google.testing.compile.Compilation compilation, String model) {
        String source = read(compilation.generatedSourceFile(model + "Cost").orElseThrow(() -> new AssertionError("no " + model + "Cost")));
        return table(source, name -> compilation.generatedFile(javax.tools.StandardLocation.CLASS_OUTPUT, name).map(CostFile::read).orElse(null));
    }

    private static String read(javax.tools.JavaFileObject file) {
        try {
            return file.getCharContent(true).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
