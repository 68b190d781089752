package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Root-mean-square normalisation over the last axis, as Llama's {@code RMSNorm} (PyTorch's
 * {@code nn.RMSNorm}): a learned weight per feature. 4 other ops per element (square, mean, scale
 * by the reciprocal root, weight; 3 without the weight). Gemma's {@code RMSNorm}, which scales by
 * {@code 1 + weight}, has the same parameters and is written the same way; its one add per feature
 * a call (to the weight, not to each element) is not counted.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface RMSNorm {
    /** Whether it has a learnable weight. */
    boolean elementwiseAffine() default true;
    /** Added to the mean square (no effect on costs). */
    double eps() default 1e-6;
}
