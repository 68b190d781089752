package dev.modelcost.processor.hardware;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A hardware profile of the roofline: dense peak rates per dtype and the DRAM bandwidth.
 *
 * @param id the id a model names it by, e.g. {@code h100-sxm}
 * @param name a readable name, e.g. {@code NVIDIA H100 SXM5 80GB}
 * @param peaks dense peak rates in operations per second, by dtype name ({@link #DTYPES}); a dtype
 *     the device has no rate for is absent
 * @param bandwidth peak DRAM bandwidth in bytes per second
 * @param memory device memory in bytes: the total nvidia-smi reports where known, else the vendor's GB as 10^9 bytes; 0 where
 *     not stated
 * @param memoryStated the memory as messages give it ({@code 81,559 MiB nvidia-smi reports}, {@code 24 GB}); empty where not stated
 * @param cuda whether PyTorch runs its products through NVIDIA's cuDNN and cuBLAS, whose TF32 switches
 *     ({@code torch.backends.cudnn.allow_tf32}, on by default, and {@code torch.backends.cuda.matmul.allow_tf32}) apply: NVIDIA's
 *     GPUs; not ROCm (MIOpen and hipBLAS, which PyTorch builds without those switches), nor a CPU
 * @param source where the figures come from
 */
public record Hardware(String id, String name, Map<String, Double> peaks, double bandwidth, double memory, String memoryStated, boolean cuda,
        String source) {
    /** The dtypes a profile gives rates for, in the order profile files and {@code @Hardware} list them. */
    public static final List<String> DTYPES = List.of("fp32", "tf32", "fp16", "bf16", "fp8", "int8");

    /** Copies the rates and checks that every figure is positive and finite. */
    public Hardware {
        Objects.requireNonNull(id, "id");
        peaks = Map.copyOf(peaks);
        for (Map.Entry<String, Double> peak : peaks.entrySet()) {
            if (!DTYPES.contains(peak.getKey()) || !(peak.getValue() > 0) || peak.getValue().isInfinite()) {
                throw new IllegalArgumentException(id + ": rate " + peak);
            }
        }
        if (peaks.isEmpty() || !(bandwidth > 0) || Double.isInfinite(bandwidth)) {
            throw new IllegalArgumentException(id + ": no rate or no bandwidth");
        }
    }

    /** The dense peak rate for {@code dtype}, in operations per second, if the device has one. */
    public OptionalDouble peak(String dtype) {
        Double rate = peaks.get(dtype);
        return rate == null ? OptionalDouble.empty() : OptionalDouble.of(rate);
    }

    /** The dtypes with a rate, in {@link #DTYPES}' order, for messages. */
    public List<String> dtypes() {
        return DTYPES.stream().filter(peaks::containsKey).toList();
    }

    /**
     * The name with a note in parentheses, merged into the name's own where it ends with a word or more in some: {@code NVIDIA H100
     * SXM5 80GB (h100-sxm)}, {@code NVIDIA Jetson AGX Orin 64GB (GPU only; jetson-agx-orin-64gb)}.
     */
    public String named(String note) {
        return ENDS_IN_PARENTHESES.matcher(name).find() ? name.substring(0, name.length() - 1) + "; " + note + ")" : name + " (" + note + ")";
    }

    /** A name's last word or words in parentheses, after a space: {@code (GPU only)}. */
    private static final java.util.regex.Pattern ENDS_IN_PARENTHESES = java.util.regex.Pattern.compile(" \\([^()]+\\)$");
}
