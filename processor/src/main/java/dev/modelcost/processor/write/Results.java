package dev.modelcost.processor.write;

import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.counters.Reading;
import dev.modelcost.processor.memory.Liveness;
import dev.modelcost.processor.memory.Peak;
import dev.modelcost.processor.roofline.Bound;
import dev.modelcost.processor.sizes.SizeForms;
import dev.modelcost.processor.training.TrainingStep;
import java.util.List;

/**
 * Everything computed for one model that the generated class and the reports write.
 *
 * @param costs the analysed model
 * @param readings every counter's reading, in the registry's order
 * @param bounds the roofline bound on each profile the model names
 * @param decodeBounds the roofline bound of one decoding step on the same profiles, in their order; empty for a model without a
 *     decoding step of its own
 * @param liveness the liveness of activations, its peak computed
 * @param training the training step of {@code @Training}, or null
 * @param sizes the closed forms in the size variables of {@code @Model(sizes)}, or null without any
 */
public record Results(ModelCosts costs, List<Reading> readings, List<Bound> bounds, List<Bound> decodeBounds, Liveness liveness,
        TrainingStep training, SizeForms sizes) {
    /** Copies the lists. */
    public Results {
        readings = List.copyOf(readings);
        bounds = List.copyOf(bounds);
        decodeBounds = List.copyOf(decodeBounds);
    }

    /** The peak of live activation memory. */
    public Peak memory() {
        return liveness.peak();
    }
}
