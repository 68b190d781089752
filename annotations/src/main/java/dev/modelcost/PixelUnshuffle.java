package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Rearranges {@code C, H·r, W·r} into {@code C·r², H, W}, as PyTorch's {@code
 * nn.PixelUnshuffle}. Free: it only moves elements.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface PixelUnshuffle {
    /** The factor {@code r}; it must divide the height and the width. */
    int downscaleFactor() default 0;
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
