package dev.modelcost.processor.sizes;

import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.SizeVariable;
import java.util.List;
import java.util.Set;

/** The scale factors of resampling layers as the closed forms meet them: which are exact in double precision, and their lattices. */
final class ScaleFactors {
    private ScaleFactors() {}

    /** A scale factor's products are exact in double precision where it is a multiple of 1/1024 below 2^20 (1.5, 0.25, 1.375). */
    static boolean exactScale(double scale) {
        double scaled = scale * 1024;
        return scale < (1 << 20) && scaled == Math.rint(scaled);
    }

    /**
     * Whether {@code floor(x · scale)} computed in double precision, as PyTorch computes a resampled size, is the exact floor of
     * {@code x} times the decimal the scale is written as, for every size {@code x} of 32 bits: where its products are exact,
     * and where the scale is a decimal {@code r} of at most three places below 1,024 whose double {@code d} is not below it
     * (1.1, whose double lies above 11/10) or below it by less than {@code 2^-54·r} (0.3, 0.6). Where {@code x · r} is a whole
     * {@code n}, {@code x · d} then lies within {@code 2^-54·n} of it, less than half the gap to the next double below {@code n},
     * and rounds back to {@code n}; any other {@code x · r} lies at least {@code 1/1000} from a whole number, far beyond a
     * product's error below {@code 2^41}. 0.7 and 1.4, whose doubles lie further below, are not exact ({@code 90 · 0.7} is
     * {@code 62.99999999999999}).
     */
    static boolean floorExact(double scale) {
        if (exactScale(scale)) {
            return true;
        }
        if (!(scale > 0 && scale < 1024)) {
            return false;
        }
        java.math.BigDecimal decimal = new java.math.BigDecimal(Double.toString(scale));
        java.math.BigDecimal below = decimal.subtract(new java.math.BigDecimal(scale));
        return decimal.scale() <= 3 && below.multiply(java.math.BigDecimal.valueOf(2).pow(54)).compareTo(decimal) < 0;
    }

    /**
     * A resampling by a scale factor whose products are not exact in double precision (1.4, 0.7) gives
     * {@code floor(x·s)} as PyTorch computes it in doubles, one less than the exact floor at sizes no
     * lattice foresees: the model's sizes are refused (MC419), naming the layer, rather than given forms
     * that are wrong there. So is a decimal that an expression reading a size multiplies it by
     * ({@code int(L * 1.1)}), for the same reason. {@code declared} is the model analysed at its declared sizes.
     *
     * @throws Problem {@link Diagnostic#NO_CLOSED_FORM} on the first size variable that is not the batch
     */
    static void refuseInexact(ModelSpec spec, ModelCosts declared) {
        SizeVariable variable = spec.sizes().stream().filter(v -> !v.batch()).findFirst().orElse(null);
        if (variable == null) {
            return;
        }
        // The input's axes that follow no size variable, by name: a factor of one of them scales a fixed size.
        Set<String> fixed = new java.util.HashSet<>();
        spec.inputs().forEach(input -> fixed.addAll(input.axes()));
        spec.sizes().stream().filter(v -> !v.batch()).forEach(v -> fixed.remove(spec.axis(v)));
        for (ModelCosts.Placed placed : declared.nodes(Integer.MAX_VALUE, ModelCosts.Runs.FIRST_INSIDE)) {
            dev.modelcost.processor.analysis.LeafCall call = placed.node().call();
            if (call == null || !call.attrs().given("scaleFactor")) {
                continue;
            }
            List<Double> scales = call.attrs().decimals("scaleFactor");
            for (int i = 0; i < scales.size(); i++) {
                double scale = scales.get(i);
                boolean fixedAxis = scales.size() > 1 && fixed.contains(call.inputs().get(0).axis(i + 1));
                if (!floorExact(scale) && !fixedAxis) {
                    String factor = scales.size() > 1 ? call.attrs().text("scaleFactor") + "'s " + scale + " (axis " + call.inputs().get(0).axis(i + 1) + ")"
                            : call.attrs().text("scaleFactor");
                    throw new Problem(Diagnostic.NO_CLOSED_FORM, variable.site(), variable.name(), "with " + placed.path() + "'s scaleFactor = "
                            + factor, "PyTorch computes its output size, floor(x * " + scale + "), in double precision, one less than the "
                            + "exact floor at some sizes (a scale that is a multiple of 1/1024, such as 1.5 or 1.25, is exact, and so is a decimal "
                            + "of at most three places whose double is not below it by 2^-54 of it or more, such as 1.1 or 0.3)", variable.name());
                }
            }
        }
        String decimal = Thresholds.inexactDecimal(spec);
        if (decimal != null) {
            throw new Problem(Diagnostic.NO_CLOSED_FORM, variable.site(), variable.name(), "with the decimal " + decimal,
                    "a size times it is computed in double precision, whose rounding moves a floor by one at sizes no lattice foresees (a "
                    + "decimal that is a multiple of 1/1024, such as 0.75 or 1.5, is exact)", variable.name());
        }
    }

    /**
     * The least common multiple of the denominators, in lowest terms, of the scale factors with which the layers among {@code nodes}
     * resample {@code axis}; 1 for none (or beyond 31 bits).
     */
    static long denominators(List<CostNode> nodes, String axis) {
        java.math.BigInteger lcm = java.math.BigInteger.ONE;
        for (CostNode node : nodes) {
            dev.modelcost.processor.analysis.LeafCall call = node.call();
            if (call == null || !call.attrs().given("scaleFactor") || call.inputs().isEmpty()) {
                continue;
            }
            List<String> axes = call.inputs().get(0).axes();
            List<Double> scales = call.attrs().decimals("scaleFactor");
            for (int a = 1; a < axes.size(); a++) {
                if (axes.get(a).equals(axis) && (scales.size() == 1 || a - 1 < scales.size())) {
                    java.math.BigDecimal scale = new java.math.BigDecimal(Double.toString(scales.get(scales.size() == 1 ? 0 : a - 1)));
                    if (scale.scale() > 0 && scale.scale() <= 10) {
                        java.math.BigInteger unscaled = scale.unscaledValue();
                        java.math.BigInteger power = java.math.BigInteger.TEN.pow(scale.scale());
                        java.math.BigInteger q = power.divide(unscaled.gcd(power));
                        lcm = lcm.divide(lcm.gcd(q)).multiply(q);
                    }
                }
            }
        }
        return lcm.bitLength() < 31 ? lcm.longValue() : 1;
    }
}
