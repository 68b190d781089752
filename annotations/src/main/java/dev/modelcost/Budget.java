package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Upper bounds on a model's costs. A model over any of them fails to compile, with an error on the
 * exceeded attribute. An omitted bound is not checked.
 *
 * <p>Repeat it to hold bounds over different ranges of sizes: each {@code @Budget}'s bounds hold
 * at the model's declared sizes and over its own {@link #over()}, with its own {@link #counter()}
 * and {@link #hardware()}. A bound is given in one of them only (MC158 otherwise), a latency bound in one a hardware
 * profile (two budgets may bound it on two):
 * <pre>{@code
 * @Budget(maxKvCacheBytes = 1L << 30, over = "L = 1..8192")
 * @Budget(maxDecodeLatencySeconds = 0.02, hardware = "l4", over = "L = 512..8192 step 512")
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@Repeatable(Budgets.class)
public @interface Budget {
    /** Most multiply-accumulates allowed. */
    long maxMacs() default Long.MAX_VALUE;

    /** Most floating-point operations allowed (the {@code FLOPS} figure). */
    long maxFlops() default Long.MAX_VALUE;

    /** Most learnable parameters allowed. */
    long maxParams() default Long.MAX_VALUE;
    /** Most parameters one token may use (a mixture of experts: the picked experts only). */
    long maxActiveParams() default Long.MAX_VALUE;
    /** Most bytes of KV cache allowed at the model's sequence length. */
    long maxKvCacheBytes() default Long.MAX_VALUE;
    /** Most MACs allowed for decoding one token with a full KV cache. */
    long maxDecodeMacs() default Long.MAX_VALUE;
    /** Most bytes of parameters allowed, at their dtypes ({@code WEIGHT_BYTES}). */
    long maxWeightBytes() default Long.MAX_VALUE;
    /** Most bytes the roofline may move in one forward pass ({@code BYTES_MOVED}). */
    long maxBytesMoved() default Long.MAX_VALUE;
    /** Most bytes of activations alive at once in a forward pass ({@code PEAK_ACTIVATION_BYTES}, the inputs included). */
    long maxPeakActivationBytes() default Long.MAX_VALUE;
    /** Most bytes of memory for inference: weights, buffers, the activation peak and the KV cache ({@code INFERENCE_MEMORY_BYTES}). */
    long maxInferenceMemoryBytes() default Long.MAX_VALUE;
    /** Most bytes of memory for one {@link Training} step: weights, gradients, optimizer state, buffers and saved activations. */
    long maxTrainingMemoryBytes() default Long.MAX_VALUE;

    /**
     * Most seconds the roofline latency lower bound may reach on {@link #hardware()}: the model is
     * refused when even the bound exceeds it (a model under it may still be slower in practice).
     */
    double maxLatencySeconds() default Double.POSITIVE_INFINITY;

    /**
     * Most seconds the roofline latency lower bound of one decoding step (one generated token) may reach on {@link #hardware()}:
     * a model that generates (a KV cache or a recurrent layer of one direction) is refused when even that bound exceeds it. On a
     * model that generates nothing the bound checks nothing, which is a warning (MC143), not an error.
     */
    double maxDecodeLatencySeconds() default Double.POSITIVE_INFINITY;

    /**
     * The hardware profile {@link #maxLatencySeconds()} and {@link #maxDecodeLatencySeconds()} are checked on, by id (see {@link Roofline});
     * empty: the first profile of the model's {@link Roofline}.
     */
    String hardware() default "";

    /**
     * Further sizes every bound of this budget holds at, besides the model's own: ranges of
     * {@link Model#sizes()} variables, e.g. {@code "L = 1..8192"}, {@code "H = W = 224..1024 step 32"}
     * (square images) or {@code "H = 224..512 step 32, W = 224..640 step 32"} (every pair). A bound
     * broken in the range is a compile error on its attribute naming the first size that breaks it,
     * in the order the ranges are written (the last written varies fastest). The range is checked
     * with the figures' closed forms, by bisection where a closed form is nondecreasing over it,
     * without compiling the model at each size; a bounded figure without a closed form is a
     * compile error. The latency bounds, sums over the layers of the larger of two times, have
     * none: for them the model is compiled at each size of the ranges, at most 512 sizes in all
     * (MC430 names the first that breaks; a longer range is MC421). Empty (the default, written or
     * not): the model's own sizes only.
     */
    String over() default "";

    /**
     * The counter whose convention {@link #maxMacs()} and {@link #maxParams()} are stated in, as a
     * paper quotes a figure: {@code "thop"}, {@code "nni"}, {@code "nni_full"}, {@code "ptflops"},
     * {@code "ptflops_nofunc"}, {@code "ptflops_aten"}, {@code "fvcore"}, {@code "torchinfo"} or
     * {@code "torchinfo_v180"} (the identifiers of the generated counter constants, lower case).
     * Empty: modelcost's own MACs and parameters. A counter that cannot give the bounded figure for
     * this model (it fails on it, or reports no parameters) is a compile error.
     */
    String counter() default "";
}
