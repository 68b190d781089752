package dev.modelcost.processor.memory;

import dev.modelcost.processor.analysis.BudgetCheck;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.spec.MemoryLimit;
import dev.modelcost.processor.training.TrainingStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Checks the activation peak, the inference memory and a training step's memory against {@code @Budget}. */
public final class MemoryBudget {
    private MemoryBudget() {}

    /** The problem of each exceeded bound, none when the model fits. */
    public static List<Problem> check(ModelCosts costs, Peak peak, TrainingStep training) {
        List<Problem> problems = new ArrayList<>();
        for (MemoryLimit limit : costs.spec().roofline().memory()) {
            if (limit.training()) {
                if (training != null && training.memory() > limit.limit()) {
                    problems.add(new Problem(Diagnostic.MEMORY_OVER_BUDGET, limit.site(), "TRAINING_MEMORY_BYTES", training.memory(), limit.attribute(),
                            limit.limit(), BudgetCheck.percentOver(training.memory(), limit.limit()), String.format(Locale.ROOT,
                            "saved activations %,d at batch %d, weights %,d, gradients %,d, optimizer state %,d, buffers %,d",
                            training.savedActivations(), training.batch(), training.weights(), training.gradients(), training.optimizerState(),
                            training.buffers())));
                }
                continue;
            }
            long value = limit.inference() ? peak.inference(costs) : peak.bytes();
            if (value > limit.limit()) {
                String parts = String.format(Locale.ROOT, "activations %,d at their peak, while %s runs (the inputs %,d of them)", peak.bytes(),
                        peak.at().isEmpty() ? "the model" : peak.at(), peak.inputs());
                if (limit.inference()) {
                    parts += String.format(Locale.ROOT, ", weights %,d, buffers %,d, KV cache %,d", costs.totals().get(Figure.WEIGHT_BYTES),
                            peak.bufferBytes(costs), costs.totals().get(Figure.KV_CACHE_BYTES));
                }
                problems.add(new Problem(Diagnostic.MEMORY_OVER_BUDGET, limit.site(), limit.inference() ? "INFERENCE_MEMORY_BYTES" : "PEAK_ACTIVATION_BYTES",
                        value, limit.attribute(), limit.limit(), BudgetCheck.percentOver(value, limit.limit()), parts));
            }
        }
        return problems;
    }
}
