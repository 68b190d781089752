package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A permutation of the axes, as {@code x.permute(*dims)} and torchvision's {@code Permute}: dims
 * count the batch as 0, which must stay first. Costs nothing.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Permute {
    /** The new order, e.g. {@code {0, 2, 3, 1}} for channels-last. */
    int[] dims() default {};
    /** Attributes as expressions, as in {@link Conv2d#with()}; a list attribute takes a list, {@code "dims = [0, 2, 1]"}. */
    String with() default "";
}
