package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A broadcast view, as {@code x.expand(batch, *sizes)}: each axis of size 1 may be repeated to any size
 * (stride 0: no element is copied), {@code -1} keeps an axis. One size per axis of the input, the batch
 * not among them ({@code @Expand(sizes = {16, -1, -1})} on a {@code 1 x L x D} key: {@code 16 x L x D}).
 * Costs nothing and holds no memory of its own. A size for an axis longer than 1 that differs from it,
 * and an in-place layer on the result, are refused (MC310), as PyTorch refuses them. A layer that copies
 * the result whole (a reshape, a {@code Linear} or a matrix product that folds it into rows) holds that
 * copy while it runs, and autograd saves it, in the memory figures as in PyTorch.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Expand {
    /** The size of each axis of the result, without the batch; {@code -1} keeps the input's. */
    int[] sizes() default {};
    /** Attributes as expressions, as in {@link Conv2d#with()}; a list attribute takes a list, {@code "sizes = [heads, -1, -1]"}. */
    String with() default "";
}
