package dev.modelcost.processor.roofline;

import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.DecodeLayer;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.hardware.Hardware;
import dev.modelcost.processor.layers.Dtype;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.spec.RooflineSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * Computes a model's roofline on each profile it names: per layer, its FLOPs ({@code FLOPS} plus
 * {@code OTHER_OPS}) at the profile's dense peak for the layer's activation dtype, and its
 * {@code BYTES_MOVED} at the profile's bandwidth, the larger of the two being the layer's bound.
 */
public final class Rooflines {
    /** How many layers a bound lists as the largest. */
    public static final int LARGEST = 5;

    private Rooflines() {}

    /**
     * The bound on every profile of {@code @Roofline}, in order, and on the latency budgets' profile
     * where that is another one (last); a profile without a rate for a dtype the model computes in
     * is a problem on where it was named.
     */
    public static List<Bound> of(ModelCosts costs) {
        RooflineSpec spec = costs.spec().roofline();
        Map<String, Site> profiles = new LinkedHashMap<>();
        Map<String, Hardware> hardware = new LinkedHashMap<>();
        for (RooflineSpec.Profile profile : spec.profiles()) {
            profiles.putIfAbsent(profile.hardware().id(), profile.site());
            hardware.putIfAbsent(profile.hardware().id(), profile.hardware());
        }
        for (RooflineSpec.LatencyLimit limit : spec.allLatencies()) {
            profiles.putIfAbsent(limit.hardware().id(), limit.hardwareSite());
            hardware.putIfAbsent(limit.hardware().id(), limit.hardware());
        }
        List<Bound> bounds = new ArrayList<>();
        for (Map.Entry<String, Hardware> entry : hardware.entrySet()) {
            bounds.add(bound(costs, entry.getValue(), spec, profiles.get(entry.getKey())));
        }
        return bounds;
    }

    /**
     * One node's bound on each of {@code bounds}' profiles, in their order: a leaf's own, a block's
     * summed over its leaves (repetitions counted). Memoized per analysed node; the model's
     * {@link #of} must have passed, so that every rate is there.
     */
    public static Map<CostNode, double[]> perNode(ModelCosts costs, List<Bound> bounds) {
        Map<CostNode, double[]> seconds = new java.util.IdentityHashMap<>();
        perNode(costs.root(), costs, bounds, seconds);
        return seconds;
    }

    private static double[] perNode(CostNode node, ModelCosts costs, List<Bound> bounds, Map<CostNode, double[]> seconds) {
        double[] known = seconds.get(node);
        if (known != null) {
            return known;
        }
        double[] sum = new double[bounds.size()];
        if (node.leaf()) {
            for (int i = 0; i < bounds.size(); i++) {
                sum[i] = leaf(node, bounds.get(i).hardware(), costs.spec().roofline(), costs.spec().conventions().activations()).seconds();
            }
        } else {
            for (CostNode.Child child : node.children()) {
                double[] part = perNode(child.node(), costs, bounds, seconds);
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += child.count() * part[i];
                }
            }
        }
        seconds.put(node, sum);
        return sum;
    }

    /** One run of a leaf on a profile whose rate for the leaf's dtype is there. */
    public static LayerBound leaf(CostNode leaf, Hardware hardware, RooflineSpec spec, Dtype modelActivations) {
        return leaf(leaf, Math.addExact(leaf.totals().flops(), leaf.totals().otherOps()), leaf.totals().get(Figure.BYTES_MOVED), hardware, spec,
                modelActivations);
    }

    /** One run of a leaf that does {@code flops} (other ops included) and moves {@code bytes}, on a profile. */
    private static LayerBound leaf(CostNode leaf, long flops, long bytes, Hardware hardware, RooflineSpec spec, Dtype modelActivations) {
        String dtype = rateDtype(leaf, hardware, spec, modelActivations);
        double compute = flops == 0 ? 0 : flops / (hardware.peak(dtype).orElse(Double.POSITIVE_INFINITY) * spec.efficiency());
        return new LayerBound("", leaf.kind(), 1, flops, bytes, compute, bytes / (hardware.bandwidth() * spec.efficiency()));
    }

    /**
     * The bound of one decoding step ({@link DecodeLayer}) on each profile of {@code bounds}, in their order: per layer of the
     * step, {@code max(FLOPs / peak, bytes / bandwidth)}, summed; empty for a model without a decoding step of its own (see
     * {@link DecodeLayer#of}). The model's {@link #of} must have passed, so that every rate is there.
     */
    public static List<Bound> decode(ModelCosts costs, List<Bound> bounds) {
        if (bounds.isEmpty()) {
            return List.of(); // no profile: the step is not followed at all
        }
        List<DecodeLayer> layers;
        try {
            layers = DecodeLayer.of(costs);
        } catch (ArithmeticException e) {
            return List.of();
        }
        if (layers.isEmpty()) {
            return List.of();
        }
        RooflineSpec spec = costs.spec().roofline();
        List<Bound> decoding = new ArrayList<>();
        for (Bound bound : bounds) {
            Tally tally = new Tally(bound.hardware(), spec, null, costs.spec().conventions().activations(), costs.spec().network().name());
            try {
                for (DecodeLayer layer : layers) {
                    tally.add(layer.leaf(), layer.path(), layer.times(), layer.flops(), layer.bytes());
                }
            } catch (ArithmeticException e) {
                return List.of();
            }
            decoding.add(tally.bound());
        }
        return decoding;
    }

    /** The bound on {@code hardware} among {@code bounds}. */
    public static Bound find(List<Bound> bounds, Hardware hardware) {
        return bounds.stream().filter(b -> b.hardware().id().equals(hardware.id())).findFirst().orElseThrow();
    }

    private static Bound bound(ModelCosts costs, Hardware hardware, RooflineSpec spec, Site site) {
        Tally tally = new Tally(hardware, spec, site, costs.spec().conventions().activations(), costs.spec().network().name());
        try {
            walk(costs.root(), "", 1, tally);
        } catch (ArithmeticException e) {
            throw new Problem(Diagnostic.OVERFLOW, site, costs.spec().network().name(), "the FLOPs or bytes of its roofline");
        }
        return tally.bound();
    }

    private static void walk(CostNode node, String path, long times, Tally tally) {
        if (node.leaf()) {
            tally.add(node, path, times, Math.addExact(node.totals().flops(), node.totals().otherOps()), node.totals().get(Figure.BYTES_MOVED));
            return;
        }
        for (CostNode.Child child : node.children()) {
            walk(child.node(), ModelCosts.join(path, child.name(0)), Math.multiplyExact(times, child.count()), tally);
        }
    }

    /** The kinds PyTorch runs through cuDNN on a GPU that has it: convolutions and whole recurrent layers (not the cells, cuBLAS's). */
    private static boolean throughCudnn(String kind) {
        return kind.startsWith("Conv") || kind.equals("LSTM") || kind.equals("GRU") || kind.equals("RNN");
    }

    /**
     * The dtype whose rate a layer computes at: its activation dtype, fp32 as TF32 where the profile
     * lists it and PyTorch runs the layer through NVIDIA's libraries ({@link Hardware#cuda()}), whose
     * switches allow it: a convolution or a recurrent layer by default (cuDNN's
     * {@code torch.backends.cudnn.allow_tf32}, on unless {@code cudnnAllowTf32 = false}); another
     * matrix product (a layer with MACs: Linear, MatMul, attention, a recurrent cell) only when asked
     * (cuBLAS's {@code torch.backends.cuda.matmul.allow_tf32}); a layer without MACs (pooling, a norm,
     * an activation) never, as TF32 is a mode of the tensor cores' products.
     */
    static String rateDtype(CostNode leaf, Hardware hardware, RooflineSpec spec, Dtype modelActivations) {
        Dtype activations = leaf.call() == null ? modelActivations : leaf.call().activations();
        if (!activations.name().equals("fp32") || hardware.peak("tf32").isEmpty()) {
            return activations.name();
        }
        boolean allowTf32 = hardware.cuda() && (throughCudnn(leaf.kind()) ? spec.cudnnTf32() : leaf.totals().macs() > 0 && spec.matmulTf32());
        return allowTf32 ? "tf32" : activations.name();
    }

    /** The sums of one profile so far. */
    private static final class Tally {
        private final Hardware hardware;
        private final RooflineSpec spec;
        private final Site site;
        private final Dtype modelActivations;
        private final String model;
        private final TreeSet<String> dtypes = new TreeSet<>(Comparator.comparingInt(Hardware.DTYPES::indexOf));
        private final List<LayerBound> layers = new ArrayList<>();
        private final Map<String, KindBound> kinds = new LinkedHashMap<>();
        private double seconds;
        private double computeSeconds;
        private double memorySeconds;
        private long computeLayers;
        private long memoryLayers;

        Tally(Hardware hardware, RooflineSpec spec, Site site, Dtype modelActivations, String model) {
            this.hardware = hardware;
            this.spec = spec;
            this.site = site;
            this.modelActivations = modelActivations;
            this.model = model;
        }

        /** A leaf run {@code times} over, each run doing {@code flops} (other ops included) and moving {@code bytes}. */
        void add(CostNode leaf, String path, long times, long flops, long bytes) {
            LayerBound one = leaf(leaf, flops, bytes, hardware, spec, modelActivations);
            if (one.flops() == 0 && one.bytes() == 0) {
                return;
            }
            String dtype = rateDtype(leaf, hardware, spec, modelActivations);
            if (one.flops() > 0) {
                if (hardware.peak(dtype).isEmpty()) {
                    // TF32 is a mode of fp32 products, no dtype activations can be declared in; a declared profile can be given the rate
                    List<String> declarable = hardware.dtypes().stream().filter(d -> !d.equals("tf32")).toList();
                    boolean declared = dev.modelcost.processor.hardware.HardwareCatalog.find(hardware.id()).isEmpty();
                    throw new Problem(Diagnostic.HARDWARE_DTYPE, site, path.isEmpty() ? model : path, leaf.kind(), dtype, hardware.id(), dtype,
                            (declarable.isEmpty() ? "" : "declare activations the profile has a rate for (" + String.join(", ", declarable)
                            + ") with @Model(activations) or @Dtype(activations), ") + (declared ? "give @Hardware(id = \"" + hardware.id() + "\") a rate for "
                            + dtype + (hardware.peak("tf32").isPresent() && dtype.equals("fp32")
                                    ? " (its tf32 rate serves only the products PyTorch runs at TF32)" : "") + ", " : "")
                            + "or choose another profile");
                }
                dtypes.add(dtype);
            }
            double compute = times * one.computeSeconds();
            double memory = times * one.memorySeconds();
            LayerBound layer = new LayerBound(path, leaf.kind(), times, Math.multiplyExact(times, one.flops()), Math.multiplyExact(times, one.bytes()),
                    compute, memory);
            seconds += layer.seconds();
            if (layer.limit() == LayerBound.Limit.COMPUTE) {
                computeSeconds += layer.seconds();
                computeLayers += times;
            } else {
                memorySeconds += layer.seconds();
                memoryLayers += times;
            }
            layers.add(layer);
            kinds.merge(leaf.kind(), KindBound.of(layer), KindBound::plus);
            if (layers.size() > 4 * LARGEST) {
                keepLargest();
            }
        }

        private void keepLargest() {
            // ties keep execution order: the sort is stable
            layers.sort(Comparator.comparingDouble(LayerBound::seconds).reversed());
            if (layers.size() > LARGEST) {
                layers.subList(LARGEST, layers.size()).clear();
            }
        }

        Bound bound() {
            keepLargest();
            return new Bound(hardware, spec.efficiency(), seconds, computeSeconds, memorySeconds, computeLayers, memoryLayers,
                    List.copyOf(dtypes), layers, List.copyOf(kinds.values()));
        }
    }
}
