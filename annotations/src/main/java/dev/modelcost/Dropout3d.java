package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Channel-wise dropout, as PyTorch's {@code nn.Dropout3d}: the identity at inference, the output the input's shape. It takes an
 * input of channels by three axes ({@code C,D,H,W}); PyTorch takes any other rank as a sample without a batch, its channels the
 * batch's samples. In a training step with {@code p} above 0 it multiplies by a noise of one value per sample and channel, which
 * it saves for backward: {@code N·C} values ({@code N} where the input is not {@code C,D,H,W}) at the activation dtype
 * ({@code SAVED_ACTIVATION_BYTES}, PyTorch 1.13's {@code feature_dropout}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Dropout3d {
    /** Probability of a channel to be zeroed, from 0 to 1 (no effect on shapes or costs at inference). */
    double p() default 0.5;

    /** As PyTorch's {@code inplace}: in training the output overwrites the input, so the layer allocates no tensor of its own. */
    boolean inplace() default false;
}
