package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The largest value over some axes, as {@code torch.amax(x, dim, keepdim)} (PointNet's maximum over its points). Written
 * as {@code torch.max(x, dim)[0]}, PyTorch also computes the int64 indices of the maxima, which autograd keeps instead; the
 * memory figures here are {@code amax}'s.
 *
 * <p>A function, not a module. {@link #dim()} counts the batch as 0, as PyTorch's {@code dim} does, and may not name it (shapes
 * here leave the batch out); each axis once, negative ones from the end. Output: the input's shape without those axes, or with
 * each of them at 1 under {@link #keepdim()}; without it, at least one axis besides the batch must remain. No MACs or parameters;
 * {@code OTHER_OPS}: the input's elements less the output's (n − 1 comparisons for each output of n). Autograd saves the input and
 * the output (its backward spreads the gradient over the positions equal to the maximum).
 * No counter counts it: thop, nni and torchinfo hook modules only, ptflops wraps no reduction, and fvcore has no handle
 * for {@code aten::mean}, {@code aten::sum} or {@code aten::amax}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Amax {
    /** The axes to reduce, at least one; count the batch as 0 ({@code {2, 3}} for a C,H,W map's H and W). */
    int[] dim() default {};
    /** As PyTorch's {@code keepdim}: keep each reduced axis at size 1. */
    boolean keepdim() default false;
    /** Attributes as expressions, as in {@link Conv2d#with()}; a list attribute takes a list, {@code "dim = [2, 3]"}. */
    String with() default "";
}
