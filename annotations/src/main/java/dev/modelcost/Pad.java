package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Pads the trailing axes, as PyTorch's functional {@code F.pad(x, pad, mode, value)}: {@code
 * pad} holds two sizes per axis, last axis first; a negative size crops, first. The non-
 * constant modes pad 1 to 3 axes: every axis after the channels (or, as PyTorch reads a tensor
 * of one axis fewer as unbatched, every axis; not in circular mode); reflection below the axis
 * size, circular at most it. Free: it only copies.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Pad {
    /** Two sizes per padded axis, last axis first: {@code (left, right, top, bottom, ...)}. */
    int[] pad() default {};
    /** {@code constant}, {@code reflect}, {@code replicate} or {@code circular}. */
    String mode() default "constant";
    /** The fill value in constant mode (no effect on the counts). */
    double value() default 0;
    /** Attributes as expressions, as in {@link Conv2d#with()}; a list attribute takes a list, {@code "pad = [1, 2]"}. */
    String with() default "";
}
