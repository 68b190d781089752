package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Element-wise sum of earlier fields' outputs (a residual connection), with broadcasting: the
 * output has the broadcast shape. Names are field names or {@value From#INPUT}. Other ops: {@code n − 1}
 * per output element for {@code n} inputs; no MACs, no parameters.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Add {
    /** The fields to add, at least two. */
    String[] value();

    /**
     * Whether the result overwrites the first input, as {@code out += identity} does in
     * torchvision's residual blocks: the step allocates no memory. No effect on the counts.
     */
    boolean inplace() default false;
}
