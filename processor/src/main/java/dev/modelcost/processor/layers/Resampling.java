package dev.modelcost.processor.layers;

import dev.modelcost.processor.diag.Diagnostic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Formulas of the layers that resize or pad the spatial axes: {@code Upsample} (other ops per
 * output element: each output a weighted sum of its {@code 2^n} or, bicubic, 16 neighbours with
 * precomputed weights: {@code 2·taps − 1}; nearest modes copy), {@code PixelShuffle} and
 * {@code PixelUnshuffle} (free) and padding (free: it copies).
 */
final class Resampling {
    private Resampling() {}

    /** Each mode, the spatial axes it takes (0: 1 to 3) and its other ops per output element. */
    private static final Map<String, int[]> MODES = Map.of(
            "nearest", new int[] {0, 0},
            "nearest-exact", new int[] {0, 0},
            "linear", new int[] {1, 3},
            "bilinear", new int[] {2, 7},
            "bicubic", new int[] {2, 31},
            "trilinear", new int[] {3, 15});

    /** {@code nn.Upsample} / {@code F.interpolate} on a channels-first input of 1 to 3 spatial axes. */
    static LayerResult upsample(Attrs a, Inputs in) {
        Shape x = in.shape();
        String mode = a.choice("mode", List.of("nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear"));
        int[] rule = MODES.get(mode);
        int n = x.rank() - 1;
        if (n < 1 || n > 3 || rule[0] != 0 && n != rule[0]) {
            String wanted = rule[0] == 0 ? "a channels-first C,L, C,H,W or C,D,H,W"
                    : "a channels-first " + (rule[0] == 1 ? "C,L" : rule[0] == 2 ? "C,H,W" : "C,D,H,W") + " (mode " + mode + ")";
            throw new LayerFailure(Diagnostic.INPUT_RANK_MISMATCH, "mode", a.kind(), wanted, in.source(), x.describe(),
                    "PyTorch refuses other ranks in this mode; linear is 1-D, bilinear and bicubic 2-D, trilinear 3-D");
        }
        if (a.given("alignCorners") && rule[1] == 0) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "alignCorners", a.kind(), "alignCorners", a.flag("alignCorners"),
                    "left out in mode " + mode + ": PyTorch takes align_corners only for linear, bilinear, bicubic and trilinear").atAnySize();
        }
        List<Long> size = a.list("size");
        boolean byScale = a.given("scaleFactor");
        if (size.isEmpty() == !byScale) {
            throw new LayerFailure(Diagnostic.RESIZE, byScale ? "scaleFactor" : null, a.kind(),
                    byScale ? "takes size or scaleFactor, not both" : "needs size or scaleFactor",
                    "give one of them, as F.interpolate takes one").atAnySize();
        }
        if (!size.isEmpty() && size.size() != 1 && size.size() != n) {
            throw new LayerFailure(Diagnostic.RESIZE, "size", a.kind(), "size = " + size + " has " + size.size() + " sizes for " + n + " spatial axes of " + x.describe(),
                    "give one size per spatial axis, or one for all");
        }
        List<Double> scales = byScale ? a.decimals("scaleFactor") : List.of();
        if (byScale && scales.size() != 1 && scales.size() != n) {
            throw new LayerFailure(Diagnostic.RESIZE, "scaleFactor", a.kind(), "scaleFactor = " + a.text("scaleFactor") + " has " + scales.size()
                    + " factors for " + n + " spatial axes of " + x.describe(), "give one factor per spatial axis, or one for all");
        }
        for (double scale : scales) {
            if (!(scale > 0 && Double.isFinite(scale))) {
                throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "scaleFactor", a.kind(), "scaleFactor", a.text("scaleFactor"), "positive and finite")
                        .atAnySize();
            }
        }
        List<Integer> dims = new ArrayList<>(List.of(x.channels()));
        for (int i = 1; i <= n; i++) {
            if (!byScale) {
                dims.add(a.checked("size", size.get(size.size() == 1 ? 0 : i - 1), 1));
                continue;
            }
            // PyTorch: output = floor(in * scale_factor), in double precision.
            double scale = scales.get(scales.size() == 1 ? 0 : i - 1);
            double out = Math.floor(x.dim(i) * scale);
            if (out < 1) {
                throw new LayerFailure(Diagnostic.RESIZE, "scaleFactor", a.kind(), "scaleFactor = " + a.text("scaleFactor") + " leaves no output on axis "
                        + x.axis(i) + " of size " + x.dim(i) + " (floor(" + x.dim(i) + " x " + scale + ") = 0)",
                        "use a larger factor or give the size; PyTorch refuses an empty output");
            }
            if (out >= 0x1p63) {
                // Beyond a long the cast would saturate: the message gives the product PyTorch computes, in short.
                throw new ArithmeticException("output size " + String.format(java.util.Locale.ROOT, "%.3e", out));
            }
            dims.add(Window.size((long) out));
        }
        Shape out = x.reshaped(dims, x.axes());
        return new LayerResult(out, Costs.otherOps(Math.multiplyExact(in.batchElements(out), (long) rule[1])));
    }

    /** {@code nn.PixelShuffle(r)}: {@code C·r², H, W} to {@code C, H·r, W·r} on the last three axes. */
    static LayerResult pixelShuffle(Attrs a, Inputs in) {
        Shape x = lastThree(a, in);
        int r = a.required("upscaleFactor");
        int c = x.rank() - 3;
        long square = (long) r * r;
        if (x.dim(c) % square != 0) {
            throw new LayerFailure(Diagnostic.GROUPS_NOT_DIVIDING, "upscaleFactor", a.kind(), "upscaleFactor\u00b2", square, "the channels", x.dim(c));
        }
        Shape out = x.withDim(c, (int) (x.dim(c) / square))
                .withDim(c + 1, Checks.fit((long) x.dim(c + 1) * r))
                .withDim(c + 2, Checks.fit((long) x.dim(c + 2) * r));
        return new LayerResult(out, Costs.ZERO);
    }

    /** {@code nn.PixelUnshuffle(r)}: {@code C, H·r, W·r} to {@code C·r², H, W} on the last three axes. */
    static LayerResult pixelUnshuffle(Attrs a, Inputs in) {
        Shape x = lastThree(a, in);
        int r = a.required("downscaleFactor");
        int c = x.rank() - 3;
        for (int axis = c + 1; axis <= c + 2; axis++) {
            if (x.dim(axis) % r != 0) {
                throw new LayerFailure(Diagnostic.GROUPS_NOT_DIVIDING, "downscaleFactor", a.kind(), "downscaleFactor", r,
                        "the size of axis " + x.axis(axis), x.dim(axis));
            }
        }
        Shape out = x.withDim(c, Checks.fit((long) x.dim(c) * r * r)).withDim(c + 1, x.dim(c + 1) / r).withDim(c + 2, x.dim(c + 2) / r);
        return new LayerResult(out, Costs.ZERO);
    }

    private static Shape lastThree(Attrs a, Inputs in) {
        Shape x = in.shape();
        if (x.rank() < 3) {
            throw new LayerFailure(Diagnostic.INPUT_RANK_MISMATCH, null, a.kind(), "a C,H,W (or higher-rank)", in.source(), x.describe(), "");
        }
        return x;
    }

    static LayerResult zeroPad2d(Attrs a, Inputs in) {
        return padModule(a, in, 2, "constant");
    }

    static LayerResult constantPad1d(Attrs a, Inputs in) {
        return padModule(a, in, 1, "constant");
    }

    static LayerResult constantPad2d(Attrs a, Inputs in) {
        return padModule(a, in, 2, "constant");
    }

    static LayerResult constantPad3d(Attrs a, Inputs in) {
        return padModule(a, in, 3, "constant");
    }

    static LayerResult reflectionPad1d(Attrs a, Inputs in) {
        return padModule(a, in, 1, "reflect");
    }

    static LayerResult reflectionPad2d(Attrs a, Inputs in) {
        return padModule(a, in, 2, "reflect");
    }

    static LayerResult reflectionPad3d(Attrs a, Inputs in) {
        return padModule(a, in, 3, "reflect");
    }

    static LayerResult replicationPad1d(Attrs a, Inputs in) {
        return padModule(a, in, 1, "replicate");
    }

    static LayerResult replicationPad2d(Attrs a, Inputs in) {
        return padModule(a, in, 2, "replicate");
    }

    static LayerResult replicationPad3d(Attrs a, Inputs in) {
        return padModule(a, in, 3, "replicate");
    }

    /** A padding module of {@code n} axes: one size for every side, or two per axis, last axis first. */
    private static LayerResult padModule(Attrs a, Inputs in, int n, String mode) {
        List<Long> given = a.list("padding");
        if (given.isEmpty()) {
            throw new LayerFailure(Diagnostic.MISSING_ATTRIBUTE, null, a.kind(), "'padding'");
        }
        if (given.size() != 1 && given.size() != 2 * n) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "padding", a.kind(), "padding", given,
                    "one size, or " + 2 * n + " sizes (two per padded axis, last axis first)");
        }
        List<Long> pads = given.size() == 1 ? java.util.Collections.nCopies(2 * n, given.get(0)) : given;
        Shape x = mode.equals("constant") ? atLeastRank(a, in, n) : spatialRank(a, in, n);
        return padded(a, in, x, pads, mode, "padding");
    }

    /** {@code F.pad(x, pad, mode)}: two sizes per axis, last axis first; the non-constant modes pad every axis but the channels. */
    static LayerResult pad(Attrs a, Inputs in) {
        List<Long> pads = a.list("pad");
        String mode = a.choice("mode", List.of("constant", "reflect", "replicate", "circular"));
        Shape x = in.shape();
        if (pads.isEmpty() || pads.size() % 2 != 0 || pads.size() > 2 * x.rank()) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "pad", a.kind(), "pad", pads,
                    "an even number of sizes, two per padded axis, for at most the " + x.rank() + " axes of " + x.describe());
        }
        int axes = pads.size() / 2;
        // PyTorch pads 1 to 3 trailing axes in the other modes: every axis after the channels, or, for a
        // tensor it reads as unbatched (one axis fewer), every axis after the batch; circular only the former.
        boolean fits = axes <= 3 && (axes == x.rank() - 1 || axes == x.rank() && !mode.equals("circular"));
        if (!mode.equals("constant") && !fits) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "pad", a.kind(), "pad", pads,
                    "two sizes for each spatial axis (1 to 3) of a channels-first input in mode " + mode
                    + ", as PyTorch requires; " + in.source() + " produces " + x.describe());
        }
        if (!mode.equals("constant") && a.given("value")) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "value", a.kind(), "value", a.text("value"),
                    "left out in mode " + mode + ", as PyTorch requires (\"Padding mode doesn't take in value argument\")");
        }
        return padded(a, in, x, pads, mode, "pad");
    }

    /**
     * The input of a reflection or replication padding module of {@code n} axes: channels first and
     * {@code n} spatial axes, or the {@code n} axes alone (PyTorch then reads the batch as the channels).
     */
    private static Shape spatialRank(Attrs a, Inputs in, int n) {
        Shape x = in.shape();
        if (x.rank() != n && x.rank() != n + 1) {
            throw new LayerFailure(Diagnostic.INPUT_RANK_MISMATCH, null, a.kind(), "a channels-first input of " + n + " padded axes",
                    in.source(), x.describe(), "");
        }
        return x;
    }

    private static Shape atLeastRank(Attrs a, Inputs in, int n) {
        Shape x = in.shape();
        if (x.rank() < n) {
            throw new LayerFailure(Diagnostic.INPUT_RANK_MISMATCH, null, a.kind(), "an input of at least " + n + " axes", in.source(), x.describe(), "");
        }
        return x;
    }

    private static LayerResult padded(Attrs a, Inputs in, Shape x, List<Long> pads, String mode, String attribute) {
        Shape out = x;
        for (int j = 0; j < pads.size() / 2; j++) {
            int axis = x.rank() - 1 - j;
            int size = x.dim(axis);
            long left = pads.get(2 * j);
            long right = pads.get(2 * j + 1);
            for (long side : List.of(left, right)) {
                String problem = switch (mode) {
                    case "reflect" -> side >= size ? "must be below the size, as PyTorch's reflection stays inside the axis" : null;
                    case "circular" -> side > size ? "must be at most the size, as PyTorch's circular padding wraps around at most once" : null;
                    default -> null;
                };
                if (problem != null) {
                    throw new LayerFailure(Diagnostic.PADDING_RANGE, attribute, a.kind(), attribute, side, x.axis(axis), size, problem, "pad less, or pad in constant mode");
                }
            }
            // Negative sizes crop before anything is added, at most the whole axis (PyTorch narrows the input, then pads what is
            // left, even nothing: F.pad(x, (1, -1)) of one position is one); the result must keep at least one element.
            long crop = Math.min(left, 0) + Math.min(right, 0);
            long result = size + left + right;
            if (size + crop < 0) {
                throw new LayerFailure(Diagnostic.PADDING_RANGE, attribute, a.kind(), attribute, crop, x.axis(axis), size,
                        "(the crop of both sides) removes more than the axis holds", "crop less");
            }
            if (result < 1) {
                throw new LayerFailure(Diagnostic.PADDING_RANGE, attribute, a.kind(), attribute, crop, x.axis(axis), size,
                        "(the crop of both sides) leaves no element", "crop less");
            }
            out = out.withDim(axis, Checks.fit(result));
        }
        return new LayerResult(out, Costs.ZERO);
    }
}
