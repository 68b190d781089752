package dev.modelcost.examples;

import dev.modelcost.Block;
import dev.modelcost.From;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.Mul;
import dev.modelcost.Param;
import dev.modelcost.SiLU;

/** Llama's gated MLP: {@code down_proj(silu(gate_proj(x)) * up_proj(x))}, bias-free. */
@Block
public class SwiGLU {
    @Param int ffn;

    @Linear(bias = false, with = "out = ffn")               Layer gate_proj;
    @SiLU                                                   Layer act;
    @From("input") @Linear(bias = false, with = "out = ffn") Layer up_proj;
    @Mul({"act", "up_proj"})                                Layer gated;
    @Linear(bias = false, with = "out = input.D")           Layer down_proj;
}
