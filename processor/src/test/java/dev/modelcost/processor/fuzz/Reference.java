package dev.modelcost.processor.fuzz;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The expected figures of a generated spec, computed from first principles and written without
 * looking at the processor: PyTorch's shape rules (nn.Conv2d, nn.MaxPool2d/AvgPool2d with
 * {@code pooling_output_shape} and {@code pool2d_shape_check}, nn.AdaptiveAvgPool2d's windows,
 * nn.Flatten) and the cost conventions of the README (MACs = outputs · K, FLOPs = outputs ·
 * (2K − 1 + bias), params, buffers, other ops).
 */
public final class Reference {
    private Reference() {}

    /** nn.Conv2d's output size on one axis: floor((in + 2p − d(k − 1) − 1) / s) + 1, or 0 when the window does not fit. */
    static int convOut(int in, int k, int stride, int padding, int dilation) {
        long room = (long) in + 2L * padding - (long) dilation * (k - 1) - 1;
        if (room < 0) {
            return 0;
        }
        return (int) (room / stride + 1);
    }

    /**
     * nn.MaxPool2d / nn.AvgPool2d on one axis (ATen's pooling_output_shape_pad_lr): the quotient
     * rounds toward negative infinity, ceil mode adds stride − 1 first, and in ceil mode a last
     * window that would start in the right padding is dropped. 0 or less means "output too small".
     */
    static int poolOut(int in, int k, int stride, int padding, int dilation, boolean ceil) {
        long numerator = (long) in + 2L * padding - (long) dilation * (k - 1) - 1 + (ceil ? stride - 1 : 0);
        long out = Math.floorDiv(numerator, (long) stride) + 1;
        if (ceil && (out - 1) * stride >= (long) in + padding) {
            out--;
        }
        return (int) out;
    }

    /** pool2d_shape_check: "pad should be smaller than or equal to half of kernel size" (the undilated kernel). */
    static boolean poolPaddingAllowed(int k, int padding) {
        return k / 2 >= padding;
    }

    /**
     * The input rows nn.AdaptiveAvgPool2d reads in total on one axis: cell i averages rows
     * start = floor(i · in / out) to end = ceil((i + 1) · in / out) (exclusive).
     */
    static long adaptiveRows(int in, int out) {
        long total = 0;
        for (long i = 0; i < out; i++) {
            long start = (i * in) / out;
            long end = ((i + 1) * in + out - 1) / out;
            total += end - start;
        }
        return total;
    }

    /** torchvision's _make_divisible, with Python's float arithmetic. */
    static long makeDivisible(long v, long divisor, long minValue) {
        long newV = Math.max(minValue, ((long) (v + divisor / 2.0)) / divisor * divisor);
        if (newV < 0.9 * v) {
            newV += divisor;
        }
        return newV;
    }

    static long elements(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    static String shape(int[] shape) {
        return Arrays.stream(shape).mapToObj(String::valueOf).collect(Collectors.joining("x"));
    }

    /** The running totals of one model, by the README's conventions. */
    public static final class Costs {
        final int batch;
        long macs;
        long flops;
        long params;
        long buffers;
        long otherOps;
        int leaves;
        int[] output;

        Costs(int batch) {
            this.batch = batch;
        }

        private long outputs(int[] shape) {
            return Math.multiplyExact((long) batch, elements(shape));
        }

        /** nn.Conv2d: K = cin / groups · kh · kw per output element. */
        void conv(int cin, int groups, int kh, int kw, boolean bias, int[] out) {
            long k = (long) (cin / groups) * kh * kw;
            long outputs = outputs(out);
            int cout = out[0];
            macs = Math.addExact(macs, Math.multiplyExact(outputs, k));
            flops = Math.addExact(flops, Math.multiplyExact(outputs, 2 * k - 1 + (bias ? 1 : 0)));
            params = Math.addExact(params, Math.multiplyExact((long) cout, k) + (bias ? cout : 0));
            leaves++;
        }

        /** nn.Linear on the last dimension: K = in features. */
        void linear(int inFeatures, boolean bias, int[] out) {
            long outputs = outputs(out);
            int outFeatures = out[out.length - 1];
            macs = Math.addExact(macs, Math.multiplyExact(outputs, (long) inFeatures));
            flops = Math.addExact(flops, Math.multiplyExact(outputs, 2L * inFeatures - 1 + (bias ? 1 : 0)));
            params = Math.addExact(params, (long) inFeatures * outFeatures + (bias ? outFeatures : 0));
            leaves++;
        }

        /**
         * nn.BatchNorm2d (eval): weight and bias when affine, running mean and variance when tracked;
         * 2 ops per element with the statistics folded, else 5 to normalise and 2 for the affine.
         */
        void batchNorm(boolean affine, boolean track, int[] shape) {
            params += affine ? 2L * shape[0] : 0;
            buffers += track ? 2L * shape[0] : 0;
            otherOps = Math.addExact(otherOps, (track ? 2 : 5 + (affine ? 2 : 0)) * outputs(shape));
            leaves++;
        }

        /** An activation: one op per element. */
        void activation(int[] shape) {
            otherOps = Math.addExact(otherOps, outputs(shape));
            leaves++;
        }

        /** Max pooling: kh · kw − 1 comparisons per output element. */
        void maxPool(int kh, int kw, int[] out) {
            otherOps = Math.addExact(otherOps, Math.multiplyExact(outputs(out), (long) kh * kw - 1));
            leaves++;
        }

        /** Average pooling: kh · kw per output element. */
        void avgPool(int kh, int kw, int[] out) {
            otherOps = Math.addExact(otherOps, Math.multiplyExact(outputs(out), (long) kh * kw));
            leaves++;
        }

        /** Adaptive average pooling: the size of each cell's window, summed. */
        void adaptiveAvgPool(int[] in, int oh, int ow) {
            long cells = Math.multiplyExact(adaptiveRows(in[1], oh), adaptiveRows(in[2], ow));
            otherOps = Math.addExact(otherOps, Math.multiplyExact((long) batch * in[0], cells));
            leaves++;
        }

        /** An n-way element-wise sum or product: n − 1 ops per output element. */
        void elementwise(int inputs, int[] out) {
            otherOps = Math.addExact(otherOps, Math.multiplyExact(inputs - 1L, outputs(out)));
            leaves++;
        }

        /** Concat, flatten, dropout, identity: free. */
        void free() {
            leaves++;
        }

        long figure(String name) {
            switch (name) {
                case "maxMacs": return macs;
                case "maxFlops": return flops;
                case "maxParams": return params;
                default: throw new IllegalArgumentException(name);
            }
        }
    }
}
