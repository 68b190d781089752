package dev.modelcost.examples;

import dev.modelcost.Concat;
import dev.modelcost.Conv2d;
import dev.modelcost.Flatten;
import dev.modelcost.Layer;
import dev.modelcost.Model;
import dev.modelcost.Parameter;
import dev.modelcost.Permute;
import dev.modelcost.Select;

/**
 * ViT-B/16 as torchvision defines it ({@code torchvision.models.vit_b_16}): a 16x16 patch
 * convolution, a class token, 12 encoder blocks of width 768 with 12 heads and an MLP of 3072, and
 * the head on the class token. Leaf paths follow torchvision's module names
 * ({@code encoder.layers.encoder_layer_0.self_attention}).
 */
@Model(input = {3, 224, 224})
public class ViTB16 {
    @Conv2d(cout = 768, k = 16, stride = 16)       Layer conv_proj;
    @Flatten(startDim = 2)                         Layer flatten;      // 768 x 196
    @Permute(dims = {0, 2, 1})                     Layer permute;      // 196 x 768: one token per patch
    @Parameter(shape = {1, 768}, layout = "L,D")   Layer class_token;
    @Concat(value = {"class_token", "permute"}, dim = 1) Layer tokens; // 197 x 768
    ViTEncoder                                     encoder;
    @Select(dim = 1, index = 0)                    Layer cls;          // x[:, 0]
    ViTHeads                                       heads;
}
