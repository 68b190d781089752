package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A layer whose kind the block is given, as torchvision passes {@code activation_layer} or
 * {@code norm_layer} to a block: {@code value} names a {@code String} parameter of the enclosing
 * block, and the layer is the kind of that name ({@code @Args("act = 'SiLU'")}), with its
 * annotation's defaults. Any kind of one input may be given: the built-ins, those a tool
 * registers, and those declared with {@link LayerKind} that a field of the compilation has used; a
 * name that is no kind is an error on this field.
 *
 * <pre>
 * &#64;Param String act;
 * &#64;LayerOf("act") Layer activation;
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface LayerOf {
    /** The {@code String} parameter that names the kind. */
    String value();

    /**
     * Whether the layer is built with {@code inplace=True}, as torchvision's
     * {@code Conv2dNormActivation} builds its activation: it allocates no memory. The kind must have
     * an {@code inplace} attribute. No effect on the counts.
     */
    boolean inplace() default false;
}
