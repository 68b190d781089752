package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Pads the last two axes by repeating the edge, as PyTorch's {@code nn.ReplicationPad2d}; a
 * negative size crops. Free: it only copies.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface ReplicationPad2d {
    /** The padding: one size for every side, or PyTorch's tuple, last axis first: {@code (left, right)}, then {@code (top, bottom)}. */
    int[] padding() default {};
    /** Attributes as expressions, as in {@link Conv2d#with()}; a list attribute takes a list, {@code "padding = [1, 1, 2, 2]"}. */
    String with() default "";
}
