package dev.modelcost.processor.layers;

import java.util.List;
import java.util.Objects;

/**
 * One kind of operation, as data plus a formula: the annotation that writes it, PyTorch's name for
 * it, how many inputs it takes and where they are named, and the rule that gives its output shape
 * and costs. Layers and merges alike are operation kinds; an {@link OpRegistry} holds them.
 *
 * @param annotation the qualified name of the annotation, e.g. {@code dev.modelcost.Conv2d}
 * @param name the kind as users write it and PyTorch names it, e.g. {@code Conv2d}
 * @param module whether PyTorch holds it as a module, so that it takes a position in an indexed
 *     ({@code nn.Sequential}) container; functional steps such as {@code x + y} do not
 * @param minInputs the fewest inputs it takes (0 for a source such as a learned tensor)
 * @param maxInputs the most inputs it takes
 * @param inputsAttribute the {@code String[]} attribute that names its inputs (as {@code @Add}'s
 *     {@code value}), or null when they come from {@code @From} or the step before
 * @param takesIds whether it accepts a tensor of integer token ids (reshapes and {@code Embedding});
 *     every other kind is refused one before its formula runs
 * @param otherOps how the formula counts {@link Figure#OTHER_OPS}, per element, for the docs
 * @param formula the shape and cost rule
 * @param view whether PyTorch returns its input, or a view of it, without moving a byte (a reshape,
 *     a slice, dropout at inference); the roofline gives it no {@link Figure#BYTES_MOVED}, and it
 *     allocates no memory
 * @param scratch the bytes that PyTorch allocates while it runs and frees at its end (max pooling's
 *     int64 indices, the scores of attention written out), for the peak of live memory; none for most kinds
 * @param autograd what autograd saves of it for the backward pass, in training
 * @param positions whose positions its output holds where its inputs hold different ones, for a decoding step
 * @param results the results one call gives, by PyTorch's names, where it gives several ({@code output}, {@code h_n} and
 *     {@code c_n} of an LSTM): its text attribute {@code output} chooses the one the step passes on, and a later step reads
 *     another as {@code "field.h_n"} at no cost; empty for a kind of one result
 * @param readsInputs whether its kernel reads its inputs' data; false for one that reads only their sizes ({@code torch.arange}
 *     over a sequence's length), which the roofline's {@link Figure#BYTES_MOVED} then leaves out
 * @param cachedStep for a kind that attends to a KV cache (attention), its work and traffic in one decoding step; null for every
 *     other kind, whose decoding step is its forward pass on one of the positions it holds
 * @param format how PyTorch lays out the tensor it writes, which decides what the kernels after it run ({@link Strides}):
 *     contiguous for most kinds; a view's and a few others' as their formula gives it
 * @param fewest where PyTorch refuses the layer at inference too for too few values (a norm without running statistics given one
 *     value per channel), what it takes, which its formula refuses too, for a size program to check at any size
 */
public record OpKind(String annotation, String name, boolean module, int minInputs, int maxInputs,
        String inputsAttribute, boolean takesIds, String otherOps, Formula formula, boolean view, Scratch scratch, Autograd autograd,
        Positions positions, List<String> results, boolean readsInputs, CachedStep cachedStep, MemoryFormat format, FewestValues fewest) {

    /** A kind that computes its output into new memory, without scratch, and saves its inputs for backward. */
    public OpKind(String annotation, String name, boolean module, int minInputs, int maxInputs,
            String inputsAttribute, boolean takesIds, String otherOps, Formula formula) {
        this(annotation, name, module, minInputs, maxInputs, inputsAttribute, takesIds, otherOps, formula, false, Scratch.NONE, Autograd.INPUTS, Positions.ALL, List.of(), true, null,
                MemoryFormat.CONTIGUOUS, FewestValues.NONE);
    }

    /** A kind without scratch, a view (which saves nothing) or not (which saves its inputs). */
    public OpKind(String annotation, String name, boolean module, int minInputs, int maxInputs,
            String inputsAttribute, boolean takesIds, String otherOps, Formula formula, boolean view) {
        this(annotation, name, module, minInputs, maxInputs, inputsAttribute, takesIds, otherOps, formula, view, Scratch.NONE,
                view ? Autograd.NOTHING : Autograd.INPUTS, Positions.ALL, List.of(), true, null, view ? MemoryFormat.OWN : MemoryFormat.CONTIGUOUS,
                FewestValues.NONE);
    }

    /** This kind with {@code bytes} of scratch per output element. */
    public OpKind withScratch(int bytes) {
        return withScratch((attrs, inputs, output, batch, dtype) -> Math.multiplyExact((long) bytes, Math.multiplyExact(batch, output.elements())));
    }

    /** This kind with {@code scratch} while it runs. */
    public OpKind withScratch(Scratch held) {
        return new OpKind(annotation, name, module, minInputs, maxInputs, inputsAttribute, takesIds, otherOps, formula, view, held, autograd, positions, results, readsInputs, cachedStep, format, fewest);
    }

    /** The bytes an operation holds only while it runs, besides its output. */
    @FunctionalInterface
    public interface Scratch {
        /** Nothing. */
        Scratch NONE = (attrs, inputs, output, batch, dtype) -> 0;

        /**
         * The bytes, for {@code batch} samples of {@code inputs} and {@code output} (shapes without the batch), its tensors at
         * {@code dtype}; throws {@link ArithmeticException} beyond {@code long}.
         */
        long bytes(Attrs attrs, List<Shape> inputs, Shape output, long batch, Dtype dtype);

        /**
         * The moments while it runs whose largest is {@link #bytes}: each what it holds then beyond its inputs and results (may be
         * below 0, where the inputs and results are not all allocated yet), each one form of the sizes, so that the closed forms
         * of the peak are a maximum of polynomials; one, {@link #bytes}, for most kinds. As many at every size.
         */
        default long[] moments(Attrs attrs, List<Shape> inputs, Shape output, long batch, Dtype dtype) {
            return new long[] {bytes(attrs, inputs, output, batch, dtype)};
        }

        /** A scratch that is the largest of several moments, each given in elements of {@code dtype} for the whole batch. */
        interface Moments extends Scratch {
            /** The moments in elements, the batch included; their largest, at least 0, is the scratch. */
            long[] elements(Attrs attrs, List<Shape> inputs, Shape output, long batch);

            @Override
            default long bytes(Attrs attrs, List<Shape> inputs, Shape output, long batch, Dtype dtype) {
                long largest = 0;
                for (long m : elements(attrs, inputs, output, batch)) {
                    largest = Math.max(largest, m);
                }
                return dtype.bytes(largest);
            }

            @Override
            default long[] moments(Attrs attrs, List<Shape> inputs, Shape output, long batch, Dtype dtype) {
                long[] each = elements(attrs, inputs, output, batch);
                long[] bytes = new long[each.length + 1];
                for (int i = 0; i < each.length; i++) {
                    bytes[i] = each[i] < 0 ? -dtype.bytes(-each[i]) : dtype.bytes(each[i]);
                }
                return bytes; // and 0: the inputs and results alone
            }
        }
    }

    /** This kind saving {@code saved} for backward. */
    public OpKind saves(Autograd saved) {
        return new OpKind(annotation, name, module, minInputs, maxInputs, inputsAttribute, takesIds, otherOps, formula, view, scratch, saved, positions, results, readsInputs, cachedStep, format, fewest);
    }

    /** This kind with its output holding {@code held}'s positions. */
    public OpKind positions(Positions held) {
        return new OpKind(annotation, name, module, minInputs, maxInputs, inputsAttribute, takesIds, otherOps, formula, view, scratch, autograd, held, results, readsInputs, cachedStep, format, fewest);
    }

    /** This kind giving the results {@code names} from one call, the first by default (see {@link #results()}). */
    public OpKind withResults(String... names) {
        return new OpKind(annotation, name, module, minInputs, maxInputs, inputsAttribute, takesIds, otherOps, formula, view, scratch, autograd, positions,
                List.of(names), readsInputs, cachedStep, format, fewest);
    }

    /** This kind reading only its inputs' sizes, not their data (see {@link #readsInputs()}). */
    public OpKind readingSizesOnly() {
        return new OpKind(annotation, name, module, minInputs, maxInputs, inputsAttribute, takesIds, otherOps, formula, view, scratch, autograd, positions,
                results, false, cachedStep, format, fewest);
    }

    /** This kind attending to a KV cache in a decoding step as {@code step} says (see {@link #cachedStep()}). */
    public OpKind decodingWith(CachedStep step) {
        return new OpKind(annotation, name, module, minInputs, maxInputs, inputsAttribute, takesIds, otherOps, formula, view, scratch, autograd, positions,
                results, readsInputs, step, format, fewest);
    }

    /** This kind refused at inference for too few values as {@code rule} says (see {@link #fewest()}). */
    public OpKind refusingFewer(FewestValues rule) {
        return new OpKind(annotation, name, module, minInputs, maxInputs, inputsAttribute, takesIds, otherOps, formula, view, scratch, autograd, positions,
                results, readsInputs, cachedStep, format, rule);
    }

    /**
     * Where PyTorch refuses a layer at inference for too few values over its first input's axes after the channels: what it takes
     * for these attributes, or null where it takes any (a norm that keeps running statistics).
     */
    @FunctionalInterface
    public interface FewestValues {
        /** A kind refused for no such count. */
        FewestValues NONE = (attrs, input) -> null;

        /** What the layer takes with {@code attrs}, of {@code input} (without the batch); null for no count. */
        Fewest at(Attrs attrs, Shape input);
    }

    /** This kind writing its output as {@code written} says. */
    public OpKind writes(MemoryFormat written) {
        return new OpKind(annotation, name, module, minInputs, maxInputs, inputsAttribute, takesIds, otherOps, formula, view, scratch, autograd, positions,
                results, readsInputs, cachedStep, written, fewest);
    }

    /** How an operation lays out the tensor it writes, in PyTorch's terms ({@code torch.memory_format}). */
    public enum MemoryFormat {
        /** A new contiguous tensor ({@code torch.contiguous_format}): a convolution, a linear layer, a norm, a softmax. */
        CONTIGUOUS,
        /**
         * A new tensor laid out as its first input is ({@code torch.preserve_format}), dense in the order of that input's strides,
         * where it has the output's sizes: an elementwise operation run by {@code TensorIterator} (an activation, a sum); else
         * contiguous.
         */
        PRESERVE,
        /** As its formula gives it: a view's strides, a batch-first recurrent layer's or attention's transposed output. */
        OWN,
        /**
         * As {@code reshape} lays it out: a view where the input's strides allow one, else a new contiguous copy
         * ({@link Strides#reshapeCopies}): a flatten, a reshape.
         */
        RESHAPE
    }

    /** Whether, called on {@code input} with {@code output}, it writes a copy where its kind is a view ({@link MemoryFormat#RESHAPE}). */
    public boolean copies(Shape input, Shape output, long batch) {
        return format == MemoryFormat.RESHAPE && Strides.reshapeCopies(input, output, batch);
    }

    /** Checks the fields. */
    public OpKind {
        Objects.requireNonNull(annotation, "annotation");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(formula, "formula");
        Objects.requireNonNull(positions, "positions");
        Objects.requireNonNull(scratch, "scratch");
        Objects.requireNonNull(format, "format");
        results = List.copyOf(results);
        if (minInputs < 0 || maxInputs < minInputs) {
            throw new IllegalArgumentException(name + " inputs " + minInputs + ".." + maxInputs);
        }
    }

    /**
     * One decoding step of a kind that attends to a KV cache: its query one position long (per sequence of the batch) against
     * every key the cache keeps, as an incremental decoder runs it (no causal mask: the last query sees every cached key).
     */
    @FunctionalInterface
    public interface CachedStep {
        /**
         * The step's {@link Figure#MACS}, {@link Figure#FLOPS} and {@link Figure#OTHER_OPS}, and in {@link Figure#BYTES_MOVED}
         * what it reads and writes: the weights it uses at {@code weights}, its inputs and output at one position at
         * {@code activations}, and the KV cache at the model's {@code kvCacheDtype}.
         *
         * @param inputs the forward pass's input shapes without the batch, the keys at the cache's length
         * @param newKeys whether its keys and values hold the decoded positions (self-attention), so that the step makes the new
         *     position's, rather than reading them all from the cache (cross-attention on an encoder's memory)
         * @throws ArithmeticException beyond {@code long}
         */
        Costs step(Attrs attrs, List<Shape> inputs, long batch, Conventions conventions, Dtype activations, Dtype weights, boolean newKeys);
    }

    /** The shape and cost rule of an operation. */
    @FunctionalInterface
    public interface Formula {
        /**
         * The output shape and costs for the given attributes and inputs; throws
         * {@link LayerFailure} for a bad spec and {@link ArithmeticException} for a count beyond
         * {@code long}.
         */
        LayerResult apply(Attrs attrs, Inputs in);
    }

    /** Computes the output shape and costs (see {@link Formula#apply}). */
    public LayerResult apply(Attrs attrs, Inputs in) {
        return formula.apply(attrs, in);
    }

    /** Whether it takes exactly one input. */
    public boolean unary() {
        return minInputs == 1 && maxInputs == 1;
    }

    /** The number of inputs it takes, for messages: {@code 1}, {@code 1 to 3}, {@code at least 2}. */
    public String arity() {
        if (minInputs == maxInputs) {
            return inputs(minInputs);
        }
        return maxInputs == Integer.MAX_VALUE ? "at least " + inputs(minInputs) : minInputs + " to " + inputs(maxInputs);
    }

    /** {@code n} inputs in words: {@code 1 input}, {@code 2 inputs}. */
    public static String inputs(int n) {
        return n + (n == 1 ? " input" : " inputs");
    }
}
