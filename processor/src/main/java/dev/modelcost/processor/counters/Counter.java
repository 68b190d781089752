package dev.modelcost.processor.counters;

import java.util.Locale;

/**
 * One popular counter's rules as data plus formulas: what the tool would print for a model,
 * leaf by leaf, under its own conventions, with the version they reproduce and where each rule is.
 */
public interface Counter {
    /** The identifier a budget names it by, e.g. {@code nni_full}. */
    String id();

    /** The tool and version reproduced, with the source it was read from. */
    String tool();

    /** The call whose result is reproduced, e.g. {@code thop.profile(model, inputs=(x,))}. */
    String call();

    /** The figure's name as the generated constant ends: {@code MACS}, {@code FLOPS} or {@code MULT_ADDS}. */
    String figure();

    /** Whether the tool reports a parameter count too. */
    boolean reportsParams();

    /** Whether it counts one sample of the batch (its difference for the others is shown apart, as {@link Category#BATCH}). */
    default boolean perSample() {
        return false;
    }

    /** What it counts for one leaf. */
    Count count(Leaf leaf);

    /** Whether it counts a JIT trace, which drops the layers whose results never reach the model's output ({@link Unreached}). */
    default boolean dropsUnreached() {
        return false;
    }

    /**
     * What it counts for a leaf inside a module that PyTorch runs on its fused fast path
     * ({@code @FastPath}): the leaf as usual for a tool that runs the model with gradients, as
     * that path needs none; nothing for one that runs it without.
     */
    default Count insideFastPath(Leaf leaf) {
        return count(leaf);
    }

    /**
     * Whether the tool runs the model with gradients on, where PyTorch refuses some modifications in place (of one of the views
     * {@code chunk} returns where it or the result needs gradients, of a parameter: {@link dev.modelcost.processor.analysis.GradientViews}); thop, nni and
     * torchinfo run it under {@code torch.no_grad()}.
     */
    default boolean runsWithGradients() {
        return false;
    }

    /** What the tool does where PyTorch raises {@code raised} while it runs the model: raise it, as most do. */
    default String failsWith(String raised) {
        return raised;
    }

    /** The exception the tool raises on a whole model with {@code params} parameters; null where it runs. */
    default String failure(long params) {
        return null;
    }

    /** The generated constant of its figure, e.g. {@code THOP_MACS}. */
    default String constant() {
        return id().toUpperCase(Locale.ROOT) + "_" + figure();
    }

    /** The generated constant of its parameter count, e.g. {@code THOP_PARAMS}; null where it reports none. */
    default String paramsConstant() {
        return reportsParams() ? id().toUpperCase(Locale.ROOT) + "_PARAMS" : null;
    }
}
