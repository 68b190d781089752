package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as a reusable sub-network. A field whose type is the block applies it; its
 * {@link Param} fields are the arguments a use site passes with {@link Args}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Block {
    /** Name children by their position (0, 1, 2, ...), as PyTorch's {@code nn.Sequential} does, instead of by field name. */
    boolean indexed() default false;
    /**
     * The names of the block's inputs, in the order a use passes them with {@link From}: one
     * ({@value From#INPUT}) by default; a Transformer decoder layer takes {@code {"input", "memory"}}.
     */
    String[] inputs() default {From.INPUT};
}
