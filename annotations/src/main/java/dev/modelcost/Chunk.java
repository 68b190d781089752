package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One of the slices of an axis (the channels unless {@code dim} says), as {@code x.chunk(chunks, dim=1)[index]}
 * (ShuffleNetV2's channel split): as PyTorch, slices of {@code ceil(n / chunks)}, the last one shorter,
 * and fewer than {@code chunks} of them where that many do not fit; the other axes kept. A view: costs
 * nothing.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Chunk {
    /** How many slices PyTorch is asked for, at least 1. */
    int chunks() default 2;

    /** Which slice, from 0. */
    int index() default 0;
    /** The dimension to split; counts the batch as 0, so 1 is the channels. */
    int dim() default 1;

    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
