package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Arguments of a block use, as {@code "name = expr"} strings (or one string with commas). The
 * expressions see the enclosing block's parameters and input dimensions, and the field's own input
 * as {@code x} ({@code "n = x.L"}). With {@link Repeat}, {@code x} is the input of the field, the
 * first repetition's, for every repetition; {@code index} is each repetition's number, from 0.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Args {
    /** The arguments, e.g. {@code {"planes = 64", "stride = 2"}}. */
    String[] value();

    /**
     * Applies the block in place: its fields become this network's own, under their own names, as
     * if written here. A family's shared body so gives each variant the paths PyTorch gives a single
     * model ({@code conv1}, {@code layer1.0.conv1}, not {@code resnet.conv1}). Not with {@link Repeat}
     * or {@link Experts}; a field name the network already has is an error.
     */
    boolean inPlace() default false;
}
