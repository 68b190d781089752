package dev.modelcost.examples;

import dev.modelcost.Block;
import dev.modelcost.Concat;
import dev.modelcost.From;
import dev.modelcost.Layer;
import dev.modelcost.LayerNorm;
import dev.modelcost.Linear;
import dev.modelcost.Pad;
import dev.modelcost.Slice;

/**
 * torchvision's Swin {@code PatchMerging} on a channels-last {@code H,W,C} map: {@code _patch_merging_pad}
 * (an {@code F.pad} of the bottom row and right column where H or W is odd, a copy even where it
 * pads nothing, as PyTorch's is), the four strided views {@code x[..., 0::2, 0::2, :]},
 * {@code x[..., 1::2, 0::2, :]}, {@code x[..., 0::2, 1::2, :]}, {@code x[..., 1::2, 1::2, :]}
 * concatenated on the last axis ({@code H/2 x W/2 x 4C}), {@code norm} ({@code LayerNorm(4C)}) and
 * {@code reduction} ({@code Linear(4C, 2C, bias=False)}). torchvision registers {@code reduction}
 * before {@code norm}; here the fields follow the forward order, with the same parameter paths.
 */
@Block
public class PatchMerging {
    @Pad(with = "pad = [0, 0, 0, input.W % 2, 0, input.H % 2]")             Layer pad;
    @Slice(dim = 1, start = 0, step = 2)                                      Layer rows0;   // x[..., 0::2, :, :]
    @Slice(dim = 2, start = 0, step = 2)                                      Layer x0;      // x[..., 0::2, 0::2, :]
    @From("pad") @Slice(dim = 1, start = 1, step = 2)                         Layer rows1;   // x[..., 1::2, :, :]
    @Slice(dim = 2, start = 0, step = 2)                                      Layer x1;      // x[..., 1::2, 0::2, :]
    @From("rows0") @Slice(dim = 2, start = 1, step = 2)                       Layer x2;      // x[..., 0::2, 1::2, :]
    @From("rows1") @Slice(dim = 2, start = 1, step = 2)                       Layer x3;      // x[..., 1::2, 1::2, :]
    @Concat(value = {"x0", "x1", "x2", "x3"}, dim = -1)                      Layer cat;     // torch.cat(..., -1)
    @LayerNorm(eps = 1e-5)                                                    Layer norm;
    @Linear(bias = false, with = "out = 2 * input.C")                         Layer reduction;
}
