package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Feeds a layer or block from earlier fields, or from an input of the enclosing block or model
 * ({@value #INPUT}, or the names its {@code inputs} declare), instead of from the field just before
 * it. An operation of several inputs ({@link MatMul}, cross-attention in
 * {@link MultiheadAttention}, a block with several inputs) takes them in the order written.
 *
 * <p>A name may also be a path: a step inside an earlier block field ({@code "backbone.4"}), or
 * another result of an earlier recurrent layer's call ({@code "enc.h_n"}, {@code "enc.c_n"},
 * {@code "cell.c"}), which costs nothing more.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface From {
    /** The name that stands for the input of the enclosing block or model. */
    String INPUT = "input";

    /** The field names (or input names) to read from, in order. */
    String[] value();
}
