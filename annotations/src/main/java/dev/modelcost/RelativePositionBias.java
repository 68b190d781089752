package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * T5's relative position bias, as Hugging Face's {@code T5Attention.compute_bias(query_length,
 * key_length)}: the distance from every query position to every key position, put in one of
 * {@code numBuckets} buckets (half of them exact distances, the rest logarithmic up to
 * {@code maxDistance}), looked up in an {@code nn.Embedding(numBuckets, numHeads)}
 * ({@code relative_attention_bias}) and permuted to {@code 1 x numHeads x L_q x L_k}, to add to the
 * attention scores ({@code @Add({"scores", "bias"})}).
 *
 * <p>Its input gives the queries' length {@code L_q} on its sequence axis ({@code L}); a second
 * input, named with {@link From}, gives the keys' {@code L_k} (a decoder's cross-attention), else
 * {@code L_k = L_q}. It reads only their lengths. The output has no batch axis: it broadcasts over
 * the scores of every sample. {@code numBuckets · numHeads} parameters, counted as embedding
 * parameters (a position embedding); no MACs and no other ops (the buckets are integer arithmetic
 * on positions, as {@link Arange}'s ids). While it runs it holds the positions, their
 * {@code L_q·L_k} differences and buckets as {@code int64}, and a mask of booleans (measured with
 * PyTorch 1.13); in training autograd saves the buckets ({@code 8·L_q·L_k} bytes).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface RelativePositionBias {
    /** Attention heads: the table's width and the output's first axis ({@code n_heads}). Required. */
    int numHeads() default 0;

    /**
     * Buckets of relative positions, the table's rows ({@code relative_attention_num_buckets}); at
     * least 4 where {@link #bidirectional()}, which gives half of them to each direction, else 2.
     */
    int numBuckets() default 32;

    /**
     * Whether the buckets tell keys before a query from keys after it, half of the buckets each way:
     * T5's encoder ({@code true}); its decoder ({@code false}), whose queries see only earlier keys.
     */
    boolean bidirectional() default true;

    /**
     * The distance from which every larger one shares the last bucket
     * ({@code relative_attention_max_distance}); above the count of exact buckets, which is a quarter
     * of {@code numBuckets} where {@link #bidirectional()}, else half.
     */
    int maxDistance() default 128;

    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
