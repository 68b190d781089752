package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Element-wise product of earlier fields' outputs, with broadcasting (squeeze-and-excitation): the
 * output has the broadcast shape. Names are field names or {@value From#INPUT}. Other ops: {@code n − 1}
 * per output element for {@code n} inputs; no MACs, no parameters.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Mul {
    /** The fields to multiply, at least two. */
    String[] value();

    /**
     * Whether the result overwrites the first input, as {@code x *= scale} does: the step
     * allocates no memory. No effect on the counts.
     */
    boolean inplace() default false;
}
