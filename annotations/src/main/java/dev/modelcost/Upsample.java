package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Resizes the spatial axes of a channels-first input, as PyTorch's {@code nn.Upsample} and
 * {@code F.interpolate}: to {@code size}, or to {@code floor(in · scaleFactor)} per axis (one factor for all, or one each). Modes
 * and their other ops per output element (each output a weighted sum of its neighbours with
 * precomputed weights): {@code nearest} and {@code nearest-exact} 0 (a copy); {@code linear}
 * (rank 2, C,L) 3; {@code bilinear} (rank 3) 7; {@code bicubic} (rank 3) 31; {@code trilinear}
 * (rank 4) 15.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Upsample {
    /** The output size of every spatial axis, or one size for all; give this or {@code scaleFactor}. */
    int[] size() default {};
    /**
     * The factor for every spatial axis ({@code scaleFactor = 2}), or one per spatial axis ({@code scaleFactor = {1, 2, 2}}, as
     * {@code nn.Upsample(scale_factor=(1, 2, 2))}); the output is {@code floor(in · factor)} per axis, as PyTorch computes it.
     */
    double[] scaleFactor() default {};
    /** {@code nearest}, {@code nearest-exact}, {@code linear}, {@code bilinear}, {@code bicubic} or {@code trilinear}. */
    String mode() default "nearest";
    /** PyTorch's {@code align_corners}, for the interpolating modes only (no effect on the counts). */
    boolean alignCorners() default false;
    /** Attributes as expressions, as in {@link Conv2d#with()}; a list attribute takes a list, {@code "size = [input.H, input.W]"}. */
    String with() default "";
}
