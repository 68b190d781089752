package dev.modelcost.processor.spec;

import java.util.List;

/**
 * A validated {@code @Training}.
 *
 * @param batch the batch of one step
 * @param optimizer the optimizer's {@code torch.optim} class: SGD, Adam or AdamW
 * @param momentum SGD's momentum
 * @param mixedPrecision whether the step runs in mixed precision with fp32 master weights
 * @param recompute whether each field of the model recomputes its activations in backward
 * @param inputsRequireGrad whether the model's inputs require grad (an activation of a larger network); else they are data, and a
 *     layer whose inputs come from the data alone is not recorded by autograd
 * @param followsModel whether the batch is the model's ({@code @Training(batch = 0)}), and follows it where the batch is a size variable
 */
public record TrainingSpec(int batch, String optimizer, double momentum, boolean mixedPrecision, boolean recompute, boolean inputsRequireGrad,
        boolean followsModel) {

    /** The same step at the model's batch {@code modelBatch}, where its batch follows the model's ({@code @Training(batch = 0)}). */
    public TrainingSpec atModelBatch(int modelBatch) {
        return followsModel ? new TrainingSpec(modelBatch, optimizer, momentum, mixedPrecision, recompute, inputsRequireGrad, true) : this;
    }

    /** The optimizers modelcost knows. */
    public static final List<String> OPTIMIZERS = List.of("SGD", "Adam", "AdamW");

    /** How many fp32 tensors of the parameters' size the optimizer keeps: Adam's two moments, SGD's momentum buffer, or none. */
    public int optimizerStates() {
        return optimizer.equals("SGD") ? (momentum != 0 ? 1 : 0) : 2;
    }
}
