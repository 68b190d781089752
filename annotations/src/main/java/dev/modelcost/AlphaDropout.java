package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Alpha dropout, as PyTorch's {@code nn.AlphaDropout} (for SELU networks): the identity at inference, the output the input's
 * shape, any rank. In a training step with {@code p} above 0 it multiplies the input by a noise of the input's size and adds a
 * shift; it saves the noise for backward, at the activation dtype ({@code SAVED_ACTIVATION_BYTES}, PyTorch 1.13's
 * {@code alpha_dropout}, which has no fused kernel on any device); at {@code p = 1} it multiplies by a zero scalar, which it saves.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface AlphaDropout {
    /** Probability of an element to be dropped, from 0 to 1 (no effect on shapes or costs at inference). */
    double p() default 0.5;

    /** As PyTorch's {@code inplace}: in training the output overwrites the input, so the layer allocates no tensor of its own. */
    boolean inplace() default false;
}
