package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A fully connected layer, as PyTorch's {@code nn.Linear}: applies to the last dimension of its
 * input, which becomes {@code out}. MACs: {@code out_elements · in}; FLOPs {@code 2·MACs}, less one per
 * output element without a bias. Parameters: {@code in · out} (+ {@code out} bias).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Linear {
    /** Output features; required, but where {@link #tiedTo()} fixes them. */
    int out() default 0;
    /** Input features; inferred when omitted, checked when given. */
    int inFeatures() default 0;
    /** Whether the layer adds a learnable bias. */
    boolean bias() default true;
    /**
     * An earlier {@link Embedding} field whose table this layer's weight is (a tied LM head, as
     * GPT-2's), or an earlier {@code Linear} whose weight it shares ({@code fb.weight = fa.weight}):
     * the weight is counted once, there; its MACs here, and its own bias where {@link #bias()} is
     * true. Its weight's shape must match (MC317); {@link #out()} left out is the weight's rows.
     */
    String tiedTo() default "";
    /** Attributes as expressions, as in {@link Conv2d#with()}, which describes the expression language. */
    String with() default "";
}
