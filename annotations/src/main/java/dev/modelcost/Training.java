package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One training step of the model: the generated class gains its FLOPs (forward and backward), the
 * activations autograd saves for backward, the gradients, the optimizer's state and their total.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Training {
    /** The batch of one step; 0 (the default): the model's {@link Model#batch()}. */
    int batch() default 0;

    /** The optimizer, by its {@code torch.optim} class: {@code "SGD"}, {@code "Adam"} or {@code "AdamW"}. */
    String optimizer() default "AdamW";

    /** SGD's momentum; a nonzero one keeps a momentum buffer per parameter, as {@code torch.optim.SGD} does. */
    double momentum() default 0;

    /**
     * Mixed precision with fp32 master weights (Micikevicius et al., 2018; the ZeRO paper's 16 bytes
     * a parameter with Adam): fp16 weights and gradients, an fp32 copy of the weights, fp32
     * optimizer state, activations at 2 bytes.
     */
    boolean mixedPrecision() default false;

    /**
     * Activation recomputation: each field of the model, and each repetition of a {@code @Repeat} field, keeps only its input
     * for backward and runs its forward again there, as {@code torch.utils.checkpoint} around each does (Chen et al., 2016;
     * Hugging Face's {@code gradient_checkpointing} checkpoints each decoder layer so). Backward recomputes one segment at a time,
     * the last first, and frees a segment's kept inputs once its backward has run: {@code SAVED_ACTIVATION_BYTES} is then the most
     * alive at once, a segment's own saved activations beside the inputs kept by it and the segments before it.
     */
    boolean recompute() default false;

    /**
     * Whether the model's inputs require grad, as an activation of a larger network does: for a model that stands for part of a
     * network (a layer, a block), its inputs the output of layers before it, not leaves (so an in-place layer may change them, as
     * in that network; PyTorch refuses one on a leaf made with {@code x.requires_grad_()}). By default they are data, as a batch
     * from a loader is, and autograd records no layer whose inputs come from the data alone: a pad, a pooling or an activation of
     * the input, before any weight, saves nothing for backward. Token ids never require grad (PyTorch refuses it on an integer
     * tensor): with every input token ids, {@code true} is refused (MC136).
     */
    boolean inputsRequireGrad() default false;
}
