package dev.modelcost.processor.training;

import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.ModelCosts;

/**
 * A run of repetitions ({@code run}) among the children of the block at {@code path}, which paths name by their repetitions'
 * names there ({@code blocks.3}, {@code blocks.3.fc} of the run of {@code blocks}).
 *
 * @param path the path of the block whose child the run is ({@code ""} for the model)
 * @param run the run
 */
record RunAt(String path, CostNode.Child run) {
    /** The index of the repetition that {@code full} names or lies inside; -1 where it is in no repetition of this run. */
    long repetition(String full) {
        String relative = path.isEmpty() ? full : full.startsWith(path + ".") ? full.substring(path.length() + 1) : "";
        int dot = relative.indexOf('.');
        return run.repetitionIndex(dot < 0 ? relative : relative.substring(0, dot));
    }

    /** The path of the repetition at {@code index}. */
    String pathOf(long index) {
        return ModelCosts.join(path, run.name((int) index));
    }
}
