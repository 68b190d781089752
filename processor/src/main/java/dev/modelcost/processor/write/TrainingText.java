package dev.modelcost.processor.write;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.TrainingSpec;
import dev.modelcost.processor.training.TrainingStep;
import java.util.ArrayList;
import java.util.List;

/** The training step as the generated class writes it: one constant per figure, and the budget. */
final class TrainingText {
    private TrainingText() {}

    /** How the step is set up, for Javadoc: {@code batch 32, AdamW, mixed precision}. */
    static String setup(TrainingSpec spec) {
        return "batch " + spec.batch() + ", " + spec.optimizer() + (spec.optimizerStates() == 1 ? " with momentum" : "")
                + (spec.mixedPrecision() ? ", mixed precision" : "") + (spec.recompute() ? ", recomputing activations" : "")
                + (spec.inputsRequireGrad() ? ", inputs that require grad" : "");
    }

    /** The step's constants; none without {@code @Training}. */
    static List<FieldSpec> constants(ModelSpec spec, TrainingStep step) {
        List<FieldSpec> fields = new ArrayList<>();
        if (step == null) {
            return fields;
        }
        String setup = " (" + setup(spec.training()) + ")";
        fields.add(constant("TRAINING_FLOPS", "FLOPs of one training step" + setup + ": the forward pass's {@link #FLOPS} at the step's batch "
                + "and a backward pass of twice that (Kaplan et al., Chinchilla, DeepSpeed and calflops count so)"
                + (spec.training().recompute() ? ", and the forward pass again to recompute the activations" : "") + ".", step.flops()));
        fields.add(constant("SAVED_ACTIVATION_BYTES", "Bytes of the activations autograd saves for the backward pass" + setup + ", each storage "
                + "once, as {@code torch.autograd.graph.saved_tensors_hooks} sees them: a layer's inputs (convolutions, linear layers, "
                + "norms), or its output (ReLU, sigmoid, softmax), and statistics, int64 pooling indices and bool dropout masks"
                + (spec.training().recompute() ? "; with recomputation, each segment's input (a field, or one repetition of a repeated field) and the largest segment's own" : "") + ".",
                step.savedActivations()));
        fields.add(constant("TRAINING_WEIGHT_BYTES", "Bytes of the weights in training" + setup
                + (spec.training().mixedPrecision() ? ": fp16 weights and their fp32 master copy, 6 bytes a parameter." : ": at their dtype."),
                step.weights()));
        fields.add(constant("GRADIENT_BYTES", "Bytes of the gradients" + setup + ", as the weights (fp16 in mixed precision).", step.gradients()));
        fields.add(constant("OPTIMIZER_STATE_BYTES", "Bytes of the optimizer's state" + setup + ": fp32, two tensors of the parameters' size "
                + "for Adam and AdamW, one for SGD with momentum, none for plain SGD.", step.optimizerState()));
        fields.add(constant("TRAINING_MEMORY_BYTES", "Memory of one training step" + setup + ": {@link #TRAINING_WEIGHT_BYTES}, "
                + "{@link #GRADIENT_BYTES}, {@link #OPTIMIZER_STATE_BYTES}, the buffers in fp32 (" + Numbers.grouped(step.buffers()) + ") and "
                + "{@link #SAVED_ACTIVATION_BYTES}. Workspaces, the allocator's rounding and the framework's own memory are not counted.",
                step.memory()));
        fields.add(CostClassWriter.memoryBudget(spec, "maxTrainingMemoryBytes", "MAX_TRAINING_MEMORY_BYTES", "TRAINING_MEMORY_BYTES"));
        return fields;
    }

    private static FieldSpec constant(String name, String doc, long value) {
        return CostClassWriter.constant(TypeName.LONG, name, doc, CodeBlock.of("$LL", value));
    }
}
