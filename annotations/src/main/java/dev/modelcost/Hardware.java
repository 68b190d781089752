package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A hardware profile of one's own, declared in {@link Roofline#custom()}: dense peak rates in
 * TFLOP/s (TOPS for int8) per dtype, 0 where the device has none, and the DRAM bandwidth in GB/s
 * (10<sup>9</sup> bytes per second). At least one rate and a positive bandwidth are required.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface Hardware {
    /** The id that {@link Roofline#hardware()} and {@link Budget#hardware()} name: lower case, digits and dashes. */
    String id();

    /** A readable name for reports; the id when empty. */
    String name() default "";

    /** Dense fp32 rate, TFLOP/s. */
    double fp32() default 0;

    /** Dense TF32 rate, TFLOP/s. */
    double tf32() default 0;

    /** Dense fp16 rate, TFLOP/s. */
    double fp16() default 0;

    /** Dense bf16 rate, TFLOP/s. */
    double bf16() default 0;

    /** Dense fp8 rate, TFLOP/s. */
    double fp8() default 0;

    /** Dense int8 rate, TOPS. */
    double int8() default 0;

    /** DRAM bandwidth, GB/s. */
    double bandwidth();

    /**
     * Whether PyTorch drives it through NVIDIA's cuDNN and cuBLAS, whose TF32 switches
     * ({@link Roofline#cudnnAllowTf32()}, {@link Roofline#matmulAllowTf32()}) decide where fp32
     * runs at the {@link #tf32()} rate: true for an NVIDIA GPU; false for ROCm (PyTorch builds MIOpen
     * and hipBLAS without those switches) or a CPU, where fp32 runs at {@link #fp32()}.
     */
    boolean cuda() default true;

    /** Where the figures come from, for reports. */
    String source() default "";
}
