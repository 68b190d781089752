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
    /**
     * The axis names of the result, e.g. {@code "D,L"} for ViT's {@code x.flatten(2)} of a {@code D,H,W} map, so that expressions
     * read the flattened axis ({@code input.L}); when empty, a flattened axis is named by the axes it joins ({@code H*W}), which
     * no expression can read, and a flatten to one axis names it {@code F}.
     */
    String layout() default "";

}
