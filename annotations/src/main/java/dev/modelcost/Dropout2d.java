package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Channel-wise dropout, as PyTorch's {@code nn.Dropout2d}: the identity at inference, the output the input's shape. It takes an
 * input of any rank: PyTorch drops the values of each channel (the first axis after the batch) together (an input of one axis,
 * {@code N,F}, has no positions to drop together: each value is a channel). In a training step with {@code p} above 0 it
 * multiplies by a noise of one value per sample and channel, which it saves for backward: {@code N·C} values ({@code C} the first
 * axis after the batch) at the activation dtype ({@code SAVED_ACTIVATION_BYTES}, PyTorch 1.13's {@code feature_dropout}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Dropout2d {
    /** Probability of a channel to be zeroed, from 0 to 1 (no effect on shapes or costs at inference). */
    double p() default 0.5;

    /** As PyTorch's {@code inplace}: in training the output overwrites the input, so the layer allocates no tensor of its own. */
    boolean inplace() default false;
}
