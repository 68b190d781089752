package dev.modelcost.processor.spec;

import static dev.modelcost.processor.spec.Mirrors.DSL;
import static dev.modelcost.processor.spec.Mirrors.explicitValues;
import static dev.modelcost.processor.spec.Mirrors.mirror;
import static dev.modelcost.processor.spec.Mirrors.value;

import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.diag.Suggestions;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;

/** Reads {@code @Training} of a model, and refuses a training budget without it. */
final class TrainingReader {
    private TrainingReader() {}

    /**
     * The model's training step: empty inside the optional when the model has no {@code @Training},
     * an empty optional when something was wrong (reported).
     */
    static Optional<Optional<TrainingSpec>> read(TypeElement type, int modelBatch, Findings findings) {
        AnnotationMirror training = mirror(type, DSL + ".Training");
        AnnotationMirror budget = Mirrors.budgets(type).stream().filter(b -> explicitValues(b).containsKey("maxTrainingMemoryBytes")).findFirst()
                .orElse(null);
        AnnotationValue bound = budget == null ? null : explicitValues(budget).get("maxTrainingMemoryBytes");
        if (training == null) {
            if (bound != null) {
                return findings.reject(new Problem(Diagnostic.TRAINING_WITHOUT_STEP, new Site(type, budget, bound)));
            }
            return Optional.of(Optional.empty());
        }
        Findings part = findings.part();
        Map<String, AnnotationValue> given = explicitValues(training);
        int batch = ((Number) value(training, "batch").getValue()).intValue();
        if (batch < 0) {
            part.report(new Problem(Diagnostic.TRAINING_SETTING, new Site(type, training, given.get("batch")), "batch", batch,
                    "must be at least 1, or 0 for the model's batch", "give the batch of one step"));
        }
        String optimizer = (String) value(training, "optimizer").getValue();
        if (!TrainingSpec.OPTIMIZERS.contains(optimizer)) {
            part.report(new Problem(Diagnostic.TRAINING_SETTING, new Site(type, training, given.get("optimizer")), "optimizer", "\"" + optimizer + "\"",
                    "is not an optimizer modelcost knows" + Suggestions.didYouMean(optimizer, TrainingSpec.OPTIMIZERS),
                    "name one of " + String.join(", ", TrainingSpec.OPTIMIZERS) + ", as torch.optim does"));
        }
        AnnotationValue momentumValue = given.get("momentum");
        double momentum = momentumValue == null ? 0 : ((Number) momentumValue.getValue()).doubleValue();
        // An optimizer modelcost does not know is refused above: whose momentum it is would follow from that mistake.
        if (momentumValue != null && TrainingSpec.OPTIMIZERS.contains(optimizer) && !optimizer.equals("SGD") && momentum != 0) {
            part.report(new Problem(Diagnostic.TRAINING_SETTING, new Site(type, training, momentumValue), "momentum",
                    dev.modelcost.processor.roofline.Seconds.significant(momentum), "is SGD's, but the optimizer is " + optimizer,
                    "drop momentum, or use optimizer = \"SGD\""));
        } else if (!(momentum >= 0 && momentum < 1e9)) {
            part.report(new Problem(Diagnostic.TRAINING_SETTING, new Site(type, training, momentumValue), "momentum",
                    dev.modelcost.processor.roofline.Seconds.significant(momentum), "must be from 0 to below 1e9 (PyTorch refuses a negative momentum)",
                    "give SGD's momentum, e.g. 0.9"));
        }
        if (part.rejected()) {
            return Optional.empty();
        }
        return Optional.of(Optional.of(new TrainingSpec(batch == 0 ? modelBatch : batch, optimizer, momentum,
                (Boolean) value(training, "mixedPrecision").getValue(), (Boolean) value(training, "recompute").getValue(), (Boolean) value(training, "inputsRequireGrad").getValue(), batch == 0)));
    }
}
