package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The dtype of one layer's parameters, where it differs from the model's ({@link Model#dtype()}):
 * {@code @Dtype(weights = "int4")} on a Linear quantized to 4 bits. The same names as
 * {@link Model#dtype()}. Only on a field with a layer annotation; inside a block it holds wherever
 * the block is applied.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Dtype {
    /** The dtype of the layer's parameters. */
    String weights();
}
