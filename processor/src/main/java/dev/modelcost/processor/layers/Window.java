package dev.modelcost.processor.layers;

import dev.modelcost.processor.diag.Diagnostic;
import java.util.ArrayList;
import java.util.List;

/**
 * The geometry of a convolution or pooling window along one spatial axis, with PyTorch's
 * output-size rules. The attributes of an axis are named by its suffix: none for 1-D layers
 * ({@code k}, {@code stride}), {@code D}, {@code H}, {@code W} otherwise ({@code kh},
 * {@code strideH}), each defaulting to the attribute for every axis ({@code k}, {@code stride}).
 */
final class Window {
    final String axis;
    final int size;
    final int stride;
    final int padding;
    final int dilation;
    final int outputPadding;
    /** PyTorch's {@code padding='same'}: the output as long as the input (stride 1), however the kernel pads. */
    final boolean same;

    /** The value of a convolution's {@code padding} that stands for PyTorch's {@code padding='same'} ({@code Conv2d.SAME}). */
    static final int SAME = dev.modelcost.Conv2d.SAME;
    /** The value of a convolution's {@code padding} that stands for PyTorch's {@code padding='valid'} ({@code Conv2d.VALID}): none. */
    static final int VALID = dev.modelcost.Conv2d.VALID;

    /** The name of a padding that stands for PyTorch's {@code 'same'} or {@code 'valid'} ({@code "SAME"}, {@code "VALID"}), else null. */
    static String mode(long padding) {
        return padding == SAME ? "SAME" : padding == VALID ? "VALID" : null;
    }

    private Window(String axis, int size, int stride, int padding, int dilation, int outputPadding, boolean same) {
        this.axis = axis;
        this.size = size;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.outputPadding = outputPadding;
        this.same = same;
    }

    /** The attribute suffixes of the spatial axes of an {@code n}-D layer: {@code ""}; {@code H, W}; {@code D, H, W}. */
    static List<String> axes(int n) {
        switch (n) {
            case 1: return List.of("");
            case 2: return List.of("H", "W");
            default: return List.of("D", "H", "W");
        }
    }

    /**
     * A convolution's windows on the spatial axes of an {@code n}-D layer; {@code padding = SAME} pads every axis as PyTorch's
     * {@code padding='same'} does, which it refuses with a stride other than 1 (and so does this, on {@code padding}).
     */
    static List<Window> conv(Attrs a, int n) {
        boolean same = a.given("padding") && a.number("padding") == SAME;
        boolean valid = a.given("padding") && a.number("padding") == VALID;
        List<Window> windows = new ArrayList<>();
        for (String axis : axes(n)) {
            if ((same || valid) && !axis.isEmpty() && a.given("padding" + axis)) {
                throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "padding" + axis, a.kind(), "padding" + axis, a.number("padding" + axis),
                        "left out with padding = " + (same ? "SAME, which pads every axis" : "VALID, which pads no axis"));
            }
            int stride = perAxis(a, "stride", axis, 1, null);
            if (same && stride != 1) {
                throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "padding", a.kind(), "padding", "SAME", "a number of positions with a stride of "
                        + stride + (axis.isEmpty() ? "" : " on the " + axis + " axis") + ": PyTorch refuses padding='same' for strided convolutions");
            }
            windows.add(new Window(axis, kernel(a, axis), stride, same || valid ? 0 : perAxis(a, "padding", axis, 0, null), perAxis(a, "dilation", axis, 1, null),
                    0, same));
        }
        return windows;
    }

    /** A transposed convolution's windows, with their output padding; PyTorch's transposed convolutions take no {@code padding='same'}. */
    static List<Window> transposed(Attrs a, int n) {
        String mode = a.given("padding") ? mode(a.number("padding")) : null;
        if (mode != null) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "padding", a.kind(), "padding", mode,
                    "a number of positions: PyTorch's transposed convolutions take no padding='" + mode.toLowerCase(java.util.Locale.ROOT) + "'");
        }
        List<Window> windows = new ArrayList<>();
        for (Window w : conv(a, n)) {
            windows.add(new Window(w.axis, w.size, w.stride, w.padding, w.dilation, perAxis(a, "outputPadding", w.axis, 0, null), false));
        }
        return windows;
    }

    /** Pooling windows; the stride defaults to the window, and only max pooling dilates. */
    static List<Window> pool(Attrs a, int n, boolean dilated) {
        List<Window> windows = new ArrayList<>();
        for (String axis : axes(n)) {
            int size = kernel(a, axis);
            int dilation = dilated ? perAxis(a, "dilation", axis, 1, null) : 1;
            windows.add(new Window(axis, size, perAxis(a, "stride", axis, 1, size), perAxis(a, "padding", axis, 0, null), dilation, 0, false));
        }
        return windows;
    }

    private static int kernel(Attrs a, String axis) {
        if (axis.isEmpty()) {
            if (!a.given("k")) {
                throw new LayerFailure(Diagnostic.MISSING_ATTRIBUTE, null, a.kind(), "'k'");
            }
            return a.atLeast("k", 1);
        }
        return a.window("k" + axis.toLowerCase(java.util.Locale.ROOT), "k");
    }

    private static int perAxis(Attrs a, String name, String axis, int min, Integer fallback) {
        return axis.isEmpty() ? (fallback != null && !a.given(name) ? fallback : a.atLeast(name, min)) : a.axis(name + axis, name, min, fallback);
    }

    /** The attribute a message about this axis's {@code name} attribute points at: {@code strideH} where given, else {@code stride}. */
    String attribute(Attrs a, String name) {
        return a.given(name + axis) ? name + axis : name;
    }

    /** The axis for messages: {@code height}, or {@code length} for 1-D layers. */
    String axisName() {
        switch (axis) {
            case "D": return "depth";
            case "H": return "height";
            case "W": return "width";
            default: return "length";
        }
    }

    long span() {
        return (long) dilation * (size - 1) + 1;
    }

    /**
     * The positions a convolution pads before and after the axis: {@code padding} each, or under {@code padding = SAME} the
     * dilated window's span less one, the smaller half before, as PyTorch splits it ({@code _reversed_padding_repeated_twice}).
     */
    long[] sides() {
        if (!same) {
            return new long[] {padding, padding};
        }
        long total = span() - 1;
        return new long[] {total / 2, total - total / 2};
    }

    /** PyTorch's conv rule: floor((in + 2p − d(k − 1) − 1) / s) + 1; the input's size under {@code padding = SAME}. */
    int convOutput(Attrs a, int in) {
        if (same) {
            return in;
        }
        long padded = in + 2L * padding;
        if (padded < span()) {
            throw tooWide(a, padded, padded);
        }
        return size((padded - span()) / stride + 1);
    }

    /**
     * PyTorch's transposed-conv rule: (in − 1)·s − 2p + d(k − 1) + output_padding + 1, with its
     * check that the output padding is smaller than the stride or the dilation.
     */
    int transposedOutput(Attrs a, int in) {
        if (outputPadding >= stride && outputPadding >= dilation) {
            throw new LayerFailure(Diagnostic.OUTPUT_PADDING, attribute(a, "outputPadding"), a.kind(), axis, outputPadding, stride, dilation);
        }
        long out = (in - 1L) * stride - 2L * padding + span() + outputPadding;
        if (out < 1) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, attribute(a, "padding"), a.kind(), attribute(a, "padding"), padding,
                    "small enough to leave an output on the " + axisName() + " axis: (in - 1)*stride - 2*padding + dilation*(k - 1) + outputPadding + 1 = " + out);
        }
        return size(out);
    }

    /**
     * The output positions of a transposed convolution that receive at least one product, for
     * {@code in} input positions and {@code out} output positions: input {@code i} and tap
     * {@code t} land on {@code i·s + t·d − p}. Positions are not reached where the stride exceeds
     * the dilated window or the output padding extends past the last tap.
     */
    long reached(int in, int out) {
        long lo = padding;
        long hi = (long) padding + out - 1;
        if (dilation == 1 && stride <= size || stride == 1 && (size == 1 || dilation <= in)) {
            long last = (in - 1L) * stride + (size - 1L) * dilation;
            return Math.max(0, Math.min(hi, last) - lo + 1);
        }
        // The set {i·s + t·d} is symmetric in (input, stride) and (tap, dilation): loop over the shorter.
        return size <= in ? distinctSums(in, stride, size, dilation, lo, hi) : distinctSums(size, dilation, in, stride, lo, hi);
    }

    /**
     * How many distinct {@code a·stepA + b·stepB} ({@code a < countA}, {@code b < countB}) lie in
     * {@code [lo, hi]}. For each {@code b} the values form the run of lattice indices
     * {@code floor(b·stepB / stepA) + [0, countA)} in the residue class {@code b·stepB mod stepA};
     * {@code b} and {@code b + period} share a class, and the runs of one class come in increasing
     * order, so merging each class's runs as they come counts every value once, in
     * {@code countB} steps and {@code min(countB, period)} slots.
     */
    private static long distinctSums(long countA, long stepA, long countB, long stepB, long lo, long hi) {
        long period = stepA / java.math.BigInteger.valueOf(stepA).gcd(java.math.BigInteger.valueOf(stepB)).longValue();
        int slots = (int) Math.min(countB, period);
        long[] from = new long[slots];
        long[] to = new long[slots];
        boolean[] open = new boolean[slots];
        long count = 0;
        for (long b = 0; b < countB; b++) {
            int slot = (int) (b % period);
            long value = b * stepB;
            long first = value / stepA;
            long last = first + countA - 1;
            if (open[slot] && first <= to[slot] + 1) {
                to[slot] = Math.max(to[slot], last);
                continue;
            }
            if (open[slot]) {
                count += clipped(from[slot], to[slot], value % stepA, stepA, lo, hi);
            }
            from[slot] = first;
            to[slot] = last;
            open[slot] = true;
        }
        for (int slot = 0; slot < slots; slot++) {
            if (open[slot]) {
                count += clipped(from[slot], to[slot], (slot * stepB) % stepA, stepA, lo, hi);
            }
        }
        return count;
    }

    /** The lattice indices {@code m} in {@code [from, to]} whose value {@code residue + m·step} lies in {@code [lo, hi]}. */
    private static long clipped(long from, long to, long residue, long step, long lo, long hi) {
        long min = Math.max(from, Math.floorDiv(lo - residue + step - 1, step));
        long max = Math.min(to, Math.floorDiv(hi - residue, step));
        return Math.max(0, max - min + 1);
    }

    /**
     * PyTorch's pooling rule, with ceil mode never starting a window in the right padding; the
     * padding is at most half the kernel, whatever the dilation (ATen's pool2d_shape_check).
     */
    int poolOutput(Attrs a, int in, boolean ceil) {
        if (padding > size / 2) {
            throw new LayerFailure(Diagnostic.POOL_PADDING, attribute(a, "padding"), a.kind(), padding, size);
        }
        long padded = in + 2L * padding;
        long slack = ceil ? stride - 1 : 0;
        long numerator = padded - span() + slack;
        if (numerator < 0) {
            throw tooWide(a, padded, padded + slack);
        }
        long out = numerator / stride + 1;
        if (ceil && (out - 1) * stride >= (long) in + padding) {
            out--;
        }
        return size(out);
    }

    /** An output size, which must fit an {@code int} as every dimension does. */
    static int size(long out) {
        if (out > Integer.MAX_VALUE) {
            throw new ArithmeticException("output size " + out);
        }
        return (int) out;
    }

    /** The product of the window sizes. */
    static long volume(List<Window> windows) {
        long volume = 1;
        for (Window w : windows) {
            volume = Math.multiplyExact(volume, w.size);
        }
        return volume;
    }

    /**
     * {@link Diagnostic#EMPTY_OUTPUT}: the window does not fit the {@code padded} input. It points at the dilation where the kernel
     * alone would fit in {@code room} positions (the padded input, and in ceil mode a last window's stride − 1 past it), else at the
     * kernel. In ceil mode the message says how far past the input a window may run.
     */
    private LayerFailure tooWide(Attrs a, long padded, long room) {
        boolean dilated = dilation > 1 && size <= room;
        String window = dilation > 1 ? span() + " (a kernel of " + size + " at dilation " + dilation + ")" : Long.toString(span());
        long past = room - padded;
        return new LayerFailure(Diagnostic.EMPTY_OUTPUT, dilated ? attribute(a, "dilation") : kernelAttr(a), a.kind(), window, padded, axisName(),
                past == 0 ? "" : ", even with the " + past + (past == 1 ? " position" : " positions") + " past its end that ceil mode lets the last window take");
    }

    /** The kernel attribute a message about this axis points at: {@code kh} where given, else {@code k}. */
    String kernelAttr(Attrs a) {
        if (axis.isEmpty()) {
            return "k";
        }
        String own = "k" + axis.toLowerCase(java.util.Locale.ROOT);
        return a.given(own) ? own : "k";
    }
}
