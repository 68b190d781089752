package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Channel-wise alpha dropout, as PyTorch's {@code nn.FeatureAlphaDropout}: the identity at inference, the output the input's
 * shape, any rank. In a training step with {@code p} above 0 it multiplies by a noise of one value per sample and channel (the
 * first axis after the batch; on {@code N,F} every value) and adds a shift; it saves the noise for backward, {@code N·C} values at
 * the activation dtype ({@code SAVED_ACTIVATION_BYTES}, PyTorch 1.13's {@code feature_alpha_dropout}); at {@code p = 1} it
 * multiplies by a zero scalar, which it saves.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface FeatureAlphaDropout {
    /** Probability of a channel to be dropped, from 0 to 1 (no effect on shapes or costs at inference). */
    double p() default 0.5;

    /** As PyTorch's {@code inplace}: in training the output overwrites the input, so the layer allocates no tensor of its own. */
    boolean inplace() default false;
}
