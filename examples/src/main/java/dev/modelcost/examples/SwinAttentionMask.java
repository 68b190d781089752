package dev.modelcost.examples;

import dev.modelcost.LayerKind;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The attention mask a shifted Swin block adds to its scores, as torchvision's
 * {@code shifted_window_attention} builds it in {@code forward}: a {@code pad_H x pad_W} map of region
 * labels (nine slice fills of {@code x.new_zeros}), partitioned into windows ({@code num_windows x N}),
 * the pairwise differences {@code attn_mask.unsqueeze(1) - attn_mask.unsqueeze(2)} and two
 * {@code masked_fill}s to -100 and 0: {@code num_windows x N x N}, unsqueezed to
 * {@code 1 x num_windows x 1 x N x N} to broadcast over the samples and the heads. No parameters.
 *
 * <p>It depends on no activation and has no batch axis, so a field of this kind reads the window bias
 * ({@code @From} a {@code @WindowRelativePositionBias}, itself without a batch axis): a declared kind's
 * output has a batch axis where its input has one. Other ops: the subtraction, the two comparisons and
 * the two fills, 5 per mask element (the labelling and the partition copy are left out).
 */
@LayerKind(module = false, output = "[windows, 1, n, n]", layout = "W,H,N,M",
           otherOps = "5 * windows * n * n",
           otherOpsRule = "5 per mask element: a subtraction, two comparisons, two masked fills")
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface SwinAttentionMask {
    /** Windows per sample ({@code num_windows}). */
    int windows() default 1;
    /** Tokens per window, {@code N = Wh·Ww}. */
    int n() default 1;
    /** Attributes as expressions, as in {@code @Conv2d(with)}. */
    String with() default "";
}
