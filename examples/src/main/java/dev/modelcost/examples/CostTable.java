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
        URL report = CostTable.class.getClassLoader().getResource(ExampleModels.ALL.get(0).htmlReport());
        if (report != null) {
            String path = report.getPath();
            System.out.println();
            System.out.println("HTML reports with charts (and JSON, Markdown): " + path.substring(0, path.lastIndexOf('/') + 1) + "*.html");
        }
    }

    /** The table as text, one row per model. */
    static String render(List<ExampleModels.Entry> models) {
        String format = "%-25s %-18s %-11s %,13d %,8d %,16d %,16d  %s%n";
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%-25s %-18s %-11s %13s %8s %16s %16s  %s%n",
                "model", "input", "output", "params", "buffers", "MACs", "FLOPs", "budget use"));
        for (ExampleModels.Entry model : models) {
            table.append(String.format(Locale.ROOT, format, model.name(), model.input(), model.output(),
                    model.params(), model.buffers(), model.macs(), model.flops(), model.budgetUse()));
        }
        return table.toString();
    }
}
