package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The hardware a model's roofline latency bound is computed for. Per layer the bound is
 * {@code max(FLOPs / peak, BYTES_MOVED / bandwidth)} (Williams, Waterman and Patterson, "Roofline",
 * CACM 2009), summed over the execution order: a lower bound on eager, unfused execution, never a
 * prediction. The peak is the profile's dense rate for the layer's activation dtype.
 *
 * <p>Built-in profiles: {@code a100-sxm-80gb}, {@code h100-sxm}, {@code h200}, {@code l4},
 * {@code rtx-4090}, {@code jetson-agx-orin-64gb}, {@code mi300x}, a server CPU ({@code xeon-platinum-8480-plus}) and a phone
 * SoC ({@code apple-a17-pro}) (the README lists them with their sources); {@link #custom()} declares others. An unknown name is a compile error.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Roofline {
    /**
     * The profiles to bound the latency on, by id, each once; the first is the one the HTML report
     * charts and a {@code @Budget(maxLatencySeconds)} without {@code hardware} is checked on.
     */
    String[] hardware();

    /**
     * The fraction of the peak rate and of the bandwidth a kernel is taken to reach, from 0.001 to
     * 1: the bound is divided by it. 1 (the default) gives the pure lower bound.
     */
    double efficiency() default 1.0;

    /**
     * Whether fp32 matrix products cuBLAS runs (Linear, MatMul, attention, recurrent cells: every
     * layer with MACs but convolutions and whole recurrent layers) run at the profile's TF32 rate, as
     * with PyTorch's {@code torch.backends.cuda.matmul.allow_tf32 = True} (off by default since
     * PyTorch 1.12), on a profile PyTorch drives through NVIDIA's libraries (not ROCm's, which it
     * builds without the switch). A layer without MACs (pooling, a norm, an activation) never does:
     * TF32 is a mode of the tensor cores' products.
     */
    boolean matmulAllowTf32() default false;

    /**
     * Whether fp32 convolutions and recurrent layers ({@code LSTM}, {@code GRU}, {@code RNN}, which
     * PyTorch runs through cuDNN) run at the profile's TF32 rate, as with PyTorch's
     * {@code torch.backends.cudnn.allow_tf32}, which is on by default: so they do unless this is
     * false, on a profile PyTorch drives through cuDNN (NVIDIA's GPUs, and profiles declared with
     * {@link Hardware} unless {@link Hardware#cuda()} is false); on the others (ROCm's MIOpen, a CPU)
     * they run at fp32.
     */
    boolean cudnnAllowTf32() default true;

    /** Profiles declared here, usable by id in {@link #hardware()} and {@link Budget#hardware()}. */
    Hardware[] custom() default {};
}
