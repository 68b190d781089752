package dev.modelcost.bench;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One synthetic spec corpus: a set of source files that compiles with and without the processor.
 *
 * @param name the row name in the table, e.g. {@code mixed-500x50}
 * @param models how many {@code @Model} classes (and so generated {@code *Cost} classes) it has
 * @param layers how many leaves the processor must report in total (checked on every run)
 * @param files how many source files it has
 * @param heavy whether a compilation takes tens of seconds, so that a full run caps its runs (see {@link Bench})
 * @param writer writes the sources under a source root
 */
record Corpus(String name, int models, long layers, int files, boolean heavy, Writer writer) {

    /** Writes a corpus's sources under a source root. */
    interface Writer {
        void write(Path root) throws IOException;
    }
}
