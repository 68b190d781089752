package dev.modelcost.examples;

import dev.modelcost.Add;
import dev.modelcost.Block;
import dev.modelcost.Dropout;
import dev.modelcost.From;
import dev.modelcost.Functional;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.MatMul;
import dev.modelcost.Pad;
import dev.modelcost.Param;
import dev.modelcost.Permute;
import dev.modelcost.Reshape;
import dev.modelcost.Roll;
import dev.modelcost.Scale;
import dev.modelcost.Select;
import dev.modelcost.Slice;
import dev.modelcost.Softmax;
import dev.modelcost.Transpose;
import dev.modelcost.When;
import dev.modelcost.WindowRelativePositionBias;

/**
 * torchvision's Swin {@code ShiftedWindowAttention} on a channels-last {@code H,W,C} map, written op
 * by op as its {@code forward} and {@code shifted_window_attention} run: the relative position bias
 * ({@code get_relative_position_bias()}, field {@code relative_position_bias_table} for its
 * parameter's path), {@code F.pad} to whole windows, the cyclic shift {@code torch.roll(x, (-s, -s),
 * (1, 2))}, the window partition ({@code view}, {@code permute(0, 1, 3, 2, 4, 5)}, {@code reshape}),
 * {@code qkv}, the split into q, k and v per head, {@code q * head_dim ** -0.5}, {@code q @ k^T}, the
 * bias and, shifted, the mask added, softmax, {@code attn @ v}, the heads merged, {@code proj}, the
 * window reverse, the reverse roll and the unpad.
 *
 * <p>{@code qkv} and {@code proj} are {@code nn.Linear} modules that torchvision never calls: it passes
 * their weights to {@code F.linear} ({@code @Functional(moduleWeights = true)}), which the counters that
 * hook modules do not see.
 *
 * <p>PyTorch folds the batch into the windows ({@code B*nW x N x C}); here the batch stays the first
 * axis and the windows the second ({@code B x nW x N x C}): every product, element and copy is the
 * same, so are the costs. The q/k/v split likewise keeps the batch first: PyTorch's
 * {@code permute(2, 0, 3, 1, 4)} to {@code 3 x B*nW x heads x N x d} is
 * {@code permute(0, 3, 1, 4, 2, 5)} to {@code B x 3 x nW x heads x N x d} and a select.
 *
 * <p>As torchvision, the shift of an axis is 0 where one window covers the (padded) map (Swin-T's
 * last stage at 224: 7x7), and a block rolls and masks only where a shift remains. The scale is a
 * literal, 32 ** -0.5, as {@code @Scale(factor)} takes no expression; every torchvision Swin (T, S, B)
 * has heads of 32.
 */
@Block
public class ShiftedWindowAttention {
    @Param int heads;
    @Param int window;
    @Param int shift;
    @Param(expr = "(window - input.H % window) % window") int padB;
    @Param(expr = "(window - input.W % window) % window") int padR;
    @Param(expr = "window >= input.H + padB ? 0 : shift")  int shiftH;
    @Param(expr = "window >= input.W + padR ? 0 : shift")  int shiftW;

    // get_relative_position_bias(): 1 x heads x N x N, no batch axis
    @WindowRelativePositionBias(with = "window = [window, window], numHeads = heads")     Layer relative_position_bias_table;
    @From("input") @Pad(with = "pad = [0, 0, 0, padR, 0, padB]")                          Layer pad;
    @When("shiftH + shiftW > 0") @Roll(dims = {1, 2}, with = "shifts = [-shiftH, -shiftW]") Layer roll;
    // partition windows: B x nH x Wh x nW x Ww x C -> B x nH x nW x Wh x Ww x C -> B x (nH·nW) x N x C
    @Reshape(layout = "P,A,Q,B,C", with = "shape = [pad.H / window, window, pad.W / window, window, in]") Layer partition;
    @Permute(dims = {0, 1, 3, 2, 4, 5})                                                    Layer windowsFirst;
    @Reshape(layout = "W,N,C", with = "shape = [-1, window * window, in]")                 Layer windows;
    @Functional(moduleWeights = true) @Linear(with = "out = 3 * in")                       Layer qkv;      // F.linear(x, qkv.weight, qkv.bias)
    // qkv.reshape(B·nW, N, 3, heads, C // heads).permute(2, 0, 3, 1, 4), batch kept first
    @Reshape(layout = "W,N,S,H,D", with = "shape = [x.W, x.N, 3, heads, in / heads]")      Layer split;
    @Permute(dims = {0, 3, 1, 4, 2, 5})                                                    Layer qkvFirst;
    @Select(dim = 1, index = 0)                                                            Layer q;
    @From("qkvFirst") @Select(dim = 1, index = 1)                                          Layer k;
    @From("qkvFirst") @Select(dim = 1, index = 2)                                          Layer v;
    @From("q") @Scale(factor = 0.17677669529663687)                                        Layer scaled;   // q * (C // heads) ** -0.5
    @From({"scaled", "k"}) @MatMul(transposeB = true)                                      Layer scores;   // q.matmul(k.transpose(-2, -1))
    // the mask (shifted only), read from the bias so that it has no batch axis; before the bias is added so
    // that, absent, the step after passes the biased scores on
    @When("shiftH + shiftW > 0") @From("relative_position_bias_table")
    @SwinAttentionMask(with = "windows = (pad.H / window) * (pad.W / window), n = window * window") Layer attn_mask;
    @Add({"scores", "relative_position_bias_table"})                                       Layer biased;
    @When("shiftH + shiftW > 0") @Add({"biased", "attn_mask"})                             Layer masked;
    @Functional @Softmax(dim = -1)                                                         Layer softmax;
    @Functional @Dropout(p = 0.0)                                                          Layer attention_dropout;
    @From({"attention_dropout", "v"}) @MatMul                                              Layer context;  // attn.matmul(v)
    @Transpose(dim0 = 2, dim1 = 3)                                                         Layer merge;    // .transpose(1, 2)
    @Reshape(layout = "W,N,C", with = "shape = [x.W, x.N, in]")                            Layer merged;
    @Functional(moduleWeights = true) @Linear(with = "out = in")                           Layer proj;     // F.linear(x, proj.weight, proj.bias)
    @Functional @Dropout(p = 0.0)                                                          Layer dropout;
    // reverse windows: B x nH x nW x Wh x Ww x C -> B x nH x Wh x nW x Ww x C -> B x H x W x C
    @Reshape(layout = "P,Q,A,B,C", with = "shape = [pad.H / window, pad.W / window, window, window, in]") Layer unpartition;
    @Permute(dims = {0, 1, 3, 2, 4, 5})                                                    Layer rowsFirst;
    @Reshape(layout = "H,W,C", with = "shape = [pad.H, pad.W, in]")                        Layer reversed;
    @When("shiftH + shiftW > 0") @Roll(dims = {1, 2}, with = "shifts = [shiftH, shiftW]")  Layer unroll;
    // x[:, :H, :W, :].contiguous(): views, and a copy only where padded
    @Slice(dim = 1, with = "end = input.H")                                                Layer unpadH;
    @Slice(dim = 2, with = "end = input.W")                                                Layer unpadW;
}
