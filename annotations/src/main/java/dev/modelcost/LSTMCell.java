package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One step of an LSTM, as PyTorch's {@code nn.LSTMCell}, on an input of {@code input_size}
 * features (layout {@code F}); further inputs named with {@link From} are the states ({@code h}
 * and {@code c}, both or neither), zero when not given, as PyTorch computes with them either
 * way. Output: {@code h'} or {@code c'}, {@code hidden_size} features. MACs: {@code
 * 4·hidden·(input + hidden)}. Parameters {@code weight_ih}, {@code weight_hh}, {@code bias_ih},
 * {@code bias_hh}. Other ops as one step of {@link LSTM}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface LSTMCell {
    /** Input features; inferred when omitted, checked when given. */
    int inputSize() default 0;
    /** Features of the hidden state. */
    int hiddenSize() default 0;
    /** Whether the cell has the biases {@code bias_ih} and {@code bias_hh}. */
    boolean bias() default true;
    /**
     * Which state the step passes on: {@code h} or {@code c}. A later field reads the other state of the same call by the
     * field's name and the state's ({@code @From("cell.c")}), at no cost: the cell counts once.
     */
    String output() default "h";
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
