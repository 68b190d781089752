package dev.modelcost.examples;

import dev.modelcost.AdaptiveAvgPool2d;
import dev.modelcost.Args;
import dev.modelcost.Block;
import dev.modelcost.Conv2d;
import dev.modelcost.Flatten;
import dev.modelcost.Layer;
import dev.modelcost.LayerNorm;
import dev.modelcost.Linear;
import dev.modelcost.Model;
import dev.modelcost.Param;
import dev.modelcost.Permute;
import dev.modelcost.Repeat;

/**
 * Swin-T as torchvision defines it ({@code torchvision.models.swin_t}, {@code SwinTransformer}): a
 * 4x4 patch embedding to width 96, four stages of 2, 2, 6 and 2 {@link SwinTransformerBlock}s with
 * 3, 6, 12 and 24 heads in 7x7 windows (every second block of a stage shifted by 3), a
 * {@link PatchMerging} between stages (widths 96, 192, 384, 768), then the final LayerNorm, a permute
 * back to channels first, average pooling and the 1000-way head. Leaf paths follow torchvision's
 * module names ({@code features.1.0.attn.qkv}, {@code features.2.reduction}).
 *
 * <p>The feature maps are channels-last ({@code H,W,C}) from the stem's permute to the final one, as
 * in torchvision. At 224x224 the last stage's map is 7x7, one window, so torchvision does not shift
 * its odd blocks (nor does {@link ShiftedWindowAttention}).
 *
 * <p>Sizes: the windows tile every stage's map without padding where H and W are multiples of 224,
 * and from 448 on the last stage's odd blocks are shifted too, which changes the other ops (the roll
 * and the mask) but no product. Declared at 448 with {@code sizes = {"H", "W"}}, the forms hold on that
 * lattice from 448 up ({@code MACS(H, W) = 768,000 + 89,481·H·W}, which at 224 is also this model's
 * 4,490,566,656). Declared at 224 with sizes, the shift turns just above the declared size, so the
 * processor establishes the same forms past it, at 448 x 448, and {@code at(224, 224)} gives this
 * model's own figures ({@code SwinTSizesTest}).
 *
 * <p>Memory: with the batch at 2, the activation peak equals PyTorch's measured one (30,105,600 bytes,
 * in the first stage's MLP). At batch 1 PyTorch peaks at 15,131,788 bytes, inside a shifted block's
 * {@code attn @ v}, where {@code shifted_window_attention} still holds locals past their last use (the
 * windowed input, the scaled q, the mask, the bias: 3,051,916 bytes); modelcost frees a tensor after
 * its last use, as everywhere, and gives 15,052,800.
 *
 * <p>Counters: torchvision's attention never calls its {@code qkv} and {@code proj} modules but passes
 * their weights to {@code F.linear} ({@code @Functional(moduleWeights = true)}), so thop, nni, ptflops
 * and torchinfo, which hook modules or wrap {@code nn.Linear}, miss those 24 calls (thop: 2,978,099,712
 * MACs and 19,621,192 parameters), as {@code THOP_MACS} and the others here do; fvcore's figure and
 * ptflops' and torchinfo's parameters count them. ptflops' aten backend counts the bias adds of
 * {@code F.linear} on a 3-D input (one {@code addmm}), and this example keeps the batch apart from the
 * windows, a 4-D input ({@code matmul} and {@code add_}): {@code PTFLOPS_ATEN_MACS} is 5,720,064 below the
 * measured figure, the tests derive why.
 */
@Model(input = {3, 224, 224})
public class SwinT {
    static final int WINDOW = 7;

    Features                       features;
    @LayerNorm(eps = 1e-5)         Layer norm;
    @Permute(dims = {0, 3, 1, 2})  Layer permute;     // torchvision.ops.misc.Permute
    @AdaptiveAvgPool2d(1)          Layer avgpool;
    @Flatten                       Layer flatten;
    @Linear(out = 1000)            Layer head;

    /**
     * {@code features}, an {@code nn.Sequential}: the patch embedding, then each stage's blocks (an
     * {@code nn.Sequential} of its own) and a {@code PatchMerging} after every stage but the last.
     * Block {@code i} of a stage is shifted by half a window where {@code i} is odd.
     */
    @Block(indexed = true)
    public static class Features {
        @Args("dim = 96, patch = 4")                                                                         Stem stem;
        @Repeat(2) @Args("heads = 3, window = WINDOW, shift = index % 2 == 0 ? 0 : WINDOW / 2")                SwinTransformerBlock stage1;
        PatchMerging                                                                                          merge1;
        @Repeat(2) @Args("heads = 6, window = WINDOW, shift = index % 2 == 0 ? 0 : WINDOW / 2")                SwinTransformerBlock stage2;
        PatchMerging                                                                                          merge2;
        @Repeat(6) @Args("heads = 12, window = WINDOW, shift = index % 2 == 0 ? 0 : WINDOW / 2")               SwinTransformerBlock stage3;
        PatchMerging                                                                                          merge3;
        @Repeat(2) @Args("heads = 24, window = WINDOW, shift = index % 2 == 0 ? 0 : WINDOW / 2")               SwinTransformerBlock stage4;
    }

    /**
     * {@code features.0}: {@code Sequential(Conv2d(3, 96, kernel_size=4, stride=4), Permute([0, 2, 3, 1]),
     * LayerNorm(96))}, the patch embedding, to channels-last.
     */
    @Block(indexed = true)
    public static class Stem {
        @Param int dim;
        @Param int patch;

        @Conv2d(with = "cout = dim, k = patch, stride = patch") Layer conv;
        @Permute(dims = {0, 2, 3, 1})                            Layer permute;
        @LayerNorm(eps = 1e-5)                                   Layer norm;
    }
}
