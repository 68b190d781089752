package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Applies a block several times in sequence, naming the repetitions 0, 1, 2, ... as PyTorch's
 * {@code nn.Sequential} does (or {@link #prefix()} and {@link #start()}, or the enclosing block's own
 * numbers with {@link #inline()}). The first repetition may take other arguments (a ResNet stage
 * strides only in its first block).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Repeat {
    /** How many times the block is applied; give this or {@link #count()}. */
    int value() default 0;

    /**
     * How many times, as an expression over the enclosing block's parameters and constants, e.g.
     * EfficientNet's depth multiplier {@code "ceil(3 * depthMult)"}; give this or {@link #value()}.
     */
    String count() default "";

    /** Arguments that override {@link Args} for the first repetition only. */
    String[] first() default {};

    /**
     * What the repetitions' names start with: {@code prefix = "denselayer", start = 1} names them
     * {@code denselayer1}, {@code denselayer2}, ... as DenseNet does.
     */
    String prefix() default "";

    /** The number of the first repetition. */
    int start() default 0;

    /**
     * Makes the repetitions children of the enclosing indexed block or model itself, taking its next
     * numbers, as in a flat {@code nn.Sequential} (MobileNetV2's {@code features.2}, {@code features.3}).
     */
    boolean inline() default false;

    /**
     * Whether every repetition is the same module called again, as ALBERT's cross-layer sharing
     * ({@code for _ in range(12): x = self.layer(x)}): its parameters, buffers and weight bytes count
     * once, in the first repetition, and its work, bytes moved and KV cache once per call, as every
     * counter counts a module called several times. The repetitions must have the same weights: no
     * {@link #first()} arguments, none that read the repetition's number, and the same parameter
     * count at each one's input.
     */
    boolean shared() default false;

    /**
     * Whether the enclosing {@code forward} runs the repetitions in a loop of its own that rebinds their input, as over an
     * {@code nn.ModuleList} ({@code for layer in self.layers: x = layer(x)}), rather than calling them as one module, as an
     * {@code nn.Sequential} ({@code x = self.layers(x)}). It changes the activation memory only: the loop drops the run's input
     * once the first repetition has run, where nothing else reads it, while a module call keeps it, in its caller's frame, until
     * the last repetition has run. Not with {@link #inline()}, whose repetitions are the container's own children already.
     */
    boolean loop() default false;
}
