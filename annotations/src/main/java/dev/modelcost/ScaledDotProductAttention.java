package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Attention of queries on keys and values, as PyTorch's
 * {@code F.scaled_dot_product_attention(q, k, v, attn_mask, is_causal, scale, enable_gqa)}: three inputs named with
 * {@link From}, {@code H x L_q x E}, {@code KV x L_k x E} and {@code KV x L_k x E_v}, and a fourth where
 * a float mask is added to the scores ({@code attn_mask}: T5's relative position bias, ALiBi's), of
 * {@code H x L_q x L_k}, each axis of it its size or 1; output {@code H x L_q x E_v}. MACs {@code Q·Kᵀ} and {@code A·V} over the query–key pairs that the
 * model's causal convention counts ({@link Model#causal()}), with the query heads H (grouped
 * key/value heads are broadcast, not fewer products). Its keys and values are the KV cache.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface ScaledDotProductAttention {
    /** Whether a causal mask hides later keys. */
    boolean isCausal() default false;
    /** Whether there may be fewer key/value heads than query heads (grouped-query and multi-query attention). */
    boolean enableGqa() default false;
    /** The keys each query sees at most (Mistral's sliding window), counted under {@code causal-exact}; -1 for none. */
    int slidingWindow() default -1;
    /**
     * Whether the model's code writes the attention out — {@code torch.matmul(q, k.transpose(-2, -1))},
     * a mask, {@code torch.softmax}, {@code torch.matmul(probs, v)}, as code for PyTorch before 2.0
     * does — rather than calling {@code F.scaled_dot_product_attention}. modelcost's figures are the
     * same; the counters that see {@code torch.matmul} (ptflops, fvcore) count the written-out form.
     */
    boolean explicit() default false;
    /**
     * Whether the values are {@code E_v} of the keys' features (in FlashMLA, the first), one cached tensor: multi-head
     * latent attention as DeepSeek-V2 and -V3 run it with its projections absorbed (FlashMLA's
     * {@code head_dim_v}), where one key/value head holds the compressed latent and the rotary key,
     * {@code 512 + 64} features a token, and the values are its first 512. The KV cache then holds the
     * keys alone, {@code KV·L_k·E}; the work is the same. {@code E_v} must not exceed {@code E}.
     */
    boolean valuesInKeys() default false;
    /**
     * The factor the scores are multiplied by, as PyTorch's {@code scale}: 0 (the default) stands for
     * {@code scale=None}, {@code 1/sqrt(E)}; 1 where the scores are not scaled, as T5's code writes
     * them, and no operation is counted for it. A mask (the fourth input) with {@link #isCausal()}
     * is refused (MC310) but where the attention is written out ({@link #explicit()}), as
     * {@code F.scaled_dot_product_attention} refuses the two together.
     */
    double scale() default 0;
    /**
     * Attention logit soft-capping, as Gemma 2 runs it: the scaled scores become
     * {@code softcap · tanh(scores / softcap)} before the mask and the softmax (Hugging Face's
     * {@code attn_logit_softcapping}, 50.0 in Gemma 2's configs; FlashAttention's {@code softcap}); 0
     * (the default) for none. 3 other ops a score (the divide, the tanh, the multiply); written out
     * ({@link #explicit()}), training also saves the tanh's result, one tensor of the scores' size, for
     * its backward. Must be a finite number above 0 where given (MC310).
     */
    double softcap() default 0;
    /**
     * The dtype the softmax computes in where it is not the activations': {@code "fp32"} for
     * {@code F.softmax(scores, dim=-1, dtype=torch.float32).to(dtype)}, as Hugging Face's eager
     * attention runs it (Llama, Mistral, Qwen2, Gemma 2); empty (the default) for the activations'
     * dtype. Only where the attention is written out ({@link #explicit()}; MC310 otherwise, a fused
     * kernel keeps no probabilities). At half precision the softmax holds an fp32 copy of the scores and
     * its fp32 result while it runs (as on a CPU, where it was measured; CUDA's reads the half-precision
     * scores without the copy, so the figure is a bound there), and training saves the fp32
     * probabilities beside their copy at the activations' dtype; at fp32 nothing changes. No effect on
     * the counts.
     */
    String softmaxDtype() default "";
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
