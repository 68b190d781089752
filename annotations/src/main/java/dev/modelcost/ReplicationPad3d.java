package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Pads the last three axes by repeating the edge, as PyTorch's {@code nn.ReplicationPad3d}; a
 * negative size crops. Free: it only copies.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface ReplicationPad3d {
    /** The padding: one size for every side, or PyTorch's tuple, last axis first: {@code (left, right)}, then {@code (top, bottom)}, then {@code (front, back)}. */
    int[] padding() default {};
    /** Attributes as expressions, as in {@link Conv2d#with()}; a list attribute takes a list, {@code "padding = [1, 1, 1, 1, 2, 2]"}. */
    String with() default "";
}
