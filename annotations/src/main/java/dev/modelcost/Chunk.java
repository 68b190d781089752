package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One of {@code chunks} equal slices of the channels, as {@code x.chunk(chunks, dim=1)[index]}
 * (ShuffleNetV2's channel split): {@code C / chunks} channels, the other axes kept. A view: costs
 * nothing.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Chunk {
    /** How many slices; must divide the channels. */
    int chunks() default 2;

    /** Which slice, from 0. */
    int index() default 0;
    /** The dimension to split; counts the batch as 0, so 1 is the channels. */
    int dim() default 1;

    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
