package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A permutation of the axes, as torchvision's {@code Permute} module and {@code x.permute(*dims)}: dims
 * count the batch as 0, which must stay first. Costs nothing. A module, it takes a number in an
 * indexed block (ConvNeXt's {@code block.1}); the method in a {@code forward} is
 * {@code @Functional(method = true) @Permute}, which takes none.
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
