package dev.modelcost.processor.layers;

import dev.modelcost.AdaptiveAvgPool2d;
import dev.modelcost.AvgPool2d;
import dev.modelcost.BatchNorm2d;
import dev.modelcost.ChannelShuffle;
import dev.modelcost.Chunk;
import dev.modelcost.Conv2d;
import dev.modelcost.Dropout;
import dev.modelcost.Flatten;
import dev.modelcost.GELU;
import dev.modelcost.Hardsigmoid;
import dev.modelcost.Hardswish;
import dev.modelcost.Identity;
import dev.modelcost.Linear;
import dev.modelcost.MaxPool2d;
import dev.modelcost.ReLU;
import dev.modelcost.ReLU6;
import dev.modelcost.SiLU;
import dev.modelcost.Sigmoid;
import dev.modelcost.Tanh;
import dev.modelcost.processor.diag.Diagnostic;
import java.lang.annotation.Annotation;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every layer kind: its annotation, whether PyTorch has it as a module, and its formula for the
 * output shape and the costs. Adding a layer is one annotation and one entry here.
 *
 * <p>Element-wise work outside FLOPS ({@code otherOps}), per output element: 2 for BatchNorm (one
 * multiply and one add once the statistics are folded), 1 for each activation, {@code k·k − 1}
 * comparisons for max pooling, {@code k·k} (adds and the divide) for average pooling and the
 * window size for adaptive average pooling; nothing for reshapes, dropout and identity.
 */
public enum LayerKind {
    CONV2D(Conv2d.class, true) {
        @Override
        public LayerResult apply(Attrs a, LayerInput in) {
            Shape x = requireImage(a, in);
            int cout = a.required("cout");
            int groups = a.atLeast("groups", 1);
            int cin = x.channels();
            checkDeclared(a, "cin", cin, in, "channels");
            if (cin % groups != 0) {
                throw new LayerFailure(Diagnostic.GROUPS_NOT_DIVIDING, "groups", kind(), "groups", groups, "the input channels", cin);
            }
            if (cout % groups != 0) {
                throw new LayerFailure(Diagnostic.GROUPS_NOT_DIVIDING, "groups", kind(), "groups", groups, "cout", cout);
            }
            Window h = Window.conv(a, "H", "kh");
            Window w = Window.conv(a, "W", "kw");
            int oh = h.convOutput(a, x.dim(1), "height");
            int ow = w.convOutput(a, x.dim(2), "width");
            Shape out = Shape.of(cout, oh, ow);
            long k = Math.multiplyExact((long) (cin / groups), Math.multiplyExact((long) h.size, w.size));
            boolean bias = a.flag("bias");
            long params = Math.addExact(Math.multiplyExact(cout, k), bias ? cout : 0);
            return weighted(in.batchElements(out), k, bias, params, out);
        }
    },
    LINEAR(Linear.class, true) {
        @Override
        public LayerResult apply(Attrs a, LayerInput in) {
            Shape x = in.shape();
            if (x.rank() > 2) {
                throw new LayerFailure(Diagnostic.INPUT_RANK_MISMATCH, null, kind(), "a features (F) or sequence (L x F)",
                        in.source(), x, "add @Flatten before it, which gives " + x.elements() + " features");
            }
            int out = a.required("out");
            int features = x.last();
            checkDeclared(a, "inFeatures", features, in, "features");
            Shape result = x.withDim(x.rank() - 1, out);
            boolean bias = a.flag("bias");
            long params = Math.addExact(Math.multiplyExact((long) features, out), bias ? out : 0);
            return weighted(in.batchElements(result), features, bias, params, result);
        }
    },
    BATCH_NORM2D(BatchNorm2d.class, true) {
        @Override
        public LayerResult apply(Attrs a, LayerInput in) {
            Shape x = requireImage(a, in);
            checkDeclared(a, "features", x.channels(), in, "channels");
            long state = 2L * x.channels();
            long params = a.flag("affine") ? state : 0;
            long buffers = a.flag("trackRunningStats") ? state : 0;
            long ops = Math.multiplyExact(2, in.batchElements(x));
            return new LayerResult(x, new Totals(0, 0, params, buffers, ops));
        }
    },
    RELU(ReLU.class, true, LayerKind::activation),
    RELU6(ReLU6.class, true, LayerKind::activation),
    SIGMOID(Sigmoid.class, true, LayerKind::activation),
    TANH(Tanh.class, true, LayerKind::activation),
    HARDSWISH(Hardswish.class, true, LayerKind::activation),
    HARDSIGMOID(Hardsigmoid.class, true, LayerKind::activation),
    SILU(SiLU.class, true, LayerKind::activation),
    GELU_(GELU.class, true, LayerKind::activation),
    MAX_POOL2D(MaxPool2d.class, true) {
        @Override
        public LayerResult apply(Attrs a, LayerInput in) {
            return pool(a, in, true);
        }
    },
    AVG_POOL2D(AvgPool2d.class, true) {
        @Override
        public LayerResult apply(Attrs a, LayerInput in) {
            return pool(a, in, false);
        }
    },
    ADAPTIVE_AVG_POOL2D(AdaptiveAvgPool2d.class, true) {
        @Override
        public LayerResult apply(Attrs a, LayerInput in) {
            Shape x = requireImage(a, in);
            int oh = a.given("h") ? a.atLeast("h", 1) : a.required("value");
            int ow = a.given("w") ? a.atLeast("w", 1) : a.required("value");
            Shape out = Shape.of(x.channels(), oh, ow);
            // Output cell i averages input rows floor(i*H/oh) .. ceil((i+1)*H/oh) - 1.
            long window = Math.multiplyExact(adaptiveSpan(x.dim(1), oh), adaptiveSpan(x.dim(2), ow));
            long ops = Math.multiplyExact(Math.multiplyExact(in.batch(), x.channels()), window);
            return new LayerResult(out, Totals.otherOps(ops));
        }
    },
    FLATTEN(Flatten.class, true) {
        @Override
        public LayerResult apply(Attrs a, LayerInput in) {
            Shape x = in.shape();
            int full = x.rank() + 1;
            long start = a.number("startDim");
            long end = a.number("endDim");
            long s = start < 0 ? start + full : start;
            long e = end < 0 ? end + full : end;
            if (s < 1 || e >= full || s > e) {
                throw new LayerFailure(Diagnostic.FLATTEN_DIMS, s < 1 ? "startDim" : "endDim", start, end, full);
            }
            int[] dims = x.toArray();
            int[] out = new int[dims.length - (int) (e - s)];
            int j = 0;
            for (int i = 0; i < dims.length; i++) {
                int d = i + 1;
                if (d <= s || d > e) {
                    out[j++] = dims[i];
                } else {
                    long merged = Math.multiplyExact((long) out[j - 1], dims[i]);
                    if (merged > Integer.MAX_VALUE) {
                        throw new ArithmeticException("flattened dimension");
                    }
                    out[j - 1] = (int) merged;
                }
            }
            return new LayerResult(Shape.of(out), Totals.ZERO);
        }
    },
    DROPOUT(Dropout.class, true, LayerKind::passThrough),
    IDENTITY(Identity.class, true, LayerKind::passThrough),
    CHUNK(Chunk.class, false) {
        @Override
        public LayerResult apply(Attrs a, LayerInput in) {
            Shape x = in.shape();
            int chunks = a.atLeast("chunks", 1);
            int index = a.atLeast("index", 0);
            if (x.channels() % chunks != 0) {
                throw new LayerFailure(Diagnostic.GROUPS_NOT_DIVIDING, "chunks", kind(), "chunks", chunks, "the input channels", x.channels());
            }
            if (index >= chunks) {
                throw new LayerFailure(Diagnostic.CHUNK_INDEX, "index", index, chunks);
            }
            return new LayerResult(x.withChannels(x.channels() / chunks), Totals.ZERO);
        }
    },
    CHANNEL_SHUFFLE(ChannelShuffle.class, false) {
        @Override
        public LayerResult apply(Attrs a, LayerInput in) {
            Shape x = in.shape();
            int groups = a.atLeast("value", 1);
            if (x.channels() % groups != 0) {
                throw new LayerFailure(Diagnostic.GROUPS_NOT_DIVIDING, "value", kind(), "groups", groups, "the input channels", x.channels());
            }
            return new LayerResult(x, Totals.ZERO);
        }
    };

    private static final Map<String, LayerKind> BY_ANNOTATION = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(LayerKind::annotationName, Function.identity()));

    private final Class<? extends Annotation> annotation;
    private final boolean module;
    private final Formula formula;

    LayerKind(Class<? extends Annotation> annotation, boolean module) {
        this(annotation, module, null);
    }

    LayerKind(Class<? extends Annotation> annotation, boolean module, Formula formula) {
        this.annotation = annotation;
        this.module = module;
        this.formula = formula;
    }

    /** The shape and cost rule of a layer with simple formula. */
    @FunctionalInterface
    interface Formula {
        LayerResult apply(Attrs attrs, LayerInput in);
    }

    /** The layer kind of an annotation's qualified name, or null if it is not a layer annotation. */
    public static LayerKind forAnnotation(String qualifiedName) {
        return BY_ANNOTATION.get(qualifiedName);
    }

    /** The annotation's qualified name. */
    public String annotationName() {
        return annotation.getCanonicalName();
    }

    /** The kind as users write it and PyTorch names it, e.g. {@code Conv2d}. */
    public String kind() {
        return annotation.getSimpleName();
    }

    /**
     * Whether PyTorch holds this layer as a module, so that it takes a position in an indexed
     * (Sequential) container; functional steps such as a channel split do not.
     */
    public boolean isModule() {
        return module;
    }

    /**
     * Computes the output shape and costs; throws {@link LayerFailure} for a bad spec and
     * {@link ArithmeticException} for a count beyond {@code long}.
     */
    public LayerResult apply(Attrs attrs, LayerInput in) {
        return formula.apply(attrs, in);
    }

    private static LayerResult activation(Attrs a, LayerInput in) {
        return new LayerResult(in.shape(), Totals.otherOps(in.batchElements(in.shape())));
    }

    private static LayerResult passThrough(Attrs a, LayerInput in) {
        return new LayerResult(in.shape(), Totals.ZERO);
    }

    /** Conv and linear costs: K MACs per output, 2K − 1 (+1 with bias) FLOPs per output. */
    private static LayerResult weighted(long outputs, long k, boolean bias, long params, Shape out) {
        long macs = Math.multiplyExact(outputs, k);
        long flopsPerOutput = Math.addExact(Math.multiplyExact(2, k) - 1, bias ? 1 : 0);
        return new LayerResult(out, new Totals(macs, Math.multiplyExact(outputs, flopsPerOutput), params, 0, 0));
    }

    private static LayerResult pool(Attrs a, LayerInput in, boolean max) {
        Shape x = requireImage(a, in);
        Window h = Window.pool(a, "H", "kh", max);
        Window w = Window.pool(a, "W", "kw", max);
        boolean ceil = a.flag("ceilMode");
        int oh = h.poolOutput(a, x.dim(1), ceil, "height");
        int ow = w.poolOutput(a, x.dim(2), ceil, "width");
        Shape out = Shape.of(x.channels(), oh, ow);
        long window = Math.multiplyExact((long) h.size, w.size);
        long perOutput = max ? window - 1 : window;
        return new LayerResult(out, Totals.otherOps(Math.multiplyExact(in.batchElements(out), perOutput)));
    }

    /** Total input rows read by adaptive pooling from {@code in} rows into {@code out} cells. */
    static long adaptiveSpan(int in, int out) {
        long total = 0;
        for (long i = 0; i < out; i++) {
            long start = Math.floorDiv(i * in, out);
            long end = -Math.floorDiv(-(i + 1) * in, out);
            total += end - start;
        }
        return total;
    }

    private static Shape requireImage(Attrs a, LayerInput in) {
        if (in.shape().rank() != 3) {
            throw new LayerFailure(Diagnostic.INPUT_RANK_MISMATCH, null, a.kind(), "a C x H x W", in.source(), in.shape(), "");
        }
        return in.shape();
    }

    private static void checkDeclared(Attrs a, String name, int actual, LayerInput in, String unit) {
        if (a.given(name) && a.number(name) != actual) {
            throw new LayerFailure(Diagnostic.CHANNEL_MISMATCH, name, a.kind(), name, a.number(name), in.source(), actual, unit, name);
        }
    }

    /** The per-axis geometry of a convolution or pooling window. */
    private static final class Window {
        final String axis;
        final int size;
        final int stride;
        final int padding;
        final int dilation;

        private Window(String axis, int size, int stride, int padding, int dilation) {
            this.axis = axis;
            this.size = size;
            this.stride = stride;
            this.padding = padding;
            this.dilation = dilation;
        }

        static Window conv(Attrs a, String axis, String kernel) {
            return new Window(axis, a.window(kernel, "k"), a.axis("stride" + axis, "stride", 1, null),
                    a.axis("padding" + axis, "padding", 0, null), a.axis("dilation" + axis, "dilation", 1, null));
        }

        static Window pool(Attrs a, String axis, String kernel, boolean dilated) {
            int size = a.window(kernel, "k");
            int stride = a.axis("stride" + axis, "stride", 1, size);
            int dilation = dilated ? a.atLeast("dilation", 1) : 1;
            return new Window(axis, size, stride, a.axis("padding" + axis, "padding", 0, null), dilation);
        }

        long span() {
            return (long) dilation * (size - 1) + 1;
        }

        /** PyTorch's conv rule: floor((in + 2p − d(k − 1) − 1) / s) + 1. */
        int convOutput(Attrs a, int in, String name) {
            long padded = in + 2L * padding;
            if (padded < span()) {
                throw new LayerFailure(Diagnostic.EMPTY_OUTPUT, kernelAttr(a), a.kind(), span(), padded, name);
            }
            return size((padded - span()) / stride + 1);
        }

        /**
         * PyTorch's pooling rule, with ceil mode never starting a window in the right padding; the
         * padding is at most half the kernel, whatever the dilation (ATen's pool2d_shape_check).
         */
        int poolOutput(Attrs a, int in, boolean ceil, String name) {
            if (padding > size / 2) {
                throw new LayerFailure(Diagnostic.POOL_PADDING, a.given("padding" + axis) ? "padding" + axis : "padding",
                        a.kind(), padding, size);
            }
            long padded = in + 2L * padding;
            long numerator = padded - span() + (ceil ? stride - 1 : 0);
            if (numerator < 0) {
                throw new LayerFailure(Diagnostic.EMPTY_OUTPUT, kernelAttr(a), a.kind(), span(), padded, name);
            }
            long out = numerator / stride + 1;
            if (ceil && (out - 1) * stride >= in + padding) {
                out--;
            }
            return size(out);
        }

        /** An output size, which must fit an {@code int} as every dimension does. */
        private static int size(long out) {
            if (out > Integer.MAX_VALUE) {
                throw new ArithmeticException("output size " + out);
            }
            return (int) out;
        }

        private String kernelAttr(Attrs a) {
            String own = axis.equals("H") ? "kh" : "kw";
            return a.given(own) ? own : "k";
        }
    }
}
