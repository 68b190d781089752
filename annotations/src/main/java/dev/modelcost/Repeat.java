package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Applies a block several times in sequence, naming the repetitions 0, 1, 2, ... as PyTorch's
 * {@code nn.Sequential} does. The first repetition may take other arguments (a ResNet stage
 * strides only in its first block).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Repeat {
    /** How many times the block is applied. */
    int value();

    /** Arguments that override {@link Args} for the first repetition only. */
    String[] first() default {};
}
