package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a layer kind of your own: put it on an annotation type, and that annotation becomes a
 * layer, written on a {@link Layer} field like the built-ins, in the same compilation or from a
 * library. Its shape and costs are expressions in the language of {@code with} (see
 * {@link Conv2d#with()}); nothing of yours runs at compile time.
 *
 * <p>The expressions see the annotation's own {@code int}, {@code long} and {@code boolean}
 * attributes by name, the input's axes as {@code x.<axis>} ({@code x.C}, {@code x.H}, {@code x.D})
 * and its elements per sample as {@code x.numel}; the cost expressions also see the output's as
 * {@code out.<axis>} and {@code out.numel}. MACs, FLOPs and other ops are per sample and are
 * multiplied by the batch (not for an input without a batch axis, which runs once); parameters and
 * buffers are not. A mistake in an expression is a compile
 * error on the field that uses the layer, as for a built-in; one that cannot parse is an error on
 * this annotation.
 *
 * <pre>
 * // x * sigmoid(beta * x) with one learned beta per channel
 * &#64;LayerKind(params = "x.C", otherOps = "4 * x.numel", otherOpsRule = "4 per element")
 * &#64;Retention(RetentionPolicy.CLASS) &#64;Target(ElementType.FIELD)
 * public &#64;interface LearnedSwish {}
 *
 * // repeats the channels: an attribute, an output shape, MACs per output element
 * &#64;LayerKind(output = "[x.C * factor, x.H, x.W]", params = "x.C * factor", macs = "out.numel")
 * &#64;Retention(RetentionPolicy.CLASS) &#64;Target(ElementType.FIELD)
 * public &#64;interface Widen { int factor() default 2; String with() default ""; }
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.ANNOTATION_TYPE)
public @interface LayerKind {
    /**
     * The kind's name in messages and reports; the annotation's simple name when empty. No built-in
     * layer's name ({@code Linear}, {@code ReLU}, ...): counters and reports tell kinds apart by name
     * (MC310).
     */
    String name() default "";

    /** Whether PyTorch holds it as a module, so that it takes a position in an indexed block. */
    boolean module() default true;

    /**
     * The output shape without the batch, as a list expression ({@code "[x.C * 2, x.H, x.W]"});
     * the input's shape when empty. A single number is a shape of one axis ({@code "x.C"} is
     * {@code [x.C]}), as PyTorch reads a size given as an int. Every size must come out at least 1.
     */
    String output() default "";

    /** The output's axis names ({@code "C,H,W"}); the input's when the rank is kept, else the default of the rank. */
    String layout() default "";

    /** Learnable parameters. */
    String params() default "0";

    /** Non-learnable state (running statistics). */
    String buffers() default "0";

    /** Multiply-accumulates per sample (once for an input without a batch axis, such as a parameter's tensor). */
    String macs() default "0";

    /** Floating-point operations per sample (once for an input without a batch axis); twice the MACs when empty. */
    String flops() default "";

    /** Element-wise work outside the FLOPs per sample (once for an input without a batch axis), as {@code OTHER_OPS} counts it. */
    String otherOps() default "0";

    /** How {@code otherOps} counts, for the generated Javadoc's list of rules. */
    String otherOpsRule() default "as its @LayerKind states";
}
