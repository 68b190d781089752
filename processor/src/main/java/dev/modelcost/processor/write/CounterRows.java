package dev.modelcost.processor.write;

import dev.modelcost.processor.counters.Category;
import dev.modelcost.processor.counters.Reading;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The counters section of the Markdown and HTML reports as plain cells: one row per counter, then the differences by category. */
final class CounterRows {
    private CounterRows() {}

    /** The section's heading. */
    static final String TITLE = "What the counters would print";

    /** The sentence under the heading. */
    static final String INTRO = "The figure each popular counter would print for this network, under its own conventions "
            + "(docs/counters.md states every rule and its source), and where it differs from modelcost's MACs.";

    /** Headings of the summary table. */
    static final List<String> HEADINGS = List.of("counter", "call", "figure", "vs MACS", "params");

    /** One row per counter: its id, call, figure (or why there is none), difference from MACS and parameters. */
    static List<List<String>> summary(List<Reading> readings) {
        List<List<String>> rows = new ArrayList<>();
        for (Reading reading : readings) {
            boolean shown = reading.reproduced();
            rows.add(List.of(reading.counter().id(), reading.counter().call(),
                    shown ? Numbers.grouped(reading.value()) : reading.instead(),
                    shown ? Numbers.signed(reading.difference()) : "",
                    shown && reading.counter().reportsParams() ? Numbers.grouped(reading.params()) : ""));
        }
        return rows;
    }

    /** The categories any reproduced counter differs in, in {@link Category}'s order. */
    static List<Category> categories(List<Reading> readings) {
        Set<Category> used = EnumSet.noneOf(Category.class);
        readings.stream().filter(Reading::reproduced).forEach(r -> used.addAll(r.differences().keySet()));
        return List.copyOf(used);
    }

    /** Headings of the differences table: where, then one column per reproduced counter. */
    static List<String> differenceHeadings(List<Reading> readings) {
        List<String> headings = new ArrayList<>(List.of("where"));
        readings.stream().filter(Reading::reproduced).forEach(r -> headings.add(r.counter().id()));
        return headings;
    }

    /** One row per category: the amount each reproduced counter adds to (or takes from) modelcost's MACs there. */
    static List<List<String>> differences(List<Reading> readings) {
        List<List<String>> rows = new ArrayList<>();
        for (Category category : categories(readings)) {
            List<String> row = new ArrayList<>(List.of(category.label()));
            readings.stream().filter(Reading::reproduced).forEach(r -> row.add(Numbers.signed(r.differences().getOrDefault(category, 0L))));
            rows.add(row);
        }
        return rows;
    }

    /** The notes under the tables: what each counter does not see, and the leaves where it differs most, each path as {@code path} shows it. */
    static List<String> notes(List<Reading> readings, java.util.function.UnaryOperator<String> path) {
        List<String> notes = new ArrayList<>();
        for (Reading reading : readings) {
            reading.unseen().forEach((reason, macs) -> notes.add(macs == 0 ? reading.counter().id() + ": " + reason
                    : String.format(Locale.ROOT, "%s does not see %s MACs: %s", reading.counter().id(), Numbers.grouped(macs), reason)));
            if (reading.reproduced() && !reading.largest().isEmpty()) {
                List<String> layers = reading.largest().stream()
                        .map(l -> path.apply(l.path()) + (l.count() > 1 ? " (×" + l.count() + ")" : "") + " " + l.kind() + " " + Numbers.signed(l.difference()))
                        .toList();
                notes.add(reading.counter().id() + " differs most at " + String.join(", ", layers));
            }
        }
        return notes;
    }
}
