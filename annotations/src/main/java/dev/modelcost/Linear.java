package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A fully connected layer, as PyTorch's {@code nn.Linear}: applies to the last dimension of its input. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Linear {
    /** Output features. */
    int out() default 0;
    /** Input features; inferred when omitted, checked when given. */
    int inFeatures() default 0;
    /** Whether the layer adds a learnable bias. */
    boolean bias() default true;
    /**
     * An earlier {@link Embedding} field whose table this layer's weight is (a tied LM head, as
     * GPT-2's), or an earlier {@code Linear} whose weight it shares ({@code fb.weight = fa.weight}):
     * the weight is counted once, there; its MACs here, and its own bias where {@link #bias()} is
     * true. Its weight's shape must match (MC317).
     */
    String tiedTo() default "";
    /**
     * Attributes given as expressions, in the form {@code "name = expr, name = expr"}: over the
     * enclosing block's parameters and its input dimensions {@code in}, {@code h}, {@code w}.
     * An attribute may be written as a literal or here, not both.
     */
    String with() default "";
}
