package dev.modelcost.examples;

import java.net.URL;
import java.util.List;
import java.util.Locale;

/** The main command: prints the shapes and costs of every example model side by side, read from the generated classes. */
public final class CostTable {
    private CostTable() {}

    /** Prints the table, then where the HTML reports are. */
    public static void main(String[] args) {
        System.out.print(render(ExampleModels.ALL));
        System.out.println();
        System.out.print(sizes());
        URL report = CostTable.class.getClassLoader().getResource(ExampleModels.ALL.get(0).htmlReport());
        if (report != null) {
            String path = report.getPath();
            System.out.println();
            System.out.println("HTML reports with charts (and JSON, Markdown): " + path.substring(0, path.lastIndexOf('/') + 1) + "*.html");
        }
    }

    /** The table as text, one row per model. */
    static String render(List<ExampleModels.Entry> models) {
        // The input column as wide as the widest (two images of a Siamese network), at least 18.
        int input = Math.max(18, models.stream().mapToInt(model -> model.input().length()).max().orElse(0));
        String format = "%-25s %-" + input + "s %-15s %,15d %,8d %,21d %,21d  %-12s %s%n";
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%-25s %-" + input + "s %-15s %15s %8s %21s %21s  %-12s %s%n",
                "model", "input", "output", "params", "buffers", "MACs", "FLOPs", "budget use", "in short"));
        for (ExampleModels.Entry model : models) {
            table.append(String.format(Locale.ROOT, format, model.name(), model.input(), model.output(),
                    model.params(), model.buffers(), model.macs(), model.flops(), model.budgetUse(),
                    readable(model.params()) + " params, " + readable(model.macs()) + " MACs"));
        }
        return table.toString().replaceAll(" +\n", "\n");
    }

    /** The MACs of three examples that declare sizes, as closed forms and at a size other than their own. */
    static String sizes() {
        StringBuilder text = new StringBuilder("At other sizes (@Model(sizes), exact closed forms):\n");
        text.append(String.format(Locale.ROOT, "  %-52s  GPT-2 small at 512 tokens: %s MACs%n", Gpt2SmallCost.MACS_FORM,
                readable(Gpt2SmallCost.at(512).macs())));
        text.append(String.format(Locale.ROOT, "  %-52s  Llama 3 8B at 8,192 tokens: %s MACs, KV cache %s bytes%n", Llama3_8BCost.MACS_FORM,
                readable(Llama3_8BCost.at(8192).macs()), readable(Llama3_8BCost.at(8192).kvCacheBytes())));
        text.append(String.format(Locale.ROOT, "  %-52s  ResNet-50 at 512x512: %s MACs%n", ResNet50Cost.MACS_FORM,
                readable(ResNet50Cost.at(512, 512).macs())));
        return text.toString();
    }

    /** A count in the unit people quote it in: 124.4M, 8.03B, 16.47T. */
    static String readable(long count) {
        String[] units = {"", "K", "M", "B", "T", "P"};
        double value = count;
        int unit = 0;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return unit == 0 ? Long.toString(count) : String.format(Locale.ROOT, value >= 100 ? "%.1f%s" : "%.2f%s", value, units[unit]);
    }
}
