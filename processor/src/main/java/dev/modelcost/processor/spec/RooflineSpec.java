package dev.modelcost.processor.spec;

import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.hardware.Hardware;
import java.util.List;

/**
 * What a model declares for its roofline: the profiles of {@code @Roofline}, its efficiency and
 * TF32 setting, and the latency bound of {@code @Budget}.
 *
 * @param profiles the profiles {@code @Roofline(hardware)} names, in order, each once; empty without {@code @Roofline}
 * @param efficiency the fraction of peak rate and bandwidth a kernel is taken to reach, in [0.001, 1]
 * @param matmulTf32 whether fp32 matrix products run at the TF32 rate ({@code torch.backends.cuda.matmul.allow_tf32})
 * @param cudnnTf32 whether fp32 convolutions run at the TF32 rate ({@code torch.backends.cudnn.allow_tf32})
 * @param latency the {@code @Budget} bound on the latency bound, or null
 * @param decodeLatency the {@code @Budget} bound on the latency bound of one decoding step, or null
 * @param memory the {@code @Budget} bounds on the activation peak and the inference memory
 */
public record RooflineSpec(List<Profile> profiles, double efficiency, boolean matmulTf32, boolean cudnnTf32, LatencyLimit latency,
        LatencyLimit decodeLatency, List<MemoryLimit> memory) {
    /** No {@code @Roofline} and no latency or memory bound. */
    public static final RooflineSpec NONE = new RooflineSpec(List.of(), 1.0, false, true, null, null, List.of());

    /** Copies the lists. */
    public RooflineSpec {
        profiles = List.copyOf(profiles);
        memory = List.copyOf(memory);
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
