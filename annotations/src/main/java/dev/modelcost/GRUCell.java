package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One step of a GRU, as PyTorch's {@code nn.GRUCell}, on an input of {@code input_size}
 * features (layout {@code F}); further inputs named with {@link From} are the states ({@code
 * h}), zero when not given, as PyTorch computes with them either way. Output: {@code h'},
 * {@code hidden_size} features. MACs: {@code 3·hidden·(input + hidden)}. Parameters {@code
 * weight_ih}, {@code weight_hh}, {@code bias_ih}, {@code bias_hh}. Other ops as one step of
 * {@link GRU}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface GRUCell {
    /** Input features; inferred when omitted, checked when given. */
    int inputSize() default 0;
    /** Features of the hidden state. */
    int hiddenSize() default 0;
    /** Whether the cell has the biases {@code bias_ih} and {@code bias_hh}. */
    boolean bias() default true;
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
