package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The mean over some axes, as {@code torch.mean(x, dim, keepdim)} or {@code x.mean(dim)} (a ViT's or MLP-Mixer's average
 * over its tokens, {@code x.mean(dim=1)}; a CNN's over its map, {@code x.mean([2, 3])}).
 *
 * <p>A function, not a module. {@link #dim()} counts the batch as 0, as PyTorch's {@code dim} does, and may not name it (shapes
 * here leave the batch out); each axis once, negative ones from the end. Output: the input's shape without those axes, or with
 * each of them at 1 under {@link #keepdim()}; without it, at least one axis besides the batch must remain. No MACs or parameters;
 * {@code OTHER_OPS}: one per input element (over the n elements of each output, n − 1 additions and a division), as adaptive
 * average pooling counts its windows. Autograd saves the input (PyTorch 1.13's {@code MeanBackward1} keeps it, though the
 * gradient needs its sizes only).
 * No counter counts it: thop, nni and torchinfo hook modules only, ptflops wraps no reduction, and fvcore has no handle
 * for {@code aten::mean}, {@code aten::sum} or {@code aten::amax}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Mean {
    /** The axes to reduce, at least one; count the batch as 0 ({@code {2, 3}} for a C,H,W map's H and W). */
    int[] dim() default {};
    /** As PyTorch's {@code keepdim}: keep each reduced axis at size 1. */
    boolean keepdim() default false;
    /** Attributes as expressions, as in {@link Conv2d#with()}; a list attribute takes a list, {@code "dim = [2, 3]"}. */
    String with() default "";
}
