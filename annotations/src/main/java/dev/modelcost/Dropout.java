package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Dropout, as PyTorch's {@code nn.Dropout}: the identity at inference. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Dropout {
    /**
     * Drop probability. No effect on shapes or costs (dropout is an identity at inference); in a training step, a {@code p}
     * above 0 saves the mask for backward ({@code SAVED_ACTIVATION_BYTES}).
     */
    double p() default 0.5;

    /**
     * As PyTorch's {@code inplace}: in training the output overwrites the input, so the layer
     * allocates no tensor of its own (torchvision's MobileNetV3 classifier).
     */
    boolean inplace() default false;

}
