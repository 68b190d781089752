package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The dtypes of one layer, where they differ from the model's ({@link Model#dtype()},
 * {@link Model#activations()}): {@code @Dtype(weights = "int4")} on a Linear quantized to 4 bits,
 * {@code @Dtype(activations = "fp32")} on a softmax kept in fp32. Give at least one. Only on a field
 * with a layer annotation; inside a block it holds wherever the block is applied.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Dtype {
    /** The dtype of the layer's parameters, with the names of {@link Model#dtype()}; empty: the model's. */
    String weights() default "";

    /**
     * The dtype the layer reads its inputs and writes its output in, with the names of
     * {@link Model#activations()}; empty: the model's.
     */
    String activations() default "";
}
