package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Rearranges {@code C·r², H, W} into {@code C, H·r, W·r}, as PyTorch's {@code nn.PixelShuffle}.
 * Free: it only moves elements.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface PixelShuffle {
    /** The factor {@code r}; {@code r²} must divide the channels. */
    int upscaleFactor() default 0;
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
