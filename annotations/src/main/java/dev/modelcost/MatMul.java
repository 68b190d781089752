package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A batched matrix product of two earlier steps, as {@code torch.matmul(a, b)} (or
 * {@code a @ b.transpose(-2, -1)} with {@link #transposeB()}): name them with {@link From}. The
 * leading axes broadcast; K MACs per output element, K the inner size, also counted as
 * matmul MACs (products of two activations).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface MatMul {
    /** Whether the second operand is transposed in its last two axes. */
    boolean transposeB() default false;
    /**
     * Whether the code writes the product as the {@code @} operator ({@code q @ k.transpose(-2, -1)},
     * as timm's attention does) rather than {@code torch.matmul}: ptflops wraps {@code torch.matmul}
     * and {@code Tensor.matmul}, not the operator, so its {@code PTFLOPS_MACS} count none of it.
     * modelcost's own figures are the same either way.
     */
    boolean operator() default false;
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
