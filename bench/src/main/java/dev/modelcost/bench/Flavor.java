package dev.modelcost.bench;

import java.util.List;

/** What runs in the "with processor" compilations of a table row. */
enum Flavor {
    /** The modelcost processor as users get it (reports on), with {@code -Amodelcost.stats=true}. */
    MODELCOST("", List.of("-Amodelcost.stats=true")),
    /** The modelcost processor without the JSON, Markdown and HTML reports ({@code -Amodelcost.reports=false}). */
    NO_REPORTS(" [reports=false]", List.of("-Amodelcost.stats=true", "-Amodelcost.reports=false")),
    /**
     * Not modelcost: {@link ControlProcessor} with {@code -Abench.control=noop}, which claims
     * {@code @Model} and does nothing. Its row is what javac charges for running a processor at all.
     */
    NOOP(" [no-op processor]", List.of("-Abench.control=noop")),
    /**
     * Not modelcost: {@link ControlProcessor}, which only writes one near-empty class per model. Its
     * row is the floor that javac's own round machinery puts under any processor that generates a
     * class per model.
     */
    CONTROL(" [control processor]", List.of());

    final String suffix;
    final List<String> options;

    Flavor(String suffix, List<String> options) {
        this.suffix = suffix;
        this.options = options;
    }
}
