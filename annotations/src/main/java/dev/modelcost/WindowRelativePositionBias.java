package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Swin Transformer's relative position bias within a window, as torchvision's
 * {@code ShiftedWindowAttention.get_relative_position_bias()}: a table of
 * {@code (2·Wh − 1)·(2·Ww − 1)} relative offsets by {@code numHeads}
 * ({@code relative_position_bias_table}, an {@code nn.Parameter}) indexed by
 * {@code relative_position_index}, then {@code view(N, N, -1).permute(2, 0, 1).contiguous().unsqueeze(0)}
 * with {@code N = Wh·Ww}: a {@code 1 x numHeads x N x N} tensor to add to each window's attention scores
 * ({@code @Add({"scores", "bias"})}). It takes no input; the output has no batch axis and broadcasts
 * over the windows and samples.
 *
 * <p>The table's elements are parameters. The index is an {@code int64} buffer of {@code N²} entries,
 * which {@code BUFFERS} leaves out as it leaves out BatchNorm's {@code num_batches_tracked} (buffers
 * here are floating-point state). No MACs and no other ops (a lookup and a copy). While it runs it
 * holds the looked-up {@code N x N x numHeads} values besides the contiguous output (measured with
 * PyTorch 1.13); in training autograd saves only the index, a buffer.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface WindowRelativePositionBias {
    /** The window, {@code {Wh, Ww}}, or one size for a square window ({@code window_size}). Required. */
    int[] window() default {};

    /** Attention heads: the table's width and the output's first axis ({@code num_heads}). Required. */
    int numHeads() default 0;

    /** Attributes as expressions, as in {@link Conv2d#with()}; a list attribute takes a list, {@code "window = [w, w]"}. */
    String with() default "";
}
