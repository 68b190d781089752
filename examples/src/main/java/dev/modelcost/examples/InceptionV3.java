package dev.modelcost.examples;

import dev.modelcost.AdaptiveAvgPool2d;
import dev.modelcost.Args;
import dev.modelcost.Dropout;
import dev.modelcost.Flatten;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.MaxPool2d;
import dev.modelcost.Model;

/** Inception-v3 as torchvision defines it ({@code torchvision.models.inception_v3}, {@code aux_logits=False}), on 299x299 input. */
@Model(input = {3, 299, 299}, sizes = {"H", "W"})
public class InceptionV3 {
    @Args("cout = 32, k = 3, stride = 2")      InceptionConv Conv2d_1a_3x3;
    @Args("cout = 32, k = 3")                  InceptionConv Conv2d_2a_3x3;
    @Args("cout = 64, k = 3, padding = 1")     InceptionConv Conv2d_2b_3x3;
    @MaxPool2d(k = 3, stride = 2)              Layer maxpool1;
    @Args("cout = 80, k = 1")                  InceptionConv Conv2d_3b_1x1;
    @Args("cout = 192, k = 3")                 InceptionConv Conv2d_4a_3x3;
    @MaxPool2d(k = 3, stride = 2)              Layer maxpool2;
    @Args("poolFeatures = 32")                 InceptionA Mixed_5b;
    @Args("poolFeatures = 64")                 InceptionA Mixed_5c;
    @Args("poolFeatures = 64")                 InceptionA Mixed_5d;
    InceptionB                                 Mixed_6a;
    @Args("channels7x7 = 128")                 InceptionC Mixed_6b;
    @Args("channels7x7 = 160")                 InceptionC Mixed_6c;
    @Args("channels7x7 = 160")                 InceptionC Mixed_6d;
    @Args("channels7x7 = 192")                 InceptionC Mixed_6e;
    InceptionD                                 Mixed_7a;
    InceptionE                                 Mixed_7b;
    InceptionE                                 Mixed_7c;
    @AdaptiveAvgPool2d(1)                      Layer avgpool;
    @Dropout                                   Layer dropout;
    @Flatten                                   Layer flatten;
    @Linear(out = 1000)                        Layer fc;
}
