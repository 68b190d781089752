package dev.modelcost.processor.spec;

import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.hardware.Hardware;
import java.util.List;

/**
 * What a model declares for its roofline: the profiles of {@code @Roofline}, its efficiency and
 * TF32 setting, and the latency bounds of {@code @Budget}.
 *
 * @param profiles the profiles {@code @Roofline(hardware)} names, in order, each once; empty without {@code @Roofline}
 * @param efficiency the fraction of peak rate and bandwidth a kernel is taken to reach, in [0.001, 1]
 * @param matmulTf32 whether fp32 matrix products run at the TF32 rate ({@code torch.backends.cuda.matmul.allow_tf32})
 * @param cudnnTf32 whether fp32 convolutions run at the TF32 rate ({@code torch.backends.cudnn.allow_tf32})
 * @param latencies the {@code @Budget} bounds on the latency bound, at most one a hardware profile, in the order written
 * @param decodeLatencies the {@code @Budget} bounds on the latency bound of one decoding step, likewise
 * @param memory the {@code @Budget} bounds on the activation peak and the inference memory
 */
public record RooflineSpec(List<Profile> profiles, double efficiency, boolean matmulTf32, boolean cudnnTf32, List<LatencyLimit> latencies,
        List<LatencyLimit> decodeLatencies, List<MemoryLimit> memory) {
    /** No {@code @Roofline} and no latency or memory bound. */
    public static final RooflineSpec NONE = new RooflineSpec(List.of(), 1.0, false, true, List.of(), List.of(), List.of());

    /** Copies the lists. */
    public RooflineSpec {
        profiles = List.copyOf(profiles);
        latencies = List.copyOf(latencies);
        decodeLatencies = List.copyOf(decodeLatencies);
        memory = List.copyOf(memory);
    }

    /** The first bound on the latency bound ({@code MAX_LATENCY_SECONDS} of the generated class), or null. */
    public LatencyLimit latency() {
        return latencies.isEmpty() ? null : latencies.get(0);
    }

    /** The first bound on the latency bound of one decoding step ({@code MAX_DECODE_LATENCY_SECONDS}), or null. */
    public LatencyLimit decodeLatency() {
        return decodeLatencies.isEmpty() ? null : decodeLatencies.get(0);
    }

    /** Every latency bound, the forward pass's and then one decoding step's. */
    public List<LatencyLimit> allLatencies() {
        List<LatencyLimit> all = new java.util.ArrayList<>(latencies);
        all.addAll(decodeLatencies);
        return all;
    }

    /**
     * A profile as a model names it.
     *
     * @param hardware the profile
     * @param site where it was named
     */
    public record Profile(Hardware hardware, Site site) {}

    /**
     * {@code @Budget(maxLatencySeconds, hardware)} or {@code @Budget(maxDecodeLatencySeconds, hardware)}.
     *
     * @param seconds the largest latency bound allowed, in seconds
     * @param hardware the profile it is checked on
     * @param site the attribute's value
     * @param hardwareSite where the profile was named ({@code @Budget(hardware)} or {@code @Roofline(hardware)})
     */
    public record LatencyLimit(double seconds, Hardware hardware, Site site, Site hardwareSite) {}
}
