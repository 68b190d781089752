package dev.modelcost.processor.layers;

import java.util.List;

/**
 * What PyTorch's autograd saves of one operation for its backward pass: some of its tensors (its
 * activation inputs, or its output), and tensors of its own (statistics, masks, indices). Weights
 * are not counted here: they are kept anyway.
 *
 * @param tensors which of the operation's tensors it saves
 * @param extra the bytes of the tensors of its own it saves, for a batch
 * @param writes for which attributes, in training, it writes a new output where at inference it
 *     returns its input (dropout with {@code p > 0})
 * @param copiesInPlace whether, run in place, autograd first copies the input its backward needs
 *     (an in-place SiLU or ReLU6: their gradient is a function of the input, which the layer overwrites)
 * @param copiesInputs how many contiguous copies of each input it saves in the input's place (a recurrent layer or an attention
 *     projects its input steps first, copied where that view is not contiguous, once per projection that reads it): other
 *     storages than the input, which a layer before may have saved too
 * @param refuses why PyTorch refuses to run it in training at some inputs where it runs at inference (a batch norm given one
 *     value per channel), or nothing
 * @param onData where no input requires grad, what it saves instead of its inputs and {@code extra}: a layer written as several
 *     operations (transformers' {@code LlamaRMSNorm}), of which autograd records only those that reach its weight; null where it
 *     saves the same either way
 */
public record Autograd(Tensors tensors, Extra extra, java.util.function.Predicate<Attrs> writes, boolean copiesInPlace,
        Copies copiesInputs, Refusal refuses, Extra onData) {
    private static final java.util.function.Predicate<Attrs> NEVER = attrs -> false;
    private static final Copies NO_COPY = (attrs, inputs, index, batch) -> -1;
    private static final Refusal RUNS = (attrs, inputs, batch) -> null;

    /** Saves its activation inputs (a convolution, a linear layer, a product), nothing of its own. */
    public static final Autograd INPUTS = new Autograd(Tensors.INPUTS, Extra.NONE, NEVER, false, NO_COPY, RUNS, null);
    /** Saves its output (ReLU, sigmoid, softmax: their gradient is a function of the result). */
    public static final Autograd OUTPUT = new Autograd(Tensors.OUTPUT, Extra.NONE, NEVER, false, NO_COPY, RUNS, null);
    /** Saves nothing (a sum, a concatenation, a reshape, a padding). */
    public static final Autograd NOTHING = new Autograd(Tensors.NONE, Extra.NONE, NEVER, false, NO_COPY, RUNS, null);
    /** Saves each input where another input requires grad: a product. */
    public static final Autograd PRODUCT = new Autograd(Tensors.OTHER_INPUTS, Extra.NONE, NEVER, false, NO_COPY, RUNS, null);
    /** Saves its input, and a copy of it when run in place (an activation whose gradient needs its input). */
    public static final Autograd INPUT_COPIED_IN_PLACE = new Autograd(Tensors.INPUTS, Extra.NONE, NEVER, true, NO_COPY, RUNS, null);

    /** Which of an operation's own tensors autograd saves. */
    public enum Tensors {
        /** None. */
        NONE(false, false, false),
        /** Every activation input (token ids included). */
        INPUTS(true, false, false),
        /**
         * Its activation inputs where they are fp32; at a narrower dtype it computes in an fp32 copy, which it saves instead
         * (counted in its extra).
         */
        FP32_INPUTS(true, true, false),
        /** The output. */
        OUTPUT(false, false, true),
        /** Every activation input and the output ({@code torch.amax}, whose backward compares one with the other). */
        INPUTS_AND_OUTPUT(true, false, true),
        /**
         * Each activation input where another input requires grad: a product's, whose gradient for one operand is the other
         * ({@code MulBackward0} and {@code MmBackward0} save {@code self} only where {@code other} needs its gradient).
         */
        OTHER_INPUTS(true, false, false);

        private final boolean inputs;
        private final boolean fp32Only;
        private final boolean output;

        Tensors(boolean inputs, boolean fp32Only, boolean output) {
            this.inputs = inputs;
            this.fp32Only = fp32Only;
            this.output = output;
        }

        /** Whether an input is saved only where another input requires grad. */
        public boolean forTheOthers() {
            return this == OTHER_INPUTS;
        }

        /** Whether the activation inputs are saved where their dtype has {@code bits} bits. */
        public boolean savesInputs(int bits) {
            return inputs && (!fp32Only || bits == 32);
        }

        /** Whether the output is saved. */
        public boolean savesOutput() {
            return output;
        }
    }

    /** How many copies of an input an operation saves in the input's place. */
    @FunctionalInterface
    public interface Copies {
        /**
         * How many of input {@code index} of {@code inputs} (shapes without the batch), with {@code attrs} and {@code batch} samples: -1
         * where it saves the input itself (as its rule says), 0 where none (another input's copies stand for it: the same tensor).
         */
        int of(Attrs attrs, List<Shape> inputs, int index, long batch);

        /**
         * The elements of each copy of input {@code index}, the batch included, where they are not the input's (an operand
         * {@code torch.matmul} expands to the other's batch axes before it copies it); -1 where they are (a learned tensor's spread
         * over the batch).
         */
        default long elements(Attrs attrs, List<Shape> inputs, int index, long batch) {
            return -1;
        }

        /** Whether the input is saved too, besides its copies, where it requires grad (a reflection padding's backward reads it). */
        default boolean keepsInput(Attrs attrs, List<Shape> inputs, int index, long batch) {
            return false;
        }
    }

    /** Why PyTorch refuses to run an operation in training (module.train()) at some inputs. */
    @FunctionalInterface
    public interface Refusal {
        /**
         * What is refused for {@code batch} samples of {@code inputs} (shapes without the batch) with {@code attrs}, and what
         * PyTorch says, as one phrase ({@code "one value per channel (1 x 1 x 1) ... "}); null where it runs.
         */
        String why(Attrs attrs, List<Shape> inputs, long batch);

        /**
         * Whether PyTorch refuses it in the backward pass, and so only where autograd records the layer (it has weights or an input
         * requires grad); else it is refused in the forward pass of training, on data too.
         */
        default boolean inBackward() {
            return false;
        }

        /**
         * Where the refusal is too few values over the first input's axes after its first (a norm's statistics per channel), what
         * it takes ({@link Fewest}), for a size program to check at any size; null where it is refused otherwise.
         */
        default Fewest fewest() {
            return null;
        }

        /** What to change, for the layer at {@code path}: by default, a norm's, more values to normalise. */
        default String fix(String path) {
            return "give " + path + " more values to normalise in training: a larger @Training(batch) or map for a batch norm, a larger map "
                    + "for an instance norm";
        }
    }

    /** Bytes of the tensors an operation saves besides its inputs and output. */
    @FunctionalInterface
    public interface Extra {
        /** Nothing besides. */
        Extra NONE = (attrs, inputs, output, batch, dtype) -> 0;

        /**
         * The bytes, for {@code batch} samples of {@code inputs} and {@code output} (shapes without
         * the batch) at {@code dtype}; throws {@link ArithmeticException} beyond {@code long}.
         */
        long bytes(Attrs attrs, List<Shape> inputs, Shape output, long batch, Dtype dtype);
    }

    /** These tensors, and {@code extra} besides. */
    public static Autograd of(Tensors tensors, Extra extra) {
        return new Autograd(tensors, extra, NEVER, false, NO_COPY, RUNS, null);
    }

    /** The same, writing a new output in training where {@code when} holds of the attributes. */
    public Autograd writing(java.util.function.Predicate<Attrs> when) {
        return new Autograd(tensors, extra, when, copiesInPlace, copiesInputs, refuses, onData);
    }

    /** The same, saving the copies of its inputs {@code copies} says in their place. */
    public Autograd copyingInputs(Copies copies) {
        return new Autograd(tensors, extra, writes, copiesInPlace, copies, refuses, onData);
    }

    /** The same, refused in training where {@code refusal} says why. */
    public Autograd refusing(Refusal refusal) {
        return new Autograd(tensors, extra, writes, copiesInPlace, copiesInputs, refusal, onData);
    }

    /** The same, saving {@code saved} instead of its inputs and extra where no input requires grad ({@link #onData}). */
    public Autograd onData(Extra saved) {
        return new Autograd(tensors, extra, writes, copiesInPlace, copiesInputs, refuses, saved);
    }
}
