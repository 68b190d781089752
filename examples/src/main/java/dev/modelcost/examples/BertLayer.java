package dev.modelcost.examples;

import dev.modelcost.Add;
import dev.modelcost.Args;
import dev.modelcost.Block;
import dev.modelcost.Dropout;
import dev.modelcost.From;
import dev.modelcost.Functional;
import dev.modelcost.GELU;
import dev.modelcost.Layer;
import dev.modelcost.LayerNorm;
import dev.modelcost.Linear;
import dev.modelcost.MatMul;
import dev.modelcost.Param;
import dev.modelcost.Permute;
import dev.modelcost.Reshape;
import dev.modelcost.Scale;
import dev.modelcost.Softmax;

/** One BERT encoder layer: self-attention with its output projection and LayerNorm, then the FFN with its own. */
@Block
public class BertLayer {
    @Param int heads;
    @Param int ffn;

    @Args("heads = heads")                          Attention attention;
    @Linear(with = "out = ffn")                     Layer intermediate;
    @Functional @GELU                               Layer gelu;    // nn.functional.gelu
    @From({"gelu", "attention"})                    Output output;

    /** {@code attention}: a ModuleDict of {@code self} and {@code output}. */
    @Block
    public static class Attention {
        @Param int heads;

        @Args("heads = heads")                      SelfAttention self;
        @From({"self", "input"})                    Output output;
    }

    /**
     * {@code BertSelfAttention}: query, key and value projections split into heads, scaled dot
     * products, softmax, and the weighted sum of the values, merged back to the model width.
     */
    @Block
    public static class SelfAttention {
        @Param int heads;

        @Linear(with = "out = in")                                              Layer query;
        @From("input") @Linear(with = "out = in")                               Layer key;
        @From("input") @Linear(with = "out = in")                               Layer value;
        @From("query") @Reshape(layout = "L,H,D", with = "shape = [input.L, heads, in / heads]") Layer q;
        @Permute(dims = {0, 2, 1, 3})                                           Layer qh;
        @From("key") @Reshape(layout = "L,H,D", with = "shape = [input.L, heads, in / heads]")   Layer k;
        @Permute(dims = {0, 2, 1, 3})                                           Layer kh;
        @From("value") @Reshape(layout = "L,H,D", with = "shape = [input.L, heads, in / heads]") Layer v;
        @Permute(dims = {0, 2, 1, 3})                                           Layer vh;
        @From({"qh", "kh"}) @MatMul(transposeB = true)                          Layer scores;
        @Scale                                                                  Layer scaled;
        @Functional(method = true) @Softmax(dim = -1)                           Layer probs;   // torch.softmax
        @Dropout(p = 0.1)                                                       Layer dropout;
        @From({"dropout", "vh"}) @MatMul                                        Layer context;
        @Permute(dims = {0, 2, 1, 3})                                           Layer merged;
        @Reshape(layout = "L,D", with = "shape = [input.L, in]")                Layer out;
    }

    /** {@code BertSelfOutput} (and {@code BertOutput}): dense, dropout, plus the residual, LayerNorm. */
    @Block(inputs = {"input", "residual"})
    public static class Output {
        @Linear(with = "out = residual.D")         Layer dense;
        @Dropout(p = 0.1)                          Layer dropout;
        @Add({"dropout", "residual"})              Layer add;
        @LayerNorm(eps = 1e-12)                    Layer LayerNorm;
    }
}
