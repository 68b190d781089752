package dev.modelcost.processor.counters;

import java.util.List;
import java.util.Optional;

/** The registry of counters modelcost reproduces, in the order reports list them. */
public final class Counters {
    private Counters() {}

    /** Every counter. */
    public static final List<Counter> ALL = List.of(new Thop(), new Nni(false), new Nni(true), new Ptflops(Ptflops.Backend.PYTORCH),
            new Ptflops(Ptflops.Backend.NO_FUNCTIONAL), new Ptflops(Ptflops.Backend.ATEN), new Fvcore(), new Torchinfo(false),
            new Torchinfo(true));

    /** The counter of an identifier, e.g. {@code thop}. */
    public static Optional<Counter> byId(String id) {
        return ALL.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** Every identifier, for messages. */
    public static List<String> ids() {
        return ALL.stream().map(Counter::id).toList();
    }
}
