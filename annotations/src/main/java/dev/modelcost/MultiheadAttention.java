package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Multi-head attention, as PyTorch's {@code nn.MultiheadAttention}: self-attention on one input
 * ({@code L x E}), or cross-attention on three named with {@link From} (query, key, value). Output
 * {@code L_q x E}. MACs: the four projections, plus {@code Q·Kᵀ} and {@code A·V}
 * ({@code H·L_q·L_k·E/H} each, also counted as matmul MACs). Parameters in PyTorch's layout.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface MultiheadAttention {
    /** The model width E; inferred from the query when omitted, checked when given. */
    int embedDim() default 0;
    /** The number of heads H; must divide {@code embedDim}. */
    int numHeads() default 0;
    /** Whether the projections have biases. */
    boolean bias() default true;
    /** Whether learned biases are appended to the keys and values (one more key position). */
    boolean addBiasKv() default false;
    /** Whether a zero key and value are appended (one more key position). */
    boolean addZeroAttn() default false;
    /** Features of the key input; {@code embedDim} when omitted. */
    int kdim() default 0;
    /** Features of the value input; {@code embedDim} when omitted. */
    int vdim() default 0;
    /**
     * PyTorch's {@code batch_first}. Shapes here never show the batch, so MACs, FLOPs, parameters and bytes moved are the same
     * either way; it changes what follows the layout in memory: whether PyTorch 1.13's fused fast path can run (it needs
     * {@code batch_first}), the activation peak, and ptflops' aten figure, which follows the strides.
     */
    boolean batchFirst() default false;
    /**
     * Whether a causal mask is added to the scores (1 other op per score). The products are counted
     * as {@link Model#causal()} says: the whole score matrix by default ({@code dense}).
     */
    boolean isCausal() default false;
    /** Dropout on the attention weights (no effect at inference). */
    double dropout() default 0.0;
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
