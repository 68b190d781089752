package dev.modelcost.examples;

import java.util.List;
import java.util.Locale;

/** The main command: prints the shapes and costs of every example model, read from the generated classes. */
public final class CostTable {
    private CostTable() {}

    /** Prints the table to standard output. */
    public static void main(String[] args) {
        System.out.print(render(ExampleModels.ALL));
    }

    /** The table as text, one row per model. */
    static String render(List<ExampleModels.Entry> models) {
        String format = "%-20s %-14s %-10s %,14d %,10d %,18d %,18d%n";
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%-20s %-14s %-10s %14s %10s %18s %18s%n",
                "model", "input", "output", "params", "buffers", "MACs", "FLOPs"));
        for (ExampleModels.Entry model : models) {
            table.append(String.format(Locale.ROOT, format, model.name(), model.input(), model.output(),
                    model.params(), model.buffers(), model.macs(), model.flops()));
        }
        return table.toString();
    }
}
