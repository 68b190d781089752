package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A multi-layer gated recurrent unit, as PyTorch's {@code nn.GRU}, over a sequence {@code L x
 * input_size} (layout {@code L,D}; the batch is never shown, so {@code batchFirst} changes
 * nothing here). Output: the sequence {@code L x D·H_out} (D = 2 when bidirectional, {@code
 * H_out} = {@code hiddenSize}), or the final states {@code h_n} ({@code num_layers·D x H_out}),
 * without the batch, which PyTorch keeps in their middle axis (PyTorch's {@code h_n[-1]} is
 * {@code @Select(dim = 1, index = -1)} here). Further inputs named with {@link From} are the
 * initial states, in the same shapes. MACs per time step, layer and direction: {@code
 * 3·hidden·(input + H_out)}. Parameters in PyTorch's layout ({@code weight_ih_l0}, {@code
 * weight_hh_l0}, {@code bias_ih_l0}, {@code bias_hh_l0}, {@code _reverse}). Other ops per step,
 * direction and hidden unit: 11 (3 gate sums, 3 activations, 1 reset product, 4 for the
 * update).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface GRU {
    /** Features of each step; inferred when omitted, checked when given. */
    int inputSize() default 0;
    /** Features of the hidden state. */
    int hiddenSize() default 0;
    /** Stacked layers, each reading the previous one's output sequence. */
    int numLayers() default 1;
    /** Whether each layer has the biases {@code bias_ih} and {@code bias_hh}. */
    boolean bias() default true;
    /**
     * PyTorch's {@code batch_first}. Shapes here never show the batch, so MACs, FLOPs, parameters and bytes moved are the same
     * either way; it changes what follows the layout in memory: what the layer saves for backward (a contiguous copy of its
     * transposed input above a batch of 1) and ptflops' aten figure, which follows the strides.
     */
    boolean batchFirst() default false;
    /** Dropout between layers (no effect at inference). */
    double dropout() default 0;
    /** Whether each layer also runs backwards, doubling its output features. */
    boolean bidirectional() default false;
    /**
     * Which result the step passes on: {@code output} (the sequence) or {@code h_n}. A later field reads the other result of the
     * same call by the field's name and the result's ({@code @From("enc.h_n")}), at no cost: the layer counts once.
     */
    String output() default "output";
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
