package dev.modelcost.processor.layers;

import java.util.Map;
import java.util.Optional;

/**
 * A dtype of stored tensors: its bits per element and, for a group-wise quantized one, the group
 * of elements that shares one fp16 scale.
 *
 * @param name the name as written, e.g. {@code bf16} or {@code int4-g64}
 * @param bits bits per element
 * @param group elements per scale, or 0 where there are no scales
 */
public record Dtype(String name, int bits, int group) {
    /** The dtype every model has unless it declares another. */
    public static final Dtype FP32 = new Dtype("fp32", 32, 0);

    /** The group size of {@code int4} without a suffix: GPTQ's and AWQ's default. */
    static final int INT4_GROUP = 128;

    /** The names a model may write, for messages. */
    public static final String NAMES = "fp32, fp16, bf16, fp8, int8, int4, int4-g<N> (N weights per fp16 scale, 1 to 999,999,999, "
            + "no leading zero)";

    /** The activation dtypes a model or layer may write, for messages. */
    public static final String ACTIVATION_NAMES = "fp32, fp16, bf16, fp8, int8";

    /** PyTorch's and Hugging Face's names of the dtypes ({@code torch_dtype: "bfloat16"}), by the name modelcost gives each. */
    private static final Map<String, String> PYTORCH_NAMES = Map.ofEntries(Map.entry("float32", "fp32"), Map.entry("float", "fp32"),
            Map.entry("float16", "fp16"), Map.entry("half", "fp16"), Map.entry("bfloat16", "bf16"), Map.entry("float8_e4m3fn", "fp8"),
            Map.entry("float8_e5m2", "fp8"), Map.entry("float8", "fp8"), Map.entry("qint8", "int8"), Map.entry("quint4x2", "int4"));

    /**
     * "; did you mean 'bf16'?" where {@code written} is PyTorch's name of a dtype modelcost names otherwise ({@code bfloat16},
     * {@code torch.float16}, {@code fp16}'s {@code half}); empty for any other name.
     */
    public static String pytorchName(String written) {
        String name = written.strip().toLowerCase(java.util.Locale.ROOT);
        name = name.startsWith("torch.") ? name.substring("torch.".length()) : name;
        String ours = PYTORCH_NAMES.get(name);
        return ours == null ? "" : "; did you mean '" + ours + "'? (PyTorch's " + written.strip() + ")";
    }

    /** The dtype of activations named {@code name}, or empty for one that no activation has (int4 and unknown names). */
    public static Optional<Dtype> parseActivations(String name) {
        return parse(name).filter(d -> d.group() == 0);
    }

    /** The activations that go with weights of this dtype: the same, but fp16 for int4 (weight-only quantization). */
    public Dtype defaultActivations() {
        return group == 0 ? this : new Dtype("fp16", 16, 0);
    }

    /** The dtype of a name, or empty for one modelcost does not know. */
    public static Optional<Dtype> parse(String name) {
        switch (name) {
            case "fp32": return Optional.of(FP32);
            case "fp16":
            case "bf16": return Optional.of(new Dtype(name, 16, 0));
            case "fp8":
            case "int8": return Optional.of(new Dtype(name, 8, 0));
            case "int4": return Optional.of(new Dtype(name, 4, INT4_GROUP));
            default:
                if (name.matches("int4-g[1-9][0-9]{0,8}")) {
                    return Optional.of(new Dtype(name, 4, Integer.parseInt(name.substring("int4-g".length()))));
                }
                return Optional.empty();
        }
    }

    /**
     * Bytes of {@code elements} elements stored as one tensor: the packed elements, rounded up to
     * a whole byte, and 2 bytes per started group for its fp16 scale.
     */
    public long bytes(long elements) {
        // whole bytes of 8 elements first, so that no product exceeds what the result needs
        long packed = Math.addExact(Math.multiplyExact(elements / 8, bits), ((elements % 8) * bits + 7) / 8);
        return group == 0 ? packed : Math.addExact(packed, Math.multiplyExact(2, Math.addExact(elements, group - 1) / group));
    }
}
