package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a model or block that stands for a PyTorch module with a fused fast path:
 * {@code nn.TransformerEncoderLayer}, which in eval mode without gradients runs as one kernel
 * ({@code torch._transformer_encoder_layer_fwd}) instead of its submodules.
 *
 * <p>modelcost's own counts are those of the submodules either way. Its memory figures follow the
 * fused layer where PyTorch 1.13 takes the fast path: the block's attention could take it
 * (batch-first self-attention, an even head count), its activation is ReLU or GELU and its norms
 * have one {@code eps}; the attention fused whatever its dropout, the feed-forward's activation and
 * the residual additions in place (README, memory). The counters that run the
 * model in eval mode without gradients and hook modules (thop, nni, torchinfo) then see none of
 * its layers, and their figures say so; ptflops and fvcore run with gradients and see them all.
 * Where PyTorch does not take the fast path, every figure follows the modules run one by one, and
 * warning MC149 says why.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface FastPath {}
