package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The sum over some axes, as {@code torch.sum(x, dim, keepdim)} or {@code x.sum(dim)} (attention pooling's weighted sum over
 * the tokens).
 *
 * <p>A function, not a module. {@link #dim()} counts the batch as 0, as PyTorch's {@code dim} does, and may not name it (shapes
 * here leave the batch out); each axis once, negative ones from the end. Output: the input's shape without those axes, or with
 * each of them at 1 under {@link #keepdim()}; without it, at least one axis besides the batch must remain. No MACs or parameters;
 * {@code OTHER_OPS}: the input's elements less the output's (n − 1 additions for each output of n). Autograd saves nothing.
 * No counter counts it: thop, nni and torchinfo hook modules only, ptflops wraps no reduction, and fvcore has no handle
 * for {@code aten::mean}, {@code aten::sum} or {@code aten::amax}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Sum {
    /** The axes to reduce, at least one; count the batch as 0 ({@code {2, 3}} for a C,H,W map's H and W). */
    int[] dim() default {};
    /** As PyTorch's {@code keepdim}: keep each reduced axis at size 1. */
    boolean keepdim() default false;
    /** Attributes as expressions, as in {@link Conv2d#with()}; a list attribute takes a list, {@code "dim = [2, 3]"}. */
    String with() default "";
}
