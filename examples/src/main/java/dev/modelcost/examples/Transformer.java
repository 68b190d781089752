package dev.modelcost.examples;

import dev.modelcost.Add;
import dev.modelcost.Block;
import dev.modelcost.Dropout;
import dev.modelcost.From;
import dev.modelcost.Functional;
import dev.modelcost.Input;
import dev.modelcost.Layer;
import dev.modelcost.LayerNorm;
import dev.modelcost.Linear;
import dev.modelcost.Model;
import dev.modelcost.MultiheadAttention;
import dev.modelcost.ReLU;
import dev.modelcost.Repeat;

/**
 * PyTorch's own {@code nn.Transformer(d_model=512, nhead=8, num_encoder_layers=6,
 * num_decoder_layers=6, dim_feedforward=2048, batch_first=True)}: an encoder over a source of 32
 * tokens and a decoder over a target of 24 with a causal mask, reading the encoder's memory.
 */
@Model(inputs = {@Input(name = "src", shape = {32, 512}, layout = "L,D"), @Input(name = "tgt", shape = {24, 512}, layout = "L,D")})
public class Transformer {
    @From("src")           Encoder encoder;
    @From({"tgt", "encoder"}) Decoder decoder;

    /** {@code nn.TransformerEncoder}: the layers, then a LayerNorm. */
    @Block
    public static class Encoder {
        @Repeat(6)  TransformerEncoderLayer layers;
        @LayerNorm  Layer norm;
    }

    /** {@code nn.TransformerDecoder}: the layers, each reading the memory, then a LayerNorm. */
    @Block(inputs = {"input", "memory"})
    public static class Decoder {
        @From({"input", "memory"}) @Repeat(6) DecoderLayer layers;
        @LayerNorm                            Layer norm;
    }

    /** {@code nn.TransformerDecoderLayer} (post-norm, ReLU): causal self-attention, cross-attention on the memory, FFN. */
    @Block(inputs = {"input", "memory"})
    public static class DecoderLayer {
        @From("input") @MultiheadAttention(numHeads = 8, batchFirst = true, isCausal = true) Layer self_attn;
        @Dropout(p = 0.1)                                                    Layer dropout1;
        @Add({"input", "dropout1"})                                          Layer residual1;
        @LayerNorm                                                           Layer norm1;
        @From({"norm1", "memory", "memory"}) @MultiheadAttention(numHeads = 8, batchFirst = true) Layer multihead_attn;
        @Dropout(p = 0.1)                                                    Layer dropout2;
        @Add({"norm1", "dropout2"})                                          Layer residual2;
        @LayerNorm                                                           Layer norm2;
        @Linear(out = 2048)                                                  Layer linear1;
        @Functional(method = true) @ReLU                                     Layer activation;  // F.relu, held since construction
        @Dropout(p = 0.1)                                                    Layer dropout;
        @Linear(with = "out = in")                                           Layer linear2;
        @Dropout(p = 0.1)                                                    Layer dropout3;
        @Add({"norm2", "dropout3"})                                          Layer residual3;
        @LayerNorm                                                           Layer norm3;
    }
}
