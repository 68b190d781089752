package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Flattens dimensions into one, as PyTorch's {@code nn.Flatten}; dimensions count the batch as 0. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Flatten {
    /** First dimension to flatten. */
    int startDim() default 1;
    /** Last dimension to flatten; negative counts from the end. */
    int endDim() default -1;

}
