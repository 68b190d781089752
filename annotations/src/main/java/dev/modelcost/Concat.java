package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Concatenation of earlier fields' outputs along the channel (first) dimension, as
 * {@code torch.cat(xs, dim=1)}, or along {@link #dim()}: the other axes must agree, and the output's
 * axis is the sum of the inputs'. Names are field names or {@value From#INPUT}. No ops and no
 * parameters: it only copies.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Concat {
    /** The fields to concatenate, at least two. */
    String[] value();
    /** The dimension to concatenate along; counts the batch as 0 (as PyTorch's {@code dim}), so 1 is the channels. */
    int dim() default 1;
}
